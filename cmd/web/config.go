package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the console's configuration. It comes only from our own
// environment variables (loadConfig), never from go-ovh's OVH_* fallbacks or
// ovh.conf files: everything the OVH client needs is passed to it explicitly.
// README.md documents every setting in one table; keep them in step.
type Config struct {
	Addr string // ADDR: host:port to listen on

	// OVHEndpoint is "ovh-eu", "ovh-ca", "ovh-us" or a URL; empty in demo
	// mode, where run points the console at its built-in emulator.
	OVHEndpoint  string
	OVHAppKey    string
	OVHAppSecret string

	PublicURL string // how browsers reach the console; "" = derived from the listener
	DataDir   string

	// Sessions (used from the next issue: read and validated now so that a
	// deployment's configuration is checked from the first version).
	SessionKeys        [][]byte // 32 bytes each, newest first
	SessionIdleTimeout time.Duration
	SessionMaxLifetime time.Duration
	RedisURL           string
	SecureCookies      bool

	LogLevel slog.Level
	Dev      bool
}

// Demo reports whether the console runs against its built-in emulator: no
// application key and secret are configured.
func (c Config) Demo() bool { return c.OVHAppKey == "" }

// Defaults.
const (
	defaultAddr               = "127.0.0.1:8080"
	defaultOVHEndpoint        = "ovh-eu"
	defaultDataDir            = ".data"
	defaultSessionIdleTimeout = 30 * time.Minute
	defaultSessionMaxLifetime = 8 * time.Hour
)

// knownEndpoints are the OVHcloud API regions the console accepts by name.
var knownEndpoints = []string{"ovh-eu", "ovh-ca", "ovh-us"}

// loadConfig reads and validates the configuration from getenv. It reports
// every invalid setting at once, each naming its variable.
func loadConfig(getenv func(string) string) (Config, error) {
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{name}, args...)...))
	}

	cfg := Config{
		Addr:          orDefault(env("ADDR"), defaultAddr),
		OVHAppKey:     env("OVH_APPLICATION_KEY"),
		OVHAppSecret:  getenv("OVH_APPLICATION_SECRET"), // secrets are taken verbatim
		PublicURL:     env("PUBLIC_URL"),
		DataDir:       orDefault(env("DATA_DIR"), defaultDataDir),
		RedisURL:      env("REDIS_URL"),
		LogLevel:      slog.LevelInfo,
		SecureCookies: strings.HasPrefix(env("PUBLIC_URL"), "https://"),
	}

	if _, port, err := net.SplitHostPort(cfg.Addr); err != nil {
		bad("ADDR", "%q is not host:port (e.g. 127.0.0.1:8080 or 0.0.0.0:8080)", cfg.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("ADDR", "%q has an invalid port", cfg.Addr)
	}

	// The application key and secret go together; without them the console
	// runs in demo mode against its built-in emulator.
	endpoint := env("OVH_ENDPOINT")
	switch {
	case (cfg.OVHAppKey == "") != (cfg.OVHAppSecret == ""):
		bad("OVH_APPLICATION_KEY", "set both OVH_APPLICATION_KEY and OVH_APPLICATION_SECRET, or neither (demo mode)")
	case cfg.OVHAppKey == "" && endpoint != "":
		bad("OVH_ENDPOINT", "is set but OVH_APPLICATION_KEY and OVH_APPLICATION_SECRET are not: set them to use this API, or unset OVH_ENDPOINT for demo mode")
	case cfg.OVHAppKey != "":
		cfg.OVHEndpoint = orDefault(endpoint, defaultOVHEndpoint)
		if err := checkEndpoint(cfg.OVHEndpoint); err != nil {
			bad("OVH_ENDPOINT", "%v", err)
		}
	}

	if cfg.PublicURL != "" {
		if err := checkBaseURL(cfg.PublicURL); err != nil {
			bad("PUBLIC_URL", "%v", err)
		}
	}

	keys, err := parseSessionKeys(env("SESSION_KEYS"))
	if err != nil {
		bad("SESSION_KEYS", "%v", err)
	}
	cfg.SessionKeys = keys
	cfg.SessionIdleTimeout = duration(env("SESSION_IDLE_TIMEOUT"), defaultSessionIdleTimeout, "SESSION_IDLE_TIMEOUT", bad)
	cfg.SessionMaxLifetime = duration(env("SESSION_MAX_LIFETIME"), defaultSessionMaxLifetime, "SESSION_MAX_LIFETIME", bad)
	if cfg.SessionIdleTimeout > cfg.SessionMaxLifetime {
		bad("SESSION_IDLE_TIMEOUT", "%s is longer than SESSION_MAX_LIFETIME (%s)", cfg.SessionIdleTimeout, cfg.SessionMaxLifetime)
	}
	if cfg.RedisURL != "" {
		if u, err := url.Parse(cfg.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			bad("REDIS_URL", "want redis://[user:password@]host:port[/db] or rediss://…")
		}
	}
	cfg.SecureCookies = boolean(env("SECURE_COOKIES"), cfg.SecureCookies, "SECURE_COOKIES", bad)

	if v := env("LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("LOG_LEVEL", "%q is not one of debug, info, warn, error", v)
		}
	}
	cfg.Dev = boolean(env("DEV"), false, "DEV", bad)

	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// checkEndpoint accepts a region name or an API base URL. go-ovh appends the
// path to the URL, so a trailing slash would double it (go-ovh rejects it).
func checkEndpoint(ep string) error {
	for _, k := range knownEndpoints {
		if ep == k {
			return nil
		}
	}
	if !strings.Contains(ep, "/") {
		return fmt.Errorf("%q is neither %s nor a URL", ep, strings.Join(knownEndpoints, ", "))
	}
	return checkURL(ep)
}

// checkBaseURL accepts an absolute http(s) URL with no path: the console
// serves from the root of its host.
func checkBaseURL(s string) error {
	if err := checkURL(s); err != nil {
		return err
	}
	if u, _ := url.Parse(s); u.Path != "" {
		return fmt.Errorf("%q has a path; the console must be served from the root of its host", s)
	}
	return nil
}

// checkURL accepts an absolute http(s) URL without query, fragment or
// trailing slash.
func checkURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL: %w", s, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q: want an http:// or https:// URL", s)
	case u.Host == "":
		return fmt.Errorf("%q has no host", s)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		return fmt.Errorf("%q must not have a query or fragment", s)
	case strings.HasSuffix(s, "/"):
		return fmt.Errorf("%q must not end with a slash", s)
	}
	return nil
}

// parseSessionKeys reads a comma-separated list of keys, newest first, each
// 64 hex digits (32 random bytes, e.g. `openssl rand -hex 32`). Older keys
// stay valid for reading cookies, so keys can rotate without signing
// everybody out. Empty means none: the next issue generates and persists
// one under DATA_DIR.
func parseSessionKeys(s string) ([][]byte, error) {
	if s == "" {
		return nil, nil
	}
	var keys [][]byte
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		k, err := hex.DecodeString(part)
		if err != nil || len(k) != 32 {
			// Never echo the value: it is a secret.
			return nil, fmt.Errorf("key %d is not 64 hex digits (32 bytes; e.g. openssl rand -hex 32)", i+1)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// duration parses a Go duration ("30m", "8h") that must be positive.
func duration(v string, def time.Duration, name string, bad func(string, string, ...any)) time.Duration {
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		bad(name, "%q is not a positive duration (e.g. 30m, 8h)", v)
		return def
	}
	return d
}

// boolean parses true/false (and strconv's 1/0/t/f forms).
func boolean(v string, def bool, name string, bad func(string, string, ...any)) bool {
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		bad(name, "%q is not true or false", v)
		return def
	}
	return b
}
