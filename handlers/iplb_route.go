package handlers

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// routeAPI is what the route and rule pages need from internal/ovh.
type routeAPI interface {
	shellAPI
	Frontends(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Frontend, error)
	Farms(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Farm, error)
	Routes(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Route, error)
	Route(ctx context.Context, sn string, p ovh.Protocol, id int64) (ovh.Route, error)
	CreateRoute(ctx context.Context, sn string, p ovh.Protocol, in ovh.RouteCreate) (ovh.Route, error)
	UpdateRoute(ctx context.Context, sn string, p ovh.Protocol, id int64, u ovh.RouteUpdate) error
	DeleteRoute(ctx context.Context, sn string, p ovh.Protocol, id int64) error
	Rules(ctx context.Context, sn string, p ovh.Protocol, routeID int64) ([]ovh.Rule, error)
	Rule(ctx context.Context, sn string, p ovh.Protocol, routeID, id int64) (ovh.Rule, error)
	CreateRule(ctx context.Context, sn string, p ovh.Protocol, routeID int64, in ovh.RuleCreate) (ovh.Rule, error)
	UpdateRule(ctx context.Context, sn string, p ovh.Protocol, routeID, id int64, u ovh.RuleUpdate) error
	DeleteRule(ctx context.Context, sn string, p ovh.Protocol, routeID, id int64) error
	FetchRouteOptions(ctx context.Context, sn string, p ovh.Protocol) (ovh.RouteOptions, error)
}

// routesTab is the IPLB shell's tab of the route pages.
const routesTab = views.TabRoutes

// routeScope reads :sn and :proto; routes exist for HTTP and TCP only
// (REFERENCE §9), anything else is a 404.
func routeScope(c echo.Context) (string, ovh.Protocol, error) {
	return protoScope(c, "routes", false)
}

// frontendQuery reads ?frontend=<id> (0 when absent); anything but a
// positive id is a 400.
func frontendQuery(c echo.Context) (int64, error) {
	raw := c.QueryParam("frontend")
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "frontend must be a frontend id.")
	}
	return id, nil
}

// routeObjects are the objects of one protocol the route pages judge
// validity with.
type routeObjects struct {
	shell     views.IPLBShell
	frontends []ovh.Frontend
	farms     []ovh.Farm
	routes    []ovh.Route
	options   ovh.RouteOptions
}

// loadRouteObjects fetches, concurrently, the shell and the frontends,
// farms and routes of proto (and the route options when withOptions): two
// round trips (ids, then objects) whatever their number.
func (h *Handler) loadRouteObjects(ctx context.Context, api routeAPI, sn string, proto ovh.Protocol, withOptions bool, extra ...func(context.Context) error) (routeObjects, error) {
	var o routeObjects
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { o.shell, err = h.iplbShell(gctx, api, sn, routesTab); return })
	g.Go(func() (err error) { o.frontends, err = api.Frontends(gctx, sn, proto); return })
	g.Go(func() (err error) { o.farms, err = api.Farms(gctx, sn, proto); return })
	g.Go(func() (err error) { o.routes, err = api.Routes(gctx, sn, proto); return })
	if withOptions {
		g.Go(func() (err error) { o.options, err = api.FetchRouteOptions(gctx, sn, proto); return })
	}
	for _, f := range extra {
		g.Go(func() error { return f(gctx) })
	}
	if err := g.Wait(); err != nil {
		return o, callerErr(ctx, err)
	}
	return o, nil
}

// findRoute returns route id among o.routes, or the API's kind of 404.
func (o routeObjects) findRoute(proto ovh.Protocol, id int64) (ovh.Route, error) {
	i := slices.IndexFunc(o.routes, func(r ovh.Route) bool { return r.ID == id })
	if i < 0 {
		return ovh.Route{}, &ovh.Error{Op: "handlers.findRoute", Kind: ovh.KindNotFound, Status: http.StatusNotFound,
			Message: fmt.Sprintf("There is no %s route %d on this load balancer.", views.FrontendProtocolLabel(proto), id)}
	}
	return o.routes[i], nil
}

func (o routeObjects) frontend(id *int64) *ovh.Frontend {
	if id == nil {
		return nil
	}
	i := slices.IndexFunc(o.frontends, func(f ovh.Frontend) bool { return f.ID == *id })
	if i < 0 {
		return nil
	}
	return &o.frontends[i]
}

// listRoutes is the routes page of one protocol: every frontend with its
// validity and its routes in evaluation order; ?frontend=<id> shows that
// frontend only.
func (h *Handler) listRoutes(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	filter, err := frontendQuery(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	o, err := h.loadRouteObjects(c.Request().Context(), api, sn, proto, false)
	if err != nil {
		return err
	}
	m := views.NewRouteList(sn, proto, o.frontends, o.farms, o.routes, filter)
	title := o.shell.Title(views.FrontendProtocolLabel(proto) + " routes")
	return h.render(c, http.StatusOK, h.pageMeta(c, title, views.NavIPLB), views.IPLBPage(o.shell, views.RouteList(m)))
}

// routeFormOptions are the form's choices from o.
func (o routeObjects) routeFormOptions() views.RouteFormOptions {
	return views.RouteFormOptions{Frontends: o.frontends, Farms: o.farms, Actions: o.options.Actions}
}

// renderRouteForm writes the route form page with status.
func (h *Handler) renderRouteForm(c echo.Context, status int, shell views.IPLBShell, form views.RouteForm) error {
	what := "New " + views.FrontendProtocolLabel(form.Protocol) + " route"
	if form.IsEdit() {
		what = "Modify route " + form.Name
	}
	return h.render(c, status, h.pageMeta(c, shell.Title(what), views.NavIPLB), views.IPLBPage(shell, views.RouteEdit(form)))
}

// newRouteForm is the creation form; ?frontend=<id> preselects that
// frontend (the fix of an invalid frontend links here).
func (h *Handler) newRouteForm(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	frontend, err := frontendQuery(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	o, err := h.loadRouteObjects(c.Request().Context(), api, sn, proto, true)
	if err != nil {
		return err
	}
	if o.frontend(&frontend) == nil {
		frontend = 0 // a stale link: preselect nothing rather than fail
	}
	return h.renderRouteForm(c, http.StatusOK, o.shell, views.NewRouteForm(sn, proto, frontend, o.routeFormOptions()))
}

// createRoute validates the form before any API call (422 keeping what was
// typed), creates the route and goes to its page, where its rules are
// added. The API's refusal is a 422 with its message and query ID.
func (h *Handler) createRoute(c echo.Context) error {
	sn, proto, err := routeScope(c)
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
	o, err := h.loadRouteObjects(ctx, api, sn, proto, true)
	if err != nil {
		return err
	}
	form := views.RouteForm{Service: sn, Protocol: proto, Options: o.routeFormOptions()}
	form.Read(values)
	if !form.Validate() {
		return h.renderRouteForm(c, http.StatusUnprocessableEntity, o.shell, form)
	}
	created, err := api.CreateRoute(ctx, sn, proto, form.Create())
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderRouteForm(c, http.StatusUnprocessableEntity, o.shell, form)
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s route %s added. Add its rules below: a route without rules never matches. %s",
		views.FrontendProtocolLabel(proto), views.RouteName(created), notApplied))
	return h.seeOther(c, views.RoutePath(sn, proto, created.ID))
}

// loadRouteDetail fetches the route page of route id: the objects of its
// protocol, its options and its rules, concurrently.
func (h *Handler) loadRouteDetail(ctx context.Context, api routeAPI, sn string, proto ovh.Protocol, id int64) (views.IPLBShell, views.RouteDetailModel, error) {
	var rules []ovh.Rule
	o, err := h.loadRouteObjects(ctx, api, sn, proto, true, func(ctx context.Context) (err error) {
		rules, err = api.Rules(ctx, sn, proto, id)
		return err
	})
	if err != nil {
		return o.shell, views.RouteDetailModel{}, err
	}
	r, err := o.findRoute(proto, id)
	if err != nil {
		return o.shell, views.RouteDetailModel{}, err
	}
	return o.shell, views.NewRouteDetail(sn, r, rules, o.frontends, o.farms, o.routes, o.options), nil
}

// renderRouteDetail writes the route page (or, for an htmx fragment
// request, the route detail alone) with status.
func (h *Handler) renderRouteDetail(c echo.Context, status int, shell views.IPLBShell, m views.RouteDetailModel) error {
	meta := h.pageMeta(c, shell.Title(views.FrontendProtocolLabel(m.Protocol)+" route "+views.RouteName(m.Route)), views.NavIPLB)
	if wantsFragment(c.Request()) {
		return h.render(c, status, meta, views.RouteDetail(m))
	}
	return h.render(c, status, meta, views.IPLBPage(shell, views.RouteDetail(m)))
}

// showRoute is a route's page: its action, whether it makes its frontend
// valid, its rules and the form adding one.
func (h *Handler) showRoute(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "route")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	shell, m, err := h.loadRouteDetail(c.Request().Context(), api, sn, proto, id)
	if err != nil {
		return err
	}
	return h.renderRouteDetail(c, http.StatusOK, shell, m)
}

// editRouteForm is the edit form, carrying the route's values (the
// snapshot) so that saving sends only the changes.
func (h *Handler) editRouteForm(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "route")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	o, err := h.loadRouteObjects(c.Request().Context(), api, sn, proto, true)
	if err != nil {
		return err
	}
	r, err := o.findRoute(proto, id)
	if err != nil {
		return err
	}
	return h.renderRouteForm(c, http.StatusOK, o.shell, views.EditRouteForm(sn, r, o.routeFormOptions()))
}

// updateRoute saves an edit: validated first (422, no API write), then
// compared with the route as it is now. A field someone else changed
// differently since the form was opened (the action counting as one field)
// is a 409 showing both values, nothing written; otherwise only the user's
// changes are PUT, so someone else's change to another field is kept.
func (h *Handler) updateRoute(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "route")
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
	o, err := h.loadRouteObjects(ctx, api, sn, proto, true)
	if err != nil {
		return err
	}
	r, err := o.findRoute(proto, id)
	if err != nil {
		return err
	}
	form := views.EditRouteForm(sn, r, o.routeFormOptions())
	// Without a snapshot (an old page), compare with the route as it is
	// now: Read replaces Original when the form carries one.
	form.Read(values)
	if !form.Validate() {
		return h.renderRouteForm(c, http.StatusUnprocessableEntity, o.shell, form)
	}
	current := views.RouteValuesOf(r)
	merge := form.Merge(current)
	if len(merge.Conflicts) > 0 {
		// The form now starts from the current values: saving again
		// replaces them with the user's, knowingly, and keeps the rest.
		form.Conflicts = merge.Conflicts
		form.Rebase(current)
		return h.renderRouteForm(c, http.StatusConflict, o.shell, form)
	}
	name := views.RouteName(r)
	if len(merge.Send) == 0 {
		h.flash(c, views.FlashInfo, fmt.Sprintf("Route %s: nothing to save, it already has these values.", name))
		h.flashTheirs(c, "route", views.RouteLabels(merge.Theirs))
		return h.seeOther(c, views.RoutePath(sn, proto, id))
	}
	err = api.UpdateRoute(ctx, sn, proto, id, views.RouteUpdateOf(form.Values(), merge.Send))
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderRouteForm(c, http.StatusUnprocessableEntity, o.shell, form)
	}
	if err != nil {
		return err
	}
	if slices.Contains(merge.Send, views.RouteFieldDisplayName) && form.Values().DisplayName != "" {
		name = form.Values().DisplayName
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Route %s modified (%s). %s", name, views.RouteLabels(merge.Send), notApplied))
	h.flashTheirs(c, "route", views.RouteLabels(merge.Theirs))
	return h.seeOther(c, views.RoutePath(sn, proto, id))
}

// deleteRouteForm is the confirmation page: the route, its rules, and
// whether its frontend would become invalid without it.
func (h *Handler) deleteRouteForm(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "route")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	o, err := h.loadRouteObjects(c.Request().Context(), api, sn, proto, false)
	if err != nil {
		return err
	}
	r, err := o.findRoute(proto, id)
	if err != nil {
		return err
	}
	after := slices.DeleteFunc(slices.Clone(o.routes), func(x ovh.Route) bool { return x.ID == id })
	f := o.frontend(r.FrontendID)
	m := views.RouteDeleteModel{Service: sn, Route: r, Frontend: f,
		Action:      views.RouteActionText(proto, r.Action, o.farms),
		Invalidates: views.WouldInvalidate(f, o.farms, o.routes, after)}
	return h.render(c, http.StatusOK, h.pageMeta(c, o.shell.Title("Delete route "+views.RouteName(r)), views.NavIPLB),
		views.IPLBPage(o.shell, views.RouteDelete(m)))
}

// deleteRoute deletes the route (and its rules) and returns to its
// frontend's routes.
func (h *Handler) deleteRoute(c echo.Context) error {
	sn, proto, err := routeScope(c)
	if err != nil {
		return err
	}
	id, err := positiveParam(c, "id", "route")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := api.Route(ctx, sn, proto, id)
	if err != nil {
		return err
	}
	if err := api.DeleteRoute(ctx, sn, proto, id); err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s route %s deleted. %s", views.FrontendProtocolLabel(proto), views.RouteName(r), notApplied))
	back := views.RoutesPath(sn, proto)
	if r.FrontendID != nil {
		back = views.FrontendRoutesPath(sn, proto, *r.FrontendID)
	}
	return h.seeOther(c, back)
}

// ruleScope reads :sn, :proto and the route id :id.
func ruleScope(c echo.Context) (string, ovh.Protocol, int64, error) {
	sn, proto, err := routeScope(c)
	if err != nil {
		return "", "", 0, err
	}
	id, err := positiveParam(c, "id", "route")
	return sn, proto, id, err
}

// afterRuleChange answers a successful rule write: for an htmx fragment
// request, the route detail fetched again (its badges follow the rules),
// the banner and the message out of band; otherwise a redirect to the
// route's page with the message as a flash.
func (h *Handler) afterRuleChange(c echo.Context, api routeAPI, sn string, proto ovh.Protocol, routeID int64, msg string) error {
	if !wantsFragment(c.Request()) {
		h.flash(c, views.FlashSuccess, msg)
		return h.seeOther(c, views.RoutePath(sn, proto, routeID))
	}
	ctx := c.Request().Context()
	shell, m, err := h.loadRouteDetail(ctx, api, sn, proto, routeID)
	if err != nil {
		return err
	}
	// The shell was fetched with the detail, after the write: its banner
	// is fresh.
	banner := views.PendingBannerOOB(shell.Banner)
	return h.render(c, http.StatusOK, h.pageMeta(c, "", views.NavIPLB), views.RouteDetailUpdate(m, banner, msg))
}

// createRule adds a rule to the route (the form on its page): validated
// against availableRouteRules before any call (422 re-rendering the page, or
// the route detail in place, keeping what was typed); the API's refusal is
// a 422 with its message and query ID.
func (h *Handler) createRule(c echo.Context) error {
	sn, proto, routeID, err := ruleScope(c)
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
	shell, m, err := h.loadRouteDetail(ctx, api, sn, proto, routeID)
	if err != nil {
		return err
	}
	form := m.NewRule
	form.Read(values)
	if !form.Validate() {
		m.NewRule = form
		return h.renderRouteDetail(c, http.StatusUnprocessableEntity, shell, m)
	}
	created, err := api.CreateRule(ctx, sn, proto, routeID, form.Create())
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		m.NewRule = form
		return h.renderRouteDetail(c, http.StatusUnprocessableEntity, shell, m)
	}
	if err != nil {
		return err
	}
	return h.afterRuleChange(c, api, sn, proto, routeID,
		fmt.Sprintf("Rule added: %s. %s", views.RuleText(created), notApplied))
}

// loadRuleForm fetches the shell, the route, the rule and the rule fields,
// concurrently.
func (h *Handler) loadRuleForm(ctx context.Context, api routeAPI, sn string, proto ovh.Protocol, routeID, ruleID int64) (views.IPLBShell, ovh.Route, ovh.Rule, ovh.RouteOptions, error) {
	var (
		shell views.IPLBShell
		route ovh.Route
		rule  ovh.Rule
		opts  ovh.RouteOptions
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, routesTab); return })
	g.Go(func() (err error) { route, err = api.Route(gctx, sn, proto, routeID); return })
	g.Go(func() (err error) { rule, err = api.Rule(gctx, sn, proto, routeID, ruleID); return })
	g.Go(func() (err error) { opts, err = api.FetchRouteOptions(gctx, sn, proto); return })
	if err := g.Wait(); err != nil {
		return shell, route, rule, opts, callerErr(ctx, err)
	}
	return shell, route, rule, opts, nil
}

func (h *Handler) renderRuleForm(c echo.Context, status int, shell views.IPLBShell, route ovh.Route, form views.RuleForm) error {
	return h.render(c, status, h.pageMeta(c, shell.Title("Modify a rule of route "+views.RouteName(route)), views.NavIPLB),
		views.IPLBPage(shell, views.RuleEdit(route, form)))
}

// editRuleForm is the edit form of a rule, carrying its values.
func (h *Handler) editRuleForm(c echo.Context) error {
	sn, proto, routeID, err := ruleScope(c)
	if err != nil {
		return err
	}
	ruleID, err := positiveParam(c, "rid", "rule")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	shell, route, rule, opts, err := h.loadRuleForm(c.Request().Context(), api, sn, proto, routeID, ruleID)
	if err != nil {
		return err
	}
	return h.renderRuleForm(c, http.StatusOK, shell, route, views.EditRuleForm(sn, proto, routeID, rule, opts.Rules))
}

// updateRule saves a rule edit: validated first, then a partial PUT of the
// changed fields.
func (h *Handler) updateRule(c echo.Context) error {
	sn, proto, routeID, err := ruleScope(c)
	if err != nil {
		return err
	}
	ruleID, err := positiveParam(c, "rid", "rule")
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
	shell, route, rule, opts, err := h.loadRuleForm(ctx, api, sn, proto, routeID, ruleID)
	if err != nil {
		return err
	}
	form := views.EditRuleForm(sn, proto, routeID, rule, opts.Rules)
	form.Read(values)
	if !form.Validate() {
		return h.renderRuleForm(c, http.StatusUnprocessableEntity, shell, route, form)
	}
	u, changed := form.Update()
	if !changed {
		h.flash(c, views.FlashInfo, "Rule "+views.RuleText(rule)+": nothing to save, it already has these values.")
		return h.seeOther(c, views.RoutePath(sn, proto, routeID))
	}
	err = api.UpdateRule(ctx, sn, proto, routeID, ruleID, u)
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderRuleForm(c, http.StatusUnprocessableEntity, shell, route, form)
	}
	if err != nil {
		return err
	}
	v := form.Values()
	now := ovh.Rule{Field: v.Field, Match: v.Match, Negate: v.Negate, SubField: &v.SubField, Pattern: &v.Pattern}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Rule modified: %s. %s", views.RuleText(now), notApplied))
	return h.seeOther(c, views.RoutePath(sn, proto, routeID))
}

// deleteRuleForm is the confirmation page of a rule's removal (the route
// page removes rules in place with htmx, after a confirm dialog).
func (h *Handler) deleteRuleForm(c echo.Context) error {
	sn, proto, routeID, err := ruleScope(c)
	if err != nil {
		return err
	}
	ruleID, err := positiveParam(c, "rid", "rule")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	var rule ovh.Rule
	o, err := h.loadRouteObjects(c.Request().Context(), api, sn, proto, false, func(ctx context.Context) (err error) {
		rule, err = api.Rule(ctx, sn, proto, routeID, ruleID)
		return err
	})
	if err != nil {
		return err
	}
	r, err := o.findRoute(proto, routeID)
	if err != nil {
		return err
	}
	// The route without the rule, for the frontend's verdict afterwards.
	after := slices.Clone(o.routes)
	for i := range after {
		if after[i].ID == routeID {
			after[i].Rules = slices.DeleteFunc(slices.Clone(after[i].Rules), func(x ovh.Rule) bool { return x.ID == ruleID })
		}
	}
	f := o.frontend(r.FrontendID)
	m := views.RuleDeleteModel{Service: sn, Route: r, Rule: rule, Frontend: f,
		Invalidates: views.WouldInvalidate(f, o.farms, o.routes, after)}
	return h.render(c, http.StatusOK, h.pageMeta(c, o.shell.Title("Remove a rule of route "+views.RouteName(r)), views.NavIPLB),
		views.IPLBPage(o.shell, views.RuleDelete(m)))
}

// deleteRule removes a rule: in place with htmx (the route detail, the
// banner and a message), or back to the route's page.
func (h *Handler) deleteRule(c echo.Context) error {
	sn, proto, routeID, err := ruleScope(c)
	if err != nil {
		return err
	}
	ruleID, err := positiveParam(c, "rid", "rule")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rule, err := api.Rule(ctx, sn, proto, routeID, ruleID)
	if err != nil {
		return err
	}
	if err := api.DeleteRule(ctx, sn, proto, routeID, ruleID); err != nil {
		return err
	}
	return h.afterRuleChange(c, api, sn, proto, routeID,
		fmt.Sprintf("Rule removed: %s. %s", views.RuleText(rule), notApplied))
}
