package ovhemu

import (
	"slices"
	"time"
)

// The demo services. Addresses come from the documentation ranges
// (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849:
// 2001:db8::/32), so the demo can never point at a real host.
const (
	// DemoLB is DemoAccount's production IPLB "prod-web": zones gra and rbx,
	// attached to the vRack DemoVrack. DemoIPPinned and DemoIPUnpinned are
	// routed to it.
	DemoLB = "loadbalancer-a1b2c3d4e5f60718"
	// DemoLB2 is DemoAccount's IPLB "staging": zones gra and sbg, not in a
	// vRack. It holds the invalid frontend that makes its refresh fail, and
	// DemoIPStaging is routed to it.
	DemoLB2 = "loadbalancer-0f1e2d3c4b5a6978"
	// OtherLB is OtherAccount's IPLB, zone bhs.
	OtherLB = "loadbalancer-99aa88bb77cc66dd"
	// DemoVrack is the vRack DemoLB is attached to.
	DemoVrack = "pn-100001"
	// DemoServer is DemoAccount's dedicated server, the other destination
	// its failover IPs can be moved to.
	DemoServer = "ns3012345.ip-51-68-1.eu"
	// OtherServer is OtherAccount's dedicated server (a destination
	// DemoAccount's IPs must not be moved to).
	OtherServer = "ns3098765.ip-54-36-9.eu"

	// DemoIPPinned is routed to DemoLB and pinned (dedicatedIpfo) to DemoLB's
	// HTTP frontend "www".
	DemoIPPinned = "203.0.113.10/32"
	// DemoIPUnpinned is routed to DemoLB and pinned to no frontend.
	DemoIPUnpinned = "203.0.113.11/32"
	// DemoIPServer is routed to DemoServer.
	DemoIPServer = "203.0.113.12/32"
	// DemoIPParked is parked (routedTo.serviceName null) and can move to
	// DemoLB.
	DemoIPParked = "203.0.113.13/32"
	// DemoIPStaging is routed to DemoLB2.
	DemoIPStaging = "203.0.113.14/32"
	// DemoIPBlock is a /29 failover block routed to DemoServer; being larger
	// than /32 it cannot be moved to an IPLB.
	DemoIPBlock = "203.0.113.16/29"
	// OtherIP is OtherAccount's failover IP, parked.
	OtherIP = "192.0.2.50/32"
)

// seedDemo builds the demo world: accounts, then services (IPs, servers,
// IPLBs, task history), then the IPLBs' configuration (seedConfig, config.go),
// then the pending changes.
func seedDemo(w *world) {
	seedAccountsOnly(w)
	seedServices(w)
	seedConfig(w)
	seedPending(w)
}

// seedServices adds the demo services of both accounts.
func seedServices(w *world) {
	now := w.now()
	days := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }

	w.addServer(DemoServer, DemoAccount)
	w.addServer(OtherServer, OtherAccount)

	// REFERENCE §6.2. [INF]: offer "lb1" and the zone plan codes follow the
	// order plan codes "iplb-lb1" / "iplb-zone-lb1-<zone>" (terraform docs).
	w.addLB(&loadBalancer{serviceName: DemoLB, owner: DemoAccount, ipv4: "198.51.100.20",
		ipv6: "2001:db8:100::20", displayName: strPtr("prod-web"), zones: []string{"gra", "rbx"},
		vrack: DemoVrack, vrackEligibility: true, sslConfiguration: strPtr("modern")})
	w.addLB(&loadBalancer{serviceName: DemoLB2, owner: DemoAccount, ipv4: "198.51.100.21",
		displayName: strPtr("staging"), zones: []string{"gra", "sbg"}, vrackEligibility: true})
	w.addLB(&loadBalancer{serviceName: OtherLB, owner: OtherAccount, ipv4: "192.0.2.10",
		displayName: strPtr("shop"), zones: []string{"bhs"}, vrackEligibility: true})

	gra := ipEntry{typ: ipTypeFailover, country: "fr", campus: "GRA", region: "eu-west-gra", additional: true}
	rbx := ipEntry{typ: ipTypeFailover, country: "fr", campus: "RBX", region: "eu-west-rbx", additional: true}
	add := func(tmpl ipEntry, block, owner, to, desc string) {
		e := tmpl
		e.owner, e.routedTo = owner, to
		if desc != "" {
			e.description = strPtr(desc)
		}
		w.addIP(&e, block)
	}
	add(gra, DemoIPPinned, DemoAccount, DemoLB, "www.example.com")
	add(gra, DemoIPUnpinned, DemoAccount, DemoLB, "api.example.com (spare)")
	add(rbx, DemoIPServer, DemoAccount, DemoServer, "mail.example.com")
	add(gra, DemoIPParked, DemoAccount, "", "")
	add(gra, DemoIPStaging, DemoAccount, DemoLB2, "staging.example.com")
	add(rbx, DemoIPBlock, DemoAccount, DemoServer, "customer VMs")

	// The services' own addresses, which /ip lists too but which cannot move.
	own := func(typ, block, owner, to, campus, region string) {
		w.addIP(&ipEntry{typ: typ, owner: owner, routedTo: to, country: "fr", campus: campus, region: region}, block)
	}
	own(ipTypeLoadBalancing, "198.51.100.20/32", DemoAccount, DemoLB, "GRA", "eu-west-gra")
	own(ipTypeLoadBalancing, "198.51.100.21/32", DemoAccount, DemoLB2, "GRA", "eu-west-gra")
	own(ipTypeDedicated, "198.51.100.100/32", DemoAccount, DemoServer, "RBX", "eu-west-rbx")
	own(ipTypeDedicated, "2001:db8:3012:345::/64", DemoAccount, DemoServer, "RBX", "eu-west-rbx")

	bhs := ipEntry{typ: ipTypeFailover, country: "ca", campus: "BHS", region: "ca-east-bhs", additional: true}
	add(bhs, OtherIP, OtherAccount, "", "")
	w.addIP(&ipEntry{typ: ipTypeLoadBalancing, owner: OtherAccount, routedTo: OtherLB, country: "ca",
		campus: "BHS", region: "ca-east-bhs"}, "192.0.2.10/32")
	w.addIP(&ipEntry{typ: ipTypeDedicated, owner: OtherAccount, routedTo: OtherServer, country: "ca",
		campus: "BHS", region: "ca-east-bhs"}, "192.0.2.100/32")

	// Task history: each IPLB's installation, an older applied refresh, and
	// the move that brought DemoIPPinned to DemoLB.
	w.addDoneLBTask(DemoLB, "installIplb", []string{"gra", "rbx"}, days(210), 12*time.Minute)
	w.addDoneLBTask(DemoLB2, "installIplb", []string{"gra", "sbg"}, days(95), 9*time.Minute)
	w.addDoneLBTask(OtherLB, "installIplb", []string{"bhs"}, days(400), 11*time.Minute)
	w.addDoneLBTask(DemoLB, "refreshIplb", []string{"gra", "rbx"}, days(3), 40*time.Second)
	w.addDoneLBTask(DemoLB2, "refreshIplb", []string{"gra"}, days(12), 35*time.Second)
	start := days(30)
	doneAt := start.Add(45 * time.Second)
	w.svc.ipTasks = append(w.svc.ipTasks, &ipTask{id: w.nextID(), block: DemoIPPinned, function: ipMoveFunction,
		status: "done", start: start, lastUpdate: &doneAt, done: &doneAt, to: DemoLB})
}

// seedPending sets the demo's pending changes, whatever seedConfig counted
// while building the configuration: DemoLB has changes in both zones, and
// so has DemoLB2, whose refresh then fails on its invalid frontend.
func seedPending(w *world) {
	for sn := range w.svc.pending {
		delete(w.svc.pending, sn)
	}
	if w.svc.lbs[DemoLB] == nil {
		return
	}
	w.svc.pending[DemoLB] = map[string]int64{"gra": 2, "rbx": 1}
	w.svc.pending[DemoLB2] = map[string]int64{"gra": 1, "sbg": 1}
}

func strPtr(s string) *string { return &s }

// orderableZoneNames are the zones an IPLB can subscribe to in the emulator
// (REFERENCE §6.2 [D]: lowercase codes such as gra, rbx, bhs).
var orderableZoneNames = []string{"bhs", "gra", "rbx", "sbg"}

// addLB registers an IPLB, filling the fields every IPLB has.
func (w *world) addLB(lb *loadBalancer) {
	if lb.state == "" {
		lb.state = "ok"
	}
	if lb.offer == "" {
		lb.offer = "lb1"
	}
	if lb.orderable == nil {
		lb.orderable = []orderableZone{}
		for _, z := range orderableZoneNames {
			if !slices.Contains(lb.zones, z) {
				lb.orderable = append(lb.orderable, orderableZone{Name: z, PlanCode: "iplb-zone-lb1-" + z})
			}
		}
	}
	w.svc.lbs[lb.serviceName] = lb
}

// addIP registers an IP block. A block that does not parse is skipped (the
// seed's blocks are constants, and seed_test.go checks every one is there).
func (w *world) addIP(ip *ipEntry, block string) {
	p, ok := ipBlockOf(block)
	if !ok {
		return
	}
	ip.block = p
	w.svc.ips[p.String()] = ip
}

// addServer registers a dedicated server of owner.
func (w *world) addServer(sn, owner string) {
	w.svc.servers[sn] = &dedicatedHost{serviceName: sn, owner: owner}
}

// addDoneLBTask records a finished task of the IPLB's history.
func (w *world) addDoneLBTask(sn, action string, zones []string, created time.Time, took time.Duration) {
	done := created.Add(took)
	w.svc.lbTasks = append(w.svc.lbTasks, &lbTask{id: w.nextID(), serviceName: sn, action: action,
		status: "done", progress: 100, created: created, done: &done, zones: zones})
}
