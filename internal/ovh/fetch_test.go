package ovh

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// fetchAPI serves GET /1.0/ipLoadbalancing/lb/http/frontend (the ids) and
// .../frontend/{id}, and records how many item requests were in flight.
type fetchAPI struct {
	*rawAPI
	mu       sync.Mutex
	inflight int
	maxSeen  int
	arrived  int
	// gate, while open (non-nil and not closed), holds item requests until
	// maxParallel of them are in flight (or all have arrived), so that the
	// bound is reached, and seen, deterministically.
	gate     chan struct{}
	gateOpen bool
	full     chan struct{} // closed when maxParallel requests are first in flight
	fullDone bool
	ids      []int64
	fail     map[int64]int // id → status to answer with
}

func newFetchAPI(t *testing.T, ids []int64, fail map[int64]int) *fetchAPI {
	f := &fetchAPI{ids: ids, fail: fail, gate: make(chan struct{}), full: make(chan struct{})}
	f.rawAPI = newRawAPI(t, f.serve)
	return f
}

func (f *fetchAPI) serve(w http.ResponseWriter, r *http.Request) {
	if path.Base(r.URL.Path) == "frontend" {
		b := []byte("[")
		for i, id := range f.ids {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		writeRaw(w, 200, "q", "", string(append(b, ']')))
		return
	}
	id, _ := strconv.ParseInt(path.Base(r.URL.Path), 10, 64)
	f.mu.Lock()
	f.inflight++
	f.arrived++
	f.maxSeen = max(f.maxSeen, f.inflight)
	if !f.fullDone && f.inflight == maxParallel {
		f.fullDone = true
		close(f.full)
	}
	if !f.gateOpen && (f.inflight == maxParallel || f.arrived == len(f.ids)) {
		f.gateOpen = true
		close(f.gate)
	}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if status, ok := f.fail[id]; ok {
		writeRaw(w, status, "EU.fail."+strconv.FormatInt(id, 10), "", `{"class":"Server::InternalServerError","message":"item `+strconv.FormatInt(id, 10)+` failed"}`)
		return
	}
	select {
	case <-f.gate:
	case <-r.Context().Done():
		return
	}
	writeRaw(w, 200, "q", "", fmt.Sprintf(`{"frontendId":%d,"port":"%d","zone":"all"}`, id, 1000+id))
}

// keepGateShut makes item requests wait until they are cancelled.
func (f *fetchAPI) keepGateShut() {
	f.mu.Lock()
	f.gateOpen = true // as if opened already: nobody closes gate
	f.mu.Unlock()
}

func TestGetAllOrderAndBound(t *testing.T) {
	t.Parallel()
	ids := make([]int64, 40)
	for i := range ids {
		ids[i] = int64(100 + i)
	}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] }) //nolint:gosec // test data order
	api := newFetchAPI(t, ids, nil)
	c := newTestClient(t, api.endpoint())
	got, err := c.Frontends(testCtx(t), "lb", HTTP)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := make([]int64, 0, len(got))
	for _, f := range got {
		gotIDs = append(gotIDs, f.ID)
		if f.Port != strconv.FormatInt(1000+f.ID, 10) || f.Protocol != HTTP {
			t.Errorf("frontend %d decoded as %+v", f.ID, f)
		}
	}
	if !slices.Equal(gotIDs, ids) {
		t.Errorf("order = %v, want the API's %v", gotIDs, ids)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.maxSeen != maxParallel {
		t.Errorf("at most %d requests were in flight, want exactly %d", api.maxSeen, maxParallel)
	}
	if api.arrived != len(ids) {
		t.Errorf("%d item requests, want %d", api.arrived, len(ids))
	}
}

func TestGetAllEmpty(t *testing.T) {
	t.Parallel()
	api := newFetchAPI(t, nil, nil)
	c := newTestClient(t, api.endpoint())
	got, err := c.Frontends(testCtx(t), "lb", TCP)
	if err != nil || len(got) != 0 {
		t.Errorf("Frontends = %v, %v", got, err)
	}
}

// TestGetAllFirstErrorCancels: the first failure is returned and the
// requests not yet answered are abandoned: no new one starts.
func TestGetAllFirstErrorCancels(t *testing.T) {
	t.Parallel()
	ids := make([]int64, 40)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	// Item 1 fails at once; the others wait until their request is
	// cancelled, so no slot frees up but by cancellation.
	api := newFetchAPI(t, ids, map[int64]int{1: 500})
	api.keepGateShut()
	c := newTestClient(t, api.endpoint())
	_, err := c.Frontends(testCtx(t), "lb", HTTP)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnavailable || e.Message != "item 1 failed" || e.QueryID != "EU.fail.1" || e.Op != "ovh.Frontends" {
		t.Fatalf("err = %v, want item 1's *Error", err)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.arrived > maxParallel {
		t.Errorf("%d item requests reached the API after the first failure, want at most %d", api.arrived, maxParallel)
	}
}

// TestGetAllSkipsVanished: an object deleted between the list and the get
// (404) is left out ([INF], fetch.go).
func TestGetAllSkipsVanished(t *testing.T) {
	t.Parallel()
	ids := []int64{5, 6, 7}
	api := newFetchAPI(t, ids, map[int64]int{6: 404})
	c := newTestClient(t, api.endpoint())
	got, err := c.Frontends(testCtx(t), "lb", HTTP)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 5 || got[1].ID != 7 {
		t.Errorf("Frontends = %+v, want 5 and 7", got)
	}
}

// TestGetAllCallerCancel: the caller's cancellation comes back as
// context.Canceled, not as some item's error.
func TestGetAllCallerCancel(t *testing.T) {
	t.Parallel()
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	api := newFetchAPI(t, ids, nil)
	api.keepGateShut() // every item waits for cancellation
	c := newTestClient(t, api.endpoint())
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() {
		_, err := c.Frontends(ctx, "lb", HTTP)
		done <- err
	}()
	select {
	case <-api.full:
	case err := <-done:
		t.Fatalf("Frontends returned early: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
