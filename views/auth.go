package views

import (
	"net/url"
	"time"
)

// SignedInUser is who the header shows as signed in.
type SignedInUser struct {
	Account    string    // the OVHcloud account (nichandle)
	IAMUser    string    // the IAM user who signed in; "" for the account itself
	Name       string    // the account holder's name
	KeyExpires time.Time // when the consumer key expires; zero = never
}

// Login returns "account" or "account/iam-user", as the user signed in.
func (u SignedInUser) Login() string {
	if u.IAMUser == "" {
		return u.Account
	}
	return u.Account + "/" + u.IAMUser
}

// Expiry returns when the key expires, in UTC, or "never".
func (u SignedInUser) Expiry() string {
	if u.KeyExpires.IsZero() {
		return "never"
	}
	return u.KeyExpires.UTC().Format("2006-01-02 15:04 UTC")
}

// DemoLogin is an account of the built-in emulator, listed on the login page
// in demo mode.
type DemoLogin struct {
	Login    string // e.g. "xy1234-ovh" or "xy1234-ovh/ops-alice"
	Password string
	Label    string // who it is, e.g. "IAM user of xy1234-ovh"
}

// LoginModel is the login page's view model.
type LoginModel struct {
	Next       string      // where to go after signing in (a local path), carried by both forms
	Notice     string      // why the user is here (signed out, session expired, …); "" = nothing
	KeyError   string      // what was wrong with a pasted consumer key
	Demo       bool        // list DemoLogins
	DemoLogins []DemoLogin // the emulator's accounts
}

// LoginProblemModel is the page shown when a sign-in cannot complete: the
// callback's state does not match, or the validation was refused or not
// finished.
type LoginProblemModel struct {
	Title   string
	Message string
	Next    string // kept for "try again"
}

// WhoAmIModel is the signed-in user's summary page.
type WhoAmIModel struct {
	User          SignedInUser
	LoadBalancers []string // service names of the account's load balancers
}

// Login reasons: why the login page is shown, as carried by ?reason=. The
// page maps each to a fixed sentence; nothing from the URL is displayed.
const (
	LoginReasonSignedOut = "signed-out"
	LoginReasonExpired   = "expired"
	LoginReasonRevoked   = "revoked"
)

// LoginPath is the login page, with the page to come back to and the
// reason for the visit (both optional).
func LoginPath(next, reason string) string {
	q := url.Values{}
	if next != "" {
		q.Set("next", next)
	}
	if reason != "" {
		q.Set("reason", reason)
	}
	if len(q) == 0 {
		return pathOf("login")
	}
	return pathOf("login") + "?" + q.Encode()
}

// LoginCallbackPath is where the OVH validation page sends the browser back.
func LoginCallbackPath() string { return pathOf("login", "callback") }

// LoginKeyPath receives a pasted consumer key.
func LoginKeyPath() string { return pathOf("login", "key") }

// LogoutPath signs out (POST).
func LogoutPath() string { return pathOf("logout") }

// WhoAmIPath is the signed-in user's summary page.
func WhoAmIPath() string { return pathOf("whoami") }
