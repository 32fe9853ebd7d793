package ovhemu

import (
	"context"
	"crypto/sha1" //nolint:gosec // the OVH signature is SHA-1 by definition
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// authT0 is the emulator clock at the start of every auth test.
var authT0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// authClock is a clock tests move by hand (WithClock).
type authClock struct {
	mu sync.Mutex
	t  time.Time
}

func newAuthClock() *authClock { return &authClock{t: authT0} }

func (c *authClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *authClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authSign is the test's own signer, written like go-ovh's (ovh.go,
// NewRequest) rather than calling the emulator's, so that the two are
// checked against each other and against the published vectors.
func authSign(as, ck, method, target, body string, ts int64) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("%s+%s+%s+%s+%s+%d", as, ck, method, target, body, ts))) //nolint:gosec
	return fmt.Sprintf("$1$%x", sum)
}

func TestAuthSignatureVectors(t *testing.T) {
	t.Parallel()
	const (
		goAS = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
		goCK = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
		vAS  = "emuSecret0000000000000000000000a"
		vCK  = "emuConsumer00000000000000000000b"
	)
	tests := []struct {
		name, as, ck, method, target, body string
		ts                                 int64
		want                               string
	}{
		// REFERENCE §2.1 [C]: go-ovh's own unit test.
		{"go-ovh GET", goAS, goCK, "GET", "https://eu.api.ovh.com/1.0/auth", "", 1457018875,
			"$1$e9556054b6309771395efa467c22e627407461ad"},
		{"go-ovh POST", goAS, goCK, "POST", "https://eu.api.ovh.com/1.0/auth", `{"a":"b","c":"d"}`, 1457018875,
			"$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"},
		{"go-ovh PUT", goAS, goCK, "PUT", "https://eu.api.ovh.com/1.0/auth", `{"a":"b","c":"d"}`, 1457018875,
			"$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"},
		{"go-ovh DELETE", goAS, goCK, "DELETE", "https://eu.api.ovh.com/1.0/auth", "", 1457018875,
			"$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"},
		// REFERENCE §2.1 [V]: checked against go-ovh's real output.
		{"escaped ip block", vAS, vCK, "GET", "http://127.0.0.1:38701/1.0/ip/203.0.113.10%2F32", "", 1700000000,
			"$1$f91fb18e7781c7ff1b5b02b2e41523362a87bed0"},
		{"v1 path", vAS, vCK, "GET", "http://127.0.0.1:38701/v1/auth/details", "", 1700000000,
			"$1$8539bb2b0c30c55e223a0b76a8ac1b13311c6212"},
		{"html-escaped body", vAS, vCK, "POST", "http://127.0.0.1:38701/1.0/x", `{"to":"a\u003cb\u0026c"}`, 1700000000,
			"$1$799aa491a04741a06f3a5f404cb36d0470166aa5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := authSign(tt.as, tt.ck, tt.method, tt.target, tt.body, tt.ts); got != tt.want {
				t.Errorf("test signer: got %s, want %s", got, tt.want)
			}
			if got := ovhSignature(tt.as, tt.ck, tt.method, tt.target, tt.body, strconv.FormatInt(tt.ts, 10)); got != tt.want {
				t.Errorf("emulator: got %s, want %s", got, tt.want)
			}
		})
	}
}

// authResp is one answer of the emulator.
type authResp struct {
	status int
	header http.Header
	body   []byte
}

// apiErr decodes an error body.
func (r authResp) apiErr(t testing.TB) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return e
}

// authAPI calls the emulator at base ("http://127.0.0.1:N", or with a mount
// prefix) as go-ovh would, signing with the application ak/as and the
// consumer key ck at the time ts gives.
type authAPI struct {
	base   string
	ak, as string
	ck     string
	ts     func() int64
	client *http.Client
}

func newAuthAPI(base string, clk *authClock, ck string) *authAPI {
	return &authAPI{
		base: base, ak: DemoAppKey, as: DemoAppSecret, ck: ck,
		ts: func() int64 { return clk.Now().Unix() },
		// No redirects followed: the validation page's 303 is checked as is.
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// with returns a copy of a using the consumer key ck.
func (a *authAPI) with(ck string) *authAPI {
	b := *a
	b.ck = ck
	return &b
}

// send sends req and reads the answer.
func (a *authAPI) send(t testing.TB, req *http.Request) authResp {
	t.Helper()
	res, err := a.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return authResp{status: res.StatusCode, header: res.Header, body: b}
}

// request builds a request for path (with its API root: "/1.0/me").
func (a *authAPI) request(t testing.TB, method, path, body string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json;charset=utf-8")
	}
	if a.ak != "" {
		req.Header.Set("X-Ovh-Application", a.ak)
	}
	return req
}

// signed builds a request signed as go-ovh signs it: over the full URL as
// written and the body as sent.
func (a *authAPI) signed(t testing.TB, method, path, body string) *http.Request {
	t.Helper()
	req := a.request(t, method, path, body)
	ts := a.ts()
	req.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Ovh-Consumer", a.ck)
	req.Header.Set("X-Ovh-Signature", authSign(a.as, a.ck, method, a.base+path, body, ts))
	return req
}

// do sends a signed call.
func (a *authAPI) do(t testing.TB, method, path, body string) authResp {
	t.Helper()
	return a.send(t, a.signed(t, method, path, body))
}

// public sends an unsigned call (with the application key).
func (a *authAPI) public(t testing.TB, method, path, body string) authResp {
	t.Helper()
	return a.send(t, a.request(t, method, path, body))
}

// wantOK fails unless r is a 200.
func wantOK(t testing.TB, what string, r authResp) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200; body %s", what, r.status, r.body)
	}
}

// wantAuthErr fails unless r is the authentication error with that status
// and errorCode, a class and httpCode to match, and a query id.
func wantAuthErr(t testing.TB, what string, r authResp, status int, code, message string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
	e := r.apiErr(t)
	if e.ErrorCode != code || e.Message != message {
		t.Errorf("%s: errorCode %q message %q, want %q %q", what, e.ErrorCode, e.Message, code, message)
	}
	if want := classFor(status); e.Class != want {
		t.Errorf("%s: class %q, want %q", what, e.Class, want)
	}
	if want := fmt.Sprintf("%d %s", status, http.StatusText(status)); e.HTTPCode != want {
		t.Errorf("%s: httpCode %q, want %q", what, e.HTTPCode, want)
	}
	if !strings.HasPrefix(r.header.Get("X-Ovh-Queryid"), "EU.ext-") {
		t.Errorf("%s: X-Ovh-Queryid %q", what, r.header.Get("X-Ovh-Queryid"))
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
}

// authTestServer starts an emulator (fixed clock) on an httptest server,
// with two extra routes to test paths with parameters whatever the other
// files register: GET and POST /authtest/{ip}/echo answer the unescaped
// parameter and the caller.
func authTestServer(t *testing.T, opts ...Option) (*Emulator, *authClock, *authAPI) {
	t.Helper()
	clk := newAuthClock()
	e := New(append([]Option{WithClock(clk.Now)}, opts...)...)
	echo := func(c *call) (any, error) {
		return map[string]string{"ip": c.param("ip"), "nic": c.account.NicHandle}, nil
	}
	e.handle("GET", "/authtest/{ip}/echo", false, echo)
	e.handle("POST", "/authtest/{ip}/echo", false, echo)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, clk, newAuthAPI(srv.URL, clk, "")
}

// issue is IssueConsumerKey or a fatal error.
func issue(t testing.TB, e *Emulator, app, login string, rules []AccessRule, validity time.Duration) string {
	t.Helper()
	ck, err := e.IssueConsumerKey(app, login, rules, validity)
	if err != nil {
		t.Fatal(err)
	}
	return ck
}

// requestCredential asks for a consumer key; it returns the answer.
func requestCredential(t testing.TB, api *authAPI, body string) credentialRequestAnswer {
	t.Helper()
	r := api.public(t, "POST", "/1.0/auth/credential", body)
	wantOK(t, "POST /auth/credential", r)
	return decodeAs[credentialRequestAnswer](t, r.body)
}

// authForm is the validation form as a browser would submit it.
type authForm struct {
	action string     // absolute URL
	values url.Values // every field with its default value
}

// getValidationForm loads the validation page and reads its form.
func getValidationForm(t testing.TB, api *authAPI, validationURL string) (authForm, *goquery.Document) {
	t.Helper()
	req, err := http.NewRequest("GET", validationURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := api.send(t, req)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d; body %s", validationURL, r.status, r.body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	form := doc.Find("form[method=post]")
	if form.Length() != 1 {
		t.Fatalf("validation page has %d post forms", form.Length())
	}
	action, _ := form.Attr("action")
	page, _ := url.Parse(validationURL)
	target, err := page.Parse(action)
	if err != nil {
		t.Fatalf("form action %q: %v", action, err)
	}
	vals := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		vals.Set(name, value)
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Find("option[selected]").Attr("value")
		vals.Set(name, value)
	})
	return authForm{action: target.String(), values: vals}, doc
}

// postForm submits the validation form with the given fields changed.
func postForm(t testing.TB, api *authAPI, f authForm, set map[string]string) authResp {
	t.Helper()
	vals := url.Values{}
	for k, v := range f.values {
		vals[k] = v
	}
	for k, v := range set {
		vals.Set(k, v)
	}
	req, err := http.NewRequest("POST", f.action, strings.NewReader(vals.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return api.send(t, req)
}

func TestAuthTime(t *testing.T) {
	t.Parallel()
	_, clk, api := authTestServer(t)
	api.ak = "" // no application key needed
	for _, root := range []string{"/1.0", "/v1"} {
		r := api.public(t, "GET", root+"/auth/time", "")
		wantOK(t, root+"/auth/time", r)
		if got, want := strings.TrimSpace(string(r.body)), strconv.FormatInt(clk.Now().Unix(), 10); got != want {
			t.Errorf("%s/auth/time = %s, want the bare integer %s", root, got, want)
		}
		if r.header.Get("X-Ovh-Queryid") == "" {
			t.Errorf("%s/auth/time: no X-Ovh-Queryid", root)
		}
		if errs := checkResponse(t, "long", r.body); len(errs) > 0 {
			t.Errorf("schema: %v", errs)
		}
	}
}

// TestAuthErrorLadder checks every rung of authenticate, one at a time and
// in pairs (the earlier rung must win), over a real HTTP server.
func TestAuthErrorLadder(t *testing.T) {
	t.Parallel()
	e, clk, api := authTestServer(t)
	now := clk.Now().Unix()

	meOnly := []AccessRule{{"GET", "/me"}}
	good := issue(t, e, DemoAppKey, DemoAccount, meOnly, 0)
	other := issue(t, e, OtherAppKey, DemoAccount, nil, 0)
	expired := issue(t, e, DemoAppKey, DemoAccount, nil, 0)
	e.ExpireConsumerKey(expired)
	pending := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}]}`).ConsumerKey
	refusedReq := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}]}`)
	form, _ := getValidationForm(t, api, refusedReq.ValidationURL)
	if r := postForm(t, api, form, map[string]string{"action": "refuse"}); r.status != http.StatusOK {
		t.Fatalf("refuse: status %d", r.status)
	}
	refused := refusedReq.ConsumerKey

	const (
		login     = "You must login first"
		badKey    = "Invalid application key"
		timeOut   = "Query out of time"
		badSig    = "Invalid signature"
		noCred    = "This credential does not exist"
		badCred   = "This credential is not valid"
		notGrant  = "This call has not been granted"
		unauthz   = http.StatusUnauthorized
		forbidden = http.StatusForbidden
		badReq    = http.StatusBadRequest
	)
	// sign sets the signature headers over what is given.
	sign := func(req *http.Request, as, ck, method, target, body string, ts int64) {
		req.Header.Set("X-Ovh-Consumer", ck)
		req.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Ovh-Signature", authSign(as, ck, method, target, body, ts))
	}
	tests := []struct {
		name    string
		req     func() *http.Request
		status  int
		code    string
		message string
	}{
		{"no headers", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			r.Header.Del("X-Ovh-Application")
			return r
		}, unauthz, "NOT_AUTHENTICATED", login},
		{"application key only", func() *http.Request {
			return api.request(t, "GET", "/1.0/me", "")
		}, unauthz, "NOT_AUTHENTICATED", login},
		{"no signature", func() *http.Request {
			r := api.with(good).signed(t, "GET", "/1.0/me", "")
			r.Header.Del("X-Ovh-Signature")
			return r
		}, unauthz, "NOT_AUTHENTICATED", login},
		{"no timestamp", func() *http.Request {
			r := api.with(good).signed(t, "GET", "/1.0/me", "")
			r.Header.Del("X-Ovh-Timestamp")
			return r
		}, unauthz, "NOT_AUTHENTICATED", login},
		{"empty consumer key, as go-ovh sends it", func() *http.Request {
			return api.with("").signed(t, "GET", "/1.0/me", "")
		}, unauthz, "NOT_AUTHENTICATED", login},
		{"unknown application key", func() *http.Request {
			a := api.with(good)
			a.ak = "unknownAppKey000"
			return a.signed(t, "GET", "/1.0/me", "")
		}, forbidden, "INVALID_KEY", badKey},
		{"unknown application key beats a missing signature", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			r.Header.Set("X-Ovh-Application", "unknownAppKey000")
			return r
		}, forbidden, "INVALID_KEY", badKey},
		{"timestamp 301 s old", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/me", "", now-301)
			return r
		}, badReq, "QUERY_TIME_OUT", timeOut},
		{"timestamp 301 s ahead", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/me", "", now+301)
			return r
		}, badReq, "QUERY_TIME_OUT", timeOut},
		{"timestamp not a number", func() *http.Request {
			r := api.with(good).signed(t, "GET", "/1.0/me", "")
			r.Header.Set("X-Ovh-Timestamp", "yesterday")
			return r
		}, badReq, "QUERY_TIME_OUT", timeOut},
		{"stale timestamp beats a bad signature", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, "wrong-secret", good, "GET", api.base+"/1.0/me", "", now-3600)
			return r
		}, badReq, "QUERY_TIME_OUT", timeOut},
		{"wrong application secret", func() *http.Request {
			a := api.with(good)
			a.as = OtherAppSecret
			return a.signed(t, "GET", "/1.0/me", "")
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed over another path", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/auth/details", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed for /v1, sent to /1.0", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/v1/me", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed over the unescaped path", func() *http.Request {
			r := api.request(t, "GET", "/1.0/authtest/203.0.113.10%2F32/echo", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/authtest/203.0.113.10/32/echo", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed without the query string", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me?x=1", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/me", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed for https", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", strings.Replace(api.base, "http:", "https:", 1)+"/1.0/me", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed over another body", func() *http.Request {
			r := api.request(t, "POST", "/1.0/authtest/x/echo", `{"a":"c"}`)
			sign(r, DemoAppSecret, good, "POST", api.base+"/1.0/authtest/x/echo", `{"a":"b"}`, now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"signed with another method", func() *http.Request {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "POST", api.base+"/1.0/me", "", now)
			return r
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"bad signature beats an unknown consumer key", func() *http.Request {
			a := api.with("nope")
			a.as = "wrong"
			return a.signed(t, "GET", "/1.0/me", "")
		}, badReq, "INVALID_SIGNATURE", badSig},
		{"unknown consumer key", func() *http.Request {
			return api.with("NoSuchConsumerKey000000000000000").signed(t, "GET", "/1.0/me", "")
		}, forbidden, "NOT_CREDENTIAL", noCred},
		{"consumer key of another application", func() *http.Request {
			return api.with(other).signed(t, "GET", "/1.0/me", "")
		}, forbidden, "NOT_CREDENTIAL", noCred},
		{"consumer key pending validation", func() *http.Request {
			return api.with(pending).signed(t, "GET", "/1.0/me", "")
		}, forbidden, "INVALID_CREDENTIAL", badCred},
		{"refused consumer key", func() *http.Request {
			return api.with(refused).signed(t, "GET", "/1.0/me", "")
		}, forbidden, "INVALID_CREDENTIAL", badCred},
		{"expired consumer key", func() *http.Request {
			return api.with(expired).signed(t, "GET", "/1.0/me", "")
		}, forbidden, "INVALID_CREDENTIAL", badCred},
		{"expired key beats a call out of its rules", func() *http.Request {
			return api.with(expired).signed(t, "POST", "/1.0/authtest/x/echo", "")
		}, forbidden, "INVALID_CREDENTIAL", badCred},
		{"path out of the rules", func() *http.Request {
			return api.with(good).signed(t, "GET", "/1.0/authtest/x/echo", "")
		}, forbidden, "NOT_GRANTED_CALL", notGrant},
		{"method out of the rules", func() *http.Request {
			return api.with(issue(t, e, DemoAppKey, DemoAccount, []AccessRule{{"GET", "/*"}}, 0)).
				signed(t, "POST", "/1.0/authtest/x/echo", "")
		}, forbidden, "NOT_GRANTED_CALL", notGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAuthErr(t, tt.name, api.send(t, tt.req()), tt.status, tt.code, tt.message)
		})
	}

	t.Run("accepted", func(t *testing.T) {
		wantOK(t, "good key", api.with(good).do(t, "GET", "/1.0/me", ""))
		// The window is inclusive: exactly cfg.skew (5 min) away passes.
		for _, ts := range []int64{now - 300, now + 300} {
			r := api.request(t, "GET", "/1.0/me", "")
			sign(r, DemoAppSecret, good, "GET", api.base+"/1.0/me", "", ts)
			wantOK(t, "timestamp at the edge", api.send(t, r))
		}
		// The query string is part of what is signed, exactly as written.
		wantOK(t, "query string", api.with(good).do(t, "GET", "/1.0/me?fields=a%2Cb&x=1", ""))
	})
}

func TestAuthEscapedPath(t *testing.T) {
	t.Parallel()
	e, _, api := authTestServer(t)
	tests := []struct {
		name  string
		rules []AccessRule
		ok    bool
	}{
		{"rule on every path", []AccessRule{{"GET", "/*"}}, true},
		{"rule with a star over the block", []AccessRule{{"GET", "/authtest/*/echo"}}, true},
		{"rule naming the unescaped block", []AccessRule{{"GET", "/authtest/203.0.113.10/32/echo"}}, true},
		// Rules are matched against the unescaped path ([INF], auth.go
		// ruleAllows), so the escaped form in a rule matches nothing.
		{"rule naming the escaped block", []AccessRule{{"GET", "/authtest/203.0.113.10%2F32/echo"}}, false},
		{"rule on another block", []AccessRule{{"GET", "/authtest/203.0.113.11/32/echo"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := api.with(issue(t, e, DemoAppKey, DemoAccount, tt.rules, 0))
			for _, root := range []string{"/1.0", "/v1"} {
				r := a.do(t, "GET", root+"/authtest/203.0.113.10%2F32/echo", "")
				if !tt.ok {
					wantAuthErr(t, root, r, http.StatusForbidden, "NOT_GRANTED_CALL", "This call has not been granted")
					continue
				}
				wantOK(t, root, r)
				got := decodeAs[map[string]string](t, r.body)
				if got["ip"] != "203.0.113.10/32" || got["nic"] != DemoAccount {
					t.Errorf("%s: handler saw %v", root, got)
				}
			}
		})
	}
}

func TestAuthRuleGlob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/", true},
		{"/*", "/me", true},
		{"/*", "/ip/203.0.113.10/32/move", true},
		{"/me", "/me", true},
		{"/me", "/me/bills", false},
		{"/me", "/meh", false},
		{"/me*", "/me/bills", true},
		{"/me*", "/meh", true},
		{"/me/*", "/me", false},
		{"/ip/*/move", "/ip/203.0.113.10/32/move", true},
		{"/ip/*/move", "/ip/203.0.113.10/32/park", false},
		{"/ipLoadbalancing/*/http/frontend", "/ipLoadbalancing/lb-1/http/frontend", true},
		{"/ipLoadbalancing/*/http/frontend", "/ipLoadbalancing/lb-1/http/frontend/7", false},
		{"/a*b*c", "/axxbyybzc", true},
		{"/a*b*c", "/axxbyybzcd", false},
		{"*", "", true},
		{"", "", true},
		{"", "/", false},
		{"/**", "/x", true},
	}
	for _, tt := range tests {
		if got := ruleGlobMatch(tt.pattern, tt.path); got != tt.want {
			t.Errorf("ruleGlobMatch(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	rules := []AccessRule{{"GET", "/me"}, {"POST", "/ip/*/move"}}
	for _, c := range []struct {
		method, path string
		want         bool
	}{
		{"GET", "/me", true}, {"PUT", "/me", false}, {"get", "/me", false},
		{"POST", "/ip/1.2.3.4/32/move", true}, {"GET", "/ip/1.2.3.4/32/move", false},
	} {
		if got := ruleAllows(rules, c.method, c.path); got != c.want {
			t.Errorf("ruleAllows(%s %s) = %v, want %v", c.method, c.path, got, c.want)
		}
	}
}

// TestAuthConsumerKeyFlow is the whole consumer-key flow over HTTP, as the
// console and a browser go through it.
func TestAuthConsumerKeyFlow(t *testing.T) {
	t.Parallel()
	e, clk, api := authTestServer(t)
	const redirection = "http://console.example/login/callback?state=abc"
	rules := []AccessRule{{"GET", "/me"}, {"GET", "/auth/*"}, {"POST", "/auth/logout"}, {"GET", "/ip/*"}}
	body, _ := json.Marshal(map[string]any{"accessRules": rules, "redirection": redirection})

	// 1. Ask for a key.
	r := api.public(t, "POST", "/1.0/auth/credential", string(body))
	wantOK(t, "POST /auth/credential", r)
	if errs := checkResponse(t, "auth.ApiCredentialRequest", r.body); len(errs) > 0 {
		t.Errorf("schema: %v", errs)
	}
	cr := decodeAs[credentialRequestAnswer](t, r.body)
	if !regexp.MustCompile(`^[A-Za-z0-9]{32}$`).MatchString(cr.ConsumerKey) || cr.State != "pendingValidation" {
		t.Fatalf("answer %+v", cr)
	}
	// The test server's public URL is not set: the URL comes from the request.
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(api.base) + `/auth/\?credentialToken=[0-9a-f]{64}$`).MatchString(cr.ValidationURL) {
		t.Fatalf("validationUrl %q", cr.ValidationURL)
	}
	key := api.with(cr.ConsumerKey)
	wantAuthErr(t, "before validation", key.do(t, "GET", "/1.0/me", ""),
		http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")

	// 2. The validation page.
	form, doc := getValidationForm(t, api, cr.ValidationURL)
	if got := doc.Find("strong").First().Text(); got != "IPLB console" {
		t.Errorf("application name %q", got)
	}
	var shown []string
	doc.Find("ul.rights li").Each(func(_ int, s *goquery.Selection) {
		shown = append(shown, strings.Join(strings.Fields(s.Text()), " "))
	})
	if want := []string{"GET /me", "GET /auth/*", "POST /auth/logout", "GET /ip/*"}; strings.Join(shown, "|") != strings.Join(want, "|") {
		t.Errorf("rights shown %q, want %q", shown, want)
	}
	for _, id := range []string{"login", "password", "duration"} {
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 || doc.Find("#"+id).Length() != 1 {
			t.Errorf("field %s has no label or no element", id)
		}
	}
	var durations []string
	doc.Find("#duration option").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		durations = append(durations, v+"="+s.Text())
	})
	if got := strings.Join(durations, ","); got != "3600=1 hour,86400=1 day,2592000=30 days,0=Unlimited" {
		t.Errorf("validity choices %s", got)
	}
	if form.values.Get("duration") != "86400" || form.values.Get("credentialToken") == "" {
		t.Errorf("form defaults %v", form.values)
	}
	var buttons []string
	doc.Find("button[name=action]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		buttons = append(buttons, v+"="+s.Text())
	})
	if got := strings.Join(buttons, ","); got != "authorize=Authorize,refuse=Refuse" {
		t.Errorf("buttons %s", got)
	}
	// axe "empty-table-header": every column header has a name, even if
	// only screen readers see it.
	doc.Find("aside.hint th").Each(func(i int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "" {
			t.Errorf("demo accounts table: header %d is empty", i+1)
		}
	})
	hint := doc.Find("aside.hint").Text()
	for _, s := range []string{DemoAccount, DemoAccount + "/" + DemoIAMUser, OtherAccount, DemoPassword} {
		if !strings.Contains(hint, s) {
			t.Errorf("hint box lacks %q", s)
		}
	}
	if doc.Find("script, link, img, iframe").Length() != 0 {
		t.Error("the page must have no script and no external resource")
	}

	// 3. A wrong password: the form again, 401, nothing changes.
	for _, bad := range []map[string]string{
		{"login": DemoAccount, "password": "wrong"},
		{"login": "zz0000-ovh", "password": DemoPassword},
		{"login": DemoAccount + "/nobody", "password": DemoPassword},
		{"login": "", "password": ""},
	} {
		r = postForm(t, api, form, bad)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("%v: status %d, want 401", bad, r.status)
		}
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(string(r.body)))
		if got := d.Find("[role=alert]").Text(); got != "Invalid account / password." {
			t.Errorf("%v: error %q", bad, got)
		}
		if got, _ := d.Find("#login").Attr("value"); got != bad["login"] {
			t.Errorf("login field not kept: %q", got)
		}
	}
	wantAuthErr(t, "after wrong passwords", key.do(t, "GET", "/1.0/me", ""),
		http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")

	// 4. The right password: 303 back to the application.
	r = postForm(t, api, form, map[string]string{"login": strings.ToUpper(DemoAccount), "password": DemoPassword, "duration": "3600"})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != redirection {
		t.Fatalf("validate: status %d Location %q", r.status, r.header.Get("Location"))
	}
	// The token is used up.
	if r = postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword}); r.status != http.StatusNotFound {
		t.Errorf("second validation: status %d, want 404", r.status)
	}

	// 5. The key works, for that account.
	r = key.do(t, "GET", "/1.0/me", "")
	wantOK(t, "GET /me", r)
	if me := decodeAs[map[string]any](t, r.body); me["nichandle"] != DemoAccount {
		t.Errorf("/me nichandle %v", me["nichandle"])
	}
	clk.Advance(time.Minute)
	r = key.do(t, "GET", "/v1/auth/details", "")
	wantOK(t, "GET /auth/details", r)
	if errs := checkResponse(t, "auth.Details", r.body); len(errs) > 0 {
		t.Errorf("schema: %v", errs)
	}
	det := decodeAs[authDetailsJSON](t, r.body)
	if det.Account != DemoAccount || det.Method != "account" || det.User != nil ||
		len(det.AllowedRoutes) != len(rules) || det.AllowedRoutes[3] != rules[3] ||
		len(det.Identities) != 1 || det.Identities[0] != "urn:v1:eu:identity:account:"+DemoAccount {
		t.Errorf("details %+v", det)
	}
	r = key.do(t, "GET", "/1.0/auth/currentCredential", "")
	wantOK(t, "GET /auth/currentCredential", r)
	if errs := checkResponse(t, "auth.ApiCredential", r.body); len(errs) > 0 {
		t.Errorf("schema: %v", errs)
	}
	cur := decodeAs[apiCredentialJSON](t, r.body)
	if cur.Status != "validated" || cur.Creation != authTime(authT0) ||
		cur.Expiration == nil || *cur.Expiration != authTime(authT0.Add(time.Hour)) ||
		cur.LastUse == nil || *cur.LastUse != authTime(clk.Now()) || cur.ApplicationID == 0 || cur.CredentialID == 0 ||
		len(cur.Rules) != len(rules) || cur.AllowedIPs != nil {
		t.Errorf("currentCredential %s", r.body)
	}

	// 6. Log out: the key is dead.
	r = key.do(t, "POST", "/1.0/auth/logout", "")
	wantOK(t, "POST /auth/logout", r)
	if errs := checkResponse(t, "void", r.body); len(errs) > 0 {
		t.Errorf("schema: %v", errs)
	}
	for _, p := range []string{"/1.0/me", "/1.0/auth/currentCredential", "/1.0/auth/logout"} {
		method := "GET"
		if strings.HasSuffix(p, "logout") {
			method = "POST"
		}
		wantAuthErr(t, "after logout "+p, key.do(t, method, p, ""),
			http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
	}
	_ = e
}

func TestAuthIAMUser(t *testing.T) {
	t.Parallel()
	_, _, api := authTestServer(t)
	cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"https://console.example/cb"}`)
	form, _ := getValidationForm(t, api, cr.ValidationURL)
	r := postForm(t, api, form, map[string]string{"login": DemoAccount + "/" + DemoIAMUser, "password": DemoPassword, "duration": "0"})
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d", r.status)
	}
	key := api.with(cr.ConsumerKey)
	r = key.do(t, "GET", "/1.0/auth/details", "")
	wantOK(t, "details", r)
	det := decodeAs[authDetailsJSON](t, r.body)
	if det.Account != DemoAccount || det.Method != "user" || det.User == nil || *det.User != DemoIAMUser ||
		len(det.Identities) != 1 || det.Identities[0] != "urn:v1:eu:identity:user:"+DemoAccount+"/"+DemoIAMUser {
		t.Errorf("details %s", r.body)
	}
	// An IAM user acts within its account.
	r = key.do(t, "GET", "/1.0/me", "")
	wantOK(t, "me", r)
	if me := decodeAs[map[string]any](t, r.body); me["nichandle"] != DemoAccount {
		t.Errorf("/me %v", me["nichandle"])
	}
	// "Unlimited" has no expiration.
	r = key.do(t, "GET", "/1.0/auth/currentCredential", "")
	if cur := decodeAs[apiCredentialJSON](t, r.body); cur.Expiration != nil {
		t.Errorf("unlimited key expires at %s", *cur.Expiration)
	}
}

func TestAuthRefuseAndNoRedirection(t *testing.T) {
	t.Parallel()
	_, _, api := authTestServer(t)

	t.Run("refuse with a redirection", func(t *testing.T) {
		cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"https://console.example/cb"}`)
		form, _ := getValidationForm(t, api, cr.ValidationURL)
		// Refusing needs no login.
		r := postForm(t, api, form, map[string]string{"action": "refuse"})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "https://console.example/cb" {
			t.Fatalf("status %d Location %q", r.status, r.header.Get("Location"))
		}
		wantAuthErr(t, "refused", api.with(cr.ConsumerKey).do(t, "GET", "/1.0/me", ""),
			http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
		req, _ := http.NewRequest("GET", cr.ValidationURL, nil)
		if r := api.send(t, req); r.status != http.StatusNotFound {
			t.Errorf("page after refusal: %d, want 404", r.status)
		}
	})
	for _, action := range []string{"authorize", "refuse"} {
		t.Run(action+" without a redirection", func(t *testing.T) {
			cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}]}`)
			form, _ := getValidationForm(t, api, cr.ValidationURL)
			r := postForm(t, api, form, map[string]string{"login": OtherAccount, "password": DemoPassword, "action": action})
			if r.status != http.StatusOK || !strings.Contains(string(r.body), "You can close this page") {
				t.Fatalf("status %d body %s", r.status, r.body)
			}
			r = api.with(cr.ConsumerKey).do(t, "GET", "/1.0/me", "")
			if action == "refuse" {
				wantAuthErr(t, "refused", r, http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
				return
			}
			wantOK(t, "validated", r)
			if me := decodeAs[map[string]any](t, r.body); me["nichandle"] != OtherAccount {
				t.Errorf("/me %v", me["nichandle"])
			}
		})
	}
}

func TestAuthExpiry(t *testing.T) {
	t.Parallel()
	e, clk, api := authTestServer(t)
	key := api.with(issue(t, e, DemoAppKey, DemoAccount, nil, time.Hour))
	wantOK(t, "fresh", key.do(t, "GET", "/1.0/me", ""))
	clk.Advance(time.Hour - time.Second)
	wantOK(t, "a second before", key.do(t, "GET", "/1.0/me", ""))
	clk.Advance(time.Second)
	wantAuthErr(t, "at expiry", key.do(t, "GET", "/1.0/me", ""),
		http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")

	unlimited := api.with(issue(t, e, DemoAppKey, DemoAccount, nil, 0))
	clk.Advance(10 * 365 * 24 * time.Hour)
	wantOK(t, "unlimited, ten years on", unlimited.do(t, "GET", "/1.0/me", ""))
	e.ExpireConsumerKey(unlimited.ck)
	wantAuthErr(t, "ExpireConsumerKey", unlimited.do(t, "GET", "/1.0/me", ""),
		http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
	e.ExpireConsumerKey("no-such-key") // ignored
}

func TestAuthAllowedIPs(t *testing.T) {
	t.Parallel()
	_, _, api := authTestServer(t)
	for _, tt := range []struct {
		allowed string
		ok      bool
	}{
		{`["127.0.0.0/8"]`, true},
		{`["192.0.2.0/24","127.0.0.1"]`, true},
		{`["192.0.2.0/24"]`, false},
	} {
		cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}],"allowedIPs":`+tt.allowed+`}`)
		form, _ := getValidationForm(t, api, cr.ValidationURL)
		if r := postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword}); r.status != http.StatusOK {
			t.Fatalf("validate: %d", r.status)
		}
		r := api.with(cr.ConsumerKey).do(t, "GET", "/1.0/me", "")
		if !tt.ok {
			wantAuthErr(t, tt.allowed, r, http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
			continue
		}
		wantOK(t, tt.allowed, r)
	}
}

func TestAuthCredentialRequestErrors(t *testing.T) {
	t.Parallel()
	_, _, api := authTestServer(t)
	tests := []struct {
		name, ak, body string
		status         int
		code           string
	}{
		{"no application key", "", `{"accessRules":[{"method":"GET","path":"/*"}]}`, 403, "INVALID_KEY"},
		{"unknown application key", "unknownAppKey000", `{"accessRules":[{"method":"GET","path":"/*"}]}`, 403, "INVALID_KEY"},
		{"no body", DemoAppKey, ``, 400, ""},
		{"not JSON", DemoAppKey, `accessRules=GET`, 400, ""},
		{"no accessRules", DemoAppKey, `{"redirection":"https://x.example/"}`, 400, ""},
		{"empty accessRules", DemoAppKey, `{"accessRules":[]}`, 400, ""},
		{"unknown method", DemoAppKey, `{"accessRules":[{"method":"FETCH","path":"/*"}]}`, 400, ""},
		{"lower-case method", DemoAppKey, `{"accessRules":[{"method":"get","path":"/*"}]}`, 400, ""},
		{"relative path", DemoAppKey, `{"accessRules":[{"method":"GET","path":"me"}]}`, 400, ""},
		{"script redirection", DemoAppKey, `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"javascript:alert(1)"}`, 400, ""},
		{"relative redirection", DemoAppKey, `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"/cb"}`, 400, ""},
		{"bad allowedIPs", DemoAppKey, `{"accessRules":[{"method":"GET","path":"/*"}],"allowedIPs":["nope"]}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := api.with("")
			a.ak = tt.ak
			r := a.public(t, "POST", "/1.0/auth/credential", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			e := r.apiErr(t)
			if e.Class != classFor(tt.status) || e.ErrorCode != tt.code || e.Message == "" {
				t.Errorf("error %s", r.body)
			}
		})
	}
	// PATCH is in auth.HTTPMethodEnum, and a null redirection is none.
	requestCredential(t, api, `{"accessRules":[{"method":"PATCH","path":"/*"}],"redirection":null,"allowedIPs":null}`)
}

func TestAuthValidationPageErrors(t *testing.T) {
	t.Parallel()
	_, _, api := authTestServer(t)
	cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}]}`)
	form, _ := getValidationForm(t, api, cr.ValidationURL)
	get := func(method, u string) authResp {
		req, err := http.NewRequest(method, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		return api.send(t, req)
	}
	for _, tt := range []struct {
		name   string
		r      authResp
		status int
	}{
		{"unknown token", get("GET", api.base+"/auth/?credentialToken="+strings.Repeat("0", 64)), 404},
		{"no token", get("GET", api.base+"/auth/"), 404},
		{"another page", get("GET", api.base+"/auth/other"), 404},
		{"PUT", get("PUT", cr.ValidationURL), 405},
		{"bad duration", postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword, "duration": "soon"}), 400},
		{"negative duration", postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword, "duration": "-60"}), 400},
	} {
		if tt.r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, tt.r.status, tt.status)
		}
		if ct := tt.r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tt.name, ct)
		}
		if tt.r.header.Get("X-Ovh-Queryid") == "" {
			t.Errorf("%s: no X-Ovh-Queryid", tt.name)
		}
	}
	// None of that used the token up.
	if r := postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword}); r.status != http.StatusOK {
		t.Errorf("validate after errors: %d", r.status)
	}
}

// TestAuthMountedUnderPrefix mounts the emulator as demo mode does, under a
// prefix with http.StripPrefix and no public URL: the validation URL keeps
// the prefix, and signatures are over the raw request-target, prefix
// included.
func TestAuthMountedUnderPrefix(t *testing.T) {
	t.Parallel()
	clk := newAuthClock()
	e := New(WithClock(clk.Now))
	mux := http.NewServeMux()
	mux.Handle("/ovhapi/", http.StripPrefix("/ovhapi", e))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	api := newAuthAPI(srv.URL+"/ovhapi", clk, "")

	cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"http://console.example/"}`)
	if !strings.HasPrefix(cr.ValidationURL, srv.URL+"/ovhapi/auth/?credentialToken=") {
		t.Fatalf("validationUrl %q", cr.ValidationURL)
	}
	form, _ := getValidationForm(t, api, cr.ValidationURL)
	if form.action != srv.URL+"/ovhapi/auth/" {
		t.Errorf("form posts to %q", form.action)
	}
	if r := postForm(t, api, form, map[string]string{"login": DemoAccount, "password": DemoPassword}); r.status != http.StatusSeeOther {
		t.Fatalf("validate: %d", r.status)
	}
	key := api.with(cr.ConsumerKey)
	wantOK(t, "under the prefix", key.do(t, "GET", "/1.0/me", ""))
	wantOK(t, "under the prefix, /v1", key.do(t, "GET", "/v1/me", ""))

	// A signature over the URL without the prefix does not match.
	r := key.request(t, "GET", "/1.0/me", "")
	ts := clk.Now().Unix()
	r.Header.Set("X-Ovh-Consumer", key.ck)
	r.Header.Set("X-Ovh-Timestamp", strconv.FormatInt(ts, 10))
	r.Header.Set("X-Ovh-Signature", authSign(DemoAppSecret, key.ck, "GET", srv.URL+"/1.0/me", "", ts))
	wantAuthErr(t, "without the prefix", key.send(t, r), http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")

	// With a public URL, that is what validation URLs start with.
	e2 := New(WithClock(clk.Now), WithPublicURL("http://127.0.0.1:8080/ovhapi/"))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/1.0/auth/credential", strings.NewReader(`{"accessRules":[{"method":"GET","path":"/*"}]}`))
	req.Header.Set("X-Ovh-Application", DemoAppKey)
	e2.ServeHTTP(rec, req)
	got := decodeAs[credentialRequestAnswer](t, rec.Body.Bytes())
	if !strings.HasPrefix(got.ValidationURL, "http://127.0.0.1:8080/ovhapi/auth/?credentialToken=") {
		t.Errorf("validationUrl with a public URL: %q", got.ValidationURL)
	}
}

func TestIssueConsumerKeyErrors(t *testing.T) {
	t.Parallel()
	e := New(WithEmptySeed())
	for _, tt := range []struct {
		name, app, login string
		rules            []AccessRule
		validity         time.Duration
	}{
		{"unknown application", "unknownAppKey000", DemoAccount, nil, 0},
		{"unknown account", DemoAppKey, "zz0000-ovh", nil, 0},
		{"unknown IAM user", DemoAppKey, DemoAccount + "/nobody", nil, 0},
		{"bad rule", DemoAppKey, DemoAccount, []AccessRule{{"FETCH", "/*"}}, 0},
		{"empty rules", DemoAppKey, DemoAccount, []AccessRule{}, 0},
		{"negative validity", DemoAppKey, DemoAccount, nil, -time.Second},
	} {
		if ck, err := e.IssueConsumerKey(tt.app, tt.login, tt.rules, tt.validity); err == nil {
			t.Errorf("%s: got key %q, want an error", tt.name, ck)
		}
	}
	// The accounts and the IAM user exist under WithEmptySeed too.
	for _, login := range []string{DemoAccount, OtherAccount, DemoAccount + "/" + DemoIAMUser} {
		if _, err := e.IssueConsumerKey(OtherAppKey, login, nil, 0); err != nil {
			t.Errorf("%s: %v", login, err)
		}
	}
}

// TestNewTestServer uses the helper as the client package does: the endpoint
// it returns, signed calls from several goroutines (for the race detector),
// and the public URL it sets.
func TestNewTestServer(t *testing.T) {
	t.Parallel()
	e, endpoint := NewTestServer(t)
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/1.0" {
		t.Fatalf("endpoint %q", endpoint)
	}
	base := strings.TrimSuffix(endpoint, "/1.0")
	clk := &authClock{t: time.Now()} // NewTestServer keeps the real clock
	api := newAuthAPI(base, clk, issue(t, e, DemoAppKey, DemoAccount, nil, 0))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		req := api.signed(t, "GET", "/1.0/me", "")
		wg.Go(func() {
			res, err := api.client.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer func() { _ = res.Body.Close() }()
			if res.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(res.Body)
				errs <- fmt.Sprintf("status %d: %s", res.StatusCode, b)
			}
		})
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Error(s)
	}
	if n := e.Calls("GET", "/me"); n != 8 {
		t.Errorf("Calls = %d, want 8", n)
	}
	cr := requestCredential(t, api, `{"accessRules":[{"method":"GET","path":"/*"}]}`)
	if !strings.HasPrefix(cr.ValidationURL, base+"/auth/?credentialToken=") {
		t.Errorf("validationUrl %q", cr.ValidationURL)
	}

	// The server is closed at cleanup: check with a sub-test's own server.
	var closed string
	t.Run("cleanup", func(t *testing.T) {
		_, ep := NewTestServer(t)
		closed = ep
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", closed+"/auth/time", nil)
	if res, err := http.DefaultClient.Do(req); err == nil {
		_ = res.Body.Close()
		t.Errorf("server still answers after its test ended")
	}
}
