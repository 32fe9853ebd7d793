package main

// Browser tests: the console in headless Chromium, driven as a person
// would (clicks, typing, the keyboard, the back button), against its own
// OVH API emulator. The harness is in browser_helpers_test.go. Run them
// alone with `go test -count=1 -run TestBrowser ./cmd/web`; `make
// screenshots` refreshes docs/screenshots from them.

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// signIn signs in from the console's login page through the emulator's
// validation page, as login (password demo), and returns on the page the
// console shows next. shoot names the screenshots of the two sign-in pages
// ("" = none).
func signIn(t *testing.T, b *browser, c *browserConsole, login string, shoot bool) {
	t.Helper()
	b.open(c.URL + "/")
	b.waitVisible(testID("login"))
	if !strings.HasPrefix(b.location(), c.URL+"/login") {
		t.Errorf("anonymous visit of / shows %s, want the login page", b.location())
	}
	if shoot {
		b.checkPage("login")
	} else {
		b.noProblems("login page")
	}

	b.click(testID("login-ovh"))
	// The validation page is the emulator's, on another origin.
	b.waitVisible(chromedp.CSS("#login"))
	if loc := b.location(); strings.HasPrefix(loc, c.URL) {
		t.Fatalf("validation page at %s, want the emulator's origin", loc)
	}
	if shoot {
		b.checkPage("emulator-validation")
	} else {
		b.noProblems("validation page")
	}
	b.typeInto(chromedp.CSS("#login"), login)
	b.typeInto(chromedp.CSS("#password"), ovhemu.DemoPassword)
	b.click(chromedp.CSS(`button[value="authorize"]`))

	b.waitVisible(testID("signed-in-login"))
	if got := b.text(testID("signed-in-login")); got != login {
		t.Errorf("signed in as %q, want %q", got, login)
	}
	if !strings.HasPrefix(b.location(), c.URL) {
		t.Errorf("after sign-in the browser is at %s, want the console", b.location())
	}
	b.noProblems("after sign-in")
}

// signInWithKey signs in on the console's login page with a consumer key
// the emulator issued for login (the "I already have a consumer key" form),
// and returns on the page the console shows next. Flows that are not about
// the sign-in itself use it: it does not leave the console's origin.
func signInWithKey(t *testing.T, b *browser, c *browserConsole, login string) {
	t.Helper()
	ck, err := c.Emu.IssueConsumerKey(ovhemu.DemoAppKey, login, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	b.open(c.URL + "/login")
	b.click(chromedp.CSS(`[data-testid="login-key"] summary`))
	b.typeInto(chromedp.CSS("#consumer_key"), ck)
	b.click(chromedp.CSS(`[data-testid="login-key-form"] button[type="submit"]`))
	b.waitText(testID("signed-in-login"), login)
	b.noProblems("sign-in with a consumer key")
}

// TestBrowserSignInAndOut: sign in through the emulator's validation page,
// move between pages with boosted links, go back and forward, sign out.
func TestBrowserSignInAndOut(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)

	signIn(t, b, c, ovhemu.DemoAccount, true)
	b.waitVisible(testID("home"))
	b.checkPage("home")
	if got := b.text(testID("signed-in-name")); !strings.Contains(got, "Camille") {
		t.Errorf("signed-in name = %q, want the account's name", got)
	}

	// Boosted navigation: the document stays, htmx swaps the body and
	// pushes the URL.
	b.markDocument()
	b.click(chromedp.CSS(`a[href="/whoami"]`))
	b.waitVisible(testID("whoami"))
	if !b.sameDocument() {
		t.Error("the link to /whoami reloaded the page; want a boosted (htmx) navigation")
	}
	if u := b.location(); u != c.URL+"/whoami" {
		t.Errorf("after the boosted link the address is %s, want %s/whoami", u, c.URL)
	}
	b.checkPage("whoami")

	// Back shows Home again, with its title; forward shows whoami.
	b.do("back", chromedp.NavigateBack())
	b.waitVisible(testID("home"))
	if u := b.location(); u != c.URL+"/" {
		t.Errorf("after Back the address is %s, want %s/", u, c.URL)
	}
	if b.count(`[data-testid="whoami"]`) != 0 {
		t.Error("after Back the whoami page is still shown")
	}
	b.do("forward", chromedp.NavigateForward())
	b.waitVisible(testID("whoami"))
	b.noProblems("back and forward")

	// Sign out: the key is revoked and the login page says so.
	b.click(testID("logout"))
	b.waitVisible(testID("login-notice"))
	if got := c.Emu.Calls("POST", "/auth/logout"); got != 1 {
		t.Errorf("POST /auth/logout calls = %d, want 1 (the consumer key revoked)", got)
	}
	b.checkPage("signed-out")
	// Signed out for real: the console asks to sign in again.
	b.open(c.URL + "/whoami")
	b.waitVisible(testID("login"))
	if u, _ := url.Parse(b.location()); u.Path != "/login" {
		t.Errorf("after sign-out /whoami shows %s, want the login page", b.location())
	}
	b.noProblems("after sign-out")
}

// TestBrowserDemoSignInByKeyboard: demo mode (no configuration), whose
// emulator is mounted in the console under /ovhapi, signed in with the
// keyboard alone: every interactive element of the login page, the
// validation page and the first page is reached by Tab with a visible
// focus, and Enter does the rest.
func TestBrowserDemoSignInByKeyboard(t *testing.T) {
	t.Parallel()
	base, _ := runConsole(t, map[string]string{"ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir()})
	b := newBrowser(t)

	b.open(base + "/login")
	b.waitVisible(testID("demo-logins"))
	b.checkPage("")
	if n := b.tabThrough("login page"); n < 3 {
		t.Errorf("login page: %d tab stops, want at least the skip link, home and the sign-in button", n)
	}
	// Fresh page, then Tab to "Sign in with OVHcloud" and press Enter.
	b.open(base + "/login")
	b.waitVisible(testID("login"))
	tabTo(t, b, `[data-testid="login-ovh"]`)
	b.press(kb.Enter)
	b.waitVisible(chromedp.CSS("#login"))
	if loc := b.location(); !strings.HasPrefix(loc, base+"/ovhapi/") {
		t.Errorf("demo validation page at %s, want under %s/ovhapi/", loc, base)
	}
	b.checkPage("")
	b.tabThrough("validation page")

	b.open(b.location()) // fresh: autofocus puts the caret in the login field
	b.waitVisible(chromedp.CSS("#login"))
	if !eval[bool](b, `document.activeElement.id === "login"`) {
		t.Errorf("validation page: focus on %s, want the login field (autofocus)", b.focused())
	}
	b.press(ovhemu.DemoAccount)
	b.press(kb.Tab)
	b.press(ovhemu.DemoPassword)
	b.press(kb.Enter) // submits with the form's first button, Authorize
	b.waitVisible(testID("demo-banner"))
	b.waitText(testID("signed-in-login"), ovhemu.DemoAccount)
	b.noProblems("keyboard sign-in")

	b.open(b.location())
	b.tabThrough("first page after sign-in")
}

// tabTo presses Tab until the element matching sel has focus (at most 40
// times).
func tabTo(t *testing.T, b *browser, sel string) {
	t.Helper()
	js := fmt.Sprintf(`document.activeElement.matches(%q)`, sel)
	for range 40 {
		b.press(kb.Tab)
		if eval[bool](b, js) {
			return
		}
	}
	t.Fatalf("Tab never reached %s; focus is on %s", sel, b.focused())
}

// waitAttr waits until the element matching sel has attribute attr = want.
func waitAttr(t *testing.T, b *browser, sel, attr, want string) {
	t.Helper()
	b.waitVisible(chromedp.CSS(fmt.Sprintf(`%s[%s=%q]`, sel, attr, want)))
}

// attr returns an attribute of the first element matching sel ("" if none).
func attr(t *testing.T, b *browser, sel, name string) string {
	t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? (e.getAttribute(%q) || "") : ""; })()`, sel, name))
}

// openIPLB goes from the page shown to the dashboard of IPLB sn through
// the list of load balancers, with boosted links.
func openIPLB(t *testing.T, b *browser, c *browserConsole, sn string, shoot bool) {
	t.Helper()
	if b.count(`a[href="/iplb"]`) > 0 {
		b.click(chromedp.CSS(`a[href="/iplb"]`))
	} else {
		t.Error("no link to the list of load balancers (/iplb) on " + b.location() + "; opening it by address")
		b.open(c.URL + "/iplb")
	}
	b.waitVisible(testID("iplb-list"))
	if shoot {
		b.checkPage("iplb-list")
	}
	b.markDocument()
	b.click(chromedp.CSS(`[data-testid="iplb-link"][href="/iplb/` + sn + `"]`))
	b.waitVisible(testID("iplb-dashboard"))
	if !b.sameDocument() {
		t.Error("the link to the load balancer reloaded the page; want a boosted navigation")
	}
	if shoot {
		b.checkPage("iplb-dashboard")
	}
}

// applyAndWatch applies the configuration from the banner's button: the
// apply page with its pre-flight checklist, the submit, the live progress
// moved on by the emulator (Step) until done, and the banner gone, all
// without a page load.
func applyAndWatch(t *testing.T, b *browser, c *browserConsole, shoot bool) {
	t.Helper()
	b.markDocument()
	b.click(testID("banner-apply"))
	b.waitVisible(testID("apply-page"))
	b.waitVisible(testID("preflight"))
	if shoot {
		b.checkPage("apply")
	}
	b.click(testID("apply-submit"))
	progress := `[data-testid="task-progress"]`
	b.waitVisible(chromedp.CSS(progress))
	if got := b.liveRegion(chromedp.CSS(progress)); got == "" {
		t.Error("the refresh progress is not in an aria-live region: screen readers would not announce it")
	}
	if st := attr(t, b, progress, "data-status"); st == "done" {
		t.Fatalf("refresh done before the emulator moved it on")
	}
	if shoot {
		b.checkPage("apply-running")
	}
	c.Emu.Step() // todo → doing: the next poll shows it
	waitAttr(t, b, progress, "data-status", "doing")
	c.Emu.Step() // doing → done
	waitAttr(t, b, progress, "data-status", "done")
	if b.count(progress+`[hx-get]`) != 0 {
		t.Error("the finished refresh still polls (hx-get kept)")
	}
	waitAttr(t, b, "#pending-banner", "data-pending", "false")
	if !b.sameDocument() {
		t.Error("applying reloaded the page; want htmx to show the progress and the banner in place")
	}
	b.noProblems("apply")
	if shoot {
		b.checkPage("apply-done")
	}
}

// TestBrowserAttachPinApply is the issue's main flow: open an IPLB, apply
// what is pending, attach a failover IP and watch its badge reach done,
// create an HTTP frontend pinning it in the advanced settings (through a
// validation error shown in place that keeps what was typed), see the
// banner appear without a reload, apply again and watch it go.
func TestBrowserAttachPinApply(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	openIPLB(t, b, c, ovhemu.DemoLB, true)

	// The seeded pending changes: the banner is there, announced.
	waitAttr(t, b, "#pending-banner", "data-pending", "true")
	if got := b.liveRegion("#pending-banner"); got != "polite" {
		t.Errorf("pending banner live region = %q, want polite", got)
	}
	applyAndWatch(t, b, c, true)

	// Attach the parked failover IP.
	ip := ovhemu.DemoIPParked
	b.markDocument()
	b.click(chromedp.CSS(`[data-testid="iplb-tabs"] a[href="/iplb/` + ovhemu.DemoLB + `/failover"]`))
	b.waitVisible(testID("failover-page"))
	b.checkPage("failover-list")
	b.click(testID("attach-link"))
	b.waitVisible(testID("attach-form"))
	b.checkPage("attach-choose")
	b.click(chromedp.CSS(fmt.Sprintf(`[data-testid="attach-choice"][data-block=%q]`, ip)))
	b.click(testID("attach-continue"))
	b.waitVisible(testID("attach-confirm"))
	b.checkPage("attach-confirm")
	b.click(testID("confirm-attach"))
	badge := `[data-testid="ip-task-badge"]`
	b.waitVisible(chromedp.CSS(badge))
	if got := b.liveRegion(chromedp.CSS(badge)); got == "" {
		t.Error("the IP task badge is not in an aria-live region")
	}
	if st := attr(t, b, badge, "data-status"); st == "done" {
		t.Fatal("move done before the emulator moved it on")
	}
	b.checkPage("attach-running")
	c.Emu.Step()
	waitAttr(t, b, badge, "data-status", "doing")
	c.Emu.Step()
	waitAttr(t, b, badge, "data-status", "done")
	b.waitVisible(testID("ip-task-next-steps"))
	// The move is a change to apply: the banner appears, without a reload.
	waitAttr(t, b, "#pending-banner", "data-pending", "true")
	if !b.sameDocument() {
		t.Error("following the move reloaded the page; want htmx polling in place")
	}
	b.checkPage("attach-done")

	// A new HTTP frontend, first with a bad port: the 422 answer is shown
	// in place and keeps what was typed.
	b.click(chromedp.CSS(`[data-testid="iplb-tabs"] a[href="/iplb/` + ovhemu.DemoLB + `/frontends/http"]`))
	b.waitVisible(testID("frontend-list"))
	b.checkPage("frontends")
	pendingBefore := b.text(testID("pending-total"))
	b.click(testID("new-frontend"))
	b.waitVisible(testID("frontend-form"))
	b.checkPage("frontend-new")
	b.typeInto("#fe-displayName", "shop")
	b.typeInto("#fe-port", "99999")
	b.click(`#fe-advanced summary`)
	ipBox := fmt.Sprintf(`[data-testid="ip-option"][data-ip=%q] input`, ip)
	b.click(chromedp.CSS(ipBox))
	b.expectErrors(func() {
		b.click(testID("frontend-submit"))
		b.waitVisible(chromedp.CSS(`#fe-port[aria-invalid="true"]`))
	}, `status of 422`)
	if got := b.value("#fe-displayName"); got != "shop" {
		t.Errorf("after the 422 the name is %q, want what was typed", got)
	}
	if got := b.value("#fe-port"); got != "99999" {
		t.Errorf("after the 422 the port is %q, want what was typed", got)
	}
	if !eval[bool](b, fmt.Sprintf(`document.querySelector(%q).checked`, ipBox)) {
		t.Error("after the 422 the failover IP is no longer ticked")
	}
	if b.count(`[data-testid="error-port"]`) != 1 {
		t.Error("no error message next to the port")
	}
	b.checkPage("frontend-invalid")

	b.typeInto("#fe-port", "8080")
	b.do("choose a farm", chromedp.SetValue(chromedp.CSS("#fe-defaultFarmId"), attr(t, b, `#fe-defaultFarmId option[data-testid="farm-option"]`, "value")))
	b.click(testID("frontend-submit"))
	b.waitVisible(testID("frontend-list"))
	row := `[data-testid="frontend-row"]`
	if n := eval[int](b, fmt.Sprintf(`[...document.querySelectorAll(%q)].filter(r => r.innerText.includes("shop") && r.innerText.includes(%q)).length`, row, strings.TrimSuffix(ip, "/32"))); n != 1 {
		t.Errorf("frontends list: %d rows with the new frontend pinning %s, want 1", n, ip)
	}
	if got := b.text(testID("pending-total")); got == pendingBefore {
		t.Errorf("pending changes still %q after creating a frontend", got)
	}
	if !b.sameDocument() {
		t.Error("creating the frontend reloaded the page; want a boosted form")
	}

	// Apply it all; the banner goes.
	applyAndWatch(t, b, c, false)
}

// ---- every page ----------------------------------------------------------------

// crawledPage is one page of the console found by following its links: one
// address per route pattern (ids, service names and IPs abstracted).
type crawledPage struct {
	URL, Pattern, Name string
}

var (
	idSegment = regexp.MustCompile(`^[0-9]+$`)
	ipSegment = regexp.MustCompile(`^[0-9a-fA-F:.]+(%2F|/)[0-9]+$|^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
)

// pagePattern abstracts an address of the console into its route: service
// names, numeric ids and IP blocks become placeholders, the query keeps its
// keys only.
func pagePattern(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, "loadbalancer-"):
			segs[i] = "{sn}"
		case idSegment.MatchString(s):
			segs[i] = "{id}"
		case ipSegment.MatchString(s):
			segs[i] = "{ip}"
		}
	}
	p := "/" + strings.Join(segs, "/")
	if q := u.Query(); len(q) > 0 {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		p += "?" + strings.Join(keys, "&")
	}
	return p, true
}

// pageName is the screenshot name of a pattern: "/iplb/{sn}/frontends/http/{id}/edit"
// is "frontends-http-item-edit".
func pageName(pattern string) string {
	switch pattern {
	case "/":
		return "home"
	case "/iplb":
		return "iplb-list"
	case "/iplb/{sn}":
		return "iplb-dashboard"
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(pattern, "/iplb/{sn}"), "?")
	var parts []string
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		switch s {
		case "{id}", "{sn}":
			s = "item"
		case "{ip}":
			s = "ip"
		}
		parts = append(parts, s)
	}
	if query != "" {
		parts = append(parts, "with", strings.ReplaceAll(query, "&", "-"))
	}
	return strings.Join(parts, "-")
}

// followable reports whether a link is one of the console's pages to visit.
func followable(base, href string) bool {
	if !strings.HasPrefix(href, base+"/") {
		return false // another site (the emulator, documentation)
	}
	path := strings.TrimPrefix(href, base)
	for _, skip := range []string{"/static/", "/login", "/logout", "/ovhapi/", "/healthz"} {
		if strings.HasPrefix(path, skip) {
			return false
		}
	}
	return !strings.Contains(path, "#")
}

// tourPages visits every page of the console reachable by links from
// start (breadth first, one address per pattern, at most limit), checking
// that none answers an error, and calls check on each page for which
// mine(pattern) is true, with the page loaded.
func tourPages(t *testing.T, b *browser, c *browserConsole, starts []string, mine func(pattern string) bool, check func(p crawledPage)) []crawledPage {
	t.Helper()
	const limit = 150
	seen := map[string]bool{}
	var queue, visited []crawledPage
	add := func(href string) {
		p, ok := pagePattern(strings.TrimPrefix(href, c.URL))
		if !ok || seen[p] {
			return
		}
		seen[p] = true
		queue = append(queue, crawledPage{URL: href, Pattern: p, Name: pageName(p)})
	}
	for _, s := range starts {
		add(c.URL + s)
	}
	for len(queue) > 0 && len(visited) < limit {
		p := queue[0]
		queue = queue[1:]
		res, err := runValue(b, chromedp.NavigateResponse(p.URL))
		if err != nil {
			b.fatalf("open %s: %v", p.URL, err)
		}
		if res.Status >= 400 {
			t.Errorf("%s (%s) answered %d: a broken link", p.URL, p.Pattern, res.Status)
		}
		visited = append(visited, p)
		if mine(p.Pattern) {
			check(p)
		}
		for _, href := range eval[[]string](b, `[...document.querySelectorAll("a[href]")].map(a => a.href)`) {
			if followable(c.URL, href) {
				add(href)
			}
		}
	}
	if len(queue) > 0 {
		t.Errorf("more than %d page patterns; raise the limit", limit)
	}
	return visited
}

// configPages are the patterns of issue 6's pages (farms, servers, routes,
// rules, tasks, vRack), toured by their own test so that the two tours
// run in parallel.
func configPage(pattern string) bool {
	for _, p := range []string{"/iplb/{sn}/farms", "/iplb/{sn}/routes", "/iplb/{sn}/tasks", "/iplb/{sn}/vrack", "/iplb/{sn}/ip-tasks"} {
		if strings.HasPrefix(pattern, p) {
			return true
		}
	}
	return false
}

// tour signs in and checks every page of the part mine selects: axe-core,
// labels, keyboard actions, screenshots at both widths, and a Tab walk
// with visible focus. Tasks are settled first: a page whose badge polls
// would swap elements under the Tab walk (TestBrowserAttachPinApply
// covers the running states).
func tour(t *testing.T, mine func(string) bool) {
	c := startBrowserConsole(t)
	b := newBrowser(t)
	c.Emu.Settle()
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	var checked []string
	pages := tourPages(t, b, c, []string{"/", "/iplb/" + ovhemu.DemoLB2 + "/apply"}, mine, func(p crawledPage) {
		checked = append(checked, p.Pattern)
		b.checkPage(p.Name)
		b.tabThrough(p.Name)
	})
	t.Logf("visited %d page patterns, checked %d:\n  %s", len(pages), len(checked), strings.Join(checked, "\n  "))
	if len(checked) == 0 {
		t.Error("no page of this part found")
	}
}

// TestBrowserEveryPageCore checks every page of the sign-in, load
// balancer, failover IP, frontend and apply parts.
func TestBrowserEveryPageCore(t *testing.T) {
	t.Parallel()
	tour(t, func(p string) bool { return !configPage(p) })
}

// TestBrowserEveryPageConfig checks every page of the farm, server, route,
// rule, task and vRack parts.
func TestBrowserEveryPageConfig(t *testing.T) {
	t.Parallel()
	tour(t, configPage)
}
