package handlers

import (
	"io"
	"log/slog"
)

// Deps are what the handlers need from the outside. cmd/web builds them.
type Deps struct {
	// Log receives the request log and the errors; nil discards them.
	Log *slog.Logger
	// Demo is true when the console talks to its built-in emulator; pages
	// then show the demo banner.
	Demo bool
	// Dev shows internal error text on error pages. Never in production:
	// it can reveal paths and upstream details.
	Dev bool
	// Endpoint is the OVH API endpoint the console uses ("ovh-eu", or a
	// URL), shown on the home page.
	Endpoint string
}

// Handler holds the dependencies shared by every handler. Create it with New
// and mount it with Register.
type Handler struct {
	log      *slog.Logger
	demo     bool
	dev      bool
	endpoint string
}

// New returns a Handler using d.
func New(d Deps) *Handler {
	log := d.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Handler{log: log, demo: d.Demo, dev: d.Dev, endpoint: d.Endpoint}
}
