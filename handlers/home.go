package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/views"
)

// healthz answers 200 "ok" when the process serves HTTP. It does not call the
// OVH API: an API outage must not make an orchestrator restart the console.
func (h *Handler) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}

// home shows the landing page and, for a signed-in user, the list of their
// load balancers (loadBalancerList, iplb.go), the console's starting point.
func (h *Handler) home(c echo.Context) error {
	body := views.Home(views.HomeModel{Demo: h.demo, Endpoint: h.endpoint})
	// Without an API client (tests of the skeleton, no session) the page is
	// the landing text alone.
	if client, err := h.clientFor(c); err == nil {
		m, err := loadBalancerList(c.Request().Context(), client)
		if err != nil {
			return err
		}
		m.OnHome = true
		body = templ.Join(body, views.IPLBList(m))
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, "Home", views.NavHome), body)
}
