package ovh

import (
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestParseBlock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"203.0.113.10/32", "203.0.113.10/32", true},
		{"203.0.113.10", "203.0.113.10/32", true},
		{"203.0.113.17/29", "203.0.113.16/29", true},
		{"2001:db8::1", "2001:db8::1/128", true},
		{"2001:db8::/64", "2001:db8::/64", true},
		{"", "", false},
		{"bogus", "", false},
		{"203.0.113.10/33", "", false},
		{"../../me", "", false},
		{"fe80::1%eth0", "", false},
	}
	for _, tt := range tests {
		got, err := ParseBlock(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBlock(%q) = %q, %v; want %q (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && KindOf(err) != KindInvalid {
			t.Errorf("ParseBlock(%q) error kind = %v, want invalid", tt.in, KindOf(err))
		}
	}
}

// pinNames returns "proto/name" for each frontend.
func pinNames(fs []Frontend) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, string(f.Protocol)+"/"+f.Name())
	}
	return out
}

func findFailover(ips []FailoverIP, block string) *FailoverIP {
	for i := range ips {
		if ips[i].Block == block {
			return &ips[i]
		}
	}
	return nil
}

func TestFailoverPins(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ips, frontends, err := c.FailoverPins(testCtx(t), ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if len(ips) != 2 {
		t.Fatalf("FailoverPins(DemoLB) = %+v, want the two seeded IPs", ips)
	}
	if p := findFailover(ips, ovhemu.DemoIPPinned); p == nil || !slices.Equal(pinNames(p.PinnedBy), []string{"http/www"}) {
		t.Errorf("%s pinned by %+v, want http/www", ovhemu.DemoIPPinned, p)
	}
	if u := findFailover(ips, ovhemu.DemoIPUnpinned); u == nil || len(u.PinnedBy) != 0 {
		t.Errorf("%s = %+v, want pinned by nothing", ovhemu.DemoIPUnpinned, u)
	}
	protos := map[Protocol]int{}
	for _, f := range frontends {
		protos[f.Protocol]++
	}
	if protos[HTTP] != 1 || protos[TCP] != 1 || protos[UDP] != 1 {
		t.Errorf("frontends per protocol = %v, want one of each", protos)
	}
	// Another account's IPLB is not found.
	if _, _, err := c.FailoverPins(testCtx(t), ovhemu.OtherLB); KindOf(err) != KindNotFound {
		t.Errorf("FailoverPins(OtherLB) = %v, want not found", err)
	}
}

func TestFailoverOverviewFollowsMoves(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	ov, err := c.FailoverOverview(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.IPs) != 2 || len(ov.Incoming) != 0 || len(ov.Frontends) != 3 {
		t.Fatalf("overview = %+v", ov)
	}
	for _, ip := range ov.IPs {
		if ip.Task != nil { // the seeded move of DemoIPPinned is done
			t.Errorf("%s has a running task %+v", ip.Block, ip.Task)
		}
	}

	move, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	park, err := c.ParkIP(ctx, ovhemu.DemoIPUnpinned)
	if err != nil {
		t.Fatal(err)
	}
	ov, err = c.FailoverOverview(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Incoming) != 1 || ov.Incoming[0].Block != ovhemu.DemoIPParked || ov.Incoming[0].Task == nil || ov.Incoming[0].Task.ID != move.ID {
		t.Errorf("incoming = %+v, want %s with task %d", ov.Incoming, ovhemu.DemoIPParked, move.ID)
	}
	u := findFailover(ov.IPs, ovhemu.DemoIPUnpinned)
	if u == nil || u.Task == nil || u.Task.ID != park.ID || u.Task.Destination == nil || u.Task.Destination.ServiceName != nil {
		t.Errorf("%s = %+v, want the park task %d", ovhemu.DemoIPUnpinned, u, park.ID)
	}

	emu.Settle()
	ov, err = c.FailoverOverview(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, ip := range ov.IPs {
		blocks = append(blocks, ip.Block)
		if ip.Task != nil {
			t.Errorf("%s still has a task after Settle: %+v", ip.Block, ip.Task)
		}
	}
	slices.Sort(blocks)
	if want := []string{ovhemu.DemoIPPinned, ovhemu.DemoIPParked}; !slices.Equal(blocks, want) {
		t.Errorf("IPs after the move and the park = %v, want %v", blocks, want)
	}
	if len(ov.Incoming) != 0 {
		t.Errorf("incoming after Settle = %+v", ov.Incoming)
	}
}

// TestFailoverOverviewCalls checks that the overview fetches every frontend
// and every task once and through the collection calls, not more.
func TestFailoverOverviewCalls(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	accountBlocks, err := c.IPBlocks(ctx, IPFilter{Type: IPTypeFailover})
	if err != nil {
		t.Fatal(err)
	}
	emu.ResetCalls()
	if _, err := c.FailoverOverview(ctx, ovhemu.DemoLB); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, pattern string
		want            int
	}{
		{"GET", "/ipLoadbalancing/{serviceName}/failover", 1},
		{"GET", "/ip", 1},
		{"GET", "/ipLoadbalancing/{serviceName}/http/frontend", 1},
		{"GET", "/ipLoadbalancing/{serviceName}/tcp/frontend", 1},
		{"GET", "/ipLoadbalancing/{serviceName}/udp/frontend", 1},
		{"GET", "/ipLoadbalancing/{serviceName}/http/frontend/{frontendId}", 1},
		{"GET", "/ip/{ip}/task", len(accountBlocks)},
		{"GET", "/ip/{ip}/task/{taskId}", 1}, // only DemoIPPinned has a task
		{"GET", "/ip/{ip}", 0},
	} {
		if got := emu.Calls(tt.method, tt.pattern); got != tt.want {
			t.Errorf("%s %s: %d calls, want %d", tt.method, tt.pattern, got, tt.want)
		}
	}
}

func TestMovableIPs(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	ips, err := c.MovableIPs(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]MovableIP{}
	for _, m := range ips {
		got[m.IP.IP] = m
		if !m.Offered {
			t.Errorf("%s listed without being offered", m.IP.IP)
		}
	}
	for _, want := range []string{ovhemu.DemoIPParked, ovhemu.DemoIPServer, ovhemu.DemoIPStaging} {
		if _, ok := got[want]; !ok {
			t.Errorf("MovableIPs(DemoLB) lacks %s: %v", want, ips)
		}
	}
	// Already there, too wide for an IPLB, or another account's.
	for _, not := range []string{ovhemu.DemoIPPinned, ovhemu.DemoIPUnpinned, ovhemu.DemoIPBlock, ovhemu.OtherIP} {
		if _, ok := got[not]; ok {
			t.Errorf("MovableIPs(DemoLB) offers %s", not)
		}
	}
	if lb := got[ovhemu.DemoIPStaging].RoutedToLB; lb == nil || lb.ServiceName != ovhemu.DemoLB2 {
		t.Errorf("%s RoutedToLB = %+v, want DemoLB2", ovhemu.DemoIPStaging, lb)
	}
	if got[ovhemu.DemoIPServer].RoutedToLB != nil || got[ovhemu.DemoIPServer].IP.RoutedToService() != ovhemu.DemoServer {
		t.Errorf("%s = %+v, want routed to the server", ovhemu.DemoIPServer, got[ovhemu.DemoIPServer])
	}
	if got[ovhemu.DemoIPParked].IP.RoutedToService() != "" || got[ovhemu.DemoIPParked].Task != nil {
		t.Errorf("%s = %+v, want parked without task", ovhemu.DemoIPParked, got[ovhemu.DemoIPParked])
	}

	// A move in progress shows as the IP's task.
	move, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	emu.Step() // todo → doing: still running
	m, err := c.MoveCandidate(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if m.Task == nil || m.Task.ID != move.ID || m.Task.Status != IPTaskDoing || !m.Offered {
		t.Errorf("MoveCandidate during the move = %+v", m)
	}
}

func TestMoveCandidate(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	tests := []struct {
		block       string
		wantKind    Kind
		wantErr     bool
		wantOffered bool
	}{
		{block: ovhemu.DemoIPParked, wantOffered: true},
		{block: ovhemu.DemoIPBlock},    // a /29 cannot go to an IPLB
		{block: ovhemu.DemoIPUnpinned}, // already there
		{block: ovhemu.OtherIP, wantErr: true, wantKind: KindNotFound},
	}
	for _, tt := range tests {
		m, err := c.MoveCandidate(ctx, tt.block, ovhemu.DemoLB)
		if tt.wantErr {
			if KindOf(err) != tt.wantKind {
				t.Errorf("MoveCandidate(%s) = %v, want kind %v", tt.block, err, tt.wantKind)
			}
			continue
		}
		if err != nil || m.Offered != tt.wantOffered || m.IP.IP != tt.block {
			t.Errorf("MoveCandidate(%s) = %+v, %v; want offered %v", tt.block, m, err, tt.wantOffered)
		}
	}
}

func TestLatestIPTask(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	if task, err := c.LatestIPTask(ctx, ovhemu.DemoIPParked); err != nil || task != nil {
		t.Errorf("LatestIPTask(parked, no task) = %+v, %v", task, err)
	}
	emu.FailNextTask("genericMoveFloatingIp", "no route to host")
	move, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	emu.Settle()
	task, err := c.LatestIPTask(ctx, ovhemu.DemoIPParked)
	if err != nil || task == nil || task.ID != move.ID || task.Status != IPTaskOVHError || task.Comment == nil || *task.Comment != "no route to host" {
		t.Fatalf("LatestIPTask after a failed move = %+v, %v", task, err)
	}
	again, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if task, err := c.LatestIPTask(ctx, ovhemu.DemoIPParked); err != nil || task == nil || task.ID != again.ID {
		t.Errorf("LatestIPTask = %+v, %v; want the newer task %d", task, err, again.ID)
	}
}
