package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// fakeLBs is a fake OVH for the load balancer pages: the methods a test
// does not set panic on the nil embedded OVH.
type fakeLBs struct {
	OVH
	lbs      []ovh.LoadBalancer
	failover func(ctx context.Context, sn string) ([]string, error)
	pending  func(ctx context.Context, sn string) ([]ovh.PendingChange, error)
	taskIDs  []int64
	task     func(ctx context.Context, sn string, id int64) (ovh.Task, error)
	calls    atomic.Int64
}

func (f *fakeLBs) AllLoadBalancers(context.Context) ([]ovh.LoadBalancer, error) {
	f.calls.Add(1)
	return f.lbs, nil
}

func (f *fakeLBs) LoadBalancer(_ context.Context, sn string) (ovh.LoadBalancer, error) {
	f.calls.Add(1)
	for _, lb := range f.lbs {
		if lb.ServiceName == sn {
			return lb, nil
		}
	}
	return ovh.LoadBalancer{}, &ovh.Error{Kind: ovh.KindNotFound, Status: 404, Message: "no " + sn}
}

func (f *fakeLBs) Failover(ctx context.Context, sn string) ([]string, error) {
	f.calls.Add(1)
	return f.failover(ctx, sn)
}

func (f *fakeLBs) PendingChanges(ctx context.Context, sn string) ([]ovh.PendingChange, error) {
	f.calls.Add(1)
	return f.pending(ctx, sn)
}

func (f *fakeLBs) TaskIDs(context.Context, string, ovh.TaskFilter) ([]int64, error) {
	f.calls.Add(1)
	return f.taskIDs, nil
}

func (f *fakeLBs) Task(ctx context.Context, sn string, id int64) (ovh.Task, error) {
	f.calls.Add(1)
	return f.task(ctx, sn, id)
}

func lbNamed(sn, name string) ovh.LoadBalancer {
	return ovh.LoadBalancer{ServiceName: sn, DisplayName: &name, State: ovh.LoadBalancerOK, Zones: []string{"gra"}}
}

// The list's per-IPLB calls run at the same time: with three IPLBs, the
// six calls are all in flight before any answers (a barrier that a
// sequential fetch would never pass).
func TestLoadBalancerListConcurrent(t *testing.T) {
	t.Parallel()
	var started sync.WaitGroup
	started.Add(6)
	barrier := func(ctx context.Context) error {
		started.Done()
		done := make(chan struct{})
		go func() { started.Wait(); close(done) }()
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f := &fakeLBs{
		lbs: []ovh.LoadBalancer{lbNamed("lb-b", "Bravo"), lbNamed("lb-a", "alpha"), lbNamed("lb-c", "charlie")},
		failover: func(ctx context.Context, sn string) ([]string, error) {
			if err := barrier(ctx); err != nil {
				return nil, err
			}
			return []string{"203.0.113.1/32"}, nil
		},
		pending: func(ctx context.Context, sn string) ([]ovh.PendingChange, error) {
			if err := barrier(ctx); err != nil {
				return nil, err
			}
			return []ovh.PendingChange{{Zone: "gra", Number: 2}, {Zone: "rbx", Number: 1}}, nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := loadBalancerList(ctx, f)
	if err != nil {
		t.Fatalf("loadBalancerList: %v (a sequential fetch would hang at the barrier)", err)
	}
	var names []string
	for _, r := range m.Rows {
		names = append(names, r.LB.Name())
		if r.Failover != 1 || r.Pending != 3 || r.Problem != "" {
			t.Errorf("row %s = %+v", r.LB.Name(), r)
		}
	}
	if strings.Join(names, ",") != "alpha,Bravo,charlie" {
		t.Errorf("order = %v, want by name, case-insensitively", names)
	}
}

// One IPLB's failure shows in its row, except a refused key, which ends
// the page (the user must sign in again).
func TestLoadBalancerListErrors(t *testing.T) {
	t.Parallel()
	unavailable := &ovh.Error{Kind: ovh.KindUnavailable, Message: "The OVH API is unavailable"}
	unauthorized := &ovh.Error{Kind: ovh.KindUnauthorized, Status: 401, Message: "expired"}
	for _, tt := range []struct {
		name        string
		err         error
		wantErr     bool
		wantProblem string
	}{
		{name: "unavailable", err: unavailable, wantProblem: "Pending changes unavailable: The OVH API is unavailable"},
		{name: "unauthorized", err: unauthorized, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeLBs{
				lbs:      []ovh.LoadBalancer{lbNamed("lb-a", "a"), lbNamed("lb-b", "b")},
				failover: func(context.Context, string) ([]string, error) { return nil, nil },
				pending: func(_ context.Context, sn string) ([]ovh.PendingChange, error) {
					if sn == "lb-b" {
						return nil, tt.err
					}
					return nil, nil
				},
			}
			m, err := loadBalancerList(context.Background(), f)
			if tt.wantErr {
				if ovh.KindOf(err) != ovh.KindUnauthorized {
					t.Fatalf("err = %v, want the unauthorized error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Rows[0].Problem != "" || m.Rows[1].Problem != tt.wantProblem {
				t.Errorf("problems = %q, %q", m.Rows[0].Problem, m.Rows[1].Problem)
			}
		})
	}
}

// latestTasks fetches only the newest ids, skips a task deleted in
// between, and orders newest first.
func TestLatestTasks(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var fetched sync.Map
	f := &fakeLBs{
		taskIDs: []int64{3, 10, 7, 1, 12, 5},
		task: func(_ context.Context, _ string, id int64) (ovh.Task, error) {
			fetched.Store(id, true)
			if id == 10 {
				return ovh.Task{}, &ovh.Error{Kind: ovh.KindNotFound, Status: 404}
			}
			return ovh.Task{ID: id, CreationDate: base.Add(time.Duration(id) * time.Hour)}, nil
		},
	}
	tasks, err := latestTasks(context.Background(), f, "lb", 3)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, tk := range tasks {
		ids = append(ids, tk.ID)
	}
	if len(ids) != 2 || ids[0] != 12 || ids[1] != 7 {
		t.Errorf("tasks = %v, want [12 7] (10 was deleted)", ids)
	}
	for _, id := range []int64{1, 3, 5} {
		if _, ok := fetched.Load(id); ok {
			t.Errorf("task %d fetched, want only the 3 newest ids", id)
		}
	}
}

// The banner fragment: a fragment for htmx, the OVH 404 for an unknown
// IPLB, through the real Echo app with a fake client.
func TestShowBannerUnit(t *testing.T) {
	t.Parallel()
	f := &fakeLBs{
		lbs: []ovh.LoadBalancer{lbNamed("lb-a", "a")},
		pending: func(_ context.Context, sn string) ([]ovh.PendingChange, error) {
			if sn != "lb-a" {
				return nil, &ovh.Error{Kind: ovh.KindNotFound, Status: 404, Message: "no such IPLB", QueryID: "EU.q"}
			}
			return []ovh.PendingChange{{Zone: "gra", Number: 4}}, nil
		},
	}
	a := newUnitApp(t, Deps{UserClient: func(string) OVH { return f }})
	rec, doc := a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, views.BannerPath("lb-a"), nil)), map[string]string{"HX-Request": "true"})
	if rec.Code != http.StatusOK || doc.Find("html body main").Length() != 0 {
		t.Fatalf("status %d, layout %v", rec.Code, doc.Find("main").Length())
	}
	if got := doc.Find(testID("pending-zone")).AttrOr("data-count", ""); got != "4" {
		t.Errorf("count = %q", got)
	}
	rec, _ = a.do(t, a.signedIn(t, httptest.NewRequest(http.MethodGet, views.BannerPath("lb-x"), nil)), map[string]string{"HX-Request": "true"})
	if rec.Code != http.StatusNotFound || rec.Header().Get("HX-Retarget") != "#alerts" {
		t.Errorf("unknown IPLB: %d, retarget %q", rec.Code, rec.Header().Get("HX-Retarget"))
	}
}

// bannerOOB renders the OOB banner, or nothing when pendingChanges fails.
func TestBannerOOB(t *testing.T) {
	t.Parallel()
	h := New(Deps{})
	ok := &fakeLBs{pending: func(context.Context, string) ([]ovh.PendingChange, error) {
		return []ovh.PendingChange{{Zone: "gra", Number: 1}}, nil
	}}
	failing := &fakeLBs{pending: func(context.Context, string) ([]ovh.PendingChange, error) {
		return nil, &ovh.Error{Kind: ovh.KindUnavailable}
	}}
	var b strings.Builder
	if err := h.bannerOOB(context.Background(), ok, "lb").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `hx-swap-oob="true"`) || !strings.Contains(b.String(), `id="pending-banner"`) {
		t.Errorf("OOB banner = %s", b.String())
	}
	b.Reset()
	if err := h.bannerOOB(context.Background(), failing, "lb").Render(context.Background(), &b); err != nil || b.Len() != 0 {
		t.Errorf("failing OOB banner = %q, %v; want nothing", b.String(), err)
	}
}

// iplbShell fetches the IPLB and its pending changes.
func TestIPLBShell(t *testing.T) {
	t.Parallel()
	h := New(Deps{})
	f := &fakeLBs{
		lbs: []ovh.LoadBalancer{lbNamed("lb-a", "prod")},
		pending: func(context.Context, string) ([]ovh.PendingChange, error) {
			return []ovh.PendingChange{{Zone: "gra", Number: 2}}, nil
		},
	}
	shell, err := h.iplbShell(context.Background(), f, "lb-a", views.TabFrontends)
	if err != nil {
		t.Fatal(err)
	}
	if shell.DisplayName != "prod" || shell.Tab != views.TabFrontends || shell.Banner.Total() != 2 {
		t.Errorf("shell = %+v", shell)
	}
	if _, err := h.iplbShell(context.Background(), f, "lb-x", views.TabFrontends); ovh.KindOf(err) != ovh.KindNotFound {
		t.Errorf("unknown IPLB: %v", err)
	}
}
