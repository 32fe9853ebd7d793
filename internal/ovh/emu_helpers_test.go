package ovh

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

// newEmu starts an emulator on httptest and returns it with a client of
// DemoAccount holding a full-rights consumer key: every call goes over real
// HTTP with go-ovh's real signing and /auth/time.
func newEmu(t *testing.T) (*ovhemu.Emulator, *Client) {
	t.Helper()
	emu, endpoint := ovhemu.NewTestServer(t)
	return emu, emuClient(t, emu, endpoint, ovhemu.DemoAccount, nil)
}

// emuClient returns a client of the emulator at endpoint for login, with a
// consumer key limited to rules (nil = every right).
func emuClient(t *testing.T, emu *ovhemu.Emulator, endpoint, login string, rules []ovhemu.AccessRule) *Client {
	t.Helper()
	ck, err := emu.IssueConsumerKey(ovhemu.DemoAppKey, login, rules, 0)
	if err != nil {
		t.Fatalf("IssueConsumerKey(%s): %v", login, err)
	}
	c, err := New(Config{Endpoint: endpoint, AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret,
		ConsumerKey: ck, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emuEndpoint starts an emulator and returns it with its endpoint, for
// tests that build their own clients.
func emuEndpoint(t *testing.T, opts ...ovhemu.Option) (*ovhemu.Emulator, string) {
	t.Helper()
	return ovhemu.NewTestServer(t, opts...)
}

// countingTransport counts the requests in flight through it and keeps
// the highest count seen.
type countingTransport struct {
	base     http.RoundTripper
	mu       sync.Mutex
	inflight int
	max      int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inflight++
	c.max = max(c.max, c.inflight)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inflight--
		c.mu.Unlock()
	}()
	return c.base.RoundTrip(r)
}

func (c *countingTransport) maxSeen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
