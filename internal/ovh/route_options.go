package ovh

import (
	"cmp"
	"context"
	"slices"

	"golang.org/x/sync/errgroup"
)

// This file holds what the route pages need besides the routes themselves:
// the live lists of route actions and rule fields (REFERENCE §9.1 [S]), the
// evaluation order of routes (§9.2 [D]) and whether a route makes its
// frontend valid for a refresh (§9.3, the rule of FrontendValidity).

// RouteAvailableAction is one action a route may take
// (ipLoadbalancing.RouteAvailableAction).
type RouteAvailableAction struct {
	// Name is the action type, e.g. "farm", "redirect", "reject".
	Name string `json:"name"`
	// Type is the protocol the action exists for, "http" or "tcp".
	Type Protocol `json:"type"`
	// Destination is what the target names ("farm", a URL…), nil when the
	// action has no target.
	Destination *string `json:"destination"`
	// Status lists the HTTP statuses the action may answer with, nil when
	// it has none (a farm action, every TCP action).
	Status []int64 `json:"status"`
}

// RouteAvailableRule is one field a rule may test
// (ipLoadbalancing.RouteAvailableRule).
type RouteAvailableRule struct {
	// Name is the field, e.g. "host", "header".
	Name string `json:"name"`
	// Type is the protocol the field exists for, "http" or "tcp".
	Type Protocol `json:"type"`
	// HasSubField is true when a rule on the field needs a subField (a
	// header or cookie name).
	HasSubField bool `json:"hasSubField"`
	// Matches are the match operators the field accepts.
	Matches []RuleMatch `json:"matches"`
	// Pattern is the kind of pattern the field expects, e.g. "string",
	// "enum", "cidr".
	Pattern string `json:"pattern"`
	// Enum lists the values a pattern may take when Pattern is "enum".
	Enum []string `json:"enum"`
}

// AvailableRouteActions returns the actions routes of the IPLB may take, of
// every protocol (GET /ipLoadbalancing/{sn}/availableRouteActions).
func (c *Client) AvailableRouteActions(ctx context.Context, sn string) ([]RouteAvailableAction, error) {
	var out []RouteAvailableAction
	err := c.get(ctx, "ovh.AvailableRouteActions", pathf("ipLoadbalancing", sn, "availableRouteActions"), &out)
	return out, err
}

// AvailableRouteRules returns the fields rules of the IPLB's routes may
// test, of every protocol (GET /ipLoadbalancing/{sn}/availableRouteRules).
func (c *Client) AvailableRouteRules(ctx context.Context, sn string) ([]RouteAvailableRule, error) {
	var out []RouteAvailableRule
	err := c.get(ctx, "ovh.AvailableRouteRules", pathf("ipLoadbalancing", sn, "availableRouteRules"), &out)
	return out, err
}

// RouteOptions are the choices of the route and rule forms of one protocol:
// the available actions and rule fields of that protocol.
type RouteOptions struct {
	Actions []RouteAvailableAction
	Rules   []RouteAvailableRule
}

// Action returns the available action name, and false if there is none.
func (o RouteOptions) Action(name RouteActionType) (RouteAvailableAction, bool) {
	i := slices.IndexFunc(o.Actions, func(a RouteAvailableAction) bool { return a.Name == string(name) })
	if i < 0 {
		return RouteAvailableAction{}, false
	}
	return o.Actions[i], true
}

// Rule returns the available rule field name, and false if there is none.
func (o RouteOptions) Rule(name string) (RouteAvailableRule, bool) {
	i := slices.IndexFunc(o.Rules, func(r RouteAvailableRule) bool { return r.Name == name })
	if i < 0 {
		return RouteAvailableRule{}, false
	}
	return o.Rules[i], true
}

// FetchRouteOptions returns the actions and rule fields of protocol p,
// fetched concurrently (one round trip).
func (c *Client) FetchRouteOptions(ctx context.Context, sn string, p Protocol) (RouteOptions, error) {
	var actions []RouteAvailableAction
	var rules []RouteAvailableRule
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { actions, err = c.AvailableRouteActions(gctx, sn); return })
	g.Go(func() (err error) { rules, err = c.AvailableRouteRules(gctx, sn); return })
	if err := g.Wait(); err != nil {
		return RouteOptions{}, preferCallerErr(ctx, err)
	}
	return RouteOptionsFor(p, actions, rules), nil
}

// RouteOptionsFor keeps the actions and rule fields of protocol p.
func RouteOptionsFor(p Protocol, actions []RouteAvailableAction, rules []RouteAvailableRule) RouteOptions {
	var o RouteOptions
	for _, a := range actions {
		if a.Type == p {
			o.Actions = append(o.Actions, a)
		}
	}
	for _, r := range rules {
		if r.Type == p {
			o.Rules = append(o.Rules, r)
		}
	}
	return o
}

// RouteCategory is the evaluation group of an action: REFERENCE §9.2 [D],
// "reject and rewrite routes come first, then farm routes". 0 for reject
// and redirect (rewrite), 1 for farm and anything unknown.
func RouteCategory(t RouteActionType) int {
	if t == RouteReject || t == RouteRedirect {
		return 0
	}
	return 1
}

// CompareRouteOrder orders routes as the load balancer evaluates them
// (REFERENCE §9.2 [D]): reject and redirect routes before farm routes,
// then by ascending weight, then in creation order (ascending id, [INF]:
// ids grow over time).
func CompareRouteOrder(a, b Route) int {
	return cmp.Or(
		cmp.Compare(RouteCategory(a.Action.Type), RouteCategory(b.Action.Type)),
		cmp.Compare(a.Weight, b.Weight),
		cmp.Compare(a.ID, b.ID),
	)
}

// RouteValidity says whether route r makes its frontend valid for a
// refresh (REFERENCE §9.3 (c) [INF], the rule FrontendValidity applies): it
// is attached to a frontend, has at least one rule and a well-formed
// action. farms are the IPLB's, of any protocol (Protocol set). reason is
// "" when ok, otherwise a sentence fragment after the route's name, e.g.
// "has no rule".
func RouteValidity(r Route, farms []Farm) (ok bool, reason string) {
	farmOf := func(id int64) (Farm, bool) {
		for _, fa := range farms {
			if fa.ID == id && fa.Protocol == r.Protocol {
				return fa, true
			}
		}
		return Farm{}, false
	}
	// The same checks, in the same order, as FrontendValidity's (c), so
	// that the badge on a route and the frontend's verdict agree.
	switch {
	case r.FrontendID == nil:
		return false, "is attached to no frontend"
	case len(r.Rules) == 0:
		return false, "has no rule"
	}
	if why := routeActionProblem(r, farmOf); why != "" {
		return false, why
	}
	return true, ""
}
