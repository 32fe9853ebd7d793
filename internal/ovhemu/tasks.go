package ovhemu

import (
	"net/url"
	"slices"
	"time"
)

// Task progress. Tasks move only when Step or Settle is called (tests), or,
// with WithAutoAdvance, with the time since their creation, checked on every
// request (demo mode). Either way a task goes todo → doing → done (or to its
// error status when FailNextTask marked it), and the side effects of a
// finished task (re-routing a moved IP, clearing refreshed counters) are
// applied exactly once, when it becomes done.

// taskStage is where a task is in its life, for both kinds of task.
type taskStage int

const (
	stageTodo taskStage = iota
	stageDoing
	stageFinished
)

// datetimeString formats a datetime as the API does, ISO 8601 with a numeric
// offset, e.g. "2017-07-11T08:07:49+02:00" (REFERENCE §0 [O]).
func datetimeString(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

func datetimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := datetimeString(*t)
	return &s
}

// ---------------------------------------------------------------------------
// IPLB tasks (ipLoadbalancing.Task.Task, REFERENCE §6.3)

// lbTask is one IPLB task.
type lbTask struct {
	id          int64
	serviceName string
	action      string // ipLoadbalancing.TaskActionEnum
	status      string // ipLoadbalancing.TaskStatusEnum
	progress    int64
	created     time.Time
	done        *time.Time
	zones       []string
	// fail and failComment come from FailNextTask. The schema has no field
	// for the comment, so it is kept for debugging only.
	fail        bool
	failComment string
	// applied holds, for a refresh, the pending counters of its zones when it
	// was created: the changes it deploys. [INF] REFERENCE §10.3: a change
	// made while the refresh runs is not part of it and stays pending.
	applied map[string]int64
}

func (t *lbTask) stage() taskStage {
	switch t.status {
	case "todo", "blocked":
		return stageTodo
	case "doing":
		return stageDoing
	}
	return stageFinished
}

func (t *lbTask) finished() bool { return t.stage() == stageFinished }

// lbTaskJSON is ipLoadbalancing.Task.Task.
type lbTaskJSON struct {
	Action       string   `json:"action"`
	CreationDate string   `json:"creationDate"`
	DoneDate     *string  `json:"doneDate"`
	ID           int64    `json:"id"`
	Progress     int64    `json:"progress"`
	Status       string   `json:"status"`
	Zones        []string `json:"zones"`
}

func (t *lbTask) toJSON() lbTaskJSON {
	return lbTaskJSON{Action: t.action, CreationDate: datetimeString(t.created), DoneDate: datetimePtr(t.done),
		ID: t.id, Progress: t.progress, Status: t.status, Zones: append([]string{}, t.zones...)}
}

// newLBTask creates a task in status todo, progress 0 (REFERENCE §10.2 [INF]).
func (w *world) newLBTask(sn, action string, zones []string) *lbTask {
	t := &lbTask{id: w.nextID(), serviceName: sn, action: action, status: "todo", created: w.now(),
		zones: slices.Clone(zones)}
	t.fail, t.failComment = w.svc.takeFailure(action)
	if action == "refreshIplb" {
		t.applied = map[string]int64{}
		for _, z := range zones {
			t.applied[z] = w.svc.pending[sn][z]
		}
	}
	w.svc.lbTasks = append(w.svc.lbTasks, t)
	return t
}

// advanceLBTask moves t on to stage to (never back) at time at. progress is
// used while doing.
func (w *world) advanceLBTask(t *lbTask, to taskStage, progress int64, at time.Time) {
	if to <= t.stage() {
		if to == stageDoing && t.stage() == stageDoing && progress > t.progress {
			t.progress = progress
		}
		return
	}
	if to == stageDoing {
		t.status, t.progress = "doing", progress
		return
	}
	done := at
	t.done = &done
	if t.fail {
		// REFERENCE §10.3 [INF]: "error" is the terminal failure status; the
		// task keeps the progress it had, and nothing is applied.
		t.status = "error"
		return
	}
	t.status, t.progress = "done", 100
	if t.action == "refreshIplb" {
		counts := w.svc.pending[t.serviceName]
		for z, n := range t.applied {
			counts[z] = max(counts[z]-n, 0)
		}
	}
}

// GET /ipLoadbalancing/{serviceName}/task with the schema's filters
// (REFERENCE §6.1).
func (e *Emulator) listLBTasks(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	action, status := q.Get("action"), q.Get("status")
	if action != "" && !slices.Contains(lbTaskActionEnum, action) {
		return nil, badRequest("Invalid value for action: %q is not a valid ipLoadbalancing.TaskActionEnum", action) // REFERENCE §6.1 [INF]: wording
	}
	if status != "" && !slices.Contains(lbTaskStatusEnum, status) {
		return nil, badRequest("Invalid value for status: %q is not a valid ipLoadbalancing.TaskStatusEnum", status) // REFERENCE §6.1 [INF]: wording
	}
	var bounds [4]*time.Time
	for i, name := range []string{"creationDate.from", "creationDate.to", "doneDate.from", "doneDate.to"} {
		if bounds[i], err = queryDatetime(q, name); err != nil {
			return nil, err
		}
	}
	out := []int64{}
	for _, t := range e.world.svc.lbTasks {
		if t.serviceName != lb.serviceName || (action != "" && t.action != action) || (status != "" && t.status != status) {
			continue
		}
		if !inRange(&t.created, bounds[0], bounds[1]) {
			continue
		}
		if (bounds[2] != nil || bounds[3] != nil) && !inRange(t.done, bounds[2], bounds[3]) {
			continue
		}
		out = append(out, t.id)
	}
	return out, nil
}

// inRange reports whether t is within [from, to]; a nil t is never in range.
func inRange(t, from, to *time.Time) bool {
	if t == nil {
		return from == nil && to == nil
	}
	return (from == nil || !t.Before(*from)) && (to == nil || !t.After(*to))
}

// queryDatetime reads an optional datetime query parameter (RFC 3339, or a
// bare date; REFERENCE §6.1 [INF]).
func queryDatetime(q url.Values, name string) (*time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return &t, nil
		}
	}
	return nil, badRequest("Invalid value for %s: %q is not a datetime", name, v) // REFERENCE §6.1 [INF]: wording
}

func (e *Emulator) getLBTask(c *call) (any, error) {
	lb, err := e.lbFor(c)
	if err != nil {
		return nil, err
	}
	id, err := pathInt64(c, "id")
	if err != nil {
		return nil, err
	}
	for _, t := range e.world.svc.lbTasks {
		if t.id == id && t.serviceName == lb.serviceName {
			return t.toJSON(), nil
		}
	}
	return nil, notFound("The requested object (id = %d) does not exist", id) // REFERENCE §3.1, §13 [INF]: wording
}

// lbTaskActionEnum and lbTaskStatusEnum are the schema's enums, to validate
// filters.
var (
	lbTaskActionEnum = []string{"deleteIplb", "deployIplb", "install", "installIplb", "installZone",
		"orderFreeCertificate", "orderPaidCertificate", "orderSsl", "refreshIplb", "releaseIplb", "releaseIplbZone",
		"reopenIplb", "suspendIplb", "suspendZone", "switchToIplbNextGenerationApi", "vrackAttach", "vrackDetach"}
	lbTaskStatusEnum = []string{"blocked", "cancelled", "doing", "done", "error", "todo"}
	ipTaskFuncEnum   = []string{"arinBlockReassign", "changeRipeOrg", "checkAndReleaseIp", "genericMoveFloatingIp",
		"supernetByoipFailoverPartitioning"}
	ipTaskStatusEnum = []string{"cancelled", "customerError", "doing", "done", "init", "ovhError", "todo"}
)

// ---------------------------------------------------------------------------
// IP tasks (ip.IpTask, REFERENCE §5.4)

// ipMoveFunction is the function of move and park tasks. REFERENCE §5.4 [INF]: a park is a
// move to nowhere: ip.TaskFunctionEnum has no other candidate.
const ipMoveFunction = "genericMoveFloatingIp"

// ipTask is one IP task: a move (to != "") or a park (to == "").
type ipTask struct {
	id          int64
	block       string
	function    string // ip.TaskFunctionEnum
	status      string // ip.TaskStatusEnum
	start       time.Time
	lastUpdate  *time.Time
	done        *time.Time
	comment     *string
	to          string // destination service; "" = park
	fail        bool   // FailNextTask: end in ovhError with failComment
	failComment string
}

func (t *ipTask) stage() taskStage {
	switch t.status {
	case "init", "todo":
		return stageTodo
	case "doing":
		return stageDoing
	}
	return stageFinished
}

func (t *ipTask) finished() bool { return t.stage() == stageFinished }

// ipTaskJSON is ip.IpTask.
type ipTaskJSON struct {
	Comment     *string       `json:"comment"`
	Destination *routedToJSON `json:"destination"`
	DoneDate    *string       `json:"doneDate"`
	Function    string        `json:"function"`
	LastUpdate  *string       `json:"lastUpdate"`
	StartDate   string        `json:"startDate"`
	Status      string        `json:"status"`
	TaskID      int64         `json:"taskId"`
}

func (t *ipTask) toJSON() ipTaskJSON {
	return ipTaskJSON{
		Comment: t.comment,
		// REFERENCE §5.4 [INF]: a park's destination is {serviceName: null}, as a parked
		// IP's routedTo is.
		Destination: routedTo(t.to),
		DoneDate:    datetimePtr(t.done),
		Function:    t.function,
		LastUpdate:  datetimePtr(t.lastUpdate),
		StartDate:   datetimeString(t.start),
		Status:      t.status,
		TaskID:      t.id,
	}
}

// newIPTask creates a move of ip to the service to ("" = park), status todo.
func (w *world) newIPTask(ip *ipEntry, to string) *ipTask {
	now := w.now()
	t := &ipTask{id: w.nextID(), block: ip.block.String(), function: ipMoveFunction, status: "todo",
		start: now, lastUpdate: &now, to: to}
	t.fail, t.failComment = w.svc.takeFailure(ipMoveFunction)
	w.svc.ipTasks = append(w.svc.ipTasks, t)
	return t
}

// advanceIPTask moves t on to stage to (never back) at time at, applying the
// move when it becomes done.
func (w *world) advanceIPTask(t *ipTask, to taskStage, at time.Time) {
	if to <= t.stage() {
		return
	}
	stamp := at
	t.lastUpdate = &stamp
	if to == stageDoing {
		t.status = "doing"
		return
	}
	t.done = &stamp
	if t.fail {
		// The IP stays where it was (REFERENCE §5.4: ovhError is a failure).
		t.status = "ovhError"
		comment := t.failComment
		t.comment = &comment
		return
	}
	t.status = "done"
	if ip := w.svc.ips[t.block]; ip != nil {
		w.routeIP(ip, t.to)
	}
}

// routeIP re-routes ip to the service to ("" = parked), with the side effects
// on the IPLBs it leaves and joins: a failover IP that leaves an IPLB is
// removed from its frontends' dedicatedIpfo (config's unpinIP, REFERENCE
// §7.1 [INF]), and both IPLBs get a pending change in every zone (REFERENCE
// §10.3 [INF]; the FAQ asks for a refresh after moving an IP onto an IPLB,
// §10.2 [D]).
func (w *world) routeIP(ip *ipEntry, to string) {
	from := ip.routedTo
	ip.routedTo = to
	block := ip.block.String()
	if _, ok := w.svc.lbs[from]; ok && from != "" {
		w.unpinIP(from, block)
		if w.svc.unpinSpy != nil {
			w.svc.unpinSpy(from, block)
		}
		w.bumpPending(from, "all")
	}
	if _, ok := w.svc.lbs[to]; ok && to != "" {
		w.bumpPending(to, "all")
	}
}

func (e *Emulator) listIPTasks(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	fn, status := c.query("function"), c.query("status")
	if fn != "" && !slices.Contains(ipTaskFuncEnum, fn) {
		return nil, badRequest("Invalid value for function: %q is not a valid ip.TaskFunctionEnum", fn) // REFERENCE §5.1 [INF]: wording
	}
	if status != "" && !slices.Contains(ipTaskStatusEnum, status) {
		return nil, badRequest("Invalid value for status: %q is not a valid ip.TaskStatusEnum", status) // REFERENCE §5.1 [INF]: wording
	}
	out := []int64{}
	for _, t := range e.world.svc.ipTasks {
		if t.block == ip.block.String() && (fn == "" || t.function == fn) && (status == "" || t.status == status) {
			out = append(out, t.id)
		}
	}
	return out, nil
}

func (e *Emulator) getIPTask(c *call) (any, error) {
	ip, err := e.ipFor(c)
	if err != nil {
		return nil, err
	}
	id, err := pathInt64(c, "taskId")
	if err != nil {
		return nil, err
	}
	for _, t := range e.world.svc.ipTasks {
		if t.id == id && t.block == ip.block.String() {
			return t.toJSON(), nil
		}
	}
	return nil, notFound("The requested object (taskId = %d) does not exist", id) // REFERENCE §3.1, §13 [INF]: wording
}

// ---------------------------------------------------------------------------
// Progress

// takeFailure pops the next FailNextTask comment queued for action.
func (s *serviceState) takeFailure(action string) (bool, string) {
	q := s.failNext[action]
	if len(q) == 0 {
		return false, ""
	}
	s.failNext[action] = q[1:]
	return true, q[0]
}

// stepTasks moves every unfinished task one stage on, in creation order, and
// reports whether any task is still unfinished afterwards.
func (w *world) stepTasks() bool {
	now := w.now()
	for _, t := range slices.Clone(w.svc.lbTasks) {
		if !t.finished() {
			// REFERENCE §10.3 [INF]: progress 0 → 50 → 100.
			w.advanceLBTask(t, t.stage()+1, 50, now)
		}
	}
	for _, t := range slices.Clone(w.svc.ipTasks) {
		if !t.finished() {
			w.advanceIPTask(t, t.stage()+1, now)
		}
	}
	return w.unfinishedTasks()
}

func (w *world) unfinishedTasks() bool {
	for _, t := range w.svc.lbTasks {
		if !t.finished() {
			return true
		}
	}
	for _, t := range w.svc.ipTasks {
		if !t.finished() {
			return true
		}
	}
	return false
}

// Step moves every unfinished task one state on: todo → doing (progress 50
// for IPLB tasks) → done (progress 100, doneDate set), or to the error
// status FailNextTask asked for. Tests use it instead of waiting.
func (e *Emulator) Step() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.world.stepTasks()
}

// Settle steps until no task is unfinished.
func (e *Emulator) Settle() {
	e.mu.Lock()
	defer e.mu.Unlock()
	// Every step moves each task on, so two steps finish any task; the bound
	// only guards against a future bug turning this into a hang.
	for i := 0; i < 10 && e.world.stepTasks(); i++ {
	}
}

// FailNextTask makes the next task created with this action/function
// ("refreshIplb", "genericMoveFloatingIp") end in its error status ("error"
// for IPLB, "ovhError" for IP) with comment, when it would have become done.
// The failed task has no side effect. Calls queue up: n calls fail the next
// n tasks of that action.
func (e *Emulator) FailNextTask(action, comment string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.world.svc.failNext[action] = append(e.world.svc.failNext[action], comment)
}

// advanceTasks moves tasks on with time in auto mode. Called under e.mu on
// every request, before the handler. A task's stage follows the time since
// its creation: todo for the first quarter of its duration, then doing, then
// done once the whole duration (cfg.moveTime for IP moves and parks,
// cfg.taskTime for IPLB tasks) has passed; with a duration of 0 a task is
// done at the first request after the one that created it.
func (e *Emulator) advanceTasks() {
	if !e.cfg.auto {
		return
	}
	w := &e.world
	now := w.now()
	for _, t := range slices.Clone(w.svc.lbTasks) {
		if t.finished() {
			continue
		}
		stage, progress := autoStage(now.Sub(t.created), e.cfg.taskTime)
		w.advanceLBTask(t, stage, progress, t.created.Add(e.cfg.taskTime))
	}
	for _, t := range slices.Clone(w.svc.ipTasks) {
		if t.finished() {
			continue
		}
		stage, _ := autoStage(now.Sub(t.start), e.cfg.moveTime)
		at := now
		if stage == stageFinished {
			at = t.start.Add(e.cfg.moveTime)
		}
		w.advanceIPTask(t, stage, at)
	}
}

// autoStage is the stage and progress (percent) of a task of duration d
// that started elapsed ago.
func autoStage(elapsed, d time.Duration) (taskStage, int64) {
	switch {
	case elapsed >= d:
		return stageFinished, 100
	case elapsed < d/4:
		return stageTodo, 0
	}
	return stageDoing, min(max(int64(elapsed*100/d), 1), 99)
}
