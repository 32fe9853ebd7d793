package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// failureRecorder is a testing.TB whose Error and Errorf are recorded
// instead of failing the test, so that TestBrowserHarnessCatches can check
// that each check of the harness does fail on a bad page.
type failureRecorder struct {
	testing.TB
	mu   sync.Mutex
	msgs []string
}

func (r *failureRecorder) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }

func (r *failureRecorder) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprint(args...))
}

// take returns the messages recorded so far and forgets them.
func (r *failureRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.msgs
	r.msgs = nil
	return m
}

// badPages serves one broken page per check, under the console's kind of
// Content-Security-Policy (scripts and styles from the site only).
func badPages(t *testing.T) string {
	t.Helper()
	files := map[string]string{
		"/throw.js":      `throw new Error("boom");`,
		"/log-error.js":  `console.error("something broke");`,
		"/styles.css":    `a.bare:focus, a.bare:focus-visible { outline: none; box-shadow: none; } .wide { width: 700px; }`,
		"/exception":     `<script src="/throw.js"></script><p>page</p>`,
		"/console-error": `<script src="/log-error.js"></script><p>page</p>`,
		"/inline-script": `<p>page</p><script>document.title = "inline";</script>`,
		"/unlabelled":    `<main><h1>Form</h1><form><input name="port"><button>Save</button></form></main>`,
		"/div-action":    `<main><h1>Rows</h1><div hx-get="/x">open the row</div></main>`,
		"/no-focus":      `<main><h1>Links</h1><a href="/a">first</a> <a class="bare" href="/b">second</a></main>`,
		"/wide":          `<main><h1>Wide</h1><div class="wide">too wide for a phone</div></main>`,
		"/no-alt":        `<main><h1>Image</h1><img src="/styles.css"></main>`,
		"/no-landmark":   `<p>a banner outside every landmark</p><main><h1>Page</h1></main>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'")
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript")
		case strings.HasSuffix(r.URL.Path, ".css"):
			w.Header().Set("Content-Type", "text/css")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>bad</title><link rel="stylesheet" href="/styles.css"></head><body>` + body + `</body></html>`
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserHarnessCatches shows that every check of the harness fails on
// a page that breaks its rule: a check that cannot fail would prove nothing.
func TestBrowserHarnessCatches(t *testing.T) {
	t.Parallel()
	base := badPages(t)
	b := newBrowser(t)
	rec := &failureRecorder{TB: t}
	b.t = rec
	b.dir, b.sharedDir = t.TempDir(), false // never docs/screenshots

	tests := []struct {
		page  string
		check func(where string)
		want  string // a regexp one recorded failure must match
	}{
		{"/exception", b.noProblems, `JavaScript exception: Uncaught Error: boom`},
		{"/console-error", b.noProblems, `console.error: something broke`},
		{"/inline-script", b.noProblems, `csp-violation: .*"directive":"script-src-elem"`},
		{"/unlabelled", b.labelsAndKeyboardActions, `form field without a label: <input name="port">`},
		{"/unlabelled", b.axe, `axe label \(critical\)`},
		{"/no-alt", b.axe, `axe image-alt \(critical\)`},
		{"/no-landmark", b.axe, `axe region \(moderate\)`},
		{"/div-action", b.labelsAndKeyboardActions, `htmx action on an element the keyboard does not reach`},
		{"/no-focus", func(where string) { b.tabThrough(where) }, `Tab 2 focused a second with no visible focus indicator`},
		{"/wide", func(string) { b.screenshot("harness-wide") }, `is 7[0-9][0-9] px wide in a 390 px viewport`},
	}
	for _, tt := range tests {
		// A page error ends the step that causes it (fail fast); here that
		// is expected, and the error stays recorded for the check.
		_ = b.try(chromedp.Navigate(base + tt.page))
		_ = b.try(chromedp.WaitVisible(chromedp.CSS("main, p")))
		tt.check(tt.page)
		b.noProblems(tt.page) // the rest of the page's errors, if any
		got := rec.take()
		re := regexp.MustCompile(tt.want)
		matched := false
		for _, m := range got {
			matched = matched || re.MatchString(m)
		}
		if !matched {
			t.Errorf("%s: no failure matching %q; recorded:\n  %s", tt.page, tt.want, strings.Join(got, "\n  "))
		}
	}
}
