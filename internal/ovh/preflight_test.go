package ovh

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestFrontendValidity(t *testing.T) {
	t.Parallel()
	farms := []Farm{
		{Protocol: HTTP, ID: 1, Zone: "all", DisplayName: ptr("web")},
		{Protocol: HTTP, ID: 2, Zone: "gra"},
		{Protocol: TCP, ID: 3, Zone: "gra"},
	}
	rules := []Rule{{ID: 9}}
	route := func(p Protocol, front int64, a RouteAction, rules []Rule) Route {
		return Route{Protocol: p, ID: 50, FrontendID: &front, DisplayName: ptr("r"), Action: a, Rules: rules}
	}
	toFarm := func(id string) RouteAction { return RouteAction{Type: RouteFarm, Target: &id} }
	tests := []struct {
		name       string
		f          Frontend
		routes     []Route
		wantOK     bool
		wantReason string // substring
	}{
		{name: "default farm", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", DefaultFarmID: ptr[int64](1)}, wantOK: true},
		{name: "default farm same zone", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", DefaultFarmID: ptr[int64](2)}, wantOK: true},
		{name: "frontend in all zones, farm in one", f: Frontend{Protocol: HTTP, ID: 10, Zone: "all", DefaultFarmID: ptr[int64](2)}, wantOK: true},
		{name: "default farm of another zone", f: Frontend{Protocol: HTTP, ID: 10, Zone: "rbx", DefaultFarmID: ptr[int64](2)},
			wantReason: "its default farm #2 is in zone gra, which cannot serve zone rbx"},
		{name: "default farm of another protocol", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", DefaultFarmID: ptr[int64](3)},
			wantReason: "its default farm 3 is not an existing HTTP farm"},
		{name: "missing default farm", f: Frontend{Protocol: TCP, ID: 10, Zone: "gra", DefaultFarmID: ptr[int64](99)},
			wantReason: "has no default farm or route with rules (its default farm 99 is not an existing TCP farm)"},
		{name: "redirect", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", RedirectLocation: ptr("https://example.com")}, wantOK: true},
		{name: "empty redirect", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", RedirectLocation: ptr("")},
			wantReason: "has no default farm, redirection or route with rules"},
		{name: "disabled and empty is still invalid", f: Frontend{Protocol: HTTP, ID: 10, Zone: "sbg", Disabled: true, DisplayName: ptr("legacy-api")},
			wantReason: "has no default farm, redirection or route with rules"},
		{name: "route to a farm with rules", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, toFarm("1"), rules)}, wantOK: true},
		{name: "reject route with rules", f: Frontend{Protocol: TCP, ID: 10, Zone: "gra"},
			routes: []Route{route(TCP, 10, RouteAction{Type: RouteReject}, rules)}, wantOK: true},
		{name: "redirect route with rules", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, RouteAction{Type: RouteRedirect, Target: ptr("https://${host}")}, rules)}, wantOK: true},
		{name: "route without rules", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, toFarm("1"), nil)}, wantReason: `route "r" has no rule`},
		{name: "route to a missing farm", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, toFarm("3"), rules)}, wantReason: `route "r" sends to farm 3, which is not an existing HTTP farm`},
		{name: "route to a non-numeric farm", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, toFarm("web"), rules)}, wantReason: `not a farm id`},
		{name: "redirect route without target", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, RouteAction{Type: RouteRedirect}, rules)}, wantReason: "redirects to no location"},
		{name: "route of another frontend", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 11, toFarm("1"), rules)}, wantReason: "has no default farm, redirection or route with rules"},
		{name: "route of another protocol", f: Frontend{Protocol: TCP, ID: 10, Zone: "gra"},
			routes: []Route{route(HTTP, 10, toFarm("1"), rules)}, wantReason: "has no default farm or route with rules"},
		{name: "UDP without default farm", f: Frontend{Protocol: UDP, ID: 10, Zone: "gra"}, wantReason: "has no default farm"},
		{name: "a valid route makes up for a bad default farm", f: Frontend{Protocol: HTTP, ID: 10, Zone: "gra", DefaultFarmID: ptr[int64](99)},
			routes: []Route{route(HTTP, 10, toFarm("1"), rules)}, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, reason := FrontendValidity(tt.f, farms, tt.routes)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v (%q), want %v", ok, reason, tt.wantOK)
			}
			if ok && reason != "" {
				t.Errorf("valid with reason %q", reason)
			}
			if !ok && !strings.Contains(reason, tt.wantReason) {
				t.Errorf("reason = %q, want it to contain %q", reason, tt.wantReason)
			}
		})
	}
}

// validInput is a configuration that passes every check: an IPLB in a
// vRack with a network, one frontend with a default farm in the network.
func validInput() PreflightInput {
	net := int64(7)
	return PreflightInput{
		LoadBalancer: LoadBalancer{ServiceName: "lb", VRackName: ptr("pn-1")},
		VRack:        VRackInformation{State: VRackActive, VRackName: ptr("pn-1")},
		Networks:     []VRackNetwork{{ID: net, VLAN: 42}},
		Frontends:    []Frontend{{Protocol: HTTP, ID: 10, Zone: "all", DefaultFarmID: ptr[int64](1), DisplayName: ptr("www")}},
		Farms:        []Farm{{Protocol: HTTP, ID: 1, Zone: "all", VRackNetworkID: &net}},
	}
}

func TestCheckPreflight(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(in *PreflightInput)
		// wantFail maps each failing check to substrings of its problems'
		// reasons, in order; the other checks must pass.
		wantFail map[CheckID][]string
		// wantKinds are the kinds of the problems of the failing checks.
		wantKinds map[CheckID][]ObjectKind
	}{
		{name: "all good", change: func(*PreflightInput) {}},
		{name: "not in a vRack, no farm in one", change: func(in *PreflightInput) {
			in.VRack = VRackInformation{State: VRackInactive}
			in.LoadBalancer.VRackName = nil
			in.Networks = nil
			in.Farms[0].VRackNetworkID = nil
		}},
		{name: "farm outside the vRack", change: func(in *PreflightInput) {
			in.Farms = append(in.Farms, Farm{Protocol: TCP, ID: 2, Zone: "gra", DisplayName: ptr("pg")})
		}, wantFail: map[CheckID][]string{CheckVRack: {`TCP farm "pg" is not in a vRack network while the Load Balancer is in vRack pn-1`}},
			wantKinds: map[CheckID][]ObjectKind{CheckVRack: {ObjectFarm}}},
		{name: "vRack without network", change: func(in *PreflightInput) {
			in.Networks = nil
		}, wantFail: map[CheckID][]string{CheckVRack: {"is in vRack pn-1 but has no vRack network"}},
			wantKinds: map[CheckID][]ObjectKind{CheckVRack: {ObjectVRackNetwork}}},
		{name: "farm in a vRack network, IPLB not in a vRack", change: func(in *PreflightInput) {
			in.VRack = VRackInformation{State: VRackInactive}
			in.LoadBalancer.VRackName = nil
		}, wantFail: map[CheckID][]string{CheckVRack: {`HTTP farm "#1" is in vRack network 7 while the Load Balancer is not in a vRack`}},
			wantKinds: map[CheckID][]ObjectKind{CheckVRack: {ObjectFarm}}},
		{name: "vRack status not fetched: the IPLB's vrackName counts", change: func(in *PreflightInput) {
			in.VRack = VRackInformation{}
			in.Networks = nil
		}, wantFail: map[CheckID][]string{CheckVRack: {"is in vRack pn-1 but has no vRack network"}}},
		{name: "no frontend", change: func(in *PreflightInput) {
			in.Frontends = nil
		}, wantFail: map[CheckID][]string{CheckFrontends: {"No frontend is defined"}},
			wantKinds: map[CheckID][]ObjectKind{CheckFrontends: {ObjectFrontend}}},
		{name: "invalid frontends, in protocol then id order", change: func(in *PreflightInput) {
			in.Frontends = append(in.Frontends,
				Frontend{Protocol: UDP, ID: 3, Zone: "gra", DisplayName: ptr("dns")},
				Frontend{Protocol: HTTP, ID: 20, Zone: "sbg", Disabled: true, DisplayName: ptr("legacy-api")})
		}, wantFail: map[CheckID][]string{CheckValid: {`HTTP frontend "legacy-api" has no default farm, redirection or route with rules`, `UDP frontend "dns" has no default farm`}},
			wantKinds: map[CheckID][]ObjectKind{CheckValid: {ObjectFrontend, ObjectFrontend}}},
		{name: "refresh running", change: func(in *PreflightInput) {
			in.Running = []Task{{ID: 99, Action: TaskRefresh, Status: TaskDoing, Progress: 50, Zones: []string{"gra", "rbx"}}}
		}, wantFail: map[CheckID][]string{CheckNoRefresh: {"Refresh task 99 is doing (50%) in zones gra, rbx"}},
			wantKinds: map[CheckID][]ObjectKind{CheckNoRefresh: {ObjectTask}}},
		{name: "everything wrong at once", change: func(in *PreflightInput) {
			in.Networks = nil
			in.Frontends = nil
			in.Running = []Task{{ID: 5, Status: TaskTodo}}
		}, wantFail: map[CheckID][]string{CheckVRack: {"no vRack network"}, CheckFrontends: {"No frontend"}, CheckNoRefresh: {"Refresh task 5 is todo"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validInput()
			tt.change(&in)
			p := CheckPreflight(in)
			var ids []CheckID
			for _, c := range p.Checks {
				ids = append(ids, c.ID)
				if c.Title == "" || c.Detail == "" {
					t.Errorf("check %s lacks a title or detail: %+v", c.ID, c)
				}
				want, fails := tt.wantFail[c.ID]
				if c.OK == fails {
					t.Errorf("check %s OK = %v, want %v (%+v)", c.ID, c.OK, !fails, c.Problems)
					continue
				}
				if c.OK && len(c.Problems) > 0 {
					t.Errorf("check %s passes with problems %+v", c.ID, c.Problems)
				}
				if len(c.Problems) != len(want) {
					t.Errorf("check %s problems = %+v, want %d", c.ID, c.Problems, len(want))
					continue
				}
				for i, w := range want {
					if !strings.Contains(c.Problems[i].Reason, w) {
						t.Errorf("check %s problem %d = %q, want it to contain %q", c.ID, i, c.Problems[i].Reason, w)
					}
					if kinds := tt.wantKinds[c.ID]; kinds != nil && c.Problems[i].Kind != kinds[i] {
						t.Errorf("check %s problem %d kind = %s, want %s", c.ID, i, c.Problems[i].Kind, kinds[i])
					}
				}
			}
			if want := []CheckID{CheckVRack, CheckFrontends, CheckValid, CheckNoRefresh}; !slices.Equal(ids, want) {
				t.Errorf("checks = %v, want %v", ids, want)
			}
			if p.OK() != (len(tt.wantFail) == 0) || len(p.Failed()) != len(tt.wantFail) {
				t.Errorf("OK() = %v, Failed() = %d, want %d failures", p.OK(), len(p.Failed()), len(tt.wantFail))
			}
		})
	}
}

// TestFetchPreflight fetches the seeded IPLBs from the emulator: DemoLB
// passes (its farms are in its vRack network), DemoLB2 fails on its invalid
// frontend "legacy-api", and a running refresh fails the last check.
func TestFetchPreflight(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := context.Background()

	in, err := c.FetchPreflight(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Frontends) != 3 || len(in.Farms) != 4 || len(in.Routes) != 2 || len(in.Networks) != 1 {
		t.Errorf("DemoLB: %d frontends, %d farms, %d routes, %d networks; want 3, 4, 2, 1",
			len(in.Frontends), len(in.Farms), len(in.Routes), len(in.Networks))
	}
	if p := CheckPreflight(in); !p.OK() {
		t.Errorf("DemoLB fails the pre-flight: %+v", p.Failed())
	}

	in2, err := c.FetchPreflight(ctx, ovhemu.DemoLB2)
	if err != nil {
		t.Fatal(err)
	}
	p2 := CheckPreflight(in2)
	failed := p2.Failed()
	if len(failed) != 1 || failed[0].ID != CheckValid || len(failed[0].Problems) != 1 {
		t.Fatalf("DemoLB2 failures = %+v, want only the invalid frontend", failed)
	}
	if pr := failed[0].Problems[0]; pr.Name != "legacy-api" || pr.Protocol != HTTP || pr.Zone != "sbg" ||
		!strings.Contains(pr.Reason, "has no default farm, redirection or route with rules") {
		t.Errorf("DemoLB2 problem = %+v", pr)
	}

	// The emulator agrees: it refuses DemoLB2's refresh, and starts DemoLB's.
	if _, err := c.Refresh(ctx, ovhemu.DemoLB2, ""); KindOf(err) != KindInvalid {
		t.Errorf("refresh of DemoLB2: %v, want KindInvalid", err)
	}
	task, err := c.Refresh(ctx, ovhemu.DemoLB, "")
	if err != nil {
		t.Fatal(err)
	}
	in, err = c.FetchPreflight(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	check, _ := CheckPreflight(in).Check(CheckNoRefresh)
	if check.OK || len(check.Problems) != 1 || check.Problems[0].ID != task.ID {
		t.Errorf("with refresh %d running: %+v", task.ID, check)
	}
	emu.Settle()
	running, err := c.RunningRefreshes(ctx, ovhemu.DemoLB)
	if err != nil || len(running) != 0 {
		t.Errorf("after Settle: running = %+v, %v", running, err)
	}
}

// TestFetchPreflightIsConcurrent checks that the fetch runs its lists at
// the same time: more than one request is in flight at once.
func TestFetchPreflightIsConcurrent(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t)
	ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	counter := &countingTransport{base: http.DefaultTransport}
	c, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, ConsumerKey: ck,
		HTTPClient: &http.Client{Transport: counter}})
	if err != nil {
		t.Fatal(err)
	}
	// Latency on every call makes overlapping requests certain to be seen.
	emu.SetLatency("*", "*", 20*time.Millisecond)
	emu.ResetCalls()
	if _, err := c.FetchPreflight(context.Background(), ovhemu.DemoLB); err != nil {
		t.Fatal(err)
	}
	if counter.maxSeen() < 4 {
		t.Errorf("at most %d requests in flight, want the lists fetched concurrently", counter.maxSeen())
	}
	t.Logf("%d calls, at most %d in flight", emu.Calls("*", "*"), counter.maxSeen())
}
