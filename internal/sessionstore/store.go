package sessionstore

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// ErrExpired is returned by Store.New, with a fresh session, when the
// request's cookie named a session that has ended: idle for too long, past
// its absolute lifetime, or deleted (a logout elsewhere). Callers use it to
// tell the user why they must sign in again.
var ErrExpired = errors.New("sessionstore: session expired")

// ErrGone is returned by Store.Save when the session was deleted while the
// request held it (typically a logout in another tab): the session is not
// written back, and the cookie is expired.
var ErrGone = errors.New("sessionstore: session ended meanwhile")

// Reserved value keys, written by Save. Callers must not set keys starting
// with an underscore.
const (
	keyCreated = "_created"
	keySeen    = "_seen"
)

// KeySize is the length of each session key.
const KeySize = 32

// Options configure a Store.
type Options struct {
	// Keys sign and encrypt cookies and records, newest first; each is
	// KeySize random bytes. Older keys still decode, so that keys can
	// rotate without signing everybody out.
	Keys [][]byte
	// IdleTimeout ends a session not used for this long.
	IdleTimeout time.Duration
	// MaxLifetime ends a session this long after it was created, however
	// busy.
	MaxLifetime time.Duration
	// Cookie holds the cookie's Path, Domain, Secure and SameSite (Lax when
	// unset). HttpOnly is always set, and MaxAge is computed from the
	// session's remaining lifetime.
	Cookie sessions.Options
	// Now is the clock the timeouts are measured with (nil = time.Now).
	Now func() time.Time
}

// Store is a gorilla/sessions Store keeping values server-side. Only string
// keys and string values may be stored (no gob registration, and records
// stay readable across versions). It is safe for concurrent use.
type Store struct {
	backend Backend
	cookie  []securecookie.Codec // encode the session ID into the cookie
	record  []securecookie.Codec // encode the record in the backend
	idle    time.Duration
	max     time.Duration
	opts    sessions.Options
	now     func() time.Time
}

var _ sessions.Store = (*Store)(nil)

// New returns a Store keeping records in b.
func New(b Backend, o Options) (*Store, error) {
	if b == nil {
		return nil, errors.New("sessionstore: no backend")
	}
	if len(o.Keys) == 0 {
		return nil, errors.New("sessionstore: no session key")
	}
	if o.IdleTimeout <= 0 || o.MaxLifetime <= 0 {
		return nil, errors.New("sessionstore: idle timeout and maximum lifetime must be positive")
	}
	s := &Store{backend: b, idle: o.IdleTimeout, max: o.MaxLifetime, opts: o.Cookie, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.opts.Path == "" {
		s.opts.Path = "/"
	}
	if s.opts.SameSite == 0 || s.opts.SameSite == http.SameSiteDefaultMode {
		s.opts.SameSite = http.SameSiteLaxMode
	}
	s.opts.HttpOnly = true
	for i, k := range o.Keys {
		if len(k) != KeySize {
			// Never show the key: only its position.
			return nil, fmt.Errorf("sessionstore: key %d is %d bytes, want %d", i+1, len(k), KeySize)
		}
		// One configured key gives four independent keys (HKDF), so that
		// the cookie's and the records' keys differ.
		ch, cb := derive(k, "cookie-hash"), derive(k, "cookie-block")
		rh, rb := derive(k, "record-hash"), derive(k, "record-block")
		c := securecookie.New(ch, cb).MaxAge(int(s.max / time.Second)).SetSerializer(securecookie.JSONEncoder{})
		r := securecookie.New(rh, rb).MaxAge(0).MaxLength(0).SetSerializer(securecookie.JSONEncoder{})
		s.cookie = append(s.cookie, c)
		s.record = append(s.record, r)
	}
	return s, nil
}

// derive returns a 32-byte key for purpose from the configured key k.
func derive(k []byte, purpose string) []byte {
	out, err := hkdf.Key(sha256.New, k, nil, "iplb-console session "+purpose, 32)
	if err != nil { // only for an impossible length
		panic(err)
	}
	return out
}

// GenerateKey returns a new random session key.
func GenerateKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24)
	return k
}

// record is what the backend holds for a session.
type record struct {
	Values  map[string]string `json:"v"`
	Created time.Time         `json:"c"`
	Seen    time.Time         `json:"s"`
}

// Get returns the session name of r, cached in gorilla's per-request
// registry. Handlers that rotate sessions should call New once instead.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// Fresh returns a new, empty session that gets an ID when saved.
func (s *Store) Fresh(name string) *sessions.Session {
	sess := sessions.NewSession(s, name)
	opts := s.opts
	sess.Options = &opts
	sess.IsNew = true
	return sess
}

// New loads the session named by r's cookie, or returns a fresh one: when
// there is no cookie, or it does not decode (tampered, or signed with a key
// no longer configured), with a nil error; when the session it names has
// ended, with ErrExpired (its record is deleted). Any other error is the
// backend's, with a fresh session.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := s.Fresh(name)
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := securecookie.DecodeMulti(name, c.Value, &id, s.cookie...); err != nil || !validID(id) {
		return sess, nil
	}
	ctx := r.Context()
	data, err := s.backend.Load(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return sess, ErrExpired
	}
	if err != nil {
		return sess, fmt.Errorf("sessionstore: load: %w", err)
	}
	var rec record
	if err := securecookie.DecodeMulti(recordName(id), string(data), &rec, s.record...); err != nil {
		// Written with a key no longer configured, or damaged: unusable.
		_ = s.backend.Delete(ctx, id)
		return sess, ErrExpired
	}
	now := s.now()
	if !now.Before(s.expiry(rec.Created, rec.Seen)) {
		if err := s.backend.Delete(ctx, id); err != nil {
			return sess, fmt.Errorf("sessionstore: delete expired: %w", err)
		}
		return sess, ErrExpired
	}
	sess.ID = id
	sess.IsNew = false
	for k, v := range rec.Values {
		sess.Values[k] = v
	}
	sess.Values[keyCreated] = rec.Created.Format(time.RFC3339Nano)
	sess.Values[keySeen] = rec.Seen.Format(time.RFC3339Nano)
	return sess, nil
}

// Save writes sess and sets its cookie. A session with Options.MaxAge < 0
// is destroyed: its record deleted and its cookie expired. A session
// without an ID gets a new one. A session deleted meanwhile is not written
// back: ErrGone, and the cookie is expired.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	opts := s.opts
	if sess.Options != nil {
		opts.MaxAge = sess.Options.MaxAge
	}
	if opts.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.backend.Delete(ctx, sess.ID); err != nil {
				return fmt.Errorf("sessionstore: delete: %w", err)
			}
		}
		s.expireCookie(w, sess.Name())
		return nil
	}

	now := s.now()
	rec := record{Values: map[string]string{}, Created: now, Seen: now}
	for k, v := range sess.Values {
		ks, ok1 := k.(string)
		vs, ok2 := v.(string)
		if !ok1 || !ok2 {
			return fmt.Errorf("sessionstore: only string keys and values can be stored (key %v)", k)
		}
		switch {
		case ks == keyCreated:
			if t, err := time.Parse(time.RFC3339Nano, vs); err == nil && sess.ID != "" {
				rec.Created = t
			}
		case strings.HasPrefix(ks, "_"):
			// other reserved keys are not stored
		default:
			rec.Values[ks] = vs
		}
	}
	expires := s.expiry(rec.Created, rec.Seen)
	if !now.Before(expires) {
		// Past its absolute lifetime while the request ran.
		if sess.ID != "" {
			_ = s.backend.Delete(ctx, sess.ID)
		}
		s.expireCookie(w, sess.Name())
		return ErrGone
	}

	if sess.ID == "" {
		if err := s.create(ctx, sess, rec, expires); err != nil {
			return err
		}
	} else {
		data, err := securecookie.EncodeMulti(recordName(sess.ID), rec, s.record...)
		if err != nil {
			return fmt.Errorf("sessionstore: encode: %w", err)
		}
		err = s.backend.Update(ctx, sess.ID, []byte(data), expires)
		if errors.Is(err, ErrNotFound) {
			s.expireCookie(w, sess.Name())
			return ErrGone
		}
		if err != nil {
			return fmt.Errorf("sessionstore: update: %w", err)
		}
	}
	sess.IsNew = false
	sess.Values[keyCreated] = rec.Created.Format(time.RFC3339Nano)
	sess.Values[keySeen] = rec.Seen.Format(time.RFC3339Nano)

	value, err := securecookie.EncodeMulti(sess.Name(), sess.ID, s.cookie...)
	if err != nil {
		return fmt.Errorf("sessionstore: encode cookie: %w", err)
	}
	// The cookie lives until the absolute lifetime ends (rounded up); the
	// server decides before that.
	opts.MaxAge = int((rec.Created.Add(s.max).Sub(now) + time.Second - 1) / time.Second)
	http.SetCookie(w, sessions.NewCookie(sess.Name(), value, &opts))
	return nil
}

// create stores rec under a new random ID and sets sess.ID.
func (s *Store) create(ctx context.Context, sess *sessions.Session, rec record, expires time.Time) error {
	for range 3 { // a collision of 128 random bits: never, but cheap to handle
		id := rand.Text()
		data, err := securecookie.EncodeMulti(recordName(id), rec, s.record...)
		if err != nil {
			return fmt.Errorf("sessionstore: encode: %w", err)
		}
		err = s.backend.Create(ctx, id, []byte(data), expires)
		if errors.Is(err, ErrExists) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sessionstore: create: %w", err)
		}
		sess.ID = id
		return nil
	}
	return errors.New("sessionstore: could not allocate a session ID")
}

// Delete removes the server-side record of sess without touching cookies
// (session rotation: the new session's cookie replaces the old one).
func (s *Store) Delete(ctx context.Context, sess *sessions.Session) error {
	if sess.ID == "" {
		return nil
	}
	if err := s.backend.Delete(ctx, sess.ID); err != nil {
		return fmt.Errorf("sessionstore: delete: %w", err)
	}
	return nil
}

// NeedsTouch reports whether sess was last written long enough ago that it
// should be saved again to push its idle timeout back. Saving on every
// request would write the backend for every page; saving at most every
// touchInterval means the idle timeout can end a session up to that much
// early, never late.
func (s *Store) NeedsTouch(sess *sessions.Session) bool {
	seen := timeValue(sess, keySeen)
	return seen.IsZero() || s.now().Sub(seen) >= s.touchInterval()
}

func (s *Store) touchInterval() time.Duration { return min(time.Minute, s.idle/4) }

// Created returns when sess was created (zero for a session never saved).
func Created(sess *sessions.Session) time.Time { return timeValue(sess, keyCreated) }

func timeValue(sess *sessions.Session, key string) time.Time {
	v, _ := sess.Values[key].(string)
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// expiry is when a session created and last seen at these times ends.
func (s *Store) expiry(created, seen time.Time) time.Time {
	idleEnd, absEnd := seen.Add(s.idle), created.Add(s.max)
	if idleEnd.Before(absEnd) {
		return idleEnd
	}
	return absEnd
}

// expireCookie tells the browser to drop the cookie name.
func (s *Store) expireCookie(w http.ResponseWriter, name string) {
	opts := s.opts
	opts.MaxAge = -1
	http.SetCookie(w, sessions.NewCookie(name, "", &opts))
}

// recordName binds a record's MAC to its session ID.
func recordName(id string) string { return "record:" + id }

// validID reports whether id looks like one of ours (rand.Text: 26
// characters of base32). Backends that use the ID in a file name rely on it.
func validID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for _, c := range id {
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}
