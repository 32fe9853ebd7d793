package ovhemu

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFrontendCRUD: create, read, list, partial update and delete for each
// protocol, every answer checked against the protocol's schema model.
func TestFrontendCRUD(t *testing.T) {
	t.Parallel()
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			e := cfgEmu(t)
			base := cfgPath(DemoLB, proto, "frontend")
			status, b := doAs(t, e, DemoAccount, "POST", base, cfgObj{"port": "8443", "zone": "gra", "displayName": "new"})
			if status != http.StatusOK {
				t.Fatalf("POST: %d %s", status, b)
			}
			cfgSchema(t, frontendModel(proto), b)
			created := decodeAs[cfgObj](t, b)
			id := cfgID(t, created, "frontendId")
			if created["port"] != "8443" || created["zone"] != "gra" || created["disabled"] != false || created["defaultFarmId"] != nil {
				t.Errorf("created %v", created)
			}
			// Only the protocol's own fields are emitted.
			_, hasHSTS := created["hsts"]
			_, hasSSL := created["ssl"]
			if hasHSTS != (proto == protoHTTP) || hasSSL != (proto != protoUDP) {
				t.Errorf("%s frontend fields: %v", proto, created)
			}

			_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "frontend", id), nil)
			cfgSchema(t, frontendModel(proto), b)
			if diff := cmp.Diff(created, decodeAs[cfgObj](t, b)); diff != "" {
				t.Errorf("GET differs from POST (-post +get)\n%s", diff)
			}
			if ids := cfgOK[[]int64](t, e, "GET", base, nil); !slices.Contains(ids, id) {
				t.Errorf("list %v lacks %d", ids, id)
			}

			status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, proto, "frontend", id), cfgObj{"disabled": true})
			if status != http.StatusOK || string(b) != "null" {
				t.Fatalf("PUT: %d %s", status, b)
			}
			got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, proto, "frontend", id), nil)
			created["disabled"] = true
			if diff := cmp.Diff(created, got); diff != "" {
				t.Errorf("after PUT {disabled:true} (-want +got)\n%s", diff)
			}

			cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, proto, "frontend", id), nil)
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "frontend", id), nil)
			cfgErr(t, status, b, http.StatusNotFound, "frontendId = "+strconv.FormatInt(id, 10))
			status, b = doAs(t, e, DemoAccount, "DELETE", cfgPath(DemoLB, proto, "frontend", id), nil)
			cfgErr(t, status, b, http.StatusNotFound)
		})
	}
}

// TestFrontendValidation: every rule of POST …/frontend, with the status,
// the class and the field named in the message.
func TestFrontendValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	ids := map[string]int64{
		"web":     cfgFind(t, e, DemoLB, "http/farm", "web"),
		"pg":      cfgFind(t, e, DemoLB, "tcp/farm", "postgres"), // zone gra
		"dns":     cfgFind(t, e, DemoLB, "udp/farm", "dns"),      // zone rbx
		"staging": cfgFind(t, e, DemoLB2, "http/farm", "staging-web"),
	}
	with := func(proto string, kv ...any) cfgObj {
		o := cfgObj{"port": "80", "zone": "gra"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				delete(o, kv[i].(string))
				continue
			}
			o[kv[i].(string)] = kv[i+1]
		}
		return o
	}
	for _, tc := range []struct {
		name  string
		proto string
		body  any
		subs  []string // nil = accepted
	}{
		{"minimal http", "http", with("http"), nil},
		{"missing port", "http", with("http", "port", "<absent>"), []string{"Missing parameter: port"}},
		{"missing zone", "udp", with("udp", "zone", "<absent>"), []string{"Missing parameter: zone"}},
		{"port list and ranges", "tcp", with("tcp", "port", "80,443,8000-8100"), nil},
		{"port top of range", "tcp", with("tcp", "port", "49151"), nil},
		{"port letters", "http", with("http", "port", "http"), []string{"port", `"http"`}},
		{"port zero", "http", with("http", "port", "0"), []string{"port", "1..49151"}},
		{"port too high", "http", with("http", "port", "49152"), []string{"port"}},
		{"port empty", "http", with("http", "port", ""), []string{"port", "empty"}},
		{"port trailing comma", "http", with("http", "port", "80,"), []string{"port"}},
		{"port spaces", "http", with("http", "port", "80, 443"), []string{"port"}},
		{"port decreasing range", "http", with("http", "port", "90-80"), []string{"port", "not increasing"}},
		{"port empty range", "http", with("http", "port", "80-80"), []string{"port", "not increasing"}},
		{"port three-part range", "http", with("http", "port", "80-90-100"), []string{"port"}},
		{"port as a number", "http", with("http", "port", 80), []string{"port", "expected a string"}},
		{"zone all", "udp", with("udp", "zone", "all"), nil},
		{"zone not subscribed", "http", with("http", "zone", "sbg"), []string{"zone", `"sbg"`, "gra, rbx"}},
		{"zone null", "http", with("http", "zone", nil), []string{"zone", "null"}},
		{"hsts on tcp", "tcp", with("tcp", "hsts", true), []string{"hsts", "TCP frontend"}},
		{"ssl on udp", "udp", with("udp", "ssl", true), []string{"ssl", "UDP frontend"}},
		{"allowedSource on udp", "udp", with("udp", "allowedSource", []string{"198.51.100.0/24"}), []string{"allowedSource"}},
		{"redirectLocation on tcp", "tcp", with("tcp", "redirectLocation", "https://x.example"), []string{"redirectLocation"}},
		{"unknown field", "http", with("http", "colour", "red"), []string{"colour"}},
		{"disabled null", "http", with("http", "disabled", nil), []string{"disabled", "null"}},
		{"displayName not a string", "http", with("http", "displayName", 3), []string{"displayName"}},
		{"read-only field ignored", "http", with("http", "frontendId", 1, "vrackNetworkId", 5), nil},
		{"default farm", "http", with("http", "defaultFarmId", ids["web"]), nil},
		{"default farm unknown", "http", with("http", "defaultFarmId", 424242), []string{"defaultFarmId", "424242", "HTTP farm"}},
		{"default farm of another protocol", "http", with("http", "defaultFarmId", ids["pg"]), []string{"defaultFarmId", "HTTP farm"}},
		{"default farm of another IPLB", "http", with("http", "defaultFarmId", ids["staging"]), []string{"defaultFarmId"}},
		{"default farm of another zone", "tcp", with("tcp", "zone", "rbx", "defaultFarmId", ids["pg"]), []string{"defaultFarmId", "zone gra", "zone rbx"}},
		{"zoned farm under an all frontend", "udp", with("udp", "zone", "all", "defaultFarmId", ids["dns"]), nil},
		{"allowedSource", "tcp", with("tcp", "allowedSource", []string{"198.51.100.0/24", "2001:db8::/32"}), nil},
		{"allowedSource not a block", "tcp", with("tcp", "allowedSource", []string{"example.com"}), []string{"allowedSource", "CIDR"}},
		{"allowedSource bare address", "tcp", with("tcp", "allowedSource", []string{"198.51.100.7"}), []string{"allowedSource"}},
		{"deniedSource host bits", "http", with("http", "deniedSource", []string{"198.51.100.7/24"}), []string{"deniedSource", "198.51.100.0/24"}},
		{"allowed and denied", "http", with("http", "allowedSource", []string{"198.51.100.0/24"}, "deniedSource", []string{"192.0.2.0/24"}),
			[]string{"allowedSource and deniedSource"}},
		{"allowed and denied empty", "http", with("http", "allowedSource", []string{}, "deniedSource", []string{"192.0.2.0/24"}), nil},
		{"ssl id unknown", "http", with("http", "defaultSslId", 424242), []string{"defaultSslId", "424242"}},
		{"httpHeader", "http", with("http", "httpHeader", []string{"X-Client-Port %cp"}), nil},
		{"httpHeader empty line", "http", with("http", "httpHeader", []string{" "}), []string{"httpHeader"}},
		{"httpHeader two lines", "http", with("http", "httpHeader", []string{"A: b\r\nC: d"}), []string{"httpHeader"}},
		{"redirectLocation", "http", with("http", "redirectLocation", "https://www.example.com/"), nil},
		{"redirectLocation relative", "http", with("http", "redirectLocation", "/elsewhere"), []string{"redirectLocation"}},
		{"redirectLocation ftp", "http", with("http", "redirectLocation", "ftp://files.example.com/"), []string{"redirectLocation"}},
		{"body not an object", "http", []string{"80"}, []string{"JSON"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, tc.proto, "frontend"), tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, frontendModel(tc.proto), b)
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
}

// TestFrontendPartialPut: PUT merges (REFERENCE §4): absent fields are
// kept, null clears a nullable field, read-only fields are ignored, and a
// refused PUT changes nothing.
func TestFrontendPartialPut(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	id := cfgFind(t, e, DemoLB, "http/frontend", "www")
	path := cfgPath(DemoLB, "http/frontend", id)
	before := cfgOK[cfgObj](t, e, "GET", path, nil)

	steps := []struct {
		body   cfgObj
		change cfgObj // fields expected to differ from the previous state
	}{
		{cfgObj{"displayName": "www-new"}, cfgObj{"displayName": "www-new"}},
		{cfgObj{"frontendId": 1, "vrackNetworkId": 7, "vrackVrouterId": 8}, cfgObj{}},
		{cfgObj{"hsts": true, "ssl": true}, cfgObj{"hsts": true, "ssl": true}},
		{cfgObj{"httpHeader": nil}, cfgObj{"httpHeader": nil}},
		{cfgObj{"displayName": nil}, cfgObj{"displayName": nil}},
		{cfgObj{"zone": "gra", "port": "8080"}, cfgObj{"zone": "gra", "port": "8080"}},
		{cfgObj{"redirectLocation": "https://example.com/", "defaultFarmId": nil},
			cfgObj{"redirectLocation": "https://example.com/", "defaultFarmId": nil}},
		{cfgObj{"redirectLocation": ""}, cfgObj{"redirectLocation": nil}},
		{cfgObj{}, cfgObj{}},
	}
	cur := before
	for i, st := range steps {
		cfgOK[any](t, e, "PUT", path, st.body)
		want := cfgObj{}
		for k, v := range cur {
			want[k] = v
		}
		for k, v := range st.change {
			want[k] = v
		}
		got := cfgOK[cfgObj](t, e, "GET", path, nil)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("step %d PUT %v (-want +got)\n%s", i, st.body, diff)
		}
		cur = got
	}

	// A refused PUT leaves the frontend as it was, even its valid fields.
	status, b := doAs(t, e, DemoAccount, "PUT", path, cfgObj{"displayName": "x", "port": "0"})
	cfgErr(t, status, b, http.StatusBadRequest, "port")
	if diff := cmp.Diff(cur, cfgOK[cfgObj](t, e, "GET", path, nil)); diff != "" {
		t.Errorf("refused PUT changed the frontend (-before +after)\n%s", diff)
	}
	// A zone change is checked against the default farm (pg lives in gra).
	pg := cfgFind(t, e, DemoLB, "tcp/frontend", "postgres")
	status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "tcp/frontend", pg), cfgObj{"zone": "rbx"})
	cfgErr(t, status, b, http.StatusBadRequest, "defaultFarmId", "zone rbx")
	// A field of another protocol is refused on PUT too.
	status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "tcp/frontend", pg), cfgObj{"hsts": false})
	cfgErr(t, status, b, http.StatusBadRequest, "hsts")
	// Not found, and a malformed id.
	status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "udp/frontend", id), cfgObj{})
	cfgErr(t, status, b, http.StatusNotFound)
	status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "http/frontend", "abc"), nil)
	cfgErr(t, status, b, http.StatusBadRequest, "frontendId")
}

// TestFrontendDedicatedIpfo: pins must be failover IPs routed to this IPLB,
// in /32 form; [] and null both clear the list (to null).
func TestFrontendDedicatedIpfo(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	id := cfgFind(t, e, DemoLB, "udp/frontend", "dns")
	path := cfgPath(DemoLB, "udp/frontend", id)
	for _, tc := range []struct {
		name string
		ips  any
		subs []string
	}{
		{"routed here", []string{DemoIPUnpinned}, nil},
		{"two routed here", []string{DemoIPUnpinned, DemoIPPinned}, nil},
		{"routed to a server", []string{DemoIPServer}, []string{DemoIPServer, "not a failover IP routed to this Load Balancer"}},
		{"parked", []string{DemoIPParked}, []string{DemoIPParked}},
		{"routed to the other IPLB", []string{DemoIPStaging}, []string{DemoIPStaging}},
		{"another account's", []string{OtherIP}, []string{OtherIP}},
		{"the IPLB's own address", []string{"198.51.100.20/32"}, []string{"198.51.100.20/32"}},
		{"bare address", []string{"203.0.113.11"}, []string{"/32 form"}},
		{"wider mask", []string{"203.0.113.10/31"}, []string{"/32 form"}},
		{"a block", []string{DemoIPBlock}, []string{"/32 form"}},
		{"twice", []string{DemoIPUnpinned, DemoIPUnpinned}, []string{"twice"}},
		{"not a list", DemoIPUnpinned, []string{"dedicatedIpfo", "list"}},
	} {
		status, b := doAs(t, e, DemoAccount, "PUT", path, cfgObj{"dedicatedIpfo": tc.ips})
		if tc.subs == nil {
			if status != http.StatusOK {
				t.Errorf("%s: %d %s", tc.name, status, b)
				continue
			}
			got := cfgOK[cfgObj](t, e, "GET", path, nil)["dedicatedIpfo"]
			if diff := cmp.Diff(tc.ips, toStrings(got)); diff != "" {
				t.Errorf("%s: dedicatedIpfo (-sent +got)\n%s", tc.name, diff)
			}
			continue
		}
		if status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400 (body %s)", tc.name, status, b)
			continue
		}
		cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
	}
	for _, clear := range []any{[]string{}, nil} {
		cfgOK[any](t, e, "PUT", path, cfgObj{"dedicatedIpfo": []string{DemoIPUnpinned}})
		cfgOK[any](t, e, "PUT", path, cfgObj{"dedicatedIpfo": clear})
		if got := cfgOK[cfgObj](t, e, "GET", path, nil)["dedicatedIpfo"]; got != nil {
			t.Errorf("after PUT dedicatedIpfo %v: %v, want null", clear, got)
		}
	}
	// The services side routes a new IP here: it can then be pinned on create.
	cfgOK[cfgObj](t, e, "POST", cfgPath(DemoLB, "http/frontend"), cfgObj{"port": "8081", "zone": "rbx", "dedicatedIpfo": []string{DemoIPUnpinned}})
}

func toStrings(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := []string{}
	for _, x := range l {
		out = append(out, x.(string))
	}
	return out
}

// TestFrontendFilters: the list filters of REFERENCE §7.
func TestFrontendFilters(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	api := cfgFind(t, e, DemoLB, "http/farm", "api")
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	ssl := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "ssl"), nil)[0]
	a := cfgCreate(t, e, cfgPath(DemoLB, "http/frontend"), cfgObj{"port": "8080", "zone": "gra", "defaultFarmId": api, "ssl": true, "defaultSslId": ssl}, "frontendId")
	b := cfgCreate(t, e, cfgPath(DemoLB, "http/frontend"), cfgObj{"port": "8000-8100", "zone": "rbx"}, "frontendId")
	base := cfgPath(DemoLB, "http/frontend")
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{www, a, b}},
		{"?defaultFarmId=" + strconv.FormatInt(web, 10), []int64{www}},
		{"?defaultFarmId=" + strconv.FormatInt(api, 10), []int64{a}},
		{"?defaultSslId=" + strconv.FormatInt(ssl, 10), []int64{a}},
		{"?zone=all", []int64{www}},
		{"?zone=rbx", []int64{b}},
		{"?port=80", []int64{}},
		{"?port=80%25", []int64{www, a, b}},
		{"?port=8080", []int64{a}},
		{"?port=%25443", []int64{www}},
		{"?port=80__", []int64{a}},
		{"?zone=gra&defaultFarmId=" + strconv.FormatInt(api, 10), []int64{a}},
		{"?zone=rbx&defaultFarmId=" + strconv.FormatInt(api, 10), []int64{}},
	} {
		got := cfgOK[[]int64](t, e, "GET", base+tc.query, nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("GET %s (-want +got)\n%s", tc.query, diff)
		}
	}
	status, body := doAs(t, e, DemoAccount, "GET", base+"?defaultFarmId=web", nil)
	cfgErr(t, status, body, http.StatusBadRequest, "defaultFarmId")
	// Each protocol lists its own frontends only.
	if got := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "udp/frontend"), nil); len(got) != 1 || got[0] == www {
		t.Errorf("udp frontends %v", got)
	}
}

// TestFrontendDeleteDetachesRoutes: deleting a frontend keeps its routes,
// detached ([INF], frontend.go).
func TestFrontendDeleteDetachesRoutes(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	routes := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/route")+"?frontendId="+strconv.FormatInt(www, 10), nil)
	if len(routes) == 0 {
		t.Fatal("www has no routes in the seed")
	}
	cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, "http/frontend", www), nil)
	for _, id := range routes {
		r := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/route", id), nil)
		if r["frontendId"] != nil {
			t.Errorf("route %d still attached to %v", id, r["frontendId"])
		}
	}
}

// TestConfigIsolation: one account cannot see or touch another's IPLB
// configuration; every route answers the 404 of a missing service.
func TestConfigIsolation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	for _, tc := range []struct{ method, path string }{
		{"GET", cfgPath(DemoLB, "http/frontend")},
		{"GET", cfgPath(DemoLB, "http/frontend", www)},
		{"PUT", cfgPath(DemoLB, "http/frontend", www)},
		{"DELETE", cfgPath(DemoLB, "http/frontend", www)},
		{"POST", cfgPath(DemoLB, "tcp/frontend")},
		{"GET", cfgPath(DemoLB, "udp/farm")},
		{"GET", cfgPath(DemoLB, "http/farm", web, "server")},
		{"DELETE", cfgPath(DemoLB, "http/farm", web)},
		{"GET", cfgPath(DemoLB, "http/route")},
		{"GET", cfgPath(DemoLB, "definedFrontends")},
		{"GET", cfgPath(DemoLB, "definedFarms")},
		{"GET", cfgPath(DemoLB, "definedRoutes")},
		{"GET", cfgPath(DemoLB, "status")},
		{"GET", cfgPath(DemoLB, "availableRouteRules")},
		{"GET", cfgPath(DemoLB, "vrack/status")},
		{"GET", cfgPath(DemoLB, "vrack/network")},
		{"GET", cfgPath(DemoLB, "ssl")},
		{"GET", cfgPath("loadbalancer-doesnotexist", "http/frontend")},
	} {
		status, b := doAs(t, e, OtherAccount, tc.method, tc.path, cfgObj{"port": "80", "zone": "gra"})
		if status != http.StatusNotFound {
			t.Errorf("%s %s as OtherAccount: %d %s, want 404", tc.method, tc.path, status, b)
			continue
		}
		cfgErr(t, status, b, http.StatusNotFound, "serviceName = ")
	}
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(OtherLB, "http/frontend"), nil)
	cfgErr(t, status, b, http.StatusNotFound, OtherLB)
	// And the frontend is intact.
	cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/frontend", www), nil)
}

// TestConfigPending: every configuration write counts as a pending change
// in the zone it touches (REFERENCE §10.3 [INF]); a refused write does not.
func TestConfigPending(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	ids := map[string]int64{
		"www": cfgFind(t, e, DemoLB, "http/frontend", "www"), // zone all
		"pgf": cfgFind(t, e, DemoLB, "tcp/frontend", "postgres"),
		"pg":  cfgFind(t, e, DemoLB, "tcp/farm", "postgres"), // zone gra
		"dns": cfgFind(t, e, DemoLB, "udp/farm", "dns"),      // zone rbx
		"net": cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0],
	}
	id := func(k string) string { return strconv.FormatInt(ids[k], 10) }
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		gra, rbx     int64
		save         string // store the created object's id under this name
		idKey        string
	}{
		{"frontend in gra", "POST", cfgPath(DemoLB, "tcp/frontend"), cfgObj{"port": "6000", "zone": "gra"}, 1, 0, "f", "frontendId"},
		{"frontend moved to rbx", "PUT", cfgPath(DemoLB, "tcp/frontend") + "/{f}", cfgObj{"zone": "rbx"}, 1, 1, "", ""},
		{"frontend deleted in rbx", "DELETE", cfgPath(DemoLB, "tcp/frontend") + "/{f}", nil, 0, 1, "", ""},
		{"frontend in all", "POST", cfgPath(DemoLB, "udp/frontend"), cfgObj{"port": "5353", "zone": "all"}, 1, 1, "", ""},
		{"refused frontend", "POST", cfgPath(DemoLB, "udp/frontend"), cfgObj{"port": "0", "zone": "all"}, 0, 0, "", ""},
		{"farm in rbx", "POST", cfgPath(DemoLB, "udp/farm"), cfgObj{"port": 53, "zone": "rbx"}, 0, 1, "", ""},
		{"farm updated in gra", "PUT", cfgPath(DemoLB, "tcp/farm", id("pg")), cfgObj{"displayName": "pg"}, 1, 0, "", ""},
		{"server of a gra farm", "POST", cfgPath(DemoLB, "tcp/farm", id("pg"), "server"), cfgObj{"address": "10.0.3.33", "status": "active"}, 1, 0, "s", "serverId"},
		{"server updated", "PUT", cfgPath(DemoLB, "tcp/farm", id("pg"), "server") + "/{s}", cfgObj{"status": "inactive"}, 1, 0, "", ""},
		{"server deleted", "DELETE", cfgPath(DemoLB, "tcp/farm", id("pg"), "server") + "/{s}", nil, 1, 0, "", ""},
		{"server of an rbx farm", "POST", cfgPath(DemoLB, "udp/farm", id("dns"), "server"), cfgObj{"address": "10.0.4.43", "status": "active"}, 0, 1, "", ""},
		{"route of a gra frontend", "POST", cfgPath(DemoLB, "tcp/route"), cfgObj{"frontendId": ids["pgf"], "action": cfgObj{"type": "reject"}}, 1, 0, "r", "routeId"},
		{"rule of that route", "POST", cfgPath(DemoLB, "tcp/route") + "/{r}/rule", cfgObj{"field": "source", "match": "is", "pattern": "192.0.2.0/24"}, 1, 0, "", ""},
		{"route detached: now all", "PUT", cfgPath(DemoLB, "tcp/route") + "/{r}", cfgObj{"frontendId": nil}, 1, 1, "", ""},
		{"route deleted", "DELETE", cfgPath(DemoLB, "tcp/route") + "/{r}", nil, 1, 1, "", ""},
		{"route of an all frontend", "POST", cfgPath(DemoLB, "http/route"), cfgObj{"frontendId": ids["www"], "action": cfgObj{"type": "reject"}}, 1, 1, "", ""},
		{"vrack network", "PUT", cfgPath(DemoLB, "vrack/network", id("net")), cfgObj{"vlan": 43}, 1, 1, "", ""},
		{"vrack farms", "POST", cfgPath(DemoLB, "vrack/network", id("net"), "updateFarmId"), cfgObj{"farmId": []int64{ids["pg"]}}, 1, 1, "", ""},
		{"refused vrack change", "PUT", cfgPath(DemoLB, "vrack/network", id("net")), cfgObj{"vlan": 5000}, 0, 0, "", ""},
	} {
		path := tc.path
		for k, v := range ids {
			path = strings.ReplaceAll(path, "{"+k+"}", strconv.FormatInt(v, 10))
		}
		before := cfgPending(t, e, DemoLB)
		status, b := doAs(t, e, DemoAccount, tc.method, path, tc.body)
		if tc.gra+tc.rbx > 0 && status != http.StatusOK {
			t.Fatalf("%s: %s %s: %d %s", tc.name, tc.method, path, status, b)
		}
		if tc.save != "" {
			ids[tc.save] = cfgID(t, decodeAs[cfgObj](t, b), tc.idKey)
		}
		after := cfgPending(t, e, DemoLB)
		if dg, dr := after["gra"]-before["gra"], after["rbx"]-before["rbx"]; dg != tc.gra || dr != tc.rbx {
			t.Errorf("%s: pending +%d gra, +%d rbx; want +%d, +%d", tc.name, dg, dr, tc.gra, tc.rbx)
		}
	}
}
