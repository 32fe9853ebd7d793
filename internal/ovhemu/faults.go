package ovhemu

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is an injected failure of a route, for reliability tests and
// benchmarks (Emulator.Fail).
type Fault struct {
	Status  int           // HTTP status to answer with (0 = none: only Delay/Drop apply)
	Class   string        // "" = derived from Status
	Message string        // "" = the status text
	Body    string        // raw body, sent as is instead of the JSON error (e.g. an HTML 503)
	Delay   time.Duration // wait before answering (honours the request context)
	Drop    bool          // hijack and close the connection without answering
	Times   int           // how many calls it applies to; 0 = until ClearFaults
}

// faultKey names a route as Fail, SetLatency and Calls do: a method and a
// pattern as registered (relative to the API root), either of which may be
// "*" in a fault or latency entry.
type faultKey struct{ method, pattern string }

// faultTable holds injected faults, latencies and call counts. It has its
// own lock because it is used before Emulator.mu is taken (a delayed call
// must not hold up every other one).
type faultTable struct {
	mu      sync.Mutex
	faults  map[faultKey]*faultEntry
	latency map[faultKey]time.Duration
	calls   map[faultKey]int
}

type faultEntry struct {
	f    Fault
	left int // calls it still applies to; 0 with f.Times == 0 = forever
}

// lookupKeys lists the entries that apply to a route, most specific first:
// the exact route, the method with any pattern, any method with the
// pattern, then anything.
func lookupKeys(rt *route) [4]faultKey {
	return [4]faultKey{{rt.method, rt.pattern}, {rt.method, "*"}, {"*", rt.pattern}, {"*", "*"}}
}

// count records one call of rt (every request that reaches a route counts,
// whether it is then faulted, refused by authentication or served).
func (t *faultTable) count(rt *route) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.calls == nil {
		t.calls = map[faultKey]int{}
	}
	t.calls[faultKey{rt.method, rt.pattern}]++
}

// take returns the latency of rt and the fault that applies to this call
// (nil if none), using up one of the fault's Times.
func (t *faultTable) take(rt *route) (time.Duration, *Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var lat time.Duration
	var fault *Fault
	keys := lookupKeys(rt)
	for _, k := range keys {
		if d, ok := t.latency[k]; ok {
			lat = d
			break
		}
	}
	for _, k := range keys {
		fe := t.faults[k]
		if fe == nil {
			continue
		}
		f := fe.f
		fault = &f
		if f.Times > 0 {
			fe.left--
			if fe.left <= 0 {
				delete(t.faults, k)
			}
		}
		break
	}
	return lat, fault
}

// apply injects rt's latency and fault into one call. It reports whether the
// call is over (answered, dropped, or abandoned by its client); false means
// the call goes on to authentication and its handler. (The query id is
// already on w's headers.)
func (t *faultTable) apply(w http.ResponseWriter, r *http.Request, rt *route, _ string) bool {
	lat, f := t.take(rt)
	if f != nil {
		lat += f.Delay
	}
	if !waitFor(r.Context(), lat) {
		return true // the client went away; nobody reads an answer
	}
	if f == nil {
		return false
	}
	if f.Drop {
		dropConnection(w)
		return true
	}
	if f.Status == 0 {
		return false
	}
	if f.Body != "" {
		ct := "text/plain; charset=utf-8"
		if json.Valid([]byte(f.Body)) {
			ct = "application/json; charset=utf-8"
		} else if d := http.DetectContentType([]byte(f.Body)); d != "application/octet-stream" {
			ct = d
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Body)))
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return true
	}
	aerr := errf(f.Status, "%s", f.Message)
	if f.Message == "" {
		aerr.Message = http.StatusText(f.Status) // [INF] a fault needs some text
	}
	if f.Class != "" {
		aerr.Class = f.Class
	}
	writeJSON(w, f.Status, aerr)
	return true
}

// waitFor waits d or until ctx ends, and reports whether the full wait ran.
// It starts no goroutine, so an abandoned call leaves nothing behind.
func waitFor(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client's connection without an answer. Where the
// connection cannot be hijacked (HTTP/2, a recorder), it aborts the handler
// with http.ErrAbortHandler, which net/http documents for exactly this: the
// server then resets the stream or closes the connection and logs nothing.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// Fail injects f into every call of method and pattern (as registered, e.g.
// "POST", "/ipLoadbalancing/{serviceName}/refresh"; "*" for either means
// any). A second Fail for the same method and pattern replaces the first.
// When several entries match a call, the most specific applies: exact, then
// method with "*", then "*" with pattern, then "*", "*".
func (e *Emulator) Fail(method, pattern string, f Fault) {
	t := &e.faults
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.faults == nil {
		t.faults = map[faultKey]*faultEntry{}
	}
	t.faults[faultKey{method, pattern}] = &faultEntry{f: f, left: f.Times}
}

// ClearFaults removes every injected fault (latencies stay; see SetLatency).
func (e *Emulator) ClearFaults() {
	t := &e.faults
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = nil
}

// SetLatency makes every call of method and pattern ("*" = any, matched as
// in Fail) wait d before it is handled; d of 0 removes the entry. The wait
// ends early, and the call with it, if the client goes away.
func (e *Emulator) SetLatency(method, pattern string, d time.Duration) {
	t := &e.faults
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.latency == nil {
		t.latency = map[faultKey]time.Duration{}
	}
	if d <= 0 {
		delete(t.latency, faultKey{method, pattern})
		return
	}
	t.latency[faultKey{method, pattern}] = d
}

// Calls returns how many calls of method and pattern reached the emulator
// (under either API root, answered or not); "*" for either means any, so
// Calls("*", "*") is the total.
func (e *Emulator) Calls(method, pattern string) int {
	t := &e.faults
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for k, c := range t.calls {
		if (method == "*" || method == k.method) && (pattern == "*" || pattern == k.pattern) {
			n += c
		}
	}
	return n
}

// ResetCalls sets every call count back to zero.
func (e *Emulator) ResetCalls() {
	t := &e.faults
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls = nil
}
