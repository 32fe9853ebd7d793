package ovhemu

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// faultServer is an emulator on an httptest server with a signed client
// holding a key for DemoAccount.
func faultServer(t *testing.T) (*Emulator, *authAPI, *httptest.Server) {
	t.Helper()
	clk := newAuthClock()
	e := New(WithClock(clk.Now))
	srv := httptest.NewServer(e)
	// Closing waits for handlers; one stuck in a delay fails the test
	// instead of hanging it.
	t.Cleanup(func() { faultNoHang(t, "server close", srv.Close) })
	api := newAuthAPI(srv.URL, clk, issue(t, e, DemoAppKey, DemoAccount, nil, 0))
	// A fresh connection per request: a dropped connection must not make
	// the client retry on another one and hide the drop.
	api.client.Transport = &http.Transport{DisableKeepAlives: true}
	return e, api, srv
}

func TestFaultStatus(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)

	e.Fail("GET", "/me", Fault{Status: http.StatusServiceUnavailable})
	r := api.do(t, "GET", "/1.0/me", "")
	if r.status != 503 || r.header.Get("X-Ovh-Queryid") == "" {
		t.Fatalf("status %d, query id %q", r.status, r.header.Get("X-Ovh-Queryid"))
	}
	if e := r.apiErr(t); e.Class != "Server::ServiceUnavailable" || e.Message != "Service Unavailable" || e.ErrorCode != "" {
		t.Errorf("fault body %s", r.body)
	}
	// Other routes, and the same route under another method, are untouched.
	wantOK(t, "other route", api.do(t, "GET", "/1.0/auth/details", ""))
	// The fault comes before authentication, like a proxy's.
	if r := api.public(t, "GET", "/v1/me", ""); r.status != 503 {
		t.Errorf("unsigned call: %d, want 503", r.status)
	}

	e.Fail("GET", "/me", Fault{Status: 409, Class: "Client::Conflict", Message: "busy"})
	if got := api.do(t, "GET", "/1.0/me", "").apiErr(t); got.Class != "Client::Conflict" || got.Message != "busy" {
		t.Errorf("replaced fault: %+v", got)
	}
	e.ClearFaults()
	wantOK(t, "after ClearFaults", api.do(t, "GET", "/1.0/me", ""))
}

func TestFaultBody(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)
	const html = "<html><body><h1>503 Service Unavailable</h1></body></html>"
	e.Fail("*", "*", Fault{Status: 503, Body: html, Times: 1})
	r := api.do(t, "GET", "/1.0/me", "")
	if r.status != 503 || string(r.body) != html || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("status %d, Content-Type %q, body %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	e.Fail("*", "*", Fault{Status: 500, Body: `{"oops":1}`, Times: 1})
	if r := api.do(t, "GET", "/1.0/me", ""); string(r.body) != `{"oops":1}` || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("JSON body: %q, %q", r.body, r.header.Get("Content-Type"))
	}
}

func TestFaultTimes(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)
	e.Fail("GET", "/me", Fault{Status: 500, Times: 2})
	for i, want := range []int{500, 500, 200, 200} {
		if r := api.do(t, "GET", "/1.0/me", ""); r.status != want {
			t.Errorf("call %d: %d, want %d", i+1, r.status, want)
		}
	}
}

func TestFaultSpecificity(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)
	e.Fail("*", "*", Fault{Status: 500})
	e.Fail("*", "/me", Fault{Status: 501})
	e.Fail("GET", "*", Fault{Status: 502})
	e.Fail("GET", "/me", Fault{Status: 503})
	for _, step := range []struct {
		clear     [2]string // entry removed before the calls
		me, other int       // GET /me, POST /auth/logout
	}{
		{[2]string{}, 503, 500},
		{[2]string{"GET", "/me"}, 502, 500},
		{[2]string{"GET", "*"}, 501, 500},
		{[2]string{"*", "/me"}, 500, 500},
	} {
		if step.clear[0] != "" {
			e.faults.mu.Lock()
			delete(e.faults.faults, faultKey{step.clear[0], step.clear[1]})
			e.faults.mu.Unlock()
		}
		if got := api.do(t, "GET", "/1.0/me", "").status; got != step.me {
			t.Errorf("after removing %v: GET /me %d, want %d", step.clear, got, step.me)
		}
		if got := api.do(t, "POST", "/1.0/auth/logout", "").status; got != step.other {
			t.Errorf("after removing %v: POST /auth/logout %d, want %d", step.clear, got, step.other)
		}
	}
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	e, api, srv := faultServer(t)

	// A delay without a status only slows the call down.
	e.Fail("GET", "/me", Fault{Delay: 30 * time.Millisecond, Times: 1})
	start := time.Now()
	wantOK(t, "delayed", api.do(t, "GET", "/1.0/me", ""))
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered after %s, want at least 30ms", d)
	}

	// A long delay ends when the client goes away, and the handler with it:
	// closing the server (which waits for handlers) must not hang.
	e.Fail("GET", "/me", Fault{Delay: time.Hour, Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res, err := api.client.Do(api.signed(t, "GET", "/1.0/me", "").WithContext(ctx))
	if err == nil {
		_ = res.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client error %v, want a deadline", err)
	}
	faultNoHang(t, "server close", srv.Close)
}

func TestFaultDrop(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)
	e.Fail("GET", "/me", Fault{Drop: true, Times: 1})
	res, err := api.client.Do(api.signed(t, "GET", "/1.0/me", ""))
	if err == nil {
		_ = res.Body.Close()
		t.Fatalf("got status %d, want a dropped connection", res.StatusCode)
	}
	wantOK(t, "after the drop", api.do(t, "GET", "/1.0/me", ""))
	if n := e.Calls("GET", "/me"); n != 2 {
		t.Errorf("Calls = %d, want 2 (no hidden retry)", n)
	}

	// Without a connection to hijack (a recorder, HTTP/2), the handler
	// aborts with http.ErrAbortHandler, which net/http turns into a reset.
	e.Fail("GET", "/auth/time", Fault{Drop: true})
	defer func() {
		if got := recover(); got != http.ErrAbortHandler { //nolint:errorlint // recover gives the exact value
			t.Errorf("recovered %v, want http.ErrAbortHandler", got)
		}
	}()
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/1.0/auth/time", nil))
}

func TestLatency(t *testing.T) {
	t.Parallel()
	e, api, srv := faultServer(t)

	// Which latency applies to which route: the most specific entry.
	e.SetLatency("*", "*", time.Second)
	e.SetLatency("GET", "/me", 2*time.Second)
	e.SetLatency("POST", "*", 3*time.Second)
	for _, c := range []struct {
		rt   route
		want time.Duration
	}{
		{route{method: "GET", pattern: "/me"}, 2 * time.Second},
		{route{method: "POST", pattern: "/auth/logout"}, 3 * time.Second},
		{route{method: "GET", pattern: "/auth/time"}, time.Second},
	} {
		if got, f := e.faults.take(&c.rt); got != c.want || f != nil {
			t.Errorf("%s %s: latency %s fault %v, want %s", c.rt.method, c.rt.pattern, got, f, c.want)
		}
	}
	e.SetLatency("*", "*", 0)
	e.SetLatency("POST", "*", 0)
	if got, _ := e.faults.take(&route{method: "GET", pattern: "/auth/time"}); got != 0 {
		t.Errorf("removed latency still %s", got)
	}
	// Latency and a fault's delay add up.
	e.Fail("GET", "/me", Fault{Delay: time.Second, Times: 1})
	if got, f := e.faults.take(&route{method: "GET", pattern: "/me"}); got != 2*time.Second || f == nil || f.Delay != time.Second {
		t.Errorf("latency %s fault %v", got, f)
	}

	// Over HTTP: a short latency delays the call.
	e.SetLatency("GET", "/me", 30*time.Millisecond)
	start := time.Now()
	wantOK(t, "with latency", api.do(t, "GET", "/1.0/me", ""))
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered after %s, want at least 30ms", d)
	}
	// A long one ends with the client's context.
	e.SetLatency("GET", "/me", time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res, err := api.client.Do(api.signed(t, "GET", "/1.0/me", "").WithContext(ctx))
	if err == nil {
		_ = res.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client error %v, want a deadline", err)
	}
	// In process too: a cancelled request returns at once, writing nothing.
	gone, stop := context.WithCancel(context.Background())
	stop()
	rec := httptest.NewRecorder()
	faultNoHang(t, "ServeHTTP", func() {
		e.ServeHTTP(rec, httptest.NewRequest("GET", "/1.0/me", nil).WithContext(gone))
	})
	if rec.Body.Len() != 0 {
		t.Errorf("abandoned call wrote %q", rec.Body)
	}
	faultNoHang(t, "server close", srv.Close)
}

func TestCalls(t *testing.T) {
	t.Parallel()
	e, api, _ := faultServer(t)
	api.do(t, "GET", "/1.0/me", "")
	api.do(t, "GET", "/v1/me", "")
	api.public(t, "GET", "/1.0/me", "") // refused, still a call of the route
	api.public(t, "GET", "/1.0/auth/time", "")
	api.do(t, "POST", "/1.0/auth/logout", "")
	api.public(t, "GET", "/1.0/no/such/route", "") // no route: not counted
	for _, c := range []struct {
		method, pattern string
		want            int
	}{
		{"GET", "/me", 3},
		{"*", "/me", 3},
		{"GET", "*", 4},
		{"POST", "*", 1},
		{"*", "*", 5},
		{"PUT", "/me", 0},
	} {
		if got := e.Calls(c.method, c.pattern); got != c.want {
			t.Errorf("Calls(%s, %s) = %d, want %d", c.method, c.pattern, got, c.want)
		}
	}
	e.ResetCalls()
	if got := e.Calls("*", "*"); got != 0 {
		t.Errorf("after ResetCalls: %d", got)
	}
	api.public(t, "GET", "/1.0/auth/time", "")
	if got := e.Calls("GET", "/auth/time"); got != 1 {
		t.Errorf("counting after reset: %d", got)
	}
}

// faultNoHang runs f and fails the test if it does not return within 10 s
// (which only a handler stuck in a delay would cause); f is then left
// running, so that the test ends instead of hanging.
func faultNoHang(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Errorf("%s did not return: a delayed handler ignores its context", what)
	}
}
