package main

// The browser-test harness. browser_test.go holds the flows; this file
// starts what they drive and holds the checks every page gets:
//
//   - startBrowserConsole runs the real console (run, as main does) on a free
//     loopback port, configured as in production (application key and
//     secret, SESSION_KEYS, DATA_DIR) against an OVH API emulator of its own
//     on another free loopback port (ovhemu.NewTestServer). The test holds
//     that *ovhemu.Emulator, so it moves tasks on (Step) and injects
//     failures (Fail, FailNextTask) with no hook in the console's production
//     code. The emulator's validation page is on another origin than the
//     console, as OVHcloud's is, so the sign-in crosses origins as it does
//     in production. TestBrowserDemoSignIn covers demo mode's /ovhapi mount.
//   - newBrowser starts one headless Chromium per test, with a fresh profile
//     (user-data dir) and its own browser process: cookies are per host and
//     not per port, so two consoles on 127.0.0.1 must not share a browser
//     profile. Its cleanup checks that no process of that profile is left.
//   - Every page is watched for JavaScript exceptions, console errors, browser
//     log errors and Content-Security-Policy violations (a script added to
//     every new document reports securitypolicyviolation events); any of
//     them fails the test, except errors a step declares it expects
//     (expectErrors), which must then happen.
//   - checkPage runs axe-core (vendored for tests only, injected through the
//     DevTools protocol so that the page's CSP does not apply to it), checks
//     that every form field has a label and that no htmx action hides on an
//     element the keyboard cannot reach, and takes the desktop and narrow
//     screenshots.
//   - tabThrough presses Tab through a page and checks that focus lands on
//     every interactive element in order, with :focus-visible and a visible
//     difference in style.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// axeFile is axe-core, vendored by scripts/vendor-axe.sh (keep in step).
const axeFile = "testdata/axe-core-4.14.1.min.js"

// Bounds. They guard against hangs; none of them is a sleep: every wait
// returns as soon as its condition holds.
const (
	stepTimeout    = 20 * time.Second // one browser step (a click and what it causes, a wait)
	browserTimeout = 4 * time.Minute  // the whole life of one test's browser
	consoleStop    = 20 * time.Second // run's graceful shutdown
)

// Viewports of the screenshots: a desktop window and a phone.
var viewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", 1280, 900, false},
	{"narrow", 390, 844, true},
}

// shotOwners maps each screenshot name to the test that took it, when the
// tests share a directory (docs/screenshots or SCREENSHOTS_DIR), so that
// two tests cannot silently overwrite each other's file.
var shotOwners sync.Map

// screenshotsDir is where screenshots go: docs/screenshots with
// UPDATE_SCREENSHOTS=1 (make screenshots), SCREENSHOTS_DIR if set (to look
// at them), else a temporary directory of the test.
func screenshotsDir(t *testing.T) (dir string, shared bool) {
	t.Helper()
	switch {
	case os.Getenv("UPDATE_SCREENSHOTS") == "1":
		dir, err := filepath.Abs(filepath.Join("..", "..", "docs", "screenshots"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // committed images, world-readable on purpose
			t.Fatal(err)
		}
		return dir, true
	case os.Getenv("SCREENSHOTS_DIR") != "":
		dir := os.Getenv("SCREENSHOTS_DIR")
		if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // the developer's own directory
			t.Fatal(err)
		}
		return dir, true
	}
	return t.TempDir(), false
}

// ---- the console and its emulator ------------------------------------------

// browserConsole is one running console and the emulator it talks to.
type browserConsole struct {
	URL string           // the console, "http://127.0.0.1:N"
	Emu *ovhemu.Emulator // its OVH API, "http://127.0.0.1:M/1.0"
	log *syncBuffer      // the console's JSON log, shown when the test fails
}

// startBrowserConsole starts an emulator (seeded with the demo accounts; its
// tasks advance only when the test calls Step or Settle, unless opts say
// otherwise) and the console against it, both stopped when the test ends.
func startBrowserConsole(t *testing.T, opts ...ovhemu.Option) *browserConsole {
	t.Helper()
	emu, endpoint := ovhemu.NewTestServer(t, opts...)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"ADDR":                   "127.0.0.1:0",
		"OVH_ENDPOINT":           endpoint,
		"OVH_APPLICATION_KEY":    ovhemu.DemoAppKey,
		"OVH_APPLICATION_SECRET": ovhemu.DemoAppSecret,
		"SESSION_KEYS":           hex.EncodeToString(key),
		"DATA_DIR":               t.TempDir(),
	}
	c := &browserConsole{Emu: emu}
	c.URL, c.log = runConsole(t, env)
	return c
}

// runConsole runs the console's run with env (ADDR 127.0.0.1:0) until the
// test ends, and returns its URL once it listens, and its log.
func runConsole(t *testing.T, env map[string]string) (string, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	pr, pw := io.Pipe()
	listening := make(chan string, 1)
	go func() {
		// Copy every line to the buffer; hand the first "listening"
		// record's address to the test.
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			_, _ = logs.Write(append(append([]byte(nil), line...), '\n')) // a bytes.Buffer write cannot fail
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" && rec.Addr != "" {
				select {
				case listening <- rec.Addr:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, func(k string) string { return env[k] }, pw) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("console run: %v", err)
			}
		case <-time.After(consoleStop):
			t.Errorf("console run did not return %s after its context ended", consoleStop)
		}
		_ = pw.Close()
		if t.Failed() {
			t.Logf("console log:\n%s", logs.String())
		}
	})
	select {
	case addr := <-listening:
		return "http://" + addr, logs
	case err := <-done:
		t.Fatalf("console did not start: %v\nlog:\n%s", err, logs.String())
	case <-time.After(stepTimeout):
		t.Fatalf("console did not log \"listening\" within %s\nlog:\n%s", stepTimeout, logs.String())
	}
	return "", nil
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ---- the browser -----------------------------------------------------------

// browser is one headless Chromium with one tab, watched for page errors.
type browser struct {
	t         testing.TB      // the test's *testing.T (TestBrowserHarnessCatches records through it)
	ctx       context.Context // the tab's; steps derive bounded contexts from it
	dir       string          // screenshots
	sharedDir bool            // dir is shared by the tests (not a test's temporary one)

	newProblem chan struct{} // signalled on each unexpected error, to end the step at once

	mu       sync.Mutex
	problems []string         // unexpected errors seen in the pages, not yet reported
	expected []*expectedError // errors the current step may cause
	shots    map[string]bool  // screenshot names taken, to catch duplicates
	loads    []string         // full page loads since markDocument, for messages
}

// expectedError is an error a step declares it causes: the pattern must
// match at least one error, and matching errors are not problems.
type expectedError struct {
	re   *regexp.Regexp
	seen int
}

// chromiumPath finds the browser: $CHROMIUM, Debian's binary (skipping its
// wrapper script, which prints a harmless shell warning), or one on PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/lib/chromium/chromium"); err == nil {
		return "/usr/lib/chromium/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install it (scripts/install-deps.sh does, on Debian) or set CHROMIUM")
	return ""
}

// newBrowser starts a headless Chromium for this test and opens a tab. It
// is closed, and checked gone, when the test ends.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are not run with -short")
	}
	profile := t.TempDir() // created first, so removed after the browser is closed
	stderr := &syncBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(profile),
		// A custom list replaces chromedp's defaults: headless is ours to set.
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),       // same screenshots everywhere
		chromedp.Flag("force-color-profile", "srgb"), // same colours everywhere
		chromedp.Flag("font-render-hinting", "none"), // same glyphs everywhere
		chromedp.Flag("enable-automation", true),     // no "restore pages" and similar
		chromedp.WindowSize(int(viewports[0].width), int(viewports[0].height)),
		chromedp.CombinedOutput(stderr),
		// Chromium's crash handler keeps its database under
		// $XDG_CONFIG_HOME (default ~/.config), whatever the profile: keep
		// it in the profile, out of the user's home, which also lets the
		// leftover check below see the handler's processes.
		chromedp.Env("XDG_CONFIG_HOME=" + profile),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t, shots: map[string]bool{}, newProblem: make(chan struct{}, 1)}
	b.dir, b.sharedDir = screenshotsDir(t)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(b.onEvent))
	// The first Do starts the browser and binds its life to tabCtx (so not
	// a context with a step's deadline); the watchdog bounds that life.
	watchdog := time.AfterFunc(browserTimeout, cancelAlloc)
	var pid int
	t.Cleanup(func() {
		watchdog.Stop()
		cancelTab()
		cancelAlloc() // kills the browser and waits for it
		if pid != 0 {
			if left := processesLeft(profile); len(left) > 0 {
				t.Errorf("chromium processes left after the test (browser pid %d): %v", pid, left)
			}
		}
		if t.Failed() && stderr.String() != "" {
			t.Logf("chromium output:\n%s", lastLines(withoutDBus(stderr.String()), 40))
		}
	})
	start, cancel := context.WithTimeout(tabCtx, stepTimeout)
	defer cancel()
	err := chromedp.Do(tabCtx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// Report every CSP violation of every document (the console's
		// pages and the emulator's), before the page's own scripts run.
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter})
		return err
	}))
	if err == nil {
		err = start.Err()
	}
	if err != nil {
		t.Fatalf("start chromium: %v\n%s", err, stderr.String())
	}
	if p := chromedp.FromContext(tabCtx).Browser.Process(); p != nil {
		pid = p.Pid
	}
	b.ctx = tabCtx
	return b
}

// cspReporter runs first in every document. It turns each
// securitypolicyviolation event into a console error with a marker the
// harness recognises and never forgives.
const cspReporter = `document.addEventListener("securitypolicyviolation", function (e) {
	console.error("csp-violation: " + JSON.stringify({
		directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
		line: e.lineNumber, sample: e.sample, page: String(location.href)
	}));
}, true);`

// processesLeft waits a little for the processes of a closed browser's
// profile to end (its crash handler exits just after the browser; the
// browser itself is already waited for) and returns those still there.
func processesLeft(profile string) []string {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for {
		left := processesUsing(profile)
		if len(left) == 0 {
			return nil
		}
		select {
		case <-deadline:
			return left
		case <-tick.C:
		}
	}
}

// processesUsing lists the processes whose command line names dir (a
// browser profile), from /proc.
func processesUsing(dir string) []string {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline")) //nolint:gosec // /proc of this machine
		if err != nil {
			continue
		}
		if bytes.Contains(cmd, []byte(dir)) {
			found = append(found, e.Name()+" "+string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))[:min(len(cmd), 120)])
		}
	}
	return found
}

// withoutDBus drops Chromium's complaints about the missing D-Bus of a
// container, which are noise.
func withoutDBus(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.Contains(l, "dbus") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// onEvent receives the tab's events in the order they arrive, from the
// tab's message loop: it must be fast and run no command.
func (b *browser) onEvent(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *page.EventFrameNavigated:
		if ev.Frame.ParentID == "" { // the tab's document, not an iframe's
			b.mu.Lock()
			b.loads = append(b.loads, ev.Frame.URL)
			b.mu.Unlock()
		}
		return
	case *cdpruntime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("JavaScript exception: %s (%s:%d)", text, d.URL, d.LineNumber+1)
	case *cdpruntime.EventConsoleAPICalled:
		if ev.Type != cdpruntime.ConsoleAPICalledTypeError && ev.Type != cdpruntime.ConsoleAPICalledTypeAssert {
			return
		}
		problem = "console." + string(ev.Type) + ": " + remoteText(ev.Args)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level != cdplog.EntryLevelError {
			return
		}
		problem = fmt.Sprintf("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
	default:
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	// A CSP violation is never expected.
	if !strings.Contains(problem, "csp-violation") && !strings.Contains(problem, "Content Security Policy") {
		for _, e := range b.expected {
			if e.re.MatchString(problem) {
				e.seen++
				return
			}
		}
	}
	b.problems = append(b.problems, problem)
	select {
	case b.newProblem <- struct{}{}:
	default:
	}
}

// remoteText renders console arguments as the DevTools console would,
// roughly: strings as they are, other values by their description.
func remoteText(args []*cdpruntime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == cdpruntime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
			parts = append(parts, s)
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// noProblems fails the test with every unexpected page error seen since the
// last check. Steps call it; so does every checkPage.
func (b *browser) noProblems(where string) {
	b.t.Helper()
	// Events travel with the replies: a round trip to the page makes sure
	// the events the last step caused have been received.
	_ = b.try(chromedp.Evaluate[chromedp.Void](`0`))
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("%s: %s", where, p)
	}
	b.problems = nil
	select { // reported now: the next step need not stop for them
	case <-b.newProblem:
	default:
	}
}

// expectErrors runs step, during which the page may log errors matching
// patterns (for example Chrome's "the server responded with a status of
// 422" for an htmx request answered 422 on purpose). Each pattern must
// match at least one error: a declared error that does not happen is a
// failure too.
func (b *browser) expectErrors(step func(), patterns ...string) {
	b.t.Helper()
	exp := make([]*expectedError, len(patterns))
	for i, p := range patterns {
		exp[i] = &expectedError{re: regexp.MustCompile(p)}
	}
	b.mu.Lock()
	b.expected = exp
	b.mu.Unlock()
	step()
	_ = b.try(chromedp.Evaluate[chromedp.Void](`0`)) // receive the events of the step
	b.mu.Lock()
	b.expected = nil
	b.mu.Unlock()
	for _, e := range exp {
		if e.seen == 0 {
			b.t.Errorf("expected an error matching %q in the page, saw none", e.re)
		}
	}
}

// ---- steps -------------------------------------------------------------------

// try runs steps with a step's deadline and returns the error. An
// unexpected page error ends the step at once: a wait for what a blocked
// request would have shown need not run to its deadline.
func (b *browser) try(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeoutCause(b.ctx, stepTimeout, errStepTimeout)
	defer cancel()
	ctx, abort := context.WithCancelCause(ctx)
	defer abort(nil)
	go func() {
		select {
		case <-b.newProblem:
			abort(errPageError)
		case <-ctx.Done():
		}
	}()
	err := chromedp.Do(ctx, steps...)
	if err != nil && context.Cause(ctx) != nil {
		err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
	}
	return err
}

var (
	errStepTimeout = fmt.Errorf("step took longer than %s", stepTimeout)
	errPageError   = errors.New("stopped by an error in the page (below)")
)

// do runs steps with a step's deadline and fails the test on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := b.try(steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// fatalf fails the test and shows where the browser was.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	loc, _ := runValue(b, chromedp.Location())
	text, _ := runValue(b, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 4000) : ""`))
	b.mu.Lock()
	problems := strings.Join(b.problems, "\n")
	b.problems = nil
	b.mu.Unlock()
	if problems != "" {
		problems = "\n  page errors:\n" + indent(problems)
	}
	b.t.Fatalf(format+"\n  at %s\n  page text:\n%s%s", append(args, loc, indent(text), problems)...)
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

// runValue runs one action that returns a value, with a step's deadline.
func runValue[T any](b *browser, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// eval evaluates a JavaScript expression in the page (promises awaited) and
// fails the test on an error.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := runValue(b, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// testID is the CSS selector of a data-testid.
func testID(id string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf("[data-testid=%q]", id)) }

// open loads url as a person typing it would: a full page load.
func (b *browser) open(url string) {
	b.t.Helper()
	b.do("open "+url, chromedp.Navigate(url))
}

// click clicks the element (scrolled into view, as a mouse would) once it
// is visible.
func (b *browser) click(sel chromedp.CSS) {
	b.t.Helper()
	b.settled()
	b.do("click "+string(sel), chromedp.WaitVisible(sel), chromedp.Click(sel, chromedp.NodeVisible))
}

// settled waits until htmx has no request in flight and no swap or settle
// under way. htmx processes new content (boosts its links and forms) when
// it settles, 20 ms after a swap: a click before that would be a plain
// navigation. A person is never that fast; a test is.
func (b *browser) settled() {
	b.t.Helper()
	js := `document.readyState === "complete" && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling") ? "yes" : null`
	if _, err := b.poll(js); err != nil {
		b.fatalf("waiting for htmx to settle: %v", err)
	}
}

// follow clicks a link or button that navigates (boosted or not) and
// waits until the address's path is path and ready is shown: waiting for
// ready alone could pass on the page being left, when it has one too.
func (b *browser) follow(sel chromedp.CSS, path string, ready chromedp.CSS) {
	b.t.Helper()
	b.click(sel)
	js := fmt.Sprintf(`location.pathname === %q && document.querySelector(%q) ? "yes" : null`, path, ready)
	if _, err := b.poll(js); err != nil {
		b.fatalf("after clicking %s: want %s showing %s: %v", sel, path, ready, err)
	}
	b.waitVisible(ready)
}

// typeInto focuses the field and types text key by key (after clearing it).
func (b *browser) typeInto(sel chromedp.CSS, text string) {
	b.t.Helper()
	b.do("type into "+string(sel), chromedp.WaitVisible(sel), chromedp.Clear(sel), chromedp.SendKeys(sel, text))
}

// waitVisible waits until the element is shown.
func (b *browser) waitVisible(sel chromedp.CSS) {
	b.t.Helper()
	b.do("wait for "+string(sel), chromedp.WaitVisible(sel))
}

// waitGone waits until no element matches.
func (b *browser) waitGone(sel chromedp.CSS) {
	b.t.Helper()
	b.do("wait for "+string(sel)+" to go", chromedp.WaitNotPresent(sel))
}

// waitText waits until the element's text contains want, and returns it.
func (b *browser) waitText(sel chromedp.CSS, want string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e && e.innerText.includes(%q) ? e.innerText : null; })()`, sel, want)
	text, err := b.poll(js)
	if err != nil {
		got, _ := runValue(b, chromedp.Evaluate[*string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : null })()`, sel)))
		shown := "no such element"
		if got != nil {
			shown = fmt.Sprintf("%q", *got)
		}
		b.fatalf("waiting for %s to contain %q: %v (it shows %s)", sel, want, err, shown)
	}
	return text
}

// poll evaluates js in the page until it returns a string (not null),
// within a step's deadline, starting again when a navigation replaces the
// document under it (a boosted click may still be loading).
func (b *browser) poll(js string) (string, error) {
	deadline := time.Now().Add(stepTimeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return "", errStepTimeout
		}
		v, err := runValue(b, chromedp.Poll[string](js, chromedp.WithPollingTimeout(left), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil || !navigatedAway(err) {
			return v, err
		}
	}
}

// navigatedAway reports whether err is an evaluation cut short by a new
// document.
func navigatedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "context was destroyed") ||
		strings.Contains(msg, "Cannot find context")
}

// text returns the element's visible text.
func (b *browser) text(sel chromedp.CSS) string {
	b.t.Helper()
	s, err := runValue(b, chromedp.Text(sel, chromedp.NodeVisible))
	if err != nil {
		b.fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// value returns a form field's value.
func (b *browser) value(sel chromedp.CSS) string {
	b.t.Helper()
	s, err := runValue(b, chromedp.Value(sel))
	if err != nil {
		b.fatalf("value of %s: %v", sel, err)
	}
	return s
}

// location returns the tab's URL.
func (b *browser) location() string {
	b.t.Helper()
	s, err := runValue(b, chromedp.Location())
	if err != nil {
		b.fatalf("location: %v", err)
	}
	return s
}

// count returns how many elements match a CSS selector now.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// markDocument tags the current document, so that sameDocument can tell a
// boosted navigation (htmx swapped the body; the document stayed) from a
// full page load.
func (b *browser) markDocument() {
	b.t.Helper()
	eval[chromedp.Void](b, `window.__e2eDocument = true`)
	b.mu.Lock()
	b.loads = nil
	b.mu.Unlock()
}

// sameDocument reports whether the document markDocument tagged is still
// the one shown.
func (b *browser) sameDocument() bool {
	b.t.Helper()
	same := eval[bool](b, `window.__e2eDocument === true`)
	if !same {
		b.mu.Lock()
		b.t.Logf("full page loads since the document was marked: %q", b.loads)
		b.mu.Unlock()
	}
	return same
}

// press sends keys (kb constants, or text) to the focused element.
func (b *browser) press(keys string) {
	b.t.Helper()
	if keys == kb.Enter || keys == " " { // activates a link or button: as click
		b.settled()
	}
	b.do("press "+fmt.Sprintf("%q", keys), chromedp.KeyEvent(keys))
}

// focused describes the focused element, for messages.
func (b *browser) focused() string {
	b.t.Helper()
	return eval[string](b, `(() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 160) : "none" })()`)
}

// liveRegion reports whether sel is announced by screen readers when its
// content changes: it, or an ancestor, is an aria-live region (a status or
// alert role implies one).
func (b *browser) liveRegion(sel chromedp.CSS) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		if (!e) return "missing";
		const r = e.closest('[aria-live]:not([aria-live="off"]),[role=status],[role=alert],[role=log],[role=progressbar][aria-live]');
		return r ? (r.getAttribute("aria-live") || r.getAttribute("role")) : "";
	})()`, sel))
}

// ---- checks every page gets --------------------------------------------------

// checkPage checks the page shown: no page errors so far, axe-core, labels,
// keyboard-reachable htmx actions, no sideways scrolling on a phone; and it
// takes the desktop and narrow screenshots named name (name "" takes none,
// for a page shot elsewhere).
func (b *browser) checkPage(name string) {
	b.t.Helper()
	where := name
	if where == "" {
		where = b.location()
	}
	b.noProblems(where)
	b.axe(where)
	b.labelsAndKeyboardActions(where)
	if name != "" {
		b.screenshot(name)
	} else {
		b.atWidths(where, "")
	}
	b.noProblems(where)
}

// axeViolation is the part of an axe-core result the report shows.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRulesOff are axe-core rules this suite does not apply, each with why.
// Keep it empty unless a rule cannot pass for a reason outside our pages.
var axeRulesOff = map[string]string{}

// axeAlsoFail are rules of a lesser impact than serious that fail the
// suite all the same, each with why: every page is clean of them, so a
// regression must not hide in the log.
var axeAlsoFail = map[string]string{
	"region": "all content sits in landmarks (the demo banner is inside <header>)",
}

// axe runs axe-core in the page and fails on serious and critical
// violations and on the rules of axeAlsoFail (other moderate and minor
// ones are logged). axe-core is evaluated
// through the DevTools protocol, which the page's Content-Security-Policy
// does not govern, so the page need not allow it.
func (b *browser) axe(where string) {
	b.t.Helper()
	if !eval[bool](b, `typeof window.axe === "object"`) {
		src, err := os.ReadFile(axeFile)
		if err != nil {
			b.t.Fatalf("axe-core: %v (run scripts/vendor-axe.sh)", err)
		}
		if _, err := runValue(b, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
			b.fatalf("inject axe-core: %v", err)
		}
	}
	rules := map[string]any{}
	for id := range axeRulesOff {
		rules[id] = map[string]bool{"enabled": false}
	}
	opts, _ := json.Marshal(map[string]any{"resultTypes": []string{"violations"}, "rules": rules})
	raw := eval[string](b, `axe.run(document, `+string(opts)+`).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe-core result: %v", err)
	}
	for _, v := range vs {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
		msg := fmt.Sprintf("%s: axe %s (%s): %s\n    %s", where, v.ID, v.Impact, v.Help, strings.Join(nodes, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" || axeAlsoFail[v.ID] != "" {
			b.t.Error(msg)
		} else {
			b.t.Log(msg)
		}
	}
}

// labelsAndKeyboardActions checks that every form field has an accessible
// name from a label (or aria-label/-labelledby), and that every element
// that htmx makes clickable is one the keyboard reaches (a link, a button,
// a field or a form), not a div with hx-get.
func (b *browser) labelsAndKeyboardActions(where string) {
	b.t.Helper()
	bad := eval[[]string](b, `(() => {
		const out = [];
		const shown = e => e.getClientRects().length > 0;
		for (const f of document.querySelectorAll('input, select, textarea')) {
			if (["hidden", "submit", "button", "reset", "image"].includes(f.type)) continue;
			const named = (f.labels && f.labels.length > 0 && [...f.labels].some(l => l.textContent.trim() !== "")) ||
				(f.getAttribute("aria-label") || "").trim() !== "" ||
				(f.getAttribute("aria-labelledby") || "").split(/\s+/).some(id => { const l = id && document.getElementById(id); return l && l.textContent.trim() !== ""; });
			if (!named) out.push("form field without a label: " + f.outerHTML.slice(0, 160));
		}
		const native = new Set(["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "FORM", "SUMMARY"]);
		for (const e of document.querySelectorAll('[hx-get],[hx-post],[data-hx-get],[data-hx-post]')) {
			const trig = e.getAttribute("hx-trigger") || e.getAttribute("data-hx-trigger") || "";
			const byClick = trig === "" || /(^|[\s,])click\b/.test(trig);
			if (!byClick || native.has(e.tagName) || !shown(e)) continue;
			if (e.tabIndex >= 0 && e.getAttribute("role") === "button") continue;
			out.push("htmx action on an element the keyboard does not reach: " + e.outerHTML.slice(0, 160));
		}
		return out;
	})()`)
	for _, s := range bad {
		b.t.Errorf("%s: %s", where, s)
	}
}

// screenshot writes name-desktop.png and name-narrow.png (full page, PNG)
// in the screenshots directory, with atWidths' check.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots[name] {
		b.t.Fatalf("screenshot %q taken twice", name)
	}
	b.shots[name] = true
	if b.sharedDir {
		if other, taken := shotOwners.LoadOrStore(name, b.t.Name()); taken {
			b.t.Errorf("screenshot %q is also taken by %s: in %s one would overwrite the other; give one of them another name (or \"\" for none)", name, other, b.dir)
		}
	}
	b.atWidths(name, name)
}

// atWidths shows the page at each viewport width, fails if it is wider
// than the narrow one (it would scroll sideways on a phone), and with a
// save name writes save-desktop.png and save-narrow.png (full page, PNG).
// The viewport is desktop again afterwards.
func (b *browser) atWidths(where, save string) {
	b.t.Helper()
	name := where
	for _, vp := range viewports {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if vp.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		b.do("viewport "+vp.name, chromedp.EmulateViewport(vp.width, vp.height, opts...))
		// Let layout and htmx's settle classes finish: two animation frames.
		eval[chromedp.Void](b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`)
		if vp.mobile {
			if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(vp.width) {
				b.t.Errorf("%s: the page is %d px wide in a %d px viewport (it scrolls sideways on a phone): %s", name, w, vp.width,
					eval[string](b, fmt.Sprintf(`(() => {
						// The elements that stick out, innermost first: those
						// none of whose children stick out.
						const out = e => e.getBoundingClientRect().right > %d + 1;
						return [...document.querySelectorAll("body *")].filter(e => out(e) && ![...e.children].some(out))
							.slice(0, 4).map(e => e.outerHTML.slice(0, 100)).join(" | ");
					})()`, vp.width)))
			}
		}
		if save == "" {
			continue
		}
		img, err := runValue(b, chromedp.FullScreenshot(100)) // 100: PNG
		if err != nil {
			b.fatalf("screenshot %s %s: %v", name, vp.name, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			b.t.Fatalf("screenshot %s %s is not a PNG: %v", name, vp.name, err)
		}
		if cfg.Width < int(vp.width) || cfg.Height < 100 {
			b.t.Errorf("screenshot %s %s is %dx%d", name, vp.name, cfg.Width, cfg.Height)
		}
		path := filepath.Join(b.dir, save+"-"+vp.name+".png")
		if err := os.WriteFile(path, img, 0o644); err != nil { //nolint:gosec // committed images, world-readable on purpose
			b.t.Fatal(err)
		}
	}
	b.do("viewport back to desktop", chromedp.EmulateViewport(viewports[0].width, viewports[0].height, chromedp.EmulateScale(1)))
}

// ---- keyboard ------------------------------------------------------------------

// focusStop is what tabThrough reads after each Tab.
type focusStop struct {
	Index        int    `json:"index"` // in the list of expected stops; -1 = not one of them
	Describe     string `json:"describe"`
	FocusVisible bool   `json:"focusVisible"`
	Changed      string `json:"changed"` // the style properties that differ from the element unfocused; "" = none
}

// tabThrough presses Tab from the top of the page (it must be freshly
// loaded, so that the sequential focus starting point is the document's
// start) and checks that focus visits every interactive element that is
// shown, in document order, each with :focus-visible and a visible change
// of style (outline, shadow, colours or underline). Radio buttons of one
// group are one stop. It returns how many stops it checked.
func (b *browser) tabThrough(where string) int {
	b.t.Helper()
	// The expected stops, and each one's style with no focus.
	n := eval[int](b, `(() => {
		const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
		const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
			.filter(e => e.tabIndex >= 0 && !e.disabled && e.type !== "hidden" && shown(e) && !e.closest("[inert]"))
			.filter(e => { const d = e.closest("details"); return !d || d.open || (e.tagName === "SUMMARY" && e.parentElement === d); });
		const radios = new Map();
		const stops = all.filter(e => {
			if (e.type !== "radio" || !e.name) return true;
			const group = all.filter(o => o.type === "radio" && o.name === e.name && o.form === e.form);
			const pick = group.find(o => o.checked) || group[0];
			return e === pick;
		});
		// Start from the top even if something has focus (autofocus): focus
		// the body for a moment, which moves the sequential focus navigation
		// starting point there (a blur alone leaves it on the element).
		const hadTabIndex = document.body.getAttribute("tabindex");
		document.body.tabIndex = -1;
		document.body.focus();
		if (hadTabIndex === null) document.body.removeAttribute("tabindex"); else document.body.setAttribute("tabindex", hadTabIndex);
		const props = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color", "color", "border-color", "text-decoration-line"];
		window.__e2eStyle = e => { e.getAnimations({subtree: false}).forEach(a => a.finish()); const cs = getComputedStyle(e); return props.map(p => p + ":" + cs.getPropertyValue(p)); };
		window.__e2eStops = stops;
		window.__e2eBase = stops.map(e => window.__e2eStyle(e));
		return stops.length;
	})()`)
	if n == 0 {
		b.t.Errorf("%s: no interactive element to tab through", where)
		return 0
	}
	for i := range n {
		b.press(kb.Tab)
		stop := eval[focusStop](b, `(() => {
			const e = document.activeElement;
			const i = window.__e2eStops.indexOf(e);
			const d = e ? (e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.dataset.testid ? "[" + e.dataset.testid + "]" : "") + " " + (e.innerText || e.value || e.name || "").trim().slice(0, 40)) : "none";
			if (i < 0) return {index: -1, describe: d, focusVisible: false, changed: ""};
			const now = window.__e2eStyle(e), base = window.__e2eBase[i];
			const changed = now.filter((v, k) => v !== base[k]).join("; ");
			const outline = getComputedStyle(e);
			const ringed = outline.outlineStyle !== "none" && parseFloat(outline.outlineWidth) > 0;
			return {index: i, describe: d, focusVisible: e.matches(":focus-visible"), changed: changed || (ringed ? "outline" : "")};
		})()`)
		switch {
		case stop.Index != i:
			want := eval[string](b, fmt.Sprintf(`(() => { const e = window.__e2eStops[%d]; return e.tagName.toLowerCase() + " " + e.outerHTML.slice(0, 120); })()`, i))
			b.t.Errorf("%s: Tab %d focused %s (stop %d), want stop %d: %s", where, i+1, stop.Describe, stop.Index, i, want)
			return i
		case !stop.FocusVisible:
			b.t.Errorf("%s: Tab %d focused %s but it does not match :focus-visible", where, i+1, stop.Describe)
		case stop.Changed == "":
			b.t.Errorf("%s: Tab %d focused %s with no visible focus indicator (outline, shadow, colours and underline as unfocused)", where, i+1, stop.Describe)
		}
	}
	return n
}
