package handlers

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// notApplied ends every flash after a configuration change (frontends,
// farms, servers, routes, rules): nothing reaches the load balancer before
// a refresh (REFERENCE §10).
const notApplied = "The configuration is not applied yet: apply it to deploy the change."

// refreshAPI is what the apply-configuration page needs from internal/ovh.
type refreshAPI interface {
	shellAPI
	taskAPI
	FetchPreflight(ctx context.Context, sn string) (ovh.PreflightInput, error)
	RunningRefreshes(ctx context.Context, sn string) ([]ovh.Task, error)
	Refresh(ctx context.Context, sn, zone string) (ovh.Task, error)
}

// refreshGuard makes Apply single-flight inside one console: two clicks,
// two tabs or two people pressing Apply on the same IPLB start one refresh.
// Each POST takes the IPLB's lock, looks for a running refresh (the API's
// own list), and POSTs only when there is none; the lock makes that check
// and the POST one step for everyone using this console. It also remembers
// who started each IPLB's latest refresh, to show "Started by … 2 min ago"
// to the others.
//
// Both live in this process's memory. With several replicas of the console,
// two of them can still pass the check at the same moment: the API then
// refuses the second refresh with a 409 (REFERENCE §10.1 (3)), which the
// console shows as "a refresh is already running" (still one refresh); and
// a replica that did not start the refresh does not know who did, so it
// shows the task without "Started by". A restart forgets the names too.
//
// The zero value is ready to use.
type refreshGuard struct {
	mu      sync.Mutex
	locks   map[string]chan struct{} // one-slot semaphore per IPLB; a channel so a waiter can give up
	started map[string]refreshStart  // the latest refresh started here, per IPLB
}

// refreshStart is who started which refresh tasks of an IPLB, and when.
type refreshStart struct {
	By    string // the login, e.g. "xy1234-ovh/ops-alice"
	At    time.Time
	Tasks []int64
}

// lock takes IPLB sn's lock, or gives up when ctx ends. The returned
// function releases it. Locks are per service name, which is unique across
// accounts: a user of another account contending for it gets the API's 404
// right after, and never sees the other's data.
func (g *refreshGuard) lock(ctx context.Context, sn string) (func(), error) {
	g.mu.Lock()
	if g.locks == nil {
		g.locks = map[string]chan struct{}{}
	}
	l := g.locks[sn]
	if l == nil {
		l = make(chan struct{}, 1)
		g.locks[sn] = l // kept: one small channel per IPLB ever applied
	}
	g.mu.Unlock()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// record remembers that by started tasks on sn at at.
func (g *refreshGuard) record(sn, by string, at time.Time, tasks []int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.started == nil {
		g.started = map[string]refreshStart{}
	}
	g.started[sn] = refreshStart{By: by, At: at, Tasks: slices.Clone(tasks)}
}

// starter returns who started task id of sn from this console, if known.
func (g *refreshGuard) starter(sn string, id int64) (refreshStart, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.started[sn]
	if !ok || !slices.Contains(s.Tasks, id) {
		return refreshStart{}, false
	}
	return s, true
}

// taskModel is the view of task t of sn, with who started it when this
// console knows.
func (h *Handler) taskModel(sn string, t ovh.Task, now time.Time) views.TaskProgressModel {
	m := views.TaskProgressModel{ServiceName: sn, Task: t, Now: now}
	if s, ok := h.refreshes.starter(sn, t.ID); ok {
		m.StartedBy, m.StartedAt = s.By, s.At
	}
	return m
}

// startedByText says who started the running refreshes, for a notice.
func (h *Handler) startedByText(sn string, running []ovh.Task, now time.Time) string {
	for _, t := range running {
		if s, ok := h.refreshes.starter(sn, t.ID); ok {
			return fmt.Sprintf("started by %s %s", s.By, views.Ago(now, s.At))
		}
	}
	return "started outside this console"
}

// applyPage gathers the apply page of sn: the shell, the pre-flight input,
// the latest refresh tasks, all at once.
func (h *Handler) applyPage(ctx context.Context, api refreshAPI, sn string) (views.IPLBShell, views.ApplyModel, ovh.LoadBalancer, []ovh.PendingChange, error) {
	var (
		in      ovh.PreflightInput
		pending []ovh.PendingChange
		recent  []ovh.Task
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { in, err = api.FetchPreflight(gctx, sn); return })
	g.Go(func() (err error) { pending, err = api.PendingChanges(gctx, sn); return })
	g.Go(func() (err error) {
		recent, err = latestTasks(gctx, api, sn, 1, ovh.TaskFilter{Action: ovh.TaskRefresh, Status: ovh.TaskDone})
		return
	})
	if err := g.Wait(); err != nil {
		return views.IPLBShell{}, views.ApplyModel{}, ovh.LoadBalancer{}, nil, callerErr(ctx, err)
	}
	now := h.now()
	m := views.ApplyModel{
		ServiceName: sn,
		Preflight:   ovh.CheckPreflight(in),
		Zones:       views.NewApplyZones(in.LoadBalancer.Zones, pending, nil),
	}
	for _, t := range in.Running {
		m.Running = append(m.Running, h.taskModel(sn, t, now))
	}
	if len(recent) > 0 {
		last := h.taskModel(sn, recent[0], now)
		m.Last = &last
	}
	return views.NewIPLBShell(in.LoadBalancer, pending, views.TabApply), m, in.LoadBalancer, pending, nil
}

// showApply is the apply-configuration page: the running refreshes, the
// pre-flight checklist (REFERENCE §10.1) and the zones to apply.
func (h *Handler) showApply(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	shell, m, _, _, err := h.applyPage(c.Request().Context(), client, sn)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Apply configuration"), views.NavIPLB),
		views.IPLBPage(shell, views.ApplyPage(m)))
}

// applyConfiguration starts the refresh of the chosen zones: all of them in
// one refresh without a body, or one refresh per chosen zone (the API takes
// one zone per call, REFERENCE §10.2). It is single-flight (refreshGuard):
// if a refresh is already running, it starts nothing and shows the running
// one. Pre-flight failures do not stop it: the API decides, and its refusal
// is shown with its message and query ID.
func (h *Handler) applyConfiguration(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Unreadable form.").SetInternal(err)
	}
	ctx := c.Request().Context()
	chosen := form["zone"]
	if chosen == nil {
		chosen = []string{} // nothing ticked: re-render with nothing ticked
	}

	// rerender shows the apply page again with what went wrong, keeping
	// the zones the user chose.
	rerender := func(status int, edit func(*views.ApplyModel)) error {
		shell, m, lb, pending, err := h.applyPage(ctx, client, sn)
		if err != nil {
			return err
		}
		m.Zones = views.NewApplyZones(lb.Zones, pending, chosen)
		edit(&m)
		return h.render(c, status, h.pageMeta(c, shell.Title("Apply configuration"), views.NavIPLB),
			views.IPLBPage(shell, views.ApplyPage(m)))
	}

	lb, err := client.LoadBalancer(ctx, sn)
	if err != nil {
		return err
	}
	if msg := checkZones(chosen, lb.Zones); msg != "" {
		return rerender(http.StatusUnprocessableEntity, func(m *views.ApplyModel) { m.ZoneError = msg })
	}
	targets := []string{""} // every zone, no body (REFERENCE §10.2 [C])
	if len(chosen) < len(lb.Zones) {
		targets = lb.Zones[:0:0]
		for _, z := range lb.Zones { // the IPLB's order, not the form's
			if slices.Contains(chosen, z) {
				targets = append(targets, z)
			}
		}
	}

	unlock, err := h.refreshes.lock(ctx, sn)
	if err != nil {
		return err
	}
	// Held from the check to the record of who started what; released
	// before any re-render (which fetches the whole page) by the
	// refusal's path, and at the latest when the handler returns.
	var once sync.Once
	release := func() { once.Do(unlock) }
	defer release()

	now := h.now()
	running, err := client.RunningRefreshes(ctx, sn)
	if err != nil {
		return err
	}
	if len(running) > 0 {
		h.flash(c, views.FlashInfo, fmt.Sprintf("A refresh of this Load Balancer is already running (%s): nothing new was started. Its progress is below.",
			h.startedByText(sn, running, now)))
		return h.seeOther(c, views.ApplyPath(sn))
	}

	u, _ := sessionUser(c) // requireLogin guarantees a user
	by := views.SignedInUser{Account: u.Account, IAMUser: u.IAMUser}.Login()
	var started []int64
	for i, zone := range targets {
		t, err := client.Refresh(ctx, sn, zone)
		if err == nil {
			started = append(started, t.ID)
			continue
		}
		if len(started) > 0 {
			h.refreshes.record(sn, by, now, started)
		}
		switch kind := ovh.KindOf(err); {
		case kind == ovh.KindConflict && i == 0:
			// REFERENCE §10.1 (3): someone started one between our check
			// and our POST (another replica, the Control Panel, a script).
			h.flash(c, views.FlashInfo, "A refresh of this Load Balancer is already running (the API said: "+ovh.MessageOf(err)+queryIDSuffix(err)+"): nothing new was started. Its progress is below.")
			return h.seeOther(c, views.ApplyPath(sn))
		case i > 0 && (kind == ovh.KindConflict || kind == ovh.KindInvalid):
			// The first zones started; a later one did not. With a 409 the
			// API runs one refresh at a time (REFERENCE §10.1 (3)): the
			// later zones wait for the first.
			h.flash(c, views.FlashSuccess, "Refresh started for zone "+strings.Join(targets[:i], ", ")+".")
			why := "the API refused it"
			if kind == ovh.KindConflict {
				why = "the API runs one refresh at a time on a Load Balancer"
			}
			h.flash(c, views.FlashWarning, fmt.Sprintf("Zone %s was not started: %s (it said: %s%s). Apply it again when the running refresh ends.",
				strings.Join(targets[i:], ", "), why, ovh.MessageOf(err), queryIDSuffix(err)))
			return h.seeOther(c, views.ApplyPath(sn))
		case kind == ovh.KindInvalid:
			// The API refused the configuration (REFERENCE §10.1): its
			// message says why; the query ID is what support asks for.
			// 422, as every form the API refuses (STYLE §2.4): htmx swaps
			// it in place without treating it as a failed request.
			release()
			return rerender(http.StatusUnprocessableEntity, func(m *views.ApplyModel) {
				m.Refused = &views.ErrorModel{Status: http.StatusUnprocessableEntity, Title: "Refresh refused",
					Message: ovh.MessageOf(err), QueryID: ovh.QueryIDOf(err)}
			})
		default:
			return err
		}
	}
	h.refreshes.record(sn, by, now, started)
	what := "Refresh started for every zone."
	if targets[0] != "" {
		what = "Refresh started for zone " + strings.Join(targets, ", ") + "."
		if len(targets) > 1 {
			what = "Refreshes started for zones " + strings.Join(targets, ", ") + "."
		}
	}
	h.flash(c, views.FlashSuccess, what+" Its progress is below.")
	return h.seeOther(c, views.ApplyPath(sn))
}

// queryIDSuffix is " (query ID …)" for an API error that has one.
func queryIDSuffix(err error) string {
	if q := ovh.QueryIDOf(err); q != "" {
		return "; query ID " + q
	}
	return ""
}

// checkZones says what is wrong with the chosen zones, or "".
func checkZones(chosen, zones []string) string {
	if len(chosen) == 0 {
		return "Choose at least one zone to apply."
	}
	seen := map[string]bool{}
	for _, z := range chosen {
		if !slices.Contains(zones, z) {
			return fmt.Sprintf("%q is not a zone of this Load Balancer.", z)
		}
		if seen[z] {
			return fmt.Sprintf("Zone %q is chosen twice.", z)
		}
		seen[z] = true
	}
	return ""
}

// showRefreshTask answers the live progress of task id of sn. For htmx it
// is the TaskProgress fragment the page polls; once the task has finished
// it carries no polling attributes, and the banner comes along out of band
// so it disappears when the refresh is done. Without htmx it is a page.
func (h *Handler) showRefreshTask(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "task")
	if err != nil {
		return err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if wantsFragment(c.Request()) {
		t, err := client.Task(ctx, sn, id)
		if err != nil {
			return err
		}
		m := h.taskModel(sn, t, h.now())
		body := views.TaskProgress(m)
		if !m.Running() {
			body = templ.Join(body, h.bannerOOB(ctx, client, sn))
		}
		return h.render(c, http.StatusOK, h.fragmentMeta(c, "Task"), body)
	}
	var (
		t     ovh.Task
		shell views.IPLBShell
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { t, err = client.Task(gctx, sn, id); return })
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, client, sn, views.TabApply); return })
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title(fmt.Sprintf("Task %d", id)), views.NavIPLB),
		views.IPLBPage(shell, views.TaskPage(h.taskModel(sn, t, h.now()))))
}
