package handlers

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/sessionstore"
	"github.com/iplb-console/iplb-console/views"
)

// OVH is everything the console asks of internal/ovh with a signed-in
// user's consumer key. Each handler file declares the slice it uses (STYLE
// §2.4) and adds it here. *ovh.Client satisfies it; tests may wrap it.
type OVH interface {
	accountAPI      // auth.go: who the key belongs to, and logout
	whoamiAPI       // whoami.go: the user's load balancers
	loadBalancerAPI // iplb.go: list, dashboard, IPLB shell and banner
	refreshAPI      // iplb_refresh.go: apply configuration (pre-flight, refresh, tasks)
	failoverAPI     // iplb_failover.go: failover IPs, attach (move), detach (park), IP task badge
	frontendAPI     // iplb_frontend.go: frontends list, create/edit form, delete
	routeAPI        // iplb_route.go: routes and rules of HTTP and TCP frontends
	tasksPageAPI    // iplb_task.go: tasks of the IPLB and its failover IPs, polled rows
	farmPageAPI     // iplb_farm.go: farms and their servers
	vrackPageAPI    // vrack.go: the vRack page
}

// credentialAPI is what sign-in needs from the application's own client
// (application key and secret, no consumer key).
type credentialAPI interface {
	RequestCredential(ctx context.Context, rules []ovh.AccessRule, redirection string) (ovh.CredentialRequest, error)
}

// Deps are what the handlers need from the outside. cmd/web builds them.
type Deps struct {
	// Log receives the request log and the errors; nil discards them.
	Log *slog.Logger
	// Demo is true when the console talks to its built-in emulator; pages
	// then show the demo banner, and the login page the demo accounts.
	Demo bool
	// DemoLogins are the accounts the login page lists in demo mode.
	DemoLogins []views.DemoLogin
	// Dev shows internal error text on error pages. Never in production:
	// it can reveal paths and upstream details.
	Dev bool
	// Endpoint is the OVH API endpoint the console uses ("ovh-eu", or a
	// URL), shown on the home page.
	Endpoint string

	// API is the console's application client: application key and
	// secret, no consumer key. It requests consumer keys at sign-in, and
	// each signed-in session gets its own client derived from it
	// (WithConsumerKey).
	API *ovh.Client
	// UserClient, if set, replaces API.WithConsumerKey to build a session's
	// client (tests use it to wrap the real client).
	UserClient func(consumerKey string) OVH
	// Sessions is the server-side session store. Nil means a store in
	// memory with a random key: for tests only, since sessions are then
	// lost at restart and not shared between replicas.
	Sessions *sessionstore.Store
	// PublicURL is how browsers reach the console ("https://console.example.com"):
	// the OVH validation page sends them back to PublicURL/login/callback.
	// Empty means the scheme and Host of the request that starts sign-in.
	PublicURL string
	// SecureCookies marks the CSRF cookie Secure (the session cookie's
	// options are the store's).
	SecureCookies bool
	// IdleTimeout is how long an unused API client is kept for a session
	// (the session store's idle timeout; 0 = 30 minutes).
	IdleTimeout time.Duration
	// Now is the clock (nil = time.Now); tests move it.
	Now func() time.Time
}

// Handler holds the dependencies shared by every handler. Create it with New
// and mount it with Register.
type Handler struct {
	log        *slog.Logger
	demo       bool
	demoLogins []views.DemoLogin
	dev        bool
	endpoint   string
	publicURL  string
	secure     bool
	now        func() time.Time

	app      credentialAPI // nil when Deps.API is nil
	loginCSP string        // the CSP of pages with the sign-in form (loginPageCSP)
	sessions *sessionstore.Store
	clients  *clientCache

	refreshes refreshGuard // iplb_refresh.go: single-flight Apply, who started which refresh
}

// New returns a Handler using d.
func New(d Deps) *Handler {
	log := d.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	idle := d.IdleTimeout
	if idle <= 0 {
		idle = 30 * time.Minute
	}
	h := &Handler{
		log: log, demo: d.Demo, demoLogins: d.DemoLogins, dev: d.Dev, endpoint: d.Endpoint,
		publicURL: d.PublicURL, secure: d.SecureCookies, now: now,
		sessions: d.Sessions,
	}
	h.loginCSP = contentSecurityPolicy
	newClient := d.UserClient
	if d.API != nil {
		h.app = d.API
		h.loginCSP = loginPageCSP(d.API.Endpoint())
		if newClient == nil {
			api := d.API
			newClient = func(ck string) OVH { return api.WithConsumerKey(ck) }
		}
	}
	h.clients = &clientCache{m: map[string]*cachedClient{}, now: now, idle: idle, build: newClient}
	if h.sessions == nil {
		// Only tests get here (see Deps.Sessions); the parameters are
		// valid, so New cannot fail.
		h.sessions, _ = sessionstore.New(sessionstore.NewMemory(now), sessionstore.Options{
			Keys: [][]byte{sessionstore.GenerateKey()}, IdleTimeout: idle, MaxLifetime: 8 * time.Hour,
			Cookie: sessions.Options{Secure: d.SecureCookies}, Now: now,
		})
	}
	return h
}

// errNotSignedIn is what clientFor returns without a signed-in user. It is
// KindUnauthorized, so the error handler sends the browser to sign in.
var errNotSignedIn = &ovh.Error{Op: "handlers.clientFor", Kind: ovh.KindUnauthorized, Message: "Not signed in."}

// clientFor returns the API client of the signed-in user of c: one per
// session, never shared between sessions, and kept while the session is
// used so that a page does not fetch /auth/time again. A handler that gets
// an ovh.KindUnauthorized error from it just returns the error: the error
// handler ends the session and sends the user to sign in again.
func (h *Handler) clientFor(c echo.Context) (OVH, error) {
	st := sessionOf(c)
	if st == nil {
		return nil, errNotSignedIn
	}
	ck, _ := st.s.Values[keyConsumerKey].(string)
	if ck == "" || st.s.ID == "" {
		return nil, errNotSignedIn
	}
	client := h.clients.get(st.s.ID, ck)
	if client == nil {
		return nil, errNotSignedIn // no API configured (tests of the skeleton)
	}
	return client, nil
}

// clientCache keeps each session's API client, by session ID.
type clientCache struct {
	mu        sync.Mutex
	m         map[string]*cachedClient
	now       func() time.Time
	idle      time.Duration // an entry unused this long is dropped
	lastSweep time.Time
	build     func(consumerKey string) OVH
}

type cachedClient struct {
	consumerKey string
	client      OVH
	used        time.Time
}

// get returns the client of session sid for consumerKey, building it the
// first time (or when the session's key changed).
func (cc *clientCache) get(sid, consumerKey string) OVH {
	if cc.build == nil {
		return nil
	}
	now := cc.now()
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if now.Sub(cc.lastSweep) > cc.idle/2 {
		// Sessions that ended without a logout (idle, closed browser)
		// leave entries behind; sweep them now and then.
		for id, e := range cc.m {
			if now.Sub(e.used) > cc.idle {
				delete(cc.m, id)
			}
		}
		cc.lastSweep = now
	}
	if e := cc.m[sid]; e != nil && e.consumerKey == consumerKey {
		e.used = now
		return e.client
	}
	e := &cachedClient{consumerKey: consumerKey, client: cc.build(consumerKey), used: now}
	cc.m[sid] = e
	return e.client
}

// drop forgets the client of session sid.
func (cc *clientCache) drop(sid string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.m, sid)
}

// len returns how many clients are cached (tests).
func (cc *clientCache) len() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return len(cc.m)
}
