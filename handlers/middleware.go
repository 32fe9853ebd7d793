package handlers

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/iplb-console/iplb-console/static"
	"github.com/iplb-console/iplb-console/views"
	"github.com/iplb-console/iplb-console/views/components"
)

// contentSecurityPolicy allows nothing inline: no inline script, no inline
// style, no eval. htmx is configured for it in the layout (no injected
// indicator styles, allowEval false); Pico's icons are data: images.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// loginPageCSP is the Content-Security-Policy of the pages holding the
// "Sign in with OVHcloud" form. That form posts to /login, which redirects to
// the API's validation page, and Chromium applies form-action to the
// redirects that follow a form submission: with form-action 'self' the
// browser refuses to leave the console. The validation page is on the API's
// origin for a URL endpoint (the emulator), and on a host OVHcloud does not
// document for the real ones (www.ovh.com, ca.ovh.com and us.ovhcloud.com
// have been seen, REFERENCE §2.3 [O-weak]), hence any https origin there.
// Only these pages get the wider directive; their forms post to /login and
// /login/key alone.
func loginPageCSP(apiBase string) string {
	source := "https:"
	if u, err := url.Parse(apiBase); err == nil && u.Scheme == "http" && u.Host != "" {
		source = u.Scheme + "://" + u.Host
	}
	return strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+source, 1)
}

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

// requireLogin lets signed-in users through and sends everyone else to the
// login page, asking to come back to where they were going: a 303 for a
// plain or boosted request, and for any htmx request HX-Redirect (a full
// navigation), never a login page swapped into a fragment.
func (h *Handler) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := sessionUser(c); ok {
			return next(c)
		}
		reason := ""
		if st := sessionOf(c); st != nil && st.ended {
			reason = reasonExpired
		}
		return h.toLogin(c, reason)
	}
}

// toLogin redirects to the login page with a reason for the message it
// shows, and the page to come back to after signing in.
func (h *Handler) toLogin(c echo.Context, reason string) error {
	to := views.LoginPath(nextFor(c.Request()), reason)
	if isHTMX(c.Request()) {
		c.Response().Header().Set(hxRedirect, to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// nextFor is the page to come back to after signing in: the page the user
// was on for an htmx request (HX-Current-URL, whose request may be a
// fragment or a POST), the requested page for a GET, nothing otherwise.
// Only a local path is kept (safeNext).
func nextFor(r *http.Request) string {
	if isHTMX(r) {
		cur := r.Header.Get("HX-Current-URL")
		if u, err := url.Parse(cur); err == nil && cur != "" {
			return safeNext(u.RequestURI())
		}
		return ""
	}
	if r.Method == http.MethodGet {
		return safeNext(r.URL.RequestURI())
	}
	return ""
}

// safeNext returns next if it is a path on this site, "" otherwise, so that
// ?next= cannot send a signed-in user elsewhere (no open redirect):
// "/iplb?x=1" passes; "//evil.example", "/\evil.example", "https://…",
// "javascript:…" and anything with control characters do not.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' {
		return ""
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if u.Path == views.LoginPath("", "") || strings.HasPrefix(u.Path, views.LoginPath("", "")+"/") || u.Path == views.LogoutPath() {
		return "" // coming back to the login flow itself would loop
	}
	return next
}

// csrfContextKey is where Echo's CSRF middleware puts the token.
const csrfContextKey = "csrf"

// csrf protects every unsafe request (STYLE §2.7): a browser that sends
// Sec-Fetch-Site same-origin (or none) passes, cross-site is refused with
// 403, and anything else must carry the token of the _csrf cookie in the
// X-CSRF-Token header (htmx, from hx-headers on <body>) or the _csrf form
// field (forms without JavaScript). The token then reaches the templates
// through the request context (components.WithCSRF).
func (h *Handler) csrf() echo.MiddlewareFunc {
	check := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:" + components.CSRFHeaderName + ",form:" + components.CSRFFieldName,
		CookieName:     "_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   h.secure,
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     csrfContextKey,
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return check(func(c echo.Context) error {
			token, _ := c.Get(csrfContextKey).(string)
			if token == middleware.CSRFUsingSecFetchSite {
				// The browser proves same-origin itself; the placeholder is
				// no token to render (it would fail a same-site fallback).
				token = ""
			}
			r := c.Request()
			c.SetRequest(r.WithContext(components.WithCSRF(r.Context(), token)))
			return next(c)
		})
	}
}
