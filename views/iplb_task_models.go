package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// This file holds the view models of the tasks page: the tasks of an IPLB
// and of its failover IPs, filtered by action and status.

// TasksModel is the tasks page of one IPLB.
type TasksModel struct {
	Service string
	// Action and Status are the filter ("" = any), as the GET form sent
	// them.
	Action string
	Status string
	// FilterError says which filter value is unknown; the list is then
	// empty.
	FilterError string
	Rows        []TaskRowModel // newest first
	// Truncated is true when some source had more tasks than Limit.
	Truncated bool
	Limit     int
	// Blocks are the failover IPs whose tasks were looked at.
	Blocks []string
}

// Filtered reports whether a filter is set.
func (m TasksModel) Filtered() bool { return m.Action != "" || m.Status != "" }

// NewTaskRows turns the entries of ovh.TaskOverview into rows.
func NewTaskRows(sn string, entries []ovh.TaskEntry, now time.Time) []TaskRowModel {
	rows := make([]TaskRowModel, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, TaskRowModel{Service: sn, Task: e.Task, IPTask: e.IPTask, Block: e.Block, Now: now})
	}
	return rows
}

// TaskRowModel is one row of the tasks table: an IPLB task (Task) or a
// failover IP's task (IPTask, Block). A running row polls its fragment.
type TaskRowModel struct {
	Service string
	Task    *ovh.Task
	IPTask  *ovh.IPTask
	Block   string
	Now     time.Time // for "n ago"
}

// IsIP reports whether the row is a failover IP's task.
func (r TaskRowModel) IsIP() bool { return r.Task == nil && r.IPTask != nil }

// ID is the task's id.
func (r TaskRowModel) ID() int64 {
	if r.Task != nil {
		return r.Task.ID
	}
	if r.IPTask != nil {
		return r.IPTask.ID
	}
	return 0
}

// Running reports whether the task may still change: its row then polls.
func (r TaskRowModel) Running() bool {
	if r.Task != nil {
		return !r.Task.Status.Finished()
	}
	return r.IPTask != nil && !r.IPTask.Status.Finished()
}

// Failed reports whether the task ended without doing its work.
func (r TaskRowModel) Failed() bool {
	if r.Task != nil {
		return r.Task.Status.Failed()
	}
	return r.IPTask != nil && r.IPTask.Status.Failed()
}

// Action is the task's action (IPLB) or function (IP).
func (r TaskRowModel) Action() string {
	if r.Task != nil {
		return string(r.Task.Action)
	}
	if r.IPTask != nil {
		return string(r.IPTask.Function)
	}
	return ""
}

// Status is the task's status.
func (r TaskRowModel) Status() string {
	if r.Task != nil {
		return string(r.Task.Status)
	}
	if r.IPTask != nil {
		return string(r.IPTask.Status)
	}
	return ""
}

// Created is when the task was created (IPLB) or started (IP).
func (r TaskRowModel) Created() time.Time {
	if r.Task != nil {
		return r.Task.CreationDate
	}
	if r.IPTask != nil {
		return r.IPTask.StartDate
	}
	return time.Time{}
}

// Done is when the task ended, nil while it runs.
func (r TaskRowModel) Done() *time.Time {
	if r.Task != nil {
		return r.Task.DoneDate
	}
	if r.IPTask != nil {
		return r.IPTask.DoneDate
	}
	return nil
}

// Comment is an IP task's comment ("" for IPLB tasks, which have none:
// REFERENCE §6.3).
func (r TaskRowModel) Comment() string {
	if r.IPTask != nil && r.IPTask.Comment != nil {
		return *r.IPTask.Comment
	}
	return ""
}

// Where says what the task touches: the IPLB's zones, or for an IP task
// where the IP goes ("to loadbalancer-…", "parked").
func (r TaskRowModel) Where() string {
	if r.Task != nil {
		return zonesText(r.Task.Zones)
	}
	if r.IPTask == nil || r.IPTask.Function != ovh.IPTaskMove {
		return "—"
	}
	if d := r.IPTask.Destination; d != nil {
		if d.ServiceName == nil || *d.ServiceName == "" {
			return "parked"
		}
		return "to " + *d.ServiceName
	}
	return "—"
}

// RowPath is the row's fragment, which a running row polls.
func (r TaskRowModel) RowPath() string {
	if r.IsIP() {
		return IPTaskRowPath(r.Service, r.Block, r.IPTask.ID)
	}
	return TaskRowPath(r.Service, r.ID())
}

// DOMID is the row's element id; IPLB and IP task ids are separate
// sequences, so the kind is part of it.
func (r TaskRowModel) DOMID() string {
	if r.IsIP() {
		return "task-ip-" + strconv.FormatInt(r.ID(), 10)
	}
	return "task-lb-" + strconv.FormatInt(r.ID(), 10)
}

// TaskFilterOption is one choice of a filter select.
type TaskFilterOption struct {
	Value string
	Label string
}

// TaskActionGroups are the action filter's choices: IPLB actions and IP
// functions, in two groups.
func TaskActionGroups() (iplb, ip []TaskFilterOption) {
	for _, a := range ovh.TaskActions {
		iplb = append(iplb, TaskFilterOption{Value: string(a), Label: string(a)})
	}
	for _, f := range ovh.IPTaskFunctions {
		label := string(f)
		if f == ovh.IPTaskMove {
			label += " (move or park)"
		}
		ip = append(ip, TaskFilterOption{Value: string(f), Label: label})
	}
	return iplb, ip
}

// TaskStatusOptions are the status filter's choices: every status of
// either kind of task, those of one kind only saying so.
func TaskStatusOptions() []TaskFilterOption {
	var out []TaskFilterOption
	seen := map[string]bool{}
	add := func(s string) {
		if seen[s] {
			return
		}
		seen[s] = true
		lb := false
		for _, x := range ovh.TaskStatuses {
			lb = lb || string(x) == s
		}
		ip := false
		for _, x := range ovh.IPTaskStatuses {
			ip = ip || string(x) == s
		}
		label := s
		switch {
		case lb && !ip:
			label += " (load balancer tasks)"
		case ip && !lb:
			label += " (IP tasks)"
		}
		out = append(out, TaskFilterOption{Value: s, Label: label})
	}
	for _, s := range []string{"init", "todo", "doing", "blocked", "done", "error", "cancelled", "customerError", "ovhError"} {
		add(s)
	}
	for _, s := range ovh.TaskStatuses {
		add(string(s))
	}
	for _, s := range ovh.IPTaskStatuses {
		add(string(s))
	}
	return out
}

// tkStatusClass is the badge colour of a task status of either kind.
func tkStatusClass(r TaskRowModel) string {
	switch {
	case r.Failed():
		return "rt-badge rt-badge-error"
	case r.Running() && strings.EqualFold(r.Status(), string(ovh.TaskBlocked)):
		return "rt-badge rt-badge-warn"
	case r.Running():
		return "rt-badge rt-badge-running"
	default:
		return "rt-badge rt-badge-ok"
	}
}
