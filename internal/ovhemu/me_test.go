package ovhemu

import (
	"net/http"
	"testing"
)

func TestMe(t *testing.T) {
	t.Parallel()
	e := New(WithEmptySeed())
	for _, tt := range []struct {
		nic, first, lang string
	}{
		{DemoAccount, "Camille", "fr_FR"},
		{OtherAccount, "Alex", "en_GB"},
	} {
		status, body := doAs(t, e, tt.nic, "GET", "/me", nil)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", tt.nic, status, body)
		}
		// Every name and type from me.json, every non-nullable field present.
		if errs := checkResponse(t, "nichandle.Nichandle", body); len(errs) > 0 {
			t.Errorf("%s: schema: %v", tt.nic, errs)
		}
		me := decodeAs[nichandleJSON](t, body)
		if me.Nichandle != tt.nic || me.Firstname == nil || *me.Firstname != tt.first ||
			me.Language == nil || *me.Language != tt.lang ||
			me.Currency != (nichandleCurrency{"EUR", "€"}) || me.Country != "FR" || me.OvhSubsidiary != "FR" ||
			me.Email == "" || me.CustomerCode == nil || me.State != "complete" || me.Legalform != "individual" {
			t.Errorf("%s: /me %s", tt.nic, body)
		}
	}
}

func TestMeSigned(t *testing.T) {
	t.Parallel()
	e, _, api := authTestServer(t)
	// Each key sees its own account.
	for _, nic := range []string{DemoAccount, OtherAccount} {
		r := api.with(issue(t, e, DemoAppKey, nic, []AccessRule{{"GET", "/me"}}, 0)).do(t, "GET", "/1.0/me", "")
		wantOK(t, nic, r)
		if me := decodeAs[nichandleJSON](t, r.body); me.Nichandle != nic {
			t.Errorf("key of %s: /me is %s", nic, me.Nichandle)
		}
	}
}

func TestSubsidiaryOf(t *testing.T) {
	t.Parallel()
	for country, want := range map[string]string{"FR": "FR", "gb": "GB", "BE": "EU", "US": "EU"} {
		if got := subsidiaryOf(country); got != want {
			t.Errorf("subsidiaryOf(%s) = %s, want %s", country, got, want)
		}
	}
}
