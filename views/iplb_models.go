package views

import (
	"slices"
	"strconv"
	"strings"
	"time"

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
	TabFarms     IPLBTab = "farms"
	TabRoutes    IPLBTab = "routes"
	TabVRack     IPLBTab = "vrack"
	TabTasks     IPLBTab = "tasks"
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
	shell := IPLBShell{
		ServiceName: lb.ServiceName,
		DisplayName: lb.Name(),
		Tab:         tab,
		Banner:      NewPendingBanner(lb.ServiceName, pending),
	}
	shell.Banner.OnApplyPage = tab == TabApply
	return shell
}

// PendingBannerModel is the "configuration not applied" banner of one IPLB.
type PendingBannerModel struct {
	ServiceName string
	// Zones are the zones with changes not applied yet (Number > 0), sorted
	// by zone name.
	Zones []ovh.PendingChange
	// OnApplyPage leaves out the "Apply configuration" button: the page
	// itself is where to apply.
	OnApplyPage bool
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

// IPLBListModel is the list of the user's load balancers.
type IPLBListModel struct {
	Rows []IPLBListRow // sorted by display name
	// OnHome renders the list as a section of the home page (an h2 under
	// the page's h1) rather than as a page of its own.
	OnHome bool
}

// IPLBListRow is one load balancer of the list with its counts.
type IPLBListRow struct {
	LB       ovh.LoadBalancer
	Failover int   // failover IPs routed to it
	Pending  int64 // changes not applied, all zones together
	// Problem is set when its counts could not be fetched (the API refused
	// or failed for this IPLB only); the row then shows it instead.
	Problem string
}

// IPLBDashboardModel is the dashboard of one IPLB (inside IPLBPage).
type IPLBDashboardModel struct {
	LB       ovh.LoadBalancer
	Status   ovh.Status
	Failover int                 // failover IPs routed to it
	Tasks    []TaskProgressModel // the latest tasks, newest first
}

// TaskProgressModel is one IPLB task as a live progress line: the polled
// fragment of RefreshTaskPath, the rows of the dashboard's task list and the
// progress of the apply page.
type TaskProgressModel struct {
	ServiceName string
	Task        ovh.Task
	// StartedBy is the login of whoever started the task from this
	// console, "" when unknown (started elsewhere, by another replica, or
	// before a restart).
	StartedBy string
	StartedAt time.Time // when StartedBy pressed Apply
	Now       time.Time // for "n ago"
}

// Running reports whether the task is still going on: the fragment then
// polls itself.
func (m TaskProgressModel) Running() bool { return !m.Task.Status.Finished() }

// ApplyModel is the apply-configuration page (inside IPLBPage).
type ApplyModel struct {
	ServiceName string
	Preflight   ovh.Preflight
	Zones       []ApplyZone // every zone of the IPLB, in its order
	// Running are the refreshes in progress (started here or elsewhere).
	Running []TaskProgressModel
	// Last is the latest finished refresh, if any, for "last applied".
	Last *TaskProgressModel
	// Refused is the API's refusal of the last attempt (message and query
	// ID), or nil.
	Refused *ErrorModel
	// Notice says what just happened, e.g. that a refresh was already
	// running when Apply was pressed; "" = nothing.
	Notice string
	// ZoneError is a problem with the chosen zones (none chosen, unknown).
	ZoneError string
}

// ApplyZone is a zone of the IPLB on the apply page.
type ApplyZone struct {
	Name    string
	Pending int64 // changes not applied in this zone
	Checked bool  // chosen for the refresh
}

// NewApplyZones lists lb's zones with their pending counts. chosen are the
// zones to tick; nil ticks the zones with pending changes, or every zone
// when nothing is pending.
func NewApplyZones(zones []string, pending []ovh.PendingChange, chosen []string) []ApplyZone {
	counts := map[string]int64{}
	for _, p := range pending {
		counts[p.Zone] += p.Number
	}
	out := make([]ApplyZone, 0, len(zones))
	anyPending := false
	for _, z := range zones {
		out = append(out, ApplyZone{Name: z, Pending: counts[z]})
		anyPending = anyPending || counts[z] > 0
	}
	for i := range out {
		switch {
		case chosen != nil:
			out[i].Checked = slices.Contains(chosen, out[i].Name)
		case anyPending:
			out[i].Checked = out[i].Pending > 0
		default:
			out[i].Checked = true
		}
	}
	return out
}

// Ago says how long ago t was, relative to now, coarsely: "just now",
// "42 s ago", "5 min ago", "3 h ago", "12 days ago".
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + " s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
	}
}

// FormatTime shows an API time in UTC, to the minute.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
