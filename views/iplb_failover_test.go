package views

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views/components"
)

const (
	foSN      = "loadbalancer-a1b2c3d4e5f60718"
	foOther   = "loadbalancer-0f1e2d3c4b5a6978"
	foPinned  = "203.0.113.10/32"
	foFree    = "203.0.113.11/32"
	foParked  = "203.0.113.13/32"
	foServer  = "ns3012345.ip-51-68-1.eu"
	foCSRFTok = "csrf-token-value"
)

func foStr(s string) *string { return &s }

func ipTask(id int64, status ovh.IPTaskStatus, dest *string, comment *string) ovh.IPTask {
	return ovh.IPTask{ID: id, Function: ovh.IPTaskMove, Status: status, StartDate: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
		Destination: &ovh.RoutedTo{ServiceName: dest}, Comment: comment}
}

func frontend(p ovh.Protocol, id int64, name, port string) ovh.Frontend {
	return ovh.Frontend{Protocol: p, ID: id, DisplayName: foStr(name), Port: port, Zone: "all"}
}

func TestFailoverList(t *testing.T) {
	t.Parallel()
	www := frontend(ovh.HTTP, 1, "www", "80,443")
	pg := frontend(ovh.TCP, 2, "postgres", "5432")
	ov := ovh.FailoverOverview{
		IPs: []ovh.FailoverIP{
			{Block: foPinned, PinnedBy: []ovh.Frontend{www, pg}},
			{Block: foFree, Task: &ovh.IPTask{ID: 77, Status: ovh.IPTaskDoing, Destination: &ovh.RoutedTo{}}},
		},
		Incoming: []ovh.FailoverIP{{Block: foParked, Task: &ovh.IPTask{ID: 78, Status: ovh.IPTaskTodo, Destination: &ovh.RoutedTo{ServiceName: foStr(foSN)}}}},
	}
	doc, _ := render(t, context.Background(), FailoverList(NewFailoverList(foSN, ov)))

	if href := doc.Find(testID("attach-link")).AttrOr("href", ""); href != AttachIPPath(foSN) {
		t.Errorf("attach link = %q", href)
	}
	rows := doc.Find(testID("failover-row"))
	if rows.Length() != 2 {
		t.Fatalf("rows = %d, want 2", rows.Length())
	}
	if doc.Find("table th[scope=col]").Length() < 4 {
		t.Error("the table lacks column headers")
	}

	pinned := rows.Eq(0)
	if pinned.AttrOr("data-block", "") != foPinned || pinned.AttrOr("data-pinned", "") != "true" {
		t.Errorf("first row = block %q pinned %q", pinned.AttrOr("data-block", ""), pinned.AttrOr("data-pinned", ""))
	}
	var pins []string
	pinned.Find(testID("pin")).Each(func(_ int, s *goquery.Selection) {
		pins = append(pins, s.Find(testID("pin-link")).Text()+"/"+s.Find(testID("pin-protocol")).Text()+"@"+s.Find(testID("pin-link")).AttrOr("href", ""))
	})
	want := []string{"www/HTTP@" + EditFrontendPath(foSN, ovh.HTTP, 1), "postgres/TCP@" + EditFrontendPath(foSN, ovh.TCP, 2)}
	if strings.Join(pins, " ") != strings.Join(want, " ") {
		t.Errorf("pins = %v, want %v", pins, want)
	}
	if pinned.Find(testID("unpinned")).Length() != 0 || pinned.Find(testID("ip-task-badge")).Length() != 0 {
		t.Error("the pinned row says unpinned or shows a task")
	}
	if href := pinned.Find(testID("detach-link")).AttrOr("href", ""); href != DetachIPPath(foSN, foPinned) {
		t.Errorf("detach link = %q", href)
	}

	free := rows.Eq(1)
	if got := free.Find(testID("unpinned")).Text(); !strings.Contains(got, "serves every frontend") {
		t.Errorf("unpinned text = %q", got)
	}
	badge := free.Find(testID("ip-task-badge"))
	if badge.AttrOr("data-kind", "") != string(IPTaskDetach) || badge.AttrOr("hx-get", "") != IPTaskPath(foSN, foFree, 77) {
		t.Errorf("row badge kind %q hx-get %q", badge.AttrOr("data-kind", ""), badge.AttrOr("hx-get", ""))
	}
	if free.Find(testID("detach-link")).Length() != 0 {
		t.Error("a row with a task in progress offers to detach")
	}
	if free.Find(`[aria-live="polite"] `+testID("ip-task-badge")).Length() != 1 {
		t.Error("the row's badge is not inside a live region")
	}

	incoming := doc.Find(testID("incoming-row"))
	if incoming.Length() != 1 || incoming.AttrOr("data-block", "") != foParked ||
		incoming.Find(testID("ip-task-badge")).AttrOr("data-kind", "") != string(IPTaskAttach) {
		t.Errorf("incoming rows = %d, %q", incoming.Length(), incoming.Text())
	}
	if doc.Find(testID("failover-empty")).Length() != 0 {
		t.Error("empty state shown with IPs")
	}
}

func TestFailoverListEmpty(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), FailoverList(NewFailoverList(foSN, ovh.FailoverOverview{})))
	empty := doc.Find(testID("failover-empty"))
	if empty.Length() != 1 {
		t.Fatal("no empty state")
	}
	if href := empty.Find(testID("empty-attach-link")).AttrOr("href", ""); href != AttachIPPath(foSN) {
		t.Errorf("empty state's attach link = %q", href)
	}
	if doc.Find(testID("failover-table")).Length() != 0 || doc.Find(testID("incoming-table")).Length() != 0 {
		t.Error("tables shown with no IP")
	}
}

func TestFailoverAttach(t *testing.T) {
	t.Parallel()
	choices := []AttachChoice{
		NewAttachChoice(ovh.MovableIP{IP: ovh.IP{IP: foParked, RoutedTo: &ovh.RoutedTo{}}, Offered: true}),
		NewAttachChoice(ovh.MovableIP{IP: ovh.IP{IP: "203.0.113.12/32", RoutedTo: &ovh.RoutedTo{ServiceName: foStr(foServer)}, Description: foStr("mail")}, Offered: true}),
		NewAttachChoice(ovh.MovableIP{IP: ovh.IP{IP: "203.0.113.14/32", RoutedTo: &ovh.RoutedTo{ServiceName: foStr(foOther)}}, Offered: true,
			RoutedToLB: &ovh.LoadBalancer{ServiceName: foOther, DisplayName: foStr("staging")}}),
		NewAttachChoice(ovh.MovableIP{IP: ovh.IP{IP: "203.0.113.15/32"}, Offered: true, Task: &ovh.IPTask{ID: 5, Status: ovh.IPTaskDoing}}),
	}
	tests := []struct {
		name      string
		m         AttachChooserModel
		wantError string
		wantCheck string
	}{
		{name: "fresh", m: AttachChooserModel{ServiceName: foSN, Choices: choices}},
		{name: "422", m: AttachChooserModel{ServiceName: foSN, Choices: choices, Selected: "203.0.113.12/32", Error: "Choose an IP."},
			wantError: "Choose an IP.", wantCheck: "203.0.113.12/32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, _ := render(t, context.Background(), FailoverAttach(tt.m))
			form := doc.Find(testID("attach-form"))
			if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != AttachIPPath(foSN) {
				t.Errorf("form method %q action %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
			}
			got := map[string]*goquery.Selection{}
			doc.Find(testID("attach-choice")).Each(func(_ int, s *goquery.Selection) { got[s.AttrOr("data-block", "")] = s })
			if len(got) != 4 {
				t.Fatalf("choices = %d, want 4", len(got))
			}
			parked := got[foParked]
			if loc := parked.Find(testID("choice-location")).Text(); !strings.Contains(loc, "parked") || parked.Find(testID("choice-warning")).Length() != 0 {
				t.Errorf("parked choice: location %q, warning shown %v", loc, parked.Find(testID("choice-warning")).Length() > 0)
			}
			srv := got["203.0.113.12/32"]
			if w := srv.Find(testID("choice-warning")).Text(); !strings.Contains(w, "cuts the traffic") || !strings.Contains(w, foServer) {
				t.Errorf("server choice warning = %q", w)
			}
			lb := got["203.0.113.14/32"]
			if loc := lb.Find(testID("choice-location")).Text(); !strings.Contains(loc, "staging") || lb.Find(testID("choice-warning")).Length() != 1 {
				t.Errorf("IPLB choice location = %q", loc)
			}
			busy := got["203.0.113.15/32"]
			if _, disabled := busy.Find("input").Attr("disabled"); !disabled || busy.Find(testID("choice-task")).Length() != 1 {
				t.Error("a choice with a running task is not disabled with a reason")
			}
			for block, s := range got {
				in := s.Find(`input[type=radio][name=ip]`)
				if in.AttrOr("value", "") != block {
					t.Errorf("radio of %s has value %q", block, in.AttrOr("value", ""))
				}
				_, checked := in.Attr("checked")
				if checked != (block == tt.wantCheck) {
					t.Errorf("%s checked = %v", block, checked)
				}
			}
			errEl := doc.Find(testID("attach-error"))
			if errEl.Text() != tt.wantError {
				t.Errorf("error = %q, want %q", errEl.Text(), tt.wantError)
			}
			if tt.wantError != "" && doc.Find(testID("attach-choices")).AttrOr("aria-invalid", "") != "true" {
				t.Error("the fieldset is not marked invalid")
			}
		})
	}
}

func TestFailoverAttachEmpty(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), FailoverAttach(AttachChooserModel{ServiceName: foSN}))
	if doc.Find(testID("attach-empty")).Length() != 1 || doc.Find(testID("attach-form")).Length() != 0 {
		t.Error("no empty state for an account without movable IPs")
	}
	if href := doc.Find(testID("back-link")).AttrOr("href", ""); href != FailoverPath(foSN) {
		t.Errorf("back link = %q", href)
	}
}

func TestFailoverAttachConfirm(t *testing.T) {
	t.Parallel()
	ctx := components.WithCSRF(context.Background(), foCSRFTok)
	choice := NewAttachChoice(ovh.MovableIP{IP: ovh.IP{IP: "203.0.113.12/32", RoutedTo: &ovh.RoutedTo{ServiceName: foStr(foServer)}}, Offered: true})
	tests := []struct {
		name   string
		apiErr *ErrorModel
	}{
		{name: "before"},
		{name: "refused", apiErr: &ErrorModel{Status: 400, Title: "Bad Request", Message: "Destination refused", QueryID: "EU.ext-1.abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, _ := render(t, ctx, FailoverAttachConfirm(AttachConfirmModel{ServiceName: foSN, DisplayName: "prod-web", Choice: choice, APIError: tt.apiErr}))
			page := doc.Find(testID("attach-confirm"))
			if h := page.Find("h2").Text(); !strings.Contains(h, "203.0.113.12/32") || !strings.Contains(h, "prod-web") {
				t.Errorf("heading = %q", h)
			}
			if loc := page.Find(testID("confirm-location")).Text(); !strings.Contains(loc, foServer) {
				t.Errorf("location = %q, want the current server", loc)
			}
			if page.Find(testID("confirm-warning")).Length() != 1 {
				t.Error("no warning about cutting the server's traffic")
			}
			form := page.Find(testID("confirm-form"))
			if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != AttachIPPath(foSN) {
				t.Errorf("form method %q action %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
			}
			if form.Find(`input[name=ip]`).AttrOr("value", "") != "203.0.113.12/32" || form.Find(`input[name=_csrf]`).AttrOr("value", "") != foCSRFTok {
				t.Error("the form lacks the IP or the CSRF token")
			}
			if tt.apiErr == nil {
				if page.Find(testID("alert")).Not(testID("confirm-warning")+" *").Length() != 0 {
					t.Error("an alert before any POST")
				}
				return
			}
			if msg := page.Find(`[data-testid="alert"][data-kind="error"] ` + testID("alert-message")).Text(); msg != tt.apiErr.Message {
				t.Errorf("API message = %q", msg)
			}
			if q := page.Find(testID("query-id")).Text(); !strings.Contains(q, "EU.ext-1.abc") {
				t.Errorf("query ID = %q", q)
			}
		})
	}
}

func TestFailoverDetachConfirm(t *testing.T) {
	t.Parallel()
	ctx := components.WithCSRF(context.Background(), foCSRFTok)
	www := frontend(ovh.HTTP, 1, "www", "80,443")
	running := &IPTaskBadgeModel{ServiceName: foSN, Block: foPinned, Task: ipTask(9, ovh.IPTaskDoing, foStr(foOther), nil)}
	tests := []struct {
		name         string
		m            DetachConfirmModel
		wantPins     []string
		wantDisabled bool
	}{
		{name: "pinned", m: DetachConfirmModel{ServiceName: foSN, DisplayName: "prod-web", Block: foPinned, PinnedBy: []ovh.Frontend{www}}, wantPins: []string{"www"}},
		{name: "unpinned", m: DetachConfirmModel{ServiceName: foSN, DisplayName: "prod-web", Block: foFree}},
		{name: "busy", m: DetachConfirmModel{ServiceName: foSN, DisplayName: "prod-web", Block: foPinned, PinnedBy: []ovh.Frontend{www}, Task: running},
			wantPins: []string{"www"}, wantDisabled: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, _ := render(t, ctx, FailoverDetachConfirm(tt.m))
			var pins []string
			doc.Find(testID("detach-frontend")).Each(func(_ int, s *goquery.Selection) {
				pins = append(pins, s.Find("a").Text())
				if s.Find("a").AttrOr("href", "") != EditFrontendPath(foSN, ovh.HTTP, 1) {
					t.Errorf("frontend link = %q", s.Find("a").AttrOr("href", ""))
				}
			})
			if strings.Join(pins, ",") != strings.Join(tt.wantPins, ",") {
				t.Errorf("frontends named = %v, want %v", pins, tt.wantPins)
			}
			if got := doc.Find(testID("detach-unpinned")).Length() == 1; got != (len(tt.wantPins) == 0) {
				t.Errorf("unpinned sentence shown = %v", got)
			}
			if !strings.Contains(doc.Find(testID("detach-parking")).Text(), "parks") {
				t.Error("the page does not say what parking means")
			}
			form := doc.Find(testID("detach-form"))
			if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != DetachIPPath(foSN, tt.m.Block) || form.Find(`input[name=_csrf]`).Length() != 1 {
				t.Errorf("form method %q action %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
			}
			_, disabled := doc.Find(testID("confirm-detach")).Attr("disabled")
			if disabled != tt.wantDisabled {
				t.Errorf("detach button disabled = %v, want %v", disabled, tt.wantDisabled)
			}
			if tt.wantDisabled && doc.Find(testID("detach-busy")).Length() != 1 {
				t.Error("no reason given for the disabled button")
			}
		})
	}
}

func TestIPTaskBadge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		task        ovh.IPTask
		wantPoll    bool
		wantKind    IPTaskKind
		wantHead    string
		wantComment string
		wantNext    bool
		wantRetry   bool
	}{
		{name: "attach todo", task: ipTask(41, ovh.IPTaskTodo, foStr(foSN), nil), wantPoll: true, wantKind: IPTaskAttach, wantHead: "Attaching 203.0.113.13/32 to this load balancer: in progress"},
		{name: "attach doing", task: ipTask(41, ovh.IPTaskDoing, foStr(foSN), nil), wantPoll: true, wantKind: IPTaskAttach, wantHead: "in progress"},
		{name: "attach done", task: ipTask(41, ovh.IPTaskDone, foStr(foSN), nil), wantKind: IPTaskAttach, wantHead: "Attach of 203.0.113.13/32 to this load balancer: done", wantNext: true},
		{name: "attach failed", task: ipTask(41, ovh.IPTaskOVHError, foStr(foSN), foStr("The destination router refused the IP")), wantKind: IPTaskAttach,
			wantHead: ": failed", wantComment: "The destination router refused the IP", wantRetry: true},
		{name: "failed without comment", task: ipTask(41, ovh.IPTaskCancelled, foStr(foSN), nil), wantKind: IPTaskAttach, wantHead: ": failed",
			wantComment: "The task gave no reason.", wantRetry: true},
		{name: "park doing", task: ipTask(42, ovh.IPTaskDoing, nil, nil), wantPoll: true, wantKind: IPTaskDetach, wantHead: "Detaching 203.0.113.13/32 (parking it): in progress"},
		{name: "park done", task: ipTask(42, ovh.IPTaskDone, nil, nil), wantKind: IPTaskDetach, wantHead: "Detach of 203.0.113.13/32 (parking it): done"},
		{name: "move away", task: ipTask(43, ovh.IPTaskInit, foStr(foOther), nil), wantPoll: true, wantKind: IPTaskMoveAway, wantHead: "Moving 203.0.113.13/32 to " + foOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := IPTaskBadgeModel{ServiceName: foSN, Block: foParked, Task: tt.task}
			doc, _ := render(t, context.Background(), IPTaskLive(m))
			if doc.Find(`[aria-live="polite"][data-testid="ip-task-live"]`).Length() != 1 {
				t.Error("no live region around the badge")
			}
			b := doc.Find(testID("ip-task-badge"))
			if b.Length() != 1 {
				t.Fatal("no badge")
			}
			_, polls := b.Attr("hx-get")
			if polls != tt.wantPoll {
				t.Errorf("polling = %v, want %v", polls, tt.wantPoll)
			}
			if tt.wantPoll {
				if b.AttrOr("hx-get", "") != IPTaskPath(foSN, foParked, tt.task.ID) || b.AttrOr("hx-trigger", "") != "every 2s" || b.AttrOr("hx-swap", "") != "outerHTML" {
					t.Errorf("poll attributes: get %q trigger %q swap %q", b.AttrOr("hx-get", ""), b.AttrOr("hx-trigger", ""), b.AttrOr("hx-swap", ""))
				}
				if href := b.Find(testID("ip-task-refresh")).AttrOr("href", ""); href != IPTaskPath(foSN, foParked, tt.task.ID) {
					t.Errorf("refresh link = %q", href)
				}
			} else {
				for _, a := range []string{"hx-trigger", "hx-swap"} {
					if _, ok := b.Attr(a); ok {
						t.Errorf("a finished badge keeps %s", a)
					}
				}
				if b.Find(testID("ip-task-refresh")).Length() != 0 {
					t.Error("a finished badge offers to refresh")
				}
			}
			if got := b.AttrOr("data-kind", ""); got != string(tt.wantKind) {
				t.Errorf("kind = %q, want %q", got, tt.wantKind)
			}
			if got := b.Find(testID("ip-task-headline")).Text(); !strings.Contains(got, tt.wantHead) {
				t.Errorf("headline = %q, want it to contain %q", got, tt.wantHead)
			}
			if got := strings.TrimSpace(b.Find(testID("ip-task-comment")).Text()); got != tt.wantComment {
				t.Errorf("comment = %q, want %q", got, tt.wantComment)
			}
			if got := b.Find(testID("ip-task-retry")).Length() == 1; got != tt.wantRetry {
				t.Errorf("retry shown = %v, want %v", got, tt.wantRetry)
			}
			next := b.Find(testID("ip-task-next-steps"))
			if got := next.Length() == 1; got != tt.wantNext {
				t.Fatalf("next steps shown = %v, want %v", got, tt.wantNext)
			}
			if tt.wantNext {
				pin := next.Find(testID("next-pin")).AttrOr("href", "")
				u, err := url.Parse(pin)
				if err != nil || u.Path != NewFrontendPath(foSN, ovh.HTTP) || u.Query().Get("ipfo") != foParked {
					t.Errorf("pin link = %q, want %s?ipfo=%s", pin, NewFrontendPath(foSN, ovh.HTTP), foParked)
				}
				if href := next.Find(testID("next-apply")).AttrOr("href", ""); href != ApplyPath(foSN) {
					t.Errorf("apply link = %q", href)
				}
				if href := next.Find(testID("next-frontends")).AttrOr("href", ""); href != FrontendsPath(foSN, ovh.HTTP) {
					t.Errorf("frontends link = %q", href)
				}
			}
		})
	}
}

func TestIPTaskPage(t *testing.T) {
	t.Parallel()
	m := IPTaskPageModel{Badge: IPTaskBadgeModel{ServiceName: foSN, Block: foParked, Task: ipTask(41, ovh.IPTaskDoing, foStr(foSN), nil)}}
	doc, _ := render(t, context.Background(), IPTaskPage(m))
	if h := doc.Find(testID("ip-task-page") + " h2").Text(); h != "Attach "+foParked {
		t.Errorf("heading = %q", h)
	}
	if doc.Find(testID("ip-task-badge")).Length() != 1 {
		t.Error("no badge")
	}
	if href := doc.Find(testID("back-link")).AttrOr("href", ""); href != FailoverPath(foSN) {
		t.Errorf("back link = %q", href)
	}
}

func TestFailoverPaths(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ got, want string }{
		{AttachIPPath(foSN), "/iplb/" + foSN + "/failover/attach"},
		{AttachIPConfirmPath(foSN, foParked), "/iplb/" + foSN + "/failover/attach?ip=203.0.113.13%2F32"},
		{IPTaskPath(foSN, "203.0.113.16/29", 12), "/iplb/" + foSN + "/failover/203.0.113.16%2F29/task/12"},
		{DetachIPPath(foSN, foPinned), "/iplb/" + foSN + "/failover/203.0.113.10%2F32/detach"},
	} {
		if tt.got != tt.want {
			t.Errorf("path = %q, want %q", tt.got, tt.want)
		}
	}
}

// TestIPMoveNotice: the attach's "Moving … once the move is done" flash
// has an id, a badge shown under it polls saying so (hx-vals), and the
// out-of-band fragment that removes it targets that id.
func TestIPMoveNotice(t *testing.T) {
	t.Parallel()
	f := IPMoveNotice(foParked, 41)
	doc, _ := render(t, context.Background(), Layout(PageMeta{Flashes: []Flash{f, {Kind: FlashInfo, Message: "other"}}}, templ.NopComponent))
	notice := doc.Find("#alerts #" + IPMoveNoticeID(41))
	if notice.Length() != 1 || !strings.Contains(notice.Text(), "Moving "+foParked) || !strings.Contains(notice.Text(), "task 41") {
		t.Errorf("notice = %q", notice.Text())
	}
	if n := doc.Find("#alerts " + testID("alert") + "[id]").Length(); n != 1 {
		t.Errorf("%d alerts with an id, want only the notice", n)
	}

	for _, tt := range []struct {
		name     string
		notice   bool
		status   ovh.IPTaskStatus
		wantVals string
	}{
		{name: "under the notice", notice: true, status: ovh.IPTaskDoing, wantVals: `{"notice":"1"}`},
		{name: "no notice (list page, reload)", status: ovh.IPTaskDoing},
		{name: "finished: no more polling", notice: true, status: ovh.IPTaskDone},
	} {
		m := IPTaskBadgeModel{ServiceName: foSN, Block: foParked, Task: ipTask(41, tt.status, foStr(foSN), nil), Notice: tt.notice}
		doc, _ := render(t, context.Background(), IPTaskBadge(m))
		if got := doc.Find(testID("ip-task-badge")).AttrOr("hx-vals", ""); got != tt.wantVals {
			t.Errorf("%s: hx-vals = %q, want %q", tt.name, got, tt.wantVals)
		}
	}

	doc, html := render(t, context.Background(), IPMoveNoticeOOB(41))
	oob := doc.Find("#" + IPMoveNoticeID(41))
	if oob.Length() != 1 || oob.AttrOr("hx-swap-oob", "") != "delete" {
		t.Errorf("out-of-band removal = %s", html)
	}
}
