package ovh

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// This file holds the pre-flight of a refresh: the documented conditions an
// IPLB must meet for POST /ipLoadbalancing/{sn}/refresh to succeed
// (REFERENCE §10.1, from OVH's guide "Routing an Additional IP"), evaluated
// by a pure function (CheckPreflight) over objects fetched concurrently
// (FetchPreflight). The API stays the judge: the console shows the checklist
// and lets the user try anyway.

// zoneAll is the zone of an object deployed in every zone of its IPLB.
const zoneAll = "all"

// zonesCompatible reports whether a farm in farmZone can serve a frontend in
// frontendZone: same zone, or either of them in every zone ("all").
// REFERENCE §9.3 (a) [INF]: "whose zone is compatible".
func zonesCompatible(farmZone, frontendZone string) bool {
	return farmZone == zoneAll || frontendZone == zoneAll || farmZone == frontendZone
}

// FrontendValidity says whether frontend f would pass a refresh, and why
// not (REFERENCE §9.3 [INF], the rule of §10.1 (2) [D]): whether enabled or
// disabled, it needs one of
//   - (a) a default farm that is an existing farm of its protocol, in a
//     compatible zone;
//   - (b) HTTP only: a non-empty redirectLocation;
//   - (c) a route of its protocol attached to it, with at least one rule
//     and a well-formed action (a farm action names an existing farm of
//     the protocol, a redirect has a target, a reject needs nothing).
//
// farms and routes are the IPLB's, of any protocol: only those whose
// Protocol (set by the client from the path) is f.Protocol count. reason is
// "" when ok, otherwise a sentence fragment that follows the frontend's
// name, e.g. "has no default farm, redirection or route with rules".
func FrontendValidity(f Frontend, farms []Farm, routes []Route) (ok bool, reason string) {
	farmOf := func(id int64) (Farm, bool) {
		for _, fa := range farms {
			if fa.ID == id && fa.Protocol == f.Protocol {
				return fa, true
			}
		}
		return Farm{}, false
	}
	// The problems found on the way, to say more than "invalid" when no
	// condition holds.
	var problems []string
	if f.DefaultFarmID != nil {
		fa, found := farmOf(*f.DefaultFarmID)
		switch {
		case !found:
			problems = append(problems, fmt.Sprintf("its default farm %d is not an existing %s farm", *f.DefaultFarmID, protoLabel(f.Protocol)))
		case !zonesCompatible(fa.Zone, f.Zone):
			problems = append(problems, fmt.Sprintf("its default farm %s is in zone %s, which cannot serve zone %s", fa.Name(), fa.Zone, f.Zone))
		default:
			return true, ""
		}
	}
	if f.Protocol == HTTP && f.RedirectLocation != nil && *f.RedirectLocation != "" {
		return true, ""
	}
	attached := 0
	for _, r := range routes {
		if r.Protocol != f.Protocol || r.FrontendID == nil || *r.FrontendID != f.ID {
			continue
		}
		attached++
		if len(r.Rules) == 0 {
			problems = append(problems, fmt.Sprintf("route %s has no rule", routeName(r)))
			continue
		}
		if why := routeActionProblem(r, farmOf); why != "" {
			problems = append(problems, fmt.Sprintf("route %s %s", routeName(r), why))
			continue
		}
		return true, ""
	}
	reason = "has no default farm, redirection or route with rules"
	if f.Protocol != HTTP {
		reason = "has no default farm or route with rules"
		if f.Protocol == UDP {
			reason = "has no default farm" // UDP has neither redirections nor routes (REFERENCE §9)
		}
	}
	if len(problems) > 0 {
		reason += " (" + strings.Join(problems, "; ") + ")"
	}
	return false, reason
}

// routeActionProblem says why r's action is not well formed, or "".
func routeActionProblem(r Route, farmOf func(int64) (Farm, bool)) string {
	switch r.Action.Type {
	case RouteFarm:
		if r.Action.Target == nil {
			return "sends to no farm"
		}
		id, err := strconv.ParseInt(*r.Action.Target, 10, 64)
		if err != nil {
			return fmt.Sprintf("sends to %q, which is not a farm id", *r.Action.Target)
		}
		if _, ok := farmOf(id); !ok {
			return fmt.Sprintf("sends to farm %d, which is not an existing %s farm", id, protoLabel(r.Protocol))
		}
	case RouteRedirect:
		if r.Action.Target == nil || *r.Action.Target == "" {
			return "redirects to no location"
		}
	case RouteReject:
	default:
		return fmt.Sprintf("has an unknown action %q", r.Action.Type)
	}
	return ""
}

func routeName(r Route) string {
	if r.DisplayName != nil && *r.DisplayName != "" {
		return strconv.Quote(*r.DisplayName)
	}
	return "#" + itoa(r.ID)
}

// protoLabel is a protocol as people write it: HTTP, TCP, UDP.
func protoLabel(p Protocol) string { return strings.ToUpper(string(p)) }

// PreflightInput is everything the pre-flight looks at, all fetched for one
// IPLB. FetchPreflight fills it; tests build it by hand.
type PreflightInput struct {
	LoadBalancer LoadBalancer
	VRack        VRackInformation
	Networks     []VRackNetwork
	Frontends    []Frontend // every protocol, Protocol set
	Farms        []Farm     // every protocol, Protocol set
	Routes       []Route    // HTTP and TCP, Protocol set
	Running      []Task     // unfinished refresh tasks (todo, doing, blocked)
}

// CheckID names one condition of the pre-flight.
type CheckID string

// The conditions of REFERENCE §10.1, in the guide's order.
const (
	CheckVRack     CheckID = "vrack"      // §10.1 (1): vRack consistency
	CheckFrontends CheckID = "frontends"  // §10.1 (2): at least one frontend
	CheckValid     CheckID = "valid"      // §10.1 (2) with §9.3: every frontend valid
	CheckNoRefresh CheckID = "no-refresh" // §10.1 (3): no refresh already running
)

// ObjectKind is the kind of object a Problem is about, so that a view can
// link to the page that fixes it.
type ObjectKind string

// The kinds of object a problem names.
const (
	ObjectFrontend     ObjectKind = "frontend"
	ObjectFarm         ObjectKind = "farm"
	ObjectVRackNetwork ObjectKind = "vrack-network"
	ObjectTask         ObjectKind = "task"
)

// Problem is one object that makes a check fail.
type Problem struct {
	Kind     ObjectKind
	Protocol Protocol // frontends and farms
	ID       int64    // 0 when the problem is a missing object
	Name     string   // display name, or "#id"
	Zone     string   // the object's zone ("all" = every zone), if it has one
	Reason   string   // a sentence about the object, e.g. `HTTP frontend "legacy-api" has no default farm…`
}

// Check is one condition of the pre-flight with its outcome.
type Check struct {
	ID       CheckID
	Title    string // the condition, e.g. "vRack consistency"
	OK       bool
	Detail   string    // why it passes, or a summary of why it fails
	Problems []Problem // the objects to fix when it fails
}

// Preflight is the outcome of CheckPreflight: every check, in order.
type Preflight struct {
	Checks []Check
}

// OK reports whether every check passes.
func (p Preflight) OK() bool {
	for _, c := range p.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Failed returns the checks that fail.
func (p Preflight) Failed() []Check {
	var out []Check
	for _, c := range p.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Check returns the check id, and false if there is none.
func (p Preflight) Check(id CheckID) (Check, bool) {
	for _, c := range p.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// CheckPreflight evaluates the documented refresh conditions (REFERENCE
// §10.1) over in. It is pure: the same input gives the same checklist.
//
// The checks cover the whole IPLB (every zone). A refresh of one zone may
// only look at what runs in that zone (the emulator does, REFERENCE §10.3
// [INF]); each Problem carries its object's zone so a view can say so.
func CheckPreflight(in PreflightInput) Preflight {
	return Preflight{Checks: []Check{
		checkVRack(in),
		checkFrontendsExist(in),
		checkFrontendsValid(in),
		checkNoRefresh(in),
	}}
}

// inVRack returns the name of the vRack the IPLB is in, or "". The vRack
// status is the authority; the IPLB's own vrackName is the fallback when the
// status was not fetched.
func (in PreflightInput) inVRack() string {
	if in.VRack.VRackName != nil && *in.VRack.VRackName != "" {
		return *in.VRack.VRackName
	}
	if in.VRack.State == "" && in.LoadBalancer.VRackName != nil {
		return *in.LoadBalancer.VRackName
	}
	return ""
}

func sortedFarms(farms []Farm) []Farm {
	out := slices.Clone(farms)
	slices.SortFunc(out, func(a, b Farm) int {
		if c := strings.Compare(string(a.Protocol), string(b.Protocol)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out
}

func farmProblem(f Farm, reason string) Problem {
	return Problem{Kind: ObjectFarm, Protocol: f.Protocol, ID: f.ID, Name: f.Name(), Zone: f.Zone,
		Reason: fmt.Sprintf("%s farm %s %s", protoLabel(f.Protocol), strconv.Quote(f.Name()), reason)}
}

// checkVRack is REFERENCE §10.1 (1): in a vRack, every farm has a vRack
// network and the IPLB has a vRack network (its VLAN); outside a vRack, no
// farm references a vRack network.
func checkVRack(in PreflightInput) Check {
	c := Check{ID: CheckVRack, Title: "vRack consistency"}
	farms := sortedFarms(in.Farms)
	if vr := in.inVRack(); vr != "" {
		if len(in.Networks) == 0 {
			c.Problems = append(c.Problems, Problem{Kind: ObjectVRackNetwork,
				Reason: fmt.Sprintf("The Load Balancer is in vRack %s but has no vRack network (its VLAN): create one", vr)})
		}
		for _, f := range farms {
			if f.VRackNetworkID == nil {
				c.Problems = append(c.Problems, farmProblem(f, "is not in a vRack network while the Load Balancer is in vRack "+vr))
			}
		}
		c.OK = len(c.Problems) == 0
		if c.OK {
			c.Detail = fmt.Sprintf("The Load Balancer is in vRack %s, has %s and every farm is in one.",
				vr, plural(len(in.Networks), "vRack network", "vRack networks"))
		} else {
			c.Detail = fmt.Sprintf("The Load Balancer is in vRack %s: it needs a vRack network and every farm must be in the vRack.", vr)
		}
		return c
	}
	for _, f := range farms {
		if f.VRackNetworkID != nil {
			c.Problems = append(c.Problems, farmProblem(f, fmt.Sprintf("is in vRack network %d while the Load Balancer is not in a vRack", *f.VRackNetworkID)))
		}
	}
	c.OK = len(c.Problems) == 0
	if c.OK {
		c.Detail = "The Load Balancer is not in a vRack and no farm is in a vRack network."
	} else {
		c.Detail = "The Load Balancer is not in a vRack: no farm may be in a vRack network."
	}
	return c
}

// checkFrontendsExist is REFERENCE §10.1 (2): at least one frontend.
func checkFrontendsExist(in PreflightInput) Check {
	c := Check{ID: CheckFrontends, Title: "At least one frontend", OK: len(in.Frontends) > 0}
	if c.OK {
		c.Detail = fmt.Sprintf("The Load Balancer has %s.", plural(len(in.Frontends), "frontend", "frontends"))
	} else {
		c.Detail = "The Load Balancer has no frontend: create one."
		c.Problems = []Problem{{Kind: ObjectFrontend, Reason: "No frontend is defined, in any protocol"}}
	}
	return c
}

// checkFrontendsValid is REFERENCE §10.1 (2) with §9.3: every frontend,
// enabled or disabled, is valid (FrontendValidity).
func checkFrontendsValid(in PreflightInput) Check {
	c := Check{ID: CheckValid, Title: "Every frontend is valid"}
	fronts := slices.Clone(in.Frontends)
	slices.SortStableFunc(fronts, func(a, b Frontend) int {
		ia, ib := slices.Index(Protocols, a.Protocol), slices.Index(Protocols, b.Protocol)
		if ia != ib {
			return ia - ib
		}
		return int(a.ID - b.ID)
	})
	for _, f := range fronts {
		if ok, reason := FrontendValidity(f, in.Farms, in.Routes); !ok {
			c.Problems = append(c.Problems, Problem{Kind: ObjectFrontend, Protocol: f.Protocol, ID: f.ID,
				Name: f.Name(), Zone: f.Zone,
				Reason: fmt.Sprintf("%s frontend %s %s", protoLabel(f.Protocol), strconv.Quote(f.Name()), reason)})
		}
	}
	c.OK = len(c.Problems) == 0
	switch {
	case !c.OK:
		c.Detail = "Each frontend, enabled or disabled, needs a default farm, a redirection (HTTP) or a route with rules."
	case len(fronts) == 0:
		c.Detail = "There is no frontend to check."
	default:
		c.Detail = "Every frontend has a default farm, a redirection or a route with rules."
	}
	return c
}

// checkNoRefresh is REFERENCE §10.1 (3): no refresh already running.
func checkNoRefresh(in PreflightInput) Check {
	c := Check{ID: CheckNoRefresh, Title: "No refresh already running", OK: len(in.Running) == 0}
	if c.OK {
		c.Detail = "No refresh of this Load Balancer is in progress."
		return c
	}
	c.Detail = "A Load Balancer cannot be refreshed twice at once: wait for the running refresh to end."
	for _, t := range in.Running {
		c.Problems = append(c.Problems, Problem{Kind: ObjectTask, ID: t.ID, Name: "#" + itoa(t.ID),
			Reason: fmt.Sprintf("Refresh task %d is %s (%d%%) in zones %s", t.ID, t.Status, t.Progress, strings.Join(t.Zones, ", "))})
	}
	return c
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// RunningRefreshes returns the IPLB's refresh tasks that are not finished
// (todo, doing or blocked), fetched concurrently. A refresh POSTed while one
// of them runs is refused with a 409 (REFERENCE §10.1 (3)).
func (c *Client) RunningRefreshes(ctx context.Context, sn string) ([]Task, error) {
	statuses := []TaskStatus{TaskTodo, TaskDoing, TaskBlocked}
	found := make([][]Task, len(statuses))
	g, gctx := errgroup.WithContext(ctx)
	for i, st := range statuses {
		g.Go(func() error {
			ts, err := c.Tasks(gctx, sn, TaskFilter{Action: TaskRefresh, Status: st})
			found[i] = ts
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []Task
	for _, ts := range found {
		for _, t := range ts {
			// The lists are snapshots taken one after the other: a task can
			// move from todo to doing between them and appear twice.
			if !t.Status.Finished() && !slices.ContainsFunc(out, func(o Task) bool { return o.ID == t.ID }) {
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, func(a, b Task) int { return int(a.ID - b.ID) })
	return out, nil
}

// FetchPreflight fetches everything CheckPreflight looks at, concurrently:
// the IPLB, its vRack status and networks, its frontends and farms of every
// protocol, its HTTP and TCP routes, and its running refreshes. It costs
// two sequential round trips (lists, then objects) whatever the number of
// objects.
func (c *Client) FetchPreflight(ctx context.Context, sn string) (PreflightInput, error) {
	var in PreflightInput
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { in.LoadBalancer, err = c.LoadBalancer(gctx, sn); return })
	g.Go(func() (err error) { in.VRack, err = c.VRackStatus(gctx, sn); return })
	g.Go(func() (err error) { in.Networks, err = c.VRackNetworks(gctx, sn); return })
	g.Go(func() (err error) { in.Running, err = c.RunningRefreshes(gctx, sn); return })
	fronts := make([][]Frontend, len(Protocols))
	farms := make([][]Farm, len(Protocols))
	routes := make([][]Route, len(Protocols))
	for i, p := range Protocols {
		g.Go(func() (err error) { fronts[i], err = c.Frontends(gctx, sn, p); return })
		g.Go(func() (err error) { farms[i], err = c.Farms(gctx, sn, p); return })
		if p != UDP { // REFERENCE §9: routes exist for HTTP and TCP only
			g.Go(func() (err error) { routes[i], err = c.Routes(gctx, sn, p); return })
		}
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return PreflightInput{}, ctx.Err()
		}
		return PreflightInput{}, err
	}
	for i := range Protocols {
		in.Frontends = append(in.Frontends, fronts[i]...)
		in.Farms = append(in.Farms, farms[i]...)
		in.Routes = append(in.Routes, routes[i]...)
	}
	return in, nil
}
