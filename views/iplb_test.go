package views

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views/components"
)

func strp(s string) *string { return &s }

const testSN = "loadbalancer-a1b2c3d4e5f60718"

func TestPendingBanner(t *testing.T) {
	t.Parallel()
	pending := []ovh.PendingChange{{Zone: "rbx", Number: 1}, {Zone: "gra", Number: 2}, {Zone: "sbg", Number: 0}}
	tests := []struct {
		name        string
		banner      PendingBannerModel
		oob         bool
		wantPending bool
		wantZones   []string // zone:count, in order
		wantTotal   string
	}{
		{name: "pending", banner: NewPendingBanner(testSN, pending), wantPending: true, wantZones: []string{"gra:2", "rbx:1"}, wantTotal: "3 changes"},
		{name: "pending OOB", banner: NewPendingBanner(testSN, pending), oob: true, wantPending: true, wantZones: []string{"gra:2", "rbx:1"}, wantTotal: "3 changes"},
		{name: "one change", banner: NewPendingBanner(testSN, []ovh.PendingChange{{Zone: "gra", Number: 1}}), wantPending: true, wantZones: []string{"gra:1"}, wantTotal: "1 change"},
		{name: "nothing pending", banner: NewPendingBanner(testSN, nil)},
		{name: "only zero counts", banner: NewPendingBanner(testSN, []ovh.PendingChange{{Zone: "gra"}})},
		{name: "nothing pending OOB", banner: NewPendingBanner(testSN, nil), oob: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := PendingBanner(tt.banner)
			if tt.oob {
				c = PendingBannerOOB(tt.banner)
			}
			doc, html := render(t, context.Background(), c)
			b := doc.Find("#pending-banner")
			if b.Length() != 1 {
				t.Fatalf("want one #pending-banner, got %d in %s", b.Length(), html)
			}
			if b.AttrOr("data-testid", "") != "pending-banner" || b.AttrOr("aria-live", "") != "polite" {
				t.Errorf("banner lacks data-testid or aria-live: %s", html)
			}
			oob, hasOOB := b.Attr("hx-swap-oob")
			if hasOOB != tt.oob || (tt.oob && oob != "true") {
				t.Errorf("hx-swap-oob = %q (present %v), want present %v", oob, hasOOB, tt.oob)
			}
			if got := b.AttrOr("data-pending", ""); got != map[bool]string{true: "true", false: "false"}[tt.wantPending] {
				t.Errorf("data-pending = %q", got)
			}
			apply := b.Find(testID("banner-apply"))
			if !tt.wantPending {
				if b.Children().Length() != 0 || apply.Length() != 0 {
					t.Errorf("empty banner has content: %s", html)
				}
				return
			}
			if href := apply.AttrOr("href", ""); href != ApplyPath(testSN) {
				t.Errorf("apply link = %q, want %q", href, ApplyPath(testSN))
			}
			var zones []string
			b.Find(testID("pending-zone")).Each(func(_ int, s *goquery.Selection) {
				zones = append(zones, s.AttrOr("data-zone", "")+":"+s.AttrOr("data-count", ""))
			})
			if !slices.Equal(zones, tt.wantZones) {
				t.Errorf("zones = %v, want %v", zones, tt.wantZones)
			}
			if got := b.Find(testID("pending-total")).Text(); got != tt.wantTotal {
				t.Errorf("total = %q, want %q", got, tt.wantTotal)
			}
		})
	}
}

func TestIPLBPage(t *testing.T) {
	t.Parallel()
	lb := ovh.LoadBalancer{ServiceName: testSN, DisplayName: strp("prod-web")}
	for _, tab := range []IPLBTab{TabDashboard, TabFailover, TabFrontends, TabFarms, TabRoutes, TabVRack, TabTasks, TabApply} {
		t.Run(string(tab), func(t *testing.T) {
			t.Parallel()
			shell := NewIPLBShell(lb, []ovh.PendingChange{{Zone: "gra", Number: 2}}, tab)
			body := templ.Raw(`<p data-testid="page-body">body</p>`)
			doc, html := render(t, context.Background(), IPLBPage(shell, body))
			if got := doc.Find(testID("iplb-title")).Text(); got != "prod-web" {
				t.Errorf("title = %q", got)
			}
			if got := doc.Find(testID("iplb-service")).Text(); got != testSN {
				t.Errorf("service = %q", got)
			}
			wantHref := map[IPLBTab]string{
				TabDashboard: IPLBPath(testSN), TabFailover: FailoverPath(testSN),
				TabFrontends: FrontendsPath(testSN, ovh.HTTP), TabFarms: FarmsPath(testSN, ovh.HTTP),
				TabRoutes: RoutesPath(testSN, ovh.HTTP), TabVRack: VRackPath(testSN), TabTasks: TasksPath(testSN),
				TabApply: ApplyPath(testSN),
			}
			for other, href := range wantHref {
				a := doc.Find(testID("tab-" + string(other)))
				if a.AttrOr("href", "") != href {
					t.Errorf("tab %s href = %q, want %q", other, a.AttrOr("href", ""), href)
				}
				cur, has := a.Attr("aria-current")
				if (other == tab) != has || (has && cur != "page") {
					t.Errorf("tab %s aria-current = %q (present %v), current tab %s", other, cur, has, tab)
				}
			}
			if doc.Find(testID("pending-banner")+`[data-pending="true"]`).Length() != 1 {
				t.Errorf("banner missing: %s", html)
			}
			if got := doc.Find(testID("banner-apply")).Length() == 1; got != (tab != TabApply) {
				t.Errorf("banner button shown = %v on tab %s (the apply page is where to apply)", got, tab)
			}
			if doc.Find(testID("page-body")).Length() != 1 {
				t.Error("body not rendered")
			}
			if got := doc.Find(`nav[aria-label="breadcrumb"] a`).AttrOr("href", ""); got != IPLBListPath() {
				t.Errorf("breadcrumb = %q", got)
			}
		})
	}
	t.Run("no display name", func(t *testing.T) {
		t.Parallel()
		shell := NewIPLBShell(ovh.LoadBalancer{ServiceName: testSN}, nil, TabDashboard)
		if shell.DisplayName != testSN || shell.Title("Apply") != "Apply · "+testSN {
			t.Errorf("shell = %+v, title %q", shell, shell.Title("Apply"))
		}
	})
}

func TestIPLBList(t *testing.T) {
	t.Parallel()
	t.Run("rows", func(t *testing.T) {
		t.Parallel()
		m := IPLBListModel{Rows: []IPLBListRow{
			{LB: ovh.LoadBalancer{ServiceName: testSN, DisplayName: strp("prod-web"), State: ovh.LoadBalancerOK,
				Zones: []string{"gra", "rbx"}, IPv4: strp("198.51.100.20")}, Failover: 2, Pending: 3},
			{LB: ovh.LoadBalancer{ServiceName: "loadbalancer-2", State: ovh.LoadBalancerSuspended, Zones: []string{"sbg"}, IP: "198.51.100.21"}},
			{LB: ovh.LoadBalancer{ServiceName: "loadbalancer-3", DisplayName: strp("x")}, Problem: "Your OVH credential does not allow this operation."},
		}}
		doc, html := render(t, context.Background(), IPLBList(m))
		rows := doc.Find(testID("iplb-row"))
		if rows.Length() != 3 {
			t.Fatalf("%d rows: %s", rows.Length(), html)
		}
		if doc.Find("table th[scope=col]").Length() != 6 {
			t.Error("the table lacks its column headers")
		}
		first := rows.Eq(0)
		checks := map[string]string{
			"iplb-link":     "prod-web",
			"iplb-state":    "ok",
			"iplb-zones":    "gra, rbx",
			"iplb-ipv4":     "198.51.100.20",
			"iplb-failover": "2",
		}
		for id, want := range checks {
			if got := strings.TrimSpace(first.Find(testID(id)).Text()); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if href := first.Find(testID("iplb-link")).AttrOr("href", ""); href != IPLBPath(testSN) {
			t.Errorf("link = %q", href)
		}
		if got := first.Find(testID("iplb-pending")+" [data-count]").AttrOr("data-count", ""); got != "3" {
			t.Errorf("pending = %q", got)
		}
		second := rows.Eq(1)
		if got := second.Find(testID("iplb-link")).Text(); got != "loadbalancer-2" {
			t.Errorf("name without display name = %q", got)
		}
		if got := second.Find(testID("iplb-ipv4")).Text(); got != "198.51.100.21" {
			t.Errorf("IPv4 fallback = %q", got)
		}
		if got := second.Find(testID("iplb-pending")+" [data-count]").AttrOr("data-count", ""); got != "0" {
			t.Errorf("pending = %q", got)
		}
		third := rows.Eq(2)
		if !strings.Contains(third.Find(testID("iplb-problem")).Text(), "does not allow") || third.Find(testID("iplb-failover")).Length() != 0 {
			t.Errorf("problem row: %s", html)
		}
		if doc.Find(testID("iplb-empty")).Length() != 0 {
			t.Error("empty state shown with rows")
		}
	})
	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		doc, _ := render(t, context.Background(), IPLBList(IPLBListModel{}))
		if doc.Find(testID("iplb-empty")).Length() != 1 || doc.Find(testID("iplb-table")).Length() != 0 {
			t.Error("want the empty state and no table")
		}
	})
}

func TestIPLBDashboard(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	done := now.Add(-time.Hour)
	m := IPLBDashboardModel{
		LB: ovh.LoadBalancer{ServiceName: testSN, DisplayName: strp("prod-web"), State: ovh.LoadBalancerOK,
			Zones: []string{"gra", "rbx"}, IPv4: strp("198.51.100.20"), IPv6: strp("2001:db8::20"),
			VRackName: strp("pn-100001"), Offer: "lb1"},
		Status: ovh.Status{Service: ovh.ServiceStatus{Status: ovh.HealthOK},
			Frontends: ovh.StatusComponent{Total: 3, Status: ovh.StatusCounts{OK: 3}},
			Farms:     ovh.StatusComponent{Total: 4, Status: ovh.StatusCounts{OK: 3, Warn: 1}},
			Servers:   ovh.StatusComponent{Total: 9, Status: ovh.StatusCounts{OK: 8, Error: 1}}},
		Failover: 2,
		Tasks: []TaskProgressModel{
			{ServiceName: testSN, Now: now, Task: ovh.Task{ID: 30, Action: ovh.TaskRefresh, Status: ovh.TaskDoing, Progress: 40, Zones: []string{"gra", "rbx"}, CreationDate: now}},
			{ServiceName: testSN, Now: now, Task: ovh.Task{ID: 20, Action: ovh.TaskRefresh, Status: ovh.TaskDone, Progress: 100, Zones: []string{"gra"}, CreationDate: done, DoneDate: &done}},
		},
	}
	doc, html := render(t, context.Background(), IPLBDashboard(m))
	tiles := map[string]string{
		"tile-name": "prod-web", "tile-ipv4": "198.51.100.20", "tile-zones": "gra, rbx",
		"tile-vrack": "pn-100001", "tile-offer": "lb1", "tile-ssl": "intermediate (default)",
	}
	for id, want := range tiles {
		if got := doc.Find(testID(id)).Text(); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", id, got, want)
		}
	}
	if got := doc.Find(testID("status-service")).Text(); got != "ok" {
		t.Errorf("service status = %q", got)
	}
	servers := doc.Find(testID("status-servers"))
	if servers.AttrOr("data-total", "") != "9" || servers.AttrOr("data-error", "") != "1" {
		t.Errorf("servers row: %s", html)
	}
	menu := doc.Find(testID("tile-status") + " details" + testID("status-menu"))
	if menu.Find("summary").Length() != 1 || menu.Find(testID("status-apply")).AttrOr("href", "") != ApplyPath(testSN) {
		t.Errorf("status menu lacks Apply configuration: %s", html)
	}
	rows := doc.Find(testID("task-row"))
	if rows.Length() != 2 || rows.Eq(0).AttrOr("data-task-id", "") != "30" {
		t.Fatalf("task rows: %d", rows.Length())
	}
	if rows.Eq(0).Find("[hx-get]").AttrOr("hx-get", "") != RefreshTaskPath(testSN, 30) {
		t.Error("the running task does not poll")
	}
	if rows.Eq(1).Find("[hx-get]").Length() != 0 {
		t.Error("the finished task polls")
	}
	if doc.Find(testID("failover-count")).AttrOr("href", "") != FailoverPath(testSN) {
		t.Error("the failover tile does not link to the failover page")
	}

	t.Run("no tasks, not in a vRack", func(t *testing.T) {
		t.Parallel()
		m := IPLBDashboardModel{LB: ovh.LoadBalancer{ServiceName: testSN}}
		doc, _ := render(t, context.Background(), IPLBDashboard(m))
		if doc.Find(testID("tasks-empty")).Length() != 1 {
			t.Error("no empty state for tasks")
		}
		if got := doc.Find(testID("tile-vrack")).Text(); !strings.Contains(got, "Not in a vRack") {
			t.Errorf("vRack tile = %q", got)
		}
	})
}

func TestTaskProgress(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		m           TaskProgressModel
		wantPolling bool
		wantFailed  bool
		wantBy      string
	}{
		{name: "todo", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskTodo}}, wantPolling: true},
		{name: "doing, started here", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskDoing, Progress: 50},
			StartedBy: "xy1234-ovh", StartedAt: now.Add(-90 * time.Second), Now: now}, wantPolling: true, wantBy: "Started by xy1234-ovh 1 min ago"},
		{name: "blocked", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskBlocked}}, wantPolling: true},
		{name: "done", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskDone, Progress: 100}}},
		{name: "error", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskError}}, wantFailed: true},
		{name: "cancelled", m: TaskProgressModel{Task: ovh.Task{ID: 7, Status: ovh.TaskCancelled}}, wantFailed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.m.ServiceName = testSN
			doc, html := render(t, context.Background(), TaskProgress(tt.m))
			p := doc.Find(testID("task-progress"))
			if p.Length() != 1 || p.AttrOr("id", "") != "task-7" || p.AttrOr("data-status", "") != string(tt.m.Task.Status) {
				t.Fatalf("progress element: %s", html)
			}
			_, hasGet := p.Attr("hx-get")
			_, hasTrigger := p.Attr("hx-trigger")
			_, hasSwap := p.Attr("hx-swap")
			if hasGet != tt.wantPolling || hasTrigger != tt.wantPolling || hasSwap != tt.wantPolling {
				t.Errorf("polling attributes (get %v trigger %v swap %v), want %v: %s", hasGet, hasTrigger, hasSwap, tt.wantPolling, html)
			}
			if tt.wantPolling {
				if p.AttrOr("hx-get", "") != RefreshTaskPath(testSN, 7) || p.AttrOr("hx-trigger", "") != "every 2s" || p.AttrOr("hx-swap", "") != "outerHTML" {
					t.Errorf("polling attributes: %s", html)
				}
				if p.Find("progress").Length() != 1 {
					t.Error("no progress bar while running")
				}
			}
			if got := p.Find(testID("task-failed")).Length() == 1; got != tt.wantFailed {
				t.Errorf("failure text shown = %v, want %v", got, tt.wantFailed)
			}
			if got := strings.Join(strings.Fields(p.Find(testID("started-by")).Text()), " "); got != tt.wantBy {
				t.Errorf("started by = %q, want %q", got, tt.wantBy)
			}
		})
	}
}

func TestApplyPage(t *testing.T) {
	t.Parallel()
	failing := ovh.CheckPreflight(ovh.PreflightInput{
		Frontends: []ovh.Frontend{
			{Protocol: ovh.HTTP, ID: 12, Zone: "sbg", DisplayName: strp("legacy-api")},
		},
		Farms: []ovh.Farm{{Protocol: ovh.TCP, ID: 4, Zone: "gra", VRackNetworkID: new(int64)}},
	})
	passing := ovh.CheckPreflight(ovh.PreflightInput{
		Frontends: []ovh.Frontend{{Protocol: ovh.HTTP, ID: 1, Zone: "all", DefaultFarmID: new(int64)}},
		Farms:     []ovh.Farm{{Protocol: ovh.HTTP, ID: 0, Zone: "all"}},
	})
	zones := NewApplyZones([]string{"gra", "sbg"}, []ovh.PendingChange{{Zone: "gra", Number: 1}}, nil)

	t.Run("failing checklist", func(t *testing.T) {
		t.Parallel()
		m := ApplyModel{ServiceName: testSN, Preflight: failing, Zones: zones}
		doc, html := render(t, components.WithCSRF(context.Background(), "tok"), ApplyPage(m))
		checks := doc.Find(testID("check"))
		if checks.Length() != 4 {
			t.Fatalf("%d checks: %s", checks.Length(), html)
		}
		states := map[string]string{}
		checks.Each(func(_ int, s *goquery.Selection) { states[s.AttrOr("data-check", "")] = s.AttrOr("data-ok", "") })
		want := map[string]string{"vrack": "false", "frontends": "true", "valid": "false", "no-refresh": "true"}
		for k, v := range want {
			if states[k] != v {
				t.Errorf("check %s ok = %q, want %q", k, states[k], v)
			}
		}
		front := doc.Find(`[data-check="valid"] ` + testID("problem"))
		if !strings.Contains(front.Find(testID("problem-reason")).Text(), `HTTP frontend "legacy-api" has no default farm, redirection or route with rules`) {
			t.Errorf("frontend problem: %q", front.Text())
		}
		if href := front.Find(testID("problem-link")).AttrOr("href", ""); href != EditFrontendPath(testSN, ovh.HTTP, 12) {
			t.Errorf("frontend link = %q", href)
		}
		if href := front.Find(testID("problem-new-route")).AttrOr("href", ""); href != NewFrontendRoutePath(testSN, ovh.HTTP, 12) {
			t.Errorf("add a route link = %q", href)
		}
		farm := doc.Find(`[data-check="vrack"] ` + testID("problem"))
		if farm.AttrOr("data-kind", "") != "farm" || farm.Find(testID("problem-hint")).Length() != 1 ||
			farm.Find(testID("problem-link")).AttrOr("href", "") != EditFarmPath(testSN, ovh.TCP, 4) {
			t.Errorf("farm problem: %s", html)
		}
		if w := doc.Find(testID("apply-warning")).Text(); !strings.Contains(w, "2 failures") {
			t.Errorf("warning = %q", w)
		}
		if b := strings.TrimSpace(doc.Find(testID("apply-submit")).Text()); !strings.Contains(b, "Apply anyway (2 failures)") {
			t.Errorf("button = %q", b)
		}
		form := doc.Find(testID("apply-form"))
		if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != ApplyPath(testSN) || form.Find(`input[name="_csrf"][value="tok"]`).Length() != 1 {
			t.Errorf("form: %s", html)
		}
		if _, ok := doc.Find(testID("zone-gra")).Attr("checked"); !ok {
			t.Error("gra (pending) is not ticked")
		}
		if _, ok := doc.Find(testID("zone-sbg")).Attr("checked"); ok {
			t.Error("sbg (nothing pending) is ticked")
		}
		if doc.Find(testID("apply-running")+" "+testID("refresh-progress")).Length() != 0 {
			t.Error("progress shown with nothing running")
		}
	})

	t.Run("passing, refused, running", func(t *testing.T) {
		t.Parallel()
		m := ApplyModel{ServiceName: testSN, Preflight: passing, Zones: zones,
			Refused: &ErrorModel{Message: "Frontend 12 has no default farm", QueryID: "EU.ext-1.abc"},
			Running: []TaskProgressModel{{ServiceName: testSN, Task: ovh.Task{ID: 40, Status: ovh.TaskTodo, Zones: []string{"gra"}}}},
			Notice:  "A refresh was already running."}
		doc, html := render(t, context.Background(), ApplyPage(m))
		if b := strings.TrimSpace(doc.Find(testID("apply-submit")).Text()); b != "Apply configuration" {
			t.Errorf("button = %q", b)
		}
		refused := doc.Find(testID("apply-refused"))
		if !strings.Contains(refused.Text(), "Frontend 12 has no default farm") || refused.Find(testID("query-id")).Text() != "EU.ext-1.abc" {
			t.Errorf("refusal: %s", html)
		}
		if w := doc.Find(testID("apply-warning")).Text(); !strings.Contains(w, "A refresh is running") {
			t.Errorf("warning with a refresh running = %q", w)
		}
		if doc.Find(testID("apply-notice")).Length() != 1 {
			t.Error("no notice")
		}
		running := doc.Find(`#apply-running[aria-live="polite"] ` + testID("refresh-task"))
		if running.Length() != 1 || running.Find("[hx-get]").AttrOr("hx-get", "") != RefreshTaskPath(testSN, 40) {
			t.Errorf("running refresh: %s", html)
		}
	})
}

func TestNewApplyZones(t *testing.T) {
	t.Parallel()
	pending := []ovh.PendingChange{{Zone: "gra", Number: 2}}
	tick := func(zs []ApplyZone) string {
		var b strings.Builder
		for _, z := range zs {
			b.WriteString(z.Name + ":" + strconv.FormatInt(z.Pending, 10) + ":" + strconv.FormatBool(z.Checked) + " ")
		}
		return b.String()
	}
	if got := tick(NewApplyZones([]string{"gra", "rbx"}, pending, nil)); got != "gra:2:true rbx:0:false " {
		t.Errorf("pending ticked: %s", got)
	}
	if got := tick(NewApplyZones([]string{"gra", "rbx"}, nil, nil)); got != "gra:0:true rbx:0:true " {
		t.Errorf("nothing pending: %s", got)
	}
	if got := tick(NewApplyZones([]string{"gra", "rbx"}, pending, []string{"rbx"})); got != "gra:2:false rbx:0:true " {
		t.Errorf("chosen: %s", got)
	}
}

func TestAgo(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		time.Second: "just now", 42 * time.Second: "42 s ago", 5 * time.Minute: "5 min ago",
		3 * time.Hour: "3 h ago", 12 * 24 * time.Hour: "12 days ago",
	} {
		if got := Ago(now, now.Add(-d)); got != want {
			t.Errorf("Ago(%v) = %q, want %q", d, got, want)
		}
	}
}
