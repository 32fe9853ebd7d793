package ovhemu

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// serviceState holds the service-level state of every account: failover and
// other IPs, the dedicated servers an IP can be routed to, the IPLBs with
// their zones and per-zone pending-change counters, and the IP and IPLB
// tasks (tasks.go). Config (config.go) holds everything inside an IPLB.
type serviceState struct {
	ips     map[string]*ipEntry       // by canonical block, e.g. "203.0.113.10/32"
	lbs     map[string]*loadBalancer  // by serviceName
	servers map[string]*dedicatedHost // by serviceName, e.g. "ns3012345.ip-51-68-1.eu"
	// pending counts the changes not yet applied by a refresh, per IPLB and
	// per zone (REFERENCE §10.3 [INF]).
	pending map[string]map[string]int64
	lbTasks []*lbTask // every IPLB task, in creation (id) order
	ipTasks []*ipTask // every IP task, in creation (id) order
	// failNext queues, per task action/function, the comments of the next
	// tasks to end in error (FailNextTask).
	failNext map[string][]string
	// unpinSpy, when set (tests only), is told of every unpinIP call, so
	// that services can be tested without depending on config's frontends.
	unpinSpy func(sn, block string)
}

func (s *serviceState) init() {
	s.ips = map[string]*ipEntry{}
	s.lbs = map[string]*loadBalancer{}
	s.servers = map[string]*dedicatedHost{}
	s.pending = map[string]map[string]int64{}
	s.failNext = map[string][]string{}
}

// loadBalancer is one IPLB service (ipLoadbalancing.Ip).
type loadBalancer struct {
	serviceName      string
	owner            string // nichandle
	ipv4             string // the IPLB's own address, e.g. "198.51.100.20"
	ipv6             string // "" = null
	displayName      *string
	zones            []string // subscribed zones, e.g. ["gra","rbx"]
	orderable        []orderableZone
	vrack            string // "" = not in a vRack
	vrackEligibility bool
	sslConfiguration *string // null means intermediate (REFERENCE §6.2)
	offer            string
	state            string // ipLoadbalancing.IpStateEnum
}

type orderableZone struct {
	Name     string `json:"name"`
	PlanCode string `json:"planCode"`
}

// dedicatedHost is another service of an account that failover IPs can be
// routed to (a dedicated server); only its name and owner matter here.
type dedicatedHost struct {
	serviceName string
	owner       string
}

// ownsLB reports whether the account nic owns the IPLB sn.
func (w *world) ownsLB(nic, sn string) bool {
	lb := w.svc.lbs[sn]
	return lb != nil && nic != "" && lb.owner == nic
}

// lbZones returns the zones the IPLB sn is subscribed to (e.g. ["gra","rbx"]).
func (w *world) lbZones(sn string) []string {
	if lb := w.svc.lbs[sn]; lb != nil {
		return slices.Clone(lb.zones)
	}
	return nil
}

// lbVrack returns the vRack the IPLB sn is attached to ("pn-100001"), or "".
func (w *world) lbVrack(sn string) string {
	if lb := w.svc.lbs[sn]; lb != nil {
		return lb.vrack
	}
	return ""
}

// lbFailover returns the failover IPs routed to the IPLB sn, as
// GET /ipLoadbalancing/{sn}/failover lists them (blocks, e.g. "203.0.113.10/32").
// The IPLB's own address (type loadBalancing) is not a failover IP.
func (w *world) lbFailover(sn string) []string {
	out := []string{}
	for _, ip := range w.svc.sortedIPs() {
		if ip.typ == ipTypeFailover && ip.routedTo == sn {
			out = append(out, ip.block.String())
		}
	}
	return out
}

// bumpPending records one pending change on the IPLB sn in zone ("all" =
// every zone of the IPLB), REFERENCE §10.3 [INF]. A zone the IPLB is not
// subscribed to is ignored: nothing can be deployed there.
func (w *world) bumpPending(sn, zone string) {
	lb := w.svc.lbs[sn]
	if lb == nil {
		return
	}
	counts := w.svc.pending[sn]
	if counts == nil {
		counts = map[string]int64{}
		w.svc.pending[sn] = counts
	}
	for _, z := range lb.zones {
		if zone == "all" || zone == z {
			counts[z]++
		}
	}
}

// registerServiceRoutes registers /ip, /ipLoadbalancing (service level),
// pendingChanges, refresh and tasks.
func (e *Emulator) registerServiceRoutes() {
	e.registerIPRoutes() // ip.go

	const base = "/ipLoadbalancing/{serviceName}"
	e.handle("GET", "/ipLoadbalancing", false, e.listLBs)
	e.handle("GET", base, false, e.getLB)
	e.handle("PUT", base, false, e.putLB)
	e.handle("GET", base+"/failover", false, e.getLBFailover)
	e.handle("GET", base+"/zone", false, e.listLBZones)
	e.handle("GET", base+"/zone/{name}", false, e.getLBZone)
	e.handle("GET", base+"/pendingChanges", false, e.getPendingChanges)
	e.handle("POST", base+"/refresh", false, e.postRefresh)
	e.handle("GET", base+"/task", false, e.listLBTasks)    // tasks.go
	e.handle("GET", base+"/task/{id}", false, e.getLBTask) // tasks.go
}

// lbFor returns the caller's IPLB named by the serviceName path parameter.
// Another account's IPLB gets the same 404 as a missing one, so that service
// names of other customers cannot be probed.
func (e *Emulator) lbFor(c *call) (*loadBalancer, error) {
	sn := c.param("serviceName")
	if !e.world.ownsLB(callerNic(c), sn) {
		// REFERENCE §3.1, §13 [INF]: the exact 404 text is unknown; this is
		// the shape seen in public material.
		return nil, notFound("The requested object (serviceName = %s) does not exist", sn)
	}
	return e.world.svc.lbs[sn], nil
}

// iamMetadata is iam.ResourceMetadata (REFERENCE §5.2).
type iamMetadata struct {
	DisplayName *string           `json:"displayName"`
	ID          string            `json:"id"`
	State       *string           `json:"state"`
	Tags        map[string]string `json:"tags"`
	URN         string            `json:"urn"`
}

// newIAM builds the IAM metadata of a resource. REFERENCE §5.2 [INF]: the id
// is a stable UUID derived from the resource's kind and name, the URN follows
// the "urn:v1:eu:resource:<kind>:<name>" form, state is OK, no tags.
func newIAM(kind, name string, displayName *string) *iamMetadata {
	ok := "OK"
	return &iamMetadata{DisplayName: displayName, ID: stableUUID(kind + ":" + name), State: &ok,
		URN: "urn:v1:eu:resource:" + kind + ":" + name}
}

// stableUUID derives a UUID from a hash of s, so the same resource keeps the
// same id from one run to the next (version and variant bits set as RFC 9562
// asks, version 8: "custom").
func stableUUID(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// lbJSON is ipLoadbalancing.IpWithIAM (REFERENCE §6.2).
type lbJSON struct {
	DisplayName      *string         `json:"displayName"`
	IAM              *iamMetadata    `json:"iam"`
	IPLoadbalancing  string          `json:"ipLoadbalancing"`
	IPv4             *string         `json:"ipv4"`
	IPv6             *string         `json:"ipv6"`
	MetricsToken     *string         `json:"metricsToken"`
	Offer            string          `json:"offer"`
	OrderableZone    []orderableZone `json:"orderableZone"`
	ServiceName      string          `json:"serviceName"`
	SslConfiguration *string         `json:"sslConfiguration"`
	State            string          `json:"state"`
	VrackEligibility bool            `json:"vrackEligibility"`
	VrackName        *string         `json:"vrackName"`
	Zone             []string        `json:"zone"`
}

func (lb *loadBalancer) toJSON() lbJSON {
	ipv4 := lb.ipv4
	out := lbJSON{
		DisplayName:      lb.displayName,
		IAM:              newIAM("loadbalancer", lb.serviceName, lb.displayName),
		IPLoadbalancing:  lb.ipv4,
		IPv4:             &ipv4,
		Offer:            lb.offer,
		OrderableZone:    append([]orderableZone{}, lb.orderable...),
		ServiceName:      lb.serviceName,
		SslConfiguration: lb.sslConfiguration,
		State:            lb.state,
		VrackEligibility: lb.vrackEligibility,
		Zone:             slices.Clone(lb.zones),
	}
	if lb.ipv6 != "" {
		v6 := lb.ipv6
		out.IPv6 = &v6
	}
	if lb.vrack != "" {
		v := lb.vrack
		out.VrackName = &v
	}
	return out
}

// GET /ipLoadbalancing: the caller's service names.
func (e *Emulator) listLBs(c *call) (any, error) {
	nic := callerNic(c)
	out := []string{}
	for sn, lb := range e.world.svc.lbs {
		if nic != "" && lb.owner == nic {
			out = append(out, sn)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (e *Emulator) getLB(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	return lb.toJSON(), nil
}

// maxLBDisplayName is the schema's limit on displayName (REFERENCE §6.2).
const maxLBDisplayName = 50

// PUT /ipLoadbalancing/{serviceName}: body ipLoadbalancing.Ip, of which only
// displayName and sslConfiguration are writable. Read-only fields are
// ignored and partial bodies merged (REFERENCE §4 [INF]).
func (e *Emulator) putLB(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	var body map[string]json.RawMessage
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	name, setName, err := nullableStringProp(body, "displayName")
	if err != nil {
		return nil, err
	}
	ssl, setSSL, err := nullableStringProp(body, "sslConfiguration")
	if err != nil {
		return nil, err
	}
	if setName && name != nil && utf8.RuneCountInString(*name) > maxLBDisplayName {
		// REFERENCE §6.2 (max 50 characters); wording [INF].
		return nil, badRequest("Invalid value for displayName: at most %d characters are allowed", maxLBDisplayName)
	}
	if setSSL && ssl != nil && *ssl != "intermediate" && *ssl != "modern" {
		// Enum ipLoadbalancing.SslConfigurationEnum (REFERENCE §6.2); wording [INF].
		return nil, badRequest("Invalid value for sslConfiguration: %q is not one of intermediate, modern", *ssl)
	}
	if setName {
		lb.displayName = name
	}
	if setSSL {
		if effectiveSSL(ssl) != effectiveSSL(lb.sslConfiguration) {
			// [INF] REFERENCE §10.3: the TLS settings are deployed with the
			// configuration, so changing them is a pending change in every
			// zone (displayName is only a label and is not).
			e.world.bumpPending(lb.serviceName, "all")
		}
		lb.sslConfiguration = ssl
	}
	return nil, nil
}

// effectiveSSL is the TLS configuration in force: null means intermediate
// (REFERENCE §6.2).
func effectiveSSL(v *string) string {
	if v == nil {
		return "intermediate"
	}
	return *v
}

// nullableStringProp reads a nullable string property of a PUT body. set is
// false when the key is absent; a JSON null gives (nil, true).
func nullableStringProp(body map[string]json.RawMessage, key string) (v *string, set bool, err error) {
	raw, ok := body[key]
	if !ok {
		return nil, false, nil
	}
	if string(raw) == "null" {
		return nil, true, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, false, badRequest("Invalid value for %s: a string is expected", key)
	}
	return &s, true, nil
}

func (e *Emulator) getLBFailover(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	return e.world.lbFailover(lb.serviceName), nil
}

func (e *Emulator) listLBZones(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	return slices.Clone(lb.zones), nil
}

// zoneJSON is ipLoadbalancing.Zone.Zone.
type zoneJSON struct {
	Name  string `json:"name"`
	State string `json:"state"`
}

func (e *Emulator) getLBZone(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	name := c.param("name")
	if !slices.Contains(lb.zones, name) {
		return nil, notFound("The requested object (name = %s) does not exist", name)
	}
	// REFERENCE §6.1: state is a free string; "ok" for a subscribed zone is [INF].
	return zoneJSON{Name: name, State: "ok"}, nil
}

// pendingJSON is ipLoadbalancing.PendingChanges.
type pendingJSON struct {
	Number int64  `json:"number"`
	Zone   string `json:"zone"`
}

// GET pendingChanges lists only the zones with changes (REFERENCE §10.3 [INF]),
// in the IPLB's zone order.
func (e *Emulator) getPendingChanges(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	out := []pendingJSON{}
	for _, z := range lb.zones {
		if n := e.world.svc.pending[lb.serviceName][z]; n > 0 {
			out = append(out, pendingJSON{Number: n, Zone: z})
		}
	}
	return out, nil
}

// POST refresh, body {zone?} or none (= every zone; terraform sends none,
// REFERENCE §10.2 [C]).
func (e *Emulator) postRefresh(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	var body struct {
		Zone *string `json:"zone"`
	}
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	zone := ""
	if body.Zone != nil {
		zone = *body.Zone
	}
	zones := slices.Clone(lb.zones)
	switch {
	case zone == "" || zone == "all":
		// REFERENCE §10.2 [INF]: "all" is taken as every zone, as frontends
		// and farms use it.
		zone = ""
	case slices.Contains(lb.zones, zone):
		zones = []string{zone}
	default:
		// Wording [INF] (REFERENCE §10.1 publishes no texts).
		return nil, badRequest("Zone %q is not a zone of this Load Balancer (its zones: %s)", zone, strings.Join(lb.zones, ", "))
	}
	for _, t := range e.world.svc.lbTasks {
		if t.serviceName == lb.serviceName && t.action == "refreshIplb" && !t.finished() {
			// REFERENCE §10.1 (3) [D], status and wording [INF].
			return nil, conflict("A refresh is already in progress for this Load Balancer")
		}
	}
	if perr := e.world.refreshProblem(lb.serviceName, zone); perr != nil {
		return nil, perr
	}
	t := e.world.newLBTask(lb.serviceName, "refreshIplb", zones)
	return t.toJSON(), nil
}

// pathInt64 parses a long path parameter; a malformed one is a 400 (REFERENCE §13 [INF]).
func pathInt64(c *call, name string) (int64, error) {
	s := c.param(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, badRequest("Invalid value for %s: %q is not an integer", name, s)
	}
	return id, nil
}

// sortedIPs returns every IP entry in address order (then prefix length).
func (s *serviceState) sortedIPs() []*ipEntry {
	out := make([]*ipEntry, 0, len(s.ips))
	for _, ip := range s.ips {
		out = append(out, ip)
	}
	sort.Slice(out, func(i, j int) bool { return prefixLess(out[i].block, out[j].block) })
	return out
}

func prefixLess(a, b netip.Prefix) bool {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c < 0
	}
	return a.Bits() < b.Bits()
}
