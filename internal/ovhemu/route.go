package ovhemu

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Routes and rules of HTTP and TCP frontends (REFERENCE §9).

// lbRoute is an HTTP or TCP route. (The name avoids server.go's route, an
// API operation.)
type lbRoute struct {
	ID          int64
	Proto       string
	FrontendID  *int64
	DisplayName *string
	Weight      int64
	Action      routeAction
}

// routeAction is ipLoadbalancing.RouteHttpAction; a TCP action has no status.
type routeAction struct {
	Type   string  `json:"type"`
	Target *string `json:"target"`
	Status *int64  `json:"status"`
}

// routeTCPActionJSON is ipLoadbalancing.RouteTcpAction.
type routeTCPActionJSON struct {
	Target *string `json:"target"`
	Type   string  `json:"type"`
}

// routeRule is ipLoadbalancing.RouteRule.RouteRule, a rule of a route.
type routeRule struct {
	ID          int64
	RouteID     int64
	DisplayName *string
	Field       string
	SubField    *string
	Match       string
	Negate      bool
	Pattern     *string
}

// Limits of REFERENCE §9.2 [D] (the 2018 guide); the status and wording of
// the refusal are [INF].
const (
	maxRoutesPerLB   = 50
	maxRulesPerRoute = 5
	maxRouteWeight   = 255
)

// routeMatchEnum is ipLoadbalancing.RouteRuleMatchesEnum.
var routeMatchEnum = []string{"contains", "endswith", "exists", "in", "internal", "is", "matches", "startswith"}

// routeActionSpec describes one action of availableRouteActions
// (ipLoadbalancing.RouteAvailableAction), and is what actions are checked
// against. REFERENCE §9.1 [D] (create_route guide).
type routeActionSpec struct {
	Destination *string `json:"destination"`
	Name        string  `json:"name"`
	Status      []int64 `json:"status"`
	Type        string  `json:"type"`
}

// routeRuleSpec describes one rule field of availableRouteRules
// (ipLoadbalancing.RouteAvailableRule), and is what rules are checked
// against.
type routeRuleSpec struct {
	Enum        []string `json:"enum"`
	HasSubField bool     `json:"hasSubField"`
	Matches     []string `json:"matches"`
	Name        string   `json:"name"`
	Pattern     string   `json:"pattern"`
	Type        string   `json:"type"`
}

func strp(s string) *string { return &s }

var (
	redirectStatuses   = []int64{301, 302, 303, 307, 308}                          // REFERENCE §9.1 [D]; 302 default
	rejectHTTPStatuses = []int64{200, 400, 403, 405, 408, 429, 500, 502, 503, 504} // REFERENCE §9.1 [D]; 403 default

	routeActions = []routeActionSpec{
		{Destination: strp("farm"), Name: "farm", Type: protoHTTP},
		{Destination: strp("url"), Name: "redirect", Status: redirectStatuses, Type: protoHTTP}, // destination name [INF]
		{Name: "reject", Status: rejectHTTPStatuses, Type: protoHTTP},
		{Destination: strp("farm"), Name: "farm", Type: protoTCP},
		{Name: "reject", Type: protoTCP},
	}

	// Rule fields: HTTP's list is REFERENCE §9.1 [D]; TCP's "sni" comes from
	// terraform's documented example [C] and "source" is [INF]. Which match
	// operators and pattern kinds go with each field is [INF], modelled on
	// HAProxy's ACLs.
	textMatches = []string{"contains", "endswith", "exists", "in", "is", "matches", "startswith"}
	routeRules  = []routeRuleSpec{
		{Name: "source", Matches: []string{"in", "is"}, Pattern: "cidr", Type: protoHTTP},
		{Name: "protocol", Matches: []string{"is"}, Pattern: "enum", Enum: []string{"http", "https"}, Type: protoHTTP},
		{Name: "method", Matches: []string{"in", "is"}, Pattern: "enum", Enum: []string{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}, Type: protoHTTP},
		{Name: "host", Matches: textMatches, Pattern: "string", Type: protoHTTP},
		{Name: "uri", Matches: textMatches, Pattern: "string", Type: protoHTTP},
		{Name: "param", HasSubField: true, Matches: textMatches, Pattern: "string", Type: protoHTTP},
		{Name: "header", HasSubField: true, Matches: textMatches, Pattern: "string", Type: protoHTTP},
		{Name: "cookie", HasSubField: true, Matches: textMatches, Pattern: "string", Type: protoHTTP},
		{Name: "source", Matches: []string{"in", "is"}, Pattern: "cidr", Type: protoTCP},
		{Name: "sni", Matches: textMatches, Pattern: "string", Type: protoTCP},
	}
)

func (e *Emulator) availableRouteActions(c *call) (any, error) {
	if _, _, err := e.configLB(c); err != nil {
		return nil, err
	}
	return routeActions, nil
}

func (e *Emulator) availableRouteRules(c *call) (any, error) {
	if _, _, err := e.configLB(c); err != nil {
		return nil, err
	}
	return routeRules, nil
}

func (r *lbRoute) specs() []fieldSpec {
	return []fieldSpec{
		readOnly("routeId"),
		readOnly("rules"),
		readOnly("status"),
		nullable("displayName", &r.DisplayName),
		nullable("frontendId", &r.FrontendID),
		{name: "weight", set: func(raw json.RawMessage) error {
			if isNull(raw) {
				r.Weight = 0 // the schema: "0 if null"
				return nil
			}
			var n int64
			if err := json.Unmarshal(raw, &n); err != nil {
				return badType("weight", n, raw)
			}
			r.Weight = n
			return nil
		}},
		{name: "action", set: func(raw json.RawMessage) error {
			if isNull(raw) {
				return badRequest("Invalid value for action: null is not allowed")
			}
			// [INF]: an action in a PUT replaces the whole action object.
			var a struct {
				Type   *string `json:"type"`
				Target *string `json:"target"`
				Status *int64  `json:"status"`
			}
			var err error
			if r.Proto == protoHTTP {
				err = strictDecode("action", raw, &a)
			} else {
				var t struct {
					Type   *string `json:"type"`
					Target *string `json:"target"`
				}
				err = strictDecode("action", raw, &t)
				a.Type, a.Target = t.Type, t.Target
			}
			if err != nil {
				return err
			}
			if a.Type == nil {
				return badRequest("Invalid value for action: type is required")
			}
			r.Action = routeAction{Type: *a.Type, Target: a.Target, Status: a.Status}
			return nil
		}},
	}
}

// routeJSON is ipLoadbalancing.RouteHttp.RouteHttp, and with a TCP action
// RouteTcp.RouteTcp.
type routeJSON struct {
	Action      any            `json:"action"`
	DisplayName *string        `json:"displayName"`
	FrontendID  *int64         `json:"frontendId"`
	RouteID     int64          `json:"routeId"`
	Rules       []ruleEmbedded `json:"rules"`
	Status      string         `json:"status"`
	Weight      int64          `json:"weight"`
}

// ruleEmbedded is ipLoadbalancing.RouteRule, the read-only copy of a rule
// inside a route (it has no displayName).
type ruleEmbedded struct {
	Field    string  `json:"field"`
	Match    string  `json:"match"`
	Negate   bool    `json:"negate"`
	Pattern  *string `json:"pattern"`
	RuleID   int64   `json:"ruleId"`
	SubField *string `json:"subField"`
}

// ruleJSON is ipLoadbalancing.RouteRule.RouteRule.
type ruleJSON struct {
	DisplayName *string `json:"displayName"`
	Field       string  `json:"field"`
	Match       string  `json:"match"`
	Negate      bool    `json:"negate"`
	Pattern     *string `json:"pattern"`
	RuleID      int64   `json:"ruleId"`
	SubField    *string `json:"subField"`
}

func (ru *routeRule) view() ruleJSON {
	return ruleJSON{DisplayName: ru.DisplayName, Field: ru.Field, Match: ru.Match, Negate: ru.Negate,
		Pattern: ru.Pattern, RuleID: ru.ID, SubField: ru.SubField}
}

// routeView is r with its rules embedded. Routes are applied at once in the
// emulator, so status is always "ok" (RouteStatusEnum: ready).
func (lb *lbConfig) routeView(r *lbRoute) routeJSON {
	out := routeJSON{DisplayName: r.DisplayName, FrontendID: r.FrontendID, RouteID: r.ID, Status: "ok", Weight: r.Weight,
		Rules: []ruleEmbedded{}}
	if r.Proto == protoHTTP {
		out.Action = r.Action
	} else {
		out.Action = routeTCPActionJSON{Target: r.Action.Target, Type: r.Action.Type}
	}
	for _, id := range sortedIDs(lb.rules, func(ru *routeRule) bool { return ru.RouteID == r.ID }) {
		ru := lb.rules[id]
		out.Rules = append(out.Rules, ruleEmbedded{Field: ru.Field, Match: ru.Match, Negate: ru.Negate,
			Pattern: ru.Pattern, RuleID: ru.ID, SubField: ru.SubField})
	}
	return out
}

func (e *Emulator) registerRouteRoutes(proto string) {
	base := "/ipLoadbalancing/{serviceName}/" + proto + "/route"
	e.handle("GET", base, false, func(c *call) (any, error) { return e.listRoutes(c, proto) })
	e.handle("POST", base, false, func(c *call) (any, error) { return e.createRoute(c, proto) })
	e.handle("GET", base+"/{routeId}", false, func(c *call) (any, error) { return e.getRoute(c, proto) })
	e.handle("PUT", base+"/{routeId}", false, func(c *call) (any, error) { return e.updateRoute(c, proto) })
	e.handle("DELETE", base+"/{routeId}", false, func(c *call) (any, error) { return e.deleteRoute(c, proto) })
	rules := base + "/{routeId}/rule"
	e.handle("GET", rules, false, func(c *call) (any, error) { return e.listRules(c, proto) })
	e.handle("POST", rules, false, func(c *call) (any, error) { return e.createRule(c, proto) })
	e.handle("GET", rules+"/{ruleId}", false, func(c *call) (any, error) { return e.getRule(c, proto) })
	e.handle("PUT", rules+"/{ruleId}", false, func(c *call) (any, error) { return e.updateRule(c, proto) })
	e.handle("DELETE", rules+"/{ruleId}", false, func(c *call) (any, error) { return e.deleteRule(c, proto) })
}

// listRoutes serves GET …/route with its filter frontendId (=).
func (e *Emulator) listRoutes(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	fid, err := queryInt(c, "frontendId")
	if err != nil {
		return nil, err
	}
	return sortedIDs(lb.routes, func(r *lbRoute) bool {
		return r.Proto == proto && (fid == nil || eqPtr(r.FrontendID, fid))
	}), nil
}

// routeAt finds the route {routeId} of proto, or a 404.
func routeAt(c *call, lb *lbConfig, proto string) (*lbRoute, error) {
	return objectAt(c, lb.routes, "routeId", func(r *lbRoute) bool { return r.Proto == proto })
}

func (e *Emulator) getRoute(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return lb.routeView(r), nil
}

// createRoute serves POST …/route: action is required (REFERENCE §9.1).
func (e *Emulator) createRoute(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	r := &lbRoute{Proto: proto}
	if err := applyFields("a "+protoLabel(proto)+" route", in, r.specs(), true); err != nil {
		return nil, err
	}
	if err := in.require("action"); err != nil {
		return nil, err
	}
	if len(lb.routes) >= maxRoutesPerLB {
		return nil, badRequest("A Load Balancer holds at most %d routes", maxRoutesPerLB)
	}
	if err := lb.checkRoute(r); err != nil {
		return nil, err
	}
	e.world.storeRoute(sn, r)
	e.world.bumpPending(sn, lb.routeZone(r))
	return lb.routeView(r), nil
}

// updateRoute serves PUT …/route/{id}, a partial merge (REFERENCE §4 [INF]).
func (e *Emulator) updateRoute(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	old, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	r := *old
	if err := applyFields("a "+protoLabel(proto)+" route", in, r.specs(), false); err != nil {
		return nil, err
	}
	if err := lb.checkRoute(&r); err != nil {
		return nil, err
	}
	prevZone := lb.routeZone(old)
	*old = r
	e.world.bumpZones(sn, prevZone, lb.routeZone(old))
	return nil, nil
}

// deleteRoute serves DELETE …/route/{id}, with its rules.
func (e *Emulator) deleteRoute(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	zone := lb.routeZone(r)
	for id, ru := range lb.rules {
		if ru.RouteID == r.ID {
			delete(lb.rules, id)
		}
	}
	delete(lb.routes, r.ID)
	e.world.bumpPending(sn, zone)
	return nil, nil
}

// routeZone is the zone a change of r is pending in: its frontend's, or
// "all" when it has none (REFERENCE §10.3 [INF]).
func (lb *lbConfig) routeZone(r *lbRoute) string {
	if r.FrontendID != nil {
		if f := lb.frontends[*r.FrontendID]; f != nil {
			return f.Zone
		}
	}
	return zoneAll
}

// storeRoute stores r with a new id (no validation, no pending change).
func (w *world) storeRoute(sn string, r *lbRoute) *lbRoute {
	r.ID = w.nextID()
	w.conf.lb(sn).routes[r.ID] = r
	return r
}

// checkRoute validates a route about to be stored. It may fill the action's
// documented default status.
func (lb *lbConfig) checkRoute(r *lbRoute) error {
	if r.FrontendID != nil {
		if f := lb.frontends[*r.FrontendID]; f == nil || f.Proto != r.Proto {
			return badRequest("Invalid value for frontendId: %d is not a %s frontend of this Load Balancer", *r.FrontendID, protoLabel(r.Proto))
		}
	}
	if err := checkRange("weight", r.Weight, 0, maxRouteWeight); err != nil {
		return err
	}
	// Documented defaults (REFERENCE §9.1 [D]): redirect 302, HTTP reject 403.
	if r.Proto == protoHTTP && r.Action.Status == nil {
		switch r.Action.Type {
		case "redirect":
			r.Action.Status = new(int64(302))
		case "reject":
			r.Action.Status = new(int64(403))
		}
	}
	return lb.checkAction(r.Proto, &r.Action)
}

// checkAction validates an action of a proto route (REFERENCE §9.1 [D]):
// farm → target is the id, as a string, of an existing farm of the same
// protocol; redirect (http) → a non-empty URL target and a redirect status;
// reject → no target, and for http a reject status. Also used by the
// refresh check (§9.3 (c)), so a farm deleted under a route would show.
func (lb *lbConfig) checkAction(proto string, a *routeAction) error {
	var names []string
	for _, s := range routeActions {
		if s.Type == proto {
			names = append(names, s.Name)
		}
	}
	if !slices.Contains(names, a.Type) {
		return badRequest("Invalid value for action.type: %q is not an action of %s routes (%s)", a.Type, protoLabel(proto), strings.Join(names, ", "))
	}
	hasTarget := a.Target != nil && *a.Target != ""
	switch a.Type {
	case "farm":
		if !hasTarget {
			return badRequest("Invalid value for action.target: a farm action needs the farm id as target")
		}
		id, err := strconv.ParseInt(*a.Target, 10, 64)
		if f := lb.farms[id]; err != nil || f == nil || f.Proto != proto {
			return badRequest("Invalid value for action.target: %q is not the id of a %s farm of this Load Balancer", *a.Target, protoLabel(proto))
		}
		if a.Status != nil {
			return badRequest("Invalid value for action.status: a farm action has no status")
		}
	case "redirect":
		if !hasTarget {
			return badRequest("Invalid value for action.target: a redirect action needs a URL as target")
		}
		if a.Status == nil || !slices.Contains(redirectStatuses, *a.Status) {
			return badRequest("Invalid value for action.status: a redirect status is one of %v", redirectStatuses)
		}
	case "reject":
		if hasTarget {
			return badRequest("Invalid value for action.target: a reject action has no target")
		}
		if proto == protoHTTP && (a.Status == nil || !slices.Contains(rejectHTTPStatuses, *a.Status)) {
			return badRequest("Invalid value for action.status: a reject status is one of %v", rejectHTTPStatuses)
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Rules.

func (ru *routeRule) specs() []fieldSpec {
	return []fieldSpec{
		readOnly("ruleId"),
		nullable("displayName", &ru.DisplayName),
		value("field", &ru.Field),
		nullable("subField", &ru.SubField),
		value("match", &ru.Match),
		value("negate", &ru.Negate),
		nullable("pattern", &ru.Pattern),
	}
}

func (e *Emulator) listRules(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return sortedIDs(lb.rules, func(ru *routeRule) bool { return ru.RouteID == r.ID }), nil
}

// ruleAt finds the rule {ruleId} of the route {routeId}, or a 404.
func ruleAt(c *call, lb *lbConfig, proto string) (*lbRoute, *routeRule, error) {
	r, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, nil, err
	}
	ru, err := objectAt(c, lb.rules, "ruleId", func(ru *routeRule) bool { return ru.RouteID == r.ID })
	if err != nil {
		return nil, nil, err
	}
	return r, ru, nil
}

func (e *Emulator) getRule(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	_, ru, err := ruleAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return ru.view(), nil
}

// createRule serves POST …/rule: field and match are required (REFERENCE
// §9.1 [S]); at most 5 rules per route (§9.2 [D]).
func (e *Emulator) createRule(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, err := routeAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	ru := &routeRule{RouteID: r.ID}
	if err := applyFields("a route rule", in, ru.specs(), true); err != nil {
		return nil, err
	}
	if err := in.require("field", "match"); err != nil {
		return nil, err
	}
	if n := len(sortedIDs(lb.rules, func(x *routeRule) bool { return x.RouteID == r.ID })); n >= maxRulesPerRoute {
		return nil, badRequest("%s already has %d rules, the most a route can hold", named("Route", r.ID, r.DisplayName), maxRulesPerRoute)
	}
	if err := checkRule(proto, ru); err != nil {
		return nil, err
	}
	e.world.storeRule(sn, ru)
	e.world.bumpPending(sn, lb.routeZone(r)) // REFERENCE §10.3 [INF]
	return ru.view(), nil
}

func (e *Emulator) updateRule(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, old, err := ruleAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	ru := *old
	if err := applyFields("a route rule", in, ru.specs(), false); err != nil {
		return nil, err
	}
	if err := checkRule(proto, &ru); err != nil {
		return nil, err
	}
	*old = ru
	e.world.bumpPending(sn, lb.routeZone(r))
	return nil, nil
}

func (e *Emulator) deleteRule(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	r, ru, err := ruleAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	delete(lb.rules, ru.ID)
	e.world.bumpPending(sn, lb.routeZone(r))
	return nil, nil
}

// storeRule stores ru with a new id (no validation, no pending change).
func (w *world) storeRule(sn string, ru *routeRule) *routeRule {
	ru.ID = w.nextID()
	w.conf.lb(sn).rules[ru.ID] = ru
	return ru
}

// checkRule validates a rule of a proto route against routeRules: a known
// field, a match operator that field accepts, a subField exactly when the
// field needs one, and a pattern (except for "exists") of the field's kind.
func checkRule(proto string, ru *routeRule) error {
	var spec *routeRuleSpec
	var names []string
	for i := range routeRules {
		if routeRules[i].Type == proto {
			names = append(names, routeRules[i].Name)
			if routeRules[i].Name == ru.Field {
				spec = &routeRules[i]
			}
		}
	}
	if spec == nil {
		return badRequest("Invalid value for field: %q is not a rule field of %s routes (%s)", ru.Field, protoLabel(proto), strings.Join(names, ", "))
	}
	if !slices.Contains(routeMatchEnum, ru.Match) {
		return badEnum("match", ru.Match, routeMatchEnum)
	}
	if !slices.Contains(spec.Matches, ru.Match) {
		return badRequest("Invalid value for match: %q is not available for field %s (%s)", ru.Match, ru.Field, strings.Join(spec.Matches, ", "))
	}
	hasSub := ru.SubField != nil && *ru.SubField != ""
	if spec.HasSubField && !hasSub {
		return badRequest("Invalid value for subField: field %s needs a subField (its name)", ru.Field)
	}
	if !spec.HasSubField && ru.SubField != nil {
		return badRequest("Invalid value for subField: field %s has no subField", ru.Field)
	}
	if ru.Match == "exists" {
		return nil
	}
	if ru.Pattern == nil || *ru.Pattern == "" {
		return badRequest("Invalid value for pattern: match %q needs a pattern", ru.Match)
	}
	values := []string{*ru.Pattern}
	if ru.Match == "in" {
		values = strings.Split(*ru.Pattern, ",")
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		switch spec.Pattern {
		case "enum":
			if !slices.Contains(spec.Enum, v) {
				return badRequest("Invalid value for pattern: %q is not one of %v", v, spec.Enum)
			}
		case "cidr":
			if _, err := netip.ParsePrefix(v); err != nil {
				if _, err := netip.ParseAddr(v); err != nil {
					return badRequest("Invalid value for pattern: %q is not an IP address or block", v)
				}
			}
		}
	}
	return nil
}
