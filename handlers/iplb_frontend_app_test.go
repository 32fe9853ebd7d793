package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// App tests of the frontend pages: the real console, go-ovh and the
// emulator, through a signed-in browser.

// feRoute is the emulator's pattern of a frontend route, for emu.Calls.
func feRoute(p ovh.Protocol, withID bool) string {
	r := "/ipLoadbalancing/{serviceName}/" + string(p) + "/frontend"
	if withID {
		r += "/{frontendId}"
	}
	return r
}

// feFormValues returns what a browser would submit for the form sel, with
// its default button: text, hidden and url inputs, ticked checkboxes,
// selected options, text areas.
func feFormValues(sel *goquery.Selection) url.Values {
	v := url.Values{}
	sel.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		switch in.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, on := in.Attr("checked"); on {
				v.Add(name, in.AttrOr("value", "on"))
			}
		case "submit", "button":
		default:
			v.Add(name, in.AttrOr("value", ""))
		}
	})
	sel.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]").First()
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v.Add(s.AttrOr("name", ""), opt.AttrOr("value", opt.Text()))
	})
	sel.Find("textarea[name]").Each(func(_ int, ta *goquery.Selection) {
		v.Add(ta.AttrOr("name", ""), ta.Text())
	})
	return v
}

// feClient is the user's own API client, to look at the emulator through
// the API as the console does.
func feClient(app *testApp, b *browser) *ovh.Client { return app.api.WithConsumerKey(b.consumerKey) }

// feFarmID returns the id of the farm of proto named name on sn.
func feFarmID(t *testing.T, c *ovh.Client, sn string, p ovh.Protocol, name string) int64 {
	t.Helper()
	farms, err := c.Farms(context.Background(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range farms {
		if f.Name() == name {
			return f.ID
		}
	}
	t.Fatalf("no %s farm %q on %s", p, name, sn)
	return 0
}

// feFind returns the frontend of proto named name on sn, or fails.
func feFind(t *testing.T, c *ovh.Client, sn string, p ovh.Protocol, name string) ovh.Frontend {
	t.Helper()
	fs, err := c.Frontends(context.Background(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name() == name {
			return f
		}
	}
	t.Fatalf("no %s frontend %q on %s", p, name, sn)
	return ovh.Frontend{}
}

func feRowNamed(doc *goquery.Document, name string) *goquery.Selection {
	return doc.Find(testID("frontend-row")).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find(testID("frontend-name")).Text()) == name
	})
}

func feText(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// fePending returns the banner's number of changes not applied, all zones.
func fePending(t *testing.T, doc *goquery.Document) int {
	t.Helper()
	banner := doc.Find(testID("pending-banner"))
	if banner.Length() != 1 {
		t.Fatal("no pending banner on the page")
	}
	n := 0
	banner.Find(testID("pending-zone")).Each(func(_ int, z *goquery.Selection) {
		c, err := strconv.Atoi(z.AttrOr("data-count", ""))
		if err != nil {
			t.Fatalf("banner zone count %q", z.AttrOr("data-count", ""))
		}
		n += c
	})
	return n
}

// TestAppFrontendCreatePinned walks the guide's flow for each protocol:
// open the new-frontend form, pin DemoIPUnpinned in the advanced settings,
// add; the list shows the frontend with its IP and the banner the pending
// change; the API holds dedicatedIpfo ["203.0.113.11/32"].
func TestAppFrontendCreatePinned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto    ovh.Protocol
		zone     string
		farm     string
		port     string
		pinnedTo string // the other frontend pinning DemoIPPinned, as the option says
	}{
		{ovh.HTTP, "all", "web", "8080", "also pinned to www (HTTP)"},
		{ovh.TCP, "gra", "postgres", "6432", "also pinned to www (HTTP)"},
		{ovh.UDP, "rbx", "dns", "5353", "also pinned to www (HTTP)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			api := feClient(app, b)
			sn := ovhemu.DemoLB

			status, doc := b.get(t, views.NewFrontendPath(sn, tt.proto))
			if status != http.StatusOK {
				t.Fatalf("new form = %d: %s", status, feText(doc.Find("main")))
			}
			if doc.Find(testID("iplb-page")).Length() != 1 || doc.Find(testID("pending-banner")).Length() != 1 {
				t.Error("the form is not inside the IPLB shell")
			}
			opt := doc.Find(testID("ip-option") + `[data-ip="` + ovhemu.DemoIPPinned + `"]`)
			if got := feText(opt.Find(testID("ip-used-by"))); got != tt.pinnedTo {
				t.Errorf("%s option says %q, want %q", ovhemu.DemoIPPinned, got, tt.pinnedTo)
			}
			if _, open := doc.Find(testID("frontend-advanced")).Attr("open"); open {
				t.Error("advanced settings open on an empty new form")
			}
			pendingBefore := fePending(t, doc)
			if got := doc.Find(testID("frontend-ips-field") + " " + testID("ip-option")).Length(); got != 2 {
				t.Errorf("IP options = %d, want 2 (the failover IPs routed to %s)", got, sn)
			}

			farm := feFarmID(t, api, sn, tt.proto, tt.farm)
			form := feFormValues(doc.Find(testID("frontend-form")))
			form.Set("displayName", "pinned-"+string(tt.proto))
			form.Set("port", tt.port)
			form.Set("zone", tt.zone)
			form.Set("defaultFarmId", strconv.FormatInt(farm, 10))
			form.Set("dedicatedIpfo", ovhemu.DemoIPUnpinned)
			status, doc = b.post(t, views.FrontendsPath(sn, tt.proto), form)
			if status != http.StatusSeeOther {
				t.Fatalf("create = %d: %s", status, feText(doc.Find("main")))
			}
			if got := b.header("Location"); got != views.FrontendsPath(sn, tt.proto) {
				t.Errorf("Location = %q", got)
			}

			status, doc = b.follow(t)
			if status != http.StatusOK {
				t.Fatalf("list = %d", status)
			}
			row := feRowNamed(doc, "pinned-"+string(tt.proto))
			if row.Length() != 1 {
				t.Fatalf("the list has no row for the new frontend: %s", feText(doc.Find(testID("frontend-table"))))
			}
			if got := feText(row.Find(testID("frontend-ip"))); got != ovhemu.DemoIPUnpinned {
				t.Errorf("row IPs = %q", got)
			}
			if row.Find(testID("frontend-validity")).AttrOr("data-valid", "") != "true" {
				t.Errorf("new frontend with a default farm is not valid: %s", feText(row.Find(testID("frontend-validity"))))
			}
			if got := feText(row.Find(testID("frontend-farm"))); got != tt.farm {
				t.Errorf("row farm = %q", got)
			}
			flash := feText(doc.Find(testID("alerts")))
			if !strings.Contains(flash, "added") || !strings.Contains(flash, "not applied yet") {
				t.Errorf("flash = %q", flash)
			}
			if after := fePending(t, doc); after <= pendingBefore {
				t.Errorf("banner: %d changes pending after the creation, %d before", after, pendingBefore)
			}

			f := feFind(t, api, sn, tt.proto, "pinned-"+string(tt.proto))
			if !slices.Equal(f.DedicatedIPFO, []string{"203.0.113.11/32"}) || f.Port != tt.port || f.Zone != tt.zone ||
				f.DefaultFarmID == nil || *f.DefaultFarmID != farm {
				t.Errorf("API frontend = %+v", f)
			}
		})
	}
}

// TestAppFrontendNewWithIPFO: ?ipfo= ticks the IP and opens the advanced
// settings; an IP not routed to the IPLB is not ticked and the page says so.
func TestAppFrontendNewWithIPFO(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	status, doc := b.get(t, views.NewFrontendWithIPPath(ovhemu.DemoLB, ovh.TCP, "203.0.113.11"))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	box := doc.Find(`input[name="dedicatedIpfo"][value="` + ovhemu.DemoIPUnpinned + `"]`)
	if _, on := box.Attr("checked"); !on {
		t.Error("?ipfo did not tick the IP")
	}
	if _, open := doc.Find(testID("frontend-advanced")).Attr("open"); !open {
		t.Error("advanced settings closed with an IP ticked")
	}
	_, doc = b.get(t, views.NewFrontendWithIPPath(ovhemu.DemoLB, ovh.TCP, ovhemu.DemoIPParked))
	if doc.Find(`input[name="dedicatedIpfo"][checked]`).Length() != 0 || !strings.Contains(feText(doc.Find(testID("form-notice"))), "not routed") {
		t.Errorf("a parked IP: notice %q", feText(doc.Find(testID("form-notice"))))
	}
}

// TestAppFrontendEditIPs edits the IP list of DemoLB's "www" (pinned to
// DemoIPPinned): add a second IP, remove the first, clear the list; each
// save sends only dedicatedIpfo, and clearing leaves the API's list null.
func TestAppFrontendEditIPs(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, b)
	sn := ovhemu.DemoLB
	www := feFind(t, api, sn, ovh.HTTP, "www")
	edit := views.EditFrontendPath(sn, ovh.HTTP, www.ID)

	steps := []struct {
		name string
		ips  []string
		want []string
	}{
		{"add a second", []string{ovhemu.DemoIPPinned, ovhemu.DemoIPUnpinned}, []string{ovhemu.DemoIPPinned, ovhemu.DemoIPUnpinned}},
		{"remove one", []string{ovhemu.DemoIPUnpinned}, []string{ovhemu.DemoIPUnpinned}},
		{"clear", nil, nil},
	}
	for _, st := range steps {
		status, doc := b.get(t, edit)
		if status != http.StatusOK {
			t.Fatalf("%s: edit form = %d", st.name, status)
		}
		form := feFormValues(doc.Find(testID("frontend-form")))
		form["dedicatedIpfo"] = st.ips
		before := app.emu.Calls("PUT", feRoute(ovh.HTTP, true))
		status, doc = b.post(t, views.FrontendPath(sn, ovh.HTTP, www.ID), form)
		if status != http.StatusSeeOther {
			t.Fatalf("%s: save = %d: %s", st.name, status, feText(doc.Find("main")))
		}
		if got := app.emu.Calls("PUT", feRoute(ovh.HTTP, true)) - before; got != 1 {
			t.Errorf("%s: %d PUTs, want 1", st.name, got)
		}
		f := feFind(t, api, sn, ovh.HTTP, "www")
		if !slices.Equal(f.DedicatedIPFO, st.want) {
			t.Errorf("%s: API dedicatedIpfo = %#v, want %#v", st.name, f.DedicatedIPFO, st.want)
		}
		// Nothing else changed.
		if f.Port != www.Port || !slices.Equal(f.HTTPHeader, www.HTTPHeader) || *f.DefaultFarmID != *www.DefaultFarmID {
			t.Errorf("%s: other fields changed: %+v", st.name, f)
		}
		_, doc = b.follow(t)
		row := feRowNamed(doc, "www")
		var shown []string
		row.Find(testID("frontend-ip")).Each(func(_ int, s *goquery.Selection) { shown = append(shown, s.Text()) })
		if !slices.Equal(shown, st.want) {
			t.Errorf("%s: list shows %v", st.name, shown)
		}
		if st.want == nil && row.Find(testID("frontend-ips-all")).Length() != 1 {
			t.Errorf("%s: the list does not say the frontend serves every IP", st.name)
		}
	}
	// The edit form of a frontend without pins (nor any other advanced
	// setting: DemoLB's UDP "dns") starts with the advanced settings
	// closed; www's is open (it has pins again below).
	dns := feFind(t, api, sn, ovh.UDP, "dns")
	_, doc := b.get(t, views.EditFrontendPath(sn, ovh.UDP, dns.ID))
	if _, open := doc.Find(testID("frontend-advanced")).Attr("open"); open {
		t.Error("advanced settings open for a frontend without pins")
	}
}

// TestAppFrontendValidation: each bad input is a 422 that marks the field
// and keeps what was typed, and nothing is written to the API.
func TestAppFrontendValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, b)
	sn := ovhemu.DemoLB
	www := feFind(t, api, sn, ovh.HTTP, "www")

	tests := []struct {
		name  string
		proto ovh.Protocol
		edit  bool
		set   map[string]string
		field string // the field marked aria-invalid; "" = a rejected field listed at the top
		kept  string // a value of field that must be kept in the page
		rej   string // the rejected field
	}{
		{name: "bad port", proto: ovh.HTTP, set: map[string]string{"port": "eighty"}, field: "port", kept: "eighty"},
		{name: "port out of range", proto: ovh.TCP, set: map[string]string{"port": "80,50000"}, field: "port", kept: "80,50000"},
		{name: "bad CIDR", proto: ovh.HTTP, set: map[string]string{"allowedSource": "198.51.100.0/24\n10.0.0.300/8"}, field: "allowedSource", kept: "198.51.100.0/24\n10.0.0.300/8"},
		{name: "allowed and denied", proto: ovh.TCP, set: map[string]string{"allowedSource": "198.51.100.0/24", "deniedSource": "192.0.2.0/24"}, field: "deniedSource", kept: "192.0.2.0/24"},
		{name: "unknown zone", proto: ovh.UDP, set: map[string]string{"zone": "bhs"}, field: "zone", kept: "bhs"},
		{name: "field of another protocol", proto: ovh.UDP, set: map[string]string{"hsts": "on"}, rej: "hsts"},
		{name: "bad redirect", proto: ovh.HTTP, set: map[string]string{"redirectLocation": "example.com"}, field: "redirectLocation", kept: "example.com"},
		{name: "edit: bad port", proto: ovh.HTTP, edit: true, set: map[string]string{"port": "0"}, field: "port", kept: "0"},
		{name: "edit: both sources", proto: ovh.HTTP, edit: true, set: map[string]string{"allowedSource": "198.51.100.0/24", "deniedSource": "192.0.2.0/24"}, field: "allowedSource", kept: "198.51.100.0/24"},
		{name: "edit: field of another protocol", proto: ovh.HTTP, edit: true, set: map[string]string{"vrackNetworkId": "3"}, rej: "vrackNetworkId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, target := views.NewFrontendPath(sn, tt.proto), views.FrontendsPath(sn, tt.proto)
			if tt.edit {
				page, target = views.EditFrontendPath(sn, tt.proto, www.ID), views.FrontendPath(sn, tt.proto, www.ID)
			}
			_, doc := b.get(t, page)
			form := feFormValues(doc.Find(testID("frontend-form")))
			if !tt.edit {
				form.Set("displayName", "typed name")
				form.Set("port", "8443")
			}
			for k, v := range tt.set {
				form.Set(k, v)
			}
			writes := app.emu.Calls("POST", feRoute(tt.proto, false)) + app.emu.Calls("PUT", feRoute(tt.proto, true))
			status, doc := b.post(t, target, form)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", status)
			}
			if got := app.emu.Calls("POST", feRoute(tt.proto, false)) + app.emu.Calls("PUT", feRoute(tt.proto, true)); got != writes {
				t.Errorf("%d API writes, want none", got-writes)
			}
			if doc.Find(testID("iplb-page")).Length() != 1 || doc.Find(testID("frontend-form")).Length() != 1 {
				t.Fatal("the 422 is not the form page")
			}
			if tt.field != "" {
				el := doc.Find(`[name="` + tt.field + `"]`)
				if el.AttrOr("aria-invalid", "") != "true" || doc.Find(testID("error-"+tt.field)).Length() != 1 {
					t.Errorf("%s not marked: aria-invalid=%q", tt.field, el.AttrOr("aria-invalid", ""))
				}
				got := el.AttrOr("value", "")
				switch {
				case el.Is("textarea"):
					got = el.Text()
				case el.Is("select"):
					got = el.Find("option[selected]").AttrOr("value", "")
				}
				if got != tt.kept {
					t.Errorf("%s kept as %q, want %q", tt.field, got, tt.kept)
				}
			} else if rej := doc.Find(testID("rejected-field") + `[data-field="` + tt.rej + `"]`); rej.Length() != 1 {
				t.Errorf("rejected field %s not listed: %s", tt.rej, feText(doc.Find(testID("form-field-errors"))))
			}
			if !tt.edit {
				if got := doc.Find(`[name="displayName"]`).AttrOr("value", ""); got != "typed name" {
					t.Errorf("typed name not kept: %q", got)
				}
			}
		})
	}
	if f := feFind(t, api, sn, ovh.HTTP, "www"); f.Port != www.Port || f.AllowedSource != nil {
		t.Errorf("www changed: %+v", f)
	}
}

// TestAppFrontendAPIRefusal: the API's 400 is a 422 with its message and
// query ID, and the form keeps what was typed.
func TestAppFrontendAPIRefusal(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	app.emu.Fail("POST", feRoute(ovh.HTTP, false), ovhemu.Fault{Status: http.StatusBadRequest, Message: "Frontend quota reached for this Load Balancer", Times: 1})

	_, doc := b.get(t, views.NewFrontendPath(ovhemu.DemoLB, ovh.HTTP))
	form := feFormValues(doc.Find(testID("frontend-form")))
	form.Set("port", "8081")
	form.Set("displayName", "refused")
	status, doc := b.post(t, views.FrontendsPath(ovhemu.DemoLB, ovh.HTTP), form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422", status)
	}
	if got := feText(doc.Find(testID("form-error"))); !strings.Contains(got, "Frontend quota reached for this Load Balancer") {
		t.Errorf("form error = %q", got)
	}
	if qid := feText(doc.Find(testID("form-query-id") + " code")); qid == "" {
		t.Error("no query ID")
	}
	if got := doc.Find(`[name="port"]`).AttrOr("value", ""); got != "8081" {
		t.Errorf("port not kept: %q", got)
	}
	if app.emu.Calls("POST", feRoute(ovh.HTTP, false)) != 1 {
		t.Errorf("POST calls = %d, want 1", app.emu.Calls("POST", feRoute(ovh.HTTP, false)))
	}
}

// TestAppFrontendConcurrentEdit: two people edit "www" from forms opened
// at the same time. Different fields: both changes are kept, and the
// second is told. The same field: 409 with both values, nothing
// overwritten; saving the 409 form again applies the second person's value.
func TestAppFrontendConcurrentEdit(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.loginAs(t, ovhemu.DemoAccount)
	bob := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, alice)
	sn := ovhemu.DemoLB
	www := feFind(t, api, sn, ovh.HTTP, "www")
	edit, target := views.EditFrontendPath(sn, ovh.HTTP, www.ID), views.FrontendPath(sn, ovh.HTTP, www.ID)

	open := func(b *browser) url.Values {
		t.Helper()
		_, doc := b.get(t, edit)
		return feFormValues(doc.Find(testID("frontend-form")))
	}

	// Different fields.
	fa, fb := open(alice), open(bob)
	fa.Set("displayName", "www-alice")
	if status, _ := alice.post(t, target, fa); status != http.StatusSeeOther {
		t.Fatalf("alice = %d", status)
	}
	fb.Set("port", "80,443,8443")
	if status, doc := bob.post(t, target, fb); status != http.StatusSeeOther {
		t.Fatalf("bob = %d: %s", status, feText(doc.Find("main")))
	}
	f := feFind(t, api, sn, ovh.HTTP, "www-alice")
	if f.Port != "80,443,8443" {
		t.Errorf("port = %q: bob's change lost", f.Port)
	}
	_, doc := bob.follow(t)
	if warn := feText(doc.Find(testID("alerts"))); !strings.Contains(warn, "Someone else changed this frontend") || !strings.Contains(warn, "name") {
		t.Errorf("bob is not told about alice's change: %q", warn)
	}

	// The same field.
	fa, fb = open(alice), open(bob)
	fa.Set("displayName", "theirs")
	if status, _ := alice.post(t, target, fa); status != http.StatusSeeOther {
		t.Fatalf("alice = %d", status)
	}
	puts := app.emu.Calls("PUT", feRoute(ovh.HTTP, true))
	fb.Set("displayName", "mine")
	status, doc := bob.post(t, target, fb)
	if status != http.StatusConflict {
		t.Fatalf("bob same field = %d, want 409", status)
	}
	if app.emu.Calls("PUT", feRoute(ovh.HTTP, true)) != puts {
		t.Error("the conflicting edit was written")
	}
	c := doc.Find(testID("conflict") + `[data-field="displayName"]`)
	if feText(c.Find(testID("conflict-current"))) != "theirs" || feText(c.Find(testID("conflict-yours"))) != "mine" {
		t.Errorf("conflict row = %q", feText(c))
	}
	if got := doc.Find(`[name="displayName"]`).AttrOr("value", ""); got != "mine" {
		t.Errorf("bob's typed value not kept: %q", got)
	}
	if got := feFind(t, api, sn, ovh.HTTP, "theirs"); got.ID != www.ID {
		t.Error("alice's name was overwritten")
	}
	// Bob saves again, knowingly.
	status, doc = bob.post(t, target, feFormValues(doc.Find(testID("frontend-form"))))
	if status != http.StatusSeeOther {
		t.Fatalf("bob again = %d: %s", status, feText(doc.Find("main")))
	}
	if got := feFind(t, api, sn, ovh.HTTP, "mine"); got.ID != www.ID || got.Port != "80,443,8443" {
		t.Errorf("after override: %+v", got)
	}
}

// TestAppFrontendDelete: the confirmation names the frontend, its pinned
// IP and its routes; the POST deletes it and the list shows the banner.
func TestAppFrontendDelete(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, b)
	sn := ovhemu.DemoLB
	www := feFind(t, api, sn, ovh.HTTP, "www")

	_, doc := b.get(t, views.FrontendsPath(sn, ovh.HTTP))
	pendingBefore := fePending(t, doc)
	link := feRowNamed(doc, "www").Find(testID("frontend-delete")).AttrOr("href", "")
	status, doc := b.get(t, link)
	if status != http.StatusOK {
		t.Fatalf("confirmation = %d", status)
	}
	if !strings.Contains(doc.Find("h2").Text(), "www") || feText(doc.Find(testID("delete-ip"))) != ovhemu.DemoIPPinned {
		t.Errorf("confirmation = %q", feText(doc.Find(testID("frontend-delete-page"))))
	}
	if got := doc.Find(testID("delete-route")).Length(); got != 2 {
		t.Errorf("routes named = %d, want 2", got)
	}
	if app.emu.Calls("DELETE", feRoute(ovh.HTTP, true)) != 0 {
		t.Fatal("the confirmation page deleted")
	}

	status, _ = b.post(t, doc.Find(testID("frontend-delete-form")).AttrOr("action", ""), feFormValues(doc.Find(testID("frontend-delete-form"))))
	if status != http.StatusSeeOther {
		t.Fatalf("delete = %d", status)
	}
	_, doc = b.follow(t)
	if feRowNamed(doc, "www").Length() != 0 {
		t.Error("www still listed")
	}
	if !strings.Contains(feText(doc.Find(testID("alerts"))), "deleted") {
		t.Errorf("after delete: alerts %q", feText(doc.Find(testID("alerts"))))
	}
	if after := fePending(t, doc); after <= pendingBefore {
		t.Errorf("banner: %d changes pending after the deletion, %d before", after, pendingBefore)
	}
	if _, err := api.Frontend(context.Background(), sn, ovh.HTTP, www.ID); ovh.KindOf(err) != ovh.KindNotFound {
		t.Errorf("API still has www: %v", err)
	}
	// The deleted frontend's pages are 404s.
	if status, _ := b.get(t, views.EditFrontendPath(sn, ovh.HTTP, www.ID)); status != http.StatusNotFound {
		t.Errorf("edit of a deleted frontend = %d", status)
	}
}

// TestAppFrontendListStates: DemoLB2's HTTP list shows its invalid frontend
// with the reason; an unknown protocol is a 404; an empty protocol shows
// the empty state; htmx boosted navigation gets the whole page.
func TestAppFrontendListStates(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)

	status, doc := b.get(t, views.FrontendsPath(ovhemu.DemoLB2, ovh.HTTP))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	invalid := doc.Find(testID("frontend-validity") + `[data-valid="false"]`)
	if invalid.Length() == 0 || !strings.Contains(feText(invalid.Find(testID("frontend-reason"))), "has no default farm") {
		t.Errorf("DemoLB2's invalid frontend not shown: %q", feText(doc.Find(testID("frontend-table"))))
	}
	if doc.Find(testID("tab-frontends")).AttrOr("aria-current", "") != "page" {
		t.Error("the shell's Frontends tab is not current")
	}
	if status, _ := b.get(t, "/iplb/"+ovhemu.DemoLB+"/frontends/sctp"); status != http.StatusNotFound {
		t.Errorf("unknown protocol = %d", status)
	}
	if status, _ := b.get(t, "/iplb/"+ovhemu.DemoLB+"/frontends/http/abc/edit"); status != http.StatusNotFound {
		t.Errorf("bad id = %d", status)
	}
	_, doc = b.get(t, views.FrontendsPath(ovhemu.DemoLB2, ovh.UDP), http.Header{"Hx-Request": {"true"}, "Hx-Boosted": {"true"}})
	if doc.Find("head title").Length() == 0 {
		t.Error("boosted navigation did not get the whole page")
	}
	if doc.Find(testID("frontend-empty")).Length() == 0 && doc.Find(testID("frontend-row")).Length() == 0 {
		t.Error("neither rows nor the empty state")
	}
	// Another account's IPLB is not found.
	if status, _ := b.get(t, views.FrontendsPath(ovhemu.OtherLB, ovh.HTTP)); status != http.StatusNotFound {
		t.Errorf("another account's IPLB = %d", status)
	}
}

// TestAppFrontendZoneRefresh: the zone select asks the form page again
// with ?zone=; the farm field then offers the farms of that zone.
func TestAppFrontendZoneRefresh(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	_, doc := b.get(t, views.NewFrontendPath(ovhemu.DemoLB, ovh.TCP)+"?zone=rbx", http.Header{"Hx-Request": {"true"}})
	if doc.Find("head title").Length() != 0 {
		t.Error("the htmx request got the whole page")
	}
	if got := doc.Find("#fe-farm-field " + testID("farm-option")).Length(); got != 0 {
		t.Errorf("zone rbx offers %d TCP farms, want 0 (postgres is in gra)", got)
	}
	_, doc = b.get(t, views.NewFrontendPath(ovhemu.DemoLB, ovh.TCP)+"?zone=gra", http.Header{"Hx-Request": {"true"}})
	if got := doc.Find("#fe-farm-field " + testID("farm-option")).Length(); got != 1 {
		t.Errorf("zone gra offers %d TCP farms, want 1", got)
	}
}

// feSeedFrontends adds HTTP frontends to DemoLB2 until it has n.
func feSeedFrontends(t testing.TB, api *ovh.Client, n int) {
	t.Helper()
	ctx := context.Background()
	have, err := api.Frontends(ctx, ovhemu.DemoLB2, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(have); i < n; i++ {
		name := fmt.Sprintf("bench-%d", i)
		if _, err := api.CreateFrontend(ctx, ovhemu.DemoLB2, ovh.HTTP, ovh.FrontendCreate{Port: strconv.Itoa(10000 + i), Zone: "all", DisplayName: &name}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAppFrontendListScales prints the list page's time at 20 ms of
// injected API latency with 2 and 20 frontends (no timed assertion), and
// checks that each frontend is fetched once, in parallel with the farms and
// routes: the call count grows by one per frontend, nothing else.
func TestAppFrontendListScales(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, b)
	path := views.FrontendsPath(ovhemu.DemoLB2, ovh.HTTP)

	measure := func(n int) (time.Duration, int) {
		feSeedFrontends(t, api, n)
		b.get(t, path) // warm the session's client
		app.emu.ResetCalls()
		app.emu.SetLatency("*", "*", 20*time.Millisecond)
		defer app.emu.SetLatency("*", "*", 0)
		best := time.Duration(1 << 62)
		const runs = 3
		for range runs {
			start := time.Now()
			if status, _ := b.get(t, path); status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			best = min(best, time.Since(start))
		}
		if got := app.emu.Calls("GET", feRoute(ovh.HTTP, true)); got != runs*n {
			t.Errorf("%d frontends: %d frontend GETs over %d pages, want %d (each fetched once)", n, got, runs, runs*n)
		}
		return best, app.emu.Calls("*", "*") / runs
	}
	t2, calls2 := measure(2)
	t20, calls20 := measure(20)
	t.Logf("frontends page at 20ms API latency: 2 frontends %v (%d calls), 20 frontends %v (%d calls), ratio %.2f",
		t2, calls2, t20, calls20, float64(t20)/float64(t2))
	if calls20-calls2 != 18 {
		t.Errorf("calls per page: %d with 2 frontends, %d with 20; want 18 more (one per frontend)", calls2, calls20)
	}
}

// TestAppGuideFlowThroughFrontends walks OVH's guide "Router une IP
// Failover" through the console's pages, for each protocol: attach the
// parked failover IP, wait for the move, follow "Pin it to a frontend" to
// the new-frontend form (switching protocol, the IP still ticked), add the
// frontend with the IP pinned, see the banner, pass the pre-flight, apply,
// follow the refresh to done: the banner is gone and the API has the pin.
func TestAppGuideFlowThroughFrontends(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto ovh.Protocol
		zone  string
		farm  string
	}{
		{ovh.HTTP, "all", "web"},
		{ovh.TCP, "gra", "postgres"},
		{ovh.UDP, "rbx", "dns"},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			api := feClient(app, b)
			sn, ip := ovhemu.DemoLB, ovhemu.DemoIPParked

			// Attach, and let the move finish.
			b.get(t, views.AttachIPConfirmPath(sn, ip))
			if status, _ := b.post(t, views.AttachIPPath(sn), url.Values{"ip": {ip}}); status != http.StatusSeeOther {
				t.Fatalf("attach: status %d", status)
			}
			taskPage := b.header("Location")
			app.emu.Settle()
			_, doc := b.get(t, taskPage)
			pin := doc.Find(testID("next-pin")).AttrOr("href", "")
			if pin == "" {
				t.Fatalf("no pin link after the move: %s", feText(doc.Find("main")))
			}

			// The form, on the protocol of this run, with the IP ticked.
			_, doc = b.get(t, pin)
			if tt.proto != ovh.HTTP {
				_, doc = b.get(t, doc.Find(testID("protocol-tab")+`[data-protocol="`+string(tt.proto)+`"]`).AttrOr("href", ""))
			}
			if _, on := doc.Find(`input[name="dedicatedIpfo"][value="` + ip + `"]`).Attr("checked"); !on {
				t.Fatalf("%s is not ticked on the %s form", ip, tt.proto)
			}
			form := feFormValues(doc.Find(testID("frontend-form")))
			form.Set("displayName", "guide")
			form.Set("port", "7000")
			form.Set("zone", tt.zone)
			form.Set("defaultFarmId", strconv.FormatInt(feFarmID(t, api, sn, tt.proto, tt.farm), 10))
			if status, doc := b.post(t, views.FrontendsPath(sn, tt.proto), form); status != http.StatusSeeOther {
				t.Fatalf("create: status %d: %s", status, feText(doc.Find("main")))
			}
			_, doc = b.follow(t)
			if got := feText(feRowNamed(doc, "guide").Find(testID("frontend-ip"))); got != ip {
				t.Errorf("list: guide pins %q", got)
			}
			if fePending(t, doc) == 0 {
				t.Fatal("no pending change in the banner after the creation")
			}

			// Pre-flight, apply, follow the refresh to its end.
			_, doc = b.get(t, views.ApplyPath(sn))
			doc.Find(testID("check")).Each(func(_ int, c *goquery.Selection) {
				if c.AttrOr("data-ok", "") != "true" {
					t.Errorf("pre-flight check %s fails: %s", c.AttrOr("data-check", ""), feText(c))
				}
			})
			apply := doc.Find(testID("apply-form"))
			if status, doc := b.post(t, apply.AttrOr("action", ""), feFormValues(apply)); status != http.StatusSeeOther {
				t.Fatalf("apply: status %d: %s", status, feText(doc.Find("main")))
			}
			app.emu.Settle()
			_, doc = b.get(t, views.FrontendsPath(sn, tt.proto))
			if doc.Find(testID("pending-banner")).AttrOr("data-pending", "") != "false" {
				t.Errorf("banner still pending after the refresh: %s", feText(doc.Find(testID("pending-banner"))))
			}
			if f := feFind(t, api, sn, tt.proto, "guide"); !slices.Equal(f.DedicatedIPFO, []string{ip}) {
				t.Errorf("API dedicatedIpfo = %v", f.DedicatedIPFO)
			}
		})
	}
}

// BenchmarkFrontendListPage prints the frontends page's time with 2 and 20
// HTTP frontends when every API call takes 20 ms, and the ratio: a few
// round trips whatever the number (the client's bound of 8 objects in
// flight adds one per 8 frontends), never one per frontend. Run:
// go test ./handlers -run '^$' -bench FrontendListPage
func BenchmarkFrontendListPage(b *testing.B) {
	pageBench{unit: "frontends", sizes: []int{2, 20}, latency: 20 * time.Millisecond,
		setup: func(b *testing.B, env *benchEnv, n int) (Deps, string) {
			feSeedFrontends(b, env.user, n)
			return Deps{API: env.api}, views.FrontendsPath(ovhemu.DemoLB2, ovh.HTTP)
		}}.run(b)
}
