package ovh

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestFetchRouteOptions(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	tests := []struct {
		proto       Protocol
		wantActions []string
		wantFields  []string
	}{
		// REFERENCE §9.1 [D]: redirect is HTTP only.
		{HTTP, []string{"farm", "redirect", "reject"}, []string{"source", "protocol", "method", "host", "uri", "param", "header", "cookie"}},
		{TCP, []string{"farm", "reject"}, []string{"source", "sni"}},
	}
	for _, tt := range tests {
		emu.ResetCalls()
		o, err := c.FetchRouteOptions(ctx, ovhemu.DemoLB, tt.proto)
		if err != nil {
			t.Fatalf("%s: %v", tt.proto, err)
		}
		var actions, fields []string
		for _, a := range o.Actions {
			actions = append(actions, a.Name)
			if a.Type != tt.proto {
				t.Errorf("%s: action %s is of protocol %s", tt.proto, a.Name, a.Type)
			}
		}
		for _, r := range o.Rules {
			fields = append(fields, r.Name)
		}
		if diff := cmp.Diff(tt.wantActions, actions); diff != "" {
			t.Errorf("%s actions (-want +got):\n%s", tt.proto, diff)
		}
		if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
			t.Errorf("%s rule fields (-want +got):\n%s", tt.proto, diff)
		}
		if got := emu.Calls("GET", "/ipLoadbalancing/{serviceName}/availableRouteActions") +
			emu.Calls("GET", "/ipLoadbalancing/{serviceName}/availableRouteRules"); got != 2 {
			t.Errorf("%s: %d calls, want 2", tt.proto, got)
		}
	}

	o, err := c.FetchRouteOptions(ctx, ovhemu.DemoLB, HTTP)
	if err != nil {
		t.Fatal(err)
	}
	redirect, ok := o.Action(RouteRedirect)
	if !ok || !slices.Equal(redirect.Status, []int64{301, 302, 303, 307, 308}) {
		t.Errorf("redirect = %+v, %v; want the statuses of REFERENCE §9.1", redirect, ok)
	}
	header, ok := o.Rule("header")
	if !ok || !header.HasSubField || !slices.Contains(header.Matches, MatchContains) {
		t.Errorf("header rule = %+v, %v; want a sub-field and contains", header, ok)
	}
	method, ok := o.Rule("method")
	if !ok || method.Pattern != "enum" || !slices.Contains(method.Enum, "GET") {
		t.Errorf("method rule = %+v, %v; want an enum with GET", method, ok)
	}
	if _, ok := o.Rule("sni"); ok {
		t.Error("HTTP options hold the TCP field sni")
	}

	if _, err := c.FetchRouteOptions(ctx, ovhemu.OtherLB, HTTP); KindOf(err) != KindNotFound {
		t.Errorf("another account's IPLB: err = %v, want not found", err)
	}
}

func TestCompareRouteOrder(t *testing.T) {
	t.Parallel()
	routes := []Route{
		{ID: 1, Weight: 5, Action: RouteAction{Type: RouteFarm}},
		{ID: 2, Weight: 1, Action: RouteAction{Type: RouteFarm}},
		{ID: 3, Weight: 200, Action: RouteAction{Type: RouteReject}},
		{ID: 4, Weight: 5, Action: RouteAction{Type: RouteFarm}},
		{ID: 5, Weight: 7, Action: RouteAction{Type: RouteRedirect}},
		{ID: 6, Weight: 0, Action: RouteAction{Type: RouteFarm}},
	}
	slices.SortFunc(routes, CompareRouteOrder)
	var got []int64
	for _, r := range routes {
		got = append(got, r.ID)
	}
	// REFERENCE §9.2: reject and redirect first (by weight), then farm
	// routes by weight, equal weights in creation order.
	if want := []int64{5, 3, 6, 2, 1, 4}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestRouteValidity(t *testing.T) {
	t.Parallel()
	farms := []Farm{
		{Protocol: HTTP, ID: 10, Zone: "gra"},
		{Protocol: TCP, ID: 20, Zone: "gra"},
	}
	rule := []Rule{{ID: 1, Field: "host", Match: MatchIs, Pattern: ptr("example.com")}}
	fid := ptr[int64](7)
	tests := []struct {
		name   string
		route  Route
		ok     bool
		reason string
	}{
		{"farm route with a rule", Route{Protocol: HTTP, ID: 1, FrontendID: fid, Rules: rule, Action: RouteAction{Type: RouteFarm, Target: ptr("10")}}, true, ""},
		{"redirect with a rule", Route{Protocol: HTTP, ID: 2, FrontendID: fid, Rules: rule, Action: RouteAction{Type: RouteRedirect, Target: ptr("https://${host}"), Status: ptr[int64](301)}}, true, ""},
		{"reject with a rule", Route{Protocol: TCP, ID: 3, FrontendID: fid, Rules: rule, Action: RouteAction{Type: RouteReject}}, true, ""},
		{"no frontend", Route{Protocol: HTTP, ID: 4, Rules: rule, Action: RouteAction{Type: RouteReject}}, false, "is attached to no frontend"},
		{"no rule", Route{Protocol: HTTP, ID: 5, FrontendID: fid, Action: RouteAction{Type: RouteFarm, Target: ptr("10")}}, false, "has no rule"},
		{"farm of the other protocol", Route{Protocol: HTTP, ID: 6, FrontendID: fid, Rules: rule, Action: RouteAction{Type: RouteFarm, Target: ptr("20")}}, false, "sends to farm 20, which is not an existing HTTP farm"},
		{"redirect to nowhere", Route{Protocol: HTTP, ID: 7, FrontendID: fid, Rules: rule, Action: RouteAction{Type: RouteRedirect}}, false, "redirects to no location"},
	}
	for _, tt := range tests {
		ok, reason := RouteValidity(tt.route, farms)
		if ok != tt.ok || reason != tt.reason {
			t.Errorf("%s: RouteValidity = %v, %q; want %v, %q", tt.name, ok, reason, tt.ok, tt.reason)
		}
		// The badge and the frontend's verdict agree: a frontend with no
		// default farm and only this route is valid exactly when the
		// route is.
		if tt.route.FrontendID == nil {
			continue
		}
		f := Frontend{Protocol: tt.route.Protocol, ID: *tt.route.FrontendID, Zone: "gra"}
		if fok, freason := FrontendValidity(f, farms, []Route{tt.route}); fok != ok {
			t.Errorf("%s: FrontendValidity = %v (%s), RouteValidity = %v", tt.name, fok, freason, ok)
		}
	}
}
