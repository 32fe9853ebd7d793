package ovhemu

import (
	"net/http/httptest"
	"slices"
)

// TB is the part of testing.TB that NewTestServer needs, so that this
// package does not import testing.
type TB interface {
	Helper()
	Cleanup(func())
}

// NewTestServer starts an emulator on an httptest server listening on
// 127.0.0.1, with its public URL set to the server's URL (options given here
// may override it), closes the server when the test ends, and returns the
// emulator and the go-ovh endpoint, "http://127.0.0.1:N/1.0".
func NewTestServer(t TB, opts ...Option) (*Emulator, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	e := New(slices.Concat([]Option{WithPublicURL(base)}, opts)...)
	srv.Config.Handler = e
	srv.Start()
	t.Cleanup(srv.Close)
	return e, base + "/1.0"
}
