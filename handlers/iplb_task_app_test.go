package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// tkRows returns "kind:action:status" of every task row, in order.
func tkRows(doc *goquery.Document) []string {
	var out []string
	doc.Find(rtTestID("task-row")).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-kind", "")+":"+s.AttrOr("data-action", "")+":"+s.AttrOr("data-status", ""))
	})
	return out
}

// TestTasksPageApp filters DemoLB's tasks, shows a refresh just started,
// and follows a failover IP's move row live until emu.Step finishes it.
func TestTasksPageApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := rtClient(app, b)
	sn := ovhemu.DemoLB

	status, doc := b.get(t, views.TasksPath(sn))
	rtExpect(t, "tasks page", status, http.StatusOK, doc)
	want := "iplb:refreshIplb:done ip:genericMoveFloatingIp:done iplb:installIplb:done"
	if got := strings.Join(tkRows(doc), " "); got != want {
		t.Errorf("seeded tasks = %q, want %q (newest first)", got, want)
	}
	if doc.Find(`#pending-banner[data-pending="true"]`).Length() != 1 {
		t.Error("the tasks page has no banner")
	}

	// A refresh through the apply page: the tasks page filtered on it.
	status, doc = b.get(t, views.ApplyPath(sn))
	rtExpect(t, "apply page", status, http.StatusOK, doc)
	status, doc = b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "rbx"}})
	rtExpect(t, "apply", status, http.StatusSeeOther, doc)
	for _, tt := range []struct {
		action, status string
		want           string
	}{
		{"refreshIplb", "", "iplb:refreshIplb:todo iplb:refreshIplb:done"},
		{"", "todo", "iplb:refreshIplb:todo"},
		{"refreshIplb", "done", "iplb:refreshIplb:done"},
		{"genericMoveFloatingIp", "", "ip:genericMoveFloatingIp:done"},
	} {
		path := views.TasksFilterPath(sn, tt.action, tt.status)
		status, doc = b.get(t, path)
		rtExpect(t, path, status, http.StatusOK, doc)
		if got := strings.Join(tkRows(doc), " "); got != tt.want {
			t.Errorf("%s: %q, want %q", path, got, tt.want)
		}
		// The form shows the filter the address holds (back/forward).
		if v := doc.Find(`select[name="action"] option[selected]`).AttrOr("value", ""); v != tt.action {
			t.Errorf("%s: selected action %q", path, v)
		}
		if v := doc.Find(`select[name="status"] option[selected]`).AttrOr("value", ""); v != tt.status {
			t.Errorf("%s: selected status %q", path, v)
		}
	}
	status, doc = b.get(t, views.TasksFilterPath(sn, "", "blocked"))
	rtExpect(t, "no match", status, http.StatusOK, doc)
	if doc.Find(rtTestID("tasks-empty")).Length() != 1 {
		t.Error("no empty state when nothing matches")
	}
	app.emu.ResetCalls()
	status, doc = b.get(t, views.TasksFilterPath(sn, "reboot", "running"))
	if status != http.StatusBadRequest || !strings.Contains(rtText(doc.Find(rtTestID("filter-error"))), "“reboot” is not a task action") {
		t.Errorf("unknown filter: status %d, error %q", status, rtText(doc.Find(rtTestID("filter-error"))))
	}
	if n := app.emu.Calls("GET", "/ipLoadbalancing/{serviceName}/task"); n != 0 {
		t.Errorf("an unknown filter listed tasks (%d calls)", n)
	}
	app.emu.Settle()

	// A move to DemoLB: its row polls until the task is done.
	move, err := api.MoveIP(t.Context(), ovhemu.DemoIPParked, sn)
	if err != nil {
		t.Fatal(err)
	}
	status, doc = b.get(t, views.TasksFilterPath(sn, string(ovh.IPTaskMove), ""))
	rtExpect(t, "moves", status, http.StatusOK, doc)
	row := doc.Find("#task-ip-" + strconv.FormatInt(move.ID, 10))
	rowPath := views.IPTaskRowPath(sn, ovhemu.DemoIPParked, move.ID)
	if row.AttrOr("hx-get", "") != rowPath || row.AttrOr("hx-trigger", "") != "every 2s" || row.AttrOr("data-running", "") != "true" {
		t.Fatalf("running move row: hx-get %q, trigger %q, running %q", row.AttrOr("hx-get", ""), row.AttrOr("hx-trigger", ""), row.AttrOr("data-running", ""))
	}
	if where := rtText(row.Find(rtTestID("task-where"))); where != "to "+sn {
		t.Errorf("move destination = %q", where)
	}
	for step := 0; ; step++ {
		status, _ := b.get(t, rowPath, htmxHeaders)
		if status != http.StatusOK {
			t.Fatalf("row poll %d: status %d", step, status)
		}
		doc := rtParseRow(t, b)
		row := doc.Find(rtTestID("task-row"))
		if row.Length() != 1 || doc.Find("#main").Length() != 0 {
			t.Fatalf("row poll %d: %d rows, layout %d", step, row.Length(), doc.Find("#main").Length())
		}
		task, err := api.IPTask(t.Context(), ovhemu.DemoIPParked, move.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, polls := row.Attr("hx-get")
		if polls == task.Status.Finished() {
			t.Fatalf("row poll %d: task %s, row polls %v", step, task.Status, polls)
		}
		if task.Status.Finished() {
			if row.AttrOr("data-status", "") != "done" {
				t.Errorf("finished row status %q", row.AttrOr("data-status", ""))
			}
			if doc.Find(`#pending-banner[hx-swap-oob="true"]`).Length() != 1 {
				t.Error("the finished row does not refresh the banner")
			}
			break
		}
		if step > 5 {
			t.Fatal("the move never finished")
		}
		app.emu.Step()
	}

	// Without htmx the row address is a page.
	status, doc = b.get(t, rowPath)
	rtExpect(t, "row page", status, http.StatusOK, doc)
	if doc.Find("#main "+rtTestID("task-row-page")).Length() != 1 || doc.Find(rtTestID("task-row")).Length() != 1 {
		t.Error("the row address without htmx is not a page with the row")
	}
	if status, _ := b.get(t, views.TaskRowPath(sn, 999999), htmxHeaders); status != http.StatusNotFound {
		t.Errorf("missing task row: %d, want 404", status)
	}
}
