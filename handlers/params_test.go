package handlers

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// paramContext is an Echo context whose path parameters are names=values.
func paramContext(names, values []string) echo.Context {
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	c.SetParamNames(names...)
	c.SetParamValues(values...)
	return c
}

// wantHTTPError checks that err is an *echo.HTTPError with status and
// message.
func wantHTTPError(t *testing.T, err error, status int, message string) {
	t.Helper()
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("error %v, want an HTTP %d", err, status)
	}
	if he.Code != status || he.Message != message {
		t.Errorf("HTTP %d %q, want %d %q", he.Code, he.Message, status, message)
	}
}

// The scopes of the frontend, farm and route pages: frontends and farms
// exist for every protocol, routes for HTTP and TCP only; the 404 says
// which there are; the service name is unescaped.
func TestProtoScope(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		scope func(echo.Context) (string, ovh.Protocol, error)
		proto string
		want  ovh.Protocol // "" = a 404 with msg
		msg   string
	}{
		{"frontends http", frontendScope, "http", ovh.HTTP, ""},
		{"frontends udp", frontendScope, "udp", ovh.UDP, ""},
		{"frontends unknown", frontendScope, "quic", "", "There are HTTP, TCP and UDP frontends only."},
		{"farms tcp", farmScope, "tcp", ovh.TCP, ""},
		{"farms udp", farmScope, "udp", ovh.UDP, ""},
		{"farms unknown", farmScope, "HTTP ", "", "There are HTTP, TCP and UDP farms only."},
		{"routes http", routeScope, "http", ovh.HTTP, ""},
		{"routes tcp", routeScope, "tcp", ovh.TCP, ""},
		{"routes udp", routeScope, "udp", "", "There are HTTP and TCP routes only."},
		{"routes unknown", routeScope, "", "", "There are HTTP and TCP routes only."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sn, proto, err := tt.scope(paramContext([]string{"sn", "proto"}, []string{"lb%2Fx", tt.proto}))
			if tt.want == "" {
				wantHTTPError(t, err, http.StatusNotFound, tt.msg)
				return
			}
			if err != nil || sn != "lb/x" || proto != tt.want {
				t.Errorf("= %q, %q, %v; want lb/x, %q", sn, proto, err, tt.want)
			}
		})
	}
	_, _, err := farmScope(paramContext([]string{"sn", "proto"}, []string{"lb%zz", "http"}))
	wantHTTPError(t, err, http.StatusBadRequest, "Malformed sn in the URL.")
}

func TestPositiveParam(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"0", "-3", "1.5", "x", "", "99999999999999999999"} {
		_, err := positiveParam(paramContext([]string{"sid"}, []string{raw}), "sid", "server")
		wantHTTPError(t, err, http.StatusNotFound, "There is no such server.")
	}
	id, err := positiveParam(paramContext([]string{"id"}, []string{"42"}), "id", "frontend")
	if err != nil || id != 42 {
		t.Errorf("positiveParam(42) = %d, %v", id, err)
	}
}

func TestFormValues(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("port=80&zone=gra"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := echo.New().NewContext(req, httptest.NewRecorder())
	v, err := formValues(c)
	if err != nil || v.Get("port") != "80" || v.Get("zone") != "gra" {
		t.Errorf("formValues = %v, %v", v, err)
	}
	req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader("port=%zz"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = formValues(echo.New().NewContext(req, httptest.NewRecorder()))
	wantHTTPError(t, err, http.StatusBadRequest, "The form could not be read.")
}
