package ovhemu

import "time"

// world is every account and its services. It is guarded by Emulator.mu.
type world struct {
	accounts map[string]*account // by nichandle
	order    []string            // nichandles in seed order, for the validation page
	now      func() time.Time    // the emulator's clock (WithClock)
	lastID   int64               // last id handed out by nextID

	svc  serviceState // iplb.go: IPs, IPLBs, their zones, pending changes, tasks
	conf configState  // config.go: frontends, farms, servers, routes, rules, vRack networks
}

func (w *world) init(now func() time.Time) {
	w.accounts = map[string]*account{}
	w.now = now
	w.svc.init()
	w.conf.init()
}

// nextID hands out ids for every object kind (frontends, farms, tasks...),
// so ids never collide across kinds, which makes mistakes in tests visible.
func (w *world) nextID() int64 {
	w.lastID++
	return w.lastID
}

// addAccount registers a customer account.
func (w *world) addAccount(a *account) {
	w.accounts[a.NicHandle] = a
	w.order = append(w.order, a.NicHandle)
}

// account is one OVH customer account (a nichandle) with its profile, as
// /me and /auth/details show it, and the services it owns.
type account struct {
	NicHandle string // e.g. "xy1234-ovh"
	Password  string // what the validation page accepts for it (demo only)
	FirstName string
	Name      string
	Email     string
	Country   string // nichandle.CountryEnum, e.g. "FR"
	Currency  string // e.g. "EUR"
	Language  string // e.g. "fr_FR"
	// Services are owned through serviceState (iplb.go), keyed by nichandle.
}

// The seeded customer accounts. Both exist in every seed, so isolation
// between two users can always be tested.
const (
	// DemoAccount owns the demo services: two IPLBs, failover IPs, a vRack.
	DemoAccount = "xy1234-ovh"
	// OtherAccount owns one IPLB of its own and nothing of DemoAccount's.
	OtherAccount = "ab9876-ovh"
	// DemoPassword is the password of both accounts on the validation page.
	DemoPassword = "demo"
)

// seedAccountsOnly adds the two accounts without services.
func seedAccountsOnly(w *world) {
	w.addAccount(&account{NicHandle: DemoAccount, Password: DemoPassword, FirstName: "Camille", Name: "Martin",
		Email: "camille.martin@example.com", Country: "FR", Currency: "EUR", Language: "fr_FR"})
	w.addAccount(&account{NicHandle: OtherAccount, Password: DemoPassword, FirstName: "Alex", Name: "Durand",
		Email: "alex.durand@example.org", Country: "FR", Currency: "EUR", Language: "en_GB"})
}
