package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// seeOther redirects after a successful POST (or any request that should end
// on another page):
//   - a plain request (no JavaScript) gets 303 See Other;
//   - a boosted htmx request gets 303 too: the browser follows it with the
//     same htmx headers, so the target renders a whole page, and htmx 2
//     pushes the final URL (xhr.responseURL) into the history;
//   - any other htmx request gets 200 with HX-Redirect, a full navigation,
//     because its target is a fragment that cannot hold a whole page.
//
// STYLE §2.5 suggested HX-Location for boosted requests; but htmx issues
// that GET without HX-Boosted, so the target would answer a fragment and
// htmx would swap it into <body>, losing the layout.
func (h *Handler) seeOther(c echo.Context, to string) error {
	r := c.Request()
	if isHTMX(r) && !isBoosted(r) {
		c.Response().Header().Set(hxRedirect, to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}
