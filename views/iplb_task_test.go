package views

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// tkRender renders rows inside a table (a <tr> alone would be dropped by
// the HTML parser).
func tkRender(t *testing.T, r TaskRowModel) *goquery.Selection {
	t.Helper()
	doc, _ := render(t, context.Background(), TasksTable([]TaskRowModel{r}))
	return doc.Find(testID("task-row"))
}

func TestTaskRowPolling(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	done := now.Add(-time.Minute)
	lb := "loadbalancer-t"
	tests := []struct {
		name    string
		row     TaskRowModel
		polls   string // the hx-get, "" when the row must not poll
		status  string
		where   string
		comment string
	}{
		{"running refresh", TaskRowModel{Service: lb, Now: now, Task: &ovh.Task{ID: 7, Action: ovh.TaskRefresh, Status: ovh.TaskDoing, Progress: 40, CreationDate: now, Zones: []string{"gra", "rbx"}}},
			TaskRowPath(lb, 7), "doing", "gra, rbx", ""},
		{"blocked refresh still polls", TaskRowModel{Service: lb, Now: now, Task: &ovh.Task{ID: 8, Action: ovh.TaskRefresh, Status: ovh.TaskBlocked, CreationDate: now}},
			TaskRowPath(lb, 8), "blocked", "—", ""},
		{"done refresh", TaskRowModel{Service: lb, Now: now, Task: &ovh.Task{ID: 9, Action: ovh.TaskRefresh, Status: ovh.TaskDone, Progress: 100, CreationDate: now, DoneDate: &done, Zones: []string{"gra"}}},
			"", "done", "gra", ""},
		{"running move", TaskRowModel{Service: lb, Now: now, Block: "203.0.113.13/32", IPTask: &ovh.IPTask{ID: 7, Function: ovh.IPTaskMove, Status: ovh.IPTaskTodo, StartDate: now,
			Destination: &ovh.RoutedTo{ServiceName: &lb}}},
			IPTaskRowPath(lb, "203.0.113.13/32", 7), "todo", "to " + lb, ""},
		{"failed park", TaskRowModel{Service: lb, Now: now, Block: "203.0.113.11/32", IPTask: &ovh.IPTask{ID: 3, Function: ovh.IPTaskMove, Status: ovh.IPTaskOVHError, StartDate: now, DoneDate: &done,
			Destination: &ovh.RoutedTo{}, Comment: new("Routing change failed")}},
			"", "ovhError", "parked", "Routing change failed"},
	}
	for _, tt := range tests {
		row := tkRender(t, tt.row)
		if row.Length() != 1 {
			t.Fatalf("%s: %d rows", tt.name, row.Length())
		}
		hxGet, polls := row.Attr("hx-get")
		if tt.polls == "" {
			for _, a := range []string{"hx-get", "hx-trigger", "hx-swap"} {
				if _, ok := row.Attr(a); ok {
					t.Errorf("%s: a finished row has %s", tt.name, a)
				}
			}
		} else if !polls || hxGet != tt.polls || row.AttrOr("hx-trigger", "") != "every 2s" || row.AttrOr("hx-swap", "") != "outerHTML" {
			t.Errorf("%s: hx-get %q, trigger %q, swap %q; want %q every 2s outerHTML", tt.name, hxGet,
				row.AttrOr("hx-trigger", ""), row.AttrOr("hx-swap", ""), tt.polls)
		}
		if got := row.AttrOr("data-running", ""); got != map[bool]string{true: "true", false: "false"}[tt.polls != ""] {
			t.Errorf("%s: data-running = %q", tt.name, got)
		}
		if got := rtTxt(row.Find(testID("task-status"))); got != tt.status {
			t.Errorf("%s: status %q, want %q", tt.name, got, tt.status)
		}
		if got := rtTxt(row.Find(testID("task-where"))); got != tt.where {
			t.Errorf("%s: where %q, want %q", tt.name, got, tt.where)
		}
		if got := rtTxt(row.Find(testID("task-comment"))); tt.comment != "" && got != tt.comment {
			t.Errorf("%s: comment %q, want %q", tt.name, got, tt.comment)
		}
		if id := row.AttrOr("id", ""); id == "" || !strings.HasPrefix(id, "task-") {
			t.Errorf("%s: row id %q", tt.name, id)
		}
	}
	// An IPLB task and an IP task with the same id get different element
	// ids (separate sequences).
	a := TaskRowModel{Task: &ovh.Task{ID: 7}}
	b := TaskRowModel{IPTask: &ovh.IPTask{ID: 7}, Block: "x"}
	if a.DOMID() == b.DOMID() {
		t.Errorf("same DOM id %q for an IPLB and an IP task", a.DOMID())
	}
	// A running refresh shows its progress.
	row := tkRender(t, tests[0].row)
	if row.Find("progress").AttrOr("value", "") != "40" || rtTxt(row.Find(testID("task-percent"))) != "40%" {
		t.Error("no progress for a running refresh")
	}
}

func TestTasksPage(t *testing.T) {
	t.Parallel()
	lb := "loadbalancer-t"
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	entries := []ovh.TaskEntry{
		{Task: &ovh.Task{ID: 9, Action: ovh.TaskRefresh, Status: ovh.TaskTodo, CreationDate: now}},
		{IPTask: &ovh.IPTask{ID: 4, Function: ovh.IPTaskMove, Status: ovh.IPTaskDone, StartDate: now.Add(-time.Hour)}, Block: "203.0.113.10/32"},
	}
	m := TasksModel{Service: lb, Action: "refreshIplb", Status: "todo", Rows: NewTaskRows(lb, entries, now), Limit: 50}
	doc, _ := render(t, context.Background(), TasksPage(m))

	form := doc.Find(testID("tasks-filter"))
	if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != TasksPath(lb) {
		t.Errorf("filter form: method %q, action %q; want a GET to the page", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	if v := form.Find(`select[name="action"] option[selected]`).AttrOr("value", ""); v != "refreshIplb" {
		t.Errorf("selected action = %q", v)
	}
	if v := form.Find(`select[name="status"] option[selected]`).AttrOr("value", ""); v != "todo" {
		t.Errorf("selected status = %q", v)
	}
	var groups []string
	form.Find(`select[name="action"] optgroup`).Each(func(_ int, s *goquery.Selection) { groups = append(groups, s.AttrOr("label", "")) })
	if want := []string{"Load balancer tasks", "Failover IP tasks"}; !slices.Equal(groups, want) {
		t.Errorf("action groups = %v", groups)
	}
	if form.Find(`select[name="action"] option[value="genericMoveFloatingIp"]`).Length() != 1 ||
		form.Find(`select[name="status"] option[value="ovhError"]`).Length() != 1 ||
		form.Find(`select[name="status"] option[value="blocked"]`).Length() != 1 {
		t.Error("the filters lack values of one kind of task")
	}
	if doc.Find(testID("filter-clear")).AttrOr("href", "") != TasksPath(lb) {
		t.Error("no way to clear the filter")
	}
	var kinds []string
	doc.Find(testID("task-row")).Each(func(_ int, s *goquery.Selection) { kinds = append(kinds, s.AttrOr("data-kind", "")) })
	if want := []string{"iplb", "ip"}; !slices.Equal(kinds, want) {
		t.Errorf("rows = %v, want %v (in the given order, newest first)", kinds, want)
	}

	for _, tt := range []struct {
		name    string
		m       TasksModel
		empty   string
		clearOK bool
	}{
		{"nothing yet", TasksModel{Service: lb}, "No task yet.", false},
		{"nothing matches", TasksModel{Service: lb, Status: "blocked"}, "No task matches this filter.", true},
	} {
		doc, _ := render(t, context.Background(), TasksPage(tt.m))
		empty := doc.Find(testID("tasks-empty"))
		if !strings.Contains(rtTxt(empty), tt.empty) {
			t.Errorf("%s: empty state %q", tt.name, rtTxt(empty))
		}
		if got := empty.Find(testID("tasks-empty-clear")).Length() == 1; got != tt.clearOK {
			t.Errorf("%s: clear link %v", tt.name, got)
		}
		if doc.Find(testID("tasks-table")).Length() != 0 {
			t.Errorf("%s: a table with no rows", tt.name)
		}
	}
	if got := TasksFilterPath(lb, "refreshIplb", ""); got != TasksPath(lb)+"?action=refreshIplb" {
		t.Errorf("TasksFilterPath = %q", got)
	}
}
