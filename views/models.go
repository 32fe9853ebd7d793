package views

import "github.com/iplb-console/iplb-console/views/components"

// Nav names the navigation entry of the current page, so that the layout can
// mark it with aria-current.
type Nav string

// The navigation entries.
const (
	NavNone Nav = "" // pages outside the navigation (errors)
	NavHome Nav = "home"
)

// FlashKind is the kind of a flash message; it is the alert kind it is shown
// with.
type FlashKind = components.AlertKind

// The kinds of flash message.
const (
	FlashSuccess = components.AlertSuccess
	FlashInfo    = components.AlertInfo
	FlashWarning = components.AlertWarning
	FlashError   = components.AlertError
)

// Flash is a one-time message shown at the top of the next page, e.g.
// "Frontend 12 created" after a redirect.
type Flash struct {
	Kind    FlashKind
	Message string
	// ID, when set, is the alert's element id, so that a later fragment
	// can remove it out of band once it no longer holds (IPMoveNotice).
	ID string `json:",omitempty"`
}

// PageMeta is what the layout needs besides the page's body.
type PageMeta struct {
	Title     string        // the page's own title; the layout appends the console's name
	Nav       Nav           // the active navigation entry
	Demo      bool          // show the demo-mode banner
	RequestID string        // shown on error pages so that an operator can find the log line
	Flashes   []Flash       // rendered into #alerts
	User      *SignedInUser // the signed-in user for the header; nil = nobody
}

// HomeModel is the home page's view model.
type HomeModel struct {
	Demo     bool   // the console talks to its built-in emulator
	Endpoint string // the OVH API endpoint, e.g. "ovh-eu" or "http://127.0.0.1:8080/ovhapi/1.0"
}

// ErrorModel describes a failed request, for ErrorPage and ErrorAlert.
type ErrorModel struct {
	Status         int      // the HTTP status of the answer
	Title          string   // short, e.g. "Not Found"
	Message        string   // what the operator should know; safe to show
	MissingActions []string // IAM actions the API said were missing, if any
	QueryID        string   // the OVH query ID, when the API answered: support asks for it
	RequestID      string   // the console's request ID, to find the log line
	Detail         string   // the internal error text; set only in DEV mode
}
