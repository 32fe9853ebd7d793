package ovhemu

import (
	"encoding/json"
	"net/netip"
)

// The IPLB side of the vRack (REFERENCE §11.1): status, creation rules and
// the private networks farms reach their servers through. All BETA routes.

// vrackNetwork is ipLoadbalancing.VrackNetwork.VrackNetwork. The farms
// attached to it are those whose vrackNetworkId is its id.
type vrackNetwork struct {
	ID          int64
	Subnet      string // read-only after creation
	NatIP       string
	Vlan        int64
	DisplayName *string
}

// Creation rules ([INF]: the real numbers are not documented).
const (
	natIPsPerZone    = 16 // minNatIps is 16 addresses per subscribed zone
	maxVrackNetworks = 32 // networks an IPLB can hold
	maxVlan          = 4094
)

// vrackNetworkJSON is ipLoadbalancing.VrackNetwork.VrackNetwork.
type vrackNetworkJSON struct {
	DisplayName    *string       `json:"displayName"`
	FarmID         []definedItem `json:"farmId"`
	NatIP          string        `json:"natIp"`
	Subnet         string        `json:"subnet"`
	Vlan           int64         `json:"vlan"`
	VrackNetworkID int64         `json:"vrackNetworkId"`
}

func (lb *lbConfig) networkView(n *vrackNetwork) vrackNetworkJSON {
	out := vrackNetworkJSON{DisplayName: n.DisplayName, FarmID: []definedItem{}, NatIP: n.NatIP, Subnet: n.Subnet,
		Vlan: n.Vlan, VrackNetworkID: n.ID}
	for _, id := range sortedIDs(lb.farms, func(f *farm) bool { return eqPtr(f.VrackNetworkID, &n.ID) }) {
		out.FarmID = append(out.FarmID, definedItem{ID: id, Type: lb.farms[id].Proto})
	}
	return out
}

func (e *Emulator) registerVrackRoutes() {
	base := "/ipLoadbalancing/{serviceName}/vrack"
	e.handle("GET", base+"/status", false, e.vrackStatus)
	e.handle("GET", base+"/networkCreationRules", false, e.vrackCreationRules)
	e.handle("GET", base+"/network", false, e.listNetworks)
	e.handle("POST", base+"/network", false, e.createNetwork)
	e.handle("GET", base+"/network/{vrackNetworkId}", false, e.getNetwork)
	e.handle("PUT", base+"/network/{vrackNetworkId}", false, e.updateNetwork)
	e.handle("DELETE", base+"/network/{vrackNetworkId}", false, e.deleteNetwork)
	e.handle("POST", base+"/network/{vrackNetworkId}/updateFarmId", false, e.updateNetworkFarms)
}

// vrackInfoJSON is ipLoadbalancing.VrackInformation.
type vrackInfoJSON struct {
	State     string  `json:"state"`
	Task      []int64 `json:"task"`
	VrackName *string `json:"vrackName"`
}

// vrackStatus reports the IPLB's vRack link. Attaching happens on the
// /vrack side, which the emulator does not model, so the state is active
// or inactive and task is empty.
func (e *Emulator) vrackStatus(c *call) (any, error) {
	sn, _, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	if vr := e.world.lbVrack(sn); vr != "" {
		return vrackInfoJSON{State: "active", Task: []int64{}, VrackName: &vr}, nil
	}
	return vrackInfoJSON{State: "inactive", Task: []int64{}}, nil
}

// vrackCreationRulesJSON is ipLoadbalancing.VrackNetworkCreationRules.
type vrackCreationRulesJSON struct {
	MinNatIps         int64  `json:"minNatIps"`
	RemainingNetworks int64  `json:"remainingNetworks"`
	VrackName         string `json:"vrackName"`
}

// notInVrack is the refusal of network operations on an IPLB outside a
// vRack ([INF]: not documented; vrackName is not nullable in the creation
// rules, so there is nothing to answer with).
func notInVrack(sn string) error {
	return badRequest("Load Balancer %s is not attached to a vRack", sn)
}

func (w *world) minNatIps(sn string) int64 {
	n := int64(len(w.lbZones(sn))) * natIPsPerZone
	return max(n, natIPsPerZone)
}

func (e *Emulator) vrackCreationRules(c *call) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	vr := e.world.lbVrack(sn)
	if vr == "" {
		return nil, notInVrack(sn)
	}
	return vrackCreationRulesJSON{MinNatIps: e.world.minNatIps(sn),
		RemainingNetworks: int64(max(maxVrackNetworks-len(lb.networks), 0)), VrackName: vr}, nil
}

// listNetworks serves GET …/vrack/network with its filters subnet (=) and
// vlan (=). An IPLB outside a vRack has none.
func (e *Emulator) listNetworks(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	vlan, err := queryInt(c, "vlan")
	if err != nil {
		return nil, err
	}
	subnet := c.query("subnet")
	var want netip.Prefix
	if subnet != "" {
		if want, err = parseBlock("subnet", subnet); err != nil {
			return nil, err
		}
	}
	return sortedIDs(lb.networks, func(n *vrackNetwork) bool {
		return (vlan == nil || n.Vlan == *vlan) && (subnet == "" || n.Subnet == want.Masked().String())
	}), nil
}

// networkAt finds the network {vrackNetworkId}, or a 404.
func networkAt(c *call, lb *lbConfig) (*vrackNetwork, error) {
	return objectAt(c, lb.networks, "vrackNetworkId", func(*vrackNetwork) bool { return true })
}

func (e *Emulator) getNetwork(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	n, err := networkAt(c, lb)
	if err != nil {
		return nil, err
	}
	return lb.networkView(n), nil
}

func (n *vrackNetwork) specs(farmIDs *[]int64) []fieldSpec {
	return []fieldSpec{
		readOnly("vrackNetworkId"),
		onCreate(value("subnet", &n.Subnet)),
		value("natIp", &n.NatIP),
		value("vlan", &n.Vlan),
		nullable("displayName", &n.DisplayName),
		// On POST farmId is a long[] of farms to attach; in the model it is
		// the read-only list of attached farms.
		onCreate(fieldSpec{name: "farmId", set: func(raw json.RawMessage) error { return decodeFarmIDs(raw, farmIDs) }}),
	}
}

// decodeFarmIDs reads a farmId body value: a list of farm ids, null = none.
func decodeFarmIDs(raw json.RawMessage, dst *[]int64) error {
	if isNull(raw) {
		*dst = nil
		return nil
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil {
		return badType("farmId", ids, raw)
	}
	*dst = ids
	return nil
}

// createNetwork serves POST …/vrack/network: subnet and natIp are required
// (REFERENCE §11.1 [S]); farmId attaches farms at once.
func (e *Emulator) createNetwork(c *call) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	if e.world.lbVrack(sn) == "" {
		return nil, notInVrack(sn) // REFERENCE §11.1 [INF]
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	n := &vrackNetwork{}
	var farmIDs []int64
	if err := applyFields("a vRack network", in, n.specs(&farmIDs), true); err != nil {
		return nil, err
	}
	if err := in.require("subnet", "natIp"); err != nil {
		return nil, err
	}
	if len(lb.networks) >= maxVrackNetworks {
		return nil, badRequest("A Load Balancer holds at most %d vRack networks", maxVrackNetworks)
	}
	if err := e.world.checkNetwork(sn, lb, n, true); err != nil {
		return nil, err
	}
	if err := checkFarmIDs(lb, farmIDs); err != nil {
		return nil, err
	}
	e.world.storeNetwork(sn, n)
	attachFarms(lb, n.ID, farmIDs)
	e.world.bumpPending(sn, zoneAll) // REFERENCE §10.3 [INF]: a network concerns every zone
	return lb.networkView(n), nil
}

// updateNetwork serves PUT …/vrack/network/{id}, a partial merge: natIp,
// vlan and displayName are writable; subnet and farmId are read-only.
func (e *Emulator) updateNetwork(c *call) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	old, err := networkAt(c, lb)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	n := *old
	if err := applyFields("a vRack network", in, n.specs(new([]int64)), false); err != nil {
		return nil, err
	}
	if err := e.world.checkNetwork(sn, lb, &n, false); err != nil {
		return nil, err
	}
	*old = n
	e.world.bumpPending(sn, zoneAll)
	return nil, nil
}

// deleteNetwork serves DELETE …/vrack/network/{id}. A network still used
// by farms is not deleted ([INF]: terraform detaches the farms with
// updateFarmId before deleting, which suggests the API refuses otherwise).
func (e *Emulator) deleteNetwork(c *call) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	n, err := networkAt(c, lb)
	if err != nil {
		return nil, err
	}
	if ids := sortedIDs(lb.farms, func(f *farm) bool { return eqPtr(f.VrackNetworkID, &n.ID) }); len(ids) > 0 {
		f := lb.farms[ids[0]]
		return nil, badRequest("vRack network %d is still used by %s: detach its farms first (updateFarmId)",
			n.ID, named(protoLabel(f.Proto)+" farm", f.ID, f.DisplayName))
	}
	delete(lb.networks, n.ID)
	e.world.bumpPending(sn, zoneAll)
	return nil, nil
}

// updateNetworkFarms serves POST …/network/{id}/updateFarmId: the farms in
// farmId become exactly the farms attached to the network; null or []
// detaches them all (REFERENCE §11.1 [D]). [INF]: a listed farm attached to
// another network moves to this one. It returns the network.
func (e *Emulator) updateNetworkFarms(c *call) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	n, err := networkAt(c, lb)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := applyFields("updateFarmId", in, []fieldSpec{{name: "farmId", set: func(raw json.RawMessage) error {
		return decodeFarmIDs(raw, &ids)
	}}}, true); err != nil {
		return nil, err
	}
	if err := in.require("farmId"); err != nil {
		return nil, err
	}
	if err := checkFarmIDs(lb, ids); err != nil {
		return nil, err
	}
	for _, f := range lb.farms {
		if eqPtr(f.VrackNetworkID, &n.ID) {
			f.VrackNetworkID = nil
		}
	}
	attachFarms(lb, n.ID, ids)
	e.world.bumpPending(sn, zoneAll)
	return lb.networkView(n), nil
}

func checkFarmIDs(lb *lbConfig, ids []int64) error {
	for _, id := range ids {
		if lb.farms[id] == nil {
			return badRequest("Invalid value for farmId: %d is not a farm of this Load Balancer", id)
		}
	}
	return nil
}

func attachFarms(lb *lbConfig, netID int64, ids []int64) {
	for _, id := range ids {
		if f := lb.farms[id]; f != nil {
			f.VrackNetworkID = &netID
		}
	}
}

// storeNetwork stores n with a new id (no validation, no pending change).
func (w *world) storeNetwork(sn string, n *vrackNetwork) *vrackNetwork {
	n.ID = w.nextID()
	w.conf.lb(sn).networks[n.ID] = n
	return n
}

// checkNetwork validates a network about to be stored. [INF] beyond
// "natIp inside subnet" (REFERENCE §11.1 [D]) and minNatIps (§11.1 [S]):
// both blocks must be private IPv4 network addresses, the subnet must not
// overlap another network's, and the VLAN is in 0..4094.
func (w *world) checkNetwork(sn string, lb *lbConfig, n *vrackNetwork, creating bool) error {
	subnet, err := networkBlock("subnet", n.Subnet)
	if err != nil {
		return err
	}
	nat, err := networkBlock("natIp", n.NatIP)
	if err != nil {
		return err
	}
	if nat.Bits() < subnet.Bits() || !subnet.Contains(nat.Addr()) {
		return badRequest("Invalid value for natIp: %s is not inside the subnet %s", n.NatIP, n.Subnet)
	}
	size := int64(1) << (32 - nat.Bits())
	if minIPs := w.minNatIps(sn); size < minIPs {
		return badRequest("Invalid value for natIp: %s holds %d addresses, fewer than the %d this Load Balancer needs (see networkCreationRules)",
			n.NatIP, size, minIPs)
	}
	if creating {
		for _, id := range sortedIDs(lb.networks, nil) {
			if o, err := netip.ParsePrefix(lb.networks[id].Subnet); err == nil && o.Overlaps(subnet) {
				return badRequest("Invalid value for subnet: %s overlaps vRack network %d (%s)", n.Subnet, id, o)
			}
		}
	}
	return checkRange("vlan", n.Vlan, 0, maxVlan)
}

// networkBlock parses a private IPv4 network address in CIDR form.
func networkBlock(field, s string) (netip.Prefix, error) {
	p, err := parseBlock(field, s)
	if err != nil {
		return p, err
	}
	if !p.Addr().Is4() || !p.Addr().IsPrivate() {
		return p, badRequest("Invalid value for %s: %s is not a private IPv4 block", field, s)
	}
	return p, nil
}
