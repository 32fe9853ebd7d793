package ovhemu

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSeedSituations checks that every exported demo constant is in the
// situation its doc comment promises, as the API shows it.
func TestSeedSituations(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	for _, tc := range []struct {
		nic, block, routed, typ string
	}{
		{DemoAccount, DemoIPPinned, DemoLB, "failover"},
		{DemoAccount, DemoIPUnpinned, DemoLB, "failover"},
		{DemoAccount, DemoIPServer, DemoServer, "failover"},
		{DemoAccount, DemoIPParked, "", "failover"},
		{DemoAccount, DemoIPStaging, DemoLB2, "failover"},
		{DemoAccount, DemoIPBlock, DemoServer, "failover"},
		{OtherAccount, OtherIP, "", "failover"},
	} {
		ip := mustDo[map[string]any](t, e, tc.nic, "GET", ipPath(tc.block), nil)
		if ip["type"] != tc.typ || ip["isAdditionalIp"] != true {
			t.Errorf("%s: type %v, isAdditionalIp %v", tc.block, ip["type"], ip["isAdditionalIp"])
		}
		if r := routedOf(t, e, tc.nic, tc.block); r != tc.routed {
			t.Errorf("%s routed to %q, want %q", tc.block, r, tc.routed)
		}
	}
	if p, ok := ipBlockOf(DemoIPBlock); !ok || p.Bits() != 29 {
		t.Errorf("DemoIPBlock %s is not a /29", DemoIPBlock)
	}
	// DemoIPParked can move to DemoLB.
	dests := mustDo[struct {
		IPLoadbalancing []struct {
			Service string `json:"service"`
		} `json:"ipLoadbalancing"`
	}](t, e, DemoAccount, "GET", ipPath(DemoIPParked, "/move"), nil)
	if !slices.ContainsFunc(dests.IPLoadbalancing, func(d struct {
		Service string `json:"service"`
	}) bool {
		return d.Service == DemoLB
	}) {
		t.Errorf("DemoIPParked's destinations %v lack DemoLB", dests)
	}

	for _, tc := range []struct {
		nic, sn, name string
		zones         []string
		vrack         any
	}{
		{DemoAccount, DemoLB, "prod-web", []string{"gra", "rbx"}, DemoVrack},
		{DemoAccount, DemoLB2, "staging", []string{"gra", "sbg"}, nil},
		{OtherAccount, OtherLB, "shop", []string{"bhs"}, nil},
	} {
		lb := mustDo[map[string]any](t, e, tc.nic, "GET", lbPath(tc.sn), nil)
		zones := mustDo[[]string](t, e, tc.nic, "GET", lbPath(tc.sn, "/zone"), nil)
		if lb["displayName"] != tc.name || lb["vrackName"] != tc.vrack || lb["state"] != "ok" || !slices.Equal(zones, tc.zones) {
			t.Errorf("%s: %v, zones %v", tc.sn, lb, zones)
		}
		// Its own address is listed in /ip as type loadBalancing.
		own := mustDo[[]string](t, e, tc.nic, "GET", "/ip?type=loadBalancing&routedTo.serviceName="+tc.sn, nil)
		if len(own) != 1 || own[0] != lb["ipLoadbalancing"].(string)+"/32" {
			t.Errorf("%s: own address %v in /ip, want [%v/32]", tc.sn, own, lb["ipLoadbalancing"])
		}
	}

	// Pending changes on both demo IPLBs, none on OtherLB.
	if diff := cmp.Diff([]pendingOut{{"gra", 1}, {"sbg", 1}}, pendingOf(t, e, DemoLB2)); diff != "" {
		t.Errorf("DemoLB2 pending (-want +got)\n%s", diff)
	}
	if p := mustDo[[]pendingOut](t, e, OtherAccount, "GET", lbPath(OtherLB, "/pendingChanges"), nil); len(p) != 0 {
		t.Errorf("OtherLB pending = %v", p)
	}
	// Task history on every IPLB: an installation, and on the demo ones an
	// older applied refresh.
	for _, tc := range []struct {
		nic, sn string
		want    []string
	}{
		{DemoAccount, DemoLB, []string{"installIplb", "refreshIplb"}},
		{DemoAccount, DemoLB2, []string{"installIplb", "refreshIplb"}},
		{OtherAccount, OtherLB, []string{"installIplb"}},
	} {
		var got []string
		for _, id := range mustDo[[]int64](t, e, tc.nic, "GET", lbPath(tc.sn, "/task?status=done"), nil) {
			got = append(got, mustDo[lbTaskOut](t, e, tc.nic, "GET", lbPath(tc.sn, "/task/", itoa(id)), nil).Action)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s history (-want +got)\n%s", tc.sn, diff)
		}
	}
}

// TestSeedIsolation: each account sees only its own services.
func TestSeedIsolation(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	other := mustDo[[]string](t, e, OtherAccount, "GET", "/ip", nil)
	for _, b := range demoBlocks {
		if slices.Contains(other, b) {
			t.Errorf("OtherAccount sees %s", b)
		}
	}
	demo := mustDo[[]string](t, e, DemoAccount, "GET", "/ip", nil)
	if slices.Contains(demo, OtherIP) {
		t.Error("DemoAccount sees OtherIP")
	}
	// OtherLB cannot receive DemoAccount's IPs, nor the reverse.
	status, b := doAs(t, e, OtherAccount, "POST", ipPath(OtherIP, "/move"), map[string]any{"to": DemoLB})
	wantErr(t, status, b, 400, "Client::BadRequest", "Destination service "+DemoLB+" does not exist")
}

// TestEmptySeed: accounts only, and every service route still answers.
func TestEmptySeed(t *testing.T) {
	t.Parallel()
	e := New(WithEmptySeed())
	for _, nic := range []string{DemoAccount, OtherAccount} {
		for _, path := range []string{"/ip", "/ipLoadbalancing", "/ip?type=failover"} {
			if got := mustDo[[]string](t, e, nic, "GET", path, nil); len(got) != 0 {
				t.Errorf("%s GET %s = %v, want []", nic, path, got)
			}
		}
	}
	status, b := doAs(t, e, DemoAccount, "GET", lbPath(DemoLB), nil)
	wantErr(t, status, b, 404, "Client::NotFound", "The requested object (serviceName = "+DemoLB+") does not exist")
	status, b = doAs(t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB})
	wantErr(t, status, b, 404, "Client::NotFound", "The requested object (ip = "+DemoIPParked+") does not exist")
	e.Step()
	e.Settle()

	// Services added by a test behave as seeded ones.
	const sn = "loadbalancer-2222222222222222"
	e.mu.Lock()
	e.world.addLB(&loadBalancer{serviceName: sn, owner: DemoAccount, ipv4: "198.51.100.40", zones: []string{"rbx"}})
	e.world.addIP(&ipEntry{typ: ipTypeFailover, owner: DemoAccount, additional: true}, "203.0.113.99/32")
	e.mu.Unlock()
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath("203.0.113.99/32", "/move"), map[string]any{"to": sn})
	e.Settle()
	if diff := cmp.Diff([]string{"203.0.113.99/32"}, mustDo[[]string](t, e, DemoAccount, "GET", lbPath(sn, "/failover"), nil)); diff != "" {
		t.Errorf("failover (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"rbx", 1}}, pendingOf(t, e, sn)); diff != "" {
		t.Errorf("pending (-want +got)\n%s", diff)
	}
	// An IP with no campus, country or region has nulls there.
	ip := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath("203.0.113.99/32"), nil)
	if ip["campus"] != nil || ip["country"] != nil || ip["regions"] != nil {
		t.Errorf("bare IP: %v", ip)
	}
}

// TestSeedDeterministic: two emulators on the same clock have the same
// services, ids and dates.
func TestSeedDeterministic(t *testing.T) {
	t.Parallel()
	a, _ := newDemo(t)
	b, _ := newDemo(t)
	for _, path := range []string{"/ip", lbPath(DemoLB), lbPath(DemoLB, "/task"), ipPath(DemoIPPinned), ipPath(DemoIPPinned, "/task")} {
		_, x := doAs(t, a, DemoAccount, "GET", path, nil)
		_, y := doAs(t, b, DemoAccount, "GET", path, nil)
		if string(x) != string(y) {
			t.Errorf("GET %s differs:\n%s\n%s", path, x, y)
		}
	}
}
