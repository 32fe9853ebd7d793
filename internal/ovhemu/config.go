package ovhemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The configuration side of an IPLB: frontends (frontend.go), farms and
// servers (farm.go), routes and rules (route.go), vRack networks (vrack.go),
// certificates (ssl.go), and here the shared state, the body and field
// machinery, the service-level configuration routes, the refresh
// preconditions and the demo configuration.
//
// REFERENCE §13: the real API's validation texts are not published. Every
// error message in these files is ours [INF], worded to name the field or the
// object at fault; only the statuses and classes follow REFERENCE §3.1.

const (
	protoHTTP = "http"
	protoTCP  = "tcp"
	protoUDP  = "udp"

	// zoneAll is the zone of an object deployed in every zone of its IPLB
	// (REFERENCE §7.1, §7.3).
	zoneAll = "all"
)

// protocols are the IPLB protocols, in the order the API lists them.
var protocols = []string{protoHTTP, protoTCP, protoUDP}

// protoLabel is a protocol as messages show it ("HTTP").
func protoLabel(proto string) string { return strings.ToUpper(proto) }

// configState holds frontends, farms, servers, routes, rules, vRack networks
// and certificates of every IPLB. It is guarded by Emulator.mu like the rest
// of world.
type configState struct {
	lbs map[string]*lbConfig // by IPLB service name, created on first use
}

func (s *configState) init() { s.lbs = map[string]*lbConfig{} }

// lbConfig is the configuration of one IPLB. Objects of every protocol share
// a map per kind (ids come from world.nextID and never collide); each object
// records its protocol.
type lbConfig struct {
	frontends map[int64]*frontend
	farms     map[int64]*farm
	servers   map[int64]*server
	routes    map[int64]*lbRoute
	rules     map[int64]*routeRule
	networks  map[int64]*vrackNetwork
	ssls      map[int64]*sslCert
}

// lb returns the configuration of the IPLB sn, creating it empty. Callers
// check ownership first (configLB), so only real IPLBs get one.
func (s *configState) lb(sn string) *lbConfig {
	l := s.lbs[sn]
	if l == nil {
		l = &lbConfig{
			frontends: map[int64]*frontend{},
			farms:     map[int64]*farm{},
			servers:   map[int64]*server{},
			routes:    map[int64]*lbRoute{},
			rules:     map[int64]*routeRule{},
			networks:  map[int64]*vrackNetwork{},
			ssls:      map[int64]*sslCert{},
		}
		s.lbs[sn] = l
	}
	return l
}

// sortedIDs returns the ids of m whose value passes keep, ascending, so that
// every list is stable (the API's lists are in creation order, and ids grow).
func sortedIDs[T any](m map[int64]T, keep func(T) bool) []int64 {
	ids := []int64{}
	for id, v := range m {
		if keep == nil || keep(v) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// configLB resolves {serviceName} for a configuration route: the caller must
// own the IPLB, otherwise the answer is the 404 a missing service gets, so
// that one account cannot even learn that another's IPLB exists. The 404
// texts here and for objects ("The requested object (frontendId = 42) does
// not exist") follow the shape seen in public material (REFERENCE §3.1 [INF]).
func (e *Emulator) configLB(c *call) (string, *lbConfig, error) {
	sn := c.param("serviceName")
	if c.account == nil || !e.world.ownsLB(c.account.NicHandle, sn) {
		return "", nil, notFound("The requested object (serviceName = %s) does not exist", sn)
	}
	return sn, e.world.conf.lb(sn), nil
}

// ---------------------------------------------------------------------------
// Request bodies and fields.

// fields is a JSON object body, field name → raw value, so that an absent
// field and an explicit null can be told apart (partial PUT, REFERENCE §4).
type fields map[string]json.RawMessage

// decodeFields reads the call's body as a JSON object. An empty body (or a
// JSON null) is an empty object.
func decodeFields(c *call) (fields, error) {
	in := fields{}
	b := bytes.TrimSpace(c.body)
	if len(b) == 0 || string(b) == "null" {
		return in, nil
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, badRequest("Invalid JSON body: expected an object")
	}
	if in == nil {
		in = fields{}
	}
	return in, nil
}

// has reports whether name was sent, null included.
func (in fields) has(name string) bool {
	_, ok := in[name]
	return ok
}

// require reports the first of names that is absent (a required POST
// parameter, per the operation's schema).
func (in fields) require(names ...string) error {
	for _, n := range names {
		if !in.has(n) {
			return badRequest("Missing parameter: %s", n)
		}
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// fieldSpec is one field of a model as a request body may carry it.
type fieldSpec struct {
	name string
	// set decodes and stores a value; nil for a read-only field, which is
	// ignored (REFERENCE §4 [INF]: the real API may refuse it instead).
	set func(json.RawMessage) error
	// createOnly marks a field that POST accepts but the model marks
	// read-only, e.g. a farm's zone: PUT ignores it.
	createOnly bool
}

// applyFields stores the values of in into the object whose fields specs
// describes. A field the model does not have (e.g. hsts on a TCP frontend)
// is a 400 naming it ([INF]: stricter than ignoring it, so that a client
// sending a field to the wrong protocol finds out).
func applyFields(what string, in fields, specs []fieldSpec, creating bool) error {
	byName := make(map[string]fieldSpec, len(specs))
	for _, s := range specs {
		byName[s.name] = s
	}
	names := make([]string, 0, len(in))
	for n := range in {
		names = append(names, n)
	}
	sort.Strings(names) // the first bad field is the same on every run
	for _, n := range names {
		s, ok := byName[n]
		if !ok {
			return badRequest("Invalid parameter %s: %s has no such field", n, what)
		}
		if s.set == nil || (s.createOnly && !creating) {
			continue
		}
		if err := s.set(in[n]); err != nil {
			return err
		}
	}
	return nil
}

// readOnly is a field that is shown but never written by a body.
func readOnly(name string) fieldSpec { return fieldSpec{name: name} }

// onCreate marks s as accepted on POST only.
func onCreate(s fieldSpec) fieldSpec {
	s.createOnly = true
	return s
}

// value is a non-nullable field: null is refused.
func value[T any](name string, dst *T) fieldSpec {
	return fieldSpec{name: name, set: func(raw json.RawMessage) error {
		if isNull(raw) {
			return badRequest("Invalid value for %s: null is not allowed", name)
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return badType(name, v, raw)
		}
		*dst = v
		return nil
	}}
}

// nullable is a field that may be null (canBeNull in the schema): null
// clears it.
func nullable[T any](name string, dst **T) fieldSpec {
	return fieldSpec{name: name, set: func(raw json.RawMessage) error {
		if isNull(raw) {
			*dst = nil
			return nil
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return badType(name, v, raw)
		}
		*dst = &v
		return nil
	}}
}

// list is a nullable list of strings. null and [] both store null
// ([INF]: for dedicatedIpfo, allowedSource, deniedSource and httpHeader null
// means "no restriction"/"none", which is what an empty list asks for).
func list(name string, dst *[]string) fieldSpec {
	return fieldSpec{name: name, set: func(raw json.RawMessage) error {
		if isNull(raw) {
			*dst = nil
			return nil
		}
		var v []string
		if err := json.Unmarshal(raw, &v); err != nil {
			return badType(name, v, raw)
		}
		if len(v) == 0 {
			v = nil
		}
		*dst = v
		return nil
	}}
}

// strictDecode decodes an object refusing unknown keys (probe, action).
func strictDecode(name string, raw json.RawMessage, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			want := map[string]string{"string": "a string", "int64": "an integer", "bool": "a boolean"}[te.Type.String()]
			if want == "" {
				want = "a valid value"
			}
			return badRequest("Invalid value for %s.%s: expected %s, got %s", name, te.Field, want, te.Value)
		}
		msg := err.Error()
		if i := strings.Index(msg, "unknown field "); i >= 0 {
			return badRequest("Invalid value for %s: %s", name, msg[i:])
		}
		return badRequest("Invalid value for %s: expected an object", name)
	}
	return nil
}

func badType(name string, v any, raw json.RawMessage) error {
	var want string
	switch v.(type) {
	case string:
		want = "a string"
	case bool:
		want = "a boolean"
	case int64:
		want = "an integer"
	case []string:
		want = "a list of strings"
	case []int64:
		want = "a list of integers"
	default:
		want = "a valid value"
	}
	got := string(raw)
	if len(got) > 40 {
		got = got[:40] + "…"
	}
	return badRequest("Invalid value for %s: expected %s, got %s", name, want, got)
}

// idParam parses a numeric path parameter (frontendId, farmId...).
func idParam(c *call, name string) (int64, error) {
	s := c.param(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, badRequest("Invalid value for %s: %q is not an integer", name, s)
	}
	return id, nil
}

// objectAt finds the object whose id is the path parameter name in m, or
// the API's 404 when there is none or when it is not the caller's (belongs
// false: another protocol, another farm or route).
func objectAt[T any](c *call, m map[int64]*T, name string, belongs func(*T) bool) (*T, error) {
	id, err := idParam(c, name)
	if err != nil {
		return nil, err
	}
	o := m[id]
	if o == nil || !belongs(o) {
		return nil, notFound("The requested object (%s = %d) does not exist", name, id)
	}
	return o, nil
}

// queryInt parses an optional numeric filter; nil when absent or empty.
func queryInt(c *call, name string) (*int64, error) {
	s := c.query(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, badRequest("Invalid value for %s: %q is not an integer", name, s)
	}
	return &n, nil
}

// likeMatch implements a "(like)" list filter (REFERENCE §4): SQL LIKE, "%"
// any run of characters, "_" one character, case-sensitive; without
// wildcards it is an equality ([INF]: the API does not document its syntax).
func likeMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

// named describes an object for messages: `Frontend 42 ("api")`.
func named(kind string, id int64, name *string) string {
	if name != nil && *name != "" {
		return fmt.Sprintf("%s %d (%q)", kind, id, *name)
	}
	return fmt.Sprintf("%s %d", kind, id)
}

// checkZone validates a zone field: a zone the IPLB is subscribed to, or
// "all" (REFERENCE §7.1 [D]).
func (w *world) checkZone(sn, field, zone string) error {
	if zone == zoneAll {
		return nil
	}
	zones := w.lbZones(sn)
	if slices.Contains(zones, zone) {
		return nil
	}
	return badRequest("Invalid value for %s: %q is not a zone of this Load Balancer (%s) nor \"all\"",
		field, zone, strings.Join(zones, ", "))
}

// zonesCompatible reports whether a farm in farmZone can serve a frontend in
// frontendZone: REFERENCE §7.3 [INF], a farm in a zone serves frontends of
// that zone or of "all", and a farm in "all" serves every frontend.
func zonesCompatible(farmZone, frontendZone string) bool {
	return farmZone == zoneAll || frontendZone == zoneAll || farmZone == frontendZone
}

// inScope reports whether an object in objZone is deployed in zone, the
// zone a refresh targets ("" = every zone): REFERENCE §10.1 with §10.3
// [INF], a refresh of one zone checks only what that zone runs.
func inScope(objZone, zone string) bool {
	return zone == "" || objZone == zoneAll || objZone == zone
}

// parseBlock parses an ipBlock field value. [INF]: it must be in CIDR form
// (a bare address is refused rather than read as /32) with no host bits set
// ("10.0.0.1/8" is refused, naming 10.0.0.0/8), so that what the API
// returns is always a canonical block.
func parseBlock(field, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, badRequest("Invalid value for %s: %q is not an IP block in CIDR form (e.g. 203.0.113.0/24)", field, s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, badRequest("Invalid value for %s: %s is not a network address (did you mean %s?)", field, s, p.Masked())
	}
	return p, nil
}

// bumpZones records one pending change in each of zones, once per zone:
// a change that moves an object from one zone to another is pending in
// both, and "all" among them covers every zone (REFERENCE §10.3 [INF]).
func (w *world) bumpZones(sn string, zones ...string) {
	if slices.Contains(zones, zoneAll) {
		w.bumpPending(sn, zoneAll)
		return
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if !seen[z] {
			seen[z] = true
			w.bumpPending(sn, z)
		}
	}
}

// ---------------------------------------------------------------------------
// Routes.

// registerConfigRoutes registers frontends, farms, servers, routes, rules,
// definedFrontends/definedFarms/definedRoutes and the IPLB's vRack routes.
func (e *Emulator) registerConfigRoutes() {
	const base = "/ipLoadbalancing/{serviceName}"
	e.handle("GET", base+"/definedFrontends", false, e.definedFrontends)
	e.handle("GET", base+"/definedFarms", false, e.definedFarms)
	e.handle("GET", base+"/definedRoutes", false, e.definedRoutes)
	e.handle("GET", base+"/status", false, e.lbStatus)
	e.handle("GET", base+"/availableFrontendType", false, e.availableTypes)
	e.handle("GET", base+"/availableFarmType", false, e.availableTypes)
	e.handle("GET", base+"/availableRouteActions", false, e.availableRouteActions)
	e.handle("GET", base+"/availableRouteRules", false, e.availableRouteRules)
	for _, p := range protocols {
		e.registerFrontendRoutes(p) // frontend.go
		e.registerFarmRoutes(p)     // farm.go
		if p != protoUDP {
			e.registerRouteRoutes(p) // route.go: routes exist for http and tcp only (REFERENCE §9)
		}
	}
	e.registerVrackRoutes() // vrack.go
	e.registerSSLRoutes()   // ssl.go
}

// definedItem is ipLoadbalancing.DefinedFrontend / DefinedFarm.
type definedItem struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// definedRoute is ipLoadbalancing.DefinedRoute.
type definedRoute struct {
	DisplayName *string `json:"displayName"`
	RouteID     int64   `json:"routeId"`
	Type        string  `json:"type"`
}

func (e *Emulator) definedFrontends(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	out := []definedItem{}
	for _, id := range sortedIDs(lb.frontends, nil) {
		out = append(out, definedItem{ID: id, Type: lb.frontends[id].Proto})
	}
	return out, nil
}

func (e *Emulator) definedFarms(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	net, err := queryInt(c, "vrackNetworkId")
	if err != nil {
		return nil, err
	}
	out := []definedItem{}
	for _, id := range sortedIDs(lb.farms, func(f *farm) bool { return net == nil || eqPtr(f.VrackNetworkID, net) }) {
		out = append(out, definedItem{ID: id, Type: lb.farms[id].Proto})
	}
	return out, nil
}

func (e *Emulator) definedRoutes(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	out := []definedRoute{}
	for _, id := range sortedIDs(lb.routes, nil) {
		r := lb.routes[id]
		out = append(out, definedRoute{DisplayName: r.DisplayName, RouteID: id, Type: r.Proto})
	}
	return out, nil
}

// eqPtr reports whether two optional values are both set and equal.
func eqPtr[T comparable](a, b *T) bool { return a != nil && b != nil && *a == *b }

// Status is ipLoadbalancing.Status and its parts (REFERENCE §6.4).
type lbStatusJSON struct {
	Farms     componentJSON `json:"farms"`
	Frontends componentJSON `json:"frontends"`
	Servers   componentJSON `json:"servers"`
	Service   struct {
		Status string `json:"status"`
	} `json:"service"`
}

type componentJSON struct {
	Status struct {
		Error   int64 `json:"error"`
		OK      int64 `json:"ok"`
		Unknown int64 `json:"unknown"`
		Warn    int64 `json:"warn"`
	} `json:"status"`
	Total int64 `json:"total"`
}

func (c *componentJSON) add(status string) {
	c.Total++
	switch status {
	case "ok":
		c.Status.OK++
	case "warn":
		c.Status.Warn++
	case "error":
		c.Status.Error++
	default:
		c.Status.Unknown++
	}
}

// lbStatus counts the components (REFERENCE §6.4). [INF] classification:
// a frontend is ok when it would pass a refresh (§9.3) and error otherwise;
// a server is ok when active and unknown when inactive (nothing probes it);
// a farm is ok with at least one active server, warn otherwise; the service
// (a billing status) is always ok.
func (e *Emulator) lbStatus(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	var out lbStatusJSON
	out.Service.Status = "ok"
	for _, id := range sortedIDs(lb.frontends, nil) {
		if lb.frontendProblem(lb.frontends[id]) == "" {
			out.Frontends.add("ok")
		} else {
			out.Frontends.add("error")
		}
	}
	active := map[int64]bool{}
	for _, id := range sortedIDs(lb.servers, nil) {
		s := lb.servers[id]
		if s.Status == "active" {
			out.Servers.add("ok")
			active[s.FarmID] = true
		} else {
			out.Servers.add("unknown")
		}
	}
	for _, id := range sortedIDs(lb.farms, nil) {
		if active[id] {
			out.Farms.add("ok")
		} else {
			out.Farms.add("warn")
		}
	}
	return out, nil
}

func (e *Emulator) availableTypes(c *call) (any, error) {
	if _, _, err := e.configLB(c); err != nil {
		return nil, err
	}
	return protocols, nil
}

// ---------------------------------------------------------------------------
// Refresh preconditions (REFERENCE §10.1) and the hook for failover moves.

// refreshProblem returns the first documented precondition of a refresh
// (REFERENCE §10.1: vRack consistency, at least one frontend, every frontend
// valid) that the IPLB sn fails, as the API's 4xx naming the object at
// fault; nil when the configuration can be applied. zone "" means all zones.
// The "no other refresh running" check belongs to the caller (iplb.go).
//
// REFERENCE §10.1 [INF]: the real texts are not published; these follow the
// reference's suggested wording. With a zone, only the objects deployed in
// it (their zone or "all") are checked; the vRack network check applies to
// every zone.
func (w *world) refreshProblem(sn, zone string) *apiError {
	lb := w.conf.lb(sn)
	if vr := w.lbVrack(sn); vr != "" {
		if len(lb.networks) == 0 {
			return badRequest("Load Balancer %s is in vRack %s but has no vRack network: create one before applying the configuration", sn, vr)
		}
		for _, id := range sortedIDs(lb.farms, nil) {
			f := lb.farms[id]
			if inScope(f.Zone, zone) && f.VrackNetworkID == nil {
				return badRequest("%s is not attached to a vRack network while the Load Balancer is in a vRack",
					named(protoLabel(f.Proto)+" farm", f.ID, f.DisplayName))
			}
		}
	} else {
		for _, id := range sortedIDs(lb.farms, nil) {
			f := lb.farms[id]
			if inScope(f.Zone, zone) && f.VrackNetworkID != nil {
				return badRequest("%s is attached to a vRack network while the Load Balancer is not in a vRack",
					named(protoLabel(f.Proto)+" farm", f.ID, f.DisplayName))
			}
		}
	}
	ids := sortedIDs(lb.frontends, func(f *frontend) bool { return inScope(f.Zone, zone) })
	if len(ids) == 0 {
		if zone != "" {
			return badRequest("Refresh is not possible: no frontend is defined in zone %s", zone)
		}
		return badRequest("Refresh is not possible: no frontend is defined")
	}
	for _, id := range ids {
		f := lb.frontends[id]
		if p := lb.frontendProblem(f); p != "" {
			return badRequest("%s %s", named("Frontend", f.ID, f.DisplayName), p)
		}
	}
	return nil
}

// frontendProblem says why f would fail a refresh, or "" when it is valid.
// REFERENCE §9.3 [INF]: valid with (a) an existing same-protocol default farm
// of a compatible zone, (b) for HTTP a redirectLocation, or (c) a route
// attached to it with at least one rule and a well-formed action. Enabled
// and disabled frontends alike (§10.1).
func (lb *lbConfig) frontendProblem(f *frontend) string {
	if f.DefaultFarmID != nil {
		fa := lb.farms[*f.DefaultFarmID]
		switch {
		case fa == nil || fa.Proto != f.Proto:
			return fmt.Sprintf("has a default farm (%d) that is not an existing %s farm", *f.DefaultFarmID, protoLabel(f.Proto))
		case !zonesCompatible(fa.Zone, f.Zone):
			return fmt.Sprintf("has a default farm (%d) in zone %s, which cannot serve zone %s", fa.ID, fa.Zone, f.Zone)
		}
		return ""
	}
	if f.Proto == protoHTTP && f.RedirectLocation != nil && *f.RedirectLocation != "" {
		return ""
	}
	for _, id := range sortedIDs(lb.routes, nil) {
		r := lb.routes[id]
		if r.Proto == f.Proto && eqPtr(r.FrontendID, &f.ID) && lb.routeUsable(r) {
			return ""
		}
	}
	return "has no default farm, redirection or valid route"
}

// routeUsable reports whether r counts for §9.3 (c): at least one rule and
// a well-formed action.
func (lb *lbConfig) routeUsable(r *lbRoute) bool {
	n := 0
	for _, ru := range lb.rules {
		if ru.RouteID == r.ID {
			n++
		}
	}
	if n == 0 {
		return false
	}
	return lb.checkAction(r.Proto, &r.Action) == nil
}

// unpinIP is called by the services side when the failover block leaves the
// IPLB sn (a finished move elsewhere, or a park): it removes the block, and
// any /32 inside it, from every dedicatedIpfo of sn's frontends ([INF]: the
// real API's behaviour is not documented; keeping a pin on an IP the IPLB no
// longer has would make the frontend unusable). An emptied list becomes null.
// It does not bump the pending counters: the move itself counts (§10.3).
func (w *world) unpinIP(sn, block string) {
	gone, err := netip.ParsePrefix(block)
	if err != nil {
		if a, aerr := netip.ParseAddr(block); aerr == nil {
			gone = netip.PrefixFrom(a, a.BitLen())
		} else {
			return
		}
	}
	gone = gone.Masked()
	lb, ok := w.conf.lbs[sn]
	if !ok {
		return
	}
	for _, f := range lb.frontends {
		if f.DedicatedIpfo == nil {
			continue
		}
		var keep []string
		for _, s := range f.DedicatedIpfo {
			p, err := netip.ParsePrefix(s)
			if err == nil && p.Bits() >= gone.Bits() && gone.Contains(p.Addr()) {
				continue
			}
			keep = append(keep, s)
		}
		f.DedicatedIpfo = keep // a new slice: snapshots taken by PUT stay intact
	}
}

// ---------------------------------------------------------------------------
// Demo configuration.

// seedConfig adds the demo configuration to the IPLBs seedDemo created
// (it looks them up by their fixed service names). It writes directly, not
// through the API, so it bumps no pending counter (seed.go sets those).
// An IPLB that does not exist (no zones) is skipped.
func seedConfig(w *world) {
	str := func(s string) *string { return &s }
	num := func(n int64) *int64 { return &n }
	boolp := func(b bool) *bool { return &b }

	if len(w.lbZones(DemoLB)) > 0 {
		sn := DemoLB
		net := w.storeNetwork(sn, &vrackNetwork{Subnet: "10.0.0.0/16", NatIP: "10.0.255.0/27", Vlan: 42, DisplayName: str("prod-private")})
		w.storeSSL(sn, &sslCert{DisplayName: str("www.example.com (Let's Encrypt)"), Type: str("built"),
			Fingerprint: "5f:3a:9c:0e:71:b2:44:d8:2a:6c:90:13:ee:57:c1:08:9b:4d:2f:a6", Serial: "04:8e:1b:7c:22:95:60:3d",
			Subject: "CN=www.example.com", San: []string{"www.example.com", "example.com"}, ExpireDate: "2027-03-01T10:00:00+00:00"})
		w.storeSSL(sn, &sslCert{DisplayName: str("api.example.com"), Type: str("custom"),
			Fingerprint: "a1:07:5e:c3:98:2d:6b:f0:41:8a:33:e9:0c:72:b5:1f:64:d8:29:ce", Serial: "3b:92:0f:ad:61:e4:7c:15",
			Subject: "CN=api.example.com, O=Example SAS, C=FR", San: []string{"api.example.com"}, ExpireDate: "2026-12-31T23:59:59+00:00"})

		web := w.storeFarm(sn, &farm{Proto: protoHTTP, Zone: zoneAll, DisplayName: str("web"), Port: num(8080),
			Balance: str("roundrobin"), VrackNetworkID: &net.ID,
			Probe: &probe{Type: str("http"), Method: str("GET"), URL: str("/healthz"), Match: str("status"), Pattern: str("200"), Interval: num(30)}})
		w.storeServer(sn, &server{FarmID: web.ID, Proto: protoHTTP, Address: "10.0.1.11", DisplayName: str("web-1"), Status: "active", Probe: true, Weight: num(1)})
		w.storeServer(sn, &server{FarmID: web.ID, Proto: protoHTTP, Address: "10.0.1.12", DisplayName: str("web-2"), Status: "active", Probe: true, Weight: num(1)})
		api := w.storeFarm(sn, &farm{Proto: protoHTTP, Zone: zoneAll, DisplayName: str("api"), Port: num(8081),
			Balance: str("leastconn"), Stickiness: str("cookie"), VrackNetworkID: &net.ID,
			Probe: &probe{Type: str("http"), Method: str("HEAD"), URL: str("/status"), Match: str("default"), Interval: num(30)}})
		w.storeServer(sn, &server{FarmID: api.ID, Proto: protoHTTP, Address: "10.0.2.21", DisplayName: str("api-1"), Status: "active", Probe: true, Weight: num(1), Cookie: str("api1")})
		w.storeServer(sn, &server{FarmID: api.ID, Proto: protoHTTP, Address: "10.0.2.22", DisplayName: str("api-2"), Status: "inactive", Weight: num(1), Cookie: str("api2")})

		www := w.storeFrontend(sn, &frontend{Proto: protoHTTP, Port: "80,443", Zone: zoneAll, DisplayName: str("www"),
			DefaultFarmID: &web.ID, DedicatedIpfo: []string{DemoIPPinned}, HTTPHeader: []string{"X-Forwarded-For %ci"}})
		toAPI := w.storeRoute(sn, &lbRoute{Proto: protoHTTP, FrontendID: &www.ID, DisplayName: str("api.example.com to api"), Weight: 10,
			Action: routeAction{Type: "farm", Target: str(strconv.FormatInt(api.ID, 10))}})
		w.storeRule(sn, &routeRule{RouteID: toAPI.ID, Field: "host", Match: "is", Pattern: str("api.example.com"), DisplayName: str("host")})
		w.storeRule(sn, &routeRule{RouteID: toAPI.ID, Field: "uri", Match: "startswith", Pattern: str("/v1/"), DisplayName: str("versioned paths")})
		admin := w.storeRoute(sn, &lbRoute{Proto: protoHTTP, FrontendID: &www.ID, DisplayName: str("admin over https"), Weight: 1,
			Action: routeAction{Type: "redirect", Target: str("https://${host}${path}${arguments}"), Status: num(301)}})
		w.storeRule(sn, &routeRule{RouteID: admin.ID, Field: "protocol", Match: "is", Pattern: str("http")})
		w.storeRule(sn, &routeRule{RouteID: admin.ID, Field: "uri", Match: "startswith", Pattern: str("/admin")})

		pg := w.storeFarm(sn, &farm{Proto: protoTCP, Zone: "gra", DisplayName: str("postgres"), Port: num(5432),
			Balance: str("first"), VrackNetworkID: &net.ID, Probe: &probe{Type: str("pgsql"), Interval: num(60)}})
		w.storeServer(sn, &server{FarmID: pg.ID, Proto: protoTCP, Address: "10.0.3.31", DisplayName: str("pg-primary"), Status: "active", Probe: true, Weight: num(1),
			ProxyProtocolVersion: str("v2"), OnMarkedDown: str("shutdown-sessions")})
		w.storeServer(sn, &server{FarmID: pg.ID, Proto: protoTCP, Address: "10.0.3.32", DisplayName: str("pg-replica"), Status: "active", Probe: true, Backup: true, Weight: num(1)})
		w.storeFrontend(sn, &frontend{Proto: protoTCP, Port: "5432", Zone: "gra", DisplayName: str("postgres"),
			DefaultFarmID: &pg.ID, AllowedSource: []string{"198.51.100.0/24"}})

		dns := w.storeFarm(sn, &farm{Proto: protoUDP, Zone: "rbx", DisplayName: str("dns"), Port: num(53), VrackNetworkID: &net.ID})
		w.storeServer(sn, &server{FarmID: dns.ID, Proto: protoUDP, Address: "10.0.4.41", DisplayName: str("ns1"), Status: "active"})
		w.storeServer(sn, &server{FarmID: dns.ID, Proto: protoUDP, Address: "10.0.4.42", DisplayName: str("ns2"), Status: "active"})
		w.storeFrontend(sn, &frontend{Proto: protoUDP, Port: "53", Zone: "rbx", DisplayName: str("dns"), DefaultFarmID: &dns.ID})
	}

	if len(w.lbZones(DemoLB2)) > 0 {
		sn := DemoLB2
		stg := w.storeFarm(sn, &farm{Proto: protoHTTP, Zone: "gra", DisplayName: str("staging-web"), Port: num(80),
			Balance: str("roundrobin"), Probe: &probe{Type: str("tcp"), Interval: num(30), ForceSsl: boolp(false)}})
		w.storeServer(sn, &server{FarmID: stg.ID, Proto: protoHTTP, Address: "198.51.100.21", DisplayName: str("staging-1"), Status: "active", Weight: num(1)})
		w.storeFrontend(sn, &frontend{Proto: protoHTTP, Port: "80", Zone: "gra", DisplayName: str("staging"), DefaultFarmID: &stg.ID})
		// The frontend that makes a refresh of DemoLB2 fail (REFERENCE §10.1):
		// no default farm, no redirection, no route.
		w.storeFrontend(sn, &frontend{Proto: protoHTTP, Port: "8080", Zone: "sbg", DisplayName: str("legacy-api")})
	}

	if len(w.lbZones(OtherLB)) > 0 {
		sn := OtherLB
		zone := w.lbZones(sn)[0]
		f := w.storeFarm(sn, &farm{Proto: protoHTTP, Zone: zone, DisplayName: str("other-web"), Port: num(80), Balance: str("roundrobin")})
		w.storeServer(sn, &server{FarmID: f.ID, Proto: protoHTTP, Address: "192.0.2.80", DisplayName: str("other-1"), Status: "active", Weight: num(1)})
		w.storeFrontend(sn, &frontend{Proto: protoHTTP, Port: "80", Zone: zone, DisplayName: str("other"), DefaultFarmID: &f.ID})
	}
}
