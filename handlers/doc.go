// Package handlers is everything that knows about HTTP and Echo: the route
// table (routes.go), middleware, the one error handler, rendering of pages
// and htmx fragments, and the handlers themselves.
//
// Handlers return errors and never write them; errors.go turns each one into
// a status and a page or an alert. They talk to the OVH API only through
// internal/ovh (never go-ovh directly) and render only through views.
package handlers
