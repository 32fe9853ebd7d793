package views

import (
	"context"
	"strings"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

func TestVRackPageInVRack(t *testing.T) {
	t.Parallel()
	status := ovh.VRackInformation{State: ovh.VRackActive, VRackName: ptrTo("pn-1"), Tasks: []int64{}}
	rules := &ovh.VRackCreationRules{MinNatIPs: 32, RemainingNetworks: 31, VRackName: "pn-1"}
	networks := []ovh.VRackNetwork{
		{ID: 8, Subnet: "10.1.0.0/16", NatIP: "10.1.255.0/27"},
		{ID: 7, Subnet: "10.0.0.0/16", NatIP: "10.0.255.0/27", VLAN: 42, DisplayName: ptrTo("prod"),
			Farms: []ovh.DefinedFarm{{ID: 1, Type: ovh.HTTP}, {ID: 5, Type: ovh.UDP}, {ID: 99, Type: ovh.TCP}}},
	}
	farms := []ovh.Farm{
		{Protocol: ovh.HTTP, ID: 1, DisplayName: ptrTo("web"), VRackNetworkID: ptrTo[int64](7)},
		{Protocol: ovh.UDP, ID: 5, DisplayName: ptrTo("dns"), VRackNetworkID: ptrTo[int64](7)},
		{Protocol: ovh.TCP, ID: 6, DisplayName: ptrTo("new-db")}, // not in the vRack
	}
	m := NewVRackPage(faSN, status, rules, networks, farms)
	doc, _ := render(t, context.Background(), VRackPage(m))
	page := doc.Find(testID("vrack-page"))
	if page.AttrOr("data-in-vrack", "") != "true" || doc.Find(testID("vrack-name")).Text() != "pn-1" || doc.Find(testID("vrack-state")).Text() != "active" {
		t.Errorf("status: %q", doc.Find(testID("vrack-status")).Text())
	}
	rows := doc.Find(testID("vrack-network-row"))
	if rows.Length() != 2 || rows.First().AttrOr("data-id", "") != "7" {
		t.Fatalf("network rows: %d, first %q", rows.Length(), rows.First().AttrOr("data-id", ""))
	}
	r := rows.First()
	if r.Find(testID("vrack-network-name")).Text() != "prod" || r.Find(testID("vrack-network-vlan")).Text() != "42" ||
		r.Find(testID("vrack-network-subnet")).Text() != "10.0.0.0/16" || r.Find(testID("vrack-network-nat")).Text() != "10.0.255.0/27" {
		t.Errorf("first network %q", r.Text())
	}
	links := r.Find(testID("vrack-network-farm"))
	if links.Length() != 3 || links.First().AttrOr("href", "") != FarmPath(faSN, ovh.HTTP, 1) || links.First().Text() != "web" ||
		links.Eq(1).AttrOr("href", "") != FarmPath(faSN, ovh.UDP, 5) || links.Eq(2).Text() != "#99" {
		t.Errorf("farm links %q", links.Text())
	}
	if strings.TrimSpace(rows.Eq(1).Find(testID("vrack-network-vlan")).Text()) != "none" || rows.Eq(1).Find(testID("vrack-network-farm")).Length() != 0 {
		t.Error("second network")
	}
	if doc.Find(testID("vrack-min-nat")).Text() != "32" || doc.Find(testID("vrack-remaining")).Text() != "31" {
		t.Error("rules")
	}
	mis := doc.Find(testID("vrack-misplaced-farm"))
	if mis.Length() != 1 || mis.AttrOr("data-id", "") != "6" || mis.Find(testID("vrack-fix-farm")).AttrOr("href", "") != EditFarmPath(faSN, ovh.TCP, 6) {
		t.Errorf("misplaced farms %q", mis.Text())
	}
	if doc.Find(testID("vrack-empty")).Length() != 0 {
		t.Error("empty state in a vRack")
	}

	// In a vRack without networks: the page says the refresh needs one.
	doc, _ = render(t, context.Background(), VRackPage(NewVRackPage(faSN, status, rules, nil, nil)))
	if doc.Find(testID("vrack-networks-empty")).Length() != 1 {
		t.Error("no-network state")
	}
	// Activating, with a task.
	busy := ovh.VRackInformation{State: ovh.VRackActivating, VRackName: ptrTo("pn-1"), Tasks: []int64{41, 42}}
	doc, _ = render(t, context.Background(), VRackPage(NewVRackPage(faSN, busy, nil, nil, nil)))
	if got := strings.Join(strings.Fields(doc.Find(testID("vrack-tasks")).Text()), " "); got != "vRack tasks in progress: 41, 42" {
		t.Errorf("tasks %q", got)
	}
	if doc.Find(testID("vrack-rules")).Length() != 0 {
		t.Error("rules shown without rules")
	}
}

func TestVRackPageNotInVRack(t *testing.T) {
	t.Parallel()
	status := ovh.VRackInformation{State: ovh.VRackInactive}
	farms := []ovh.Farm{
		{Protocol: ovh.HTTP, ID: 1, DisplayName: ptrTo("web")},
		{Protocol: ovh.HTTP, ID: 2, DisplayName: ptrTo("leftover"), VRackNetworkID: ptrTo[int64](7)},
	}
	doc, _ := render(t, context.Background(), VRackPage(NewVRackPage(faSN, status, nil, nil, farms)))
	if doc.Find(testID("vrack-page")).AttrOr("data-in-vrack", "") != "false" || doc.Find(testID("vrack-empty")).Length() != 1 {
		t.Error("empty state")
	}
	if doc.Find(testID("vrack-name")).Length() != 0 || doc.Find(testID("vrack-networks")).Length() != 0 || doc.Find(testID("vrack-rules")).Length() != 0 {
		t.Error("vRack details outside a vRack")
	}
	mis := doc.Find(testID("vrack-misplaced-farm"))
	if mis.Length() != 1 || mis.AttrOr("data-id", "") != "2" || !strings.Contains(mis.Text(), "in vRack network 7") {
		t.Errorf("misplaced %q", mis.Text())
	}
}
