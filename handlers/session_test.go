package handlers

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/internal/sessionstore"
	"github.com/iplb-console/iplb-console/internal/sessionstore/redistest"
	"github.com/iplb-console/iplb-console/views"
)

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	app := newTestApp(t, withClock(clk), withTimeouts(30*time.Minute, 8*time.Hour))
	b := app.loginAs(t, ovhemu.DemoAccount)
	// Each use pushes the idle timeout back...
	for range 4 {
		clk.Advance(29 * time.Minute)
		if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
			t.Fatalf("used every 29 minutes: whoami = %d", status)
		}
	}
	// ...but 31 minutes without a request end the session.
	app.clock.Advance(31 * time.Minute)
	if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther {
		t.Fatalf("after 31 idle minutes: whoami = %d, want 303", status)
	}
	if got := b.header("Location"); got != "/login?next=%2Fwhoami&reason=expired" {
		t.Errorf("Location = %q", got)
	}
	_, doc := b.follow(t)
	if got := doc.Find(testID("login-notice")).Text(); !strings.Contains(got, "session has ended") {
		t.Errorf("notice = %q", got)
	}
}

func TestAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, withTimeouts(30*time.Minute, 2*time.Hour))
	b := app.loginAs(t, ovhemu.DemoAccount)
	for i := range 5 { // 20, 40, …, 100 minutes: busy and within 2 hours
		app.clock.Advance(20 * time.Minute)
		if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
			t.Fatalf("request %d: whoami = %d", i, status)
		}
	}
	app.clock.Advance(20 * time.Minute) // 2 hours after sign-in, however busy
	if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther || b.header("Location") != "/login?next=%2Fwhoami&reason=expired" {
		t.Fatalf("after the absolute lifetime: whoami = %d → %q", status, b.header("Location"))
	}
	// htmx gets HX-Redirect, no page in the fragment.
	b2 := app.loginAs(t, ovhemu.DemoAccount)
	app.clock.Advance(2 * time.Hour)
	status, _ := b2.get(t, "/whoami", htmxHeaders)
	if status != http.StatusOK || b2.header(hxRedirect) != "/login?reason=expired" || len(b2.body) != 0 {
		t.Errorf("htmx after expiry = %d, HX-Redirect %q, body %q", status, b2.header(hxRedirect), b2.body)
	}
}

// Two consoles (replicas) sharing a real redis-server and the session keys
// share sessions: sign in on one, use and sign out on the other.
func TestRedisSessionsSharedByTwoConsoles(t *testing.T) {
	t.Parallel()
	redisURL := redistest.Start(t)
	key := sessionstore.GenerateKey()
	backend := func() sessionstore.Backend {
		r, err := sessionstore.NewRedis(redisURL, "iplb-console:test:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
		if err := r.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := newTestApp(t, withBackend(backend()), withSessionKeys(key))
	b := newTestApp(t, withBackend(backend()), withSessionKeys(key), withSharedEmulator(a))

	user := a.newBrowser(t)
	status, doc := user.signInThroughOVH(t, ovhemu.DemoAccount, "3600", "/whoami")
	if status != http.StatusSeeOther {
		t.Fatalf("sign-in on console A = %d: %s", status, doc.Text())
	}
	// The jar sends 127.0.0.1's cookies to both consoles (cookies ignore
	// ports), as a load balancer in front of replicas would.
	for _, base := range []string{a.url, b.url} {
		status, doc := user.get(t, base+"/whoami")
		if status != http.StatusOK || doc.Find(testID("whoami-login")).Text() != ovhemu.DemoAccount {
			t.Fatalf("%s/whoami = %d", base, status)
		}
	}
	// Sign out on B (with the token of a page B served)...
	user.get(t, b.url+"/whoami")
	if status, _ := user.post(t, b.url+"/logout", url.Values{"_csrf": {user.csrfToken(t)}}); status != http.StatusSeeOther {
		t.Fatalf("logout on B = %d", status)
	}
	// ...ends the session on A too.
	if status, _ := user.get(t, a.url+"/whoami"); status != http.StatusSeeOther {
		t.Errorf("console A after logout on B: whoami = %d", status)
	}
}

// A whole session's worth of flows, with the console's log captured: no
// secret may appear in it, and no consumer key or application secret in a
// page either.
func TestNoSecretInLogsOrPages(t *testing.T) {
	t.Parallel()
	key := sessionstore.GenerateKey()
	// DEV mode shows internal error text on pages: even then, no secret.
	app := newTestApp(t, withSessionKeys(key), withDemo(), withDeps(func(d *Deps) { d.Dev = true }))
	var pages bytes.Buffer
	record := func(b *browser) { pages.Write(b.body); pages.WriteString(b.header("Location")) }

	// "Sign in with OVHcloud", both accounts, and a refusal.
	b := app.newBrowser(t)
	v := b.startLogin(t, "/whoami")
	cb := b.validate(t, v, ovhemu.DemoAccount, ovhemu.DemoPassword, "3600", "authorize")
	state := strings.TrimPrefix(cb, app.url+"/login/callback?state=")
	b.get(t, cb)
	record(b)
	b.get(t, "/whoami")
	record(b)
	ck1 := sessionValue(t, app, b, keyConsumerKey)
	b2 := app.newBrowser(t)
	b2.get(t, b2.validate(t, b2.startLogin(t, ""), ovhemu.OtherAccount, ovhemu.DemoPassword, "0", "refuse"))
	record(b2)
	// A pasted key, a bad pasted key, an expired key, a logout.
	b3 := app.loginAs(t, ovhemu.DemoAccount+"/"+ovhemu.DemoIAMUser)
	record(b3)
	bad := app.issueKey(t, ovhemu.OtherAccount, 0)
	app.emu.ExpireConsumerKey(bad)
	b4 := app.newBrowser(t)
	b4.post(t, "/login/key", url.Values{"consumer_key": {bad}})
	record(b4)
	app.emu.ExpireConsumerKey(b3.consumerKey)
	b3.get(t, "/whoami")
	record(b3)
	b.post(t, "/logout", nil)
	record(b)
	b.get(t, "/login?reason=signed-out")
	record(b)
	// A failure that logs an API error.
	app.emu.Fail(http.MethodGet, "/ipLoadbalancing", ovhemu.Fault{Status: 500, Message: "boom"})
	b5 := app.loginAs(t, ovhemu.OtherAccount)
	b5.get(t, "/whoami")
	record(b5)

	secrets := map[string]string{
		"application secret":  ovhemu.DemoAppSecret,
		"consumer key (OVH)":  ck1,
		"consumer key (IAM)":  b3.consumerKey,
		"bad pasted key":      bad,
		"consumer key (5)":    b5.consumerKey,
		"session key (hex)":   hex.EncodeToString(key),
		"session key (raw)":   string(key),
		"validation token":    strings.TrimPrefix(v, strings.TrimSuffix(app.endpoint, "/1.0")+"/auth/?credentialToken="),
		"state":               state,
		"session cookie (b5)": b5.cookie(sessionName).Value,
		"CSRF cookie (b5)":    b5.cookie("_csrf").Value,
	}
	logs := app.log.text()
	if !strings.Contains(logs, `"msg":"signed in"`) || !strings.Contains(logs, `"msg":"request failed"`) {
		t.Fatalf("the flows did not log what they should; log:\n%s", logs)
	}
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s is too short to search for: %q", name, s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("the log contains the %s", name)
		}
	}
	for _, name := range []string{"application secret", "consumer key (OVH)", "consumer key (IAM)", "bad pasted key", "consumer key (5)", "session key (hex)"} {
		if bytes.Contains(pages.Bytes(), []byte(secrets[name])) {
			t.Errorf("a page contains the %s", name)
		}
	}
}

// sessionValue reads a value of b's session on the server.
func sessionValue(t *testing.T, app *testApp, b *browser, key string) string {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(b.cookie(sessionName))
	s, err := app.store.New(r, sessionName)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.Values[key].(string)
	if v == "" {
		t.Fatalf("session has no %s", key)
	}
	return v
}

// Flash messages survive a redirect and show once.
func TestFlashAfterRedirect(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.e.POST("/test/flash", func(c echo.Context) error {
		app.h.flash(c, views.FlashSuccess, "Frontend 12 created.")
		return app.h.seeOther(c, "/whoami")
	}, app.h.loadSession, app.h.csrf(), app.h.requireLogin)
	b := app.loginAs(t, ovhemu.DemoAccount)
	if status, _ := b.post(t, "/test/flash", nil); status != http.StatusSeeOther {
		t.Fatalf("POST = %d", status)
	}
	_, doc := b.follow(t)
	if got := doc.Find(`#alerts ` + testID("alert")).Text(); !strings.Contains(got, "Frontend 12 created.") {
		t.Errorf("flash not shown: %q", got)
	}
	_, doc = b.get(t, "/whoami")
	if doc.Find(`#alerts `+testID("alert")).Length() != 0 {
		t.Error("flash shown twice")
	}
}

// A user client can be wrapped (withUserClient), and a session keeps the
// same client across requests.
func TestClientIsCachedPerSession(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	built := map[string]int{}
	count := func(ck string) int {
		mu.Lock()
		defer mu.Unlock()
		return built[ck]
	}
	var app *testApp
	app = newTestApp(t, withUserClient(func(ck string) OVH {
		mu.Lock()
		built[ck]++
		mu.Unlock()
		return app.api.WithConsumerKey(ck)
	}), withEmulator(ovhemu.WithAutoAdvance(0, 0)))
	b := app.loginAs(t, ovhemu.DemoAccount)
	before := count(b.consumerKey) // checkKey's own client
	for range 3 {
		if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
			t.Fatal("whoami failed")
		}
	}
	if got := count(b.consumerKey) - before; got != 1 {
		t.Errorf("built %d clients for 3 requests of one session, want 1", got)
	}
}
