package handlers

import (
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/views"
)

// render writes body inside the layout, or on its own when htmx asked for a
// fragment. It renders into a buffer first so that a template error never
// leaves half a page on the wire (the same reason templ.Handler buffers).
func (h *Handler) render(c echo.Context, status int, meta views.PageMeta, body templ.Component) error {
	// The same URL has two representations, page and fragment.
	c.Response().Header().Add("Vary", hxRequest)
	page := body
	if !wantsFragment(c.Request()) {
		page = views.Layout(meta, body)
	}
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("render %q: %w", meta.Title, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pageMeta lives in session.go: it reads the signed-in user and the flash
// messages from the session.

// statusText is http.StatusText with a fallback for unknown codes.
func statusText(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return fmt.Sprintf("Status %d", status)
}
