package ovhemu

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const vrackNetworkModel = "ipLoadbalancing.VrackNetwork.VrackNetwork"

// TestVrackStatusAndRules: the vRack link of an IPLB in a vRack and of one
// outside; the creation rules exist only in a vRack ([INF]).
func TestVrackStatusAndRules(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	_, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "vrack/status"), nil)
	cfgSchema(t, "ipLoadbalancing.VrackInformation", b)
	if diff := cmp.Diff(cfgObj{"state": "active", "task": []any{}, "vrackName": DemoVrack}, decodeAs[cfgObj](t, b)); diff != "" {
		t.Errorf("DemoLB vrack/status (-want +got)\n%s", diff)
	}
	_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB2, "vrack/status"), nil)
	cfgSchema(t, "ipLoadbalancing.VrackInformation", b)
	if diff := cmp.Diff(cfgObj{"state": "inactive", "task": []any{}, "vrackName": nil}, decodeAs[cfgObj](t, b)); diff != "" {
		t.Errorf("DemoLB2 vrack/status (-want +got)\n%s", diff)
	}

	_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "vrack/networkCreationRules"), nil)
	cfgSchema(t, "ipLoadbalancing.VrackNetworkCreationRules", b)
	// Two zones × 16 addresses; one network of 32 used.
	if diff := cmp.Diff(cfgObj{"minNatIps": float64(32), "remainingNetworks": float64(31), "vrackName": DemoVrack}, decodeAs[cfgObj](t, b)); diff != "" {
		t.Errorf("DemoLB networkCreationRules (-want +got)\n%s", diff)
	}
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB2, "vrack/networkCreationRules"), nil)
	cfgErr(t, status, b, http.StatusBadRequest, "not attached to a vRack")
	if got := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB2, "vrack/network"), nil); len(got) != 0 {
		t.Errorf("DemoLB2 networks %v", got)
	}
}

// TestVrackNetworkCRUD: create with farms attached, read, list filters,
// partial PUT (subnet read-only), updateFarmId, delete once released.
func TestVrackNetworkCRUD(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	seeded := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network"), nil)[0]
	f1 := cfgCreate(t, e, cfgPath(DemoLB, "http/farm"), cfgObj{"zone": "gra"}, "farmId")
	f2 := cfgCreate(t, e, cfgPath(DemoLB, "udp/farm"), cfgObj{"zone": "rbx", "port": 53}, "farmId")

	status, b := doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "vrack/network"),
		cfgObj{"subnet": "192.168.0.0/16", "natIp": "192.168.100.0/24", "vlan": 100, "displayName": "lab", "farmId": []int64{f1, f2}})
	if status != http.StatusOK {
		t.Fatalf("POST: %d %s", status, b)
	}
	cfgSchema(t, vrackNetworkModel, b)
	n := decodeAs[cfgObj](t, b)
	id := cfgID(t, n, "vrackNetworkId")
	wantFarms := []any{map[string]any{"id": float64(f1), "type": "http"}, map[string]any{"id": float64(f2), "type": "udp"}}
	if diff := cmp.Diff(wantFarms, n["farmId"]); diff != "" {
		t.Errorf("farmId (-want +got)\n%s", diff)
	}
	if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "udp/farm", f2), nil)["vrackNetworkId"]; got != float64(id) {
		t.Errorf("farm %d vrackNetworkId %v, want %d", f2, got, id)
	}
	_, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "vrack/network", id), nil)
	cfgSchema(t, vrackNetworkModel, b)
	if diff := cmp.Diff(n, decodeAs[cfgObj](t, b)); diff != "" {
		t.Errorf("GET differs from POST\n%s", diff)
	}

	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{seeded, id}},
		{"?vlan=42", []int64{seeded}},
		{"?vlan=100", []int64{id}},
		{"?subnet=192.168.0.0%2F16", []int64{id}},
		{"?subnet=10.0.0.0/16", []int64{seeded}},
		{"?subnet=10.1.0.0/16", []int64{}},
	} {
		if diff := cmp.Diff(tc.want, cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "vrack/network")+tc.query, nil)); diff != "" {
			t.Errorf("networks %s (-want +got)\n%s", tc.query, diff)
		}
	}
	status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "vrack/network")+"?vlan=x", nil)
	cfgErr(t, status, b, http.StatusBadRequest, "vlan")

	// PUT: natIp, vlan, displayName change; subnet, farmId, id are ignored.
	cfgOK[any](t, e, "PUT", cfgPath(DemoLB, "vrack/network", id),
		cfgObj{"natIp": "192.168.200.0/24", "vlan": 0, "subnet": "172.16.0.0/12", "farmId": []any{}, "vrackNetworkId": 1})
	got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "vrack/network", id), nil)
	n["natIp"], n["vlan"] = "192.168.200.0/24", float64(0)
	if diff := cmp.Diff(n, got); diff != "" {
		t.Errorf("after PUT (-want +got)\n%s", diff)
	}
	status, b = doAs(t, e, DemoAccount, "PUT", cfgPath(DemoLB, "vrack/network", id), cfgObj{"natIp": "10.0.0.0/24"})
	cfgErr(t, status, b, http.StatusBadRequest, "natIp", "not inside the subnet 192.168.0.0/16")

	// Deleting a network in use is refused; updateFarmId releases it.
	status, b = doAs(t, e, DemoAccount, "DELETE", cfgPath(DemoLB, "vrack/network", id), nil)
	cfgErr(t, status, b, http.StatusBadRequest, "still used by HTTP farm "+strconv.FormatInt(f1, 10))

	// updateFarmId: the list becomes exactly the attached farms; a farm of
	// another network moves here.
	web := cfgFind(t, e, DemoLB, "http/farm", "web")
	status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "vrack/network", id, "updateFarmId"), cfgObj{"farmId": []int64{f2, web}})
	if status != http.StatusOK {
		t.Fatalf("updateFarmId: %d %s", status, b)
	}
	cfgSchema(t, vrackNetworkModel, b)
	wantFarms = []any{map[string]any{"id": float64(web), "type": "http"}, map[string]any{"id": float64(f2), "type": "udp"}}
	if diff := cmp.Diff(wantFarms, decodeAs[cfgObj](t, b)["farmId"]); diff != "" {
		t.Errorf("farmId after updateFarmId (-want +got)\n%s", diff)
	}
	if got := cfgOK[cfgObj](t, e, "GET", cfgPath(DemoLB, "http/farm", f1), nil)["vrackNetworkId"]; got != nil {
		t.Errorf("farm %d still attached: %v", f1, got)
	}
	if got := cfgOK[[]cfgObj](t, e, "GET", cfgPath(DemoLB, "definedFarms")+"?vrackNetworkId="+strconv.FormatInt(id, 10), nil); len(got) != 2 {
		t.Errorf("definedFarms in network %d: %v", id, got)
	}
	for _, body := range []cfgObj{{"farmId": nil}, {"farmId": []int64{}}} {
		cfgOK[cfgObj](t, e, "POST", cfgPath(DemoLB, "vrack/network", id, "updateFarmId"), cfgObj{"farmId": []int64{f1}})
		if got := cfgOK[cfgObj](t, e, "POST", cfgPath(DemoLB, "vrack/network", id, "updateFarmId"), body)["farmId"]; !cmp.Equal(got, []any{}) {
			t.Errorf("updateFarmId %v: farmId %v, want []", body, got)
		}
	}
	for _, tc := range []struct {
		body cfgObj
		subs []string
	}{
		{cfgObj{}, []string{"Missing parameter: farmId"}},
		{cfgObj{"farmId": []int64{424242}}, []string{"farmId", "424242"}},
		{cfgObj{"farmId": "all"}, []string{"farmId", "list of integers"}},
		{cfgObj{"farmId": []int64{f1}, "vlan": 1}, []string{"vlan"}},
	} {
		status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB, "vrack/network", id, "updateFarmId"), tc.body)
		cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
	}
	cfgOK[any](t, e, "DELETE", cfgPath(DemoLB, "vrack/network", id), nil)
	status, b = doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "vrack/network", id), nil)
	cfgErr(t, status, b, http.StatusNotFound, "vrackNetworkId")
}

// TestVrackNetworkValidation: the rules of POST …/vrack/network.
func TestVrackNetworkValidation(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	for _, tc := range []struct {
		name string
		sn   string
		body cfgObj
		subs []string
	}{
		{"minimal", DemoLB, cfgObj{"subnet": "172.16.0.0/24", "natIp": "172.16.0.224/27"}, nil},
		{"outside a vRack", DemoLB2, cfgObj{"subnet": "172.16.0.0/24", "natIp": "172.16.0.224/27"}, []string{"not attached to a vRack"}},
		{"missing subnet", DemoLB, cfgObj{"natIp": "172.17.0.0/27"}, []string{"Missing parameter: subnet"}},
		{"missing natIp", DemoLB, cfgObj{"subnet": "172.17.0.0/24"}, []string{"Missing parameter: natIp"}},
		{"subnet not a block", DemoLB, cfgObj{"subnet": "172.17.0.0", "natIp": "172.17.0.0/27"}, []string{"subnet", "CIDR"}},
		{"subnet host bits", DemoLB, cfgObj{"subnet": "172.17.0.1/24", "natIp": "172.17.0.0/27"}, []string{"subnet", "172.17.0.0/24"}},
		{"public subnet", DemoLB, cfgObj{"subnet": "198.51.100.0/24", "natIp": "198.51.100.0/27"}, []string{"subnet", "private"}},
		{"IPv6 subnet", DemoLB, cfgObj{"subnet": "fd00::/64", "natIp": "fd00::/120"}, []string{"subnet", "IPv4"}},
		{"natIp outside", DemoLB, cfgObj{"subnet": "172.17.0.0/24", "natIp": "172.18.0.0/27"}, []string{"natIp", "not inside"}},
		{"natIp wider than subnet", DemoLB, cfgObj{"subnet": "172.17.0.0/24", "natIp": "172.17.0.0/23"}, []string{"natIp"}},
		{"natIp too small", DemoLB, cfgObj{"subnet": "172.17.0.0/24", "natIp": "172.17.0.0/28"}, []string{"natIp", "16 addresses", "32"}},
		{"overlapping subnet", DemoLB, cfgObj{"subnet": "10.0.128.0/17", "natIp": "10.0.128.0/27"}, []string{"subnet", "overlaps"}},
		{"vlan too high", DemoLB, cfgObj{"subnet": "172.18.0.0/24", "natIp": "172.18.0.0/27", "vlan": 4095}, []string{"vlan", "0..4094"}},
		{"vlan null", DemoLB, cfgObj{"subnet": "172.18.0.0/24", "natIp": "172.18.0.0/27", "vlan": nil}, []string{"vlan", "null"}},
		{"unknown farm", DemoLB, cfgObj{"subnet": "172.18.0.0/24", "natIp": "172.18.0.0/27", "farmId": []int64{424242}}, []string{"farmId", "424242"}},
		{"unknown field", DemoLB, cfgObj{"subnet": "172.18.0.0/24", "natIp": "172.18.0.0/27", "gateway": "172.18.0.1"}, []string{"gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := doAs(t, e, DemoAccount, "POST", cfgPath(tc.sn, "vrack/network"), tc.body)
			if tc.subs == nil {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %s; want 200", status, b)
				}
				cfgSchema(t, vrackNetworkModel, b)
				return
			}
			cfgErr(t, status, b, http.StatusBadRequest, tc.subs...)
		})
	}
}

// TestSSLReadOnly: the seeded certificates, their filters, and their use as
// a frontend's defaultSslId.
func TestSSLReadOnly(t *testing.T) {
	t.Parallel()
	e := cfgEmu(t)
	ids := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "ssl"), nil)
	if len(ids) != 2 {
		t.Fatalf("DemoLB certificates %v", ids)
	}
	for _, id := range ids {
		_, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "ssl", id), nil)
		cfgSchema(t, "ipLoadbalancing.Ssl.Ssl", b)
	}
	if got := cfgOK[[]int64](t, e, "GET", cfgPath(DemoLB, "ssl")+"?type=custom", nil); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("custom certificates %v", got)
	}
	status, b := doAs(t, e, DemoAccount, "GET", cfgPath(DemoLB, "ssl", 424242), nil)
	cfgErr(t, status, b, http.StatusNotFound, "424242")
	// A certificate of DemoLB is not one of DemoLB2's.
	status, b = doAs(t, e, DemoAccount, "POST", cfgPath(DemoLB2, "tcp/frontend"), cfgObj{"port": "443", "zone": "gra", "ssl": true, "defaultSslId": ids[0]})
	cfgErr(t, status, b, http.StatusBadRequest, "defaultSslId")
	cfgCreate(t, e, cfgPath(DemoLB, "tcp/frontend"), cfgObj{"port": "443", "zone": "gra", "ssl": true, "defaultSslId": ids[0]}, "frontendId")
}
