package main

// The acceptance test of issue 3: a program that knows only go-ovh can,
// against cmd/ovhemu, request and validate a consumer key, list failover IPs,
// move one to an IPLB, watch the task finish, see it in /failover, create a
// frontend pinned to it, refresh and watch that task finish; and a tampered
// signature, an unvalidated key and a call outside the key's rules each get
// the API's error.
//
// Only go-ovh talks to the API here (no internal/ovh, no internal/ovhemu):
// the demo names below are hard-coded from the team brief and the README,
// as an outside program would have them.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ovh/go-ovh/ovh"
)

// The demo seed, as documented (ovhemu.DemoAppKey, DemoAccount, DemoLB...).
const (
	demoAppKey    = "emuDemoAppKey001"
	demoAppSecret = "emuDemoAppSecret0000000000000001"
	demoAccount   = "xy1234-ovh"
	demoPassword  = "demo"
	demoLB        = "loadbalancer-a1b2c3d4e5f60718"
	demoIPParked  = "203.0.113.13/32"
	// callbackURL is where the validation page sends the browser back. The
	// test never follows the redirect, so nothing needs to listen there.
	callbackURL = "http://127.0.0.1:9/ovh-callback?state=acceptance"
)

// TestMain gives go-ovh a clean configuration for the whole binary: no
// OVH_* variables and a HOME without ~/.ovh.conf (REFERENCE §2.6: a stray
// OVH_CLIENT_ID or ovh.conf leaks into explicit clients). Doing it here
// rather than with t.Setenv lets the tests run in parallel.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "ovhemu-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "OVH_") {
			_ = os.Unsetenv(name)
		}
	}
	_ = os.Setenv("HOME", home)
	code := m.Run()
	_ = os.RemoveAll(home)
	os.Exit(code)
}

// startEmulator runs run() as `ovhemu -addr 127.0.0.1:0 -move 0s -task 0s`
// and returns the go-ovh endpoint it announces and a stop function that
// cancels its context and checks that run returns nil.
func startEmulator(t *testing.T) (endpoint string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-move", "0s", "-task", "0s"}, pw)
		_ = pw.CloseWithError(io.EOF)
		done <- err
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		first := true
		for sc.Scan() {
			if first {
				lines <- sc.Text()
				first = false
			}
		}
		close(lines)
	}()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v after its context was cancelled, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not return within 10s of its context being cancelled")
		}
	}
	t.Cleanup(stop)
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("run printed nothing before ending: %v", <-done)
		}
		m := regexp.MustCompile(`^ovhemu: listening on (http://127\.0\.0\.1:[0-9]+/1\.0)$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("first line %q, want \"ovhemu: listening on http://127.0.0.1:PORT/1.0\"", line)
		}
		return m[1], stop
	case err := <-done:
		t.Fatalf("run ended before listening: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not announce its address within 10s")
	}
	return "", stop
}

// newClient is a go-ovh client of the demo application (or of another
// secret, for the tampered-signature case) with consumer key ck.
func newClient(t *testing.T, endpoint, secret, ck string) *ovh.Client {
	t.Helper()
	c, err := ovh.NewClient(endpoint, demoAppKey, secret, ck)
	if err != nil {
		t.Fatalf("ovh.NewClient: %v", err)
	}
	c.Timeout = 10 * time.Second // go-ovh's default is 180s
	return c
}

// requestKey asks for a consumer key with rules (method, path pairs) and the
// callback redirection, with a client of its own, and returns the client
// (which go-ovh has given the new key) and the validation URL.
func requestKey(t *testing.T, endpoint string, rules func(*ovh.CkRequest)) (*ovh.Client, string) {
	t.Helper()
	c := newClient(t, endpoint, demoAppSecret, "")
	req := c.NewCkRequestWithRedirection(callbackURL)
	rules(req)
	st, err := req.Do()
	if err != nil {
		t.Fatalf("POST /auth/credential: %v", err)
	}
	if st.State != "pendingValidation" || st.ConsumerKey == "" || st.ValidationURL == "" {
		t.Fatalf("POST /auth/credential: %+v, want a pendingValidation key and a validation URL", st)
	}
	if c.ConsumerKey != st.ConsumerKey {
		t.Fatalf("go-ovh did not keep the new consumer key")
	}
	return c, st.ValidationURL
}

// validate signs in on the validation page as a browser would: GET the
// page, fill its form (login, password, the hidden fields, the default
// validity) and press "Authorize"; the answer must redirect to callbackURL.
func validate(t *testing.T, validationURL string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{
		Jar:     jar,
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // look at the redirect, do not follow it
		},
	}
	resp, err := browser.Get(validationURL)
	if err != nil {
		t.Fatalf("GET %s: %v", validationURL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", validationURL, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatalf("validation page: %v", err)
	}
	form := doc.Find("form").First()
	if form.Length() == 0 {
		t.Fatal("validation page: no form")
	}
	action, err := resp.Request.URL.Parse(form.AttrOr("action", ""))
	if err != nil {
		t.Fatalf("validation page: form action: %v", err)
	}
	if m := strings.ToUpper(form.AttrOr("method", "GET")); m != http.MethodPost {
		t.Fatalf("validation page: form method %s, want POST", m)
	}
	values := url.Values{}
	filled := map[string]bool{}
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		if name == "" {
			return
		}
		switch strings.ToLower(in.AttrOr("type", "text")) {
		case "password":
			values.Set(name, demoPassword)
			filled["password"] = true
		case "text", "email":
			values.Set(name, demoAccount)
			filled["login"] = true
		case "hidden":
			values.Set(name, in.AttrOr("value", ""))
		case "checkbox", "radio":
			if _, on := in.Attr("checked"); on {
				values.Add(name, in.AttrOr("value", "on"))
			}
		}
	})
	form.Find("select").Each(func(_ int, sel *goquery.Selection) {
		opt := sel.Find("option[selected]").First()
		if opt.Length() == 0 {
			opt = sel.Find("option").First()
		}
		if name := sel.AttrOr("name", ""); name != "" && opt.Length() > 0 {
			values.Set(name, opt.AttrOr("value", opt.Text()))
		}
	})
	form.Find("button, input[type=submit]").EachWithBreak(func(_ int, b *goquery.Selection) bool {
		label := strings.ToLower(b.AttrOr("value", "") + " " + b.Text())
		if !strings.Contains(label, "authori") {
			return true
		}
		if name := b.AttrOr("name", ""); name != "" {
			values.Set(name, b.AttrOr("value", ""))
		}
		filled["authorize"] = true
		return false
	})
	for _, f := range []string{"login", "password", "authorize"} {
		if !filled[f] {
			t.Fatalf("validation page: the form has no %s field or button", f)
		}
	}
	post, err := browser.PostForm(action.String(), values)
	if err != nil {
		t.Fatalf("POST %s: %v", action, err)
	}
	defer func() { _ = post.Body.Close() }()
	if post.StatusCode != http.StatusSeeOther && post.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(post.Body)
		t.Fatalf("POST %s: status %d, want a redirect to the callback: %.300s", action, post.StatusCode, body)
	}
	if loc := post.Header.Get("Location"); !strings.HasPrefix(loc, callbackURL) {
		t.Fatalf("POST %s: redirects to %q, want %q", action, loc, callbackURL)
	}
}

// ipTask is ip.IpTask, the fields this test reads.
type ipTask struct {
	TaskID   int64  `json:"taskId"`
	Function string `json:"function"`
	Status   string `json:"status"`
}

// lbTask is ipLoadbalancing.Task.Task, the fields this test reads.
type lbTask struct {
	ID     int64  `json:"id"`
	Action string `json:"action"`
	Status string `json:"status"`
}

// poll reads a task up to five times until get reports it done; with
// -move 0s and -task 0s the first read after its creation must see it done
// already, so there is nothing to wait for.
func poll(t *testing.T, what string, get func() (string, error)) {
	t.Helper()
	var last string
	for range 5 {
		status, err := get()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if status == "done" {
			return
		}
		last = status
	}
	t.Fatalf("%s: still %q after 5 reads, want done", what, last)
}

// wantAPIError checks that err is go-ovh's *ovh.APIError with this status,
// class and message, and a query id.
func wantAPIError(t *testing.T, call string, err error, code int, class, message string) {
	t.Helper()
	var apiErr *ovh.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: error %v (%T), want an *ovh.APIError", call, err, err)
	}
	if apiErr.Code != code || apiErr.Class != class || apiErr.Message != message {
		t.Errorf("%s: got %d %q %q, want %d %q %q", call, apiErr.Code, apiErr.Class, apiErr.Message, code, class, message)
	}
	if apiErr.QueryID == "" {
		t.Errorf("%s: no query id in the error", call)
	}
}

func TestAcceptanceGoOVH(t *testing.T) {
	t.Parallel()
	endpoint, stop := startEmulator(t)

	// A consumer key for the console's rights, validated on the page.
	api, validationURL := requestKey(t, endpoint, func(r *ovh.CkRequest) {
		r.AddRecursiveRules(ovh.ReadWrite, "/ip")
		r.AddRecursiveRules(ovh.ReadWrite, "/ipLoadbalancing")
		r.AddRecursiveRules(ovh.ReadWrite, "/auth")
		r.AddRule(http.MethodGet, "/me")
	})
	validate(t, validationURL)

	var me struct {
		Nichandle string `json:"nichandle"`
	}
	if err := api.Get("/me", &me); err != nil || me.Nichandle != demoAccount {
		t.Fatalf("GET /me: %+v, %v; want %s", me, err, demoAccount)
	}

	// The failover IPs, and the parked one's move to the IPLB.
	var failover []string
	if err := api.Get("/ip?type=failover", &failover); err != nil {
		t.Fatalf("GET /ip?type=failover: %v", err)
	}
	if !slices.Contains(failover, demoIPParked) {
		t.Fatalf("GET /ip?type=failover = %v, want %s among them", failover, demoIPParked)
	}
	ipPath := "/ip/" + url.PathEscape(demoIPParked)
	var dest struct {
		IPLoadbalancing []struct {
			Service string `json:"service"`
		} `json:"ipLoadbalancing"`
	}
	if err := api.Get(ipPath+"/move", &dest); err != nil {
		t.Fatalf("GET %s/move: %v", ipPath, err)
	}
	if !slices.ContainsFunc(dest.IPLoadbalancing, func(d struct {
		Service string `json:"service"`
	}) bool {
		return d.Service == demoLB
	}) {
		t.Fatalf("GET %s/move: ipLoadbalancing destinations %+v, want %s", ipPath, dest.IPLoadbalancing, demoLB)
	}
	var move ipTask
	if err := api.Post(ipPath+"/move", map[string]string{"to": demoLB}, &move); err != nil {
		t.Fatalf("POST %s/move: %v", ipPath, err)
	}
	if move.TaskID == 0 || move.Function != "genericMoveFloatingIp" {
		t.Fatalf("POST %s/move: %+v, want a genericMoveFloatingIp task", ipPath, move)
	}
	poll(t, "move task", func() (string, error) {
		var task ipTask
		err := api.Get(fmt.Sprintf("%s/task/%d", ipPath, move.TaskID), &task)
		return task.Status, err
	})
	lbPath := "/ipLoadbalancing/" + url.PathEscape(demoLB)
	var routed []string
	if err := api.Get(lbPath+"/failover", &routed); err != nil {
		t.Fatalf("GET %s/failover: %v", lbPath, err)
	}
	if !slices.Contains(routed, demoIPParked) {
		t.Fatalf("GET %s/failover = %v, want %s among them", lbPath, routed, demoIPParked)
	}

	// A frontend pinned to the IP, on one of the IPLB's HTTP farms.
	var farms []int64
	if err := api.Get(lbPath+"/http/farm", &farms); err != nil || len(farms) == 0 {
		t.Fatalf("GET %s/http/farm: %v, %v; want at least one farm", lbPath, farms, err)
	}
	var farm struct {
		FarmID int64  `json:"farmId"`
		Zone   string `json:"zone"`
	}
	if err := api.Get(fmt.Sprintf("%s/http/farm/%d", lbPath, farms[0]), &farm); err != nil {
		t.Fatalf("GET farm %d: %v", farms[0], err)
	}
	var frontend struct {
		FrontendID    int64    `json:"frontendId"`
		DedicatedIpfo []string `json:"dedicatedIpfo"`
		DefaultFarmID *int64   `json:"defaultFarmId"`
	}
	create := map[string]any{
		"zone": farm.Zone, "port": "80", "displayName": "acceptance",
		"defaultFarmId": farm.FarmID, "dedicatedIpfo": []string{demoIPParked},
	}
	if err := api.Post(lbPath+"/http/frontend", create, &frontend); err != nil {
		t.Fatalf("POST %s/http/frontend: %v", lbPath, err)
	}
	if frontend.FrontendID == 0 || !slices.Equal(frontend.DedicatedIpfo, []string{demoIPParked}) ||
		frontend.DefaultFarmID == nil || *frontend.DefaultFarmID != farm.FarmID {
		t.Fatalf("POST %s/http/frontend: %+v, want it pinned to %s with farm %d", lbPath, frontend, demoIPParked, farm.FarmID)
	}

	// Apply: refresh every zone (no body, as terraform does) and watch it.
	var refresh lbTask
	if err := api.Post(lbPath+"/refresh", nil, &refresh); err != nil {
		t.Fatalf("POST %s/refresh: %v", lbPath, err)
	}
	if refresh.ID == 0 || refresh.Action != "refreshIplb" {
		t.Fatalf("POST %s/refresh: %+v, want a refreshIplb task", lbPath, refresh)
	}
	poll(t, "refresh task", func() (string, error) {
		var task lbTask
		err := api.Get(fmt.Sprintf("%s/task/%d", lbPath, refresh.ID), &task)
		return task.Status, err
	})
	var pending []struct {
		Zone   string `json:"zone"`
		Number int64  `json:"number"`
	}
	if err := api.Get(lbPath+"/pendingChanges", &pending); err != nil {
		t.Fatalf("GET %s/pendingChanges: %v", lbPath, err)
	}
	if len(pending) != 0 {
		t.Fatalf("GET %s/pendingChanges = %+v after the refresh, want []", lbPath, pending)
	}

	t.Run("tampered signature", func(t *testing.T) {
		// The right key, signed with the wrong secret: what a client whose
		// request was altered on the way looks like to the API.
		bad := newClient(t, endpoint, "notTheSecret00000000000000000000", api.ConsumerKey)
		wantAPIError(t, "GET /me signed with a wrong secret", bad.Get("/me", nil),
			http.StatusBadRequest, "Client::BadRequest", "Invalid signature")
	})
	t.Run("unvalidated key", func(t *testing.T) {
		pendingClient, _ := requestKey(t, endpoint, func(r *ovh.CkRequest) {
			r.AddRules(ovh.ReadOnly, "/*")
		})
		wantAPIError(t, "GET /me with a key nobody validated", pendingClient.Get("/me", nil),
			http.StatusForbidden, "Client::Forbidden", "This credential is not valid")
	})
	t.Run("call outside the rules", func(t *testing.T) {
		meOnly, u := requestKey(t, endpoint, func(r *ovh.CkRequest) {
			r.AddRule(http.MethodGet, "/me")
		})
		validate(t, u)
		if err := meOnly.Get("/me", nil); err != nil {
			t.Fatalf("GET /me with a key for GET /me: %v", err)
		}
		wantAPIError(t, "GET /ip with a key for GET /me only", meOnly.Get("/ip", nil),
			http.StatusForbidden, "Client::Forbidden", "This call has not been granted")
	})

	stop() // cancel run's context: it must return nil, promptly
}
