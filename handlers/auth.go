package handlers

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// accountAPI is what sign-in and sign-out need from internal/ovh, with the
// user's consumer key.
type accountAPI interface {
	CurrentCredential(ctx context.Context) (ovh.Credential, error)
	AuthDetails(ctx context.Context) (ovh.AuthDetails, error)
	Me(ctx context.Context) (ovh.Me, error)
	Logout(ctx context.Context) error
}

// consoleAccessRules are the rights the console asks for when a user signs
// in: only the calls it makes (REFERENCE §2.3). Keep this list in step with
// the internal/ovh methods the handlers use. A "*" matches any run of
// characters, slashes included; a "*" in the middle of a path is used by
// OVHcloud's own examples (dnscontrol's documented "/domain/*/nameServers/update",
// [O]), and the emulator implements it the same way.
var consoleAccessRules = []ovh.AccessRule{
	// Load balancers: read everything (services, zones, failover IPs,
	// frontends, farms, servers, routes, rules, tasks, status, pending
	// changes, vRack status and networks).
	{Method: http.MethodGet, Path: "/ipLoadbalancing"},
	{Method: http.MethodGet, Path: "/ipLoadbalancing/*"},
	// Configuration the console edits: frontends, farms, servers, routes
	// and rules of every protocol, and vRack networks. Not the service
	// itself (no terminate, no contact change, no SSL certificates).
	{Method: http.MethodPost, Path: "/ipLoadbalancing/*/http/*"},
	{Method: http.MethodPut, Path: "/ipLoadbalancing/*/http/*"},
	{Method: http.MethodDelete, Path: "/ipLoadbalancing/*/http/*"},
	{Method: http.MethodPost, Path: "/ipLoadbalancing/*/tcp/*"},
	{Method: http.MethodPut, Path: "/ipLoadbalancing/*/tcp/*"},
	{Method: http.MethodDelete, Path: "/ipLoadbalancing/*/tcp/*"},
	{Method: http.MethodPost, Path: "/ipLoadbalancing/*/udp/*"},
	{Method: http.MethodPut, Path: "/ipLoadbalancing/*/udp/*"},
	{Method: http.MethodDelete, Path: "/ipLoadbalancing/*/udp/*"},
	{Method: http.MethodPost, Path: "/ipLoadbalancing/*/vrack/*"},
	{Method: http.MethodPut, Path: "/ipLoadbalancing/*/vrack/*"},
	{Method: http.MethodDelete, Path: "/ipLoadbalancing/*/vrack/*"},
	// Applying the configuration.
	{Method: http.MethodPost, Path: "/ipLoadbalancing/*/refresh"},
	// Failover IPs: read them and their tasks, move and park them. Nothing
	// else on /ip (no reverse DNS, firewall, termination, …).
	{Method: http.MethodGet, Path: "/ip"},
	{Method: http.MethodGet, Path: "/ip/*"},
	{Method: http.MethodPost, Path: "/ip/*/move"},
	{Method: http.MethodPost, Path: "/ip/*/park"},
	// Who signed in, and the key itself: checking it and revoking it at
	// logout.
	{Method: http.MethodGet, Path: "/me"},
	{Method: http.MethodGet, Path: "/auth/details"},
	{Method: http.MethodGet, Path: "/auth/currentCredential"},
	{Method: http.MethodPost, Path: "/auth/logout"},
}

// ConsoleAccessRules returns a copy of the rights the console asks for at
// sign-in (for documentation and tests).
func ConsoleAccessRules() []ovh.AccessRule {
	return append([]ovh.AccessRule(nil), consoleAccessRules...)
}

// pendingLoginTTL bounds how long a started sign-in waits for the callback.
// [INF]: OVHcloud does not document how long a validation link lives; a
// quarter of an hour is plenty for a person to sign in.
const pendingLoginTTL = 15 * time.Minute

// Login reasons, carried by /login?reason=.
const (
	reasonSignedOut = views.LoginReasonSignedOut
	reasonExpired   = views.LoginReasonExpired
	reasonRevoked   = views.LoginReasonRevoked
)

// showLogin renders the login page. A signed-in user goes straight on.
func (h *Handler) showLogin(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := sessionUser(c); ok {
		return h.seeOther(c, orHome(next))
	}
	return h.renderLogin(c, http.StatusOK, views.LoginModel{
		Next:   next,
		Notice: views.LoginNotice(c.QueryParam("reason")),
	})
}

func (h *Handler) renderLogin(c echo.Context, status int, m views.LoginModel) error {
	m.Demo, m.DemoLogins = h.demo, h.demoLogins
	c.Response().Header().Set("Content-Security-Policy", h.loginCSP)
	return h.render(c, status, h.pageMeta(c, "Sign in", views.NavNone), views.Login(m))
}

// login starts "Sign in with OVHcloud": it asks the API for a consumer key
// with the console's rights and a redirection to the callback, keeps the
// key and a random state in the session (server-side), and sends the
// browser to OVHcloud's validation page.
func (h *Handler) login(c echo.Context) error {
	if h.app == nil {
		return errors.New("login: no OVH API client configured")
	}
	next := safeNext(c.FormValue("next"))
	state := rand.Text()
	callback := h.baseURL(c) + views.LoginCallbackPath() + "?state=" + state
	req, err := h.app.RequestCredential(c.Request().Context(), consoleAccessRules, callback)
	if err != nil {
		return err
	}
	st := sessionOf(c)
	v := st.s.Values
	v[keyPendingState] = state
	v[keyPendingCK] = req.ConsumerKey
	v[keyPendingNext] = next
	v[keyPendingAt] = formatTime(h.now())
	if err := h.saveSession(c); err != nil {
		return err
	}
	// The validation page is on another site: a full navigation, even for
	// an htmx request (an XHR cannot follow a redirect there).
	if isHTMX(c.Request()) {
		c.Response().Header().Set(hxRedirect, req.ValidationURL)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, req.ValidationURL)
}

// baseURL is how the browser reaches the console, for the callback URL.
func (h *Handler) baseURL(c echo.Context) string {
	if h.publicURL != "" {
		return strings.TrimSuffix(h.publicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// loginCallback is where OVHcloud's validation page sends the browser
// back. The state must be the one this browser's session holds (a link
// started by someone else cannot sign this browser in: no login CSRF); the
// key must be validated; only then is the user signed in, in a session
// with a new ID.
func (h *Handler) loginCallback(c echo.Context) error {
	st := sessionOf(c)
	v := st.s.Values
	want, _ := v[keyPendingState].(string)
	ck, _ := v[keyPendingCK].(string)
	next, _ := v[keyPendingNext].(string)
	got := c.QueryParam("state")
	if want == "" || ck == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return h.loginProblem(c, http.StatusBadRequest, "This sign-in cannot be completed",
			"This sign-in link does not belong to a sign-in started in this browser, or it has already been used. Start again from this browser.", "")
	}
	started := parseTime(v[keyPendingAt])
	clearPending(st)
	if h.now().Sub(started) > pendingLoginTTL {
		return h.loginProblem(c, http.StatusBadRequest, "This sign-in took too long",
			"The sign-in was started too long ago. Start again.", next)
	}
	// The key was asked for with consoleAccessRules: it has them all.
	u, _, err := h.checkKey(c.Request().Context(), ck)
	switch {
	case errors.Is(err, errKeyNotValidated), ovh.KindOf(err) == ovh.KindUnauthorized:
		// A refused or abandoned validation: OVHcloud sends the browser
		// back in both cases, and the key is not valid (REFERENCE §2.3).
		return h.loginProblem(c, http.StatusForbidden, "Sign-in not completed",
			"OVHcloud did not grant the console access: the request was refused or not completed. You can try again.", next)
	case err != nil:
		return err
	}
	if err := h.startUserSession(c, u, ck); err != nil {
		return err
	}
	return h.seeOther(c, orHome(next))
}

// loginWithKey signs in with a consumer key the user already holds for the
// console's application, checked like the callback's.
func (h *Handler) loginWithKey(c echo.Context) error {
	if h.clients.build == nil {
		return errors.New("login: no OVH API client configured")
	}
	next := safeNext(c.FormValue("next"))
	ck := strings.TrimSpace(c.FormValue("consumer_key"))
	m := views.LoginModel{Next: next}
	if !plausibleKey(ck) {
		m.KeyError = "Paste a consumer key: letters and digits only, as OVHcloud issued it."
		return h.renderLogin(c, http.StatusUnprocessableEntity, m)
	}
	u, lacks, err := h.checkKey(c.Request().Context(), ck)
	var oe *ovh.Error
	switch {
	case errors.Is(err, errKeyNotValidated):
		m.KeyError = "This consumer key has not been validated (or was refused). Validate it on OVHcloud first, or use “Sign in with OVHcloud”."
	case errors.As(err, &oe) && oe.Kind == ovh.KindUnauthorized && oe.ErrorCode == "NOT_CREDENTIAL":
		m.KeyError = "OVHcloud does not know this consumer key for this console's application."
	case ovh.KindOf(err) == ovh.KindUnauthorized:
		m.KeyError = "This consumer key is not valid: it is pending validation, was refused, has expired or was revoked."
	case err != nil:
		return err
	}
	if m.KeyError != "" {
		// The key is never written back into the page.
		return h.renderLogin(c, http.StatusUnprocessableEntity, m)
	}
	if err := h.startUserSession(c, u, ck); err != nil {
		return err
	}
	if len(lacks) > 0 {
		// Signed in all the same: the key may be enough for what this
		// user does; the pages that need more will fail with OVHcloud's
		// refusal.
		h.flash(c, views.FlashWarning, lacksMessage(lacks))
	}
	return h.seeOther(c, orHome(next))
}

// ruleCovers reports whether the key's access rule k allows every call
// that the console's rule n stands for: the same method, and k's path glob
// matches n's path pattern read as text. A "*" matches any run of
// characters, slashes included (as at OVHcloud, see consoleAccessRules), so
// a "*" of n is matched only by a "*" of k: "/ip/*" covers "/ip/*/move",
// "GET /*" covers every GET, but "/ip/1.2.3.4/move" does not cover
// "/ip/*/move".
func ruleCovers(k, n ovh.AccessRule) bool {
	if k.Method != n.Method {
		return false
	}
	p, s := k.Path, n.Path
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*': // try matching nothing first
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0: // let the last "*" take one more character
			pi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// missingRights returns the rules of need that no rule of have covers.
func missingRights(have, need []ovh.AccessRule) []ovh.AccessRule {
	var lacks []ovh.AccessRule
	for _, n := range need {
		if !slices.ContainsFunc(have, func(k ovh.AccessRule) bool { return ruleCovers(k, n) }) {
			lacks = append(lacks, n)
		}
	}
	return lacks
}

// lacksShown is how many missing rights the warning names before "and N
// more".
const lacksShown = 4

// lacksMessage is the warning shown after signing in with a pasted key
// that lacks some of the console's rights (lacks is not empty).
func lacksMessage(lacks []ovh.AccessRule) string {
	names := make([]string, 0, lacksShown)
	for _, r := range lacks[:min(len(lacks), lacksShown)] {
		names = append(names, r.Method+" "+r.Path)
	}
	msg := "Signed in, but this consumer key lacks some of the console's rights, and the pages that need them will fail. This key cannot: " +
		strings.Join(names, ", ")
	if more := len(lacks) - lacksShown; more > 0 {
		msg += fmt.Sprintf(" and %d more", more)
	}
	return msg + ". “Sign in with OVHcloud” asks for a key with all of them."
}

// plausibleKey rejects what cannot be a consumer key before calling the
// API (OVHcloud's are 32 letters and digits).
func plausibleKey(ck string) bool {
	if ck == "" || len(ck) > 128 {
		return false
	}
	for _, r := range ck {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// errKeyNotValidated: the key exists but its status is not "validated".
var errKeyNotValidated = errors.New("consumer key not validated")

// checkKey confirms that consumerKey is validated and loads who it belongs
// to: the account and IAM user (/auth/details) and the name (/me). It also
// returns the console's rights the key's rules lack (consoleAccessRules).
// It uses a client of its own, not cached: the key is not signed in yet.
func (h *Handler) checkKey(ctx context.Context, consumerKey string) (User, []ovh.AccessRule, error) {
	client := h.clients.build(consumerKey)
	cred, err := client.CurrentCredential(ctx)
	if err != nil {
		return User{}, nil, err
	}
	if cred.Status != ovh.CredentialValidated {
		return User{}, nil, errKeyNotValidated
	}
	details, err := client.AuthDetails(ctx)
	if err != nil {
		return User{}, nil, err
	}
	me, err := client.Me(ctx)
	if err != nil {
		return User{}, nil, err
	}
	u := User{Account: details.Account, Name: me.DisplayName()}
	if u.Account == "" {
		u.Account = me.NicHandle
	}
	if details.User != nil {
		u.IAMUser = *details.User
	}
	if cred.Expiration != nil {
		u.KeyExpires = *cred.Expiration
	}
	return u, missingRights(cred.Rules, consoleAccessRules), nil
}

// loginProblem renders the page of a sign-in that cannot complete. A
// cleared pending sign-in is saved just before the page is written
// (saveIfDirty); an anonymous visitor with no session gets none.
func (h *Handler) loginProblem(c echo.Context, status int, title, msg, next string) error {
	return h.render(c, status, h.pageMeta(c, title, views.NavNone),
		views.LoginProblem(views.LoginProblemModel{Title: title, Message: msg, Next: next}))
}

func clearPending(st *sessionState) {
	for _, k := range []string{keyPendingState, keyPendingCK, keyPendingNext, keyPendingAt} {
		delete(st.s.Values, k)
	}
	st.dirty = true
}

// logout revokes the user's consumer key (POST /auth/logout) and destroys
// the session. When the API cannot confirm the revocation, the session
// ends anyway and the login page says so.
func (h *Handler) logout(c echo.Context) error {
	reason := reasonSignedOut
	if client, err := h.clientFor(c); err == nil {
		if err := client.Logout(c.Request().Context()); err != nil && ovh.KindOf(err) != ovh.KindUnauthorized {
			// An already invalid key is as good as revoked; anything else
			// leaves a key the user should revoke by hand.
			h.log.WarnContext(c.Request().Context(), "logout: consumer key not revoked",
				"request_id", requestIDOf(c), "err", err)
			reason = ""
		}
	}
	if err := h.endSession(c); err != nil {
		return err
	}
	if reason == "" {
		h.flash(c, views.FlashWarning, "You are signed out of the console, but OVHcloud did not confirm that your consumer key was revoked. Revoke it in your OVHcloud account if you can.")
	}
	return h.toLoginAfter(c, reason)
}

// toLoginAfter redirects to the login page after a logout (the same answer
// as seeOther, with a reason).
func (h *Handler) toLoginAfter(c echo.Context, reason string) error {
	return h.seeOther(c, views.LoginPath("", reason))
}

func orHome(next string) string {
	if next == "" {
		return views.HomePath()
	}
	return next
}

// describeUser is a short form of u for the log (no secret).
func describeUser(u User) string {
	if u.IAMUser != "" {
		return fmt.Sprintf("%s/%s", u.Account, u.IAMUser)
	}
	return u.Account
}
