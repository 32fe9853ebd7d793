package ovhemu

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAutoAdvanceMove(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t, WithAutoAdvance(40*time.Second, 15*time.Second))
	task := mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB})
	path := ipPath(DemoIPParked, "/task/", itoa(task.TaskID))
	for _, tc := range []struct {
		after  time.Duration // since the move was created
		status string
		routed string
	}{
		{0, "todo", ""},
		{9 * time.Second, "todo", ""},
		{10 * time.Second, "doing", ""}, // a quarter of 40 s
		{39 * time.Second, "doing", ""},
		{40 * time.Second, "done", DemoLB},
		{10 * time.Minute, "done", DemoLB},
	} {
		clk.advance(t0.Add(tc.after).Sub(clk.now()))
		got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", path, nil)
		if got.Status != tc.status {
			t.Errorf("after %v: status %s, want %s", tc.after, got.Status, tc.status)
		}
		if r := routedOf(t, e, DemoAccount, DemoIPParked); r != tc.routed {
			t.Errorf("after %v: routed to %q, want %q", tc.after, r, tc.routed)
		}
		if tc.status == "done" && (got.DoneDate == nil || *got.DoneDate != "2026-11-24T10:00:40+00:00") {
			t.Errorf("after %v: doneDate %v, want the move's end, 10:00:40", tc.after, got.DoneDate)
		}
	}
	// The side effects were applied once, not at every read.
	if diff := cmp.Diff([]pendingOut{{"gra", 3}, {"rbx", 2}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("pending (-want +got)\n%s", diff)
	}
}

func TestAutoAdvanceRefresh(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t, WithAutoAdvance(40*time.Second, 15*time.Second))
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	path := lbPath(DemoLB, "/task/", itoa(task.ID))
	for _, tc := range []struct {
		after    time.Duration
		status   string
		progress int64
	}{
		{0, "todo", 0},
		{3 * time.Second, "todo", 0},
		{6 * time.Second, "doing", 40},
		{12 * time.Second, "doing", 80},
		{11 * time.Second, "doing", 80}, // a clock going back does not undo progress
		{15 * time.Second, "done", 100},
	} {
		clk.advance(t0.Add(tc.after).Sub(clk.now()))
		got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", path, nil)
		if got.Status != tc.status || got.Progress != tc.progress {
			t.Errorf("after %v: %s %d, want %s %d", tc.after, got.Status, got.Progress, tc.status, tc.progress)
		}
	}
	if p := pendingOf(t, e, DemoLB); len(p) != 0 {
		t.Errorf("pending after the refresh = %v", p)
	}
}

// With durations of 0, a task is done at the first read after its creation.
func TestAutoAdvanceZero(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t, WithAutoAdvance(0, 0))
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	if task.Status != "todo" {
		t.Errorf("refresh answer: %s, want todo", task.Status)
	}
	if got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil); got.Status != "done" {
		t.Errorf("first read: %s, want done", got.Status)
	}
	move := mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB2})
	if move.Status != "todo" {
		t.Errorf("move answer: %s, want todo", move.Status)
	}
	if r := routedOf(t, e, DemoAccount, DemoIPParked); r != DemoLB2 {
		t.Errorf("first read after the move: routed to %q", r)
	}
}

// FailNextTask applies in auto mode too.
func TestAutoAdvanceFailure(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t, WithAutoAdvance(40*time.Second, 15*time.Second))
	e.FailNextTask("refreshIplb", "boom")
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	clk.advance(time.Minute)
	got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil)
	if got.Status != "error" || got.DoneDate == nil || *got.DoneDate != "2026-11-24T10:00:15+00:00" {
		t.Errorf("failed refresh = %+v", got)
	}
	if len(pendingOf(t, e, DemoLB)) != 2 {
		t.Error("a failed refresh cleared the counters")
	}
}

// Without WithAutoAdvance, time alone moves nothing.
func TestManualModeIgnoresTime(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t)
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	clk.advance(24 * time.Hour)
	if got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil); got.Status != "todo" {
		t.Errorf("status %s after a day without Step, want todo", got.Status)
	}
}

func TestStepAndSettle(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	e.Step() // nothing to do: the seeded history is finished and must stay so
	e.Settle()
	hist := mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task?status=done"), nil)
	if len(hist) != 2 {
		t.Fatalf("history = %v", hist)
	}
	refresh := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	move := mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB2})
	e.Settle()
	if got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(refresh.ID)), nil); got.Status != "done" {
		t.Errorf("refresh after Settle: %s", got.Status)
	}
	if got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", ipPath(DemoIPParked, "/task/", itoa(move.TaskID)), nil); got.Status != "done" {
		t.Errorf("move after Settle: %s", got.Status)
	}
	e.mu.Lock()
	unfinished := e.world.unfinishedTasks()
	e.mu.Unlock()
	if unfinished {
		t.Error("tasks unfinished after Settle")
	}
}

// Step, Settle and FailNextTask take the lock themselves: running them
// alongside requests is safe (this test is for -race).
func TestTaskControlsConcurrent(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				switch i {
				case 0:
					e.Step()
				case 1:
					e.FailNextTask("refreshIplb", "x")
				case 2:
					e.Settle()
				default:
					doAs(t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
					doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/pendingChanges"), nil)
				}
			}
		}()
	}
	wg.Wait()
	e.Settle()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.world.unfinishedTasks() {
		t.Error("tasks unfinished after the final Settle")
	}
}

func TestAutoStage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		elapsed, d time.Duration
		stage      taskStage
		progress   int64
	}{
		{0, 0, stageFinished, 100},
		{-time.Second, 0, stageTodo, 0},
		{0, 40 * time.Second, stageTodo, 0},
		{10 * time.Second, 40 * time.Second, stageDoing, 25},
		{39*time.Second + 900*time.Millisecond, 40 * time.Second, stageDoing, 99},
		{40 * time.Second, 40 * time.Second, stageFinished, 100},
	} {
		s, p := autoStage(tc.elapsed, tc.d)
		if s != tc.stage || p != tc.progress {
			t.Errorf("autoStage(%v, %v) = %v, %d; want %v, %d", tc.elapsed, tc.d, s, p, tc.stage, tc.progress)
		}
	}
}
