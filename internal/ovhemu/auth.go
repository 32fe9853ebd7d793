package ovhemu

import (
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // the OVH signature is SHA-1 by definition (REFERENCE §2.1)
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The applications the emulator knows (REFERENCE §2.1: an application key is
// public, its secret never leaves the client). They look like real ones: a
// 16-character key and a 32-character secret.
const (
	// DemoAppKey is the application of demo mode and of most tests.
	DemoAppKey = "emuDemoAppKey001"
	// DemoAppSecret is DemoAppKey's secret.
	DemoAppSecret = "emuDemoAppSecret0000000000000001" //nolint:gosec // a published demo value, not a secret
	// OtherAppKey is a second application, so that a consumer key used with
	// the wrong application ("CK of another AK") can be tested.
	OtherAppKey = "emuOtherAppKey02"
	// OtherAppSecret is OtherAppKey's secret.
	OtherAppSecret = "emuOtherAppSecret000000000000002" //nolint:gosec // a published demo value, not a secret
)

// DemoIAMUser is an IAM user (a local user) of DemoAccount. Its login on the
// validation page is DemoAccount + "/" + DemoIAMUser, its password
// DemoPassword.
const DemoIAMUser = "ops-alice"

// The states of a credential (auth.CredentialStateEnum).
const (
	credPending   = "pendingValidation"
	credValidated = "validated"
	credRefused   = "refused"
	credExpired   = "expired"
)

// authHTTPMethods is auth.HTTPMethodEnum, the methods a rule may name.
var authHTTPMethods = []string{"DELETE", "GET", "PATCH", "POST", "PUT"}

// AccessRule is one right of a consumer key (auth.AccessRule): an HTTP
// method and a path relative to the API root, in which "*" matches any
// sequence of characters, slashes included (see ruleAllows).
type AccessRule struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// allRights is what IssueConsumerKey grants when given no rules: go-ovh's
// ReadWrite on "/*", the console's usual request.
var allRights = []AccessRule{{"GET", "/*"}, {"POST", "/*"}, {"PUT", "/*"}, {"DELETE", "/*"}}

// authState holds the applications, credentials and IAM users. It is guarded
// by Emulator.mu, like the world.
type authState struct {
	apps   map[string]*application // by application key
	creds  map[string]*credential  // by consumer key
	tokens map[string]*credential  // credentials awaiting the validation page, by token
	users  map[string][]iamUser    // IAM users, by the nichandle of their account

	lastAppID  int64
	lastCredID int64
}

func (a *authState) init() {
	a.apps = map[string]*application{}
	a.creds = map[string]*credential{}
	a.tokens = map[string]*credential{}
	a.users = map[string][]iamUser{}
	// [INF] ids shaped like the real ones (REFERENCE §2.4 example:
	// applicationId 38683, credentialId 116223292).
	a.lastAppID = 38680
	a.lastCredID = 116223000
}

// application is an API application (auth.ApiApplication).
type application struct {
	id          int64
	key, secret string
	name        string
	description string
}

// iamUser is a local user of an account, who signs in as "nic/login".
type iamUser struct {
	login    string
	password string
}

// credential is a consumer key and what it grants (auth.ApiCredential).
type credential struct {
	id          int64
	consumerKey string
	app         *application
	status      string // credPending, credValidated, credRefused or credExpired
	rules       []AccessRule
	allowedIPs  []string       // as requested, e.g. "192.0.2.0/24"; nil = anywhere
	allowedNets []netip.Prefix // allowedIPs parsed
	redirection string         // where the validation page sends the browser back
	token       string         // the validation page's credentialToken while pending
	creation    time.Time
	expiration  *time.Time // nil = unlimited (or not validated yet)
	lastUse     *time.Time
	nic         string // the account it was validated for
	user        string // the IAM user who validated it; "" = the account itself
}

// statusAt is the credential's state at now: a validated key whose
// expiration has come is expired.
func (cr *credential) statusAt(now time.Time) string {
	if cr.status == credValidated && cr.expiration != nil && !now.Before(*cr.expiration) {
		return credExpired
	}
	return cr.status
}

// seedApplications registers the two applications and DemoAccount's IAM
// user. It runs after the world seed, so it also holds under WithEmptySeed.
func (e *Emulator) seedApplications() {
	e.auth.addApplication(DemoAppKey, DemoAppSecret, "IPLB console", "IPLB console (demo mode)")
	e.auth.addApplication(OtherAppKey, OtherAppSecret, "Another application", "A second application, for tests")
	if _, ok := e.world.accounts[DemoAccount]; ok {
		e.auth.users[DemoAccount] = append(e.auth.users[DemoAccount], iamUser{login: DemoIAMUser, password: DemoPassword})
	}
}

func (a *authState) addApplication(key, secret, name, description string) {
	a.lastAppID++
	a.apps[key] = &application{id: a.lastAppID, key: key, secret: secret, name: name, description: description}
}

// registerAuthRoutes registers /auth/* (auth.json), /me (me.go) and the
// validation page (validation.go), which lives outside the API roots, at
// /auth/ of the emulator's own root, as the real one does at
// https://eu.api.ovh.com/auth/ (REFERENCE §2.3 [D]).
func (e *Emulator) registerAuthRoutes() {
	e.handle("GET", "/auth/time", true, e.getAuthTime)
	e.handle("POST", "/auth/credential", true, e.postAuthCredential)
	e.handle("GET", "/auth/currentCredential", false, e.getCurrentCredential)
	e.handle("GET", "/auth/details", false, e.getAuthDetails)
	e.handle("POST", "/auth/logout", false, e.postAuthLogout)
	e.registerMeRoutes()
	e.mux.HandleFunc("/auth/", e.serveValidationPage)
}

// ovhSignature computes the X-Ovh-Signature of a request (REFERENCE §2.1):
// "$1$" + hex(sha1(AS+"+"+CK+"+"+METHOD+"+"+TARGET+"+"+BODY+"+"+TS)).
func ovhSignature(appSecret, consumerKey, method, target, body, timestamp string) string {
	h := sha1.New() //nolint:gosec // see the import
	h.Write([]byte(appSecret + "+" + consumerKey + "+" + method + "+" + target + "+" + body + "+" + timestamp))
	return "$1$" + hex.EncodeToString(h.Sum(nil))
}

// Authentication-layer errors (REFERENCE §3.1 table, §12.3). Each call
// builds a new value, since writeError may be handed it after the lock.

// errNotLoggedIn: REFERENCE §3.1, the message is [O] (node-ovh#20,
// go-ovh#70); the class is [INF]; the errorCode NOT_AUTHENTICATED is [INF].
func errNotLoggedIn() *apiError {
	return authErr(http.StatusUnauthorized, "NOT_AUTHENTICATED", "You must login first")
}

// errInvalidKey: REFERENCE §3.1, the code is [C] (python-ovh), the message
// [INF].
func errInvalidKey() *apiError {
	return authErr(http.StatusForbidden, "INVALID_KEY", "Invalid application key")
}

// errQueryTimeOut: REFERENCE §2.2 [INF]: the code is known from node-ovh-ts
// typings; the status (400) and the message are our choice.
func errQueryTimeOut() *apiError {
	return authErr(http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")
}

// errInvalidSignature: REFERENCE §3.1 [O].
func errInvalidSignature() *apiError {
	return authErr(http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
}

// errNotCredential: REFERENCE §3.1 [O] (unknown key, or another
// application's).
func errNotCredential() *apiError {
	return authErr(http.StatusForbidden, "NOT_CREDENTIAL", "This credential does not exist")
}

// errInvalidCredential: REFERENCE §3.1 [O] (pending, refused or expired).
func errInvalidCredential() *apiError {
	return authErr(http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
}

// errNotGranted: REFERENCE §3.1 [O].
func errNotGranted() *apiError {
	return authErr(http.StatusForbidden, "NOT_GRANTED_CALL", "This call has not been granted")
}

// selfRoutes are the calls any valid credential may make whatever its rules:
// a key can always look at itself and revoke itself. [INF] from
// python-ovh#141, where an OVH maintainer suggests calling
// /auth/currentCredential with the very key whose rules are in question.
var selfRoutes = []string{"GET /auth/currentCredential", "GET /auth/details", "POST /auth/logout"}

// authenticate checks a signed call and, on success, sets c.cred and
// c.account and records the key's last use. It runs under e.mu. The checks
// come in this order, each with its own error (REFERENCE §12.3):
//
//  1. no X-Ovh-Application → 401 "You must login first"
//  2. unknown application key → 403 INVALID_KEY
//  3. no X-Ovh-Consumer, X-Ovh-Timestamp or X-Ovh-Signature → 401 "You must login first"
//  4. a timestamp that is not an integer or is more than cfg.skew away from
//     the server clock → 400 QUERY_TIME_OUT ([INF], REFERENCE §2.2)
//  5. a signature that does not match → 400 INVALID_SIGNATURE
//  6. an unknown consumer key, or one of another application → 403 NOT_CREDENTIAL
//  7. a key pending validation, refused or expired, or used from an address
//     outside its allowedIPs ([INF]) → 403 INVALID_CREDENTIAL
//  8. a call no rule of the key covers → 403 NOT_GRANTED_CALL
func (e *Emulator) authenticate(c *call) *apiError {
	r := c.r
	ak := r.Header.Get("X-Ovh-Application")
	if ak == "" {
		return errNotLoggedIn()
	}
	app := e.auth.apps[ak]
	if app == nil {
		return errInvalidKey()
	}
	ck := r.Header.Get("X-Ovh-Consumer")
	ts := r.Header.Get("X-Ovh-Timestamp")
	sig := r.Header.Get("X-Ovh-Signature")
	if ck == "" || ts == "" || sig == "" {
		// [INF] an empty consumer key (go-ovh sends the header even then,
		// REFERENCE §2.1 [V]) counts as no login at all.
		return errNotLoggedIn()
	}
	now := e.cfg.now()
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errQueryTimeOut()
	}
	if d := now.Sub(time.Unix(sec, 0)); d > e.cfg.skew || d < -e.cfg.skew {
		return errQueryTimeOut()
	}
	if !e.signatureMatches(r, app.secret, ck, string(c.body), ts, sig) {
		return errInvalidSignature()
	}
	cred := e.auth.creds[ck]
	if cred == nil || cred.app != app {
		return errNotCredential()
	}
	if cred.statusAt(now) != credValidated || !cred.allowsAddr(r.RemoteAddr) {
		return errInvalidCredential()
	}
	key := c.route.method + " " + c.route.pattern
	if !slices.Contains(selfRoutes, key) && !ruleAllows(cred.rules, r.Method, apiRelativePath(r)) {
		return errNotGranted()
	}
	acct := e.world.accounts[cred.nic]
	if acct == nil {
		// The account is gone (a test built its own world): the key names
		// nobody any more.
		return errNotCredential()
	}
	cred.lastUse = &now
	c.cred, c.account = cred, acct
	return nil
}

// signatureMatches checks sig against the request as the client saw it
// (REFERENCE §2.1 "Emulator rules"): TARGET is scheme://Host followed by the
// raw request-target (r.RequestURI, which keeps %2F and any prefix that
// http.StripPrefix removed from r.URL), BODY the bytes as received.
//
// The scheme is the connection's; when a public URL is configured, its
// scheme is accepted too, for a TLS-terminating proxy in front of the
// emulator ([INF]).
func (e *Emulator) signatureMatches(r *http.Request, secret, ck, body, ts, sig string) bool {
	uri := r.RequestURI
	if uri == "" {
		// A request built for a client (http.NewRequest) and handed to
		// ServeHTTP directly has no RequestURI.
		uri = r.URL.RequestURI()
	}
	schemes := []string{requestScheme(r)}
	if u, err := url.Parse(e.cfg.publicURL); err == nil && u.Scheme != "" && u.Scheme != schemes[0] {
		schemes = append(schemes, u.Scheme)
	}
	for _, scheme := range schemes {
		want := ovhSignature(secret, ck, r.Method, scheme+"://"+r.Host+uri, body, ts)
		if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) == 1 {
			return true
		}
	}
	return false
}

func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// apiRelativePath is the request's path relative to the API root, unescaped:
// "/1.0/ip/203.0.113.10%2F32" gives "/ip/203.0.113.10/32". It is what rules
// are matched against.
func apiRelativePath(r *http.Request) string {
	p := r.URL.Path
	for _, root := range []string{"/1.0", "/v1"} {
		if rest, ok := strings.CutPrefix(p, root); ok && (rest == "" || rest[0] == '/') {
			return rest
		}
	}
	return p
}

// ruleAllows reports whether a rule covers the call. A rule covers it when
// its method is the call's method (exactly, upper case) and its path, as a
// glob in which "*" matches any sequence of characters including "/" and
// every other character matches itself, matches the whole of path.
//
// [INF] (REFERENCE §2.3, §12.3): path is relative to the API root (no /1.0
// or /v1), unescaped (so "/ip/203.0.113.10/32" is what a rule for one IP
// block must say, and "/ip/*" covers every block), without the query string.
func ruleAllows(rules []AccessRule, method, path string) bool {
	for _, rule := range rules {
		if rule.Method == method && ruleGlobMatch(rule.Path, path) {
			return true
		}
	}
	return false
}

// ruleGlobMatch matches s against pattern, where "*" matches any run of
// characters (slashes included). It backtracks only to the last star, which
// is enough for this kind of glob and keeps it linear-ish.
func ruleGlobMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// allowsAddr reports whether remoteAddr ("host:port") may use the key.
func (cr *credential) allowsAddr(remoteAddr string) bool {
	if cr.allowedNets == nil {
		return true
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, n := range cr.allowedNets {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

// parseAllowedIPs reads an ipBlock[] (REFERENCE §0): CIDR blocks, a bare
// address meaning that address alone ([INF]).
func parseAllowedIPs(list []string) ([]netip.Prefix, error) {
	if list == nil {
		return nil, nil
	}
	nets := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			nets = append(nets, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP block", s)
		}
		nets = append(nets, netip.PrefixFrom(a, a.BitLen()))
	}
	return nets, nil
}

// checkRules validates access rules (auth.AccessRuleRequest).
// [INF] wording of every message.
func checkRules(rules []AccessRule) error {
	if len(rules) == 0 {
		// [INF] the schema makes accessRules required; an empty list would
		// grant nothing, so it is refused too.
		return errors.New("accessRules: at least one access rule is required")
	}
	for i, rule := range rules {
		if !slices.Contains(authHTTPMethods, rule.Method) {
			return fmt.Errorf("accessRules[%d].method: %q is not a valid auth.HTTPMethodEnum", i, rule.Method)
		}
		if !strings.HasPrefix(rule.Path, "/") {
			return fmt.Errorf("accessRules[%d].path: %q must start with /", i, rule.Path)
		}
	}
	return nil
}

// newCredential creates a credential in state status with a fresh consumer
// key (32 letters and digits, like the real ones, REFERENCE §2.3 [D]).
func (a *authState) newCredential(app *application, rules []AccessRule, now time.Time) *credential {
	a.lastCredID++
	cred := &credential{
		id:       a.lastCredID,
		app:      app,
		status:   credPending,
		rules:    slices.Clone(rules),
		creation: now,
	}
	for {
		cred.consumerKey = authRandomString(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
		if a.creds[cred.consumerKey] == nil {
			break
		}
	}
	a.creds[cred.consumerKey] = cred
	return cred
}

// authRandomString returns n characters drawn uniformly from alphabet
// (at most 256 characters) with crypto/rand.
func authRandomString(n int, alphabet string) string {
	limit := 256 - 256%len(alphabet) // reject bytes that would bias the draw
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails (crypto/rand documents it)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// credentialRequestJSON is auth.ApiCredentialRequestParams.
type credentialRequestJSON struct {
	AccessRules []AccessRule `json:"accessRules"`
	AllowedIPs  []string     `json:"allowedIPs"`
	Redirection *string      `json:"redirection"`
}

// credentialRequestAnswer is auth.ApiCredentialRequest.
type credentialRequestAnswer struct {
	ConsumerKey   string `json:"consumerKey"`
	State         string `json:"state"`
	ValidationURL string `json:"validationUrl"`
}

// GET /auth/time: the server clock in Unix seconds, a bare JSON integer
// (REFERENCE §2.2 [S][V]).
func (e *Emulator) getAuthTime(*call) (any, error) {
	return e.cfg.now().Unix(), nil
}

// POST /auth/credential (REFERENCE §2.3): asks for a consumer key, which
// stays pendingValidation until someone signs in on the validation page.
func (e *Emulator) postAuthCredential(c *call) (any, error) {
	// [INF] a missing application key is an invalid one here: this call has
	// no login to ask for.
	app := e.auth.apps[c.r.Header.Get("X-Ovh-Application")]
	if app == nil {
		return nil, errInvalidKey()
	}
	if len(c.body) == 0 {
		return nil, badRequest("Missing body: accessRules is required") // [INF] wording
	}
	var req credentialRequestJSON
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := checkRules(req.AccessRules); err != nil {
		return nil, badRequest("Invalid body: %s", err.Error())
	}
	nets, err := parseAllowedIPs(req.AllowedIPs)
	if err != nil {
		return nil, badRequest("Invalid body: allowedIPs: %s", err.Error())
	}
	redirection := ""
	if req.Redirection != nil && *req.Redirection != "" {
		redirection = *req.Redirection
		// [INF] only an absolute http(s) URL is accepted: the page
		// redirects the browser there, so nothing else (javascript:) may
		// pass.
		u, err := url.Parse(redirection)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, badRequest("Invalid body: redirection: %q is not an absolute http or https URL", redirection)
		}
	}
	cred := e.auth.newCredential(app, req.AccessRules, e.cfg.now())
	cred.allowedIPs, cred.allowedNets = req.AllowedIPs, nets
	cred.redirection = redirection
	for {
		cred.token = authRandomString(64, "0123456789abcdef")
		if e.auth.tokens[cred.token] == nil {
			break
		}
	}
	e.auth.tokens[cred.token] = cred
	return credentialRequestAnswer{
		ConsumerKey:   cred.consumerKey,
		State:         cred.status,
		ValidationURL: e.publicBase(c.r) + "/auth/?credentialToken=" + cred.token,
	}, nil
}

// publicBase is the URL the browser reaches the emulator's root at: the
// configured public URL, or the scheme and Host of the request followed by
// whatever came before the API root in the raw request-target, so that an
// emulator mounted under a prefix ("/ovhapi/1.0/...") gives
// "http://host/ovhapi".
func (e *Emulator) publicBase(r *http.Request) string {
	if e.cfg.publicURL != "" {
		return strings.TrimSuffix(e.cfg.publicURL, "/")
	}
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	raw, _, _ := strings.Cut(uri, "?")
	prefix := ""
	if suffix := r.URL.EscapedPath(); strings.HasSuffix(raw, suffix) {
		prefix = raw[:len(raw)-len(suffix)]
	} else {
		i := max(strings.LastIndex(raw, "/1.0/"), strings.LastIndex(raw, "/v1/"))
		if i > 0 {
			prefix = raw[:i]
		}
	}
	return requestScheme(r) + "://" + r.Host + prefix
}

// apiCredentialJSON is auth.ApiCredential (REFERENCE §2.4).
type apiCredentialJSON struct {
	AllowedIPs    []string     `json:"allowedIPs"`
	ApplicationID int64        `json:"applicationId"`
	Creation      string       `json:"creation"`
	CredentialID  int64        `json:"credentialId"`
	Expiration    *string      `json:"expiration"`
	LastUse       *string      `json:"lastUse"`
	OvhSupport    bool         `json:"ovhSupport"`
	Rules         []AccessRule `json:"rules"`
	Status        string       `json:"status"`
}

// authTime formats a datetime as the API does: RFC 3339 with a numeric
// offset (REFERENCE §0, "2017-07-11T08:07:49+02:00").
func authTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

func authTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := authTime(*t)
	return &s
}

func (cr *credential) toJSON(now time.Time) apiCredentialJSON {
	return apiCredentialJSON{
		AllowedIPs:    cr.allowedIPs,
		ApplicationID: cr.app.id,
		Creation:      authTime(cr.creation),
		CredentialID:  cr.id,
		Expiration:    authTimePtr(cr.expiration),
		LastUse:       authTimePtr(cr.lastUse),
		Rules:         cr.rules,
		Status:        cr.statusAt(now),
	}
}

// GET /auth/currentCredential.
func (e *Emulator) getCurrentCredential(c *call) (any, error) {
	if c.cred == nil {
		return nil, errNotLoggedIn() // an in-package doAs call has no key
	}
	return c.cred.toJSON(e.cfg.now()), nil
}

// authDetailsJSON is auth.Details (REFERENCE §2.4).
type authDetailsJSON struct {
	Account       string       `json:"account"`
	AllowedRoutes []AccessRule `json:"allowedRoutes"`
	Description   *string      `json:"description"`
	Identities    []string     `json:"identities"`
	Method        string       `json:"method"`
	Roles         []string     `json:"roles"`
	User          *string      `json:"user"`
}

// GET /auth/details: who the caller is. [INF] The identities are IAM URNs
// shaped like the real ones ("urn:v1:eu:identity:account:<nic>", and
// "...:user:<nic>/<login>" for an IAM user); description is the
// application's; roles are null.
func (e *Emulator) getAuthDetails(c *call) (any, error) {
	if c.account == nil {
		return nil, errNotLoggedIn()
	}
	d := authDetailsJSON{
		Account:    c.account.NicHandle,
		Identities: []string{"urn:v1:eu:identity:account:" + c.account.NicHandle},
		Method:     "account",
	}
	if c.cred != nil {
		d.AllowedRoutes = c.cred.rules
		desc := c.cred.app.description
		d.Description = &desc
		if c.cred.user != "" {
			u := c.cred.user
			d.Method, d.User = "user", &u
			d.Identities = []string{"urn:v1:eu:identity:user:" + c.account.NicHandle + "/" + u}
		}
	}
	return d, nil
}

// POST /auth/logout: expires the caller's key, now (REFERENCE §2.4 [S]).
func (e *Emulator) postAuthLogout(c *call) (any, error) {
	if c.cred == nil {
		return nil, errNotLoggedIn()
	}
	now := e.cfg.now()
	c.cred.status, c.cred.expiration = credExpired, &now
	return nil, nil
}

// lookupLogin resolves a login of the validation page: a nichandle
// ("xy1234-ovh", any case, [INF]) or "nichandle/user" for an IAM user. It
// returns the account, the IAM user ("" for the account itself) and the
// password that login has.
func (e *Emulator) lookupLogin(login string) (acct *account, user, password string, ok bool) {
	login = strings.TrimSpace(login)
	nic, user, _ := strings.Cut(login, "/")
	for _, a := range e.world.accounts {
		if strings.EqualFold(a.NicHandle, nic) {
			acct = a
			break
		}
	}
	if acct == nil {
		return nil, "", "", false
	}
	if user == "" {
		return acct, "", acct.Password, true
	}
	for _, u := range e.auth.users[acct.NicHandle] {
		if u.login == user {
			return acct, u.login, u.password, true
		}
	}
	return nil, "", "", false
}

// validate binds a pending credential to a login for validity (0 =
// unlimited) and consumes its validation token.
func (e *Emulator) validate(cred *credential, acct *account, user string, validity time.Duration) {
	now := e.cfg.now()
	cred.status, cred.nic, cred.user = credValidated, acct.NicHandle, user
	cred.expiration = nil
	if validity > 0 {
		exp := now.Add(validity)
		cred.expiration = &exp
	}
	delete(e.auth.tokens, cred.token)
	cred.token = ""
}

// IssueConsumerKey creates a consumer key of the application appKey, already
// validated for login ("xy1234-ovh", or "xy1234-ovh/ops-alice" for an IAM
// user), with rules (nil means GET, POST, PUT and DELETE on "/*") and
// validity (0 means unlimited). Tests use it to skip the validation page.
func (e *Emulator) IssueConsumerKey(appKey, login string, rules []AccessRule, validity time.Duration) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	app := e.auth.apps[appKey]
	if app == nil {
		return "", fmt.Errorf("ovhemu: unknown application key %q", appKey)
	}
	acct, user, _, ok := e.lookupLogin(login)
	if !ok {
		return "", fmt.Errorf("ovhemu: unknown login %q", login)
	}
	if rules == nil {
		rules = allRights
	}
	if err := checkRules(rules); err != nil {
		return "", fmt.Errorf("ovhemu: %w", err)
	}
	if validity < 0 {
		return "", fmt.Errorf("ovhemu: negative validity %s", validity)
	}
	cred := e.auth.newCredential(app, rules, e.cfg.now())
	e.validate(cred, acct, user, validity)
	return cred.consumerKey, nil
}

// ExpireConsumerKey makes the consumer key ck expire now, as if its validity
// had run out. An unknown key is ignored.
func (e *Emulator) ExpireConsumerKey(ck string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cred := e.auth.creds[ck]; cred != nil {
		now := e.cfg.now()
		cred.status, cred.expiration = credExpired, &now
		if cred.token != "" {
			delete(e.auth.tokens, cred.token)
			cred.token = ""
		}
	}
}
