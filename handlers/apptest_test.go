package handlers

// App-test helpers: the real console (the Echo app from Register, the real
// internal/ovh client and go-ovh) against the OVH API emulator over HTTP,
// driven by cookie-jar "browsers". Reuse them for page tests:
//
//	app := newTestApp(t)                        // emulator + console on httptest servers
//	b := app.loginAs(t, ovhemu.DemoAccount)     // a signed-in browser (paste-key form, key from emu.IssueConsumerKey)
//	status, doc := b.get(t, "/whoami")          // GET, parsed with goquery
//	status, doc = b.post(t, "/logout", nil)     // POST a form, with the CSRF token of the last page (or cookie)
//	status, doc = b.follow(t)                   // follow the last answer's Location or HX-Redirect
//	b.header("HX-Redirect")                     // a header of the last answer
//	app.get(t, "/login"); app.post(...)         // the same with the app's anonymous browser (app.browser)
//	b2 := app.newBrowser(t)                     // another browser (another cookie jar)
//	app.emu.ExpireConsumerKey(b.consumerKey)    // the emulator is at hand; app.clock moves the console's clock
//
// Redirects are never followed automatically: a test sees the 303 (or the
// HX-Redirect) and its target, and calls follow when it wants the next page.
// Pass headers as extra arguments: b.get(t, "/x", htmxHeaders) with
// htmxHeaders = http.Header{"Hx-Request": {"true"}}.
//
// Options: withDemo(), withClock(c), withBackend(b), withSessionKeys(k...),
// withTimeouts(idle, max), withSecureCookies(bool), withUserClient(f),
// withEmulator(opts...), withSharedEmulator(otherApp), withDeps(func(*Deps)).

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/internal/sessionstore"
	"github.com/iplb-console/iplb-console/views"
	"github.com/iplb-console/iplb-console/views/components"
)

// testApp is one console, its emulator and its session store.
type testApp struct {
	emu      *ovhemu.Emulator
	endpoint string      // the emulator's go-ovh endpoint, http://127.0.0.1:N/1.0
	api      *ovh.Client // the console's application client
	url      string      // the console's base URL, http://127.0.0.1:M
	srv      *httptest.Server
	h        *Handler
	e        *echo.Echo
	store    *sessionstore.Store
	backend  sessionstore.Backend
	clock    *testClock
	log      *syncBuffer // the console's JSON log
	browser  *browser    // the anonymous browser behind app.get and app.post
}

type appConfig struct {
	demo     bool
	clock    *testClock
	backend  sessionstore.Backend
	keys     [][]byte
	idle     time.Duration
	max      time.Duration
	user     func(consumerKey string) OVH
	emuOpts  []ovhemu.Option
	emulator *ovhemu.Emulator // share an emulator (and its endpoint) between consoles
	endpoint string
	deps     []func(*Deps)
	secure   bool
}

type appOption func(*appConfig)

// withDemo runs the console in demo mode (banner, demo logins).
func withDemo() appOption { return func(c *appConfig) { c.demo = true } }

// withClock gives the console (sessions, key expiry) the clock c.
func withClock(clk *testClock) appOption { return func(c *appConfig) { c.clock = clk } }

// withBackend keeps sessions in b (default: a Memory backend).
func withBackend(b sessionstore.Backend) appOption { return func(c *appConfig) { c.backend = b } }

// withSessionKeys sets the session keys (default: one random key).
func withSessionKeys(keys ...[]byte) appOption { return func(c *appConfig) { c.keys = keys } }

// withTimeouts sets the sessions' idle timeout and absolute lifetime.
func withTimeouts(idle, maxLife time.Duration) appOption {
	return func(c *appConfig) { c.idle, c.max = idle, maxLife }
}

// withUserClient replaces how a session's client is built (e.g. to wrap
// the real one and count calls).
func withUserClient(f func(consumerKey string) OVH) appOption {
	return func(c *appConfig) { c.user = f }
}

// withEmulator passes options to the emulator.
func withEmulator(opts ...ovhemu.Option) appOption {
	return func(c *appConfig) { c.emuOpts = append(c.emuOpts, opts...) }
}

// withSharedEmulator makes the console use another app's emulator, as two
// replicas of the console would share the real API.
func withSharedEmulator(other *testApp) appOption {
	return func(c *appConfig) { c.emulator, c.endpoint = other.emu, other.endpoint }
}

// withSecureCookies marks the session and CSRF cookies Secure.
func withSecureCookies(secure bool) appOption { return func(c *appConfig) { c.secure = secure } }

// withDeps edits the Deps just before New.
func withDeps(f func(*Deps)) appOption { return func(c *appConfig) { c.deps = append(c.deps, f) } }

// newTestApp starts an emulator and a console using it, both on loopback
// httptest servers closed when the test ends.
func newTestApp(t *testing.T, opts ...appOption) *testApp {
	t.Helper()
	cfg := appConfig{idle: 30 * time.Minute, max: 8 * time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.clock == nil {
		cfg.clock = newTestClock()
	}
	emu, endpoint := cfg.emulator, cfg.endpoint
	if emu == nil {
		emu, endpoint = ovhemu.NewTestServer(t, cfg.emuOpts...)
	}
	api, err := ovh.New(ovh.Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.backend == nil {
		cfg.backend = sessionstore.NewMemory(cfg.clock.Now)
	}
	if cfg.keys == nil {
		cfg.keys = [][]byte{sessionstore.GenerateKey()}
	}
	store, err := sessionstore.New(cfg.backend, sessionstore.Options{
		Keys: cfg.keys, IdleTimeout: cfg.idle, MaxLifetime: cfg.max, Now: cfg.clock.Now,
		Cookie: sessions.Options{Secure: cfg.secure},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	logs := &syncBuffer{}
	d := Deps{
		Log:           slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Demo:          cfg.demo,
		Endpoint:      endpoint,
		API:           api,
		UserClient:    cfg.user,
		Sessions:      store,
		PublicURL:     base,
		IdleTimeout:   cfg.idle,
		Now:           cfg.clock.Now,
		SecureCookies: cfg.secure,
	}
	if cfg.demo {
		d.DemoLogins = testDemoLogins
	}
	for _, f := range cfg.deps {
		f(&d)
	}
	h := New(d)
	e := echo.New()
	h.Register(e)
	srv.Config.Handler = e
	srv.Start()
	t.Cleanup(srv.Close)
	a := &testApp{emu: emu, endpoint: endpoint, api: api, url: base, srv: srv, h: h, e: e,
		store: store, backend: cfg.backend, clock: cfg.clock, log: logs}
	a.browser = a.newBrowser(t)
	return a
}

var testDemoLogins = []views.DemoLogin{
	{Login: ovhemu.DemoAccount, Password: ovhemu.DemoPassword, Label: "demo account"},
	{Login: ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser, Password: ovhemu.DemoPassword, Label: "IAM user"},
	{Login: ovhemu.OtherAccount, Password: ovhemu.DemoPassword, Label: "other account"},
}

// get is app.browser.get.
func (a *testApp) get(t *testing.T, path string, hdr ...http.Header) (int, *goquery.Document) {
	t.Helper()
	return a.browser.get(t, path, hdr...)
}

// post is app.browser.post.
func (a *testApp) post(t *testing.T, path string, form url.Values, hdr ...http.Header) (int, *goquery.Document) {
	t.Helper()
	return a.browser.post(t, path, form, hdr...)
}

// issueKey returns a validated consumer key of the console's application
// for login, with the rights the console asks for, valid for validity (0 =
// unlimited).
func (a *testApp) issueKey(t *testing.T, login string, validity time.Duration) string {
	t.Helper()
	var rules []ovhemu.AccessRule
	for _, r := range consoleAccessRules {
		rules = append(rules, ovhemu.AccessRule{Method: r.Method, Path: r.Path})
	}
	ck, err := a.emu.IssueConsumerKey(ovhemu.DemoAppKey, login, rules, validity)
	if err != nil {
		t.Fatal(err)
	}
	return ck
}

// loginAs signs a new browser in as login ("xy1234-ovh" or
// "xy1234-ovh/ops-alice") through the paste-key form, with a key from the
// emulator, and returns it. The browser's consumerKey is that key.
func (a *testApp) loginAs(t *testing.T, login string) *browser {
	t.Helper()
	b := a.newBrowser(t)
	b.loginWithKey(t, a.issueKey(t, login, 0))
	return b
}

// loginWithKey signs b in with the pasted key ck and checks it worked.
func (b *browser) loginWithKey(t *testing.T, ck string) {
	t.Helper()
	status, doc := b.post(t, "/login/key", url.Values{"consumer_key": {ck}})
	if status != http.StatusSeeOther {
		t.Fatalf("sign-in with a pasted key: status %d, want 303; page: %s", status, doc.Find("main").Text())
	}
	b.consumerKey = ck
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// browser is one cookie jar talking to a console (and to the emulator's
// validation page).
type browser struct {
	app         *testApp
	client      *http.Client
	jar         *cookiejar.Jar
	last        *http.Response // the last answer; its body is in body
	body        []byte
	lastURL     *url.URL
	csrf        string // the CSRF token of the last page that had one
	consumerKey string // the key this browser signed in with (loginAs)
}

// newBrowser returns a browser with an empty cookie jar.
func (a *testApp) newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{app: a, jar: jar, client: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// resolve turns a path into a URL on the console; absolute URLs pass.
func (b *browser) resolve(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return b.app.url + path
}

// do sends one request and keeps the answer as the last one.
func (b *browser) do(t *testing.T, method, path string, body io.Reader, hdr ...http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, b.resolve(path), body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hdr {
		for k, vs := range h {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
	}
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	data, err := io.ReadAll(res.Body)
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	b.last, b.body, b.lastURL = res, data, req.URL
	return res, data
}

// parse parses the last body and remembers its CSRF token, if any.
func (b *browser) parse(t *testing.T) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b.body))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if v, ok := doc.Find(`input[name="` + components.CSRFFieldName + `"]`).First().Attr("value"); ok && v != "" {
		b.csrf = v
	}
	return doc
}

// get GETs path and parses the answer.
func (b *browser) get(t *testing.T, path string, hdr ...http.Header) (int, *goquery.Document) {
	t.Helper()
	res, _ := b.do(t, http.MethodGet, path, nil, hdr...) //nolint:bodyclose // do read and closed it
	return res.StatusCode, b.parse(t)
}

// post submits form to path as a browser form would: with the CSRF token
// of the last page that carried one, or else of the _csrf cookie (a GET of
// /login first if the browser has neither yet). A form that sets _csrf
// itself (or to "" to send none) is left alone.
func (b *browser) post(t *testing.T, path string, form url.Values, hdr ...http.Header) (int, *goquery.Document) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form[components.CSRFFieldName]; !set && !strings.HasPrefix(path, "http") {
		form.Set(components.CSRFFieldName, b.csrfToken(t))
	}
	if len(form[components.CSRFFieldName]) == 1 && form.Get(components.CSRFFieldName) == "" {
		form.Del(components.CSRFFieldName)
	}
	hdr = append(hdr, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	res, _ := b.do(t, http.MethodPost, path, strings.NewReader(form.Encode()), hdr...) //nolint:bodyclose // do read and closed it
	return res.StatusCode, b.parse(t)
}

// csrfToken returns the token a form of this browser would carry.
func (b *browser) csrfToken(t *testing.T) string {
	t.Helper()
	if c := b.cookie("_csrf"); c != nil {
		if b.csrf == "" || b.csrf != c.Value {
			b.csrf = c.Value // the cookie is what the server checks against
		}
		return b.csrf
	}
	if b.csrf != "" {
		return b.csrf
	}
	saved := *b
	b.get(t, "/login")
	token := b.csrf
	if c := b.cookie("_csrf"); c != nil {
		token = c.Value
	}
	b.last, b.body, b.lastURL = saved.last, saved.body, saved.lastURL
	if token == "" {
		t.Fatal("no CSRF token: neither the login page nor a cookie carried one")
	}
	b.csrf = token
	return token
}

// follow GETs where the last answer pointed: Location (3xx) or HX-Redirect.
func (b *browser) follow(t *testing.T, hdr ...http.Header) (int, *goquery.Document) {
	t.Helper()
	if b.last == nil {
		t.Fatal("follow: no previous answer")
	}
	to := b.last.Header.Get("Location")
	if to == "" {
		to = b.last.Header.Get(hxRedirect)
	}
	if to == "" {
		t.Fatalf("follow: the last answer (%d) points nowhere", b.last.StatusCode)
	}
	u, err := b.lastURL.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	return b.get(t, u.String(), hdr...)
}

// header returns a header of the last answer.
func (b *browser) header(name string) string {
	if b.last == nil {
		return ""
	}
	return b.last.Header.Get(name)
}

// cookie returns the console's cookie name in this browser's jar.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.app.url)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookie puts a cookie for the console in this browser's jar (e.g. a
// session cookie copied from another browser).
func (b *browser) setCookie(c *http.Cookie) {
	u, _ := url.Parse(b.app.url)
	b.jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
}

// htmxHeaders mark a request as htmx's (a fragment request).
var htmxHeaders = http.Header{"Hx-Request": {"true"}}

// text returns everything logged so far.
func (b *syncBuffer) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
