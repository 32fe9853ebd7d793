package views

import (
	"net/url"
	"strings"
)

// URL builders. Views use them for links and handlers for redirects, so
// that a URL is spelled in one place. Every segment is escaped: an IP block
// such as "203.0.113.16/29" becomes one segment, "203.0.113.16%2F29"
// (handlers unescape it with pathParam).

// HomePath is the home page.
func HomePath() string { return pathOf() }

// HealthzPath is the health check.
func HealthzPath() string { return pathOf("healthz") }

// pathOf joins escaped segments into an absolute path.
func pathOf(segments ...string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	return "/" + strings.Join(escaped, "/")
}
