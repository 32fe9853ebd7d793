package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// handleError is Echo's HTTPErrorHandler: the only place that writes an
// error response. It logs the error once, maps it to a status and a message
// (classify), and renders a full error page, or for an htmx fragment request
// an alert that htmx swaps into #alerts (HX-Retarget), leaving the fragment
// the request targeted untouched.
func (h *Handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return // pagoda's guard: too late to change the answer
	}
	r := c.Request()
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The browser went away; nobody reads an answer. logRequests still
		// writes the request's line.
		return
	}
	if ovh.KindOf(err) == ovh.KindUnauthorized {
		if _, ok := sessionUser(c); ok {
			// The user's consumer key expired or was revoked elsewhere:
			// end the session and send them to sign in again (HX-Redirect
			// for htmx, never a login page inside a fragment).
			h.log.InfoContext(r.Context(), "session ended: consumer key rejected",
				"method", r.Method, "path", r.URL.Path, "request_id", requestIDOf(c), "err", err)
			if endErr := h.endSession(c); endErr != nil {
				err = errors.Join(err, endErr)
			} else {
				_ = h.toLogin(c, reasonRevoked)
				return
			}
		}
	}
	m := classify(err)
	m.RequestID = requestIDOf(c)
	if h.dev {
		m.Detail = err.Error()
	}
	level := slog.LevelWarn
	if m.Status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	h.log.Log(r.Context(), level, "request failed",
		"status", m.Status, "method", r.Method, "path", r.URL.Path,
		"request_id", m.RequestID, "query_id", m.QueryID, "err", err)

	meta := h.pageMeta(c, m.Title, views.NavNone)
	if wantsFragment(r) { // the same rule as render: an alert, not a page
		hdr := c.Response().Header()
		hdr.Set(hxRetarget, "#alerts")
		hdr.Set(hxReswap, "innerHTML")
		_ = h.render(c, m.Status, meta, views.ErrorAlert(m))
		return
	}
	_ = h.render(c, m.Status, meta, views.ErrorPage(m))
}

// Messages for errors whose own text is not meant for the operator.
const (
	msgNotFound      = "There is nothing at this address."
	msgForbidden     = "The API credential is not allowed to do this."
	msgUnauthorized  = "The console's API credential is invalid or expired."
	msgUnavailable   = "The OVHcloud API did not answer. Try again."
	msgInternal      = "Something went wrong. If it happens again, give the request ID below to the console's operator."
	msgAPIMisbehaved = "The OVHcloud API answered something the console did not expect."
)

// classify maps an error to what the operator sees (STYLE §2.6):
//
//	*echo.HTTPError          its code; its message for 4xx
//	ovh.KindInvalid          400, the API's message
//	ovh.KindNotFound         404, the API's message (what was looked for)
//	ovh.KindForbidden        403, and the missing IAM actions
//	ovh.KindUnauthorized     with a signed-in user: handleError ends the
//	                         session and redirects to sign in again; without
//	                         one (the console's own application key was
//	                         refused): 503
//	ovh.KindConflict         409, the API's message
//	ovh.KindUnavailable      502
//	anything else            500, a generic message and the request ID
//
// The OVH query ID is kept whenever the API answered: support asks for it.
func classify(err error) views.ErrorModel {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		m := views.ErrorModel{Status: he.Code, Title: statusText(he.Code)}
		if he.Code < http.StatusInternalServerError {
			if msg, ok := he.Message.(string); ok && msg != m.Title {
				m.Message = msg
			} else if he.Code == http.StatusNotFound {
				m.Message = msgNotFound
			}
		} else {
			m.Message = msgInternal
		}
		return m
	}

	var oe *ovh.Error
	if !errors.As(err, &oe) {
		oe = &ovh.Error{Kind: ovh.KindOf(err)} // a bare deadline is KindUnavailable
	}
	m := views.ErrorModel{QueryID: oe.QueryID}
	switch oe.Kind {
	case ovh.KindInvalid:
		m.Status, m.Message = http.StatusBadRequest, oe.Message
	case ovh.KindNotFound:
		m.Status, m.Message = http.StatusNotFound, oe.Message
	case ovh.KindForbidden:
		m.Status, m.Message, m.MissingActions = http.StatusForbidden, msgForbidden, oe.MissingActions
	case ovh.KindUnauthorized:
		m.Status, m.Message = http.StatusServiceUnavailable, msgUnauthorized
	case ovh.KindConflict:
		m.Status, m.Message = http.StatusConflict, oe.Message
	case ovh.KindUnavailable:
		m.Status, m.Message = http.StatusBadGateway, msgUnavailable
	default:
		m.Status, m.Message = http.StatusInternalServerError, msgInternal
		if oe.QueryID != "" { // the API answered, oddly
			m.Message = msgAPIMisbehaved
		}
	}
	if m.Message == "" {
		m.Message = statusText(m.Status)
	}
	m.Title = statusText(m.Status)
	return m
}
