package components

import (
	"bytes"
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

func renderDoc(t *testing.T, ctx context.Context, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestAlert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		p                  AlertProps
		kind, role, class  string
		wantTitle, wantMsg string
	}{
		{name: "error", p: AlertProps{Kind: AlertError, Title: "Conflict", Message: "A refresh is running"},
			kind: "error", role: "alert", class: "alert alert-error", wantTitle: "Conflict", wantMsg: "A refresh is running"},
		{name: "success", p: AlertProps{Kind: AlertSuccess, Message: "Saved"}, kind: "success", role: "status", class: "alert alert-success", wantMsg: "Saved"},
		{name: "warning", p: AlertProps{Kind: AlertWarning, Message: "w"}, kind: "warning", role: "alert", class: "alert alert-warning", wantMsg: "w"},
		{name: "empty kind is info", p: AlertProps{Message: "i"}, kind: "info", role: "status", class: "alert alert-info", wantMsg: "i"},
		{name: "unknown kind is info", p: AlertProps{Kind: `x" onclick="`, Message: "i"}, kind: "info", role: "status", class: "alert alert-info", wantMsg: "i"},
		{name: "escaped", p: AlertProps{Kind: AlertInfo, Message: "<script>x</script>"}, kind: "info", role: "status", class: "alert alert-info", wantMsg: "<script>x</script>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := renderDoc(t, context.Background(), Alert(tt.p))
			a := doc.Find(`[data-testid="alert"]`)
			if a.Length() != 1 {
				t.Fatal("no alert")
			}
			for attr, want := range map[string]string{"data-kind": tt.kind, "role": tt.role, "class": tt.class} {
				if got := a.AttrOr(attr, ""); got != want {
					t.Errorf("%s = %q, want %q", attr, got, want)
				}
			}
			if got := a.Find(`[data-testid="alert-title"]`).Text(); got != tt.wantTitle {
				t.Errorf("title = %q, want %q", got, tt.wantTitle)
			}
			if got := a.Find(`[data-testid="alert-message"]`).Text(); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
			if doc.Find("script").Length() != 0 {
				t.Error("message was not escaped")
			}
		})
	}
}

func TestAlertAttrsAndChildren(t *testing.T) {
	t.Parallel()
	child := templ.Raw(`<small data-testid="child">id 42</small>`)
	ctx := templ.WithChildren(context.Background(), child)
	doc := renderDoc(t, ctx, Alert(AlertProps{Message: "m", Attrs: templ.Attributes{"hx-swap-oob": "true"}}))
	a := doc.Find(`[data-testid="alert"]`)
	if got := a.AttrOr("hx-swap-oob", ""); got != "true" {
		t.Errorf("hx-swap-oob = %q", got)
	}
	if a.Find(`[data-testid="child"]`).Text() != "id 42" {
		t.Error("children not rendered inside the alert")
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	if got := CSRFToken(context.Background()); got != "" {
		t.Errorf("token without WithCSRF = %q", got)
	}
	if got := CSRFHeaders(context.Background()); got != "" {
		t.Errorf("headers without a token = %q", got)
	}
	var buf bytes.Buffer
	if err := CSRFField().Render(context.Background(), &buf); err != nil || buf.Len() != 0 {
		t.Errorf("field without a token = %q, %v", buf.String(), err)
	}

	ctx := WithCSRF(context.Background(), `a"b<c`)
	if got := CSRFToken(ctx); got != `a"b<c` {
		t.Errorf("CSRFToken = %q", got)
	}
	if got, want := CSRFHeaders(ctx), `{"X-CSRF-Token":"a\"b\u003cc"}`; got != want {
		t.Errorf("CSRFHeaders = %s, want %s", got, want)
	}
	doc := renderDoc(t, ctx, CSRFField())
	in := doc.Find(`input[type="hidden"][name="_csrf"]`)
	if got := in.AttrOr("value", ""); got != `a"b<c` {
		t.Errorf("field value = %q", got)
	}
}
