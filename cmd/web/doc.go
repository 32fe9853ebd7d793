// Command web is the IPLB console: a web server for attaching failover IPs to
// OVHcloud Load Balancers, pinning them to frontends and applying the
// configuration.
//
// Configuration comes from environment variables only (see config.go and the
// table in README.md). Without OVH_APPLICATION_KEY and OVH_APPLICATION_SECRET
// it runs in demo mode: the OVH API emulator (internal/ovhemu) is started in
// the same process and served under /ovhapi/, and the console talks to it
// over HTTP exactly as it would to the real API.
//
// This package only wires things together; behaviour lives in handlers,
// views, internal/ovh and internal/ovhemu.
package main
