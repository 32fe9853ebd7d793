package views

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/static"
	"github.com/iplb-console/iplb-console/views/components"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html")

// render renders c into a buffer and parses it.
func render(t *testing.T, ctx context.Context, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc, buf.String()
}

func testID(id string) string { return `[data-testid="` + id + `"]` }

func TestLayout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		meta       PageMeta
		wantBanner bool
		wantTitle  string
		wantAlerts int
	}{
		{name: "demo", meta: PageMeta{Title: "Home", Nav: NavHome, Demo: true}, wantBanner: true, wantTitle: "Home · IPLB console"},
		{name: "real API", meta: PageMeta{Title: "Home", Nav: NavHome}, wantTitle: "Home · IPLB console"},
		{name: "untitled", meta: PageMeta{}, wantTitle: "IPLB console"},
		{name: "flashes", meta: PageMeta{Title: "X", Flashes: []Flash{{Kind: FlashSuccess, Message: "Saved"}, {Kind: FlashError, Message: "Oops"}}}, wantTitle: "X · IPLB console", wantAlerts: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := templ.Raw(`<p data-testid="page-body">body</p>`)
			doc, _ := render(t, context.Background(), Layout(tt.meta, body))

			if got := doc.Find("html").AttrOr("lang", ""); got != "en" {
				t.Errorf(`<html lang> = %q, want "en"`, got)
			}
			if got := doc.Find("title").Text(); got != tt.wantTitle {
				t.Errorf("title = %q, want %q", got, tt.wantTitle)
			}
			banner := doc.Find(testID("demo-banner"))
			if got := banner.Length() == 1; got != tt.wantBanner {
				t.Errorf("demo banner shown = %v, want %v", got, tt.wantBanner)
			}
			if tt.wantBanner && banner.Text() != "Demo mode: built-in OVH API emulator" {
				t.Errorf("banner text = %q", banner.Text())
			}
			// axe "region": all content sits in a landmark. The skip link
			// is the one exception axe allows; the banner is in <header>.
			doc.Find("body").Children().Each(func(_ int, s *goquery.Selection) {
				if !s.Is("header, main, footer, a.skip-link") {
					h, _ := goquery.OuterHtml(s)
					t.Errorf("outside any landmark: %.80s", h)
				}
			})
			if tt.wantBanner && doc.Find("body > header > "+testID("demo-banner")).Length() != 1 {
				t.Error("the demo banner is not inside the page's <header>")
			}
			if doc.Find(`body[hx-boost="true"]`).Length() != 1 {
				t.Error(`<body> lacks hx-boost="true"`)
			}
			if doc.Find("main#main "+testID("page-body")).Length() != 1 {
				t.Error("the page body is not inside <main id=main>")
			}
			if href := doc.Find(testID("skip-link")).AttrOr("href", ""); href != "#main" {
				t.Errorf("skip link href = %q, want #main", href)
			}
			alerts := doc.Find(`#alerts[aria-live="polite"]`)
			if alerts.Length() != 1 {
				t.Fatal(`no <div id="alerts" aria-live="polite">`)
			}
			if got := alerts.Find(testID("alert")).Length(); got != tt.wantAlerts {
				t.Errorf("alerts = %d, want %d", got, tt.wantAlerts)
			}
			if doc.Find("nav").Length() == 0 {
				t.Error("no <nav>")
			}
			// Nothing inline: the CSP allows neither inline scripts nor styles.
			doc.Find("script").Each(func(_ int, s *goquery.Selection) {
				if _, ok := s.Attr("src"); !ok || strings.TrimSpace(s.Text()) != "" {
					t.Errorf("inline script: %s", s.Text())
				}
			})
			if n := doc.Find("style, [style]").Length(); n != 0 {
				t.Errorf("%d inline style(s)", n)
			}
		})
	}
}

func TestLayoutFlashKinds(t *testing.T) {
	t.Parallel()
	meta := PageMeta{Flashes: []Flash{{Kind: FlashSuccess, Message: "a"}, {Kind: FlashInfo, Message: "b"}, {Kind: FlashWarning, Message: "c"}, {Kind: FlashError, Message: "d"}, {Kind: "bogus", Message: "e"}}}
	doc, _ := render(t, context.Background(), Layout(meta, templ.NopComponent))
	var kinds, roles, msgs []string
	doc.Find("#alerts " + testID("alert")).Each(func(_ int, s *goquery.Selection) {
		kinds = append(kinds, s.AttrOr("data-kind", ""))
		roles = append(roles, s.AttrOr("role", ""))
		msgs = append(msgs, s.Find(testID("alert-message")).Text())
	})
	if got, want := strings.Join(kinds, ","), "success,info,warning,error,info"; got != want {
		t.Errorf("kinds = %s, want %s", got, want)
	}
	if got, want := strings.Join(roles, ","), "status,status,alert,alert,status"; got != want {
		t.Errorf("roles = %s, want %s", got, want)
	}
	if got, want := strings.Join(msgs, ","), "a,b,c,d,e"; got != want {
		t.Errorf("messages = %s, want %s", got, want)
	}
}

func TestLayoutAssets(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), Layout(PageMeta{}, templ.NopComponent))
	var urls []string
	doc.Find(`head link[href], head script[src]`).Each(func(_ int, s *goquery.Selection) {
		urls = append(urls, s.AttrOr("href", s.AttrOr("src", "")))
	})
	want := []string{static.Path(static.Favicon), static.Path(static.PicoFile), static.Path(static.AppCSS), static.Path(static.HTMXFile), static.Path(static.AppJS)}
	if strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Errorf("assets = %v, want %v", urls, want)
	}
	for _, u := range urls {
		if !regexp.MustCompile(`^/static/[a-z]+/[^?]+\?v=[0-9a-f]{8}$`).MatchString(u) {
			t.Errorf("asset URL %q is not hashed", u)
		}
	}
}

// The htmx configuration is what makes error answers land in #alerts with
// htmx 2 (STYLE §2.6); check its meaning, not its spelling.
func TestLayoutHTMXConfig(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), Layout(PageMeta{}, templ.NopComponent))
	content, ok := doc.Find(`head meta[name="htmx-config"]`).Attr("content")
	if !ok {
		t.Fatal("no htmx-config meta")
	}
	var cfg struct {
		ResponseHandling []struct {
			Code  string `json:"code"`
			Swap  bool   `json:"swap"`
			Error bool   `json:"error"`
		} `json:"responseHandling"`
		IncludeIndicatorStyles *bool `json:"includeIndicatorStyles"`
		AllowEval              *bool `json:"allowEval"`
	}
	if err := json.Unmarshal([]byte(content), &cfg); err != nil {
		t.Fatalf("htmx-config is not JSON: %v", err)
	}
	// The first rule whose code matches decides, as in htmx 2.
	decide := func(status string) (swap, isErr bool) {
		for _, r := range cfg.ResponseHandling {
			if regexp.MustCompile("^" + r.Code + "$").MatchString(status) {
				return r.Swap, r.Error
			}
		}
		t.Fatalf("no rule for %s", status)
		return false, false
	}
	for _, tc := range []struct {
		status        string
		swap, isError bool
	}{{"200", true, false}, {"204", false, false}, {"303", true, false}, {"422", true, false}, {"404", true, true}, {"500", true, true}, {"502", true, true}} {
		swap, isErr := decide(tc.status)
		if swap != tc.swap || isErr != tc.isError {
			t.Errorf("%s: swap=%v error=%v, want swap=%v error=%v", tc.status, swap, isErr, tc.swap, tc.isError)
		}
	}
	if cfg.IncludeIndicatorStyles == nil || *cfg.IncludeIndicatorStyles {
		t.Error("includeIndicatorStyles must be false: htmx would inject an inline <style> the CSP blocks")
	}
	if cfg.AllowEval == nil || *cfg.AllowEval {
		t.Error("allowEval must be false under a CSP without unsafe-eval")
	}
}

func TestLayoutCSRF(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), Layout(PageMeta{}, templ.NopComponent))
	if _, ok := doc.Find("body").Attr("hx-headers"); ok {
		t.Error("hx-headers rendered without a token")
	}
	token := `t0k"<en>`
	doc, _ = render(t, components.WithCSRF(context.Background(), token), Layout(PageMeta{}, components.CSRFField()))
	var hdr map[string]string
	if err := json.Unmarshal([]byte(doc.Find("body").AttrOr("hx-headers", "")), &hdr); err != nil {
		t.Fatalf("hx-headers: %v", err)
	}
	if hdr["X-CSRF-Token"] != token {
		t.Errorf("hx-headers token = %q, want %q", hdr["X-CSRF-Token"], token)
	}
	if got := doc.Find(`input[type="hidden"][name="_csrf"]`).AttrOr("value", ""); got != token {
		t.Errorf("CSRF field value = %q, want %q", got, token)
	}
}

func TestNavCurrent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		nav  Nav
		want string
	}{{NavHome, "page"}, {NavNone, "false"}} {
		doc, _ := render(t, context.Background(), Layout(PageMeta{Nav: tc.nav}, templ.NopComponent))
		if got := doc.Find(testID("nav-home")).AttrOr("aria-current", ""); got != tc.want {
			t.Errorf("nav %q: aria-current = %q, want %q", tc.nav, got, tc.want)
		}
	}
}

func TestHome(t *testing.T) {
	t.Parallel()
	for _, m := range []HomeModel{
		{Demo: true, Endpoint: "http://127.0.0.1:8080/ovhapi/1.0"},
		{Endpoint: "ovh-eu"},
	} {
		doc, _ := render(t, context.Background(), Home(m))
		if got := doc.Find(testID("api-endpoint") + " code").Text(); got != m.Endpoint {
			t.Errorf("endpoint = %q, want %q", got, m.Endpoint)
		}
		if got := doc.Find(testID("demo-explanation")).Length() == 1; got != m.Demo {
			t.Errorf("demo explanation shown = %v, want %v", got, m.Demo)
		}
	}
}

func TestErrorViews(t *testing.T) {
	t.Parallel()
	full := ErrorModel{
		Status: 403, Title: "Forbidden", Message: "The API credential is not allowed to do this.",
		MissingActions: []string{"ipLoadbalancing:apiovh:refresh/create"},
		QueryID:        "EU.ext-3.6123abcd.1234.0000", RequestID: "req-42", Detail: "ovh.Refresh: 403",
	}
	tests := []struct {
		name string
		c    templ.Component
		m    ErrorModel
		root string // the element that carries data-status
	}{
		{name: "page", c: ErrorPage(full), m: full, root: testID("error-page")},
		{name: "alert", c: ErrorAlert(full), m: full, root: testID("alert")},
		{name: "page, bare", c: ErrorPage(ErrorModel{Status: 500, Title: "Internal Server Error"}), m: ErrorModel{Status: 500, Title: "Internal Server Error"}, root: testID("error-page")},
		{name: "alert, bare", c: ErrorAlert(ErrorModel{Status: 502, Title: "Bad Gateway"}), m: ErrorModel{Status: 502, Title: "Bad Gateway"}, root: testID("alert")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, html := render(t, context.Background(), tt.c)
			root := doc.Find(tt.root)
			if root.Length() != 1 {
				t.Fatalf("no %s in %s", tt.root, html)
			}
			if got := root.AttrOr("data-status", ""); got != strconv.Itoa(tt.m.Status) {
				t.Errorf("data-status = %q, want %d", got, tt.m.Status)
			}
			if !strings.Contains(root.Text(), tt.m.Title) {
				t.Errorf("title %q missing", tt.m.Title)
			}
			checks := []struct{ id, want string }{
				{"query-id", tt.m.QueryID}, {"request-id", tt.m.RequestID}, {"error-detail", tt.m.Detail},
			}
			for _, c := range checks {
				s := doc.Find(testID(c.id))
				if c.want == "" {
					if s.Length() != 0 {
						t.Errorf("%s shown though empty", c.id)
					}
					continue
				}
				if !strings.Contains(s.Text(), c.want) {
					t.Errorf("%s = %q, want it to contain %q", c.id, s.Text(), c.want)
				}
			}
			if got := doc.Find(testID("missing-actions") + " li").Length(); got != len(tt.m.MissingActions) {
				t.Errorf("missing actions = %d, want %d", got, len(tt.m.MissingActions))
			}
			if tt.m.Message != "" && !strings.Contains(doc.Text(), tt.m.Message) {
				t.Errorf("message %q missing", tt.m.Message)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{HomePath(), "/"},
		{HealthzPath(), "/healthz"},
		{pathOf("ip", "203.0.113.16/29", "move"), "/ip/203.0.113.16%2F29/move"},
		{pathOf("iplb", "a b?c#d"), "/iplb/a%20b%3Fc%23d"},
		{pathOf("x", ".."), "/x/.."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestHomePageGolden pins the whole document of the home page in demo mode.
// Asset hashes are masked so that editing app.css does not break it. Refresh
// with `go test ./views -run Golden -update` and review the diff.
func TestHomePageGolden(t *testing.T) {
	t.Parallel()
	m := HomeModel{Demo: true, Endpoint: "http://127.0.0.1:8080/ovhapi/1.0"}
	_, html := render(t, context.Background(), Layout(PageMeta{Title: "Home", Nav: NavHome, Demo: true, RequestID: "r1"}, Home(m)))
	html = regexp.MustCompile(`\?v=[0-9a-f]{8}`).ReplaceAllString(html, "?v=HASH")
	html = strings.ReplaceAll(html, "><", ">\n<") + "\n" // one tag per line: readable diffs
	golden := filepath.Join("testdata", "home.golden.html")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if html != string(want) {
		t.Errorf("home page differs from %s (run with -update and review the diff):\n%s", golden, html)
	}
}

// ptrTo returns a pointer to v (the API models' optional fields).
func ptrTo[T any](v T) *T { return &v }
