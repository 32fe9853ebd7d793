package ovhemu

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ipTaskOut decodes ip.IpTask with the schema's names.
type ipTaskOut struct {
	TaskID      int64   `json:"taskId"`
	Function    string  `json:"function"`
	Status      string  `json:"status"`
	StartDate   string  `json:"startDate"`
	DoneDate    *string `json:"doneDate"`
	LastUpdate  *string `json:"lastUpdate"`
	Comment     *string `json:"comment"`
	Destination *struct {
		ServiceName *string `json:"serviceName"`
	} `json:"destination"`
}

// routedOf returns where block is routed ("" = parked), as DemoAccount sees it.
func routedOf(t *testing.T, e *Emulator, nic, block string) string {
	t.Helper()
	ip := mustDo[struct {
		RoutedTo *struct {
			ServiceName *string `json:"serviceName"`
		} `json:"routedTo"`
	}](t, e, nic, "GET", ipPath(block), nil)
	if ip.RoutedTo == nil {
		t.Fatalf("%s: routedTo is null, want an object", block)
	}
	if ip.RoutedTo.ServiceName == nil {
		return ""
	}
	return *ip.RoutedTo.ServiceName
}

// spyUnpin records the unpinIP calls services make.
func spyUnpin(e *Emulator) func() []string {
	var mu sync.Mutex
	var calls []string
	e.mu.Lock()
	e.world.svc.unpinSpy = func(sn, block string) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, sn+" "+block)
	}
	e.mu.Unlock()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(calls)
	}
}

// The demo account's blocks, in address order, as GET /ip lists them.
var demoBlocks = []string{
	"198.51.100.20/32", "198.51.100.21/32", "198.51.100.100/32",
	DemoIPPinned, DemoIPUnpinned, DemoIPServer, DemoIPParked, DemoIPStaging, DemoIPBlock,
	"2001:db8:3012:345::/64",
}

func TestIPList(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	for _, tc := range []struct {
		nic, query string
		want       []string
	}{
		{DemoAccount, "", demoBlocks},
		{OtherAccount, "", []string{"192.0.2.10/32", OtherIP, "192.0.2.100/32"}},
		{"nobody-ovh", "", []string{}},
		{DemoAccount, "?type=failover", []string{DemoIPPinned, DemoIPUnpinned, DemoIPServer, DemoIPParked, DemoIPStaging, DemoIPBlock}},
		{DemoAccount, "?type=loadBalancing", []string{"198.51.100.20/32", "198.51.100.21/32"}},
		{DemoAccount, "?type=vps", []string{}},
		{DemoAccount, "?routedTo.serviceName=" + DemoLB, []string{"198.51.100.20/32", DemoIPPinned, DemoIPUnpinned}},
		{DemoAccount, "?type=failover&routedTo.serviceName=" + DemoLB, []string{DemoIPPinned, DemoIPUnpinned}},
		{DemoAccount, "?type=failover&routedTo.serviceName=loadbalancer-%25", []string{DemoIPPinned, DemoIPUnpinned, DemoIPStaging}},
		{DemoAccount, "?routedTo.serviceName=ns3012345.ip-51-68-1._u", []string{"198.51.100.100/32", DemoIPServer, DemoIPBlock, "2001:db8:3012:345::/64"}},
		{DemoAccount, "?routedTo.serviceName=loadbalancer", []string{}}, // like without wildcard = exact
		{DemoAccount, "?routedTo.serviceName=" + OtherLB, []string{}},
		{DemoAccount, "?ip=" + strings.ReplaceAll(DemoIPPinned, "/", "%2F"), []string{DemoIPPinned}},
		{DemoAccount, "?ip=203.0.113.10", []string{DemoIPPinned}},
		{DemoAccount, "?ip=203.0.113.19", []string{DemoIPBlock}}, // the /29 contains it
		{DemoAccount, "?ip=203.0.113.16%2F30", []string{DemoIPBlock}},
		{DemoAccount, "?ip=203.0.113.0%2F24", []string{}}, // no block contains the /24
		{DemoAccount, "?ip=" + OtherIP, []string{}},
		{DemoAccount, "?version=6", []string{"2001:db8:3012:345::/64"}},
		{DemoAccount, "?version=4&type=dedicated", []string{"198.51.100.100/32"}},
		{DemoAccount, "?description=www.example.com", []string{DemoIPPinned}},
		{DemoAccount, "?description=%25.example.com", []string{DemoIPPinned, DemoIPServer, DemoIPStaging}},
		{DemoAccount, "?description=WWW.EXAMPLE.COM", []string{}}, // like is case-sensitive
		{DemoAccount, "?isAdditionalIp=false", []string{"198.51.100.20/32", "198.51.100.21/32", "198.51.100.100/32", "2001:db8:3012:345::/64"}},
		{DemoAccount, "?isAdditionalIp=true&campus=rbx", []string{DemoIPServer, DemoIPBlock}}, // ilike
	} {
		got := mustDo[[]string](t, e, tc.nic, "GET", "/ip"+tc.query, nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s GET /ip%s (-want +got)\n%s", tc.nic, tc.query, diff)
		}
	}
	for _, tc := range []struct{ query, msg string }{
		{"?type=failOver", `Invalid value for type: "failOver" is not a valid ip.IpTypeEnum`},
		{"?version=5", `Invalid value for version: "5" is not a valid ip.IpVersionEnum`},
		{"?isAdditionalIp=yes", `Invalid value for isAdditionalIp: "yes" is not a boolean`},
		{"?ip=203.0.113", `Invalid value for ip: "203.0.113" is not an IP block`},
	} {
		status, b := doAs(t, e, DemoAccount, "GET", "/ip"+tc.query, nil)
		wantErr(t, status, b, 400, "Client::BadRequest", tc.msg)
	}
}

func TestIPGet(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	got := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath(DemoIPPinned), nil)
	iam, _ := got["iam"].(map[string]any)
	delete(got, "iam")
	want := map[string]any{
		"ip": DemoIPPinned, "type": "failover", "routedTo": map[string]any{"serviceName": DemoLB},
		"description": "www.example.com", "canBeTerminated": true, "country": "fr", "organisationId": nil,
		"campus": "GRA", "isAdditionalIp": true, "bringYourOwnIp": false, "regions": []any{"eu-west-gra"},
		"rir": "RIPE", "version": 4.0, // ip.IpVersionEnum has enumType long: a number
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET %s (-want +got)\n%s", DemoIPPinned, diff)
	}
	if iam["urn"] != "urn:v1:eu:resource:ip:"+DemoIPPinned || iam["state"] != "OK" {
		t.Errorf("iam = %v", iam)
	}

	parked := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath(DemoIPParked), nil)
	if diff := cmp.Diff(map[string]any{"serviceName": nil}, parked["routedTo"]); diff != "" || parked["description"] != nil {
		t.Errorf("parked IP: routedTo %v, description %v; want {serviceName: null}, null", parked["routedTo"], parked["description"])
	}
	v6 := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath("2001:db8:3012:345::/64"), nil)
	if v6["version"] != 6.0 || v6["type"] != "dedicated" || v6["canBeTerminated"] != false {
		t.Errorf("IPv6 block: %v", v6)
	}
	// A bare address is read as its single-address block.
	if got := routedOf(t, e, DemoAccount, "203.0.113.11"); got != DemoLB {
		t.Errorf("bare address: routed to %q", got)
	}
	// A block written with host bits is read as its network ([INF]).
	if got := routedOf(t, e, DemoAccount, "203.0.113.17/29"); got != DemoServer {
		t.Errorf("203.0.113.17/29: routed to %q", got)
	}
	// OtherAccount sees its own IP.
	if got := routedOf(t, e, OtherAccount, OtherIP); got != "" {
		t.Errorf("OtherIP routed to %q, want parked", got)
	}

	for _, tc := range []struct {
		nic, path string
		status    int
		class     string
		msg       string
	}{
		{DemoAccount, ipPath(OtherIP), 404, "Client::NotFound", "The requested object (ip = 192.0.2.50/32) does not exist"},
		{OtherAccount, ipPath(DemoIPPinned), 404, "Client::NotFound", "The requested object (ip = 203.0.113.10/32) does not exist"},
		{DemoAccount, ipPath("203.0.113.200/32"), 404, "Client::NotFound", "The requested object (ip = 203.0.113.200/32) does not exist"},
		{DemoAccount, ipPath("not-an-ip"), 400, "Client::BadRequest", `Invalid value for ip: "not-an-ip" is not an IP block`},
		// Unescaped, the block's "/" splits the path: no such route
		// (REFERENCE §3.1 [O]).
		{DemoAccount, "/ip/" + DemoIPPinned, 404, "Client::NotFound", "Got an invalid (or empty) URL"},
	} {
		status, b := doAs(t, e, tc.nic, "GET", tc.path, nil)
		t.Run(tc.path, func(t *testing.T) { wantErr(t, status, b, tc.status, tc.class, tc.msg) })
	}
}

func TestIPPut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 256)
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
		want   any // description afterwards
	}{
		{"set", map[string]any{"description": "new"}, 200, "", "new"},
		{"clear", map[string]any{"description": nil}, 200, "", nil},
		{"read-only fields ignored", map[string]any{"type": "vps", "routedTo": map[string]any{"serviceName": "x"}}, 200, "", "www.example.com"},
		{"255 characters", map[string]any{"description": long[:255]}, 200, "", long[:255]},
		{"too long", map[string]any{"description": long}, 400, "Invalid value for description: at most 255 characters are allowed", "www.example.com"},
		{"wrong type", map[string]any{"description": []string{"a"}}, 400, "Invalid value for description: a string is expected", "www.example.com"},
		{"not JSON", rawBody(`{"description":`), 400, "~Invalid JSON body", "www.example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			status, b := doAny(t, e, DemoAccount, "PUT", ipPath(DemoIPPinned), tc.body)
			if tc.status == 200 {
				if status != 200 || string(b) != "null" {
					t.Fatalf("PUT: %d %s", status, b)
				}
			} else {
				wantErr(t, status, b, tc.status, "Client::BadRequest", tc.msg)
			}
			got := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath(DemoIPPinned), nil)
			if got["description"] != tc.want || got["type"] != "failover" || routedOf(t, e, DemoAccount, DemoIPPinned) != DemoLB {
				t.Errorf("after PUT: %v", got)
			}
		})
	}
	e, _ := newDemo(t)
	status, b := doAs(t, e, OtherAccount, "PUT", ipPath(DemoIPPinned), map[string]any{"description": "mine"})
	wantErr(t, status, b, 404, "Client::NotFound", "The requested object (ip = 203.0.113.10/32) does not exist")
	if got := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath(DemoIPPinned), nil); got["description"] != "www.example.com" {
		t.Errorf("another account changed the description: %v", got["description"])
	}
}

func TestIPMoveDestinations(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	type dest struct {
		Service string   `json:"service"`
		Nexthop []string `json:"nexthop"`
	}
	type dests struct {
		IPLoadbalancing []dest `json:"ipLoadbalancing"`
		DedicatedServer []dest `json:"dedicatedServer"`
	}
	d := func(names ...string) []dest {
		out := []dest{}
		for _, n := range names {
			out = append(out, dest{Service: n})
		}
		return out
	}
	for _, tc := range []struct {
		nic, block string
		want       dests
	}{
		{DemoAccount, DemoIPParked, dests{d(DemoLB2, DemoLB), d(DemoServer)}},
		{DemoAccount, DemoIPPinned, dests{d(DemoLB2), d(DemoServer)}}, // not where it is
		{DemoAccount, DemoIPServer, dests{d(DemoLB2, DemoLB), d()}},   // not where it is
		{DemoAccount, DemoIPBlock, dests{d(), d()}},                   // a /29 cannot go to an IPLB [INF]
		{DemoAccount, "198.51.100.20/32", dests{d(), d()}},            // an IPLB's own address does not move
		{DemoAccount, "2001:db8:3012:345::/64", dests{d(), d()}},      // nor does a server's
		{OtherAccount, OtherIP, dests{d(OtherLB), d(OtherServer)}},    // only the owner's services
	} {
		got := mustDo[dests](t, e, tc.nic, "GET", ipPath(tc.block, "/move"), nil)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s move destinations (-want +got)\n%s", tc.block, diff)
		}
	}
	raw := mustDo[map[string]any](t, e, DemoAccount, "GET", ipPath(DemoIPParked, "/move"), nil)
	for _, k := range []string{"cloudProject", "dedicatedCloud", "hostingReseller", "vmwareCloudDirector", "vps"} {
		if v, ok := raw[k]; !ok || v != nil {
			t.Errorf("%s = %v, want present and null", k, v)
		}
	}
	status, b := doAs(t, e, DemoAccount, "GET", ipPath(OtherIP, "/move"), nil)
	wantErr(t, status, b, 404, "Client::NotFound", "The requested object (ip = 192.0.2.50/32) does not exist")
}

func TestIPMoveValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		block  string
		body   any
		status int
		class  string
		msg    string
	}{
		{"no to", DemoIPParked, map[string]any{}, 400, "Client::BadRequest", "Missing parameter: to (the service to route the IP to)"},
		{"no body", DemoIPParked, nil, 400, "Client::BadRequest", "Missing parameter: to (the service to route the IP to)"},
		{"empty to", DemoIPParked, map[string]any{"to": ""}, 400, "Client::BadRequest", "Missing parameter: to (the service to route the IP to)"},
		{"not JSON", DemoIPParked, rawBody(`to=x`), 400, "Client::BadRequest", "~Invalid JSON body"},
		{"unknown service", DemoIPParked, map[string]any{"to": "loadbalancer-0000000000000000"}, 400, "Client::BadRequest", "Destination service loadbalancer-0000000000000000 does not exist"},
		{"another account's IPLB", DemoIPParked, map[string]any{"to": OtherLB}, 400, "Client::BadRequest", "Destination service " + OtherLB + " does not exist"},
		{"another account's server", DemoIPParked, map[string]any{"to": OtherServer}, 400, "Client::BadRequest", "Destination service " + OtherServer + " does not exist"},
		{"where it already is", DemoIPPinned, map[string]any{"to": DemoLB}, 400, "Client::BadRequest", "203.0.113.10/32 is already routed to " + DemoLB},
		{"block to an IPLB", DemoIPBlock, map[string]any{"to": DemoLB}, 400, "Client::BadRequest", "203.0.113.16/29 cannot be routed to a Load Balancer: only a single IPv4 address (/32) can"},
		{"an IPLB's own address", "198.51.100.20/32", map[string]any{"to": DemoLB2}, 400, "Client::BadRequest", DemoLB2 + " is not an allowed destination for 198.51.100.20/32 (see GET /ip/{ip}/move)"},
		{"nexthop", DemoIPParked, map[string]any{"to": DemoLB, "nexthop": "10.0.0.1"}, 400, "Client::BadRequest", `Invalid nexthop "10.0.0.1": ` + DemoLB + " offers no nexthop"},
		{"another account's IP", OtherIP, map[string]any{"to": DemoLB}, 404, "Client::NotFound", "The requested object (ip = 192.0.2.50/32) does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newDemo(t)
			status, b := doAny(t, e, DemoAccount, "POST", ipPath(tc.block, "/move"), tc.body)
			wantErr(t, status, b, tc.status, tc.class, tc.msg)
			e.mu.Lock()
			n := len(e.world.svc.ipTasks)
			e.mu.Unlock()
			if n != 1 { // the seeded history only
				t.Errorf("a rejected move created a task (%d tasks)", n)
			}
		})
	}
}

func TestIPMoveLifecycle(t *testing.T) {
	t.Parallel()
	e, clk := newDemo(t)
	unpins := spyUnpin(e)
	task := mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB})
	if task.Function != "genericMoveFloatingIp" || task.Status != "todo" || task.StartDate != "2026-11-24T10:00:00+00:00" ||
		task.DoneDate != nil || task.Comment != nil || task.Destination == nil || task.Destination.ServiceName == nil ||
		*task.Destination.ServiceName != DemoLB {
		t.Fatalf("move task = %+v", task)
	}
	taskPath := ipPath(DemoIPParked, "/task/", itoa(task.TaskID))
	if got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", taskPath, nil); !cmp.Equal(got, task) {
		t.Errorf("GET task = %+v, want the POST's answer %+v", got, task)
	}
	// A second move or a park while this one runs.
	for _, req := range []struct {
		path string
		body any
	}{{ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB2}}, {ipPath(DemoIPParked, "/park"), nil}} {
		status, b := doAs(t, e, DemoAccount, "POST", req.path, req.body)
		wantErr(t, status, b, 409, "Client::Conflict", "A move of 203.0.113.13/32 is already in progress (task "+itoa(task.TaskID)+")")
	}

	clk.advance(10 * time.Second)
	e.Step()
	got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", taskPath, nil)
	if got.Status != "doing" || got.DoneDate != nil || *got.LastUpdate != "2026-11-24T10:00:10+00:00" {
		t.Fatalf("after one Step: %+v", got)
	}
	if routedOf(t, e, DemoAccount, DemoIPParked) != "" || slices.Contains(mustDo[[]string](t, e, DemoAccount, "GET", lbPath(DemoLB, "/failover"), nil), DemoIPParked) {
		t.Fatal("the IP moved before its task is done")
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 2}, {"rbx", 1}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("pending changed before the move is done (-want +got)\n%s", diff)
	}

	clk.advance(30 * time.Second)
	e.Step()
	got = mustDo[ipTaskOut](t, e, DemoAccount, "GET", taskPath, nil)
	if got.Status != "done" || got.DoneDate == nil || *got.DoneDate != "2026-11-24T10:00:40+00:00" {
		t.Fatalf("after two Steps: %+v", got)
	}
	if r := routedOf(t, e, DemoAccount, DemoIPParked); r != DemoLB {
		t.Errorf("routed to %q, want %s", r, DemoLB)
	}
	if diff := cmp.Diff([]string{DemoIPPinned, DemoIPUnpinned, DemoIPParked},
		mustDo[[]string](t, e, DemoAccount, "GET", lbPath(DemoLB, "/failover"), nil)); diff != "" {
		t.Errorf("failover (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 3}, {"rbx", 2}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("a move onto the IPLB is a pending change in every zone (-want +got)\n%s", diff)
	}
	if c := unpins(); len(c) != 0 {
		t.Errorf("unpinIP called for a parked IP: %v", c)
	}
	// Task list and filters: the seeded history has no task for this IP.
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{task.TaskID}},
		{"?function=genericMoveFloatingIp", []int64{task.TaskID}},
		{"?status=done", []int64{task.TaskID}},
		{"?status=todo", []int64{}},
		{"?function=changeRipeOrg", []int64{}},
	} {
		ids := mustDo[[]int64](t, e, DemoAccount, "GET", ipPath(DemoIPParked, "/task", tc.query), nil)
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("task%s (-want +got)\n%s", tc.query, diff)
		}
	}
	// Now the IP can move on, and the move away from the IPLB unpins it.
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPParked, "/move"), map[string]any{"to": DemoLB2})
	e.Settle()
	if diff := cmp.Diff([]string{DemoLB + " " + DemoIPParked}, unpins()); diff != "" {
		t.Errorf("unpinIP calls (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 4}, {"rbx", 3}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("leaving the IPLB is a pending change too (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 2}, {"sbg", 2}}, pendingOf(t, e, DemoLB2)); diff != "" {
		t.Errorf("DemoLB2 pending (-want +got)\n%s", diff)
	}
}

func TestIPMoveAwayToServer(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	unpins := spyUnpin(e)
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPPinned, "/move"), map[string]any{"to": DemoServer})
	e.Settle()
	if r := routedOf(t, e, DemoAccount, DemoIPPinned); r != DemoServer {
		t.Errorf("routed to %q", r)
	}
	if diff := cmp.Diff([]string{DemoLB + " " + DemoIPPinned}, unpins()); diff != "" {
		t.Errorf("unpinIP calls (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{DemoIPUnpinned}, mustDo[[]string](t, e, DemoAccount, "GET", lbPath(DemoLB, "/failover"), nil)); diff != "" {
		t.Errorf("failover (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 3}, {"rbx", 2}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("pending (-want +got)\n%s", diff)
	}
}

func TestIPPark(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	unpins := spyUnpin(e)
	status, b := doAs(t, e, DemoAccount, "POST", ipPath(DemoIPUnpinned, "/park"), nil)
	if status != http.StatusOK {
		t.Fatalf("park: %d %s", status, b)
	}
	task := decodeAs[ipTaskOut](t, b)
	if task.Function != "genericMoveFloatingIp" || task.Status != "todo" || task.Destination == nil || task.Destination.ServiceName != nil {
		t.Fatalf("park task = %+v, want genericMoveFloatingIp todo, destination {serviceName: null}", task)
	}
	e.Step()
	if routedOf(t, e, DemoAccount, DemoIPUnpinned) != DemoLB || len(unpins()) != 0 {
		t.Fatal("parked before its task is done")
	}
	e.Step()
	if r := routedOf(t, e, DemoAccount, DemoIPUnpinned); r != "" {
		t.Errorf("after park: routed to %q", r)
	}
	if diff := cmp.Diff([]string{DemoLB + " " + DemoIPUnpinned}, unpins()); diff != "" {
		t.Errorf("unpinIP calls (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 3}, {"rbx", 2}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("pending (-want +got)\n%s", diff)
	}
	// Parking a server's IP touches no IPLB.
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPBlock, "/park"), nil)
	e.Settle()
	if r := routedOf(t, e, DemoAccount, DemoIPBlock); r != "" || len(unpins()) != 1 {
		t.Errorf("block: routed to %q, unpins %v", r, unpins())
	}

	for _, tc := range []struct {
		nic, block string
		status     int
		class, msg string
	}{
		{DemoAccount, DemoIPParked, 400, "Client::BadRequest", "203.0.113.13/32 is already parked"},
		{DemoAccount, "198.51.100.20/32", 400, "Client::BadRequest", "198.51.100.20/32 is not an Additional IP and cannot be parked"},
		{DemoAccount, OtherIP, 404, "Client::NotFound", "The requested object (ip = 192.0.2.50/32) does not exist"},
		{OtherAccount, DemoIPServer, 404, "Client::NotFound", "The requested object (ip = 203.0.113.12/32) does not exist"},
	} {
		status, b := doAs(t, e, tc.nic, "POST", ipPath(tc.block, "/park"), nil)
		wantErr(t, status, b, tc.status, tc.class, tc.msg)
	}
}

func TestIPTaskFailure(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	unpins := spyUnpin(e)
	e.FailNextTask("refreshIplb", "not for moves")
	e.FailNextTask("genericMoveFloatingIp", "Destination unreachable, please retry")
	task := mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPPinned, "/move"), map[string]any{"to": DemoLB2})
	e.Step()
	if got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", ipPath(DemoIPPinned, "/task/", itoa(task.TaskID)), nil); got.Status != "doing" {
		t.Fatalf("a task marked to fail still runs first: %+v", got)
	}
	e.Settle()
	got := mustDo[ipTaskOut](t, e, DemoAccount, "GET", ipPath(DemoIPPinned, "/task/", itoa(task.TaskID)), nil)
	if got.Status != "ovhError" || got.Comment == nil || *got.Comment != "Destination unreachable, please retry" || got.DoneDate == nil {
		t.Fatalf("failed move = %+v", got)
	}
	if r := routedOf(t, e, DemoAccount, DemoIPPinned); r != DemoLB || len(unpins()) != 0 {
		t.Errorf("a failed move had effects: routed to %q, unpins %v", r, unpins())
	}
	if diff := cmp.Diff([]pendingOut{{"gra", 2}, {"rbx", 1}}, pendingOf(t, e, DemoLB)); diff != "" {
		t.Errorf("pending (-want +got)\n%s", diff)
	}
	ids := mustDo[[]int64](t, e, DemoAccount, "GET", ipPath(DemoIPPinned, "/task?status=ovhError"), nil)
	if !slices.Equal(ids, []int64{task.TaskID}) {
		t.Errorf("task?status=ovhError = %v", ids)
	}
	// Only the next task failed: a retry works.
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPPinned, "/move"), map[string]any{"to": DemoLB2})
	e.Settle()
	if r := routedOf(t, e, DemoAccount, DemoIPPinned); r != DemoLB2 {
		t.Errorf("retry: routed to %q", r)
	}
}

func TestIPTaskGet(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	// The seeded history: the move that brought DemoIPPinned to DemoLB.
	ids := mustDo[[]int64](t, e, DemoAccount, "GET", ipPath(DemoIPPinned, "/task"), nil)
	if len(ids) != 1 {
		t.Fatalf("DemoIPPinned history = %v", ids)
	}
	old := mustDo[ipTaskOut](t, e, DemoAccount, "GET", ipPath(DemoIPPinned, "/task/", itoa(ids[0])), nil)
	if old.Status != "done" || old.Destination == nil || old.Destination.ServiceName == nil || *old.Destination.ServiceName != DemoLB {
		t.Errorf("seeded move = %+v", old)
	}
	for _, tc := range []struct {
		nic, path  string
		status     int
		class, msg string
	}{
		// A task of another IP is not found under this one.
		{DemoAccount, ipPath(DemoIPUnpinned, "/task/", itoa(ids[0])), 404, "Client::NotFound", "The requested object (taskId = " + itoa(ids[0]) + ") does not exist"},
		{DemoAccount, ipPath(DemoIPPinned, "/task/999999"), 404, "Client::NotFound", "The requested object (taskId = 999999) does not exist"},
		{DemoAccount, ipPath(DemoIPPinned, "/task/x"), 400, "Client::BadRequest", `Invalid value for taskId: "x" is not an integer`},
		{OtherAccount, ipPath(DemoIPPinned, "/task/", itoa(ids[0])), 404, "Client::NotFound", "The requested object (ip = 203.0.113.10/32) does not exist"},
		{OtherAccount, ipPath(DemoIPPinned, "/task"), 404, "Client::NotFound", "The requested object (ip = 203.0.113.10/32) does not exist"},
		{DemoAccount, ipPath(DemoIPPinned, "/task?function=move"), 400, "Client::BadRequest", `Invalid value for function: "move" is not a valid ip.TaskFunctionEnum`},
		{DemoAccount, ipPath(DemoIPPinned, "/task?status=failed"), 400, "Client::BadRequest", `Invalid value for status: "failed" is not a valid ip.TaskStatusEnum`},
	} {
		status, b := doAs(t, e, tc.nic, "GET", tc.path, nil)
		wantErr(t, status, b, tc.status, tc.class, tc.msg)
	}
}

// TestIPBlockEncoding checks that the /v1 alias and the %2F form reach the
// same IP, and that a lowercase %2f works too.
func TestIPBlockEncoding(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	for _, target := range []string{"/1.0/ip/203.0.113.16%2F29", "/v1/ip/203.0.113.16%2f29"} {
		req := httptest.NewRequest("GET", target, nil)
		req = req.WithContext(contextAs(req, DemoAccount))
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ip":"203.0.113.16/29"`) {
			t.Errorf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
	}
}

// TestMoveAwayUnpinsFrontend is the one test across the services/config
// contract: DemoIPPinned is pinned to a frontend of DemoLB (seed.go's
// promise), and once a move takes it away, config's unpinIP has removed it
// from every dedicatedIpfo (REFERENCE §7.1, [INF]). It reads frontends only
// through the API and their schema field dedicatedIpfo.
func TestMoveAwayUnpinsFrontend(t *testing.T) {
	t.Parallel()
	e, _ := newDemo(t)
	pinnedIn := func() []int64 {
		var out []int64
		for _, id := range mustDo[[]int64](t, e, DemoAccount, "GET", lbPath(DemoLB, "/http/frontend"), nil) {
			fe := mustDo[struct {
				DedicatedIpfo []string `json:"dedicatedIpfo"`
			}](t, e, DemoAccount, "GET", lbPath(DemoLB, "/http/frontend/", itoa(id)), nil)
			if slices.Contains(fe.DedicatedIpfo, DemoIPPinned) {
				out = append(out, id)
			}
		}
		return out
	}
	if len(pinnedIn()) == 0 {
		t.Fatalf("no HTTP frontend of DemoLB pins %s", DemoIPPinned)
	}
	mustDo[ipTaskOut](t, e, DemoAccount, "POST", ipPath(DemoIPPinned, "/move"), map[string]any{"to": DemoServer})
	e.Step()
	if len(pinnedIn()) == 0 {
		t.Fatal("unpinned before the move is done")
	}
	e.Step()
	if ids := pinnedIn(); len(ids) != 0 {
		t.Errorf("frontends %v still pin %s after it left DemoLB", ids, DemoIPPinned)
	}
}
