// Package sessionstore is the console's server-side session store: a
// gorilla/sessions Store whose cookie carries only a signed and encrypted
// session ID, while the session's values (the user's consumer key among
// them) stay on the server, in a Backend.
//
// Three backends exist: Dir (files under a directory; the embedded default,
// which survives a restart of the console), Redis (shared by several
// replicas) and Memory (tests). The Store, not the backend, enforces the idle
// timeout and the absolute lifetime, with its own clock, so that every
// backend behaves the same; backends only use the expiry to clean up.
//
// Records are encrypted and authenticated with keys derived from the
// session keys, and bound to their ID: a copy of the Redis database or of
// the directory reveals no consumer key, and a record cannot be moved to
// another ID.
package sessionstore
