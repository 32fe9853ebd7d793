package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// feFake is an OVH whose frontend-page methods answer from fields; any
// other method panics on the nil embedded interface (a clear failure).
type feFake struct {
	OVH
	frontends []ovh.Frontend
	listErr   error
	createErr error
	updateErr error

	mu      sync.Mutex
	creates []ovh.FrontendCreate
	updates []ovh.FrontendUpdate
}

const feFakeSN = "loadbalancer-fake"

func (f *feFake) LoadBalancer(context.Context, string) (ovh.LoadBalancer, error) {
	name := "fake-lb"
	return ovh.LoadBalancer{ServiceName: feFakeSN, DisplayName: &name, Zones: []string{"gra"}}, nil
}

func (f *feFake) PendingChanges(context.Context, string) ([]ovh.PendingChange, error) {
	return nil, nil
}

func (f *feFake) Frontends(_ context.Context, _ string, p ovh.Protocol) ([]ovh.Frontend, error) {
	var out []ovh.Frontend
	for _, fr := range f.frontends {
		if fr.Protocol == p {
			out = append(out, fr)
		}
	}
	return out, f.listErr
}

func (f *feFake) Farms(context.Context, string, ovh.Protocol) ([]ovh.Farm, error) { return nil, nil }
func (f *feFake) Routes(context.Context, string, ovh.Protocol) ([]ovh.Route, error) {
	return nil, nil
}
func (f *feFake) Zones(context.Context, string) ([]string, error) { return []string{"gra"}, nil }
func (f *feFake) Certificates(context.Context, string) ([]ovh.Certificate, error) {
	return nil, nil
}

func (f *feFake) FailoverPins(context.Context, string) ([]ovh.FailoverIP, []ovh.Frontend, error) {
	return []ovh.FailoverIP{{Block: "203.0.113.11/32"}}, f.frontends, f.listErr
}

func (f *feFake) CreateFrontend(_ context.Context, _ string, p ovh.Protocol, in ovh.FrontendCreate) (ovh.Frontend, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.creates = append(f.creates, in)
	return ovh.Frontend{Protocol: p, ID: 99, Port: in.Port, Zone: in.Zone}, f.createErr
}

func (f *feFake) UpdateFrontend(_ context.Context, _ string, _ ovh.Protocol, _ int64, u ovh.FrontendUpdate) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, u)
	return f.updateErr
}

func feUnitApp(t *testing.T, fake *feFake) *unitApp {
	t.Helper()
	return newUnitApp(t, Deps{UserClient: func(string) OVH { return fake }})
}

// fePost posts form to target as a signed-in user, with the CSRF cookie
// and token of a GET of the app first.
func fePost(t *testing.T, a *unitApp, target string, form url.Values, hdr map[string]string) (*httptest.ResponseRecorder, string) {
	t.Helper()
	// Sec-Fetch-Site: same-origin passes Echo's CSRF check without a
	// token (the browser vouches for the origin; STYLE §2.7).
	req := a.signedIn(t, httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec, doc := a.do(t, req, hdr)
	return rec, doc.Text()
}

func TestFrontendListPageOrFragment(t *testing.T) {
	t.Parallel()
	www := "www"
	fake := &feFake{frontends: []ovh.Frontend{{Protocol: ovh.HTTP, ID: 1, DisplayName: &www, Port: "80", Zone: "all"}}}
	tests := []struct {
		name       string
		hdr        map[string]string
		wantLayout bool
	}{
		{"address bar", nil, true},
		{"boosted", htmxBoosted, true},
		{"fragment", htmxFragment, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := feUnitApp(t, fake)
			rec, doc := a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, views.FrontendsPath(feFakeSN, ovh.HTTP), nil)), tt.hdr)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, doc.Text())
			}
			if got := doc.Find("head title").Length() > 0; got != tt.wantLayout {
				t.Errorf("layout = %v, want %v", got, tt.wantLayout)
			}
			if doc.Find(testID("frontend-row")).Length() != 1 || doc.Find(testID("iplb-page")).Length() != 1 {
				t.Error("the list inside the shell is missing")
			}
		})
	}
}

// TestFrontendErrorsMapped: an API failure on the list is the error
// handler's page (or, for a fragment request, an alert into #alerts); a
// non-validation refusal of a create is not shown as a form error.
func TestFrontendErrorsMapped(t *testing.T) {
	t.Parallel()
	down := &ovh.Error{Kind: ovh.KindUnavailable, Message: "The OVH API could not be reached."}
	a := feUnitApp(t, &feFake{listErr: down})
	rec, _ := a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, views.FrontendsPath(feFakeSN, ovh.TCP), nil)), nil)
	if rec.Code != http.StatusBadGateway {
		t.Errorf("API down: status %d, want 502", rec.Code)
	}
	rec, _ = a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, views.FrontendsPath(feFakeSN, ovh.TCP), nil)), htmxFragment)
	if rec.Code != http.StatusBadGateway || rec.Header().Get("HX-Retarget") != "#alerts" {
		t.Errorf("API down, fragment: status %d, HX-Retarget %q", rec.Code, rec.Header().Get("HX-Retarget"))
	}

	fake := &feFake{createErr: &ovh.Error{Kind: ovh.KindConflict, Status: 409, Message: "Busy", QueryID: "EU.q"}}
	a = feUnitApp(t, fake)
	rec, body := fePost(t, a, views.FrontendsPath(feFakeSN, ovh.UDP), url.Values{"port": {"53"}, "zone": {"gra"}}, nil)
	if rec.Code != http.StatusConflict || !strings.Contains(body, "Busy") {
		t.Errorf("conflict on create: status %d", rec.Code)
	}
}

// TestFrontendCreateRedirects: a valid create answers 303 to the list, or,
// for a non-boosted htmx request, 200 with HX-Redirect; the body sent is
// the form's.
func TestFrontendCreateRedirects(t *testing.T) {
	t.Parallel()
	form := url.Values{"port": {"53"}, "zone": {"gra"}, "dedicatedIpfo": {"203.0.113.11"}}
	for _, hdr := range []map[string]string{nil, htmxBoosted, htmxFragment} {
		fake := &feFake{}
		a := feUnitApp(t, fake)
		rec, _ := fePost(t, a, views.FrontendsPath(feFakeSN, ovh.UDP), form, hdr)
		list := views.FrontendsPath(feFakeSN, ovh.UDP)
		switch {
		case hdr == nil || hdr["HX-Boosted"] == "true":
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != list {
				t.Errorf("%v: %d Location %q", hdr, rec.Code, rec.Header().Get("Location"))
			}
		default:
			if rec.Code != http.StatusOK || rec.Header().Get("HX-Redirect") != list {
				t.Errorf("%v: %d HX-Redirect %q", hdr, rec.Code, rec.Header().Get("HX-Redirect"))
			}
		}
		if len(fake.creates) != 1 || len(fake.creates[0].DedicatedIPFO) != 1 || fake.creates[0].DedicatedIPFO[0] != "203.0.113.11/32" {
			t.Errorf("%v: creates = %+v", hdr, fake.creates)
		}
	}
}

// TestFrontendUpdateAPIRefusal: an API 400 on the PUT re-renders the form
// (422) with the API's message and query ID.
func TestFrontendUpdateAPIRefusal(t *testing.T) {
	t.Parallel()
	dns := "dns"
	f := ovh.Frontend{Protocol: ovh.UDP, ID: 5, DisplayName: &dns, Port: "53", Zone: "gra"}
	fake := &feFake{frontends: []ovh.Frontend{f},
		updateErr: &ovh.Error{Kind: ovh.KindInvalid, Status: 400, Message: "Port 54 is already used", QueryID: "EU.q42"}}
	a := feUnitApp(t, fake)
	orig := views.FrontendValuesOf(f)
	form := url.Values{"_snapshot": {orig.Encode()}, "displayName": {"dns"}, "port": {"54"}, "zone": {"gra"}}
	rec, body := fePost(t, a, views.FrontendPath(feFakeSN, ovh.UDP, 5), form, nil)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Port 54 is already used") || !strings.Contains(body, "EU.q42") {
		t.Errorf("status %d, body has message %v, query id %v", rec.Code, strings.Contains(body, "Port 54"), strings.Contains(body, "EU.q42"))
	}
	if len(fake.updates) != 1 || fake.updates[0].Port == nil || *fake.updates[0].Port != "54" || fake.updates[0].DisplayName != nil {
		t.Errorf("updates = %+v, want only the port", fake.updates)
	}
}

// TestFrontendUpdateWithoutSnapshot: an edit posted without the snapshot is
// a 422 that writes nothing; the re-rendered form carries the current
// values as its snapshot, so saving it again works.
func TestFrontendUpdateWithoutSnapshot(t *testing.T) {
	t.Parallel()
	dns := "dns"
	fake := &feFake{frontends: []ovh.Frontend{{Protocol: ovh.UDP, ID: 5, DisplayName: &dns, Port: "53", Zone: "gra"}}}
	a := feUnitApp(t, fake)
	req := a.signedIn(t, httptest.NewRequest(http.MethodPost, views.FrontendPath(feFakeSN, ovh.UDP, 5),
		strings.NewReader(url.Values{"port": {"54"}, "zone": {"gra"}}.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec, doc := a.do(t, req, nil)
	if rec.Code != http.StatusUnprocessableEntity || len(fake.updates) != 0 {
		t.Fatalf("status %d, %d updates", rec.Code, len(fake.updates))
	}
	if doc.Find(testID("rejected-field")+`[data-field="_snapshot"]`).Length() != 1 {
		t.Error("no message about the missing snapshot")
	}
	snap := doc.Find(`input[name="_snapshot"]`).AttrOr("value", "")
	if snap == "" || doc.Find(`[name="port"]`).AttrOr("value", "") != "54" {
		t.Fatalf("re-rendered form: snapshot %q, port %q", snap, doc.Find(`[name="port"]`).AttrOr("value", ""))
	}
	rec, _ = fePost(t, a, views.FrontendPath(feFakeSN, ovh.UDP, 5), url.Values{"_snapshot": {snap}, "displayName": {"dns"}, "port": {"54"}, "zone": {"gra"}}, nil)
	if rec.Code != http.StatusSeeOther || len(fake.updates) != 1 {
		t.Errorf("second save: status %d, %d updates", rec.Code, len(fake.updates))
	}
}
