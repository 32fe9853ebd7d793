package views

import (
	"slices"
	"strings"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// VRackPageModel is the vRack page of one IPLB (read-only, REFERENCE
// §11.1): whether it is in a vRack, its networks with the farms using each,
// the creation rules, and the farms that break the refresh's vRack
// condition.
type VRackPageModel struct {
	Service string
	Status  ovh.VRackInformation
	// Rules are the network creation rules; nil outside a vRack (the API
	// has nothing to answer there).
	Rules    *ovh.VRackCreationRules
	Networks []VRackNetworkRow // by id
	// Misplaced are the farms that break the vRack condition of a refresh
	// (REFERENCE §10.1 (1)): in a vRack, those without a network; outside
	// one, those with a network.
	Misplaced []ovh.Farm
}

// VRackName is the vRack the IPLB is in, "" when none.
func (m VRackPageModel) VRackName() string {
	if m.Status.VRackName == nil {
		return ""
	}
	return *m.Status.VRackName
}

// InVRack reports whether the IPLB is in a vRack.
func (m VRackPageModel) InVRack() bool { return m.VRackName() != "" }

// VRackNetworkRow is one network with the farms using it.
type VRackNetworkRow struct {
	Network ovh.VRackNetwork
	Farms   []VRackFarmRef
}

// VRackFarmRef is a farm using a network, named when the farm was found.
type VRackFarmRef struct {
	Protocol ovh.Protocol
	ID       int64
	Name     string
}

// NewVRackPage builds the page from the vRack status, the creation rules
// (nil outside a vRack), the networks and the IPLB's farms of every
// protocol (Protocol set).
func NewVRackPage(sn string, status ovh.VRackInformation, rules *ovh.VRackCreationRules, networks []ovh.VRackNetwork, farms []ovh.Farm) VRackPageModel {
	m := VRackPageModel{Service: sn, Status: status, Rules: rules}
	nets := slices.Clone(networks)
	slices.SortFunc(nets, func(a, b ovh.VRackNetwork) int { return int(a.ID - b.ID) })
	for _, n := range nets {
		row := VRackNetworkRow{Network: n}
		for _, df := range n.Farms {
			ref := VRackFarmRef{Protocol: df.Type, ID: df.ID, Name: "#" + farmID(df.ID)}
			if i := slices.IndexFunc(farms, func(f ovh.Farm) bool { return f.ID == df.ID && f.Protocol == df.Type }); i >= 0 {
				ref.Name = farms[i].Name()
			}
			row.Farms = append(row.Farms, ref)
		}
		m.Networks = append(m.Networks, row)
	}
	for _, f := range farms {
		if FarmVRackProblem(m.VRackName(), deref(f.VRackNetworkID)) != "" {
			m.Misplaced = append(m.Misplaced, f)
		}
	}
	slices.SortFunc(m.Misplaced, func(a, b ovh.Farm) int {
		if c := strings.Compare(string(a.Protocol), string(b.Protocol)); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return m
}

// vrackStateClass is the badge colour of a vRack link state.
func vrackStateClass(s ovh.VRackState) string {
	switch s {
	case ovh.VRackActive:
		return "fa-badge fa-badge-ok"
	case ovh.VRackActivating, ovh.VRackDeactivating:
		return "fa-badge fa-badge-warn"
	default:
		return "fa-badge"
	}
}
