package ovh

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestLoadBalancers(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	names, err := c.LoadBalancers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	want := []string{ovhemu.DemoLB2, ovhemu.DemoLB}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("LoadBalancers = %v, want %v (not %s)", names, want, ovhemu.OtherLB)
	}
	all, err := c.AllLoadBalancers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("AllLoadBalancers = %d IPLBs", len(all))
	}
	byName := map[string]LoadBalancer{}
	for _, lb := range all {
		byName[lb.ServiceName] = lb
	}
	prod := byName[ovhemu.DemoLB]
	if prod.Name() != "prod-web" || !slices.Equal(prod.Zones, []string{"gra", "rbx"}) || deref(prod.VRackName) != ovhemu.DemoVrack ||
		prod.State != LoadBalancerOK || prod.IP == "" || prod.IAM == nil {
		t.Errorf("LoadBalancer %s = %+v", ovhemu.DemoLB, prod)
	}
	if stg := byName[ovhemu.DemoLB2]; stg.VRackName != nil || stg.Name() != "staging" {
		t.Errorf("LoadBalancer %s = %+v", ovhemu.DemoLB2, stg)
	}
	one, err := c.LoadBalancer(ctx, ovhemu.DemoLB)
	if err != nil || one.ServiceName != ovhemu.DemoLB {
		t.Errorf("LoadBalancer = %+v, %v", one, err)
	}
	zones, err := c.Zones(ctx, ovhemu.DemoLB)
	if err != nil || !slices.Equal(zones, []string{"gra", "rbx"}) {
		t.Errorf("Zones = %v, %v", zones, err)
	}
	failover, err := c.Failover(ctx, ovhemu.DemoLB)
	if err != nil || !slices.Contains(failover, ovhemu.DemoIPPinned) || !slices.Contains(failover, ovhemu.DemoIPUnpinned) {
		t.Errorf("Failover = %v, %v", failover, err)
	}
	st, err := c.Status(ctx, ovhemu.DemoLB)
	if err != nil || st.Frontends.Total < 3 || st.Farms.Total < 4 || st.Service.Status == "" {
		t.Errorf("Status = %+v, %v", st, err)
	}
	defined, err := c.DefinedFrontends(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	protos := map[Protocol]int{}
	for _, d := range defined {
		protos[d.Type]++
	}
	if protos[HTTP] < 1 || protos[TCP] < 1 || protos[UDP] < 1 {
		t.Errorf("DefinedFrontends = %+v, want all three protocols", defined)
	}
}

// TestIsolation: a key of DemoAccount sees nothing of OtherAccount's, and
// an unknown service is a 404 with the API's message and query id.
func TestIsolation(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	for name, call := range map[string]func() error{
		"LoadBalancer":   func() error { _, err := c.LoadBalancer(ctx, ovhemu.OtherLB); return err },
		"Frontends":      func() error { _, err := c.Frontends(ctx, ovhemu.OtherLB, HTTP); return err },
		"Refresh":        func() error { _, err := c.Refresh(ctx, ovhemu.OtherLB, ""); return err },
		"PendingChanges": func() error { _, err := c.PendingChanges(ctx, ovhemu.OtherLB); return err },
		"unknown":        func() error { _, err := c.LoadBalancer(ctx, "loadbalancer-0000000000000000"); return err },
	} {
		err := call()
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindNotFound || e.Status != 404 || e.Message == "" || e.QueryID == "" {
			t.Errorf("%s on another account's IPLB = %#v, want a 404 *Error with message and query id", name, err)
		}
	}
}

// TestRefresh applies DemoLB's pending changes, Step by Step.
func TestRefresh(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	sn := ovhemu.DemoLB
	pending, err := c.PendingChanges(ctx, sn)
	if err != nil || len(pending) == 0 {
		t.Fatalf("seeded PendingChanges = %v, %v; want some", pending, err)
	}
	task, err := c.Refresh(ctx, sn, "")
	if err != nil {
		t.Fatal(err)
	}
	if task.Action != TaskRefresh || task.Status.Finished() || !slices.Equal(task.Zones, []string{"gra", "rbx"}) {
		t.Errorf("Refresh task = %+v", task)
	}
	// A second refresh while one runs is a conflict (REFERENCE §10.1).
	_, err = c.Refresh(ctx, sn, "gra")
	if KindOf(err) != KindConflict || MessageOf(err) == "" || QueryIDOf(err) == "" {
		t.Errorf("second Refresh = %v, want KindConflict with message and query id", err)
	}
	running, err := c.Tasks(ctx, sn, TaskFilter{Action: TaskRefresh, Status: task.Status})
	if err != nil || !slices.ContainsFunc(running, func(tk Task) bool { return tk.ID == task.ID }) {
		t.Errorf("Tasks(refreshIplb, %s) = %+v, %v; want task %d", task.Status, running, err, task.ID)
	}
	done, err := WaitTask(ctx, 0, func(ctx context.Context) (Task, error) {
		emu.Step()
		return c.Task(ctx, sn, task.ID)
	})
	if err != nil || done.Status != TaskDone || done.Progress != 100 || done.DoneDate == nil {
		t.Fatalf("WaitTask = %+v, %v", done, err)
	}
	if pending, err := c.PendingChanges(ctx, sn); err != nil || len(pending) != 0 {
		t.Errorf("PendingChanges after the refresh = %v, %v; want none", pending, err)
	}
	ids, err := c.TaskIDs(ctx, sn, TaskFilter{Action: TaskRefresh, Status: TaskDone, CreatedFrom: time.Now().Add(-time.Hour)})
	if err != nil || !slices.Contains(ids, task.ID) {
		t.Errorf("TaskIDs(done, created in the last hour) = %v, %v; want %d", ids, err, task.ID)
	}

	// One zone: a body {"zone":"gra"} and a task for gra only.
	one, err := c.Refresh(ctx, sn, "gra")
	if err != nil || !slices.Equal(one.Zones, []string{"gra"}) {
		t.Errorf("Refresh(gra) = %+v, %v", one, err)
	}
}

// TestRefreshInvalid: DemoLB2 holds a frontend without farm, redirection
// or route, so its refresh is refused with a 400 naming it (REFERENCE
// §10.1; the wording is the emulator's, [INF]).
func TestRefreshInvalid(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	_, err := c.Refresh(testCtx(t), ovhemu.DemoLB2, "")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalid || e.Message == "" || e.QueryID == "" {
		t.Errorf("Refresh(%s) = %#v, want KindInvalid with message", ovhemu.DemoLB2, err)
	}
}

func TestRefreshFailedTask(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	emu.FailNextTask("refreshIplb", "deployment failed")
	task, err := c.Refresh(ctx, ovhemu.DemoLB, "")
	if err != nil {
		t.Fatal(err)
	}
	last, err := WaitTask(ctx, 0, func(ctx context.Context) (Task, error) {
		emu.Step()
		return c.Task(ctx, ovhemu.DemoLB, task.ID)
	})
	if !errors.Is(err, ErrTaskFailed) || last.Status != TaskError || KindOf(err) != KindOther {
		t.Errorf("WaitTask = %+v, %v; want a failed task", last, err)
	}
}

// stepClock is an emulator clock that moves one second on at every read,
// so that auto-advancing tasks progress as the client polls, without a
// test waiting for real time.
func stepClock() func() time.Time {
	var n atomic.Int64
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

// TestRefreshIfPending: a refresh already running is waited for, then the
// changes made meanwhile are applied by a new refresh; with nothing
// pending, nothing is refreshed.
func TestRefreshIfPending(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t, ovhemu.WithClock(stepClock()), ovhemu.WithAutoAdvance(time.Minute, 30*time.Second))
	c := emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
	ctx := testCtx(t)
	sn := ovhemu.DemoLB

	first, err := c.Refresh(ctx, sn, "")
	if err != nil {
		t.Fatal(err)
	}
	// A change made while the first refresh runs stays pending after it.
	if err := c.UpdateFrontend(ctx, sn, TCP, mustFrontendID(t, c, sn, TCP), FrontendUpdate{DisplayName: Set("postgres-renamed")}); err != nil {
		t.Fatal(err)
	}
	task, refreshed, err := c.RefreshIfPending(ctx, sn, 0)
	if err != nil || !refreshed {
		t.Fatalf("RefreshIfPending = %+v, %v, %v", task, refreshed, err)
	}
	if task.ID == first.ID || task.Status != TaskDone {
		t.Errorf("RefreshIfPending returned task %+v; want a new, done refresh (first was %d)", task, first.ID)
	}
	if got, err := c.Task(ctx, sn, first.ID); err != nil || got.Status != TaskDone {
		t.Errorf("first refresh = %+v, %v; want done", got, err)
	}
	if got := emu.Calls("GET", "/ipLoadbalancing/{serviceName}/task/{id}"); got < 2 {
		t.Errorf("GET task/{id} served %d times; the waits did not poll", got)
	}

	emu.ResetCalls()
	task, refreshed, err = c.RefreshIfPending(ctx, sn, 0)
	if err != nil || refreshed || task.ID != 0 {
		t.Errorf("second RefreshIfPending = %+v, %v, %v; want nothing to do", task, refreshed, err)
	}
	if n := emu.Calls("POST", "/ipLoadbalancing/{serviceName}/refresh"); n != 0 {
		t.Errorf("refresh POSTed %d times with nothing pending", n)
	}
}

func mustFrontendID(t *testing.T, c *Client, sn string, p Protocol) int64 {
	t.Helper()
	ids, err := c.FrontendIDs(testCtx(t), sn, p)
	if err != nil || len(ids) == 0 {
		t.Fatalf("FrontendIDs(%s, %s) = %v, %v", sn, p, ids, err)
	}
	return ids[0]
}

// TestParallelFetchBound: with latency injected on every frontend GET, the
// client has exactly maxParallel of them in flight, never more, and keeps
// the API's order.
func TestParallelFetchBound(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t)
	setup := emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
	ctx := testCtx(t)
	sn := ovhemu.DemoLB2
	for i := range 20 {
		if _, err := setup.CreateFrontend(ctx, sn, TCP, FrontendCreate{Port: itoa(int64(10000 + i)), Zone: "all"}); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	counter := &countingTransport{base: http.DefaultTransport}
	c, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, ConsumerKey: ck,
		HTTPClient: &http.Client{Transport: counter}})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := c.FrontendIDs(ctx, sn, TCP)
	if err != nil || len(ids) != 20 {
		t.Fatalf("FrontendIDs = %v, %v", ids, err)
	}
	const item = "/ipLoadbalancing/{serviceName}/tcp/frontend/{frontendId}"
	emu.SetLatency("GET", item, 100*time.Millisecond)
	emu.ResetCalls()
	got, err := c.Frontends(ctx, sn, TCP)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := make([]int64, 0, len(got))
	for _, f := range got {
		gotIDs = append(gotIDs, f.ID)
	}
	if !slices.Equal(gotIDs, ids) {
		t.Errorf("Frontends order = %v, want %v", gotIDs, ids)
	}
	if n := emu.Calls("GET", item); n != 20 {
		t.Errorf("GET frontend/{id} served %d times, want 20", n)
	}
	if m := counter.maxSeen(); m != maxParallel {
		t.Errorf("%d requests in flight at most, want exactly %d", m, maxParallel)
	}
}

// TestConcurrentCallsEmulator: many calls on one client against the
// emulator; its own count shows one /auth/time.
func TestConcurrentCallsEmulator(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)
	errs := make(chan error, 32)
	for range 32 {
		go func() {
			_, err := c.AllLoadBalancers(ctx)
			errs <- err
		}()
	}
	for range 32 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := emu.Calls("GET", "/auth/time"); n != 1 {
		t.Errorf("/auth/time served %d times, want 1", n)
	}
}
