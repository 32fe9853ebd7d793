package handlers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
	"github.com/iplb-console/iplb-console/views/components"
)

// aliasLBs makes the account's first IPLB look like n IPLBs, so that the
// list page can be measured with more IPLBs than the emulator seeds: the
// list answers n names "<sn>~k", and every per-IPLB call strips the suffix
// and reaches the emulator for the real IPLB (with its injected latency).
type aliasLBs struct {
	OVH
	n int
}

func realSN(sn string) string { s, _, _ := strings.Cut(sn, "~"); return s }

// AllLoadBalancers does what the client does (the list, then every IPLB
// in parallel, 8 at a time), on the aliases.
func (a aliasLBs) AllLoadBalancers(ctx context.Context) ([]ovh.LoadBalancer, error) {
	names, err := a.LoadBalancers(ctx)
	if err != nil || len(names) == 0 {
		return nil, err
	}
	out := make([]ovh.LoadBalancer, a.n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range out {
		g.Go(func() error {
			lb, err := a.LoadBalancer(gctx, names[0])
			lb.ServiceName = fmt.Sprintf("%s~%d", lb.ServiceName, i)
			out[i] = lb
			return err
		})
	}
	return out, g.Wait()
}

func (a aliasLBs) Failover(ctx context.Context, sn string) ([]string, error) {
	return a.OVH.Failover(ctx, realSN(sn))
}

func (a aliasLBs) PendingChanges(ctx context.Context, sn string) ([]ovh.PendingChange, error) {
	return a.OVH.PendingChanges(ctx, realSN(sn))
}

// The list page's calls grow with the number of IPLBs (one GET, failover
// and pendingChanges each), but in three sequential rounds, not one after
// another: the maximum of requests in flight shows it.
func TestIPLBListCallCountsApp(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 20} {
		t.Run(fmt.Sprintf("lbs=%d", n), func(t *testing.T) {
			t.Parallel()
			var app *testApp
			app = newTestApp(t, withUserClient(func(ck string) OVH {
				return aliasLBs{OVH: app.api.WithConsumerKey(ck), n: n}
			}))
			b := app.loginAs(t, ovhemu.DemoAccount)
			b.mustGet(t, views.IPLBListPath()) // warm: /auth/time
			app.emu.ResetCalls()
			doc := b.mustGet(t, views.IPLBListPath())
			if rows := doc.Find(testID("iplb-row")).Length(); rows != n {
				t.Fatalf("%d rows, want %d", rows, n)
			}
			for pat, want := range map[string]int{patLBs: 1, patLB: n, patFailover: n, patPending: n} {
				if got := app.emu.Calls("GET", pat); got != want {
					t.Errorf("GET %s: %d calls, want %d", pat, got, want)
				}
			}
			if got := app.emu.Calls("*", "*"); got != 1+3*n {
				t.Errorf("%d calls in all, want %d", got, 1+3*n)
			}
		})
	}
}

// BenchmarkIPLBListPage prints the list page's time with 1, 3 and 20 IPLBs
// when every API call takes 20 ms: about 3 round trips for 1 or 3 IPLBs
// (list, IPLBs, counts), a few more for 20 (the bound of 8 in flight),
// never 3 × n. Run: go test ./handlers -run '^$' -bench IPLBListPage
func BenchmarkIPLBListPage(b *testing.B) {
	const latency = 20 * time.Millisecond
	for _, n := range []int{1, 3, 20} {
		b.Run(fmt.Sprintf("lbs=%d", n), func(b *testing.B) {
			emu, endpoint := ovhemu.NewTestServer(b)
			api, err := ovh.New(ovh.Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret, Timeout: 20 * time.Second})
			if err != nil {
				b.Fatal(err)
			}
			ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, ovhemu.DemoAccount, nil, 0)
			if err != nil {
				b.Fatal(err)
			}
			h := New(Deps{API: api, UserClient: func(ck string) OVH { return aliasLBs{OVH: api.WithConsumerKey(ck), n: n} }})
			e := echo.New()
			h.Register(e)
			srv := httptest.NewServer(e)
			b.Cleanup(srv.Close)
			client := lbBenchSignIn(b, srv.URL, ck)
			page := srv.URL + views.IPLBListPath()
			lbBenchGet(b, client, page) // warm: /auth/time, the session's client
			emu.SetLatency("*", "*", latency)
			emu.ResetCalls()
			b.ResetTimer()
			for b.Loop() {
				lbBenchGet(b, client, page)
			}
			ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
			b.ReportMetric(ms, "ms/page")
			b.ReportMetric(float64(emu.Calls("*", "*"))/float64(b.N), "calls/page")
			b.Logf("%d IPLBs, %v per call: %.0f ms per page (%.1f round trips), %d calls per page",
				n, latency, ms, ms/float64(latency.Milliseconds()), emu.Calls("*", "*")/b.N)
		})
	}
}

// lbBenchSignIn signs a cookie-jar client in at base with the pasted key ck.
func lbBenchSignIn(b *testing.B, base, ck string) *http.Client {
	b.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	lbBenchGet(b, client, base+"/login")
	u, _ := url.Parse(base)
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
	_ = res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign-in: status %d", res.StatusCode)
	}
	return client
}

// lbBenchGet GETs u and fails unless it answers 200.
func lbBenchGet(b *testing.B, client *http.Client, u string) {
	b.Helper()
	res, err := client.Get(u) //nolint:noctx // a benchmark's plain GET
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d", u, res.StatusCode)
	}
}
