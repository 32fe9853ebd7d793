package ovhemu

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var routeModels = map[string]string{
	protoHTTP: "ipLoadbalancing.RouteHttp.RouteHttp",
	protoTCP:  "ipLoadbalancing.RouteTcp.RouteTcp",
}

const ruleModel = "ipLoadbalancing.RouteRule.RouteRule"

// TestRouteRuleCRUD: routes and rules of both protocols, with the rules
// embedded in the route and status "ok", checked against the schema.
func TestRouteRuleCRUD(t *testing.T) {
	t.Parallel()
	for _, proto := range []string{protoHTTP, protoTCP} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			e := cfgEmu(t)
			fr := map[string]int64{"http": cfgFind(t, e, DemoLB, "http/frontend", "www"), "tcp": cfgFind(t, e, DemoLB, "tcp/frontend", "postgres")}[proto]
			fa := map[string]int64{"http": cfgFind(t, e, DemoLB, "http/farm", "api"), "tcp": cfgFind(t, e, DemoLB, "tcp/farm", "postgres")}[proto]
			target := strconv.FormatInt(fa, 10)

			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, proto, "route"),
				cfgObj{"frontendId": fr, "displayName": "r", "weight": 7, "action": cfgObj{"type": "farm", "target": target}})
			if status != http.StatusOK {
				t.Fatalf("POST route: %d %s", status, b)
			}
			cfgSchema(t, routeModels[proto], b)
			route := decodeAs[cfgObj](t, b)
			id := cfgID(t, route, "routeId")
			if route["status"] != "ok" || route["weight"] != float64(7) || route["frontendId"] != float64(fr) {
				t.Errorf("route %v", route)
			}
			if rules, _ := route["rules"].([]any); rules == nil || len(rules) != 0 {
				t.Errorf("new route rules %v, want []", route["rules"])
			}
			_, hasStatus := route["action"].(map[string]any)["status"]
			if hasStatus != (proto == protoHTTP) {
				t.Errorf("%s action %v", proto, route["action"])
			}

			ruleBody := map[string]cfgObj{
				"http": {"field": "header", "subField": "X-Env", "match": "is", "pattern": "canary", "negate": true, "displayName": "canary"},
				"tcp":  {"field": "sni", "match": "endswith", "pattern": ".example.com", "displayName": "sni"},
			}[proto]
			status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, proto, "route", id, "rule"), ruleBody)
			if status != http.StatusOK {
				t.Fatalf("POST rule: %d %s", status, b)
			}
			cfgSchema(t, ruleModel, b)
			rule := decodeAs[cfgObj](t, b)
			rid := cfgID(t, rule, "ruleId")
			_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "route", id, "rule", rid), nil)
			cfgSchema(t, ruleModel, b)
			if diff := cmp.Diff(rule, decodeAs[cfgObj](t, b)); diff != "" {
				t.Errorf("rule GET differs from POST\n%s", diff)
			}

			// The route embeds a copy of the rule, without displayName.
			_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "route", id), nil)
			cfgSchema(t, routeModels[proto], b)
			embedded := decodeAs[cfgObj](t, b)["rules"].([]any)
			want := cfgObj{}
			for k, v := range rule {
				if k != "displayName" {
					want[k] = v
				}
			}
			if len(embedded) != 1 || !cmp.Equal(embedded[0], map[string]any(want)) {
				t.Errorf("embedded rules %v, want [%v]", embedded, want)
			}

			// Partial PUTs on both; read-only fields ignored.
			cfgOK[any](t, e, "PUT", cfgPath(DemoLB, proto, "route", id), cfgObj{"weight": nil, "status": "creating", "rules": []any{}, "routeId": 1})
			got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, proto, "route", id), nil)
			if got["weight"] != float64(0) || got["status"] != "ok" || len(got["rules"].([]any)) != 1 || got["displayName"] != "r" {
				t.Errorf("route after PUT %v", got)
			}
			cfgOK[any](t, e, "PUT", cfgPath(DemoLB, proto, "route", id, "rule", rid), cfgObj{"negate": false, "ruleId": 1})
			if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, proto, "route", id, "rule", rid), nil); got["negate"] != false || got["field"] != rule["field"] {
				t.Errorf("rule after PUT %v", got)
			}
			if ids := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, proto, "route", id, "rule"), nil); !slices.Equal(ids, []int64{rid}) {
				t.Errorf("rules %v", ids)
			}

			// A rule is found under its own route only; deleting the route
			// deletes its rules.
			other := cfgCreate(t, e, cfgPath(DemoLB, proto, "route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "route", other, "rule", rid), nil)
			cfgErr(t, status, b, http.StatusNotFound, "ruleId")
			cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, proto, "route", id), nil)
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "route", id, "rule"), nil)
			cfgErr(t, status, b, http.StatusNotFound, "routeId")
			locked(e, func(w *world) {
				if w.conf.lb(DemoLB).rules[rid] != nil {
					t.Errorf("rule %d survived its route", rid)
				}
			})
			cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, proto, "route", other), nil)
		})
	}
	// No routes for UDP (REFERENCE §9).
	e := cfgEmu(t)
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "udp/route"), nil)
	cfgErr(t, status, b, http.StatusNotFound)
}

// TestRouteValidation: actions per protocol (REFERENCE §9.1), weight,
// frontend; the documented default statuses.
func TestRouteValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	pgf := cfgFind(t, e, DemoLB, "tcp/frontend", "postgres")
	api := strconv.FormatInt(cfgFind(t, e, DemoLB, "http/farm", "api"), 10)
	pg := strconv.FormatInt(cfgFind(t, e, DemoLB, "tcp/farm", "postgres"), 10)
	staging := strconv.FormatInt(cfgFind(t, e, DemoLB2, "http/farm", "staging-web"), 10)
	act := func(kv ...any) cfgObj {
		o := cfgObj{}
		for i := 0; i < len(kv); i += 2 {
			o[kv[i].(string)] = kv[i+1]
		}
		return cfgObj{"action": o}
	}
	for _, tc := range []struct {
		name       string
		proto      string
		body       cfgObj
		subs       []string
		wantStatus any // the stored action status, when accepted
	}{
		{"farm", "http", act("type", "farm", "target", api), nil, nil},
		{"tcp farm", "tcp", act("type", "farm", "target", pg), nil, nil},
		{"redirect default status", "http", act("type", "redirect", "target", "https://${host}${path}"), nil, float64(302)},
		{"redirect 308", "http", act("type", "redirect", "target", "https://example.com/", "status", 308), nil, float64(308)},
		{"reject default status", "http", act("type", "reject"), nil, float64(403)},
		{"reject 429", "http", act("type", "reject", "status", 429), nil, float64(429)},
		{"tcp reject", "tcp", act("type", "reject"), nil, nil},
		{"missing action", "http", cfgObj{"weight": 1}, []string{"Missing parameter: action"}, nil},
		{"action null", "http", cfgObj{"action": nil}, []string{"action", "null"}, nil},
		{"action without type", "http", act("target", api), []string{"action", "type is required"}, nil},
		{"unknown action", "http", act("type", "rewrite"), []string{"action.type", `"rewrite"`, "farm, redirect, reject"}, nil},
		{"redirect on tcp", "tcp", act("type", "redirect", "target", "https://x.example/"), []string{"action.type", `"redirect"`}, nil},
		{"status on a tcp action", "tcp", act("type", "reject", "status", 403), []string{"action", "status"}, nil},
		{"unknown action field", "http", act("type", "reject", "code", 403), []string{"action", "code"}, nil},
		{"farm without target", "http", act("type", "farm"), []string{"action.target", "farm id"}, nil},
		{"farm target not a number", "http", act("type", "farm", "target", "api"), []string{"action.target", `"api"`}, nil},
		{"farm target as a number", "http", act("type", "farm", "target", 12), []string{"action.target", "expected a string"}, nil},
		{"status as a string", "http", act("type", "reject", "status", "403"), []string{"action.status", "expected an integer"}, nil},
		{"farm target of another protocol", "http", act("type", "farm", "target", pg), []string{"action.target", "HTTP farm"}, nil},
		{"farm target of another IPLB", "http", act("type", "farm", "target", staging), []string{"action.target"}, nil},
		{"farm action with a status", "http", act("type", "farm", "target", api, "status", 302), []string{"action.status"}, nil},
		{"redirect without target", "http", act("type", "redirect"), []string{"action.target", "URL"}, nil},
		{"redirect status 300", "http", act("type", "redirect", "target", "https://x.example/", "status", 300), []string{"action.status", "301"}, nil},
		{"reject with a target", "http", act("type", "reject", "target", api), []string{"action.target", "no target"}, nil},
		{"reject status 201", "http", act("type", "reject", "status", 201), []string{"action.status"}, nil},
		{"weight 255", "http", cfgObj{"weight": 255, "action": cfgObj{"type": "reject"}}, nil, float64(403)},
		{"weight 256", "http", cfgObj{"weight": 256, "action": cfgObj{"type": "reject"}}, []string{"weight", "0..255"}, nil},
		{"weight negative", "tcp", cfgObj{"weight": -1, "action": cfgObj{"type": "reject"}}, []string{"weight"}, nil},
		{"frontend", "http", cfgObj{"frontendId": www, "action": cfgObj{"type": "reject"}}, nil, float64(403)},
		{"frontend of another protocol", "http", cfgObj{"frontendId": pgf, "action": cfgObj{"type": "reject"}}, []string{"frontendId", "HTTP frontend"}, nil},
		{"unknown frontend", "tcp", cfgObj{"frontendId": 424242, "action": cfgObj{"type": "reject"}}, []string{"frontendId", "424242"}, nil},
		{"unknown field", "tcp", cfgObj{"priority": 1, "action": cfgObj{"type": "reject"}}, []string{"priority"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, tc.proto, "route"), tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, routeModels[tc.proto], b)
				got := decodeAs[cfgObj](t, b)
				if tc.proto == protoHTTP && got["action"].(map[string]any)["status"] != tc.wantStatus {
					t.Errorf("action status %v, want %v", got["action"].(map[string]any)["status"], tc.wantStatus)
				}
				cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, tc.proto, "route", cfgID(t, got, "routeId")), nil)
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
	// PUT replaces the whole action and validates it.
	id := cfgCreate(t, e, cfgPath(DemoLB, "http/route"), act("type", "redirect", "target", "https://a.example/", "status", 301), "routeId")
	cfgOK[any](t, e, "PUT", cfgPath(DemoLB, "http/route", id), act("type", "farm", "target", api))
	got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/route", id), nil)
	if diff := cmp.Diff(map[string]any{"type": "farm", "target": api, "status": nil}, got["action"]); diff != "" {
		t.Errorf("action after PUT (-want +got)\n%s", diff)
	}
	status, b := doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "http/route", id), act("type", "farm", "target", "0"))
	cfgErr(t, status, b, http.StatusBadRequest, "action.target")
}

// TestRuleValidation: rule fields, match operators, subField and pattern
// against availableRouteRules.
func TestRuleValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	routes := map[string]int64{
		"http": cfgCreate(t, e, cfgPath(DemoLB, "http/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId"),
		"tcp":  cfgCreate(t, e, cfgPath(DemoLB, "tcp/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId"),
	}
	for _, tc := range []struct {
		name  string
		proto string
		body  cfgObj
		subs  []string
	}{
		{"host is", "http", cfgObj{"field": "host", "match": "is", "pattern": "a.example.com"}, nil},
		{"host exists without pattern", "http", cfgObj{"field": "host", "match": "exists"}, nil},
		{"cookie", "http", cfgObj{"field": "cookie", "subField": "session", "match": "exists"}, nil},
		{"source in", "http", cfgObj{"field": "source", "match": "in", "pattern": "192.0.2.0/24, 198.51.100.7"}, nil},
		{"method in", "http", cfgObj{"field": "method", "match": "in", "pattern": "GET,HEAD"}, nil},
		{"protocol", "http", cfgObj{"field": "protocol", "match": "is", "pattern": "https"}, nil},
		{"tcp sni", "tcp", cfgObj{"field": "sni", "match": "is", "pattern": "db.example.com"}, nil},
		{"tcp source", "tcp", cfgObj{"field": "source", "match": "is", "pattern": "192.0.2.0/24"}, nil},
		{"missing field", "http", cfgObj{"match": "is", "pattern": "x"}, []string{"Missing parameter: field"}},
		{"missing match", "http", cfgObj{"field": "host", "pattern": "x"}, []string{"Missing parameter: match"}},
		{"unknown field", "http", cfgObj{"field": "path", "match": "is", "pattern": "/"}, []string{"field", `"path"`, "host"}},
		{"http field on tcp", "tcp", cfgObj{"field": "host", "match": "is", "pattern": "x"}, []string{"field", `"host"`, "TCP"}},
		{"match not in the enum", "http", cfgObj{"field": "host", "match": "equals", "pattern": "x"}, []string{"match", `"equals"`}},
		{"match internal", "http", cfgObj{"field": "host", "match": "internal", "pattern": "x"}, []string{"match", `"internal"`, "host"}},
		{"match not for the field", "http", cfgObj{"field": "source", "match": "startswith", "pattern": "192."}, []string{"match", "source"}},
		{"header without subField", "http", cfgObj{"field": "header", "match": "is", "pattern": "x"}, []string{"subField", "header"}},
		{"host with subField", "http", cfgObj{"field": "host", "subField": "x", "match": "is", "pattern": "x"}, []string{"subField", "host"}},
		{"pattern missing", "http", cfgObj{"field": "uri", "match": "startswith"}, []string{"pattern", "startswith"}},
		{"pattern empty", "tcp", cfgObj{"field": "sni", "match": "is", "pattern": ""}, []string{"pattern"}},
		{"protocol not in its enum", "http", cfgObj{"field": "protocol", "match": "is", "pattern": "ftp"}, []string{"pattern", `"ftp"`}},
		{"method not in its enum", "http", cfgObj{"field": "method", "match": "in", "pattern": "GET,FETCH"}, []string{"pattern", `"FETCH"`}},
		{"source not an address", "tcp", cfgObj{"field": "source", "match": "is", "pattern": "somewhere"}, []string{"pattern", `"somewhere"`}},
		{"negate not a boolean", "http", cfgObj{"field": "host", "match": "exists", "negate": "no"}, []string{"negate"}},
		{"unknown body field", "http", cfgObj{"field": "host", "match": "exists", "weight": 1}, []string{"weight"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := cfgPath(DemoLB, tc.proto, "route", routes[tc.proto], "rule")
			status, b := doAs(t, e, DemoAccount, "POST", path, tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, ruleModel, b)
				cfgOK[any](t, e, "DELETE", path+"/"+strconv.FormatInt(cfgID(t, decodeAs[cfgObj](t, b), "ruleId"), 10), nil)
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
	// A PUT is checked as a whole: changing the field to one that needs a
	// subField is refused.
	path := cfgPath(DemoLB, "http/route", routes["http"], "rule")
	rid := cfgCreate(t, e, path, cfgObj{"field": "host", "match": "is", "pattern": "a.example.com"}, "ruleId")
	status, b := doAs(t, e, DemoAccount, "PUT", path+"/"+strconv.FormatInt(rid, 10), cfgObj{"field": "cookie"})
	cfgErr(t, status, b, http.StatusBadRequest, "subField")
	cfgOK[any](t, e, "PUT", path+"/"+strconv.FormatInt(rid, 10), cfgObj{"field": "cookie", "subField": "sid"})
}

// TestRouteLimits: at most 5 rules per route and 50 routes per IPLB
// (REFERENCE §9.2 [D]).
func TestRouteLimits(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	id := cfgCreate(t, e, cfgPath(DemoLB, "tcp/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
	for i := range 5 {
		cfgCreate(t, e, cfgPath(DemoLB, "tcp/route", id, "rule"), cfgObj{"field": "sni", "match": "is", "pattern": strconv.Itoa(i) + ".example.com"}, "ruleId")
	}
	status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "tcp/route", id, "rule"), cfgObj{"field": "sni", "match": "exists"})
	cfgErr(t, status, b, http.StatusBadRequest, "5 rules")

	n := len(cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedRoutes"), nil))
	for i := n; i < 50; i++ {
		proto := []string{"http", "tcp"}[i%2] // the limit counts both protocols
		cfgCreate(t, e, cfgPath(DemoLB, proto, "route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
	}
	status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "http/route"), cfgObj{"action": cfgObj{"type": "reject"}})
	cfgErr(t, status, b, http.StatusBadRequest, "50 routes")
	// The other IPLB has its own budget.
	cfgCreate(t, e, cfgPath(DemoLB2, "http/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
}

// TestRouteFilters: GET …/route?frontendId=, per protocol.
func TestRouteFilters(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	seeded := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/route"), nil)
	loose := cfgCreate(t, e, cfgPath(DemoLB, "http/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
	tcp := cfgCreate(t, e, cfgPath(DemoLB, "tcp/route"), cfgObj{"action": cfgObj{"type": "reject"}}, "routeId")
	for _, tc := range []struct {
		path string
		want []int64
	}{
		{cfgPath(DemoLB, "http/route"), append(slices.Clone(seeded), loose)},
		{cfgPath(DemoLB, "http/route") + "?frontendId=" + strconv.FormatInt(www, 10), seeded},
		{cfgPath(DemoLB, "http/route") + "?frontendId=424242", []int64{}},
		{cfgPath(DemoLB, "tcp/route"), []int64{tcp}},
	} {
		if diff := cmp.Diff(tc.want, cfgOK[[]int64](t, e, "GET", tc.path, nil)); diff != "" {
			t.Errorf("GET %s (-want +got)\n%s", tc.path, diff)
		}
	}
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "http/route")+"?frontendId=www", nil)
	cfgErr(t, status, b, http.StatusBadRequest, "frontendId")
}
