// Package ovhemu is an in-memory emulator of the parts of the OVHcloud API v1
// that the console uses: authentication (signed requests, the consumer-key
// flow), /me, /ip, /ipLoadbalancing and the IPLB side of /vrack.
//
// It is an http.Handler with in-memory state, written from the official
// schemas and from REFERENCE.md (copied facts are cited by section and tag in
// comments; behaviour tagged [INF] there is an invention of ours and is marked
// so here too).
//
// The emulator is the independent witness the typed client is tested against,
// so it imports nothing from this module: it has its own structs, with JSON
// names written from the schemas, not shared with internal/ovh. A wrong JSON
// tag on one side therefore makes a test fail instead of passing on both.
//
// Files: server.go (routing, dispatch, the one lock), errors.go (error bodies),
// auth.go (signatures, credentials, /auth/*), validation.go and
// validation.html (the consumer-key validation page), me.go (/me), faults.go
// (latency and fault injection, call counts), testserver.go (NewTestServer),
// state.go (accounts), iplb.go and ip.go (services: IPLBs, failover IPs,
// pending changes, refresh), tasks.go (task progress), seed.go (the demo
// world), config.go (per-IPLB configuration and the refresh preconditions),
// frontend.go, farm.go, route.go, vrack.go and ssl.go (one file per
// configuration area).
package ovhemu
