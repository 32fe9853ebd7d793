package ovhemu

// PLACEHOLDER(config helper): owned by the config helper, who replaces every
// body below. The signatures are the contract iplb.go codes against.

// configState holds frontends, farms, servers, routes, rules and the vRack
// networks of every IPLB.
type configState struct{}

func (s *configState) init() {}

// refreshProblem returns the first documented precondition of a refresh
// (REFERENCE §10.1: vRack consistency, at least one frontend, every frontend
// valid) that the IPLB sn fails, as the API's 4xx naming the object at
// fault; nil when the configuration can be applied. zone "" means all zones.
// The "no other refresh running" check belongs to the caller (iplb.go).
func (w *world) refreshProblem(sn, zone string) *apiError { return nil }

// registerConfigRoutes registers frontends, farms, servers, routes, rules,
// definedFrontends/definedFarms/definedRoutes and the IPLB's vRack routes.
func (e *Emulator) registerConfigRoutes() {}

// seedConfig adds the demo configuration to the IPLBs seedDemo created
// (it looks them up by their fixed service names).
func seedConfig(w *world) {}
