package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// checks returns the pre-flight checks of an apply page: id → "true"/"false".
func checks(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(testID("check")).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-check", "")] = s.AttrOr("data-ok", "")
	})
	return out
}

// wantChecks fails unless exactly the checks in failing fail.
func wantChecks(t *testing.T, doc *goquery.Document, failing ...string) {
	t.Helper()
	got := checks(doc)
	if len(got) != 4 {
		t.Fatalf("checks = %v, want 4", got)
	}
	for id, ok := range got {
		if want := strconv.FormatBool(!slices.Contains(failing, id)); ok != want {
			t.Errorf("check %s ok = %s, want %s", id, ok, want)
		}
	}
	warn := doc.Find(testID("apply-warning"))
	if (warn.Length() == 1) != (len(failing) > 0) {
		t.Errorf("warning shown = %v with %d failures", warn.Length() == 1, len(failing))
	}
}

// frontendIDByName returns the id of sn's frontend named name.
func frontendIDByName(t *testing.T, c *ovh.Client, sn string, p ovh.Protocol, name string) int64 {
	t.Helper()
	fs, err := c.Frontends(context.Background(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name() == name {
			return f.ID
		}
	}
	t.Fatalf("no %s frontend %q on %s", p, name, sn)
	return 0
}

// alertTexts are the flash messages of a page.
func alertTexts(doc *goquery.Document) string { return text(doc.Find("#alerts")) }

// DemoLB2's invalid frontend shows with its reason and a link to its edit
// page; the other checks pass.
func TestApplyPreflightDemoLB2App(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	doc := b.mustGet(t, views.ApplyPath(ovhemu.DemoLB2))
	wantChecks(t, doc, "valid")
	problem := doc.Find(`[data-check="valid"] ` + testID("problem"))
	if problem.Length() != 1 {
		t.Fatalf("problems: %q", text(doc.Find(testID("preflight"))))
	}
	if got := text(problem.Find(testID("problem-reason"))); got != `HTTP frontend "legacy-api" has no default farm, redirection or route with rules` {
		t.Errorf("reason = %q", got)
	}
	id := frontendIDByName(t, app.userClient(t, ovhemu.DemoAccount), ovhemu.DemoLB2, ovh.HTTP, "legacy-api")
	if href := problem.Find(testID("problem-link")).AttrOr("href", ""); href != views.EditFrontendPath(ovhemu.DemoLB2, ovh.HTTP, id) {
		t.Errorf("link = %q, want the edit page of frontend %d", href, id)
	}
	if got := text(doc.Find(testID("apply-submit"))); got != "Apply anyway (1 failure)" {
		t.Errorf("button = %q", got)
	}
	if doc.Find(testID("tab-apply")).AttrOr("aria-current", "") != "page" {
		t.Error("the apply tab is not current")
	}
}

// Each failure of the guide that the emulator lets us build, through the
// API as a script or the Control Panel would; the others (a vRack without
// network, a farm in a vRack network on an IPLB outside any vRack) are
// refused by the emulator and covered by internal/ovh's CheckPreflight
// tests.
func TestApplyPreflightFailuresApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("farm outside the vRack", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		api := app.userClient(t, ovhemu.DemoAccount)
		farm, err := api.CreateFarm(ctx, ovhemu.DemoLB, ovh.TCP, ovh.FarmCreate{Zone: "gra", DisplayName: ptrTo("outside")})
		if err != nil {
			t.Fatal(err)
		}
		b := app.loginAs(t, ovhemu.DemoAccount)
		doc := b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
		wantChecks(t, doc, "vrack")
		p := doc.Find(`[data-check="vrack"] ` + testID("problem"))
		if got := text(p.Find(testID("problem-reason"))); got != `TCP farm "outside" is not in a vRack network while the Load Balancer is in vRack `+ovhemu.DemoVrack {
			t.Errorf("reason = %q", got)
		}
		if href := p.Find(testID("problem-link")).AttrOr("href", ""); href != views.EditFarmPath(ovhemu.DemoLB, ovh.TCP, farm.ID) {
			t.Errorf("link = %q", href)
		}
		// Trying anyway: the API refuses, and says why.
		status, doc := b.post(t, views.ApplyPath(ovhemu.DemoLB), url.Values{"zone": {"gra", "rbx"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("apply = %d, want 422", status)
		}
		refused := doc.Find(testID("apply-refused"))
		if !strings.Contains(text(refused), "is not attached to a vRack network") || text(refused.Find(testID("query-id"))) == "" {
			t.Errorf("refusal = %q", text(refused))
		}
	})

	t.Run("farm in a vRack network outside a vRack is refused by the API", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		api := app.userClient(t, ovhemu.DemoAccount)
		_, err := api.CreateFarm(ctx, ovhemu.DemoLB2, ovh.HTTP, ovh.FarmCreate{Zone: "gra", VRackNetworkID: ptrTo[int64](1)})
		if ovh.KindOf(err) != ovh.KindInvalid {
			t.Errorf("farm in a vRack network on an IPLB outside any vRack: %v, want KindInvalid (then build it by hand in CheckPreflight's tests)", err)
		}
	})

	t.Run("no frontend", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		api := app.userClient(t, ovhemu.DemoAccount)
		for _, name := range []string{"staging", "legacy-api"} {
			if err := api.DeleteFrontend(ctx, ovhemu.DemoLB2, ovh.HTTP, frontendIDByName(t, api, ovhemu.DemoLB2, ovh.HTTP, name)); err != nil {
				t.Fatal(err)
			}
		}
		b := app.loginAs(t, ovhemu.DemoAccount)
		doc := b.mustGet(t, views.ApplyPath(ovhemu.DemoLB2))
		wantChecks(t, doc, "frontends")
		p := doc.Find(`[data-check="frontends"] ` + testID("problem"))
		if href := p.Find(testID("problem-link")).AttrOr("href", ""); href != views.NewFrontendPath(ovhemu.DemoLB2, ovh.HTTP) {
			t.Errorf("link = %q", href)
		}
	})

	t.Run("refresh already running", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		task, err := app.userClient(t, ovhemu.DemoAccount).Refresh(ctx, ovhemu.DemoLB, "gra")
		if err != nil {
			t.Fatal(err)
		}
		b := app.loginAs(t, ovhemu.DemoAccount)
		doc := b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
		wantChecks(t, doc, "no-refresh")
		p := doc.Find(`[data-check="no-refresh"] ` + testID("problem"))
		if href := p.Find(testID("problem-link")).AttrOr("href", ""); href != views.RefreshTaskPath(ovhemu.DemoLB, task.ID) {
			t.Errorf("link = %q", href)
		}
		running := doc.Find(testID("apply-running") + " " + testID("refresh-task"))
		if running.Length() != 1 || running.Find(testID("started-by")).Length() != 0 {
			t.Errorf("running (started outside the console): %q", text(running))
		}
	})
}

// The whole apply: pre-flight passes, Apply starts one refresh of every
// zone, the progress fragment polls until done, then the banner is gone.
func TestApplyFlowApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	sn := ovhemu.DemoLB

	doc := b.mustGet(t, views.ApplyPath(sn))
	wantChecks(t, doc)
	zones := map[string]string{}
	doc.Find(testID("zone")).Each(func(_ int, s *goquery.Selection) {
		in := s.Find("input")
		_, checked := in.Attr("checked")
		zones[in.AttrOr("value", "")] = s.Find(testID("zone-pending")).AttrOr("data-count", "") + "/" + strconv.FormatBool(checked)
	})
	if zones["gra"] != "2/true" || zones["rbx"] != "1/true" || len(zones) != 2 {
		t.Errorf("zones = %v", zones)
	}

	app.emu.ResetCalls()
	status, _ := b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "rbx"}})
	if status != http.StatusSeeOther || b.header("Location") != views.ApplyPath(sn) {
		t.Fatalf("apply = %d to %q", status, b.header("Location"))
	}
	if n := app.emu.Calls("POST", patRefresh); n != 1 {
		t.Errorf("refresh called %d times", n)
	}
	_, doc = b.follow(t)
	if !strings.Contains(alertTexts(doc), "Refresh started for every zone") {
		t.Errorf("alerts = %q", alertTexts(doc))
	}
	task := doc.Find(testID("apply-running") + " " + testID("refresh-task"))
	if task.Length() != 1 {
		t.Fatalf("running: %q", text(doc.Find(testID("apply-running"))))
	}
	if got := text(task.Find(testID("refresh-zones"))); got != "gra, rbx" {
		t.Errorf("task zones = %q", got)
	}
	if got := text(task.Find(testID("started-by"))); got != "Started by "+ovhemu.DemoAccount+" just now" {
		t.Errorf("started by = %q", got)
	}
	poll := task.Find(testID("task-progress")).AttrOr("hx-get", "")
	if poll == "" {
		t.Fatal("the running task does not poll")
	}
	if doc.Find("#pending-banner").AttrOr("data-pending", "") != "true" {
		t.Error("the banner went before the refresh ended")
	}

	// Follow the task as htmx would, one emulator step at a time.
	var statuses []string
	for range 5 {
		frag := b.mustGet(t, poll, htmxHeaders)
		p := frag.Find(testID("task-progress"))
		statuses = append(statuses, p.AttrOr("data-status", ""))
		if _, polling := p.Attr("hx-get"); !polling {
			banner := frag.Find("#pending-banner")
			if banner.AttrOr("hx-swap-oob", "") != "true" || banner.AttrOr("data-pending", "") != "false" {
				t.Errorf("the final fragment lacks the emptied OOB banner (%d found)", banner.Length())
			}
			break
		}
		if frag.Find("#pending-banner").Length() != 0 {
			t.Error("a running task's fragment carries the banner")
		}
		app.emu.Step()
	}
	if strings.Join(statuses, ",") != "todo,doing,done" {
		t.Errorf("statuses seen = %v", statuses)
	}
	doc = b.mustGet(t, views.IPLBPath(sn))
	if doc.Find("#pending-banner").AttrOr("data-pending", "") != "false" || doc.Find(testID("pending-zone")).Length() != 0 {
		t.Error("the banner is still there after the refresh")
	}
	doc = b.mustGet(t, views.ApplyPath(sn))
	if got := text(doc.Find(testID("last-refresh"))); !strings.Contains(got, "done") {
		t.Errorf("last refresh = %q", got)
	}
	// Without htmx the task path is a page in the IPLB shell.
	doc = b.mustGet(t, poll)
	if doc.Find(testID("iplb-page")+" "+testID("task-page")).Length() != 1 {
		t.Error("the task page lacks the shell")
	}
}

// Chosen zones: one refresh per zone, with the zone in its body; the
// other zones stay pending.
func TestApplyOneZoneApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
	if status, _ := b.post(t, views.ApplyPath(ovhemu.DemoLB), url.Values{"zone": {"rbx"}}); status != http.StatusSeeOther {
		t.Fatalf("apply = %d", status)
	}
	_, doc := b.follow(t)
	if got := text(doc.Find(testID("refresh-zones"))); got != "rbx" {
		t.Errorf("task zones = %q", got)
	}
	app.emu.Settle()
	doc = b.mustGet(t, views.IPLBPath(ovhemu.DemoLB))
	var zones []string
	doc.Find(testID("pending-zone")).Each(func(_ int, s *goquery.Selection) { zones = append(zones, s.AttrOr("data-zone", "")) })
	if strings.Join(zones, ",") != "gra" {
		t.Errorf("pending after refreshing rbx = %v, want gra", zones)
	}
}

// Zones are checked before anything reaches the API: a 422 that keeps the
// choice.
func TestApplyZoneValidationApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
	for _, tt := range []struct {
		name  string
		zones []string
		want  string
	}{
		{name: "none", want: "Choose at least one zone"},
		{name: "unknown", zones: []string{"gra", "bhs"}, want: `"bhs" is not a zone`},
		{name: "twice", zones: []string{"gra", "gra"}, want: "chosen twice"},
	} {
		app.emu.ResetCalls()
		status, doc := b.post(t, views.ApplyPath(ovhemu.DemoLB), url.Values{"zone": tt.zones})
		if status != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find(testID("zone-error"))), tt.want) {
			t.Errorf("%s: %d %q", tt.name, status, text(doc.Find(testID("zone-error"))))
		}
		if n := app.emu.Calls("POST", patRefresh); n != 0 {
			t.Errorf("%s: refresh called", tt.name)
		}
		if _, kept := doc.Find(testID("zone-gra")).Attr("checked"); kept != slices.Contains(tt.zones, "gra") {
			t.Errorf("%s: gra ticked = %v", tt.name, kept)
		}
	}
}

// The API's refusals: DemoLB2's invalid frontend (400) and an injected
// 409, each with the API's message and query ID; a refresh task that ends
// in error shows its status, and its changes stay pending.
func TestApplyRefusedApp(t *testing.T) {
	t.Parallel()

	t.Run("invalid frontend", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.loginAs(t, ovhemu.DemoAccount)
		b.mustGet(t, views.ApplyPath(ovhemu.DemoLB2))
		status, doc := b.post(t, views.ApplyPath(ovhemu.DemoLB2), url.Values{"zone": {"gra", "sbg"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("apply = %d, want 422", status)
		}
		refused := doc.Find(testID("apply-refused"))
		if msg := text(refused.Find(testID("alert-message"))); !strings.Contains(msg, `Frontend`) || !strings.Contains(msg, "legacy-api") {
			t.Errorf("message = %q", msg)
		}
		if qid := text(refused.Find(testID("query-id"))); qid == "" {
			t.Error("no query ID")
		}
		if app.emu.Calls("POST", patRefresh) != 1 || doc.Find(testID("refresh-task")).Length() != 0 {
			t.Error("want one refused call and nothing running")
		}
		if doc.Find("#pending-banner").AttrOr("data-pending", "") != "true" {
			t.Error("the banner went")
		}
	})

	t.Run("injected 409", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.loginAs(t, ovhemu.DemoAccount)
		b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
		app.emu.Fail("POST", patRefresh, ovhemu.Fault{Status: http.StatusConflict, Message: "Another refresh is in progress", Times: 1})
		status, _ := b.post(t, views.ApplyPath(ovhemu.DemoLB), url.Values{"zone": {"gra", "rbx"}})
		if status != http.StatusSeeOther {
			t.Fatalf("apply = %d, want 303", status)
		}
		_, doc := b.follow(t)
		alerts := alertTexts(doc)
		if !strings.Contains(alerts, "already running") || !strings.Contains(alerts, "Another refresh is in progress") || !strings.Contains(alerts, "query ID ") {
			t.Errorf("alerts = %q", alerts)
		}
	})

	t.Run("task ends in error", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.loginAs(t, ovhemu.DemoAccount)
		b.mustGet(t, views.ApplyPath(ovhemu.DemoLB))
		app.emu.FailNextTask("refreshIplb", "injected failure")
		if status, _ := b.post(t, views.ApplyPath(ovhemu.DemoLB), url.Values{"zone": {"gra", "rbx"}}); status != http.StatusSeeOther {
			t.Fatalf("apply = %d", status)
		}
		_, doc := b.follow(t)
		poll := doc.Find(testID("refresh-task")+" "+testID("task-progress")).AttrOr("hx-get", "")
		app.emu.Settle()
		frag := b.mustGet(t, poll, htmxHeaders)
		p := frag.Find(testID("task-progress"))
		if p.AttrOr("data-status", "") != "error" || p.Find(testID("task-failed")).Length() != 1 {
			t.Errorf("failed task: %q", text(p))
		}
		if _, polling := p.Attr("hx-get"); polling {
			t.Error("a failed task still polls")
		}
		if frag.Find("#pending-banner").AttrOr("data-pending", "") != "true" {
			t.Error("after a failed refresh the banner should still show the pending changes")
		}
	})
}

// Two people of one account (the account and its IAM user) press Apply on
// the same IPLB at the same moment: one refresh, and the other sees who
// started it.
func TestApplyDoubleApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	sn := ovhemu.DemoLB
	logins := []string{ovhemu.DemoAccount, ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser}
	browsers := make([]*browser, len(logins))
	for i, l := range logins {
		browsers[i] = app.loginAs(t, l)
		browsers[i].mustGet(t, views.ApplyPath(sn)) // the form, with its CSRF token
	}
	app.emu.ResetCalls()
	var wg sync.WaitGroup
	statuses := make([]int, len(browsers))
	for i, b := range browsers {
		wg.Go(func() {
			statuses[i], _ = b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "rbx"}})
		})
	}
	wg.Wait()
	if n := app.emu.Calls("POST", patRefresh); n != 1 {
		t.Fatalf("refresh POSTed %d times, want 1", n)
	}
	var starter string
	var others []int
	for i, b := range browsers {
		if statuses[i] != http.StatusSeeOther {
			t.Fatalf("%s: apply = %d", logins[i], statuses[i])
		}
		_, doc := b.follow(t)
		if strings.Contains(alertTexts(doc), "Refresh started") {
			starter = logins[i]
		} else {
			others = append(others, i)
		}
	}
	if starter == "" || len(others) != 1 {
		t.Fatalf("starter %q, others %v", starter, others)
	}
	b := browsers[others[0]]
	// The loser's flash was shown on the page it followed to; the page
	// itself shows the running refresh with who started it.
	doc := b.mustGet(t, views.ApplyPath(sn))
	if got := text(doc.Find(testID("refresh-task") + " " + testID("started-by"))); got != "Started by "+starter+" just now" {
		t.Errorf("%s sees %q", logins[others[0]], got)
	}
	// A third press, later, from the same tab: still one refresh.
	app.clock.Advance(3 * 60e9)
	if status, _ := b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "rbx"}}); status != http.StatusSeeOther {
		t.Fatal("third apply")
	}
	_, doc = b.follow(t)
	if !strings.Contains(alertTexts(doc), "already running (started by "+starter+" 3 min ago)") {
		t.Errorf("alerts = %q", alertTexts(doc))
	}
	if n := app.emu.Calls("POST", patRefresh); n != 1 {
		t.Errorf("refresh POSTed %d times, want 1", n)
	}
}
