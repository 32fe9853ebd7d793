package ovhemu

// PLACEHOLDER(services helper).

// seedDemo builds the demo world: accounts, IPs, IPLBs, then seedConfig.
func seedDemo(w *world) {
	seedAccountsOnly(w)
	seedConfig(w)
}
