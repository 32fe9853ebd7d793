package ovhemu

// Contract tests: everything the emulator serves is held against the
// official schemas (schema_test.go has the checker and its policy).
//
//   - TestContractRoutesInSchema: every registered operation exists in the
//     schemas, with the same method, path and authentication.
//   - TestContractGETSeeded: every GET route is walked on the demo seed, for
//     both accounts, with path parameters taken from the parent lists; each
//     answer must match the operation's responseType; the same paths asked by
//     the other account, or with an unknown last parameter, must give a 4xx
//     with a well-formed error body.
//   - TestContractWrites: a table of valid request bodies (checked against
//     the schema's body parameters themselves) for every write route; the
//     answers must match responseType ("void" answers null or nothing), the
//     written fields must read back as sent, and then every GET route is
//     walked again, so that each one is exercised on objects of every kind.
//   - TestContractFilters: every documented query filter of a list route is
//     accepted, and every "(=)" filter (plus routedTo.serviceName) really
//     filters, compared with the objects' own fields.
//
// Calls go through doAs (unsigned) except the /auth/* routes, which need a
// real credential: those are signed here (REFERENCE §2.1), with keys from
// IssueConsumerKey, against the same emulator on an httptest server.

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // the OVH signature is SHA-1 (REFERENCE §2.1)
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// contractSample bounds how many values of each path parameter are walked.
const contractSample = 12

// contractEnv is one demo-seeded emulator, reachable in-process (doAs) and
// over HTTP (for the signed /auth/* calls).
type contractEnv struct {
	t        *testing.T
	e        *Emulator
	endpoint string            // "http://127.0.0.1:N/1.0"
	s        *schemaSet        // the official schemas
	routes   map[string]*route // registered routes by "METHOD pattern"
	keys     map[string]string // a consumer key per nichandle, for /auth/*
	lists    map[string][]string
}

func newContractEnv(t *testing.T, opts ...Option) *contractEnv {
	t.Helper()
	e, endpoint := NewTestServer(t, opts...)
	c := &contractEnv{t: t, e: e, endpoint: endpoint, s: schemaSetFor(t),
		routes: map[string]*route{}, keys: map[string]string{}, lists: map[string][]string{}}
	for _, rt := range e.routes {
		c.routes[rt.method+" "+rt.pattern] = rt
	}
	return c
}

// sortedRoutes returns the registered routes of one method ("" = all),
// sorted by pattern, so that reports come in a stable order.
func (c *contractEnv) sortedRoutes(method string) []*route {
	var out []*route
	for _, rt := range c.routes {
		if method == "" || rt.method == method {
			out = append(out, rt)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pattern != out[j].pattern {
			return out[i].pattern < out[j].pattern
		}
		return out[i].method < out[j].method
	})
	return out
}

// isAuthRoute reports whether a pattern must be called over HTTP: the
// /auth/* handlers read the credential or the application header, which an
// unsigned doAs call does not carry.
func isAuthRoute(pattern string) bool { return strings.HasPrefix(pattern, "/auth/") }

// call serves one request of route pattern on the concrete path (relative to
// /1.0, query included) as nic; body is raw JSON or nil. It returns the
// status and body.
func (c *contractEnv) call(nic, method, pattern, path string, body []byte) (int, []byte) {
	c.t.Helper()
	if !isAuthRoute(pattern) {
		if body == nil {
			return doAs(c.t, c.e, nic, method, path, nil)
		}
		return doAs(c.t, c.e, nic, method, path, json.RawMessage(body))
	}
	ck := ""
	if rt := c.routes[method+" "+pattern]; rt == nil || !rt.public {
		ck = c.key(nic)
		if method == http.MethodPost && pattern == "/auth/logout" {
			ck = c.freshKey(nic) // logging out kills the key: never the shared one
		}
	}
	return c.signed(ck, method, path, body)
}

// key returns nic's shared consumer key (all rights, no expiry).
func (c *contractEnv) key(nic string) string {
	if ck, ok := c.keys[nic]; ok {
		return ck
	}
	ck := c.freshKey(nic)
	c.keys[nic] = ck
	return ck
}

func (c *contractEnv) freshKey(nic string) string {
	c.t.Helper()
	ck, err := c.e.IssueConsumerKey(DemoAppKey, nic, nil, 0)
	if err != nil {
		c.t.Fatalf("IssueConsumerKey(%s): %v", nic, err)
	}
	return ck
}

// signed sends a request over HTTP as go-ovh would: signed with DemoAppKey
// and ck (REFERENCE §2.1), or, when ck is "", with the application header
// alone (the public /auth/time and /auth/credential).
func (c *contractEnv) signed(ck, method, path string, body []byte) (int, []byte) {
	c.t.Helper()
	target := c.endpoint + path
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Ovh-Application", DemoAppKey)
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json;charset=utf-8")
	}
	if ck != "" {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h := sha1.New() //nolint:gosec // see the import
		h.Write([]byte(DemoAppSecret + "+" + ck + "+" + method + "+" + target + "+" + string(body) + "+" + ts))
		req.Header.Set("X-Ovh-Consumer", ck)
		req.Header.Set("X-Ovh-Timestamp", ts)
		req.Header.Set("X-Ovh-Signature", "$1$"+hex.EncodeToString(h.Sum(nil)))
	}
	cl := &http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	if resp.Header.Get("X-Ovh-Queryid") == "" {
		c.t.Errorf("%s %s: no X-Ovh-Queryid header", method, path)
	}
	return resp.StatusCode, b
}

// op returns the schema operation of a registered route (nil if none).
func (c *contractEnv) op(method, pattern string) *schemaOp { return c.s.ops[method+" "+pattern] }

// getChecked GETs path (of pattern) as nic and checks the answer against
// the operation's responseType. It reports whether the call succeeded
// (status 200), and returns the body.
func (c *contractEnv) getChecked(nic, pattern, path string) ([]byte, bool) {
	c.t.Helper()
	status, body := c.call(nic, http.MethodGet, pattern, path, nil)
	if why, ok := contractMayRefuse["GET "+pattern]; ok && status >= 400 && status < 500 {
		for _, v := range checkErrorBody(status, body) {
			c.t.Errorf("GET %s as %s: %s", path, nic, v)
		}
		c.t.Logf("GET %s as %s: %d, allowed (%s)", path, nic, status, why)
		return body, false
	}
	if status != http.StatusOK {
		c.t.Errorf("GET %s as %s (route %s): status %d, want 200: %.300s", path, nic, pattern, status, body)
		return body, false
	}
	if op := c.op(http.MethodGet, pattern); op != nil {
		for _, v := range checkResponse(c.t, op.ResponseType, body) {
			c.t.Errorf("GET %s as %s (route %s, %s): %s", path, nic, pattern, op.ResponseType, v)
		}
	}
	return body, true
}

// contractMayRefuse are the GET routes that may answer some objects with a
// 4xx (a well-formed error) instead of the object, and why. Each must still
// succeed on at least one object (see TestContractWrites).
var contractMayRefuse = map[string]string{
	// ipLoadbalancing.VrackNetworkCreationRules has a non-nullable vrackName:
	// there is nothing to answer for an IPLB outside a vRack ([S]; the
	// status of the refusal is [INF]).
	"GET /ipLoadbalancing/{serviceName}/vrack/networkCreationRules": "IPLB not in a vRack",
}

// listValues GETs a list route's concrete path and returns its elements as
// path-parameter values (strings or integers), at most contractSample.
func (c *contractEnv) listValues(nic, pattern, path string) ([]string, error) {
	key := nic + " " + path
	if v, ok := c.lists[key]; ok {
		return v, nil
	}
	body, ok := c.getChecked(nic, pattern, path)
	if !ok {
		return nil, fmt.Errorf("GET %s failed", path)
	}
	var items []any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("GET %s does not answer a list: %.200s", path, body)
	}
	var out []string
	for _, it := range items {
		switch v := it.(type) {
		case string:
			out = append(out, v)
		case json.Number:
			out = append(out, v.String())
		default:
			return nil, fmt.Errorf("GET %s lists %s, not ids", path, jsonKind(v))
		}
	}
	if len(out) > contractSample {
		out = out[:contractSample]
	}
	c.lists[key] = out
	return out, nil
}

// lastParam splits a pattern at its last path parameter:
// "/ip/{ip}/task/{taskId}" gives "/ip/{ip}/task", "taskId", "".
func lastParam(pattern string) (prefix, name, suffix string, ok bool) {
	open := strings.LastIndex(pattern, "/{")
	if open < 0 {
		return pattern, "", "", false
	}
	end := strings.Index(pattern[open:], "}")
	if end < 0 {
		return pattern, "", "", false
	}
	return pattern[:open], pattern[open+2 : open+end], pattern[open+end+1:], true
}

// concretePaths returns concrete paths for pattern as nic: each path
// parameter takes the values its parent list route gives (e.g. {frontendId}
// from GET .../http/frontend, {ip} from GET /ip), at most contractSample of
// each. An error means the pattern cannot be walked at all (no parent list
// registered, or the list failed).
func (c *contractEnv) concretePaths(nic, pattern string) ([]string, error) {
	prefix, name, suffix, ok := lastParam(pattern)
	if !ok {
		return []string{pattern}, nil
	}
	if c.routes["GET "+prefix] == nil {
		return nil, fmt.Errorf("no GET %s registered to list {%s} from", prefix, name)
	}
	parents, err := c.concretePaths(nic, prefix)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, parent := range parents {
		values, err := c.listValues(nic, prefix, parent)
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			out = append(out, parent+"/"+url.PathEscape(v)+suffix)
		}
	}
	return out, nil
}

// walkGETs GETs every registered GET route on every concrete path nic can
// reach, checks each answer, and returns how many paths of each pattern
// were exercised.
func (c *contractEnv) walkGETs(nic string) map[string]int {
	c.t.Helper()
	done := map[string]int{}
	for _, rt := range c.sortedRoutes(http.MethodGet) {
		paths, err := c.concretePaths(nic, rt.pattern)
		if err != nil {
			c.t.Errorf("GET %s cannot be exercised as %s: %v", rt.pattern, nic, err)
			continue
		}
		for _, p := range paths {
			if _, ok := c.getChecked(nic, rt.pattern, p); ok {
				done[rt.pattern]++
			}
		}
	}
	return done
}

// errorClasses are the classes of REFERENCE §3.1's table, by status.
var errorClasses = map[int]string{
	400: "Client::BadRequest", 401: "Client::Unauthorized", 403: "Client::Forbidden",
	404: "Client::NotFound", 405: "Client::MethodNotAllowed", 409: "Client::Conflict",
	500: "Server::InternalServerError", 503: "Server::ServiceUnavailable",
}

// checkErrorBody checks an error answer against REFERENCE §3.1/§3.2: a JSON
// object with a class matching the status and a non-empty message, at most
// errorCode and httpCode besides (strings), and details only as a flat
// string→string map (go-ovh falls back to the raw body otherwise).
func checkErrorBody(status int, body []byte) []string {
	var out []string
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return []string{fmt.Sprintf("error body is not a JSON object: %.200s", body)}
	}
	str := func(k string) (string, bool) {
		raw, ok := m[k]
		if !ok {
			return "", false
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			out = append(out, fmt.Sprintf("error body: %s is not a string: %s", k, raw))
		}
		return s, true
	}
	for k := range m {
		switch k {
		case "class", "message", "errorCode", "httpCode", "details":
		default:
			out = append(out, fmt.Sprintf("error body: unknown key %q", k))
		}
	}
	if class, ok := str("class"); !ok {
		out = append(out, "error body: no class")
	} else if want, known := errorClasses[status]; known && class != want {
		out = append(out, fmt.Sprintf("error body: class %q for status %d, want %q", class, status, want))
	}
	if msg, ok := str("message"); !ok || msg == "" {
		out = append(out, "error body: no message")
	}
	str("errorCode")
	if hc, ok := str("httpCode"); ok && !strings.HasPrefix(hc, strconv.Itoa(status)+" ") {
		out = append(out, fmt.Sprintf("error body: httpCode %q for status %d", hc, status))
	}
	if raw, ok := m["details"]; ok {
		var d map[string]string
		if err := json.Unmarshal(raw, &d); err != nil {
			out = append(out, fmt.Sprintf("error body: details is not a string→string map: %s", raw))
		}
	}
	return out
}

func TestCheckErrorBody(t *testing.T) {
	t.Parallel()
	good := []struct {
		status int
		body   string
	}{
		{404, `{"class":"Client::NotFound","message":"This service does not exist"}`},
		{403, `{"class":"Client::Forbidden","message":"This call has not been granted","errorCode":"NOT_GRANTED_CALL","httpCode":"403 Forbidden"}`},
		{403, `{"class":"Client::Forbidden","message":"x","details":{"unauthorizedActionsByIAM":"a"}}`},
	}
	for _, g := range good {
		if v := checkErrorBody(g.status, []byte(g.body)); len(v) != 0 {
			t.Errorf("%s: %q", g.body, v)
		}
	}
	bad := []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"class":"Client::BadRequest","message":"x"}`, "class"},
		{404, `{"message":"x"}`, "no class"},
		{404, `{"class":"Client::NotFound"}`, "no message"},
		{404, `{"class":"Client::NotFound","message":"x","code":404}`, `unknown key "code"`},
		{403, `{"class":"Client::Forbidden","message":"x","details":{"n":1}}`, "details"},
		{400, `{"class":"Client::BadRequest","message":"x","httpCode":"403 Forbidden"}`, "httpCode"},
		{500, `<html>`, "not a JSON object"},
	}
	for _, b := range bad {
		if v := checkErrorBody(b.status, []byte(b.body)); !containsViolation(v, b.want) {
			t.Errorf("%s: want %q, got %q", b.body, b.want, v)
		}
	}
}

// TestContractRoutesInSchema: the emulator serves no operation the real API
// does not have, and each has the schema's authentication.
func TestContractRoutesInSchema(t *testing.T) {
	t.Parallel()
	c := newContractEnv(t)
	if len(c.routes) == 0 {
		t.Fatal("the emulator registers no route")
	}
	if len(c.routes) != len(c.e.routes) {
		t.Errorf("%d routes registered, %d distinct: a route is registered twice", len(c.e.routes), len(c.routes))
	}
	for _, rt := range c.sortedRoutes("") {
		op := c.op(rt.method, rt.pattern)
		if op == nil {
			t.Errorf("%s %s is registered but is not an operation of the official schemas", rt.method, rt.pattern)
			continue
		}
		if rt.public != op.NoAuthentication {
			t.Errorf("%s %s: registered public=%v, schema noAuthentication=%v", rt.method, rt.pattern, rt.public, op.NoAuthentication)
		}
		if op.APIStatus.Value == "DEPRECATED" {
			t.Logf("note: %s %s is DEPRECATED in the schema", rt.method, rt.pattern)
		}
	}
}

// contractRequired are the operations issue 3 asks the emulator to serve.
var contractRequired = []string{
	"GET /auth/time", "POST /auth/credential", "GET /auth/currentCredential", "GET /auth/details",
	"POST /auth/logout", "GET /me",
	"GET /ip", "GET /ip/{ip}", "GET /ip/{ip}/move", "POST /ip/{ip}/move", "POST /ip/{ip}/park",
	"GET /ip/{ip}/task", "GET /ip/{ip}/task/{taskId}",
	"GET /ipLoadbalancing", "GET /ipLoadbalancing/{serviceName}",
	"GET /ipLoadbalancing/{serviceName}/failover", "GET /ipLoadbalancing/{serviceName}/zone",
	"GET /ipLoadbalancing/{serviceName}/status", "GET /ipLoadbalancing/{serviceName}/definedFrontends",
	"GET /ipLoadbalancing/{serviceName}/pendingChanges", "POST /ipLoadbalancing/{serviceName}/refresh",
	"GET /ipLoadbalancing/{serviceName}/task", "GET /ipLoadbalancing/{serviceName}/task/{id}",
	"GET /ipLoadbalancing/{serviceName}/vrack/status", "GET /ipLoadbalancing/{serviceName}/vrack/network",
	"POST /ipLoadbalancing/{serviceName}/vrack/network",
	"GET /ipLoadbalancing/{serviceName}/vrack/network/{vrackNetworkId}",
}

// contractRequiredPerProtocol are required for http, tcp and udp
// ("{proto}"), or for http and tcp only when marked "!udp".
var contractRequiredPerProtocol = []string{
	"GET /ipLoadbalancing/{serviceName}/{proto}/frontend", "POST /ipLoadbalancing/{serviceName}/{proto}/frontend",
	"GET /ipLoadbalancing/{serviceName}/{proto}/frontend/{frontendId}",
	"PUT /ipLoadbalancing/{serviceName}/{proto}/frontend/{frontendId}",
	"DELETE /ipLoadbalancing/{serviceName}/{proto}/frontend/{frontendId}",
	"GET /ipLoadbalancing/{serviceName}/{proto}/farm", "POST /ipLoadbalancing/{serviceName}/{proto}/farm",
	"GET /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}", "PUT /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}",
	"DELETE /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}",
	"GET /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}/server",
	"POST /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}/server",
	"GET /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}/server/{serverId}",
	"PUT /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}/server/{serverId}",
	"DELETE /ipLoadbalancing/{serviceName}/{proto}/farm/{farmId}/server/{serverId}",
	"!udp GET /ipLoadbalancing/{serviceName}/{proto}/route", "!udp POST /ipLoadbalancing/{serviceName}/{proto}/route",
	"!udp GET /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}",
	"!udp PUT /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}",
	"!udp DELETE /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}",
	"!udp GET /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}/rule",
	"!udp POST /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}/rule",
	"!udp GET /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}/rule/{ruleId}",
	"!udp PUT /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}/rule/{ruleId}",
	"!udp DELETE /ipLoadbalancing/{serviceName}/{proto}/route/{routeId}/rule/{ruleId}",
}

// TestContractRequiredRoutes: the operations issue 3 lists are all served
// (and are operations of the schemas, which the list itself is checked for).
func TestContractRequiredRoutes(t *testing.T) {
	t.Parallel()
	c := newContractEnv(t)
	want := slices.Clone(contractRequired)
	for _, proto := range []string{"http", "tcp", "udp"} {
		for _, r := range contractRequiredPerProtocol {
			r, notUDP := strings.CutPrefix(r, "!udp ")
			if notUDP && proto == "udp" {
				continue
			}
			want = append(want, strings.ReplaceAll(r, "{proto}", proto))
		}
	}
	for _, key := range want {
		if c.s.ops[key] == nil {
			t.Errorf("test table: %s is not an operation of the schemas", key)
		}
		if c.routes[key] == nil {
			t.Errorf("%s is not served (issue 3 asks for it)", key)
		}
	}
}

// TestContractGETSeeded walks every GET route on the demo seed.
func TestContractGETSeeded(t *testing.T) {
	t.Parallel()
	c := newContractEnv(t)
	demo := c.walkGETs(DemoAccount)
	other := c.walkGETs(OtherAccount)
	for _, rt := range c.sortedRoutes(http.MethodGet) {
		t.Logf("GET %s: %d paths as %s, %d as %s", rt.pattern, demo[rt.pattern], DemoAccount, other[rt.pattern], OtherAccount)
	}
	c.checkIsolationAndNotFound()
}

// checkIsolationAndNotFound asks every DemoAccount path that names an object
// again as OtherAccount, and once more with an unknown last parameter: both
// must be refused with a 4xx and a well-formed error body.
func (c *contractEnv) checkIsolationAndNotFound() {
	t := c.t
	t.Helper()
	for _, rt := range c.sortedRoutes(http.MethodGet) {
		prefix, name, suffix, ok := lastParam(rt.pattern)
		if !ok || isAuthRoute(rt.pattern) {
			continue
		}
		paths, err := c.concretePaths(DemoAccount, rt.pattern)
		if err != nil || len(paths) == 0 {
			continue // reported by the walk
		}
		for _, p := range paths[:min(3, len(paths))] {
			status, body := c.call(OtherAccount, http.MethodGet, rt.pattern, p, nil)
			if status != http.StatusNotFound && status != http.StatusForbidden {
				t.Errorf("isolation: GET %s as %s (DemoAccount's object): status %d, want 404 or 403: %.200s", p, OtherAccount, status, body)
			} else {
				for _, v := range checkErrorBody(status, body) {
					t.Errorf("GET %s as %s: %s", p, OtherAccount, v)
				}
			}
		}
		// An unknown value of the last parameter, of the parameter's type.
		parents, err := c.concretePaths(DemoAccount, prefix)
		if err != nil || len(parents) == 0 {
			continue
		}
		bogus := "contract-no-such-" + strings.ToLower(name)
		if op := c.op(http.MethodGet, rt.pattern); op != nil {
			for _, p := range op.params("path") {
				if p.Name != name {
					continue
				}
				switch strings.TrimSuffix(p.typ(), "[]") {
				case "long", "coreTypes.ServiceId:long":
					bogus = "987654321"
				case "ipBlock", "ipv4Block":
					bogus = "198.18.0.1/32" // RFC 2544 benchmarking range: never seeded
				case "ip", "ipv4":
					bogus = "198.18.0.1"
				}
			}
		}
		p := parents[0] + "/" + url.PathEscape(bogus) + suffix
		status, body := c.call(DemoAccount, http.MethodGet, rt.pattern, p, nil)
		if status != http.StatusNotFound {
			t.Errorf("not found: GET %s as %s: status %d, want 404: %.200s", p, DemoAccount, status, body)
			continue
		}
		for _, v := range checkErrorBody(status, body) {
			t.Errorf("GET %s: %s", p, v)
		}
	}
}

// contractStep is one write (or a GET whose answer later steps need) of the
// write table. $name in path and body is replaced by a variable: the seed's
// names, or what an earlier step saved.
type contractStep struct {
	method, pattern string            // the route, as registered
	path            string            // concrete path, with $vars (escaped as path segments)
	body            string            // JSON with $vars; "" = no body at all
	save            map[string]string // variable → field of the answer ("farmId"; "[0]" = first element)
	echo            bool              // the fields sent must read back as sent
	before          func(*Emulator)   // e.g. let tasks finish first
}

var contractVarRE = regexp.MustCompile(`\$[a-zA-Z][a-zA-Z0-9]*`)

// expand replaces $vars; it reports false when one is unknown (the step
// that should have saved it did not run).
func expand(s string, vars map[string]string, escape bool) (string, bool) {
	ok := true
	out := contractVarRE.ReplaceAllStringFunc(s, func(m string) string {
		v, found := vars[m[1:]]
		if !found {
			ok = false
			return m
		}
		if escape {
			return url.PathEscape(v)
		}
		return v
	})
	return out, ok
}

// contractWrites is the write table, in order: create, then update, every
// kind of object, on DemoLB2 (no vRack) and, for the vRack, on DemoLB.
// Bodies use every field of the schemas' body parameters at least once
// somewhere, with values the real API accepts (REFERENCE §7–§11).
func contractWrites() []contractStep {
	const lb = "/ipLoadbalancing/$lb"
	const lb2 = "/ipLoadbalancing/$lb2"
	const sn = "/ipLoadbalancing/{serviceName}"
	return []contractStep{
		{method: "GET", pattern: sn + "/failover", path: lb2 + "/failover", save: map[string]string{"lb2ip": "[0]"}},

		// HTTP on DemoLB2.
		{method: "POST", pattern: sn + "/http/farm", path: lb2 + "/http/farm", echo: true,
			body: `{"zone":"gra","port":8080,"displayName":"contract-http","balance":"roundrobin","stickiness":"cookie",
				"vrackNetworkId":null,"probe":{"type":"http","port":8080,"interval":30,"method":"GET","url":"/health",
				"match":"status","pattern":"200","negate":false,"forceSsl":false}}`,
			save: map[string]string{"httpFarm": "farmId"}},
		{method: "PUT", pattern: sn + "/http/farm/{farmId}", path: lb2 + "/http/farm/$httpFarm", echo: true,
			body: `{"displayName":"contract-http-2","balance":"leastconn","port":8081}`},
		{method: "POST", pattern: sn + "/http/farm/{farmId}/server", path: lb2 + "/http/farm/$httpFarm/server", echo: true,
			body: `{"address":"198.51.100.50","port":8080,"status":"active","displayName":"web-1","weight":2,"backup":false,
				"probe":true,"ssl":false,"cookie":"web1","chain":null,"proxyProtocolVersion":"v2","onMarkedDown":"shutdown-sessions"}`,
			save: map[string]string{"httpServer": "serverId"}},
		{method: "PUT", pattern: sn + "/http/farm/{farmId}/server/{serverId}", path: lb2 + "/http/farm/$httpFarm/server/$httpServer",
			echo: true, body: `{"status":"inactive","weight":3,"displayName":"web-1b"}`},
		{method: "POST", pattern: sn + "/http/frontend", path: lb2 + "/http/frontend", echo: true,
			body: `{"zone":"gra","port":"80,443","displayName":"contract-www","defaultFarmId":$httpFarm,"hsts":false,"ssl":false,
				"httpHeader":["X-Client-IP %ci"],"allowedSource":["192.0.2.0/24"],"deniedSource":null,"disabled":false,
				"dedicatedIpfo":["$lb2ip"],"defaultSslId":null,"redirectLocation":null}`,
			save: map[string]string{"httpFrontend": "frontendId"}},
		{method: "PUT", pattern: sn + "/http/frontend/{frontendId}", path: lb2 + "/http/frontend/$httpFrontend", echo: true,
			body: `{"disabled":true,"displayName":"contract-www-2"}`},
		{method: "POST", pattern: sn + "/http/route", path: lb2 + "/http/route", echo: true,
			body: `{"displayName":"contract-route","frontendId":$httpFrontend,"weight":10,"action":{"type":"farm","target":"$httpFarm","status":null}}`,
			save: map[string]string{"httpRoute": "routeId"}},
		{method: "PUT", pattern: sn + "/http/route/{routeId}", path: lb2 + "/http/route/$httpRoute", echo: true,
			body: `{"weight":20,"action":{"type":"redirect","target":"https://${host}${path}","status":302}}`},
		{method: "POST", pattern: sn + "/http/route/{routeId}/rule", path: lb2 + "/http/route/$httpRoute/rule", echo: true,
			body: `{"field":"header","subField":"X-Env","match":"is","pattern":"prod","negate":false,"displayName":"env"}`,
			save: map[string]string{"httpRule": "ruleId"}},
		{method: "PUT", pattern: sn + "/http/route/{routeId}/rule/{ruleId}", path: lb2 + "/http/route/$httpRoute/rule/$httpRule",
			echo: true, body: `{"pattern":"staging","negate":true}`},

		// TCP on DemoLB2.
		{method: "POST", pattern: sn + "/tcp/farm", path: lb2 + "/tcp/farm", echo: true,
			body: `{"zone":"sbg","port":3306,"balance":"leastconn","stickiness":"sourceIp","displayName":"contract-db","probe":{"type":"tcp"}}`,
			save: map[string]string{"tcpFarm": "farmId"}},
		{method: "PUT", pattern: sn + "/tcp/farm/{farmId}", path: lb2 + "/tcp/farm/$tcpFarm", echo: true,
			body: `{"displayName":"contract-db-2","balance":"roundrobin"}`},
		{method: "POST", pattern: sn + "/tcp/farm/{farmId}/server", path: lb2 + "/tcp/farm/$tcpFarm/server", echo: true,
			body: `{"address":"198.51.100.51","port":3306,"status":"active","weight":1,"backup":true,"probe":false,"ssl":false,
				"displayName":"db-1","proxyProtocolVersion":null,"onMarkedDown":null}`,
			save: map[string]string{"tcpServer": "serverId"}},
		{method: "PUT", pattern: sn + "/tcp/farm/{farmId}/server/{serverId}", path: lb2 + "/tcp/farm/$tcpFarm/server/$tcpServer",
			echo: true, body: `{"backup":false,"port":3307}`},
		{method: "POST", pattern: sn + "/tcp/frontend", path: lb2 + "/tcp/frontend", echo: true,
			body: `{"zone":"sbg","port":"3306","defaultFarmId":$tcpFarm,"ssl":false,"deniedSource":["198.51.100.0/24"],"displayName":"contract-db"}`,
			save: map[string]string{"tcpFrontend": "frontendId"}},
		{method: "PUT", pattern: sn + "/tcp/frontend/{frontendId}", path: lb2 + "/tcp/frontend/$tcpFrontend", echo: true,
			body: `{"disabled":true,"port":"3306,3307"}`},
		{method: "POST", pattern: sn + "/tcp/route", path: lb2 + "/tcp/route", echo: true,
			body: `{"frontendId":$tcpFrontend,"action":{"type":"reject"},"weight":1,"displayName":"contract-tcp-route"}`,
			save: map[string]string{"tcpRoute": "routeId"}},
		{method: "PUT", pattern: sn + "/tcp/route/{routeId}", path: lb2 + "/tcp/route/$tcpRoute", echo: true,
			body: `{"displayName":"contract-tcp-route-2","action":{"type":"farm","target":"$tcpFarm"}}`},
		{method: "POST", pattern: sn + "/tcp/route/{routeId}/rule", path: lb2 + "/tcp/route/$tcpRoute/rule", echo: true,
			body: `{"field":"source","match":"in","pattern":"192.0.2.0/24"}`,
			save: map[string]string{"tcpRule": "ruleId"}},
		{method: "PUT", pattern: sn + "/tcp/route/{routeId}/rule/{ruleId}", path: lb2 + "/tcp/route/$tcpRoute/rule/$tcpRule",
			echo: true, body: `{"displayName":"office"}`},

		// UDP on DemoLB2.
		{method: "POST", pattern: sn + "/udp/farm", path: lb2 + "/udp/farm", echo: true,
			body: `{"zone":"gra","port":53,"displayName":"contract-dns"}`, save: map[string]string{"udpFarm": "farmId"}},
		{method: "PUT", pattern: sn + "/udp/farm/{farmId}", path: lb2 + "/udp/farm/$udpFarm", echo: true,
			body: `{"displayName":"contract-dns-2","port":5353}`},
		{method: "POST", pattern: sn + "/udp/farm/{farmId}/server", path: lb2 + "/udp/farm/$udpFarm/server", echo: true,
			body: `{"address":"198.51.100.52","port":53,"status":"active","displayName":"dns-1"}`,
			save: map[string]string{"udpServer": "serverId"}},
		{method: "PUT", pattern: sn + "/udp/farm/{farmId}/server/{serverId}", path: lb2 + "/udp/farm/$udpFarm/server/$udpServer",
			echo: true, body: `{"status":"inactive"}`},
		{method: "POST", pattern: sn + "/udp/frontend", path: lb2 + "/udp/frontend", echo: true,
			body: `{"zone":"gra","port":"53","defaultFarmId":$udpFarm,"displayName":"contract-dns","disabled":false,"dedicatedIpfo":null}`,
			save: map[string]string{"udpFrontend": "frontendId"}},
		{method: "PUT", pattern: sn + "/udp/frontend/{frontendId}", path: lb2 + "/udp/frontend/$udpFrontend", echo: true,
			body: `{"displayName":"contract-dns-2","port":"53,5353"}`},

		// vRack networks on DemoLB (the IPLB in DemoVrack).
		{method: "POST", pattern: sn + "/vrack/network", path: lb + "/vrack/network", echo: true,
			body: `{"subnet":"172.20.0.0/16","natIp":"172.20.255.0/24","vlan":321,"displayName":"contract-net"}`,
			save: map[string]string{"vnet": "vrackNetworkId"}},
		{method: "PUT", pattern: sn + "/vrack/network/{vrackNetworkId}", path: lb + "/vrack/network/$vnet", echo: true,
			body: `{"displayName":"contract-net-2","vlan":322}`},
		{method: "POST", pattern: sn + "/http/farm", path: lb + "/http/farm", echo: true,
			body: `{"zone":"gra","port":80,"vrackNetworkId":$vnet,"displayName":"contract-vrack-farm"}`,
			save: map[string]string{"lbFarm": "farmId"}},
		{method: "POST", pattern: sn + "/vrack/network/{vrackNetworkId}/updateFarmId", path: lb + "/vrack/network/$vnet/updateFarmId",
			body: `{"farmId":[$lbFarm]}`},

		// Failover IPs.
		{method: "PUT", pattern: "/ip/{ip}", path: "/ip/$unpinned", echo: true, body: `{"description":"contract spare"}`},
		{method: "POST", pattern: "/ip/{ip}/move", path: "/ip/$parked/move", body: `{"to":"$lb"}`,
			save: map[string]string{"moveTask": "taskId"}},
		{method: "POST", pattern: "/ip/{ip}/park", path: "/ip/$onServer/park"},

		// The IPLB itself: rename, refresh one zone, then (once that task is
		// done) all zones with no body at all, as terraform does (REFERENCE §10.2).
		{method: "PUT", pattern: sn, path: lb, echo: true, body: `{"displayName":"prod-web-2","sslConfiguration":"intermediate"}`},
		{method: "POST", pattern: sn + "/refresh", path: lb + "/refresh", body: `{"zone":"gra"}`,
			save: map[string]string{"refreshTask": "id"}},
		{method: "POST", pattern: sn + "/refresh", path: lb + "/refresh", before: (*Emulator).Settle},

		// Credentials (public route, with the application header).
		{method: "POST", pattern: "/auth/credential", path: "/auth/credential",
			body: `{"accessRules":[{"method":"GET","path":"/ip*"},{"method":"POST","path":"/ipLoadbalancing/*"}],
				"redirection":"http://127.0.0.1:9/callback","allowedIPs":["127.0.0.0/8"]}`},
	}
}

// contractDeletes undo contractWrites, children first; the last step logs
// out (with a key of its own, see call).
func contractDeletes() []contractStep {
	const lb = "/ipLoadbalancing/$lb"
	const lb2 = "/ipLoadbalancing/$lb2"
	const sn = "/ipLoadbalancing/{serviceName}"
	del := func(pattern, path string) contractStep {
		return contractStep{method: "DELETE", pattern: sn + pattern, path: path}
	}
	steps := []contractStep{}
	for _, p := range []string{"http", "tcp"} {
		P := "$" + p
		steps = append(steps,
			del("/"+p+"/route/{routeId}/rule/{ruleId}", lb2+"/"+p+"/route/"+P+"Route/rule/"+P+"Rule"),
			del("/"+p+"/route/{routeId}", lb2+"/"+p+"/route/"+P+"Route"))
	}
	for _, p := range []string{"http", "tcp", "udp"} {
		P := "$" + p
		steps = append(steps,
			del("/"+p+"/frontend/{frontendId}", lb2+"/"+p+"/frontend/"+P+"Frontend"),
			del("/"+p+"/farm/{farmId}/server/{serverId}", lb2+"/"+p+"/farm/"+P+"Farm/server/"+P+"Server"),
			del("/"+p+"/farm/{farmId}", lb2+"/"+p+"/farm/"+P+"Farm"))
	}
	return append(steps,
		del("/http/farm/{farmId}", lb+"/http/farm/$lbFarm"),
		del("/vrack/network/{vrackNetworkId}", lb+"/vrack/network/$vnet"),
		contractStep{method: "POST", pattern: "/auth/logout", path: "/auth/logout"},
	)
}

// runStep runs one step as DemoAccount and reports whether it ran and
// succeeded. A step whose route is not registered, or whose variables an
// earlier step did not save, is skipped (the coverage check then names any
// registered route left without a case).
func (c *contractEnv) runStep(st contractStep, vars map[string]string) bool {
	t := c.t
	t.Helper()
	key := st.method + " " + st.pattern
	op := c.op(st.method, st.pattern)
	if op == nil {
		t.Errorf("test table: %s is not an operation of the schemas", key)
		return false
	}
	if c.routes[key] == nil {
		t.Logf("skip %s: not registered", key)
		return false
	}
	path, ok1 := expand(st.path, vars, true)
	body, ok2 := expand(st.body, vars, false)
	if !ok1 || !ok2 {
		t.Logf("skip %s: needs a variable an earlier step did not save (%s %s)", key, path, body)
		return false
	}
	var raw []byte
	if st.body != "" {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(body)); err != nil {
			t.Fatalf("test table: %s: body is not JSON: %v", key, err)
		}
		raw = buf.Bytes()
		// The table itself must follow the schema.
		for _, v := range checkBody(t, op, raw) {
			t.Errorf("test table: %s body: %s", key, v)
		}
	}
	if st.before != nil {
		st.before(c.e)
	}
	status, resp := c.call(DemoAccount, st.method, st.pattern, path, raw)
	t.Logf("%s %s %s → %d %.120s", st.method, path, raw, status, resp)
	if status != http.StatusOK {
		t.Errorf("%s %s: status %d, want 200: %.300s (body %s)", st.method, path, status, resp, raw)
		return false
	}
	for _, v := range checkResponse(t, op.ResponseType, resp) {
		t.Errorf("%s %s (%s): %s", st.method, path, op.ResponseType, v)
	}
	for name, field := range st.save {
		v, err := jsonField(resp, field)
		if err != nil {
			t.Errorf("%s %s: cannot save $%s from %q: %v (answer %.200s)", st.method, path, name, field, err, resp)
			continue
		}
		vars[name] = v
	}
	if st.echo && raw != nil {
		got := resp
		if op.ResponseType == "void" {
			// A PUT answers nothing: read the object back.
			var ok bool
			if got, ok = c.getChecked(DemoAccount, st.pattern, path); !ok {
				return true
			}
		}
		for _, v := range echoDiff(raw, got) {
			t.Errorf("%s %s: written field not read back: %s", st.method, path, v)
		}
	}
	return true
}

// jsonField returns a scalar of a JSON answer: a top-level field, or "[0]"
// for a list's first element, as text.
func jsonField(body []byte, field string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if field == "[0]" {
		arr, ok := v.([]any)
		if !ok || len(arr) == 0 {
			return "", fmt.Errorf("not a non-empty list")
		}
		v = arr[0]
	} else {
		obj, ok := v.(map[string]any)
		if !ok {
			return "", fmt.Errorf("not an object")
		}
		v = obj[field]
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	}
	return "", fmt.Errorf("%s is %s", field, jsonKind(v))
}

// echoDiff lists the fields of the JSON object sent whose value in got
// differs (nested objects compared on the keys sent only; a null sent
// matches an absent field).
func echoDiff(sent, got []byte) []string {
	decode := func(b []byte) any {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		_ = dec.Decode(&v)
		return v
	}
	var out []string
	var walk func(path string, s, g any)
	walk = func(path string, s, g any) {
		if sm, ok := s.(map[string]any); ok {
			gm, ok := g.(map[string]any)
			if !ok {
				out = append(out, fmt.Sprintf("%s: sent an object, read %s", path, jsonKind(g)))
				return
			}
			for _, k := range sortedKeys(sm) {
				walk(path+"."+k, sm[k], gm[k])
			}
			return
		}
		if !reflect.DeepEqual(s, g) {
			sb, _ := json.Marshal(s)
			gb, _ := json.Marshal(g)
			out = append(out, fmt.Sprintf("%s: sent %s, read %s", path, sb, gb))
		}
	}
	walk("$", decode(sent), decode(got))
	return out
}

func TestEchoDiff(t *testing.T) {
	t.Parallel()
	if v := echoDiff([]byte(`{"a":1,"b":{"c":"x"},"n":null}`), []byte(`{"a":1,"b":{"c":"x","d":2},"z":3}`)); len(v) != 0 {
		t.Errorf("want no difference, got %q", v)
	}
	v := echoDiff([]byte(`{"a":1,"b":{"c":"x"},"l":["p"]}`), []byte(`{"a":2,"b":{"c":"y"},"l":[]}`))
	for _, want := range []string{"$.a: sent 1, read 2", `$.b.c: sent "x", read "y"`, `$.l: sent ["p"], read []`} {
		if !containsViolation(v, want) {
			t.Errorf("want %q in %q", want, v)
		}
	}
}

// TestContractWrites runs the write table, then walks every GET route (now
// that there is an object of every kind), then deletes what it made. Every
// registered route must have been exercised by then.
func TestContractWrites(t *testing.T) {
	t.Parallel()
	c := newContractEnv(t)
	vars := map[string]string{
		"lb": DemoLB, "lb2": DemoLB2, "parked": DemoIPParked, "unpinned": DemoIPUnpinned, "onServer": DemoIPServer,
	}
	ran := map[string]bool{}
	for _, st := range contractWrites() {
		if c.runStep(st, vars) {
			ran[st.method+" "+st.pattern] = true
		}
	}
	walked := c.walkGETs(DemoAccount)
	for _, st := range contractDeletes() {
		if c.runStep(st, vars) {
			ran[st.method+" "+st.pattern] = true
		}
	}
	for _, rt := range c.sortedRoutes("") {
		key := rt.method + " " + rt.pattern
		switch {
		case rt.method == http.MethodGet && walked[rt.pattern] == 0:
			t.Errorf("GET %s was never exercised: no object of its kind after the write table", rt.pattern)
		case rt.method != http.MethodGet && !ran[key]:
			t.Errorf("%s has no successful case in the write table (contractWrites/contractDeletes)", key)
		}
	}
}

// fullList GETs a list route's concrete path and returns all its ids.
func (c *contractEnv) fullList(nic, pattern, path string) ([]string, bool) {
	c.t.Helper()
	body, ok := c.getChecked(nic, pattern, path)
	if !ok {
		return nil, false
	}
	var items []any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&items); err != nil {
		c.t.Errorf("GET %s: not a list: %.200s", path, body)
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch v := it.(type) {
		case string:
			out = append(out, v)
		case json.Number:
			out = append(out, v.String())
		default:
			return nil, false // a list of objects (definedFarms): no ids to filter
		}
	}
	return out, true
}

// fieldText returns the value at a dotted path ("routedTo.serviceName") of a
// decoded object as query-string text; ok is false for null, absent or
// non-scalar values.
func fieldText(obj map[string]any, dotted string) (string, bool) {
	var v any = obj
	for _, part := range strings.Split(dotted, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		v = m[part]
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// filterDefault is a value of a query parameter's type, for filters whose
// semantics are not checked (ranges, like, contains): the emulator must
// accept it and answer a valid list.
func (c *contractEnv) filterDefault(p schemaParam) (string, bool) {
	typ := p.typ()
	switch typ {
	case "long":
		return "1", true
	case "boolean":
		return "true", true
	case "datetime":
		return "2020-01-01T00:00:00+00:00", true
	case "date":
		return "2020-01-01", true
	case "ipBlock", "ipv4Block":
		return "203.0.113.0/24", true
	case "ip", "ipv4":
		return "203.0.113.10", true
	case "string":
		return "gra", true
	}
	if m, _ := c.s.model(typ); m != nil && len(m.Enum) > 0 {
		return m.Enum[0], true
	}
	return "", false // iamTags (a map): not a filter the console uses
}

// absentValue is a value of the parameter's type that no object has.
func (c *contractEnv) absentValue(p schemaParam, seen map[string]bool) (string, bool) {
	typ := p.typ()
	if m, _ := c.s.model(typ); m != nil && len(m.Enum) > 0 {
		for _, v := range m.Enum {
			if !seen[v] {
				return v, true
			}
		}
		return "", false
	}
	cands := map[string]string{"long": "987654321", "string": "contract-none", "ipv4": "198.18.0.1",
		"ip": "198.18.0.1", "ipBlock": "198.18.0.0/32", "boolean": "false"}
	v, ok := cands[typ]
	if !ok || seen[v] {
		return "", false
	}
	return v, true
}

// TestContractFilters: every documented query filter of a list route is
// accepted and answers a valid list; every "(=)" filter, and
// routedTo.serviceName (a "like" given an exact name), returns exactly the
// objects whose field has the value (REFERENCE §4, §5.1, §6.1, §7–§9, §11).
func TestContractFilters(t *testing.T) {
	t.Parallel()
	c := newContractEnv(t)
	// Give the filters something to tell apart: a running refresh next to
	// the finished tasks, a running move, a frontend in a zone of its own.
	for _, st := range []contractStep{
		{method: "POST", pattern: "/ipLoadbalancing/{serviceName}/refresh", path: "/ipLoadbalancing/$lb/refresh"},
		{method: "POST", pattern: "/ip/{ip}/move", path: "/ip/$parked/move", body: `{"to":"$lb"}`},
		{method: "POST", pattern: "/ipLoadbalancing/{serviceName}/http/frontend", path: "/ipLoadbalancing/$lb2/http/frontend",
			body: `{"zone":"sbg","port":"8443","redirectLocation":"https://www.example.com/"}`},
	} {
		c.runStep(st, map[string]string{"lb": DemoLB, "lb2": DemoLB2, "parked": DemoIPParked})
	}
	discriminating := map[string]bool{} // "pattern?param" that picked a strict, non-empty subset
	for _, rt := range c.sortedRoutes(http.MethodGet) {
		op := c.op(http.MethodGet, rt.pattern)
		if op == nil || len(op.params("query")) == 0 {
			continue
		}
		paths, err := c.concretePaths(DemoAccount, rt.pattern)
		if err != nil {
			t.Errorf("GET %s: %v", rt.pattern, err)
			continue
		}
		itemPattern := ""
		for _, cand := range c.sortedRoutes(http.MethodGet) {
			if prefix, _, suffix, ok := lastParam(cand.pattern); ok && prefix == rt.pattern && suffix == "" {
				itemPattern = cand.pattern
			}
		}
		for _, listPath := range paths {
			c.checkFilters(rt.pattern, itemPattern, listPath, op, discriminating)
		}
	}
	for _, want := range []string{
		"#checked", // at least one filter's semantics were compared
		"/ip?type", "/ip?routedTo.serviceName", "/ipLoadbalancing/{serviceName}/http/frontend?zone",
		"/ipLoadbalancing/{serviceName}/task?action", "/ipLoadbalancing/{serviceName}/task?status",
	} {
		if !discriminating[want] {
			t.Errorf("filter %s was never shown to pick a strict, non-empty subset of its list", want)
		}
	}
}

// checkFilters checks the query filters of one concrete list path.
func (c *contractEnv) checkFilters(pattern, itemPattern, listPath string, op *schemaOp, discriminating map[string]bool) {
	t := c.t
	t.Helper()
	all, ok := c.fullList(DemoAccount, pattern, listPath)
	var items map[string]map[string]any
	if ok && itemPattern != "" {
		items = map[string]map[string]any{}
		for _, id := range all {
			body, ok := c.getChecked(DemoAccount, itemPattern, listPath+"/"+url.PathEscape(id))
			if !ok {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var obj map[string]any
			if err := dec.Decode(&obj); err == nil {
				items[id] = obj
			}
		}
	}
	query := func(name, value string) ([]string, bool) {
		q := url.Values{name: {value}}.Encode()
		ids, ok := c.fullList(DemoAccount, pattern, listPath+"?"+q)
		return ids, ok
	}
	for _, p := range op.params("query") {
		exact := strings.Contains(p.Description, "(=)") || p.Name == "routedTo.serviceName"
		if !exact || items == nil {
			// Accepted, and a valid list; the semantics are not checked.
			if v, ok := c.filterDefault(p); ok {
				query(p.Name, v)
			}
			continue
		}
		values := map[string]bool{}
		for _, obj := range items {
			if v, ok := fieldText(obj, p.Name); ok {
				values[v] = true
			}
		}
		seen := maps.Clone(values) // the values objects have, before adding one they lack
		if v, ok := c.absentValue(p, seen); ok {
			values[v] = true
		}
		if len(values) == 0 {
			if v, ok := c.filterDefault(p); ok {
				query(p.Name, v)
			}
			continue
		}
		for _, v := range sortedKeys(values) {
			var want []string
			for _, id := range all {
				if got, ok := fieldText(items[id], p.Name); ok && got == v {
					want = append(want, id)
				}
			}
			got, ok := query(p.Name, v)
			if !ok {
				continue
			}
			if !sameSet(want, got) {
				t.Errorf("GET %s?%s=%s: got %v, want %v (the objects whose %s is %q)", listPath, p.Name, v, got, want, p.Name, v)
				continue
			}
			discriminating["#checked"] = true
			if len(want) > 0 && len(want) < len(all) {
				discriminating[pattern+"?"+p.Name] = true
			}
		}
	}
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}
