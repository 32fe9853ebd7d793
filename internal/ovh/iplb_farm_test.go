package ovh

import (
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// TestFarmAndServerCRUD round-trips a farm and one of its servers for each
// protocol on DemoLB2 (not in a vRack, so farms take no vRack network).
func TestFarmAndServerCRUD(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto  Protocol
		farm   FarmCreate
		server ServerCreate
	}{
		{HTTP, FarmCreate{Zone: "gra", DisplayName: ptr("app"), Port: ptr[int64](8080), Balance: ptr(BalanceURI),
			Stickiness: ptr(StickinessCookie),
			Probe:      &Probe{Type: ptr(ProbeHTTP), Method: ptr(ProbeGET), URL: ptr("/health"), Match: ptr(ProbeMatchStatus), Pattern: ptr("200"), Interval: ptr[int64](30)}},
			ServerCreate{Address: "198.51.100.31", Status: ServerActive, DisplayName: ptr("app-1"), Weight: ptr[int64](5),
				Probe: true, Cookie: ptr("app1"), ProxyProtocolVersion: ptr(ProxyV2)}},
		{TCP, FarmCreate{Zone: "all", DisplayName: ptr("redis"), Port: ptr[int64](6379), Balance: ptr(BalanceLeastConn),
			Stickiness: ptr(StickinessSourceIP), Probe: &Probe{Type: ptr(ProbeTCP)}},
			ServerCreate{Address: "198.51.100.32", Status: ServerInactive, Backup: true, OnMarkedDown: ptr(OnMarkedDownShutdownSessions)}},
		{UDP, FarmCreate{Zone: "sbg", DisplayName: ptr("syslog"), Port: ptr[int64](514)},
			ServerCreate{Address: "198.51.100.33", Status: ServerActive, Port: ptr[int64](5514)}},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			_, c := newEmu(t)
			ctx := testCtx(t)
			sn := ovhemu.DemoLB2

			farm, err := c.CreateFarm(ctx, sn, tt.proto, tt.farm)
			if err != nil {
				t.Fatal(err)
			}
			if farm.ID == 0 || farm.Protocol != tt.proto || farm.Zone != tt.farm.Zone || farm.Name() != deref(tt.farm.DisplayName) ||
				deref(farm.Port) != deref(tt.farm.Port) || deref(farm.Balance) != deref(tt.farm.Balance) ||
				deref(farm.Stickiness) != deref(tt.farm.Stickiness) {
				t.Errorf("CreateFarm = %+v", farm)
			}
			if tt.farm.Probe != nil && (farm.Probe == nil || deref(farm.Probe.Type) != deref(tt.farm.Probe.Type) || deref(farm.Probe.URL) != deref(tt.farm.Probe.URL)) {
				t.Errorf("probe = %+v, want %+v", farm.Probe, tt.farm.Probe)
			}
			if err := c.UpdateFarm(ctx, sn, tt.proto, farm.ID, FarmUpdate{DisplayName: Set("renamed"), Port: Clear[int64]()}); err != nil {
				// UDP farms need a port (REFERENCE §8.1): clearing it may be refused.
				if tt.proto != UDP || KindOf(err) != KindInvalid {
					t.Fatal(err)
				}
				if err := c.UpdateFarm(ctx, sn, tt.proto, farm.ID, FarmUpdate{DisplayName: Set("renamed")}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := c.Farm(ctx, sn, tt.proto, farm.ID)
			if err != nil || got.Name() != "renamed" || got.Zone != tt.farm.Zone || (tt.proto != UDP && got.Port != nil) {
				t.Errorf("Farm after update = %+v, %v", got, err)
			}
			farms, err := c.Farms(ctx, sn, tt.proto)
			if err != nil || !slices.ContainsFunc(farms, func(f Farm) bool { return f.ID == farm.ID && f.Protocol == tt.proto }) {
				t.Errorf("Farms = %+v, %v; missing %d", farms, err, farm.ID)
			}

			srv, err := c.CreateServer(ctx, sn, tt.proto, farm.ID, tt.server)
			if err != nil {
				t.Fatal(err)
			}
			if srv.ID == 0 || srv.FarmID != farm.ID || srv.Address != tt.server.Address || srv.Status != tt.server.Status ||
				deref(srv.Port) != deref(tt.server.Port) || srv.Protocol != tt.proto {
				t.Errorf("CreateServer = %+v", srv)
			}
			if tt.proto == UDP && (srv.Backup != nil || srv.Weight != nil || srv.Cookie != nil) {
				t.Errorf("UDP server has HTTP/TCP fields: %+v", srv)
			}
			if tt.proto == HTTP && (deref(srv.Cookie) != "app1" || deref(srv.Weight) != 5 || deref(srv.ProxyProtocolVersion) != ProxyV2) {
				t.Errorf("HTTP server = %+v", srv)
			}
			if err := c.UpdateServer(ctx, sn, tt.proto, farm.ID, srv.ID, ServerUpdate{Status: ptr(ServerInactive), DisplayName: Set("srv")}); err != nil {
				t.Fatal(err)
			}
			gotSrv, err := c.Server(ctx, sn, tt.proto, farm.ID, srv.ID)
			if err != nil || gotSrv.Status != ServerInactive || deref(gotSrv.DisplayName) != "srv" || gotSrv.Address != tt.server.Address {
				t.Errorf("Server after update = %+v, %v", gotSrv, err)
			}
			servers, err := c.Servers(ctx, sn, tt.proto, farm.ID)
			if err != nil || len(servers) != 1 || servers[0].ID != srv.ID {
				t.Errorf("Servers = %+v, %v", servers, err)
			}
			if err := c.DeleteServer(ctx, sn, tt.proto, farm.ID, srv.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Server(ctx, sn, tt.proto, farm.ID, srv.ID); KindOf(err) != KindNotFound {
				t.Errorf("Server after delete = %v", err)
			}
			if err := c.DeleteFarm(ctx, sn, tt.proto, farm.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Farm(ctx, sn, tt.proto, farm.ID); KindOf(err) != KindNotFound {
				t.Errorf("Farm after delete = %v", err)
			}
		})
	}
}

// TestSeededFarms reads the demo configuration of DemoLB, whose farms are
// all in its vRack network.
func TestSeededFarms(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	nets, err := c.VRackNetworks(ctx, ovhemu.DemoLB)
	if err != nil || len(nets) == 0 {
		t.Fatalf("VRackNetworks = %v, %v", nets, err)
	}
	for _, p := range Protocols {
		farms, err := c.Farms(ctx, ovhemu.DemoLB, p)
		if err != nil || len(farms) == 0 {
			t.Fatalf("Farms(%s) = %v, %v", p, farms, err)
		}
		for _, f := range farms {
			if deref(f.VRackNetworkID) != nets[0].ID {
				t.Errorf("%s farm %s: vrackNetworkId %v, want %d", p, f.Name(), f.VRackNetworkID, nets[0].ID)
			}
			servers, err := c.Servers(ctx, ovhemu.DemoLB, p, f.ID)
			if err != nil || len(servers) == 0 {
				t.Errorf("Servers(%s farm %d) = %v, %v", p, f.ID, servers, err)
			}
		}
	}
}
