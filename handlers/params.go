package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
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

// positiveParam reads the path parameter name as a positive id; anything
// else is a 404 naming what.
func positiveParam(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, "There is no such "+what+".")
	}
	return id, nil
}

// protoScope reads :sn and :proto of the configuration pages. An unknown
// protocol, or UDP for objects that exist for HTTP and TCP only (routes,
// REFERENCE §9), is a 404 saying which protocols there are for what.
func protoScope(c echo.Context, what string, withUDP bool) (string, ovh.Protocol, error) {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return "", "", err
	}
	proto, err := ovh.ParseProtocol(c.Param("proto"))
	switch {
	case err == nil && (withUDP || proto != ovh.UDP):
		return sn, proto, nil
	case withUDP:
		return "", "", echo.NewHTTPError(http.StatusNotFound, "There are HTTP, TCP and UDP "+what+" only.")
	default:
		return "", "", echo.NewHTTPError(http.StatusNotFound, "There are HTTP and TCP "+what+" only.")
	}
}

// formValues reads the posted form; an unreadable one is a 400.
func formValues(c echo.Context) (url.Values, error) {
	values, err := c.FormParams()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
	}
	return values, nil
}
