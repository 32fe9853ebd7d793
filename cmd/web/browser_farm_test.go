package main

// Browser tests of the farm, server and vRack pages (farms engineer): the
// in-place enable/disable of a server with htmx, and the vRack warning
// that follows the network select. The tour (TestBrowserEveryPageConfig)
// checks every page with axe-core and the keyboard.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// TestBrowserServerToggle disables and enables a server in place: the row
// is swapped without a page load, the message lands in the live #alerts
// region, the banner counts the change, and the focus stays on the button
// so that the keyboard can toggle again.
func TestBrowserServerToggle(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	c.Emu.Settle()
	signInWithKey(t, b, c, ovhemu.DemoAccount)

	b.open(c.URL + views.FarmsPath(ovhemu.DemoLB, ovh.HTTP))
	b.click(chromedp.CSS(`[data-testid="farm-row"] [data-testid="farm-name"] a`)) // the first farm, "web"
	b.waitVisible(testID("server-table"))
	b.checkPage("farm-page")
	pendingBefore := b.count(`[data-testid="pending-zone"]`)
	totalBefore := eval[string](b, `(document.querySelector('[data-testid="pending-total"]') || {}).innerText || "0"`)

	row := `[data-testid="server-row"]`
	first := chromedp.CSS(row + ` [data-testid="server-toggle"]`)
	status := func() string {
		return eval[string](b, `document.querySelector('`+row+`').dataset.status`)
	}
	if s := status(); s != "active" {
		t.Fatalf("the first server is %q, want active", s)
	}
	b.markDocument()
	b.click(first)
	if _, err := b.poll(`document.querySelector('` + row + `').dataset.status === "inactive" ? "ok" : null`); err != nil {
		b.fatalf("the row did not turn inactive: %v", err)
	}
	if !b.sameDocument() {
		t.Error("the toggle loaded a new page instead of swapping the row")
	}
	b.waitText(chromedp.CSS("#alerts"), "disabled")
	if lr := b.liveRegion(chromedp.CSS("#alerts .alert")); lr == "" {
		t.Error("the message is not in a live region")
	}
	b.waitText(testID("farm-health"), "1 active, 1 inactive")
	if got := b.text(chromedp.CSS(row + ` [data-testid="server-toggle"]`)); got != "Enable" {
		t.Errorf("button after disable = %q", got)
	}
	totalAfter := b.waitText(testID("pending-total"), "change")
	if totalAfter == totalBefore && pendingBefore > 0 {
		t.Errorf("the banner did not count the change (%q before, %q after)", totalBefore, totalAfter)
	}
	if focus := b.focused(); !strings.Contains(focus, `data-testid="server-toggle"`) {
		t.Errorf("focus after the swap: %s", focus)
	}
	// htmx wires the new row's form when the swap settles (it removes its
	// htmx-added class then): a person cannot press Enter sooner.
	if _, err := b.poll(`document.querySelector(".htmx-added, .htmx-settling") ? null : "settled"`); err != nil {
		b.fatalf("the swap did not settle: %v", err)
	}
	// Enable again with the keyboard: the focus is still on the button.
	b.press(kb.Enter)
	if _, err := b.poll(`document.querySelector('` + row + `').dataset.status === "active" ? "ok" : null`); err != nil {
		b.fatalf("the row did not turn active again: %v", err)
	}
	b.waitText(chromedp.CSS("#alerts"), "enabled")
	if !b.sameDocument() {
		t.Error("the second toggle loaded a new page")
	}
	b.noProblems("server toggle")
}

// TestBrowserFarmVRackWarning: on an IPLB in a vRack, choosing no vRack
// network in the farm form shows at once the warning that the refresh
// would fail, and choosing a network takes it away.
func TestBrowserFarmVRackWarning(t *testing.T) {
	t.Parallel()
	c := startBrowserConsole(t)
	b := newBrowser(t)
	signInWithKey(t, b, c, ovhemu.DemoAccount)
	b.open(c.URL + views.NewFarmPath(ovhemu.DemoLB, ovh.TCP))
	b.waitVisible(chromedp.CSS("#farm-vrackNetworkId"))
	if b.count(`[data-testid="farm-vrack-warning"]`) != 0 {
		t.Fatal("a warning with the network chosen")
	}
	eval[chromedp.Void](b, `(() => {
		const s = document.querySelector("#farm-vrackNetworkId");
		s.value = "";
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)
	b.waitText(testID("farm-vrack-warning"), "makes the refresh fail")
	b.checkPage("farm-new-vrack-warning")
	eval[chromedp.Void](b, `(() => {
		const s = document.querySelector("#farm-vrackNetworkId");
		s.selectedIndex = 1;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`)
	b.waitGone(testID("farm-vrack-warning"))
	b.noProblems("vRack warning")
}
