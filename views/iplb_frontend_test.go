package views

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

const feSN = "loadbalancer-test"

// feOptions are the choices of a test IPLB in zones gra and rbx: two HTTP
// farms (one per zone scope), a certificate, two failover IPs of which one
// is pinned by the TCP frontend "db".
func feOptions() FrontendFormOptions {
	return FrontendFormOptions{
		Zones: []string{"gra", "rbx"},
		Farms: []ovh.Farm{
			{Protocol: ovh.HTTP, ID: 11, Zone: "all", DisplayName: ptrTo("web"), Port: ptrTo[int64](8080)},
			{Protocol: ovh.HTTP, ID: 12, Zone: "gra", DisplayName: ptrTo("gra-only")},
		},
		Certificates: []ovh.Certificate{{ID: 21, DisplayName: ptrTo("www.example.com")}},
		IPs: FrontendIPOptions([]string{"203.0.113.10/32", "203.0.113.11/32"},
			[]ovh.Frontend{
				{Protocol: ovh.TCP, ID: 2, DisplayName: ptrTo("db"), DedicatedIPFO: []string{"203.0.113.10/32"}},
				{Protocol: ovh.HTTP, ID: 1, DisplayName: ptrTo("self"), DedicatedIPFO: []string{"203.0.113.10/32"}},
			},
			FrontendRef{Protocol: ovh.HTTP, ID: 1}),
	}
}

func TestFrontendIPOptions(t *testing.T) {
	t.Parallel()
	frontends := []ovh.Frontend{
		{Protocol: ovh.HTTP, ID: 1, DisplayName: ptrTo("www"), DedicatedIPFO: []string{"203.0.113.10/32", "198.51.100.9/32"}},
		{Protocol: ovh.UDP, ID: 1, DisplayName: ptrTo("dns"), DedicatedIPFO: []string{"203.0.113.10"}},
		{Protocol: ovh.TCP, ID: 3, DisplayName: ptrTo("pg"), DedicatedIPFO: []string{"203.0.113.17/32"}},
	}
	got := FrontendIPOptions([]string{"203.0.113.10/32", "203.0.113.16/30", "198.51.100.0/24", "2001:db8::1/128"},
		frontends, FrontendRef{Protocol: ovh.HTTP, ID: 1})
	want := []FrontendIPOption{
		// The UDP frontend with the same id is another frontend; its bare
		// address counts as the /32.
		{IP: "203.0.113.10/32", UsedBy: []FrontendRef{{Protocol: ovh.UDP, ID: 1, Name: "dns"}}},
		// A /30 is listed address by address.
		{IP: "203.0.113.16/32"},
		{IP: "203.0.113.17/32", UsedBy: []FrontendRef{{Protocol: ovh.TCP, ID: 3, Name: "pg"}}},
		{IP: "203.0.113.18/32"},
		{IP: "203.0.113.19/32"},
		// The /24 and the IPv6 are not listed; the frontend's own pin that
		// is not routed any more is, marked.
		{IP: "198.51.100.9/32", NotRouted: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FrontendIPOptions (-want +got):\n%s", diff)
	}
}

func TestFrontendFormReadValidate(t *testing.T) {
	t.Parallel()
	base := func(p ovh.Protocol) url.Values {
		return url.Values{"_csrf": {"tok"}, "port": {"80"}, "zone": {"all"}}
	}
	with := func(p ovh.Protocol, kv ...string) url.Values {
		v := base(p)
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name       string
		proto      ovh.Protocol
		form       url.Values
		wantErrors []string // fields with an error; nil = valid
		want       FrontendValues
	}{
		{name: "minimal http", proto: ovh.HTTP, form: base(ovh.HTTP),
			want: FrontendValues{Port: "80", Zone: "all"}},
		{name: "every http field", proto: ovh.HTTP, form: with(ovh.HTTP,
			"displayName", "  www  ", "defaultFarmId", "12", "ssl", "on", "defaultSslId", "21",
			"allowedSource", "198.51.100.0/24\r\n\r\n 192.0.2.7 \n", "hsts", "on",
			"httpHeader", "X-Forwarded-For %ci\nX-Client-Port: %cp", "redirectLocation", "https://example.com/x",
			"disabled", "on", "dedicatedIpfo", "203.0.113.11", "dedicatedIpfo", "203.0.113.10/32"),
			want: FrontendValues{DisplayName: "www", Port: "80", Zone: "all", DefaultFarmID: 12, SSL: true, DefaultSSLID: 21,
				AllowedSource: []string{"198.51.100.0/24", "192.0.2.7/32"}, HSTS: true,
				HTTPHeader: []string{"X-Forwarded-For %ci", "X-Client-Port: %cp"}, RedirectLocation: "https://example.com/x",
				Disabled: true, DedicatedIPFO: []string{"203.0.113.11/32", "203.0.113.10/32"}}},
		{name: "ports normalised", proto: ovh.TCP, form: url.Values{"port": {" 80 , 8000 - 8100,443"}, "zone": {"gra"}},
			want: FrontendValues{Port: "80,8000-8100,443", Zone: "gra"}},
		{name: "port missing", proto: ovh.HTTP, form: url.Values{"zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "bad port", proto: ovh.HTTP, form: url.Values{"port": {"http"}, "zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "port out of range", proto: ovh.HTTP, form: url.Values{"port": {"80,49152"}, "zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "port zero", proto: ovh.UDP, form: url.Values{"port": {"0"}, "zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "decreasing range", proto: ovh.HTTP, form: url.Values{"port": {"90-80"}, "zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "empty list item", proto: ovh.HTTP, form: url.Values{"port": {"80,,443"}, "zone": {"all"}}, wantErrors: []string{"port"}},
		{name: "unknown zone", proto: ovh.HTTP, form: url.Values{"port": {"80"}, "zone": {"bhs"}}, wantErrors: []string{"zone"}},
		{name: "no zone", proto: ovh.HTTP, form: url.Values{"port": {"80"}}, wantErrors: []string{"zone"}},
		{name: "farm of another zone", proto: ovh.HTTP, form: url.Values{"port": {"80"}, "zone": {"rbx"}, "defaultFarmId": {"12"}},
			wantErrors: []string{"defaultFarmId"}},
		{name: "unknown farm", proto: ovh.HTTP, form: with(ovh.HTTP, "defaultFarmId", "99"), wantErrors: []string{"defaultFarmId"}},
		{name: "farm not a number", proto: ovh.HTTP, form: with(ovh.HTTP, "defaultFarmId", "web"), wantErrors: []string{"defaultFarmId"}},
		{name: "unknown certificate", proto: ovh.TCP, form: with(ovh.TCP, "defaultSslId", "5"), wantErrors: []string{"defaultSslId"}},
		{name: "bad CIDR", proto: ovh.HTTP, form: with(ovh.HTTP, "deniedSource", "198.51.100.0/33"), wantErrors: []string{"deniedSource"}},
		{name: "host bits", proto: ovh.TCP, form: with(ovh.TCP, "allowedSource", "198.51.100.7/24"), wantErrors: []string{"allowedSource"}},
		{name: "allowed and denied", proto: ovh.HTTP, form: with(ovh.HTTP, "allowedSource", "198.51.100.0/24", "deniedSource", "192.0.2.0/24"),
			wantErrors: []string{"allowedSource", "deniedSource"}},
		{name: "bad header", proto: ovh.HTTP, form: with(ovh.HTTP, "httpHeader", "=x y"), wantErrors: []string{"httpHeader"}},
		{name: "relative redirect", proto: ovh.HTTP, form: with(ovh.HTTP, "redirectLocation", "/elsewhere"), wantErrors: []string{"redirectLocation"}},
		{name: "ftp redirect", proto: ovh.HTTP, form: with(ovh.HTTP, "redirectLocation", "ftp://example.com"), wantErrors: []string{"redirectLocation"}},
		{name: "IP not of this IPLB", proto: ovh.UDP, form: with(ovh.UDP, "dedicatedIpfo", "192.0.2.1/32"), wantErrors: []string{"dedicatedIpfo"}},
		{name: "IP block", proto: ovh.UDP, form: with(ovh.UDP, "dedicatedIpfo", "203.0.113.8/29"), wantErrors: []string{"dedicatedIpfo"}},
		{name: "udp has no ssl", proto: ovh.UDP, form: with(ovh.UDP, "ssl", "on"), wantErrors: []string{"ssl"}},
		{name: "tcp has no hsts", proto: ovh.TCP, form: with(ovh.TCP, "hsts", "on", "httpHeader", "X-A b"),
			wantErrors: []string{"hsts", "httpHeader"}},
		{name: "udp has no sources", proto: ovh.UDP, form: with(ovh.UDP, "allowedSource", ""), wantErrors: []string{"allowedSource"}},
		{name: "unknown field", proto: ovh.HTTP, form: with(ovh.HTTP, "frontendId", "3"), wantErrors: []string{"frontendId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := FrontendForm{Service: feSN, Protocol: tt.proto, Options: feOptions()}
			f.Read(tt.form)
			ok := f.Validate()
			var gotErrors []string
			for k := range f.Errors {
				gotErrors = append(gotErrors, k)
			}
			slices.Sort(gotErrors)
			if !slices.Equal(gotErrors, tt.wantErrors) {
				t.Fatalf("error fields = %v, want %v (%v)", gotErrors, tt.wantErrors, f.Errors)
			}
			if ok != (tt.wantErrors == nil) {
				t.Fatalf("Validate() = %v with errors %v", ok, f.Errors)
			}
			if ok {
				if diff := cmp.Diff(tt.want, f.Values()); diff != "" {
					t.Errorf("values (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestFrontendPortMessages checks that syntax and range errors say
// different things.
func TestFrontendPortMessages(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"abc":   "is not a port list",
		"70000": "out of range",
		"1-0":   "out of range",
		"10-5":  "lower to a higher",
	} {
		f := FrontendForm{Protocol: ovh.HTTP, Options: feOptions()}
		f.Read(url.Values{"port": {in}, "zone": {"all"}})
		f.Validate()
		if !strings.Contains(f.Errors["port"], want) {
			t.Errorf("port %q: error %q, want it to contain %q", in, f.Errors["port"], want)
		}
	}
}

func TestFrontendCreateBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto ovh.Protocol
		form  url.Values
		want  string
	}{
		{ovh.HTTP, url.Values{"port": {"80"}, "zone": {"all"}, "dedicatedIpfo": {"203.0.113.11"}},
			`{"port":"80","zone":"all","dedicatedIpfo":["203.0.113.11/32"]}`},
		{ovh.HTTP, url.Values{"port": {"443"}, "zone": {"gra"}, "displayName": {"www"}, "defaultFarmId": {"12"}, "ssl": {"on"},
			"defaultSslId": {"21"}, "hsts": {"on"}, "httpHeader": {"X-A %ci"}, "redirectLocation": {"https://e.com"}, "deniedSource": {"192.0.2.0/24"}},
			`{"port":"443","zone":"gra","displayName":"www","defaultFarmId":12,"deniedSource":["192.0.2.0/24"],"ssl":true,"defaultSslId":21,"hsts":true,"httpHeader":["X-A %ci"],"redirectLocation":"https://e.com"}`},
		{ovh.TCP, url.Values{"port": {"5432"}, "zone": {"rbx"}, "disabled": {"on"}, "allowedSource": {"198.51.100.0/24"}},
			`{"port":"5432","zone":"rbx","disabled":true,"allowedSource":["198.51.100.0/24"]}`},
		{ovh.UDP, url.Values{"port": {"53"}, "zone": {"all"}, "dedicatedIpfo": {"203.0.113.10/32", "203.0.113.11/32"}},
			`{"port":"53","zone":"all","dedicatedIpfo":["203.0.113.10/32","203.0.113.11/32"]}`},
	}
	for _, tt := range tests {
		f := FrontendForm{Service: feSN, Protocol: tt.proto, Options: feOptions()}
		f.Read(tt.form)
		if !f.Validate() {
			t.Fatalf("%v: invalid: %v", tt.form, f.Errors)
		}
		b, err := json.Marshal(f.Create())
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%s create body =\n %s\nwant\n %s", tt.proto, b, tt.want)
		}
	}
}

// TestFrontendUpdateBody checks the diff of an edit: only the changed
// fields are sent, cleared values as null, and the IP list cleared with
// null.
func TestFrontendUpdateBody(t *testing.T) {
	t.Parallel()
	orig := FrontendValues{DisplayName: "www", Port: "80", Zone: "all", DefaultFarmID: 11, SSL: true, DefaultSSLID: 21,
		HTTPHeader: []string{"X-A %ci"}, DedicatedIPFO: []string{"203.0.113.10/32"}, AllowedSource: []string{"198.51.100.0/24"}}
	open := func(p ovh.Protocol, o FrontendValues) url.Values {
		f := FrontendForm{Protocol: p}
		f.Fill(o)
		v := url.Values{"_snapshot": {o.Encode()}, "port": {f.Port}, "zone": {f.Zone}, "displayName": {f.DisplayName},
			"defaultFarmId": {f.DefaultFarm}}
		for _, ip := range f.DedicatedIPFO {
			v.Add("dedicatedIpfo", ip)
		}
		if p != ovh.UDP {
			v.Set("defaultSslId", f.DefaultSSL)
			v.Set("allowedSource", f.AllowedSource)
			v.Set("deniedSource", f.DeniedSource)
			if f.SSL {
				v.Set("ssl", "on")
			}
		}
		if p == ovh.HTTP {
			v.Set("httpHeader", f.HTTPHeader)
			v.Set("redirectLocation", f.RedirectLocation)
		}
		return v
	}
	tests := []struct {
		name   string
		proto  ovh.Protocol
		orig   FrontendValues
		change func(v url.Values)
		want   string
	}{
		{"nothing changed", ovh.HTTP, orig, func(url.Values) {}, `{}`},
		{"same sources reordered and respelled", ovh.HTTP, orig, func(v url.Values) { v.Set("allowedSource", "198.51.100.0/24\n") }, `{}`},
		{"add a second IP", ovh.HTTP, orig, func(v url.Values) { v.Add("dedicatedIpfo", "203.0.113.11") },
			`{"dedicatedIpfo":["203.0.113.10/32","203.0.113.11/32"]}`},
		{"swap IPs", ovh.HTTP, orig, func(v url.Values) { v["dedicatedIpfo"] = []string{"203.0.113.11/32"} },
			`{"dedicatedIpfo":["203.0.113.11/32"]}`},
		{"clear the IPs", ovh.HTTP, orig, func(v url.Values) { v.Del("dedicatedIpfo") }, `{"dedicatedIpfo":null}`},
		{"clear name, farm, certificate, headers", ovh.HTTP, orig, func(v url.Values) {
			v.Set("displayName", "")
			v.Set("defaultFarmId", "")
			v.Set("defaultSslId", "")
			v.Set("httpHeader", "")
		}, `{"displayName":null,"defaultFarmId":null,"defaultSslId":null,"httpHeader":null}`},
		{"allowed to denied", ovh.TCP, FrontendValues{Port: "5432", Zone: "gra", AllowedSource: []string{"198.51.100.0/24"}},
			func(v url.Values) {
				v.Set("allowedSource", "")
				v.Set("deniedSource", "192.0.2.0/24")
			}, `{"allowedSource":null,"deniedSource":["192.0.2.0/24"]}`},
		{"port, zone, disabled, ssl off", ovh.HTTP, orig, func(v url.Values) {
			v.Set("port", "8080")
			v.Set("zone", "gra")
			v.Set("disabled", "on")
			v.Del("ssl")
		}, `{"port":"8080","zone":"gra","disabled":true,"ssl":false}`},
		{"udp rename", ovh.UDP, FrontendValues{Port: "53", Zone: "rbx"}, func(v url.Values) { v.Set("displayName", "dns") },
			`{"displayName":"dns"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := open(tt.proto, tt.orig)
			tt.change(v)
			f := FrontendForm{Service: feSN, Protocol: tt.proto, ID: 1, Options: feOptions()}
			f.Read(v)
			if !f.Validate() {
				t.Fatalf("invalid: %v", f.Errors)
			}
			b, err := json.Marshal(f.Update())
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("update body = %s, want %s", b, tt.want)
			}
		})
	}
}

func TestFrontendEditNeedsSnapshot(t *testing.T) {
	t.Parallel()
	for _, snap := range []url.Values{{}, {"_snapshot": {"!!not base64"}}} {
		f := FrontendForm{Service: feSN, Protocol: ovh.HTTP, ID: 4, Options: feOptions()}
		v := url.Values{"port": {"80"}, "zone": {"all"}}
		for k, s := range snap {
			v[k] = s
		}
		f.Read(v)
		if f.Validate() || f.Errors[FrontendFieldSnapshot] == "" {
			t.Errorf("snapshot %v: Validate() passed or no snapshot error: %v", snap, f.Errors)
		}
	}
}

// TestFrontendMerge covers concurrent edits: a field only someone else
// changed is kept (not sent), a field only the user changed is sent, the
// same field changed by both to different values is a conflict, to the
// same value is neither.
func TestFrontendMerge(t *testing.T) {
	t.Parallel()
	orig := FrontendValues{DisplayName: "www", Port: "80", Zone: "all", DedicatedIPFO: []string{"203.0.113.10/32"}}
	form := func(change func(v url.Values)) *FrontendForm {
		v := url.Values{"_snapshot": {orig.Encode()}, "displayName": {"www"}, "port": {"80"}, "zone": {"all"},
			"dedicatedIpfo": {"203.0.113.10/32"}}
		change(v)
		f := &FrontendForm{Service: feSN, Protocol: ovh.HTTP, ID: 1, Options: feOptions()}
		f.Read(v)
		if !f.Validate() {
			t.Fatalf("invalid: %v", f.Errors)
		}
		return f
	}
	tests := []struct {
		name      string
		change    func(v url.Values)
		current   FrontendValues
		send      []string
		theirs    []string
		conflicts []string
	}{
		{"no one changed anything", func(url.Values) {}, orig, nil, nil, nil},
		{"different fields", func(v url.Values) { v.Set("port", "8080") },
			FrontendValues{DisplayName: "renamed", Port: "80", Zone: "all", DedicatedIPFO: []string{"203.0.113.10/32"}},
			[]string{"port"}, []string{"displayName"}, nil},
		{"same field, different values", func(v url.Values) { v.Set("displayName", "mine") },
			FrontendValues{DisplayName: "theirs", Port: "80", Zone: "all", DedicatedIPFO: []string{"203.0.113.10/32"}},
			nil, []string{"displayName"}, []string{"displayName"}},
		{"same field, same value", func(v url.Values) { v.Set("displayName", "same") },
			FrontendValues{DisplayName: "same", Port: "80", Zone: "all", DedicatedIPFO: []string{"203.0.113.10/32"}},
			nil, []string{"displayName"}, nil},
		{"IP list both ways", func(v url.Values) { v.Del("dedicatedIpfo") },
			FrontendValues{DisplayName: "www", Port: "80", Zone: "all", DedicatedIPFO: []string{"203.0.113.10/32", "203.0.113.11/32"}},
			nil, []string{"dedicatedIpfo"}, []string{"dedicatedIpfo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := form(tt.change).Merge(tt.current)
			var conflicts []string
			for _, c := range m.Conflicts {
				conflicts = append(conflicts, c.Field)
				if c.Current == c.Yours || c.Label == "" {
					t.Errorf("conflict %+v does not show both values", c)
				}
			}
			if !slices.Equal(m.Send, tt.send) || !slices.Equal(m.Theirs, tt.theirs) || !slices.Equal(conflicts, tt.conflicts) {
				t.Errorf("Merge = send %v theirs %v conflicts %v; want %v %v %v", m.Send, m.Theirs, conflicts, tt.send, tt.theirs, tt.conflicts)
			}
		})
	}
}

// TestFrontendEditUnchangedStale: an edit that keeps a pin or a farm that is
// no longer valid does not fail on it (another field can still be saved).
func TestFrontendEditUnchangedStale(t *testing.T) {
	t.Parallel()
	orig := FrontendValues{Port: "80", Zone: "all", DefaultFarmID: 99, DedicatedIPFO: []string{"192.0.2.1/32"}}
	f := FrontendForm{Service: feSN, Protocol: ovh.UDP, ID: 1, Options: feOptions()}
	f.Read(url.Values{"_snapshot": {orig.Encode()}, "port": {"81"}, "zone": {"all"}, "defaultFarmId": {"99"}, "dedicatedIpfo": {"192.0.2.1/32"}})
	if !f.Validate() {
		t.Fatalf("invalid: %v", f.Errors)
	}
	if got := f.Changes(); !slices.Equal(got, []string{"port"}) {
		t.Errorf("Changes = %v, want [port]", got)
	}
}

func TestFrontendValuesRoundTrip(t *testing.T) {
	t.Parallel()
	v := FrontendValuesOf(ovh.Frontend{Protocol: ovh.HTTP, ID: 3, Port: "80,443", Zone: "all", DisplayName: ptrTo("www"),
		DefaultFarmID: ptrTo[int64](11), DedicatedIPFO: []string{"203.0.113.10"}, SSL: ptrTo(true), HSTS: ptrTo(false),
		HTTPHeader: []string{"X-A %ci"}, RedirectLocation: ptrTo("")})
	want := FrontendValues{DisplayName: "www", Port: "80,443", Zone: "all", DefaultFarmID: 11, SSL: true,
		DedicatedIPFO: []string{"203.0.113.10/32"}, HTTPHeader: []string{"X-A %ci"}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("FrontendValuesOf (-want +got):\n%s", diff)
	}
	back, err := DecodeFrontendValues(v.Encode())
	if err != nil || !cmp.Equal(back, v) {
		t.Errorf("Decode(Encode) = %+v, %v", back, err)
	}
	// UDP values never carry HTTP/TCP fields, whatever the object holds.
	u := FrontendValuesOf(ovh.Frontend{Protocol: ovh.UDP, Port: "53", Zone: "rbx", SSL: ptrTo(true)})
	if u.SSL {
		t.Error("UDP values carry ssl")
	}
}

// --- Rendering. ---

func TestFrontendListView(t *testing.T) {
	t.Parallel()
	m := FrontendListModel{Service: feSN, Protocol: ovh.HTTP, Rows: []FrontendRow{
		{Frontend: ovh.Frontend{Protocol: ovh.HTTP, ID: 1, DisplayName: ptrTo("www"), Port: "80,443", Zone: "all",
			DefaultFarmID: ptrTo[int64](11), DedicatedIPFO: []string{"203.0.113.10/32", "203.0.113.11/32"}, SSL: ptrTo(true)},
			FarmName: "web", Valid: true},
		{Frontend: ovh.Frontend{Protocol: ovh.HTTP, ID: 2, Port: "8080", Zone: "gra", Disabled: true},
			Valid: false, Reason: "has no default farm, redirection or route with rules"},
	}}
	doc, _ := render(t, context.Background(), FrontendList(m))

	tabs := doc.Find(testID("protocol-tab"))
	if tabs.Length() != 3 {
		t.Fatalf("protocol tabs = %d, want 3", tabs.Length())
	}
	if cur := doc.Find(testID("protocol-tab") + `[aria-current="page"]`); cur.AttrOr("data-protocol", "") != "http" ||
		cur.AttrOr("href", "") != "/iplb/"+feSN+"/frontends/http" {
		t.Errorf("current tab = %q %q", cur.AttrOr("data-protocol", ""), cur.AttrOr("href", ""))
	}
	if href := doc.Find(testID("new-frontend")).AttrOr("href", ""); href != "/iplb/"+feSN+"/frontends/http/new" {
		t.Errorf("new frontend link = %q", href)
	}
	if doc.Find("table thead th").Length() != 9 {
		t.Errorf("header cells = %d, want 9 (with SSL)", doc.Find("table thead th").Length())
	}
	rows := doc.Find(testID("frontend-row"))
	if rows.Length() != 2 {
		t.Fatalf("rows = %d, want 2", rows.Length())
	}
	www := rows.Eq(0)
	cell := func(s *goquery.Selection, id string) string {
		return strings.Join(strings.Fields(s.Find(testID(id)).Text()), " ")
	}
	for id, want := range map[string]string{
		"frontend-name": "www", "frontend-port": "80,443", "frontend-zone": "all zones", "frontend-farm": "web",
		"frontend-state": "Enabled", "frontend-ssl": "On",
	} {
		if got := cell(www, id); got != want {
			t.Errorf("www %s = %q, want %q", id, got, want)
		}
	}
	var ips []string
	www.Find(testID("frontend-ip")).Each(func(_ int, s *goquery.Selection) { ips = append(ips, s.Text()) })
	if !slices.Equal(ips, []string{"203.0.113.10/32", "203.0.113.11/32"}) {
		t.Errorf("www pinned IPs = %v", ips)
	}
	if v := www.Find(testID("frontend-validity")); v.AttrOr("data-valid", "") != "true" || v.Find(testID("frontend-reason")).Length() != 0 {
		t.Errorf("www validity = %q", v.Text())
	}
	if href := www.Find(testID("frontend-delete")).AttrOr("href", ""); href != "/iplb/"+feSN+"/frontends/http/1/delete" {
		t.Errorf("delete link = %q", href)
	}

	bad := rows.Eq(1)
	if got := cell(bad, "frontend-name"); got != "#2" {
		t.Errorf("unnamed frontend = %q, want #2", got)
	}
	if bad.Find(testID("frontend-ips-all")).Length() != 1 || bad.Find(testID("frontend-ip")).Length() != 0 {
		t.Error("unpinned frontend should say it listens on every failover IP")
	}
	if got := cell(bad, "frontend-state"); got != "Disabled" {
		t.Errorf("state = %q", got)
	}
	v := bad.Find(testID("frontend-validity"))
	if v.AttrOr("data-valid", "") != "false" || !strings.Contains(v.Find(testID("frontend-reason")).Text(), "has no default farm") {
		t.Errorf("invalid frontend: valid=%q reason=%q", v.AttrOr("data-valid", ""), v.Find(testID("frontend-reason")).Text())
	}
}

func TestFrontendListEmptyAndUDP(t *testing.T) {
	t.Parallel()
	doc, _ := render(t, context.Background(), FrontendList(FrontendListModel{Service: feSN, Protocol: ovh.UDP}))
	empty := doc.Find(testID("frontend-empty"))
	if empty.Length() != 1 || doc.Find("table").Length() != 0 {
		t.Fatal("no empty state for a protocol without frontends")
	}
	if href := empty.Find(testID("frontend-empty-new")).AttrOr("href", ""); href != "/iplb/"+feSN+"/frontends/udp/new" {
		t.Errorf("empty state link = %q", href)
	}

	doc, _ = render(t, context.Background(), FrontendList(FrontendListModel{Service: feSN, Protocol: ovh.UDP,
		Rows: []FrontendRow{{Frontend: ovh.Frontend{Protocol: ovh.UDP, ID: 5, Port: "53", Zone: "rbx"}, Valid: true}}}))
	if doc.Find(testID("frontend-ssl")).Length() != 0 || doc.Find("table thead th").Length() != 8 {
		t.Error("UDP rows must not have an SSL column")
	}
}

func TestFrontendFormFieldsPerProtocol(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto   ovh.Protocol
		present []string
		absent  []string
	}{
		{ovh.HTTP, []string{"displayName", "port", "zone", "defaultFarmId", "disabled", "ssl", "defaultSslId",
			"allowedSource", "deniedSource", "hsts", "httpHeader", "redirectLocation", "dedicatedIpfo"}, nil},
		{ovh.TCP, []string{"displayName", "port", "zone", "defaultFarmId", "disabled", "ssl", "defaultSslId",
			"allowedSource", "deniedSource", "dedicatedIpfo"}, []string{"hsts", "httpHeader", "redirectLocation"}},
		{ovh.UDP, []string{"displayName", "port", "zone", "defaultFarmId", "disabled", "dedicatedIpfo"},
			[]string{"ssl", "defaultSslId", "allowedSource", "deniedSource", "hsts", "httpHeader", "redirectLocation"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.proto), func(t *testing.T) {
			t.Parallel()
			f := FrontendForm{Service: feSN, Protocol: tt.proto, Options: feOptions(), Zone: "all"}
			doc, _ := render(t, context.Background(), FrontendEdit(f))
			form := doc.Find(testID("frontend-form"))
			if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/iplb/"+feSN+"/frontends/"+string(tt.proto) {
				t.Errorf("form method/action = %q %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
			}
			for _, name := range tt.present {
				el := form.Find(`[name="` + name + `"]`)
				if el.Length() == 0 {
					t.Errorf("field %s missing", name)
					continue
				}
				id := el.First().AttrOr("id", "")
				if id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0 {
					t.Errorf("field %s has no label", name)
				}
			}
			for _, name := range tt.absent {
				if form.Find(`[name="`+name+`"]`).Length() != 0 {
					t.Errorf("field %s rendered for %s", name, tt.proto)
				}
			}
			if got := doc.Find(testID("frontend-submit")).Text(); got != "Add" {
				t.Errorf("submit = %q, want Add", got)
			}
			if form.Find(`[name="_snapshot"]`).Length() != 0 {
				t.Error("a creation form has a snapshot")
			}
		})
	}
}

func TestFrontendFormAdvancedAndIPs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		form     FrontendForm
		wantOpen bool
	}{
		{"new, nothing advanced", FrontendForm{Protocol: ovh.HTTP}, false},
		{"new with ?ipfo", FrontendForm{Protocol: ovh.HTTP, DedicatedIPFO: []string{"203.0.113.11"}}, true},
		{"edit with pinned IPs", FrontendForm{Protocol: ovh.TCP, ID: 1, DedicatedIPFO: []string{"203.0.113.10/32"}}, true},
		{"edit without pins", FrontendForm{Protocol: ovh.UDP, ID: 1}, false},
		{"error inside", FrontendForm{Protocol: ovh.HTTP, Errors: map[string]string{"deniedSource": "bad"}}, true},
		{"error outside", FrontendForm{Protocol: ovh.HTTP, Errors: map[string]string{"port": "bad"}}, false},
		{"sources set", FrontendForm{Protocol: ovh.TCP, AllowedSource: "198.51.100.0/24"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tt.form
			f.Service, f.Options = feSN, feOptions()
			if f.ID != 0 {
				f.Original = &FrontendValues{Port: "80", Zone: "all"}
			}
			doc, _ := render(t, context.Background(), FrontendEdit(f))
			adv := doc.Find("details" + testID("frontend-advanced"))
			if adv.Length() != 1 || adv.Find("summary").Text() != "Advanced settings" {
				t.Fatal("no advanced settings <details>")
			}
			if _, open := adv.Attr("open"); open != tt.wantOpen {
				t.Errorf("advanced open = %v, want %v", open, tt.wantOpen)
			}
			if adv.Find(testID("frontend-ips-field")).Length() != 1 {
				t.Error("the IP multiselect is not inside the advanced settings")
			}
		})
	}

	// The options: checkboxes with labels, ticked per the form, each
	// saying who else uses it.
	f := FrontendForm{Service: feSN, Protocol: ovh.HTTP, ID: 1, Options: feOptions(), DedicatedIPFO: []string{"203.0.113.10/32"},
		Original: &FrontendValues{}}
	doc, _ := render(t, context.Background(), FrontendEdit(f))
	opts := doc.Find(testID("ip-option"))
	if opts.Length() != 2 {
		t.Fatalf("IP options = %d, want 2", opts.Length())
	}
	first, second := opts.Eq(0), opts.Eq(1)
	box := first.Find(`input[type="checkbox"][name="dedicatedIpfo"]`)
	if box.AttrOr("value", "") != "203.0.113.10/32" || box.AttrOr("id", "") != first.AttrOr("for", "") {
		t.Errorf("first option box = %q, id %q, label for %q", box.AttrOr("value", ""), box.AttrOr("id", ""), first.AttrOr("for", ""))
	}
	if _, on := box.Attr("checked"); !on {
		t.Error("the pinned IP is not ticked")
	}
	if _, on := second.Find("input").Attr("checked"); on {
		t.Error("the unpinned IP is ticked")
	}
	if got := strings.Join(strings.Fields(first.Find(testID("ip-used-by")).Text()), " "); got != "also pinned to db (TCP)" {
		t.Errorf("first IP used by = %q", got)
	}
	if got := strings.Join(strings.Fields(second.Find(testID("ip-used-by")).Text()), " "); got != "not pinned to another frontend" {
		t.Errorf("second IP used by = %q", got)
	}
	if doc.Find(`input[name="_snapshot"]`).AttrOr("value", "") == "" {
		t.Error("an edit form has no snapshot")
	}
	if got := doc.Find(testID("frontend-submit")).Text(); got != "Modify" {
		t.Errorf("submit = %q, want Modify", got)
	}

	// A new form switches protocol keeping the ticked IP; an edit form
	// has no switch.
	if doc.Find(testID("protocol-tab")).Length() != 0 {
		t.Error("an edit form has a protocol switch")
	}
	nf := FrontendForm{Service: feSN, Protocol: ovh.HTTP, Options: feOptions(), DedicatedIPFO: []string{"203.0.113.11"}}
	ndoc, _ := render(t, context.Background(), FrontendEdit(nf))
	if href := ndoc.Find(testID("protocol-tab")+`[data-protocol="udp"]`).AttrOr("href", ""); href != "/iplb/"+feSN+"/frontends/udp/new?ipfo=203.0.113.11%2F32" {
		t.Errorf("UDP switch of a new form = %q", href)
	}

	// No failover IP: say so and link to the failover page.
	f.Options.IPs = nil
	doc, _ = render(t, context.Background(), FrontendEdit(f))
	if doc.Find(testID("frontend-no-ips")+" a").AttrOr("href", "") != "/iplb/"+feSN+"/failover" {
		t.Error("no link to attach a failover IP when there is none")
	}
}

// TestFrontendFormErrorsRendered: a 422 re-render marks each bad field with
// aria-invalid and points aria-describedby at its message, keeps what was
// typed, lists fields the protocol lacks, and shows the API's refusal with
// its query ID.
func TestFrontendFormErrorsRendered(t *testing.T) {
	t.Parallel()
	f := FrontendForm{Service: feSN, Protocol: ovh.UDP, Options: feOptions()}
	f.Read(url.Values{"port": {"99999"}, "zone": {"bhs"}, "displayName": {"my dns"}, "ssl": {"on"}, "dedicatedIpfo": {"192.0.2.1"}})
	if f.Validate() {
		t.Fatal("valid")
	}
	f.Error, f.QueryID = "Invalid value for port", "EU.ext-1.abc"
	doc, _ := render(t, context.Background(), FrontendEdit(f))

	for _, name := range []string{"port", "zone"} {
		el := doc.Find(`[name="` + name + `"]`)
		if el.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s: aria-invalid = %q", name, el.AttrOr("aria-invalid", ""))
		}
		msgID := "fe-" + name + "-error"
		if !slices.Contains(strings.Fields(el.AttrOr("aria-describedby", "")), msgID) {
			t.Errorf("%s: aria-describedby = %q, want it to name %s", name, el.AttrOr("aria-describedby", ""), msgID)
		}
		if doc.Find("#"+msgID).Text() == "" || doc.Find(testID("error-"+name)).Length() != 1 {
			t.Errorf("%s: no error message", name)
		}
	}
	if doc.Find(`[name="displayName"]`).AttrOr("aria-invalid", "") != "" {
		t.Error("a valid field is marked invalid")
	}
	if got := doc.Find(`[name="port"]`).AttrOr("value", ""); got != "99999" {
		t.Errorf("typed port not kept: %q", got)
	}
	if got := doc.Find(`[name="displayName"]`).AttrOr("value", ""); got != "my dns" {
		t.Errorf("typed name not kept: %q", got)
	}
	if got := doc.Find(`select[name="zone"] option[selected]`).AttrOr("value", ""); got != "bhs" {
		t.Errorf("typed zone not kept: %q", got)
	}
	ips := doc.Find(testID("frontend-ips-field"))
	if ips.AttrOr("aria-invalid", "") != "true" || doc.Find(testID("error-dedicatedIpfo")).Length() != 1 {
		t.Error("the IP group is not marked invalid")
	}
	if _, open := doc.Find(testID("frontend-advanced")).Attr("open"); !open {
		t.Error("advanced settings closed while they hold an error")
	}
	var summary []string
	doc.Find(testID("error-summary-item")).Each(func(_ int, s *goquery.Selection) {
		summary = append(summary, s.AttrOr("data-field", "")+" "+s.Find("a").AttrOr("href", ""))
	})
	if want := []string{"port #fe-port", "zone #fe-zone", "dedicatedIpfo #fe-dedicatedIpfo"}; !slices.Equal(summary, want) {
		t.Errorf("error summary = %v, want %v", summary, want)
	}
	for _, id := range []string{"fe-port", "fe-zone", "fe-dedicatedIpfo"} {
		if doc.Find("#"+id).Length() != 1 {
			t.Errorf("the summary links to #%s, which is not on the page", id)
		}
	}
	if rej := doc.Find(testID("rejected-field")); rej.Length() != 1 || rej.AttrOr("data-field", "") != "ssl" {
		t.Errorf("rejected fields = %d %q", rej.Length(), rej.AttrOr("data-field", ""))
	}
	if doc.Find(`[name="ssl"]`).Length() != 0 {
		t.Error("UDP form renders ssl")
	}
	if got := doc.Find(testID("form-error") + " " + testID("alert-message")).Text(); got != "Invalid value for port" {
		t.Errorf("form error = %q", got)
	}
	if got := doc.Find(testID("form-query-id") + " code").Text(); got != "EU.ext-1.abc" {
		t.Errorf("query id = %q", got)
	}
}

func TestFrontendFarmSelect(t *testing.T) {
	t.Parallel()
	farms := func(zone, chosen string) []string {
		f := FrontendForm{Service: feSN, Protocol: ovh.HTTP, Options: feOptions(), Zone: zone, DefaultFarm: chosen}
		doc, _ := render(t, context.Background(), FrontendEdit(f))
		var out []string
		doc.Find(testID("farm-option")).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("value", "")) })
		return out
	}
	if got := farms("all", ""); !slices.Equal(got, []string{"11", "12"}) {
		t.Errorf("zone all: farms %v", got)
	}
	if got := farms("rbx", ""); !slices.Equal(got, []string{"11"}) {
		t.Errorf("zone rbx: farms %v, want only the all-zones farm", got)
	}
	if got := farms("rbx", "12"); !slices.Equal(got, []string{"11", "12"}) {
		t.Errorf("zone rbx with gra farm chosen: farms %v, want it kept", got)
	}
	f := FrontendForm{Service: feSN, Protocol: ovh.HTTP, ID: 3, Options: feOptions(), Original: &FrontendValues{}}
	doc, _ := render(t, context.Background(), FrontendEdit(f))
	zone := doc.Find(`select[name="zone"]`)
	if zone.AttrOr("hx-get", "") != "/iplb/"+feSN+"/frontends/http/3/edit" || zone.AttrOr("hx-select", "") != "#fe-farm-field" {
		t.Errorf("zone select htmx refresh = %q %q", zone.AttrOr("hx-get", ""), zone.AttrOr("hx-select", ""))
	}
}

func TestFrontendConflictsRendered(t *testing.T) {
	t.Parallel()
	f := FrontendForm{Service: feSN, Protocol: ovh.HTTP, ID: 3, Options: feOptions(), Original: &FrontendValues{},
		Conflicts: []FrontendConflict{{Field: "displayName", Label: "Name", Current: "theirs", Yours: "mine"}}}
	doc, _ := render(t, context.Background(), FrontendEdit(f))
	c := doc.Find(testID("conflict"))
	if c.Length() != 1 || c.AttrOr("data-field", "") != "displayName" ||
		c.Find(testID("conflict-current")).Text() != "theirs" || c.Find(testID("conflict-yours")).Text() != "mine" {
		t.Errorf("conflict row = %q", c.Text())
	}
}

func TestFrontendDeleteView(t *testing.T) {
	t.Parallel()
	m := FrontendDeleteModel{Service: feSN,
		Frontend: ovh.Frontend{Protocol: ovh.HTTP, ID: 7, DisplayName: ptrTo("www"), Port: "80", Zone: "all",
			DedicatedIPFO: []string{"203.0.113.10/32"}},
		Routes: []ovh.Route{{ID: 9, DisplayName: ptrTo("to api"), Action: ovh.RouteAction{Type: ovh.RouteFarm}}}}
	doc, _ := render(t, context.Background(), FrontendDelete(m))
	if !strings.Contains(doc.Find("h2").Text(), "www") {
		t.Errorf("title = %q", doc.Find("h2").Text())
	}
	if doc.Find(testID("delete-ip")).Text() != "203.0.113.10/32" {
		t.Error("pinned IP not named")
	}
	if got := doc.Find(testID("delete-route")).Text(); got != "to api (farm)" {
		t.Errorf("route = %q", got)
	}
	form := doc.Find(testID("frontend-delete-form"))
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/iplb/"+feSN+"/frontends/http/7/delete" {
		t.Errorf("delete form = %q %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	if form.Find("button[type=submit]").Length() != 1 || doc.Find(testID("frontend-delete-cancel")).AttrOr("href", "") != "/iplb/"+feSN+"/frontends/http" {
		t.Error("no confirm button or cancel link")
	}
}

func TestFrontendSetAPIError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto ovh.Protocol
		msg   string
		field string
	}{
		{ovh.HTTP, "Invalid value for dedicatedIpfo: 203.0.113.99/32 is not a failover IP routed to this Load Balancer", "dedicatedIpfo"},
		{ovh.TCP, "Invalid value for port: \"1-1\" holds a range that is not increasing", "port"},
		{ovh.UDP, "Invalid value for hsts: not a field", ""}, // not a UDP field
		{ovh.HTTP, "Frontend quota reached", ""},
	}
	for _, tt := range tests {
		f := FrontendForm{Protocol: tt.proto}
		f.SetAPIError(tt.msg, "EU.q")
		if f.Error != tt.msg || f.QueryID != "EU.q" {
			t.Errorf("%q: Error %q QueryID %q", tt.msg, f.Error, f.QueryID)
		}
		var fields []string
		for k := range f.Errors {
			fields = append(fields, k)
		}
		if want := []string{tt.field}; (tt.field == "" && len(fields) != 0) || (tt.field != "" && !slices.Equal(fields, want)) {
			t.Errorf("%q: marked %v, want %q", tt.msg, fields, tt.field)
		}
	}
}
