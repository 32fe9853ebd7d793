package ovhemu

import (
	"fmt"
	"net/http"
	"testing"
)

// Every configuration object is found by its id path parameter and must
// belong to what the path names (its protocol, its farm, its route):
// otherwise the API's 404 names the parameter and the id. A non-numeric id
// is a 400.
func TestConfigObjectLookup(t *testing.T) {
	t.Parallel()
	e := New()
	base := "/ipLoadbalancing/" + DemoLB
	ids := func(path string) []int64 {
		t.Helper()
		status, b := doAs(t, e, DemoAccount, http.MethodGet, base+path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, b)
		}
		return decodeAs[[]int64](t, b)
	}
	farms, routes, frontends, networks, ssls := ids("/http/farm"), ids("/http/route"), ids("/http/frontend"), ids("/vrack/network"), ids("/ssl")
	if len(farms) < 2 || len(routes) < 2 || len(frontends) < 1 || len(networks) < 1 || len(ssls) < 1 {
		t.Fatalf("the seed changed: farms %v, routes %v, frontends %v, networks %v, ssl %v", farms, routes, frontends, networks, ssls)
	}
	// A server and the farm it is not in; a rule and the route it is not in.
	var server, otherFarm int64
	for i, f := range farms[:2] {
		if s := ids(fmt.Sprintf("/http/farm/%d/server", f)); len(s) > 0 {
			server, otherFarm = s[0], farms[1-i]
			break
		}
	}
	var rule, ruleRoute, otherRoute int64
	for i, r := range routes[:2] {
		if ru := ids(fmt.Sprintf("/http/route/%d/rule", r)); len(ru) > 0 {
			rule, ruleRoute, otherRoute = ru[0], r, routes[1-i]
			break
		}
	}
	if server == 0 || rule == 0 {
		t.Fatalf("the seed changed: no server in farms %v or no rule in routes %v", farms[:2], routes[:2])
	}
	const missing = 999999
	for _, tt := range []struct {
		path   string
		status int
		msg    string
	}{
		{fmt.Sprintf("/http/farm/%d", farms[0]), 200, ""},
		{fmt.Sprintf("/tcp/farm/%d", farms[0]), 404, fmt.Sprintf("The requested object (farmId = %d) does not exist", farms[0])},
		{fmt.Sprintf("/http/farm/%d", missing), 404, fmt.Sprintf("The requested object (farmId = %d) does not exist", missing)},
		{"/http/farm/x1", 400, `Invalid value for farmId: "x1" is not an integer`},
		{fmt.Sprintf("/http/farm/%d/server/%d", otherFarm, server), 404, fmt.Sprintf("The requested object (serverId = %d) does not exist", server)},
		{fmt.Sprintf("/tcp/farm/%d/server/%d", otherFarm, server), 404, fmt.Sprintf("The requested object (farmId = %d) does not exist", otherFarm)},
		{fmt.Sprintf("/http/frontend/%d", frontends[0]), 200, ""},
		{fmt.Sprintf("/udp/frontend/%d", frontends[0]), 404, fmt.Sprintf("The requested object (frontendId = %d) does not exist", frontends[0])},
		{fmt.Sprintf("/http/route/%d", routes[0]), 200, ""},
		{fmt.Sprintf("/tcp/route/%d", routes[0]), 404, fmt.Sprintf("The requested object (routeId = %d) does not exist", routes[0])},
		{fmt.Sprintf("/http/route/%d/rule/%d", ruleRoute, rule), 200, ""},
		{fmt.Sprintf("/http/route/%d/rule/%d", otherRoute, rule), 404, fmt.Sprintf("The requested object (ruleId = %d) does not exist", rule)},
		{fmt.Sprintf("/http/route/%d/rule/y", ruleRoute), 400, `Invalid value for ruleId: "y" is not an integer`},
		{fmt.Sprintf("/vrack/network/%d", networks[0]), 200, ""},
		{fmt.Sprintf("/vrack/network/%d", missing), 404, fmt.Sprintf("The requested object (vrackNetworkId = %d) does not exist", missing)},
		{fmt.Sprintf("/ssl/%d", ssls[0]), 200, ""},
		{fmt.Sprintf("/ssl/%d", missing), 404, fmt.Sprintf("The requested object (id = %d) does not exist", missing)},
	} {
		status, b := doAs(t, e, DemoAccount, http.MethodGet, base+tt.path, nil)
		if tt.status == http.StatusOK {
			if status != http.StatusOK {
				t.Errorf("GET %s: %d %s, want 200", tt.path, status, b)
			}
			continue
		}
		class := "Client::NotFound"
		if tt.status == http.StatusBadRequest {
			class = "Client::BadRequest"
		}
		t.Run(tt.path, func(t *testing.T) { wantErr(t, status, b, tt.status, class, tt.msg) })
	}
}
