package handlers

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// farmPageAPI is what the farm and server pages need from internal/ovh.
type farmPageAPI interface {
	shellAPI
	FarmsWithServers(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Farm, map[int64][]ovh.Server, error)
	Farm(ctx context.Context, sn string, p ovh.Protocol, id int64) (ovh.Farm, error)
	CreateFarm(ctx context.Context, sn string, p ovh.Protocol, in ovh.FarmCreate) (ovh.Farm, error)
	UpdateFarm(ctx context.Context, sn string, p ovh.Protocol, id int64, u ovh.FarmUpdate) error
	DeleteFarm(ctx context.Context, sn string, p ovh.Protocol, id int64) error
	Servers(ctx context.Context, sn string, p ovh.Protocol, farmID int64) ([]ovh.Server, error)
	Server(ctx context.Context, sn string, p ovh.Protocol, farmID, id int64) (ovh.Server, error)
	CreateServer(ctx context.Context, sn string, p ovh.Protocol, farmID int64, in ovh.ServerCreate) (ovh.Server, error)
	UpdateServer(ctx context.Context, sn string, p ovh.Protocol, farmID, id int64, u ovh.ServerUpdate) error
	DeleteServer(ctx context.Context, sn string, p ovh.Protocol, farmID, id int64) error
	Frontends(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Frontend, error)
	Routes(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Route, error)
	Zones(ctx context.Context, sn string) ([]string, error)
	VRackStatus(ctx context.Context, sn string) (ovh.VRackInformation, error)
	VRackNetworks(ctx context.Context, sn string) ([]ovh.VRackNetwork, error)
}

// farmTab is the shell tab of the farm and server pages.
const farmTab = views.TabFarms

// farmScope reads :sn and :proto; an unknown protocol is a 404.
func farmScope(c echo.Context) (string, ovh.Protocol, error) {
	return protoScope(c, "farms", true)
}

// farmScopeID reads :sn, :proto and :id.
func farmScopeID(c echo.Context) (string, ovh.Protocol, int64, error) {
	sn, proto, err := farmScope(c)
	if err != nil {
		return "", "", 0, err
	}
	id, err := positiveParam(c, "id", "farm")
	return sn, proto, id, err
}

// vrackContext is the IPLB's vRack name ("" = none) and networks.
type vrackContext struct {
	name     string
	networks []ovh.VRackNetwork
}

// fetchVRack fetches the vRack status and networks into v, in g.
func fetchVRack(ctx context.Context, g *errgroup.Group, api farmPageAPI, sn string, v *vrackContext) {
	g.Go(func() error {
		st, err := api.VRackStatus(ctx, sn)
		if st.VRackName != nil {
			v.name = *st.VRackName
		}
		return err
	})
	g.Go(func() (err error) { v.networks, err = api.VRackNetworks(ctx, sn); return })
}

// fetchUsers fetches the frontends and (HTTP, TCP) routes of proto, in g.
func fetchUsers(ctx context.Context, g *errgroup.Group, api farmPageAPI, sn string, proto ovh.Protocol, fronts *[]ovh.Frontend, routes *[]ovh.Route) {
	g.Go(func() (err error) { *fronts, err = api.Frontends(ctx, sn, proto); return })
	if proto != ovh.UDP { // REFERENCE §9: routes are HTTP and TCP only
		g.Go(func() (err error) { *routes, err = api.Routes(ctx, sn, proto); return })
	}
}

// listFarms is the farms page of one protocol: every farm with its
// servers' health, its vRack network (and whether it breaks the refresh),
// and the frontends and routes that use it. Everything is fetched
// concurrently: three round trips (farm ids; farms and server ids;
// servers) whatever the number of farms.
func (h *Handler) listFarms(c echo.Context) error {
	sn, proto, err := farmScope(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		shell   views.IPLBShell
		farms   []ovh.Farm
		servers map[int64][]ovh.Server
		fronts  []ovh.Frontend
		routes  []ovh.Route
		vr      vrackContext
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, farmTab); return })
	g.Go(func() (err error) { farms, servers, err = api.FarmsWithServers(gctx, sn, proto); return })
	fetchUsers(gctx, g, api, sn, proto, &fronts, &routes)
	fetchVRack(gctx, g, api, sn, &vr)
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	slices.SortFunc(farms, func(a, b ovh.Farm) int { return int(a.ID - b.ID) })
	m := views.FarmListModel{Service: sn, Protocol: proto, VRackName: vr.name}
	for _, f := range farms {
		m.Rows = append(m.Rows, views.NewFarmRow(f, servers[f.ID], vr.name, vr.networks, views.FarmUsersOf(f, fronts, routes)))
	}
	title := shell.Title(views.FrontendProtocolLabel(proto) + " farms")
	return h.render(c, http.StatusOK, h.pageMeta(c, title, views.NavIPLB), views.IPLBPage(shell, views.FarmList(m)))
}

// farmDetails is a farm with its servers and users, for its page and its
// delete confirmation.
type farmDetails struct {
	shell   views.IPLBShell
	row     views.FarmRow
	servers []ovh.Server
}

// loadFarmDetails fetches, concurrently, the shell, the farm, its servers,
// its users and the vRack context.
func (h *Handler) loadFarmDetails(ctx context.Context, api farmPageAPI, sn string, proto ovh.Protocol, id int64) (farmDetails, error) {
	var (
		d      farmDetails
		farm   ovh.Farm
		fronts []ovh.Frontend
		routes []ovh.Route
		vr     vrackContext
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.shell, err = h.iplbShell(gctx, api, sn, farmTab); return })
	g.Go(func() (err error) { farm, err = api.Farm(gctx, sn, proto, id); return })
	g.Go(func() (err error) { d.servers, err = api.Servers(gctx, sn, proto, id); return })
	fetchUsers(gctx, g, api, sn, proto, &fronts, &routes)
	fetchVRack(gctx, g, api, sn, &vr)
	if err := g.Wait(); err != nil {
		return d, callerErr(ctx, err)
	}
	slices.SortFunc(d.servers, func(a, b ovh.Server) int { return int(a.ID - b.ID) })
	d.row = views.NewFarmRow(farm, d.servers, vr.name, vr.networks, views.FarmUsersOf(farm, fronts, routes))
	return d, nil
}

// showFarm is the page of one farm with its servers.
func (h *Handler) showFarm(c echo.Context) error {
	sn, proto, id, err := farmScopeID(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	d, err := h.loadFarmDetails(c.Request().Context(), api, sn, proto, id)
	if err != nil {
		return err
	}
	m := views.FarmPageModel{Service: sn, Row: d.row, Servers: d.servers}
	return h.render(c, http.StatusOK, h.pageMeta(c, d.shell.Title("Farm "+d.row.Farm.Name()), views.NavIPLB),
		views.IPLBPage(d.shell, views.FarmPage(m)))
}

// farmFormPage is what the farm form pages fetch: the shell, the form's
// choices and, for an edit, the farm as it is now.
type farmFormPage struct {
	shell   views.IPLBShell
	options views.FarmFormOptions
	current *ovh.Farm
}

// loadFarmForm fetches, concurrently, the shell, the zones, the vRack
// context and, for an edit (id ≠ 0), the farm.
func (h *Handler) loadFarmForm(ctx context.Context, api farmPageAPI, sn string, proto ovh.Protocol, id int64) (farmFormPage, error) {
	var (
		p     farmFormPage
		zones []string
		vr    vrackContext
		farm  ovh.Farm
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { p.shell, err = h.iplbShell(gctx, api, sn, farmTab); return })
	g.Go(func() (err error) { zones, err = api.Zones(gctx, sn); return })
	fetchVRack(gctx, g, api, sn, &vr)
	if id != 0 {
		g.Go(func() (err error) { farm, err = api.Farm(gctx, sn, proto, id); return })
	}
	if err := g.Wait(); err != nil {
		return p, callerErr(ctx, err)
	}
	if id != 0 {
		p.current = &farm
	}
	p.options = views.FarmFormOptions{Zones: zones, VRackName: vr.name, Networks: vr.networks}
	return p, nil
}

// renderFarmForm writes the farm form page with status.
func (h *Handler) renderFarmForm(c echo.Context, status int, p farmFormPage, form views.FarmForm) error {
	what := "New " + views.FrontendProtocolLabel(form.Protocol) + " farm"
	if form.IsEdit() {
		what = "Modify farm " + form.Name
	}
	return h.render(c, status, h.pageMeta(c, p.shell.Title(what), views.NavIPLB), views.IPLBPage(p.shell, views.FarmEdit(form)))
}

// farmFormOverrides applies what the vRack select sends when it asks for
// its field again (?vrackNetworkId=): the page renders as if it was chosen.
func farmFormOverrides(c echo.Context, form *views.FarmForm) {
	if v, ok := c.QueryParams()[views.FarmFieldVRackNetwork]; ok {
		form.VRackNetwork = v[0]
	}
}

// newFarmForm is the creation form. In a vRack with a single network, that
// network is chosen already: a farm must be in one for the refresh.
func (h *Handler) newFarmForm(c echo.Context) error {
	sn, proto, err := farmScope(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadFarmForm(c.Request().Context(), api, sn, proto, 0)
	if err != nil {
		return err
	}
	form := views.FarmForm{Service: sn, Protocol: proto, Options: p.options, Zone: views.FrontendZoneAll}
	if p.options.InVRack() && len(p.options.Networks) == 1 {
		form.VRackNetwork = strconv.FormatInt(p.options.Networks[0].ID, 10)
	}
	farmFormOverrides(c, &form)
	return h.renderFarmForm(c, http.StatusOK, p, form)
}

// flashVRack adds a warning when a saved farm breaks the vRack condition of
// a refresh: the form allowed it, the user should not forget it.
func (h *Handler) flashVRack(c echo.Context, opts views.FarmFormOptions, netID int64) {
	if w := views.FarmVRackProblem(opts.VRackName, netID); w != "" {
		h.flash(c, views.FlashWarning, w+" Edit the farm to fix it before applying.")
	}
}

// createFarm validates the posted form before any API call (422 with the
// fields marked and what was typed kept), creates the farm and goes to its
// page to add servers. The API's refusal is a 422 with its message and
// query ID.
func (h *Handler) createFarm(c echo.Context) error {
	sn, proto, err := farmScope(c)
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
	p, err := h.loadFarmForm(ctx, api, sn, proto, 0)
	if err != nil {
		return err
	}
	form := views.FarmForm{Service: sn, Protocol: proto, Options: p.options}
	form.Read(values)
	if !form.Validate() {
		return h.renderFarmForm(c, http.StatusUnprocessableEntity, p, form)
	}
	created, err := api.CreateFarm(ctx, sn, proto, form.Create())
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderFarmForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s farm %s added: add its servers, then choose it as a frontend's default farm. %s",
		views.FrontendProtocolLabel(proto), created.Name(), notApplied))
	h.flashVRack(c, p.options, form.Values().VRackNetworkID)
	return h.seeOther(c, views.FarmPath(sn, proto, created.ID))
}

// editFarmForm is the edit form, opened with the farm's values; the form
// carries them (the snapshot) so that saving sends only the changes.
func (h *Handler) editFarmForm(c echo.Context) error {
	sn, proto, id, err := farmScopeID(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadFarmForm(c.Request().Context(), api, sn, proto, id)
	if err != nil {
		return err
	}
	orig := views.FarmValuesOf(*p.current)
	form := views.FarmForm{Service: sn, Protocol: proto, ID: id, Name: p.current.Name(), Options: p.options, Original: &orig}
	form.Fill(orig)
	farmFormOverrides(c, &form)
	return h.renderFarmForm(c, http.StatusOK, p, form)
}

// updateFarm saves an edit: validated first (422, no API write), then
// compared with the farm as it is now (read with the form's choices). A
// field someone else changed differently meanwhile is a 409 showing both
// values, nothing written; otherwise only the user's changes are PUT.
func (h *Handler) updateFarm(c echo.Context) error {
	sn, proto, id, err := farmScopeID(c)
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
	p, err := h.loadFarmForm(ctx, api, sn, proto, id)
	if err != nil {
		return err
	}
	name := p.current.Name()
	form := views.FarmForm{Service: sn, Protocol: proto, ID: id, Name: name, Options: p.options}
	form.Read(values)
	if !form.Validate() {
		return h.renderFarmForm(c, http.StatusUnprocessableEntity, p, form)
	}
	current := views.FarmValuesOf(*p.current)
	merge := form.Merge(current)
	if len(merge.Conflicts) > 0 {
		// The form now starts from the current values: saving again
		// replaces them with the user's, knowingly, and keeps the rest.
		form.Conflicts = merge.Conflicts
		form.Rebase(current)
		return h.renderFarmForm(c, http.StatusConflict, p, form)
	}
	if len(merge.Send) == 0 {
		h.flash(c, views.FlashInfo, fmt.Sprintf("Farm %s: nothing to save, it already has these values.", name))
		h.flashTheirs(c, "farm", views.FarmLabels(merge.Theirs))
		return h.seeOther(c, views.FarmPath(sn, proto, id))
	}
	err = api.UpdateFarm(ctx, sn, proto, id, views.FarmUpdateOf(form.Values(), merge.Send))
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderFarmForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	if slices.Contains(merge.Send, views.FarmFieldDisplayName) && form.Values().DisplayName != "" {
		name = form.Values().DisplayName
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s farm %s modified (%s). %s",
		views.FrontendProtocolLabel(proto), name, views.FarmLabels(merge.Send), notApplied))
	h.flashTheirs(c, "farm", views.FarmLabels(merge.Theirs))
	h.flashVRack(c, p.options, form.Values().VRackNetworkID)
	return h.seeOther(c, views.FarmPath(sn, proto, id))
}

// flashTheirs says that someone else changed the edited object (what:
// "frontend", "farm", "server", "route") meanwhile, when they did (labels lists the
// fields): their changes were kept.
func (h *Handler) flashTheirs(c echo.Context, what, labels string) {
	if labels == "" {
		return
	}
	h.flash(c, views.FlashWarning, fmt.Sprintf(
		"Someone else changed this %s while you were editing it (%s); their changes were kept and yours applied to the other fields.", what, labels))
}

// deleteFarmForm is the delete confirmation: the servers that go with the
// farm and the frontends and routes that use it.
func (h *Handler) deleteFarmForm(c echo.Context) error {
	sn, proto, id, err := farmScopeID(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	d, err := h.loadFarmDetails(c.Request().Context(), api, sn, proto, id)
	if err != nil {
		return err
	}
	return h.renderFarmDelete(c, http.StatusOK, sn, d, nil)
}

func (h *Handler) renderFarmDelete(c echo.Context, status int, sn string, d farmDetails, refused *views.ErrorModel) error {
	m := views.FarmDeleteModel{Service: sn, Farm: d.row.Farm, Servers: len(d.servers), Users: d.row.Users, Refused: refused}
	return h.render(c, status, h.pageMeta(c, d.shell.Title("Delete farm "+d.row.Farm.Name()), views.NavIPLB),
		views.IPLBPage(d.shell, views.FarmDelete(m)))
}

// deleteFarm deletes the farm (and its servers) and returns to the list.
// The API refuses to delete a farm in use: the confirmation page comes back
// (422) with its message and query ID, and who uses the farm.
func (h *Handler) deleteFarm(c echo.Context) error {
	sn, proto, id, err := farmScopeID(c)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	farm, err := api.Farm(ctx, sn, proto, id)
	if err != nil {
		return err
	}
	err = api.DeleteFarm(ctx, sn, proto, id)
	if ovh.KindOf(err) == ovh.KindInvalid || ovh.KindOf(err) == ovh.KindConflict {
		d, lerr := h.loadFarmDetails(ctx, api, sn, proto, id)
		if lerr != nil {
			return err // the refusal matters more than the page around it
		}
		return h.renderFarmDelete(c, http.StatusUnprocessableEntity, sn, d,
			&views.ErrorModel{Message: ovh.MessageOf(err), QueryID: ovh.QueryIDOf(err)})
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("%s farm %s deleted, with its servers. %s",
		views.FrontendProtocolLabel(proto), farm.Name(), notApplied))
	return h.seeOther(c, views.FarmsPath(sn, proto))
}

// --- Servers. ---

// serverScope reads :sn, :proto, :id (the farm) and, when withServer,
// :sid.
func serverScope(c echo.Context, withServer bool) (sn string, proto ovh.Protocol, farmID, sid int64, err error) {
	if sn, proto, farmID, err = farmScopeID(c); err != nil {
		return
	}
	if withServer {
		sid, err = positiveParam(c, "sid", "server")
	}
	return
}

// serverFormPage is what the server form pages fetch.
type serverFormPage struct {
	shell   views.IPLBShell
	options views.ServerFormOptions
	current *ovh.Server
}

// loadServerForm fetches, concurrently, the shell, the farm, the vRack
// networks (for the address hint) and, for an edit (sid ≠ 0), the server.
func (h *Handler) loadServerForm(ctx context.Context, api farmPageAPI, sn string, proto ovh.Protocol, farmID, sid int64) (serverFormPage, error) {
	var (
		p    serverFormPage
		nets []ovh.VRackNetwork
		srv  ovh.Server
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { p.shell, err = h.iplbShell(gctx, api, sn, farmTab); return })
	g.Go(func() (err error) { p.options.Farm, err = api.Farm(gctx, sn, proto, farmID); return })
	g.Go(func() (err error) { nets, err = api.VRackNetworks(gctx, sn); return })
	if sid != 0 {
		g.Go(func() (err error) { srv, err = api.Server(gctx, sn, proto, farmID, sid); return })
	}
	if err := g.Wait(); err != nil {
		return p, callerErr(ctx, err)
	}
	if sid != 0 {
		p.current = &srv
	}
	if id := p.options.Farm.VRackNetworkID; id != nil {
		if i := slices.IndexFunc(nets, func(n ovh.VRackNetwork) bool { return n.ID == *id }); i >= 0 {
			p.options.Network = &nets[i]
		}
	}
	return p, nil
}

func (h *Handler) renderServerForm(c echo.Context, status int, p serverFormPage, form views.ServerForm) error {
	what := "Add a server to " + p.options.Farm.Name()
	if form.IsEdit() {
		what = "Modify server " + form.Name
	}
	return h.render(c, status, h.pageMeta(c, p.shell.Title(what), views.NavIPLB), views.IPLBPage(p.shell, views.ServerEdit(form)))
}

// newServerForm is the form adding a server to a farm; it starts enabled.
func (h *Handler) newServerForm(c echo.Context) error {
	sn, proto, farmID, _, err := serverScope(c, false)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadServerForm(c.Request().Context(), api, sn, proto, farmID, 0)
	if err != nil {
		return err
	}
	form := views.ServerForm{Service: sn, Protocol: proto, FarmID: farmID, Options: p.options, Active: true}
	return h.renderServerForm(c, http.StatusOK, p, form)
}

// createServer validates the posted form (the address before any call),
// adds the server and returns to the farm's page.
func (h *Handler) createServer(c echo.Context) error {
	sn, proto, farmID, _, err := serverScope(c, false)
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
	p, err := h.loadServerForm(ctx, api, sn, proto, farmID, 0)
	if err != nil {
		return err
	}
	form := views.ServerForm{Service: sn, Protocol: proto, FarmID: farmID, Options: p.options}
	form.Read(values)
	if !form.Validate() {
		return h.renderServerForm(c, http.StatusUnprocessableEntity, p, form)
	}
	created, err := api.CreateServer(ctx, sn, proto, farmID, form.Create())
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderServerForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Server %s (%s) added to farm %s. %s",
		views.ServerName(created), created.Address, p.options.Farm.Name(), notApplied))
	return h.seeOther(c, views.FarmPath(sn, proto, farmID))
}

// editServerForm is the server's edit form, with its snapshot.
func (h *Handler) editServerForm(c echo.Context) error {
	sn, proto, farmID, sid, err := serverScope(c, true)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	p, err := h.loadServerForm(c.Request().Context(), api, sn, proto, farmID, sid)
	if err != nil {
		return err
	}
	orig := views.ServerValuesOf(*p.current)
	form := views.ServerForm{Service: sn, Protocol: proto, FarmID: farmID, ID: sid, Name: views.ServerName(*p.current),
		Options: p.options, Original: &orig}
	form.Fill(orig)
	return h.renderServerForm(c, http.StatusOK, p, form)
}

// updateServer saves a server edit as updateFarm does a farm's.
func (h *Handler) updateServer(c echo.Context) error {
	sn, proto, farmID, sid, err := serverScope(c, true)
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
	p, err := h.loadServerForm(ctx, api, sn, proto, farmID, sid)
	if err != nil {
		return err
	}
	name := views.ServerName(*p.current)
	form := views.ServerForm{Service: sn, Protocol: proto, FarmID: farmID, ID: sid, Name: name, Options: p.options}
	form.Read(values)
	if !form.Validate() {
		return h.renderServerForm(c, http.StatusUnprocessableEntity, p, form)
	}
	current := views.ServerValuesOf(*p.current)
	merge := form.Merge(current)
	if len(merge.Conflicts) > 0 {
		form.Conflicts = merge.Conflicts
		form.Rebase(current)
		return h.renderServerForm(c, http.StatusConflict, p, form)
	}
	if len(merge.Send) == 0 {
		h.flash(c, views.FlashInfo, fmt.Sprintf("Server %s: nothing to save, it already has these values.", name))
		h.flashTheirs(c, "server", views.ServerLabels(merge.Theirs))
		return h.seeOther(c, views.FarmPath(sn, proto, farmID))
	}
	err = api.UpdateServer(ctx, sn, proto, farmID, sid, views.ServerUpdateOf(form.Values(), merge.Send))
	if ovh.KindOf(err) == ovh.KindInvalid {
		form.Error, form.QueryID = ovh.MessageOf(err), ovh.QueryIDOf(err)
		return h.renderServerForm(c, http.StatusUnprocessableEntity, p, form)
	}
	if err != nil {
		return err
	}
	if slices.Contains(merge.Send, views.ServerFieldDisplayName) && form.Values().DisplayName != "" {
		name = form.Values().DisplayName
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Server %s modified (%s). %s", name, views.ServerLabels(merge.Send), notApplied))
	h.flashTheirs(c, "server", views.ServerLabels(merge.Theirs))
	return h.seeOther(c, views.FarmPath(sn, proto, farmID))
}

// toggleServer enables a disabled server or disables an enabled one (a
// partial update of its status alone). With htmx it answers the server's
// row, with the message and the refreshed banner out of band; without, it
// returns to the farm's page with a flash.
func (h *Handler) toggleServer(c echo.Context) error {
	sn, proto, farmID, sid, err := serverScope(c, true)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	s, err := api.Server(ctx, sn, proto, farmID, sid)
	if err != nil {
		return err
	}
	next, verb := ovh.ServerInactive, "disabled"
	if s.Status != ovh.ServerActive {
		next, verb = ovh.ServerActive, "enabled"
	}
	if err := api.UpdateServer(ctx, sn, proto, farmID, sid, ovh.ServerUpdate{Status: &next}); err != nil {
		return err
	}
	s.Status = next
	msg := fmt.Sprintf("Server %s %s. %s", views.ServerName(s), verb, notApplied)
	if !wantsFragment(c.Request()) {
		h.flash(c, views.FlashSuccess, msg)
		return h.seeOther(c, views.FarmPath(sn, proto, farmID))
	}
	// The banner and the farm's server summary, fetched together; neither
	// is worth failing the answer for: the write succeeded.
	m := views.ServerToggledModel{Row: views.ServerRowModel{Service: sn, Server: s}, Message: msg}
	var wg sync.WaitGroup
	wg.Go(func() { m.Banner = h.bannerOOB(ctx, api, sn) })
	wg.Go(func() {
		servers, err := api.Servers(ctx, sn, proto, farmID)
		if err != nil {
			h.log.WarnContext(ctx, "farm health not refreshed", "service", sn, "farm", farmID, "err", err)
			return
		}
		health := views.FarmHealthOf(servers)
		m.Health = &health
	})
	wg.Wait()
	return h.render(c, http.StatusOK, h.pageMeta(c, "Server "+verb, views.NavIPLB), views.ServerToggled(m))
}

// serverDeletePage fetches the confirmation page's content.
func (h *Handler) serverDeletePage(ctx context.Context, api farmPageAPI, sn string, proto ovh.Protocol, farmID, sid int64) (views.IPLBShell, views.ServerDeleteModel, error) {
	var (
		shell   views.IPLBShell
		farm    ovh.Farm
		servers []ovh.Server
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, farmTab); return })
	g.Go(func() (err error) { farm, err = api.Farm(gctx, sn, proto, farmID); return })
	g.Go(func() (err error) { servers, err = api.Servers(gctx, sn, proto, farmID); return })
	if err := g.Wait(); err != nil {
		return shell, views.ServerDeleteModel{}, callerErr(ctx, err)
	}
	i := slices.IndexFunc(servers, func(s ovh.Server) bool { return s.ID == sid })
	if i < 0 {
		return shell, views.ServerDeleteModel{}, &ovh.Error{Op: "handlers.serverDeletePage", Kind: ovh.KindNotFound, Status: http.StatusNotFound,
			Message: fmt.Sprintf("There is no server %d in farm %s.", sid, farm.Name())}
	}
	m := views.ServerDeleteModel{Service: sn, Farm: farm, Server: servers[i], Last: servers[i].Status == ovh.ServerActive}
	for _, s := range servers {
		if s.ID != sid && s.Status == ovh.ServerActive {
			m.Last = false
		}
	}
	return shell, m, nil
}

// deleteServerForm is the server delete confirmation.
func (h *Handler) deleteServerForm(c echo.Context) error {
	sn, proto, farmID, sid, err := serverScope(c, true)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	shell, m, err := h.serverDeletePage(c.Request().Context(), api, sn, proto, farmID, sid)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("Delete server "+views.ServerName(m.Server)), views.NavIPLB),
		views.IPLBPage(shell, views.ServerDelete(m)))
}

// deleteServer removes the server and returns to the farm's page; an API
// refusal brings the confirmation back (422) with its message and query ID.
func (h *Handler) deleteServer(c echo.Context) error {
	sn, proto, farmID, sid, err := serverScope(c, true)
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	s, err := api.Server(ctx, sn, proto, farmID, sid)
	if err != nil {
		return err
	}
	err = api.DeleteServer(ctx, sn, proto, farmID, sid)
	if ovh.KindOf(err) == ovh.KindInvalid || ovh.KindOf(err) == ovh.KindConflict {
		shell, m, lerr := h.serverDeletePage(ctx, api, sn, proto, farmID, sid)
		if lerr != nil {
			return err
		}
		m.Refused = &views.ErrorModel{Message: ovh.MessageOf(err), QueryID: ovh.QueryIDOf(err)}
		return h.render(c, http.StatusUnprocessableEntity, h.pageMeta(c, shell.Title("Delete server "+views.ServerName(s)), views.NavIPLB),
			views.IPLBPage(shell, views.ServerDelete(m)))
	}
	if err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Server %s (%s) deleted. %s", views.ServerName(s), s.Address, notApplied))
	return h.seeOther(c, views.FarmPath(sn, proto, farmID))
}
