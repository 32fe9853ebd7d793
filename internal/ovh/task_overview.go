package ovh

import (
	"cmp"
	"context"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// This file holds the task list of an IPLB page: the IPLB's own tasks
// (REFERENCE §6.3) and the tasks of its failover IPs (§5.4), which have
// their own action and status enums, merged newest first.

// TaskActions are every IPLB task action (ipLoadbalancing.TaskActionEnum),
// in the schema's order.
var TaskActions = []TaskAction{
	TaskDeleteIPLB, TaskDeployIPLB, TaskInstall, TaskInstallIPLB, TaskInstallZone,
	TaskOrderFreeCertificate, TaskOrderPaidCertificate, TaskOrderSSL, TaskRefresh,
	TaskReleaseIPLB, TaskReleaseIPLBZone, TaskReopenIPLB, TaskSuspendIPLB, TaskSuspendZone,
	TaskSwitchToIPLBNextGenerationAPI, TaskVRackAttach, TaskVRackDetach,
}

// TaskStatuses are every IPLB task status (ipLoadbalancing.TaskStatusEnum).
var TaskStatuses = []TaskStatus{TaskTodo, TaskDoing, TaskBlocked, TaskDone, TaskError, TaskCancelled}

// IPTaskFunctions are every IP task function (ip.TaskFunctionEnum).
var IPTaskFunctions = []IPTaskFunction{
	IPTaskArinBlockReassign, IPTaskChangeRipeOrg, IPTaskCheckAndReleaseIP,
	IPTaskMove, IPTaskSupernetBYOIPFailoverPartitioning,
}

// IPTaskStatuses are every IP task status (ip.TaskStatusEnum).
var IPTaskStatuses = []IPTaskStatus{
	IPTaskInit, IPTaskTodo, IPTaskDoing, IPTaskDone, IPTaskCancelled, IPTaskCustomerError, IPTaskOVHError,
}

// DefaultTaskLimit is how many of the newest tasks TaskOverview keeps per
// source (the IPLB, each failover IP) when the filter sets no limit.
const DefaultTaskLimit = 50

// TaskListFilter selects the tasks of TaskOverview. Action and Status take
// either enum (IPLB or IP): a value only one kind of task can have leaves
// the other kind out; "" means any.
type TaskListFilter struct {
	Action string // a TaskAction or an IPTaskFunction
	Status string // a TaskStatus or an IPTaskStatus
	// Limit is how many of the newest tasks are kept per source; 0 means
	// DefaultTaskLimit.
	Limit int
}

// KnownTaskAction reports whether s is an IPLB task action or an IP task
// function.
func KnownTaskAction(s string) bool {
	return slices.Contains(TaskActions, TaskAction(s)) || slices.Contains(IPTaskFunctions, IPTaskFunction(s))
}

// KnownTaskStatus reports whether s is an IPLB or an IP task status.
func KnownTaskStatus(s string) bool {
	return slices.Contains(TaskStatuses, TaskStatus(s)) || slices.Contains(IPTaskStatuses, IPTaskStatus(s))
}

// wantsIPLB reports whether IPLB tasks can match f.
func (f TaskListFilter) wantsIPLB() bool {
	return (f.Action == "" || slices.Contains(TaskActions, TaskAction(f.Action))) &&
		(f.Status == "" || slices.Contains(TaskStatuses, TaskStatus(f.Status)))
}

// wantsIP reports whether IP tasks can match f.
func (f TaskListFilter) wantsIP() bool {
	return (f.Action == "" || slices.Contains(IPTaskFunctions, IPTaskFunction(f.Action))) &&
		(f.Status == "" || slices.Contains(IPTaskStatuses, IPTaskStatus(f.Status)))
}

func (f TaskListFilter) matchesIP(t IPTask) bool {
	return (f.Action == "" || string(t.Function) == f.Action) && (f.Status == "" || string(t.Status) == f.Status)
}

func (f TaskListFilter) limit() int {
	if f.Limit > 0 {
		return f.Limit
	}
	return DefaultTaskLimit
}

// TaskEntry is one task of TaskOverview: an IPLB task (Task set) or a task
// of a failover IP (IPTask and Block set).
type TaskEntry struct {
	Task   *Task
	IPTask *IPTask
	Block  string // the IP block of IPTask
}

// Date is when the task was created (IPLB) or started (IP).
func (e TaskEntry) Date() time.Time {
	if e.Task != nil {
		return e.Task.CreationDate
	}
	if e.IPTask != nil {
		return e.IPTask.StartDate
	}
	return time.Time{}
}

// ID is the task's id (IPLB and IP task ids are separate sequences).
func (e TaskEntry) ID() int64 {
	if e.Task != nil {
		return e.Task.ID
	}
	if e.IPTask != nil {
		return e.IPTask.ID
	}
	return 0
}

// Finished reports whether the task will not change state again.
func (e TaskEntry) Finished() bool {
	if e.Task != nil {
		return e.Task.Status.Finished()
	}
	return e.IPTask == nil || e.IPTask.Status.Finished()
}

// TaskOverview is the tasks of an IPLB and of its failover IPs.
type TaskOverview struct {
	// Entries are the tasks, newest first.
	Entries []TaskEntry
	// Blocks are the failover IPs whose tasks were looked at: the IPs
	// routed to the IPLB, then those being moved to it.
	Blocks []string
	// Truncated is true when a source had more matching tasks than the
	// limit: only its newest ones are in Entries.
	Truncated bool
}

// newestIDs keeps the limit highest ids, highest first. The API lists ids
// in no documented order; [INF] ids grow over time (as LatestIPTask
// assumes), so the highest are the newest.
func newestIDs(ids []int64, limit int) ([]int64, bool) {
	ids = slices.Clone(ids)
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	if len(ids) > limit {
		return ids[:limit], true
	}
	return ids, false
}

// TaskOverview returns the tasks of the IPLB sn and of its failover IPs
// that match f, newest first, at most f's limit per source. Its failover
// IPs are those routed to it (every task of theirs) and the account's
// failover IPs being moved to it (their running move). It runs,
// concurrently, the IPLB's task ids then tasks, and the IPLB's failover
// list with the account's failover blocks, then each block's task ids then
// tasks (at most maxParallel blocks at a time): about three sequential
// round trips whatever the number of tasks or IPs.
func (c *Client) TaskOverview(ctx context.Context, sn string, f TaskListFilter) (TaskOverview, error) {
	var out TaskOverview
	var lbTasks []Task
	var ipEntries []TaskEntry
	var lbTruncated, ipTruncated bool
	g, gctx := errgroup.WithContext(ctx)
	if f.wantsIPLB() {
		g.Go(func() error {
			ids, err := c.TaskIDs(gctx, sn, TaskFilter{Action: TaskAction(f.Action), Status: TaskStatus(f.Status)})
			if err != nil {
				return err
			}
			ids, lbTruncated = newestIDs(ids, f.limit())
			lbTasks, err = getAll[Task](gctx, c, "ovh.Tasks", pathf("ipLoadbalancing", sn, "task"), ids)
			return err
		})
	}
	if f.wantsIP() {
		g.Go(func() (err error) {
			out.Blocks, ipEntries, ipTruncated, err = c.failoverTasks(gctx, sn, f)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return TaskOverview{}, preferCallerErr(ctx, err)
	}
	for i := range lbTasks {
		out.Entries = append(out.Entries, TaskEntry{Task: &lbTasks[i]})
	}
	out.Entries = append(out.Entries, ipEntries...)
	slices.SortStableFunc(out.Entries, func(a, b TaskEntry) int {
		return cmp.Or(b.Date().Compare(a.Date()), cmp.Compare(b.ID(), a.ID()))
	})
	out.Truncated = lbTruncated || ipTruncated
	return out, nil
}

// failoverTasks returns the tasks matching f of the IPs routed to sn, and
// the running moves to sn of the account's other failover IPs.
func (c *Client) failoverTasks(ctx context.Context, sn string, f TaskListFilter) (blocks []string, entries []TaskEntry, truncated bool, err error) {
	var account []string
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { blocks, err = c.Failover(gctx, sn); return })
	g.Go(func() (err error) { account, err = c.IPBlocks(gctx, IPFilter{Type: IPTypeFailover}); return })
	if err := g.Wait(); err != nil {
		return nil, nil, false, err
	}
	var others []string
	for _, b := range account {
		if !slices.ContainsFunc(blocks, func(x string) bool { return sameIPBlock(x, b) }) {
			others = append(others, b)
		}
	}

	per := make([][]IPTask, len(blocks))
	cut := make([]bool, len(blocks))
	var running map[string]*IPTask
	g, gctx = errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		running, err = c.runningIPTasks(gctx, others)
		return err
	})
	sem := make(chan struct{}, maxParallel)
	for i, b := range blocks {
		g.Go(func() error {
			select {
			case sem <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			defer func() { <-sem }()
			ids, err := c.IPTaskIDs(gctx, b, IPTaskFilter{Function: IPTaskFunction(f.Action), Status: IPTaskStatus(f.Status)})
			if KindOf(err) == KindNotFound {
				return nil // moved away since the listing
			}
			if err != nil {
				return err
			}
			ids, cut[i] = newestIDs(ids, f.limit())
			per[i], err = getAll[IPTask](gctx, c, "ovh.IPTasks", pathf("ip", b, "task"), ids)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, false, err
	}
	for i, b := range blocks {
		truncated = truncated || cut[i]
		for j := range per[i] {
			entries = append(entries, TaskEntry{IPTask: &per[i][j], Block: b})
		}
	}
	for _, b := range others {
		t := running[b]
		if t == nil || t.Destination == nil || t.Destination.ServiceName == nil || *t.Destination.ServiceName != sn || !f.matchesIP(*t) {
			continue
		}
		blocks = append(blocks, b)
		entries = append(entries, TaskEntry{IPTask: t, Block: b})
	}
	return blocks, entries, truncated, nil
}
