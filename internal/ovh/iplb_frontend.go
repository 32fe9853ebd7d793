package ovh

import (
	"context"
)

// Frontend is an IPLB frontend of any protocol
// (ipLoadbalancing.frontendHttp.FrontendHttp, …frontendTcp.FrontendTcp,
// …frontendUdp.FrontendUdp; REFERENCE §7.1). Fields that only some
// protocols have are pointers or slices, nil for the others.
type Frontend struct {
	// Protocol is not in the API's answer: the client sets it from the path
	// the frontend was read from.
	Protocol Protocol `json:"-"`

	ID            int64    `json:"frontendId"`
	Port          string   `json:"port"` // "80", "80,443", "8000-8100" (REFERENCE §7.2)
	Zone          string   `json:"zone"` // a zone of the IPLB, or "all"
	DisplayName   *string  `json:"displayName"`
	DefaultFarmID *int64   `json:"defaultFarmId"`
	Disabled      bool     `json:"disabled"`
	DedicatedIPFO []string `json:"dedicatedIpfo"` // failover IPs it listens on; nil = no restriction

	// HTTP and TCP only.
	AllowedSource  []string `json:"allowedSource"`
	DeniedSource   []string `json:"deniedSource"`
	SSL            *bool    `json:"ssl"`
	DefaultSSLID   *int64   `json:"defaultSslId"`
	VRackNetworkID *int64   `json:"vrackNetworkId"`
	VRackVrouterID *int64   `json:"vrackVrouterId"`

	// HTTP only.
	HSTS             *bool    `json:"hsts"`
	HTTPHeader       []string `json:"httpHeader"`
	RedirectLocation *string  `json:"redirectLocation"`
}

// Name returns the display name, or "#<id>" when there is none.
func (f Frontend) Name() string {
	if f.DisplayName != nil && *f.DisplayName != "" {
		return *f.DisplayName
	}
	return "#" + itoa(f.ID)
}

// FrontendCreate is the body of a frontend creation (POST). Port and Zone
// are required; fields the protocol lacks must stay zero (the API refuses
// them).
type FrontendCreate struct {
	Port          string   `json:"port"`
	Zone          string   `json:"zone"`
	DisplayName   *string  `json:"displayName,omitempty"`
	DefaultFarmID *int64   `json:"defaultFarmId,omitempty"`
	Disabled      bool     `json:"disabled,omitempty"`
	DedicatedIPFO []string `json:"dedicatedIpfo,omitempty"`

	// HTTP and TCP only.
	AllowedSource []string `json:"allowedSource,omitempty"`
	DeniedSource  []string `json:"deniedSource,omitempty"`
	SSL           bool     `json:"ssl,omitempty"`
	DefaultSSLID  *int64   `json:"defaultSslId,omitempty"`

	// HTTP only.
	HSTS             bool     `json:"hsts,omitempty"`
	HTTPHeader       []string `json:"httpHeader,omitempty"`
	RedirectLocation *string  `json:"redirectLocation,omitempty"`
}

// FrontendUpdate is a partial update of a frontend (PUT with only the
// fields to change; REFERENCE §4). A nil field is left as it is. Fields the
// schema marks canBeNull are *Nullable: Set(v) sends v, Clear() sends null.
//
// For DedicatedIPFO, Clear() means "listen on every IP" (null: no
// restriction, per the schema); Set([]string{}) sends an empty list, whose
// meaning the schema does not define, so the console should use Clear() to
// unpin the last IP.
type FrontendUpdate struct {
	Port          *string             `json:"port,omitempty"`
	Zone          *string             `json:"zone,omitempty"`
	DisplayName   *Nullable[string]   `json:"displayName,omitempty"`
	DefaultFarmID *Nullable[int64]    `json:"defaultFarmId,omitempty"`
	Disabled      *bool               `json:"disabled,omitempty"`
	DedicatedIPFO *Nullable[[]string] `json:"dedicatedIpfo,omitempty"`

	// HTTP and TCP only.
	AllowedSource *Nullable[[]string] `json:"allowedSource,omitempty"`
	DeniedSource  *Nullable[[]string] `json:"deniedSource,omitempty"`
	SSL           *bool               `json:"ssl,omitempty"`
	DefaultSSLID  *Nullable[int64]    `json:"defaultSslId,omitempty"`

	// HTTP only.
	HSTS             *bool               `json:"hsts,omitempty"`
	HTTPHeader       *Nullable[[]string] `json:"httpHeader,omitempty"`
	RedirectLocation *Nullable[string]   `json:"redirectLocation,omitempty"`
}

func frontendPath(sn string, p Protocol, id ...int64) string {
	if len(id) == 0 {
		return pathf("ipLoadbalancing", sn, p, "frontend")
	}
	return pathf("ipLoadbalancing", sn, p, "frontend", id[0])
}

// FrontendIDs lists the ids of the IPLB's frontends of protocol p.
func (c *Client) FrontendIDs(ctx context.Context, sn string, p Protocol) ([]int64, error) {
	const op = "ovh.FrontendIDs"
	if err := checkProtocol(op, p, false); err != nil {
		return nil, err
	}
	var ids []int64
	if err := c.get(ctx, op, frontendPath(sn, p), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Frontends returns the IPLB's frontends of protocol p, fetched in
// parallel, in the API's order of ids.
func (c *Client) Frontends(ctx context.Context, sn string, p Protocol) ([]Frontend, error) {
	ids, err := c.FrontendIDs(ctx, sn, p)
	if err != nil {
		return nil, err
	}
	out, err := getAll[Frontend](ctx, c, "ovh.Frontends", frontendPath(sn, p), ids)
	for i := range out {
		out[i].Protocol = p
	}
	return out, err
}

// Frontend returns one frontend.
func (c *Client) Frontend(ctx context.Context, sn string, p Protocol, id int64) (Frontend, error) {
	const op = "ovh.Frontend"
	var f Frontend
	if err := checkProtocol(op, p, false); err != nil {
		return f, err
	}
	err := c.get(ctx, op, frontendPath(sn, p, id), &f)
	f.Protocol = p
	return f, err
}

// CreateFrontend creates a frontend of protocol p and returns it.
func (c *Client) CreateFrontend(ctx context.Context, sn string, p Protocol, in FrontendCreate) (Frontend, error) {
	const op = "ovh.CreateFrontend"
	var f Frontend
	if err := checkProtocol(op, p, false); err != nil {
		return f, err
	}
	err := c.post(ctx, op, frontendPath(sn, p), in, &f)
	f.Protocol = p
	return f, err
}

// UpdateFrontend changes the fields of the frontend that u sets.
func (c *Client) UpdateFrontend(ctx context.Context, sn string, p Protocol, id int64, u FrontendUpdate) error {
	const op = "ovh.UpdateFrontend"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.put(ctx, op, frontendPath(sn, p, id), u)
}

// DeleteFrontend deletes the frontend.
func (c *Client) DeleteFrontend(ctx context.Context, sn string, p Protocol, id int64) error {
	const op = "ovh.DeleteFrontend"
	if err := checkProtocol(op, p, false); err != nil {
		return err
	}
	return c.delete(ctx, op, frontendPath(sn, p, id))
}
