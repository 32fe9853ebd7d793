package ovhemu

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"strconv"
	"time"
)

// The validation page: where POST /auth/credential's validationUrl leads
// (REFERENCE §2.3). It is served at /auth/ of the emulator's root, outside
// /1.0 and /v1, as the real one is at https://eu.api.ovh.com/auth/; when the
// emulator is mounted under a prefix with http.StripPrefix it is reached at
// <prefix>/auth/.
//
// GET /auth/?credentialToken=T shows the form. POST /auth/ (a form,
// application/x-www-form-urlencoded) takes these fields:
//
//	credentialToken  the token of the validation URL (the query string's is used if absent)
//	login            a nichandle ("xy1234-ovh", any case) or "nichandle/user" for an IAM user
//	password         that login's password
//	duration         validity in seconds: 3600, 86400, 2592000, or 0 for unlimited;
//	                 any other whole number of seconds is accepted too;
//	                 absent means the page's default, 86400
//	action           "authorize" (the default, also what pressing Enter sends) or "refuse"
//
// Answers: a wrong login or password gives the form again with an error,
// status 401, nothing changed. "authorize" validates the credential for that
// login and validity and "refuse" refuses it ([INF]: refusing needs no
// login); both then 303-redirect to the credential's redirection, or, with
// none, show a page saying the browser can be closed (200). An unknown token,
// or one already used, gives 404; a duration that is not a number, 400.
//
// [INF]: the real page's look, field names and validity choices are not
// published; this is our own, styled after OVHcloud's sign-in pages.

//go:embed validation.html
var validationHTML string

var validationTmpl = template.Must(template.New("validation").Parse(validationHTML))

// validationDefault is the validity selected by default: one day. [INF]
const validationDefault = "86400"

// validationChoices are the validities offered, in seconds ("0" = unlimited).
var validationChoices = []struct{ value, label string }{
	{"3600", "1 hour"},
	{"86400", "1 day"},
	{"2592000", "30 days"},
	{"0", "Unlimited"},
}

// validationView is what the template renders.
type validationView struct {
	Title string

	// The form.
	Form           bool
	Token          string
	AppName        string
	AppDescription string
	Rules          []AccessRule
	Login          string
	Durations      []durationChoice
	Error          string
	Accounts       []demoLogin

	// A message page.
	Message string
	Link    string
}

type durationChoice struct {
	Value, Label string
	Selected     bool
}

type demoLogin struct {
	Login, Password, Label string
}

// serveValidationPage serves GET and POST /auth/.
func (e *Emulator) serveValidationPage(w http.ResponseWriter, r *http.Request) {
	e.newQueryID(w)
	if r.URL.Path != "/auth/" {
		e.writePage(w, http.StatusNotFound, validationView{Title: "Page not found",
			Message: "There is nothing at this address."})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, HEAD, POST")
		e.writePage(w, http.StatusMethodNotAllowed, validationView{Title: "Method not allowed",
			Message: "This page only answers GET and POST."})
		return
	}
	token := r.URL.Query().Get("credentialToken")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			e.writePage(w, http.StatusBadRequest, validationView{Title: "Bad request",
				Message: "The form could not be read."})
			return
		}
		if t := r.PostForm.Get("credentialToken"); t != "" {
			token = t
		}
	}

	e.mu.Lock()
	status, view, redirect := e.validationStep(r, token)
	e.mu.Unlock()

	if redirect != "" {
		w.Header().Set("Cache-Control", "no-store")
		// The target is the redirection the application asked for, checked
		// to be an absolute http(s) URL when it asked (postAuthCredential):
		// sending the browser back there is the page's purpose.
		http.Redirect(w, r, redirect, http.StatusSeeOther) //nolint:gosec // see above
		return
	}
	e.writePage(w, status, view)
}

// validationStep does the work of one request to the page under e.mu: it
// returns the status and page to show, or a URL to redirect to.
func (e *Emulator) validationStep(r *http.Request, token string) (int, validationView, string) {
	cred := e.auth.tokens[token]
	if token == "" || cred == nil || cred.status != credPending {
		return http.StatusNotFound, validationView{Title: "Unknown request",
			Message: "This validation link is unknown or has already been used. Ask the application for a new one."}, ""
	}
	view := e.formView(cred, validationDefault)
	if r.Method != http.MethodPost {
		return http.StatusOK, view, ""
	}

	duration := r.PostForm.Get("duration")
	if duration == "" {
		duration = validationDefault
	}
	view = e.formView(cred, duration)
	view.Login = r.PostForm.Get("login")

	if r.PostForm.Get("action") == "refuse" {
		cred.status = credRefused
		delete(e.auth.tokens, cred.token)
		cred.token = ""
		if cred.redirection != "" {
			return 0, view, cred.redirection // [INF] refused also goes back
		}
		return http.StatusOK, validationView{Title: "Access refused",
			Message: "You refused access to " + cred.app.name + ". You can close this page."}, ""
	}

	secs, err := strconv.ParseInt(duration, 10, 64)
	if err != nil || secs < 0 || secs > 100*365*24*3600 {
		view.Error = "Choose a validity from the list."
		return http.StatusBadRequest, view, ""
	}
	acct, user, password, ok := e.lookupLogin(view.Login)
	if !ok || password != r.PostForm.Get("password") {
		// The wording of the real page as reported in node-ovh#46 [O-weak].
		view.Error = "Invalid account / password."
		return http.StatusUnauthorized, view, ""
	}
	e.validate(cred, acct, user, time.Duration(secs)*time.Second)
	if cred.redirection != "" {
		return 0, view, cred.redirection
	}
	return http.StatusOK, validationView{Title: "Access granted",
		Message: cred.app.name + " can now use your account. You can close this page."}, ""
}

// formView builds the form for cred with duration selected.
func (e *Emulator) formView(cred *credential, duration string) validationView {
	v := validationView{
		Title:          "Authorize " + cred.app.name,
		Form:           true,
		Token:          cred.token,
		AppName:        cred.app.name,
		AppDescription: cred.app.description,
		Rules:          cred.rules,
	}
	for _, c := range validationChoices {
		v.Durations = append(v.Durations, durationChoice{Value: c.value, Label: c.label, Selected: c.value == duration})
	}
	for _, nic := range e.world.order {
		a := e.world.accounts[nic]
		if a == nil {
			continue
		}
		v.Accounts = append(v.Accounts, demoLogin{Login: a.NicHandle, Password: a.Password, Label: a.FirstName + " " + a.Name})
		for _, u := range e.auth.users[nic] {
			v.Accounts = append(v.Accounts, demoLogin{Login: nic + "/" + u.login, Password: u.password, Label: "IAM user of " + nic})
		}
	}
	return v
}

// writePage renders a page of the validation flow. The page is
// self-contained (inline style, no script, no external resource), which its
// Content-Security-Policy enforces.
func (e *Emulator) writePage(w http.ResponseWriter, status int, v validationView) {
	var buf bytes.Buffer
	if err := validationTmpl.ExecuteTemplate(&buf, "page", v); err != nil {
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
