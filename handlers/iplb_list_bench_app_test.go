package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
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
	pageBench{unit: "IPLBs", sizes: []int{1, 3, 20}, latency: 20 * time.Millisecond,
		setup: func(_ *testing.B, env *benchEnv, n int) (Deps, string) {
			return Deps{API: env.api, UserClient: func(ck string) OVH { return aliasLBs{OVH: env.api.WithConsumerKey(ck), n: n} }},
				views.IPLBListPath()
		}}.run(b)
}
