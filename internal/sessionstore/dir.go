package sessionstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dir is a Backend keeping one file per session in a directory: the
// embedded default, which survives a restart of the console. Each file
// holds the expiry (Unix milliseconds) on its first line, then the record.
// Files are written to a temporary name and renamed, so that a crash never
// leaves half a record, with mode 0600 in a 0700 directory.
//
// It serves one process: Create and Update check for existence under an
// in-process lock. Use Redis for several replicas.
type Dir struct {
	dir string
	mu  sync.Mutex
	now func() time.Time
}

// filePrefix and tmpPrefix name the files of a Dir.
const (
	filePrefix = "session-"
	tmpPrefix  = ".tmp-"
)

// NewDir returns a Dir backend under dir, creating it if needed. now is the
// clock for expiry (nil = time.Now).
func NewDir(dir string, now func() time.Time) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sessionstore: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Dir{dir: dir, now: now}, nil
}

func (d *Dir) path(id string) (string, error) {
	if !validID(id) {
		// The ID comes from a signed cookie, but a file name is no place
		// to trust it.
		return "", ErrNotFound
	}
	return filepath.Join(d.dir, filePrefix+id), nil
}

// Load implements Backend.
func (d *Dir) Load(_ context.Context, id string) ([]byte, error) {
	p, err := d.path(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p) //nolint:gosec // p is under d.dir and id is checked by validID
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sessionstore: %w", err)
	}
	expires, data, ok := parseFile(b)
	if !ok || !d.now().Before(expires) {
		return nil, ErrNotFound
	}
	return data, nil
}

// Create implements Backend.
func (d *Dir) Create(_ context.Context, id string, data []byte, expires time.Time) error {
	return d.write(id, data, expires, false)
}

// Update implements Backend.
func (d *Dir) Update(_ context.Context, id string, data []byte, expires time.Time) error {
	return d.write(id, data, expires, true)
}

func (d *Dir) write(id string, data []byte, expires time.Time, mustExist bool) error {
	p, err := d.path(id)
	if err != nil {
		return fmt.Errorf("sessionstore: invalid session ID")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	_, err = os.Stat(p) //nolint:gosec // p is d.path's: under d.dir, id checked by validID
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sessionstore: %w", err)
	case mustExist && !exists:
		return ErrNotFound
	case !mustExist && exists:
		return ErrExists
	}
	tmp, err := os.CreateTemp(d.dir, tmpPrefix)
	if err != nil {
		return fmt.Errorf("sessionstore: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() //nolint:gosec // our own temporary file; after a successful rename, a no-op
	var buf bytes.Buffer
	buf.WriteString(strconv.FormatInt(expires.UnixMilli(), 10))
	buf.WriteByte('\n')
	buf.Write(data)
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("sessionstore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sessionstore: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil { //nolint:gosec // p is d.path's: under d.dir, id checked by validID
		return fmt.Errorf("sessionstore: %w", err)
	}
	return nil
}

// Delete implements Backend.
func (d *Dir) Delete(_ context.Context, id string) error {
	p, err := d.path(id)
	if err != nil {
		return nil //nolint:nilerr // an ID that cannot exist is deleted already
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) { //nolint:gosec // p is d.path's: under d.dir, id checked by validID
		return fmt.Errorf("sessionstore: %w", err)
	}
	return nil
}

// Sweep deletes the files of expired sessions, and temporary files left by
// a crash, and returns how many it deleted. Load never returns an expired
// record anyway; Sweep only reclaims the space.
func (d *Dir) Sweep() (int, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return 0, fmt.Errorf("sessionstore: %w", err)
	}
	now := d.now()
	n := 0
	var errs []error
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(d.dir, name)
		switch {
		case strings.HasPrefix(name, tmpPrefix):
			// A temporary file older than a minute belongs to no write in
			// progress.
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > time.Minute {
				if err := os.Remove(p); err == nil {
					n++
				}
			}
		case strings.HasPrefix(name, filePrefix):
			d.mu.Lock()
			expired := d.expired(p, now)
			if expired {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, err)
				} else {
					n++
				}
			}
			d.mu.Unlock()
		}
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("sessionstore: sweep: %w", err)
	}
	return n, nil
}

// expired reads only the first line of the file at p.
func (d *Dir) expired(p string, now time.Time) bool {
	f, err := os.Open(p) //nolint:gosec // p is a file of d.dir
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return true // not even a header: damaged
	}
	ms, err := strconv.ParseInt(strings.TrimSuffix(line, "\n"), 10, 64)
	return err != nil || !now.Before(time.UnixMilli(ms))
}

// RunJanitor calls Sweep every interval until ctx ends, reporting errors
// to onError (which may be nil).
func (d *Dir) RunJanitor(ctx context.Context, every time.Duration, onError func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := d.Sweep(); err != nil && onError != nil {
				onError(err)
			}
		}
	}
}

func parseFile(b []byte) (time.Time, []byte, bool) {
	line, data, ok := bytes.Cut(b, []byte{'\n'})
	if !ok {
		return time.Time{}, nil, false
	}
	ms, err := strconv.ParseInt(string(line), 10, 64)
	if err != nil {
		return time.Time{}, nil, false
	}
	return time.UnixMilli(ms), data, true
}
