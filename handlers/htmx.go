package handlers

import "net/http"

// htmx request and response headers (htmx 2; htmx 4 renames some of them,
// e.g. HX-Trigger becomes HX-Source).
const (
	hxRequest               = "HX-Request"
	hxBoosted               = "HX-Boosted"
	hxHistoryRestoreRequest = "HX-History-Restore-Request"

	hxRedirect = "HX-Redirect"
	hxRetarget = "HX-Retarget"
	hxReswap   = "HX-Reswap"
)

// isHTMX reports whether htmx sent r (boosted or not).
func isHTMX(r *http.Request) bool { return r.Header.Get(hxRequest) == "true" }

// isBoosted reports whether r is a boosted navigation (hx-boost link or form).
func isBoosted(r *http.Request) bool { return r.Header.Get(hxBoosted) == "true" }

// isHistoryRestore reports whether r restores a page after a history-cache
// miss (back/forward).
func isHistoryRestore(r *http.Request) bool { return r.Header.Get(hxHistoryRestoreRequest) == "true" }

// wantsFragment is true for htmx requests that will swap part of the page.
// Boosted navigation and history restores need the whole document.
func wantsFragment(r *http.Request) bool {
	return isHTMX(r) && !isBoosted(r) && !isHistoryRestore(r)
}
