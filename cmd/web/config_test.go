package main

import (
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// envOf turns a map into a getenv that sees nothing else: tests never read
// the process environment (which might hold a developer's OVH_* keys).
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const (
	hexKey1 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	hexKey2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	defaults := Config{
		Addr:               "127.0.0.1:8080",
		DataDir:            ".data",
		SessionIdleTimeout: 30 * time.Minute,
		SessionMaxLifetime: 8 * time.Hour,
		LogLevel:           slog.LevelInfo,
	}
	with := func(f func(*Config)) Config {
		c := defaults
		f(&c)
		return c
	}
	real := map[string]string{"OVH_APPLICATION_KEY": "ak", "OVH_APPLICATION_SECRET": "as"}
	merge := func(a, b map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range a {
			m[k] = v
		}
		for k, v := range b {
			m[k] = v
		}
		return m
	}

	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr []string // substrings, all required
	}{
		{name: "empty is demo mode", env: nil, want: defaults},
		{name: "real API defaults to ovh-eu", env: real,
			want: with(func(c *Config) { c.OVHAppKey, c.OVHAppSecret, c.OVHEndpoint = "ak", "as", "ovh-eu" })},
		{name: "ovh-ca", env: merge(real, map[string]string{"OVH_ENDPOINT": "ovh-ca"}),
			want: with(func(c *Config) { c.OVHAppKey, c.OVHAppSecret, c.OVHEndpoint = "ak", "as", "ovh-ca" })},
		{name: "ovh-us", env: merge(real, map[string]string{"OVH_ENDPOINT": "ovh-us"}),
			want: with(func(c *Config) { c.OVHAppKey, c.OVHAppSecret, c.OVHEndpoint = "ak", "as", "ovh-us" })},
		{name: "endpoint URL (standalone emulator)", env: merge(real, map[string]string{"OVH_ENDPOINT": "http://127.0.0.1:9001/1.0"}),
			want: with(func(c *Config) { c.OVHAppKey, c.OVHAppSecret, c.OVHEndpoint = "ak", "as", "http://127.0.0.1:9001/1.0" })},
		{name: "everything set", env: merge(real, map[string]string{
			"ADDR": "0.0.0.0:9000", "OVH_ENDPOINT": "https://eu.api.ovh.com/1.0", "PUBLIC_URL": "https://console.example.com",
			"DATA_DIR": "/var/lib/console", "SESSION_KEYS": hexKey1 + ", " + hexKey2, "SESSION_IDLE_TIMEOUT": "15m",
			"SESSION_MAX_LIFETIME": "12h", "REDIS_URL": "redis://:pw@127.0.0.1:6379/0", "SECURE_COOKIES": "true",
			"LOG_LEVEL": "debug", "DEV": "true",
		}), want: Config{
			Addr: "0.0.0.0:9000", OVHEndpoint: "https://eu.api.ovh.com/1.0", OVHAppKey: "ak", OVHAppSecret: "as",
			PublicURL: "https://console.example.com", DataDir: "/var/lib/console",
			SessionKeys:        [][]byte{mustHex(hexKey1), mustHex(hexKey2)},
			SessionIdleTimeout: 15 * time.Minute, SessionMaxLifetime: 12 * time.Hour,
			RedisURL: "redis://:pw@127.0.0.1:6379/0", SecureCookies: true, LogLevel: slog.LevelDebug, Dev: true,
		}},
		{name: "https public URL turns secure cookies on", env: map[string]string{"PUBLIC_URL": "https://c.example.com"},
			want: with(func(c *Config) { c.PublicURL, c.SecureCookies = "https://c.example.com", true })},
		{name: "secure cookies can be turned off explicitly", env: map[string]string{"PUBLIC_URL": "https://c.example.com", "SECURE_COOKIES": "false"},
			want: with(func(c *Config) { c.PublicURL = "https://c.example.com" })},
		{name: "values are trimmed", env: map[string]string{"ADDR": " 127.0.0.1:0 ", "LOG_LEVEL": "WARN"},
			want: with(func(c *Config) { c.Addr, c.LogLevel = "127.0.0.1:0", slog.LevelWarn })},

		{name: "key without secret", env: map[string]string{"OVH_APPLICATION_KEY": "ak"}, wantErr: []string{"OVH_APPLICATION_KEY", "both"}},
		{name: "secret without key", env: map[string]string{"OVH_APPLICATION_SECRET": "as"}, wantErr: []string{"OVH_APPLICATION_KEY", "both"}},
		{name: "endpoint without keys", env: map[string]string{"OVH_ENDPOINT": "ovh-eu"}, wantErr: []string{"OVH_ENDPOINT", "demo mode"}},
		{name: "unknown region", env: merge(real, map[string]string{"OVH_ENDPOINT": "ovh-mars"}), wantErr: []string{"OVH_ENDPOINT", "ovh-mars", "ovh-eu, ovh-ca, ovh-us"}},
		{name: "endpoint with trailing slash", env: merge(real, map[string]string{"OVH_ENDPOINT": "https://eu.api.ovh.com/1.0/"}), wantErr: []string{"OVH_ENDPOINT", "slash"}},
		{name: "endpoint ftp", env: merge(real, map[string]string{"OVH_ENDPOINT": "ftp://x/1.0"}), wantErr: []string{"OVH_ENDPOINT", "http"}},
		{name: "endpoint query", env: merge(real, map[string]string{"OVH_ENDPOINT": "http://x/1.0?a=b"}), wantErr: []string{"OVH_ENDPOINT", "query"}},
		{name: "bad addr", env: map[string]string{"ADDR": "8080"}, wantErr: []string{"ADDR", "host:port"}},
		{name: "bad port", env: map[string]string{"ADDR": "127.0.0.1:99999"}, wantErr: []string{"ADDR", "port"}},
		{name: "public URL with path", env: map[string]string{"PUBLIC_URL": "https://x.example.com/console"}, wantErr: []string{"PUBLIC_URL", "path"}},
		{name: "public URL with trailing slash", env: map[string]string{"PUBLIC_URL": "https://x.example.com/"}, wantErr: []string{"PUBLIC_URL"}},
		{name: "public URL relative", env: map[string]string{"PUBLIC_URL": "x.example.com"}, wantErr: []string{"PUBLIC_URL", "http"}},
		{name: "short session key", env: map[string]string{"SESSION_KEYS": "abcd"}, wantErr: []string{"SESSION_KEYS", "key 1", "64 hex"}},
		{name: "second session key bad", env: map[string]string{"SESSION_KEYS": hexKey1 + ",zz" + hexKey2[2:]}, wantErr: []string{"SESSION_KEYS", "key 2"}},
		{name: "idle timeout not a duration", env: map[string]string{"SESSION_IDLE_TIMEOUT": "ten"}, wantErr: []string{"SESSION_IDLE_TIMEOUT"}},
		{name: "max lifetime negative", env: map[string]string{"SESSION_MAX_LIFETIME": "-1h"}, wantErr: []string{"SESSION_MAX_LIFETIME", "positive"}},
		{name: "idle longer than lifetime", env: map[string]string{"SESSION_IDLE_TIMEOUT": "9h"}, wantErr: []string{"SESSION_IDLE_TIMEOUT", "longer than SESSION_MAX_LIFETIME"}},
		{name: "redis scheme", env: map[string]string{"REDIS_URL": "http://127.0.0.1:6379"}, wantErr: []string{"REDIS_URL"}},
		{name: "redis without host", env: map[string]string{"REDIS_URL": "redis://"}, wantErr: []string{"REDIS_URL"}},
		{name: "secure cookies not a bool", env: map[string]string{"SECURE_COOKIES": "yes please"}, wantErr: []string{"SECURE_COOKIES"}},
		{name: "log level", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: []string{"LOG_LEVEL", "loud"}},
		{name: "dev not a bool", env: map[string]string{"DEV": "maybe"}, wantErr: []string{"DEV"}},
		{name: "every error at once", env: map[string]string{"ADDR": "x", "LOG_LEVEL": "x", "DEV": "x"}, wantErr: []string{"ADDR", "LOG_LEVEL", "DEV"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := loadConfig(envOf(tt.env))
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("no error; config = %+v", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
			if got.Demo() != (tt.env["OVH_APPLICATION_KEY"] == "") {
				t.Errorf("Demo() = %v", got.Demo())
			}
		})
	}
}

// A secret must never be echoed back in an error message.
func TestLoadConfigDoesNotEchoSecrets(t *testing.T) {
	t.Parallel()
	secret := "abad5ec7e7" + strings.Repeat("9", 50)
	_, err := loadConfig(envOf(map[string]string{"SESSION_KEYS": secret, "OVH_APPLICATION_SECRET": "s3cr3t-value"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{secret, "s3cr3t-value"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains a secret", err)
		}
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
