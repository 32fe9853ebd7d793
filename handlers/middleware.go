package handlers

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/iplb-console/iplb-console/static"
)

// contentSecurityPolicy allows nothing inline: no inline script, no inline
// style, no eval. htmx is configured for it in the layout (no injected
// indicator styles, allowEval false); Pico's icons are data: images.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the headers every answer carries, static files and
// errors included.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY") // for browsers without frame-ancestors
		return next(c)
	}
}

// noStore forbids caching of everything but /static/: pages show live
// account data and must never be served from a cache, by the browser's
// back button or by a proxy (miniflux's response.HTML does the same).
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, static.Prefix) {
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// validRequestID is what we accept from an upstream proxy's X-Request-Id;
// anything else (too long, odd characters) is replaced, so that a client
// cannot put arbitrary text into our logs and pages.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID gives every request an ID, in the X-Request-Id response header:
// the log line and the error page show it, so that an operator can match a
// complaint to a log line. A well-formed ID from a proxy in front is kept.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID.MatchString(id) {
			id = rand.Text()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// requestIDOf returns the current request's ID (set by requestID).
func requestIDOf(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// logRequests writes one line per request, after it is answered. It runs the
// error handler itself (as Echo's RequestLogger does) so that the line has
// the final status. It logs the path without the query string, and no
// headers or bodies: those can carry tokens and keys.
func (h *Handler) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		r, res := c.Request(), c.Response()
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", requestIDOf(c)),
			slog.Bool("htmx", isHTMX(r)),
			slog.String("remote", r.RemoteAddr),
		)
		return nil
	}
}

// recoverPanics turns a panic in a handler into an error carrying the stack,
// which the error handler logs once and answers with a 500 page. Echo's
// default would print the stack to its own logger, outside slog.
func recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll:     true,
		DisableErrorHandler: true, // return the error to logRequests
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	})
}
