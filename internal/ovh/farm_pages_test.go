package ovh

import (
	"net/http"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestFarmsWithServers(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	emu.ResetCalls()
	farms, servers, err := c.FarmsWithServers(ctx, ovhemu.DemoLB, HTTP)
	if err != nil {
		t.Fatal(err)
	}
	if len(farms) != 2 {
		t.Fatalf("farms = %+v, want the seeded web and api", farms)
	}
	total := 0
	for _, f := range farms {
		if f.Protocol != HTTP {
			t.Errorf("farm %d: protocol %q", f.ID, f.Protocol)
		}
		ss, ok := servers[f.ID]
		if !ok || len(ss) != 2 {
			t.Errorf("servers of %s = %+v, want 2", f.Name(), ss)
		}
		for _, s := range ss {
			if s.FarmID != f.ID || s.Protocol != HTTP {
				t.Errorf("server %+v is not of farm %d", s, f.ID)
			}
		}
		total += len(ss)
	}
	// One list of farms, each farm, one server list per farm, each server:
	// nothing fetched twice.
	const farm = "/ipLoadbalancing/{serviceName}/http/farm"
	calls := map[string]int{
		farm:                                 1,
		farm + "/{farmId}":                   len(farms),
		farm + "/{farmId}/server":            len(farms),
		farm + "/{farmId}/server/{serverId}": total,
	}
	for pattern, want := range calls {
		if got := emu.Calls("GET", pattern); got != want {
			t.Errorf("GET %s: %d calls, want %d", pattern, got, want)
		}
	}

	// A farm without servers has an empty, non-nil entry.
	f, err := c.CreateFarm(ctx, ovhemu.DemoLB, UDP, FarmCreate{Zone: "gra", Port: ptr(int64(5000))})
	if err != nil {
		t.Fatal(err)
	}
	udp, userv, err := c.FarmsWithServers(ctx, ovhemu.DemoLB, UDP)
	if err != nil || len(udp) != 2 {
		t.Fatalf("UDP farms = %+v, %v", udp, err)
	}
	if ss, ok := userv[f.ID]; !ok || ss == nil || len(ss) != 0 {
		t.Errorf("servers of the new farm = %#v, want an empty list", ss)
	}

	// An IPLB without farms of the protocol: nothing, no error.
	none, nserv, err := c.FarmsWithServers(ctx, ovhemu.DemoLB2, TCP)
	if err != nil || len(none) != 0 || len(nserv) != 0 {
		t.Errorf("DemoLB2 TCP = %+v, %+v, %v", none, nserv, err)
	}
	if _, _, err := c.FarmsWithServers(ctx, ovhemu.DemoLB, Protocol("sctp")); KindOf(err) != KindInvalid {
		t.Errorf("unknown protocol: %v", err)
	}
}

// The server lists are fetched concurrently with the farms: more requests
// are in flight at once than the farms' own bounded fetch (maxParallel)
// allows. Checked through the transport's high-water mark, never time.
func TestFarmsWithServersConcurrent(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t)
	setup := emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
	ctx := testCtx(t)
	for range 10 {
		if _, err := setup.CreateFarm(ctx, ovhemu.DemoLB, HTTP, FarmCreate{Zone: "all"}); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ct := &countingTransport{base: http.DefaultTransport}
	c, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, ConsumerKey: ck,
		HTTPClient: &http.Client{Transport: ct}})
	if err != nil {
		t.Fatal(err)
	}
	emu.SetLatency("*", "*", 20*time.Millisecond)
	farms, servers, err := c.FarmsWithServers(ctx, ovhemu.DemoLB, HTTP)
	if err != nil || len(farms) != 12 || len(servers) != 12 {
		t.Fatalf("FarmsWithServers = %d farms, %d server lists, %v", len(farms), len(servers), err)
	}
	if ct.maxSeen() <= maxParallel {
		t.Errorf("at most %d requests in flight: the farms and the server lists were not fetched together", ct.maxSeen())
	}
}

func TestVRackCreationRules(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	r, err := c.VRackCreationRules(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	// The emulator's [INF] numbers: 16 NAT addresses per zone (DemoLB has
	// gra and rbx), 32 networks per IPLB (DemoLB has one).
	if r.VRackName != ovhemu.DemoVrack || r.MinNatIPs != 32 || r.RemainingNetworks != 31 {
		t.Errorf("VRackCreationRules(%s) = %+v", ovhemu.DemoLB, r)
	}
	if _, err := c.VRackCreationRules(ctx, ovhemu.DemoLB2); KindOf(err) != KindInvalid {
		t.Errorf("VRackCreationRules(%s, not in a vRack) = %v, want KindInvalid", ovhemu.DemoLB2, err)
	}
}
