package ovh

import "context"

// RouteActionType is what a route does when all its rules match
// (REFERENCE §9.1; a free string in the schema, the guide's values here).
type RouteActionType string

// Route actions. RouteRedirect is HTTP only.
const (
	RouteFarm     RouteActionType = "farm"
	RouteRedirect RouteActionType = "redirect"
	RouteReject   RouteActionType = "reject"
)

// RouteAction is a route's action (RouteHttpAction, RouteTcpAction).
type RouteAction struct {
	Type RouteActionType `json:"type"`
	// Target is the farm id as a string for RouteFarm, the URL template for
	// RouteRedirect, nil for RouteReject.
	Target *string `json:"target,omitempty"`
	// Status is the HTTP status of a redirect or reject; HTTP only.
	Status *int64 `json:"status,omitempty"`
}

// RouteStatus is the deployment status of a route (RouteStatusEnum).
type RouteStatus string

// Route statuses; RouteOK means ready.
const (
	RouteCreating RouteStatus = "creating"
	RouteDeleting RouteStatus = "deleting"
	RouteInternal RouteStatus = "internal"
	RouteOK       RouteStatus = "ok"
	RouteUpdating RouteStatus = "updating"
)

// Route is an HTTP or TCP route (RouteHttp.RouteHttp, RouteTcp.RouteTcp;
// REFERENCE §9.1).
type Route struct {
	// Protocol is set by the client from the path (not in the API's answer).
	Protocol Protocol `json:"-"`

	ID          int64       `json:"routeId"`
	FrontendID  *int64      `json:"frontendId"`
	DisplayName *string     `json:"displayName"`
	Weight      int64       `json:"weight"` // 0–255, lower first
	Action      RouteAction `json:"action"`
	Rules       []Rule      `json:"rules"` // a read-only copy
	Status      RouteStatus `json:"status"`
}

// RouteCreate is the body of a route creation; Action is required.
type RouteCreate struct {
	Action      RouteAction `json:"action"`
	FrontendID  *int64      `json:"frontendId,omitempty"`
	DisplayName *string     `json:"displayName,omitempty"`
	Weight      *int64      `json:"weight,omitempty"`
}

// RouteUpdate is a partial update of a route; see FrontendUpdate for the
// meaning of nil and Nullable fields.
type RouteUpdate struct {
	Action      *RouteAction      `json:"action,omitempty"`
	FrontendID  *Nullable[int64]  `json:"frontendId,omitempty"`
	DisplayName *Nullable[string] `json:"displayName,omitempty"`
	Weight      *int64            `json:"weight,omitempty"`
}

// RuleMatch is how a rule compares its field (RouteRuleMatchesEnum).
type RuleMatch string

// Rule matches.
const (
	MatchContains   RuleMatch = "contains"
	MatchEndsWith   RuleMatch = "endswith"
	MatchExists     RuleMatch = "exists"
	MatchIn         RuleMatch = "in"
	MatchInternal   RuleMatch = "internal"
	MatchIs         RuleMatch = "is"
	MatchMatches    RuleMatch = "matches"
	MatchStartsWith RuleMatch = "startswith"
)

// Rule is a condition of a route (RouteRule.RouteRule; the copies embedded
// in Route.Rules lack DisplayName).
type Rule struct {
	ID          int64     `json:"ruleId"`
	Field       string    `json:"field"` // HTTP: source, protocol, method, host, uri, param, header, cookie
	SubField    *string   `json:"subField"`
	Match       RuleMatch `json:"match"`
	Negate      bool      `json:"negate"`
	Pattern     *string   `json:"pattern"`
	DisplayName *string   `json:"displayName"`
}

// RuleCreate is the body of a rule creation; Field and Match are required.
type RuleCreate struct {
	Field       string    `json:"field"`
	Match       RuleMatch `json:"match"`
	SubField    *string   `json:"subField,omitempty"`
	Negate      bool      `json:"negate,omitempty"`
	Pattern     *string   `json:"pattern,omitempty"`
	DisplayName *string   `json:"displayName,omitempty"`
}

// RuleUpdate is a partial update of a rule; see FrontendUpdate for the
// meaning of nil and Nullable fields.
type RuleUpdate struct {
	Field       *string           `json:"field,omitempty"`
	Match       *RuleMatch        `json:"match,omitempty"`
	SubField    *Nullable[string] `json:"subField,omitempty"`
	Negate      *bool             `json:"negate,omitempty"`
	Pattern     *Nullable[string] `json:"pattern,omitempty"`
	DisplayName *Nullable[string] `json:"displayName,omitempty"`
}

func routePath(sn string, p Protocol, id ...int64) string {
	if len(id) == 0 {
		return pathf("ipLoadbalancing", sn, p, "route")
	}
	return pathf("ipLoadbalancing", sn, p, "route", id[0])
}

func rulePath(sn string, p Protocol, routeID int64, id ...int64) string {
	if len(id) == 0 {
		return pathf("ipLoadbalancing", sn, p, "route", routeID, "rule")
	}
	return pathf("ipLoadbalancing", sn, p, "route", routeID, "rule", id[0])
}

// RouteIDs lists the ids of the IPLB's routes of protocol p (HTTP or TCP).
func (c *Client) RouteIDs(ctx context.Context, sn string, p Protocol) ([]int64, error) {
	const op = "ovh.RouteIDs"
	if err := checkProtocol(op, p, true); err != nil {
		return nil, err
	}
	var ids []int64
	if err := c.get(ctx, op, routePath(sn, p), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Routes returns the IPLB's routes of protocol p, fetched in parallel.
func (c *Client) Routes(ctx context.Context, sn string, p Protocol) ([]Route, error) {
	ids, err := c.RouteIDs(ctx, sn, p)
	if err != nil {
		return nil, err
	}
	out, err := getAll[Route](ctx, c, "ovh.Routes", routePath(sn, p), ids)
	for i := range out {
		out[i].Protocol = p
	}
	return out, err
}

// Route returns one route.
func (c *Client) Route(ctx context.Context, sn string, p Protocol, id int64) (Route, error) {
	const op = "ovh.Route"
	var r Route
	if err := checkProtocol(op, p, true); err != nil {
		return r, err
	}
	err := c.get(ctx, op, routePath(sn, p, id), &r)
	r.Protocol = p
	return r, err
}

// CreateRoute creates a route of protocol p and returns it.
func (c *Client) CreateRoute(ctx context.Context, sn string, p Protocol, in RouteCreate) (Route, error) {
	const op = "ovh.CreateRoute"
	var r Route
	if err := checkProtocol(op, p, true); err != nil {
		return r, err
	}
	err := c.post(ctx, op, routePath(sn, p), in, &r)
	r.Protocol = p
	return r, err
}

// UpdateRoute changes the fields of the route that u sets.
func (c *Client) UpdateRoute(ctx context.Context, sn string, p Protocol, id int64, u RouteUpdate) error {
	const op = "ovh.UpdateRoute"
	if err := checkProtocol(op, p, true); err != nil {
		return err
	}
	return c.put(ctx, op, routePath(sn, p, id), u)
}

// DeleteRoute deletes the route and its rules.
func (c *Client) DeleteRoute(ctx context.Context, sn string, p Protocol, id int64) error {
	const op = "ovh.DeleteRoute"
	if err := checkProtocol(op, p, true); err != nil {
		return err
	}
	return c.delete(ctx, op, routePath(sn, p, id))
}

// RuleIDs lists the ids of the route's rules.
func (c *Client) RuleIDs(ctx context.Context, sn string, p Protocol, routeID int64) ([]int64, error) {
	const op = "ovh.RuleIDs"
	if err := checkProtocol(op, p, true); err != nil {
		return nil, err
	}
	var ids []int64
	if err := c.get(ctx, op, rulePath(sn, p, routeID), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Rules returns the route's rules, fetched in parallel.
func (c *Client) Rules(ctx context.Context, sn string, p Protocol, routeID int64) ([]Rule, error) {
	ids, err := c.RuleIDs(ctx, sn, p, routeID)
	if err != nil {
		return nil, err
	}
	return getAll[Rule](ctx, c, "ovh.Rules", rulePath(sn, p, routeID), ids)
}

// Rule returns one rule of the route.
func (c *Client) Rule(ctx context.Context, sn string, p Protocol, routeID, id int64) (Rule, error) {
	const op = "ovh.Rule"
	var r Rule
	if err := checkProtocol(op, p, true); err != nil {
		return r, err
	}
	err := c.get(ctx, op, rulePath(sn, p, routeID, id), &r)
	return r, err
}

// CreateRule adds a rule to the route and returns it.
func (c *Client) CreateRule(ctx context.Context, sn string, p Protocol, routeID int64, in RuleCreate) (Rule, error) {
	const op = "ovh.CreateRule"
	var r Rule
	if err := checkProtocol(op, p, true); err != nil {
		return r, err
	}
	err := c.post(ctx, op, rulePath(sn, p, routeID), in, &r)
	return r, err
}

// UpdateRule changes the fields of the rule that u sets.
func (c *Client) UpdateRule(ctx context.Context, sn string, p Protocol, routeID, id int64, u RuleUpdate) error {
	const op = "ovh.UpdateRule"
	if err := checkProtocol(op, p, true); err != nil {
		return err
	}
	return c.put(ctx, op, rulePath(sn, p, routeID, id), u)
}

// DeleteRule removes the rule from the route.
func (c *Client) DeleteRule(ctx context.Context, sn string, p Protocol, routeID, id int64) error {
	const op = "ovh.DeleteRule"
	if err := checkProtocol(op, p, true); err != nil {
		return err
	}
	return c.delete(ctx, op, rulePath(sn, p, routeID, id))
}
