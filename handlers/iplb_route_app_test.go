package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// App tests of the route and rule pages: the real console, go-ovh and the
// emulator.

func rtClient(app *testApp, b *browser) *ovh.Client { return app.api.WithConsumerKey(b.consumerKey) }

func rtText(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func rtTestID(id string) string { return `[data-testid="` + id + `"]` }

// rtFrontendID returns the id of sn's proto frontend named name.
func rtFrontendID(t *testing.T, c *ovh.Client, sn string, p ovh.Protocol, name string) int64 {
	t.Helper()
	fs, err := c.Frontends(t.Context(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name() == name {
			return f.ID
		}
	}
	t.Fatalf("no %s frontend %q on %s", p, name, sn)
	return 0
}

// rtFarmID returns the id of sn's proto farm named name.
func rtFarmID(t *testing.T, c *ovh.Client, sn string, p ovh.Protocol, name string) int64 {
	t.Helper()
	fs, err := c.Farms(t.Context(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name() == name {
			return f.ID
		}
	}
	t.Fatalf("no %s farm %q on %s", p, name, sn)
	return 0
}

// rtSnapshot returns the _snapshot hidden field of the page's form.
func rtSnapshot(t *testing.T, doc *goquery.Document) string {
	t.Helper()
	v, ok := doc.Find(`input[name="_snapshot"]`).Attr("value")
	if !ok || v == "" {
		t.Fatal("the edit form carries no snapshot")
	}
	return v
}

// rtExpect fails unless status is want, showing the page's main text.
func rtExpect(t *testing.T, what string, status, want int, doc *goquery.Document) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d; page: %s", what, status, want, rtText(doc.Find("main")))
	}
}

// rtCreatedRouteID reads the new route's id from the redirect to its page.
func rtCreatedRouteID(t *testing.T, b *browser, sn string, p ovh.Protocol) int64 {
	t.Helper()
	loc := b.header("Location")
	prefix := views.RoutesPath(sn, p) + "/"
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	if !strings.HasPrefix(loc, prefix) || err != nil {
		t.Fatalf("redirect after create = %q, want %s<id>", loc, prefix)
	}
	return id
}

// rtParseRow parses the last answer, a table row fragment, inside a table
// (an HTML parser drops a <tr> found outside one; htmx parses fragments
// in a <template>, which keeps it).
func rtParseRow(t *testing.T, b *browser) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + string(b.body) + "</tbody></table>"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestRouteCRUDApp creates, reads back, edits and deletes a route and its
// rules through the pages, for HTTP and TCP, checking every field against
// the API after each step.
func TestRouteCRUDApp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto    ovh.Protocol
		frontend string // on DemoLB
		farm     string
		// The route is created with createAction, then edited to
		// editAction.
		createForm   url.Values
		createAction func(farmID int64) ovh.RouteAction
		editForm     url.Values
		editAction   ovh.RouteAction
		// The rule is created with ruleForm, then edited to ruleEdit.
		ruleForm url.Values
		rule     ovh.Rule
		ruleEdit url.Values
		edited   ovh.Rule
	}{
		{
			proto: ovh.HTTP, frontend: "www", farm: "api",
			createForm: url.Values{"actionType": {"farm"}},
			createAction: func(id int64) ovh.RouteAction {
				return ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo(strconv.FormatInt(id, 10))}
			},
			editForm:   url.Values{"actionType": {"redirect"}, "redirectUrl": {"https://www.example.com${path}"}, "redirectStatus": {"307"}},
			editAction: ovh.RouteAction{Type: ovh.RouteRedirect, Target: ptrTo("https://www.example.com${path}"), Status: ptrTo[int64](307)},
			ruleForm:   url.Values{"field": {"header"}, "subField": {"X-Debug"}, "match": {"contains"}, "pattern": {"on"}, "negate": {"on"}, "displayName": {"debug header"}},
			rule:       ovh.Rule{Field: "header", SubField: ptrTo("X-Debug"), Match: ovh.MatchContains, Pattern: ptrTo("on"), Negate: true, DisplayName: ptrTo("debug header")},
			ruleEdit:   url.Values{"field": {"method"}, "subField": {""}, "match": {"in"}, "pattern": {"GET,HEAD"}, "displayName": {""}},
			edited:     ovh.Rule{Field: "method", Match: ovh.MatchIn, Pattern: ptrTo("GET,HEAD")},
		},
		{
			proto: ovh.TCP, frontend: "postgres", farm: "postgres",
			createForm: url.Values{"actionType": {"farm"}},
			createAction: func(id int64) ovh.RouteAction {
				return ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo(strconv.FormatInt(id, 10))}
			},
			editForm:   url.Values{"actionType": {"reject"}},
			editAction: ovh.RouteAction{Type: ovh.RouteReject},
			ruleForm:   url.Values{"field": {"sni"}, "match": {"endswith"}, "pattern": {".example.com"}, "displayName": {"sni"}},
			rule:       ovh.Rule{Field: "sni", Match: ovh.MatchEndsWith, Pattern: ptrTo(".example.com"), DisplayName: ptrTo("sni")},
			ruleEdit:   url.Values{"field": {"source"}, "match": {"in"}, "pattern": {"198.51.100.0/24, 203.0.113.7"}, "negate": {"on"}, "displayName": {"office"}},
			edited:     ovh.Rule{Field: "source", Match: ovh.MatchIn, Pattern: ptrTo("198.51.100.0/24, 203.0.113.7"), Negate: true, DisplayName: ptrTo("office")},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t)
			b := app.loginAs(t, ovhemu.DemoAccount)
			api := rtClient(app, b)
			ctx := t.Context()
			sn, p := ovhemu.DemoLB, tt.proto
			fid := rtFrontendID(t, api, sn, p, tt.frontend)
			farmID := rtFarmID(t, api, sn, p, tt.farm)

			// Create: the form preselects the frontend of ?frontend=.
			status, doc := b.get(t, views.NewFrontendRoutePath(sn, p, fid))
			rtExpect(t, "new route form", status, http.StatusOK, doc)
			if got := doc.Find(`#rt-frontendId option[selected]`).AttrOr("value", ""); got != strconv.FormatInt(fid, 10) {
				t.Errorf("preselected frontend = %q, want %d", got, fid)
			}
			form := url.Values{"displayName": {"crud route"}, "frontendId": {strconv.FormatInt(fid, 10)}, "weight": {"42"},
				"farmId": {strconv.FormatInt(farmID, 10)}}
			for k, v := range tt.createForm {
				form[k] = v
			}
			status, doc = b.post(t, views.RoutesPath(sn, p), form)
			rtExpect(t, "create route", status, http.StatusSeeOther, doc)
			id := rtCreatedRouteID(t, b, sn, p)
			got, err := api.Route(ctx, sn, p, id)
			if err != nil {
				t.Fatal(err)
			}
			want := ovh.Route{Protocol: p, ID: id, FrontendID: &fid, DisplayName: ptrTo("crud route"), Weight: 42,
				Action: tt.createAction(farmID), Rules: []ovh.Rule{}, Status: ovh.RouteOK}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("created route (-want +got):\n%s", diff)
			}
			status, doc = b.follow(t)
			rtExpect(t, "route page", status, http.StatusOK, doc)
			if !strings.Contains(rtText(doc.Find("#alerts")), "not applied yet") {
				t.Errorf("alerts = %q, want the not-applied flash", rtText(doc.Find("#alerts")))
			}
			if doc.Find(`#pending-banner[data-pending="true"]`).Length() != 1 {
				t.Error("no pending banner after the creation")
			}
			if v := doc.Find(rtTestID("route-validity")).AttrOr("data-makes-valid", ""); v != "false" {
				t.Errorf("a route without rules: makes-valid = %q, want false", v)
			}

			// Add a rule on the route's page (a plain form post).
			status, doc = b.post(t, views.RulesPath(sn, p, id), tt.ruleForm)
			rtExpect(t, "add rule", status, http.StatusSeeOther, doc)
			rules, err := api.Rules(ctx, sn, p, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(rules) != 1 {
				t.Fatalf("rules = %+v, want 1", rules)
			}
			wantRule := tt.rule
			wantRule.ID = rules[0].ID
			if diff := cmp.Diff(wantRule, rules[0]); diff != "" {
				t.Errorf("created rule (-want +got):\n%s", diff)
			}
			status, doc = b.follow(t)
			rtExpect(t, "route page after the rule", status, http.StatusOK, doc)
			if v := doc.Find(rtTestID("route-validity")).AttrOr("data-makes-valid", ""); v != "true" {
				t.Errorf("a farm route with a rule: makes-valid = %q, want true", v)
			}

			// Edit the rule: every field changes, the sub-field and name are
			// cleared.
			status, doc = b.get(t, views.EditRulePath(sn, p, id, wantRule.ID))
			rtExpect(t, "edit rule form", status, http.StatusOK, doc)
			edit := url.Values{"_snapshot": {rtSnapshot(t, doc)}}
			for k, v := range tt.ruleEdit {
				edit[k] = v
			}
			status, doc = b.post(t, views.UpdateRulePath(sn, p, id, wantRule.ID), edit)
			rtExpect(t, "update rule", status, http.StatusSeeOther, doc)
			rule, err := api.Rule(ctx, sn, p, id, wantRule.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantEdited := tt.edited
			wantEdited.ID = wantRule.ID
			if diff := cmp.Diff(wantEdited, rule); diff != "" {
				t.Errorf("edited rule (-want +got):\n%s", diff)
			}

			// Edit the route: the form is opened, someone else changes
			// the weight meanwhile, and the user changes the name, the
			// frontend (to none) and the action. Only the user's fields
			// are sent: the other person's weight stays.
			status, doc = b.get(t, views.EditRoutePath(sn, p, id))
			rtExpect(t, "edit route form", status, http.StatusOK, doc)
			snapshot := rtSnapshot(t, doc)
			if err := api.UpdateRoute(ctx, sn, p, id, ovh.RouteUpdate{Weight: ptrTo[int64](7)}); err != nil {
				t.Fatal(err)
			}
			form = url.Values{"_snapshot": {snapshot}, "displayName": {"renamed"}, "frontendId": {""}, "weight": {"42"},
				"farmId": {strconv.FormatInt(farmID, 10)}, "redirectStatus": {"302"}, "rejectStatus": {"403"}}
			for k, v := range tt.editForm {
				form[k] = v
			}
			status, doc = b.post(t, views.UpdateRoutePath(sn, p, id), form)
			rtExpect(t, "update route", status, http.StatusSeeOther, doc)
			got, err = api.Route(ctx, sn, p, id)
			if err != nil {
				t.Fatal(err)
			}
			wantAction := tt.editAction
			if p == ovh.HTTP && wantAction.Type == ovh.RouteReject {
				wantAction.Status = ptrTo[int64](403)
			}
			want = ovh.Route{Protocol: p, ID: id, DisplayName: ptrTo("renamed"), Weight: 7, Action: wantAction,
				Rules: got.Rules, Status: ovh.RouteOK}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("edited route (-want +got):\n%s", diff)
			}

			// Remove the rule in place with htmx: the route detail comes
			// back with the banner and the message out of band.
			status, doc = b.get(t, views.RoutePath(sn, p, id))
			rtExpect(t, "route page", status, http.StatusOK, doc)
			status, doc = b.post(t, views.DeleteRulePath(sn, p, id, wantRule.ID), nil, htmxHeaders)
			rtExpect(t, "remove rule", status, http.StatusOK, doc)
			if doc.Find("html").Length() != 0 && doc.Find("#main").Length() != 0 {
				t.Error("an htmx removal answered a whole page")
			}
			if doc.Find("#route-detail").Length() != 1 || doc.Find(rtTestID("rule-row")).Length() != 0 {
				t.Errorf("removal answer: route detail %d, rule rows %d; want 1, 0",
					doc.Find("#route-detail").Length(), doc.Find(rtTestID("rule-row")).Length())
			}
			if doc.Find(`#pending-banner[hx-swap-oob="true"]`).Length() != 1 {
				t.Error("the removal answer has no out-of-band banner")
			}
			if a := doc.Find(`#alerts[hx-swap-oob="true"]`); !strings.Contains(rtText(a), "Rule removed") {
				t.Errorf("out-of-band alert = %q", rtText(a))
			}
			if rules, err := api.Rules(ctx, sn, p, id); err != nil || len(rules) != 0 {
				t.Errorf("rules after removal = %+v, %v", rules, err)
			}

			// Delete the route: a confirmation page, then the POST.
			status, doc = b.get(t, views.DeleteRoutePath(sn, p, id))
			rtExpect(t, "delete confirmation", status, http.StatusOK, doc)
			if doc.Find(rtTestID("route-delete-form")).AttrOr("method", "") != "post" {
				t.Error("the confirmation has no POST form")
			}
			status, doc = b.post(t, views.DeleteRoutePath(sn, p, id), nil)
			rtExpect(t, "delete route", status, http.StatusSeeOther, doc)
			if _, err := api.Route(ctx, sn, p, id); ovh.KindOf(err) != ovh.KindNotFound {
				t.Errorf("route after delete: err = %v, want not found", err)
			}
			status, doc = b.follow(t)
			rtExpect(t, "after delete", status, http.StatusOK, doc)
			if !strings.Contains(rtText(doc.Find("#alerts")), "deleted") {
				t.Errorf("alerts after delete = %q", rtText(doc.Find("#alerts")))
			}
		})
	}
}

// TestRouteListApp checks the list: DemoLB's HTTP routes in evaluation
// order under their frontend, which make it valid, the filter, and that the
// page fetches each object once.
func TestRouteListApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	www := rtFrontendID(t, api, ovhemu.DemoLB, ovh.HTTP, "www")
	routes, err := api.Routes(t.Context(), ovhemu.DemoLB, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}

	app.emu.ResetCalls()
	status, doc := b.get(t, views.RoutesPath(ovhemu.DemoLB, ovh.HTTP))
	rtExpect(t, "routes page", status, http.StatusOK, doc)
	group := doc.Find(rtTestID("route-group") + `[data-frontend="` + strconv.FormatInt(www, 10) + `"]`)
	if group.AttrOr("data-valid", "") != "true" {
		t.Errorf("www group valid = %q", group.AttrOr("data-valid", ""))
	}
	var names []string
	group.Find(rtTestID("route-name")).Each(func(_ int, s *goquery.Selection) { names = append(names, rtText(s)) })
	// The seed: "admin over https" (redirect, weight 1) before
	// "api.example.com to api" (farm, weight 10).
	if want := []string{"admin over https", "api.example.com to api"}; !slices.Equal(names, want) {
		t.Errorf("routes of www = %v, want %v", names, want)
	}
	if n := group.Find(rtTestID("makes-valid")).Length(); n != 2 {
		t.Errorf("%d routes make www valid, want 2", n)
	}
	for pattern, want := range map[string]int{
		"/ipLoadbalancing/{serviceName}/http/route":           1,
		"/ipLoadbalancing/{serviceName}/http/route/{routeId}": len(routes),
		"/ipLoadbalancing/{serviceName}/http/frontend":        1,
		"/ipLoadbalancing/{serviceName}/http/farm":            1,
	} {
		if got := app.emu.Calls("GET", pattern); got != want {
			t.Errorf("GET %s: %d calls, want %d", pattern, got, want)
		}
	}

	status, doc = b.get(t, views.FrontendRoutesPath(ovhemu.DemoLB, ovh.HTTP, www))
	rtExpect(t, "filtered", status, http.StatusOK, doc)
	if n := doc.Find(rtTestID("route-group")).Length(); n != 1 {
		t.Errorf("filtered page: %d groups, want 1", n)
	}
	status, doc = b.get(t, views.FrontendRoutesPath(ovhemu.DemoLB, ovh.HTTP, 999999))
	rtExpect(t, "filter on a missing frontend", status, http.StatusOK, doc)
	if doc.Find(rtTestID("route-filter-missing")).Length() != 1 {
		t.Error("no message for a missing frontend")
	}
	for _, bad := range []string{"/iplb/" + ovhemu.DemoLB + "/routes/udp", views.RoutesPath(ovhemu.OtherLB, ovh.HTTP)} {
		if status, _ := b.get(t, bad); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, status)
		}
	}
	if status, _ := b.get(t, views.RoutesPath(ovhemu.DemoLB, ovh.HTTP)+"?frontend=abc"); status != http.StatusBadRequest {
		t.Errorf("?frontend=abc: %d, want 400", status)
	}
}

// TestRouteValidationApp posts bad forms: each is a 422 that keeps what was
// typed and marks the field, and nothing is written to the API.
func TestRouteValidationApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	sn := ovhemu.DemoLB
	www := strconv.FormatInt(rtFrontendID(t, api, sn, ovh.HTTP, "www"), 10)
	web := strconv.FormatInt(rtFarmID(t, api, sn, ovh.HTTP, "web"), 10)
	pg := strconv.FormatInt(rtFarmID(t, api, sn, ovh.TCP, "postgres"), 10)
	routes, err := api.Routes(t.Context(), sn, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	routeID := routes[0].ID

	tests := []struct {
		name      string
		proto     ovh.Protocol
		path      string
		form      url.Values
		field     string // the field with an error
		keepField string // a field whose typed value must be kept
		keep      string
	}{
		{"weight too high", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"displayName": {"typed name"}, "frontendId": {www}, "weight": {"256"}, "actionType": {"farm"}, "farmId": {web}},
			"weight", "displayName", "typed name"},
		{"no farm", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"frontendId": {www}, "weight": {"1"}, "actionType": {"farm"}, "farmId": {""}}, "farmId", "weight", "1"},
		{"farm of the other protocol", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"weight": {"1"}, "actionType": {"farm"}, "farmId": {pg}}, "farmId", "weight", "1"},
		{"redirect without URL", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"weight": {"3"}, "actionType": {"redirect"}, "redirectUrl": {""}, "redirectStatus": {"301"}}, "redirectUrl", "weight", "3"},
		{"bad redirect status", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"actionType": {"redirect"}, "redirectUrl": {"https://x.example/"}, "redirectStatus": {"200"}}, "redirectStatus", "redirectUrl", "https://x.example/"},
		{"redirect on TCP", ovh.TCP, views.RoutesPath(sn, ovh.TCP),
			url.Values{"actionType": {"redirect"}, "redirectUrl": {"https://x.example/"}}, "actionType", "redirectUrl", ""},
		{"unknown frontend", ovh.HTTP, views.RoutesPath(sn, ovh.HTTP),
			url.Values{"frontendId": {"999999"}, "actionType": {"reject"}, "rejectStatus": {"403"}}, "frontendId", "rejectStatus", "403"},
		{"rule without its sub-field", ovh.HTTP, views.RulesPath(sn, ovh.HTTP, routeID),
			url.Values{"field": {"cookie"}, "match": {"is"}, "pattern": {"yes"}}, "subField", "pattern", "yes"},
		{"rule match the field does not take", ovh.HTTP, views.RulesPath(sn, ovh.HTTP, routeID),
			url.Values{"field": {"source"}, "match": {"startswith"}, "pattern": {"10.0.0.0/8"}}, "match", "pattern", "10.0.0.0/8"},
		{"rule with a bad CIDR", ovh.HTTP, views.RulesPath(sn, ovh.HTTP, routeID),
			url.Values{"field": {"source"}, "match": {"in"}, "pattern": {"10.0.0.0/8, nope"}}, "pattern", "pattern", "10.0.0.0/8, nope"},
		{"rule enum value", ovh.HTTP, views.RulesPath(sn, ovh.HTTP, routeID),
			url.Values{"field": {"method"}, "match": {"is"}, "pattern": {"FETCH"}}, "pattern", "pattern", "FETCH"},
		{"rule without pattern", ovh.HTTP, views.RulesPath(sn, ovh.HTTP, routeID),
			url.Values{"field": {"host"}, "match": {"is"}, "pattern": {""}, "displayName": {"kept"}}, "pattern", "displayName", "kept"},
	}
	for _, tt := range tests {
		app.emu.ResetCalls()
		status, doc := b.post(t, tt.path, tt.form)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tt.name, status)
			continue
		}
		if doc.Find(rtTestID("error-"+tt.field)).Length() != 1 {
			t.Errorf("%s: no error on %s; page: %s", tt.name, tt.field, rtText(doc.Find("main")))
		}
		if tt.keep != "" {
			sel := doc.Find(`[name="` + tt.keepField + `"]`)
			got := sel.AttrOr("value", "")
			if goquery.NodeName(sel) == "select" {
				got = sel.Find("option[selected]").AttrOr("value", "")
			}
			if got != tt.keep {
				t.Errorf("%s: %s = %q, want the typed %q", tt.name, tt.keepField, got, tt.keep)
			}
		}
		for _, m := range []string{"POST", "PUT", "DELETE"} {
			if n := app.emu.Calls(m, "*"); n != 0 {
				t.Errorf("%s: %d %s calls to the API, want none", tt.name, n, m)
			}
		}
	}

	// In place with htmx, a bad rule answers the route detail alone, 422.
	status, doc := b.post(t, views.RulesPath(sn, ovh.HTTP, routeID), url.Values{"field": {"header"}, "match": {"is"}, "pattern": {"x"}}, htmxHeaders)
	if status != http.StatusUnprocessableEntity || doc.Find("#route-detail").Length() != 1 || doc.Find("#main").Length() != 0 {
		t.Errorf("htmx bad rule: status %d, detail %d, layout %d", status, doc.Find("#route-detail").Length(), doc.Find("#main").Length())
	}
}

// TestRouteAPIRefusalApp makes the API refuse a route and a rule: the form
// comes back (422) with the API's message and query ID.
func TestRouteAPIRefusalApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	sn := ovhemu.DemoLB
	web := strconv.FormatInt(rtFarmID(t, api, sn, ovh.HTTP, "web"), 10)
	routes, err := api.Routes(t.Context(), sn, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}

	app.emu.Fail("POST", "/ipLoadbalancing/{serviceName}/http/route", ovhemu.Fault{Status: 400, Message: "Too many routes on this Load Balancer", Times: 1})
	status, doc := b.post(t, views.RoutesPath(sn, ovh.HTTP), url.Values{"displayName": {"refused"}, "actionType": {"farm"}, "farmId": {web}, "weight": {"5"}})
	rtExpect(t, "refused route", status, http.StatusUnprocessableEntity, doc)
	if msg := rtText(doc.Find(rtTestID("form-error"))); !strings.Contains(msg, "Too many routes on this Load Balancer") {
		t.Errorf("form error = %q", msg)
	}
	if qid := rtText(doc.Find(rtTestID("form-query-id") + " code")); qid == "" {
		t.Error("no query ID shown")
	}
	if v := doc.Find(`[name="displayName"]`).AttrOr("value", ""); v != "refused" {
		t.Errorf("display name kept = %q", v)
	}

	app.emu.Fail("POST", "/ipLoadbalancing/{serviceName}/http/route/{routeId}/rule", ovhemu.Fault{Status: 400, Message: "Rule refused for a test", Times: 1})
	status, doc = b.post(t, views.RulesPath(sn, ovh.HTTP, routes[0].ID), url.Values{"field": {"host"}, "match": {"is"}, "pattern": {"a.example"}})
	rtExpect(t, "refused rule", status, http.StatusUnprocessableEntity, doc)
	if msg := rtText(doc.Find(rtTestID("rule-form") + " " + rtTestID("form-error"))); !strings.Contains(msg, "Rule refused for a test") || !strings.Contains(msg, "query ID") {
		t.Errorf("rule form error = %q", msg)
	}
}

// TestRouteFixesInvalidFrontendApp is the guide's failure "every frontend
// valid" fixed by a route with a rule: DemoLB2's legacy-api fails the
// pre-flight; a route to a farm and a rule added through these pages make
// it pass, and the refresh then applies.
func TestRouteFixesInvalidFrontendApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	sn := ovhemu.DemoLB2
	legacy := rtFrontendID(t, api, sn, ovh.HTTP, "legacy-api")
	farm := rtFarmID(t, api, sn, ovh.HTTP, "staging-web")

	checkValid := func(want string) {
		t.Helper()
		status, doc := b.get(t, views.ApplyPath(sn))
		rtExpect(t, "apply page", status, http.StatusOK, doc)
		check := doc.Find(`[data-testid="check"][data-check="valid"]`)
		if got := check.AttrOr("data-ok", ""); got != want {
			t.Fatalf("pre-flight 'every frontend valid' = %q, want %s: %s", got, want, rtText(check))
		}
	}
	checkValid("false")

	status, doc := b.get(t, views.RoutesPath(sn, ovh.HTTP))
	rtExpect(t, "routes page", status, http.StatusOK, doc)
	group := doc.Find(rtTestID("route-group") + `[data-frontend="` + strconv.FormatInt(legacy, 10) + `"]`)
	if group.AttrOr("data-valid", "") != "false" {
		t.Fatalf("legacy-api group valid = %q, want false", group.AttrOr("data-valid", ""))
	}
	fix := group.Find(rtTestID("route-group-new")).AttrOr("href", "")
	if fix != views.NewFrontendRoutePath(sn, ovh.HTTP, legacy) {
		t.Errorf("fix link = %q", fix)
	}

	status, doc = b.get(t, fix)
	rtExpect(t, "new route form", status, http.StatusOK, doc)
	status, doc = b.post(t, views.RoutesPath(sn, ovh.HTTP), url.Values{"displayName": {"legacy to staging"},
		"frontendId": {strconv.FormatInt(legacy, 10)}, "weight": {"0"}, "actionType": {"farm"}, "farmId": {strconv.FormatInt(farm, 10)}})
	rtExpect(t, "create route", status, http.StatusSeeOther, doc)
	id := rtCreatedRouteID(t, b, sn, ovh.HTTP)
	checkValid("false") // a route without rules does not count

	status, doc = b.get(t, views.RoutePath(sn, ovh.HTTP, id))
	rtExpect(t, "route page", status, http.StatusOK, doc)
	// The rule goes in place, as htmx posts the route page's form.
	status, doc = b.post(t, views.RulesPath(sn, ovh.HTTP, id), url.Values{"field": {"host"}, "match": {"is"}, "pattern": {"legacy.example.com"}}, htmxHeaders)
	rtExpect(t, "add rule", status, http.StatusOK, doc)
	if v := doc.Find(rtTestID("frontend-valid")).AttrOr("data-valid", ""); v != "true" {
		t.Errorf("frontend validity after the rule = %q, want true", v)
	}
	if doc.Find(rtTestID("makes-valid")).Length() != 1 {
		t.Error("the route is not marked as making its frontend valid")
	}
	banner := doc.Find(`#pending-banner[hx-swap-oob="true"]`)
	if banner.AttrOr("data-pending", "") != "true" {
		t.Error("the in-place answer does not refresh the banner")
	}
	checkValid("true")

	// Now the route and its rule are what make legacy-api valid: their
	// delete confirmations say so.
	rules, err := api.Rules(t.Context(), sn, ovh.HTTP, id)
	if err != nil || len(rules) != 1 {
		t.Fatalf("rules = %+v, %v", rules, err)
	}
	for _, path := range []string{views.DeleteRoutePath(sn, ovh.HTTP, id), views.DeleteRulePath(sn, ovh.HTTP, id, rules[0].ID)} {
		status, doc = b.get(t, path)
		rtExpect(t, path, status, http.StatusOK, doc)
		if doc.Find(rtTestID("delete-invalidates")).Length() != 1 {
			t.Errorf("%s: no warning that legacy-api would become invalid", path)
		}
	}

	status, doc = b.get(t, views.ApplyPath(sn))
	rtExpect(t, "apply page", status, http.StatusOK, doc)
	if doc.Find(`[data-testid="check"][data-ok="false"]`).Length() != 0 {
		t.Fatalf("pre-flight still fails: %s", rtText(doc.Find(rtTestID("preflight"))))
	}
	status, doc = b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "sbg"}})
	rtExpect(t, "apply", status, http.StatusSeeOther, doc)
	running, err := api.RunningRefreshes(t.Context(), sn)
	if err != nil || len(running) != 1 {
		t.Fatalf("running refreshes = %+v, %v; want 1", running, err)
	}
	refresh := running[0]

	// The tasks page shows it, running, with the polling attributes.
	status, doc = b.get(t, views.TasksFilterPath(sn, string(ovh.TaskRefresh), ""))
	rtExpect(t, "tasks page", status, http.StatusOK, doc)
	row := doc.Find(`#task-lb-` + strconv.FormatInt(refresh.ID, 10))
	if row.AttrOr("hx-get", "") != views.TaskRowPath(sn, refresh.ID) || row.AttrOr("hx-trigger", "") != "every 2s" {
		t.Errorf("running refresh row: hx-get %q, hx-trigger %q", row.AttrOr("hx-get", ""), row.AttrOr("hx-trigger", ""))
	}

	app.emu.Settle()
	task, err := api.Task(t.Context(), sn, refresh.ID)
	if err != nil || task.Status != ovh.TaskDone {
		t.Fatalf("refresh after Settle = %+v, %v; want done", task, err)
	}
	pending, err := api.PendingChanges(t.Context(), sn)
	if err != nil || len(pending) != 0 {
		t.Errorf("pending changes after the refresh = %+v, %v", pending, err)
	}
	status, doc = b.get(t, views.TaskRowPath(sn, refresh.ID), htmxHeaders)
	rtExpect(t, "row after Settle", status, http.StatusOK, doc)
	doc = rtParseRow(t, b)
	row = doc.Find(rtTestID("task-row"))
	if row.AttrOr("data-status", "") != "done" || row.AttrOr("hx-get", "none") != "none" {
		t.Errorf("finished row: status %q, hx-get %q", row.AttrOr("data-status", ""), row.AttrOr("hx-get", "none"))
	}
	if doc.Find(`#pending-banner[hx-swap-oob="true"][data-pending="false"]`).Length() != 1 {
		t.Error("the finished row does not clear the banner out of band")
	}
}

// BenchmarkRouteListPage prints the routes page's time and calls with 2 and
// 20 routes (each with a rule) at 20 ms per API call: the time stays a few
// round trips whatever the number of routes, since routes, frontends and
// farms are fetched concurrently and each collection in parallel.
func BenchmarkRouteListPage(b *testing.B) {
	pageBench{unit: "routes", sizes: []int{2, 20}, latency: 20 * time.Millisecond,
		setup: func(b *testing.B, env *benchEnv, n int) (Deps, string) {
			ctx := context.Background()
			sn := ovhemu.DemoLB2
			fs, err := env.user.Frontends(ctx, sn, ovh.HTTP)
			if err != nil {
				b.Fatal(err)
			}
			farms, err := env.user.Farms(ctx, sn, ovh.HTTP)
			if err != nil {
				b.Fatal(err)
			}
			target := strconv.FormatInt(farms[0].ID, 10)
			for i := range n {
				r, err := env.user.CreateRoute(ctx, sn, ovh.HTTP, ovh.RouteCreate{FrontendID: &fs[i%len(fs)].ID, Weight: ptrTo(int64(i)),
					Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: &target}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := env.user.CreateRule(ctx, sn, ovh.HTTP, r.ID, ovh.RuleCreate{Field: "host", Match: ovh.MatchIs, Pattern: ptrTo("h" + strconv.Itoa(i))}); err != nil {
					b.Fatal(err)
				}
			}
			return Deps{API: env.api}, views.RoutesPath(sn, ovh.HTTP)
		}}.run(b)
}

// TestRuleRemoveWithoutJSApp removes a rule as a browser without
// JavaScript does: the confirmation page, then its form, then the route's
// page with the message and the banner.
func TestRuleRemoveWithoutJSApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	sn := ovhemu.DemoLB
	routes, err := api.Routes(t.Context(), sn, ovh.HTTP)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(routes, func(r ovh.Route) bool { return len(r.Rules) == 2 })
	if i < 0 {
		t.Fatal("no seeded route with two rules")
	}
	r := routes[i]
	rule := r.Rules[0]

	status, doc := b.get(t, views.RoutePath(sn, ovh.HTTP, r.ID))
	rtExpect(t, "route page", status, http.StatusOK, doc)
	link := doc.Find(rtTestID("rule-delete")).First().AttrOr("href", "")
	if link != views.DeleteRulePath(sn, ovh.HTTP, r.ID, rule.ID) {
		t.Fatalf("remove link = %q", link)
	}
	status, doc = b.get(t, link)
	rtExpect(t, "confirmation", status, http.StatusOK, doc)
	if doc.Find(rtTestID("delete-invalidates")).Length() != 0 {
		t.Error("a warning although the route keeps a rule")
	}
	if got := rtText(doc.Find(rtTestID("delete-rule-text"))); got != views.RuleText(rule) {
		t.Errorf("confirmation names %q, want %q", got, views.RuleText(rule))
	}
	status, doc = b.post(t, doc.Find(rtTestID("rule-delete-form")).AttrOr("action", ""), nil)
	rtExpect(t, "remove", status, http.StatusSeeOther, doc)
	if loc := b.header("Location"); loc != views.RoutePath(sn, ovh.HTTP, r.ID) {
		t.Errorf("redirect = %q", loc)
	}
	status, doc = b.follow(t)
	rtExpect(t, "route page after", status, http.StatusOK, doc)
	if !strings.Contains(rtText(doc.Find("#alerts")), "Rule removed") || doc.Find(`#pending-banner[data-pending="true"]`).Length() != 1 {
		t.Errorf("after removal: alerts %q, banner %d", rtText(doc.Find("#alerts")), doc.Find(`#pending-banner[data-pending="true"]`).Length())
	}
	if n := doc.Find(rtTestID("rule-row")).Length(); n != 1 {
		t.Errorf("%d rules left, want 1", n)
	}
	if _, err := api.Rule(t.Context(), sn, ovh.HTTP, r.ID, rule.ID); ovh.KindOf(err) != ovh.KindNotFound {
		t.Errorf("rule after removal: %v, want not found", err)
	}
}

// TestRouteConcurrentEditApp: someone else changes the route (through the
// API) after this user opened its edit form. The same field changed
// differently is a 409 that writes nothing and shows the current value next
// to the user's; saving that page again applies the user's value. Another
// field changed by them is kept alongside the user's change, with a flash
// saying so; an unchanged form saves nothing.
func TestRouteConcurrentEditApp(t *testing.T) {
	t.Parallel()
	const putRoute = "/ipLoadbalancing/{serviceName}/http/route/{routeId}"
	sn, p := ovhemu.DemoLB, ovh.HTTP
	setup := func(t *testing.T) (*testApp, *browser, *ovh.Client, ovh.Route) {
		t.Helper()
		app := newTestApp(t)
		b := app.loginAs(t, ovhemu.DemoAccount)
		api := rtClient(app, b)
		routes, err := api.Routes(t.Context(), sn, p)
		if err != nil || len(routes) == 0 {
			t.Fatalf("routes = %v, %v", routes, err)
		}
		return app, b, api, routes[0]
	}
	// openForm opens the edit form and returns its values as the browser
	// would post them.
	openForm := func(t *testing.T, b *browser, id int64) url.Values {
		t.Helper()
		status, doc := b.get(t, views.EditRoutePath(sn, p, id))
		rtExpect(t, "edit route form", status, http.StatusOK, doc)
		return farmFormValues(doc.Find(rtTestID("route-form")))
	}

	t.Run("same field: 409, then saved again", func(t *testing.T) {
		t.Parallel()
		app, b, api, r := setup(t)
		ctx := t.Context()
		theirs, mine := r.Weight+10, r.Weight+20
		form := openForm(t, b, r.ID)
		if err := api.UpdateRoute(ctx, sn, p, r.ID, ovh.RouteUpdate{Weight: &theirs}); err != nil {
			t.Fatal(err)
		}
		form.Set("weight", strconv.FormatInt(mine, 10))
		app.emu.ResetCalls()
		status, doc := b.post(t, views.UpdateRoutePath(sn, p, r.ID), form)
		rtExpect(t, "conflicting save", status, http.StatusConflict, doc)
		if n := app.emu.Calls("PUT", putRoute); n != 0 {
			t.Errorf("a conflicting save made %d PUT, want 0", n)
		}
		rows := doc.Find(rtTestID("conflict"))
		if rows.Length() != 1 || rows.AttrOr("data-field", "") != "weight" ||
			rtText(rows.Find(rtTestID("conflict-current"))) != strconv.FormatInt(theirs, 10) ||
			rtText(rows.Find(rtTestID("conflict-yours"))) != strconv.FormatInt(mine, 10) {
			t.Errorf("conflicts = %q", rtText(doc.Find(rtTestID("conflicts"))))
		}
		if got, err := api.Route(ctx, sn, p, r.ID); err != nil || got.Weight != theirs {
			t.Errorf("after the 409: weight %d, %v; want theirs, %d", got.Weight, err, theirs)
		}

		// Saving the 409 page as it is replaces their weight, knowingly.
		status, doc = b.post(t, views.UpdateRoutePath(sn, p, r.ID), farmFormValues(doc.Find(rtTestID("route-form"))))
		rtExpect(t, "second save", status, http.StatusSeeOther, doc)
		got, err := api.Route(ctx, sn, p, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.Weight = mine
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("route after the second save (-want +got):\n%s", diff)
		}
		_, doc = b.follow(t)
		if a := alertTexts(doc); !strings.Contains(a, "modified (weight)") || strings.Contains(a, "Someone else") {
			t.Errorf("alerts after the second save = %q", a)
		}
	})

	t.Run("other field: both kept", func(t *testing.T) {
		t.Parallel()
		app, b, api, r := setup(t)
		ctx := t.Context()
		mine := r.Weight + 5
		form := openForm(t, b, r.ID)
		if err := api.UpdateRoute(ctx, sn, p, r.ID, ovh.RouteUpdate{DisplayName: ovh.Set("renamed by them")}); err != nil {
			t.Fatal(err)
		}
		form.Set("weight", strconv.FormatInt(mine, 10))
		app.emu.ResetCalls()
		status, doc := b.post(t, views.UpdateRoutePath(sn, p, r.ID), form)
		rtExpect(t, "save", status, http.StatusSeeOther, doc)
		if n := app.emu.Calls("PUT", putRoute); n != 1 {
			t.Errorf("PUT calls = %d, want 1", n)
		}
		got, err := api.Route(ctx, sn, p, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.Weight, want.DisplayName = mine, ptrTo("renamed by them")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("route (-want +got):\n%s", diff)
		}
		_, doc = b.follow(t)
		a := alertTexts(doc)
		if !strings.Contains(a, "modified (weight)") ||
			!strings.Contains(a, "Someone else changed this route while you were editing it (name)") {
			t.Errorf("alerts = %q", a)
		}
	})

	t.Run("nothing changed", func(t *testing.T) {
		t.Parallel()
		app, b, api, r := setup(t)
		form := openForm(t, b, r.ID)
		app.emu.ResetCalls()
		status, doc := b.post(t, views.UpdateRoutePath(sn, p, r.ID), form)
		rtExpect(t, "unchanged save", status, http.StatusSeeOther, doc)
		if n := app.emu.Calls("PUT", putRoute); n != 0 {
			t.Errorf("an unchanged save made %d PUT, want 0", n)
		}
		if got, err := api.Route(t.Context(), sn, p, r.ID); err != nil || !cmp.Equal(r, got) {
			t.Errorf("route changed: %+v, %v", got, err)
		}
		_, doc = b.follow(t)
		if a := alertTexts(doc); !strings.Contains(a, "nothing to save") || strings.Contains(a, "Someone else") {
			t.Errorf("alerts = %q", a)
		}
	})
}
