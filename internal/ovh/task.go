package ovh

import (
	"context"
	"fmt"
	"time"
)

// TaskStatus is the status of an IPLB task (ipLoadbalancing.TaskStatusEnum,
// REFERENCE §6.3). IP tasks have their own enum, IPTaskStatus.
type TaskStatus string

// IPLB task statuses.
const (
	TaskTodo      TaskStatus = "todo"
	TaskDoing     TaskStatus = "doing"
	TaskBlocked   TaskStatus = "blocked"
	TaskDone      TaskStatus = "done"
	TaskError     TaskStatus = "error"
	TaskCancelled TaskStatus = "cancelled"
)

// Finished reports whether the task will not change state again.
func (s TaskStatus) Finished() bool {
	return s == TaskDone || s == TaskError || s == TaskCancelled
}

// Failed reports whether the task finished without doing its work.
func (s TaskStatus) Failed() bool { return s == TaskError || s == TaskCancelled }

// TaskAction is what an IPLB task does (ipLoadbalancing.TaskActionEnum).
type TaskAction string

// IPLB task actions. The console starts only TaskRefresh.
const (
	TaskDeleteIPLB                    TaskAction = "deleteIplb"
	TaskDeployIPLB                    TaskAction = "deployIplb"
	TaskInstall                       TaskAction = "install"
	TaskInstallIPLB                   TaskAction = "installIplb"
	TaskInstallZone                   TaskAction = "installZone"
	TaskOrderFreeCertificate          TaskAction = "orderFreeCertificate"
	TaskOrderPaidCertificate          TaskAction = "orderPaidCertificate"
	TaskOrderSSL                      TaskAction = "orderSsl"
	TaskRefresh                       TaskAction = "refreshIplb"
	TaskReleaseIPLB                   TaskAction = "releaseIplb"
	TaskReleaseIPLBZone               TaskAction = "releaseIplbZone"
	TaskReopenIPLB                    TaskAction = "reopenIplb"
	TaskSuspendIPLB                   TaskAction = "suspendIplb"
	TaskSuspendZone                   TaskAction = "suspendZone"
	TaskSwitchToIPLBNextGenerationAPI TaskAction = "switchToIplbNextGenerationApi"
	TaskVRackAttach                   TaskAction = "vrackAttach"
	TaskVRackDetach                   TaskAction = "vrackDetach"
)

// Task is an IPLB task (ipLoadbalancing.Task.Task), e.g. a refresh.
type Task struct {
	ID           int64      `json:"id"`
	Action       TaskAction `json:"action"`
	Status       TaskStatus `json:"status"`
	Progress     int64      `json:"progress"` // percentage
	CreationDate time.Time  `json:"creationDate"`
	DoneDate     *time.Time `json:"doneDate"`
	Zones        []string   `json:"zones"` // the zones the task touches
}

// IPTaskStatus is the status of an IP task (ip.TaskStatusEnum, REFERENCE
// §5.4), which differs from the IPLB one.
type IPTaskStatus string

// IP task statuses.
const (
	IPTaskInit          IPTaskStatus = "init"
	IPTaskTodo          IPTaskStatus = "todo"
	IPTaskDoing         IPTaskStatus = "doing"
	IPTaskDone          IPTaskStatus = "done"
	IPTaskCancelled     IPTaskStatus = "cancelled"
	IPTaskCustomerError IPTaskStatus = "customerError"
	IPTaskOVHError      IPTaskStatus = "ovhError"
)

// Finished reports whether the task will not change state again: done, or
// one of the failures terraform treats as final (REFERENCE §5.4 [C]).
func (s IPTaskStatus) Finished() bool { return s == IPTaskDone || s.Failed() }

// Failed reports whether the task finished without doing its work.
func (s IPTaskStatus) Failed() bool {
	return s == IPTaskCancelled || s == IPTaskCustomerError || s == IPTaskOVHError
}

// IPTaskFunction is what an IP task does (ip.TaskFunctionEnum).
type IPTaskFunction string

// IP task functions. A move is IPTaskMove.
const (
	IPTaskArinBlockReassign                 IPTaskFunction = "arinBlockReassign"
	IPTaskChangeRipeOrg                     IPTaskFunction = "changeRipeOrg"
	IPTaskCheckAndReleaseIP                 IPTaskFunction = "checkAndReleaseIp"
	IPTaskMove                              IPTaskFunction = "genericMoveFloatingIp"
	IPTaskSupernetBYOIPFailoverPartitioning IPTaskFunction = "supernetByoipFailoverPartitioning"
)

// IPTask is a task on an IP block (ip.IpTask), e.g. a move or a park.
type IPTask struct {
	ID          int64          `json:"taskId"`
	Function    IPTaskFunction `json:"function"`
	Status      IPTaskStatus   `json:"status"`
	StartDate   time.Time      `json:"startDate"`
	DoneDate    *time.Time     `json:"doneDate"`
	LastUpdate  *time.Time     `json:"lastUpdate"`
	Comment     *string        `json:"comment"`
	Destination *RoutedTo      `json:"destination"` // where a move sends the IP
}

// WaitTask polls get every interval until the IPLB task finishes or ctx
// ends, and returns the last task seen. A task that ends in error or
// cancelled comes back with an *Error of KindOther wrapping ErrTaskFailed.
// An error from get ends the wait and is returned as is; so is ctx's error.
//
// WaitTask is for code that must block (tests, RefreshIfPending, scripts);
// pages start a task and poll it. An interval of 0 polls without pause,
// which tests use with a get that advances the emulator.
func WaitTask(ctx context.Context, every time.Duration, get func(context.Context) (Task, error)) (Task, error) {
	return wait(ctx, every, get, func(t Task) (bool, error) {
		if !t.Status.Finished() {
			return false, nil
		}
		if t.Status.Failed() {
			// IPLB tasks carry no comment (REFERENCE §6.3).
			return true, &Error{Op: "ovh.WaitTask", Kind: KindOther, Err: ErrTaskFailed,
				Message: fmt.Sprintf("Task %d (%s) ended with status %s.", t.ID, t.Action, t.Status)}
		}
		return true, nil
	})
}

// WaitIPTask is WaitTask for IP tasks. A task that ends cancelled,
// customerError or ovhError comes back with an *Error of KindOther, wrapping
// ErrTaskFailed, whose Message is the task's comment.
func WaitIPTask(ctx context.Context, every time.Duration, get func(context.Context) (IPTask, error)) (IPTask, error) {
	return wait(ctx, every, get, func(t IPTask) (bool, error) {
		if !t.Status.Finished() {
			return false, nil
		}
		if t.Status.Failed() {
			msg := fmt.Sprintf("Task %d (%s) ended with status %s.", t.ID, t.Function, t.Status)
			if t.Comment != nil && *t.Comment != "" {
				msg = cleanMessage(*t.Comment)
			}
			return true, &Error{Op: "ovh.WaitIPTask", Kind: KindOther, Err: ErrTaskFailed, Message: msg}
		}
		return true, nil
	})
}

// wait is the polling loop of WaitTask and WaitIPTask.
func wait[T any](ctx context.Context, every time.Duration, get func(context.Context) (T, error), finished func(T) (bool, error)) (T, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		t, err := get(ctx)
		if err != nil {
			return t, err
		}
		if done, err := finished(t); done {
			return t, err
		}
		if every <= 0 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
			continue
		}
		if timer == nil {
			timer = time.NewTimer(every)
		} else {
			timer.Reset(every)
		}
		select {
		case <-ctx.Done():
			return t, ctx.Err()
		case <-timer.C:
		}
	}
}
