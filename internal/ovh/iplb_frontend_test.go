package ovh

import (
	"errors"
	"slices"
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// TestFrontendCRUD round-trips a frontend of each protocol: create, get,
// update, list, delete, then get again.
func TestFrontendCRUD(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto  Protocol
		create FrontendCreate
		check  func(t *testing.T, f Frontend)
	}{
		{HTTP, FrontendCreate{Port: "8080,8443", Zone: "gra", DisplayName: ptr("blog"), SSL: true, HSTS: true,
			HTTPHeader: []string{"X-Client-IP %ci"}, RedirectLocation: ptr("https://blog.example.com"),
			AllowedSource: []string{"198.51.100.0/24"}},
			func(t *testing.T, f Frontend) {
				if deref(f.SSL) != true || deref(f.HSTS) != true || !slices.Equal(f.HTTPHeader, []string{"X-Client-IP %ci"}) ||
					deref(f.RedirectLocation) != "https://blog.example.com" || !slices.Equal(f.AllowedSource, []string{"198.51.100.0/24"}) {
					t.Errorf("HTTP fields = %+v", f)
				}
			}},
		{TCP, FrontendCreate{Port: "3306", Zone: "all", DisplayName: ptr("mysql"), DeniedSource: []string{"192.0.2.0/24"}},
			func(t *testing.T, f Frontend) {
				if f.SSL == nil || *f.SSL || f.HSTS != nil || f.RedirectLocation != nil || !slices.Equal(f.DeniedSource, []string{"192.0.2.0/24"}) {
					t.Errorf("TCP fields = %+v", f)
				}
			}},
		{UDP, FrontendCreate{Port: "5353", Zone: "sbg", DisplayName: ptr("mdns")},
			func(t *testing.T, f Frontend) {
				if f.SSL != nil || f.HSTS != nil || f.AllowedSource != nil || f.VRackNetworkID != nil {
					t.Errorf("UDP has fields of other protocols: %+v", f)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			_, c := newEmu(t)
			ctx := testCtx(t)
			sn := ovhemu.DemoLB2

			created, err := c.CreateFrontend(ctx, sn, tt.proto, tt.create)
			if err != nil {
				t.Fatal(err)
			}
			if created.ID == 0 || created.Protocol != tt.proto || created.Port != tt.create.Port || created.Zone != tt.create.Zone ||
				deref(created.DisplayName) != deref(tt.create.DisplayName) || created.Disabled {
				t.Errorf("CreateFrontend = %+v", created)
			}
			tt.check(t, created)

			got, err := c.Frontend(ctx, sn, tt.proto, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
			if got.ID != created.ID || got.Protocol != tt.proto || got.Port != created.Port {
				t.Errorf("Frontend = %+v, want %+v", got, created)
			}

			if err := c.UpdateFrontend(ctx, sn, tt.proto, created.ID, FrontendUpdate{
				Disabled: ptr(true), DisplayName: Set("renamed"), Port: ptr("9000"),
			}); err != nil {
				t.Fatal(err)
			}
			got, err = c.Frontend(ctx, sn, tt.proto, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Disabled || got.Name() != "renamed" || got.Port != "9000" || got.Zone != tt.create.Zone {
				t.Errorf("after update: %+v", got)
			}
			tt.check(t, got) // untouched fields stay as they were

			list, err := c.Frontends(ctx, sn, tt.proto)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(list, func(f Frontend) bool { return f.ID == created.ID && f.Disabled }) {
				t.Errorf("Frontends = %+v, missing %d", list, created.ID)
			}
			for _, f := range list {
				if f.Protocol != tt.proto {
					t.Errorf("frontend %d has Protocol %q", f.ID, f.Protocol)
				}
			}

			if err := c.DeleteFrontend(ctx, sn, tt.proto, created.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Frontend(ctx, sn, tt.proto, created.ID); KindOf(err) != KindNotFound {
				t.Errorf("Frontend after delete = %v, want KindNotFound", err)
			}
			if err := c.DeleteFrontend(ctx, sn, tt.proto, created.ID); KindOf(err) != KindNotFound {
				t.Errorf("second DeleteFrontend = %v, want KindNotFound", err)
			}
		})
	}
}

func TestFrontendInvalid(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	for name, in := range map[string]FrontendCreate{
		"port out of range": {Port: "70000", Zone: "all"},
		"port syntax":       {Port: "80-", Zone: "all"},
		"unknown zone":      {Port: "80", Zone: "bhs"},
		"missing port":      {Zone: "all"},
	} {
		_, err := c.CreateFrontend(ctx, ovhemu.DemoLB2, HTTP, in)
		var e *Error
		if KindOf(err) != KindInvalid || MessageOf(err) == "" || QueryIDOf(err) == "" {
			t.Errorf("%s: err = %#v, want KindInvalid with message and query id", name, err)
		} else if errors.As(err, &e) && e.Status != 400 {
			t.Errorf("%s: status %d", name, e.Status)
		}
	}
	// A field UDP does not have.
	if _, err := c.CreateFrontend(ctx, ovhemu.DemoLB2, UDP, FrontendCreate{Port: "53", Zone: "all", SSL: true}); KindOf(err) != KindInvalid {
		t.Errorf("UDP frontend with ssl: err = %v, want KindInvalid", err)
	}
}

// TestFrontendDedicatedIPFO pins failover IPs to a frontend with partial
// updates: add, replace, leave alone, clear with null and with [].
func TestFrontendDedicatedIPFO(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	sn := ovhemu.DemoLB
	f, err := c.CreateFrontend(ctx, sn, HTTP, FrontendCreate{Port: "8088", Zone: "all", DisplayName: ptr("pins")})
	if err != nil {
		t.Fatal(err)
	}
	if f.DedicatedIPFO != nil {
		t.Fatalf("new frontend dedicatedIpfo = %v, want null", f.DedicatedIPFO)
	}
	steps := []struct {
		name string
		u    FrontendUpdate
		want []string // nil = null
	}{
		{"add", FrontendUpdate{DedicatedIPFO: Set([]string{ovhemu.DemoIPUnpinned})}, []string{ovhemu.DemoIPUnpinned}},
		{"add a second", FrontendUpdate{DedicatedIPFO: Set([]string{ovhemu.DemoIPUnpinned, ovhemu.DemoIPPinned})},
			[]string{ovhemu.DemoIPUnpinned, ovhemu.DemoIPPinned}},
		{"other field only", FrontendUpdate{DisplayName: Set("pins-renamed")}, []string{ovhemu.DemoIPUnpinned, ovhemu.DemoIPPinned}},
		{"replace", FrontendUpdate{DedicatedIPFO: Set([]string{ovhemu.DemoIPPinned})}, []string{ovhemu.DemoIPPinned}},
		{"clear with null", FrontendUpdate{DedicatedIPFO: Clear[[]string]()}, nil},
		{"set again", FrontendUpdate{DedicatedIPFO: Set([]string{ovhemu.DemoIPUnpinned})}, []string{ovhemu.DemoIPUnpinned}},
		{"clear with []", FrontendUpdate{DedicatedIPFO: Set([]string{})}, nil},
	}
	for _, st := range steps {
		if err := c.UpdateFrontend(ctx, sn, HTTP, f.ID, st.u); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := c.Frontend(ctx, sn, HTTP, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.want) == 0 && len(got.DedicatedIPFO) != 0 || len(st.want) > 0 && !slices.Equal(got.DedicatedIPFO, st.want) {
			t.Errorf("%s: dedicatedIpfo = %v, want %v", st.name, got.DedicatedIPFO, st.want)
		}
		if got.Port != "8088" || got.Zone != "all" {
			t.Errorf("%s: a partial update changed other fields: %+v", st.name, got)
		}
	}
	// An IP routed elsewhere cannot be pinned.
	err = c.UpdateFrontend(ctx, sn, HTTP, f.ID, FrontendUpdate{DedicatedIPFO: Set([]string{ovhemu.DemoIPServer})})
	if KindOf(err) != KindInvalid || MessageOf(err) == "" {
		t.Errorf("pinning %s = %v, want KindInvalid", ovhemu.DemoIPServer, err)
	}
}

// TestFrontendClearDefaultFarm: a nullable scalar is cleared with null.
func TestFrontendClearDefaultFarm(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)
	sn := ovhemu.DemoLB2
	farms, err := c.Farms(ctx, sn, HTTP)
	if err != nil || len(farms) == 0 {
		t.Fatalf("Farms = %v, %v", farms, err)
	}
	f, err := c.CreateFrontend(ctx, sn, HTTP, FrontendCreate{Port: "8081", Zone: farms[0].Zone, DefaultFarmID: &farms[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if deref(f.DefaultFarmID) != farms[0].ID {
		t.Fatalf("DefaultFarmID = %v", f.DefaultFarmID)
	}
	if err := c.UpdateFrontend(ctx, sn, HTTP, f.ID, FrontendUpdate{DefaultFarmID: Clear[int64](), RedirectLocation: Set("https://example.com/")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Frontend(ctx, sn, HTTP, f.ID)
	if err != nil || got.DefaultFarmID != nil || deref(got.RedirectLocation) != "https://example.com/" {
		t.Errorf("after clearing the default farm: %+v, %v", got, err)
	}
}
