package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/views"
)

// healthz answers 200 "ok" when the process serves HTTP. It does not call the
// OVH API: an API outage must not make an orchestrator restart the console.
func (h *Handler) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}

// home shows the landing page.
func (h *Handler) home(c echo.Context) error {
	return h.render(c, http.StatusOK,
		h.pageMeta(c, "Home", views.NavHome),
		views.Home(views.HomeModel{Demo: h.demo, Endpoint: h.endpoint}))
}
