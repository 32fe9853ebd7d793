package ovh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	goovh "github.com/ovh/go-ovh/ovh"
)

// Kind says what kind of failure an *Error is, so that handlers can pick an
// HTTP status and a page without looking at OVH statuses or classes.
type Kind int

// The kinds of failure, from REFERENCE §3.1.
const (
	// KindOther is anything else, including failures that are the
	// console's own fault (a bad signature, a clock too far off, an answer
	// it cannot decode) and tasks that ended in error.
	KindOther Kind = iota
	// KindInvalid is a 400: the API rejected the input. Message says why
	// and is safe to show.
	KindInvalid
	// KindUnauthorized means the user's credential is missing, unknown,
	// expired or refused (401; 403 INVALID_CREDENTIAL, NOT_CREDENTIAL,
	// INVALID_KEY): the console must send the user back to sign in.
	KindUnauthorized
	// KindForbidden means the credential is valid but does not cover this
	// call (403 NOT_GRANTED_CALL) or IAM denies it; MissingActions lists
	// the IAM actions when the API names them.
	KindForbidden
	// KindNotFound is a 404: no such object, or not one of this account's.
	KindNotFound
	// KindConflict is a 409, e.g. a refresh is already running.
	KindConflict
	// KindUnavailable means the API could not serve the call: 5xx, 429,
	// 460 (service expired), a refused connection, a dropped connection,
	// a timeout.
	KindUnavailable
)

var kindNames = [...]string{"other", "invalid", "unauthorized", "forbidden", "not found", "conflict", "unavailable"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ErrTaskFailed is wrapped by the *Error that WaitTask and WaitIPTask
// return when the task itself ended in failure (not the API call).
var ErrTaskFailed = errors.New("task failed")

// Error is what every Client method returns on failure, except when the
// caller's context was cancelled (then the context's error comes back as
// is: the user went away, nothing failed).
type Error struct {
	Op             string   // the method, e.g. "ovh.Refresh"
	Kind           Kind     // what handlers switch on
	Status         int      // HTTP status from the API; 0 when there was no answer
	Class          string   // OVH error class, e.g. "Client::Conflict"
	ErrorCode      string   // OVH authentication-layer code, e.g. "NOT_GRANTED_CALL"
	Message        string   // the API's own message (or a sane stand-in); safe to show
	QueryID        string   // X-Ovh-Queryid: show it to the operator, support asks for it
	MissingActions []string // IAM actions the API says are missing (KindForbidden)
	Err            error    // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
	}
	if e.Class != "" {
		b.WriteString(e.Class)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Kind.String())
	}
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, " [%s]", e.ErrorCode)
	}
	if len(e.MissingActions) > 0 {
		fmt.Fprintf(&b, " (missing: %s)", strings.Join(e.MissingActions, ", "))
	}
	if e.QueryID != "" {
		fmt.Fprintf(&b, " (query id %s)", e.QueryID)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err: the Kind of an *Error in its chain,
// KindUnavailable for a bare deadline, KindOther otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindUnavailable
	}
	return KindOther
}

// MessageOf returns a message about err that is safe to show to the user:
// the API's message when there is one, otherwise a sentence for its Kind.
func MessageOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	if errors.Is(err, context.Canceled) {
		return "The request was cancelled."
	}
	return kindMessage(KindOf(err))
}

// QueryIDOf returns the API's query id carried by err, or "".
func QueryIDOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.QueryID
	}
	return ""
}

func kindMessage(k Kind) string {
	switch k {
	case KindInvalid:
		return "The OVH API rejected the request."
	case KindUnauthorized:
		return "Your OVH credential is not valid any more; please sign in again."
	case KindForbidden:
		return "Your OVH credential does not allow this operation."
	case KindNotFound:
		return "The object does not exist."
	case KindConflict:
		return "The operation conflicts with another one in progress."
	case KindUnavailable:
		return "The OVH API is unavailable; please try again later."
	}
	return "Unexpected error from the OVH API."
}

// wrap turns an error that did not come from an API answer into an *Error:
// transport failures, timeouts, go-ovh's own /auth/time failures. A
// cancelled context is returned as is.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err // the user went away; not an API failure
	}
	var apiErr *goovh.APIError // go-ovh returns a pointer (REFERENCE §3.2); only /auth/time gets here
	if errors.As(err, &apiErr) {
		details := make(map[string]json.RawMessage, len(apiErr.Details))
		for k, v := range apiErr.Details {
			details[k], _ = json.Marshal(v)
		}
		out := &Error{Op: op, Status: apiErr.Code, Class: apiErr.Class, QueryID: apiErr.QueryID,
			Message: cleanMessage(apiErr.Message), MissingActions: missingActions(details), Err: err}
		if !looksLikeJSONMessage(apiErr.Message) {
			// go-ovh puts the whole body in Message when it is not its JSON
			// shape, e.g. an HTML page (REFERENCE §3.2 [V]).
			out.Message = statusMessage(apiErr.Code)
		}
		out.Kind = classify(out.Status, "", out.Message, out.MissingActions)
		return out
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var unsup *json.UnsupportedValueError
	var unsupT *json.UnsupportedTypeError
	var marsh *json.MarshalerError
	if errors.As(err, &syn) || errors.As(err, &typ) || errors.As(err, &unsup) || errors.As(err, &unsupT) || errors.As(err, &marsh) {
		return &Error{Op: op, Kind: KindOther, Message: kindMessage(KindOther), Err: err}
	}
	msg := "The OVH API could not be reached."
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		msg = "The OVH API did not answer in time."
	}
	return &Error{Op: op, Kind: KindUnavailable, Message: msg, Err: err}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// errorBody holds the fields of an API error body (REFERENCE §3.1), read
// leniently: any JSON type is accepted for each of them.
type errorBody struct {
	Class     json.RawMessage            `json:"class"`
	Message   json.RawMessage            `json:"message"`
	ErrorCode json.RawMessage            `json:"errorCode"`
	Details   map[string]json.RawMessage `json:"details"`
}

// responseError builds the *Error of a non-2xx answer. The body is parsed
// here rather than by go-ovh's UnmarshalResponse, which drops errorCode and
// falls back to the whole raw body as Message when the body is not exactly
// its shape: an HTML page, broken JSON, or details that are not all strings
// (REFERENCE §3.2 [V]).
func responseError(op string, status int, qid string, body []byte) *Error {
	e := &Error{Op: op, Status: status, QueryID: qid}
	var eb errorBody
	err := json.Unmarshal(body, &eb)
	var typ *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &typ) {
		// Not JSON: an HTML page from a proxy, a truncated body.
		e.Message = statusMessage(status)
		e.Err = fmt.Errorf("unexpected error body: %s", excerpt(body))
		e.Kind = classify(status, "", "", nil)
		return e
	}
	// A type error (details not an object, a body that is not an object)
	// leaves the other fields filled in: keep what there is.
	e.Class = rawString(eb.Class)
	e.ErrorCode = rawString(eb.ErrorCode)
	e.Message = cleanMessage(rawString(eb.Message))
	if e.Message == "" {
		e.Message = statusMessage(status)
		e.Err = fmt.Errorf("error body without a message: %s", excerpt(body))
	}
	e.MissingActions = missingActions(eb.Details)
	e.Kind = classify(status, e.ErrorCode, e.Message, e.MissingActions)
	return e
}

// classify maps an answer to a Kind (REFERENCE §3.1). The errorCode decides
// when the body has one; bodies with only class and message (the newer
// shape, REFERENCE §3.1 [O]) are recognised by their documented messages,
// then by status.
func classify(status int, code, message string, missing []string) Kind {
	switch strings.ToUpper(code) {
	case "INVALID_SIGNATURE", "QUERY_TIME_OUT":
		// The console signed badly (wrong application secret) or its clock
		// is off: signing in again would not help, and sending the user
		// back to sign-in would loop. KindOther: an error page with the
		// query id, for the operator.
		return KindOther
	case "INVALID_CREDENTIAL", "NOT_CREDENTIAL", "INVALID_KEY", "NOT_AUTHENTICATED":
		return KindUnauthorized
	case "NOT_GRANTED_CALL", "FORBIDDEN":
		return KindForbidden
	}
	if code == "" {
		switch strings.ToLower(strings.TrimSpace(message)) {
		case "invalid signature":
			return KindOther
		case "this credential is not valid", "this credential does not exist",
			"invalid application key", "you must login first":
			return KindUnauthorized
		case "this call has not been granted":
			return KindForbidden
		}
	}
	if len(missing) > 0 && status == http.StatusForbidden {
		return KindForbidden
	}
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return KindInvalid
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict:
		return KindConflict
	case status == http.StatusTooManyRequests, status >= 500:
		return KindUnavailable
	case status == 460:
		// python-ovh's ResourceExpiredError (REFERENCE §3.1 [C]): the
		// service has expired. [INF] Unavailable rather than NotFound: the
		// object exists but cannot be used until renewed.
		return KindUnavailable
	}
	return KindOther
}

// missingActions reads the IAM actions of a 403's details
// (unauthorizedActionsByIAM, unauthorizedActionsByAuthentication; REFERENCE
// §3.1, go-ovh error.go): comma-separated strings, or, leniently, arrays.
func missingActions(details map[string]json.RawMessage) []string {
	var out []string
	for _, key := range []string{"unauthorizedActionsByIAM", "unauthorizedActionsByAuthentication"} {
		raw, ok := details[key]
		if !ok {
			continue
		}
		var list []string
		if json.Unmarshal(raw, &list) != nil {
			list = strings.Split(rawString(raw), ",")
		}
		for _, a := range list {
			if a = strings.TrimSpace(a); a != "" && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// rawString returns a JSON string's value, or the compact JSON text of any
// other value (a number, an object), or "" for null and absence.
func rawString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// maxMessage caps a message shown to users.
const maxMessage = 500

// cleanMessage trims a message and caps its length, so that a stray page
// never ends up in an alert.
func cleanMessage(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxMessage {
		s = string([]rune(s)[:maxMessage]) + "…"
	}
	return s
}

// looksLikeJSONMessage tells a real message from a raw body that go-ovh
// used as Message.
func looksLikeJSONMessage(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && !strings.HasPrefix(t, "<") && !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[")
}

func statusMessage(status int) string {
	if text := http.StatusText(status); text != "" {
		return fmt.Sprintf("The OVH API answered %d %s.", status, text)
	}
	return fmt.Sprintf("The OVH API answered with status %d.", status)
}

// excerpt returns the start of an unexpected body, printable, for logs.
func excerpt(body []byte) string {
	const n = 120
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, string(body))
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
