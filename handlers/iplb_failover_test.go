package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// fakeFailover is an OVH whose calls of the IP task badge are scripted.
// Anything else panics on the nil embedded OVH: the test did not expect it.
type fakeFailover struct {
	OVH
	task       ovh.IPTask
	taskErr    error
	pending    []ovh.PendingChange
	pendingErr error
	taskCalls  atomic.Int32
	pendCalls  atomic.Int32
}

func (f *fakeFailover) IPTask(_ context.Context, block string, id int64) (ovh.IPTask, error) {
	f.taskCalls.Add(1)
	if block != "203.0.113.13/32" || id != f.task.ID {
		return ovh.IPTask{}, &ovh.Error{Kind: ovh.KindNotFound, Status: 404, Message: "no such task", QueryID: "EU.t1"}
	}
	return f.task, f.taskErr
}

func (f *fakeFailover) PendingChanges(context.Context, string) ([]ovh.PendingChange, error) {
	f.pendCalls.Add(1)
	return f.pending, f.pendingErr
}

func (f *fakeFailover) LoadBalancer(_ context.Context, sn string) (ovh.LoadBalancer, error) {
	name := "prod-web"
	return ovh.LoadBalancer{ServiceName: sn, DisplayName: &name}, nil
}

// TestIPTaskStatusUnit covers the badge endpoint's fragment-or-page rule,
// the banner appended out of band once the task has finished (and only
// then), and errors while polling.
func TestIPTaskStatusUnit(t *testing.T) {
	t.Parallel()
	const sn, block = "loadbalancer-a1b2c3d4e5f60718", "203.0.113.13/32"
	dest := sn
	running := ovh.IPTask{ID: 7, Function: ovh.IPTaskMove, Status: ovh.IPTaskDoing, Destination: &ovh.RoutedTo{ServiceName: &dest}}
	done := running
	done.Status = ovh.IPTaskDone
	pending := []ovh.PendingChange{{Zone: "gra", Number: 3}}
	htmx := map[string]string{"HX-Request": "true"}
	boosted := map[string]string{"HX-Request": "true", "HX-Boosted": "true"}
	path := views.IPTaskPath(sn, block, 7)

	tests := []struct {
		name        string
		path        string
		hdr         map[string]string
		task        ovh.IPTask
		taskErr     error
		pendingErr  error
		wantStatus  int
		wantLayout  bool
		wantBadge   string // the badge's data-status, "" = none
		wantBanner  bool   // an out-of-band banner in a fragment
		wantPending int32  // pendingChanges calls
		wantRetgt   string
		wantNoTask  bool // IPTask must not be called
	}{
		{name: "poll while running", path: path, hdr: htmx, task: running, wantStatus: 200, wantBadge: "doing"},
		{name: "poll when done", path: path, hdr: htmx, task: done, wantStatus: 200, wantBadge: "done", wantBanner: true, wantPending: 1},
		{name: "poll when done, banner unreadable", path: path, hdr: htmx, task: done, pendingErr: &ovh.Error{Kind: ovh.KindUnavailable},
			wantStatus: 200, wantBadge: "done", wantPending: 1},
		{name: "page", path: path, task: running, wantStatus: 200, wantLayout: true, wantBadge: "doing", wantPending: 1},
		{name: "boosted page", path: path, hdr: boosted, task: done, wantStatus: 200, wantLayout: true, wantBadge: "done", wantPending: 1},
		{name: "poll, API down", path: path, hdr: htmx, task: running, taskErr: &ovh.Error{Kind: ovh.KindUnavailable, Err: errors.New("dial: refused")},
			wantStatus: http.StatusBadGateway, wantRetgt: "#alerts"},
		{name: "unknown task", path: views.IPTaskPath(sn, block, 8), task: running, wantStatus: 404, wantLayout: true, wantPending: 1},
		{name: "bogus block", path: "/iplb/" + sn + "/failover/nope/task/7", task: running, wantStatus: 400, wantLayout: true, wantNoTask: true},
		{name: "bogus id", path: "/iplb/" + sn + "/failover/203.0.113.13%2F32/task/-1", task: running, wantStatus: 404, wantLayout: true, wantNoTask: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeFailover{task: tt.task, taskErr: tt.taskErr, pending: pending, pendingErr: tt.pendingErr}
			app := newUnitApp(t, Deps{UserClient: func(string) OVH { return fake }})
			rec, doc := app.do(t, app.signedIn(t, httptest.NewRequest(http.MethodGet, tt.path, nil)), tt.hdr)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; %s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if got := doc.Find("header nav").Length() > 0; got != tt.wantLayout {
				t.Errorf("layout = %v, want %v", got, tt.wantLayout)
			}
			if got := doc.Find(testID("ip-task-badge")).AttrOr("data-status", ""); got != tt.wantBadge {
				t.Errorf("badge status = %q, want %q", got, tt.wantBadge)
			}
			if got := doc.Find(`#pending-banner[hx-swap-oob="true"]`).Length() == 1; got != tt.wantBanner {
				t.Errorf("out-of-band banner = %v, want %v", got, tt.wantBanner)
			}
			if tt.wantBanner && !strings.Contains(doc.Find("#pending-banner").Text(), "3 changes") {
				t.Errorf("banner = %q", doc.Find("#pending-banner").Text())
			}
			if got := fake.pendCalls.Load(); got != tt.wantPending {
				t.Errorf("pendingChanges calls = %d, want %d", got, tt.wantPending)
			}
			if got := rec.Header().Get(hxRetarget); got != tt.wantRetgt {
				t.Errorf("HX-Retarget = %q, want %q", got, tt.wantRetgt)
			}
			if tt.wantNoTask && fake.taskCalls.Load() != 0 {
				t.Error("bad input reached the API")
			}
			if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), hxRequest) && rec.Code == 200 {
				t.Error("no Vary: HX-Request")
			}
		})
	}
}
