package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// View models of the failover-IP pages of one IPLB (iplb_failover.templ):
// the list, the attach chooser and its confirmation, the detach
// confirmation and the live badge of an IP task.

// FailoverListModel is the failover IPs page of one IPLB.
type FailoverListModel struct {
	ServiceName string
	// IPs are the failover IPs routed to the IPLB.
	IPs []FailoverRow
	// Incoming are IPs with a move to the IPLB in progress, not routed to it
	// yet.
	Incoming []FailoverRow
}

// FailoverRow is one failover IP of the list.
type FailoverRow struct {
	Block string
	// PinnedBy are the frontends whose dedicated failover IPs hold it; empty
	// means the IP serves every frontend.
	PinnedBy []ovh.Frontend
	// Task is the badge of the IP's task in progress, nil when none runs.
	Task *IPTaskBadgeModel
}

// NewFailoverList builds the list from the client's overview.
func NewFailoverList(sn string, ov ovh.FailoverOverview) FailoverListModel {
	m := FailoverListModel{ServiceName: sn}
	row := func(ip ovh.FailoverIP) FailoverRow {
		r := FailoverRow{Block: ip.Block, PinnedBy: ip.PinnedBy}
		if ip.Task != nil {
			r.Task = &IPTaskBadgeModel{ServiceName: sn, Block: ip.Block, Task: *ip.Task}
		}
		return r
	}
	for _, ip := range ov.IPs {
		m.IPs = append(m.IPs, row(ip))
	}
	for _, ip := range ov.Incoming {
		m.Incoming = append(m.Incoming, row(ip))
	}
	return m
}

// LocationKind says where a failover IP's traffic goes now.
type LocationKind string

// Where a failover IP can be.
const (
	LocationParked       LocationKind = "parked"        // routed nowhere
	LocationLoadBalancer LocationKind = "load-balancer" // another IPLB of the account
	LocationService      LocationKind = "service"       // a dedicated server, a VPS…
)

// IPLocation is where a failover IP is routed now.
type IPLocation struct {
	Kind    LocationKind
	Service string // the service name; "" when parked
	Name    string // the IPLB's display name (LocationLoadBalancer), else Service
}

// Label is how the location reads in a sentence: "parked",
// "the load balancer staging (loadbalancer-…)", "the service ns301….eu".
func (l IPLocation) Label() string {
	switch l.Kind {
	case LocationLoadBalancer:
		if l.Name != "" && l.Name != l.Service {
			return "the load balancer " + l.Name + " (" + l.Service + ")"
		}
		return "the load balancer " + l.Service
	case LocationService:
		return "the server " + l.Service
	default:
		return "parked (routed nowhere)"
	}
}

// Warning says what moving the IP away from its location breaks, or "".
func (l IPLocation) Warning() string {
	switch l.Kind {
	case LocationService:
		return "Moving it here cuts the traffic that " + l.Service + " receives on this IP: that server stops answering on it as soon as the move is done."
	case LocationLoadBalancer:
		return "Moving it here takes it away from " + l.Label() + ": that load balancer stops answering on it, and its frontends that pin it lose it."
	}
	return ""
}

// AttachChoice is one failover IP the user may move to the IPLB.
type AttachChoice struct {
	Block       string
	Description string
	Location    IPLocation
	// Task is a task in progress on the IP: no move can start until it
	// ends, so the choice is disabled.
	Task *ovh.IPTask
}

// Available reports whether the IP can be chosen now.
func (a AttachChoice) Available() bool { return a.Task == nil }

// NewAttachChoice builds a choice from the client's MovableIP.
func NewAttachChoice(m ovh.MovableIP) AttachChoice {
	c := AttachChoice{Block: m.IP.IP, Task: m.Task}
	if m.IP.Description != nil {
		c.Description = strings.TrimSpace(*m.IP.Description)
	}
	switch sn := m.IP.RoutedToService(); {
	case sn == "":
		c.Location = IPLocation{Kind: LocationParked}
	case m.RoutedToLB != nil:
		c.Location = IPLocation{Kind: LocationLoadBalancer, Service: sn, Name: m.RoutedToLB.Name()}
	default:
		c.Location = IPLocation{Kind: LocationService, Service: sn, Name: sn}
	}
	return c
}

// AttachChooserModel is the first step of attaching a failover IP: the
// account's IPs that can move to the IPLB.
type AttachChooserModel struct {
	ServiceName string
	Choices     []AttachChoice
	// Selected is the block chosen before a 422 re-render.
	Selected string
	// Error is the field error of the choice (none made, not movable here).
	Error string
}

// AttachConfirmModel is the confirmation of a move to the IPLB: it names
// the IP and where it is now, and posts the move.
type AttachConfirmModel struct {
	ServiceName string
	DisplayName string // the IPLB's
	Choice      AttachChoice
	// APIError is the API's refusal of the move (message and query ID), nil
	// before the POST.
	APIError *ErrorModel
}

// DetachConfirmModel is the confirmation of parking a failover IP of the
// IPLB.
type DetachConfirmModel struct {
	ServiceName string
	DisplayName string // the IPLB's
	Block       string
	// PinnedBy are the frontends that pin the IP: they lose it.
	PinnedBy []ovh.Frontend
	// Task is a task in progress on the IP: parking must wait for it.
	Task *IPTaskBadgeModel
	// APIError is the API's refusal of the park, nil before the POST.
	APIError *ErrorModel
}

// IPTaskKind is what an IP task does from the point of view of the IPLB
// whose page shows it.
type IPTaskKind string

// The kinds of IP task the failover pages show.
const (
	IPTaskAttach   IPTaskKind = "attach"    // a move to this IPLB
	IPTaskDetach   IPTaskKind = "detach"    // a park
	IPTaskMoveAway IPTaskKind = "move-away" // a move to another service
)

// IPTaskBadgeModel is the live badge of an IP task (a move or a park).
type IPTaskBadgeModel struct {
	ServiceName string // the IPLB whose page shows the badge
	Block       string
	Task        ovh.IPTask
	// Notice says the page shows the task's IPMoveNotice: the badge's
	// polls say so (hx-vals), and the poll that finds the task finished
	// removes the notice out of band. Only then: an out-of-band swap that
	// finds no target is an error for htmx.
	Notice bool
}

// IPMoveNoticeID is the element id of the IPMoveNotice of task id.
func IPMoveNoticeID(id int64) string { return "ip-move-notice-" + strconv.FormatInt(id, 10) }

// IPMoveNotice is the flash shown above the badge of a move just started
// (task id of block). It only holds while the move runs: IPMoveNoticeOOB
// removes it when the badge reports the task finished.
func IPMoveNotice(block string, id int64) Flash {
	return Flash{
		Kind:    FlashInfo,
		Message: fmt.Sprintf("Moving %s to this load balancer (task %d). It serves every frontend once the move is done.", block, id),
		ID:      IPMoveNoticeID(id),
	}
}

// Kind says whether the task brings the IP here, parks it, or sends it
// elsewhere. REFERENCE §5.4 [INF]: a park's destination is null.
func (b IPTaskBadgeModel) Kind() IPTaskKind {
	d := b.Task.Destination
	switch {
	case d == nil || d.ServiceName == nil || *d.ServiceName == "":
		return IPTaskDetach
	case *d.ServiceName == b.ServiceName:
		return IPTaskAttach
	}
	return IPTaskMoveAway
}

// Destination is the service a move sends the IP to, "" for a park.
func (b IPTaskBadgeModel) Destination() string {
	if d := b.Task.Destination; d != nil && d.ServiceName != nil {
		return *d.ServiceName
	}
	return ""
}

// Running reports whether the task may still change: the badge polls.
func (b IPTaskBadgeModel) Running() bool { return !b.Task.Status.Finished() }

// Failed reports whether the task ended without doing its work.
func (b IPTaskBadgeModel) Failed() bool { return b.Task.Status.Failed() }

// Done reports whether the task did its work.
func (b IPTaskBadgeModel) Done() bool { return b.Task.Status == ovh.IPTaskDone }

// Comment is the task's comment (why it failed), or "".
func (b IPTaskBadgeModel) Comment() string {
	if b.Task.Comment == nil {
		return ""
	}
	return strings.TrimSpace(*b.Task.Comment)
}

// Headline is the badge's sentence, e.g. "Attaching 203.0.113.13/32 to
// this load balancer: in progress".
func (b IPTaskBadgeModel) Headline() string {
	running := b.Running()
	var what string
	switch b.Kind() {
	case IPTaskAttach:
		what = "Attach of " + b.Block + " to this load balancer"
		if running {
			what = "Attaching " + b.Block + " to this load balancer"
		}
	case IPTaskDetach:
		what = "Detach of " + b.Block + " (parking it)"
		if running {
			what = "Detaching " + b.Block + " (parking it)"
		}
	default:
		what = "Move of " + b.Block + " to " + b.Destination()
		if running {
			what = "Moving " + b.Block + " to " + b.Destination()
		}
	}
	switch {
	case b.Done():
		return what + ": done"
	case b.Failed():
		return what + ": failed"
	}
	return what + ": in progress"
}

// StatusLabel is the task's status in words.
func (b IPTaskBadgeModel) StatusLabel() string {
	switch b.Task.Status {
	case ovh.IPTaskInit, ovh.IPTaskTodo:
		return "waiting to start"
	case ovh.IPTaskDoing:
		return "running"
	case ovh.IPTaskDone:
		return "done"
	case ovh.IPTaskCancelled:
		return "cancelled"
	case ovh.IPTaskCustomerError:
		return "failed (customer error)"
	case ovh.IPTaskOVHError:
		return "failed (OVHcloud error)"
	}
	return string(b.Task.Status)
}

// PinPath is the "pin it to a frontend" next step: a new HTTP frontend with
// the IP preselected in its dedicated failover IPs.
func (b IPTaskBadgeModel) PinPath() string {
	return NewFrontendWithIPPath(b.ServiceName, ovh.HTTP, b.Block)
}

// IPTaskPageModel is the page of an IP task, where the attach and detach
// forms lead: the badge, and the way back.
type IPTaskPageModel struct {
	Badge IPTaskBadgeModel
}

// Title is the page's heading.
func (m IPTaskPageModel) Title() string {
	switch m.Badge.Kind() {
	case IPTaskAttach:
		return "Attach " + m.Badge.Block
	case IPTaskDetach:
		return "Detach " + m.Badge.Block
	}
	return "Move " + m.Badge.Block
}
