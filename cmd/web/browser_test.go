package main

// Browser tests: the console in headless Chromium, driven as a person
// would (clicks, typing, the keyboard, the back button), against its own
// OVH API emulator. The harness is in browser_helpers_test.go. Run them
// alone with `go test -count=1 -run TestBrowser ./cmd/web`; `make
// screenshots` refreshes docs/screenshots from them.

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// signIn signs in from the console's login page through the emulator's
// validation page, as login (password demo), and returns on the page the
// console shows next; both sign-in pages get checkPage.
func signIn(t *testing.T, b *browser, c *browserConsole, login string) {
	t.Helper()
	b.open(c.URL + "/")
	b.waitVisible(testID("login"))
	if !strings.HasPrefix(b.location(), c.URL+"/login") {
		t.Errorf("anonymous visit of / shows %s, want the login page", b.location())
	}
	b.checkPage("")

	b.click(testID("login-ovh"))
	// The validation page is the emulator's, on another origin.
	b.waitVisible(chromedp.CSS("#login"))
	if loc := b.location(); strings.HasPrefix(loc, c.URL) {
		t.Fatalf("validation page at %s, want the emulator's origin", loc)
	}
	b.checkPage("")
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

// TestBrowserSignIn signs in as in production: "Sign in with OVHcloud"
// leads to the API's validation page on another origin (here the
// emulator's, on its own port), which sends the browser back to the
// console's callback.
func TestBrowserSignIn(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)

	// Refused on the validation page: a clear page, and a way to try again.
	b.open(c.URL + "/")
	b.click(testID("login-ovh"))
	b.waitVisible(chromedp.CSS("#login"))
	b.expectErrors(func() {
		b.click(chromedp.CSS(`button[value="refuse"]`))
		b.waitVisible(testID("login-problem"))
	}, `status of 403`) // the console answers the refused sign-in 403
	if !strings.HasPrefix(b.location(), c.URL+"/login/callback") {
		t.Errorf("after refusing, the browser is at %s, want the console's callback", b.location())
	}
	b.checkPage("login-refused")
	b.follow(testID("login-try-again"), "/login", testID("login"))

	signIn(t, b, c, ovhemu.DemoAccount)
	b.waitVisible(testID("home"))
	if got := b.text(testID("signed-in-name")); !strings.Contains(got, "Camille") {
		t.Errorf("signed-in name = %q, want the account's name", got)
	}
	if got := c.Emu.Calls("POST", "/auth/credential"); got != 2 {
		t.Errorf("POST /auth/credential calls = %d, want 2 (refused, then granted)", got)
	}
	b.checkPage("")
}

// TestBrowserNavigationAndSignOut: boosted links, back and forward, the
// whoami page, and signing out.
func TestBrowserNavigationAndSignOut(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	b.waitVisible(testID("home"))

	// Boosted navigation: the document stays, htmx swaps the body and
	// pushes the URL.
	b.markDocument()
	b.follow(`[data-testid="nav"] a[href="/iplb"]`, "/iplb", testID("iplb-list"))
	if !b.sameDocument() {
		t.Error("the link to /iplb reloaded the page; want a boosted (htmx) navigation")
	}
	if u := b.location(); u != c.URL+"/iplb" {
		t.Errorf("after the boosted link the address is %s, want %s/iplb", u, c.URL)
	}
	if got := attr(t, b, `[data-testid="nav"] a[aria-current="page"]`, "href"); got != "/iplb" {
		t.Errorf("current navigation link = %q, want /iplb", got)
	}

	// Back shows Home again; forward the list.
	b.do("back", chromedp.NavigateBack())
	b.waitVisible(testID("home"))
	if u := b.location(); u != c.URL+"/" {
		t.Errorf("after Back the address is %s, want %s/", u, c.URL)
	}
	if got := eval[string](b, `document.title`); !strings.HasPrefix(got, "Home") {
		t.Errorf("after Back the title is %q, want Home's", got)
	}
	if got := attr(t, b, `[data-testid="nav"] a[aria-current="page"]`, "href"); got != "/" {
		t.Errorf("after Back the current navigation link is %q, want /", got)
	}
	b.do("forward", chromedp.NavigateForward())
	b.waitVisible(testID("iplb-list"))
	b.noProblems("back and forward")

	// The whoami page (linked from nowhere: for support).
	b.open(c.URL + "/whoami")
	b.waitVisible(testID("whoami"))
	b.checkPage("whoami")

	// An address that is no page: the error page, with a way home.
	b.expectErrors(func() {
		b.open(c.URL + views.IPLBPath("loadbalancer-nosuchthing0001"))
		b.waitVisible(testID("error-page"))
	}, `status of 404`)
	b.checkPage("error-not-found")
	b.follow(chromedp.CSS(`[data-testid="error-page"] a[href="/"]`), "/", testID("home"))

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
	b.checkPage("login")
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
	b.checkPage("emulator-validation")
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
	b.follow(`[data-testid="nav"] a[href="/iplb"]`, "/iplb", testID("iplb-list"))
	if shoot {
		b.checkPage("")
	}
	b.markDocument()
	b.follow(chromedp.CSS(`[data-testid="iplb-link"][href="/iplb/`+sn+`"]`), "/iplb/"+sn, testID("iplb-dashboard"))
	if !b.sameDocument() {
		t.Error("the link to the load balancer reloaded the page; want a boosted navigation")
	}
	if shoot {
		b.checkPage("")
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
	b.checkPage("")
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
	b.checkPage("")
	b.click(testID("attach-link"))
	b.waitVisible(testID("attach-form"))
	b.checkPage("")
	b.click(chromedp.CSS(fmt.Sprintf(`[data-testid="attach-choice"][data-block=%q]`, ip)))
	b.click(testID("attach-continue"))
	b.waitVisible(testID("attach-confirm"))
	b.checkPage("attach-confirm")
	b.tabThrough("attach-confirm")
	b.click(testID("confirm-attach"))
	badge := `[data-testid="ip-task-badge"]`
	b.waitVisible(chromedp.CSS(badge))
	if got := b.liveRegion(chromedp.CSS(badge)); got == "" {
		t.Error("the IP task badge is not in an aria-live region")
	}
	if st := attr(t, b, badge, "data-status"); st == "done" {
		t.Fatal("move done before the emulator moved it on")
	}
	const moveNotice = `document.querySelectorAll('#alerts [id^="ip-move-notice-"]').length`
	if eval[int](b, moveNotice) != 1 {
		t.Error("no 'once the move is done' notice above the running move")
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
	// The notice went with the same answer (out of band), not stale.
	if eval[int](b, moveNotice) != 0 {
		t.Error("the 'once the move is done' notice stays after the move is done")
	}
	b.checkPage("attach-done")

	// A new HTTP frontend, first with a bad port: the 422 answer is shown
	// in place and keeps what was typed.
	b.click(chromedp.CSS(`[data-testid="iplb-tabs"] a[href="/iplb/` + ovhemu.DemoLB + `/frontends/http"]`))
	b.waitVisible(testID("frontend-list"))
	b.checkPage("")
	pendingBefore := b.text(testID("pending-total"))
	b.click(testID("new-frontend"))
	b.waitVisible(testID("frontend-form"))
	b.checkPage("")
	b.typeInto("#fe-displayName", "shop")
	b.typeInto("#fe-port", "99999")
	b.click(`#fe-advanced summary`)
	ipBox := fmt.Sprintf(`[data-testid="ip-option"][data-ip=%q] input`, ip)
	b.click(chromedp.CSS(ipBox))
	b.markDocument()
	b.expectErrors(func() {
		b.click(testID("frontend-submit"))
		b.waitVisible(chromedp.CSS(`#fe-port[aria-invalid="true"]`))
	}, `status of 422`)
	if !b.sameDocument() {
		t.Error("the 422 answer reloaded the page; want htmx to swap it in place")
	}
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
	b.tabThrough("frontend-invalid")

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
		return "load-balancers" // not iplb-list: TestBrowserApplyConfiguration's
	case "/iplb/{sn}":
		return "dashboard"
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

// otherProtocol reports whether a pattern is the TCP or UDP variant of a
// page that also exists for HTTP (lists, forms, confirmations): their
// screenshots would add megabytes of near-copies to docs/screenshots.
func otherProtocol(pattern string) bool {
	return strings.Contains(pattern, "/tcp") || strings.Contains(pattern, "/udp")
}

// configPage reports whether a pattern is one of issue 6's pages (farms, servers, routes,
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
//
// The crawl starts from the home page, whose first load balancer is
// DemoLB (every kind of object); extras are more states of a page already
// seen (DemoLB2's invalid frontend), checked under their own name without
// following their links, which would claim DemoLB's patterns with DemoLB2's
// pages.
func tour(t *testing.T, mine func(string) bool, extras ...crawledPage) {
	c := startBrowserConsole(t)
	b := newBrowser(t)
	c.Emu.Settle()
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	var checked []string
	check := func(p crawledPage) {
		checked = append(checked, p.Pattern)
		shot := p.Name
		if otherProtocol(p.Pattern) {
			shot = "" // checked in full, but the HTTP one's pictures are enough
		}
		b.checkPage(shot)
		b.tabThrough(p.Name)
	}
	pages := tourPages(t, b, c, []string{"/"}, mine, check)
	for _, p := range extras {
		res, err := runValue(b, chromedp.NavigateResponse(c.URL+p.URL))
		if err != nil {
			b.fatalf("open %s: %v", p.URL, err)
		}
		if res.Status >= 400 {
			t.Errorf("%s answered %d", p.URL, res.Status)
		}
		p.Pattern += " (" + p.Name + ")"
		check(p)
	}
	t.Logf("visited %d page patterns, checked %d:\n  %s", len(pages), len(checked), strings.Join(checked, "\n  "))
	if len(checked) == 0 {
		t.Error("no page of this part found")
	}
}

// TestBrowserEveryPageCore checks every page of the sign-in, load
// balancer, failover IP, frontend and apply parts.
func TestBrowserEveryPageCore(t *testing.T) {
	t.Parallel()
	tour(t, func(p string) bool { return !configPage(p) },
		crawledPage{URL: views.IPLBPath(ovhemu.DemoLB2), Pattern: "/iplb/{sn}", Name: "dashboard-invalid-frontend"},
		crawledPage{URL: views.FrontendsPath(ovhemu.DemoLB2, "http"), Pattern: "/iplb/{sn}/frontends/http", Name: "frontends-http-invalid"},
		crawledPage{URL: views.ApplyPath(ovhemu.DemoLB2), Pattern: "/iplb/{sn}/apply", Name: "apply-failing-checklist"},
	)
}

// TestBrowserEveryPageConfig checks every page of the farm, server, route,
// rule, task and vRack parts.
func TestBrowserEveryPageConfig(t *testing.T) {
	t.Parallel()
	tour(t, configPage)
}

// ---- errors, history, keyboard ------------------------------------------------

// TestBrowserHistoryAndUpstreamErrors: the back and forward buttons after
// boosted navigation show the right page; an API failure while htmx polls
// shows an alert with the OVH query ID and leaves the page working; an API
// refusal of a form shows the API's message and query ID in the form,
// keeping what was typed.
func TestBrowserHistoryAndUpstreamErrors(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	openIPLB(t, b, c, ovhemu.DemoLB, false)

	// Boosted navigation through the tabs, then back and forward.
	tab := func(path string) chromedp.CSS {
		return chromedp.CSS(`[data-testid="iplb-tabs"] a[href="` + path + `"]`)
	}
	failover, frontends := views.FailoverPath(ovhemu.DemoLB), views.FrontendsPath(ovhemu.DemoLB, "http")
	b.markDocument()
	b.click(tab(failover))
	b.waitVisible(testID("failover-page"))
	b.click(tab(frontends))
	b.waitVisible(testID("frontend-list"))
	if !b.sameDocument() {
		t.Error("the tabs reloaded the page; want boosted navigation")
	}
	historyStep := func(step chromedp.Action[chromedp.Void], what, path, ready string) {
		t.Helper()
		b.do(what, step)
		b.waitVisible(testID(ready))
		if u := b.location(); u != c.URL+path {
			t.Errorf("after %s the address is %s, want %s", what, u, c.URL+path)
		}
		if got := attr(t, b, `[data-testid="iplb-tabs"] a[aria-current="page"]`, "href"); got != path {
			t.Errorf("after %s the current tab is %q, want %q", what, got, path)
		}
		if n := b.count(`[data-testid="iplb-tabs"]`); n != 1 {
			t.Errorf("after %s the page has %d tab bars, want 1 (a page swapped into a page?)", what, n)
		}
	}
	historyStep(chromedp.NavigateBack(), "Back", failover, "failover-page")
	if b.count(`[data-testid="frontend-list"]`) != 0 {
		t.Error("after Back the frontends are still shown")
	}
	historyStep(chromedp.NavigateBack(), "Back again", views.IPLBPath(ovhemu.DemoLB), "iplb-dashboard")
	historyStep(chromedp.NavigateForward(), "Forward", failover, "failover-page")
	b.noProblems("history")

	// An API failure while the refresh progress polls: an alert with the
	// query ID in #alerts; the progress stays and polls on.
	b.click(testID("banner-apply"))
	b.waitVisible(testID("apply-form"))
	b.click(testID("apply-submit"))
	progress := `[data-testid="task-progress"]`
	b.waitVisible(chromedp.CSS(progress))
	b.expectErrors(func() {
		c.Emu.Fail("GET", "/ipLoadbalancing/{serviceName}/task/{id}", ovhemu.Fault{Status: http.StatusServiceUnavailable, Message: "Service temporarily unavailable", Times: 1})
		b.waitVisible(chromedp.CSS(`#alerts [data-testid="alert"] [data-testid="query-id"]`))
	}, `status of 502`, `Response Status Error Code 502`) // Chrome's network log, htmx's responseError
	if got := b.text(chromedp.CSS(`#alerts [data-testid="query-id"] code`)); got == "" {
		t.Error("the alert shows an empty query ID")
	}
	if got := b.liveRegion(`#alerts [data-testid="alert"]`); got == "" {
		t.Error("the error alert is not announced (no aria-live or alert role)")
	}
	if b.count(progress) != 1 {
		t.Error("the failed poll replaced the progress; want it left in place")
	}
	b.checkPage("upstream-error-alert")
	c.Emu.Settle()
	waitAttr(t, b, progress, "data-status", "done")
	b.noProblems("polling after the failure")

	// The API refuses a new frontend: its message and query ID in the form.
	b.click(tab(frontends))
	b.click(testID("new-frontend"))
	b.waitVisible(testID("frontend-form"))
	b.typeInto("#fe-displayName", "api-refuses")
	b.typeInto("#fe-port", "8443")
	refusal := "This port is already used by another frontend of this zone"
	c.Emu.Fail("POST", "/ipLoadbalancing/{serviceName}/http/frontend", ovhemu.Fault{Status: http.StatusBadRequest, Message: refusal, Times: 1})
	b.expectErrors(func() {
		b.click(testID("frontend-submit"))
		b.waitVisible(testID("form-error"))
	}, `status of 4[0-9][0-9]`)
	if got := b.text(testID("form-error")); !strings.Contains(got, refusal) {
		t.Errorf("form error = %q, want the API's message %q", got, refusal)
	}
	if got := b.text(chromedp.CSS(`[data-testid="form-query-id"] code`)); got == "" {
		t.Error("the API refusal shows no query ID")
	}
	if got := b.value("#fe-displayName"); got != "api-refuses" {
		t.Errorf("after the refusal the name is %q, want what was typed", got)
	}
	if got := b.liveRegion(`[data-testid="form-error"] [data-testid="alert"]`); got == "" {
		t.Error("the API refusal is not announced (no aria-live or alert role)")
	}
	b.checkPage("frontend-api-refused")
}

// TestBrowserKeyboardAttach attaches a failover IP with the keyboard alone
// (Tab, arrows, Space, Enter), and checks that the live badge's updates do
// not take the focus away from a keyboard user.
func TestBrowserKeyboardAttach(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)

	b.open(c.URL + views.FailoverPath(ovhemu.DemoLB))
	b.waitVisible(testID("failover-page"))
	tabTo(t, b, `[data-testid="attach-link"]`)
	b.press(kb.Enter)
	b.waitVisible(testID("attach-form"))

	// The radio group is one Tab stop; arrows move within it, and choosing
	// by arrow also checks. Walk to the parked IP.
	want := ovhemu.DemoIPParked
	tabTo(t, b, `input[type="radio"][name="ip"]`)
	for range 10 {
		if eval[string](b, `document.activeElement.value`) == want {
			break
		}
		b.press(kb.ArrowDown)
	}
	if got := eval[string](b, `document.activeElement.value`); got != want {
		t.Fatalf("arrows never reached %s (focus on %s)", want, b.focused())
	}
	b.press(" ") // check it, in case arrows only moved focus
	tabTo(t, b, `[data-testid="attach-continue"]`)
	b.press(kb.Enter)
	b.waitVisible(testID("attach-confirm"))
	if got := attr(t, b, `[data-testid="attach-confirm"]`, "data-block"); got != want {
		t.Fatalf("confirming %q, want %q", got, want)
	}
	tabTo(t, b, `[data-testid="confirm-attach"]`)
	b.press(kb.Enter)

	// The badge polls; a keyboard user who moved to its "Refresh status"
	// link keeps the focus there across the polls.
	badge := `[data-testid="ip-task-badge"]`
	b.waitVisible(chromedp.CSS(badge))
	tabTo(t, b, `[data-testid="ip-task-refresh"]`)
	polls := c.Emu.Calls("GET", "/ip/{ip}/task/{taskId}")
	c.Emu.Step() // todo → doing: the next poll swaps the badge
	waitAttr(t, b, badge, "data-status", "doing")
	if c.Emu.Calls("GET", "/ip/{ip}/task/{taskId}") == polls {
		t.Error("the badge changed without a poll")
	}
	if !eval[bool](b, `document.activeElement.matches('[data-testid="ip-task-refresh"]')`) {
		t.Errorf("after the badge's update the focus is on %s, want still on its Refresh status link (keyboard users lose their place)", b.focused())
	}
	c.Emu.Step()
	waitAttr(t, b, badge, "data-status", "done")
	// Done: the next steps are reachable by keyboard.
	tabTo(t, b, `[data-testid="next-pin"]`)
	b.press(kb.Enter)
	b.waitVisible(testID("frontend-form"))
	b.noProblems("keyboard attach")
}
