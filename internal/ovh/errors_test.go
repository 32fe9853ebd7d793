package ovh

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestErrorClassification feeds API answers, the documented ones (REFERENCE
// §3.1) and odd ones (§3.2), through a real client and checks the *Error.
func TestErrorClassification(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 2000)
	tests := []struct {
		name        string
		status      int
		ctype       string
		body        string
		wantKind    Kind
		wantMessage string // exact; "" = not checked
		wantCode    string
		wantClass   string
		wantMissing []string
	}{
		{name: "bad request", status: 400, body: `{"class":"Client::BadRequest","message":"Invalid port: 70000"}`,
			wantKind: KindInvalid, wantMessage: "Invalid port: 70000", wantClass: "Client::BadRequest"},
		{name: "invalid signature, old shape", status: 400,
			body:     `{"message":"Invalid signature","httpCode":"400 Bad Request","errorCode":"INVALID_SIGNATURE"}`,
			wantKind: KindOther, wantMessage: "Invalid signature", wantCode: "INVALID_SIGNATURE"},
		{name: "invalid signature, class only", status: 400, body: `{"class":"Client::BadRequest","message":"Invalid signature"}`,
			wantKind: KindOther, wantMessage: "Invalid signature"},
		{name: "query time out", status: 400, body: `{"class":"Client::BadRequest","message":"Query out of time","errorCode":"QUERY_TIME_OUT"}`,
			wantKind: KindOther, wantCode: "QUERY_TIME_OUT"},
		{name: "login first", status: 401, body: `{"class":"Client::Unauthorized","message":"You must login first"}`,
			wantKind: KindUnauthorized, wantMessage: "You must login first"},
		{name: "invalid credential", status: 403,
			body:     `{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}`,
			wantKind: KindUnauthorized, wantCode: "INVALID_CREDENTIAL", wantMessage: "This credential is not valid"},
		{name: "invalid credential, class only", status: 403, body: `{"class":"Client::Forbidden","message":"This credential is not valid"}`,
			wantKind: KindUnauthorized},
		{name: "not credential", status: 403,
			body:     `{"class":"Client::Forbidden","errorCode":"NOT_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential does not exist"}`,
			wantKind: KindUnauthorized, wantCode: "NOT_CREDENTIAL", wantClass: "Client::Forbidden"},
		{name: "invalid key", status: 403, body: `{"class":"Client::Forbidden","errorCode":"INVALID_KEY","message":"Invalid application key"}`,
			wantKind: KindUnauthorized, wantCode: "INVALID_KEY"},
		{name: "not granted", status: 403,
			body:     `{"message":"This call has not been granted","httpCode":"403 Forbidden","errorCode":"NOT_GRANTED_CALL"}`,
			wantKind: KindForbidden, wantCode: "NOT_GRANTED_CALL", wantMessage: "This call has not been granted"},
		{name: "IAM denial", status: 403,
			body:     `{"class":"Client::Forbidden","message":"User not granted for this request","details":{"unauthorizedActionsByAuthentication":"","unauthorizedActionsByIAM":"loadbalancer:apiovh:refresh, loadbalancer:apiovh:task/get"}}`,
			wantKind: KindForbidden, wantMessage: "User not granted for this request",
			wantMissing: []string{"loadbalancer:apiovh:refresh", "loadbalancer:apiovh:task/get"}},
		{name: "non-string details", status: 403,
			body:     `{"class":"Client::Forbidden","message":"User not granted for this request","details":{"n":1,"unauthorizedActionsByIAM":["a:b:c"]}}`,
			wantKind: KindForbidden, wantMessage: "User not granted for this request", wantMissing: []string{"a:b:c"}},
		{name: "details not an object", status: 400, body: `{"class":"Client::BadRequest","message":"Bad zone","details":"zone"}`,
			wantKind: KindInvalid, wantMessage: "Bad zone"},
		{name: "not found", status: 404, body: `{"class":"Client::NotFound","message":"The requested object (serviceName = x) does not exist"}`,
			wantKind: KindNotFound, wantMessage: "The requested object (serviceName = x) does not exist"},
		{name: "conflict", status: 409, body: `{"class":"Client::Conflict","message":"A refresh is already in progress for this Load Balancer"}`,
			wantKind: KindConflict, wantMessage: "A refresh is already in progress for this Load Balancer"},
		{name: "rate limited", status: 429, body: `{"class":"Client::TooManyRequests","message":"Too many requests"}`, wantKind: KindUnavailable},
		{name: "expired service", status: 460, body: `{"class":"Client::Expired","message":"The service is expired"}`, wantKind: KindUnavailable},
		{name: "internal error", status: 500, body: `{"class":"Server::InternalServerError","message":"Internal server error"}`,
			wantKind: KindUnavailable, wantMessage: "Internal server error"},
		{name: "HTML 503", status: 503, ctype: "text/html",
			body:     "<!DOCTYPE html><html><head><title>503</title></head><body><h1>Service Unavailable</h1>" + long + "</body></html>",
			wantKind: KindUnavailable, wantMessage: "The OVH API answered 503 Service Unavailable."},
		{name: "broken JSON", status: 502, body: `{"class":"Server::BadGateway","message":"half`,
			wantKind: KindUnavailable, wantMessage: "The OVH API answered 502 Bad Gateway."},
		{name: "empty body", status: 500, body: ``, wantKind: KindUnavailable, wantMessage: "The OVH API answered 500 Internal Server Error."},
		{name: "JSON without message", status: 404, body: `{"class":"Client::NotFound"}`,
			wantKind: KindNotFound, wantMessage: "The OVH API answered 404 Not Found."},
		{name: "message not a string", status: 400, body: `{"message":{"text":"odd"}}`, wantKind: KindInvalid, wantMessage: `{"text":"odd"}`},
		{name: "unknown 4xx", status: 418, body: `{"message":"I'm a teapot"}`, wantKind: KindOther, wantMessage: "I'm a teapot"},
		{name: "redirect", status: 302, body: ``, wantKind: KindOther},
		{name: "long message", status: 400, body: `{"message":"` + long + `"}`, wantKind: KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newRawAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				writeRaw(w, tt.status, "EU.ext-1.qid."+tt.name, tt.ctype, tt.body)
			})
			c := newTestClient(t, api.endpoint())
			_, err := c.LoadBalancer(testCtx(t), "loadbalancer-a")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.Kind != tt.wantKind || KindOf(err) != tt.wantKind {
				t.Errorf("Kind = %v, want %v (%v)", e.Kind, tt.wantKind, err)
			}
			if e.Status != tt.status {
				t.Errorf("Status = %d, want %d", e.Status, tt.status)
			}
			if e.Op != "ovh.LoadBalancer" {
				t.Errorf("Op = %q", e.Op)
			}
			if tt.wantMessage != "" && e.Message != tt.wantMessage {
				t.Errorf("Message = %q, want %q", e.Message, tt.wantMessage)
			}
			if e.Message == "" || len(e.Message) > 4*maxMessage || strings.Contains(e.Message, "<") && tt.ctype == "text/html" {
				t.Errorf("Message is not sane: %q", e.Message)
			}
			if MessageOf(err) != e.Message {
				t.Errorf("MessageOf = %q, want %q", MessageOf(err), e.Message)
			}
			if e.ErrorCode != tt.wantCode {
				t.Errorf("ErrorCode = %q, want %q", e.ErrorCode, tt.wantCode)
			}
			if tt.wantClass != "" && e.Class != tt.wantClass {
				t.Errorf("Class = %q, want %q", e.Class, tt.wantClass)
			}
			if !slices.Equal(e.MissingActions, tt.wantMissing) {
				t.Errorf("MissingActions = %q, want %q", e.MissingActions, tt.wantMissing)
			}
			if q := QueryIDOf(err); q != "EU.ext-1.qid."+tt.name {
				t.Errorf("QueryIDOf = %q", q)
			}
			if len(err.Error()) > 1500 {
				t.Errorf("Error() is %d bytes long", len(err.Error()))
			}
		})
	}
}

// TestTransportErrors: no answer at all is KindUnavailable, except a
// cancelled context, which comes back as is.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close() // nothing listens there any more
		c := newTestClient(t, "http://"+addr+"/1.0")
		_, err = c.LoadBalancers(testCtx(t))
		if KindOf(err) != KindUnavailable || MessageOf(err) != "The OVH API could not be reached." {
			t.Errorf("err = %v (kind %v, message %q)", err, KindOf(err), MessageOf(err))
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		t.Parallel()
		api := newRawAPI(t, func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		})
		c := newTestClient(t, api.endpoint())
		_, err := c.LoadBalancers(testCtx(t))
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindUnavailable || e.Status != 0 || e.Err == nil {
			t.Errorf("err = %#v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		api := newRawAPI(t, func(_ http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // never answers; the client's Timeout ends it
		})
		c, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS, ConsumerKey: testCK, Timeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.LoadBalancers(testCtx(t))
		if KindOf(err) != KindUnavailable || MessageOf(err) != "The OVH API did not answer in time." {
			t.Errorf("err = %v (kind %v, message %q)", err, KindOf(err), MessageOf(err))
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		started := make(chan struct{})
		api := newRawAPI(t, func(_ http.ResponseWriter, r *http.Request) {
			close(started)
			<-r.Context().Done()
		})
		c := newTestClient(t, api.endpoint())
		ctx, cancel := context.WithCancel(testCtx(t))
		go func() { <-started; cancel() }()
		_, err := c.LoadBalancers(ctx)
		var e *Error
		if !errors.Is(err, context.Canceled) || errors.As(err, &e) {
			t.Errorf("err = %#v, want context.Canceled, not an *Error", err)
		}
		if MessageOf(err) != "The request was cancelled." {
			t.Errorf("MessageOf = %q", MessageOf(err))
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		t.Parallel()
		api := newRawAPI(t, func(http.ResponseWriter, *http.Request) { t.Error("request sent with a cancelled context") })
		c := newTestClient(t, api.endpoint())
		ctx, cancel := context.WithCancel(testCtx(t))
		cancel()
		if _, err := c.LoadBalancers(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
		if n := api.timeHits.Load(); n != 0 {
			t.Errorf("/auth/time called %d times", n)
		}
	})
	t.Run("auth time fails", func(t *testing.T) {
		t.Parallel()
		api := newRawAPIWithTime(t, func(w http.ResponseWriter, _ *http.Request) {
			writeRaw(w, 503, "EU.time.503", "text/html", "<html><body>maintenance</body></html>")
		}, func(http.ResponseWriter, *http.Request) { t.Error("request sent without a time delta") })
		c := newTestClient(t, api.endpoint())
		_, err := c.LoadBalancers(testCtx(t))
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindUnavailable || e.Status != 503 || e.QueryID != "EU.time.503" ||
			e.Message != "The OVH API answered 503 Service Unavailable." {
			t.Errorf("err = %#v", err)
		}
	})
	t.Run("auth time hangs", func(t *testing.T) {
		t.Parallel()
		api := newRawAPIWithTime(t, func(_ http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // only Config.Timeout can end this call
		}, func(http.ResponseWriter, *http.Request) { t.Error("request sent without a time delta") })
		c, err := New(Config{Endpoint: api.endpoint(), AppKey: testAK, AppSecret: testAS, ConsumerKey: testCK, Timeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.LoadBalancers(t.Context()) // no deadline of its own
		if KindOf(err) != KindUnavailable || MessageOf(err) != "The OVH API did not answer in time." {
			t.Errorf("err = %v (kind %v, message %q)", err, KindOf(err), MessageOf(err))
		}
	})
	t.Run("auth time not a number", func(t *testing.T) {
		t.Parallel()
		api := newRawAPIWithTime(t, func(w http.ResponseWriter, _ *http.Request) {
			writeRaw(w, 200, "", "", `{"time":"now"}`)
		}, func(http.ResponseWriter, *http.Request) { t.Error("request sent without a time delta") })
		c := newTestClient(t, api.endpoint())
		_, err := c.LoadBalancers(testCtx(t))
		if KindOf(err) != KindOther {
			t.Errorf("err = %v, want KindOther", err)
		}
	})
	t.Run("undecodable answer", func(t *testing.T) {
		t.Parallel()
		api := newRawAPI(t, func(w http.ResponseWriter, _ *http.Request) { writeRaw(w, 200, "EU.q", "", `{"serviceName":42}`) })
		c := newTestClient(t, api.endpoint())
		_, err := c.LoadBalancer(testCtx(t), "lb")
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindOther || e.QueryID != "EU.q" || e.Err == nil {
			t.Errorf("err = %#v", err)
		}
	})
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	if KindOf(nil) != KindOther || MessageOf(nil) != "" || QueryIDOf(nil) != "" {
		t.Error("helpers on nil")
	}
	plain := errors.New("boom")
	if KindOf(plain) != KindOther || MessageOf(plain) == "" || QueryIDOf(plain) != "" {
		t.Error("helpers on a plain error")
	}
	if KindOf(context.DeadlineExceeded) != KindUnavailable {
		t.Error("KindOf(DeadlineExceeded)")
	}
	e := &Error{Op: "ovh.X", Kind: KindConflict, QueryID: "q1"}
	wrapped := errors.Join(errors.New("ctx"), e)
	if KindOf(wrapped) != KindConflict || QueryIDOf(wrapped) != "q1" || MessageOf(wrapped) != kindMessage(KindConflict) {
		t.Errorf("helpers on a wrapped *Error: %v %q %q", KindOf(wrapped), QueryIDOf(wrapped), MessageOf(wrapped))
	}
	for k := KindOther; k <= KindUnavailable; k++ {
		if strings.HasPrefix(k.String(), "Kind(") || kindMessage(k) == "" {
			t.Errorf("kind %d has no name or message", k)
		}
	}
	full := (&Error{Op: "ovh.Refresh", Status: 409, Class: "Client::Conflict", Message: "busy", ErrorCode: "X",
		MissingActions: []string{"a"}, QueryID: "q", Err: plain}).Error()
	if full != "ovh.Refresh: 409 Client::Conflict: busy [X] (missing: a) (query id q): boom" {
		t.Errorf("Error() = %q", full)
	}
}
