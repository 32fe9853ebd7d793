package ovh

import (
	"fmt"
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// entryKeys names each entry "lb:<action>:<status>" or
// "ip:<block>:<function>:<status>", in order.
func entryKeys(es []TaskEntry) []string {
	var out []string
	for _, e := range es {
		if e.Task != nil {
			out = append(out, fmt.Sprintf("lb:%s:%s", e.Task.Action, e.Task.Status))
		} else {
			out = append(out, fmt.Sprintf("ip:%s:%s:%s", e.Block, e.IPTask.Function, e.IPTask.Status))
		}
	}
	return out
}

func TestTaskOverview(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	// The seed: DemoLB's installation and an applied refresh, and the move
	// that brought DemoIPPinned (an IP routed to DemoLB).
	ov, err := c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lb:refreshIplb:done",
		"ip:" + ovhemu.DemoIPPinned + ":genericMoveFloatingIp:done",
		"lb:installIplb:done",
	}
	if got := entryKeys(ov.Entries); !slices.Equal(got, want) {
		t.Errorf("seeded tasks = %v, want %v", got, want)
	}
	if ov.Truncated {
		t.Error("truncated with 3 tasks")
	}

	// A refresh and a move to DemoLB start now: both are newest, and the
	// moving IP is not routed to DemoLB yet.
	refresh, err := c.Refresh(ctx, ovhemu.DemoLB, "")
	if err != nil {
		t.Fatal(err)
	}
	move, err := c.MoveIP(ctx, ovhemu.DemoIPParked, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	ov, err = c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Entries) != 5 {
		t.Fatalf("entries = %v, want 5", entryKeys(ov.Entries))
	}
	for i := 1; i < len(ov.Entries); i++ {
		if ov.Entries[i].Date().After(ov.Entries[i-1].Date()) {
			t.Errorf("entry %d (%v) is newer than entry %d (%v)", i, ov.Entries[i].Date(), i-1, ov.Entries[i-1].Date())
		}
	}
	if !slices.Contains(ov.Blocks, ovhemu.DemoIPParked) {
		t.Errorf("blocks = %v, want the incoming %s", ov.Blocks, ovhemu.DemoIPParked)
	}
	running := 0
	for _, e := range ov.Entries {
		if !e.Finished() {
			running++
			if e.ID() != refresh.ID && e.ID() != move.ID {
				t.Errorf("running entry %+v is neither the refresh nor the move", e)
			}
		}
	}
	if running != 2 {
		t.Errorf("%d running entries, want 2", running)
	}

	tests := []struct {
		name   string
		filter TaskListFilter
		want   []string
	}{
		{"refreshes", TaskListFilter{Action: string(TaskRefresh)}, []string{"lb:refreshIplb:todo", "lb:refreshIplb:done"}},
		{"moves", TaskListFilter{Action: string(IPTaskMove)}, []string{
			"ip:" + ovhemu.DemoIPParked + ":genericMoveFloatingIp:todo",
			"ip:" + ovhemu.DemoIPPinned + ":genericMoveFloatingIp:done",
		}},
		{"todo of both kinds", TaskListFilter{Status: "todo"}, []string{
			"ip:" + ovhemu.DemoIPParked + ":genericMoveFloatingIp:todo",
			"lb:refreshIplb:todo",
		}},
		{"done of both kinds", TaskListFilter{Status: "done"}, []string{
			"lb:refreshIplb:done",
			"ip:" + ovhemu.DemoIPPinned + ":genericMoveFloatingIp:done",
			"lb:installIplb:done",
		}},
		{"an IPLB-only status", TaskListFilter{Status: string(TaskBlocked)}, nil},
		{"an IP-only status", TaskListFilter{Status: string(IPTaskInit)}, nil},
		{"an IPLB action with an IP-only status", TaskListFilter{Action: string(TaskRefresh), Status: string(IPTaskInit)}, nil},
		{"newest only", TaskListFilter{Action: string(TaskRefresh), Limit: 1}, []string{"lb:refreshIplb:todo"}},
	}
	for _, tt := range tests {
		ov, err := c.TaskOverview(ctx, ovhemu.DemoLB, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := entryKeys(ov.Entries); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if ov.Truncated != (tt.filter.Limit == 1) {
			t.Errorf("%s: truncated = %v", tt.name, ov.Truncated)
		}
	}

	emu.Settle()
	ov, err = c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{Status: "done"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Entries) != 5 {
		t.Errorf("done after Settle = %v, want all 5", entryKeys(ov.Entries))
	}
}

func TestTaskOverviewCalls(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	account, err := c.IPBlocks(ctx, IPFilter{Type: IPTypeFailover})
	if err != nil {
		t.Fatal(err)
	}
	routed, err := c.Failover(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	emu.ResetCalls()
	if _, err := c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, pattern string
		want            int
	}{
		{"GET", "/ipLoadbalancing/{serviceName}/task", 1},
		{"GET", "/ipLoadbalancing/{serviceName}/task/{id}", 2},
		{"GET", "/ipLoadbalancing/{serviceName}/failover", 1},
		{"GET", "/ip", 1},
		// Every routed block's task list, and the latest task of the others.
		{"GET", "/ip/{ip}/task", len(account)},
		{"GET", "/ip/{ip}/task/{taskId}", 1}, // only DemoIPPinned has a task
	} {
		if got := emu.Calls(tt.method, tt.pattern); got != tt.want {
			t.Errorf("%s %s: %d calls, want %d (%d routed blocks)", tt.method, tt.pattern, got, tt.want, len(routed))
		}
	}

	// An IP-only filter skips the IPLB's tasks, an IPLB-only one the IPs.
	emu.ResetCalls()
	if _, err := c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{Action: string(IPTaskMove)}); err != nil {
		t.Fatal(err)
	}
	if n := emu.Calls("GET", "/ipLoadbalancing/{serviceName}/task"); n != 0 {
		t.Errorf("IP filter: %d IPLB task list calls, want 0", n)
	}
	emu.ResetCalls()
	if _, err := c.TaskOverview(ctx, ovhemu.DemoLB, TaskListFilter{Action: string(TaskRefresh)}); err != nil {
		t.Fatal(err)
	}
	if n := emu.Calls("GET", "/ipLoadbalancing/{serviceName}/failover") + emu.Calls("GET", "/ip/{ip}/task"); n != 0 {
		t.Errorf("IPLB filter: %d IP calls, want 0", n)
	}
}

func TestKnownTaskFilters(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"refreshIplb": true, "genericMoveFloatingIp": true, "bogus": false, "": false} {
		if got := KnownTaskAction(s); got != want {
			t.Errorf("KnownTaskAction(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{"todo": true, "blocked": true, "ovhError": true, "running": false} {
		if got := KnownTaskStatus(s); got != want {
			t.Errorf("KnownTaskStatus(%q) = %v", s, got)
		}
	}
}
