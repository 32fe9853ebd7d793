package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// TestBrowserApplyConfiguration: the load balancer pages in Chromium (axe,
// labels, keyboard-reachable actions, screenshots), then Apply on DemoLB:
// the progress polls by itself (htmx, every 2 s) while the emulator steps
// the task, stops when it is done, and the banner goes out of band.
func TestBrowserApplyConfiguration(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)

	b.open(c.URL + views.IPLBListPath())
	b.waitVisible(testID("iplb-table"))
	b.checkPage("iplb-list")

	// A boosted link to the dashboard.
	b.markDocument()
	b.click(chromedp.CSS(`a[href="` + views.IPLBPath(ovhemu.DemoLB) + `"][data-testid="iplb-link"]`))
	b.waitVisible(testID("iplb-dashboard"))
	if !b.sameDocument() {
		t.Error("the link to the dashboard reloaded the page; want a boosted navigation")
	}
	b.checkPage("iplb-dashboard")

	// The Status tile's "…" menu opens without JavaScript of ours and leads
	// to the apply page.
	b.click(chromedp.CSS(`[data-testid="status-menu"] summary`))
	b.click(testID("status-apply"))
	b.waitVisible(testID("apply-form"))
	b.checkPage("iplb-apply")

	b.click(testID("apply-submit"))
	b.waitVisible(testID("refresh-task"))
	if got := b.text(testID("started-by")); got != "Started by "+ovhemu.DemoAccount+" just now" {
		t.Errorf("started by = %q", got)
	}
	if live := b.liveRegion(testID("refresh-task")); live == "" {
		t.Error("the refresh progress is not in a live region")
	}
	b.checkPage("iplb-apply-running")

	// The emulator moves the task on; htmx polling shows it without a
	// reload, and the banner empties itself when the task is done.
	c.Emu.Step()
	b.waitText(chromedp.CSS(`[data-testid="refresh-task"] [data-testid="task-status"]`), "doing")
	c.Emu.Step()
	b.waitText(chromedp.CSS(`[data-testid="refresh-task"] [data-testid="task-status"]`), "done")
	b.waitGone(chromedp.CSS(`#pending-banner[data-pending="true"]`))
	if n := b.count(`[data-testid="refresh-task"] [hx-get]`); n != 0 {
		t.Errorf("%d elements still poll after the task ended", n)
	}
	b.noProblems("after the refresh")

	// DemoLB2: the checklist's failure and the API's refusal.
	b.open(c.URL + views.ApplyPath(ovhemu.DemoLB2))
	b.waitVisible(chromedp.CSS(`[data-check="valid"][data-ok="false"]`))
	// The refusal is a 422 re-render of the page, swapped in by htmx.
	b.expectErrors(func() {
		b.click(testID("apply-submit"))
		b.waitVisible(testID("apply-refused"))
	}, "status of 422")
	if b.text(testID("query-id")) == "" {
		t.Error("the refusal shows no query ID")
	}
	b.checkPage("iplb-apply-refused")
}
