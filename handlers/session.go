package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/sessionstore"
	"github.com/iplb-console/iplb-console/views"
)

// sessionName is the session cookie's name (one session per browser).
const sessionName = "console"

// Session value keys. Everything goes through the accessors of this file:
// nothing else touches sess.Values (STYLE §2.7). Values are strings only.
const (
	// The signed-in user.
	keyAccount     = "user.account"     // nichandle
	keyIAMUser     = "user.iam"         // IAM user, "" for the account itself
	keyName        = "user.name"        // display name from /me
	keyKeyExpires  = "user.key_expires" // RFC 3339, "" = never
	keyConsumerKey = "user.ck"          // the consumer key: server-side only
	keyLoginAt     = "user.login_at"    // RFC 3339

	// A sign-in in progress (POST /login until the callback).
	keyPendingState = "login.state"
	keyPendingCK    = "login.ck"
	keyPendingNext  = "login.next"
	keyPendingAt    = "login.at"

	keyFlashes = "flashes" // JSON list of views.Flash
)

// Echo context keys.
const (
	ctxSession = "iplb.session" // *sessionState
)

// sessionState is the request's session, loaded once by loadSession.
type sessionState struct {
	s *sessions.Session
	// dirty means s must be written back before the response.
	dirty bool
	// ended means the request's cookie named a session that had ended
	// (idle, too old, or deleted): requireLogin says so on the login page.
	ended bool
}

// sessionOf returns the request's session state, or nil outside the routes
// that load sessions (static files, healthz).
func sessionOf(c echo.Context) *sessionState {
	st, _ := c.Get(ctxSession).(*sessionState)
	return st
}

// User is the signed-in user, as the session keeps it.
type User struct {
	Account    string    // the OVHcloud account (nichandle), e.g. "xy1234-ovh"
	IAMUser    string    // the IAM user who signed in; "" for the account itself
	Name       string    // the account holder's name (from /me)
	KeyExpires time.Time // when the consumer key expires; zero = never
	LoginAt    time.Time
}

// sessionUser returns the signed-in user of c.
func sessionUser(c echo.Context) (User, bool) {
	st := sessionOf(c)
	if st == nil {
		return User{}, false
	}
	v := st.s.Values
	account, _ := v[keyAccount].(string)
	ck, _ := v[keyConsumerKey].(string)
	if account == "" || ck == "" {
		return User{}, false
	}
	u := User{Account: account}
	u.IAMUser, _ = v[keyIAMUser].(string)
	u.Name, _ = v[keyName].(string)
	u.KeyExpires = parseTime(v[keyKeyExpires])
	u.LoginAt = parseTime(v[keyLoginAt])
	return u, true
}

func parseTime(v any) time.Time {
	s, _ := v.(string)
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// flash queues a one-time message for the next page this browser sees
// (typically after a redirect).
func (h *Handler) flash(c echo.Context, kind views.FlashKind, msg string) {
	h.addFlash(c, views.Flash{Kind: kind, Message: msg})
}

// addFlash is flash for a prepared message, e.g. one with an element id
// (views.IPMoveNotice).
func (h *Handler) addFlash(c echo.Context, f views.Flash) {
	st := sessionOf(c)
	if st == nil {
		return
	}
	list := readFlashes(st.s)
	list = append(list, f)
	b, err := json.Marshal(list)
	if err != nil { // a list of strings always marshals
		return
	}
	st.s.Values[keyFlashes] = string(b)
	st.dirty = true
}

// popFlashes returns the queued messages and removes them from the session.
func popFlashes(c echo.Context) []views.Flash {
	st := sessionOf(c)
	if st == nil {
		return nil
	}
	list := readFlashes(st.s)
	if _, ok := st.s.Values[keyFlashes]; ok {
		delete(st.s.Values, keyFlashes)
		st.dirty = true
	}
	return list
}

func readFlashes(s *sessions.Session) []views.Flash {
	raw, _ := s.Values[keyFlashes].(string)
	if raw == "" {
		return nil
	}
	var list []views.Flash
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil
	}
	return list
}

// pageMeta builds the layout's parameters common to every page: the title
// and active navigation entry, the signed-in user for the header, the demo
// flag, the flash messages (taken out of the session) and the request ID.
func (h *Handler) pageMeta(c echo.Context, title string, nav views.Nav) views.PageMeta {
	meta := views.PageMeta{
		Title:     title,
		Nav:       nav,
		Demo:      h.demo,
		RequestID: requestIDOf(c),
		Flashes:   popFlashes(c),
	}
	if u, ok := sessionUser(c); ok {
		meta.User = &views.SignedInUser{Account: u.Account, IAMUser: u.IAMUser, Name: u.Name, KeyExpires: u.KeyExpires}
	}
	return meta
}

// loadSession loads the request's session (never creating one: anonymous
// visitors get no server-side session until they start signing in), ends a
// signed-in session whose consumer key has expired, and arranges for the
// session to be saved, when changed, just before the response is written
// (gorilla: save before writing the response), whatever writes it.
func (h *Handler) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := h.sessions.New(c.Request(), sessionName)
		st := &sessionState{s: s}
		switch {
		case errors.Is(err, sessionstore.ErrExpired):
			st.ended = true
		case err != nil:
			c.Set(ctxSession, st) // a fresh session, so the error page renders
			return fmt.Errorf("load session: %w", err)
		}
		c.Set(ctxSession, st)
		if u, ok := sessionUser(c); ok {
			if !u.KeyExpires.IsZero() && !h.now().Before(u.KeyExpires) {
				// The consumer key has expired: the API would refuse every
				// call. End the session now rather than on the first error.
				if err := h.endSession(c); err != nil {
					return err
				}
				st.ended = true
			} else if h.sessions.NeedsTouch(s) {
				st.dirty = true // push the idle timeout back
			}
		}
		c.Response().Before(func() { h.saveIfDirty(c) })
		return next(c)
	}
}

// saveIfDirty writes the session if it changed. It runs just before the
// response is written, so it cannot change the answer: failures are logged.
func (h *Handler) saveIfDirty(c echo.Context) {
	st := sessionOf(c)
	if st == nil || !st.dirty {
		return
	}
	st.dirty = false
	if st.s.ID == "" && len(st.s.Values) == 0 {
		return
	}
	err := h.sessions.Save(c.Request(), c.Response(), st.s)
	if err != nil && !errors.Is(err, sessionstore.ErrGone) {
		h.log.ErrorContext(c.Request().Context(), "session not saved",
			"request_id", requestIDOf(c), "err", err)
	}
}

// saveSession writes the session now, for changes the response depends on
// (a sign-in step): unlike saveIfDirty, its failure fails the request.
func (h *Handler) saveSession(c echo.Context) error {
	st := sessionOf(c)
	if err := h.sessions.Save(c.Request(), c.Response(), st.s); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	st.dirty = false
	return nil
}

// startUserSession signs u in with consumerKey in a session with a new ID:
// the pre-login session (and its ID, which an attacker might have planted)
// is deleted on the server, so that it never becomes a signed-in session.
func (h *Handler) startUserSession(c echo.Context, u User, consumerKey string) error {
	st := sessionOf(c)
	if err := h.sessions.Delete(c.Request().Context(), st.s); err != nil {
		return fmt.Errorf("rotate session: %w", err)
	}
	h.clients.drop(st.s.ID)
	fresh := h.sessions.Fresh(sessionName)
	v := fresh.Values
	v[keyAccount] = u.Account
	v[keyIAMUser] = u.IAMUser
	v[keyName] = u.Name
	v[keyKeyExpires] = formatTime(u.KeyExpires)
	v[keyConsumerKey] = consumerKey
	v[keyLoginAt] = formatTime(h.now())
	st.s = fresh
	if err := h.saveSession(c); err != nil {
		return err
	}
	h.log.InfoContext(c.Request().Context(), "signed in",
		"user", describeUser(u), "request_id", requestIDOf(c))
	return nil
}

// endSession destroys the session: its server-side data is deleted, its
// API client forgotten and its cookie expired.
func (h *Handler) endSession(c echo.Context) error {
	st := sessionOf(c)
	if st == nil {
		return nil
	}
	h.clients.drop(st.s.ID)
	st.s.Options.MaxAge = -1
	err := h.sessions.Save(c.Request(), c.Response(), st.s)
	st.s = h.sessions.Fresh(sessionName)
	st.dirty = false
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
