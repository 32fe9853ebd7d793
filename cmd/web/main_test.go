package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// logLines is an io.Writer for run's stderr that hands each JSON log record
// to the test as it is written.
type logLines struct {
	w       *io.PipeWriter
	records chan map[string]any
}

func newLogLines(t *testing.T) *logLines {
	t.Helper()
	r, w := io.Pipe()
	l := &logLines{w: w, records: make(chan map[string]any, 100)}
	go func() {
		defer close(l.records)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				m = map[string]any{"msg": "UNPARSABLE: " + sc.Text()}
			}
			l.records <- m
		}
	}()
	t.Cleanup(func() { _ = w.Close() })
	return l
}

func (l *logLines) Write(p []byte) (int, error) { return l.w.Write(p) }

// waitFor returns the first record with this msg, failing after a deadline
// (a guard against a hang, not a sleep: it returns as soon as the line comes).
func (l *logLines) waitFor(t *testing.T, msg string) map[string]any {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-l.records:
			if !ok {
				t.Fatalf("log closed before %q", msg)
			}
			if m["msg"] == msg {
				return m
			}
		case <-deadline:
			t.Fatalf("no %q log line", msg)
		}
	}
}

// startRun runs the console with env on a free port and returns its base URL
// and a function that stops it and returns run's error.
func startRun(t *testing.T, env map[string]string) (string, *logLines, func() error) {
	t.Helper()
	env["ADDR"] = "127.0.0.1:0"
	if env["DATA_DIR"] == "" {
		env["DATA_DIR"] = t.TempDir()
	}
	logs := newLogLines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, envOf(env), logs) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("run did not return after its context was cancelled")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	rec := logs.waitFor(t, "listening")
	addr, _ := rec["addr"].(string)
	if _, _, err := net.SplitHostPort(addr); err != nil {
		t.Fatalf("listening line has no addr: %v", rec)
	}
	return "http://" + addr, logs, stop
}

// response is what a test needs of an answer, read in full.
type response struct {
	StatusCode int
	Header     http.Header
}

func get(t *testing.T, url string) (response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	b, err := io.ReadAll(res.Body)
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return response{StatusCode: res.StatusCode, Header: res.Header}, string(b)
}

func TestRunDemoMode(t *testing.T) {
	t.Parallel()
	base, _, stop := startRun(t, map[string]string{})

	res, body := get(t, base+"/healthz")
	if res.StatusCode != http.StatusOK || body != "ok" {
		t.Errorf("/healthz = %d %q", res.StatusCode, body)
	}

	// Anonymous: the home page sends to the login page (http.Get follows),
	// which lists the demo accounts.
	res, body = get(t, base+"/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/ = %d", res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find(`[data-testid="demo-banner"]`).Text(); got != "Demo mode: built-in OVH API emulator" {
		t.Errorf("demo banner = %q", got)
	}
	if doc.Find(`[data-testid="login"]`).Length() != 1 {
		t.Error("/ did not lead to the login page")
	}
	if got := doc.Find(`[data-testid="demo-login"]`).Length(); got != 3 {
		t.Errorf("demo logins listed = %d, want 3", got)
	}
	if res.Header.Get("Content-Security-Policy") == "" {
		t.Error("no CSP on the login page")
	}

	// The emulator answers under /ovhapi, as go-ovh will call it.
	res, body = get(t, base+"/ovhapi/1.0/auth/time")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/ovhapi/1.0/auth/time = %d %q", res.StatusCode, body)
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(body), 10, 64)
	if err != nil {
		t.Fatalf("/auth/time = %q, want an integer", body)
	}
	if d := time.Since(time.Unix(ts, 0)); d < -time.Minute || d > time.Minute {
		t.Errorf("/auth/time = %d, %s from now", ts, d)
	}

	// Static files are served by the console, not the emulator.
	if res, _ := get(t, base+"/static/css/app.css"); res.StatusCode != http.StatusOK {
		t.Errorf("/static/css/app.css = %d", res.StatusCode)
	}

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if res, err := http.Get(base + "/healthz"); err == nil {
		_ = res.Body.Close()
		t.Error("still serving after run returned")
	}
}

func TestRunLogsDemoMode(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir()}
	logs := newLogLines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, envOf(env), logs) }()
	demo := logs.waitFor(t, "demo mode: built-in OVH API emulator")
	listening := logs.waitFor(t, "listening")
	if !strings.HasSuffix(demo["endpoint"].(string), "/ovhapi/1.0") || listening["demo"] != true {
		t.Errorf("demo line %v, listening line %v", demo, listening)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "stopped")
}

func TestRunRealAPIModeHasNoEmulator(t *testing.T) {
	t.Parallel()
	base, _, stop := startRun(t, map[string]string{
		"OVH_APPLICATION_KEY": "ak", "OVH_APPLICATION_SECRET": "as", "OVH_ENDPOINT": "http://127.0.0.1:1/1.0",
		"SESSION_KEYS": strings.Repeat("ab", 32),
	})
	// Not mounted: the console's own catch-all answers (an anonymous
	// visitor is sent to the login page), not the emulator's clock.
	if _, body := get(t, base+"/ovhapi/1.0/auth/time"); !strings.Contains(body, `data-testid="login"`) {
		t.Errorf("/ovhapi answered %.80q outside demo mode, want the login page", body)
	}
	_, body := get(t, base+"/")
	if strings.Contains(body, `data-testid="demo-banner"`) || strings.Contains(body, `data-testid="demo-logins"`) {
		t.Error("demo banner or demo accounts outside demo mode")
	}
	if !strings.Contains(body, `data-testid="login"`) {
		t.Error("/ did not lead to the login page")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRunFailsCleanly(t *testing.T) {
	t.Parallel()
	// A port already taken.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{name: "bad config", env: map[string]string{"OVH_APPLICATION_KEY": "ak"}, wantErr: "OVH_APPLICATION_SECRET"},
		{name: "address in use", env: map[string]string{"ADDR": ln.Addr().String()}, wantErr: "listen"},
		{name: "real API without session keys", env: map[string]string{
			"ADDR": "127.0.0.1:0", "OVH_APPLICATION_KEY": "ak", "OVH_APPLICATION_SECRET": "as", "DATA_DIR": t.TempDir(),
		}, wantErr: "SESSION_KEYS: required outside demo mode"},
	}
	for _, tt := range tests {
		err := run(context.Background(), envOf(tt.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: run = %v, want an error mentioning %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestPublicURLFor(t *testing.T) {
	t.Parallel()
	tcp := func(s string) net.Addr {
		a, err := net.ResolveTCPAddr("tcp", s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	tests := []struct {
		cfg  Config
		addr string
		want string
	}{
		{Config{}, "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{Config{}, "0.0.0.0:8080", "http://127.0.0.1:8080"},
		{Config{}, "[::]:8080", "http://127.0.0.1:8080"},
		{Config{}, "[::1]:9000", "http://[::1]:9000"},
		{Config{}, "192.0.2.7:80", "http://192.0.2.7:80"},
		{Config{PublicURL: "https://console.example.com"}, "0.0.0.0:8080", "https://console.example.com"},
	}
	for _, tt := range tests {
		if got := publicURLFor(tt.cfg, tcp(tt.addr)); got != tt.want {
			t.Errorf("publicURLFor(%+v, %s) = %q, want %q", tt.cfg, tt.addr, got, tt.want)
		}
	}
}

// The Makefile's run-against-emu target spells out the emulator's demo
// application; keep it in step with the emulator.
func TestMakefileUsesTheEmulatorsDemoApplication(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"EMU_APP_KEY    := " + ovhemu.DemoAppKey + "\n", "EMU_APP_SECRET := " + ovhemu.DemoAppSecret + "\n"} {
		if !strings.Contains(string(mk), want) {
			t.Errorf("Makefile lacks %q", strings.TrimSpace(want))
		}
	}
}
