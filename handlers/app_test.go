package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// The helpers themselves: a pasted-key sign-in gives a browser that sees
// its own account's pages; an anonymous one is sent to sign in.
func TestAppHelpersSignIn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)

	status, _ := app.get(t, "/whoami")
	if status != http.StatusSeeOther {
		t.Fatalf("anonymous /whoami = %d, want 303", status)
	}
	if got, want := app.browser.header("Location"), "/login?next=%2Fwhoami"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}

	// app.post reads the token from the login page first: a bad key is a
	// 422 form, not a CSRF failure.
	if status, doc := app.post(t, "/login/key", url.Values{"consumer_key": {"nope"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("bad pasted key = %d: %s", status, doc.Find("main").Text())
	}

	b := app.loginAs(t, ovhemu.DemoAccount)
	if got := b.header("Location"); got != "/" {
		t.Errorf("after sign-in, Location = %q, want /", got)
	}
	status, doc := b.get(t, "/whoami")
	if status != http.StatusOK {
		t.Fatalf("/whoami = %d: %s", status, doc.Text())
	}
	if got := doc.Find(testID("whoami-login")).Text(); got != ovhemu.DemoAccount {
		t.Errorf("whoami login = %q", got)
	}
	var lbs []string
	doc.Find(testID("whoami-lb")).Each(func(_ int, s *goquery.Selection) { lbs = append(lbs, s.Text()) })
	if strings.Join(lbs, ",") != ovhemu.DemoLB+","+ovhemu.DemoLB2 && strings.Join(lbs, ",") != ovhemu.DemoLB2+","+ovhemu.DemoLB {
		t.Errorf("load balancers = %v", lbs)
	}
	if got := doc.Find(testID("signed-in-login")).Text(); got != ovhemu.DemoAccount {
		t.Errorf("header shows %q", got)
	}

	// post carries the CSRF token: the logout form works.
	status, _ = b.post(t, "/logout", nil)
	if status != http.StatusSeeOther {
		t.Fatalf("logout = %d, want 303", status)
	}
	status, _ = b.get(t, "/whoami")
	if status != http.StatusSeeOther {
		t.Errorf("/whoami after logout = %d, want 303", status)
	}
	// A POST without the token is refused.
	b2 := app.loginAs(t, ovhemu.OtherAccount)
	if status, _ := b2.post(t, "/logout", url.Values{"_csrf": {""}}); status != http.StatusBadRequest {
		t.Errorf("logout without a token = %d, want 400", status)
	}
}
