package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// tasksPageAPI is what the tasks page and its polled rows need from
// internal/ovh.
type tasksPageAPI interface {
	shellAPI
	TaskOverview(ctx context.Context, sn string, f ovh.TaskListFilter) (ovh.TaskOverview, error)
	Task(ctx context.Context, sn string, id int64) (ovh.Task, error)
	IPTask(ctx context.Context, block string, id int64) (ovh.IPTask, error)
}

// tasksTab is the IPLB shell's tab of the tasks page.
const tasksTab = views.TabTasks

// listTasks is the tasks page: the IPLB's tasks and its failover IPs',
// newest first, filtered by ?action= and ?status= (a GET form, so the
// address keeps the filter). An unknown filter value is a 400 that shows
// the page with the form and the problem.
func (h *Handler) listTasks(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m := views.TasksModel{Service: sn, Action: strings.TrimSpace(c.QueryParam("action")),
		Status: strings.TrimSpace(c.QueryParam("status")), Limit: ovh.DefaultTaskLimit}
	var problems []string
	if m.Action != "" && !ovh.KnownTaskAction(m.Action) {
		problems = append(problems, "“"+m.Action+"” is not a task action")
	}
	if m.Status != "" && !ovh.KnownTaskStatus(m.Status) {
		problems = append(problems, "“"+m.Status+"” is not a task status")
	}

	var (
		shell views.IPLBShell
		ov    ovh.TaskOverview
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, tasksTab); return })
	if len(problems) == 0 {
		g.Go(func() (err error) {
			ov, err = api.TaskOverview(gctx, sn, ovh.TaskListFilter{Action: m.Action, Status: m.Status, Limit: m.Limit})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusBadRequest
		m.FilterError = strings.Join(problems, "; ") + ": choose one in the list."
	}
	m.Rows = views.NewTaskRows(sn, ov.Entries, h.now())
	m.Truncated, m.Blocks = ov.Truncated, ov.Blocks
	return h.render(c, status, h.pageMeta(c, shell.Title("Tasks"), views.NavIPLB), views.IPLBPage(shell, views.TasksPage(m)))
}

// renderTaskRow answers a row's poll: the row alone for htmx (with the
// banner out of band once the task is finished, since a finished refresh or
// move changes the pending changes), or a page with the row.
func (h *Handler) renderTaskRow(c echo.Context, api tasksPageAPI, sn string, row views.TaskRowModel) error {
	ctx := c.Request().Context()
	if wantsFragment(c.Request()) {
		body := views.TaskRow(row)
		if !row.Running() {
			body = templ.Join(body, h.bannerOOB(ctx, api, sn))
		}
		return h.render(c, http.StatusOK, h.pageMeta(c, "", views.NavIPLB), body)
	}
	shell, err := h.iplbShell(ctx, api, sn, tasksTab)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Task"), views.NavIPLB), views.IPLBPage(shell, views.TaskRowPage(row)))
}

// showTaskRow is the row of an IPLB task, polled every 2 s while it runs.
func (h *Handler) showTaskRow(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "task")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	t, err := api.Task(c.Request().Context(), sn, id)
	if err != nil {
		return err
	}
	return h.renderTaskRow(c, api, sn, views.TaskRowModel{Service: sn, Task: &t, Now: h.now()})
}

// showIPTaskRow is the row of a failover IP's task, polled every 2 s while
// it runs.
func (h *Handler) showIPTaskRow(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	raw, err := pathParam(c, "block")
	if err != nil {
		return err
	}
	block, err := ovh.ParseBlock(raw)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such IP block.")
	}
	id, err := positiveParam(c, "id", "task")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	t, err := api.IPTask(c.Request().Context(), block, id)
	if err != nil {
		return err
	}
	return h.renderTaskRow(c, api, sn, views.TaskRowModel{Service: sn, IPTask: &t, Block: block, Now: h.now()})
}
