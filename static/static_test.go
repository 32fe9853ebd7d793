package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// serve sends one request through Handler mounted as the console mounts it.
func serve(t *testing.T, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	http.StripPrefix(Prefix, Handler()).ServeHTTP(rec, req)
	return rec.Result()
}

func TestPathIsHashedFromContent(t *testing.T) {
	t.Parallel()
	for _, name := range []string{HTMXFile, PicoFile, AppCSS, AppJS, Favicon} {
		data, err := FS.ReadFile(name)
		if err != nil {
			t.Fatalf("%s is not embedded: %v", name, err)
		}
		sum := sha256.Sum256(data)
		want := "/static/" + name + "?v=" + hex.EncodeToString(sum[:])[:8]
		if got := Path(name); got != want {
			t.Errorf("Path(%q) = %q, want %q", name, got, want)
		}
		if !regexp.MustCompile(`\?v=[0-9a-f]{8}$`).MatchString(Path(name)) {
			t.Errorf("Path(%q) = %q: not 8 hex digits", name, Path(name))
		}
	}
	if got := Path("css/missing.css"); got != "/static/css/missing.css" {
		t.Errorf("Path of an unknown file = %q, want no hash", got)
	}
}

func TestVendoredFilesArePinned(t *testing.T) {
	t.Parallel()
	// htmx must stay on the 2.x line: the layout's htmx-config and the error
	// handling rely on htmx 2 semantics (htmx 4 swaps 4xx/5xx by default).
	if !regexp.MustCompile(`^js/htmx-2\.0\.\d+\.min\.js$`).MatchString(HTMXFile) {
		t.Errorf("HTMXFile = %q, want js/htmx-2.0.N.min.js", HTMXFile)
	}
	data, err := FS.ReadFile(HTMXFile)
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSuffix(strings.TrimPrefix(HTMXFile, "js/htmx-"), ".min.js")
	if !strings.Contains(string(data), `version:"`+version+`"`) {
		t.Errorf("%s does not declare version %s", HTMXFile, version)
	}
	if !regexp.MustCompile(`^css/pico-\d+\.\d+\.\d+\.min\.css$`).MatchString(PicoFile) {
		t.Errorf("PicoFile = %q, want css/pico-X.Y.Z.min.css", PicoFile)
	}
	// Exactly one version of each vendored file is embedded.
	for _, pattern := range []string{"js/htmx-*", "css/pico-*"} {
		if m, err := fs.Glob(FS, pattern); err != nil || len(m) != 1 {
			t.Errorf("%s matches %v, want exactly one file", pattern, m)
		}
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	hash := func(name string) string { return files()[name].hash }
	tests := []struct {
		name        string
		method      string
		target      string
		header      map[string]string
		status      int
		contentType string // prefix
		cache       string
		body        string // substring, for 200s
	}{
		{name: "hashed css is immutable", target: "/static/" + AppCSS + "?v=" + hash(AppCSS),
			status: 200, contentType: "text/css", cache: cacheImmutable, body: ".demo-banner"},
		{name: "hashed js is immutable", target: "/static/" + HTMXFile + "?v=" + hash(HTMXFile),
			status: 200, contentType: "text/javascript", cache: cacheImmutable, body: "htmx"},
		{name: "svg", target: "/static/" + Favicon + "?v=" + hash(Favicon),
			status: 200, contentType: "image/svg+xml", cache: cacheImmutable, body: "<svg"},
		{name: "no version gets a short cache", target: "/static/" + AppCSS,
			status: 200, contentType: "text/css", cache: cacheShort, body: ".demo-banner"},
		{name: "stale version gets a short cache", target: "/static/" + AppCSS + "?v=00000000",
			status: 200, contentType: "text/css", cache: cacheShort, body: ".demo-banner"},
		{name: "HEAD", method: http.MethodHead, target: "/static/" + AppJS,
			status: 200, contentType: "text/javascript", cache: cacheShort},
		{name: "etag revalidation", target: "/static/" + AppCSS, header: map[string]string{"If-None-Match": `"` + hash(AppCSS) + `"`},
			status: 304, cache: cacheShort},
		{name: "unknown file", target: "/static/css/nope.css", status: 404},
		{name: "directory has no listing", target: "/static/css", status: 404},
		{name: "root has no listing", target: "/static/", status: 404},
		{name: "licence is not served", target: "/static/js/htmx-2.0.11.LICENSE", status: 404},
		{name: "dot-dot stays inside", target: "/static/../static.go", status: 404},
		{name: "POST", method: http.MethodPost, target: "/static/" + AppCSS, status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			res := serve(t, method, tt.target, tt.header)
			body, err := io.ReadAll(res.Body)
			if cerr := res.Body.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (%s)", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type = %q, want %q…", ct, tt.contentType)
			}
			if tt.cache != "" {
				if cc := res.Header.Get("Cache-Control"); cc != tt.cache {
					t.Errorf("Cache-Control = %q, want %q", cc, tt.cache)
				}
			}
			if tt.status == 200 && tt.body != "" && !strings.Contains(string(body), tt.body) {
				t.Errorf("body does not contain %q", tt.body)
			}
			if method == http.MethodHead && len(body) != 0 {
				t.Errorf("HEAD returned a body of %d bytes", len(body))
			}
		})
	}
}
