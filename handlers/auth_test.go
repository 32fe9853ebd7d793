package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// startLogin presses "Sign in with OVHcloud" (asking to come back to next)
// and returns the emulator's validation URL the console redirected to.
func (b *browser) startLogin(t *testing.T, next string) string {
	t.Helper()
	if status, _ := b.get(t, "/login"); status != http.StatusOK {
		t.Fatalf("/login = %d", status)
	}
	form := url.Values{}
	if next != "" {
		form.Set("next", next)
	}
	status, doc := b.post(t, "/login", form)
	if status != http.StatusSeeOther {
		t.Fatalf("POST /login = %d: %s", status, doc.Text())
	}
	to := b.header("Location")
	if !strings.HasPrefix(to, strings.TrimSuffix(b.app.endpoint, "/1.0")+"/auth/?credentialToken=") {
		t.Fatalf("POST /login redirected to %q, want the emulator's validation page", to)
	}
	return to
}

// validate fills in the emulator's validation page at validationURL as a
// person would (login, password, validity in seconds, action "authorize" or
// "refuse") and returns where the page sent the browser (the console's
// callback).
func (b *browser) validate(t *testing.T, validationURL, login, password, duration, action string) string {
	t.Helper()
	status, doc := b.get(t, validationURL)
	if status != http.StatusOK {
		t.Fatalf("validation page = %d", status)
	}
	form := doc.Find("form")
	if form.Length() != 1 {
		t.Fatalf("validation page has %d forms", form.Length())
	}
	values := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		values.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	values.Set("login", login)
	values.Set("password", password)
	values.Set("duration", duration)
	values.Set("action", action)
	target, err := b.lastURL.Parse(form.AttrOr("action", ""))
	if err != nil {
		t.Fatal(err)
	}
	status, doc = b.post(t, target.String(), values)
	if status != http.StatusSeeOther {
		t.Fatalf("validation POST = %d: %s", status, doc.Text())
	}
	cb := b.header("Location")
	if !strings.HasPrefix(cb, b.app.url+"/login/callback?state=") {
		t.Fatalf("validation page sent the browser to %q, want the console's callback", cb)
	}
	return cb
}

// signInThroughOVH runs the whole "Sign in with OVHcloud" flow and returns
// the callback's answer (status and page).
func (b *browser) signInThroughOVH(t *testing.T, login, duration, next string) (int, *goquery.Document) {
	t.Helper()
	v := b.startLogin(t, next)
	cb := b.validate(t, v, login, ovhemu.DemoPassword, duration, "authorize")
	return b.get(t, cb)
}

func TestSignInWithOVHcloudRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, login, duration, next string
		wantLogin, wantName         string
		wantNext                    string
		wantExpiry                  func(time.Time) string
	}{
		{name: "account, one day, back to whoami", login: ovhemu.DemoAccount, duration: "86400", next: "/whoami",
			wantLogin: ovhemu.DemoAccount, wantName: "(Camille Martin)", wantNext: "/whoami",
			wantExpiry: func(now time.Time) string { return now.Add(24 * time.Hour).UTC().Format("2006-01-02 15:04 UTC") }},
		{name: "IAM user, unlimited", login: ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser, duration: "0",
			wantLogin: ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser, wantName: "(Camille Martin)", wantNext: "/",
			wantExpiry: func(time.Time) string { return "never" }},
		{name: "other account, open redirect refused", login: ovhemu.OtherAccount, duration: "3600", next: "//evil.example/x",
			wantLogin: ovhemu.OtherAccount, wantName: "(Alex Durand)", wantNext: "/",
			wantExpiry: func(now time.Time) string { return now.Add(time.Hour).UTC().Format("2006-01-02 15:04 UTC") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.newBrowser(t)
			start := time.Now()
			status, doc := b.signInThroughOVH(t, tt.login, tt.duration, tt.next)
			if status != http.StatusSeeOther {
				t.Fatalf("callback = %d: %s", status, doc.Text())
			}
			if got := b.header("Location"); got != tt.wantNext {
				t.Errorf("callback redirected to %q, want %q", got, tt.wantNext)
			}
			status, doc = b.get(t, "/whoami")
			if status != http.StatusOK {
				t.Fatalf("/whoami = %d", status)
			}
			if got := doc.Find(testID("signed-in-login")).Text(); got != tt.wantLogin {
				t.Errorf("header login = %q, want %q", got, tt.wantLogin)
			}
			if got := doc.Find(testID("signed-in-name")).Text(); got != tt.wantName {
				t.Errorf("header name = %q, want %q", got, tt.wantName)
			}
			got := doc.Find(testID("signed-in-expiry")).Text()
			if want := tt.wantExpiry(start); got != want && got != tt.wantExpiry(start.Add(time.Minute)) {
				t.Errorf("header expiry = %q, want %q", got, want)
			}
			if doc.Find(testID("logout-form")).Length() != 1 {
				t.Error("no logout button")
			}
		})
	}
}

// The consumer key asked for carries exactly the console's rights.
func TestSignInAsksForTheConsoleRightsOnly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.newBrowser(t)
	b.signInThroughOVH(t, ovhemu.DemoAccount, "3600", "")
	// The validated key is in the session; read it server-side, as the
	// console would, and ask the API what it grants.
	var ck string
	for _, c := range []*browser{b} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(c.cookie(sessionName))
		s, err := app.store.New(r, sessionName)
		if err != nil {
			t.Fatal(err)
		}
		ck, _ = s.Values[keyConsumerKey].(string)
	}
	cred, err := app.api.WithConsumerKey(ck).CurrentCredential(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(consoleAccessRules, cred.Rules); diff != "" {
		t.Errorf("rules granted (-want +got):\n%s", diff)
	}
	// And they are enough for what the console does: the whoami page.
	if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
		t.Errorf("/whoami with the console's rights = %d", status)
	}
}

func TestCallbackProblems(t *testing.T) {
	t.Parallel()

	t.Run("state of another browser", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		attacker, victim := app.newBrowser(t), app.newBrowser(t)
		// The attacker starts a sign-in, validates it with their own
		// account, and makes the victim open the callback link.
		cb := attacker.validate(t, attacker.startLogin(t, ""), ovhemu.OtherAccount, ovhemu.DemoPassword, "3600", "authorize")
		status, doc := victim.get(t, cb)
		if status != http.StatusBadRequest {
			t.Fatalf("victim's callback = %d, want 400", status)
		}
		if doc.Find(testID("login-problem")).Length() != 1 || doc.Find(testID("login-try-again")).AttrOr("href", "") != "/login" {
			t.Errorf("no clear problem page: %s", doc.Find("main").Text())
		}
		if status, _ := victim.get(t, "/whoami"); status != http.StatusSeeOther {
			t.Errorf("the victim is signed in (whoami = %d)", status)
		}
	})

	t.Run("wrong state, then the right one", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.newBrowser(t)
		cb := b.validate(t, b.startLogin(t, "/whoami"), ovhemu.DemoAccount, ovhemu.DemoPassword, "3600", "authorize")
		u, _ := url.Parse(cb)
		for _, state := range []string{"", "forged", strings.Repeat("A", 26)} {
			status, _ := b.get(t, "/login/callback?state="+url.QueryEscape(state))
			if status != http.StatusBadRequest {
				t.Errorf("state %q: %d, want 400", state, status)
			}
		}
		// A forged callback does not cancel the browser's own sign-in.
		if status, _ := b.get(t, u.RequestURI()); status != http.StatusSeeOther || b.header("Location") != "/whoami" {
			t.Fatalf("the real callback = %d → %q", status, b.header("Location"))
		}
		// Used once: a replay is refused, the user stays signed in.
		if status, _ := b.get(t, u.RequestURI()); status != http.StatusBadRequest {
			t.Errorf("replayed callback = %d, want 400", status)
		}
		if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
			t.Errorf("whoami after the replay = %d", status)
		}
	})

	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.newBrowser(t)
		cb := b.validate(t, b.startLogin(t, "/whoami"), ovhemu.DemoAccount, "", "3600", "refuse")
		status, doc := b.get(t, cb)
		if status != http.StatusForbidden {
			t.Fatalf("callback after refusal = %d, want 403", status)
		}
		if got := doc.Find(testID("login-problem-message")).Text(); !strings.Contains(got, "refused or not completed") {
			t.Errorf("message = %q", got)
		}
		if got := doc.Find(testID("login-try-again")).AttrOr("href", ""); got != "/login?next=%2Fwhoami" {
			t.Errorf("try again = %q", got)
		}
		if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther {
			t.Errorf("signed in after a refusal (whoami = %d)", status)
		}
	})

	t.Run("abandoned", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.newBrowser(t)
		v := b.startLogin(t, "")
		// The user leaves the validation page and comes back to the
		// callback (history): the key is still pending.
		token := strings.TrimPrefix(v, strings.TrimSuffix(app.endpoint, "/1.0")+"/auth/?credentialToken=")
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(b.cookie(sessionName))
		s, err := app.store.New(r, sessionName)
		if err != nil || token == "" {
			t.Fatal(err)
		}
		state, _ := s.Values[keyPendingState].(string)
		status, doc := b.get(t, "/login/callback?state="+state)
		if status != http.StatusForbidden || doc.Find(testID("login-problem")).Length() != 1 {
			t.Errorf("callback of a pending key = %d", status)
		}
	})

	t.Run("too late", func(t *testing.T) {
		t.Parallel()
		app := newTestApp(t)
		b := app.newBrowser(t)
		cb := b.validate(t, b.startLogin(t, ""), ovhemu.DemoAccount, ovhemu.DemoPassword, "3600", "authorize")
		app.clock.Advance(pendingLoginTTL + time.Minute)
		status, doc := b.get(t, cb)
		if status != http.StatusBadRequest || !strings.Contains(doc.Find(testID("login-problem")).Text(), "too long") {
			t.Errorf("late callback = %d: %s", status, doc.Find("main").Text())
		}
	})
}

func TestPastedKey(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	pending, err := app.api.RequestCredential(t.Context(), consoleAccessRules, "")
	if err != nil {
		t.Fatal(err)
	}
	otherApp, err := app.emu.IssueConsumerKey(ovhemu.OtherAppKey, ovhemu.DemoAccount, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	expired := app.issueKey(t, ovhemu.DemoAccount, 0)
	app.emu.ExpireConsumerKey(expired)

	tests := []struct {
		name      string
		key       string
		status    int
		wantError string // substring of the form's error
		wantLogin string
	}{
		{name: "valid, account", key: app.issueKey(t, ovhemu.DemoAccount, 0), status: 303, wantLogin: ovhemu.DemoAccount},
		{name: "valid, IAM user", key: app.issueKey(t, ovhemu.DemoAccount+"/"+ovhemu.DemoIAMUser, time.Hour), status: 303,
			wantLogin: ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser},
		{name: "unknown", key: "abcdefghijklmnopqrstuvwxyz012345", status: 422, wantError: "does not know this consumer key"},
		{name: "of another application", key: otherApp, status: 422, wantError: "does not know this consumer key"},
		{name: "not validated", key: pending.ConsumerKey, status: 422, wantError: "pending validation"},
		{name: "expired", key: expired, status: 422, wantError: "has expired"},
		{name: "empty", key: "", status: 422, wantError: "Paste a consumer key"},
		{name: "not a key", key: "<script>alert(1)</script>", status: 422, wantError: "Paste a consumer key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := app.newBrowser(t)
			status, doc := b.post(t, "/login/key", url.Values{"consumer_key": {tt.key}, "next": {"/whoami"}})
			if status != tt.status {
				t.Fatalf("status = %d, want %d: %s", status, tt.status, doc.Find("main").Text())
			}
			if tt.key != "" && strings.Contains(string(b.body), tt.key) {
				t.Error("the pasted key is written back into the page")
			}
			if tt.wantError != "" {
				if got := doc.Find(testID("login-key-error")).Text(); !strings.Contains(got, tt.wantError) {
					t.Errorf("form error = %q, want %q", got, tt.wantError)
				}
				if doc.Find(`input[name="next"]`).AttrOr("value", "") != "/whoami" {
					t.Error("next lost on the form")
				}
				if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther {
					t.Errorf("signed in with a bad key (whoami = %d)", status)
				}
				return
			}
			if got := b.header("Location"); got != "/whoami" {
				t.Errorf("Location = %q", got)
			}
			status, doc = b.follow(t)
			if status != http.StatusOK || doc.Find(testID("whoami-login")).Text() != tt.wantLogin {
				t.Errorf("whoami = %d %q, want %q", status, doc.Find(testID("whoami-login")).Text(), tt.wantLogin)
			}
		})
	}
}

func TestLogoutRevokesTheKey(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
		t.Fatal("not signed in")
	}
	session := b.cookie(sessionName)
	if app.h.clients.len() != 1 {
		t.Fatalf("%d cached clients, want 1", app.h.clients.len())
	}

	status, _ := b.post(t, "/logout", nil)
	if status != http.StatusSeeOther || b.header("Location") != "/login?reason=signed-out" {
		t.Fatalf("logout = %d → %q", status, b.header("Location"))
	}
	var expiredCookie bool
	for _, c := range b.last.Cookies() {
		if c.Name == sessionName && c.MaxAge < 0 {
			expiredCookie = true
		}
	}
	if !expiredCookie {
		t.Error("logout did not expire the session cookie")
	}
	if b.cookie(sessionName) != nil {
		t.Error("the browser still holds a session cookie")
	}
	_, doc := b.follow(t)
	if got := doc.Find(testID("login-notice")).Text(); !strings.Contains(got, "signed out") {
		t.Errorf("login notice = %q", got)
	}

	// The emulator rejects the key now, through the real client.
	_, err := app.api.WithConsumerKey(b.consumerKey).CurrentCredential(t.Context())
	if ovh.KindOf(err) != ovh.KindUnauthorized {
		t.Errorf("the key still works after logout: %v", err)
	}
	// The session is gone on the server: the old cookie, replayed, is not
	// signed in.
	thief := app.newBrowser(t)
	thief.setCookie(session)
	if status, _ := thief.get(t, "/whoami"); status != http.StatusSeeOther {
		t.Errorf("old session cookie after logout: whoami = %d", status)
	}
	if app.h.clients.len() != 0 {
		t.Error("the session's client is still cached")
	}
}

func TestLogoutWhenTheAPIFails(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	app.emu.Fail(http.MethodPost, "/auth/logout", ovhemu.Fault{Status: 503, Message: "maintenance"})
	if status, _ := b.post(t, "/logout", nil); status != http.StatusSeeOther || b.header("Location") != "/login" {
		t.Fatalf("logout = %d → %q", status, b.header("Location"))
	}
	_, doc := b.follow(t)
	if got := doc.Find(testID("alert")).Text(); !strings.Contains(got, "did not confirm") {
		t.Errorf("no warning that the key may still be valid: %q", got)
	}
	if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther {
		t.Error("still signed in")
	}
}

func TestRevokedKeySendsBackToLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		headers    http.Header
		status     int
		location   string
		hxRedirect string
	}{
		{name: "page", status: http.StatusSeeOther, location: "/login?next=%2Fwhoami&reason=revoked"},
		{name: "boosted", headers: http.Header{"Hx-Request": {"true"}, "Hx-Boosted": {"true"}, "Hx-Current-Url": {"http://x/whoami"}},
			status: http.StatusOK, hxRedirect: "/login?next=%2Fwhoami&reason=revoked"},
		{name: "htmx fragment", headers: http.Header{"Hx-Request": {"true"}, "Hx-Current-Url": {"http://x/iplb?tab=1"}},
			status: http.StatusOK, hxRedirect: "/login?next=%2Fiplb%3Ftab%3D1&reason=revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
				t.Fatal("not signed in")
			}
			app.emu.ExpireConsumerKey(b.consumerKey) // expired or revoked elsewhere
			status, _ := b.get(t, "/whoami", tt.headers)
			if status != tt.status {
				t.Fatalf("status = %d, want %d", status, tt.status)
			}
			if got := b.header("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if got := b.header(hxRedirect); got != tt.hxRedirect {
				t.Errorf("HX-Redirect = %q, want %q", got, tt.hxRedirect)
			}
			if tt.hxRedirect != "" && len(b.body) != 0 {
				t.Errorf("an htmx answer carries a body (it would be swapped in): %q", b.body)
			}
			// The session is over: even a new valid key in the API would
			// not sign this cookie in again.
			if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther || b.header("Location") != "/login?next=%2Fwhoami" {
				t.Errorf("after: whoami = %d → %q", status, b.header("Location"))
			}
			_, doc := b.get(t, "/login?reason=revoked")
			if got := doc.Find(testID("login-notice")).Text(); !strings.Contains(got, "expired or was revoked") {
				t.Errorf("login notice = %q", got)
			}
		})
	}
}

// A key whose expiry the console knows ends the session when it passes,
// before any API call fails.
func TestKnownKeyExpiryEndsTheSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, withTimeouts(4*time.Hour, 8*time.Hour))
	b := app.newBrowser(t)
	b.loginWithKey(t, app.issueKey(t, ovhemu.DemoAccount, time.Hour))
	if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
		t.Fatal("not signed in")
	}
	app.clock.Advance(61 * time.Minute)
	app.emu.ResetCalls()
	if status, _ := b.get(t, "/whoami"); status != http.StatusSeeOther || b.header("Location") != "/login?next=%2Fwhoami&reason=expired" {
		t.Fatalf("whoami after the key's expiry = %d → %q", status, b.header("Location"))
	}
	if n := app.emu.Calls("*", "*"); n != 0 {
		t.Errorf("%d API calls with an expired key", n)
	}
}

// Two users of different accounts, signed in at once, hammering the same
// console concurrently, each see only their own load balancers, through
// their own client (one /auth/time per session, never re-fetched).
func TestUsersNeverSeeEachOthersServices(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	users := []struct {
		b    *browser
		want []string
	}{
		{app.loginAs(t, ovhemu.DemoAccount), []string{ovhemu.DemoLB, ovhemu.DemoLB2}},
		{app.loginAs(t, ovhemu.OtherAccount), []string{ovhemu.OtherLB}},
		{app.loginAs(t, ovhemu.DemoAccount+"/"+ovhemu.DemoIAMUser), []string{ovhemu.DemoLB, ovhemu.DemoLB2}},
	}
	app.emu.ResetCalls()
	const perUser = 15
	var wg sync.WaitGroup
	errs := make(chan error, len(users)*perUser)
	for i, u := range users {
		for range perUser {
			wg.Go(func() {
				got, err := fetchLBs(u.b, app.url+"/whoami")
				if err != nil {
					errs <- fmt.Errorf("user %d: %w", i, err)
					return
				}
				slices.Sort(got)
				want := slices.Sorted(slices.Values(u.want))
				if !slices.Equal(got, want) {
					errs <- fmt.Errorf("user %d saw %v, want %v", i, got, want)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := app.h.clients.len(); n != len(users) {
		t.Errorf("%d cached clients, want one per session (%d)", n, len(users))
	}
	if n := app.emu.Calls(http.MethodGet, "/auth/time"); n != len(users) {
		t.Errorf("/auth/time fetched %d times, want once per session (%d)", n, len(users))
	}
}

// fetchLBs GETs url with b's cookies (safe for concurrent use: it does not
// touch b's last answer) and returns the load balancers listed.
func fetchLBs(b *browser, url string) ([]string, error) {
	res, err := b.client.Get(url)
	if err != nil {
		return nil, err
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		return nil, err
	}
	var lbs []string
	doc.Find(testID("whoami-lb")).Each(func(_ int, s *goquery.Selection) { lbs = append(lbs, s.Text()) })
	return lbs, nil
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		form    url.Values // nil = with the right token
		headers http.Header
		status  int
	}{
		{name: "form token", status: http.StatusSeeOther},
		{name: "no token", form: url.Values{"_csrf": {""}}, status: http.StatusBadRequest},
		{name: "wrong token", form: url.Values{"_csrf": {"not-the-token"}}, status: http.StatusForbidden},
		{name: "htmx header token", form: url.Values{"_csrf": {""}}, headers: http.Header{"X-Csrf-Token": nil}, status: http.StatusOK},
		{name: "cross-site, even with the token", headers: http.Header{"Sec-Fetch-Site": {"cross-site"}}, status: http.StatusForbidden},
		{name: "same-origin browser, no token needed", form: url.Values{"_csrf": {""}}, headers: http.Header{"Sec-Fetch-Site": {"same-origin"}}, status: http.StatusSeeOther},
		{name: "same-site falls back to the token", form: url.Values{"_csrf": {""}}, headers: http.Header{"Sec-Fetch-Site": {"same-site"}}, status: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			hdr := tt.headers.Clone()
			if _, ok := hdr["X-Csrf-Token"]; ok {
				hdr.Set("X-Csrf-Token", b.csrfToken(t))
				hdr.Set("Hx-Request", "true")
			}
			status, _ := b.post(t, "/logout", tt.form, hdr)
			if status != tt.status {
				t.Fatalf("status = %d, want %d", status, tt.status)
			}
			stillIn, _ := b.get(t, "/whoami")
			if refused := tt.status == http.StatusBadRequest || tt.status == http.StatusForbidden; refused != (stillIn == http.StatusOK) {
				t.Errorf("refused = %v but whoami = %d", refused, stillIn)
			}
		})
	}
}

func TestCSRFTokenInPages(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	_, doc := b.get(t, "/whoami")
	token := b.cookie("_csrf").Value
	if got := doc.Find(`form[data-testid="logout-form"] input[name="_csrf"]`).AttrOr("value", ""); got != token {
		t.Errorf("logout form token = %q, want the cookie's", got)
	}
	if got := doc.Find("body").AttrOr("hx-headers", ""); got != `{"X-CSRF-Token":"`+token+`"}` {
		t.Errorf("body hx-headers = %q", got)
	}
	// A browser that proves same-origin gets no placeholder token.
	_, doc = b.get(t, "/whoami", http.Header{"Sec-Fetch-Site": {"same-origin"}})
	if doc.Find(`input[name="_csrf"]`).Length() != 0 || doc.Find("body[hx-headers]").Length() != 0 {
		t.Error("Echo's Sec-Fetch-Site placeholder was rendered as a token")
	}
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("secure=%v", secure), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t, withSecureCookies(secure))
			b := app.newBrowser(t)
			checkHeaders(t, b, "/login")
			csrfCookie := setCookie(b, "_csrf")
			b.post(t, "/login/key", url.Values{"consumer_key": {app.issueKey(t, ovhemu.DemoAccount, 0)}})
			sessionCookie := setCookie(b, sessionName)
			for name, c := range map[string]*http.Cookie{"_csrf": csrfCookie, sessionName: sessionCookie} {
				if c == nil {
					t.Fatalf("no %s cookie set", name)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" {
					t.Errorf("%s cookie: HttpOnly %v SameSite %v Secure %v Path %q", name, c.HttpOnly, c.SameSite, c.Secure, c.Path)
				}
			}
			if secure {
				return // the jar keeps Secure cookies from http:// pages
			}
			checkHeaders(t, b, "/whoami")
			checkHeaders(t, b, "/")
		})
	}
}

// checkHeaders GETs path (200 expected) and checks the security headers.
func checkHeaders(t *testing.T, b *browser, path string) {
	t.Helper()
	if status, _ := b.get(t, path); status != http.StatusOK {
		t.Fatalf("%s = %d", path, status)
	}
	h := b.last.Header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: CSP allows inline code: %q", path, csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", path, k, got, v)
		}
	}
}

// setCookie returns the cookie name set by b's last answer.
func setCookie(b *browser, name string) *http.Cookie {
	for _, c := range b.last.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSessionIDChangesAtLogin(t *testing.T) {
	t.Parallel()
	for _, flow := range []string{"OVHcloud", "pasted key"} {
		t.Run(flow, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.newBrowser(t)
			v := b.startLogin(t, "") // creates the pre-login session (pending sign-in)
			before := b.cookie(sessionName)
			if before == nil {
				t.Fatal("no pre-login session")
			}
			if flow == "OVHcloud" {
				b.get(t, b.validate(t, v, ovhemu.DemoAccount, ovhemu.DemoPassword, "3600", "authorize"))
			} else {
				b.loginWithKey(t, app.issueKey(t, ovhemu.DemoAccount, 0))
			}
			after := b.cookie(sessionName)
			if after == nil || after.Value == before.Value {
				t.Fatal("the session cookie did not change at login")
			}
			// Someone holding the pre-login cookie (e.g. one they planted)
			// is not signed in, and the ID no longer exists server-side.
			other := app.newBrowser(t)
			other.setCookie(before)
			if status, _ := other.get(t, "/whoami"); status != http.StatusSeeOther {
				t.Errorf("pre-login session cookie: whoami = %d, want 303", status)
			}
			if got := other.header("Location"); got != "/login?next=%2Fwhoami&reason=expired" {
				t.Errorf("Location = %q (the old ID should be gone server-side)", got)
			}
			if status, _ := b.get(t, "/whoami"); status != http.StatusOK {
				t.Errorf("the new session: whoami = %d", status)
			}
		})
	}
}

func TestLoginPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, withDemo())
	status, doc := app.get(t, "/login?next=%2Fwhoami&reason=expired")
	if status != http.StatusOK {
		t.Fatalf("/login = %d", status)
	}
	if got := doc.Find(testID("demo-login")).Length(); got != 3 {
		t.Errorf("%d demo logins listed, want 3", got)
	}
	if got := doc.Find(`form[data-testid="login-form"] input[name="next"]`).AttrOr("value", ""); got != "/whoami" {
		t.Errorf("next carried by the form = %q", got)
	}
	if got := doc.Find(testID("login-notice")).Text(); !strings.Contains(got, "session has ended") {
		t.Errorf("notice = %q", got)
	}
	// Only known reasons show text; unsafe next values are dropped.
	_, doc = app.get(t, "/login?reason=%3Cb%3Ehello&next=https%3A%2F%2Fevil.example")
	if doc.Find(testID("login-notice")).Length() != 0 || doc.Find(`input[name="next"]`).Length() != 0 {
		t.Error("reason text or an external next reached the page")
	}

	plain := newTestApp(t)
	if _, doc := plain.get(t, "/login"); doc.Find(testID("demo-logins")).Length() != 0 {
		t.Error("demo logins outside demo mode")
	}

	// Signed in: the login page goes on to next.
	b := app.loginAs(t, ovhemu.DemoAccount)
	if status, _ := b.get(t, "/login?next=%2Fwhoami"); status != http.StatusSeeOther || b.header("Location") != "/whoami" {
		t.Errorf("signed-in /login = %d → %q", status, b.header("Location"))
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                              "",
		"/":                             "/",
		"/whoami":                       "/whoami",
		"/iplb/x?tab=1":                 "/iplb/x?tab=1",
		"//evil.example":                "",
		"/\\evil.example":               "",
		"https://evil.example/":         "",
		"javascript:alert(1)":           "",
		"whoami":                        "",
		"/a\nb":                         "",
		"/login":                        "",
		"/login/callback?state=x":       "",
		"/logout":                       "",
		"/" + strings.Repeat("a", 3000): "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoginPageFormAction: Chromium applies form-action to the redirect that
// follows "Sign in with OVHcloud" (POST /login → the API's validation page),
// so the login page must allow the validation page's origin, and only the
// login page: every other page keeps form-action 'self'.
func TestLoginPageFormAction(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.newBrowser(t)
	if status, _ := b.get(t, "/login"); status != http.StatusOK {
		t.Fatalf("/login = %d", status)
	}
	api, err := url.Parse(app.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	want := "form-action 'self' http://" + api.Host + ";"
	if csp := b.last.Header.Get("Content-Security-Policy") + ";"; !strings.Contains(csp, want) {
		t.Errorf("login CSP = %q, want it to contain %q", csp, want)
	}
	signedIn := app.loginAs(t, ovhemu.DemoAccount)
	if status, _ := signedIn.get(t, "/"); status != http.StatusOK {
		t.Fatalf("/ = %d", status)
	}
	if csp := signedIn.last.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "form-action 'self'") {
		t.Errorf("home CSP = %q, want form-action 'self' alone", csp)
	}
}

func TestLoginPageCSP(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ api, want string }{
		{"https://eu.api.ovh.com/1.0", "form-action 'self' https:"},
		{"http://127.0.0.1:9001/1.0", "form-action 'self' http://127.0.0.1:9001"},
		{"http://127.0.0.1:8080/ovhapi/1.0", "form-action 'self' http://127.0.0.1:8080"},
	} {
		got := loginPageCSP(tt.api)
		if !strings.HasSuffix(got, tt.want) || !strings.Contains(got, "frame-ancestors 'none'") {
			t.Errorf("loginPageCSP(%q) = %q, want it to end with %q", tt.api, got, tt.want)
		}
	}
}

func TestRuleCovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, need string // "METHOD /path"
		want      bool
	}{
		{"GET /*", "GET /ipLoadbalancing", true},
		{"GET /*", "GET /ipLoadbalancing/*", true},
		{"GET /*", "POST /ipLoadbalancing/*/refresh", false}, // another method
		{"POST /*", "POST /ipLoadbalancing/*/refresh", true},
		{"POST /ipLoadbalancing/*", "POST /ipLoadbalancing/*/refresh", true},
		{"POST /ipLoadbalancing/*/refresh", "POST /ipLoadbalancing/*/refresh", true},
		{"POST /ipLoadbalancing/*/http/*", "POST /ipLoadbalancing/*/refresh", false},
		{"POST /ipLoadbalancing/loadbalancer-a1/refresh", "POST /ipLoadbalancing/*/refresh", false}, // one IPLB only
		{"POST /ip/*/move", "POST /ip/*/park", false},
		{"GET /ip*", "GET /ip/*", true},
		{"GET /ip*", "GET /ip", true},
		{"GET /ip/*", "GET /ip", false}, // the list is not under /ip/
		{"GET /me", "GET /me", true},
		{"GET /me", "GET /me/bill", false},
		{"GET /me/*", "GET /me", false},
		{"GET *", "GET /auth/currentCredential", true},
		{"GET /*/details", "GET /auth/details", true},
		{"GET /*/details", "GET /auth/details/x", false},
		{"GET /a*b*c", "GET /a-b-x-c", true},
		{"GET /a*b*c", "GET /a-c-b", false},
		{"get /*", "GET /me", false}, // OVHcloud's methods are upper case
		{"GET ", "GET /me", false},
	}
	for _, tt := range tests {
		k, n := parseRule(tt.key), parseRule(tt.need)
		if got := ruleCovers(k, n); got != tt.want {
			t.Errorf("ruleCovers(%q, %q) = %v, want %v", tt.key, tt.need, got, tt.want)
		}
	}
}

// parseRule reads "METHOD /path".
func parseRule(s string) ovh.AccessRule {
	m, p, _ := strings.Cut(s, " ")
	return ovh.AccessRule{Method: m, Path: p}
}

func TestMissingRights(t *testing.T) {
	t.Parallel()
	all := []ovh.AccessRule{parseRule("GET /*"), parseRule("POST /*"), parseRule("PUT /*"), parseRule("DELETE /*")}
	if got := missingRights(all, consoleAccessRules); len(got) != 0 {
		t.Errorf("a key with every method on /* lacks %v", got)
	}
	if got := missingRights(consoleAccessRules, consoleAccessRules); len(got) != 0 {
		t.Errorf("the console's own rules lack %v", got)
	}
	getOnly := []ovh.AccessRule{parseRule("GET /*")}
	got := missingRights(getOnly, consoleAccessRules)
	for _, r := range got {
		if r.Method == http.MethodGet {
			t.Errorf("GET /* is said to lack %v", r)
		}
	}
	var writes int
	for _, r := range consoleAccessRules {
		if r.Method != http.MethodGet {
			writes++
		}
	}
	if len(got) != writes {
		t.Errorf("GET /* lacks %d rules, want the %d non-GET ones: %v", len(got), writes, got)
	}

	msg := lacksMessage(got)
	if !strings.Contains(msg, "This key cannot: POST /ipLoadbalancing/*/http/*, PUT /ipLoadbalancing/*/http/*,") ||
		!strings.Contains(msg, fmt.Sprintf(" and %d more.", writes-lacksShown)) {
		t.Errorf("message = %q", msg)
	}
	if next := got[lacksShown]; strings.Contains(msg, next.Method+" "+next.Path) {
		t.Errorf("message names more than %d rules: %q", lacksShown, msg)
	}
	short := lacksMessage([]ovh.AccessRule{parseRule("POST /auth/logout")})
	if !strings.Contains(short, "This key cannot: POST /auth/logout.") || strings.Contains(short, "more") {
		t.Errorf("message for one rule = %q", short)
	}
}

// TestPastedKeyRights: a pasted key that lacks some of the console's
// rights still signs in, with a warning naming what it lacks; a key with
// them all (or with every method on /*) gets no warning.
func TestPastedKeyRights(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	issue := func(rules []ovhemu.AccessRule) string {
		ck, err := app.emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, rules, 0)
		if err != nil {
			t.Fatal(err)
		}
		return ck
	}
	var getOnly []ovhemu.AccessRule
	for _, r := range consoleAccessRules {
		if r.Method == http.MethodGet {
			getOnly = append(getOnly, ovhemu.AccessRule{Method: r.Method, Path: r.Path})
		}
	}
	tests := []struct {
		name     string
		key      string
		wantWarn []string // substrings of the warning; nil = no warning
	}{
		{name: "the console's rules", key: app.issueKey(t, ovhemu.DemoAccount, 0)},
		{name: "every method on /*", key: issue(nil)},
		{name: "GET rules only", key: issue(getOnly),
			wantWarn: []string{"This key cannot: POST /ipLoadbalancing/*/http/*", "more"}},
		{name: "all but refresh", key: issue(append(slices.Clone(getOnly),
			ovhemu.AccessRule{Method: "POST", Path: "/ip/*"}, ovhemu.AccessRule{Method: "POST", Path: "/auth/logout"},
			ovhemu.AccessRule{Method: "POST", Path: "/ipLoadbalancing/*/*/*"}, ovhemu.AccessRule{Method: "PUT", Path: "/ipLoadbalancing/*"},
			ovhemu.AccessRule{Method: "DELETE", Path: "/ipLoadbalancing/*"})),
			wantWarn: []string{"This key cannot: POST /ipLoadbalancing/*/refresh."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := app.newBrowser(t)
			status, doc := b.post(t, "/login/key", url.Values{"consumer_key": {tt.key}, "next": {"/whoami"}})
			if status != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303 (signed in): %s", status, doc.Find("main").Text())
			}
			status, doc = b.follow(t)
			if status != http.StatusOK || doc.Find(testID("whoami-login")).Text() != ovhemu.DemoAccount {
				t.Fatalf("not signed in: whoami = %d %q", status, doc.Find(testID("whoami-login")).Text())
			}
			warn := doc.Find(testID("alerts") + ` [data-kind="warning"]`)
			if tt.wantWarn == nil {
				if warn.Length() != 0 {
					t.Errorf("warning for a key with every right: %q", warn.Text())
				}
				return
			}
			if warn.Length() != 1 {
				t.Fatalf("%d warnings, want 1; alerts: %q", warn.Length(), doc.Find(testID("alerts")).Text())
			}
			for _, s := range tt.wantWarn {
				if !strings.Contains(warn.Text(), s) {
					t.Errorf("warning %q lacks %q", warn.Text(), s)
				}
			}
		})
	}
}
