package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorilla/sessions"

	"github.com/iplb-console/iplb-console/internal/sessionstore"
)

// sessionKeysFile is where demo mode keeps the session keys it generated,
// under DATA_DIR, so that sessions survive a restart.
const sessionKeysFile = "session-keys"

// sessionsDir is where the embedded store keeps sessions, under DATA_DIR.
const sessionsDir = "sessions"

// janitorEvery is how often the embedded store deletes expired sessions.
const janitorEvery = 10 * time.Minute

// sessionKeys returns SESSION_KEYS, or in demo mode the keys kept in
// DATA_DIR/session-keys, generated (mode 0600) on first start. Outside demo
// mode the keys must be configured: replicas must share them, and a
// generated key would silently differ between them.
func sessionKeys(cfg Config) ([][]byte, error) {
	if len(cfg.SessionKeys) > 0 {
		return cfg.SessionKeys, nil
	}
	if !cfg.Demo() {
		return nil, errors.New("SESSION_KEYS: required outside demo mode (one or more keys of 64 hex digits, e.g. openssl rand -hex 32)")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("DATA_DIR: %w", err)
	}
	path := filepath.Join(cfg.DataDir, sessionKeysFile)
	keys, err := readKeysFile(path)
	if err == nil {
		return keys, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key := sessionstore.GenerateKey()
	// O_EXCL: two consoles starting at once on the same DATA_DIR must not
	// each write their own key; the loser reads the winner's.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // path is DATA_DIR's, from our configuration
	if errors.Is(err, fs.ErrExist) {
		return readKeysFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("session keys: %w", err)
	}
	_, err = fmt.Fprintln(f, hex.EncodeToString(key))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("session keys: %w", err)
	}
	return [][]byte{key}, nil
}

// readKeysFile reads one hex key per line, newest first. Errors name the
// file and line, never the content.
func readKeysFile(path string) ([][]byte, error) {
	f, err := os.Open(path) //nolint:gosec // path is DATA_DIR's, from our configuration
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var keys [][]byte
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		k, err := hex.DecodeString(line)
		if err != nil || len(k) != sessionstore.KeySize {
			return nil, fmt.Errorf("%s: line %d is not a key of 64 hex digits", path, n)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no key", path)
	}
	return keys, nil
}

// newSessionStore builds the session store: Redis when REDIS_URL is set,
// otherwise files under DATA_DIR/sessions with a janitor that deletes
// expired ones until ctx ends. close releases what the store holds.
func newSessionStore(ctx context.Context, cfg Config, log *slog.Logger) (store *sessionstore.Store, kind string, closeFn func(), err error) {
	keys, err := sessionKeys(cfg)
	if err != nil {
		return nil, "", nil, err
	}
	var backend sessionstore.Backend
	closeFn = func() {}
	if cfg.RedisURL != "" {
		rb, err := sessionstore.NewRedis(cfg.RedisURL, "iplb-console:session:")
		if err != nil {
			return nil, "", nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		if err := rb.Ping(ctx); err != nil {
			_ = rb.Close()
			return nil, "", nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		backend, kind, closeFn = rb, "redis", func() { _ = rb.Close() }
	} else {
		dir, err := sessionstore.NewDir(filepath.Join(cfg.DataDir, sessionsDir), nil)
		if err != nil {
			return nil, "", nil, fmt.Errorf("DATA_DIR: %w", err)
		}
		if _, err := dir.Sweep(); err != nil {
			log.Warn("session janitor", "err", err)
		}
		go dir.RunJanitor(ctx, janitorEvery, func(err error) { log.Warn("session janitor", "err", err) })
		backend, kind = dir, "files"
	}
	store, err = sessionstore.New(backend, sessionstore.Options{
		Keys:        keys,
		IdleTimeout: cfg.SessionIdleTimeout,
		MaxLifetime: cfg.SessionMaxLifetime,
		Cookie:      sessions.Options{Path: "/", Secure: cfg.SecureCookies},
	})
	if err != nil {
		closeFn()
		return nil, "", nil, err
	}
	return store, kind, closeFn, nil
}
