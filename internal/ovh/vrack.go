package ovh

import "context"

// VRackState is the state of an IPLB's vRack link (VrackStateEnum).
type VRackState string

// vRack link states.
const (
	VRackActivating   VRackState = "activating"
	VRackActive       VRackState = "active"
	VRackDeactivating VRackState = "deactivating"
	VRackInactive     VRackState = "inactive"
)

// VRackInformation is the IPLB's vRack status
// (ipLoadbalancing.VrackInformation, REFERENCE §11.1).
type VRackInformation struct {
	State     VRackState `json:"state"`
	Tasks     []int64    `json:"task"`      // ids of the vRack tasks in progress
	VRackName *string    `json:"vrackName"` // e.g. "pn-1234"; nil when not in a vRack
}

// DefinedFarm is a farm id with its protocol (ipLoadbalancing.DefinedFarm).
type DefinedFarm struct {
	ID   int64    `json:"id"`
	Type Protocol `json:"type"`
}

// VRackNetwork is a private network of the IPLB in its vRack
// (ipLoadbalancing.VrackNetwork.VrackNetwork, REFERENCE §11.1).
type VRackNetwork struct {
	ID          int64         `json:"vrackNetworkId"`
	Subnet      string        `json:"subnet"` // e.g. "192.168.0.0/16"
	NatIP       string        `json:"natIp"`  // inside Subnet
	VLAN        int64         `json:"vlan"`   // 0 = no VLAN
	DisplayName *string       `json:"displayName"`
	Farms       []DefinedFarm `json:"farmId"` // the farms using it
}

// Name returns the display name, or the subnet when there is none.
func (n VRackNetwork) Name() string {
	if n.DisplayName != nil && *n.DisplayName != "" {
		return *n.DisplayName
	}
	return n.Subnet
}

// VRackStatus returns the IPLB's vRack status (a BETA route).
func (c *Client) VRackStatus(ctx context.Context, sn string) (VRackInformation, error) {
	var v VRackInformation
	err := c.get(ctx, "ovh.VRackStatus", pathf("ipLoadbalancing", sn, "vrack", "status"), &v)
	return v, err
}

// VRackNetworkIDs lists the ids of the IPLB's vRack networks.
func (c *Client) VRackNetworkIDs(ctx context.Context, sn string) ([]int64, error) {
	var ids []int64
	if err := c.get(ctx, "ovh.VRackNetworkIDs", pathf("ipLoadbalancing", sn, "vrack", "network"), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// VRackNetworks returns the IPLB's vRack networks, fetched in parallel.
func (c *Client) VRackNetworks(ctx context.Context, sn string) ([]VRackNetwork, error) {
	ids, err := c.VRackNetworkIDs(ctx, sn)
	if err != nil {
		return nil, err
	}
	return getAll[VRackNetwork](ctx, c, "ovh.VRackNetworks", pathf("ipLoadbalancing", sn, "vrack", "network"), ids)
}

// VRackNetwork returns one vRack network of the IPLB.
func (c *Client) VRackNetwork(ctx context.Context, sn string, id int64) (VRackNetwork, error) {
	var n VRackNetwork
	err := c.get(ctx, "ovh.VRackNetwork", pathf("ipLoadbalancing", sn, "vrack", "network", id), &n)
	return n, err
}
