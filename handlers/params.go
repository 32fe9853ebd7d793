package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// pathParam returns the unescaped path parameter name. Echo v4 routes on the
// raw path when the URL has escapes and leaves c.Param escaped, so an IP
// block "203.0.113.16%2F29" would reach the API double-encoded. A malformed
// escape is a 400.
func pathParam(c echo.Context, name string) (string, error) {
	v, err := url.PathUnescape(c.Param(name))
	if err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, "Malformed "+name+" in the URL.").SetInternal(err)
	}
	return v, nil
}
