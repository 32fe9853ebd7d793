package ovh

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestIPs(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	all, err := c.IPs(ctx, IPFilter{Type: IPTypeFailover})
	if err != nil {
		t.Fatal(err)
	}
	blocks := make([]string, 0, len(all))
	for _, ip := range all {
		blocks = append(blocks, ip.IP)
		if ip.Type != IPTypeFailover {
			t.Errorf("%s has type %q with the failover filter", ip.IP, ip.Type)
		}
	}
	for _, want := range []string{ovhemu.DemoIPPinned, ovhemu.DemoIPUnpinned, ovhemu.DemoIPServer, ovhemu.DemoIPParked, ovhemu.DemoIPBlock} {
		if !slices.Contains(blocks, want) {
			t.Errorf("IPs(failover) = %v, missing %s", blocks, want)
		}
	}
	if slices.Contains(blocks, ovhemu.OtherIP) {
		t.Errorf("IPs lists another account's IP %s", ovhemu.OtherIP)
	}
	ids, err := c.IPBlocks(ctx, IPFilter{Type: IPTypeFailover})
	if err != nil || !slices.Equal(ids, blocks) {
		t.Errorf("IPBlocks = %v, %v; IPs gave %v (order must be the API's)", ids, err, blocks)
	}

	routed, err := c.IPBlocks(ctx, IPFilter{RoutedTo: ovhemu.DemoLB})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(routed, ovhemu.DemoIPPinned) || !slices.Contains(routed, ovhemu.DemoIPUnpinned) || slices.Contains(routed, ovhemu.DemoIPServer) {
		t.Errorf("IPBlocks(routedTo %s) = %v", ovhemu.DemoLB, routed)
	}

	// A /29 goes through the path as %2F (REFERENCE §3.1); the emulator
	// only matches /ip/{ip} if it was escaped.
	before := emu.Calls("GET", "/ip/{ip}")
	block, err := c.IP(ctx, ovhemu.DemoIPBlock)
	if err != nil {
		t.Fatal(err)
	}
	if block.IP != ovhemu.DemoIPBlock || block.Version != IPv4 || block.RoutedToService() != ovhemu.DemoServer {
		t.Errorf("IP(%s) = %+v", ovhemu.DemoIPBlock, block)
	}
	if got := emu.Calls("GET", "/ip/{ip}") - before; got != 1 {
		t.Errorf("GET /ip/{ip} served %d times, want 1", got)
	}
	pinned, err := c.IP(ctx, ovhemu.DemoIPPinned)
	if err != nil || pinned.RoutedToService() != ovhemu.DemoLB || pinned.IAM == nil || pinned.IAM.URN == "" {
		t.Errorf("IP(%s) = %+v, %v", ovhemu.DemoIPPinned, pinned, err)
	}
	parked, err := c.IP(ctx, ovhemu.DemoIPParked)
	if err != nil || parked.RoutedToService() != "" {
		t.Errorf("IP(%s) = %+v, %v; want parked", ovhemu.DemoIPParked, parked, err)
	}
	// Another account's IP is not found (isolation).
	if _, err := c.IP(ctx, ovhemu.OtherIP); KindOf(err) != KindNotFound {
		t.Errorf("IP(%s) = %v, want KindNotFound", ovhemu.OtherIP, err)
	}
}

func TestIPMoveDestinations(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	d, err := c.IPMoveDestinations(testCtx(t), ovhemu.DemoIPParked)
	if err != nil {
		t.Fatal(err)
	}
	lbs := make([]string, 0, len(d.IPLoadbalancing))
	for _, dest := range d.IPLoadbalancing {
		lbs = append(lbs, dest.Service)
	}
	if !slices.Contains(lbs, ovhemu.DemoLB) || slices.Contains(lbs, ovhemu.OtherLB) {
		t.Errorf("IPLoadbalancing destinations = %v, want %s and not %s", lbs, ovhemu.DemoLB, ovhemu.OtherLB)
	}
}

// TestMoveIPToLoadBalancer follows a whole move: MoveIP, WaitIPTask driven
// by Step, then the IP is in the IPLB's failover list, routed to it, and a
// change is pending.
func TestMoveIPToLoadBalancer(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	block := ovhemu.DemoIPParked

	task, err := c.MoveIP(ctx, block, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if task.Function != IPTaskMove || task.Status.Finished() || task.ID == 0 {
		t.Fatalf("MoveIP task = %+v", task)
	}
	if task.Destination == nil || deref(task.Destination.ServiceName) != ovhemu.DemoLB {
		t.Errorf("task destination = %+v, want %s", task.Destination, ovhemu.DemoLB)
	}
	polls := 0
	done, err := WaitIPTask(ctx, 0, func(ctx context.Context) (IPTask, error) {
		if polls > 0 {
			emu.Step()
		}
		polls++
		return c.IPTask(ctx, block, task.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != IPTaskDone || done.DoneDate == nil || polls < 2 {
		t.Errorf("final task %+v after %d polls", done, polls)
	}
	failover, err := c.Failover(ctx, ovhemu.DemoLB)
	if err != nil || !slices.Contains(failover, block) {
		t.Errorf("Failover(%s) = %v, %v; want it to contain %s", ovhemu.DemoLB, failover, err, block)
	}
	ip, err := c.IP(ctx, block)
	if err != nil || ip.RoutedToService() != ovhemu.DemoLB {
		t.Errorf("IP after move = %+v, %v", ip, err)
	}
	pending, err := c.PendingChanges(ctx, ovhemu.DemoLB)
	if err != nil || len(pending) == 0 {
		t.Errorf("PendingChanges after the move = %v, %v; want some", pending, err)
	}
	tasks, err := c.IPTasks(ctx, block, IPTaskFilter{Function: IPTaskMove})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tasks, func(tk IPTask) bool { return tk.ID == task.ID && tk.Status == IPTaskDone }) {
		t.Errorf("IPTasks = %+v, want the done move %d", tasks, task.ID)
	}
	if ids, err := c.IPTaskIDs(ctx, block, IPTaskFilter{Status: IPTaskTodo}); err != nil || slices.Contains(ids, task.ID) {
		t.Errorf("IPTaskIDs(todo) = %v, %v: the done task must not match", ids, err)
	}
}

func TestMoveIPFails(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	const comment = "The destination refused the IP" // ovhemu.FailNextTask's comment is the task's
	emu.FailNextTask("genericMoveFloatingIp", comment)
	task, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	last, err := WaitIPTask(ctx, 0, func(ctx context.Context) (IPTask, error) {
		emu.Step()
		return c.IPTask(ctx, ovhemu.DemoIPParked, task.ID)
	})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTaskFailed) || e.Message != comment {
		t.Fatalf("WaitIPTask = %+v, %v; want a failed task with message %q", last, err, comment)
	}
	if last.Status != IPTaskOVHError {
		t.Errorf("status = %s, want ovhError", last.Status)
	}
	failover, err := c.Failover(ctx, ovhemu.DemoLB)
	if err != nil || slices.Contains(failover, ovhemu.DemoIPParked) {
		t.Errorf("Failover = %v, %v: a failed move must not route the IP", failover, err)
	}
}

func TestParkIP(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	task, err := c.ParkIP(ctx, ovhemu.DemoIPUnpinned)
	if err != nil {
		t.Fatal(err)
	}
	emu.Settle()
	if got, err := c.IPTask(ctx, ovhemu.DemoIPUnpinned, task.ID); err != nil || got.Status != IPTaskDone {
		t.Fatalf("IPTask after Settle = %+v, %v", got, err)
	}
	ip, err := c.IP(ctx, ovhemu.DemoIPUnpinned)
	if err != nil || ip.RoutedToService() != "" {
		t.Errorf("IP after park = %+v, %v; want parked", ip, err)
	}
}

func TestMoveIPRejected(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	// Another account's IPLB is not a destination.
	_, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.OtherLB)
	if k := KindOf(err); k != KindInvalid && k != KindNotFound && k != KindForbidden {
		t.Errorf("MoveIP to another account's IPLB = %v", err)
	}
	if MessageOf(err) == "" || QueryIDOf(err) == "" {
		t.Errorf("error without message or query id: %v", err)
	}
	// Another account's IP cannot be moved.
	if _, err := c.MoveIP(ctx, ovhemu.OtherIP, ovhemu.DemoLB); KindOf(err) != KindNotFound {
		t.Errorf("MoveIP(%s) = %v, want KindNotFound", ovhemu.OtherIP, err)
	}
}
