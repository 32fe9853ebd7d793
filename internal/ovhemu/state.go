package ovhemu

// world is every account and its services. It is guarded by Emulator.mu.
type world struct {
	accounts map[string]*account // by nichandle
	order    []string            // nichandles in seed order, for the validation page
}

func (w *world) init() { w.accounts = map[string]*account{} }

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
	// STUB(services): the resources helper adds the IPs, IPLBs and vRacks here.
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

// STUB(services): replaced by the resources helper (seed.go).
func seedDemo(w *world) { seedAccountsOnly(w) }

// STUB(services): replaced by the resources helper.
func (e *Emulator) registerServiceRoutes() {}

// STUB(services): tasks.go
func (e *Emulator) advanceTasks() {}
