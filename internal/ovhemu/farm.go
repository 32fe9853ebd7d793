package ovhemu

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
)

// farm is an HTTP, TCP or UDP farm (backend), REFERENCE §8.1.
type farm struct {
	ID             int64
	Proto          string
	Zone           string // required on POST, read-only after
	DisplayName    *string
	Port           *int64 // udp: required, never null
	Balance        *string
	Stickiness     *string
	Probe          *probe
	VrackNetworkID *int64
}

// probe is ipLoadbalancing.BackendProbe; every field is nullable.
type probe struct {
	ForceSsl *bool   `json:"forceSsl"`
	Interval *int64  `json:"interval"`
	Match    *string `json:"match"`
	Method   *string `json:"method"`
	Negate   *bool   `json:"negate"`
	Pattern  *string `json:"pattern"`
	Port     *int64  `json:"port"`
	Type     *string `json:"type"`
	URL      *string `json:"url"`
}

// Enums of the schema (REFERENCE §8).
var (
	balanceEnum = map[string][]string{
		protoHTTP: {"first", "leastconn", "roundrobin", "source", "uri"}, // BalanceHTTPEnum
		protoTCP:  {"first", "leastconn", "roundrobin", "source"},        // BalanceTCPEnum
	}
	stickinessEnum = map[string][]string{
		protoHTTP: {"cookie", "sourceIp"}, // StickinessHTTPEnum
		protoTCP:  {"sourceIp"},           // StickinessTCPEnum
	}
	probeTypeEnum        = []string{"http", "internal", "mysql", "oco", "pgsql", "smtp", "tcp"}
	probeMethodEnum      = []string{"GET", "HEAD", "OPTIONS", "internal"}
	probeMatchEnum       = []string{"contains", "default", "internal", "matches", "status"}
	serverStatusEnum     = []string{"active", "inactive"}
	proxyProtocolEnum    = []string{"v1", "v2", "v2-ssl", "v2-ssl-cn"}
	onMarkedDownEnum     = []string{"shutdown-sessions"}
	minProbeInterval     = int64(30) // REFERENCE §8.1 [S]: at least 30 s
	maxServerWeight      = int64(256)
	maxBackendPortNumber = int64(65535)
)

func (f *farm) specs() []fieldSpec {
	s := []fieldSpec{
		readOnly("farmId"),
		onCreate(value("zone", &f.Zone)),
		nullable("displayName", &f.DisplayName),
		nullable("port", &f.Port),
		nullable("vrackNetworkId", &f.VrackNetworkID),
	}
	if f.Proto != protoUDP {
		s = append(s,
			nullable("balance", &f.Balance),
			nullable("stickiness", &f.Stickiness),
			fieldSpec{name: "probe", set: func(raw json.RawMessage) error {
				if isNull(raw) {
					f.Probe = nil
					return nil
				}
				// [INF]: a probe in a PUT replaces the whole probe object.
				var p probe
				if err := strictDecode("probe", raw, &p); err != nil {
					return err
				}
				f.Probe = &p
				return nil
			}},
		)
	}
	return s
}

// backendHTTPJSON is ipLoadbalancing.backendHttp.BackendHttp; the TCP model
// has the same fields (with its own enums).
type backendHTTPJSON struct {
	Balance        *string `json:"balance"`
	DisplayName    *string `json:"displayName"`
	FarmID         int64   `json:"farmId"`
	Port           *int64  `json:"port"`
	Probe          *probe  `json:"probe"`
	Stickiness     *string `json:"stickiness"`
	VrackNetworkID *int64  `json:"vrackNetworkId"`
	Zone           string  `json:"zone"`
}

// backendUDPJSON is ipLoadbalancing.backendUdp.BackendUdp (port not null).
type backendUDPJSON struct {
	DisplayName    *string `json:"displayName"`
	FarmID         int64   `json:"farmId"`
	Port           int64   `json:"port"`
	VrackNetworkID *int64  `json:"vrackNetworkId"`
	Zone           string  `json:"zone"`
}

func (f *farm) view() any {
	if f.Proto == protoUDP {
		var port int64
		if f.Port != nil {
			port = *f.Port
		}
		return backendUDPJSON{DisplayName: f.DisplayName, FarmID: f.ID, Port: port, VrackNetworkID: f.VrackNetworkID, Zone: f.Zone}
	}
	return backendHTTPJSON{Balance: f.Balance, DisplayName: f.DisplayName, FarmID: f.ID, Port: f.Port,
		Probe: f.Probe, Stickiness: f.Stickiness, VrackNetworkID: f.VrackNetworkID, Zone: f.Zone}
}

func (e *Emulator) registerFarmRoutes(proto string) {
	base := "/ipLoadbalancing/{serviceName}/" + proto + "/farm"
	e.handle("GET", base, false, func(c *call) (any, error) { return e.listFarms(c, proto) })
	e.handle("POST", base, false, func(c *call) (any, error) { return e.createFarm(c, proto) })
	e.handle("GET", base+"/{farmId}", false, func(c *call) (any, error) { return e.getFarm(c, proto) })
	e.handle("PUT", base+"/{farmId}", false, func(c *call) (any, error) { return e.updateFarm(c, proto) })
	e.handle("DELETE", base+"/{farmId}", false, func(c *call) (any, error) { return e.deleteFarm(c, proto) })
	srv := base + "/{farmId}/server"
	e.handle("GET", srv, false, func(c *call) (any, error) { return e.listServers(c, proto) })
	e.handle("POST", srv, false, func(c *call) (any, error) { return e.createServer(c, proto) })
	e.handle("GET", srv+"/{serverId}", false, func(c *call) (any, error) { return e.getServer(c, proto) })
	e.handle("PUT", srv+"/{serverId}", false, func(c *call) (any, error) { return e.updateServer(c, proto) })
	e.handle("DELETE", srv+"/{serverId}", false, func(c *call) (any, error) { return e.deleteServer(c, proto) })
}

// listFarms serves GET …/farm with its filters vrackNetworkId (=), zone (=).
func (e *Emulator) listFarms(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	net, err := queryInt(c, "vrackNetworkId")
	if err != nil {
		return nil, err
	}
	zone := c.query("zone")
	return sortedIDs(lb.farms, func(f *farm) bool {
		return f.Proto == proto && (net == nil || eqPtr(f.VrackNetworkID, net)) && (zone == "" || f.Zone == zone)
	}), nil
}

// farmAt finds the farm {farmId} of proto, or a 404.
func farmAt(c *call, lb *lbConfig, proto string) (*farm, error) {
	return objectAt(c, lb.farms, "farmId", func(f *farm) bool { return f.Proto == proto })
}

func (e *Emulator) getFarm(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return f.view(), nil
}

// createFarm serves POST …/farm: zone is required, and port for UDP
// (REFERENCE §8.1 [S]).
func (e *Emulator) createFarm(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	f := &farm{Proto: proto}
	if err := applyFields("a "+protoLabel(proto)+" farm", in, f.specs(), true); err != nil {
		return nil, err
	}
	required := []string{"zone"}
	if proto == protoUDP {
		required = append(required, "port")
	}
	if err := in.require(required...); err != nil {
		return nil, err
	}
	if err := e.world.checkFarm(sn, lb, f); err != nil {
		return nil, err
	}
	e.world.storeFarm(sn, f)
	e.world.bumpPending(sn, f.Zone) // REFERENCE §10.3 [INF]
	return f.view(), nil
}

// updateFarm serves PUT …/farm/{id}, a partial merge (REFERENCE §4 [INF]);
// zone and farmId are read-only and ignored.
func (e *Emulator) updateFarm(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	old, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	f := *old
	if err := applyFields("a "+protoLabel(proto)+" farm", in, f.specs(), false); err != nil {
		return nil, err
	}
	if err := e.world.checkFarm(sn, lb, &f); err != nil {
		return nil, err
	}
	*old = f
	e.world.bumpPending(sn, f.Zone)
	return nil, nil
}

// deleteFarm serves DELETE …/farm/{id}, with the farm's servers. A farm that
// is still the default farm of a frontend or the target of a route is not
// deleted: 400 naming the user ([INF]: not documented; refusing keeps every
// frontend's default farm existing, instead of leaving dangling ids that
// only a refresh would reveal).
func (e *Emulator) deleteFarm(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	for _, id := range sortedIDs(lb.frontends, nil) {
		fr := lb.frontends[id]
		if eqPtr(fr.DefaultFarmID, &f.ID) {
			return nil, badRequest("%s is the default farm of %s: change that frontend first",
				named("Farm", f.ID, f.DisplayName), named(protoLabel(fr.Proto)+" frontend", fr.ID, fr.DisplayName))
		}
	}
	target := strconv.FormatInt(f.ID, 10)
	for _, id := range sortedIDs(lb.routes, nil) {
		r := lb.routes[id]
		if r.Proto == f.Proto && r.Action.Type == "farm" && r.Action.Target != nil && *r.Action.Target == target {
			return nil, badRequest("%s is the target of %s: change that route first",
				named("Farm", f.ID, f.DisplayName), named(protoLabel(r.Proto)+" route", r.ID, r.DisplayName))
		}
	}
	for id, s := range lb.servers {
		if s.FarmID == f.ID {
			delete(lb.servers, id)
		}
	}
	delete(lb.farms, f.ID)
	e.world.bumpPending(sn, f.Zone)
	return nil, nil
}

// storeFarm stores f with a new id (no validation, no pending change).
func (w *world) storeFarm(sn string, f *farm) *farm {
	f.ID = w.nextID()
	w.conf.lb(sn).farms[f.ID] = f
	return f
}

// checkFarm validates a farm about to be stored.
func (w *world) checkFarm(sn string, lb *lbConfig, f *farm) error {
	if err := w.checkZone(sn, "zone", f.Zone); err != nil {
		return err
	}
	if f.Proto == protoUDP && f.Port == nil {
		return badRequest("Invalid value for port: a UDP farm needs a port") // REFERENCE §8.1 [S]: not nullable
	}
	if f.Port != nil {
		if err := checkRange("port", *f.Port, 1, maxBackendPortNumber); err != nil {
			return err
		}
	}
	if f.Balance != nil && !slices.Contains(balanceEnum[f.Proto], *f.Balance) {
		return badEnum("balance", *f.Balance, balanceEnum[f.Proto])
	}
	if f.Stickiness != nil && !slices.Contains(stickinessEnum[f.Proto], *f.Stickiness) {
		return badEnum("stickiness", *f.Stickiness, stickinessEnum[f.Proto])
	}
	if p := f.Probe; p != nil {
		if p.Type != nil && !slices.Contains(probeTypeEnum, *p.Type) {
			return badEnum("probe.type", *p.Type, probeTypeEnum)
		}
		if p.Method != nil && !slices.Contains(probeMethodEnum, *p.Method) {
			return badEnum("probe.method", *p.Method, probeMethodEnum)
		}
		if p.Match != nil && !slices.Contains(probeMatchEnum, *p.Match) {
			return badEnum("probe.match", *p.Match, probeMatchEnum)
		}
		if p.Match != nil && *p.Match == "status" && (p.Type == nil || *p.Type != "http") {
			// REFERENCE §8.1 [S]: "status" is only supported for HTTP probes.
			return badRequest("Invalid value for probe.match: \"status\" is only supported by http probes")
		}
		if p.Interval != nil && *p.Interval < minProbeInterval {
			return badRequest("Invalid value for probe.interval: %d is less than %d seconds", *p.Interval, minProbeInterval)
		}
		if p.Port != nil {
			if err := checkRange("probe.port", *p.Port, 1, maxBackendPortNumber); err != nil {
				return err
			}
		}
	}
	if f.VrackNetworkID != nil && lb.networks[*f.VrackNetworkID] == nil {
		// REFERENCE §8.1, §11.1: one of the IPLB's vRack networks (an IPLB
		// outside a vRack has none, so it can never set one).
		return badRequest("Invalid value for vrackNetworkId: %d is not a vRack network of this Load Balancer", *f.VrackNetworkID)
	}
	return nil
}

func checkRange(field string, n, lo, hi int64) error {
	if n < lo || n > hi {
		return badRequest("Invalid value for %s: %d is not in %d..%d", field, n, lo, hi)
	}
	return nil
}

func badEnum(field, v string, allowed []string) error {
	return badRequest("Invalid value for %s: %q is not one of %v", field, v, allowed)
}

// ---------------------------------------------------------------------------
// Servers (REFERENCE §8.2).

// server is a farm's server, any protocol.
type server struct {
	ID                   int64
	FarmID               int64
	Proto                string
	Address              string // ipv4, required on POST, read-only after
	Port                 *int64
	DisplayName          *string
	Status               string
	Backup               bool    // http, tcp
	Probe                bool    // http, tcp
	SSL                  bool    // http, tcp
	Weight               *int64  // http, tcp
	Chain                *string // http, tcp
	ProxyProtocolVersion *string // http, tcp
	OnMarkedDown         *string // http, tcp
	Cookie               *string // http
}

func (s *server) specs() []fieldSpec {
	sp := []fieldSpec{
		readOnly("serverId"),
		readOnly("backendId"),
		onCreate(value("address", &s.Address)),
		nullable("port", &s.Port),
		nullable("displayName", &s.DisplayName),
		value("status", &s.Status),
	}
	if s.Proto != protoUDP {
		sp = append(sp,
			value("backup", &s.Backup),
			value("probe", &s.Probe),
			value("ssl", &s.SSL),
			nullable("weight", &s.Weight),
			nullable("chain", &s.Chain),
			nullable("proxyProtocolVersion", &s.ProxyProtocolVersion),
			nullable("onMarkedDown", &s.OnMarkedDown),
			readOnly("serverState"),
		)
	}
	if s.Proto == protoHTTP {
		sp = append(sp, nullable("cookie", &s.Cookie))
	}
	return sp
}

// serverState is ipLoadbalancing.ServerState. The emulator runs no health
// checks, so the list is always empty.
type serverState struct {
	CheckCode        *string `json:"checkCode"`
	CheckStatus      *string `json:"checkStatus"`
	CheckTime        *string `json:"checkTime"`
	InstanceID       int64   `json:"instanceId"`
	LastCheckContent *string `json:"lastCheckContent"`
	Status           *string `json:"status"`
}

// serverHTTPJSON is ipLoadbalancing.backendHttpCustomerServer.BackendHTTPServer.
type serverHTTPJSON struct {
	Address              string        `json:"address"`
	BackendID            int64         `json:"backendId"`
	Backup               bool          `json:"backup"`
	Chain                *string       `json:"chain"`
	Cookie               *string       `json:"cookie"`
	DisplayName          *string       `json:"displayName"`
	OnMarkedDown         *string       `json:"onMarkedDown"`
	Port                 *int64        `json:"port"`
	Probe                bool          `json:"probe"`
	ProxyProtocolVersion *string       `json:"proxyProtocolVersion"`
	ServerID             int64         `json:"serverId"`
	ServerState          []serverState `json:"serverState"`
	SSL                  bool          `json:"ssl"`
	Status               string        `json:"status"`
	Weight               *int64        `json:"weight"`
}

// serverTCPJSON is ipLoadbalancing.backendTcpCustomerServer.BackendTCPServer.
type serverTCPJSON struct {
	Address              string        `json:"address"`
	BackendID            int64         `json:"backendId"`
	Backup               bool          `json:"backup"`
	Chain                *string       `json:"chain"`
	DisplayName          *string       `json:"displayName"`
	OnMarkedDown         *string       `json:"onMarkedDown"`
	Port                 *int64        `json:"port"`
	Probe                bool          `json:"probe"`
	ProxyProtocolVersion *string       `json:"proxyProtocolVersion"`
	ServerID             int64         `json:"serverId"`
	ServerState          []serverState `json:"serverState"`
	SSL                  bool          `json:"ssl"`
	Status               string        `json:"status"`
	Weight               *int64        `json:"weight"`
}

// serverUDPJSON is ipLoadbalancing.backendUdpCustomerServer.BackendUDPServer.
type serverUDPJSON struct {
	Address     string  `json:"address"`
	BackendID   int64   `json:"backendId"`
	DisplayName *string `json:"displayName"`
	Port        *int64  `json:"port"`
	ServerID    int64   `json:"serverId"`
	Status      string  `json:"status"`
}

func (s *server) view() any {
	switch s.Proto {
	case protoHTTP:
		return serverHTTPJSON{Address: s.Address, BackendID: s.FarmID, Backup: s.Backup, Chain: s.Chain, Cookie: s.Cookie,
			DisplayName: s.DisplayName, OnMarkedDown: s.OnMarkedDown, Port: s.Port, Probe: s.Probe,
			ProxyProtocolVersion: s.ProxyProtocolVersion, ServerID: s.ID, ServerState: []serverState{}, SSL: s.SSL,
			Status: s.Status, Weight: s.Weight}
	case protoTCP:
		return serverTCPJSON{Address: s.Address, BackendID: s.FarmID, Backup: s.Backup, Chain: s.Chain,
			DisplayName: s.DisplayName, OnMarkedDown: s.OnMarkedDown, Port: s.Port, Probe: s.Probe,
			ProxyProtocolVersion: s.ProxyProtocolVersion, ServerID: s.ID, ServerState: []serverState{}, SSL: s.SSL,
			Status: s.Status, Weight: s.Weight}
	}
	return serverUDPJSON{Address: s.Address, BackendID: s.FarmID, DisplayName: s.DisplayName, Port: s.Port, ServerID: s.ID, Status: s.Status}
}

// listServers serves GET …/farm/{farmId}/server with its filters address
// (=), status (=) and, for http, cookie (like).
func (e *Emulator) listServers(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	addr, status := c.query("address"), c.query("status")
	if status != "" && !slices.Contains(serverStatusEnum, status) {
		return nil, badEnum("status", status, serverStatusEnum)
	}
	cookie := ""
	if proto == protoHTTP {
		cookie = c.query("cookie")
	}
	return sortedIDs(lb.servers, func(s *server) bool {
		return s.FarmID == f.ID && (addr == "" || s.Address == addr) && (status == "" || s.Status == status) &&
			(cookie == "" || (s.Cookie != nil && likeMatch(cookie, *s.Cookie)))
	}), nil
}

// serverAt finds the server {serverId} of the farm {farmId}, or a 404.
func serverAt(c *call, lb *lbConfig, proto string) (*farm, *server, error) {
	f, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, nil, err
	}
	s, err := objectAt(c, lb.servers, "serverId", func(s *server) bool { return s.FarmID == f.ID })
	if err != nil {
		return nil, nil, err
	}
	return f, s, nil
}

func (e *Emulator) getServer(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	_, s, err := serverAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return s.view(), nil
}

// createServer serves POST …/server: address and status are required
// (REFERENCE §8.2 [S]). weight defaults to 1 for http and tcp (its
// description).
func (e *Emulator) createServer(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := farmAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	s := &server{FarmID: f.ID, Proto: proto}
	if proto != protoUDP {
		one := int64(1)
		s.Weight = &one
	}
	if err := applyFields("a "+protoLabel(proto)+" server", in, s.specs(), true); err != nil {
		return nil, err
	}
	if err := in.require("address", "status"); err != nil {
		return nil, err
	}
	if err := checkServer(s); err != nil {
		return nil, err
	}
	e.world.storeServer(sn, s)
	e.world.bumpPending(sn, f.Zone) // REFERENCE §10.3 [INF]: a server counts in its farm's zone
	return s.view(), nil
}

// updateServer serves PUT …/server/{id}, a partial merge; address is
// read-only and ignored.
func (e *Emulator) updateServer(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, old, err := serverAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	s := *old
	if err := applyFields("a "+protoLabel(proto)+" server", in, s.specs(), false); err != nil {
		return nil, err
	}
	if err := checkServer(&s); err != nil {
		return nil, err
	}
	*old = s
	e.world.bumpPending(sn, f.Zone)
	return nil, nil
}

func (e *Emulator) deleteServer(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, s, err := serverAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	delete(lb.servers, s.ID)
	e.world.bumpPending(sn, f.Zone)
	return nil, nil
}

// storeServer stores s with a new id (no validation, no pending change).
func (w *world) storeServer(sn string, s *server) *server {
	s.ID = w.nextID()
	w.conf.lb(sn).servers[s.ID] = s
	return s
}

// checkServer validates a server about to be stored.
func checkServer(s *server) error {
	if a, err := netip.ParseAddr(s.Address); err != nil || !a.Is4() {
		return badRequest("Invalid value for address: %q is not an IPv4 address", s.Address) // ipv4 [S]
	}
	if !slices.Contains(serverStatusEnum, s.Status) {
		return badEnum("status", s.Status, serverStatusEnum)
	}
	if s.Port != nil {
		if err := checkRange("port", *s.Port, 1, maxBackendPortNumber); err != nil {
			return err
		}
	}
	if s.Weight != nil {
		// [INF]: the schema gives no bound ("0 if not used in load
		// balancing"); 0..256 is HAProxy's range, which the IPLB runs on.
		if err := checkRange("weight", *s.Weight, 0, maxServerWeight); err != nil {
			return err
		}
	}
	if s.ProxyProtocolVersion != nil && !slices.Contains(proxyProtocolEnum, *s.ProxyProtocolVersion) {
		return badEnum("proxyProtocolVersion", *s.ProxyProtocolVersion, proxyProtocolEnum)
	}
	if s.OnMarkedDown != nil && !slices.Contains(onMarkedDownEnum, *s.OnMarkedDown) {
		return badEnum("onMarkedDown", *s.OnMarkedDown, onMarkedDownEnum)
	}
	return nil
}
