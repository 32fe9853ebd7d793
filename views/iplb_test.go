package views

import (
	"context"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

func strp(s string) *string { return &s }

const testSN = "loadbalancer-a1b2c3d4e5f60718"

func TestPendingBanner(t *testing.T) {
	t.Parallel()
	pending := []ovh.PendingChange{{Zone: "rbx", Number: 1}, {Zone: "gra", Number: 2}, {Zone: "sbg", Number: 0}}
	tests := []struct {
		name        string
		banner      PendingBannerModel
		oob         bool
		wantPending bool
		wantZones   []string // zone:count, in order
		wantTotal   string
	}{
		{name: "pending", banner: NewPendingBanner(testSN, pending), wantPending: true, wantZones: []string{"gra:2", "rbx:1"}, wantTotal: "3 changes"},
		{name: "pending OOB", banner: NewPendingBanner(testSN, pending), oob: true, wantPending: true, wantZones: []string{"gra:2", "rbx:1"}, wantTotal: "3 changes"},
		{name: "one change", banner: NewPendingBanner(testSN, []ovh.PendingChange{{Zone: "gra", Number: 1}}), wantPending: true, wantZones: []string{"gra:1"}, wantTotal: "1 change"},
		{name: "nothing pending", banner: NewPendingBanner(testSN, nil)},
		{name: "only zero counts", banner: NewPendingBanner(testSN, []ovh.PendingChange{{Zone: "gra"}})},
		{name: "nothing pending OOB", banner: NewPendingBanner(testSN, nil), oob: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := PendingBanner(tt.banner)
			if tt.oob {
				c = PendingBannerOOB(tt.banner)
			}
			doc, html := render(t, context.Background(), c)
			b := doc.Find("#pending-banner")
			if b.Length() != 1 {
				t.Fatalf("want one #pending-banner, got %d in %s", b.Length(), html)
			}
			if b.AttrOr("data-testid", "") != "pending-banner" || b.AttrOr("aria-live", "") != "polite" {
				t.Errorf("banner lacks data-testid or aria-live: %s", html)
			}
			oob, hasOOB := b.Attr("hx-swap-oob")
			if hasOOB != tt.oob || (tt.oob && oob != "true") {
				t.Errorf("hx-swap-oob = %q (present %v), want present %v", oob, hasOOB, tt.oob)
			}
			if got := b.AttrOr("data-pending", ""); got != map[bool]string{true: "true", false: "false"}[tt.wantPending] {
				t.Errorf("data-pending = %q", got)
			}
			apply := b.Find(testID("banner-apply"))
			if !tt.wantPending {
				if b.Children().Length() != 0 || apply.Length() != 0 {
					t.Errorf("empty banner has content: %s", html)
				}
				return
			}
			if href := apply.AttrOr("href", ""); href != ApplyPath(testSN) {
				t.Errorf("apply link = %q, want %q", href, ApplyPath(testSN))
			}
			var zones []string
			b.Find(testID("pending-zone")).Each(func(_ int, s *goquery.Selection) {
				zones = append(zones, s.AttrOr("data-zone", "")+":"+s.AttrOr("data-count", ""))
			})
			if !slices.Equal(zones, tt.wantZones) {
				t.Errorf("zones = %v, want %v", zones, tt.wantZones)
			}
			if got := b.Find(testID("pending-total")).Text(); got != tt.wantTotal {
				t.Errorf("total = %q, want %q", got, tt.wantTotal)
			}
		})
	}
}

func TestIPLBPage(t *testing.T) {
	t.Parallel()
	lb := ovh.LoadBalancer{ServiceName: testSN, DisplayName: strp("prod-web")}
	for _, tab := range []IPLBTab{TabDashboard, TabFailover, TabFrontends, TabApply} {
		t.Run(string(tab), func(t *testing.T) {
			t.Parallel()
			shell := NewIPLBShell(lb, []ovh.PendingChange{{Zone: "gra", Number: 2}}, tab)
			body := templ.Raw(`<p data-testid="page-body">body</p>`)
			doc, html := render(t, context.Background(), IPLBPage(shell, body))
			if got := doc.Find(testID("iplb-title")).Text(); got != "prod-web" {
				t.Errorf("title = %q", got)
			}
			if got := doc.Find(testID("iplb-service")).Text(); got != testSN {
				t.Errorf("service = %q", got)
			}
			wantHref := map[IPLBTab]string{
				TabDashboard: IPLBPath(testSN), TabFailover: FailoverPath(testSN),
				TabFrontends: FrontendsPath(testSN, ovh.HTTP), TabApply: ApplyPath(testSN),
			}
			for other, href := range wantHref {
				a := doc.Find(testID("tab-" + string(other)))
				if a.AttrOr("href", "") != href {
					t.Errorf("tab %s href = %q, want %q", other, a.AttrOr("href", ""), href)
				}
				cur, has := a.Attr("aria-current")
				if (other == tab) != has || (has && cur != "page") {
					t.Errorf("tab %s aria-current = %q (present %v), current tab %s", other, cur, has, tab)
				}
			}
			if doc.Find(testID("pending-banner")+`[data-pending="true"]`).Length() != 1 {
				t.Errorf("banner missing: %s", html)
			}
			if doc.Find(testID("page-body")).Length() != 1 {
				t.Error("body not rendered")
			}
			if got := doc.Find(`nav[aria-label="breadcrumb"] a`).AttrOr("href", ""); got != IPLBListPath() {
				t.Errorf("breadcrumb = %q", got)
			}
		})
	}
	t.Run("no display name", func(t *testing.T) {
		t.Parallel()
		shell := NewIPLBShell(ovh.LoadBalancer{ServiceName: testSN}, nil, TabDashboard)
		if shell.DisplayName != testSN || shell.Title("Apply") != "Apply · "+testSN {
			t.Errorf("shell = %+v, title %q", shell, shell.Title("Apply"))
		}
	})
}
