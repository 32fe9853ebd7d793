package ovhemu

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// --- helpers shared by the services tests (iplb, ip, tasks, seed) ---

// t0 is the fake clock's start: a fixed instant, so dates are deterministic.
var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// fakeClock is a clock tests advance by hand (WithClock), never by sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: t0} }

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// newDemo returns a demo-seeded emulator on a fake clock.
func newDemo(t *testing.T, opts ...Option) (*Emulator, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	return New(append([]Option{WithClock(clk.now)}, opts...)...), clk
}

// mustDo calls a route as nic, expects 200 and decodes the body into T.
func mustDo[T any](t *testing.T, e *Emulator, nic, method, path string, body any) T {
	t.Helper()
	status, b := doAs(t, e, nic, method, path, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s as %s: status %d, body %s", method, path, nic, status, b)
	}
	return decodeAs[T](t, b)
}

// wantErr checks an error answer: status, class and message (exactly, or
// containing msg when msg starts with "~").
func wantErr(t *testing.T, status int, body []byte, wantStatus int, wantClass, msg string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d (body %s)", status, wantStatus, body)
	}
	var e struct {
		Class   string `json:"class"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	if e.Class != wantClass {
		t.Errorf("class %q, want %q", e.Class, wantClass)
	}
	if sub, ok := strings.CutPrefix(msg, "~"); ok {
		if !strings.Contains(e.Message, sub) {
			t.Errorf("message %q, want it to contain %q", e.Message, sub)
		}
	} else if e.Message != msg {
		t.Errorf("message %q, want %q", e.Message, msg)
	}
}

// rawBody is a request body sent as is (doAny), e.g. broken JSON.
type rawBody string

// doAny is doAs, except that a rawBody is sent byte for byte.
func doAny(t *testing.T, e *Emulator, nic, method, path string, body any) (int, []byte) {
	t.Helper()
	raw, ok := body.(rawBody)
	if !ok {
		return doAs(t, e, nic, method, path, body)
	}
	req := httptest.NewRequest(method, "/1.0"+path, strings.NewReader(string(raw)))
	req = req.WithContext(contextAs(req, nic))
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// contextAs is req's context marked as coming from the account nic (as doAs does).
func contextAs(req *http.Request, nic string) context.Context {
	return context.WithValue(req.Context(), asAccountKey{}, nic)
}

// ipPath is /ip/{ip} with the block escaped as go-ovh callers do (%2F).
func ipPath(block string, rest ...string) string {
	return "/ip/" + url.PathEscape(block) + strings.Join(rest, "")
}

func lbPath(sn string, rest ...string) string {
	return "/ipLoadbalancing/" + sn + strings.Join(rest, "")
}

// lbTaskOut and ipTaskOut decode tasks with the schema's names.
type lbTaskOut struct {
	ID           int64    `json:"id"`
	Action       string   `json:"action"`
	Status       string   `json:"status"`
	Progress     int64    `json:"progress"`
	CreationDate string   `json:"creationDate"`
	DoneDate     *string  `json:"doneDate"`
	Zones        []string `json:"zones"`
}

type pendingOut struct {
	Zone   string `json:"zone"`
	Number int64  `json:"number"`
}

func pendingOf(t *testing.T, e *Emulator, sn string) []pendingOut {
	t.Helper()
	return mustDo[[]pendingOut](t, e, DemoAccount, "GET", lbPath(sn, "/pendingChanges"), nil)
}

// --- tests ---

func TestLBList(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	for _, tc := range []struct {
		nic  string
		want []string
	}{
		{DemoAccount, []string{DemoLB2, DemoLB}}, // sorted by service name
		{OtherAccount, []string{OtherLB}},
		{"nobody-ovh", []string{}},
	} {
		got := mustDo[[]string](t, e, tc.nic, "GET", "/ipLoadbalancing", nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.nic, diff)
		}
	}
}

func TestLBGet(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	// Decode into a map as well, to see the exact JSON names and nulls.
	raw := mustDo[map[string]any](t, e, DemoAccount, "GET", lbPath(DemoLB), nil)
	want := map[string]any{
		"serviceName":      DemoLB,
		"displayName":      "prod-web",
		"ipLoadbalancing":  "198.51.100.20",
		"ipv4":             "198.51.100.20",
		"ipv6":             "2001:db8:100::20",
		"metricsToken":     nil,
		"offer":            "lb1",
		"sslConfiguration": "modern",
		"state":            "ok",
		"vrackEligibility": true,
		"vrackName":        DemoVrack,
		"zone":             []any{"gra", "rbx"},
		"orderableZone": []any{
			map[string]any{"name": "bhs", "planCode": "iplb-zone-lb1-bhs"},
			map[string]any{"name": "sbg", "planCode": "iplb-zone-lb1-sbg"},
		},
	}
	iam, _ := raw["iam"].(map[string]any)
	delete(raw, "iam")
	if diff := cmp.Diff(want, raw); diff != "" {
		t.Errorf("GET %s (-want +got)\n%s", DemoLB, diff)
	}
	if iam["urn"] != "urn:v1:eu:resource:loadbalancer:"+DemoLB || iam["displayName"] != "prod-web" || iam["state"] != "OK" {
		t.Errorf("iam = %v", iam)
	}
	if id, _ := iam["id"].(string); len(id) != 36 {
		t.Errorf("iam.id %q is not a UUID", id)
	}

	lb2 := mustDo[map[string]any](t, e, DemoAccount, "GET", lbPath(DemoLB2), nil)
	if lb2["vrackName"] != nil || lb2["sslConfiguration"] != nil || lb2["ipv6"] != nil {
		t.Errorf("DemoLB2: vrackName, sslConfiguration and ipv6 should be null: %v", lb2)
	}

	// Isolation and unknown names: the same 404 for both.
	for _, tc := range []struct{ nic, sn string }{
		{DemoAccount, OtherLB}, {OtherAccount, DemoLB}, {DemoAccount, "loadbalancer-0000000000000000"},
	} {
		for _, rest := range []string{"", "/failover", "/zone", "/zone/gra", "/pendingChanges", "/task", "/task/1"} {
			status, body := doAs(t, e, tc.nic, "GET", lbPath(tc.sn, rest), nil)
			wantErr(t, status, body, 404, "Client::NotFound", "The requested object (serviceName = "+tc.sn+") does not exist")
		}
		for _, m := range []string{"PUT", "POST"} {
			path := lbPath(tc.sn)
			if m == "POST" {
				path = lbPath(tc.sn, "/refresh")
			}
			status, body := doAs(t, e, tc.nic, m, path, map[string]any{})
			wantErr(t, status, body, 404, "Client::NotFound", "The requested object (serviceName = "+tc.sn+") does not exist")
		}
	}
}

func TestLBPut(t *testing.T) {
	t.Parallel()
	fifty := strings.Repeat("é", 50) // 50 characters, 100 bytes
	for _, tc := range []struct {
		name      string
		body      any
		status    int
		msg       string
		wantName  any
		wantSSL   any
		wantZones []any
	}{
		{"displayName", map[string]any{"displayName": "front"}, 200, "", "front", "modern", nil},
		{"ssl only (partial body)", map[string]any{"sslConfiguration": "intermediate"}, 200, "", "prod-web", "intermediate", nil},
		{"both null", map[string]any{"displayName": nil, "sslConfiguration": nil}, 200, "", nil, nil, nil},
		{"50 characters", map[string]any{"displayName": fifty}, 200, "", fifty, "modern", nil},
		{"read-only fields ignored", map[string]any{"zone": []string{"bhs"}, "state": "free", "displayName": "x"}, 200, "", "x", "modern", []any{"gra", "rbx"}},
		{"51 characters", map[string]any{"displayName": fifty + "a"}, 400, "Invalid value for displayName: at most 50 characters are allowed", "prod-web", "modern", nil},
		{"bad ssl", map[string]any{"sslConfiguration": "old"}, 400, `Invalid value for sslConfiguration: "old" is not one of intermediate, modern`, "prod-web", "modern", nil},
		{"wrong type", map[string]any{"displayName": 12}, 400, "Invalid value for displayName: a string is expected", "prod-web", "modern", nil},
		{"not JSON", rawBody(`{`), 400, "~Invalid JSON body", "prod-web", "modern", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			status, body := doAny(t, e, DemoAccount, "PUT", lbPath(DemoLB), tc.body)
			if tc.status == 200 {
				if status != 200 || string(body) != "null" {
					t.Fatalf("PUT: %d %s, want 200 null", status, body)
				}
			} else {
				wantErr(t, status, body, tc.status, "Client::BadRequest", tc.msg)
			}
			got := mustDo[map[string]any](t, e, DemoAccount, "GET", lbPath(DemoLB), nil)
			if got["displayName"] != tc.wantName || got["sslConfiguration"] != tc.wantSSL {
				t.Errorf("after PUT: displayName %v, ssl %v; want %v, %v", got["displayName"], got["sslConfiguration"], tc.wantName, tc.wantSSL)
			}
			if tc.wantZones != nil && !cmp.Equal(got["zone"], tc.wantZones) {
				t.Errorf("zone changed to %v", got["zone"])
			}
		})
	}
}

// Changing the TLS configuration in force is a pending change in every zone
// ([INF]); relabelling the IPLB or re-sending the same setting is not.
func TestLBPutPending(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body map[string]any
		want []pendingOut
	}{
		{"displayName", map[string]any{"displayName": "renamed"}, []pendingOut{{"gra", 2}, {"rbx", 1}}},
		{"same ssl", map[string]any{"sslConfiguration": "modern"}, []pendingOut{{"gra", 2}, {"rbx", 1}}},
		{"ssl changed", map[string]any{"sslConfiguration": "intermediate"}, []pendingOut{{"gra", 3}, {"rbx", 2}}},
		{"ssl null (= intermediate)", map[string]any{"sslConfiguration": nil}, []pendingOut{{"gra", 3}, {"rbx", 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			mustDo[any](t, e, DemoAccount, "PUT", lbPath(DemoLB), tc.body)
			if diff := cmp.Diff(tc.want, pendingOf(t, e, DemoLB)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	// DemoLB2 has no setting (null): setting "intermediate" changes nothing.
	e, _ := newDemo(t)
	mustDo[any](t, e, DemoAccount, "PUT", lbPath(DemoLB2), map[string]any{"sslConfiguration": "intermediate"})
	if diff := cmp.Diff([]pendingOut{{"gra", 1}, {"sbg", 1}}, pendingOf(t, e, DemoLB2)); diff != "" {
		t.Errorf("DemoLB2 (-want +got)\n%s", diff)
	}
}

func TestLBFailoverZonesPending(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	for _, tc := range []struct {
		path string
		want any
	}{
		{lbPath(DemoLB, "/failover"), []any{DemoIPPinned, DemoIPUnpinned}},
		{lbPath(DemoLB2, "/failover"), []any{DemoIPStaging}},
		{lbPath(DemoLB, "/zone"), []any{"gra", "rbx"}},
		{lbPath(DemoLB2, "/zone"), []any{"gra", "sbg"}},
		{lbPath(DemoLB, "/zone/rbx"), map[string]any{"name": "rbx", "state": "ok"}},
		{lbPath(DemoLB, "/pendingChanges"), []any{
			map[string]any{"zone": "gra", "number": 2.0}, map[string]any{"zone": "rbx", "number": 1.0}}},
	} {
		got := mustDo[any](t, e, DemoAccount, "GET", tc.path, nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("GET %s (-want +got)\n%s", tc.path, diff)
		}
	}
	got := mustDo[[]string](t, e, OtherAccount, "GET", lbPath(OtherLB, "/failover"), nil)
	if len(got) != 0 {
		t.Errorf("OtherLB failover = %v, want []", got)
	}
	status, body := doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/zone/sbg"), nil)
	wantErr(t, status, body, 404, "Client::NotFound", "The requested object (name = sbg) does not exist")
}

func TestPendingOnlyNonZeroZones(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	e.mu.Lock()
	e.world.svc.pending[DemoLB] = map[string]int64{"gra": 0, "rbx": 4}
	e.mu.Unlock()
	if diff := cmp.Diff([]pendingOut{{"rbx", 4}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	e.mu.Lock()
	delete(e.world.svc.pending, DemoLB)
	e.mu.Unlock()
	status, body := doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/pendingChanges"), nil)
	if status != 200 || string(body) != "[]" {
		t.Errorf("no changes: %d %s, want 200 []", status, body)
	}
}

func TestContractFunctions(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	w := &e.world
	for _, tc := range []struct {
		nic, sn string
		want    bool
	}{
		{DemoAccount, DemoLB, true}, {DemoAccount, DemoLB2, true}, {DemoAccount, OtherLB, false},
		{OtherAccount, OtherLB, true}, {OtherAccount, DemoLB, false}, {"", DemoLB, false}, {DemoAccount, "nope", false},
	} {
		if got := w.ownsLB(tc.nic, tc.sn); got != tc.want {
			t.Errorf("ownsLB(%q, %q) = %v", tc.nic, tc.sn, got)
		}
	}
	if got := w.lbZones(DemoLB2); !slices.Equal(got, []string{"gra", "sbg"}) {
		t.Errorf("lbZones(DemoLB2) = %v", got)
	}
	w.lbZones(DemoLB)[0] = "mutated" // a copy: the IPLB must not change
	if got := w.lbZones(DemoLB); !slices.Equal(got, []string{"gra", "rbx"}) {
		t.Errorf("lbZones(DemoLB) = %v after mutating a returned slice", got)
	}
	if w.lbZones("nope") != nil || w.lbVrack("nope") != "" || len(w.lbFailover("nope")) != 0 {
		t.Error("unknown IPLB: want no zones, no vRack, no failover")
	}
	if w.lbVrack(DemoLB) != DemoVrack || w.lbVrack(DemoLB2) != "" {
		t.Errorf("lbVrack: %q, %q", w.lbVrack(DemoLB), w.lbVrack(DemoLB2))
	}
	// The IPLB's own address (type loadBalancing) is not a failover IP.
	if got := w.lbFailover(DemoLB); !slices.Equal(got, []string{DemoIPPinned, DemoIPUnpinned}) {
		t.Errorf("lbFailover(DemoLB) = %v", got)
	}
}

func TestBumpPending(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		bumps [][2]string
		want  []pendingOut
	}{
		{"all", [][2]string{{DemoLB, "all"}}, []pendingOut{{"gra", 3}, {"rbx", 2}}},
		{"one zone", [][2]string{{DemoLB, "rbx"}, {DemoLB, "rbx"}}, []pendingOut{{"gra", 2}, {"rbx", 3}}},
		{"zone of another IPLB ignored", [][2]string{{DemoLB, "sbg"}}, []pendingOut{{"gra", 2}, {"rbx", 1}}},
		{"unknown IPLB ignored", [][2]string{{"nope", "all"}}, []pendingOut{{"gra", 2}, {"rbx", 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			e.mu.Lock()
			for _, b := range tc.bumps {
				e.world.bumpPending(b[0], b[1])
			}
			e.mu.Unlock()
			if diff := cmp.Diff(tc.want, pendingOf(t, e, DemoLB)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	// An IPLB with no counters yet (empty seed + a fresh IPLB) gets them.
	e := New(WithEmptySeed())
	e.mu.Lock()
	e.world.addLB(&loadBalancer{serviceName: "loadbalancer-1111111111111111", owner: DemoAccount, ipv4: "198.51.100.30", zones: []string{"gra"}})
	e.world.bumpPending("loadbalancer-1111111111111111", "all")
	e.mu.Unlock()
	if diff := cmp.Diff([]pendingOut{{"gra", 1}}, pendingOf(t, e, "loadbalancer-1111111111111111")); diff != "" {
		t.Errorf("fresh IPLB (-want +got)\n%s", diff)
	}
}

func TestRefreshLifecycle(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t)
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil) // no body = all zones
	want := lbTaskOut{ID: task.ID, Action: "refreshIplb", Status: "todo", Progress: 0,
		CreationDate: "2026-11-24T10:00:00+00:00", Zones: []string{"gra", "rbx"}}
	if diff := cmp.Diff(want, task); diff != "" {
		t.Fatalf("refresh task (-want +got)\n%s", diff)
	}
	// A second refresh, of any zone, while the first is todo or doing.
	for i := range 2 {
		for _, body := range []any{nil, map[string]string{"zone": "rbx"}} {
			status, b := doAs(t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), body)
			wantErr(t, status, b, 409, "Client::Conflict", "A refresh is already in progress for this Load Balancer")
		}
		if i == 0 {
			e.Step()
			got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil)
			if got.Status != "doing" || got.Progress != 50 || got.DoneDate != nil {
				t.Fatalf("after one Step: %+v, want doing 50 no doneDate", got)
			}
			if len(pendingOf(t, e, DemoLB)) != 2 {
				t.Fatal("counters cleared before the refresh is done")
			}
		}
	}
	clk.advance(time.Minute)
	e.Step()
	got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil)
	if got.Status != "done" || got.Progress != 100 || got.DoneDate == nil || *got.DoneDate != "2026-11-24T10:01:00+00:00" {
		t.Fatalf("after two Steps: %+v, want done 100 doneDate 10:01", got)
	}
	if p := pendingOf(t, e, DemoLB); len(p) != 0 {
		t.Errorf("pending after refresh of all zones = %v, want []", p)
	}
	// A new refresh is accepted once the previous one is done.
	mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), map[string]any{})
}

func TestRefreshZones(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		body      any
		status    int
		msg       string
		zones     []string
		remaining []pendingOut // DemoLB's counters once the refresh is done
	}{
		{"no body", nil, 200, "", []string{"gra", "rbx"}, []pendingOut{}},
		{"empty object", map[string]any{}, 200, "", []string{"gra", "rbx"}, []pendingOut{}},
		{"zone null", map[string]any{"zone": nil}, 200, "", []string{"gra", "rbx"}, []pendingOut{}},
		{"all", map[string]any{"zone": "all"}, 200, "", []string{"gra", "rbx"}, []pendingOut{}},
		{"gra only", map[string]any{"zone": "gra"}, 200, "", []string{"gra"}, []pendingOut{{"rbx", 1}}},
		{"rbx only", map[string]any{"zone": "rbx"}, 200, "", []string{"rbx"}, []pendingOut{{"gra", 2}}},
		{"zone of another IPLB", map[string]any{"zone": "sbg"}, 400, `Zone "sbg" is not a zone of this Load Balancer (its zones: gra, rbx)`, nil, nil},
		{"unknown zone", map[string]any{"zone": "mars"}, 400, `Zone "mars" is not a zone of this Load Balancer (its zones: gra, rbx)`, nil, nil},
		{"wrong type", map[string]any{"zone": 3}, 400, "~Invalid JSON body", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			status, b := doAs(t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), tc.body)
			if tc.status != 200 {
				wantErr(t, status, b, tc.status, "Client::BadRequest", tc.msg)
				ids := mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task?status=todo"), nil)
				if len(ids) != 0 {
					t.Errorf("a rejected refresh created tasks %v", ids)
				}
				return
			}
			task := decodeAs[lbTaskOut](t, b)
			if status != 200 || !slices.Equal(task.Zones, tc.zones) {
				t.Fatalf("%d %s, want zones %v", status, b, tc.zones)
			}
			e.Settle()
			if diff := cmp.Diff(tc.remaining, pendingOf(t, e, DemoLB)); diff != "" {
				t.Errorf("pending after refresh (-want +got)\n%s", diff)
			}
		})
	}
}

func TestRefreshKeepsChangesMadeWhileRunning(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	e.Step()
	e.mu.Lock()
	e.world.bumpPending(DemoLB, "gra") // e.g. a frontend edited during the refresh
	e.mu.Unlock()
	e.Settle()
	if diff := cmp.Diff([]pendingOut{{"gra", 1}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestRefreshFailNextTask(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	e.FailNextTask("genericMoveFloatingIp", "not for refreshes")
	e.FailNextTask("refreshIplb", "Internal error while applying the configuration")
	task := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	e.Settle()
	got := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil)
	if got.Status != "error" || got.DoneDate == nil || got.Progress == 100 {
		t.Errorf("failed refresh = %+v, want error with doneDate, progress < 100", got)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 2}, {"rbx", 1}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("a failed refresh must not clear counters (-want +got)\n%s", diff)
	}
	// The failure was for one task only: the next refresh succeeds.
	task = mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	e.Settle()
	got = mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(task.ID)), nil)
	if got.Status != "done" || len(pendingOf(t, e, DemoLB)) != 0 {
		t.Errorf("second refresh = %+v, pending %v; want done and no pending", got, pendingOf(t, e, DemoLB))
	}
}

func TestLBTaskList(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t)
	hist := mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task"), nil)
	if len(hist) != 2 {
		t.Fatalf("seeded history of DemoLB = %v, want installIplb and refreshIplb", hist)
	}
	install := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(hist[0])), nil)
	oldRefresh := mustDo[lbTaskOut](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(hist[1])), nil)
	if install.Action != "installIplb" || install.Status != "done" || oldRefresh.Action != "refreshIplb" || oldRefresh.Status != "done" {
		t.Fatalf("history: %+v, %+v", install, oldRefresh)
	}
	clk.advance(time.Hour)
	running := mustDo[lbTaskOut](t, e, DemoAccount, "POST", lbPath(DemoLB, "/refresh"), nil)
	ids := func(xs ...int64) []int64 { return append([]int64{}, xs...) }
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", ids(install.ID, oldRefresh.ID, running.ID)},
		{"?action=refreshIplb", ids(oldRefresh.ID, running.ID)},
		{"?action=installIplb", ids(install.ID)},
		{"?action=vrackAttach", ids()},
		{"?status=todo", ids(running.ID)},
		{"?status=done", ids(install.ID, oldRefresh.ID)},
		{"?action=refreshIplb&status=todo", ids(running.ID)},
		{"?action=refreshIplb&status=doing", ids()},
		{"?creationDate.from=2026-11-24T10:30:00%2B00:00", ids(running.ID)},
		{"?creationDate.from=2026-11-24T11:00:00Z", ids(running.ID)}, // bounds are inclusive
		{"?creationDate.to=2026-11-24T10:59:59Z", ids(install.ID, oldRefresh.ID)},
		{"?creationDate.to=2026-06-01", ids(install.ID)},
		{"?doneDate.from=2026-11-01", ids(oldRefresh.ID)}, // a task not done has no doneDate
		{"?doneDate.to=2026-11-01", ids(install.ID)},
	} {
		got := mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB, "/task", tc.query), nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("task%s (-want +got)\n%s", tc.query, diff)
		}
	}
	for _, tc := range []struct{ query, msg string }{
		{"?action=refresh", `Invalid value for action: "refresh" is not a valid ipLoadbalancing.TaskActionEnum`},
		{"?status=running", `Invalid value for status: "running" is not a valid ipLoadbalancing.TaskStatusEnum`},
		{"?creationDate.from=yesterday", `Invalid value for creationDate.from: "yesterday" is not a datetime`},
		{"?doneDate.to=2026-13-01", `Invalid value for doneDate.to: "2026-13-01" is not a datetime`},
	} {
		status, b := doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/task", tc.query), nil)
		wantErr(t, status, b, 400, "Client::BadRequest", tc.msg)
	}

	// task/{id}: a task of another IPLB (even the caller's own) is not found
	// under this one; a malformed id is a 400.
	lb2 := mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB2, "/task"), nil)
	status, b := doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/", itoa(lb2[0])), nil)
	wantErr(t, status, b, 404, "Client::NotFound", "The requested object (id = "+itoa(lb2[0])+") does not exist")
	status, b = doAs(t, e, DemoAccount, "GET", lbPath(DemoLB, "/task/abc"), nil)
	wantErr(t, status, b, 400, "Client::BadRequest", `Invalid value for id: "abc" is not an integer`)
	other := mustDo[[]int64](t, e, OtherAccount, "GET", lbPath(OtherLB, "/task"), nil)
	if len(other) != 1 || slices.Contains(other, running.ID) {
		t.Errorf("OtherLB tasks = %v", other)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
