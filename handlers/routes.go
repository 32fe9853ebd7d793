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

	// Pages. Sessions, login and CSRF arrive with the next issue, as a group
	// around these routes.
	e.GET("/", h.home)
}
