package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/views/components"
)

func TestHeaderShowsTheSignedInUser(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 11, 26, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name                        string
		user                        *SignedInUser
		wantLogin, wantName, wantEx string
	}{
		{name: "nobody"},
		{name: "account, expiring", user: &SignedInUser{Account: "xy1234-ovh", Name: "Camille Martin", KeyExpires: exp},
			wantLogin: "xy1234-ovh", wantName: "(Camille Martin)", wantEx: "2026-11-26 08:30 UTC"},
		{name: "IAM user, unlimited", user: &SignedInUser{Account: "xy1234-ovh", IAMUser: "ops-alice", Name: "Camille Martin"},
			wantLogin: "xy1234-ovh/ops-alice", wantName: "(Camille Martin)", wantEx: "never"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := components.WithCSRF(context.Background(), "tok123")
			doc, _ := render(t, ctx, Layout(PageMeta{Title: "X", User: tt.user}, templ.Raw("")))
			if got := doc.Find(testID("signed-in")).Length() == 1; got != (tt.user != nil) {
				t.Fatalf("signed-in block shown = %v", got)
			}
			if tt.user == nil {
				if doc.Find(testID("logout-form")).Length() != 0 {
					t.Error("logout button for nobody")
				}
				return
			}
			for id, want := range map[string]string{"signed-in-login": tt.wantLogin, "signed-in-name": tt.wantName, "signed-in-expiry": tt.wantEx} {
				if got := doc.Find(testID(id)).Text(); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			form := doc.Find(testID("logout-form"))
			if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/logout" ||
				form.Find(`input[name="_csrf"]`).AttrOr("value", "") != "tok123" {
				t.Error("logout is not a POST form to /logout carrying the CSRF token")
			}
		})
	}
}

func TestLoginView(t *testing.T) {
	t.Parallel()
	ctx := components.WithCSRF(context.Background(), "tok123")
	doc, html := render(t, ctx, Login(LoginModel{
		Next: "/whoami", Notice: LoginNotice(LoginReasonExpired), KeyError: "bad key", Demo: true,
		DemoLogins: []DemoLogin{{Login: "xy1234-ovh", Password: "demo", Label: "demo"}},
	}))
	for _, id := range []string{"login-form", "login-key-form"} {
		f := doc.Find(testID(id))
		if f.AttrOr("method", "") != "post" || f.AttrOr("hx-boost", "") != "false" {
			t.Errorf("%s: not a non-boosted POST form", id)
		}
		if f.Find(`input[name="_csrf"]`).AttrOr("value", "") != "tok123" || f.Find(`input[name="next"]`).AttrOr("value", "") != "/whoami" {
			t.Errorf("%s: token or next missing", id)
		}
	}
	if doc.Find(testID("login-form")).AttrOr("action", "") != "/login" || doc.Find(testID("login-key-form")).AttrOr("action", "") != "/login/key" {
		t.Error("form actions")
	}
	if doc.Find(testID("login-key")).AttrOr("open", "none") == "none" {
		t.Error("the key form is folded although it has an error")
	}
	if got := doc.Find(testID("login-key-error")).Text(); got != "bad key" {
		t.Errorf("key error = %q", got)
	}
	if got := doc.Find(`input[name="consumer_key"]`).AttrOr("type", ""); got != "password" {
		t.Errorf("key input type = %q, want password (not shown on screen)", got)
	}
	if doc.Find(testID("demo-login")).Length() != 1 || !strings.Contains(doc.Find(testID("login-notice")).Text(), "session has ended") {
		t.Error("demo logins or notice missing")
	}
	if strings.Contains(html, "style=") || strings.Contains(html, "<script") {
		t.Error("inline style or script (the CSP forbids them)")
	}
	// axe "empty-table-header": every column header has a name, even if
	// only screen readers see it.
	if n := doc.Find(testID("demo-logins") + " th").Length(); n == 0 {
		t.Error("demo accounts table has no header")
	}
	doc.Find(testID("demo-logins") + " th").Each(func(i int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "" {
			t.Errorf("demo accounts table: header %d is empty", i+1)
		}
	})
	for reason, want := range map[string]string{
		LoginReasonSignedOut: "signed out", LoginReasonExpired: "session has ended", LoginReasonRevoked: "revoked", "<b>": "", "": "",
	} {
		if got := LoginNotice(reason); (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("LoginNotice(%q) = %q", reason, got)
		}
	}
	if got := LoginPath("/iplb?x=1", LoginReasonExpired); got != "/login?next=%2Fiplb%3Fx%3D1&reason=expired" {
		t.Errorf("LoginPath = %q", got)
	}
}
