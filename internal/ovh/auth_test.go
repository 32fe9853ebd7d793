package ovh

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestMeAndCredential(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t)
	c := emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
	ctx := testCtx(t)

	me, err := c.Me(ctx)
	if err != nil || me.NicHandle != ovhemu.DemoAccount || me.Email == "" || me.DisplayName() == me.NicHandle || me.Currency.Code == "" {
		t.Errorf("Me = %+v, %v", me, err)
	}
	d, err := c.AuthDetails(ctx)
	if err != nil || d.Account != ovhemu.DemoAccount || d.Method != AuthAccount || d.User != nil {
		t.Errorf("AuthDetails = %+v, %v", d, err)
	}
	cred, err := c.CurrentCredential(ctx)
	if err != nil || cred.Status != CredentialValidated || cred.ID == 0 || cred.Creation.IsZero() || len(cred.Rules) != 4 {
		t.Errorf("CurrentCredential = %+v, %v", cred, err)
	}

	alice := emuClient(t, emu, endpoint, ovhemu.DemoAccount+"/"+ovhemu.DemoIAMUser, nil)
	d, err = alice.AuthDetails(ctx)
	if err != nil || d.Account != ovhemu.DemoAccount || d.Method != AuthUser || deref(d.User) != ovhemu.DemoIAMUser {
		t.Errorf("AuthDetails of %s = %+v, %v", ovhemu.DemoIAMUser, d, err)
	}

	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(ctx); KindOf(err) != KindUnauthorized {
		t.Errorf("Me after Logout = %v, want KindUnauthorized", err)
	}
}

// TestRequestCredentialEmulator asks the emulator for a key: it comes back
// pending, with a validation URL, and cannot be used until validated.
func TestRequestCredentialEmulator(t *testing.T) {
	t.Parallel()
	_, endpoint := emuEndpoint(t)
	app, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	rules := []AccessRule{{"GET", "/ipLoadbalancing/*"}, {"POST", "/ipLoadbalancing/*"}, {"GET", "/me"}}
	req, err := app.RequestCredential(ctx, rules, "http://127.0.0.1:8080/login/callback")
	if err != nil {
		t.Fatal(err)
	}
	if req.ConsumerKey == "" || req.State != CredentialPendingValidation || !strings.HasPrefix(req.ValidationURL, "http://127.0.0.1:") {
		t.Errorf("RequestCredential = %+v", req)
	}
	_, err = app.WithConsumerKey(req.ConsumerKey).Me(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnauthorized || e.ErrorCode != "INVALID_CREDENTIAL" {
		t.Errorf("Me with an unvalidated key = %#v, want INVALID_CREDENTIAL", err)
	}
	// The sign-in client still has no consumer key.
	if _, err := app.Me(ctx); KindOf(err) != KindUnauthorized {
		t.Errorf("Me without a consumer key = %v, want KindUnauthorized", err)
	}
	// An invalid rule is the caller's mistake.
	if _, err := app.RequestCredential(ctx, []AccessRule{{"FETCH", "/me"}}, ""); KindOf(err) != KindInvalid {
		t.Errorf("RequestCredential with a bad method = %v, want KindInvalid", err)
	}
}

// TestAuthErrors: the API's authentication errors map to the Kinds the
// console acts on (REFERENCE §3.1, §12.3).
func TestAuthErrors(t *testing.T) {
	t.Parallel()
	emu, endpoint := emuEndpoint(t)
	ctx := testCtx(t)

	restricted := emuClient(t, emu, endpoint, ovhemu.DemoAccount, []ovhemu.AccessRule{{Method: "GET", Path: "/me"}})
	if _, err := restricted.Me(ctx); err != nil {
		t.Errorf("Me with a /me key: %v", err)
	}
	_, err := restricted.LoadBalancers(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindForbidden || e.ErrorCode != "NOT_GRANTED_CALL" || e.Message == "" || e.QueryID == "" {
		t.Errorf("LoadBalancers outside the key's rules = %#v, want KindForbidden NOT_GRANTED_CALL", err)
	}

	expiring := emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
	if _, err := expiring.Me(ctx); err != nil {
		t.Fatal(err)
	}
	emu.ExpireConsumerKey(consumerKeyOf(expiring))
	if _, err := expiring.Me(ctx); KindOf(err) != KindUnauthorized || MessageOf(err) == "" {
		t.Errorf("Me with an expired key = %v, want KindUnauthorized", err)
	}

	wrongSecret, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: "not-the-secret", ConsumerKey: consumerKeyOf(restricted)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrongSecret.Me(ctx)
	if !errors.As(err, &e) || e.Kind != KindOther || e.ErrorCode != "INVALID_SIGNATURE" {
		t.Errorf("Me with a wrong secret = %#v, want KindOther INVALID_SIGNATURE (the console's fault)", err)
	}

	unknownApp, err := New(Config{Endpoint: endpoint, AppKey: "no-such-app", AppSecret: "x", ConsumerKey: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unknownApp.Me(ctx); KindOf(err) != KindUnauthorized {
		t.Errorf("Me with an unknown application = %v, want KindUnauthorized", err)
	}

	// A key of DemoAppKey used with the other application.
	otherApp, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.OtherAppKey, AppSecret: ovhemu.OtherAppSecret, ConsumerKey: consumerKeyOf(restricted)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = otherApp.Me(ctx)
	if !errors.As(err, &e) || e.Kind != KindUnauthorized || e.ErrorCode != "NOT_CREDENTIAL" {
		t.Errorf("Me with another application's key = %#v, want NOT_CREDENTIAL", err)
	}
}

// consumerKeyOf reads the consumer key a test client signs with.
func consumerKeyOf(c *Client) string { return c.api.ConsumerKey }

// TestInjectedFaults: emulator faults on real routes come back with the
// right Kind, message and query id.
func TestInjectedFaults(t *testing.T) {
	t.Parallel()
	const refresh = "/ipLoadbalancing/{serviceName}/refresh"
	tests := []struct {
		name        string
		fault       ovhemu.Fault
		wantKind    Kind
		wantStatus  int
		wantMessage string
		wantMissing []string
	}{
		{"conflict", ovhemu.Fault{Status: 409, Message: "A refresh is already in progress for this Load Balancer"},
			KindConflict, 409, "A refresh is already in progress for this Load Balancer", nil},
		{"internal error", ovhemu.Fault{Status: 500, Message: "Internal server error"}, KindUnavailable, 500, "Internal server error", nil},
		{"HTML 503", ovhemu.Fault{Status: 503, Body: "<html><body><h1>503 Service Unavailable</h1>Back soon.</body></html>"},
			KindUnavailable, 503, "The OVH API answered 503 Service Unavailable.", nil},
		{"IAM denial", ovhemu.Fault{Status: 403, Body: `{"class":"Client::Forbidden","message":"User not granted for this request","details":{"unauthorizedActionsByAuthentication":"","unauthorizedActionsByIAM":"loadbalancer:apiovh:refresh"}}`},
			KindForbidden, 403, "User not granted for this request", []string{"loadbalancer:apiovh:refresh"}},
		{"dropped connection", ovhemu.Fault{Drop: true}, KindUnavailable, 0, "The OVH API could not be reached.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			emu, c := newEmu(t)
			tt.fault.Times = 1
			emu.Fail("POST", refresh, tt.fault)
			_, err := c.Refresh(testCtx(t), ovhemu.DemoLB, "")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Kind != tt.wantKind || e.Status != tt.wantStatus || e.Message != tt.wantMessage || !slices.Equal(e.MissingActions, tt.wantMissing) {
				t.Errorf("err = %#v", e)
			}
			if tt.wantStatus != 0 && e.QueryID == "" {
				t.Errorf("no query id: %v", err)
			}
			// Times: 1, so the next refresh goes through.
			if _, err := c.Refresh(testCtx(t), ovhemu.DemoLB, ""); err != nil {
				t.Errorf("Refresh after the fault: %v", err)
			}
		})
	}
}

// TestInjectedDelay: the caller's deadline ends a slow call as
// KindUnavailable; a cancelled one comes back as context.Canceled.
func TestInjectedDelay(t *testing.T) {
	t.Parallel()
	emu, c := newEmu(t)
	if _, err := c.Me(testCtx(t)); err != nil { // fetch the time delta first
		t.Fatal(err)
	}
	emu.Fail("GET", "/ipLoadbalancing", ovhemu.Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	_, err := c.LoadBalancers(ctx)
	if KindOf(err) != KindUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow call past the deadline = %v, want KindUnavailable wrapping DeadlineExceeded", err)
	}
}
