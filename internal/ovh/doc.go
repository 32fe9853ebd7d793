// Package ovh is the console's only door to the OVHcloud API. It turns
// go-ovh's untyped calls into typed methods, classifies API errors into Kinds
// that handlers can map to HTTP statuses, fetches collections in parallel and
// polls asynchronous tasks.
//
// Nothing outside this package imports github.com/ovh/go-ovh (see
// .golangci.yml); inside it, go-ovh is imported as goovh and used only to
// build and sign requests, so that its configuration files, its environment
// variables and its shared mutable state never reach the console:
//
//   - A Client is built from Config alone. go-ovh's constructors fill empty
//     fields from OVH_* variables and ovh.conf files (REFERENCE §2.6); New
//     never calls them.
//   - A Client is safe for concurrent use. go-ovh's is not: its Do writes the
//     shared http.Client's Timeout on every call, and concurrent first calls
//     each fetch /auth/time (NOTES-toolchain). Here requests are built and
//     signed one at a time, then sent concurrently with the Client's own
//     http.Client and the caller's context.
//   - Errors are parsed from the response body here, not by go-ovh, because
//     go-ovh drops the errorCode field that tells a dead consumer key from a
//     missing right (REFERENCE §3.1, §3.2).
//
// Every method takes a context; its cancellation reaches the API, including
// the first /auth/time request of a Client.
//
// Models carry the schema's JSON names (testdata/ovh-schemas/v1), Go names
// (ID, IP, VRackNetworkID), typed enums, and pointers for the fields the
// schema marks canBeNull. Nullable lists are plain slices: nil is null.
// Partial PUT bodies are separate ...Update structs (REFERENCE §4).
package ovh
