package ovhemu

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var farmModels = map[string]string{
	protoHTTP: "ipLoadbalancing.backendHttp.BackendHttp",
	protoTCP:  "ipLoadbalancing.backendTcp.BackendTcp",
	protoUDP:  "ipLoadbalancing.backendUdp.BackendUdp",
}

var serverModels = map[string]string{
	protoHTTP: "ipLoadbalancing.backendHttpCustomerServer.BackendHTTPServer",
	protoTCP:  "ipLoadbalancing.backendTcpCustomerServer.BackendTCPServer",
	protoUDP:  "ipLoadbalancing.backendUdpCustomerServer.BackendUDPServer",
}

// TestFarmServerCRUD: farms and their servers for each protocol, every
// answer checked against the schema.
func TestFarmServerCRUD(t *testing.T) {
	t.Parallel()
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			e := cfgEmu(t)
			net := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0]
			body := cfgObj{"zone": "rbx", "port": 9000, "displayName": "f", "vrackNetworkId": net}
			if proto != protoUDP {
				body["balance"] = "source"
				body["stickiness"] = "sourceIp"
				body["probe"] = cfgObj{"type": "tcp", "interval": 45}
			}
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, proto, "farm"), body)
			if status != http.StatusOK {
				t.Fatalf("POST farm: %d %s", status, b)
			}
			cfgSchema(t, farmModels[proto], b)
			farm := decodeAs[cfgObj](t, b)
			id := cfgID(t, farm, "farmId")
			if farm["zone"] != "rbx" || farm["port"] != float64(9000) || farm["vrackNetworkId"] != float64(net) {
				t.Errorf("farm %v", farm)
			}
			_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "farm", id), nil)
			cfgSchema(t, farmModels[proto], b)
			if diff := cmp.Diff(farm, decodeAs[cfgObj](t, b)); diff != "" {
				t.Errorf("GET differs from POST\n%s", diff)
			}

			sbody := cfgObj{"address": "10.0.9.1", "status": "active", "port": 9001, "displayName": "s"}
			if proto != protoUDP {
				sbody["backup"] = true
				sbody["proxyProtocolVersion"] = "v2-ssl-cn"
				sbody["onMarkedDown"] = "shutdown-sessions"
				sbody["chain"] = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----"
			}
			if proto == protoHTTP {
				sbody["cookie"] = "s1"
			}
			status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, proto, "farm", id, "server"), sbody)
			if status != http.StatusOK {
				t.Fatalf("POST server: %d %s", status, b)
			}
			cfgSchema(t, serverModels[proto], b)
			srv := decodeAs[cfgObj](t, b)
			sid := cfgID(t, srv, "serverId")
			if srv["backendId"] != float64(id) || srv["address"] != "10.0.9.1" {
				t.Errorf("server %v", srv)
			}
			if proto != protoUDP && (srv["weight"] != float64(1) || srv["serverState"] == nil) {
				t.Errorf("server weight/serverState %v", srv)
			}
			if got := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, proto, "farm", id, "server"), nil); !slices.Equal(got, []int64{sid}) {
				t.Errorf("servers %v", got)
			}

			// Partial PUT on the server: address is read-only and ignored.
			cfgOK[any](t, e, "PUT", cfgPath(DemoLB, proto, "farm", id, "server", sid), cfgObj{"status": "inactive", "address": "10.9.9.9", "serverId": 1})
			got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, proto, "farm", id, "server", sid), nil)
			srv["status"] = "inactive"
			if diff := cmp.Diff(srv, got); diff != "" {
				t.Errorf("server after PUT (-want +got)\n%s", diff)
			}
			// The server is only found under its own farm.
			other := cfgFind(t, e, DemoLB, proto+"/farm", map[string]string{"http": "web", "tcp": "postgres", "udp": "dns"}[proto])
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "farm", other, "server", sid), nil)
			cfgErr(t, status, b, http.StatusNotFound, "serverId")

			cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, proto, "farm", id, "server", sid), nil)
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "farm", id, "server", sid), nil)
			cfgErr(t, status, b, http.StatusNotFound)

			// Deleting the farm takes its servers along.
			cfgCreate(t, e, cfgPath(DemoLB, proto, "farm", id, "server"), cfgObj{"address": "10.0.9.2", "status": "active"}, "serverId")
			cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, proto, "farm", id), nil)
			status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, proto, "farm", id, "server"), nil)
			cfgErr(t, status, b, http.StatusNotFound, "farmId")
			locked(e, func(w *world) {
				for _, s := range w.conf.lb(DemoLB).servers {
					if s.FarmID == id {
						t.Errorf("server %d survived its farm", s.ID)
					}
				}
			})
		})
	}
}

// TestFarmValidation: every rule of POST …/farm.
func TestFarmValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	net := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0]
	for _, tc := range []struct {
		name  string
		sn    string
		proto string
		body  cfgObj
		subs  []string
	}{
		{"minimal http", DemoLB, "http", cfgObj{"zone": "gra"}, nil},
		{"minimal udp", DemoLB, "udp", cfgObj{"zone": "gra", "port": 53}, nil},
		{"zone all", DemoLB, "tcp", cfgObj{"zone": "all"}, nil},
		{"missing zone", DemoLB, "http", cfgObj{"port": 80}, []string{"Missing parameter: zone"}},
		{"zone of another IPLB", DemoLB, "http", cfgObj{"zone": "sbg"}, []string{"zone", `"sbg"`}},
		{"udp without port", DemoLB, "udp", cfgObj{"zone": "gra"}, []string{"Missing parameter: port"}},
		{"udp port null", DemoLB, "udp", cfgObj{"zone": "gra", "port": nil}, []string{"port", "UDP farm needs a port"}},
		{"port zero", DemoLB, "http", cfgObj{"zone": "gra", "port": 0}, []string{"port", "1..65535"}},
		{"port too high", DemoLB, "tcp", cfgObj{"zone": "gra", "port": 65536}, []string{"port"}},
		{"port as a string", DemoLB, "tcp", cfgObj{"zone": "gra", "port": "80"}, []string{"port", "expected an integer"}},
		{"balance uri on http", DemoLB, "http", cfgObj{"zone": "gra", "balance": "uri"}, nil},
		{"balance uri on tcp", DemoLB, "tcp", cfgObj{"zone": "gra", "balance": "uri"}, []string{"balance", `"uri"`}},
		{"balance on udp", DemoLB, "udp", cfgObj{"zone": "gra", "port": 53, "balance": "first"}, []string{"balance", "UDP farm"}},
		{"stickiness cookie on http", DemoLB, "http", cfgObj{"zone": "gra", "stickiness": "cookie"}, nil},
		{"stickiness cookie on tcp", DemoLB, "tcp", cfgObj{"zone": "gra", "stickiness": "cookie"}, []string{"stickiness"}},
		{"probe full", DemoLB, "http", cfgObj{"zone": "gra", "probe": cfgObj{"type": "http", "method": "HEAD", "url": "/", "match": "status",
			"pattern": "200,204", "negate": false, "forceSsl": true, "interval": 30, "port": 8443}}, nil},
		{"probe interval too short", DemoLB, "http", cfgObj{"zone": "gra", "probe": cfgObj{"interval": 29}}, []string{"probe.interval", "29"}},
		{"probe type", DemoLB, "tcp", cfgObj{"zone": "gra", "probe": cfgObj{"type": "icmp"}}, []string{"probe.type"}},
		{"probe method", DemoLB, "http", cfgObj{"zone": "gra", "probe": cfgObj{"type": "http", "method": "POST"}}, []string{"probe.method"}},
		{"probe match", DemoLB, "http", cfgObj{"zone": "gra", "probe": cfgObj{"match": "equals"}}, []string{"probe.match"}},
		{"probe status match on tcp probe", DemoLB, "tcp", cfgObj{"zone": "gra", "probe": cfgObj{"type": "tcp", "match": "status"}}, []string{"probe.match", "http probes"}},
		{"probe port", DemoLB, "tcp", cfgObj{"zone": "gra", "probe": cfgObj{"port": 70000}}, []string{"probe.port"}},
		{"probe unknown field", DemoLB, "tcp", cfgObj{"zone": "gra", "probe": cfgObj{"timeout": 5}}, []string{"probe", "timeout"}},
		{"probe not an object", DemoLB, "tcp", cfgObj{"zone": "gra", "probe": "tcp"}, []string{"probe"}},
		{"probe on udp", DemoLB, "udp", cfgObj{"zone": "gra", "port": 53, "probe": cfgObj{}}, []string{"probe"}},
		{"vrack network", DemoLB, "udp", cfgObj{"zone": "gra", "port": 53, "vrackNetworkId": net}, nil},
		{"unknown vrack network", DemoLB, "http", cfgObj{"zone": "gra", "vrackNetworkId": 424242}, []string{"vrackNetworkId", "424242"}},
		{"vrack network without vrack", DemoLB2, "http", cfgObj{"zone": "gra", "vrackNetworkId": net}, []string{"vrackNetworkId"}},
		{"read-only farmId ignored", DemoLB, "http", cfgObj{"zone": "gra", "farmId": 3}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(tc.sn, tc.proto, "farm"), tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, farmModels[tc.proto], b)
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
}

// TestFarmPartialPut: zone is read-only after creation, probe is replaced
// whole, null clears.
func TestFarmPartialPut(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	id := cfgFind(t, e, DemoLB, "http/farm", "web")
	path := cfgPath(DemoLB, "http/farm", id)
	before := cfgOK[cfgObj](t, e, "GET", path, nil)

	cfgOK[any](t, e, "PUT", path, cfgObj{"zone": "gra", "farmId": 1, "displayName": "web2"})
	got := cfgOK[cfgObj](t, e, "GET", path, nil)
	before["displayName"] = "web2"
	if diff := cmp.Diff(before, got); diff != "" {
		t.Errorf("after PUT zone/farmId/displayName (-want +got)\n%s", diff)
	}
	cfgOK[any](t, e, "PUT", path, cfgObj{"probe": cfgObj{"type": "tcp"}, "balance": nil, "stickiness": "sourceIp"})
	got = cfgOK[cfgObj](t, e, "GET", path, nil)
	wantProbe := cfgObj{"type": "tcp", "forceSsl": nil, "interval": nil, "match": nil, "method": nil, "negate": nil, "pattern": nil, "port": nil, "url": nil}
	if diff := cmp.Diff(wantProbe, got["probe"]); diff != "" {
		t.Errorf("probe after PUT (-want +got)\n%s", diff)
	}
	if got["balance"] != nil || got["stickiness"] != "sourceIp" {
		t.Errorf("after PUT: %v", got)
	}
	cfgOK[any](t, e, "PUT", path, cfgObj{"probe": nil})
	if got := cfgOK[cfgObj](t, e, "GET", path, nil); got["probe"] != nil {
		t.Errorf("probe after PUT null: %v", got["probe"])
	}
	status, b := doAs(t, e, DemoAccount, "PUT", path, cfgObj{"balance": "roundrobin", "probe": cfgObj{"interval": 10}})
	cfgErr(t, status, b, http.StatusBadRequest, "probe.interval")
	if got := cfgOK[cfgObj](t, e, "GET", path, nil); got["balance"] != nil {
		t.Errorf("a refused PUT changed balance: %v", got["balance"])
	}
	// UDP's port cannot be cleared.
	dns := cfgFind(t, e, DemoLB, "udp/farm", "dns")
	status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "udp/farm", dns), cfgObj{"port": nil})
	cfgErr(t, status, b, http.StatusBadRequest, "port")
}

// TestFarmDeleteInUse: a farm still used as a default farm or a route
// target is not deleted ([INF], farm.go); once released it is.
func TestFarmDeleteInUse(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	api := cfgFind(t, e, DemoLB, "http/farm", "api")
	www := cfgFind(t, e, DemoLB, "http/frontend", "www")
	before := cfgPending(t, e, DemoLB)

	status, b := doAs(t, e, DemoAccount, "DELETE", cfgPath(DemoLB, "http/farm", web), nil)
	cfgErr(t, status, b, http.StatusBadRequest, `Farm `+strconv.FormatInt(web, 10)+` ("web") is the default farm of HTTP frontend `, `("www")`)
	status, b = doAs(t, e, DemoAccount, "DELETE", cfgPath(DemoLB, "http/farm", api), nil)
	cfgErr(t, status, b, http.StatusBadRequest, `("api") is the target of HTTP route`)

	if after := cfgPending(t, e, DemoLB); !cmp.Equal(before, after) {
		t.Errorf("refused deletes counted as changes: %v → %v", before, after)
	}
	cfgOK[any](t, e, "PUT", cfgPath(DemoLB, "http/frontend", www), cfgObj{"defaultFarmId": api})
	cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, "http/farm", web), nil)
}

// TestServerValidation: every rule of POST …/server.
func TestServerValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	farms := map[string]int64{
		"http": cfgFind(t, e, DemoLB, "http/farm", "web"),
		"tcp":  cfgFind(t, e, DemoLB, "tcp/farm", "postgres"),
		"udp":  cfgFind(t, e, DemoLB, "udp/farm", "dns"),
	}
	ok := func(kv ...any) cfgObj {
		o := cfgObj{"address": "10.0.9.9", "status": "active"}
		for i := 0; i < len(kv); i += 2 {
			o[kv[i].(string)] = kv[i+1]
		}
		return o
	}
	for _, tc := range []struct {
		name  string
		proto string
		body  cfgObj
		subs  []string
	}{
		{"minimal", "udp", ok(), nil},
		{"missing address", "http", cfgObj{"status": "active"}, []string{"Missing parameter: address"}},
		{"missing status", "tcp", cfgObj{"address": "10.0.9.9"}, []string{"Missing parameter: status"}},
		{"address not an IP", "http", ok("address", "web-3"), []string{"address", "IPv4"}},
		{"address IPv6", "http", ok("address", "2001:db8::1"), []string{"address", "IPv4"}},
		{"address with a mask", "tcp", ok("address", "10.0.9.9/32"), []string{"address"}},
		{"status", "http", ok("status", "up"), []string{"status", `"up"`}},
		{"weight 0", "http", ok("weight", 0), nil},
		{"weight 256", "tcp", ok("weight", 256), nil},
		{"weight null", "tcp", ok("weight", nil), nil},
		{"weight 257", "tcp", ok("weight", 257), []string{"weight", "0..256"}},
		{"weight negative", "http", ok("weight", -1), []string{"weight"}},
		{"weight on udp", "udp", ok("weight", 1), []string{"weight", "UDP server"}},
		{"port", "http", ok("port", 65536), []string{"port"}},
		{"proxyProtocolVersion", "tcp", ok("proxyProtocolVersion", "v3"), []string{"proxyProtocolVersion"}},
		{"onMarkedDown", "http", ok("onMarkedDown", "drain"), []string{"onMarkedDown"}},
		{"cookie on tcp", "tcp", ok("cookie", "c"), []string{"cookie", "TCP server"}},
		{"backup on udp", "udp", ok("backup", true), []string{"backup"}},
		{"backup not a boolean", "http", ok("backup", "yes"), []string{"backup", "boolean"}},
		{"read-only fields ignored", "http", ok("serverId", 1, "backendId", 2, "serverState", []any{}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, tc.proto, "farm", farms[tc.proto], "server"), tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, serverModels[tc.proto], b)
				if got := decodeAs[cfgObj](t, b); got["backendId"] != float64(farms[tc.proto]) {
					t.Errorf("backendId %v, want the farm %d", got["backendId"], farms[tc.proto])
				}
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
	status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "http/farm", 424242, "server"), ok())
	cfgErr(t, status, b, http.StatusNotFound, "farmId = 424242")
	status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "tcp/farm", farms["http"], "server"), ok())
	cfgErr(t, status, b, http.StatusNotFound, "farmId")
}

// TestFarmServerFilters: the farm filters vrackNetworkId and zone, the
// server filters address, status and (http) cookie.
func TestFarmServerFilters(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	net := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0]
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	api := cfgFind(t, e, DemoLB, "http/farm", "api")
	loose := cfgCreate(t, e, cfgPath(DemoLB, "http/farm"), cfgObj{"zone": "gra"}, "farmId")
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{web, api, loose}},
		{"?vrackNetworkId=" + strconv.FormatInt(net, 10), []int64{web, api}},
		{"?zone=all", []int64{web, api}},
		{"?zone=gra", []int64{loose}},
		{"?zone=rbx", []int64{}},
	} {
		if diff := cmp.Diff(tc.want, cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/farm")+tc.query, nil)); diff != "" {
			t.Errorf("farms %s (-want +got)\n%s", tc.query, diff)
		}
	}
	servers := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/farm", api, "server"), nil)
	if len(servers) != 2 {
		t.Fatalf("api servers %v", servers)
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"?address=10.0.2.21", servers[:1]},
		{"?status=inactive", servers[1:]},
		{"?status=active&address=10.0.2.22", []int64{}},
		{"?cookie=api1", servers[:1]},
		{"?cookie=api%25", servers},
		{"?cookie=API1", []int64{}},
	} {
		if diff := cmp.Diff(tc.want, cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "http/farm", api, "server")+tc.query, nil)); diff != "" {
			t.Errorf("servers %s (-want +got)\n%s", tc.query, diff)
		}
	}
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "http/farm", api, "server")+"?status=up", nil)
	cfgErr(t, status, b, http.StatusBadRequest, "status")
	status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "http/farm")+"?vrackNetworkId=x", nil)
	cfgErr(t, status, b, http.StatusBadRequest, "vrackNetworkId")
}

// TestLBStatusAndDefined: the component counts of GET …/status and the
// defined* lists reflect the configuration, in the schema's shapes.
func TestLBStatusAndDefined(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	_, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB2, "status"), nil)
	cfgSchema(t, "ipLoadbalancing.Status", b)
	type comp struct {
		Total  int64            `json:"total"`
		Status map[string]int64 `json:"status"`
	}
	st := decodeAs[struct {
		Frontends, Farms, Servers comp
		Service                   struct{ Status string }
	}](t, b)
	// DemoLB2: "staging" valid, "legacy-api" not; one farm with one active server.
	if st.Frontends.Total != 2 || st.Frontends.Status["ok"] != 1 || st.Frontends.Status["error"] != 1 ||
		st.Farms.Total != 1 || st.Farms.Status["ok"] != 1 || st.Servers.Total != 1 || st.Servers.Status["ok"] != 1 ||
		st.Service.Status != "ok" {
		t.Errorf("DemoLB2 status %s", b)
	}
	// An inactive server is "unknown"; a farm without an active one "warn".
	f := cfgCreate(t, e, cfgPath(DemoLB2, "tcp/farm"), cfgObj{"zone": "sbg"}, "farmId")
	cfgCreate(t, e, cfgPath(DemoLB2, "tcp/farm", f, "server"), cfgObj{"address": "198.51.100.30", "status": "inactive"}, "serverId")
	st2 := cfgOK[struct{ Farms, Servers comp }](t, e, "GET", cfgPath(DemoLB2, "status"), nil)
	if st2.Farms.Status["warn"] != 1 || st2.Servers.Status["unknown"] != 1 || st2.Servers.Total != 2 {
		t.Errorf("after an inactive server: %+v", st2)
	}

	for _, tc := range []struct{ path, model string }{
		{"definedFrontends", "ipLoadbalancing.DefinedFrontend[]"},
		{"definedFarms", "ipLoadbalancing.DefinedFarm[]"},
		{"definedRoutes", "ipLoadbalancing.DefinedRoute[]"},
		{"availableFrontendType", "string[]"},
		{"availableFarmType", "string[]"},
		{"availableRouteActions", "ipLoadbalancing.RouteAvailableAction[]"},
		{"availableRouteRules", "ipLoadbalancing.RouteAvailableRule[]"},
	} {
		status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, tc.path), nil)
		if status != http.StatusOK {
			t.Errorf("%s: %d %s", tc.path, status, b)
			continue
		}
		cfgSchema(t, tc.model, b)
	}
	got := cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB2, "definedFarms"), nil)
	if len(got) != 2 || got[0]["type"] != "http" || got[1]["type"] != "tcp" || got[1]["id"] != float64(f) {
		t.Errorf("DemoLB2 definedFarms %v", got)
	}
	routes := cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedRoutes"), nil)
	if len(routes) != 2 || routes[0]["type"] != "http" || routes[0]["displayName"] == nil {
		t.Errorf("DemoLB definedRoutes %v", routes)
	}
}
