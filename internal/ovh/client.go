package ovh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	goovh "github.com/ovh/go-ovh/ovh"
)

// DefaultTimeout bounds one API request when Config.Timeout is zero. go-ovh's
// own default is 180 s (REFERENCE §1), far too long for a page to wait.
const DefaultTimeout = 30 * time.Second

// DefaultUserAgent is sent (after go-ovh's own product token) when
// Config.UserAgent is empty.
const DefaultUserAgent = "iplb-console"

// maxBody caps how much of a response is read. The largest answers of the
// console (lists of ids) are a few kilobytes.
const maxBody = 8 << 20

// Config is everything a Client needs. Nothing is read from the environment
// or from ovh.conf files: empty fields stay empty.
type Config struct {
	// Endpoint is "ovh-eu", "ovh-ca", "ovh-us", or the base URL of an API
	// such as the emulator's "http://127.0.0.1:9001/1.0" (no trailing slash).
	Endpoint string
	// AppKey and AppSecret identify the console's application; both are
	// required.
	AppKey    string
	AppSecret string
	// ConsumerKey is the user's credential. It may be empty for a client
	// that only requests consumer keys (RequestCredential).
	ConsumerKey string
	// Timeout bounds each request (0 = DefaultTimeout). Contexts bound them
	// too.
	Timeout time.Duration
	// HTTPClient, if set, is copied and its copy used to send requests; its
	// Timeout is replaced by Timeout and redirects are never followed.
	HTTPClient *http.Client
	// UserAgent is appended to go-ovh's "github.com/ovh/go-ovh (...)"
	// User-Agent ("" = DefaultUserAgent).
	UserAgent string
}

// Client calls the OVH API with one application key and one consumer key.
// It is safe for concurrent use: build one per user credential and share it
// between the parallel fetches of a page.
type Client struct {
	endpoint  string // base URL, e.g. "https://eu.api.ovh.com/1.0"
	appKey    string
	appSecret string
	userAgent string
	timeout   time.Duration
	base      http.RoundTripper // the transport both HTTP clients use
	hc        *http.Client      // sends every request; never written after New

	// sign is a one-slot semaphore guarding api and signCtx. go-ovh's
	// NewRequest is not safe for concurrent use: it writes api.Client.Timeout
	// and, on the first signed call, fetches /auth/time and caches the delta.
	// Holding sign around it means one /auth/time request per Client and no
	// data race; a channel rather than a sync.Mutex so that a caller whose
	// context ends stops waiting.
	sign chan struct{}
	api  *goovh.Client
	// signCtx is the context of the call holding sign. go-ovh's /auth/time
	// fetch uses no context (NOTES-toolchain); timeTransport gives it this one.
	signCtx context.Context
}

// New returns a Client for cfg. It does not contact the API.
func New(cfg Config) (*Client, error) {
	endpoint, err := resolveEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.AppKey == "" || cfg.AppSecret == "" {
		return nil, errors.New("ovh: application key and secret are required")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.Timeout = timeout
	// A signed request cannot be replayed to another URL (the URL is part
	// of the signature), and the API does not redirect: a 3xx comes back
	// as a response, which becomes an *Error.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := &Client{
		endpoint:  endpoint,
		appKey:    cfg.AppKey,
		appSecret: cfg.AppSecret,
		userAgent: ua,
		timeout:   timeout,
		base:      base,
		hc:        hc,
	}
	c.init(cfg.ConsumerKey)
	return c, nil
}

// init gives c its own signer, holding consumerKey.
func (c *Client) init(consumerKey string) {
	c.sign = make(chan struct{}, 1)
	// A struct literal rather than goovh.NewClient: NewClient calls
	// loadConfig, which fills empty fields from OVH_* variables and ovh.conf
	// files (an empty ConsumerKey would become OVH_CONSUMER_KEY) and fails
	// when OVH_CLIENT_ID is set (REFERENCE §2.6). SetEndpoint is the one
	// exported way to set the endpoint, and reads nothing.
	c.api = &goovh.Client{
		AppKey:      c.appKey,
		AppSecret:   c.appSecret,
		ConsumerKey: consumerKey,
		Timeout:     c.timeout,
		UserAgent:   c.userAgent,
		// Used by go-ovh only for its own /auth/time request: every other
		// request is sent by c.hc.
		Client: &http.Client{Transport: timeTransport{c}},
	}
	// resolveEndpoint has already refused a trailing slash, SetEndpoint's
	// only error.
	_ = c.api.SetEndpoint(c.endpoint)
}

// WithConsumerKey returns a Client for the same application and endpoint
// with another consumer key, sharing c's HTTP transport. c is unchanged.
func (c *Client) WithConsumerKey(consumerKey string) *Client {
	n := &Client{
		endpoint:  c.endpoint,
		appKey:    c.appKey,
		appSecret: c.appSecret,
		userAgent: c.userAgent,
		timeout:   c.timeout,
		base:      c.base,
		hc:        c.hc,
	}
	n.init(consumerKey)
	return n
}

// Endpoint returns the base URL the client calls.
func (c *Client) Endpoint() string { return c.endpoint }

// resolveEndpoint maps an endpoint name to its URL, or checks a URL.
func resolveEndpoint(s string) (string, error) {
	switch s {
	case "ovh-eu", "ovh-ca", "ovh-us":
		return goovh.Endpoints[s], nil
	case "":
		// go-ovh would default to ovh-eu; an unset endpoint is more likely
		// a configuration mistake than a wish to reach production.
		return "", errors.New("ovh: endpoint is required (ovh-eu, ovh-ca, ovh-us or a URL)")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("ovh: endpoint %q is neither ovh-eu, ovh-ca, ovh-us nor an http(s) URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "/") {
		// go-ovh appends paths to the endpoint as a string (REFERENCE §1).
		return "", fmt.Errorf("ovh: endpoint %q must be a base URL without trailing slash, query or fragment", s)
	}
	return s, nil
}

// timeTransport sends go-ovh's /auth/time request with the context of the
// call that is signing, since go-ovh builds that request without one. It
// runs inside goovh.Client.NewRequest, on the goroutine holding c.sign.
type timeTransport struct{ c *Client }

func (t timeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := t.c.signCtx
	if ctx == nil {
		ctx = r.Context()
	}
	return t.c.base.RoundTrip(r.WithContext(ctx))
}

// newRequest builds and signs a request with go-ovh, one at a time.
func (c *Client) newRequest(ctx context.Context, method, path string, body any, auth bool) (*http.Request, error) {
	select {
	case c.sign <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// timeTransport replaces the context of go-ovh's /auth/time request
	// with this one; bound it by the timeout as well, so that the fetch
	// never outlives Timeout whatever net/http does with the context it
	// derived for go-ovh's http.Client.Timeout.
	sctx, cancel := context.WithTimeout(ctx, c.timeout)
	c.signCtx = sctx
	req, err := c.api.NewRequest(method, path, body, auth)
	c.signCtx = nil
	cancel()
	<-c.sign
	if err != nil {
		return nil, err
	}
	return req.WithContext(ctx), nil
}

// call performs one API call: path is relative to the endpoint and already
// escaped; body is sent as JSON unless nil; the answer is decoded into out
// unless out is nil. Every error is an *Error, except a cancelled context.
func (c *Client) call(ctx context.Context, op, method, path string, body, out any, auth bool) error {
	if err := ctx.Err(); err != nil {
		return wrap(op, err)
	}
	req, err := c.newRequest(ctx, method, path, body, auth)
	if err != nil {
		return wrap(op, err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return wrap(op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return wrap(op, err)
	}
	qid := resp.Header.Get("X-Ovh-Queryid")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return responseError(op, resp.StatusCode, qid, data)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Op: op, Kind: KindOther, Status: resp.StatusCode, QueryID: qid,
			Message: "The OVH API sent an answer the console does not understand.",
			Err:     fmt.Errorf("decoding %s %s: %w", method, path, err)}
	}
	return nil
}

func (c *Client) get(ctx context.Context, op, path string, out any) error {
	return c.call(ctx, op, http.MethodGet, path, nil, out, true)
}

func (c *Client) post(ctx context.Context, op, path string, body, out any) error {
	return c.call(ctx, op, http.MethodPost, path, body, out, true)
}

func (c *Client) put(ctx context.Context, op, path string, body any) error {
	return c.call(ctx, op, http.MethodPut, path, body, nil, true)
}

func (c *Client) delete(ctx context.Context, op, path string) error {
	return c.call(ctx, op, http.MethodDelete, path, nil, nil, true)
}

// pathf joins path segments, each escaped with url.PathEscape: an IP
// block's "/" becomes %2F, or the API answers 404 (REFERENCE §3.1).
func pathf(segments ...any) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		switch v := s.(type) {
		case string:
			b.WriteString(url.PathEscape(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case Protocol:
			b.WriteString(url.PathEscape(string(v)))
		default:
			b.WriteString(url.PathEscape(fmt.Sprint(v)))
		}
	}
	return b.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// withQuery appends q, encoded by url.Values, to path. The query string is
// part of what go-ovh signs, exactly as written (REFERENCE §2.1).
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Nullable is a value in a partial update (an ...Update struct) that may be
// JSON null, to clear a field the schema marks canBeNull: a nil
// *Nullable leaves the field as it is, Set(v) sends v, Clear() sends null.
type Nullable[T any] struct {
	Value T
	Null  bool
}

// MarshalJSON sends null or the value.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.Null {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// Set returns a Nullable holding v, for an ...Update field.
func Set[T any](v T) *Nullable[T] { return &Nullable[T]{Value: v} }

// Clear returns a Nullable that sends null, for an ...Update field.
func Clear[T any]() *Nullable[T] { return &Nullable[T]{Null: true} }
