package ovhemu

import (
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// frontend is an HTTP, TCP or UDP frontend (REFERENCE §7). It holds the
// fields of every protocol; specs and view expose only those of its own.
type frontend struct {
	ID               int64
	Proto            string
	Port             string
	Zone             string
	DisplayName      *string
	DefaultFarmID    *int64
	Disabled         bool
	DedicatedIpfo    []string // nil = null, no restriction
	AllowedSource    []string // http, tcp
	DeniedSource     []string // http, tcp
	SSL              bool     // http, tcp
	DefaultSslID     *int64   // http, tcp
	HSTS             bool     // http
	HTTPHeader       []string // http
	RedirectLocation *string  // http
}

// frontendModel names the schema model of a protocol's frontend.
func frontendModel(proto string) string {
	switch proto {
	case protoHTTP:
		return "ipLoadbalancing.frontendHttp.FrontendHttp"
	case protoTCP:
		return "ipLoadbalancing.frontendTcp.FrontendTcp"
	}
	return "ipLoadbalancing.frontendUdp.FrontendUdp"
}

// specs lists the fields of f's protocol model, as bodies may carry them.
func (f *frontend) specs() []fieldSpec {
	s := []fieldSpec{
		readOnly("frontendId"),
		value("port", &f.Port),
		value("zone", &f.Zone),
		nullable("displayName", &f.DisplayName),
		nullable("defaultFarmId", &f.DefaultFarmID),
		value("disabled", &f.Disabled),
		list("dedicatedIpfo", &f.DedicatedIpfo),
	}
	if f.Proto != protoUDP {
		s = append(s,
			list("allowedSource", &f.AllowedSource),
			list("deniedSource", &f.DeniedSource),
			value("ssl", &f.SSL),
			nullable("defaultSslId", &f.DefaultSslID),
			readOnly("vrackNetworkId"),
			readOnly("vrackVrouterId"),
		)
	}
	if f.Proto == protoHTTP {
		s = append(s,
			value("hsts", &f.HSTS),
			list("httpHeader", &f.HTTPHeader),
			nullable("redirectLocation", &f.RedirectLocation),
		)
	}
	return s
}

// frontendHTTPJSON is ipLoadbalancing.frontendHttp.FrontendHttp.
type frontendHTTPJSON struct {
	AllowedSource    []string `json:"allowedSource"`
	DedicatedIpfo    []string `json:"dedicatedIpfo"`
	DefaultFarmID    *int64   `json:"defaultFarmId"`
	DefaultSslID     *int64   `json:"defaultSslId"`
	DeniedSource     []string `json:"deniedSource"`
	Disabled         bool     `json:"disabled"`
	DisplayName      *string  `json:"displayName"`
	FrontendID       int64    `json:"frontendId"`
	HSTS             bool     `json:"hsts"`
	HTTPHeader       []string `json:"httpHeader"`
	Port             string   `json:"port"`
	RedirectLocation *string  `json:"redirectLocation"`
	SSL              bool     `json:"ssl"`
	VrackNetworkID   *int64   `json:"vrackNetworkId"`
	VrackVrouterID   *int64   `json:"vrackVrouterId"`
	Zone             string   `json:"zone"`
}

// frontendTCPJSON is ipLoadbalancing.frontendTcp.FrontendTcp.
type frontendTCPJSON struct {
	AllowedSource  []string `json:"allowedSource"`
	DedicatedIpfo  []string `json:"dedicatedIpfo"`
	DefaultFarmID  *int64   `json:"defaultFarmId"`
	DefaultSslID   *int64   `json:"defaultSslId"`
	DeniedSource   []string `json:"deniedSource"`
	Disabled       bool     `json:"disabled"`
	DisplayName    *string  `json:"displayName"`
	FrontendID     int64    `json:"frontendId"`
	Port           string   `json:"port"`
	SSL            bool     `json:"ssl"`
	VrackNetworkID *int64   `json:"vrackNetworkId"`
	VrackVrouterID *int64   `json:"vrackVrouterId"`
	Zone           string   `json:"zone"`
}

// frontendUDPJSON is ipLoadbalancing.frontendUdp.FrontendUdp.
type frontendUDPJSON struct {
	DedicatedIpfo []string `json:"dedicatedIpfo"`
	DefaultFarmID *int64   `json:"defaultFarmId"`
	Disabled      bool     `json:"disabled"`
	DisplayName   *string  `json:"displayName"`
	FrontendID    int64    `json:"frontendId"`
	Port          string   `json:"port"`
	Zone          string   `json:"zone"`
}

// view is f as its protocol's model: only that protocol's fields. The
// vRack ids of a frontend are read-only and only set for private frontends,
// which the emulator does not model, so they are null.
func (f *frontend) view() any {
	switch f.Proto {
	case protoHTTP:
		return frontendHTTPJSON{
			AllowedSource: f.AllowedSource, DedicatedIpfo: f.DedicatedIpfo, DefaultFarmID: f.DefaultFarmID,
			DefaultSslID: f.DefaultSslID, DeniedSource: f.DeniedSource, Disabled: f.Disabled,
			DisplayName: f.DisplayName, FrontendID: f.ID, HSTS: f.HSTS, HTTPHeader: f.HTTPHeader,
			Port: f.Port, RedirectLocation: f.RedirectLocation, SSL: f.SSL, Zone: f.Zone,
		}
	case protoTCP:
		return frontendTCPJSON{
			AllowedSource: f.AllowedSource, DedicatedIpfo: f.DedicatedIpfo, DefaultFarmID: f.DefaultFarmID,
			DefaultSslID: f.DefaultSslID, DeniedSource: f.DeniedSource, Disabled: f.Disabled,
			DisplayName: f.DisplayName, FrontendID: f.ID, Port: f.Port, SSL: f.SSL, Zone: f.Zone,
		}
	}
	return frontendUDPJSON{
		DedicatedIpfo: f.DedicatedIpfo, DefaultFarmID: f.DefaultFarmID, Disabled: f.Disabled,
		DisplayName: f.DisplayName, FrontendID: f.ID, Port: f.Port, Zone: f.Zone,
	}
}

func (e *Emulator) registerFrontendRoutes(proto string) {
	base := "/ipLoadbalancing/{serviceName}/" + proto + "/frontend"
	e.handle("GET", base, false, func(c *call) (any, error) { return e.listFrontends(c, proto) })
	e.handle("POST", base, false, func(c *call) (any, error) { return e.createFrontend(c, proto) })
	e.handle("GET", base+"/{frontendId}", false, func(c *call) (any, error) { return e.getFrontend(c, proto) })
	e.handle("PUT", base+"/{frontendId}", false, func(c *call) (any, error) { return e.updateFrontend(c, proto) })
	e.handle("DELETE", base+"/{frontendId}", false, func(c *call) (any, error) { return e.deleteFrontend(c, proto) })
}

// listFrontends serves GET …/frontend with its filters (REFERENCE §7):
// defaultFarmId (=), port (like), zone (=), and for http/tcp defaultSslId (=).
func (e *Emulator) listFrontends(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	farmID, err := queryInt(c, "defaultFarmId")
	if err != nil {
		return nil, err
	}
	var sslID *int64
	if proto != protoUDP {
		if sslID, err = queryInt(c, "defaultSslId"); err != nil {
			return nil, err
		}
	}
	port, zone := c.query("port"), c.query("zone")
	return sortedIDs(lb.frontends, func(f *frontend) bool {
		return f.Proto == proto &&
			(farmID == nil || eqPtr(f.DefaultFarmID, farmID)) &&
			(sslID == nil || eqPtr(f.DefaultSslID, sslID)) &&
			(port == "" || likeMatch(port, f.Port)) &&
			(zone == "" || f.Zone == zone)
	}), nil
}

// frontendAt finds the frontend {frontendId} of proto, or a 404.
func frontendAt(c *call, lb *lbConfig, proto string) (*frontend, error) {
	return objectAt(c, lb.frontends, "frontendId", func(f *frontend) bool { return f.Proto == proto })
}

func (e *Emulator) getFrontend(c *call, proto string) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := frontendAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	return f.view(), nil
}

// createFrontend serves POST …/frontend: port and zone are required
// (REFERENCE §7.1); the created object is returned (§4).
func (e *Emulator) createFrontend(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	f := &frontend{Proto: proto}
	if err := applyFields("a "+protoLabel(proto)+" frontend", in, f.specs(), true); err != nil {
		return nil, err
	}
	if err := in.require("port", "zone"); err != nil {
		return nil, err
	}
	if err := e.world.checkFrontend(sn, lb, f, in); err != nil {
		return nil, err
	}
	e.world.storeFrontend(sn, f)
	e.world.bumpPending(sn, f.Zone) // REFERENCE §10.3 [INF]
	return f.view(), nil
}

// updateFrontend serves PUT …/frontend/{id}: a partial merge (REFERENCE §4
// [INF]): absent fields are kept, null clears a nullable field, read-only
// fields are ignored. The merged object is validated as a whole, so a zone
// change is checked against the default farm too.
func (e *Emulator) updateFrontend(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	old, err := frontendAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	in, err := decodeFields(c)
	if err != nil {
		return nil, err
	}
	f := *old // the fields' setters replace slices, never edit them in place
	if err := applyFields("a "+protoLabel(proto)+" frontend", in, f.specs(), false); err != nil {
		return nil, err
	}
	if err := e.world.checkFrontend(sn, lb, &f, in); err != nil {
		return nil, err
	}
	prevZone := old.Zone
	*old = f
	// REFERENCE §10.3 [INF]: the change is pending where the frontend was
	// and where it now is.
	e.world.bumpZones(sn, prevZone, f.Zone)
	return nil, nil
}

// deleteFrontend serves DELETE …/frontend/{id}. Routes attached to it stay,
// detached (frontendId null) ([INF]: not documented; a route may exist
// without a frontend, REFERENCE §9.1, and deleting the user's rules with the
// frontend would lose work silently).
func (e *Emulator) deleteFrontend(c *call, proto string) (any, error) {
	sn, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	f, err := frontendAt(c, lb, proto)
	if err != nil {
		return nil, err
	}
	for _, r := range lb.routes {
		if eqPtr(r.FrontendID, &f.ID) {
			r.FrontendID = nil
		}
	}
	delete(lb.frontends, f.ID)
	e.world.bumpPending(sn, f.Zone)
	return nil, nil
}

// storeFrontend stores f with a new id. It validates nothing and bumps
// nothing: callers (the handlers, the seed) do what they need.
func (w *world) storeFrontend(sn string, f *frontend) *frontend {
	f.ID = w.nextID()
	w.conf.lb(sn).frontends[f.ID] = f
	return f
}

// checkFrontend validates a frontend about to be stored (created, or merged
// by a PUT). in is the request body: dedicatedIpfo is checked against the
// IPLB's failover IPs only when it was sent, so that editing another field
// never fails because of the routing of an IP (unpinIP keeps pins in step).
func (w *world) checkFrontend(sn string, lb *lbConfig, f *frontend, in fields) error {
	if err := checkPorts("port", f.Port); err != nil {
		return err
	}
	if err := w.checkZone(sn, "zone", f.Zone); err != nil {
		return err
	}
	if f.DefaultFarmID != nil {
		// REFERENCE §7.1 [D]: the default farm has the frontend's protocol;
		// §7.3 [INF]: and a compatible zone.
		fa := lb.farms[*f.DefaultFarmID]
		if fa == nil || fa.Proto != f.Proto {
			return badRequest("Invalid value for defaultFarmId: %d is not a %s farm of this Load Balancer",
				*f.DefaultFarmID, protoLabel(f.Proto))
		}
		if !zonesCompatible(fa.Zone, f.Zone) {
			return badRequest("Invalid value for defaultFarmId: farm %d is in zone %s and cannot serve a frontend in zone %s",
				fa.ID, fa.Zone, f.Zone)
		}
	}
	for _, field := range []struct {
		name   string
		blocks []string
	}{{"allowedSource", f.AllowedSource}, {"deniedSource", f.DeniedSource}} {
		for _, b := range field.blocks {
			if _, err := parseBlock(field.name, b); err != nil {
				return err
			}
		}
	}
	if f.AllowedSource != nil && f.DeniedSource != nil {
		// REFERENCE §7.1 [S]: "You cannot specify allowedSource and
		// deniedSource both at the same time".
		return badRequest("Invalid value for deniedSource: allowedSource and deniedSource cannot be set at the same time")
	}
	if in.has("dedicatedIpfo") {
		if err := w.checkDedicatedIpfo(sn, f.DedicatedIpfo); err != nil {
			return err
		}
	}
	if f.DefaultSslID != nil && lb.ssls[*f.DefaultSslID] == nil {
		return badRequest("Invalid value for defaultSslId: %d is not a certificate of this Load Balancer", *f.DefaultSslID)
	}
	for _, h := range f.HTTPHeader {
		// [INF]: a header line must be non-empty and a single line.
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "\r\n") {
			return badRequest("Invalid value for httpHeader: %q is not a header line", h)
		}
	}
	if f.RedirectLocation != nil {
		if *f.RedirectLocation == "" {
			f.RedirectLocation = nil // [INF]: an empty redirection is no redirection
		} else if u, err := url.Parse(*f.RedirectLocation); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// [INF]: an absolute http(s) URL, as in the docs' example.
			return badRequest("Invalid value for redirectLocation: %q is not an absolute http or https URL", *f.RedirectLocation)
		}
	}
	return nil
}

// checkDedicatedIpfo validates a dedicatedIpfo list: each entry a /32 of a
// failover IP routed to this IPLB (REFERENCE §7.1 [D]). [INF]: the form must
// be exactly a.b.c.d/32 (a bare address or another mask is refused), an
// address inside a failover block routed to the IPLB counts, and an entry
// may appear once.
func (w *world) checkDedicatedIpfo(sn string, list []string) error {
	var routed []netip.Prefix
	for _, b := range w.lbFailover(sn) {
		if p, err := netip.ParsePrefix(b); err == nil {
			routed = append(routed, p.Masked())
		}
	}
	seen := map[string]bool{}
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() || p.Bits() != 32 {
			return badRequest("Invalid value for dedicatedIpfo: %q must be a failover IPv4 in /32 form (e.g. 203.0.113.10/32)", s)
		}
		if seen[p.String()] {
			return badRequest("Invalid value for dedicatedIpfo: %s is listed twice", s)
		}
		seen[p.String()] = true
		if !slices.ContainsFunc(routed, func(r netip.Prefix) bool { return r.Contains(p.Addr()) }) {
			return badRequest("Invalid value for dedicatedIpfo: %s is not a failover IP routed to this Load Balancer", s)
		}
	}
	return nil
}

// checkPorts validates a frontend port string (REFERENCE §7.2 [C]): a single
// port, a range of two increasing ports "1000-1200", or a comma-separated
// list of those, each port in 1..49151. [INF]: no spaces, a range's ends
// must differ.
func checkPorts(field, s string) error {
	bad := func(why string) error {
		return badRequest("Invalid value for %s: %q %s (expected e.g. 80, 1000-1200 or 80,443; each port in 1..49151)", field, s, why)
	}
	if s == "" {
		return bad("is empty")
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := parsePort(lo)
		if !ok {
			return bad("holds an invalid port")
		}
		if isRange {
			b, ok := parsePort(hi)
			if !ok {
				return bad("holds an invalid port")
			}
			if b <= a {
				return bad("holds a range that is not increasing")
			}
		}
	}
	return nil
}

// parsePort reads a decimal port in 1..49151 (digits only).
func parsePort(s string) (int, bool) {
	if s == "" || len(s) > 5 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 49151
}
