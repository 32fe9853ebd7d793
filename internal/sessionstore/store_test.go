package sessionstore

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/sessions"
)

// clock is a clock the tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)} }

const secretCK = "ckSECRETck0123456789abcdefABCDEF"

func newStore(t *testing.T, b Backend, clk *clock, keys ...[]byte) *Store {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{bytes.Repeat([]byte{1}, KeySize)}
	}
	s, err := New(b, Options{Keys: keys, IdleTimeout: 30 * time.Minute, MaxLifetime: 8 * time.Hour, Now: clk.Now,
		Cookie: sessions.Options{Secure: true}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// save saves sess and returns the cookie it set.
func save(t *testing.T, s *Store, sess *sessions.Session) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := s.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec, sess); err != nil {
		t.Fatalf("save: %v", err)
	}
	cs := rec.Result().Cookies()
	if len(cs) != 1 {
		t.Fatalf("save set %d cookies", len(cs))
	}
	return cs[0]
}

func load(t *testing.T, s *Store, c *http.Cookie) (*sessions.Session, error) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if c != nil {
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return s.New(r, "console")
}

func backends(t *testing.T, clk *clock) map[string]Backend {
	t.Helper()
	dir, err := NewDir(filepath.Join(t.TempDir(), "sessions"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Backend{"memory": NewMemory(clk.Now), "dir": dir}
}

func TestRoundTripAndCookie(t *testing.T) {
	t.Parallel()
	for name, b := range backends(t, newClock()) {
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			s := newStore(t, b, clk)
			sess := s.Fresh("console")
			sess.Values["user.ck"] = secretCK
			c := save(t, s, sess)
			if sess.ID == "" || sess.IsNew {
				t.Fatalf("saved session: ID %q, IsNew %v", sess.ID, sess.IsNew)
			}
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("cookie flags: HttpOnly %v Secure %v SameSite %v Path %q", c.HttpOnly, c.Secure, c.SameSite, c.Path)
			}
			if c.MaxAge != int((8 * time.Hour).Seconds()) {
				t.Errorf("cookie MaxAge = %d, want the absolute lifetime", c.MaxAge)
			}
			// The cookie carries neither the ID in clear nor any value.
			if strings.Contains(c.Value, sess.ID) || strings.Contains(c.Value, secretCK) {
				t.Error("cookie value reveals the session ID or a value")
			}
			got, err := load(t, s, c)
			if err != nil || got.ID != sess.ID || got.IsNew || got.Values["user.ck"] != secretCK {
				t.Fatalf("load = %v, %v (ID %q, IsNew %v)", got.Values, err, got.ID, got.IsNew)
			}
			// No cookie, or a tampered one: a fresh session, no error.
			for _, c2 := range []*http.Cookie{nil, {Name: "console", Value: c.Value[:len(c.Value)-2] + "xx"}, {Name: "console", Value: "garbage"}} {
				got, err := load(t, s, c2)
				if err != nil || !got.IsNew || got.ID != "" || len(got.Values) != 0 {
					t.Errorf("cookie %v: got %v, %v", c2, got.Values, err)
				}
			}
		})
	}
}

func TestRecordIsEncryptedAndBoundToItsID(t *testing.T) {
	t.Parallel()
	clk := newClock()
	m := NewMemory(clk.Now)
	s := newStore(t, m, clk)
	a, b := s.Fresh("console"), s.Fresh("console")
	a.Values["user.ck"] = secretCK
	b.Values["user.ck"] = "other"
	ca, cb := save(t, s, a), save(t, s, b)
	raw, err := m.Load(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secretCK)) {
		t.Fatal("the backend holds the consumer key in clear")
	}
	// Copying a's record under b's ID does not give b a's values.
	if err := m.Update(context.Background(), b.ID, raw, clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := load(t, s, cb)
	if !errors.Is(err, ErrExpired) || got.Values["user.ck"] != nil {
		t.Errorf("swapped record: values %v, err %v; want a fresh session and ErrExpired", got.Values, err)
	}
	if _, err := load(t, s, ca); err != nil {
		t.Errorf("a's own record: %v", err)
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		steps   []time.Duration // advance, then load (and save: a request touching the session)
		expired bool            // after the last step
	}{
		{name: "used within the idle timeout", steps: []time.Duration{29 * time.Minute}},
		{name: "idle too long", steps: []time.Duration{31 * time.Minute}, expired: true},
		{name: "idle exactly the timeout", steps: []time.Duration{30 * time.Minute}, expired: true},
		{name: "busy but past the absolute lifetime", steps: repeat(20*time.Minute, 24), expired: true},
		{name: "busy within the absolute lifetime", steps: repeat(20*time.Minute, 23)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			m := NewMemory(clk.Now)
			s := newStore(t, m, clk)
			sess := s.Fresh("console")
			sess.Values["k"] = "v"
			c := save(t, s, sess)
			var err error
			for i, d := range tt.steps {
				clk.Advance(d)
				var got *sessions.Session
				got, err = load(t, s, c)
				if err != nil {
					if i != len(tt.steps)-1 {
						t.Fatalf("step %d: %v", i, err)
					}
					break
				}
				if !s.NeedsTouch(got) {
					t.Fatalf("step %d: a session last seen %s ago does not need a touch", i, d)
				}
				c = save(t, s, got)
			}
			if got := errors.Is(err, ErrExpired); got != tt.expired {
				t.Fatalf("expired = %v (err %v), want %v", got, err, tt.expired)
			}
			if tt.expired && m.Len() != 0 {
				t.Error("the expired record was not deleted")
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestDeletedSessionIsNotWrittenBack(t *testing.T) {
	t.Parallel()
	for name, b := range backends(t, newClock()) {
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			s := newStore(t, b, clk)
			sess := s.Fresh("console")
			sess.Values["k"] = "v"
			c := save(t, s, sess)
			held, err := load(t, s, c) // a request in flight
			if err != nil {
				t.Fatal(err)
			}
			// Logout in another tab.
			out, _ := load(t, s, c)
			out.Options.MaxAge = -1
			rec := httptest.NewRecorder()
			if err := s.Save(httptest.NewRequest(http.MethodPost, "/logout", nil), rec, out); err != nil {
				t.Fatal(err)
			}
			if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 {
				t.Errorf("logout cookie = %v, want an expired cookie", cs)
			}
			// The request in flight saves afterwards.
			held.Values["flash"] = "x"
			rec = httptest.NewRecorder()
			if err := s.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec, held); !errors.Is(err, ErrGone) {
				t.Fatalf("late save = %v, want ErrGone", err)
			}
			if _, err := load(t, s, c); !errors.Is(err, ErrExpired) {
				t.Errorf("the session came back: %v", err)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	clk := newClock()
	m := NewMemory(clk.Now)
	oldKey, newKey := bytes.Repeat([]byte{1}, KeySize), bytes.Repeat([]byte{2}, KeySize)
	s1 := newStore(t, m, clk, oldKey)
	sess := s1.Fresh("console")
	sess.Values["k"] = "v"
	c := save(t, s1, sess)

	// The new key first, the old one kept: the session still reads.
	s2 := newStore(t, m, clk, newKey, oldKey)
	if got, err := load(t, s2, c); err != nil || got.Values["k"] != "v" {
		t.Fatalf("after rotation: %v, %v", got.Values, err)
	}
	// The old key dropped: the cookie no longer decodes.
	s3 := newStore(t, m, clk, newKey)
	if got, err := load(t, s3, c); err != nil || !got.IsNew {
		t.Errorf("old key removed: %v, %v; want a fresh session", got.Values, err)
	}
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	m := NewMemory(nil)
	key := bytes.Repeat([]byte{7}, KeySize)
	for _, tc := range []struct {
		name string
		b    Backend
		o    Options
		want string
	}{
		{"no backend", nil, Options{Keys: [][]byte{key}, IdleTimeout: time.Minute, MaxLifetime: time.Hour}, "no backend"},
		{"no key", m, Options{IdleTimeout: time.Minute, MaxLifetime: time.Hour}, "no session key"},
		{"short key", m, Options{Keys: [][]byte{key[:10]}, IdleTimeout: time.Minute, MaxLifetime: time.Hour}, "key 1 is 10 bytes"},
		{"no timeout", m, Options{Keys: [][]byte{key}}, "positive"},
	} {
		if _, err := New(tc.b, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	s, err := New(m, Options{Keys: [][]byte{key}, IdleTimeout: time.Minute, MaxLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sess := s.Fresh("console")
	sess.Values[1] = "int key"
	if err := s.Save(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder(), sess); err == nil {
		t.Error("a non-string key was saved")
	}
}

func TestDirSurvivesRestartAndSweeps(t *testing.T) {
	t.Parallel()
	clk := newClock()
	path := filepath.Join(t.TempDir(), "sessions")
	d1, err := NewDir(path, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	s1 := newStore(t, d1, clk)
	keep, drop := s1.Fresh("console"), s1.Fresh("console")
	keep.Values["user.ck"] = secretCK
	drop.Values["k"] = "v"
	cKeep := save(t, s1, keep)
	save(t, s1, drop)

	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("directory mode = %v, %v; want 0700", info.Mode().Perm(), err)
	}
	entries, err := os.ReadDir(path)
	if err != nil || len(entries) != 2 {
		t.Fatalf("files = %v, %v", entries, err)
	}
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", e.Name(), fi.Mode().Perm())
		}
		b, _ := os.ReadFile(filepath.Join(path, e.Name()))
		if bytes.Contains(b, []byte(secretCK)) {
			t.Errorf("%s holds the consumer key in clear", e.Name())
		}
	}

	// "Restart": a new backend and store on the same directory and keys.
	clk.Advance(20 * time.Minute)
	d2, err := NewDir(path, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	s2 := newStore(t, d2, clk)
	got, err := load(t, s2, cKeep)
	if err != nil || got.Values["user.ck"] != secretCK {
		t.Fatalf("after restart: %v, %v", got.Values, err)
	}
	save(t, s2, got) // keep is used; drop is not

	// A stray temporary file from a crash, and time passing.
	if err := os.WriteFile(filepath.Join(path, tmpPrefix+"crash"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := clk.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(path, tmpPrefix+"crash"), old, old); err != nil {
		t.Fatal(err)
	}
	clk.Advance(15 * time.Minute) // drop: idle 35 min; keep: idle 15 min
	n, err := d2.Sweep()
	if err != nil || n != 2 {
		t.Fatalf("Sweep = %d, %v; want 2 (the idle session and the temporary file)", n, err)
	}
	if _, err := load(t, s2, cKeep); err != nil {
		t.Errorf("the live session was swept: %v", err)
	}
	if entries, _ := os.ReadDir(path); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
}

func TestDirRejectsOddIDs(t *testing.T) {
	t.Parallel()
	d, err := NewDir(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"", "../../etc/passwd", "ABCDEFGHIJKLMNOPQRSTUVWXY1", strings.Repeat("A", 27)} {
		if _, err := d.Load(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load(%q) = %v, want ErrNotFound", id, err)
		}
		if err := d.Create(ctx, id, []byte("x"), time.Now().Add(time.Hour)); err == nil {
			t.Errorf("Create(%q) succeeded", id)
		}
	}
}
