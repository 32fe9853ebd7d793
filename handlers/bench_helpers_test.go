package handlers

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views/components"
)

// pageBench describes a page benchmark: one page measured at a few sizes
// of the account's configuration (frontends, farms, routes, IPLBs), every
// API call slowed down by latency.
type pageBench struct {
	// unit names what the size counts, in the sub-benchmarks' names
	// ("frontends=20") and in the printed lines ("20 frontends").
	unit    string
	sizes   []int
	latency time.Duration
	// setup brings the emulator to size n through env.user and returns the
	// console's dependencies and the page's path.
	setup func(b *testing.B, env *benchEnv, n int) (Deps, string)
}

// benchEnv is what a pageBench's setup works with: its own emulator, the
// console's API client and a user client of DemoAccount.
type benchEnv struct {
	emu  *ovhemu.Emulator
	api  *ovh.Client
	ck   string
	user *ovh.Client
}

// run measures the page at every size. Each sub-benchmark signs in over a
// cookie jar, GETs the page once unslowed (to warm /auth/time and the
// session's client), then times GETs with the latency injected, and
// reports ms/page and calls/page. The app-test helpers take a *testing.T,
// hence these. After the largest size it logs its time against the
// smallest's: the pages fetch in parallel, so it should stay close to 1.
func (pb pageBench) run(b *testing.B) {
	perPage := map[int]float64{}
	for _, n := range pb.sizes {
		b.Run(fmt.Sprintf("%s=%d", pb.unit, n), func(b *testing.B) {
			env := newBenchEnv(b)
			deps, path := pb.setup(b, env, n)
			e := echo.New()
			New(deps).Register(e)
			srv := httptest.NewServer(e)
			b.Cleanup(srv.Close)
			client := benchSignIn(b, srv.URL, env.ck)
			page := srv.URL + path
			benchGet(b, client, page) // warm: /auth/time, the session's client
			env.emu.SetLatency("*", "*", pb.latency)
			env.emu.ResetCalls()
			b.ResetTimer()
			for b.Loop() {
				benchGet(b, client, page)
			}
			ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
			perPage[n] = ms
			b.ReportMetric(ms, "ms/page")
			b.ReportMetric(float64(env.emu.Calls("*", "*"))/float64(b.N), "calls/page")
			b.Logf("%d %s, %v per call: %.0f ms per page (%.1f round trips), %d calls per page",
				n, pb.unit, pb.latency, ms, ms/float64(pb.latency.Milliseconds()), env.emu.Calls("*", "*")/b.N)
			first, last := pb.sizes[0], pb.sizes[len(pb.sizes)-1]
			if n == last && n != first && perPage[first] > 0 {
				b.Logf("%d %s vs %d: %.2f times the time per page", last, pb.unit, first, ms/perPage[first])
			}
		})
	}
}

// newBenchEnv starts an emulator with its seed and a consumer key of
// DemoAccount.
func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	emu, endpoint := ovhemu.NewTestServer(b)
	api, err := ovh.New(ovh.Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, Timeout: 20 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	return &benchEnv{emu: emu, api: api, ck: ck, user: api.WithConsumerKey(ck)}
}

// benchSignIn signs a cookie-jar client in to the console at base with the
// pasted consumer key ck.
func benchSignIn(b *testing.B, base, ck string) *http.Client {
	b.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	benchGet(b, client, base+"/login")
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	var token string
	for _, c := range jar.Cookies(u) {
		if c.Name == "_csrf" {
			token = c.Value
		}
	}
	res, err := client.PostForm(base+"/login/key", url.Values{"consumer_key": {ck}, components.CSRFFieldName: {token}})
	if err != nil {
		b.Fatal(err)
	}
	if err := res.Body.Close(); err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign-in: status %d", res.StatusCode)
	}
	return client
}

// benchGet GETs u, reads the whole body, and fails unless it answers 200.
func benchGet(b *testing.B, client *http.Client, u string) {
	b.Helper()
	res, err := client.Get(u) //nolint:noctx // a benchmark's plain GET
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.Copy(io.Discard, res.Body)
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d", u, res.StatusCode)
	}
}
