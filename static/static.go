package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// The vendored files the layout links. scripts/vendor-static.sh rewrites these
// two lines when a pin changes; keep their shape.
const (
	HTMXFile = "js/htmx-2.0.11.min.js"
	PicoFile = "css/pico-2.1.1.min.css"
)

// Our own files.
const (
	AppCSS  = "css/app.css"
	AppJS   = "js/app.js"
	Favicon = "img/favicon.svg"
)

// Prefix is the URL path under which Handler is mounted.
const Prefix = "/static/"

// Cache-Control values: a URL whose v matches the content can never change,
// anything else (no v, an old v) may change at the next deployment.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=300"
)

// FS holds the embedded files, named relative to the package directory
// ("css/app.css"). The licence files stay in the repository, not in FS.
//
//go:embed css/*.css js/*.js img/*.svg
var FS embed.FS

// file is one embedded file with its content hash.
type file struct {
	data []byte
	hash string // first 8 hex digits of its SHA-256
}

// files reads and hashes every embedded file once, on first use; FS never
// changes, so neither does the result.
var files = sync.OnceValue(func() map[string]file {
	m := make(map[string]file)
	// embed.FS cannot fail to walk or read its own files; an error here would
	// be a bug in the standard library, so it simply leaves the file out.
	_ = fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := FS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		m[name] = file{data: data, hash: hex.EncodeToString(sum[:])[:8]}
		return nil
	})
	return m
})

// Path returns the URL of the embedded file name ("css/app.css"), with its
// content hash: "/static/css/app.css?v=3f2a9c1b". For a name that is not
// embedded it returns the URL without a hash, which Handler answers with 404;
// the tests check that every name the layout uses exists.
func Path(name string) string {
	f, ok := files()[name]
	if !ok {
		return Prefix + name
	}
	return Prefix + name + "?v=" + f.hash
}

// Handler serves the embedded files. Mount it on Prefix with the prefix
// stripped (http.StripPrefix("/static/", static.Handler())). A request whose
// v matches the file's hash is cacheable for a year; others get a short
// cache. Unknown names and directories are 404; there are no listings.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		f, ok := files()[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if r.URL.Query().Get("v") == f.hash {
			h.Set("Cache-Control", cacheImmutable)
		} else {
			h.Set("Cache-Control", cacheShort)
		}
		h.Set("ETag", `"`+f.hash+`"`)
		// ServeContent sets Content-Type from the extension and answers
		// If-None-Match and Range requests. The zero time sends no
		// Last-Modified: the hash is the version.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	})
}
