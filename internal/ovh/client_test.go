package ovh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goovh "github.com/ovh/go-ovh/ovh"
)

func TestNewEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		endpoint string
		want     string // "" = error
	}{
		{"ovh-eu", "https://eu.api.ovh.com/1.0"},
		{"ovh-ca", "https://ca.api.ovh.com/1.0"},
		{"ovh-us", "https://api.us.ovhcloud.com/1.0"},
		{"http://127.0.0.1:9001/1.0", "http://127.0.0.1:9001/1.0"},
		{"http://127.0.0.1:8080/ovhapi/1.0", "http://127.0.0.1:8080/ovhapi/1.0"},
		{"", ""},
		{"kimsufi-eu", ""}, // not one the console supports
		{"ovh-fr", ""},
		{"http://127.0.0.1:9001/1.0/", ""}, // go-ovh appends paths as strings
		{"ftp://example.com/1.0", ""},
		{"http:///1.0", ""},
		{"http://x/1.0?debug=1", ""},
	}
	for _, tt := range tests {
		c, err := New(Config{Endpoint: tt.endpoint, AppKey: "ak", AppSecret: "as"})
		if tt.want == "" {
			if err == nil {
				t.Errorf("New(%q) = %q, want an error", tt.endpoint, c.Endpoint())
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%q): %v", tt.endpoint, err)
			continue
		}
		if got := c.Endpoint(); got != tt.want {
			t.Errorf("New(%q).Endpoint() = %q, want %q", tt.endpoint, got, tt.want)
		}
	}
}

func TestNewRequiresApplication(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{Endpoint: "ovh-eu"},
		{Endpoint: "ovh-eu", AppKey: "ak"},
		{Endpoint: "ovh-eu", AppSecret: "as"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", cfg)
		}
	}
	// An empty consumer key is fine: the sign-in flow needs such a client.
	if _, err := New(Config{Endpoint: "ovh-eu", AppKey: "ak", AppSecret: "as"}); err != nil {
		t.Errorf("New without consumer key: %v", err)
	}
}

// TestWireFormat checks what goes on the wire for each kind of call:
// headers, signature (checked by rawAPI with REFERENCE §2.1's formula),
// escaped paths, query strings, bodies.
func TestWireFormat(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, uri, body, ctype, app, consumer, sig, ua string
	}
	var mu sync.Mutex
	var got []seen
	api := newRawAPI(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.RequestURI, string(b), r.Header.Get("Content-Type"),
			r.Header.Get("X-Ovh-Application"), r.Header.Get("X-Ovh-Consumer"), r.Header.Get("X-Ovh-Signature"),
			r.Header.Get("User-Agent")})
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/refresh"):
			writeRaw(w, 200, "q", "application/json", `{"id":7,"action":"refreshIplb","status":"todo","progress":0,"creationDate":"2026-01-02T03:04:05+01:00","doneDate":null,"zones":["gra"]}`)
		case strings.HasSuffix(r.URL.Path, "/auth/credential"):
			writeRaw(w, 200, "q", "application/json", `{"consumerKey":"NEWCK","state":"pendingValidation","validationUrl":"http://x/auth?credentialToken=t"}`)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/task"):
			writeRaw(w, 200, "q", "application/json", `[]`)
		default:
			writeRaw(w, 200, "q", "application/json", `null`)
		}
	})
	c, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS, ConsumerKey: testCK, UserAgent: "probe/1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	if _, err := c.Refresh(ctx, "loadbalancer-a", ""); err != nil {
		t.Fatalf("Refresh all zones: %v", err)
	}
	task, err := c.Refresh(ctx, "loadbalancer-a", "gra")
	if err != nil {
		t.Fatalf("Refresh gra: %v", err)
	}
	if task.ID != 7 || task.Status != TaskTodo || task.DoneDate != nil || len(task.Zones) != 1 {
		t.Errorf("Refresh decoded %+v", task)
	}
	if _, err := c.IPTaskIDs(ctx, "203.0.113.16/29", IPTaskFilter{Function: IPTaskMove, Status: IPTaskTodo}); err != nil {
		t.Fatalf("IPTaskIDs: %v", err)
	}
	if err := c.UpdateFrontend(ctx, "loadbalancer-a", HTTP, 12, FrontendUpdate{
		Disabled: new(true), DedicatedIPFO: Clear[[]string](), DisplayName: Set("a<b&c"),
	}); err != nil {
		t.Fatalf("UpdateFrontend: %v", err)
	}
	if _, err := c.RequestCredential(ctx, []AccessRule{{"GET", "/*"}}, "http://console/back"); err != nil {
		t.Fatalf("RequestCredential: %v", err)
	}
	if err := c.DeleteFarm(ctx, "loadbalancer-a", UDP, 3); err != nil {
		t.Fatalf("DeleteFarm: %v", err)
	}

	want := []seen{
		{method: "POST", uri: "/1.0/ipLoadbalancing/loadbalancer-a/refresh", body: ""},
		{method: "POST", uri: "/1.0/ipLoadbalancing/loadbalancer-a/refresh", body: `{"zone":"gra"}`, ctype: "application/json;charset=utf-8"},
		{method: "GET", uri: "/1.0/ip/203.0.113.16%2F29/task?function=genericMoveFloatingIp&status=todo"},
		{method: "PUT", uri: "/1.0/ipLoadbalancing/loadbalancer-a/http/frontend/12",
			body: `{"displayName":"a\u003cb\u0026c","disabled":true,"dedicatedIpfo":null}`, ctype: "application/json;charset=utf-8"},
		{method: "POST", uri: "/1.0/auth/credential",
			body: `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"http://console/back"}`, ctype: "application/json;charset=utf-8"},
		{method: "DELETE", uri: "/1.0/ipLoadbalancing/loadbalancer-a/udp/farm/3"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d requests, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.method != w.method || g.uri != w.uri || g.body != w.body || g.ctype != w.ctype {
			t.Errorf("request %d = %s %s body %q type %q, want %s %s body %q type %q",
				i, g.method, g.uri, g.body, g.ctype, w.method, w.uri, w.body, w.ctype)
		}
		if g.app != testAK {
			t.Errorf("request %d: X-Ovh-Application = %q", i, g.app)
		}
		if g.ua != "github.com/ovh/go-ovh (probe/1)" {
			t.Errorf("request %d: User-Agent = %q", i, g.ua)
		}
		signed := w.uri != "/1.0/auth/credential"
		if signed && (g.sig == "" || g.consumer != testCK) {
			t.Errorf("request %d: signature %q consumer %q, want signed with %q", i, g.sig, g.consumer, testCK)
		}
		if !signed && (g.sig != "" || g.consumer != "") {
			t.Errorf("request %d (credential request) is signed: signature %q consumer %q", i, g.sig, g.consumer)
		}
	}
	if n := api.badSigs.Load(); n != 0 {
		t.Errorf("%d requests had a bad signature", n)
	}
}

// TestRequestCredentialKeepsConsumerKey: go-ovh's CkRequest.Do stores the
// new key in the client; RequestCredential must not.
func TestRequestCredentialKeepsConsumerKey(t *testing.T) {
	t.Parallel()
	var consumers []string
	var mu sync.Mutex
	api := newRawAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/1.0/auth/credential" {
			writeRaw(w, 200, "q", "", `{"consumerKey":"NEWCK","state":"pendingValidation","validationUrl":"http://v"}`)
			return
		}
		mu.Lock()
		consumers = append(consumers, r.Header.Get("X-Ovh-Consumer"))
		mu.Unlock()
		writeRaw(w, 200, "q", "", `{"nichandle":"xy1234-ovh"}`)
	})
	for _, ck := range []string{"", testCK} {
		c, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS, ConsumerKey: ck})
		if err != nil {
			t.Fatal(err)
		}
		cr, err := c.RequestCredential(testCtx(t), nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if cr.ConsumerKey != "NEWCK" || cr.State != CredentialPendingValidation || cr.ValidationURL != "http://v" {
			t.Errorf("RequestCredential = %+v", cr)
		}
		if _, err := c.Me(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		last := consumers[len(consumers)-1]
		mu.Unlock()
		if last != ck {
			t.Errorf("after RequestCredential the client signs with %q, want %q", last, ck)
		}
	}
}

// TestConcurrentCalls runs many calls on one Client at once: under -race
// this proves the client is safe for concurrent use, and the fake API
// counts one /auth/time request (go-ovh alone makes one per first call).
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	api := newRawAPI(t, func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 200, "q", "", `{"serviceName":"`+strings.TrimPrefix(r.URL.Path, "/1.0/ipLoadbalancing/")+`"}`)
	})
	c := newTestClient(t, api.endpoint())
	ctx := testCtx(t)
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			sn := fmt.Sprintf("loadbalancer-%02d", i)
			lb, err := c.LoadBalancer(ctx, sn)
			if err == nil && lb.ServiceName != sn {
				err = fmt.Errorf("LoadBalancer(%s) = %q", sn, lb.ServiceName)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := api.timeHits.Load(); got != 1 {
		t.Errorf("/auth/time was called %d times, want 1", got)
	}
	if n := api.badSigs.Load(); n != 0 {
		t.Errorf("%d requests had a bad signature", n)
	}
}

// TestTimeFetchHonoursContext: go-ovh fetches /auth/time without a
// context; the client must still stop when the caller's context ends, and
// retry the fetch on the next call.
func TestTimeFetchHonoursContext(t *testing.T) {
	t.Parallel()
	var block atomic.Bool
	block.Store(true)
	arrived := make(chan struct{}, 8)
	api := newRawAPIWithTime(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		if block.Load() {
			<-r.Context().Done() // hang until the client gives up
			return
		}
		_, _ = fmt.Fprint(w, time.Now().Unix())
	}, func(w http.ResponseWriter, _ *http.Request) {
		writeRaw(w, 200, "q", "", `["loadbalancer-a"]`)
	})
	c := newTestClient(t, api.endpoint())
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() {
		_, err := c.LoadBalancers(ctx)
		done <- err
	}()
	select {
	case <-arrived:
	case err := <-done:
		t.Fatalf("LoadBalancers returned %v before /auth/time was reached", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadBalancers with a cancelled context = %v, want context.Canceled", err)
	}
	block.Store(false)
	names, err := c.LoadBalancers(testCtx(t))
	if err != nil || len(names) != 1 {
		t.Fatalf("LoadBalancers after the failed time fetch = %v, %v", names, err)
	}
	if got := api.timeHits.Load(); got != 2 {
		t.Errorf("/auth/time hits = %d, want 2 (the failed fetch is not cached)", got)
	}
}

// TestNoConfigLeakage: with OVH_* variables, a ~/.ovh.conf and a
// ./ovh.conf all set, go-ovh's own constructor picks them up (the control),
// and the client still uses exactly what Config says.
func TestNoConfigLeakage(t *testing.T) {
	var mu sync.Mutex
	var seenConsumers, seenApps []string
	api := newRawAPI(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seenConsumers = append(seenConsumers, r.Header.Get("X-Ovh-Consumer"))
		seenApps = append(seenApps, r.Header.Get("X-Ovh-Application"))
		mu.Unlock()
		writeRaw(w, 200, "q", "", `["loadbalancer-a"]`)
	})
	// A second API that nothing should reach: the endpoint the leaked
	// configuration names.
	var strayHits atomic.Int64
	stray := newRawAPI(t, func(http.ResponseWriter, *http.Request) { strayHits.Add(1) })

	conf := fmt.Sprintf("[default]\nendpoint=%s\n[%s]\napplication_key=confAK\napplication_secret=confAS\nconsumer_key=confCK\nclient_id=confClient\nclient_secret=confSecret\n",
		stray.endpoint(), stray.endpoint())
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".ovh.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cwd := t.TempDir()
	if err := os.WriteFile(filepath.Join(cwd, "ovh.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Chdir(cwd)
	t.Setenv("OVH_ENDPOINT", stray.endpoint())
	t.Setenv("OVH_CONSUMER_KEY", "envCK")
	t.Setenv("OVH_CLIENT_ID", "envClientID")
	t.Setenv("OVH_CLIENT_SECRET", "envClientSecret")
	t.Setenv("OVH_APPLICATION_KEY", "envAK")
	t.Setenv("OVH_APPLICATION_SECRET", "envAS")

	// Control: go-ovh's constructor does read them, so this test would
	// catch a client built with it.
	if _, err := goovh.NewClient(api.endpoint(), testAK, testAS, ""); err == nil ||
		!strings.Contains(err.Error(), "multiple authentication methods") {
		t.Fatalf("control: goovh.NewClient with OVH_CLIENT_ID set = %v, want the multiple-methods error", err)
	}

	for _, ck := range []string{"", testCK} {
		c, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS, ConsumerKey: ck})
		if err != nil {
			t.Fatalf("New with a polluted environment: %v", err)
		}
		if _, err := c.LoadBalancers(testCtx(t)); err != nil {
			t.Fatalf("LoadBalancers (consumer key %q): %v", ck, err)
		}
		mu.Lock()
		gotCK, gotAK := seenConsumers[len(seenConsumers)-1], seenApps[len(seenApps)-1]
		mu.Unlock()
		if gotCK != ck || gotAK != testAK {
			t.Errorf("sent X-Ovh-Consumer %q, X-Ovh-Application %q; want %q, %q", gotCK, gotAK, ck, testAK)
		}
	}
	if n := api.badSigs.Load(); n != 0 {
		t.Errorf("%d requests were not signed with Config's secret", n)
	}
	if n := strayHits.Load() + stray.timeHits.Load(); n != 0 {
		t.Errorf("the endpoint from the environment got %d requests", n)
	}
}

func TestWithConsumerKey(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var consumers []string
	api := newRawAPI(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		consumers = append(consumers, r.Header.Get("X-Ovh-Consumer"))
		mu.Unlock()
		writeRaw(w, 200, "q", "", `[]`)
	})
	app, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS})
	if err != nil {
		t.Fatal(err)
	}
	user := app.WithConsumerKey("userCK")
	ctx := testCtx(t)
	if _, err := user.LoadBalancers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := app.LoadBalancers(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"userCK", ""}; fmt.Sprint(consumers) != fmt.Sprint(want) {
		t.Errorf("consumers = %q, want %q", consumers, want)
	}
	if n := api.badSigs.Load(); n != 0 {
		t.Errorf("%d bad signatures", n)
	}
}

func TestNullableJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		u    FrontendUpdate
		want string
	}{
		{FrontendUpdate{}, `{}`},
		{FrontendUpdate{DedicatedIPFO: Set([]string{"203.0.113.10/32"})}, `{"dedicatedIpfo":["203.0.113.10/32"]}`},
		{FrontendUpdate{DedicatedIPFO: Set([]string{})}, `{"dedicatedIpfo":[]}`},
		{FrontendUpdate{DedicatedIPFO: Clear[[]string]()}, `{"dedicatedIpfo":null}`},
		{FrontendUpdate{DefaultFarmID: Clear[int64](), Disabled: new(false)}, `{"defaultFarmId":null,"disabled":false}`},
		{FrontendUpdate{DefaultFarmID: Set[int64](0)}, `{"defaultFarmId":0}`},
		{FrontendUpdate{Port: new("80,443"), Zone: new("all")}, `{"port":"80,443","zone":"all"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.u)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%+v) = %s, want %s", tt.u, b, tt.want)
		}
	}
}

func TestProtocolChecked(t *testing.T) {
	t.Parallel()
	api := newRawAPI(t, func(_ http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected call %s %s", r.Method, r.RequestURI)
	})
	c := newTestClient(t, api.endpoint())
	ctx := testCtx(t)
	checks := map[string]error{}
	_, checks["Frontends bogus"] = c.Frontends(ctx, "lb", Protocol("../me"))
	_, checks["Routes udp"] = c.Routes(ctx, "lb", UDP)
	_, checks["CreateRule udp"] = c.CreateRule(ctx, "lb", UDP, 1, RuleCreate{})
	checks["DeleteFarm empty"] = c.DeleteFarm(ctx, "lb", "", 1)
	for name, err := range checks {
		if KindOf(err) != KindInvalid {
			t.Errorf("%s: err = %v, want KindInvalid", name, err)
		}
	}
	for _, s := range []string{"http", "tcp", "udp"} {
		if p, err := ParseProtocol(s); err != nil || string(p) != s {
			t.Errorf("ParseProtocol(%q) = %q, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "HTTP", "https", "sctp"} {
		if _, err := ParseProtocol(s); err == nil {
			t.Errorf("ParseProtocol(%q) succeeded", s)
		}
	}
}
