package ovh

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestTaskStatus(t *testing.T) {
	t.Parallel()
	finished := map[TaskStatus]bool{TaskTodo: false, TaskDoing: false, TaskBlocked: false, TaskDone: true, TaskError: true, TaskCancelled: true}
	for s, want := range finished {
		if s.Finished() != want {
			t.Errorf("%s.Finished() = %v", s, !want)
		}
		if s.Failed() != (want && s != TaskDone) {
			t.Errorf("%s.Failed() = %v", s, s.Failed())
		}
	}
	ipFinished := map[IPTaskStatus]bool{IPTaskInit: false, IPTaskTodo: false, IPTaskDoing: false, IPTaskDone: true,
		IPTaskCancelled: true, IPTaskCustomerError: true, IPTaskOVHError: true}
	for s, want := range ipFinished {
		if s.Finished() != want {
			t.Errorf("%s.Finished() = %v", s, !want)
		}
		if s.Failed() != (want && s != IPTaskDone) {
			t.Errorf("%s.Failed() = %v", s, s.Failed())
		}
	}
}

// sequence returns a get func that answers the statuses in order, then the
// last one forever, and counts its calls.
func sequence(statuses ...TaskStatus) (func(context.Context) (Task, error), *int) {
	n := 0
	return func(context.Context) (Task, error) {
		s := statuses[min(n, len(statuses)-1)]
		n++
		return Task{ID: 42, Action: TaskRefresh, Status: s}, nil
	}, &n
}

func TestWaitTask(t *testing.T) {
	t.Parallel()
	t.Run("done", func(t *testing.T) {
		t.Parallel()
		get, n := sequence(TaskTodo, TaskDoing, TaskBlocked, TaskDoing, TaskDone)
		task, err := WaitTask(testCtx(t), 0, get)
		if err != nil || task.Status != TaskDone || *n != 5 {
			t.Errorf("WaitTask = %+v, %v after %d polls", task, err, *n)
		}
	})
	for _, end := range []TaskStatus{TaskError, TaskCancelled} {
		t.Run(string(end), func(t *testing.T) {
			t.Parallel()
			get, _ := sequence(TaskTodo, end)
			task, err := WaitTask(testCtx(t), 0, get)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindOther || !errors.Is(err, ErrTaskFailed) {
				t.Fatalf("err = %v, want *Error wrapping ErrTaskFailed", err)
			}
			if task.Status != end || e.Message != "Task 42 (refreshIplb) ended with status "+string(end)+"." {
				t.Errorf("task %+v, message %q", task, e.Message)
			}
		})
	}
	t.Run("get fails", func(t *testing.T) {
		t.Parallel()
		boom := &Error{Kind: KindNotFound}
		_, err := WaitTask(testCtx(t), 0, func(context.Context) (Task, error) { return Task{}, boom })
		if !errors.Is(err, boom) || KindOf(err) != KindNotFound {
			t.Errorf("err = %v, want get's error as is", err)
		}
	})
	t.Run("cancelled while polling without pause", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(testCtx(t))
		n := 0
		task, err := WaitTask(ctx, 0, func(context.Context) (Task, error) {
			n++
			if n == 3 {
				cancel()
			}
			return Task{ID: 1, Status: TaskDoing}, nil
		})
		if !errors.Is(err, context.Canceled) || n != 3 || task.ID != 1 {
			t.Errorf("WaitTask = %+v, %v after %d polls", task, err, n)
		}
	})
	t.Run("cancelled while waiting the interval", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(testCtx(t))
		start := time.Now()
		_, err := WaitTask(ctx, time.Hour, func(context.Context) (Task, error) {
			cancel() // the wait that follows must end at once
			return Task{Status: TaskTodo}, nil
		})
		if !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
			t.Errorf("err = %v after %v", err, time.Since(start))
		}
	})
}

func TestWaitIPTask(t *testing.T) {
	t.Parallel()
	comment := "The IP is already being moved"
	tests := []struct {
		end         IPTaskStatus
		comment     *string
		wantErr     bool
		wantMessage string
	}{
		{end: IPTaskDone},
		{end: IPTaskCustomerError, comment: &comment, wantErr: true, wantMessage: comment},
		{end: IPTaskOVHError, comment: &comment, wantErr: true, wantMessage: comment},
		{end: IPTaskCancelled, wantErr: true, wantMessage: "Task 9 (genericMoveFloatingIp) ended with status cancelled."},
	}
	for _, tt := range tests {
		t.Run(string(tt.end), func(t *testing.T) {
			t.Parallel()
			seq := []IPTaskStatus{IPTaskInit, IPTaskTodo, IPTaskDoing, tt.end}
			n := 0
			task, err := WaitIPTask(testCtx(t), 0, func(context.Context) (IPTask, error) {
				tk := IPTask{ID: 9, Function: IPTaskMove, Status: seq[min(n, len(seq)-1)]}
				if tk.Status == tt.end {
					tk.Comment = tt.comment
				}
				n++
				return tk, nil
			})
			if task.Status != tt.end || n != len(seq) {
				t.Errorf("last task %+v after %d polls", task, n)
			}
			if !tt.wantErr {
				if err != nil {
					t.Errorf("err = %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrTaskFailed) || e.Kind != KindOther || e.Message != tt.wantMessage {
				t.Errorf("err = %#v, want message %q", err, tt.wantMessage)
			}
		})
	}
}
