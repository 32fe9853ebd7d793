package ovhemu

// PLACEHOLDER(services helper): this file is owned by the services helper,
// who replaces every body below. The signatures are the contract config.go
// (the config helper) codes against; keep them.

// serviceState holds the IPs, IPLBs, zones, pending changes and tasks.
type serviceState struct{}

func (s *serviceState) init() {}

// ownsLB reports whether the account nic owns the IPLB sn.
func (w *world) ownsLB(nic, sn string) bool { return false }

// lbZones returns the zones the IPLB sn is subscribed to (e.g. ["gra","rbx"]).
func (w *world) lbZones(sn string) []string { return nil }

// lbVrack returns the vRack the IPLB sn is attached to ("pn-100001"), or "".
func (w *world) lbVrack(sn string) string { return "" }

// lbFailover returns the failover IPs routed to the IPLB sn, as
// GET /ipLoadbalancing/{sn}/failover lists them (blocks, e.g. "203.0.113.10/32").
func (w *world) lbFailover(sn string) []string { return nil }

// bumpPending records one pending change on the IPLB sn in zone ("all" =
// every zone of the IPLB), REFERENCE §10.3.
func (w *world) bumpPending(sn, zone string) {}

// registerServiceRoutes registers /ip, /ipLoadbalancing (service level),
// pendingChanges, refresh and tasks.
func (e *Emulator) registerServiceRoutes() {}
