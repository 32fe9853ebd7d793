package views

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views/components"
)

const faSN = "loadbalancer-farmtest"

// csrfCtx is a request context carrying a CSRF token, as the handlers'
// middleware sets it.
func csrfCtx() context.Context { return components.WithCSRF(context.Background(), "tok") }

// faOptions are the choices of a test IPLB in zones gra and rbx, in vRack
// pn-1 with two networks.
func faOptions() FarmFormOptions {
	return FarmFormOptions{
		Zones:     []string{"gra", "rbx"},
		VRackName: "pn-1",
		Networks: []ovh.VRackNetwork{
			{ID: 7, Subnet: "10.0.0.0/16", NatIP: "10.0.255.0/27", VLAN: 42, DisplayName: ptrTo("prod")},
			{ID: 8, Subnet: "10.1.0.0/16", NatIP: "10.1.255.0/27"},
		},
	}
}

// faFullHTTP is a farm form with every HTTP field set.
func faFullHTTP() url.Values {
	return url.Values{
		"_csrf": {"tok"}, "displayName": {" web "}, "port": {"8080"}, "zone": {"gra"},
		"balance": {"uri"}, "stickiness": {"cookie"}, "vrackNetworkId": {"7"},
		"probe.type": {"http"}, "probe.port": {"8081"}, "probe.interval": {"45"}, "probe.method": {"HEAD"},
		"probe.url": {"[www.example.com]/healthz"}, "probe.match": {"status"}, "probe.pattern": {"200, 204"},
		"probe.negate": {"on"}, "probe.forceSsl": {"on"},
	}
}

func faWith(base url.Values, kv ...string) url.Values {
	v := url.Values{}
	for k, vs := range base {
		v[k] = slices.Clone(vs)
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			v.Del(kv[i])
			continue
		}
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestFarmFormCreateEveryField(t *testing.T) {
	t.Parallel()
	f := FarmForm{Service: faSN, Protocol: ovh.HTTP, Options: faOptions()}
	f.Read(faFullHTTP())
	if !f.Validate() {
		t.Fatalf("Validate: %v", f.Errors)
	}
	got := f.Create()
	want := ovh.FarmCreate{
		Zone: "gra", DisplayName: ptrTo("web"), Port: ptrTo[int64](8080), VRackNetworkID: ptrTo[int64](7),
		Balance: ptrTo(ovh.BalanceURI), Stickiness: ptrTo(ovh.StickinessCookie),
		Probe: &ovh.Probe{Type: ptrTo(ovh.ProbeHTTP), Port: ptrTo[int64](8081), Interval: ptrTo[int64](45),
			Method: ptrTo(ovh.ProbeHEAD), URL: ptrTo("[www.example.com]/healthz"), Match: ptrTo(ovh.ProbeMatchStatus),
			Pattern: ptrTo("200,204"), Negate: ptrTo(true), ForceSSL: ptrTo(true)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	// A farm read back with these values gives the same values again.
	back := FarmValuesOf(ovh.Farm{Protocol: ovh.HTTP, Zone: got.Zone, DisplayName: got.DisplayName, Port: got.Port,
		VRackNetworkID: got.VRackNetworkID, Balance: got.Balance, Stickiness: got.Stickiness, Probe: got.Probe})
	if diff := cmp.Diff(f.Values(), back); diff != "" {
		t.Errorf("values after a round trip (-form +read back):\n%s", diff)
	}

	// UDP: zone, port, name, network only.
	u := FarmForm{Service: faSN, Protocol: ovh.UDP, Options: faOptions()}
	u.Read(url.Values{"displayName": {"dns"}, "port": {"53"}, "zone": {"all"}, "vrackNetworkId": {"8"}})
	if !u.Validate() {
		t.Fatalf("UDP Validate: %v", u.Errors)
	}
	if diff := cmp.Diff(ovh.FarmCreate{Zone: "all", DisplayName: ptrTo("dns"), Port: ptrTo[int64](53), VRackNetworkID: ptrTo[int64](8)}, u.Create()); diff != "" {
		t.Errorf("UDP Create (-want +got):\n%s", diff)
	}
	// Nothing but the zone: no optional field is sent.
	m := FarmForm{Service: faSN, Protocol: ovh.TCP, Options: faOptions()}
	m.Read(url.Values{"zone": {"rbx"}, "port": {""}, "balance": {""}, "probe.type": {""}})
	if !m.Validate() {
		t.Fatalf("minimal TCP Validate: %v", m.Errors)
	}
	body, err := json.Marshal(m.Create())
	if err != nil || string(body) != `{"zone":"rbx"}` {
		t.Errorf("minimal TCP body = %s, %v", body, err)
	}
}

func TestFarmFormValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		proto ovh.Protocol
		form  url.Values
		edit  *FarmValues // an edit opened with these values
		errs  []string    // fields with an error; nil = valid
	}{
		{"full http", ovh.HTTP, faFullHTTP(), nil, nil},
		{"no zone", ovh.HTTP, faWith(faFullHTTP(), "zone", ""), nil, []string{"zone"}},
		{"unknown zone", ovh.HTTP, faWith(faFullHTTP(), "zone", "bhs"), nil, []string{"zone"}},
		{"port out of range", ovh.HTTP, faWith(faFullHTTP(), "port", "70000"), nil, []string{"port"}},
		{"port not a number", ovh.TCP, url.Values{"zone": {"gra"}, "port": {"80,443"}}, nil, []string{"port"}},
		{"udp needs a port", ovh.UDP, url.Values{"zone": {"gra"}}, nil, []string{"port"}},
		{"udp has no balance nor probe", ovh.UDP, url.Values{"zone": {"gra"}, "port": {"53"}, "balance": {"first"}, "probe.type": {"tcp"}}, nil, []string{"balance", "probe.type"}},
		{"uri is http only", ovh.TCP, url.Values{"zone": {"gra"}, "balance": {"uri"}}, nil, []string{"balance"}},
		{"cookie stickiness is http only", ovh.TCP, url.Values{"zone": {"gra"}, "stickiness": {"cookie"}}, nil, []string{"stickiness"}},
		{"unknown field", ovh.HTTP, faWith(faFullHTTP(), "weight", "3"), nil, []string{"weight"}},
		{"interval under 30", ovh.HTTP, faWith(faFullHTTP(), "probe.interval", "29"), nil, []string{"probe.interval"}},
		{"interval 30", ovh.HTTP, faWith(faFullHTTP(), "probe.interval", "30"), nil, nil},
		{"probe port", ovh.HTTP, faWith(faFullHTTP(), "probe.port", "0"), nil, []string{"probe.port"}},
		{"method needs http", ovh.TCP, url.Values{"zone": {"gra"}, "probe.type": {"tcp"}, "probe.method": {"GET"}}, nil, []string{"probe.method"}},
		{"url needs http", ovh.TCP, url.Values{"zone": {"gra"}, "probe.url": {"/x"}}, nil, []string{"probe.url"}},
		{"bad url", ovh.HTTP, faWith(faFullHTTP(), "probe.url", "healthz"), nil, []string{"probe.url"}},
		{"status needs http", ovh.TCP, url.Values{"zone": {"gra"}, "probe.type": {"tcp"}, "probe.match": {"status"}, "probe.pattern": {"200"}}, nil, []string{"probe.match"}},
		{"bad status list", ovh.HTTP, faWith(faFullHTTP(), "probe.pattern", "ok"), nil, []string{"probe.pattern"}},
		{"contains needs a pattern", ovh.HTTP, faWith(faFullHTTP(), "probe.match", "contains", "probe.pattern", ""), nil, []string{"probe.pattern"}},
		{"pattern needs a match", ovh.TCP, url.Values{"zone": {"gra"}, "probe.pattern": {"x"}, "probe.negate": {"on"}}, nil, []string{"probe.negate", "probe.pattern"}},
		{"unknown probe type", ovh.TCP, url.Values{"zone": {"gra"}, "probe.type": {"ftp"}}, nil, []string{"probe.type"}},
		{"unknown network", ovh.HTTP, faWith(faFullHTTP(), "vrackNetworkId", "99"), nil, []string{"vrackNetworkId"}},
		{"network not an id", ovh.HTTP, faWith(faFullHTTP(), "vrackNetworkId", "x"), nil, []string{"vrackNetworkId"}},
		{"no network is allowed (with a warning)", ovh.HTTP, faWith(faFullHTTP(), "vrackNetworkId", ""), nil, nil},
		{"long name", ovh.HTTP, faWith(faFullHTTP(), "displayName", strings.Repeat("x", 256)), nil, []string{"displayName"}},
		// Edits.
		{"edit posts a zone", ovh.HTTP, faWith(faFullHTTP(), "_snapshot", "\x00"), &FarmValues{Zone: "gra"}, []string{"zone"}},
		{"edit keeps an odd probe it did not change", ovh.TCP,
			url.Values{"probe.type": {"tcp"}, "probe.method": {"internal"}},
			&FarmValues{Zone: "gra", Probe: FarmProbeValues{Type: "tcp", Method: "internal"}}, nil},
		{"edit keeps a network that is gone", ovh.TCP, url.Values{"vrackNetworkId": {"99"}},
			&FarmValues{Zone: "gra", VRackNetworkID: 99}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := FarmForm{Service: faSN, Protocol: tt.proto, Options: faOptions()}
			form := tt.form
			if tt.edit != nil {
				f.ID = 5
				form = faWith(form, FarmFieldSnapshot, tt.edit.Encode())
			}
			f.Read(form)
			ok := f.Validate()
			var got []string
			for k := range f.Errors {
				got = append(got, k)
			}
			slices.Sort(got)
			if ok != (len(tt.errs) == 0) || !slices.Equal(got, tt.errs) {
				t.Errorf("Validate = %v with errors %v, want errors on %v", ok, f.Errors, tt.errs)
			}
		})
	}

	// An edit without its snapshot cannot be saved.
	f := FarmForm{Service: faSN, Protocol: ovh.HTTP, ID: 5, Options: faOptions()}
	f.Read(url.Values{"displayName": {"x"}})
	if f.Validate() || f.Errors[FarmFieldSnapshot] == "" {
		t.Errorf("edit without snapshot: %v", f.Errors)
	}
	f.Read(url.Values{"displayName": {"x"}, FarmFieldSnapshot: {"%%%"}})
	if f.Validate() || !strings.Contains(f.Errors[FarmFieldSnapshot], "unreadable") {
		t.Errorf("edit with a bad snapshot: %v", f.Errors)
	}
}

// An edit sends only what changed; the probe goes whole, since a PUT
// replaces it; emptied fields are sent as null.
func TestFarmFormUpdate(t *testing.T) {
	t.Parallel()
	orig := FarmValues{DisplayName: "web", Port: 8080, Zone: "gra", Balance: "roundrobin", Stickiness: "cookie", VRackNetworkID: 7,
		Probe: FarmProbeValues{Type: "http", URL: "/healthz", Interval: 30, Match: "status", Pattern: "200"}}
	edit := func(kv ...string) (*FarmForm, bool) {
		f := &FarmForm{Service: faSN, Protocol: ovh.HTTP, ID: 5, Options: faOptions()}
		f.Fill(orig)
		form := url.Values{FarmFieldSnapshot: {orig.Encode()}, "displayName": {f.DisplayName}, "port": {f.Port},
			"balance": {f.Balance}, "stickiness": {f.Stickiness}, "vrackNetworkId": {f.VRackNetwork},
			"probe.type": {f.ProbeType}, "probe.url": {f.ProbeURL}, "probe.interval": {f.ProbeInterval},
			"probe.match": {f.ProbeMatch}, "probe.pattern": {f.ProbePattern}}
		f.Read(faWith(form, kv...))
		return f, f.Validate()
	}
	tests := []struct {
		name string
		kv   []string
		want string // the PUT body
	}{
		{"nothing", nil, `{}`},
		{"name", []string{"displayName", "www"}, `{"displayName":"www"}`},
		{"clear name and port", []string{"displayName", "", "port", ""}, `{"displayName":null,"port":null}`},
		{"balance default", []string{"balance", ""}, `{"balance":null}`},
		{"stickiness", []string{"stickiness", "sourceIp"}, `{"stickiness":"sourceIp"}`},
		{"network off", []string{"vrackNetworkId", ""}, `{"vrackNetworkId":null}`},
		{"network", []string{"vrackNetworkId", "8"}, `{"vrackNetworkId":8}`},
		{"probe interval", []string{"probe.interval", "60"},
			`{"probe":{"type":"http","interval":60,"url":"/healthz","match":"status","pattern":"200"}}`},
		{"probe cleared", []string{"probe.type", "", "probe.url", "", "probe.interval", "", "probe.match", "", "probe.pattern", ""}, `{"probe":null}`},
	}
	for _, tt := range tests {
		f, ok := edit(tt.kv...)
		if !ok {
			t.Errorf("%s: Validate: %v", tt.name, f.Errors)
			continue
		}
		body, err := json.Marshal(f.Update())
		if err != nil || string(body) != tt.want {
			t.Errorf("%s: PUT body = %s (%v), want %s", tt.name, body, err, tt.want)
		}
	}
}

func TestFarmVRackWarning(t *testing.T) {
	t.Parallel()
	in := faOptions()
	out := FarmFormOptions{Zones: []string{"gra"}}
	tests := []struct {
		name      string
		opts      FarmFormOptions
		network   string
		warn      string // substring of the warning; "" = none
		showField bool
	}{
		{"in a vRack, none chosen", in, "", "is in vRack pn-1: a farm without a vRack network", true},
		{"in a vRack, one chosen", in, "7", "", true},
		{"outside a vRack, none", out, "", "", false},
		{"outside a vRack, a leftover network", out, "7", "is not in a vRack: a farm in a vRack network", true},
	}
	for _, tt := range tests {
		f := FarmForm{Service: faSN, Protocol: ovh.TCP, Options: tt.opts, VRackNetwork: tt.network}
		w := f.VRackWarning()
		if (tt.warn == "") != (w == "") || !strings.Contains(w, tt.warn) {
			t.Errorf("%s: VRackWarning = %q, want %q", tt.name, w, tt.warn)
		}
		if f.ShowNetworkField() != tt.showField {
			t.Errorf("%s: ShowNetworkField = %v", tt.name, f.ShowNetworkField())
		}
		doc, _ := render(t, context.Background(), FarmEdit(f))
		if got := doc.Find(testID("farm-vrack-warning")).Length(); got != map[bool]int{true: 1}[w != ""] {
			t.Errorf("%s: %d warnings rendered", tt.name, got)
		}
		if got := doc.Find(`select[name="vrackNetworkId"]`).Length() == 1; got != tt.showField {
			t.Errorf("%s: network select rendered = %v", tt.name, got)
		}
		if !tt.showField && doc.Find(testID("farm-no-vrack")).Length() != 1 {
			t.Errorf("%s: no 'not in a vRack' text", tt.name)
		}
	}
	// The select refreshes its own field with htmx.
	f := FarmForm{Service: faSN, Protocol: ovh.HTTP, ID: 3, Options: in}
	doc, _ := render(t, context.Background(), FarmEdit(f))
	sel := doc.Find(`#farm-vrackNetworkId`)
	if !strings.Contains(sel.AttrOr("aria-describedby", ""), "farm-vrack-warning") || doc.Find("#farm-vrack-warning").Length() != 1 {
		t.Error("the select is not described by the warning")
	}
	if sel.AttrOr("hx-get", "") != EditFarmPath(faSN, ovh.HTTP, 3) || sel.AttrOr("hx-select", "") != "#farm-vrack-field" {
		t.Errorf("network select htmx attributes: %v", sel.Nodes[0].Attr)
	}
	if got := doc.Find(`#farm-vrackNetworkId option`).Length(); got != 3 {
		t.Errorf("%d network options, want None and the two networks", got)
	}
	// In a vRack with no network at all, the form says so.
	f.Options.Networks = nil
	doc, _ = render(t, context.Background(), FarmEdit(f))
	if doc.Find(testID("farm-no-network")).Length() != 1 {
		t.Error("no 'create a network first' text")
	}
}

// fieldNames returns the names of the form's inputs, selects and text
// areas, without the hidden ones.
func fieldNames(sel *goquery.Selection) []string {
	var out []string
	sel.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("type", "") == "hidden" {
			return
		}
		out = append(out, s.AttrOr("name", ""))
	})
	slices.Sort(out)
	return out
}

func TestFarmEditFieldsPerProtocol(t *testing.T) {
	t.Parallel()
	probe := []string{"probe.forceSsl", "probe.interval", "probe.match", "probe.method", "probe.negate", "probe.pattern", "probe.port", "probe.type", "probe.url"}
	tests := []struct {
		proto ovh.Protocol
		edit  bool
		want  []string
	}{
		{ovh.HTTP, false, append([]string{"balance", "displayName", "port"}, append(probe, "stickiness", "vrackNetworkId", "zone")...)},
		{ovh.TCP, false, append([]string{"balance", "displayName", "port"}, append(probe, "stickiness", "vrackNetworkId", "zone")...)},
		{ovh.UDP, false, []string{"displayName", "port", "vrackNetworkId", "zone"}},
		// An edit shows the zone read-only, without a name.
		{ovh.HTTP, true, append([]string{"balance", "displayName", "port"}, append(probe, "stickiness", "vrackNetworkId")...)},
		{ovh.UDP, true, []string{"displayName", "port", "vrackNetworkId"}},
	}
	for _, tt := range tests {
		f := FarmForm{Service: faSN, Protocol: tt.proto, Options: faOptions()}
		if tt.edit {
			f.ID, f.Name, f.Zone = 4, "web", "gra"
			f.Original = &FarmValues{Zone: "gra"}
		}
		doc, _ := render(t, csrfCtx(), FarmEdit(f))
		form := doc.Find(testID("farm-form"))
		if got := fieldNames(form); !slices.Equal(got, tt.want) {
			t.Errorf("%s edit=%v: fields %v, want %v", tt.proto, tt.edit, got, tt.want)
		}
		slices.Sort(tt.want)
		if tt.edit {
			if form.Find(testID("farm-zone-readonly")).Text() != "gra" || form.Find("#farm-zone").Length() != 0 {
				t.Errorf("%s: read-only zone missing", tt.proto)
			}
			if form.Find(`input[name="_snapshot"]`).Length() != 1 || form.AttrOr("action", "") != UpdateFarmPath(faSN, tt.proto, 4) {
				t.Errorf("%s: edit form posts to %q", tt.proto, form.AttrOr("action", ""))
			}
		} else if form.AttrOr("action", "") != FarmsPath(faSN, tt.proto) {
			t.Errorf("%s: create form posts to %q", tt.proto, form.AttrOr("action", ""))
		}
		if form.Find(`input[name="_csrf"]`).Length() != 1 {
			t.Errorf("%s: no CSRF field", tt.proto)
		}
	}
	// Per-protocol choices.
	options := func(p ovh.Protocol, sel string) []string {
		doc, _ := render(t, context.Background(), FarmEdit(FarmForm{Service: faSN, Protocol: p, Options: faOptions()}))
		var out []string
		doc.Find(sel + " option").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("value", "")) })
		return out
	}
	if got := options(ovh.HTTP, "#farm-balance"); !slices.Equal(got, []string{"", "roundrobin", "first", "leastconn", "source", "uri"}) {
		t.Errorf("HTTP balances %v", got)
	}
	if got := options(ovh.TCP, "#farm-balance"); slices.Contains(got, "uri") {
		t.Errorf("TCP balances %v offer uri", got)
	}
	if got := options(ovh.HTTP, "#farm-stickiness"); !slices.Equal(got, []string{"", "cookie", "sourceIp"}) {
		t.Errorf("HTTP stickiness %v", got)
	}
	if got := options(ovh.TCP, "#farm-stickiness"); !slices.Equal(got, []string{"", "sourceIp"}) {
		t.Errorf("TCP stickiness %v", got)
	}
	if got := options(ovh.HTTP, "#farm-zone"); !slices.Equal(got, []string{"", "all", "gra", "rbx"}) {
		t.Errorf("zones %v", got)
	}
}

// A 422 re-render keeps what was typed, marks the bad fields and opens the
// probe settings when they hold the error.
func TestFarmEditKeepsTypedValues(t *testing.T) {
	t.Parallel()
	f := FarmForm{Service: faSN, Protocol: ovh.HTTP, Options: faOptions()}
	f.Read(faWith(faFullHTTP(), "probe.interval", "10", "zone", "bhs", "balance", "weird"))
	if f.Validate() {
		t.Fatal("Validate passed")
	}
	doc, _ := render(t, context.Background(), FarmEdit(f))
	checks := map[string]string{
		"#farm-displayName":    " web ",
		"#farm-port":           "8080",
		"#farm-probe-interval": "10",
		"#farm-probe-url":      "[www.example.com]/healthz",
		"#farm-probe-pattern":  "200, 204",
	}
	for sel, want := range checks {
		if got := doc.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s value %q, want %q", sel, got, want)
		}
	}
	for sel, want := range map[string]string{"#farm-zone": "bhs", "#farm-balance": "weird", "#farm-probe-type": "http", "#farm-vrackNetworkId": "7"} {
		if got := doc.Find(sel+" option[selected]").AttrOr("value", ""); got != want {
			t.Errorf("%s selected %q, want %q", sel, got, want)
		}
	}
	for _, name := range []string{"probe.interval", "zone", "balance"} {
		in := doc.Find("#" + farmInputID(name))
		if in.AttrOr("aria-invalid", "") != "true" || !strings.Contains(in.AttrOr("aria-describedby", ""), farmErrorID(name)) {
			t.Errorf("%s not marked invalid", name)
		}
		if doc.Find(testID("error-"+name)).Length() != 1 {
			t.Errorf("%s: no error message", name)
		}
	}
	var summary []string
	doc.Find(testID("error-summary-item")).Each(func(_ int, s *goquery.Selection) {
		summary = append(summary, s.AttrOr("data-field", "")+">"+s.Find("a").AttrOr("href", ""))
	})
	if want := []string{"zone>#farm-zone", "balance>#farm-balance", "probe.interval>#farm-probe-interval"}; !slices.Equal(summary, want) {
		t.Errorf("error summary %v, want %v", summary, want)
	}
	if _, open := doc.Find(testID("farm-probe-fields")).Attr("open"); !open {
		t.Error("probe settings closed despite an error inside")
	}
	if doc.Find("#farm-probe-negate[checked]").Length() != 1 {
		t.Error("negate unticked")
	}

	// An API refusal is shown with its query ID; a rejected field too.
	f2 := FarmForm{Service: faSN, Protocol: ovh.UDP, Options: faOptions(), Error: "Invalid value for port", QueryID: "EU.ext-1.abc"}
	f2.Read(url.Values{"zone": {"gra"}, "port": {"53"}, "stickiness": {"sourceIp"}})
	f2.Validate()
	doc, _ = render(t, context.Background(), FarmEdit(f2))
	if !strings.Contains(doc.Find(testID("form-error")).Text(), "Invalid value for port") ||
		doc.Find(testID("form-query-id")+" code").Text() != "EU.ext-1.abc" {
		t.Errorf("API refusal: %q", doc.Find(testID("form-error")).Text())
	}
	if doc.Find(testID("rejected-field")).AttrOr("data-field", "") != "stickiness" {
		t.Error("the UDP stickiness is not reported")
	}
}

func faFarms() []ovh.Farm {
	return []ovh.Farm{
		{Protocol: ovh.HTTP, ID: 1, Zone: "all", DisplayName: ptrTo("web"), Port: ptrTo[int64](8080), VRackNetworkID: ptrTo[int64](7),
			Balance: ptrTo(ovh.BalanceLeastConn), Stickiness: ptrTo(ovh.StickinessCookie),
			Probe: &ovh.Probe{Type: ptrTo(ovh.ProbeHTTP), Method: ptrTo(ovh.ProbeGET), URL: ptrTo("/healthz"), Interval: ptrTo[int64](30),
				Match: ptrTo(ovh.ProbeMatchStatus), Pattern: ptrTo("200")}},
		{Protocol: ovh.HTTP, ID: 2, Zone: "gra"},
	}
}

func TestFarmUsersOf(t *testing.T) {
	t.Parallel()
	farm := faFarms()[0]
	frontends := []ovh.Frontend{
		{Protocol: ovh.HTTP, ID: 10, DisplayName: ptrTo("www"), DefaultFarmID: ptrTo[int64](1)},
		{Protocol: ovh.HTTP, ID: 11, DisplayName: ptrTo("api"), DefaultFarmID: ptrTo[int64](2)},
		{Protocol: ovh.TCP, ID: 12, DefaultFarmID: ptrTo[int64](1)}, // another protocol's farm 1
	}
	routes := []ovh.Route{
		{Protocol: ovh.HTTP, ID: 20, FrontendID: ptrTo[int64](11), DisplayName: ptrTo("to web"), Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("1")}},
		{Protocol: ovh.HTTP, ID: 21, Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("1")}},
		{Protocol: ovh.HTTP, ID: 22, Action: ovh.RouteAction{Type: ovh.RouteRedirect, Target: ptrTo("1")}},
		{Protocol: ovh.TCP, ID: 23, Action: ovh.RouteAction{Type: ovh.RouteFarm, Target: ptrTo("1")}},
	}
	got := FarmUsersOf(farm, frontends, routes)
	want := []FarmUser{
		{Kind: FarmUserFrontend, Protocol: ovh.HTTP, ID: 10, Name: "www"},
		{Kind: FarmUserRoute, Protocol: ovh.HTTP, ID: 20, Name: "to web", Frontend: 11, FrontendName: "api"},
		{Kind: FarmUserRoute, Protocol: ovh.HTTP, ID: 21, Name: "#21"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FarmUsersOf (-want +got):\n%s", diff)
	}
	if got[1].Label() != "route to web (of frontend api)" || got[0].Label() != "frontend www" {
		t.Errorf("labels %q, %q", got[0].Label(), got[1].Label())
	}
}

func TestFarmList(t *testing.T) {
	t.Parallel()
	farms := faFarms()
	nets := faOptions().Networks
	servers := []ovh.Server{
		{ID: 1, Status: ovh.ServerActive, ServerState: []ovh.ServerState{{InstanceID: 1, Status: ptrTo("UP")}, {InstanceID: 2, Status: ptrTo("UP")}}},
		{ID: 2, Status: ovh.ServerInactive},
	}
	users := []FarmUser{{Kind: FarmUserFrontend, Protocol: ovh.HTTP, ID: 10, Name: "www"}}
	m := FarmListModel{Service: faSN, Protocol: ovh.HTTP, VRackName: "pn-1", Rows: []FarmRow{
		NewFarmRow(farms[0], servers, "pn-1", nets, users),
		NewFarmRow(farms[1], nil, "pn-1", nets, nil),
	}}
	doc, _ := render(t, context.Background(), FarmList(m))
	if doc.Find(testID("farm-protocol-tab")+`[aria-current="page"]`).AttrOr("data-protocol", "") != "http" {
		t.Error("HTTP tab not current")
	}
	if doc.Find(testID("new-farm")).AttrOr("href", "") != NewFarmPath(faSN, ovh.HTTP) {
		t.Error("New farm link")
	}
	if got := doc.Find("thead th").Length(); got != 8 {
		t.Errorf("%d HTTP columns, want 8", got)
	}
	rows := doc.Find(testID("farm-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d rows", rows.Length())
	}
	r := rows.First()
	cells := map[string]string{
		"farm-name": "web", "farm-port": "8080", "farm-zone": "all zones", "farm-balance": "leastconn",
		"farm-stickiness": "cookie", "farm-probe": "http GET /healthz every 30 s, status 200",
		"farm-network": "prod 10.0.0.0/16 VLAN 42", "farm-servers": "2 servers 1 active, 1 inactive", "farm-users": "frontend www",
	}
	for id, want := range cells {
		if got := strings.Join(strings.Fields(r.Find(testID(id)).Text()), " "); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if r.Find(testID("farm-checks")).Text() != "health: UP 2" {
		t.Errorf("checks %q", r.Find(testID("farm-checks")).Text())
	}
	if r.Find(testID("farm-name")+" a").AttrOr("href", "") != FarmPath(faSN, ovh.HTTP, 1) ||
		r.Find(testID("farm-user")+" a").AttrOr("href", "") != EditFrontendPath(faSN, ovh.HTTP, 10) {
		t.Error("row links")
	}
	route := NewFarmRow(farms[0], nil, "pn-1", nets, []FarmUser{{Kind: FarmUserRoute, Protocol: ovh.HTTP, ID: 20, Name: "r"}})
	d2, _ := render(t, context.Background(), FarmTableRow(faSN, route))
	if d2.Find(testID("farm-user")+" a").AttrOr("href", "") != RoutePath(faSN, ovh.HTTP, 20) {
		t.Error("row links")
	}
	if r.Find(testID("farm-vrack-problem")).Length() != 0 {
		t.Error("a farm in a network flagged")
	}
	second := rows.Eq(1)
	if second.Find(testID("farm-vrack-problem")).Length() != 1 || second.Find(testID("farm-unused")).Length() != 1 ||
		second.Find(testID("farm-balance")).Text() != "roundrobin (default)" || second.Find(testID("farm-probe")).Text() != "default (tcp)" ||
		second.Find(testID("farm-port")).Text() != "the frontend's" {
		t.Errorf("second row: %q", second.Text())
	}

	// UDP: no balance, stickiness or probe column; empty state.
	doc, _ = render(t, context.Background(), FarmList(FarmListModel{Service: faSN, Protocol: ovh.UDP}))
	if doc.Find(testID("farm-empty")).Length() != 1 || doc.Find(testID("farm-empty-new")).AttrOr("href", "") != NewFarmPath(faSN, ovh.UDP) {
		t.Error("UDP empty state")
	}
	if !strings.Contains(doc.Find(testID("farm-vrack-context")).Text(), "not in a vRack") {
		t.Error("vRack context outside a vRack")
	}
	udp := FarmListModel{Service: faSN, Protocol: ovh.UDP, Rows: []FarmRow{NewFarmRow(ovh.Farm{Protocol: ovh.UDP, ID: 3, Zone: "gra", Port: ptrTo[int64](53)}, nil, "", nil, nil)}}
	doc, _ = render(t, context.Background(), FarmList(udp))
	if got := doc.Find("thead th").Length(); got != 6 || doc.Find(testID("farm-balance")).Length() != 0 {
		t.Errorf("%d UDP columns, want 6", got)
	}
}

func faServers() []ovh.Server {
	return []ovh.Server{
		{Protocol: ovh.HTTP, ID: 31, FarmID: 1, Address: "10.0.1.11", DisplayName: ptrTo("web-1"), Status: ovh.ServerActive,
			Weight: ptrTo[int64](3), Backup: ptrTo(true), Probe: ptrTo(true), SSL: ptrTo(false), Cookie: ptrTo("w1"),
			ProxyProtocolVersion: ptrTo(ovh.ProxyV2), OnMarkedDown: ptrTo(ovh.OnMarkedDownShutdownSessions),
			ServerState: []ovh.ServerState{{InstanceID: 4, Status: ptrTo("UP"), CheckStatus: ptrTo("L7OK"), CheckCode: ptrTo("200")}}},
		{Protocol: ovh.HTTP, ID: 32, FarmID: 1, Address: "10.0.1.12", Status: ovh.ServerInactive},
	}
}

func TestFarmPage(t *testing.T) {
	t.Parallel()
	farm := faFarms()[0]
	servers := faServers()
	m := FarmPageModel{Service: faSN, Row: NewFarmRow(farm, servers, "pn-1", faOptions().Networks, nil), Servers: servers}
	doc, _ := render(t, csrfCtx(), FarmPage(m))
	if doc.Find(testID("farm-title")).Text() != "HTTP farm web" {
		t.Errorf("title %q", doc.Find(testID("farm-title")).Text())
	}
	rows := doc.Find(testID("server-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d server rows", rows.Length())
	}
	r := rows.First()
	if r.AttrOr("data-status", "") != "active" || r.Find(testID("server-name")).Text() != "web-1" ||
		r.Find(testID("server-weight")).Text() != "3" {
		t.Errorf("first server row %q", r.Text())
	}
	flags := strings.Join(r.Find(testID("server-flags")+" li").Map(func(_ int, s *goquery.Selection) string { return s.Text() }), "|")
	if flags != "backup|probe|PROXY v2|on down: shutdown-sessions|cookie w1" {
		t.Errorf("flags %q", flags)
	}
	if got := r.Find(testID("server-state")).Text(); got != "instance 4: UP (L7OK 200)" {
		t.Errorf("state %q", got)
	}
	form := r.Find(testID("server-toggle-form"))
	if form.AttrOr("action", "") != ToggleServerPath(faSN, ovh.HTTP, 1, 31) || form.AttrOr("hx-post", "") != form.AttrOr("action", "") ||
		form.AttrOr("hx-target", "") != "closest tr" || form.AttrOr("method", "") != "post" || form.Find(`input[name="_csrf"]`).Length() != 1 {
		t.Errorf("toggle form %v", form.Nodes[0].Attr)
	}
	if r.Find(testID("server-toggle")).Text() != "Disable" || rows.Eq(1).Find(testID("server-toggle")).Text() != "Enable" {
		t.Error("toggle labels")
	}
	if rows.Eq(1).Find(testID("server-name")).Text() != "10.0.1.12" || rows.Eq(1).Find(testID("server-weight")).Text() != "1 (default)" {
		t.Error("second row: unnamed server")
	}
	if doc.Find(testID("new-server")).AttrOr("href", "") != NewServerPath(faSN, ovh.HTTP, 1) {
		t.Error("add server link")
	}
	if doc.Find(testID("farm-page-vrack-problem")).Length() != 0 {
		t.Error("vRack problem on a farm in a network")
	}

	// A farm outside the vRack, without servers, UDP.
	udp := ovh.Farm{Protocol: ovh.UDP, ID: 9, Zone: "gra", Port: ptrTo[int64](53)}
	doc, _ = render(t, context.Background(), FarmPage(FarmPageModel{Service: faSN, Row: NewFarmRow(udp, nil, "pn-1", nil, nil)}))
	if doc.Find(testID("server-empty")).Length() != 1 || doc.Find(testID("farm-page-vrack-problem")).Length() != 1 {
		t.Error("empty UDP farm outside the vRack")
	}
	if doc.Find(testID("farm-balance")).Length() != 0 {
		t.Error("UDP farm shows a balance")
	}
}

func TestServerToggled(t *testing.T) {
	t.Parallel()
	s := faServers()[1]
	m := ServerToggledModel{Row: ServerRowModel{Service: faSN, Server: s}, Message: "Server 10.0.1.12 disabled.",
		Banner: PendingBannerOOB(NewPendingBanner(faSN, []ovh.PendingChange{{Zone: "gra", Number: 2}})),
		Health: &FarmHealth{Total: 2, Active: 1, Inactive: 1}}
	_, html := render(t, csrfCtx(), ServerToggled(m))
	if !strings.HasPrefix(strings.TrimSpace(html), `<tr role="row" id="server-32" data-testid="server-row" data-id="32" data-status="inactive">`) {
		t.Errorf("the answer does not start with the row: %.60s", html)
	}
	// goquery parses <template> content as text-less children; check the
	// markup itself for the out-of-band parts.
	if !strings.Contains(html, `<template><div id="alerts"`) || !strings.Contains(html, `hx-swap-oob="true"`) ||
		!strings.Contains(html, `id="pending-banner"`) || !strings.Contains(html, "Server 10.0.1.12 disabled.") {
		t.Errorf("out-of-band parts missing: %s", html)
	}
	if !strings.Contains(html, `<small id="farm-health" class="fa-muted" data-testid="farm-health" hx-swap-oob="true">2 servers: 1 active, 1 inactive</small>`) {
		t.Errorf("no out-of-band server summary: %s", html)
	}
	if !strings.Contains(html, `name="_csrf" value="tok"`) {
		t.Error("the row's toggle form has no CSRF token")
	}
}

// faCert returns a self-signed certificate in PEM.
func faCert(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "backend.example"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestServerFormCreateEveryField(t *testing.T) {
	t.Parallel()
	chain := faCert(t)
	f := ServerForm{Service: faSN, Protocol: ovh.HTTP, FarmID: 1}
	f.Read(url.Values{"displayName": {"web-3"}, "address": {" 10.0.1.13 "}, "port": {"8443"}, "status": {"on"},
		"weight": {"0"}, "backup": {"on"}, "probe": {"on"}, "ssl": {"on"}, "chain": {chain + "\r\n"}, "cookie": {"w3"},
		"proxyProtocolVersion": {"v2-ssl-cn"}, "onMarkedDown": {"shutdown-sessions"}})
	if !f.Validate() {
		t.Fatalf("Validate: %v", f.Errors)
	}
	want := ovh.ServerCreate{Address: "10.0.1.13", Status: ovh.ServerActive, Port: ptrTo[int64](8443), DisplayName: ptrTo("web-3"),
		Backup: true, Probe: true, SSL: true, Weight: ptrTo[int64](0), Chain: ptrTo(strings.TrimSpace(chain)), Cookie: ptrTo("w3"),
		ProxyProtocolVersion: ptrTo(ovh.ProxyV2SSLCN), OnMarkedDown: ptrTo(ovh.OnMarkedDownShutdownSessions)}
	if diff := cmp.Diff(want, f.Create()); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	// UDP: name, address, port, status; an unticked status is inactive.
	u := ServerForm{Service: faSN, Protocol: ovh.UDP, FarmID: 2}
	u.Read(url.Values{"address": {"10.0.4.43"}, "port": {"53"}})
	if !u.Validate() {
		t.Fatalf("UDP: %v", u.Errors)
	}
	body, _ := json.Marshal(u.Create())
	if string(body) != `{"address":"10.0.4.43","status":"inactive","port":53}` {
		t.Errorf("UDP body %s", body)
	}
}

func TestServerFormValidate(t *testing.T) {
	t.Parallel()
	chain := faCert(t)
	tests := []struct {
		name  string
		proto ovh.Protocol
		form  url.Values
		edit  *ServerValues
		errs  []string
	}{
		{"minimal", ovh.TCP, url.Values{"address": {"10.0.0.1"}}, nil, nil},
		{"no address", ovh.TCP, url.Values{}, nil, []string{"address"}},
		{"ipv6", ovh.TCP, url.Values{"address": {"2001:db8::1"}}, nil, []string{"address"}},
		{"not an ip", ovh.HTTP, url.Values{"address": {"web.example.com"}}, nil, []string{"address"}},
		{"block", ovh.HTTP, url.Values{"address": {"10.0.0.0/24"}}, nil, []string{"address"}},
		{"loopback", ovh.HTTP, url.Values{"address": {"127.0.0.1"}}, nil, []string{"address"}},
		{"port", ovh.UDP, url.Values{"address": {"10.0.0.1"}, "port": {"0"}}, nil, []string{"port"}},
		{"weight", ovh.TCP, url.Values{"address": {"10.0.0.1"}, "weight": {"257"}}, nil, []string{"weight"}},
		{"udp has no weight", ovh.UDP, url.Values{"address": {"10.0.0.1"}, "weight": {"2"}, "ssl": {"on"}}, nil, []string{"ssl", "weight"}},
		{"tcp has no cookie", ovh.TCP, url.Values{"address": {"10.0.0.1"}, "cookie": {"x"}}, nil, []string{"cookie"}},
		{"bad cookie", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "cookie": {"a b"}}, nil, []string{"cookie"}},
		{"bad proxy", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "proxyProtocolVersion": {"v3"}}, nil, []string{"proxyProtocolVersion"}},
		{"bad on-marked-down", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "onMarkedDown": {"reboot"}}, nil, []string{"onMarkedDown"}},
		{"chain", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "chain": {chain + chain}}, nil, nil},
		{"bad chain", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "chain": {"hello"}}, nil, []string{"chain"}},
		{"key in chain", ovh.HTTP, url.Values{"address": {"10.0.0.1"}, "chain": {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}}, nil, []string{"chain"}},
		{"edit posts an address", ovh.HTTP, url.Values{"address": {"10.0.0.2"}}, &ServerValues{Address: "10.0.0.1"}, []string{"address"}},
		{"edit", ovh.HTTP, url.Values{"weight": {"5"}}, &ServerValues{Address: "10.0.0.1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := ServerForm{Service: faSN, Protocol: tt.proto, FarmID: 1}
			form := tt.form
			if tt.edit != nil {
				f.ID = 9
				form = faWith(form, ServerFieldSnapshot, tt.edit.Encode())
			}
			f.Read(form)
			ok := f.Validate()
			var got []string
			for k := range f.Errors {
				got = append(got, k)
			}
			slices.Sort(got)
			if ok != (len(tt.errs) == 0) || !slices.Equal(got, tt.errs) {
				t.Errorf("Validate = %v with %v, want errors on %v", ok, f.Errors, tt.errs)
			}
		})
	}
}

func TestServerFormUpdate(t *testing.T) {
	t.Parallel()
	orig := ServerValuesOf(faServers()[0])
	f := ServerForm{Service: faSN, Protocol: ovh.HTTP, FarmID: 1, ID: 31}
	f.Fill(orig)
	form := url.Values{ServerFieldSnapshot: {orig.Encode()}, "displayName": {f.DisplayName}, "port": {""}, "status": {"on"},
		"weight": {""}, "backup": {"on"}, "probe": {"on"}, "cookie": {"w1"}, "proxyProtocolVersion": {""}, "onMarkedDown": {"shutdown-sessions"},
		"ssl": {"on"}}
	f.Read(form)
	if !f.Validate() {
		t.Fatal(f.Errors)
	}
	body, _ := json.Marshal(f.Update())
	// Changed: weight 3 → default, SSL off → on, PROXY v2 → off.
	if string(body) != `{"ssl":true,"weight":null,"proxyProtocolVersion":null}` {
		t.Errorf("PUT body %s", body)
	}
	if got := f.Changes(); !slices.Equal(got, []string{"weight", "ssl", "proxyProtocolVersion"}) {
		t.Errorf("Changes %v", got)
	}
	// Status off alone.
	f.Read(faWith(form, "status", "\x00", "weight", "3", "ssl", "\x00", "proxyProtocolVersion", "v2"))
	if !f.Validate() {
		t.Fatal(f.Errors)
	}
	body, _ = json.Marshal(f.Update())
	if string(body) != `{"status":"inactive"}` {
		t.Errorf("disable body %s", body)
	}
}

func TestServerEditFieldsPerProtocol(t *testing.T) {
	t.Parallel()
	farm := faFarms()[0]
	tests := []struct {
		proto ovh.Protocol
		edit  bool
		want  []string
	}{
		{ovh.HTTP, false, []string{"address", "backup", "chain", "cookie", "displayName", "onMarkedDown", "port", "probe", "proxyProtocolVersion", "ssl", "status", "weight"}},
		{ovh.TCP, false, []string{"address", "backup", "chain", "displayName", "onMarkedDown", "port", "probe", "proxyProtocolVersion", "ssl", "status", "weight"}},
		{ovh.UDP, false, []string{"address", "displayName", "port", "status"}},
		{ovh.UDP, true, []string{"displayName", "port", "status"}},
	}
	for _, tt := range tests {
		f := ServerForm{Service: faSN, Protocol: tt.proto, FarmID: 1, Options: ServerFormOptions{Farm: farm}}
		if tt.edit {
			f.ID, f.Address = 5, "10.0.0.9"
			f.Original = &ServerValues{Address: "10.0.0.9"}
		}
		doc, _ := render(t, context.Background(), ServerEdit(f))
		form := doc.Find(testID("server-form"))
		if got := fieldNames(form); !slices.Equal(got, tt.want) {
			t.Errorf("%s edit=%v: fields %v, want %v", tt.proto, tt.edit, got, tt.want)
		}
		if tt.edit && (form.Find(testID("server-address-readonly")).Text() != "10.0.0.9" || form.Find("#server-address").Length() != 0) {
			t.Errorf("%s: read-only address", tt.proto)
		}
	}
	// The address hint names the farm's vRack subnet; a 422 keeps what was
	// typed and marks the field.
	f := ServerForm{Service: faSN, Protocol: ovh.TCP, FarmID: 1, Options: ServerFormOptions{Farm: farm, Network: &faOptions().Networks[0]}}
	f.Read(url.Values{"address": {"10.0.0.300"}, "weight": {"12"}})
	f.Validate()
	doc, _ := render(t, context.Background(), ServerEdit(f))
	if !strings.Contains(doc.Find("#server-address-hint").Text(), "10.0.0.0/16") {
		t.Error("vRack hint")
	}
	addr := doc.Find("#server-address")
	if addr.AttrOr("value", "") != "10.0.0.300" || addr.AttrOr("aria-invalid", "") != "true" || doc.Find(testID("error-address")).Length() != 1 {
		t.Errorf("address not kept or not marked: %v", addr.Nodes[0].Attr)
	}
	if doc.Find("#server-weight").AttrOr("value", "") != "12" {
		t.Error("weight not kept")
	}
}

func TestFarmDelete(t *testing.T) {
	t.Parallel()
	m := FarmDeleteModel{Service: faSN, Farm: faFarms()[0], Servers: 2,
		Users:   []FarmUser{{Kind: FarmUserFrontend, Protocol: ovh.HTTP, ID: 10, Name: "www"}},
		Refused: &ErrorModel{Message: "Farm web is the default farm of HTTP frontend www", QueryID: "EU.q-1"}}
	doc, _ := render(t, context.Background(), FarmDelete(m))
	if doc.Find(testID("farm-delete-form")).AttrOr("action", "") != DeleteFarmPath(faSN, ovh.HTTP, 1) {
		t.Error("form action")
	}
	if doc.Find(testID("delete-servers")).AttrOr("data-count", "") != "2" || doc.Find(testID("farm-user")).Length() != 1 ||
		doc.Find(testID("delete-in-use")).Length() != 1 {
		t.Error("servers or users")
	}
	if !strings.Contains(doc.Find(testID("form-error")).Text(), "default farm of HTTP frontend www") || doc.Find(testID("form-query-id")+" code").Text() != "EU.q-1" {
		t.Error("refusal")
	}
	s := faServers()[0]
	doc, _ = render(t, context.Background(), ServerDelete(ServerDeleteModel{Service: faSN, Farm: faFarms()[0], Server: s, Last: true}))
	if doc.Find(testID("server-delete-form")).AttrOr("action", "") != DeleteServerPath(faSN, ovh.HTTP, 1, 31) ||
		doc.Find(testID("delete-last")).Length() != 1 || doc.Find(testID("delete-address")).Text() != "10.0.1.11" {
		t.Error("server delete page")
	}
}

func TestFarmHealthAndProbeSummary(t *testing.T) {
	t.Parallel()
	if got := FarmHealthOf(nil).Text(); got != "no server" {
		t.Errorf("%q", got)
	}
	if got := FarmHealthOf(faServers()[:1]).Text(); got != "1 server: 1 active" {
		t.Errorf("%q", got)
	}
	p := FarmProbeValues{Type: "http", Match: "contains", Pattern: "ok", Negate: true, ForceSSL: true, Port: 81}
	if got := p.Summary(); got != "http port 81, not contains ok, over SSL" {
		t.Errorf("%q", got)
	}
}

// An edit is compared with the object as it is now: the user's changes
// are sent, someone else's other changes are kept, a field both changed
// differently is a conflict shown with both values.
func TestFarmAndServerMerge(t *testing.T) {
	t.Parallel()
	orig := FarmValues{DisplayName: "web", Port: 80, Zone: "gra", VRackNetworkID: 7}
	f := FarmForm{Service: faSN, Protocol: ovh.TCP, ID: 5, Options: faOptions()}
	f.Read(url.Values{FarmFieldSnapshot: {orig.Encode()}, "displayName": {"www"}, "port": {"81"}, "vrackNetworkId": {"8"}})
	if !f.Validate() {
		t.Fatal(f.Errors)
	}
	current := orig
	current.Port = 82          // they changed the port too: conflict
	current.VRackNetworkID = 8 // they made the same change: nothing to send
	current.Balance = "first"  // theirs only: kept
	m := f.Merge(current)
	if !slices.Equal(m.Send, []string{"displayName"}) || !slices.Equal(m.Theirs, []string{"port", "balance", "vrackNetworkId"}) {
		t.Errorf("merge %+v", m)
	}
	want := []FormConflict{{Field: "port", Label: "Port", Current: "82", Yours: "81"}}
	if diff := cmp.Diff(want, m.Conflicts); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	f.Conflicts = m.Conflicts
	f.Rebase(current)
	if f.DisplayName != "www" || f.Port != "81" || f.Balance != "first" || f.VRackNetwork != "8" || f.Original.Port != 82 {
		t.Errorf("rebased form %+v", f)
	}
	doc, _ := render(t, context.Background(), FarmEdit(f))
	if c := doc.Find(testID("conflict")); c.AttrOr("data-field", "") != "port" || c.Find(testID("conflict-current")).Text() != "82" {
		t.Errorf("conflict rendering %q", doc.Find(testID("conflicts")).Text())
	}

	so := ServerValues{Address: "10.0.0.1", Active: true, Weight: "1"}
	s := ServerForm{Service: faSN, Protocol: ovh.HTTP, FarmID: 5, ID: 6}
	s.Read(url.Values{ServerFieldSnapshot: {so.Encode()}, "status": {"on"}, "weight": {"4"}, "cookie": {"c"}})
	if !s.Validate() {
		t.Fatal(s.Errors)
	}
	now := so
	now.Weight, now.Active = "2", false
	sm := s.Merge(now)
	if !slices.Equal(sm.Send, []string{"cookie"}) || len(sm.Conflicts) != 1 || sm.Conflicts[0].Yours != "4" || sm.Conflicts[0].Current != "2" {
		t.Errorf("server merge %+v", sm)
	}
	s.Rebase(now)
	if s.Weight != "4" || s.Active || s.Cookie != "c" || s.Original.Weight != "2" {
		t.Errorf("rebased server form %+v", s)
	}
}
