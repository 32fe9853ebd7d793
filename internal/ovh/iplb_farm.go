package ovh

import (
	"context"
	"time"
)

// Balance is a farm's load-balancing algorithm (ipLoadbalancing.BalanceHTTPEnum
// and BalanceTCPEnum; BalanceURI is HTTP only). Null means roundrobin.
type Balance string

// Balance algorithms.
const (
	BalanceFirst      Balance = "first"
	BalanceLeastConn  Balance = "leastconn"
	BalanceRoundRobin Balance = "roundrobin"
	BalanceSource     Balance = "source"
	BalanceURI        Balance = "uri"
)

// Stickiness is a farm's session stickiness (StickinessHTTPEnum,
// StickinessTCPEnum; StickinessCookie is HTTP only). Null means none.
type Stickiness string

// Stickiness methods.
const (
	StickinessCookie   Stickiness = "cookie"
	StickinessSourceIP Stickiness = "sourceIp"
)

// ProbeType is the kind of health check (ipLoadbalancing.ProbeTypeEnum).
type ProbeType string

// Probe types.
const (
	ProbeHTTP     ProbeType = "http"
	ProbeInternal ProbeType = "internal"
	ProbeMySQL    ProbeType = "mysql"
	ProbeOCO      ProbeType = "oco"
	ProbePgSQL    ProbeType = "pgsql"
	ProbeSMTP     ProbeType = "smtp"
	ProbeTCP      ProbeType = "tcp"
)

// ProbeMethod is the HTTP method of an http probe (ProbeMethodEnum).
type ProbeMethod string

// Probe methods.
const (
	ProbeGET            ProbeMethod = "GET"
	ProbeHEAD           ProbeMethod = "HEAD"
	ProbeOPTIONS        ProbeMethod = "OPTIONS"
	ProbeMethodInternal ProbeMethod = "internal"
)

// ProbeMatch is how a probe's answer is matched (ProbeExpectMatchEnum).
type ProbeMatch string

// Probe matches.
const (
	ProbeMatchContains ProbeMatch = "contains"
	ProbeMatchDefault  ProbeMatch = "default"
	ProbeMatchInternal ProbeMatch = "internal"
	ProbeMatchMatches  ProbeMatch = "matches"
	ProbeMatchStatus   ProbeMatch = "status"
)

// Probe is a farm's health check (ipLoadbalancing.BackendProbe, REFERENCE
// §8.1); every field may be null.
type Probe struct {
	Type     *ProbeType   `json:"type,omitempty"`
	Port     *int64       `json:"port,omitempty"`
	Interval *int64       `json:"interval,omitempty"` // seconds, at least 30
	Method   *ProbeMethod `json:"method,omitempty"`
	URL      *string      `json:"url,omitempty"`
	Match    *ProbeMatch  `json:"match,omitempty"`
	Pattern  *string      `json:"pattern,omitempty"`
	Negate   *bool        `json:"negate,omitempty"`
	ForceSSL *bool        `json:"forceSsl,omitempty"`
}

// Farm is an IPLB farm (backend) of any protocol (backendHttp.BackendHttp,
// backendTcp.BackendTcp, backendUdp.BackendUdp; REFERENCE §8.1). Balance,
// Stickiness and Probe are nil for UDP.
type Farm struct {
	// Protocol is set by the client from the path (not in the API's answer).
	Protocol Protocol `json:"-"`

	ID             int64       `json:"farmId"`
	Zone           string      `json:"zone"` // read-only after creation; may be "all"
	DisplayName    *string     `json:"displayName"`
	Port           *int64      `json:"port"` // nil: the frontend's port
	VRackNetworkID *int64      `json:"vrackNetworkId"`
	Balance        *Balance    `json:"balance"`
	Stickiness     *Stickiness `json:"stickiness"`
	Probe          *Probe      `json:"probe"`
}

// Name returns the display name, or "#<id>" when there is none.
func (f Farm) Name() string {
	if f.DisplayName != nil && *f.DisplayName != "" {
		return *f.DisplayName
	}
	return "#" + itoa(f.ID)
}

// FarmCreate is the body of a farm creation. Zone is required, and Port
// for UDP; Balance, Stickiness and Probe are HTTP and TCP only.
type FarmCreate struct {
	Zone           string      `json:"zone"`
	DisplayName    *string     `json:"displayName,omitempty"`
	Port           *int64      `json:"port,omitempty"`
	VRackNetworkID *int64      `json:"vrackNetworkId,omitempty"`
	Balance        *Balance    `json:"balance,omitempty"`
	Stickiness     *Stickiness `json:"stickiness,omitempty"`
	Probe          *Probe      `json:"probe,omitempty"`
}

// FarmUpdate is a partial update of a farm; see FrontendUpdate for the
// meaning of nil and Nullable fields. The zone cannot change.
type FarmUpdate struct {
	DisplayName    *Nullable[string]     `json:"displayName,omitempty"`
	Port           *Nullable[int64]      `json:"port,omitempty"`
	VRackNetworkID *Nullable[int64]      `json:"vrackNetworkId,omitempty"`
	Balance        *Nullable[Balance]    `json:"balance,omitempty"`
	Stickiness     *Nullable[Stickiness] `json:"stickiness,omitempty"`
	Probe          *Nullable[Probe]      `json:"probe,omitempty"`
}

func farmPath(sn string, p Protocol, id ...int64) string {
	if len(id) == 0 {
		return pathf("ipLoadbalancing", sn, p, "farm")
	}
	return pathf("ipLoadbalancing", sn, p, "farm", id[0])
}

// FarmIDs lists the ids of the IPLB's farms of protocol p.
func (c *Client) FarmIDs(ctx context.Context, sn string, p Protocol) ([]int64, error) {
	const op = "ovh.FarmIDs"
	if err := checkProtocol(op, p, false); err != nil {
		return nil, err
	}
	var ids []int64
	if err := c.get(ctx, op, farmPath(sn, p), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Farms returns the IPLB's farms of protocol p, fetched in parallel.
func (c *Client) Farms(ctx context.Context, sn string, p Protocol) ([]Farm, error) {
	ids, err := c.FarmIDs(ctx, sn, p)
	if err != nil {
		return nil, err
	}
	out, err := getAll[Farm](ctx, c, "ovh.Farms", farmPath(sn, p), ids)
	for i := range out {
		out[i].Protocol = p
	}
	return out, err
}

// Farm returns one farm.
func (c *Client) Farm(ctx context.Context, sn string, p Protocol, id int64) (Farm, error) {
	const op = "ovh.Farm"
	var f Farm
	if err := checkProtocol(op, p, false); err != nil {
		return f, err
	}
	err := c.get(ctx, op, farmPath(sn, p, id), &f)
	f.Protocol = p
	return f, err
}

// CreateFarm creates a farm of protocol p and returns it.
func (c *Client) CreateFarm(ctx context.Context, sn string, p Protocol, in FarmCreate) (Farm, error) {
	const op = "ovh.CreateFarm"
	var f Farm
	if err := checkProtocol(op, p, false); err != nil {
		return f, err
	}
	err := c.post(ctx, op, farmPath(sn, p), in, &f)
	f.Protocol = p
	return f, err
}

// UpdateFarm changes the fields of the farm that u sets.
func (c *Client) UpdateFarm(ctx context.Context, sn string, p Protocol, id int64, u FarmUpdate) error {
	const op = "ovh.UpdateFarm"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.put(ctx, op, farmPath(sn, p, id), u)
}

// DeleteFarm deletes the farm.
func (c *Client) DeleteFarm(ctx context.Context, sn string, p Protocol, id int64) error {
	const op = "ovh.DeleteFarm"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.delete(ctx, op, farmPath(sn, p, id))
}

// ServerStatus says whether a farm server takes traffic
// (BackendCustomerServerStatusEnum).
type ServerStatus string

// Server statuses.
const (
	ServerActive   ServerStatus = "active"
	ServerInactive ServerStatus = "inactive"
)

// ProxyProtocolVersion is the PROXY protocol sent to a server
// (ProxyProtocolVersionEnum); null means none.
type ProxyProtocolVersion string

// PROXY protocol versions.
const (
	ProxyV1      ProxyProtocolVersion = "v1"
	ProxyV2      ProxyProtocolVersion = "v2"
	ProxyV2SSL   ProxyProtocolVersion = "v2-ssl"
	ProxyV2SSLCN ProxyProtocolVersion = "v2-ssl-cn"
)

// OnMarkedDown is what happens to sessions when a server goes down
// (OnMarkedDownEnum); null means nothing.
type OnMarkedDown string

// OnMarkedDownShutdownSessions closes the server's sessions.
const OnMarkedDownShutdownSessions OnMarkedDown = "shutdown-sessions"

// ServerState is the health of a server seen by one IPLB instance
// (ipLoadbalancing.ServerState).
type ServerState struct {
	InstanceID       int64      `json:"instanceId"`
	Status           *string    `json:"status"`
	CheckCode        *string    `json:"checkCode"`
	CheckStatus      *string    `json:"checkStatus"`
	CheckTime        *time.Time `json:"checkTime"`
	LastCheckContent *string    `json:"lastCheckContent"`
}

// Server is a farm server of any protocol (BackendHTTPServer,
// BackendTCPServer, BackendUDPServer; REFERENCE §8.2). Fields that only HTTP
// and TCP have are pointers, nil for UDP; Cookie is HTTP only.
type Server struct {
	// Protocol is set by the client from the path (not in the API's answer).
	Protocol Protocol `json:"-"`

	ID          int64        `json:"serverId"`
	FarmID      int64        `json:"backendId"`
	Address     string       `json:"address"` // IPv4
	Port        *int64       `json:"port"`    // nil: the farm's port
	DisplayName *string      `json:"displayName"`
	Status      ServerStatus `json:"status"`

	// HTTP and TCP only.
	Backup               *bool                 `json:"backup"`
	Probe                *bool                 `json:"probe"`
	SSL                  *bool                 `json:"ssl"`
	Weight               *int64                `json:"weight"`
	Chain                *string               `json:"chain"`
	ProxyProtocolVersion *ProxyProtocolVersion `json:"proxyProtocolVersion"`
	OnMarkedDown         *OnMarkedDown         `json:"onMarkedDown"`
	ServerState          []ServerState         `json:"serverState"`

	// HTTP only.
	Cookie *string `json:"cookie"`
}

// ServerCreate is the body of a server creation. Address and Status are
// required; the fields after them are HTTP and TCP only, Cookie HTTP only.
type ServerCreate struct {
	Address     string       `json:"address"`
	Status      ServerStatus `json:"status"`
	Port        *int64       `json:"port,omitempty"`
	DisplayName *string      `json:"displayName,omitempty"`

	Backup               bool                  `json:"backup,omitempty"`
	Probe                bool                  `json:"probe,omitempty"`
	SSL                  bool                  `json:"ssl,omitempty"`
	Weight               *int64                `json:"weight,omitempty"`
	Chain                *string               `json:"chain,omitempty"`
	ProxyProtocolVersion *ProxyProtocolVersion `json:"proxyProtocolVersion,omitempty"`
	OnMarkedDown         *OnMarkedDown         `json:"onMarkedDown,omitempty"`
	Cookie               *string               `json:"cookie,omitempty"`
}

// ServerUpdate is a partial update of a server; see FrontendUpdate for the
// meaning of nil and Nullable fields. The address cannot change.
type ServerUpdate struct {
	Status      *ServerStatus     `json:"status,omitempty"`
	Port        *Nullable[int64]  `json:"port,omitempty"`
	DisplayName *Nullable[string] `json:"displayName,omitempty"`

	Backup               *bool                           `json:"backup,omitempty"`
	Probe                *bool                           `json:"probe,omitempty"`
	SSL                  *bool                           `json:"ssl,omitempty"`
	Weight               *Nullable[int64]                `json:"weight,omitempty"`
	Chain                *Nullable[string]               `json:"chain,omitempty"`
	ProxyProtocolVersion *Nullable[ProxyProtocolVersion] `json:"proxyProtocolVersion,omitempty"`
	OnMarkedDown         *Nullable[OnMarkedDown]         `json:"onMarkedDown,omitempty"`
	Cookie               *Nullable[string]               `json:"cookie,omitempty"`
}

func serverPath(sn string, p Protocol, farmID int64, id ...int64) string {
	if len(id) == 0 {
		return pathf("ipLoadbalancing", sn, p, "farm", farmID, "server")
	}
	return pathf("ipLoadbalancing", sn, p, "farm", farmID, "server", id[0])
}

// ServerIDs lists the ids of the farm's servers.
func (c *Client) ServerIDs(ctx context.Context, sn string, p Protocol, farmID int64) ([]int64, error) {
	const op = "ovh.ServerIDs"
	if err := checkProtocol(op, p, false); err != nil {
		return nil, err
	}
	var ids []int64
	if err := c.get(ctx, op, serverPath(sn, p, farmID), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Servers returns the farm's servers, fetched in parallel.
func (c *Client) Servers(ctx context.Context, sn string, p Protocol, farmID int64) ([]Server, error) {
	ids, err := c.ServerIDs(ctx, sn, p, farmID)
	if err != nil {
		return nil, err
	}
	out, err := getAll[Server](ctx, c, "ovh.Servers", serverPath(sn, p, farmID), ids)
	for i := range out {
		out[i].Protocol = p
	}
	return out, err
}

// Server returns one server of the farm.
func (c *Client) Server(ctx context.Context, sn string, p Protocol, farmID, id int64) (Server, error) {
	const op = "ovh.Server"
	var s Server
	if err := checkProtocol(op, p, false); err != nil {
		return s, err
	}
	err := c.get(ctx, op, serverPath(sn, p, farmID, id), &s)
	s.Protocol = p
	return s, err
}

// CreateServer adds a server to the farm and returns it.
func (c *Client) CreateServer(ctx context.Context, sn string, p Protocol, farmID int64, in ServerCreate) (Server, error) {
	const op = "ovh.CreateServer"
	var s Server
	if err := checkProtocol(op, p, false); err != nil {
		return s, err
	}
	err := c.post(ctx, op, serverPath(sn, p, farmID), in, &s)
	s.Protocol = p
	return s, err
}

// UpdateServer changes the fields of the server that u sets.
func (c *Client) UpdateServer(ctx context.Context, sn string, p Protocol, farmID, id int64, u ServerUpdate) error {
	const op = "ovh.UpdateServer"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.put(ctx, op, serverPath(sn, p, farmID, id), u)
}

// DeleteServer removes the server from the farm.
func (c *Client) DeleteServer(ctx context.Context, sn string, p Protocol, farmID, id int64) error {
	const op = "ovh.DeleteServer"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.delete(ctx, op, serverPath(sn, p, farmID, id))
}
