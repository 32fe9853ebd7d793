package views

import (
	"slices"
	"strings"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// NavIPLB is the navigation entry of the load balancer pages: the list and
// every page of one IPLB (pass it to pageMeta).
const NavIPLB Nav = "iplb"

// IPLBTab names a tab of the IPLB shell, so that IPLBPage can mark the
// current one with aria-current.
type IPLBTab string

// The tabs of an IPLB, in their order on the page.
const (
	TabDashboard IPLBTab = "dashboard"
	TabFailover  IPLBTab = "failover"
	TabFrontends IPLBTab = "frontends"
	TabApply     IPLBTab = "apply"
)

// IPLBShell is what every page of one IPLB shows around its own body
// (IPLBPage): the title, the tabs and the "configuration not applied"
// banner. handlers' iplbShell builds it.
type IPLBShell struct {
	ServiceName string  // e.g. "loadbalancer-a1b2c3d4e5f60718"
	DisplayName string  // the display name, or the service name when there is none
	Tab         IPLBTab // the current tab
	Banner      PendingBannerModel
}

// Title is the page title for a page of the IPLB: "<what> · <name>".
func (s IPLBShell) Title(what string) string {
	if what == "" {
		return s.DisplayName
	}
	return what + " · " + s.DisplayName
}

// NewIPLBShell builds the shell of lb's pages on tab, with its pending
// changes.
func NewIPLBShell(lb ovh.LoadBalancer, pending []ovh.PendingChange, tab IPLBTab) IPLBShell {
	return IPLBShell{
		ServiceName: lb.ServiceName,
		DisplayName: lb.Name(),
		Tab:         tab,
		Banner:      NewPendingBanner(lb.ServiceName, pending),
	}
}

// PendingBannerModel is the "configuration not applied" banner of one IPLB.
type PendingBannerModel struct {
	ServiceName string
	// Zones are the zones with changes not applied yet (Number > 0), sorted
	// by zone name.
	Zones []ovh.PendingChange
}

// NewPendingBanner builds the banner of sn from GET …/pendingChanges: zones
// with no change are dropped and the rest sorted by name.
func NewPendingBanner(sn string, pending []ovh.PendingChange) PendingBannerModel {
	zones := make([]ovh.PendingChange, 0, len(pending))
	for _, p := range pending {
		if p.Number > 0 {
			zones = append(zones, p)
		}
	}
	slices.SortFunc(zones, func(a, b ovh.PendingChange) int { return strings.Compare(a.Zone, b.Zone) })
	return PendingBannerModel{ServiceName: sn, Zones: zones}
}

// Pending reports whether some change is not applied.
func (b PendingBannerModel) Pending() bool { return len(b.Zones) > 0 }

// Total is the number of changes not applied, all zones together.
func (b PendingBannerModel) Total() int64 {
	var n int64
	for _, z := range b.Zones {
		n += z.Number
	}
	return n
}
