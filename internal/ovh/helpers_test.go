package ovh

import (
	"context"
	"crypto/sha1" //nolint:gosec // the OVH signature is SHA-1 (REFERENCE §2.1)
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain runs the tests with a clean go-ovh environment: no OVH_*
// variables and a HOME without .ovh.conf (REFERENCE §2.6), so that nothing
// but Config can reach a client. TestNoConfigLeakage sets them on purpose.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "OVH_") {
			_ = os.Unsetenv(k)
		}
	}
	home, err := os.MkdirTemp("", "ovh-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.Setenv("HOME", home)
	code := m.Run()
	_ = os.RemoveAll(home)
	os.Exit(code)
}

const (
	testAK = "testAppKey000001"
	testAS = "testAppSecret0000000000000000001"
	testCK = "testConsumerKey000000000000000001"
)

// rawAPI is a fake OVH API on httptest for the tests that need odd answers
// or must see exactly what went on the wire. It answers /auth/time, checks
// every signed request's signature independently of go-ovh (REFERENCE §2.1
// formula) and hands the rest to handle.
type rawAPI struct {
	srv      *httptest.Server
	secret   string // the application secret signatures are checked with
	timeHits atomic.Int64
	badSigs  atomic.Int64
	mu       sync.Mutex
	handle   http.HandlerFunc
	// timeHandler, if set, answers /auth/time instead of the default.
	timeHandler http.HandlerFunc
}

func newRawAPI(t *testing.T, handle http.HandlerFunc) *rawAPI {
	t.Helper()
	return newRawAPIWithTime(t, nil, handle)
}

func newRawAPIWithTime(t *testing.T, timeHandler, handle http.HandlerFunc) *rawAPI {
	t.Helper()
	a := &rawAPI{secret: testAS, handle: handle, timeHandler: timeHandler}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// endpoint is the go-ovh endpoint of the fake API.
func (a *rawAPI) endpoint() string { return a.srv.URL + "/1.0" }

func (a *rawAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/1.0/auth/time" {
		a.timeHits.Add(1)
		if a.timeHandler != nil {
			a.timeHandler(w, r)
			return
		}
		_, _ = fmt.Fprint(w, time.Now().Unix())
		return
	}
	body, _ := io.ReadAll(r.Body)
	if sig := r.Header.Get("X-Ovh-Signature"); sig != "" {
		want := signature(a.secret, r.Header.Get("X-Ovh-Consumer"), r.Method,
			"http://"+r.Host+r.RequestURI, string(body), r.Header.Get("X-Ovh-Timestamp"))
		if sig != want {
			a.badSigs.Add(1)
			w.Header().Set("X-Ovh-Queryid", "EU.raw.badsig")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprint(w, `{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request","message":"Invalid signature"}`)
			return
		}
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	a.mu.Lock()
	h := a.handle
	a.mu.Unlock()
	h(w, r)
}

// signature is REFERENCE §2.1's formula, written here rather than taken
// from go-ovh so that the test is a second opinion.
func signature(secret, ck, method, target, body, ts string) string {
	h := sha1.Sum([]byte(secret + "+" + ck + "+" + method + "+" + target + "+" + body + "+" + ts)) //nolint:gosec // the OVH signature is SHA-1
	return fmt.Sprintf("$1$%x", h)
}

// newTestClient returns a client of the fake API with the test credentials.
func newTestClient(t *testing.T, endpoint string) *Client {
	t.Helper()
	c, err := New(Config{Endpoint: endpoint, AppKey: testAK, AppSecret: testAS, ConsumerKey: testCK, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// writeRaw answers status with a raw body and a query id.
func writeRaw(w http.ResponseWriter, status int, qid, contentType, body string) {
	if qid != "" {
		w.Header().Set("X-Ovh-Queryid", qid)
	}
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body) //nolint:gosec // a test server writing the body under test
}

// testCtx is a context that ends with the test, bounded so that a hang
// fails instead of blocking the run.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
