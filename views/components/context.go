package components

import (
	"context"
	"encoding/json"
	"io"

	"github.com/a-h/templ"
)

// csrfKey is the context key of the CSRF token.
type csrfKey struct{}

// CSRFFieldName is the form field the CSRF middleware reads the token from.
const CSRFFieldName = "_csrf"

// CSRFHeaderName is the header htmx sends the token in (see CSRFHeaders).
const CSRFHeaderName = "X-CSRF-Token"

// WithCSRF returns ctx carrying the CSRF token of the current request. The
// token is the one cross-cutting value passed in the context rather than as
// a parameter (templ's context guidance): every form needs it, and threading
// it through every view model would add noise to all of them.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey{}, token)
}

// CSRFToken returns the token set by WithCSRF, or "".
func CSRFToken(ctx context.Context) string {
	token, _ := ctx.Value(csrfKey{}).(string)
	return token
}

// CSRFField renders the hidden input carrying the CSRF token, for forms
// submitted without JavaScript. It renders nothing when there is no token.
func CSRFField() templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		token := CSRFToken(ctx)
		if token == "" {
			return nil
		}
		_, err := io.WriteString(w, `<input type="hidden" name="`+CSRFFieldName+`" value="`+templ.EscapeString(token)+`">`)
		return err
	})
}

// CSRFHeaders returns the value of the hx-headers attribute that makes every
// htmx request carry the token (htmx 2 inherits hx-headers from <body>), or
// "" when there is no token.
func CSRFHeaders(ctx context.Context) string {
	token := CSRFToken(ctx)
	if token == "" {
		return ""
	}
	b, err := json.Marshal(map[string]string{CSRFHeaderName: token})
	if err != nil { // a map of strings always marshals
		return ""
	}
	return string(b)
}
