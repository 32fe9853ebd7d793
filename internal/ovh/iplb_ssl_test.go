package ovh

import (
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// TestCertificates reads the seeded certificates of DemoLB (two) and of
// DemoLB2 (none), and one by id; an unknown id is KindNotFound.
func TestCertificates(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	ctx := testCtx(t)

	certs, err := c.Certificates(ctx, ovhemu.DemoLB)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 2 {
		t.Fatalf("Certificates(DemoLB) = %d certificates, want 2: %+v", len(certs), certs)
	}
	for _, s := range certs {
		if s.ID == 0 || s.Name() == "" || s.Subject == "" || s.Fingerprint == "" || s.ExpireDate.IsZero() || s.Type == nil || len(s.SAN) == 0 {
			t.Errorf("certificate not fully decoded: %+v", s)
		}
	}
	one, err := c.Certificate(ctx, ovhemu.DemoLB, certs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if one.ID != certs[1].ID || one.Name() != certs[1].Name() {
		t.Errorf("Certificate(%d) = %+v, want %+v", certs[1].ID, one, certs[1])
	}
	if got := emu.Calls("GET", "/ipLoadbalancing/{serviceName}/ssl/{id}"); got != 3 {
		t.Errorf("GET ssl/{id} calls = %d, want 3 (two from the list, one direct)", got)
	}

	none, err := c.Certificates(ctx, ovhemu.DemoLB2)
	if err != nil || len(none) != 0 {
		t.Errorf("Certificates(DemoLB2) = %v, %v; want none", none, err)
	}
	if _, err := c.Certificate(ctx, ovhemu.DemoLB, 999999); KindOf(err) != KindNotFound {
		t.Errorf("Certificate(unknown) error kind = %v (%v), want not found", KindOf(err), err)
	}
}

func TestCertificateName(t *testing.T) {
	t.Parallel()
	name := "prod"
	tests := []struct {
		cert Certificate
		want string
	}{
		{Certificate{ID: 1, DisplayName: &name, Subject: "CN=x"}, "prod"},
		{Certificate{ID: 2, Subject: "CN=x"}, "CN=x"},
		{Certificate{ID: 3}, "#3"},
	}
	for _, tt := range tests {
		if got := tt.cert.Name(); got != tt.want {
			t.Errorf("Name(%+v) = %q, want %q", tt.cert, got, tt.want)
		}
	}
}
