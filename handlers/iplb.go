package handlers

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// shellAPI is what the IPLB shell (title, tabs, banner) needs from
// internal/ovh. Every page of one IPLB passes its client to iplbShell.
type shellAPI interface {
	LoadBalancer(ctx context.Context, sn string) (ovh.LoadBalancer, error)
	PendingChanges(ctx context.Context, sn string) ([]ovh.PendingChange, error)
}

// loadBalancerAPI is what the load balancer list and the dashboard need
// from internal/ovh.
type loadBalancerAPI interface {
	shellAPI
	AllLoadBalancers(ctx context.Context) ([]ovh.LoadBalancer, error)
	Failover(ctx context.Context, sn string) ([]string, error)
	Status(ctx context.Context, sn string) (ovh.Status, error)
	TaskIDs(ctx context.Context, sn string, f ovh.TaskFilter) ([]int64, error)
	Task(ctx context.Context, sn string, id int64) (ovh.Task, error)
}

// listParallel bounds the per-IPLB calls of the list page in flight at once
// (each IPLB costs two: failover and pendingChanges). The client bounds its
// own collection fetches the same way.
const listParallel = 8

// dashboardTasks is how many of the latest tasks the dashboard shows.
const dashboardTasks = 8

// iplbShell fetches what every page of IPLB sn shows around its body (the
// IPLB, for its name, and its pending changes, for the banner) concurrently,
// and returns the shell for tab. Use it as
//
//	shell, err := h.iplbShell(ctx, client, sn, views.TabFrontends)
//	h.render(c, 200, h.pageMeta(c, shell.Title("Frontends"), views.NavIPLB), views.IPLBPage(shell, body))
//
// An IPLB the user cannot see is the API's 404 (ovh.KindNotFound).
func (h *Handler) iplbShell(ctx context.Context, api shellAPI, sn string, tab views.IPLBTab) (views.IPLBShell, error) {
	var (
		lb      ovh.LoadBalancer
		pending []ovh.PendingChange
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { lb, err = api.LoadBalancer(gctx, sn); return })
	g.Go(func() (err error) { pending, err = api.PendingChanges(gctx, sn); return })
	if err := g.Wait(); err != nil {
		return views.IPLBShell{}, callerErr(ctx, err)
	}
	return views.NewIPLBShell(lb, pending, tab), nil
}

// bannerOOB returns the banner of IPLB sn, fetched now, for an out-of-band
// swap: handlers that answer a write with a fragment append it, so the
// banner appears (or goes) at once. If pendingChanges cannot be read, the
// banner is left as it is (nothing is rendered) and the failure is logged:
// the write itself succeeded, and the next page will show the banner.
func (h *Handler) bannerOOB(ctx context.Context, api shellAPI, sn string) templ.Component {
	pending, err := api.PendingChanges(ctx, sn)
	if err != nil {
		h.log.WarnContext(ctx, "banner not refreshed", "service", sn, "err", err)
		return templ.NopComponent
	}
	return views.PendingBannerOOB(views.NewPendingBanner(sn, pending))
}

// callerErr returns the caller's context error when it ended (the user went
// away: nothing failed), else err. errgroup cancels its own context on the
// first failure, which must not hide that failure.
func callerErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// degradable reports whether a per-IPLB failure on the list can be shown in
// its row instead of failing the whole page: not when the session's key is
// refused (the user must sign in again) or the request was cancelled.
func degradable(err error) bool {
	return !errors.Is(err, context.Canceled) && ovh.KindOf(err) != ovh.KindUnauthorized
}

// listLoadBalancers shows every IPLB the user's key can see, with its
// failover IP and pending change counts.
func (h *Handler) listLoadBalancers(c echo.Context) error {
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	m, err := loadBalancerList(c.Request().Context(), client)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, "Load balancers", views.NavIPLB), views.IPLBList(m))
}

// loadBalancerList fetches the list page's rows. Three sequential round
// trips whatever the number of IPLBs: the list, the IPLBs (in parallel, by
// the client), then failover and pendingChanges of every IPLB (in
// parallel, bounded). A failure of one IPLB's counts shows in its row.
func loadBalancerList(ctx context.Context, client loadBalancerAPI) (views.IPLBListModel, error) {
	lbs, err := client.AllLoadBalancers(ctx)
	if err != nil {
		return views.IPLBListModel{}, err
	}
	rows := make([]views.IPLBListRow, len(lbs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(listParallel)
	for i, lb := range lbs {
		rows[i].LB = lb
		g.Go(func() error {
			ips, err := client.Failover(gctx, lb.ServiceName)
			if err != nil {
				if degradable(err) {
					rows[i].Problem = "Failover IPs unavailable: " + ovh.MessageOf(err)
					return nil
				}
				return err
			}
			rows[i].Failover = len(ips)
			return nil
		})
		g.Go(func() error {
			pending, err := client.PendingChanges(gctx, lb.ServiceName)
			if err != nil {
				if degradable(err) {
					rows[i].Problem = "Pending changes unavailable: " + ovh.MessageOf(err)
					return nil
				}
				return err
			}
			rows[i].Pending = views.NewPendingBanner(lb.ServiceName, pending).Total()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return views.IPLBListModel{}, callerErr(ctx, err)
	}
	slices.SortStableFunc(rows, func(a, b views.IPLBListRow) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.LB.Name()), strings.ToLower(b.LB.Name())),
			strings.Compare(a.LB.ServiceName, b.LB.ServiceName))
	})
	return views.IPLBListModel{Rows: rows}, nil
}

// showLoadBalancer is the dashboard of one IPLB: the IPLB, its pending
// changes, status, failover IPs and latest tasks, all fetched concurrently
// (two sequential round trips: the task ids, then the tasks).
func (h *Handler) showLoadBalancer(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		m       = views.IPLBDashboardModel{}
		pending []ovh.PendingChange
		tasks   []ovh.Task
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { m.LB, err = client.LoadBalancer(gctx, sn); return })
	g.Go(func() (err error) { pending, err = client.PendingChanges(gctx, sn); return })
	g.Go(func() (err error) { m.Status, err = client.Status(gctx, sn); return })
	g.Go(func() error {
		ips, err := client.Failover(gctx, sn)
		m.Failover = len(ips)
		return err
	})
	g.Go(func() (err error) { tasks, err = latestTasks(gctx, client, sn, dashboardTasks); return })
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	now := h.now()
	for _, t := range tasks {
		m.Tasks = append(m.Tasks, h.taskModel(sn, t, now))
	}
	shell := views.NewIPLBShell(m.LB, pending, views.TabDashboard)
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Dashboard"), views.NavIPLB),
		views.IPLBPage(shell, views.IPLBDashboard(m)))
}

// taskAPI fetches IPLB tasks.
type taskAPI interface {
	TaskIDs(ctx context.Context, sn string, f ovh.TaskFilter) ([]int64, error)
	Task(ctx context.Context, sn string, id int64) (ovh.Task, error)
}

// latestTasks returns the n newest tasks of sn matching f's action, newest
// first. The API lists ids only and an IPLB's history only grows, so it
// fetches the n highest ids (ids increase with time, [INF]: the API does
// not document it, but every id seen does) in parallel, rather than every
// task.
func latestTasks(ctx context.Context, api taskAPI, sn string, n int, f ...ovh.TaskFilter) ([]ovh.Task, error) {
	var filter ovh.TaskFilter
	if len(f) > 0 {
		filter = f[0]
	}
	ids, err := api.TaskIDs(ctx, sn, filter)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	ids = ids[:min(n, len(ids))]
	tasks := make([]ovh.Task, len(ids))
	found := make([]bool, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	for i, id := range ids {
		g.Go(func() error {
			t, err := api.Task(gctx, sn, id)
			if ovh.KindOf(err) == ovh.KindNotFound {
				return nil // gone between the list and the fetch
			}
			tasks[i], found[i] = t, err == nil
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, callerErr(ctx, err)
	}
	out := tasks[:0]
	for i := range tasks {
		if found[i] {
			out = append(out, tasks[i])
		}
	}
	slices.SortStableFunc(out, func(a, b ovh.Task) int {
		return cmp.Or(b.CreationDate.Compare(a.CreationDate), cmp.Compare(b.ID, a.ID))
	})
	return out, nil
}

// showBanner answers the banner of IPLB sn as a fragment (for htmx), fresh
// from pendingChanges.
func (h *Handler) showBanner(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	pending, err := client.PendingChanges(c.Request().Context(), sn)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.fragmentMeta(c, "Pending changes"),
		views.PendingBanner(views.NewPendingBanner(sn, pending)))
}

// fragmentMeta is pageMeta for an endpoint that mostly answers fragments:
// a fragment has no layout to show flash messages in, so it must not take
// them out of the session (the next page shows them).
func (h *Handler) fragmentMeta(c echo.Context, title string) views.PageMeta {
	if wantsFragment(c.Request()) {
		return views.PageMeta{Title: title, Nav: views.NavIPLB, RequestID: requestIDOf(c)}
	}
	return h.pageMeta(c, title, views.NavIPLB)
}
