package handlers

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheckZones(t *testing.T) {
	t.Parallel()
	zones := []string{"gra", "rbx"}
	for _, tt := range []struct {
		chosen []string
		want   string
	}{
		{chosen: []string{"gra"}},
		{chosen: []string{"rbx", "gra"}},
		{chosen: nil, want: "Choose at least one zone"},
		{chosen: []string{}, want: "Choose at least one zone"},
		{chosen: []string{"sbg"}, want: `"sbg" is not a zone`},
		{chosen: []string{"gra", "gra"}, want: "chosen twice"},
		{chosen: []string{"all"}, want: `"all" is not a zone`},
	} {
		got := checkZones(tt.chosen, zones)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("checkZones(%q) = %q, want %q", tt.chosen, got, tt.want)
		}
	}
}

// The guard serialises per IPLB, not across IPLBs, and a waiter whose
// request ends stops waiting.
func TestRefreshGuardLock(t *testing.T) {
	t.Parallel()
	var g refreshGuard
	ctx := context.Background()
	unlockA, err := g.lock(ctx, "lb-a")
	if err != nil {
		t.Fatal(err)
	}
	// Another IPLB is not blocked.
	unlockB, err := g.lock(ctx, "lb-b")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
	// The same IPLB waits; a cancelled wait gives up.
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := g.lock(short, "lb-a"); !errors.Is(err, context.Canceled) {
		t.Errorf("lock with a cancelled context = %v", err)
	}
	// Many waiters: one at a time, all get through once it is released.
	var inside, maxInside, n int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			unlock, err := g.lock(ctx, "lb-a")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside++
			maxInside = max(maxInside, inside)
			n++
			mu.Unlock()
			runtime.Gosched() // let another waiter in, if the lock allowed it
			mu.Lock()
			inside--
			mu.Unlock()
			unlock()
		})
	}
	unlockA()
	wg.Wait()
	if maxInside != 1 || n != 20 {
		t.Errorf("max inside %d, passed %d; want 1 and 20", maxInside, n)
	}
}

func TestRefreshGuardStarter(t *testing.T) {
	t.Parallel()
	var g refreshGuard
	if _, ok := g.starter("lb", 1); ok {
		t.Error("a zero guard knows a starter")
	}
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g.record("lb", "xy1234-ovh/ops-alice", at, []int64{7, 8})
	if s, ok := g.starter("lb", 8); !ok || s.By != "xy1234-ovh/ops-alice" || !s.At.Equal(at) {
		t.Errorf("starter of 8 = %+v, %v", s, ok)
	}
	if _, ok := g.starter("lb", 9); ok {
		t.Error("task 9 was not started here")
	}
	if _, ok := g.starter("other", 7); ok {
		t.Error("starter of another IPLB's task")
	}
	g.record("lb", "xy1234-ovh", at.Add(time.Minute), []int64{9})
	if s, ok := g.starter("lb", 9); !ok || s.By != "xy1234-ovh" {
		t.Errorf("the latest record wins: %+v", s)
	}
}
