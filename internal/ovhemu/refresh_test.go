package ovhemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// --- helpers shared by the configuration tests (frontend, farm, route,
// vrack, refresh); prefixed cfg so they never collide with the services'. ---

// cfgEmu returns a demo-seeded emulator with a fixed clock.
func cfgEmu(t *testing.T) *Emulator {
	t.Helper()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	return New(WithClock(func() time.Time { return at }))
}

// cfgPath is /ipLoadbalancing/{sn} followed by the parts joined with "/".
func cfgPath(sn string, parts ...any) string {
	var b strings.Builder
	b.WriteString("/ipLoadbalancing/" + sn)
	for _, p := range parts {
		fmt.Fprintf(&b, "/%v", p)
	}
	return b.String()
}

// cfgOK calls a route as DemoAccount, expects 200 and decodes into T.
func cfgOK[T any](t *testing.T, e *Emulator, method, path string, body any) T {
	t.Helper()
	status, b := doAs(t, e, DemoAccount, method, path, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: status %d, body %s", method, path, status, b)
	}
	return decodeAs[T](t, b)
}

// cfgErr checks an error answer: status, the class of that status, and a
// message containing every one of subs.
func cfgErr(t *testing.T, status int, body []byte, wantStatus int, subs ...string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d (body %s)", status, wantStatus, body)
	}
	var e struct {
		Class   string `json:"class"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	if want := classFor(wantStatus); e.Class != want {
		t.Errorf("class %q, want %q", e.Class, want)
	}
	for _, s := range subs {
		if !strings.Contains(e.Message, s) {
			t.Errorf("message %q, want it to contain %q", e.Message, s)
		}
	}
}

// cfgSchema fails the test when raw does not match the schema type.
func cfgSchema(t *testing.T, fullType string, raw []byte) {
	t.Helper()
	for _, v := range checkResponse(t, fullType, raw) {
		t.Errorf("%s: %s", fullType, v)
	}
}

// cfgObj is a decoded object.
type cfgObj = map[string]any

// cfgID reads a numeric id field of a decoded object.
func cfgID(t *testing.T, o cfgObj, key string) int64 {
	t.Helper()
	n, ok := o[key].(float64)
	if !ok {
		t.Fatalf("%s missing from %v", key, o)
	}
	return int64(n)
}

// cfgCreate POSTs body to path as DemoAccount and returns the created
// object's id field.
func cfgCreate(t *testing.T, e *Emulator, path string, body any, idKey string) int64 {
	t.Helper()
	return cfgID(t, cfgOK[cfgObj](t, e, "POST", path, body), idKey)
}

// cfgPending reads pendingChanges as zone → number.
func cfgPending(t *testing.T, e *Emulator, sn string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, p := range cfgOK[[]struct {
		Zone   string `json:"zone"`
		Number int64  `json:"number"`
	}](t, e, "GET", cfgPath(sn, "pendingChanges"), nil) {
		out[p.Zone] = p.Number
	}
	return out
}

// cfgFind returns the id of the object of kind (e.g. "http/frontend")
// whose displayName is name, in the IPLB sn.
func cfgFind(t *testing.T, e *Emulator, sn, kind, name string) int64 {
	t.Helper()
	idKey := map[string]string{"frontend": "frontendId", "farm": "farmId", "route": "routeId"}[kind[strings.Index(kind, "/")+1:]]
	for _, id := range cfgOK[[]int64](t, e, "GET", cfgPath(sn, kind), nil) {
		o := cfgOK[cfgObj](t, e, "GET", cfgPath(sn, kind, id), nil)
		if o["displayName"] == name {
			return cfgID(t, o, idKey)
		}
	}
	t.Fatalf("no %s named %q in %s", kind, name, sn)
	return 0
}

// locked runs f on the world under the emulator's lock, as a handler would.
func locked(e *Emulator, f func(w *world)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f(&e.world)
}

// cfgProblem returns refreshProblem's message ("" for nil).
func cfgProblem(e *Emulator, sn, zone string) string {
	var msg string
	locked(e, func(w *world) {
		if p := w.refreshProblem(sn, zone); p != nil {
			msg = fmt.Sprintf("%d %s %s", p.Status, p.Class, p.Message)
		}
	})
	return msg
}

// --- tests ---

// TestSeedConfigRefresh: the demo configuration meets its own expectations:
// DemoLB and OtherLB can be refreshed, DemoLB2 cannot, because of its
// "legacy-api" frontend, named in the error; a refresh of DemoLB2's other
// zone only is fine.
func TestSeedConfigRefresh(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	legacy := cfgFind(t, e, DemoLB2, "http/frontend", "legacy-api")
	want := fmt.Sprintf(`Frontend %d ("legacy-api") has no default farm, redirection or valid route`, legacy)

	for _, tc := range []struct {
		sn, zone string
		want     string // "" = refreshable
	}{
		{DemoLB, "", ""},
		{DemoLB, "gra", ""},
		{DemoLB, "rbx", ""},
		{DemoLB2, "", want},
		{DemoLB2, "sbg", want},
		{DemoLB2, "gra", ""},
	} {
		got := cfgProblem(e, tc.sn, tc.zone)
		if tc.want == "" && got != "" {
			t.Errorf("refreshProblem(%s, %q) = %q, want nil", tc.sn, tc.zone, got)
		}
		if tc.want != "" && got != "400 Client::BadRequest "+tc.want {
			t.Errorf("refreshProblem(%s, %q) = %q, want 400 %q", tc.sn, tc.zone, got, tc.want)
		}
	}
	status, b := doAs(t, e, OtherAccount, "POST", cfgPath(OtherLB, "refresh"), nil)
	if status != http.StatusOK {
		t.Errorf("refresh OtherLB: %d %s", status, b)
	}

	// Through the API: DemoLB2 fails synchronously, then its gra zone passes.
	status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB2, "refresh"), nil)
	cfgErr(t, status, b, http.StatusBadRequest, want)
	task := cfgOK[cfgObj](t, e, "POST", cfgPath(DemoLB2, "refresh"), cfgObj{"zone": "gra"})
	if task["action"] != "refreshIplb" {
		t.Errorf("refresh task %v", task)
	}
	task = cfgOK[cfgObj](t, e, "POST", cfgPath(DemoLB, "refresh"), nil)
	if task["action"] != "refreshIplb" {
		t.Errorf("refresh task %v", task)
	}
}

// TestSeedConfigContent: the demo objects the brief and the console rely on.
func TestSeedConfigContent(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)

	www := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/frontend", cfgFind(t, e, DemoLB, "http/frontend", "www")), nil)
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	if www["port"] != "80,443" || www["zone"] != "all" || www["defaultFarmId"] != float64(web) {
		t.Errorf("www = %v", www)
	}
	if ips, _ := www["dedicatedIpfo"].([]any); len(ips) != 1 || ips[0] != DemoIPPinned {
		t.Errorf("www dedicatedIpfo = %v, want [%s]", www["dedicatedIpfo"], DemoIPPinned)
	}
	var addrs []string
	for _, id := range cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/farm", web, "server"), nil) {
		s := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/farm", web, "server", id), nil)
		addrs = append(addrs, s["address"].(string))
	}
	if strings.Join(addrs, " ") != "10.0.1.11 10.0.1.12" {
		t.Errorf("web servers %v", addrs)
	}
	nets := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)
	if len(nets) != 1 {
		t.Fatalf("DemoLB networks %v", nets)
	}
	n := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "vrack/network", nets[0]), nil)
	if n["subnet"] != "10.0.0.0/16" || n["natIp"] != "10.0.255.0/27" || n["vlan"] != float64(42) {
		t.Errorf("network %v", n)
	}
	// Every farm of DemoLB is in the network; one frontend per protocol.
	defined := cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedFarms"), nil)
	inNet := cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedFarms")+"?vrackNetworkId="+strconv.FormatInt(nets[0], 10), nil)
	if len(defined) != len(inNet) || len(defined) != 4 {
		t.Errorf("definedFarms %v, in the network %v", defined, inNet)
	}
	types := map[string]int{}
	for _, f := range cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedFrontends"), nil) {
		types[f["type"].(string)]++
	}
	if types["http"] != 1 || types["tcp"] != 1 || types["udp"] != 1 {
		t.Errorf("DemoLB frontends by type %v", types)
	}
	// The route to api, with its rule on the host.
	api := cfgFind(t, e, DemoLB, "http/farm", "api")
	r := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/route", cfgFind(t, e, DemoLB, "http/route", "api.example.com to api")), nil)
	action := r["action"].(map[string]any)
	rules := r["rules"].([]any)
	if action["type"] != "farm" || action["target"] != strconv.FormatInt(api, 10) || len(rules) == 0 ||
		rules[0].(map[string]any)["pattern"] != "api.example.com" {
		t.Errorf("api route %v", r)
	}
	// OtherLB has one frontend, one farm, one server.
	for _, kind := range []string{"definedFrontends", "definedFarms"} {
		_, b := doAs(t, e, OtherAccount, "GET", cfgPath(OtherLB, kind), nil)
		if got := decodeAs[[]cfgObj](t, b); len(got) != 1 {
			t.Errorf("OtherLB %s: %s", kind, b)
		}
	}
}

// TestSeedConfigValid: every seeded object passes the validation the API
// applies to it, so the seed is something a client could have built.
func TestSeedConfigValid(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	locked(e, func(w *world) {
		for sn, lb := range w.conf.lbs {
			for _, f := range lb.frontends {
				c := *f
				if err := w.checkFrontend(sn, lb, &c, fields{"dedicatedIpfo": nil}); err != nil {
					t.Errorf("%s frontend %d: %v", sn, f.ID, err)
				}
			}
			for _, f := range lb.farms {
				if err := w.checkFarm(sn, lb, f); err != nil {
					t.Errorf("%s farm %d: %v", sn, f.ID, err)
				}
			}
			for _, s := range lb.servers {
				if err := checkServer(s); err != nil {
					t.Errorf("%s server %d: %v", sn, s.ID, err)
				}
			}
			for _, r := range lb.routes {
				c := *r
				if err := lb.checkRoute(&c); err != nil {
					t.Errorf("%s route %d: %v", sn, r.ID, err)
				}
			}
			for _, ru := range lb.rules {
				if err := checkRule(lb.routes[ru.RouteID].Proto, ru); err != nil {
					t.Errorf("%s rule %d: %v", sn, ru.ID, err)
				}
			}
			for _, n := range lb.networks {
				if err := w.checkNetwork(sn, lb, n, false); err != nil {
					t.Errorf("%s network %d: %v", sn, n.ID, err)
				}
			}
		}
	})
}

// TestSeedConfigEmpty: without services there is no configuration, and
// seedConfig on a world without IPLBs adds nothing.
func TestSeedConfigEmpty(t *testing.T) {
	t.Parallel()
	e := New(WithEmptySeed())
	locked(e, func(w *world) {
		seedConfig(w)
		for sn, lb := range w.conf.lbs {
			if len(lb.frontends)+len(lb.farms)+len(lb.servers)+len(lb.routes)+len(lb.networks) > 0 {
				t.Errorf("configuration seeded for %s without its IPLB", sn)
			}
		}
	})
}

// TestRefreshPreconditions: each precondition of REFERENCE §10.1 failing,
// through refreshProblem and through POST /refresh, with a message naming
// the object at fault. The wording is ours ([INF], REFERENCE §10.1).
func TestRefreshPreconditions(t *testing.T) {
	t.Parallel()
	type env struct {
		e   *Emulator
		ids map[string]int64
	}
	for _, tc := range []struct {
		name  string
		sn    string
		zone  string
		setup func(t *testing.T, v env)
		want  []string // substrings of the message; nil = refreshable
	}{
		{
			name: "vrack without network", sn: DemoLB,
			setup: func(t *testing.T, v env) {
				net := cfgOK[[]int64](t, v.e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0]
				cfgOK[cfgObj](t, v.e, "POST", cfgPath(DemoLB, "vrack/network", net, "updateFarmId"), cfgObj{"farmId": []int64{}})
				cfgOK[any](t, v.e, "DELETE", cfgPath(DemoLB, "vrack/network", net), nil)
			},
			want: []string{"Load Balancer " + DemoLB + " is in vRack " + DemoVrack + " but has no vRack network"},
		},
		{
			name: "vrack farm outside the network", sn: DemoLB,
			setup: func(t *testing.T, v env) {
				cfgOK[any](t, v.e, "PUT", cfgPath(DemoLB, "tcp/farm", v.ids["pg"]), cfgObj{"vrackNetworkId": nil})
			},
			want: []string{`TCP farm `, `("postgres") is not attached to a vRack network while the Load Balancer is in a vRack`},
		},
		{
			name: "vrack farm outside the network, other zone", sn: DemoLB, zone: "rbx",
			setup: func(t *testing.T, v env) {
				cfgOK[any](t, v.e, "PUT", cfgPath(DemoLB, "tcp/farm", v.ids["pg"]), cfgObj{"vrackNetworkId": nil})
			},
		},
		{
			name: "farm in a network without vrack", sn: DemoLB2, zone: "gra",
			setup: func(t *testing.T, v env) {
				// The API cannot do this (DemoLB2 has no network); an IPLB
				// that left its vRack could be in this state.
				locked(v.e, func(w *world) {
					id := int64(999)
					w.conf.lb(DemoLB2).farms[v.ids["staging-web"]].VrackNetworkID = &id
				})
			},
			want: []string{`HTTP farm`, `("staging-web") is attached to a vRack network while the Load Balancer is not in a vRack`},
		},
		{
			name: "no frontend", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				for _, id := range cfgOK[[]int64](t, v.e, "GET", cfgPath(DemoLB2, "http/frontend"), nil) {
					cfgOK[any](t, v.e, "DELETE", cfgPath(DemoLB2, "http/frontend", id), nil)
				}
			},
			want: []string{"Refresh is not possible: no frontend is defined"},
		},
		{
			name: "no frontend in the zone", sn: DemoLB2, zone: "gra",
			setup: func(t *testing.T, v env) {
				cfgOK[any](t, v.e, "DELETE", cfgPath(DemoLB2, "http/frontend", v.ids["staging"]), nil)
			},
			want: []string{"no frontend is defined in zone gra"},
		},
		{
			name: "invalid frontend even when disabled", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				cfgOK[any](t, v.e, "PUT", cfgPath(DemoLB2, "http/frontend", v.ids["legacy-api"]), cfgObj{"disabled": true})
			},
			want: []string{`("legacy-api") has no default farm, redirection or valid route`},
		},
		{
			name: "fixed by a default farm", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				f := cfgCreate(t, v.e, cfgPath(DemoLB2, "http/farm"), cfgObj{"zone": "sbg", "port": 8080}, "farmId")
				cfgOK[any](t, v.e, "PUT", cfgPath(DemoLB2, "http/frontend", v.ids["legacy-api"]), cfgObj{"defaultFarmId": f})
			},
		},
		{
			name: "fixed by a redirection", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				cfgOK[any](t, v.e, "PUT", cfgPath(DemoLB2, "http/frontend", v.ids["legacy-api"]),
					cfgObj{"redirectLocation": "https://api.example.com/"})
			},
		},
		{
			name: "a route without rules is not enough", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route"),
					cfgObj{"frontendId": v.ids["legacy-api"], "action": cfgObj{"type": "reject"}}, "routeId")
			},
			want: []string{`("legacy-api") has no default farm, redirection or valid route`},
		},
		{
			name: "fixed by a route with a rule", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				r := cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route"),
					cfgObj{"frontendId": v.ids["legacy-api"], "action": cfgObj{"type": "farm", "target": strconv.FormatInt(v.ids["staging-web"], 10)}}, "routeId")
				cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route", r, "rule"), cfgObj{"field": "host", "match": "is", "pattern": "old.example.com"}, "ruleId")
			},
		},
		{
			name: "a route of another frontend does not count", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				r := cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route"),
					cfgObj{"frontendId": v.ids["staging"], "action": cfgObj{"type": "reject"}}, "routeId")
				cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route", r, "rule"), cfgObj{"field": "method", "match": "is", "pattern": "POST"}, "ruleId")
			},
			want: []string{`("legacy-api")`},
		},
		{
			name: "a route whose farm vanished does not count", sn: DemoLB2,
			setup: func(t *testing.T, v env) {
				r := cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route"),
					cfgObj{"frontendId": v.ids["legacy-api"], "action": cfgObj{"type": "farm", "target": strconv.FormatInt(v.ids["staging-web"], 10)}}, "routeId")
				cfgCreate(t, v.e, cfgPath(DemoLB2, "http/route", r, "rule"), cfgObj{"field": "host", "match": "exists"}, "ruleId")
				locked(v.e, func(w *world) { w.conf.lb(DemoLB2).routes[r].Action.Target = new("123456") })
			},
			want: []string{`("legacy-api")`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := cfgEmu(t)
			v := env{e: e, ids: map[string]int64{
				"pg":          cfgFind(t, e, DemoLB, "tcp/farm", "postgres"),
				"staging-web": cfgFind(t, e, DemoLB2, "http/farm", "staging-web"),
				"staging":     cfgFind(t, e, DemoLB2, "http/frontend", "staging"),
				"legacy-api":  cfgFind(t, e, DemoLB2, "http/frontend", "legacy-api"),
			}}
			tc.setup(t, v)
			got := cfgProblem(e, tc.sn, tc.zone)
			var body any
			if tc.zone != "" {
				body = cfgObj{"zone": tc.zone}
			}
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(tc.sn, "refresh"), body)
			if tc.want == nil {
				if got != "" || status != http.StatusOK {
					t.Fatalf("refreshProblem = %q, POST refresh = %d %s; want both to pass", got, status, b)
				}
				return
			}
			if !strings.HasPrefix(got, "400 Client::BadRequest ") {
				t.Errorf("refreshProblem = %q, want a 400", got)
			}
			for _, s := range tc.want {
				if !strings.Contains(got, s) {
					t.Errorf("refreshProblem = %q, want it to contain %q", got, s)
				}
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.want...)
		})
	}
}

// TestUnpinIP: a failover IP leaving the IPLB disappears from every
// dedicatedIpfo; an emptied list becomes null; other IPLBs are untouched.
func TestUnpinIP(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	pg := cfgFind(t, e, DemoLB, "tcp/frontend", "postgres")
	cfgOK[any](t, e, "PUT", cfgPath(DemoLB, "tcp/frontend", pg), cfgObj{"dedicatedIpfo": []string{DemoIPPinned, DemoIPUnpinned}})
	before := cfgPending(t, e, DemoLB)

	locked(e, func(w *world) { w.unpinIP(DemoLB, DemoIPPinned) })
	if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/frontend", www), nil)["dedicatedIpfo"]; got != nil {
		t.Errorf("www dedicatedIpfo = %v, want null", got)
	}
	got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "tcp/frontend", pg), nil)["dedicatedIpfo"].([]any)
	if len(got) != 1 || got[0] != DemoIPUnpinned {
		t.Errorf("postgres dedicatedIpfo = %v, want [%s]", got, DemoIPUnpinned)
	}
	// A block leaving takes the /32s inside it; another IPLB's name changes nothing.
	locked(e, func(w *world) { w.unpinIP(DemoLB2, DemoIPUnpinned) })
	if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "tcp/frontend", pg), nil)["dedicatedIpfo"]; got == nil {
		t.Errorf("unpinIP on DemoLB2 unpinned DemoLB's IP")
	}
	locked(e, func(w *world) { w.unpinIP(DemoLB, "203.0.113.8/29") })
	if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "tcp/frontend", pg), nil)["dedicatedIpfo"]; got != nil {
		t.Errorf("postgres dedicatedIpfo = %v after its /29 left, want null", got)
	}
	if after := cfgPending(t, e, DemoLB); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("unpinIP changed pending changes: %v → %v", before, after)
	}
}
