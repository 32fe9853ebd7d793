package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// TestDefaultFarmFixesInvalidFrontendApp is the guide's failure "every
// frontend valid" fixed by a default farm, through the pages only (issue 6):
// DemoLB2's legacy-api (zone sbg, no farm, no redirect, no route) fails the
// pre-flight, whose link leads to its edit page; the only HTTP farm is in
// zone gra, which cannot serve an sbg frontend, so the user first creates a
// farm in sbg on the farms page, then picks it as legacy-api's default farm.
// The pre-flight then passes and the refresh applies.
func TestDefaultFarmFixesInvalidFrontendApp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.loginAs(t, ovhemu.DemoAccount)
	api := feClient(app, b)
	sn := ovhemu.DemoLB2
	legacy := feFind(t, api, sn, ovh.HTTP, "legacy-api")

	// The pre-flight fails on legacy-api and links to its edit page.
	status, doc := b.get(t, views.ApplyPath(sn))
	if status != http.StatusOK {
		t.Fatalf("apply page = %d", status)
	}
	check := doc.Find(`[data-testid="check"][data-check="valid"]`)
	if check.AttrOr("data-ok", "") != "false" {
		t.Fatalf("pre-flight 'every frontend valid' = %q, want false", check.AttrOr("data-ok", ""))
	}
	edit := views.EditFrontendPath(sn, ovh.HTTP, legacy.ID)
	if check.Find(`a[href="`+edit+`"]`).Length() == 0 {
		t.Fatalf("the failed check does not link to %s: %s", edit, feText(check))
	}

	// The edit page offers no farm: staging-web (gra) cannot serve sbg.
	status, doc = b.get(t, edit)
	if status != http.StatusOK {
		t.Fatalf("edit page = %d", status)
	}
	if n := doc.Find(`select[name="defaultFarmId"] option[value!=""]`).Length(); n != 0 {
		t.Fatalf("the edit page offers %d farms for an sbg frontend, want none", n)
	}

	// Create a farm in sbg on the farms page, as a user would.
	status, doc = b.get(t, views.NewFarmPath(sn, ovh.HTTP))
	if status != http.StatusOK {
		t.Fatalf("new farm page = %d", status)
	}
	form := farmFormValues(doc.Find(`[data-testid="farm-form"]`))
	form.Set(views.FarmFieldDisplayName, "legacy-backends")
	form.Set(views.FarmFieldZone, "sbg")
	form.Set(views.FarmFieldPort, "8080")
	if status, doc = b.post(t, views.FarmsPath(sn, ovh.HTTP), form); status != http.StatusSeeOther {
		t.Fatalf("create farm = %d: %s", status, feText(doc.Find(`[data-testid="alerts"], [data-testid="form-errors"]`)))
	}
	farm := feFarmID(t, api, sn, ovh.HTTP, "legacy-backends")

	// Now the edit page offers it; pick it and save.
	status, doc = b.get(t, edit)
	if status != http.StatusOK {
		t.Fatalf("edit page = %d", status)
	}
	option := doc.Find(`select[name="defaultFarmId"] option[value="` + strconv.FormatInt(farm, 10) + `"]`)
	if option.Length() != 1 {
		t.Fatal("the edit page does not offer the new sbg farm")
	}
	form = feFormValues(doc.Find(`[data-testid="frontend-form"]`))
	form.Set("defaultFarmId", strconv.FormatInt(farm, 10))
	if status, doc = b.post(t, views.FrontendPath(sn, ovh.HTTP, legacy.ID), form); status != http.StatusSeeOther {
		t.Fatalf("update frontend = %d: %s", status, feText(doc.Find(`main`)))
	}
	if got := feFind(t, api, sn, ovh.HTTP, "legacy-api"); got.DefaultFarmID == nil || *got.DefaultFarmID != farm {
		t.Fatalf("legacy-api default farm = %v, want %d", got.DefaultFarmID, farm)
	}

	// The pre-flight passes, the refresh applies, the banner goes.
	status, doc = b.get(t, views.ApplyPath(sn))
	if status != http.StatusOK {
		t.Fatalf("apply page = %d", status)
	}
	if failed := doc.Find(`[data-testid="check"][data-ok="false"]`); failed.Length() != 0 {
		t.Fatalf("pre-flight still fails: %s", feText(failed))
	}
	if status, _ = b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "sbg"}}); status != http.StatusSeeOther {
		t.Fatalf("apply = %d", status)
	}
	running, err := api.RunningRefreshes(t.Context(), sn)
	if err != nil || len(running) != 1 {
		t.Fatalf("running refreshes = %+v, %v; want 1", running, err)
	}
	app.emu.Settle()
	if task, err := api.Task(t.Context(), sn, running[0].ID); err != nil || task.Status != ovh.TaskDone {
		t.Fatalf("refresh after Settle = %+v, %v; want done", task, err)
	}
	status, doc = b.get(t, views.IPLBPath(sn))
	if status != http.StatusOK {
		t.Fatalf("dashboard = %d", status)
	}
	if doc.Find(`#pending-banner[data-pending="true"]`).Length() != 0 {
		t.Error("the banner is still there after the refresh")
	}
}
