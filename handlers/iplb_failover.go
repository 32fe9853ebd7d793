package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// failoverAPI is what the failover IP pages of an IPLB need from
// internal/ovh (on top of the shell's calls).
type failoverAPI interface {
	shellAPI
	Failover(ctx context.Context, sn string) ([]string, error)
	FailoverOverview(ctx context.Context, sn string) (ovh.FailoverOverview, error)
	FailoverPins(ctx context.Context, sn string) ([]ovh.FailoverIP, []ovh.Frontend, error)
	MovableIPs(ctx context.Context, sn string) ([]ovh.MovableIP, error)
	MoveCandidate(ctx context.Context, block, sn string) (ovh.MovableIP, error)
	LatestIPTask(ctx context.Context, block string) (*ovh.IPTask, error)
	MoveIP(ctx context.Context, block, to string) (ovh.IPTask, error)
	ParkIP(ctx context.Context, block string) (ovh.IPTask, error)
	IPTask(ctx context.Context, block string, id int64) (ovh.IPTask, error)
}

// failoverScope reads :sn and the user's client.
func (h *Handler) failoverScope(c echo.Context) (string, failoverAPI, error) {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return "", nil, err
	}
	client, err := h.clientFor(c)
	if err != nil {
		return "", nil, err
	}
	return sn, client, nil
}

// ipBlockParam reads the :block path parameter as a canonical IP block. A
// value that is not an IP is a 400 before any call.
func ipBlockParam(c echo.Context) (string, error) {
	raw, err := pathParam(c, "block")
	if err != nil {
		return "", err
	}
	block, err := ovh.ParseBlock(raw)
	if err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, ovh.MessageOf(err))
	}
	return block, nil
}

// refusalModel is what a page shows of the API's refusal of a write: its
// status, its own message and its query ID (support asks for it). Unlike
// classify, it keeps the API's message for 5xx too: the operator needs it
// to understand why the move did not start.
func refusalModel(c echo.Context, err error) *views.ErrorModel {
	m := classify(err)
	m.Message = ovh.MessageOf(err)
	m.RequestID = requestIDOf(c)
	return &m
}

// refusalShownInPage reports whether an API failure of a write is shown on the
// form's page (the API refused, or failed): a refused credential goes to
// the error handler, which sends the user to sign in again, and a
// cancelled request has nobody to show it to.
func refusalShownInPage(err error) bool {
	k := ovh.KindOf(err)
	return k != ovh.KindUnauthorized && k != ovh.KindForbidden && !errors.Is(err, context.Canceled)
}

// listFailover shows the failover IPs of IPLB sn: which frontends pin each,
// the tasks in progress and the moves arriving. The shell and the overview
// run concurrently; the overview is a few round trips whatever the number
// of frontends (ovh.Client.FailoverOverview).
func (h *Handler) listFailover(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		shell views.IPLBShell
		ov    ovh.FailoverOverview
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFailover); return })
	g.Go(func() (err error) { ov, err = api.FailoverOverview(gctx, sn); return })
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Failover IPs"), views.NavIPLB),
		views.IPLBPage(shell, views.FailoverList(views.NewFailoverList(sn, ov))))
}

// attachIPForm is the attach page. Without ?ip it lists the account's
// failover IPs that can move to sn; with ?ip=<block> (the chooser's GET
// form) it confirms the move of that block. A block that is not an IP, not
// the account's, not movable here or busy with a task re-renders the
// chooser with a 422.
func (h *Handler) attachIPForm(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	if _, asked := c.QueryParams()["ip"]; !asked {
		return h.renderAttachChooser(c, api, sn, http.StatusOK, "", "")
	}
	choice, ok, err := h.checkAttachChoice(c, api, sn, c.QueryParam("ip"))
	if err != nil || !ok {
		return err // the chooser was re-rendered (422), or a failure
	}
	return h.renderAttachConfirm(c, api, sn, choice, nil)
}

// attachIP starts the move of the chosen block to sn (POST /ip/{ip}/move),
// then sends the browser to the task's badge page. The choice is checked
// first against GET /ip/{ip}/move, so bad input never reaches the write.
func (h *Handler) attachIP(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	raw := c.FormValue("ip")
	choice, ok, err := h.checkAttachChoice(c, api, sn, raw)
	if err != nil || !ok {
		return err // the chooser was re-rendered (422), or a failure
	}
	ctx := c.Request().Context()
	task, err := api.MoveIP(ctx, choice.Block, sn)
	if err != nil {
		if !refusalShownInPage(err) {
			return err
		}
		return h.renderAttachConfirm(c, api, sn, choice, err)
	}
	h.addFlash(c, views.IPMoveNotice(choice.Block, task.ID))
	return h.seeOther(c, views.IPTaskPath(sn, choice.Block, task.ID))
}

// renderAttachConfirm renders the confirmation of moving choice to sn,
// with the API's refusal apiErr (its status, message and query ID) when the
// move was refused.
func (h *Handler) renderAttachConfirm(c echo.Context, api failoverAPI, sn string, choice views.AttachChoice, apiErr error) error {
	shell, err := h.iplbShell(c.Request().Context(), api, sn, views.TabFailover)
	if err != nil {
		return err
	}
	m := views.AttachConfirmModel{ServiceName: sn, DisplayName: shell.DisplayName, Choice: choice}
	status := http.StatusOK
	if apiErr != nil {
		m.APIError = refusalModel(c, apiErr)
		status = m.APIError.Status
	}
	return h.render(c, status, h.pageMeta(c, shell.Title("Attach "+choice.Block), views.NavIPLB),
		views.IPLBPage(shell, views.FailoverAttachConfirm(m)))
}

// checkAttachChoice validates the chosen block without writing anything:
// an IP, one of the account's, offered a move to sn by GET /ip/{ip}/move,
// and with no task running. When it is not, it renders the chooser with the
// reason (422) and returns ok false.
func (h *Handler) checkAttachChoice(c echo.Context, api failoverAPI, sn, raw string) (views.AttachChoice, bool, error) {
	fail := func(msg string) (views.AttachChoice, bool, error) {
		return views.AttachChoice{}, false, h.renderAttachChooser(c, api, sn, http.StatusUnprocessableEntity, raw, msg)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return fail("Choose the failover IP to attach.")
	}
	block, err := ovh.ParseBlock(raw)
	if err != nil {
		return fail(ovh.MessageOf(err))
	}
	m, err := api.MoveCandidate(c.Request().Context(), block, sn)
	switch {
	case ovh.KindOf(err) == ovh.KindNotFound:
		return fail(block + " is not one of your account's IPs.")
	case err != nil:
		return views.AttachChoice{}, false, err
	case m.IP.RoutedToService() == sn:
		return fail(block + " is already attached to this load balancer.")
	case !m.Offered:
		// REFERENCE §5.3 [INF]: an IPLB takes single IPv4 failover addresses.
		return fail(block + " cannot move to this load balancer (only single IPv4 failover addresses, /32, can).")
	case m.Task != nil:
		return fail(fmt.Sprintf("A task is in progress on %s (task %d, %s): it can move once that task ends.", block, m.Task.ID, m.Task.Status))
	}
	return views.NewAttachChoice(m), true, nil
}

// renderAttachChooser renders the chooser of IPs movable to sn, with the
// previous choice and its error on a 422.
func (h *Handler) renderAttachChooser(c echo.Context, api failoverAPI, sn string, status int, selected, errMsg string) error {
	ctx := c.Request().Context()
	var (
		shell   views.IPLBShell
		movable []ovh.MovableIP
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFailover); return })
	g.Go(func() (err error) { movable, err = api.MovableIPs(gctx, sn); return })
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	m := views.AttachChooserModel{ServiceName: sn, Selected: selected, Error: errMsg}
	for _, ip := range movable {
		m.Choices = append(m.Choices, views.NewAttachChoice(ip))
	}
	return h.render(c, status, h.pageMeta(c, shell.Title("Attach a failover IP"), views.NavIPLB),
		views.IPLBPage(shell, views.FailoverAttach(m)))
}

// ipTaskStatus shows an IP task (a move to sn, or a park): for htmx's
// polling, the badge alone, plus the banner out of band once the task has
// finished (a move is a pending change) and, when the poll says the page
// shows it (?notice=1), the removal of the move's "once the move is done"
// notice; otherwise the whole page, whose "Refresh status" link reloads it
// without JavaScript, and which drops that notice if the task is already
// finished.
func (h *Handler) ipTaskStatus(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	block, err := ipBlockParam(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "task")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if wantsFragment(c.Request()) {
		task, err := api.IPTask(ctx, block, id)
		if err != nil {
			return err
		}
		badge := views.IPTaskBadgeModel{ServiceName: sn, Block: block, Task: task, Notice: c.QueryParam("notice") == "1"}
		body := views.IPTaskBadge(badge)
		if !badge.Running() {
			body = templ.Join(body, h.bannerOOB(ctx, api, sn))
			if badge.Notice {
				body = templ.Join(body, views.IPMoveNoticeOOB(task.ID))
			}
		}
		return h.render(c, http.StatusOK, views.PageMeta{}, body)
	}
	var (
		shell views.IPLBShell
		task  ovh.IPTask
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFailover); return })
	g.Go(func() (err error) { task, err = api.IPTask(gctx, block, id); return })
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	m := views.IPTaskPageModel{Badge: views.IPTaskBadgeModel{ServiceName: sn, Block: block, Task: task}}
	meta := h.pageMeta(c, shell.Title(m.Title()), views.NavIPLB)
	notice := views.IPMoveNoticeID(task.ID)
	if i := slices.IndexFunc(meta.Flashes, func(f views.Flash) bool { return f.ID == notice }); i >= 0 {
		if m.Badge.Running() {
			m.Badge.Notice = true
		} else { // finished before its page was shown: the notice is stale
			meta.Flashes = slices.Delete(meta.Flashes, i, i+1)
		}
	}
	return h.render(c, http.StatusOK, meta, views.IPLBPage(shell, views.IPTaskPage(m)))
}

// detachIPForm is the confirmation page of parking block: it names the
// frontends of sn that pin it. A block that is not routed to sn is a 404.
func (h *Handler) detachIPForm(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	block, err := ipBlockParam(c)
	if err != nil {
		return err
	}
	return h.renderDetachConfirm(c, api, sn, block, nil)
}

// detachIP parks block (POST /ip/{ip}/park) after checking that it is
// routed to sn, then sends the browser to the park task's badge page.
func (h *Handler) detachIP(c echo.Context) error {
	sn, api, err := h.failoverScope(c)
	if err != nil {
		return err
	}
	block, err := ipBlockParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	blocks, err := api.Failover(ctx, sn)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(blocks, func(b string) bool { return failoverBlockEq(b, block) }) {
		return notOnThisIPLB(block)
	}
	task, err := api.ParkIP(ctx, block)
	if err != nil {
		if !refusalShownInPage(err) {
			return err
		}
		return h.renderDetachConfirm(c, api, sn, block, err)
	}
	h.flash(c, views.FlashInfo, fmt.Sprintf("Detaching %s (task %d): it is being parked.", block, task.ID))
	return h.seeOther(c, views.IPTaskPath(sn, block, task.ID))
}

// renderDetachConfirm renders the detach confirmation of block, with the
// API's refusal apiErr when the park was refused. The shell, the IPs and
// pins of sn, and the block's latest task are fetched concurrently.
func (h *Handler) renderDetachConfirm(c echo.Context, api failoverAPI, sn, block string, apiErr error) error {
	ctx := c.Request().Context()
	var (
		shell views.IPLBShell
		ips   []ovh.FailoverIP
		task  *ovh.IPTask
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFailover); return })
	g.Go(func() (err error) { ips, _, err = api.FailoverPins(gctx, sn); return })
	g.Go(func() error {
		t, err := api.LatestIPTask(gctx, block)
		if ovh.KindOf(err) == ovh.KindNotFound {
			return nil // not the account's: the membership check below says so
		}
		task = t
		return err
	})
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	i := slices.IndexFunc(ips, func(ip ovh.FailoverIP) bool { return failoverBlockEq(ip.Block, block) })
	if i < 0 {
		return notOnThisIPLB(block)
	}
	m := views.DetachConfirmModel{ServiceName: sn, DisplayName: shell.DisplayName, Block: block, PinnedBy: ips[i].PinnedBy}
	if task != nil && !task.Status.Finished() {
		m.Task = &views.IPTaskBadgeModel{ServiceName: sn, Block: block, Task: *task}
	}
	status := http.StatusOK
	if apiErr != nil {
		m.APIError = refusalModel(c, apiErr)
		status = m.APIError.Status
	}
	return h.render(c, status, h.pageMeta(c, shell.Title("Detach "+block), views.NavIPLB),
		views.IPLBPage(shell, views.FailoverDetachConfirm(m)))
}

// notOnThisIPLB is the 404 of a block that is not routed to the IPLB.
func notOnThisIPLB(block string) error {
	return echo.NewHTTPError(http.StatusNotFound, block+" is not a failover IP of this load balancer.")
}

// failoverBlockEq reports whether two spellings name the same IP block
// ("203.0.113.10" and "203.0.113.10/32").
func failoverBlockEq(a, b string) bool {
	ca, errA := ovh.ParseBlock(a)
	cb, errB := ovh.ParseBlock(b)
	return errA == nil && errB == nil && ca == cb
}
