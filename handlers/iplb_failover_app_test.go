package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// App tests of the failover IP pages: the real console, the real client and
// go-ovh, against the emulator. Tasks move with emu.Step/Settle, never with
// time.

const (
	routeMove = "/ip/{ip}/move"
	routePark = "/ip/{ip}/park"
)

func sel(id string) string { return `[data-testid="` + id + `"]` }

// rowOf returns the list row of block.
func rowOf(doc *goquery.Document, block string) *goquery.Selection {
	return doc.Find(sel("failover-row") + `[data-block="` + block + `"]`)
}

// bannerTotal returns the pending-change total a page's (or fragment's)
// banner shows, 0 when the banner is the empty placeholder.
func bannerTotal(t *testing.T, s *goquery.Selection) int {
	t.Helper()
	b := s.Find("#pending-banner")
	if b.Length() != 1 {
		t.Fatalf("banner elements = %d, want 1", b.Length())
	}
	if b.AttrOr("data-pending", "") != "true" {
		return 0
	}
	n := 0
	b.Find(sel("pending-zone")).Each(func(_ int, z *goquery.Selection) {
		c, err := strconv.Atoi(z.AttrOr("data-count", ""))
		if err != nil {
			t.Fatalf("zone count %q: %v", z.AttrOr("data-count", ""), err)
		}
		n += c
	})
	return n
}

// userClient is the API client of b's user, to check the API's state.
func userClient(app *testApp, b *browser) *ovh.Client {
	return app.api.WithConsumerKey(b.consumerKey)
}

func TestFailoverListPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)

	status, doc := b.get(t, views.FailoverPath(ovhemu.DemoLB))
	if status != http.StatusOK {
		t.Fatalf("status = %d; %s", status, doc.Find("main").Text())
	}
	if doc.Find(sel("iplb-page")+" "+sel("failover-page")).Length() != 1 {
		t.Fatal("the list is not inside the IPLB shell")
	}
	if doc.Find(sel("tab-failover")).AttrOr("aria-current", "") != "page" {
		t.Error("the Failover IPs tab is not current")
	}
	if doc.Find(sel("failover-row")).Length() != 2 {
		t.Fatalf("rows = %d, want 2", doc.Find(sel("failover-row")).Length())
	}
	pinned := rowOf(doc, ovhemu.DemoIPPinned)
	pin := pinned.Find(sel("pin"))
	if pin.Length() != 1 || pin.Find(sel("pin-link")).Text() != "www" || pin.AttrOr("data-protocol", "") != "http" {
		t.Fatalf("pins of %s = %q", ovhemu.DemoIPPinned, pinned.Find(sel("pins")).Text())
	}
	id, _ := strconv.ParseInt(pin.AttrOr("data-frontend", ""), 10, 64)
	if href := pin.Find(sel("pin-link")).AttrOr("href", ""); href != views.EditFrontendPath(ovhemu.DemoLB, ovh.HTTP, id) {
		t.Errorf("pin link = %q", href)
	}
	if got := rowOf(doc, ovhemu.DemoIPUnpinned).Find(sel("unpinned")).Text(); !strings.Contains(got, "every frontend") {
		t.Errorf("unpinned row says %q", got)
	}

	// Another account's IPLB is not found; so is an unknown one.
	for _, sn := range []string{ovhemu.OtherLB, "loadbalancer-nope"} {
		if status, _ := b.get(t, views.FailoverPath(sn)); status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", views.FailoverPath(sn), status)
		}
	}
}

func TestFailoverListEmptyStates(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	// DemoLB2 has one IP; park it to empty the list.
	api := userClient(app, b)
	if _, err := api.ParkIP(t.Context(), ovhemu.DemoIPStaging); err != nil {
		t.Fatal(err)
	}
	app.emu.Settle()
	status, doc := b.get(t, views.FailoverPath(ovhemu.DemoLB2))
	if status != http.StatusOK || doc.Find(sel("failover-empty")).Length() != 1 {
		t.Fatalf("status %d, empty state %d", status, doc.Find(sel("failover-empty")).Length())
	}
	if href := doc.Find(sel("empty-attach-link")).AttrOr("href", ""); href != views.AttachIPPath(ovhemu.DemoLB2) {
		t.Errorf("empty state's link = %q", href)
	}

	// OtherAccount has one parked IP and no IPLB it could move to but its
	// own: once that IP is there, nothing is left to attach.
	o := app.loginAs(t, ovhemu.OtherAccount)
	oapi := userClient(app, o)
	if _, err := oapi.MoveIP(t.Context(), ovhemu.OtherIP, ovhemu.OtherLB); err != nil {
		t.Fatal(err)
	}
	app.emu.Settle()
	status, doc = o.get(t, views.AttachIPPath(ovhemu.OtherLB))
	if status != http.StatusOK || doc.Find(sel("attach-empty")).Length() != 1 {
		t.Fatalf("attach page: status %d, empty state %d; %s", status, doc.Find(sel("attach-empty")).Length(), doc.Find("main").Text())
	}
}

func TestFailoverAttachFlow(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	sn, block := ovhemu.DemoLB, ovhemu.DemoIPParked

	_, doc := b.get(t, views.FailoverPath(sn))
	before := bannerTotal(t, doc.Selection)

	// The chooser lists the IPs that can move here, with where they are.
	status, doc := b.get(t, views.AttachIPPath(sn))
	if status != http.StatusOK {
		t.Fatalf("chooser: status %d", status)
	}
	choices := map[string]*goquery.Selection{}
	doc.Find(sel("attach-choice")).Each(func(_ int, s *goquery.Selection) { choices[s.AttrOr("data-block", "")] = s })
	for _, want := range []string{ovhemu.DemoIPParked, ovhemu.DemoIPServer, ovhemu.DemoIPStaging} {
		if choices[want] == nil {
			t.Errorf("the chooser lacks %s", want)
		}
	}
	for _, not := range []string{ovhemu.DemoIPPinned, ovhemu.DemoIPUnpinned, ovhemu.DemoIPBlock, ovhemu.OtherIP} {
		if choices[not] != nil {
			t.Errorf("the chooser offers %s", not)
		}
	}
	if s := choices[ovhemu.DemoIPServer]; s == nil || !strings.Contains(s.Find(sel("choice-warning")).Text(), "cuts the traffic") {
		t.Error("no warning that moving the server's IP cuts its traffic")
	}

	// The chooser's GET form leads to the confirmation.
	status, doc = b.get(t, views.AttachIPConfirmPath(sn, block))
	if status != http.StatusOK {
		t.Fatalf("confirmation: status %d; %s", status, doc.Find("main").Text())
	}
	confirm := doc.Find(sel("attach-confirm"))
	if !strings.Contains(confirm.Find("h2").Text(), block) || !strings.Contains(confirm.Find(sel("confirm-location")).Text(), "parked") {
		t.Errorf("confirmation = %q / %q", confirm.Find("h2").Text(), confirm.Find(sel("confirm-location")).Text())
	}

	// POST moves it and leads to the task's page.
	status, _ = b.post(t, views.AttachIPPath(sn), url.Values{"ip": {block}})
	if status != http.StatusSeeOther {
		t.Fatalf("POST attach: status %d", status)
	}
	if got := app.emu.Calls("POST", routeMove); got != 1 {
		t.Fatalf("POST /ip/{ip}/move served %d times", got)
	}
	loc := b.header("Location")
	if !strings.HasPrefix(loc, strings.TrimSuffix(views.IPTaskPath(sn, block, 1), "1")) {
		t.Fatalf("redirect to %q", loc)
	}
	status, doc = b.follow(t)
	if status != http.StatusOK {
		t.Fatalf("task page: status %d", status)
	}
	badge := doc.Find(sel("ip-task-badge"))
	if badge.AttrOr("data-kind", "") != "attach" || badge.AttrOr("hx-get", "") != loc || badge.AttrOr("hx-trigger", "") != "every 2s" {
		t.Fatalf("badge kind %q hx-get %q trigger %q", badge.AttrOr("data-kind", ""), badge.AttrOr("hx-get", ""), badge.AttrOr("hx-trigger", ""))
	}
	if doc.Find(`[aria-live="polite"] `+sel("ip-task-badge")).Length() != 1 {
		t.Error("the badge is not in a live region")
	}
	if href := doc.Find(sel("ip-task-refresh")).AttrOr("href", ""); href != loc {
		t.Errorf("no-JavaScript refresh link = %q", href)
	}
	if !strings.Contains(doc.Find(sel("alerts")).Text(), "task") {
		t.Errorf("no flash about the move: %q", doc.Find(sel("alerts")).Text())
	}

	// While the move runs, the list shows it arriving.
	_, doc = b.get(t, views.FailoverPath(sn))
	if r := doc.Find(sel("incoming-row") + `[data-block="` + block + `"]`); r.Find(sel("ip-task-badge")).Length() != 1 {
		t.Error("the list does not show the move arriving")
	}

	// htmx polls the badge: a fragment, still running after one step.
	app.emu.Step()
	status, frag := b.get(t, loc, htmxHeaders)
	if status != http.StatusOK {
		t.Fatalf("poll: status %d", status)
	}
	if frag.Find("nav").Length() != 0 || frag.Find(sel("iplb-page")).Length() != 0 {
		t.Error("the poll answered a whole page, not the badge")
	}
	if got := frag.Find(sel("ip-task-badge")).AttrOr("data-status", ""); got != "doing" {
		t.Errorf("status after one step = %q, want doing", got)
	}
	if frag.Find("#pending-banner").Length() != 0 {
		t.Error("a running poll refreshes the banner")
	}

	// Done: no more polling, next steps, and the banner out of band.
	app.emu.Step()
	_, frag = b.get(t, loc, htmxHeaders)
	badge = frag.Find(sel("ip-task-badge"))
	if badge.AttrOr("data-status", "") != "done" {
		t.Fatalf("status after two steps = %q", badge.AttrOr("data-status", ""))
	}
	if _, polls := badge.Attr("hx-get"); polls {
		t.Error("a finished badge still polls")
	}
	pinHref := badge.Find(sel("next-pin")).AttrOr("href", "")
	u, err := url.Parse(pinHref)
	if err != nil || u.Path != views.NewFrontendPath(sn, ovh.HTTP) || u.Query().Get("ipfo") != block {
		t.Errorf("pin link = %q", pinHref)
	}
	if href := badge.Find(sel("next-apply")).AttrOr("href", ""); href != views.ApplyPath(sn) {
		t.Errorf("apply link = %q", href)
	}
	oob := frag.Find("#pending-banner")
	if oob.AttrOr("hx-swap-oob", "") != "true" {
		t.Fatalf("no out-of-band banner in the finished fragment")
	}
	if after := bannerTotal(t, frag.Selection); after <= before {
		t.Errorf("banner total after the move = %d, before %d: the move is a pending change", after, before)
	}

	// The list has the IP, unpinned, and nothing arriving.
	_, doc = b.get(t, views.FailoverPath(sn))
	row := rowOf(doc, block)
	if row.Length() != 1 || row.Find(sel("unpinned")).Length() != 1 || row.Find(sel("ip-task-badge")).Length() != 0 {
		t.Errorf("row of %s = %q", block, row.Text())
	}
	if doc.Find(sel("incoming-row")).Length() != 0 {
		t.Error("the move still shows as arriving")
	}
	// Without JavaScript the task page says the same.
	_, doc = b.get(t, loc)
	if doc.Find(sel("ip-task-next-steps")).Length() != 1 || bannerTotal(t, doc.Selection) <= before {
		t.Error("the task page after the move lacks the next steps or the banner")
	}
}

func TestFailoverAttachTaskFails(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	const why = "The IP could not be routed: destination unreachable"
	app.emu.FailNextTask("genericMoveFloatingIp", why)

	b.get(t, views.AttachIPConfirmPath(ovhemu.DemoLB, ovhemu.DemoIPParked))
	if status, _ := b.post(t, views.AttachIPPath(ovhemu.DemoLB), url.Values{"ip": {ovhemu.DemoIPParked}}); status != http.StatusSeeOther {
		t.Fatalf("POST attach: status %d", status)
	}
	loc := b.header("Location")
	app.emu.Settle()
	_, frag := b.get(t, loc, htmxHeaders)
	badge := frag.Find(sel("ip-task-badge"))
	if badge.AttrOr("data-status", "") != string(ovh.IPTaskOVHError) {
		t.Fatalf("status = %q", badge.AttrOr("data-status", ""))
	}
	if got := strings.TrimSpace(badge.Find(sel("ip-task-comment")).Text()); got != why {
		t.Errorf("comment = %q, want %q", got, why)
	}
	if _, polls := badge.Attr("hx-get"); polls || badge.Find(sel("ip-task-next-steps")).Length() != 0 {
		t.Error("a failed badge polls or offers next steps")
	}
	// The IP is still parked, not in the list.
	_, doc := b.get(t, views.FailoverPath(ovhemu.DemoLB))
	if rowOf(doc, ovhemu.DemoIPParked).Length() != 0 {
		t.Error("the IP of a failed move is listed")
	}
}

func TestFailoverDetachFlow(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	sn, block := ovhemu.DemoLB, ovhemu.DemoIPPinned
	path := views.DetachIPPath(sn, block)

	_, doc := b.get(t, views.FailoverPath(sn))
	if href := rowOf(doc, block).Find(sel("detach-link")).AttrOr("href", ""); href != path {
		t.Fatalf("detach link = %q, want %q", href, path)
	}
	status, doc := b.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("confirmation: status %d; %s", status, doc.Find("main").Text())
	}
	fronts := doc.Find(sel("detach-frontend"))
	if fronts.Length() != 1 || fronts.Find("a").Text() != "www" || fronts.AttrOr("data-protocol", "") != "http" {
		t.Errorf("the confirmation names %q", fronts.Text())
	}
	if !strings.Contains(doc.Find(sel("detach-parking")).Text(), "parks") {
		t.Error("the confirmation does not explain parking")
	}
	if app.emu.Calls("POST", routePark) != 0 {
		t.Fatal("the confirmation page parked the IP")
	}

	status, _ = b.post(t, path, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("POST detach: status %d", status)
	}
	loc := b.header("Location")
	_, doc = b.follow(t)
	if k := doc.Find(sel("ip-task-badge")).AttrOr("data-kind", ""); k != "detach" {
		t.Errorf("badge kind = %q", k)
	}
	app.emu.Settle()
	_, frag := b.get(t, loc, htmxHeaders)
	if frag.Find(sel("ip-task-badge")).AttrOr("data-status", "") != "done" || frag.Find(`#pending-banner[hx-swap-oob="true"]`).Length() != 1 {
		t.Errorf("finished park fragment: %q", frag.Text())
	}

	_, doc = b.get(t, views.FailoverPath(sn))
	if rowOf(doc, block).Length() != 0 {
		t.Error("the parked IP is still listed")
	}
	fs, err := userClient(app, b).Frontends(t.Context(), sn, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		for _, ip := range f.DedicatedIPFO {
			if ip == block {
				t.Errorf("frontend %s still pins %s", f.Name(), block)
			}
		}
	}
}

// TestFailoverBadInput: bad choices get a clear 4xx and never reach a write
// of the API.
func TestFailoverBadInput(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	sn := ovhemu.DemoLB
	tests := []struct {
		name       string
		method     string
		path       string
		form       url.Values
		wantStatus int
		wantText   string
	}{
		{"attach: no choice", "POST", views.AttachIPPath(sn), url.Values{}, 422, "Choose"},
		{"attach: empty choice", "POST", views.AttachIPPath(sn), url.Values{"ip": {""}}, 422, "Choose"},
		{"attach: bogus block", "POST", views.AttachIPPath(sn), url.Values{"ip": {"not-an-ip"}}, 422, "not an IP"},
		{"attach: another account's IP", "POST", views.AttachIPPath(sn), url.Values{"ip": {ovhemu.OtherIP}}, 422, "not one of your"},
		{"attach: a /29", "POST", views.AttachIPPath(sn), url.Values{"ip": {ovhemu.DemoIPBlock}}, 422, "cannot move"},
		{"attach: already here", "POST", views.AttachIPPath(sn), url.Values{"ip": {ovhemu.DemoIPUnpinned}}, 422, "already attached"},
		{"confirm: another account's IP", "GET", views.AttachIPConfirmPath(sn, ovhemu.OtherIP), nil, 422, "not one of your"},
		{"confirm: bogus block", "GET", views.AttachIPConfirmPath(sn, "1.2.3"), nil, 422, "not an IP"},
		{"attach: another account's IPLB", "POST", views.AttachIPPath(ovhemu.OtherLB), url.Values{"ip": {ovhemu.DemoIPParked}}, 404, ""},
		{"detach: another account's IP", "POST", views.DetachIPPath(sn, ovhemu.OtherIP), nil, 404, "not a failover IP of this load balancer"},
		{"detach: an IP elsewhere", "POST", views.DetachIPPath(sn, ovhemu.DemoIPStaging), nil, 404, "not a failover IP of this load balancer"},
		{"detach: bogus block", "POST", views.DetachIPPath(sn, "bogus"), nil, 400, "not an IP"},
		{"detach page: an IP elsewhere", "GET", views.DetachIPPath(sn, ovhemu.DemoIPParked), nil, 404, "not a failover IP of this load balancer"},
		{"detach page: another account's IP", "GET", views.DetachIPPath(sn, ovhemu.OtherIP), nil, 404, "not a failover IP of this load balancer"},
		{"task: bogus id", "GET", views.FailoverPath(sn) + "/" + url.PathEscape(ovhemu.DemoIPParked) + "/task/x", nil, 404, ""},
		{"task: unknown task", "GET", views.IPTaskPath(sn, ovhemu.DemoIPParked, 999999), nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.get(t, views.FailoverPath(sn)) // a page with a CSRF token
			var status int
			var doc *goquery.Document
			if tt.method == "POST" {
				status, doc = b.post(t, tt.path, tt.form)
			} else {
				status, doc = b.get(t, tt.path)
			}
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; %s", status, tt.wantStatus, doc.Find("main").Text())
			}
			if !strings.Contains(doc.Find("main").Text(), tt.wantText) {
				t.Errorf("page does not say %q: %s", tt.wantText, doc.Find("main").Text())
			}
			if tt.wantStatus == 422 {
				if doc.Find(sel("attach-error")).Length() != 1 {
					t.Error("422 without the chooser's field error")
				}
				if v := tt.form.Get("ip"); v != "" && doc.Find(`input[name=ip][checked]`).AttrOr("value", "") != v && doc.Find(`input[name=ip][value="`+v+`"]`).Length() > 0 {
					t.Error("the re-rendered chooser lost the choice")
				}
			}
		})
	}
	if n := app.emu.Calls("POST", routeMove) + app.emu.Calls("POST", routePark); n != 0 {
		t.Errorf("bad input reached the API: %d writes", n)
	}
}

// TestFailoverAPIRefusal: the API's refusal of a move or a park shows its
// message and query ID on the confirmation page.
func TestFailoverAPIRefusal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		route      string
		path       string
		form       url.Values
		fault      ovhemu.Fault
		wantStatus int
		wantPage   string
	}{
		{"move 500", routeMove, views.AttachIPPath(ovhemu.DemoLB), url.Values{"ip": {ovhemu.DemoIPParked}},
			ovhemu.Fault{Status: 500, Message: "Internal failure of the IP routing service"}, http.StatusBadGateway, "attach-confirm"},
		{"move 400", routeMove, views.AttachIPPath(ovhemu.DemoLB), url.Values{"ip": {ovhemu.DemoIPParked}},
			ovhemu.Fault{Status: 400, Message: "This IP is locked by an ongoing operation"}, http.StatusBadRequest, "attach-confirm"},
		{"move 409", routeMove, views.AttachIPPath(ovhemu.DemoLB), url.Values{"ip": {ovhemu.DemoIPServer}},
			ovhemu.Fault{Status: 409, Message: "A move of this IP is already in progress"}, http.StatusConflict, "attach-confirm"},
		{"park 409", routePark, views.DetachIPPath(ovhemu.DemoLB, ovhemu.DemoIPUnpinned), nil,
			ovhemu.Fault{Status: 409, Message: "A move of this IP is already in progress"}, http.StatusConflict, "detach-confirm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			app.emu.Fail("POST", tt.route, tt.fault)
			b.get(t, views.FailoverPath(ovhemu.DemoLB))
			status, doc := b.post(t, tt.path, tt.form)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; %s", status, tt.wantStatus, doc.Find("main").Text())
			}
			page := doc.Find(sel(tt.wantPage))
			if page.Length() != 1 {
				t.Fatalf("not the %s page: %s", tt.wantPage, doc.Find("main").Text())
			}
			alert := page.Find(`[data-testid="alert"][data-kind="error"]`)
			if got := alert.Find(sel("alert-message")).Text(); got != tt.fault.Message {
				t.Errorf("message = %q, want %q", got, tt.fault.Message)
			}
			if q := alert.Find(sel("query-id") + " code").Text(); q == "" {
				t.Error("no query ID")
			}
			if app.emu.Calls("POST", tt.route) != 1 {
				t.Errorf("%s served %d times, want 1", tt.route, app.emu.Calls("POST", tt.route))
			}
		})
	}
}

// addHTTPFrontends gives DemoLB n more HTTP frontends, half of them pinning
// DemoIPUnpinned.
func addHTTPFrontends(t testing.TB, api *ovh.Client, n int) {
	t.Helper()
	for i := range n {
		in := ovh.FrontendCreate{Port: strconv.Itoa(10000 + i), Zone: "all", DisplayName: ptrTo(fmt.Sprintf("extra-%02d", i))}
		if i%2 == 0 {
			in.DedicatedIPFO = []string{ovhemu.DemoIPUnpinned}
		}
		if _, err := api.CreateFrontend(context.Background(), ovhemu.DemoLB, ovh.HTTP, in); err != nil {
			t.Fatal(err)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// inflight counts the requests in flight through it and keeps the maximum.
type inflight struct {
	base     http.RoundTripper
	mu       sync.Mutex
	now, max int
}

func (c *inflight) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.now++
	c.max = max(c.max, c.now)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	return c.base.RoundTrip(r)
}

// countingApp is a test app whose users' clients send through an inflight
// counter.
func countingApp(t *testing.T) (*testApp, *inflight) {
	t.Helper()
	counter := &inflight{base: http.DefaultTransport}
	var endpoint string
	app := newTestApp(t, withUserClient(func(ck string) OVH {
		c, err := ovh.New(ovh.Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret,
			ConsumerKey: ck, Timeout: 20 * time.Second, HTTPClient: &http.Client{Transport: counter}})
		if err != nil {
			panic(err) // the same config as the app's own client, which New accepted
		}
		return c
	}))
	endpoint = app.endpoint
	return app, counter
}

// TestFailoverPageCalls: the list page fetches each frontend and each IP's
// task list once, runs them concurrently, and fetches no IP one by one.
func TestFailoverPageCalls(t *testing.T) {
	t.Parallel()
	app, counter := countingApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := userClient(app, b)
	addHTTPFrontends(t, api, 20)
	blocks, err := api.IPBlocks(t.Context(), ovh.IPFilter{Type: ovh.IPTypeFailover})
	if err != nil {
		t.Fatal(err)
	}
	// Latency makes concurrent calls overlap, so that the counter sees them.
	app.emu.SetLatency("GET", "*", 5*time.Millisecond)
	app.emu.ResetCalls()
	status, doc := b.get(t, views.FailoverPath(ovhemu.DemoLB))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if n := rowOf(doc, ovhemu.DemoIPUnpinned).Find(sel("pin")).Length(); n != 10 {
		t.Errorf("%s pinned by %d frontends, want 10", ovhemu.DemoIPUnpinned, n)
	}
	for _, tt := range []struct {
		pattern string
		want    int
	}{
		{"/ipLoadbalancing/{serviceName}/http/frontend/{frontendId}", 21},
		{"/ipLoadbalancing/{serviceName}/http/frontend", 1},
		{"/ipLoadbalancing/{serviceName}/tcp/frontend/{frontendId}", 1},
		{"/ipLoadbalancing/{serviceName}/udp/frontend/{frontendId}", 1},
		{"/ipLoadbalancing/{serviceName}/failover", 1},
		{"/ipLoadbalancing/{serviceName}", 1},
		{"/ipLoadbalancing/{serviceName}/pendingChanges", 1},
		{"/ip", 1},
		{"/ip/{ip}/task", len(blocks)},
		{"/ip/{ip}", 0},
	} {
		if got := app.emu.Calls("GET", tt.pattern); got != tt.want {
			t.Errorf("GET %s: %d calls, want %d", tt.pattern, got, tt.want)
		}
	}
	if counter.max < 4 {
		t.Errorf("at most %d requests in flight: the page fetches one after another", counter.max)
	}
}

// BenchmarkFailoverPage prints the list page's time at an injected latency
// of 10 ms per API call, with DemoLB's 3 frontends and with 20 more: the
// page costs a few sequential round trips whatever the number of
// frontends, so both figures should be close (about 5 round trips, ~50 ms).
//
//	go test ./handlers -run '^$' -bench BenchmarkFailoverPage -benchtime 20x
func BenchmarkFailoverPage(b *testing.B) {
	const seeded = 3 // DemoLB's HTTP, TCP and UDP frontends
	pageBench{unit: "frontends", sizes: []int{seeded, seeded + 20}, latency: 10 * time.Millisecond,
		setup: func(b *testing.B, env *benchEnv, n int) (Deps, string) {
			addHTTPFrontends(b, env.user, n-seeded)
			return Deps{API: env.api}, views.FailoverPath(ovhemu.DemoLB)
		}}.run(b)
}

// TestFailoverMoveNoticeGoes: the "Moving … once the move is done" flash
// shown above the task's badge is removed out of band when the polled
// badge reports the task finished; a badge polled without the notice on
// its page (the list, a reload) sends no removal, which would find no
// target (htmx logs that as an error); and a task already finished when
// its page is first shown does not show the stale notice at all.
func TestFailoverMoveNoticeGoes(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	sn, block := ovhemu.DemoLB, ovhemu.DemoIPParked

	b.get(t, views.AttachIPConfirmPath(sn, block))
	if status, _ := b.post(t, views.AttachIPPath(sn), url.Values{"ip": {block}}); status != http.StatusSeeOther {
		t.Fatalf("POST attach: status %d", status)
	}
	loc := b.header("Location")
	_, doc := b.follow(t)
	badge := doc.Find(sel("ip-task-badge"))
	id, _ := strconv.ParseInt(badge.AttrOr("data-task", ""), 10, 64)
	noticeSel := "#" + views.IPMoveNoticeID(id)
	if n := doc.Find(sel("alerts") + " " + noticeSel); n.Length() != 1 || !strings.Contains(n.Text(), "once the move is done") {
		t.Fatalf("task page: no move notice %s in the alerts: %q", noticeSel, doc.Find(sel("alerts")).Text())
	}
	// The poll carries what htmx sends: the badge's hx-vals as query.
	var vals map[string]string
	if err := json.Unmarshal([]byte(badge.AttrOr("hx-vals", "")), &vals); err != nil || vals["notice"] == "" {
		t.Fatalf("the badge under the notice does not say so: hx-vals %q", badge.AttrOr("hx-vals", ""))
	}
	q := url.Values{}
	for k, v := range vals {
		q.Set(k, v)
	}
	poll := loc + "?" + q.Encode()

	app.emu.Step()
	_, frag := b.get(t, poll, htmxHeaders)
	if frag.Find(sel("ip-task-badge")).AttrOr("data-status", "") != "doing" || frag.Find(noticeSel).Length() != 0 {
		t.Fatalf("running poll: status %q, removal sent %v", frag.Find(sel("ip-task-badge")).AttrOr("data-status", ""), frag.Find(noticeSel).Length() != 0)
	}
	if frag.Find(sel("ip-task-badge")).AttrOr("hx-vals", "") != badge.AttrOr("hx-vals", "") {
		t.Error("the running badge forgot the notice: the next poll would not remove it")
	}

	app.emu.Step()
	_, frag = b.get(t, poll, htmxHeaders)
	if frag.Find(sel("ip-task-badge")).AttrOr("data-status", "") != "done" {
		t.Fatalf("status after two steps = %q", frag.Find(sel("ip-task-badge")).AttrOr("data-status", ""))
	}
	if got := frag.Find(noticeSel).AttrOr("hx-swap-oob", ""); got != "delete" {
		t.Errorf("finished poll: the notice is not removed out of band (hx-swap-oob %q)", got)
	}
	if frag.Find(`#pending-banner[hx-swap-oob="true"]`).Length() != 1 {
		t.Error("finished poll: the banner is no longer sent out of band")
	}
	// Polled without the notice (the list's badge): no removal.
	_, frag = b.get(t, loc, htmxHeaders)
	if frag.Find(noticeSel).Length() != 0 {
		t.Error("a poll without the notice on its page sends its removal")
	}

	// A move already done when its page is first shown: no stale notice.
	b.get(t, views.AttachIPConfirmPath(sn, ovhemu.DemoIPStaging))
	if status, _ := b.post(t, views.AttachIPPath(sn), url.Values{"ip": {ovhemu.DemoIPStaging}}); status != http.StatusSeeOther {
		t.Fatalf("POST attach of %s: status %d", ovhemu.DemoIPStaging, status)
	}
	app.emu.Settle()
	_, doc = b.follow(t)
	if doc.Find(sel("ip-task-badge")).AttrOr("data-status", "") != "done" {
		t.Fatalf("second move not done: %q", doc.Find(sel("ip-task-badge")).AttrOr("data-status", ""))
	}
	if strings.Contains(doc.Find(sel("alerts")).Text(), "once the move is done") {
		t.Errorf("a finished move's page shows the stale notice: %q", doc.Find(sel("alerts")).Text())
	}
}
