package handlers

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
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// App tests of the farm, server and vRack pages: the real console, go-ovh
// and the emulator, through a signed-in browser.

// Emulator patterns of the farm and server routes, for emu.Calls.
func farmPat(p ovh.Protocol, rest string) string {
	return "/ipLoadbalancing/{serviceName}/" + string(p) + "/farm" + rest
}

// farmRecorder is the user's real client, recording the partial updates
// the console sends (as JSON, what goes on the wire).
type farmRecorder struct {
	*ovh.Client
	mu   sync.Mutex
	puts []string
}

func (r *farmRecorder) record(v any) {
	b, _ := json.Marshal(v)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.puts = append(r.puts, string(b))
}

func (r *farmRecorder) UpdateFarm(ctx context.Context, sn string, p ovh.Protocol, id int64, u ovh.FarmUpdate) error {
	r.record(u)
	return r.Client.UpdateFarm(ctx, sn, p, id, u)
}

func (r *farmRecorder) UpdateServer(ctx context.Context, sn string, p ovh.Protocol, farmID, id int64, u ovh.ServerUpdate) error {
	r.record(u)
	return r.Client.UpdateServer(ctx, sn, p, farmID, id, u)
}

// last returns the last recorded body and forgets them all.
func (r *farmRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.puts) == 0 {
		return ""
	}
	s := r.puts[len(r.puts)-1]
	r.puts = nil
	return s
}

// newFarmApp starts a console whose sessions' clients record their
// updates, and signs a browser in as DemoAccount.
func newFarmApp(t *testing.T) (*testApp, *browser, *farmRecorder, *ovh.Client) {
	t.Helper()
	rec := &farmRecorder{}
	app := newTestApp(t, withDeps(func(d *Deps) {
		api := d.API
		d.UserClient = func(ck string) OVH {
			rec.Client = api.WithConsumerKey(ck)
			return rec
		}
	}))
	b := app.loginAs(t, ovhemu.DemoAccount)
	return app, b, rec, app.userClient(t, ovhemu.DemoAccount)
}

// farmFormValues returns what a browser would submit for the form sel:
// text and hidden inputs, ticked checkboxes, selected options, text areas.
func farmFormValues(sel *goquery.Selection) url.Values {
	v := url.Values{}
	sel.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		switch in.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, on := in.Attr("checked"); on {
				v.Add(name, in.AttrOr("value", "on"))
			}
		case "submit", "button":
		default:
			v.Add(name, in.AttrOr("value", ""))
		}
	})
	sel.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]").First()
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v.Add(s.AttrOr("name", ""), opt.AttrOr("value", opt.Text()))
	})
	sel.Find("textarea[name]").Each(func(_ int, ta *goquery.Selection) {
		v.Add(ta.AttrOr("name", ""), ta.Text())
	})
	return v
}

// farmCert returns a self-signed certificate in PEM, for a server's chain.
func farmCert(t *testing.T, cn string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
}

// demoNetworkID is the id of DemoLB's seeded vRack network.
func demoNetworkID(t *testing.T, api *ovh.Client) int64 {
	t.Helper()
	nets, err := api.VRackNetworks(context.Background(), ovhemu.DemoLB)
	if err != nil || len(nets) != 1 {
		t.Fatalf("DemoLB networks = %v, %v", nets, err)
	}
	return nets[0].ID
}

// farmByName returns the farm of p named name on sn.
func farmByName(t *testing.T, api *ovh.Client, sn string, p ovh.Protocol, name string) ovh.Farm {
	t.Helper()
	farms, err := api.Farms(context.Background(), sn, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range farms {
		if f.Name() == name {
			return f
		}
	}
	t.Fatalf("no %s farm %q on %s", p, name, sn)
	return ovh.Farm{}
}

// idFromPath returns the number after marker in path ("/farms/http/42" →
// 42 for marker "/farms/http/").
func idFromPath(t *testing.T, path, marker string) int64 {
	t.Helper()
	_, rest, ok := strings.Cut(path, marker)
	if !ok {
		t.Fatalf("%q has no %q", path, marker)
	}
	rest, _, _ = strings.Cut(rest, "/")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", path, err)
	}
	return id
}

// farmEdit opens the farm's edit page, changes the fields in kv (a value
// "\x00" unticks or removes), posts it, and returns the status.
func farmEdit(t *testing.T, b *browser, sn string, p ovh.Protocol, id int64, kv ...string) (int, *goquery.Document) {
	t.Helper()
	doc := b.mustGet(t, views.EditFarmPath(sn, p, id))
	form := farmFormValues(doc.Find(testID("farm-form")))
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			form.Del(kv[i])
		} else {
			form.Set(kv[i], kv[i+1])
		}
	}
	return b.post(t, views.UpdateFarmPath(sn, p, id), form)
}

// Farm CRUD per protocol through the pages: create with every field, read
// back through the API, edit each field alone (the PUT carries that field
// only), read back, delete.
func TestAppFarmRoundTrip(t *testing.T) {
	t.Parallel()
	for _, proto := range ovh.Protocols {
		t.Run(string(proto), func(t *testing.T) {
			t.Parallel()
			app, b, rec, api := newFarmApp(t)
			ctx := context.Background()
			sn := ovhemu.DemoLB
			netID := demoNetworkID(t, api)
			net := strconv.FormatInt(netID, 10)

			doc := b.mustGet(t, views.NewFarmPath(sn, proto))
			form := farmFormValues(doc.Find(testID("farm-form")))
			if form.Get("vrackNetworkId") != net {
				t.Errorf("the new farm form does not preselect the only vRack network: %q", form.Get("vrackNetworkId"))
			}
			form.Set("displayName", "rt-"+string(proto))
			form.Set("port", "9000")
			form.Set("zone", "gra")
			want := views.FarmValues{DisplayName: "rt-" + string(proto), Port: 9000, Zone: "gra", VRackNetworkID: netID}
			if proto != ovh.UDP {
				form.Set("balance", "source")
				form.Set("stickiness", "sourceIp")
				want.Balance, want.Stickiness = "source", "sourceIp"
				probe := views.FarmProbeValues{Type: "tcp", Port: 9001, Interval: 40, Match: "contains", Pattern: "ok", Negate: true, ForceSSL: true}
				if proto == ovh.HTTP {
					form.Set("balance", "uri")
					form.Set("stickiness", "cookie")
					want.Balance, want.Stickiness = "uri", "cookie"
					probe = views.FarmProbeValues{Type: "http", Port: 9001, Interval: 40, Method: "HEAD", URL: "[www.example.com]/healthz",
						Match: "status", Pattern: "200,204", Negate: true, ForceSSL: true}
					form.Set("probe.method", probe.Method)
					form.Set("probe.url", probe.URL)
				}
				form.Set("probe.type", probe.Type)
				form.Set("probe.port", "9001")
				form.Set("probe.interval", "40")
				form.Set("probe.match", probe.Match)
				form.Set("probe.pattern", probe.Pattern)
				form.Set("probe.negate", "on")
				form.Set("probe.forceSsl", "on")
				want.Probe = probe
			}
			status, doc := b.post(t, views.FarmsPath(sn, proto), form)
			if status != http.StatusSeeOther {
				t.Fatalf("create = %d: %s", status, text(doc.Find("main")))
			}
			id := idFromPath(t, b.header("Location"), "/farms/"+string(proto)+"/")
			got, err := api.Farm(ctx, sn, proto, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, views.FarmValuesOf(got)); diff != "" {
				t.Fatalf("created farm (-want +read back):\n%s", diff)
			}
			_, doc = b.follow(t)
			if doc.Find(testID("farm-page")).AttrOr("data-id", "") != strconv.FormatInt(id, 10) ||
				!strings.Contains(alertTexts(doc), "added") || !strings.Contains(alertTexts(doc), "not applied") {
				t.Errorf("after create: alerts %q", alertTexts(doc))
			}
			if doc.Find("#pending-banner").AttrOr("data-pending", "") != "true" {
				t.Error("the banner does not show the pending change")
			}

			// Each field alone.
			type edit struct {
				kv   []string
				body string
				set  func(v *views.FarmValues)
			}
			edits := []edit{
				{[]string{"displayName", "renamed"}, `{"displayName":"renamed"}`, func(v *views.FarmValues) { v.DisplayName = "renamed" }},
				{[]string{"port", "9100"}, `{"port":9100}`, func(v *views.FarmValues) { v.Port = 9100 }},
				{[]string{"vrackNetworkId", ""}, `{"vrackNetworkId":null}`, func(v *views.FarmValues) { v.VRackNetworkID = 0 }},
				{[]string{"vrackNetworkId", net}, `{"vrackNetworkId":` + net + `}`, func(v *views.FarmValues) { v.VRackNetworkID = netID }},
				{[]string{"displayName", ""}, `{"displayName":null}`, func(v *views.FarmValues) { v.DisplayName = "" }},
			}
			if proto != ovh.UDP {
				edits = append(edits,
					edit{[]string{"balance", "leastconn"}, `{"balance":"leastconn"}`, func(v *views.FarmValues) { v.Balance = "leastconn" }},
					edit{[]string{"balance", ""}, `{"balance":null}`, func(v *views.FarmValues) { v.Balance = "" }},
					edit{[]string{"stickiness", ""}, `{"stickiness":null}`, func(v *views.FarmValues) { v.Stickiness = "" }},
					edit{[]string{"probe.interval", "60"}, "", func(v *views.FarmValues) { v.Probe.Interval = 60 }},
					edit{[]string{"probe.port", ""}, "", func(v *views.FarmValues) { v.Probe.Port = 0 }},
					edit{[]string{"probe.negate", "\x00"}, "", func(v *views.FarmValues) { v.Probe.Negate = false }},
					edit{[]string{"probe.forceSsl", "\x00"}, "", func(v *views.FarmValues) { v.Probe.ForceSSL = false }},
					edit{[]string{"probe.match", "matches", "probe.pattern", "^ok$"}, "", func(v *views.FarmValues) { v.Probe.Match, v.Probe.Pattern = "matches", "^ok$" }},
					edit{[]string{"probe.type", "", "probe.port", "", "probe.interval", "", "probe.method", "", "probe.url", "", "probe.match", "", "probe.pattern", ""},
						`{"probe":null}`, func(v *views.FarmValues) { v.Probe = views.FarmProbeValues{} }},
				)
				if proto == ovh.HTTP {
					edits = append(edits, edit{[]string{"probe.type", "http", "probe.method", "GET", "probe.url", "/up"}, "",
						func(v *views.FarmValues) { v.Probe = views.FarmProbeValues{Type: "http", Method: "GET", URL: "/up"} }})
				}
			}
			for _, e := range edits {
				status, doc := farmEdit(t, b, sn, proto, id, e.kv...)
				if status != http.StatusSeeOther {
					t.Fatalf("edit %v = %d: %s", e.kv, status, text(doc.Find("main")))
				}
				e.set(&want)
				body := rec.last()
				if e.body == "" { // a probe change: the whole probe, nothing else
					pb, _ := json.Marshal(map[string]any{"probe": views.FarmUpdateOf(want, []string{"probe"}).Probe})
					e.body = string(pb)
				}
				if body != e.body {
					t.Errorf("edit %v sent %s, want %s", e.kv, body, e.body)
				}
				got, err := api.Farm(ctx, sn, proto, id)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, views.FarmValuesOf(got)); diff != "" {
					t.Errorf("after edit %v (-want +read back):\n%s", e.kv, diff)
				}
			}
			// Saving the form unchanged writes nothing.
			app.emu.ResetCalls()
			if status, _ := farmEdit(t, b, sn, proto, id); status != http.StatusSeeOther || app.emu.Calls("PUT", farmPat(proto, "/{farmId}")) != 0 {
				t.Errorf("an unchanged save = %d with %d PUTs", status, app.emu.Calls("PUT", farmPat(proto, "/{farmId}")))
			}

			// Delete: confirmation, then the farm is gone.
			doc = b.mustGet(t, views.DeleteFarmPath(sn, proto, id))
			if doc.Find(testID("farm-delete-form")).Length() != 1 || doc.Find(testID("farm-unused")).Length() != 1 {
				t.Errorf("confirmation %q", text(doc.Find(testID("farm-delete-page"))))
			}
			status, _ = b.post(t, views.DeleteFarmPath(sn, proto, id), nil)
			if status != http.StatusSeeOther || b.header("Location") != views.FarmsPath(sn, proto) {
				t.Fatalf("delete = %d to %q", status, b.header("Location"))
			}
			if _, err := api.Farm(ctx, sn, proto, id); ovh.KindOf(err) != ovh.KindNotFound {
				t.Errorf("the farm is still there: %v", err)
			}
		})
	}
}

// serverEdit opens the server's edit page, changes kv, posts it.
func serverEdit(t *testing.T, b *browser, sn string, p ovh.Protocol, farmID, sid int64, kv ...string) (int, *goquery.Document) {
	t.Helper()
	doc := b.mustGet(t, views.EditServerPath(sn, p, farmID, sid))
	form := farmFormValues(doc.Find(testID("server-form")))
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			form.Del(kv[i])
		} else {
			form.Set(kv[i], kv[i+1])
		}
	}
	return b.post(t, views.ServerPath(sn, p, farmID, sid), form)
}

// Server CRUD per protocol: add with every field of the protocol, read back,
// edit each field alone, enable/disable in place and without JavaScript,
// delete.
func TestAppServerRoundTrip(t *testing.T) {
	t.Parallel()
	farms := map[ovh.Protocol]string{ovh.HTTP: "api", ovh.TCP: "postgres", ovh.UDP: "dns"}
	for _, proto := range ovh.Protocols {
		t.Run(string(proto), func(t *testing.T) {
			t.Parallel()
			app, b, rec, api := newFarmApp(t)
			ctx := context.Background()
			sn := ovhemu.DemoLB
			farm := farmByName(t, api, sn, proto, farms[proto])
			chain := farmCert(t, "backend.example")

			doc := b.mustGet(t, views.NewServerPath(sn, proto, farm.ID))
			form := farmFormValues(doc.Find(testID("server-form")))
			if form.Get("status") != "on" {
				t.Error("a new server does not start enabled")
			}
			form.Set("displayName", "rt-server")
			form.Set("address", "10.0.9.9")
			form.Set("port", "7000")
			want := views.ServerValues{DisplayName: "rt-server", Address: "10.0.9.9", Port: 7000, Active: true}
			if proto != ovh.UDP {
				for k, v := range map[string]string{"weight": "0", "backup": "on", "probe": "on", "ssl": "on", "chain": chain,
					"proxyProtocolVersion": "v2-ssl", "onMarkedDown": "shutdown-sessions"} {
					form.Set(k, v)
				}
				want.Weight, want.Backup, want.Probe, want.SSL, want.Chain = "0", true, true, true, chain
				want.ProxyProtocol, want.OnMarkedDown = "v2-ssl", "shutdown-sessions"
			}
			if proto == ovh.HTTP {
				form.Set("cookie", "rt1")
				want.Cookie = "rt1"
			}
			status, doc := b.post(t, views.ServersPath(sn, proto, farm.ID), form)
			if status != http.StatusSeeOther || b.header("Location") != views.FarmPath(sn, proto, farm.ID) {
				t.Fatalf("add = %d to %q: %s", status, b.header("Location"), text(doc.Find("main")))
			}
			servers, err := api.Servers(ctx, sn, proto, farm.ID)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(servers, func(s ovh.Server) bool { return s.Address == "10.0.9.9" })
			if i < 0 {
				t.Fatalf("the server was not added: %+v", servers)
			}
			sid := servers[i].ID
			if diff := cmp.Diff(want, views.ServerValuesOf(servers[i])); diff != "" {
				t.Fatalf("added server (-want +read back):\n%s", diff)
			}
			_, doc = b.follow(t)
			row := doc.Find(testID("server-row") + `[data-id="` + strconv.FormatInt(sid, 10) + `"]`)
			if row.Length() != 1 || !strings.Contains(alertTexts(doc), "not applied") {
				t.Errorf("farm page after add: %q", alertTexts(doc))
			}

			type edit struct {
				kv   []string
				body string
				set  func(v *views.ServerValues)
			}
			edits := []edit{
				{[]string{"displayName", "renamed"}, `{"displayName":"renamed"}`, func(v *views.ServerValues) { v.DisplayName = "renamed" }},
				{[]string{"port", ""}, `{"port":null}`, func(v *views.ServerValues) { v.Port = 0 }},
				{[]string{"status", "\x00"}, `{"status":"inactive"}`, func(v *views.ServerValues) { v.Active = false }},
				{[]string{"status", "on"}, `{"status":"active"}`, func(v *views.ServerValues) { v.Active = true }},
			}
			if proto != ovh.UDP {
				edits = append(edits,
					edit{[]string{"weight", "7"}, `{"weight":7}`, func(v *views.ServerValues) { v.Weight = "7" }},
					edit{[]string{"weight", ""}, `{"weight":null}`, func(v *views.ServerValues) { v.Weight = "" }},
					edit{[]string{"backup", "\x00"}, `{"backup":false}`, func(v *views.ServerValues) { v.Backup = false }},
					edit{[]string{"probe", "\x00"}, `{"probe":false}`, func(v *views.ServerValues) { v.Probe = false }},
					edit{[]string{"ssl", "\x00"}, `{"ssl":false}`, func(v *views.ServerValues) { v.SSL = false }},
					edit{[]string{"chain", ""}, `{"chain":null}`, func(v *views.ServerValues) { v.Chain = "" }},
					edit{[]string{"proxyProtocolVersion", "v1"}, `{"proxyProtocolVersion":"v1"}`, func(v *views.ServerValues) { v.ProxyProtocol = "v1" }},
					edit{[]string{"onMarkedDown", ""}, `{"onMarkedDown":null}`, func(v *views.ServerValues) { v.OnMarkedDown = "" }},
				)
			}
			if proto == ovh.HTTP {
				edits = append(edits, edit{[]string{"cookie", "rt2"}, `{"cookie":"rt2"}`, func(v *views.ServerValues) { v.Cookie = "rt2" }})
			}
			for _, e := range edits {
				status, doc := serverEdit(t, b, sn, proto, farm.ID, sid, e.kv...)
				if status != http.StatusSeeOther {
					t.Fatalf("edit %v = %d: %s", e.kv, status, text(doc.Find("main")))
				}
				e.set(&want)
				if body := rec.last(); body != e.body {
					t.Errorf("edit %v sent %s, want %s", e.kv, body, e.body)
				}
				got, err := api.Server(ctx, sn, proto, farm.ID, sid)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, views.ServerValuesOf(got)); diff != "" {
					t.Errorf("after edit %v (-want +read back):\n%s", e.kv, diff)
				}
			}

			// Disable in place (htmx): the row, the message and the banner.
			if _, err := api.Refresh(ctx, sn, ""); err != nil {
				t.Fatal(err)
			}
			app.emu.Settle() // nothing pending: the toggle makes the banner appear
			b.mustGet(t, views.FarmPath(sn, proto, farm.ID))
			status, _ = b.post(t, views.ToggleServerPath(sn, proto, farm.ID, sid), nil, htmxHeaders)
			if status != http.StatusOK {
				t.Fatalf("toggle = %d", status)
			}
			html := string(b.body)
			if !strings.HasPrefix(html, `<tr role="row" id="server-`+strconv.FormatInt(sid, 10)+`"`) || !strings.Contains(html, `data-status="inactive"`) {
				t.Errorf("toggle answer does not start with the disabled row: %.200s", html)
			}
			if !strings.Contains(html, `<div id="alerts"`) || !strings.Contains(html, "disabled") ||
				!strings.Contains(html, `id="pending-banner"`) || !strings.Contains(html, `data-pending="true"`) {
				t.Errorf("toggle answer lacks the OOB message or banner: %s", html)
			}
			if strings.Contains(html, "<html") {
				t.Error("the toggle answered a whole page to htmx")
			}
			if rec.last() != `{"status":"inactive"}` {
				t.Error("the toggle did not send the status alone")
			}
			if s, _ := api.Server(ctx, sn, proto, farm.ID, sid); s.Status != ovh.ServerInactive {
				t.Errorf("status after disable = %s", s.Status)
			}
			// Enable without JavaScript: back to the farm page with a flash.
			status, _ = b.post(t, views.ToggleServerPath(sn, proto, farm.ID, sid), nil)
			if status != http.StatusSeeOther || b.header("Location") != views.FarmPath(sn, proto, farm.ID) {
				t.Fatalf("toggle without htmx = %d to %q", status, b.header("Location"))
			}
			_, doc = b.follow(t)
			if !strings.Contains(alertTexts(doc), "enabled") {
				t.Errorf("alerts %q", alertTexts(doc))
			}
			if s, _ := api.Server(ctx, sn, proto, farm.ID, sid); s.Status != ovh.ServerActive {
				t.Errorf("status after enable = %s", s.Status)
			}

			// Delete with its confirmation.
			doc = b.mustGet(t, views.DeleteServerPath(sn, proto, farm.ID, sid))
			if text(doc.Find(testID("delete-address"))) != "10.0.9.9" {
				t.Error("confirmation does not name the address")
			}
			status, _ = b.post(t, views.DeleteServerPath(sn, proto, farm.ID, sid), nil)
			if status != http.StatusSeeOther {
				t.Fatalf("delete = %d", status)
			}
			if _, err := api.Server(ctx, sn, proto, farm.ID, sid); ovh.KindOf(err) != ovh.KindNotFound {
				t.Errorf("the server is still there: %v", err)
			}
		})
	}
}

// Bad input is a 422 that marks the fields and keeps what was typed, and
// never reaches the API.
func TestAppFarmValidation(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB
	writes := func() int {
		n := 0
		for _, p := range ovh.Protocols {
			n += app.emu.Calls("POST", farmPat(p, "")) + app.emu.Calls("PUT", farmPat(p, "/{farmId}")) +
				app.emu.Calls("POST", farmPat(p, "/{farmId}/server")) + app.emu.Calls("PUT", farmPat(p, "/{farmId}/server/{serverId}"))
		}
		return n
	}

	doc := b.mustGet(t, views.NewFarmPath(sn, ovh.HTTP))
	form := farmFormValues(doc.Find(testID("farm-form")))
	form.Set("displayName", "typed name")
	form.Set("port", "99999")
	form.Set("probe.interval", "10")
	form.Set("probe.type", "tcp")
	form.Set("probe.match", "status")
	form.Set("probe.pattern", "200")
	app.emu.ResetCalls()
	status, doc := b.post(t, views.FarmsPath(sn, ovh.HTTP), form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad farm = %d", status)
	}
	for _, f := range []string{"port", "probe.interval", "probe.match"} {
		if doc.Find(testID("error-"+f)).Length() != 1 {
			t.Errorf("%s not marked: %q", f, text(doc.Find(testID("farm-form"))))
		}
	}
	if doc.Find("#farm-displayName").AttrOr("value", "") != "typed name" || doc.Find("#farm-port").AttrOr("value", "") != "99999" ||
		doc.Find("#farm-port").AttrOr("aria-invalid", "") != "true" {
		t.Error("typed values not kept")
	}
	if doc.Find(testID("iplb-page")).Length() != 1 {
		t.Error("the 422 lacks the IPLB shell")
	}

	// A UDP farm without port; a field UDP farms lack.
	status, doc = b.post(t, views.FarmsPath(sn, ovh.UDP), url.Values{"zone": {"gra"}, "balance": {"first"}})
	if status != http.StatusUnprocessableEntity || doc.Find(testID("error-port")).Length() != 1 ||
		doc.Find(testID("rejected-field")+`[data-field="balance"]`).Length() != 1 {
		t.Errorf("bad UDP farm = %d: %q", status, text(doc.Find(testID("farm-form"))))
	}

	// An edit that changes the zone, or with a bad probe.
	web := farmByName(t, api, sn, ovh.HTTP, "web")
	status, doc = farmEdit(t, b, sn, ovh.HTTP, web.ID, "zone", "gra", "probe.url", "no-slash")
	if status != http.StatusUnprocessableEntity || doc.Find(testID("error-probe.url")).Length() != 1 ||
		doc.Find(testID("rejected-field")+`[data-field="zone"]`).Length() != 1 {
		t.Errorf("bad edit = %d: %q", status, text(doc.Find(testID("farm-form"))))
	}
	if doc.Find("#farm-probe-url").AttrOr("value", "") != "no-slash" {
		t.Error("typed URL not kept")
	}

	// Servers: the address is checked before any call.
	for _, addr := range []string{"", "10.0.0", "2001:db8::1", "server.example.com", "0.0.0.0"} {
		status, doc = b.post(t, views.ServersPath(sn, ovh.HTTP, web.ID), url.Values{"address": {addr}, "weight": {"300"}, "status": {"on"}})
		if status != http.StatusUnprocessableEntity || doc.Find(testID("error-address")).Length() != 1 ||
			doc.Find(testID("error-weight")).Length() != 1 || doc.Find("#server-address").AttrOr("value", "") != addr {
			t.Errorf("address %q = %d: %q", addr, status, text(doc.Find(testID("server-form"))))
		}
	}
	// A UDP server with HTTP fields.
	dns := farmByName(t, api, sn, ovh.UDP, "dns")
	status, doc = b.post(t, views.ServersPath(sn, ovh.UDP, dns.ID), url.Values{"address": {"10.0.4.50"}, "cookie": {"x"}, "weight": {"2"}})
	if status != http.StatusUnprocessableEntity || doc.Find(testID("rejected-field")).Length() != 2 {
		t.Errorf("UDP server with extra fields = %d: %q", status, text(doc.Find(testID("form-field-errors"))))
	}
	if n := writes(); n != 0 {
		t.Errorf("%d API writes for invalid forms", n)
	}
	// Unknown protocol, farm or server: 404.
	for _, path := range []string{"/iplb/" + sn + "/farms/sctp", views.FarmPath(sn, ovh.HTTP, 999999), "/iplb/" + sn + "/farms/http/abc",
		views.EditServerPath(sn, ovh.HTTP, web.ID, 999999)} {
		if status, _ := b.get(t, path); status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
}

// The API's refusals are shown with their message and query ID: deleting
// a farm in use, and an injected refusal of a creation and of a server.
func TestAppFarmAPIRefusal(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB
	ctx := context.Background()
	web := farmByName(t, api, sn, ovh.HTTP, "web")

	doc := b.mustGet(t, views.DeleteFarmPath(sn, ovh.HTTP, web.ID))
	if doc.Find(testID("delete-in-use")).Length() != 1 || !strings.Contains(text(doc.Find(testID("delete-users"))), "frontend www") {
		t.Errorf("confirmation does not name the users: %q", text(doc.Find(testID("delete-users"))))
	}
	status, doc := b.post(t, views.DeleteFarmPath(sn, ovh.HTTP, web.ID), nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("delete in use = %d", status)
	}
	refusal := doc.Find(testID("form-error"))
	if !strings.Contains(text(refusal), "default farm of HTTP frontend") || text(refusal.Find(testID("form-query-id")+" code")) == "" {
		t.Errorf("refusal %q", text(refusal))
	}
	if _, err := api.Farm(ctx, sn, ovh.HTTP, web.ID); err != nil {
		t.Errorf("the farm went: %v", err)
	}
	// The api farm is the target of a route: the route is named, linked.
	apiFarm := farmByName(t, api, sn, ovh.HTTP, "api")
	doc = b.mustGet(t, views.DeleteFarmPath(sn, ovh.HTTP, apiFarm.ID))
	user := doc.Find(testID("farm-user") + `[data-kind="route"]`)
	if !strings.Contains(text(user), "route api.example.com to api (of frontend www)") || !strings.HasPrefix(user.Find("a").AttrOr("href", ""), "/iplb/"+sn+"/routes/http/") {
		t.Errorf("route user %q", text(user))
	}

	app.emu.Fail("POST", farmPat(ovh.TCP, ""), ovhemu.Fault{Status: 400, Message: "Quota of farms reached", Times: 1})
	status, doc = b.post(t, views.FarmsPath(sn, ovh.TCP), url.Values{"zone": {"gra"}, "displayName": {"kept"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find(testID("form-error"))), "Quota of farms reached") ||
		text(doc.Find(testID("form-query-id"))) == "" || doc.Find("#farm-displayName").AttrOr("value", "") != "kept" {
		t.Errorf("refused creation = %d: %q", status, text(doc.Find(testID("form-error"))))
	}
	app.emu.Fail("POST", farmPat(ovh.HTTP, "/{farmId}/server"), ovhemu.Fault{Status: 400, Message: "Server limit reached", Times: 1})
	status, doc = b.post(t, views.ServersPath(sn, ovh.HTTP, web.ID), url.Values{"address": {"10.0.1.99"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find(testID("form-error"))), "Server limit reached") ||
		doc.Find("#server-address").AttrOr("value", "") != "10.0.1.99" {
		t.Errorf("refused server = %d: %q", status, text(doc.Find(testID("form-error"))))
	}
	// A refused toggle (htmx) is an alert, swapped into #alerts.
	srv, err := api.Servers(ctx, sn, ovh.HTTP, web.ID)
	if err != nil || len(srv) == 0 {
		t.Fatal(err)
	}
	app.emu.Fail("PUT", farmPat(ovh.HTTP, "/{farmId}/server/{serverId}"), ovhemu.Fault{Status: 400, Message: "Server is locked", Times: 1})
	status, _ = b.post(t, views.ToggleServerPath(sn, ovh.HTTP, web.ID, srv[0].ID), nil, htmxHeaders)
	if status != http.StatusBadRequest || b.header("HX-Retarget") != "#alerts" || !strings.Contains(string(b.body), "Server is locked") {
		t.Errorf("refused toggle = %d, retarget %q: %s", status, b.header("HX-Retarget"), b.body)
	}
}

// Someone else changed the farm while the form was open: their other
// changes are kept; the same field changed differently is a 409 that
// writes nothing.
func TestAppFarmConcurrentEdit(t *testing.T) {
	t.Parallel()
	app, b, rec, api := newFarmApp(t)
	sn := ovhemu.DemoLB
	ctx := context.Background()
	pg := farmByName(t, api, sn, ovh.TCP, "postgres")
	doc := b.mustGet(t, views.EditFarmPath(sn, ovh.TCP, pg.ID))
	form := farmFormValues(doc.Find(testID("farm-form")))
	if err := api.UpdateFarm(ctx, sn, ovh.TCP, pg.ID, ovh.FarmUpdate{Port: ovh.Set[int64](5433), Balance: ovh.Set(ovh.BalanceSource)}); err != nil {
		t.Fatal(err)
	}
	form.Set("port", "6432")
	form.Set("displayName", "pg")
	app.emu.ResetCalls()
	status, doc := b.post(t, views.UpdateFarmPath(sn, ovh.TCP, pg.ID), form)
	if status != http.StatusConflict || app.emu.Calls("PUT", farmPat(ovh.TCP, "/{farmId}")) != 0 {
		t.Fatalf("conflict = %d", status)
	}
	c := doc.Find(testID("conflict"))
	if c.AttrOr("data-field", "") != "port" || text(c.Find(testID("conflict-current"))) != "5433" || text(c.Find(testID("conflict-yours"))) != "6432" {
		t.Errorf("conflict %q", text(doc.Find(testID("conflicts"))))
	}
	// Saving again replaces the port, keeps their balance.
	status, _ = b.post(t, views.UpdateFarmPath(sn, ovh.TCP, pg.ID), farmFormValues(doc.Find(testID("farm-form"))))
	if status != http.StatusSeeOther {
		t.Fatalf("second save = %d", status)
	}
	if got := rec.last(); got != `{"displayName":"pg","port":6432}` {
		t.Errorf("second save sent %s", got)
	}
	got, _ := api.Farm(ctx, sn, ovh.TCP, pg.ID)
	if *got.Port != 6432 || *got.Balance != ovh.BalanceSource || got.Name() != "pg" {
		t.Errorf("farm %+v", got)
	}
	_, doc = b.follow(t)
	if !strings.Contains(alertTexts(doc), "modified (name, port)") {
		t.Errorf("alerts %q", alertTexts(doc))
	}
}

// The guide's vRack condition fixed through these pages: on DemoLB (in a
// vRack) a farm created without a vRack network (the form allows it, with
// its warning) makes the pre-flight fail; its link leads to the farm's edit
// page, where choosing the network fixes it; then the configuration is
// applied and the refresh runs to done.
func TestAppFarmFixVRackThenApply(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB
	netID := demoNetworkID(t, api)

	// The form warns as soon as None is chosen (the htmx field refresh)…
	frag := b.mustGet(t, views.NewFarmPath(sn, ovh.TCP)+"?vrackNetworkId=", htmxHeaders)
	if !strings.Contains(text(frag.Find(testID("farm-vrack-warning"))), "without a vRack network makes the refresh fail") {
		t.Errorf("no warning for None: %q", text(frag.Find("#farm-vrack-field")))
	}
	// …and lets the user save anyway, with a warning flash.
	status, doc := b.post(t, views.FarmsPath(sn, ovh.TCP), url.Values{"zone": {"gra"}, "displayName": {"outside"}, "vrackNetworkId": {""}})
	if status != http.StatusSeeOther {
		t.Fatalf("create = %d: %s", status, text(doc.Find("main")))
	}
	id := idFromPath(t, b.header("Location"), "/farms/tcp/")
	_, doc = b.follow(t)
	if !strings.Contains(alertTexts(doc), "makes the refresh fail") || doc.Find(testID("farm-page-vrack-problem")).Length() != 1 {
		t.Errorf("after create: %q", alertTexts(doc))
	}
	doc = b.mustGet(t, views.FarmsPath(sn, ovh.TCP))
	row := doc.Find(testID("farm-row") + `[data-id="` + strconv.FormatInt(id, 10) + `"]`)
	if row.Find(testID("farm-vrack-problem")).Length() != 1 {
		t.Error("the list does not flag the farm")
	}
	doc = b.mustGet(t, views.VRackPath(sn))
	if doc.Find(testID("vrack-misplaced-farm")+`[data-id="`+strconv.FormatInt(id, 10)+`"]`).Length() != 1 {
		t.Error("the vRack page does not flag the farm")
	}

	// The pre-flight fails and links to the farm's edit page.
	doc = b.mustGet(t, views.ApplyPath(sn))
	wantChecks(t, doc, "vrack")
	link := doc.Find(`[data-check="vrack"] `+testID("problem-link")).AttrOr("href", "")
	if link != views.EditFarmPath(sn, ovh.TCP, id) {
		t.Fatalf("pre-flight link %q", link)
	}
	doc = b.mustGet(t, link)
	if !strings.Contains(text(doc.Find(testID("farm-vrack-warning"))), "without a vRack network") {
		t.Error("the edit page does not warn")
	}
	form := farmFormValues(doc.Find(testID("farm-form")))
	form.Set("vrackNetworkId", strconv.FormatInt(netID, 10))
	if status, _ := b.post(t, views.UpdateFarmPath(sn, ovh.TCP, id), form); status != http.StatusSeeOther {
		t.Fatalf("fix = %d", status)
	}
	if f, _ := api.Farm(context.Background(), sn, ovh.TCP, id); f.VRackNetworkID == nil || *f.VRackNetworkID != netID {
		t.Fatalf("farm not in the network: %+v", f)
	}

	// The checklist passes; apply, and drive the task to done.
	doc = b.mustGet(t, views.ApplyPath(sn))
	wantChecks(t, doc)
	status, _ = b.post(t, views.ApplyPath(sn), url.Values{"zone": {"gra", "rbx"}})
	if status != http.StatusSeeOther {
		t.Fatalf("apply = %d: %s", status, text(b.parse(t).Find("main")))
	}
	app.emu.Settle()
	tasks, err := api.Tasks(context.Background(), sn, ovh.TaskFilter{Action: ovh.TaskRefresh})
	if err != nil || len(tasks) == 0 {
		t.Fatalf("tasks %v, %v", tasks, err)
	}
	for _, task := range tasks {
		if task.Status != ovh.TaskDone {
			t.Errorf("refresh task %d is %s", task.ID, task.Status)
		}
	}
	doc = b.mustGet(t, views.FarmsPath(sn, ovh.TCP))
	if doc.Find("#pending-banner").AttrOr("data-pending", "") != "false" {
		t.Error("changes still pending after the refresh")
	}
}

func TestAppFarmListAndPages(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB

	app.emu.ResetCalls()
	doc := b.mustGet(t, views.FarmsPath(sn, ovh.HTTP))
	rows := doc.Find(testID("farm-row"))
	if rows.Length() != 2 {
		t.Fatalf("%d HTTP farms", rows.Length())
	}
	web := rows.First()
	if text(web.Find(testID("farm-name"))) != "web" || web.Find(testID("farm-servers")).AttrOr("data-total", "") != "2" ||
		!strings.Contains(text(web.Find(testID("farm-users"))), "frontend www") || !strings.Contains(text(web.Find(testID("farm-network"))), "prod-private") {
		t.Errorf("web row %q", text(web))
	}
	apiRow := rows.Eq(1)
	if text(apiRow.Find(testID("farm-servers"))) != "2 servers 1 active, 1 inactive" || !strings.Contains(text(apiRow.Find(testID("farm-users"))), "route api.example.com to api") {
		t.Errorf("api row %q", text(apiRow))
	}
	if doc.Find(testID("iplb-page")+" "+testID("farm-list")).Length() != 1 || doc.Find("#pending-banner").Length() != 1 {
		t.Error("the list is not in the IPLB shell")
	}
	// Each object fetched once: farm list, 2 farms, 2 server lists, 4 servers.
	for pat, want := range map[string]int{farmPat(ovh.HTTP, ""): 1, farmPat(ovh.HTTP, "/{farmId}"): 2,
		farmPat(ovh.HTTP, "/{farmId}/server"): 2, farmPat(ovh.HTTP, "/{farmId}/server/{serverId}"): 4} {
		if got := app.emu.Calls("GET", pat); got != want {
			t.Errorf("GET %s: %d calls, want %d", pat, got, want)
		}
	}

	// The farm page with its servers.
	apiFarm := farmByName(t, api, sn, ovh.HTTP, "api")
	doc = b.mustGet(t, views.FarmPath(sn, ovh.HTTP, apiFarm.ID))
	if doc.Find(testID("server-row")).Length() != 2 || doc.Find(testID("server-row")+`[data-status="inactive"]`).Length() != 1 {
		t.Errorf("farm page servers %q", text(doc.Find(testID("server-table"))))
	}

	// UDP list: no balance column; DemoLB2 (no vRack): the context says so.
	doc = b.mustGet(t, views.FarmsPath(sn, ovh.UDP))
	if doc.Find(testID("farm-row")).Length() != 1 || doc.Find(testID("farm-balance")).Length() != 0 {
		t.Error("UDP list")
	}
	doc = b.mustGet(t, views.FarmsPath(ovhemu.DemoLB2, ovh.TCP))
	if doc.Find(testID("farm-empty")).Length() != 1 || !strings.Contains(text(doc.Find(testID("farm-vrack-context"))), "not in a vRack") {
		t.Error("DemoLB2 TCP list")
	}
	// Outside a vRack the form offers no network at all.
	doc = b.mustGet(t, views.NewFarmPath(ovhemu.DemoLB2, ovh.HTTP))
	if doc.Find(`select[name="vrackNetworkId"]`).Length() != 0 || doc.Find(testID("farm-no-vrack")).Length() != 1 {
		t.Error("DemoLB2 form offers a vRack network")
	}
	status, doc := b.post(t, views.FarmsPath(ovhemu.DemoLB2, ovh.HTTP), url.Values{"zone": {"gra"}, "vrackNetworkId": {"1"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find(testID("error-vrackNetworkId"))), "not in a vRack") {
		t.Errorf("a network posted outside a vRack = %d: %q", status, text(doc.Find("main")))
	}
}

func TestAppVRackPage(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	doc := b.mustGet(t, views.VRackPath(ovhemu.DemoLB))
	if doc.Find(testID("vrack-page")).AttrOr("data-in-vrack", "") != "true" || text(doc.Find(testID("vrack-name"))) != ovhemu.DemoVrack {
		t.Errorf("status %q", text(doc.Find(testID("vrack-status"))))
	}
	row := doc.Find(testID("vrack-network-row"))
	if row.Length() != 1 || text(row.Find(testID("vrack-network-vlan"))) != "42" || text(row.Find(testID("vrack-network-subnet"))) != "10.0.0.0/16" ||
		text(row.Find(testID("vrack-network-nat"))) != "10.0.255.0/27" {
		t.Errorf("network %q", text(row))
	}
	var farms []string
	row.Find(testID("vrack-network-farm")).Each(func(_ int, s *goquery.Selection) {
		farms = append(farms, s.AttrOr("data-protocol", "")+":"+s.Text())
	})
	slices.Sort(farms)
	if strings.Join(farms, ",") != "http:api,http:web,tcp:postgres,udp:dns" {
		t.Errorf("farms using the network: %v", farms)
	}
	web := farmByName(t, api, ovhemu.DemoLB, ovh.HTTP, "web")
	if row.Find(testID("vrack-network-farm")+`[data-id="`+strconv.FormatInt(web.ID, 10)+`"]`).AttrOr("href", "") != views.FarmPath(ovhemu.DemoLB, ovh.HTTP, web.ID) {
		t.Error("farm link")
	}
	if text(doc.Find(testID("vrack-min-nat"))) != "32" || text(doc.Find(testID("vrack-remaining"))) != "31" {
		t.Errorf("rules %q", text(doc.Find(testID("vrack-rules"))))
	}
	if doc.Find(testID("vrack-misplaced")).Length() != 0 {
		t.Error("misplaced farms on the seeded DemoLB")
	}

	app.emu.ResetCalls()
	doc = b.mustGet(t, views.VRackPath(ovhemu.DemoLB2))
	if doc.Find(testID("vrack-empty")).Length() != 1 || doc.Find(testID("vrack-rules")).Length() != 0 || doc.Find(testID("alerts")+" .alert").Length() != 0 {
		t.Errorf("DemoLB2 %q", text(doc.Find("main")))
	}
	if n := app.emu.Calls("GET", "/ipLoadbalancing/{serviceName}/vrack/networkCreationRules"); n != 1 {
		t.Errorf("%d creation rules calls", n)
	}
}

// The list's cost does not grow in round trips with the number of farms:
// call counts are exact, and the page time at injected latency is printed
// for 2 and 20 farms (never asserted).
func TestAppFarmListScales(t *testing.T) {
	t.Parallel()
	app, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB2
	ctx := context.Background()
	measure := func() time.Duration {
		start := time.Now()
		b.mustGet(t, views.FarmsPath(sn, ovh.TCP))
		return time.Since(start)
	}
	for i := range 2 {
		f, err := api.CreateFarm(ctx, sn, ovh.TCP, ovh.FarmCreate{Zone: "gra", Port: ptrTo(int64(1000 + i))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateServer(ctx, sn, ovh.TCP, f.ID, ovh.ServerCreate{Address: "198.51.100.1", Status: ovh.ServerActive}); err != nil {
			t.Fatal(err)
		}
	}
	app.emu.SetLatency("*", "*", 30*time.Millisecond)
	two := measure()
	for i := range 18 {
		f, err := api.CreateFarm(ctx, sn, ovh.TCP, ovh.FarmCreate{Zone: "gra", Port: ptrTo(int64(2000 + i))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateServer(ctx, sn, ovh.TCP, f.ID, ovh.ServerCreate{Address: "198.51.100.2", Status: ovh.ServerActive}); err != nil {
			t.Fatal(err)
		}
	}
	app.emu.ResetCalls()
	twenty := measure()
	t.Logf("farm list at 30 ms per call: 2 farms %v, 20 farms %v", two.Round(time.Millisecond), twenty.Round(time.Millisecond))
	for pat, want := range map[string]int{farmPat(ovh.TCP, ""): 1, farmPat(ovh.TCP, "/{farmId}"): 20,
		farmPat(ovh.TCP, "/{farmId}/server"): 20, farmPat(ovh.TCP, "/{farmId}/server/{serverId}"): 20} {
		if got := app.emu.Calls("GET", pat); got != want {
			t.Errorf("GET %s: %d calls, want %d", pat, got, want)
		}
	}
}

// The farm, server and vRack pages mark their own tab of the IPLB shell.
func TestAppFarmTabs(t *testing.T) {
	t.Parallel()
	_, b, _, api := newFarmApp(t)
	sn := ovhemu.DemoLB
	web := farmByName(t, api, sn, ovh.HTTP, "web")
	for path, tab := range map[string]string{
		views.FarmsPath(sn, ovh.TCP):              "farms",
		views.FarmPath(sn, ovh.HTTP, web.ID):      "farms",
		views.EditFarmPath(sn, ovh.HTTP, web.ID):  "farms",
		views.NewServerPath(sn, ovh.HTTP, web.ID): "farms",
		views.VRackPath(sn):                       "vrack",
	} {
		doc := b.mustGet(t, path)
		if got := doc.Find(`[aria-current="page"][data-testid^="tab-"]`).AttrOr("data-testid", ""); got != "tab-"+tab {
			t.Errorf("%s: current tab %q, want tab-%s", path, got, tab)
		}
	}
}

// BenchmarkFarmListPage prints the farm list's time per page with 2 and
// 20 farms (one server each) at 20 ms per API call, and its calls per
// page: the round trips stay about the same, the calls grow with the farms.
// Run it with `go test -run '^$' -bench FarmListPage ./handlers`.
func BenchmarkFarmListPage(b *testing.B) {
	pageBench{unit: "farms", sizes: []int{2, 20}, latency: 20 * time.Millisecond,
		setup: func(b *testing.B, env *benchEnv, n int) (Deps, string) {
			ctx := context.Background()
			sn := ovhemu.DemoLB2 // no TCP farm seeded
			for i := range n {
				f, err := env.user.CreateFarm(ctx, sn, ovh.TCP, ovh.FarmCreate{Zone: "gra", Port: ptrTo(int64(3000 + i))})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := env.user.CreateServer(ctx, sn, ovh.TCP, f.ID, ovh.ServerCreate{Address: "198.51.100.7", Status: ovh.ServerActive}); err != nil {
					b.Fatal(err)
				}
			}
			return Deps{API: env.api}, views.FarmsPath(sn, ovh.TCP)
		}}.run(b)
}
