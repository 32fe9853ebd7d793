package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/iplb-console/iplb-console/static"
)

// Register installs the error handler, the middleware and every route on e.
// This is the console's whole route table: add routes here, grouped by
// resource, GET and POST only.
func (h *Handler) Register(e *echo.Echo) {
	e.HTTPErrorHandler = h.handleError
	e.Pre(middleware.RemoveTrailingSlash())
	// Order matters: security headers go on every answer, even a panic's;
	// the request ID exists before the log line needs it; the log line sees
	// the final status because logRequests runs the error handler itself;
	// recover turns a panic into an error the log and the error handler see.
	e.Use(securityHeaders, requestID, h.logRequests, recoverPanics(), noStore)

	// Static files: hashed URLs, long cache (static.Handler decides).
	e.Match([]string{http.MethodGet, http.MethodHead}, static.Prefix+"*",
		echo.WrapHandler(http.StripPrefix(static.Prefix, static.Handler())))

	// Public.
	e.GET("/healthz", h.healthz)

	// Everything else loads the session and checks CSRF on unsafe methods.
	// Echo runs a group's middleware for every path under it, unknown ones
	// included (Group.Use adds a catch-all), so an anonymous visitor gets
	// the login page for any address, not a 404 that maps the routes.
	web := e.Group("", h.loadSession, h.csrf())
	web.GET("/login", h.showLogin)
	web.POST("/login", h.login)
	web.GET("/login/callback", h.loginCallback)
	web.POST("/login/key", h.loginWithKey)

	// Pages: signed-in users only.
	app := web.Group("", h.requireLogin)
	app.POST("/logout", h.logout)
	app.GET("/", h.home)
	app.GET("/whoami", h.whoami)

	// Load balancers (IPLB engineer): list, dashboard, banner fragment,
	// apply configuration and the refresh task progress fragment.
	app.GET("/iplb", h.listLoadBalancers)
	app.GET("/iplb/:sn", h.showLoadBalancer)
	app.GET("/iplb/:sn/banner", h.showBanner)
	app.GET("/iplb/:sn/apply", h.showApply)
	app.POST("/iplb/:sn/apply", h.applyConfiguration)
	app.GET("/iplb/:sn/tasks/:id", h.showRefreshTask)
	// End of load balancers.

	// Failover IPs (failover-IP engineer): the list, attach (GET chooser, or
	// ?ip= confirmation; POST moves), the IP task badge (polled), detach
	// (GET confirmation, POST parks).
	app.GET("/iplb/:sn/failover", h.listFailover)
	app.GET("/iplb/:sn/failover/attach", h.attachIPForm)
	app.POST("/iplb/:sn/failover/attach", h.attachIP)
	app.GET("/iplb/:sn/failover/:block/task/:id", h.ipTaskStatus)
	app.GET("/iplb/:sn/failover/:block/detach", h.detachIPForm)
	app.POST("/iplb/:sn/failover/:block/detach", h.detachIP)
	// End of failover IPs.

	// Frontends (frontends engineer): list per protocol, create, edit
	// (partial update), delete with a confirmation page.
	app.GET("/iplb/:sn/frontends/:proto", h.listFrontends)
	app.GET("/iplb/:sn/frontends/:proto/new", h.newFrontendForm)
	app.POST("/iplb/:sn/frontends/:proto", h.createFrontend)
	app.GET("/iplb/:sn/frontends/:proto/:id/edit", h.editFrontendForm)
	app.POST("/iplb/:sn/frontends/:proto/:id", h.updateFrontend)
	app.GET("/iplb/:sn/frontends/:proto/:id/delete", h.deleteFrontendForm)
	app.POST("/iplb/:sn/frontends/:proto/:id/delete", h.deleteFrontend)
	// End of frontends.

	// Routes and rules (routes engineer, issue 6): HTTP and TCP routes per
	// frontend, create, edit (partial update), delete with a confirmation
	// page; rules added on the route's page, edited, removed (GET
	// confirmation, POST; in place with htmx).
	app.GET("/iplb/:sn/routes/:proto", h.listRoutes)
	app.GET("/iplb/:sn/routes/:proto/new", h.newRouteForm)
	app.POST("/iplb/:sn/routes/:proto", h.createRoute)
	app.GET("/iplb/:sn/routes/:proto/:id", h.showRoute)
	app.GET("/iplb/:sn/routes/:proto/:id/edit", h.editRouteForm)
	app.POST("/iplb/:sn/routes/:proto/:id/update", h.updateRoute)
	app.GET("/iplb/:sn/routes/:proto/:id/delete", h.deleteRouteForm)
	app.POST("/iplb/:sn/routes/:proto/:id/delete", h.deleteRoute)
	app.POST("/iplb/:sn/routes/:proto/:id/rules", h.createRule)
	app.GET("/iplb/:sn/routes/:proto/:id/rules/:rid/edit", h.editRuleForm)
	app.POST("/iplb/:sn/routes/:proto/:id/rules/:rid/update", h.updateRule)
	app.GET("/iplb/:sn/routes/:proto/:id/rules/:rid/delete", h.deleteRuleForm)
	app.POST("/iplb/:sn/routes/:proto/:id/rules/:rid/delete", h.deleteRule)
	// Tasks of the IPLB and its failover IPs (routes engineer, issue 6): the
	// page (GET filter form) and the rows polled while a task runs. (GET
	// /iplb/:sn/tasks/:id is the refresh progress fragment, above.)
	app.GET("/iplb/:sn/tasks", h.listTasks)
	app.GET("/iplb/:sn/tasks/:id/row", h.showTaskRow)
	app.GET("/iplb/:sn/ip-tasks/:block/:id/row", h.showIPTaskRow)
	// End of routes and tasks.

	// Farms and servers (farms engineer, issue 6): list per protocol, farm
	// page with its servers, create, edit (partial update), delete (GET
	// confirmation, POST); servers added, edited, enabled/disabled (in
	// place with htmx), deleted (GET confirmation, POST). The vRack page.
	app.GET("/iplb/:sn/farms/:proto", h.listFarms)
	app.GET("/iplb/:sn/farms/:proto/new", h.newFarmForm)
	app.POST("/iplb/:sn/farms/:proto", h.createFarm)
	app.GET("/iplb/:sn/farms/:proto/:id", h.showFarm)
	app.GET("/iplb/:sn/farms/:proto/:id/edit", h.editFarmForm)
	app.POST("/iplb/:sn/farms/:proto/:id/update", h.updateFarm)
	app.GET("/iplb/:sn/farms/:proto/:id/delete", h.deleteFarmForm)
	app.POST("/iplb/:sn/farms/:proto/:id/delete", h.deleteFarm)
	app.GET("/iplb/:sn/farms/:proto/:id/servers/new", h.newServerForm)
	app.POST("/iplb/:sn/farms/:proto/:id/servers", h.createServer)
	app.GET("/iplb/:sn/farms/:proto/:id/servers/:sid/edit", h.editServerForm)
	app.POST("/iplb/:sn/farms/:proto/:id/servers/:sid", h.updateServer)
	app.POST("/iplb/:sn/farms/:proto/:id/servers/:sid/toggle", h.toggleServer)
	app.GET("/iplb/:sn/farms/:proto/:id/servers/:sid/delete", h.deleteServerForm)
	app.POST("/iplb/:sn/farms/:proto/:id/servers/:sid/delete", h.deleteServer)
	app.GET("/iplb/:sn/vrack", h.showVRack)
	// End of farms, servers and vRack.
}
