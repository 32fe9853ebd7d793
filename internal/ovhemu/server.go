package ovhemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Emulator is the in-memory OVH API. Create it with New; it is an
// http.Handler serving the API under /1.0 and /v1 (aliases, REFERENCE §1 [O])
// and the consumer-key validation page under /auth/.
type Emulator struct {
	// mu guards every piece of state below it. A request takes it once, after
	// injected latency and faults, and holds it for authentication and the
	// whole handler, so handlers never see half-applied writes and need no
	// locks of their own.
	mu sync.Mutex

	cfg    config
	mux    *http.ServeMux
	routes []*route

	auth  authState // auth.go: applications and credentials
	world world     // state.go: accounts and their services

	faults  faultTable // faults.go: has its own lock, read before mu is taken
	queryID atomic.Uint64
}

// config holds what Options set.
type config struct {
	now       func() time.Time
	publicURL string // base URL of the validation page; "" means from the request
	seed      func(*world)
	auto      bool          // tasks advance with time on reads (demo mode)
	moveTime  time.Duration // how long an IP move takes in auto mode
	taskTime  time.Duration // how long an IPLB task (refresh) takes in auto mode
	skew      time.Duration // accepted timestamp drift (REFERENCE §2.2 [INF])
}

// Option configures an Emulator.
type Option func(*config)

// WithClock replaces time.Now, for deterministic timestamps in tests.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithPublicURL sets the base URL the browser uses to reach this emulator,
// e.g. "http://127.0.0.1:8080/ovhapi" when it is mounted under the console.
// Validation URLs are built from it. By default they are built from the Host
// of the request that asked for the credential.
func WithPublicURL(u string) Option { return func(c *config) { c.publicURL = u } }

// WithAutoAdvance makes tasks advance with time, checked on every request,
// as the real API's do: an IP move takes move, an IPLB task takes task.
// Without it tasks move only when Step is called, which tests use so that no
// test has to sleep.
func WithAutoAdvance(move, task time.Duration) Option {
	return func(c *config) { c.auto, c.moveTime, c.taskTime = true, move, task }
}

// WithEmptySeed starts the emulator with the accounts and applications of
// the demo seed but without their services, for tests that build their own.
func WithEmptySeed() Option { return func(c *config) { c.seed = seedAccountsOnly } }

// New returns an emulator seeded with the demo data (see seed.go).
func New(opts ...Option) *Emulator {
	e := &Emulator{cfg: config{
		now:      time.Now,
		seed:     seedDemo,
		moveTime: 40 * time.Second,
		taskTime: 15 * time.Second,
		skew:     5 * time.Minute,
	}}
	for _, o := range opts {
		o(&e.cfg)
	}
	e.mux = http.NewServeMux()
	e.auth.init()
	e.world.init(e.cfg.now)
	e.cfg.seed(&e.world)
	e.seedApplications()
	e.registerAuthRoutes()    // auth.go, me.go
	e.registerServiceRoutes() // ip.go, iplb.go, tasks.go
	e.registerConfigRoutes()  // config.go, frontend.go, farm.go, route.go, vrack.go
	e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e.writeError(w, e.newQueryID(w), notFound("Got an invalid (or empty) URL"))
	})
	return e
}

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// route is one API operation. pattern is relative to the API root and uses
// the schema's parameter names, e.g. "/ip/{ip}/move"; the same string is the
// key of faults and call counts.
type route struct {
	method  string
	pattern string
	public  bool // noAuthentication in the schema
	handle  func(*call) (any, error)
}

// asAccountKey marks a request context as coming from in-package tests,
// acting as the account whose nichandle is the value.
type asAccountKey struct{}

// call is one request being served.
type call struct {
	r       *http.Request
	body    []byte // raw bytes, as signed
	queryID string
	route   *route
	cred    *credential // the caller's credential; nil on public routes
	account *account    // the caller's account; nil on public routes
}

// param returns a path parameter, unescaped (an IP block arrives as %2F).
func (c *call) param(name string) string { return c.r.PathValue(name) }

// query returns a query-string parameter ("" when absent).
func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

// decode reads the JSON body into v; an empty body leaves v as it is.
func (c *call) decode(v any) error {
	if len(c.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return badRequest("Invalid JSON body: %s", err.Error())
	}
	return nil
}

// handle registers an operation under both API roots.
func (e *Emulator) handle(method, pattern string, public bool, fn func(*call) (any, error)) {
	rt := &route{method: method, pattern: pattern, public: public, handle: fn}
	e.routes = append(e.routes, rt)
	for _, root := range []string{"/1.0", "/v1"} {
		e.mux.HandleFunc(method+" "+root+pattern, func(w http.ResponseWriter, r *http.Request) {
			e.serve(w, r, rt)
		})
	}
}

func (e *Emulator) newQueryID(w http.ResponseWriter) string {
	// Shaped like the real ones (REFERENCE §3.1 [O]): EU.ext-N.<hex>.<n>.<uuid-ish>.
	n := e.queryID.Add(1)
	id := fmt.Sprintf("EU.ext-1.%08x.%d.emu-%012d", e.cfg.now().Unix(), n, n)
	w.Header().Set("X-Ovh-Queryid", id)
	return id
}

// serve runs one API call: query id, body, call count, injected latency and
// faults (before the lock: a delayed call holds up no other), then, under
// the lock, authentication and the handler.
func (e *Emulator) serve(w http.ResponseWriter, r *http.Request, rt *route) {
	qid := e.newQueryID(w)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		e.writeError(w, qid, badRequest("Unreadable body"))
		return
	}
	c := &call{r: r, body: body, queryID: qid, route: rt}
	e.faults.count(rt)
	if done := e.faults.apply(w, r, rt, qid); done {
		return
	}
	out, err := e.handleLocked(c)
	var aerr *apiError
	if errors.As(err, &aerr) && aerr == nil {
		// A handler returned a nil *apiError as its error: that is no
		// error at all, not an internal one.
		err = nil
	}
	if err != nil {
		if aerr == nil {
			aerr = errf(http.StatusInternalServerError, "Internal server error")
		}
		e.writeError(w, qid, aerr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handleLocked authenticates c and runs its handler, under e.mu. Authentication
// reads and writes credentials (lastUse, expiry), which the same lock guards.
func (e *Emulator) handleLocked(c *call) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advanceTasks() // tasks.go: moves tasks on with time in auto mode
	if nic, ok := c.r.Context().Value(asAccountKey{}).(string); ok {
		// In-package tests call handlers as an account without signing
		// (see doAs in helpers_test.go); the key is unexported, so no
		// request from outside the package can get here.
		c.account = e.world.accounts[nic]
	} else if !c.route.public {
		if aerr := e.authenticate(c); aerr != nil {
			return nil, aerr
		}
	}
	return c.route.handle(c)
}

func (e *Emulator) writeError(w http.ResponseWriter, _ string, aerr *apiError) {
	writeJSON(w, aerr.Status, aerr)
}

// writeJSON writes v; a nil v is the JSON null that void operations return
// (REFERENCE §4 [INF]).
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"class":"Server::InternalServerError","message":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
