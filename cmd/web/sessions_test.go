package main

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/internal/sessionstore/redistest"
)

// webClient is a cookie-jar HTTP client that does not follow redirects.
type webClient struct {
	t *testing.T
	c *http.Client
}

func newWebClient(t *testing.T) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &webClient{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a GET (form == nil) or a form POST and returns the status, the
// Location and the parsed page.
func (w *webClient) do(target string, form url.Values) (int, string, *goquery.Document) {
	w.t.Helper()
	var res *http.Response
	var err error
	if form == nil {
		res, err = w.c.Get(target)
	} else {
		res, err = w.c.PostForm(target, form)
	}
	if err != nil {
		w.t.Fatalf("%s: %v", target, err)
	}
	b, err := io.ReadAll(res.Body)
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		w.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		w.t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Location"), doc
}

// The demo console end to end: "Sign in with OVHcloud" through the
// built-in emulator's validation page (mounted under /ovhapi), the session
// keys generated and kept under DATA_DIR (0600), and the session surviving
// a restart of the console (files under DATA_DIR/sessions).
func TestDemoSignInSurvivesRestart(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	base, _, stop := startRun(t, map[string]string{"DATA_DIR": dataDir})
	w := newWebClient(t)

	status, _, doc := w.do(base+"/login", nil)
	token := doc.Find(`form[data-testid="login-form"] input[name="_csrf"]`).AttrOr("value", "")
	if status != http.StatusOK || token == "" {
		t.Fatalf("/login = %d, token %q", status, token)
	}
	status, validation, _ := w.do(base+"/login", url.Values{"_csrf": {token}})
	if status != http.StatusSeeOther || !strings.HasPrefix(validation, base+"/ovhapi/auth/?credentialToken=") {
		t.Fatalf("POST /login = %d → %q", status, validation)
	}
	status, _, doc = w.do(validation, nil)
	if status != http.StatusOK {
		t.Fatalf("validation page = %d", status)
	}
	form := url.Values{"login": {ovhemu.DemoAccount}, "password": {ovhemu.DemoPassword}, "duration": {"3600"}, "action": {"authorize"}}
	doc.Find("form input[type=hidden]").Each(func(_ int, s *goquery.Selection) { form.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	status, callback, _ := w.do(base+"/ovhapi/auth/", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(callback, base+"/login/callback?state=") {
		t.Fatalf("validation = %d → %q", status, callback)
	}
	if status, to, _ := w.do(callback, nil); status != http.StatusSeeOther || to != "/" {
		t.Fatalf("callback = %d → %q", status, to)
	}
	signedIn := func(base string) {
		t.Helper()
		status, _, doc := w.do(base+"/", nil)
		if status != http.StatusOK {
			t.Fatalf("/ = %d", status)
		}
		if got := doc.Find(`[data-testid="signed-in-login"]`).Text(); got != ovhemu.DemoAccount {
			t.Fatalf("header shows %q, want %s", got, ovhemu.DemoAccount)
		}
	}
	signedIn(base)

	keysFile := filepath.Join(dataDir, sessionKeysFile)
	checkMode(t, keysFile, 0o600)
	keys, err := os.ReadFile(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := hex.DecodeString(strings.TrimSpace(string(keys))); err != nil || len(k) != 32 {
		t.Fatalf("%s does not hold one 32-byte hex key", keysFile)
	}
	files, err := filepath.Glob(filepath.Join(dataDir, sessionsDir, "session-*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("session files = %v, %v; want one", files, err)
	}
	checkMode(t, files[0], 0o600)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// Restart on the same DATA_DIR (another port: cookies ignore ports).
	// The session is still there: the login page sends a signed-in user
	// on. (Its pages would then end it: the restarted emulator, in memory,
	// has forgotten the consumer key. Against the real API the key lives
	// on.)
	base2, _, stop2 := startRun(t, map[string]string{"DATA_DIR": dataDir})
	if status, to, _ := w.do(base2+"/login", nil); status != http.StatusSeeOther || to != "/" {
		t.Fatalf("after restart, /login = %d → %q; want the session recognised (303 to /)", status, to)
	}
	if again, _ := os.ReadFile(keysFile); string(again) != string(keys) {
		t.Error("the session keys changed at restart")
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

func TestSessionKeys(t *testing.T) {
	t.Parallel()
	configured := [][]byte{[]byte(strings.Repeat("k", 32))}
	if got, err := sessionKeys(Config{OVHAppKey: "ak", SessionKeys: configured}); err != nil || len(got) != 1 {
		t.Errorf("configured keys: %v, %v", got, err)
	}
	if _, err := sessionKeys(Config{OVHAppKey: "ak", DataDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "SESSION_KEYS") {
		t.Errorf("real API without keys: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, sessionKeysFile), []byte("not hex secretvalue\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sessionKeys(Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "line 1") || strings.Contains(err.Error(), "secretvalue") {
		t.Errorf("damaged keys file: %v (must name the line, never the content)", err)
	}
}

// REDIS_URL switches the session store to Redis, checked at start-up; an
// unreachable Redis stops the console with an error that does not repeat the
// URL's password.
func TestRunWithRedis(t *testing.T) {
	t.Parallel()
	logs := newLogLines(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, envOf(map[string]string{
			"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "REDIS_URL": redistest.Start(t),
		}), logs)
	}()
	if got := logs.waitFor(t, "sessions")["store"]; got != "redis" {
		t.Errorf("session store = %v, want redis", got)
	}
	logs.waitFor(t, "listening")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	err = run(t.Context(), envOf(map[string]string{
		"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(), "REDIS_URL": "redis://user:pa55w0rd@" + closed + "/0",
	}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL") || strings.Contains(err.Error(), "pa55w0rd") {
		t.Errorf("run with an unreachable Redis = %v", err)
	}
}
