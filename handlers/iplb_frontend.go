package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// frontendAPI is what the frontend pages need from internal/ovh.
type frontendAPI interface {
	Frontends(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Frontend, error)
	Frontend(ctx context.Context, sn string, p ovh.Protocol, id int64) (ovh.Frontend, error)
	CreateFrontend(ctx context.Context, sn string, p ovh.Protocol, in ovh.FrontendCreate) (ovh.Frontend, error)
	UpdateFrontend(ctx context.Context, sn string, p ovh.Protocol, id int64, u ovh.FrontendUpdate) error
	DeleteFrontend(ctx context.Context, sn string, p ovh.Protocol, id int64) error
	Farms(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Farm, error)
	Routes(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Route, error)
	Certificates(ctx context.Context, sn string) ([]ovh.Certificate, error)
	Zones(ctx context.Context, sn string) ([]string, error)
	FailoverPins(ctx context.Context, sn string) ([]ovh.FailoverIP, []ovh.Frontend, error)
}

// frontendScope reads :sn and :proto. An unknown protocol is a 404: there
// is no such page.
func frontendScope(c echo.Context) (string, ovh.Protocol, error) {
	return protoScope(c, "frontends", true)
}

// listFrontends is the frontends page of one protocol: every frontend with
// its default farm, pinned IPs, and whether it would pass a refresh. The
// shell, the frontends, the farms and the routes are fetched concurrently:
// two round trips (ids, then objects) whatever the number of frontends.
func (h *Handler) listFrontends(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		shell     views.IPLBShell
		frontends []ovh.Frontend
		farms     []ovh.Farm
		routes    []ovh.Route
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFrontends); return })
	g.Go(func() (err error) { frontends, err = api.Frontends(gctx, sn, proto); return })
	g.Go(func() (err error) { farms, err = api.Farms(gctx, sn, proto); return })
	if proto != ovh.UDP { // REFERENCE §9: routes are HTTP and TCP only
		g.Go(func() (err error) { routes, err = api.Routes(gctx, sn, proto); return })
	}
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}

	m := views.FrontendListModel{Service: sn, Protocol: proto}
	for _, f := range frontends {
		row := views.FrontendRow{Frontend: f}
		row.Valid, row.Reason = ovh.FrontendValidity(f, farms, routes)
		if f.DefaultFarmID != nil {
			row.FarmName = "#" + strconv.FormatInt(*f.DefaultFarmID, 10)
			if i := slices.IndexFunc(farms, func(fa ovh.Farm) bool { return fa.ID == *f.DefaultFarmID }); i >= 0 {
				row.FarmName = farms[i].Name()
			}
		}
		m.Rows = append(m.Rows, row)
	}
	title := shell.Title(views.FrontendProtocolLabel(proto) + " frontends")
	return h.render(c, http.StatusOK, h.pageMeta(c, title, views.NavIPLB), views.IPLBPage(shell, views.FrontendList(m)))
}

// frontendPage is what the form pages fetch: the shell, the form's choices
// and, for an edit, the frontend as it is now.
type frontendPage struct {
	shell   views.IPLBShell
	options views.FrontendFormOptions
	current *ovh.Frontend // the edited frontend, nil for a creation
}

// loadFrontendPage fetches, concurrently, the shell, the IPLB's zones, the
// farms of proto, its certificates (HTTP and TCP) and its failover IPs with
// every frontend of every protocol (which also gives the edited one, fresh,
// and who else pins each IP). id 0 is a creation; an edited frontend that
// does not exist is KindNotFound.
func (h *Handler) loadFrontendPage(ctx context.Context, api OVH, sn string, proto ovh.Protocol, id int64) (frontendPage, error) {
	var (
		p         frontendPage
		zones     []string
		farms     []ovh.Farm
		certs     []ovh.Certificate
		failover  []ovh.FailoverIP
		frontends []ovh.Frontend
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { p.shell, err = h.iplbShell(gctx, api, sn, views.TabFrontends); return })
	g.Go(func() (err error) { zones, err = api.Zones(gctx, sn); return })
	g.Go(func() (err error) { farms, err = api.Farms(gctx, sn, proto); return })
	if proto != ovh.UDP { // REFERENCE §7.1: no certificates for UDP
		g.Go(func() (err error) { certs, err = api.Certificates(gctx, sn); return })
	}
	g.Go(func() (err error) { failover, frontends, err = api.FailoverPins(gctx, sn); return })
	if err := g.Wait(); err != nil {
		return p, callerErr(ctx, err)
	}
	if id != 0 {
		i := slices.IndexFunc(frontends, func(f ovh.Frontend) bool { return f.Protocol == proto && f.ID == id })
		if i < 0 {
			return p, &ovh.Error{Op: "handlers.loadFrontendPage", Kind: ovh.KindNotFound, Status: http.StatusNotFound,
				Message: fmt.Sprintf("There is no %s frontend %d on this load balancer.", views.FrontendProtocolLabel(proto), id)}
		}
		p.current = &frontends[i]
	}
	blocks := make([]string, len(failover))
	for i, ip := range failover {
		blocks[i] = ip.Block
	}
	p.options = views.FrontendFormOptions{
		Zones:        zones,
		Farms:        farms,
		Certificates: certs,
		IPs:          views.FrontendIPOptions(blocks, frontends, views.FrontendRef{Protocol: proto, ID: id}),
	}
	return p, nil
}

// renderFrontendForm writes the form page with status.
func (h *Handler) renderFrontendForm(c echo.Context, status int, p frontendPage, form views.FrontendForm) error {
	what := "New " + views.FrontendProtocolLabel(form.Protocol) + " frontend"
	if form.IsEdit() {
		what = "Modify frontend " + form.Name
	}
	return h.render(c, status, h.pageMeta(c, p.shell.Title(what), views.NavIPLB), views.IPLBPage(p.shell, views.FrontendEdit(form)))
}

// frontendFormOverrides applies what the zone select sends when it asks
// for the farm field again (?zone=, ?defaultFarmId=): the page renders as
// if they were chosen.
func frontendFormOverrides(q url.Values, form *views.FrontendForm) {
	if z, ok := q[views.FrontendFieldZone]; ok {
		form.Zone = z[0]
	}
	if f, ok := q[views.FrontendFieldDefaultFarm]; ok {
		form.DefaultFarm = f[0]
	}
}

// newFrontendForm is the creation form. ?ipfo=<block> ticks that failover
// IP (the failover-IP page links here after an attach).
func (h *Handler) newFrontendForm(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadFrontendPage(c.Request().Context(), api, sn, proto, 0)
	if err != nil {
		return err
	}
	form := views.FrontendForm{Service: sn, Protocol: proto, Options: p.options, Zone: views.FrontendZoneAll}
	q := c.QueryParams()
	if raw := strings.TrimSpace(q.Get("ipfo")); raw != "" {
		block, err := ovh.ParseBlock(raw)
		switch {
		case err != nil:
			form.Notice = fmt.Sprintf("%q is not an IP address: no failover IP was ticked.", raw)
		case slices.ContainsFunc(p.options.IPs, func(o views.FrontendIPOption) bool { return o.IP == block }):
			form.DedicatedIPFO = []string{block}
		default:
			form.Notice = fmt.Sprintf("%s is not routed to this load balancer (yet): when its move is finished, reload this page to pin it.", block)
		}
	}
	frontendFormOverrides(q, &form)
	return h.renderFrontendForm(c, http.StatusOK, p, form)
}

// createFrontend validates the posted form before any API call (422 with
// the fields marked and what was typed kept), creates the frontend, and
// returns to the list with a flash; the list's banner shows the pending
// change. The API's refusal is a 422 with its message and query ID.
func (h *Handler) createFrontend(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	values, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.loadFrontendPage(ctx, api, sn, proto, 0)
	if err != nil {
		return err
	}
	form := views.FrontendForm{Service: sn, Protocol: proto, Options: p.options}
	form.Read(values)
	if !form.Validate() {
		return h.renderFrontendForm(c, http.StatusUnprocessableEntity, p, form)
	}
	created, err := api.CreateFrontend(ctx, sn, proto, form.Create())
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.SetAPIError(ovh.MessageOf(err), ovh.QueryIDOf(err))
		return h.renderFrontendForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s frontend %s added (port %s). %s",
		views.FrontendProtocolLabel(proto), created.Name(), created.Port, notApplied))
	return h.seeOther(c, views.FrontendsPath(sn, proto))
}

// editFrontendForm is the edit form, opened with the frontend's values; the
// form carries them (the snapshot) so that saving sends only the changes.
func (h *Handler) editFrontendForm(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "frontend")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadFrontendPage(c.Request().Context(), api, sn, proto, id)
	if err != nil {
		return err
	}
	orig := views.FrontendValuesOf(*p.current)
	form := views.FrontendForm{Service: sn, Protocol: proto, ID: id, Name: p.current.Name(), Options: p.options, Original: &orig}
	form.Fill(orig)
	frontendFormOverrides(c.QueryParams(), &form)
	return h.renderFrontendForm(c, http.StatusOK, p, form)
}

// updateFrontend saves an edit. The form is validated first (422, no API
// write). The frontend is then read again: the fields the user changed are
// compared with those someone else changed since the form was opened. A
// field both changed to different values is a 409 that shows both values
// and writes nothing; otherwise only the user's changes are PUT (a partial
// update), so that someone else's changes to other fields are kept.
//
// Between that read and the PUT, another write can still slip in: the API
// has no conditional update. The window is one round trip instead of the
// time the form stayed open.
func (h *Handler) updateFrontend(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "frontend")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	values, err := formValues(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := h.loadFrontendPage(ctx, api, sn, proto, id)
	if err != nil {
		return err
	}
	form := views.FrontendForm{Service: sn, Protocol: proto, ID: id, Name: p.current.Name(), Options: p.options}
	form.Read(values)
	current := views.FrontendValuesOf(*p.current)
	if !form.Validate() {
		if form.Original == nil {
			// Without its snapshot the form cannot tell the user's changes
			// from the others': the re-rendered form starts from the
			// current values, and the message says to check it.
			form.Original = &current
		}
		return h.renderFrontendForm(c, http.StatusUnprocessableEntity, p, form)
	}
	merge := form.Merge(current)
	if len(merge.Conflicts) > 0 {
		// The form now starts from the current values: saving it again
		// replaces them with the user's, knowingly.
		form.Conflicts, form.Original = merge.Conflicts, &current
		return h.renderFrontendForm(c, http.StatusConflict, p, form)
	}
	if len(merge.Send) == 0 {
		h.flash(c, views.FlashInfo, fmt.Sprintf("Frontend %s: nothing to save, it already has these values.", p.current.Name()))
		h.flashTheirs(c, "frontend", frontendLabels(merge.Theirs))
		return h.seeOther(c, views.FrontendsPath(sn, proto))
	}
	err = api.UpdateFrontend(ctx, sn, proto, id, views.FrontendUpdateOf(form.Values(), merge.Send))
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.SetAPIError(ovh.MessageOf(err), ovh.QueryIDOf(err))
		return h.renderFrontendForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	name := p.current.Name()
	if slices.Contains(merge.Send, views.FrontendFieldDisplayName) && form.Values().DisplayName != "" {
		name = form.Values().DisplayName
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s frontend %s modified (%s). %s",
		views.FrontendProtocolLabel(proto), name, frontendLabels(merge.Send), notApplied))
	h.flashTheirs(c, "frontend", frontendLabels(merge.Theirs))
	return h.seeOther(c, views.FrontendsPath(sn, proto))
}

// frontendLabels lists fields by label: "name, port".
func frontendLabels(fields []string) string {
	labels := make([]string, len(fields))
	for i, f := range fields {
		labels[i] = strings.ToLower(views.FrontendFieldLabel(f))
	}
	return strings.Join(labels, ", ")
}

// deleteFrontendForm is the delete confirmation: the frontend, the
// failover IPs it pins and the routes attached to it.
func (h *Handler) deleteFrontendForm(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "frontend")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		shell  views.IPLBShell
		f      ovh.Frontend
		routes []ovh.Route
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, views.TabFrontends); return })
	g.Go(func() (err error) { f, err = api.Frontend(gctx, sn, proto, id); return })
	if proto != ovh.UDP {
		g.Go(func() (err error) { routes, err = api.Routes(gctx, sn, proto); return })
	}
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	m := views.FrontendDeleteModel{Service: sn, Frontend: f}
	for _, r := range routes {
		if r.FrontendID != nil && *r.FrontendID == id {
			m.Routes = append(m.Routes, r)
		}
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Delete frontend "+f.Name()), views.NavIPLB),
		views.IPLBPage(shell, views.FrontendDelete(m)))
}

// deleteFrontend deletes the frontend and returns to the list with a flash
// (the list's banner shows the pending change). It reads the frontend first
// for its name.
func (h *Handler) deleteFrontend(c echo.Context) error {
	sn, proto, err := frontendScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "frontend")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := api.Frontend(ctx, sn, proto, id)
	if err != nil {
		return err
	}
	if err := api.DeleteFrontend(ctx, sn, proto, id); err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s frontend %s deleted. %s", views.FrontendProtocolLabel(proto), f.Name(), notApplied))
	return h.seeOther(c, views.FrontendsPath(sn, proto))
}
