package ovh

import (
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// TestRouteAndRuleCRUD round-trips a route and a rule for HTTP and TCP.
func TestRouteAndRuleCRUD(t *testing.T) {
	t.Parallel()
	for _, proto := range []Protocol{HTTP, TCP} {
		t.Run(string(proto), func(t *testing.T) {
			t.Parallel()
			_, c := newEmu(t)
			ctx := testCtx(t)
			sn := ovhemu.DemoLB2
			farm, err := c.CreateFarm(ctx, sn, proto, FarmCreate{Zone: "all", Port: ptr[int64](80)})
			if err != nil {
				t.Fatal(err)
			}
			fe, err := c.CreateFrontend(ctx, sn, proto, FrontendCreate{Port: "8090", Zone: "all"})
			if err != nil {
				t.Fatal(err)
			}
			in := RouteCreate{FrontendID: &fe.ID, DisplayName: ptr("to farm"), Weight: ptr[int64](7),
				Action: RouteAction{Type: RouteFarm, Target: ptr(itoa(farm.ID))}}
			route, err := c.CreateRoute(ctx, sn, proto, in)
			if err != nil {
				t.Fatal(err)
			}
			if route.ID == 0 || route.Protocol != proto || deref(route.FrontendID) != fe.ID || route.Weight != 7 ||
				route.Action.Type != RouteFarm || deref(route.Action.Target) != itoa(farm.ID) || route.Status == "" {
				t.Errorf("CreateRoute = %+v", route)
			}

			field, match := "uri", MatchStartsWith
			if proto == TCP {
				field, match = "source", MatchIn
			}
			pattern := "/api/"
			if proto == TCP {
				pattern = "198.51.100.0/24"
			}
			rule, err := c.CreateRule(ctx, sn, proto, route.ID, RuleCreate{Field: field, Match: match, Pattern: &pattern, DisplayName: ptr("r")})
			if err != nil {
				t.Fatal(err)
			}
			if rule.ID == 0 || rule.Field != field || rule.Match != match || deref(rule.Pattern) != pattern || rule.Negate {
				t.Errorf("CreateRule = %+v", rule)
			}
			if err := c.UpdateRule(ctx, sn, proto, route.ID, rule.ID, RuleUpdate{Negate: ptr(true), DisplayName: Set("negated")}); err != nil {
				t.Fatal(err)
			}
			gotRule, err := c.Rule(ctx, sn, proto, route.ID, rule.ID)
			if err != nil || !gotRule.Negate || deref(gotRule.DisplayName) != "negated" || gotRule.Field != field {
				t.Errorf("Rule after update = %+v, %v", gotRule, err)
			}
			rules, err := c.Rules(ctx, sn, proto, route.ID)
			if err != nil || len(rules) != 1 || rules[0].ID != rule.ID {
				t.Errorf("Rules = %+v, %v", rules, err)
			}
			gotRoute, err := c.Route(ctx, sn, proto, route.ID)
			if err != nil || len(gotRoute.Rules) != 1 || gotRoute.Rules[0].ID != rule.ID {
				t.Errorf("Route.Rules = %+v, %v; want the embedded rule", gotRoute.Rules, err)
			}

			if err := c.UpdateRoute(ctx, sn, proto, route.ID, RouteUpdate{Weight: ptr[int64](3), FrontendID: Clear[int64]()}); err != nil {
				t.Fatal(err)
			}
			gotRoute, err = c.Route(ctx, sn, proto, route.ID)
			if err != nil || gotRoute.Weight != 3 || gotRoute.FrontendID != nil || gotRoute.Action.Type != RouteFarm {
				t.Errorf("Route after update = %+v, %v", gotRoute, err)
			}
			routes, err := c.Routes(ctx, sn, proto)
			if err != nil || !slices.ContainsFunc(routes, func(r Route) bool { return r.ID == route.ID }) {
				t.Errorf("Routes = %+v, %v", routes, err)
			}

			if err := c.DeleteRule(ctx, sn, proto, route.ID, rule.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Rule(ctx, sn, proto, route.ID, rule.ID); KindOf(err) != KindNotFound {
				t.Errorf("Rule after delete = %v", err)
			}
			if err := c.DeleteRoute(ctx, sn, proto, route.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Route(ctx, sn, proto, route.ID); KindOf(err) != KindNotFound {
				t.Errorf("Route after delete = %v", err)
			}
		})
	}
}

// TestSeededRoutes reads DemoLB's HTTP routes: a farm route and a redirect
// with a status.
func TestSeededRoutes(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	routes, err := c.Routes(testCtx(t), ovhemu.DemoLB, HTTP)
	if err != nil {
		t.Fatal(err)
	}
	var redirect *Route
	for i, r := range routes {
		if r.Action.Type == RouteRedirect {
			redirect = &routes[i]
		}
		if len(r.Rules) == 0 {
			t.Errorf("route %d has no rules", r.ID)
		}
	}
	if redirect == nil || deref(redirect.Action.Status) != 301 || deref(redirect.Action.Target) == "" {
		t.Errorf("redirect route = %+v", redirect)
	}
}

func TestRedirectRouteIsHTTPOnly(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	_, err := c.CreateRoute(testCtx(t), ovhemu.DemoLB2, TCP, RouteCreate{Action: RouteAction{Type: RouteRedirect, Target: ptr("https://x")}})
	if KindOf(err) != KindInvalid || MessageOf(err) == "" {
		t.Errorf("TCP redirect route = %v, want KindInvalid", err)
	}
}
