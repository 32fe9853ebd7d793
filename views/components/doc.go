// Package components holds small templ components shared by the pages
// (Alert, CSRFField, ...) and the one value that reaches templates through
// the context, the CSRF token (context.go). It is a leaf package: it imports
// nothing from this module, so views can import it without a cycle.
package components
