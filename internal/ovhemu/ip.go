package ovhemu

import (
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// IP types used by the emulator (ip.IpTypeEnum, REFERENCE §5.2).
const (
	ipTypeFailover      = "failover"
	ipTypeLoadBalancing = "loadBalancing"
	ipTypeDedicated     = "dedicated"
)

// ipTypeEnum is ip.IpTypeEnum, to validate the type filter.
var ipTypeEnum = []string{"cdn", "cloud", "dedicated", "failover", "hosted_ssl", "housing", "loadBalancing",
	"mail", "overthebox", "pcc", "pci", "private", "vpn", "vps", "vrack", "xdsl"}

// ipEntry is one IP block of an account (ip.Ip).
type ipEntry struct {
	block       netip.Prefix // canonical (masked)
	owner       string       // nichandle
	typ         string       // ip.IpTypeEnum
	routedTo    string       // service the IP is routed to; "" = parked
	description *string
	country     string // coreTypes.CountryEnum, e.g. "fr"
	campus      string // ip.CampusEnum, e.g. "GRA"
	region      string // coreTypes.RegionCodenameEnum, e.g. "eu-west-gra"
	additional  bool   // an Additional (failover) IP
}

// version is ip.IpVersionEnum. Its enumType is long in the schema, so it
// is sent as a JSON number (4 or 6), as the generated typings of the API do
// (api-ovh-node: `type IpVersionEnum = 4 | 6`).
func (ip *ipEntry) version() int {
	if ip.block.Addr().Is4() {
		return 4
	}
	return 6
}

// routedToJSON is ip.RoutedTo; a parked IP has serviceName null.
type routedToJSON struct {
	ServiceName *string `json:"serviceName"`
}

func routedTo(sn string) *routedToJSON {
	if sn == "" {
		return &routedToJSON{}
	}
	return &routedToJSON{ServiceName: &sn}
}

// ipJSON is ip.IpWithIAM (REFERENCE §5.2).
type ipJSON struct {
	BringYourOwnIP  bool          `json:"bringYourOwnIp"`
	Campus          *string       `json:"campus"`
	CanBeTerminated bool          `json:"canBeTerminated"`
	Country         *string       `json:"country"`
	Description     *string       `json:"description"`
	IAM             *iamMetadata  `json:"iam"`
	IP              string        `json:"ip"`
	IsAdditionalIP  bool          `json:"isAdditionalIp"`
	OrganisationID  *string       `json:"organisationId"`
	Regions         []string      `json:"regions"`
	Rir             *string       `json:"rir"`
	RoutedTo        *routedToJSON `json:"routedTo"`
	Type            string        `json:"type"`
	Version         int           `json:"version"`
}

func (ip *ipEntry) toJSON() ipJSON {
	out := ipJSON{
		// REFERENCE §5.2 [INF]: only Additional IPs can be terminated on their own; the
		// address of a server or of an IPLB goes with its service.
		CanBeTerminated: ip.additional,
		Description:     ip.description,
		IAM:             newIAM("ip", ip.block.String(), nil),
		IP:              ip.block.String(),
		IsAdditionalIP:  ip.additional,
		RoutedTo:        routedTo(ip.routedTo),
		Type:            ip.typ,
		Version:         ip.version(),
	}
	if ip.campus != "" {
		c := ip.campus
		out.Campus = &c
	}
	if ip.country != "" {
		c := ip.country
		out.Country = &c
	}
	if ip.region != "" {
		out.Regions = []string{ip.region}
	}
	rir := "RIPE"
	if ip.country == "ca" || ip.country == "us" {
		rir = "ARIN"
	}
	out.Rir = &rir
	return out
}

// registerIPRoutes registers /ip and its move, park and task operations.
func (e *Emulator) registerIPRoutes() {
	e.handle("GET", "/ip", false, e.listIPs)
	e.handle("GET", "/ip/{ip}", false, e.getIP)
	e.handle("PUT", "/ip/{ip}", false, e.putIP)
	e.handle("GET", "/ip/{ip}/move", false, e.getIPMove)
	e.handle("POST", "/ip/{ip}/move", false, e.postIPMove)
	e.handle("POST", "/ip/{ip}/park", false, e.postIPPark)
	e.handle("GET", "/ip/{ip}/task", false, e.listIPTasks)        // tasks.go
	e.handle("GET", "/ip/{ip}/task/{taskId}", false, e.getIPTask) // tasks.go
}

// ipBlockOf reads an ipBlock: a CIDR, or a bare address taken as a single
// address block. It returns the canonical (masked) prefix, so
// "203.0.113.17/29" names the block 203.0.113.16/29. Both leniencies are
// [INF] (REFERENCE §5.1 says only that {ip} is an ipBlock).
func ipBlockOf(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// ipFor returns the caller's IP named by the {ip} path parameter (which
// arrives %2F-encoded and is unescaped by the mux). Another account's IP gets
// the same 404 as a missing one.
func (e *Emulator) ipFor(c *call) (*ipEntry, error) {
	raw := c.param("ip")
	p, ok := ipBlockOf(raw)
	if !ok {
		// REFERENCE §5.1 [INF]: wording.
		return nil, badRequest("Invalid value for ip: %q is not an IP block", raw)
	}
	ip := e.world.svc.ips[p.String()]
	if ip == nil || ip.owner != callerNic(c) || callerNic(c) == "" {
		// REFERENCE §13 [INF]: the real 404 text is unknown.
		return nil, notFound("The requested object (ip = %s) does not exist", p.String())
	}
	return ip, nil
}

// GET /ip with the schema's filters (REFERENCE §5.1).
func (e *Emulator) listIPs(c *call) (any, error) {
	q := c.r.URL.Query()
	var match []func(*ipEntry) bool
	if v := q.Get("type"); v != "" {
		if !slices.Contains(ipTypeEnum, v) {
			return nil, badRequest("Invalid value for type: %q is not a valid ip.IpTypeEnum", v) // REFERENCE §5.1 [INF]: wording
		}
		match = append(match, func(ip *ipEntry) bool { return ip.typ == v })
	}
	if v := q.Get("routedTo.serviceName"); v != "" {
		match = append(match, func(ip *ipEntry) bool { return ip.routedTo != "" && sqlLike(v, ip.routedTo, false) })
	}
	if v := q.Get("ip"); v != "" {
		f, ok := ipBlockOf(v)
		if !ok {
			return nil, badRequest("Invalid value for ip: %q is not an IP block", v) // REFERENCE §5.1 [INF]: wording
		}
		// "contains or equals": the IP's block contains (or is) the filter.
		match = append(match, func(ip *ipEntry) bool {
			return ip.block.Bits() <= f.Bits() && ip.block.Contains(f.Addr())
		})
	}
	if v := q.Get("version"); v != "" {
		if v != "4" && v != "6" {
			return nil, badRequest("Invalid value for version: %q is not a valid ip.IpVersionEnum", v) // REFERENCE §5.1 [INF]: wording
		}
		match = append(match, func(ip *ipEntry) bool { return (ip.version() == 4) == (v == "4") })
	}
	if v := q.Get("description"); v != "" {
		match = append(match, func(ip *ipEntry) bool { return ip.description != nil && sqlLike(v, *ip.description, false) })
	}
	if v := q.Get("campus"); v != "" {
		match = append(match, func(ip *ipEntry) bool { return ip.campus != "" && sqlLike(v, ip.campus, true) })
	}
	if v := q.Get("isAdditionalIp"); v != "" {
		if v != "true" && v != "false" {
			return nil, badRequest("Invalid value for isAdditionalIp: %q is not a boolean", v) // REFERENCE §5.1 [INF]: wording
		}
		match = append(match, func(ip *ipEntry) bool { return ip.additional == (v == "true") })
	}
	// iamTags: no resource of the emulator has tags; the filter is not
	// implemented (REFERENCE §5.1 [INF]; the console does not use it).
	nic := callerNic(c)
	out := []string{}
next:
	for _, ip := range e.world.svc.sortedIPs() {
		if nic == "" || ip.owner != nic {
			continue
		}
		for _, m := range match {
			if !m(ip) {
				continue next
			}
		}
		out = append(out, ip.block.String())
	}
	return out, nil
}

// sqlLike matches s against a "like" filter (REFERENCE §4): "%" matches any
// run of characters and "_" any one character; REFERENCE §4 [INF]: without wildcards it is
// an exact match. fold makes it case-insensitive ("ilike").
func sqlLike(pattern, s string, fold bool) bool {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString("(?s:.*)")
		case '_':
			b.WriteString("(?s:.)")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

func (e *Emulator) getIP(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	return ip.toJSON(), nil
}

// maxIPDescription bounds descriptions (REFERENCE §5.2 [INF]: the schema sets no limit; the
// emulator refuses absurd sizes rather than storing them).
const maxIPDescription = 255

// PUT /ip/{ip}: body ip.Ip, of which only description is writable; other
// fields are read-only and ignored (REFERENCE §4 [INF]).
func (e *Emulator) putIP(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	var body map[string]json.RawMessage
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	desc, set, err := nullableStringProp(body, "description")
	if err != nil {
		return nil, err
	}
	if set && desc != nil && len([]rune(*desc)) > maxIPDescription {
		return nil, badRequest("Invalid value for description: at most %d characters are allowed", maxIPDescription)
	}
	if set {
		ip.description = desc
	}
	return nil, nil
}

// destinationJSON is ip.Destination.
type destinationJSON struct {
	Nexthop []string `json:"nexthop"`
	Service string   `json:"service"`
}

// destinationsJSON is ip.Destinations (REFERENCE §5.3). The kinds of service
// the emulator does not model are null.
type destinationsJSON struct {
	CloudProject        []destinationJSON `json:"cloudProject"`
	DedicatedCloud      []destinationJSON `json:"dedicatedCloud"`
	DedicatedServer     []destinationJSON `json:"dedicatedServer"`
	HostingReseller     []destinationJSON `json:"hostingReseller"`
	IPLoadbalancing     []destinationJSON `json:"ipLoadbalancing"`
	VmwareCloudDirector []destinationJSON `json:"vmwareCloudDirector"`
	Vps                 []destinationJSON `json:"vps"`
}

// moveTargets lists where ip may be moved: the owner's IPLBs and dedicated
// servers, except where it already is. Only failover IPs move.
// REFERENCE §5.3 [INF]: an IPLB takes only single IPv4 addresses (/32), so a
// larger block or an IPv6 block is offered servers only.
func (w *world) moveTargets(ip *ipEntry) (lbs, servers []string) {
	lbs, servers = []string{}, []string{}
	if ip.typ != ipTypeFailover {
		return lbs, servers
	}
	single := ip.block.Addr().Is4() && ip.block.Bits() == 32
	for sn, lb := range w.svc.lbs {
		if single && lb.owner == ip.owner && lb.state == "ok" && sn != ip.routedTo {
			lbs = append(lbs, sn)
		}
	}
	for sn, s := range w.svc.servers {
		if s.owner == ip.owner && sn != ip.routedTo {
			servers = append(servers, sn)
		}
	}
	slices.Sort(lbs)
	slices.Sort(servers)
	return lbs, servers
}

func (e *Emulator) getIPMove(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	lbs, servers := e.world.moveTargets(ip)
	out := destinationsJSON{DedicatedServer: []destinationJSON{}, IPLoadbalancing: []destinationJSON{}}
	// REFERENCE §5.3 [INF]: nexthop is null: neither an IPLB nor a dedicated server needs
	// one in the emulator.
	for _, sn := range lbs {
		out.IPLoadbalancing = append(out.IPLoadbalancing, destinationJSON{Service: sn})
	}
	for _, sn := range servers {
		out.DedicatedServer = append(out.DedicatedServer, destinationJSON{Service: sn})
	}
	return out, nil
}

// runningIPTask returns the unfinished task on block, if any.
func (w *world) runningIPTask(block string) *ipTask {
	for _, t := range w.svc.ipTasks {
		if t.block == block && !t.finished() {
			return t
		}
	}
	return nil
}

// POST /ip/{ip}/move {to, nexthop?} (REFERENCE §5.1).
func (e *Emulator) postIPMove(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	var body struct {
		To      *string `json:"to"`
		Nexthop *string `json:"nexthop"`
	}
	if err := c.decode(&body); err != nil {
		return nil, err
	}
	// REFERENCE §5.1 [INF]: all the wordings below are invented; none is published.
	if body.To == nil || *body.To == "" {
		return nil, badRequest("Missing parameter: to (the service to route the IP to)")
	}
	to := *body.To
	block := ip.block.String()
	if t := e.world.runningIPTask(block); t != nil {
		return nil, conflict("A move of %s is already in progress (task %d)", block, t.id)
	}
	if to == ip.routedTo {
		return nil, badRequest("%s is already routed to %s", block, to)
	}
	lb, srv := e.world.svc.lbs[to], e.world.svc.servers[to]
	owned := (lb != nil && lb.owner == ip.owner) || (srv != nil && srv.owner == ip.owner)
	if !owned {
		// Another account's service gets the same answer as a missing one.
		return nil, badRequest("Destination service %s does not exist", to)
	}
	lbs, servers := e.world.moveTargets(ip)
	if !slices.Contains(lbs, to) && !slices.Contains(servers, to) {
		if lb != nil && ip.typ == ipTypeFailover {
			return nil, badRequest("%s cannot be routed to a Load Balancer: only a single IPv4 address (/32) can", block)
		}
		return nil, badRequest("%s is not an allowed destination for %s (see GET /ip/{ip}/move)", to, block)
	}
	if body.Nexthop != nil && *body.Nexthop != "" {
		// No destination of the emulator offers nexthops (getIPMove).
		return nil, badRequest("Invalid nexthop %q: %s offers no nexthop", *body.Nexthop, to)
	}
	t := e.world.newIPTask(ip, to)
	return t.toJSON(), nil
}

// POST /ip/{ip}/park: detach the IP from its service (REFERENCE §5.1).
func (e *Emulator) postIPPark(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	block := ip.block.String()
	// REFERENCE §5.1 [INF]: wordings invented.
	if ip.typ != ipTypeFailover {
		return nil, badRequest("%s is not an Additional IP and cannot be parked", block)
	}
	if t := e.world.runningIPTask(block); t != nil {
		return nil, conflict("A move of %s is already in progress (task %d)", block, t.id)
	}
	if ip.routedTo == "" {
		return nil, badRequest("%s is already parked", block)
	}
	t := e.world.newIPTask(ip, "")
	return t.toJSON(), nil
}

// callerNic is the caller's nichandle, "" when there is none (which owns
// nothing).
func callerNic(c *call) string {
	if c.account == nil {
		return ""
	}
	return c.account.NicHandle
}
