package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/static"
)

// syncBuffer is a log sink safe for the concurrent writes of a server.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the JSON log records written so far.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// unitApp is the real Echo app with the real route table, plus a few test
// routes that fail in known ways.
type unitApp struct {
	e   *echo.Echo
	h   *Handler
	log *syncBuffer
}

// signedIn adds to req the cookie of a signed-in session made directly in
// the handler's store (no API involved: unit apps have none).
func (a *unitApp) signedIn(t *testing.T, req *http.Request) *http.Request {
	t.Helper()
	s := a.h.sessions.Fresh(sessionName)
	s.Values[keyAccount] = "xy1234-ovh"
	s.Values[keyName] = "Camille Martin"
	s.Values[keyConsumerKey] = "unitTestConsumerKey"
	rec := httptest.NewRecorder()
	if err := a.h.sessions.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec, s); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	return req
}

func newUnitApp(t *testing.T, d Deps) *unitApp {
	t.Helper()
	logs := &syncBuffer{}
	d.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if d.Endpoint == "" {
		d.Endpoint = "ovh-eu"
	}
	h := New(d)
	e := echo.New()
	h.Register(e)
	// Test routes: each returns the error named by its path.
	e.GET("/test/fail/:what", func(c echo.Context) error { return testErrors[c.Param("what")] })
	e.GET("/test/panic", func(echo.Context) error { panic("boom") })
	e.GET("/test/param/:p", func(c echo.Context) error {
		v, err := pathParam(c, "p")
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, v)
	})
	e.POST("/test/redirect", func(c echo.Context) error { return h.seeOther(c, "/done") })
	return &unitApp{e: e, h: h, log: logs}
}

var testErrors = map[string]error{
	"echo404":     echo.ErrNotFound,
	"echo400msg":  echo.NewHTTPError(http.StatusBadRequest, "Port must be a number."),
	"echo503":     echo.NewHTTPError(http.StatusServiceUnavailable, "secret internal detail"),
	"invalid":     fmt.Errorf("create: %w", &ovh.Error{Op: "ovh.CreateFrontend", Kind: ovh.KindInvalid, Status: 400, Message: "Invalid port: 99999", QueryID: "EU.q1"}),
	"notfound":    &ovh.Error{Kind: ovh.KindNotFound, Status: 404, Message: "The requested object (serviceName = lb-x) does not exist", QueryID: "EU.q2"},
	"forbidden":   &ovh.Error{Kind: ovh.KindForbidden, Status: 403, Message: "This call has not been granted", QueryID: "EU.q3", MissingActions: []string{"ipLoadbalancing:apiovh:refresh/create"}},
	"unauth":      &ovh.Error{Kind: ovh.KindUnauthorized, Status: 403, Message: "Invalid credentials", QueryID: "EU.q4"},
	"conflict":    &ovh.Error{Kind: ovh.KindConflict, Status: 409, Message: "A refresh is already in progress", QueryID: "EU.q5"},
	"unavailable": &ovh.Error{Kind: ovh.KindUnavailable, Err: errors.New("dial tcp: connection refused")},
	"deadline":    fmt.Errorf("list: %w", context.DeadlineExceeded),
	"other":       errors.New("db password=hunter2 leaked in an error"),
	"apiodd":      &ovh.Error{Kind: ovh.KindOther, Status: 200, Message: "cannot decode", QueryID: "EU.q6"},
}

// do sends req through the app with extra headers and parses the answer.
func (a *unitApp) do(t *testing.T, req *http.Request, hdr map[string]string) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rec, doc
}

func (a *unitApp) get(t *testing.T, target string, hdr map[string]string) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	return a.do(t, httptest.NewRequest(http.MethodGet, target, nil), hdr)
}

func testID(id string) string { return `[data-testid="` + id + `"]` }

var (
	htmxFragment = map[string]string{"HX-Request": "true"}
	htmxBoosted  = map[string]string{"HX-Request": "true", "HX-Boosted": "true"}
	htmxHistory  = map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"}
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	rec, _ := a.get(t, "/healthz", nil)
	if rec.Code != http.StatusOK || rec.Body.String() != "ok" {
		t.Errorf("healthz = %d %q, want 200 ok", rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestHomePageOrFragment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		demo       bool
		headers    map[string]string
		wantLayout bool
		wantBanner bool
	}{
		{name: "address bar", headers: nil, wantLayout: true},
		{name: "address bar, demo", demo: true, headers: nil, wantLayout: true, wantBanner: true},
		{name: "htmx fragment", headers: htmxFragment, wantLayout: false},
		{name: "boosted gets the page", demo: true, headers: htmxBoosted, wantLayout: true, wantBanner: true},
		{name: "history restore gets the page", headers: htmxHistory, wantLayout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newUnitApp(t, Deps{Demo: tt.demo, Endpoint: "http://127.0.0.1:1/ovhapi/1.0"})
			rec, doc := a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, "/", nil)), tt.headers)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			if got := doc.Find("html body nav").Length() > 0; got != tt.wantLayout {
				t.Errorf("layout rendered = %v, want %v", got, tt.wantLayout)
			}
			if got := doc.Find(testID("demo-banner")).Length() == 1; got != tt.wantBanner {
				t.Errorf("demo banner = %v, want %v", got, tt.wantBanner)
			}
			if doc.Find(testID("home")).Length() != 1 {
				t.Error("home section missing")
			}
			if got := doc.Find(testID("api-endpoint") + " code").Text(); got != "http://127.0.0.1:1/ovhapi/1.0" {
				t.Errorf("endpoint shown = %q", got)
			}
			if vary := rec.Header().Values("Vary"); !contains(vary, "HX-Request") {
				t.Errorf("Vary = %v, want HX-Request", vary)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=UTF-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == s {
				return true
			}
		}
	}
	return false
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		status      int
		message     string // substring of what the operator sees
		queryID     string
		missing     int
		notShown    string // must not appear (internal text)
		headers     map[string]string
		wantLayout  bool
		wantRetaget bool
	}{
		{what: "echo404", status: 404, message: msgNotFound},
		{what: "echo400msg", status: 400, message: "Port must be a number."},
		{what: "echo503", status: 503, message: msgInternal, notShown: "secret internal detail"},
		{what: "invalid", status: 400, message: "Invalid port: 99999", queryID: "EU.q1"},
		{what: "notfound", status: 404, message: "serviceName = lb-x", queryID: "EU.q2"},
		{what: "forbidden", status: 403, message: msgForbidden, queryID: "EU.q3", missing: 1},
		{what: "unauth", status: 503, message: msgUnauthorized, queryID: "EU.q4"},
		{what: "conflict", status: 409, message: "A refresh is already in progress", queryID: "EU.q5"},
		{what: "unavailable", status: 502, message: msgUnavailable, notShown: "connection refused"},
		{what: "deadline", status: 502, message: msgUnavailable},
		{what: "other", status: 500, message: msgInternal, notShown: "hunter2"},
		{what: "apiodd", status: 500, message: msgAPIMisbehaved, queryID: "EU.q6"},
	}
	for _, tt := range tests {
		for _, mode := range []struct {
			name     string
			headers  map[string]string
			fragment bool
		}{{"page", nil, false}, {"boosted", htmxBoosted, false}, {"htmx", htmxFragment, true}} {
			t.Run(tt.what+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				a := newUnitApp(t, Deps{})
				rec, doc := a.get(t, "/test/fail/"+tt.what, mode.headers)
				if rec.Code != tt.status {
					t.Fatalf("status = %d, want %d", rec.Code, tt.status)
				}
				reqID := rec.Header().Get(echo.HeaderXRequestID)
				if reqID == "" {
					t.Fatal("no X-Request-Id")
				}
				root := doc.Find(testID("error-page"))
				if mode.fragment {
					root = doc.Find(testID("alert"))
					if got := rec.Header().Get("HX-Retarget"); got != "#alerts" {
						t.Errorf("HX-Retarget = %q, want #alerts", got)
					}
					if got := rec.Header().Get("HX-Reswap"); got != "innerHTML" {
						t.Errorf("HX-Reswap = %q, want innerHTML", got)
					}
					if doc.Find("html body nav").Length() != 0 {
						t.Error("alert fragment rendered inside the layout")
					}
				} else {
					if rec.Header().Get("HX-Retarget") != "" {
						t.Error("HX-Retarget on a full page")
					}
					if doc.Find("html body nav").Length() == 0 {
						t.Error("error page without the layout")
					}
				}
				if root.Length() != 1 {
					t.Fatalf("no error element in %s", rec.Body.String())
				}
				if got := root.AttrOr("data-status", ""); got != fmt.Sprint(tt.status) {
					t.Errorf("data-status = %q", got)
				}
				text := root.Text()
				if !strings.Contains(text, tt.message) {
					t.Errorf("message missing: want %q in %q", tt.message, text)
				}
				if !strings.Contains(root.Find(testID("request-id")).Text(), reqID) {
					t.Errorf("request ID %s not shown", reqID)
				}
				if tt.queryID != "" && !strings.Contains(root.Find(testID("query-id")).Text(), tt.queryID) {
					t.Errorf("query ID %s not shown", tt.queryID)
				}
				if got := root.Find(testID("missing-actions") + " li").Length(); got != tt.missing {
					t.Errorf("missing actions = %d, want %d", got, tt.missing)
				}
				if tt.notShown != "" && strings.Contains(rec.Body.String(), tt.notShown) {
					t.Errorf("internal text %q shown outside DEV mode", tt.notShown)
				}
				if root.Find(testID("error-detail")).Length() != 0 {
					t.Error("error detail shown outside DEV mode")
				}
			})
		}
	}
}

func TestErrorDetailInDevMode(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{Dev: true})
	rec, doc := a.get(t, "/test/fail/other", nil)
	if rec.Code != 500 {
		t.Fatalf("status = %d", rec.Code)
	}
	if got := doc.Find(testID("error-detail")).Text(); !strings.Contains(got, "hunter2") {
		t.Errorf("DEV mode detail = %q, want the internal error", got)
	}
}

func TestErrorIsLoggedOnce(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	rec, _ := a.get(t, "/test/fail/conflict?token=SECRET", nil)
	var failed, requests []map[string]any
	for _, l := range a.log.lines(t) {
		switch l["msg"] {
		case "request failed":
			failed = append(failed, l)
		case "request":
			requests = append(requests, l)
		}
	}
	if len(failed) != 1 || len(requests) != 1 {
		t.Fatalf("got %d error lines and %d request lines, want 1 and 1", len(failed), len(requests))
	}
	if failed[0]["status"] != float64(409) || failed[0]["query_id"] != "EU.q5" || failed[0]["level"] != "WARN" {
		t.Errorf("error line = %v", failed[0])
	}
	r := requests[0]
	if r["status"] != float64(409) || r["method"] != "GET" || r["path"] != "/test/fail/conflict" ||
		r["request_id"] != rec.Header().Get(echo.HeaderXRequestID) {
		t.Errorf("request line = %v", r)
	}
	for _, l := range a.log.lines(t) {
		if b, _ := json.Marshal(l); strings.Contains(string(b), "SECRET") {
			t.Errorf("query string logged: %s", b)
		}
	}
}

func TestPanicBecomes500(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	rec, doc := a.get(t, "/test/panic", nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if doc.Find(testID("error-page")).Length() != 1 {
		t.Error("no error page")
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("panic value shown outside DEV mode")
	}
	var logged bool
	for _, l := range a.log.lines(t) {
		if l["msg"] == "request failed" && strings.Contains(fmt.Sprint(l["err"]), "panic: boom") &&
			strings.Contains(fmt.Sprint(l["err"]), "goroutine") && l["level"] == "ERROR" {
			logged = true
		}
	}
	if !logged {
		t.Error("panic and its stack not logged at ERROR")
	}
}

func TestUnknownRouteIs404Page(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{Demo: true})
	rec, doc := a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, "/no/such/page", nil)), nil)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d", rec.Code)
	}
	if doc.Find(testID("error-page")).Length() != 1 || doc.Find(testID("demo-banner")).Length() != 1 {
		t.Error("404 is not a full page with the layout")
	}
}

func TestHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	tests := []struct {
		name, method, target string
		headers              map[string]string
		status               int
		cache                string
		signedIn             bool
	}{
		{name: "page", target: "/", status: 200, cache: "no-store", signedIn: true},
		{name: "fragment", target: "/", headers: htmxFragment, status: 200, cache: "no-store", signedIn: true},
		{name: "healthz", target: "/healthz", status: 200, cache: "no-store"},
		{name: "404", target: "/nope", status: 404, cache: "no-store", signedIn: true},
		{name: "anonymous to login", target: "/nope", status: 303, cache: "no-store"},
		{name: "login page", target: "/login", status: 200, cache: "no-store"},
		// A POST to a GET-only path reaches the web group's catch-all, whose
		// CSRF check answers first (no token: 400).
		{name: "unsafe method without token", method: http.MethodPost, target: "/healthz", status: 400, cache: "no-store"},
		{name: "error alert", target: "/test/fail/conflict", headers: htmxFragment, status: 409, cache: "no-store"},
		{name: "panic", target: "/test/panic", status: 500, cache: "no-store"},
		{name: "static hashed", target: static.Path(static.AppCSS), status: 200, cache: "public, max-age=31536000, immutable"},
		{name: "static unhashed", target: "/static/" + static.AppCSS, status: 200, cache: "public, max-age=300"},
		{name: "static HEAD", method: http.MethodHead, target: static.Path(static.HTMXFile), status: 200, cache: "public, max-age=31536000, immutable"},
		{name: "static missing", target: "/static/js/nope.js", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newUnitApp(t, Deps{})
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tt.target, nil)
			if tt.signedIn {
				req = a.signedIn(t, req)
			}
			rec, _ := a.do(t, req, tt.headers)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if rec.Header().Get(echo.HeaderXRequestID) == "" {
				t.Error("no X-Request-Id")
			}
			if tt.cache != "" {
				if got := rec.Header().Get("Cache-Control"); got != tt.cache {
					t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
				}
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	ids := map[string]bool{}
	for range 3 {
		rec, _ := a.get(t, "/healthz", nil)
		ids[rec.Header().Get(echo.HeaderXRequestID)] = true
	}
	if len(ids) != 3 {
		t.Errorf("request IDs are not unique: %v", ids)
	}
	for _, tc := range []struct {
		in   string
		kept bool
	}{
		{"proxy-abc.123:4", true},
		{strings.Repeat("a", 65), false},
		{"bad id\nwith newline", false},
		{"<script>", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Header.Set(echo.HeaderXRequestID, tc.in)
		rec, _ := a.do(t, req, nil)
		got := rec.Header().Get(echo.HeaderXRequestID)
		if (got == tc.in) != tc.kept || got == "" {
			t.Errorf("incoming %q: got %q, kept = %v, want %v", tc.in, got, got == tc.in, tc.kept)
		}
	}
}

func TestPathParam(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	tests := []struct {
		target string
		status int
		want   string
	}{
		{"/test/param/203.0.113.16%2F29", 200, "203.0.113.16/29"},
		{"/test/param/a%20b", 200, "a b"},
		{"/test/param/plain", 200, "plain"},
		{"/test/param/bad%zz", 400, ""},
	}
	for _, tt := range tests {
		var req *http.Request
		if tt.status == 200 {
			req = httptest.NewRequest(http.MethodGet, tt.target, nil)
		} else {
			// httptest.NewRequest rejects a malformed escape; a raw
			// request line can still carry one.
			req = httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawPath, req.RequestURI = tt.target, tt.target, tt.target
		}
		rec, doc := a.do(t, req, nil)
		if rec.Code != tt.status {
			t.Errorf("%s: status = %d, want %d", tt.target, rec.Code, tt.status)
			continue
		}
		if tt.status == 200 && rec.Body.String() != tt.want {
			t.Errorf("%s: param = %q, want %q", tt.target, rec.Body.String(), tt.want)
		}
		if tt.status == 400 && !strings.Contains(doc.Find(testID("error-page")).Text(), "Malformed p in the URL.") {
			t.Errorf("%s: 400 page lacks the message", tt.target)
		}
	}
}

func TestSeeOther(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	tests := []struct {
		name       string
		headers    map[string]string
		status     int
		location   string
		hxRedirect string
	}{
		{name: "plain form", status: http.StatusSeeOther, location: "/done"},
		{name: "boosted form", headers: htmxBoosted, status: http.StatusSeeOther, location: "/done"},
		{name: "htmx fragment", headers: htmxFragment, status: http.StatusOK, hxRedirect: "/done"},
	}
	for _, tt := range tests {
		rec, _ := a.do(t, httptest.NewRequest(http.MethodPost, "/test/redirect", nil), tt.headers)
		if rec.Code != tt.status {
			t.Errorf("%s: status = %d, want %d", tt.name, rec.Code, tt.status)
		}
		if got := rec.Header().Get("Location"); got != tt.location {
			t.Errorf("%s: Location = %q, want %q", tt.name, got, tt.location)
		}
		if got := rec.Header().Get("HX-Redirect"); got != tt.hxRedirect {
			t.Errorf("%s: HX-Redirect = %q, want %q", tt.name, got, tt.hxRedirect)
		}
		if tt.status == http.StatusOK && rec.Body.Len() != 0 {
			t.Errorf("%s: body = %q, want empty", tt.name, rec.Body.String())
		}
	}
}

func TestTrailingSlashIsRemoved(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	rec, _ := a.get(t, "/healthz/", nil)
	if rec.Code != http.StatusOK || rec.Body.String() != "ok" {
		t.Errorf("/healthz/ = %d %q", rec.Code, rec.Body.String())
	}
}

func TestWantsFragment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		headers map[string]string
		want    bool
	}{
		{nil, false},
		{htmxFragment, true},
		{htmxBoosted, false},
		{htmxHistory, false},
		{map[string]string{"HX-Request": "false"}, false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for k, v := range tc.headers {
			r.Header.Set(k, v)
		}
		if got := wantsFragment(r); got != tc.want {
			t.Errorf("wantsFragment(%v) = %v, want %v", tc.headers, got, tc.want)
		}
	}
}

func TestCanceledRequestGetsNoErrorPage(t *testing.T) {
	t.Parallel()
	a := newUnitApp(t, Deps{})
	a.e.GET("/test/canceled", func(c echo.Context) error { return c.Request().Context().Err() })

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the browser went away
	rec, _ := a.do(t, httptest.NewRequest(http.MethodGet, "/test/canceled", nil).WithContext(ctx), nil)
	if rec.Body.Len() != 0 {
		t.Errorf("rendered %q for a request nobody waits for", rec.Body.String())
	}
	for _, l := range a.log.lines(t) {
		if l["msg"] == "request failed" {
			t.Errorf("a cancelled request was logged as a failure: %v", l)
		}
	}

	// context.Canceled from elsewhere, while the client still waits, is a
	// real failure.
	a.e.GET("/test/canceled-inside", func(echo.Context) error { return fmt.Errorf("x: %w", context.Canceled) })
	rec, _ = a.get(t, "/test/canceled-inside", nil)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
}
