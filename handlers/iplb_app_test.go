package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// Emulator route patterns, as it registers them (for Calls and Fail).
const (
	patLBs      = "/ipLoadbalancing"
	patLB       = "/ipLoadbalancing/{serviceName}"
	patFailover = "/ipLoadbalancing/{serviceName}/failover"
	patPending  = "/ipLoadbalancing/{serviceName}/pendingChanges"
	patRefresh  = "/ipLoadbalancing/{serviceName}/refresh"
)

// userClient returns an API client of login on app's emulator, to build
// configurations the way a script or the Control Panel would.
func (a *testApp) userClient(t *testing.T, login string) *ovh.Client {
	t.Helper()
	ck, err := a.emu.IssueConsumerKey(ovhemu.DemoAppKey, login, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return a.api.WithConsumerKey(ck)
}

// text is the whitespace-normalised text of s.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// mustGet GETs path and fails unless the answer is 200.
func (b *browser) mustGet(t *testing.T, path string, hdr ...http.Header) *goquery.Document {
	t.Helper()
	status, doc := b.get(t, path, hdr...)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, status, text(doc.Find("main")))
	}
	return doc
}

func TestIPLBListApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)

	demo := app.loginAs(t, ovhemu.DemoAccount)
	app.emu.ResetCalls()
	doc := demo.mustGet(t, views.IPLBListPath())
	rows := doc.Find(testID("iplb-row"))
	got := map[string][3]string{}
	rows.Each(func(_ int, r *goquery.Selection) {
		got[r.AttrOr("data-service", "")] = [3]string{
			text(r.Find(testID("iplb-link"))),
			text(r.Find(testID("iplb-failover"))),
			r.Find(testID("iplb-pending")+" [data-count]").AttrOr("data-count", ""),
		}
	})
	want := map[string][3]string{
		ovhemu.DemoLB:  {"prod-web", "2", "3"}, // DemoIPPinned + DemoIPUnpinned; gra 2 + rbx 1
		ovhemu.DemoLB2: {"staging", "1", "2"},  // DemoIPStaging; gra 1 + sbg 1
	}
	if len(got) != len(want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
	for sn, w := range want {
		if got[sn] != w {
			t.Errorf("row %s = %v, want %v", sn, got[sn], w)
		}
	}
	if _, ok := got[ovhemu.OtherLB]; ok || strings.Contains(doc.Text(), ovhemu.OtherLB) {
		t.Error("DemoAccount sees OtherLB")
	}
	if href := rows.First().Find(testID("iplb-link")).AttrOr("href", ""); !strings.HasPrefix(href, "/iplb/loadbalancer-") {
		t.Errorf("row link = %q", href)
	}
	if doc.Find(`[data-testid="nav-iplb"][aria-current="page"]`).Length() == 0 && doc.Find(testID("iplb-list")).Length() != 1 {
		t.Error("not the list page")
	}
	// One list, one GET per IPLB, and failover + pendingChanges per IPLB.
	for pat, n := range map[string]int{patLBs: 1, patLB: 2, patFailover: 2, patPending: 2} {
		if c := app.emu.Calls("GET", pat); c != n {
			t.Errorf("GET %s called %d times, want %d", pat, c, n)
		}
	}

	other := app.loginAs(t, ovhemu.OtherAccount)
	doc = other.mustGet(t, views.IPLBListPath())
	if n := doc.Find(testID("iplb-row")).Length(); n != 1 || doc.Find(testID("iplb-row")).AttrOr("data-service", "") != ovhemu.OtherLB {
		t.Errorf("OtherAccount rows = %d", n)
	}
	if strings.Contains(doc.Text(), ovhemu.DemoLB) {
		t.Error("OtherAccount sees DemoLB")
	}
}

// An account without load balancers gets the empty state.
func TestIPLBListEmptyApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, withEmulator(ovhemu.WithEmptySeed()))
	b := app.loginAs(t, ovhemu.DemoAccount)
	doc := b.mustGet(t, views.IPLBListPath())
	if doc.Find(testID("iplb-empty")).Length() != 1 || doc.Find(testID("iplb-row")).Length() != 0 {
		t.Errorf("no empty state: %s", text(doc.Find("main")))
	}
}

// A failure of one IPLB's counts shows in its row; the others are listed.
func TestIPLBListDegradesPerRowApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	app.emu.Fail("GET", patFailover, ovhemu.Fault{Status: http.StatusServiceUnavailable, Message: "maintenance", Times: 1})
	doc := b.mustGet(t, views.IPLBListPath())
	if n := doc.Find(testID("iplb-row")).Length(); n != 2 {
		t.Fatalf("%d rows", n)
	}
	if p := doc.Find(testID("iplb-problem")); p.Length() != 1 || !strings.Contains(p.Text(), "Failover IPs unavailable") {
		t.Errorf("problem cells: %q", text(p))
	}
}

func TestIPLBDashboardApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	doc := b.mustGet(t, views.IPLBPath(ovhemu.DemoLB))

	for id, want := range map[string]string{
		"tile-name": "prod-web", "tile-ipv4": "198.51.100.20", "tile-zones": "gra, rbx",
		"tile-vrack": ovhemu.DemoVrack, "tile-offer": "lb1", "tile-ssl": "modern", "tile-failover": "2 attached",
	} {
		if got := text(doc.Find(testID(id))); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", id, got, want)
		}
	}
	if got := text(doc.Find(testID("iplb-title"))); got != "prod-web" {
		t.Errorf("title = %q", got)
	}
	if doc.Find(testID("tab-dashboard")).AttrOr("aria-current", "") != "page" {
		t.Error("the dashboard tab is not current")
	}
	// Status: DemoLB has 3 frontends, 4 farms, 7 servers in the seed.
	if got := doc.Find(testID("status-frontends")).AttrOr("data-total", ""); got != "3" {
		t.Errorf("status frontends total = %q", got)
	}
	if got := doc.Find(testID("status-farms")).AttrOr("data-total", ""); got != "4" {
		t.Errorf("status farms total = %q", got)
	}
	if href := doc.Find(testID("status-menu")+" "+testID("status-apply")).AttrOr("href", ""); href != views.ApplyPath(ovhemu.DemoLB) {
		t.Errorf("status menu apply = %q", href)
	}
	// Tasks, newest first: the refresh of 3 days ago, then the install.
	var actions []string
	doc.Find(testID("task-row") + " td:first-child").Each(func(_ int, s *goquery.Selection) { actions = append(actions, text(s)) })
	if strings.Join(actions, ",") != "refreshIplb,installIplb" {
		t.Errorf("tasks = %v", actions)
	}
	if doc.Find(testID("task-row")+" [hx-get]").Length() != 0 {
		t.Error("finished tasks poll")
	}

	// A running refresh shows up first, and polls.
	task, err := app.userClient(t, ovhemu.DemoAccount).Refresh(context.Background(), ovhemu.DemoLB, "")
	if err != nil {
		t.Fatal(err)
	}
	doc = b.mustGet(t, views.IPLBPath(ovhemu.DemoLB))
	first := doc.Find(testID("task-row")).First()
	if first.AttrOr("data-task-id", "") != strconv.FormatInt(task.ID, 10) || first.Find("[hx-get]").AttrOr("hx-get", "") != views.RefreshTaskPath(ovhemu.DemoLB, task.ID) {
		t.Errorf("running task row: %s", text(first))
	}

	// Another account's IPLB is a 404, not a page.
	if status, _ := b.get(t, views.IPLBPath(ovhemu.OtherLB)); status != http.StatusNotFound {
		t.Errorf("OtherLB dashboard = %d, want 404", status)
	}
}

// The banner is on every IPLB page while changes are pending, with the
// seeded per-zone counts; the fragment endpoint answers it alone.
func TestPendingBannerApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	for _, path := range []string{views.IPLBPath(ovhemu.DemoLB), views.ApplyPath(ovhemu.DemoLB)} {
		doc := b.mustGet(t, path)
		banner := doc.Find("#pending-banner")
		if banner.AttrOr("data-pending", "") != "true" {
			t.Errorf("%s: no banner", path)
			continue
		}
		var zones []string
		banner.Find(testID("pending-zone")).Each(func(_ int, s *goquery.Selection) {
			zones = append(zones, s.AttrOr("data-zone", "")+"="+s.AttrOr("data-count", ""))
		})
		if strings.Join(zones, ",") != "gra=2,rbx=1" {
			t.Errorf("%s: banner zones = %v", path, zones)
		}
		// The button leads to the apply page; on that page it is left out.
		want := views.ApplyPath(ovhemu.DemoLB)
		if path == want {
			want = ""
		}
		if href := banner.Find(testID("banner-apply")).AttrOr("href", ""); href != want {
			t.Errorf("%s: banner apply link = %q, want %q", path, href, want)
		}
	}
	doc := b.mustGet(t, views.BannerPath(ovhemu.DemoLB2), htmxHeaders)
	if doc.Find("html > body > main").Length() != 0 || doc.Find("#pending-banner").Length() != 1 {
		t.Error("the banner fragment comes with a layout")
	}
	if n := doc.Find(testID("pending-zone")).Length(); n != 2 {
		t.Errorf("DemoLB2 banner zones = %d, want 2", n)
	}
	if status, _ := b.get(t, views.BannerPath(ovhemu.OtherLB), htmxHeaders); status != http.StatusNotFound {
		t.Errorf("OtherLB banner = %d, want 404", status)
	}
}

// The home page of a signed-in user lists their load balancers.
func TestHomeListsLoadBalancersApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	doc := b.mustGet(t, views.HomePath())
	if doc.Find(testID("home")).Length() != 1 {
		t.Error("the landing text is gone")
	}
	if n := doc.Find(testID("iplb-list") + " " + testID("iplb-row")).Length(); n != 2 {
		t.Errorf("%d load balancers on the home page, want 2", n)
	}
	if doc.Find(testID("iplb-list")+" h1").Length() != 0 {
		t.Error("the list brings a second h1 to the home page")
	}
}
