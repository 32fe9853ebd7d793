package views

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

const rtSN = "loadbalancer-test"

func rtTxt(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// rtOptions are the options the emulator offers (REFERENCE §9.1).
func rtOptions(p ovh.Protocol) ovh.RouteOptions {
	actions := []ovh.RouteAvailableAction{
		{Name: "farm", Type: ovh.HTTP, Destination: ptrTo("farm")},
		{Name: "redirect", Type: ovh.HTTP, Destination: ptrTo("url"), Status: []int64{301, 302, 303, 307, 308}},
		{Name: "reject", Type: ovh.HTTP, Status: []int64{200, 400, 403, 405, 408, 429, 500, 502, 503, 504}},
		{Name: "farm", Type: ovh.TCP, Destination: ptrTo("farm")},
		{Name: "reject", Type: ovh.TCP},
	}
	text := []ovh.RuleMatch{"contains", "endswith", "exists", "in", "is", "matches", "startswith"}
	rules := []ovh.RouteAvailableRule{
		{Name: "source", Type: ovh.HTTP, Matches: []ovh.RuleMatch{"in", "is"}, Pattern: "cidr"},
		{Name: "method", Type: ovh.HTTP, Matches: []ovh.RuleMatch{"in", "is"}, Pattern: "enum", Enum: []string{"GET", "HEAD", "POST"}},
		{Name: "host", Type: ovh.HTTP, Matches: text, Pattern: "string"},
		{Name: "header", Type: ovh.HTTP, HasSubField: true, Matches: text, Pattern: "string"},
		{Name: "source", Type: ovh.TCP, Matches: []ovh.RuleMatch{"in", "is"}, Pattern: "cidr"},
		{Name: "sni", Type: ovh.TCP, Matches: text, Pattern: "string"},
	}
	return ovh.RouteOptionsFor(p, actions, rules)
}

// rtFixture is an HTTP IPLB: frontend 1 "www" (default farm), frontend 2
// "api" (no default farm), farms 10 and 11, and routes on both.
func rtFixture() ([]ovh.Frontend, []ovh.Farm, []ovh.Route) {
	frontends := []ovh.Frontend{
		{Protocol: ovh.HTTP, ID: 2, Port: "8080", Zone: "gra", DisplayName: ptrTo("api")},
		{Protocol: ovh.HTTP, ID: 1, Port: "80", Zone: "all", DisplayName: ptrTo("www"), DefaultFarmID: ptrTo[int64](10)},
	}
	farms := []ovh.Farm{
		{Protocol: ovh.HTTP, ID: 10, Zone: "all", DisplayName: ptrTo("web")},
		{Protocol: ovh.HTTP, ID: 11, Zone: "all", DisplayName: ptrTo("api-farm")},
	}
	rule := []ovh.Rule{{ID: 100, Field: "host", Match: ovh.MatchIs, Pattern: ptrTo("api.example.com")}}
	routes := []ovh.Route{
		{Protocol: ovh.HTTP, ID: 21, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("heavy"), Weight: 50, Rules: rule,
			Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("11")}},
		{Protocol: ovh.HTTP, ID: 22, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("light"), Weight: 5,
			Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("11")}},
		{Protocol: ovh.HTTP, ID: 23, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("block"), Weight: 200, Rules: rule,
			Action: ovh.RouteAction{Type: ovh.RouteReject, Status: ptrTo[int64](403)}},
		{Protocol: ovh.HTTP, ID: 24, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("same weight"), Weight: 5, Rules: rule,
			Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("99")}},
		{Protocol: ovh.HTTP, ID: 25, DisplayName: ptrTo("loose"), Rules: rule, Action: ovh.RouteAction{Type: ovh.RouteReject, Status: ptrTo[int64](403)}},
	}
	return frontends, farms, routes
}

func TestRouteList(t *testing.T) {
	t.Parallel()
	frontends, farms, routes := rtFixture()
	m := NewRouteList(rtSN, ovh.HTTP, frontends, farms, routes, 0)
	doc, _ := render(t, context.Background(), RouteList(m))

	groups := doc.Find(testID("route-group"))
	var order []string
	groups.Each(func(_ int, g *goquery.Selection) { order = append(order, g.AttrOr("data-frontend", "")) })
	if want := []string{"1", "2", "none"}; !slices.Equal(order, want) {
		t.Fatalf("groups = %v, want %v (by frontend id, then the routes of none)", order, want)
	}

	www := groups.Eq(0)
	if www.AttrOr("data-valid", "") != "true" || www.Find(testID("route-group-empty")).Length() != 1 {
		t.Errorf("www: valid %q, empty state %d", www.AttrOr("data-valid", ""), www.Find(testID("route-group-empty")).Length())
	}

	api := groups.Eq(1)
	if api.AttrOr("data-valid", "") != "true" {
		t.Errorf("api group valid = %q; the routes with rules make it valid", api.AttrOr("data-valid", ""))
	}
	var names, weights, valid []string
	api.Find(testID("route-row")).Each(func(_ int, r *goquery.Selection) {
		names = append(names, rtTxt(r.Find(testID("route-name"))))
		weights = append(weights, r.AttrOr("data-weight", ""))
		valid = append(valid, r.AttrOr("data-makes-valid", ""))
	})
	// REFERENCE §9.2: the reject first, then the farm routes by weight,
	// equal weights in creation order.
	if want := []string{"block", "light", "same weight", "heavy"}; !slices.Equal(names, want) {
		t.Errorf("evaluation order = %v, want %v", names, want)
	}
	if want := []string{"200", "5", "5", "50"}; !slices.Equal(weights, want) {
		t.Errorf("weights = %v, want %v", weights, want)
	}
	if want := []string{"true", "false", "false", "true"}; !slices.Equal(valid, want) {
		t.Errorf("makes frontend valid = %v, want %v", valid, want)
	}
	if n := api.Find(testID("makes-valid")).Length(); n != 2 {
		t.Errorf("%d 'makes frontend valid' badges, want 2", n)
	}
	problems := rtTxt(api.Find(testID("route-problem")))
	for _, want := range []string{"has no rule", "sends to farm 99, which is not an existing HTTP farm"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
	}
	if got := rtTxt(api.Find(testID("route-action")).Eq(0)); got != "Reject (403)" {
		t.Errorf("first action = %q", got)
	}
	if got := rtTxt(api.Find(testID("route-action")).Eq(3)); got != "Send to farm api-farm" {
		t.Errorf("last action = %q", got)
	}
	if got := rtTxt(api.Find(testID("route-rule")).First()); got != `host is "api.example.com"` {
		t.Errorf("rule text = %q", got)
	}
	if href := api.Find(testID("route-group-new")).AttrOr("href", ""); href != NewFrontendRoutePath(rtSN, ovh.HTTP, 2) {
		t.Errorf("add-a-route link = %q", href)
	}
	if doc.Find(testID("route-order-note")).Length() != 1 {
		t.Error("no explanation of the evaluation order")
	}
	tabs := doc.Find(testID("route-protocol-tab"))
	if tabs.Length() != 2 || doc.Find(testID("route-protocol-tab")+`[aria-current="page"]`).AttrOr("data-protocol", "") != "http" {
		t.Errorf("protocol tabs: %d, current %q", tabs.Length(), doc.Find(`[aria-current="page"]`).AttrOr("data-protocol", ""))
	}
}

func TestRouteListInvalidFrontendAndFilter(t *testing.T) {
	t.Parallel()
	frontends, farms, routes := rtFixture()
	// Only the route without rules stays on frontend 2: it is invalid.
	routes = slices.DeleteFunc(routes, func(r ovh.Route) bool { return r.ID != 22 })
	m := NewRouteList(rtSN, ovh.HTTP, frontends, farms, routes, 2)
	doc, _ := render(t, context.Background(), RouteList(m))
	groups := doc.Find(testID("route-group"))
	if groups.Length() != 1 || groups.AttrOr("data-frontend", "") != "2" {
		t.Fatalf("filtered to frontend 2: %d groups (%q)", groups.Length(), groups.AttrOr("data-frontend", ""))
	}
	if groups.AttrOr("data-valid", "") != "false" {
		t.Error("frontend 2 with a rule-less route is shown valid")
	}
	if reason := rtTxt(groups.Find(testID("frontend-reason"))); !strings.Contains(reason, `route "light" has no rule`) {
		t.Errorf("reason = %q", reason)
	}
	if doc.Find(testID("makes-valid")).Length() != 0 {
		t.Error("a route without rules is marked as making its frontend valid")
	}
	if doc.Find(testID("route-filter-clear")).AttrOr("href", "") != RoutesPath(rtSN, ovh.HTTP) {
		t.Error("no way back to every frontend")
	}

	m = NewRouteList(rtSN, ovh.HTTP, frontends, farms, routes, 77)
	doc, _ = render(t, context.Background(), RouteList(m))
	if doc.Find(testID("route-filter-missing")).Length() != 1 {
		t.Error("a filter on a missing frontend says nothing")
	}

	// Without routes, the invalid frontend's empty group says how to fix
	// it; the one with a default farm does not need to.
	doc, _ = render(t, context.Background(), RouteList(NewRouteList(rtSN, ovh.HTTP, frontends, farms, nil, 0)))
	if href := doc.Find(testID("route-group")+`[data-frontend="2"] `+testID("route-group-fix")).AttrOr("href", ""); href != NewFrontendRoutePath(rtSN, ovh.HTTP, 2) {
		t.Errorf("fix link of the invalid frontend = %q", href)
	}
	if doc.Find(testID("route-group")+`[data-frontend="1"] `+testID("route-group-fix")).Length() != 0 {
		t.Error("a valid frontend is offered a fix")
	}

	doc, _ = render(t, context.Background(), RouteList(NewRouteList(rtSN, ovh.TCP, nil, nil, nil, 0)))
	if doc.Find(testID("route-empty")).Length() != 1 || doc.Find(testID("route-empty-new-frontend")).AttrOr("href", "") != NewFrontendPath(rtSN, ovh.TCP) {
		t.Error("no empty state pointing to a new TCP frontend")
	}
}

func TestRouteFormPerProtocol(t *testing.T) {
	t.Parallel()
	frontends, farms, _ := rtFixture()
	tests := []struct {
		proto        ovh.Protocol
		wantActions  []string
		wantRedirect bool
		wantReject   bool // an HTTP reject has a status
	}{
		{ovh.HTTP, []string{"farm", "redirect", "reject"}, true, true},
		{ovh.TCP, []string{"farm", "reject"}, false, false},
	}
	for _, tt := range tests {
		opts := RouteFormOptions{Frontends: frontends, Farms: farms, Actions: rtOptions(tt.proto).Actions}
		f := NewRouteForm(rtSN, tt.proto, 2, opts)
		doc, _ := render(t, context.Background(), RouteEdit(f))
		var actions []string
		doc.Find(testID("action-option")).Each(func(_ int, s *goquery.Selection) { actions = append(actions, s.AttrOr("value", "")) })
		if !slices.Equal(actions, tt.wantActions) {
			t.Errorf("%s actions = %v, want %v", tt.proto, actions, tt.wantActions)
		}
		if got := doc.Find(testID("target-redirect")).Length() == 1; got != tt.wantRedirect {
			t.Errorf("%s redirect target shown = %v", tt.proto, got)
		}
		if got := doc.Find(testID("target-reject")).Length() == 1; got != tt.wantReject {
			t.Errorf("%s reject status shown = %v", tt.proto, got)
		}
		if doc.Find(testID("target-farm")+` select option[data-testid="farm-option"]`).Length() != 2 {
			t.Errorf("%s: farm select lacks the farms", tt.proto)
		}
		if v := doc.Find(`#rt-frontendId option[selected]`).AttrOr("value", ""); v != "2" {
			t.Errorf("%s: preselected frontend = %q", tt.proto, v)
		}
		if doc.Find(`input[name="actionType"][value="farm"][checked]`).Length() != 1 {
			t.Errorf("%s: farm is not the default action", tt.proto)
		}
		if tt.wantRedirect {
			if v := doc.Find(`#rt-redirectStatus option[selected]`).AttrOr("value", ""); v != "302" {
				t.Errorf("default redirect status = %q, want 302", v)
			}
			if v := doc.Find(`#rt-rejectStatus option[selected]`).AttrOr("value", ""); v != "403" {
				t.Errorf("default reject status = %q, want 403", v)
			}
		}
		if doc.Find(testID("route-form")).AttrOr("action", "") != RoutesPath(rtSN, tt.proto) {
			t.Errorf("%s form posts to %q", tt.proto, doc.Find(testID("route-form")).AttrOr("action", ""))
		}
	}
}

func TestRouteFormValidateAndUpdate(t *testing.T) {
	t.Parallel()
	frontends, farms, _ := rtFixture()
	opts := RouteFormOptions{Frontends: frontends, Farms: farms, Actions: rtOptions(ovh.HTTP).Actions}
	route := ovh.Route{Protocol: ovh.HTTP, ID: 5, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("r"), Weight: 3,
		Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("10")}}

	tests := []struct {
		name    string
		form    url.Values
		errors  []string
		update  ovh.RouteUpdate
		changed bool
	}{
		{name: "nothing changed",
			form: url.Values{"displayName": {"r"}, "frontendId": {"2"}, "weight": {"3"}, "actionType": {"farm"}, "farmId": {"10"}}},
		{name: "only the weight",
			form:   url.Values{"displayName": {"r"}, "frontendId": {"2"}, "weight": {"9"}, "actionType": {"farm"}, "farmId": {"10"}},
			update: ovh.RouteUpdate{Weight: ptrTo[int64](9)}, changed: true},
		{name: "cleared name and frontend",
			form:   url.Values{"displayName": {""}, "frontendId": {""}, "weight": {"3"}, "actionType": {"farm"}, "farmId": {"10"}},
			update: ovh.RouteUpdate{DisplayName: ovh.Clear[string](), FrontendID: ovh.Clear[int64]()}, changed: true},
		{name: "to a redirect: the whole action",
			form: url.Values{"displayName": {"r"}, "frontendId": {"2"}, "weight": {"3"}, "actionType": {"redirect"}, "farmId": {"10"},
				"redirectUrl": {"https://${host}/"}, "redirectStatus": {"308"}},
			update:  ovh.RouteUpdate{Action: &ovh.RouteAction{Type: ovh.RouteRedirect, Target: ptrTo("https://${host}/"), Status: ptrTo[int64](308)}},
			changed: true},
		{name: "errors", form: url.Values{"weight": {"-1"}, "frontendId": {"x"}, "actionType": {"redirect"}, "redirectUrl": {"a b"}, "redirectStatus": {"404"}},
			errors: []string{"frontendId", "redirectStatus", "redirectUrl", "weight"}},
		{name: "unknown action", form: url.Values{"actionType": {"teleport"}}, errors: []string{"actionType"}},
	}
	for _, tt := range tests {
		f := EditRouteForm(rtSN, route, opts)
		f.Read(tt.form)
		ok := f.Validate()
		var errs []string
		for k := range f.Errors {
			errs = append(errs, k)
		}
		slices.Sort(errs)
		if !slices.Equal(errs, tt.errors) || ok != (len(tt.errors) == 0) {
			t.Errorf("%s: valid %v, errors %v; want %v", tt.name, ok, errs, tt.errors)
			continue
		}
		if !ok {
			continue
		}
		u, changed := f.Update()
		if changed != tt.changed {
			t.Errorf("%s: changed = %v", tt.name, changed)
		}
		if diff := cmp.Diff(tt.update, u); diff != "" {
			t.Errorf("%s: update (-want +got):\n%s", tt.name, diff)
		}
	}

	// Create sends the documented default statuses as chosen and nothing
	// for an empty name or frontend.
	f := NewRouteForm(rtSN, ovh.HTTP, 0, opts)
	f.Read(url.Values{"weight": {"0"}, "actionType": {"reject"}, "rejectStatus": {"403"}})
	if !f.Validate() {
		t.Fatalf("errors %v", f.Errors)
	}
	want := ovh.RouteCreate{Action: ovh.RouteAction{Type: ovh.RouteReject, Status: ptrTo[int64](403)}, Weight: ptrTo[int64](0)}
	if diff := cmp.Diff(want, f.Create()); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
}

// A route edit is compared with the route as it is now: the user's changes
// are sent, someone else's other changes are kept, a field both changed
// differently (the action counting as one) is a conflict, and the 409 page
// shows the current value next to the user's and starts from the current
// values.
func TestRouteFormMergeAndConflicts(t *testing.T) {
	t.Parallel()
	frontends, farms, _ := rtFixture()
	opts := RouteFormOptions{Frontends: frontends, Farms: farms, Actions: rtOptions(ovh.HTTP).Actions}
	route := ovh.Route{Protocol: ovh.HTTP, ID: 5, FrontendID: ptrTo[int64](2), DisplayName: ptrTo("r"), Weight: 3,
		Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("10")}}
	orig := RouteValuesOf(route)
	f := EditRouteForm(rtSN, route, opts)
	f.Read(url.Values{RouteFieldSnapshot: {orig.Encode()}, "displayName": {"r"}, "frontendId": {"1"}, "weight": {"9"},
		"actionType": {"redirect"}, "redirectUrl": {"https://${host}/"}, "redirectStatus": {"301"}})
	if !f.Validate() {
		t.Fatal(f.Errors)
	}
	current := orig
	current.DisplayName = "theirs"      // theirs only: kept
	current.Weight = 7                  // both changed it, differently: conflict
	current.FrontendID = 1              // both made the same change: nothing to send
	current.Action.Target = ptrTo("11") // another farm: the action is one field, a conflict
	m := f.Merge(current)
	if m.Send != nil || !slices.Equal(m.Theirs, []string{"displayName", "frontendId", "weight", "action"}) {
		t.Errorf("merge send %v, theirs %v", m.Send, m.Theirs)
	}
	want := []FormConflict{
		{Field: "weight", Label: "Weight", Current: "7", Yours: "9"},
		{Field: "action", Label: "Action", Current: "Send to farm api-farm", Yours: "Redirect (301) to https://${host}/"},
	}
	if diff := cmp.Diff(want, m.Conflicts); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}

	f.Conflicts = m.Conflicts
	f.Rebase(current)
	if f.DisplayName != "theirs" || f.Weight != "9" || f.Frontend != "1" || f.ActionType != "redirect" ||
		f.RedirectURL != "https://${host}/" || f.RedirectStatus != "301" || f.Farm != "" {
		t.Errorf("rebased form %+v", f)
	}
	if f.Original == nil || f.Original.Weight != 7 || f.Original.DisplayName != "theirs" {
		t.Errorf("rebased snapshot %+v", f.Original)
	}
	doc, _ := render(t, context.Background(), RouteEdit(f))
	rows := doc.Find(testID("conflicts") + " " + testID("conflict"))
	if rows.Length() != 2 {
		t.Fatalf("conflict rows = %d, want 2: %q", rows.Length(), rtTxt(doc.Find(testID("conflicts"))))
	}
	for i, c := range want {
		row := rows.Eq(i)
		if row.AttrOr("data-field", "") != c.Field || rtTxt(row.Find("th")) != c.Label ||
			rtTxt(row.Find(testID("conflict-current"))) != c.Current || rtTxt(row.Find(testID("conflict-yours"))) != c.Yours {
			t.Errorf("conflict row %d = %q (field %q), want %+v", i, rtTxt(row), row.AttrOr("data-field", ""), c)
		}
	}
	if !strings.Contains(rtTxt(doc.Find(testID("conflicts"))), "Someone else changed this route meanwhile") {
		t.Errorf("conflicts alert = %q", rtTxt(doc.Find(testID("conflicts"))))
	}
	snap, _ := doc.Find(`input[name="_snapshot"]`).Attr("value")
	if got, err := DecodeRouteValues(snap); err != nil || got.Weight != 7 || got.DisplayName != "theirs" {
		t.Errorf("the 409 page's snapshot = %+v, %v; want the current values", got, err)
	}
	if v := doc.Find(`#rt-weight`).AttrOr("value", ""); v != "9" {
		t.Errorf("weight input = %q, want the user's 9", v)
	}

	// Saving the 409 page again: the user's values win, the rest stays.
	again := EditRouteForm(rtSN, route, opts)
	again.Read(url.Values{RouteFieldSnapshot: {snap}, "displayName": {f.DisplayName}, "frontendId": {f.Frontend}, "weight": {f.Weight},
		"actionType": {f.ActionType}, "redirectUrl": {f.RedirectURL}, "redirectStatus": {f.RedirectStatus}})
	if !again.Validate() {
		t.Fatal(again.Errors)
	}
	m = again.Merge(current)
	if len(m.Conflicts) != 0 || m.Theirs != nil || !slices.Equal(m.Send, []string{"weight", "action"}) {
		t.Errorf("second save merge %+v", m)
	}
	wantU := ovh.RouteUpdate{Weight: ptrTo[int64](9),
		Action: &ovh.RouteAction{Type: ovh.RouteRedirect, Target: ptrTo("https://${host}/"), Status: ptrTo[int64](301)}}
	if diff := cmp.Diff(wantU, RouteUpdateOf(again.Values(), m.Send)); diff != "" {
		t.Errorf("second save update (-want +got):\n%s", diff)
	}
}

func TestRouteDetailRules(t *testing.T) {
	t.Parallel()
	frontends, farms, routes := rtFixture()
	r := routes[1] // "light": a farm route of frontend 2 without rules
	opts := rtOptions(ovh.HTTP)
	m := NewRouteDetail(rtSN, r, nil, frontends, farms, routes, opts)
	doc, _ := render(t, context.Background(), RouteDetail(m))
	if doc.Find("#route-detail").Length() != 1 {
		t.Fatal("no #route-detail target")
	}
	if doc.Find(testID("rules-empty")).Length() != 1 || doc.Find(testID("route-validity")).AttrOr("data-makes-valid", "") != "false" {
		t.Error("a route without rules: no empty state, or marked valid")
	}
	form := doc.Find(testID("rule-form"))
	if form.AttrOr("hx-post", "") != RulesPath(rtSN, ovh.HTTP, r.ID) || form.AttrOr("hx-target", "") != "#route-detail" || form.AttrOr("action", "") != RulesPath(rtSN, ovh.HTTP, r.ID) {
		t.Errorf("rule form: action %q, hx-post %q, hx-target %q", form.AttrOr("action", ""), form.AttrOr("hx-post", ""), form.AttrOr("hx-target", ""))
	}
	var fields []string
	form.Find(testID("field-option")).Each(func(_ int, s *goquery.Selection) { fields = append(fields, s.AttrOr("value", "")) })
	if want := []string{"source", "method", "host", "header"}; !slices.Equal(fields, want) {
		t.Errorf("field choices = %v, want %v (availableRouteRules of HTTP)", fields, want)
	}
	if form.Find(testID("match-option")+`[value="startswith"]`).Length() != 1 {
		t.Error("the match select lacks startswith")
	}
	if doc.Find(testID("rule-field-help")+`[data-field="header"]`).Length() != 1 {
		t.Error("no help for the header field")
	}

	rules := []ovh.Rule{
		{ID: 2, Field: "header", SubField: ptrTo("X-Env"), Match: ovh.MatchExists, Negate: true, DisplayName: ptrTo("no env")},
		{ID: 1, Field: "host", Match: ovh.MatchEndsWith, Pattern: ptrTo(".example.com")},
	}
	m = NewRouteDetail(rtSN, r, rules, frontends, farms, routes, opts)
	doc, _ = render(t, context.Background(), RouteDetail(m))
	rows := doc.Find(testID("rule-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d rule rows", rows.Length())
	}
	var texts []string
	rows.Find(testID("rule-text")).Each(func(_ int, s *goquery.Selection) { texts = append(texts, rtTxt(s)) })
	if want := []string{`host ends with ".example.com"`, "header[X-Env] does not exist"}; !slices.Equal(texts, want) {
		t.Errorf("rules = %v, want %v", texts, want)
	}
	del := rows.First().Find(testID("rule-delete"))
	if del.AttrOr("href", "") != DeleteRulePath(rtSN, ovh.HTTP, r.ID, 1) || del.AttrOr("hx-post", "") != DeleteRulePath(rtSN, ovh.HTTP, r.ID, 1) ||
		del.AttrOr("hx-target", "") != "#route-detail" || del.AttrOr("hx-confirm", "") == "" {
		t.Errorf("remove link: href %q, hx-post %q, hx-target %q, confirm %q", del.AttrOr("href", ""), del.AttrOr("hx-post", ""),
			del.AttrOr("hx-target", ""), del.AttrOr("hx-confirm", ""))
	}
	if doc.Find(testID("route-validity")).AttrOr("data-makes-valid", "") != "true" || doc.Find(testID("frontend-valid")).AttrOr("data-valid", "") != "true" {
		t.Error("with rules the route and its frontend are valid")
	}

	// Five rules: the form gives way to a note.
	for i := int64(3); i <= MaxRulesPerRoute; i++ {
		rules = append(rules, ovh.Rule{ID: i, Field: "host", Match: ovh.MatchIs, Pattern: ptrTo("x")})
	}
	doc, _ = render(t, context.Background(), RouteDetail(NewRouteDetail(rtSN, r, rules, frontends, farms, routes, opts)))
	if doc.Find(testID("rule-form")).Length() != 0 || doc.Find(testID("rules-full")).Length() != 1 {
		t.Error("a full route still offers the rule form")
	}
}

func TestRuleFormValidate(t *testing.T) {
	t.Parallel()
	fields := rtOptions(ovh.HTTP).Rules
	tests := []struct {
		name   string
		form   url.Values
		errors []string
		create ovh.RuleCreate
	}{
		{"header with a sub-field", url.Values{"field": {"header"}, "subField": {"X-A"}, "match": {"is"}, "pattern": {"1"}, "negate": {"on"}, "displayName": {"n"}}, nil,
			ovh.RuleCreate{Field: "header", SubField: ptrTo("X-A"), Match: "is", Pattern: ptrTo("1"), Negate: true, DisplayName: ptrTo("n")}},
		{"exists needs no pattern", url.Values{"field": {"header"}, "subField": {"X-A"}, "match": {"exists"}}, nil,
			ovh.RuleCreate{Field: "header", SubField: ptrTo("X-A"), Match: "exists"}},
		{"method list", url.Values{"field": {"method"}, "match": {"in"}, "pattern": {"GET, HEAD"}}, nil,
			ovh.RuleCreate{Field: "method", Match: "in", Pattern: ptrTo("GET, HEAD")}},
		{"source CIDR", url.Values{"field": {"source"}, "match": {"is"}, "pattern": {"198.51.100.0/24"}}, nil,
			ovh.RuleCreate{Field: "source", Match: "is", Pattern: ptrTo("198.51.100.0/24")}},
		{"unknown field", url.Values{"field": {"sni"}, "match": {"is"}, "pattern": {"x"}}, []string{"field"}, ovh.RuleCreate{}},
		{"sub-field on host", url.Values{"field": {"host"}, "subField": {"x"}, "match": {"is"}, "pattern": {"x"}}, []string{"subField"}, ovh.RuleCreate{}},
		{"exists with a pattern", url.Values{"field": {"host"}, "match": {"exists"}, "pattern": {"x"}}, []string{"pattern"}, ovh.RuleCreate{}},
		{"enum", url.Values{"field": {"method"}, "match": {"is"}, "pattern": {"PUT"}}, []string{"pattern"}, ovh.RuleCreate{}},
		{"match", url.Values{"field": {"method"}, "match": {"contains"}, "pattern": {"GET"}}, []string{"match"}, ovh.RuleCreate{}},
	}
	for _, tt := range tests {
		f := NewRuleForm(rtSN, ovh.HTTP, 1, fields)
		f.Read(tt.form)
		ok := f.Validate()
		var errs []string
		for k := range f.Errors {
			errs = append(errs, k)
		}
		slices.Sort(errs)
		if !slices.Equal(errs, tt.errors) || ok != (len(tt.errors) == 0) {
			t.Errorf("%s: valid %v, errors %v (%v); want %v", tt.name, ok, errs, f.Errors, tt.errors)
			continue
		}
		if ok {
			if diff := cmp.Diff(tt.create, f.Create()); diff != "" {
				t.Errorf("%s: create (-want +got):\n%s", tt.name, diff)
			}
		}
	}

	// An edit sends only what changed; cleared values are nulls.
	r := ovh.Rule{ID: 4, Field: "header", SubField: ptrTo("X-A"), Match: "is", Pattern: ptrTo("1"), DisplayName: ptrTo("n")}
	f := EditRuleForm(rtSN, ovh.HTTP, 1, r, fields)
	f.Read(url.Values{"field": {"host"}, "match": {"is"}, "pattern": {"1"}})
	if !f.Validate() {
		t.Fatalf("errors %v", f.Errors)
	}
	u, changed := f.Update()
	want := ovh.RuleUpdate{Field: ptrTo("host"), SubField: ovh.Clear[string](), DisplayName: ovh.Clear[string]()}
	if diff := cmp.Diff(want, u); diff != "" || !changed {
		t.Errorf("rule update (-want +got):\n%s (changed %v)", diff, changed)
	}
}

func TestRouteDeletePages(t *testing.T) {
	t.Parallel()
	frontends, farms, routes := rtFixture()
	f := &frontends[0] // "api", valid only through its routes with rules
	// Only "heavy" (with a rule) keeps frontend 2 valid.
	routes = []ovh.Route{routes[0], routes[1]}
	after := routes[1:]
	if !WouldInvalidate(f, farms, routes, after) {
		t.Fatal("deleting the only valid route does not invalidate the frontend")
	}
	doc, _ := render(t, context.Background(), RouteDelete(RouteDeleteModel{Service: rtSN, Route: routes[0], Frontend: f, Invalidates: true, Action: "x"}))
	if doc.Find(testID("delete-invalidates")).Length() != 1 {
		t.Error("no warning that the frontend becomes invalid")
	}
	if doc.Find(testID("route-delete-form")).AttrOr("action", "") != DeleteRoutePath(rtSN, ovh.HTTP, 21) {
		t.Error("the confirmation does not post to the delete path")
	}
	doc, _ = render(t, context.Background(), RuleDelete(RuleDeleteModel{Service: rtSN, Route: routes[0], Rule: routes[0].Rules[0], Frontend: f}))
	if doc.Find(testID("rule-delete-form")).AttrOr("action", "") != DeleteRulePath(rtSN, ovh.HTTP, 21, 100) || doc.Find(testID("delete-invalidates")).Length() != 0 {
		t.Error("rule confirmation: wrong action or a needless warning")
	}
}
