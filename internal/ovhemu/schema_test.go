package ovhemu

// A checker of JSON values against the official API schemas
// (testdata/ovh-schemas/v1, api.ovh.com format: "apis" with operations and
// "models" with properties or enums). contract_test.go runs it on every
// response the emulator gives, so that a misspelt JSON name, a wrong type, an
// enum value the API does not have or a null where the schema forbids one
// fails a test instead of passing on both sides of a client test.
//
// Policy (how the checker reads the schema):
//   - A property name that the model does not declare is always a violation.
//     This is the point of the checker: a misspelt name must fail.
//   - An absent property is fine unless it is "required" (the schemas mark
//     only request-body fields so). checkResponse adds one rule for what the
//     emulator answers: every property with canBeNull false must be present,
//     because the real API serialises every property of a model (nullable ones
//     as null) and a client cannot tell an absent field from its zero value
//     ([INF]: inferred from the real outputs quoted in REFERENCE §2.4 and
//     §3.1, which carry every field, nulls included). An absent nullable
//     property counts as null.
//   - null is allowed only where canBeNull is true, and as the whole body of a
//     "void" operation (REFERENCE §4). Array elements and map values are never
//     null.
//   - In request bodies (checkRequest), a readOnly property is a violation
//     too: REFERENCE §0 says such fields are ignored or refused in PUT bodies.
//   - Primitive formats follow REFERENCE §0: long is an integer without
//     fraction or exponent; datetime is RFC 3339 with an offset ("Z" or
//     "+02:00"); date is YYYY-MM-DD; ip/ipv4/ipv6 are addresses without a
//     mask; ipBlock (and ipv4Block, ipv6Block) are CIDR blocks with no host
//     bits set (an output such as "203.0.113.17/29" would be a bug).
//   - An enum whose enumType is "long" (ip.IpVersionEnum: "4", "6") is a
//     JSON integer whose decimal text is one of the values ([S]: the
//     enumType says long; REFERENCE §5.2's "as strings" describes how the
//     schema lists the values).
//   - Aliases such as "coreTypes.AccountId:string" are checked as the type
//     after the colon; generic models ("complexType.Range<long>") bind their
//     parameters; "map[string]T" is an object whose values are T; a Go-style
//     "[]T" prefix is an array like "T[]".

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// schemaDir holds the official schemas, relative to this package.
const schemaDir = "../../testdata/ovh-schemas/v1"

// schemaFiles are the schema files the emulator's routes come from.
var schemaFiles = []string{"auth", "ip", "ipLoadbalancing", "me", "vrack"}

// schemaSet is the union of the schema files: every model by its full name
// and every operation by "METHOD /path".
type schemaSet struct {
	models map[string]*schemaModel
	ops    map[string]*schemaOp
}

type schemaFile struct {
	APIs []struct {
		Path       string      `json:"path"`
		Operations []*schemaOp `json:"operations"`
	} `json:"apis"`
	Models map[string]*schemaModel `json:"models"`
}

// schemaModel is an object model (Properties) or an enum (Enum, EnumType).
type schemaModel struct {
	ID         string                `json:"id"`
	Namespace  string                `json:"namespace"`
	Generics   []string              `json:"generics"`
	Properties map[string]schemaProp `json:"properties"`
	Enum       []string              `json:"enum"`
	EnumType   string                `json:"enumType"`
}

type schemaProp struct {
	Type      string `json:"type"`
	FullType  string `json:"fullType"`
	CanBeNull bool   `json:"canBeNull"`
	ReadOnly  bool   `json:"readOnly"`
	Required  bool   `json:"required"`
}

// typ is the property's type; fullType is missing on some properties.
func (p schemaProp) typ() string {
	if p.FullType != "" {
		return p.FullType
	}
	return p.Type
}

type schemaOp struct {
	Path             string        `json:"-"`
	HTTPMethod       string        `json:"httpMethod"`
	ResponseType     string        `json:"responseType"`
	NoAuthentication bool          `json:"noAuthentication"`
	Parameters       []schemaParam `json:"parameters"`
	APIStatus        struct {
		Value string `json:"value"`
	} `json:"apiStatus"`
}

type schemaParam struct {
	Name      string `json:"name"` // "" for a whole-body parameter
	DataType  string `json:"dataType"`
	ParamType string `json:"paramType"` // path, query, body
	FullType  string `json:"fullType"`
	Required  bool   `json:"required"`
	// Description ends with the match of a query filter: "(=)", "(like)"...
	Description string `json:"description"`
}

func (p schemaParam) typ() string {
	if p.FullType != "" {
		return p.FullType
	}
	return p.DataType
}

// params returns the operation's parameters of one kind (path, query, body).
func (o *schemaOp) params(kind string) []schemaParam {
	var out []schemaParam
	for _, p := range o.Parameters {
		if p.ParamType == kind {
			out = append(out, p)
		}
	}
	return out
}

// bodyModel returns what a request body of this operation is checked
// against: the model of a whole-body parameter (PUTs, POST /auth/credential),
// or a synthetic model made of the named body parameters (most POSTs). It
// returns "" and nil when the operation takes no body.
func (s *schemaSet) bodyModel(o *schemaOp) (string, *schemaModel) {
	body := o.params("body")
	if len(body) == 0 {
		return "", nil
	}
	if len(body) == 1 && body[0].Name == "" {
		m, _ := s.model(body[0].typ())
		return body[0].typ(), m
	}
	m := &schemaModel{ID: "body", Properties: map[string]schemaProp{}}
	for _, p := range body {
		// A body parameter that is not required may be sent as null: it is
		// the same as leaving it out ([INF]; go-ovh callers send omitempty
		// structs, the control panel sends nulls).
		m.Properties[p.Name] = schemaProp{Type: p.typ(), CanBeNull: !p.Required, Required: p.Required}
	}
	return "body of " + o.HTTPMethod + " " + o.Path, m
}

// checkBody checks a request body the tests send to operation o against the
// operation's body parameters (modeRequest: names, types, required, no
// read-only field).
func checkBody(t testing.TB, o *schemaOp, raw json.RawMessage) []string {
	t.Helper()
	s := schemaSetFor(t)
	name, m := s.bodyModel(o)
	if m == nil {
		if len(strings.TrimSpace(string(raw))) == 0 {
			return nil
		}
		if name == "" {
			return []string{"$: " + o.HTTPMethod + " " + o.Path + " takes no body"}
		}
		return []string{"$: unknown body type " + name}
	}
	c := &checker{s: s, mode: modeRequest}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		c.addf("$", "invalid JSON: %v", err)
		return c.out
	}
	c.object("$", name, m, nil, v)
	return c.out
}

// loadSchemaSet reads the schema files once per test binary.
var loadSchemaSet = sync.OnceValues(func() (*schemaSet, error) {
	s := &schemaSet{models: map[string]*schemaModel{}, ops: map[string]*schemaOp{}}
	for _, name := range schemaFiles {
		b, err := os.ReadFile(filepath.Join(schemaDir, name+".json"))
		if err != nil {
			return nil, err
		}
		var f schemaFile
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("%s.json: %w", name, err)
		}
		for k, m := range f.Models {
			if old, ok := s.models[k]; ok && !sameModel(old, m) {
				return nil, fmt.Errorf("%s.json: model %s differs from another file's", name, k)
			}
			s.models[k] = m
		}
		for _, api := range f.APIs {
			for _, op := range api.Operations {
				op.Path = api.Path
				key := op.HTTPMethod + " " + api.Path
				if _, dup := s.ops[key]; dup {
					return nil, fmt.Errorf("%s.json: operation %s twice", name, key)
				}
				s.ops[key] = op
			}
		}
	}
	if len(s.ops) == 0 || len(s.models) == 0 {
		return nil, fmt.Errorf("no operations or models in %s", schemaDir)
	}
	return s, nil
})

func sameModel(a, b *schemaModel) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// schemaSetFor returns the loaded schema set or fails the test.
func schemaSetFor(t testing.TB) *schemaSet {
	t.Helper()
	s, err := loadSchemaSet()
	if err != nil {
		t.Fatalf("load schemas: %v", err)
	}
	return s
}

// checkMode selects the extra rules of responses and request bodies.
type checkMode int

const (
	modeValue    checkMode = iota // names, types, enums, nulls, required
	modeResponse                  // + every non-nullable property present
	modeRequest                   // + no read-only property
)

// checkValue checks raw against fullType and returns every violation, each
// prefixed with its JSON path ("$.routedTo.serviceName: ..."). See the policy
// at the top of this file.
func checkValue(t testing.TB, fullType string, raw json.RawMessage) []string {
	t.Helper()
	return schemaSetFor(t).check(fullType, raw, modeValue)
}

// checkResponse is checkValue plus: every non-nullable property is present.
func checkResponse(t testing.TB, fullType string, raw json.RawMessage) []string {
	t.Helper()
	return schemaSetFor(t).check(fullType, raw, modeResponse)
}

// checkRequest is checkValue plus: no read-only property is sent.
func checkRequest(t testing.TB, fullType string, raw json.RawMessage) []string {
	t.Helper()
	return schemaSetFor(t).check(fullType, raw, modeRequest)
}

// check decodes raw and walks it against fullType.
func (s *schemaSet) check(fullType string, raw json.RawMessage, mode checkMode) []string {
	c := &checker{s: s, mode: mode}
	trimmed := strings.TrimSpace(string(raw))
	if fullType == "void" {
		// REFERENCE §4 [INF]: void operations answer null (or nothing).
		if trimmed != "" && trimmed != "null" {
			c.addf("$", "void operation must answer null or nothing, got %.80s", trimmed)
		}
		return c.out
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		c.addf("$", "invalid JSON: %v", err)
		return c.out
	}
	if dec.More() {
		c.addf("$", "trailing data after the JSON value")
		return c.out
	}
	c.value("$", fullType, nil, v)
	return c.out
}

type checker struct {
	s    *schemaSet
	mode checkMode
	out  []string
}

func (c *checker) addf(path, format string, args ...any) {
	c.out = append(c.out, path+": "+fmt.Sprintf(format, args...))
}

var (
	reLong = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	reDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	reUUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// reDatetime insists on the date, the time and an offset: time.Parse
	// alone would accept a few shapes that are not ISO-8601.
	reDatetime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`)
)

// value checks one decoded JSON value v (nil for null) against typ, with
// generic parameters bound by env.
func (c *checker) value(path, typ string, env map[string]string, v any) {
	typ = strings.TrimSpace(typ)
	if b, ok := env[typ]; ok {
		typ = b
	}
	if i := strings.LastIndex(typ, ":"); i >= 0 && !strings.Contains(typ, "<") {
		typ = typ[i+1:] // coreTypes.AccountId:string is a string
	}
	if v == nil {
		c.addf(path, "null where %s is expected (not nullable)", typ)
		return
	}
	switch {
	case strings.HasSuffix(typ, "[]"):
		c.array(path, strings.TrimSuffix(typ, "[]"), env, v)
		return
	case strings.HasPrefix(typ, "[]"):
		c.array(path, strings.TrimPrefix(typ, "[]"), env, v)
		return
	case strings.HasPrefix(typ, "map[string]"):
		obj, ok := v.(map[string]any)
		if !ok {
			c.addf(path, "want an object (%s), got %s", typ, jsonKind(v))
			return
		}
		for _, k := range sortedKeys(obj) {
			c.value(path+"["+strconv.Quote(k)+"]", strings.TrimPrefix(typ, "map[string]"), env, obj[k])
		}
		return
	}
	if c.primitive(path, typ, v) {
		return
	}
	m, menv := c.s.model(typ)
	if m == nil {
		c.addf(path, "unknown schema type %q", typ)
		return
	}
	if m.Enum != nil {
		c.enum(path, typ, m, v)
		return
	}
	c.object(path, typ, m, menv, v)
}

func (c *checker) array(path, elem string, env map[string]string, v any) {
	arr, ok := v.([]any)
	if !ok {
		c.addf(path, "want an array of %s, got %s", elem, jsonKind(v))
		return
	}
	for i, e := range arr {
		c.value(fmt.Sprintf("%s[%d]", path, i), elem, env, e)
	}
}

// primitive checks the schema's primitive types; it reports false when typ
// is not one of them.
func (c *checker) primitive(path, typ string, v any) bool {
	str := func() (string, bool) {
		s, ok := v.(string)
		if !ok {
			c.addf(path, "want a string (%s), got %s", typ, jsonKind(v))
		}
		return s, ok
	}
	switch typ {
	case "long":
		n, ok := v.(json.Number)
		if !ok {
			c.addf(path, "want an integer (long), got %s", jsonKind(v))
		} else if !reLong.MatchString(n.String()) {
			c.addf(path, "want an integer (long), got %s", n)
		} else if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			c.addf(path, "long out of range: %s", n)
		}
	case "double":
		if _, ok := v.(json.Number); !ok {
			c.addf(path, "want a number (double), got %s", jsonKind(v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			c.addf(path, "want a boolean, got %s", jsonKind(v))
		}
	case "string", "text", "password", "phoneNumber", "duration":
		str()
	case "datetime":
		if s, ok := str(); ok {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil || !reDatetime.MatchString(s) {
				c.addf(path, "want an ISO-8601 datetime with offset, got %q", s)
			}
		}
	case "date":
		if s, ok := str(); ok {
			if _, err := time.Parse(time.DateOnly, s); err != nil || !reDate.MatchString(s) {
				c.addf(path, "want a date YYYY-MM-DD, got %q", s)
			}
		}
	case "ip", "ipv4", "ipv6":
		if s, ok := str(); ok {
			a, err := netip.ParseAddr(s)
			switch {
			case err != nil:
				c.addf(path, "want an %s address without mask, got %q", typ, s)
			case typ == "ipv4" && !a.Is4():
				c.addf(path, "want an IPv4 address, got %q", s)
			case typ == "ipv6" && !a.Is6():
				c.addf(path, "want an IPv6 address, got %q", s)
			case a.Zone() != "":
				c.addf(path, "address with a zone: %q", s)
			}
		}
	case "ipBlock", "ipv4Block", "ipv6Block":
		if s, ok := str(); ok {
			p, err := netip.ParsePrefix(s)
			switch {
			case err != nil:
				c.addf(path, "want a CIDR block (%s) such as 203.0.113.10/32, got %q", typ, s)
			case p.Masked() != p:
				c.addf(path, "CIDR block %q has host bits set (want %s)", s, p.Masked())
			case typ == "ipv4Block" && !p.Addr().Is4():
				c.addf(path, "want an IPv4 block, got %q", s)
			case typ == "ipv6Block" && !p.Addr().Is6():
				c.addf(path, "want an IPv6 block, got %q", s)
			}
		}
	case "uuid":
		if s, ok := str(); ok && !reUUID.MatchString(s) {
			c.addf(path, "want a UUID, got %q", s)
		}
	case "void":
		c.addf(path, "a value where void is expected")
	default:
		return false
	}
	return true
}

func (c *checker) enum(path, typ string, m *schemaModel, v any) {
	var got string
	switch m.EnumType {
	case "long":
		n, ok := v.(json.Number)
		if !ok {
			c.addf(path, "want an integer of enum %s, got %s", typ, jsonKind(v))
			return
		}
		got = n.String()
	default:
		s, ok := v.(string)
		if !ok {
			c.addf(path, "want a string of enum %s, got %s", typ, jsonKind(v))
			return
		}
		got = s
	}
	for _, e := range m.Enum {
		if e == got {
			return
		}
	}
	c.addf(path, "%q is not a value of enum %s %v", got, typ, m.Enum)
}

func (c *checker) object(path, typ string, m *schemaModel, env map[string]string, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.addf(path, "want an object (%s), got %s", typ, jsonKind(v))
		return
	}
	for _, k := range sortedKeys(obj) {
		p, ok := m.Properties[k]
		if !ok {
			c.addf(path+"."+k, "unknown property of %s (known: %s)", typ, strings.Join(sortedKeys(m.Properties), ", "))
			continue
		}
		if c.mode == modeRequest && p.ReadOnly {
			c.addf(path+"."+k, "read-only property of %s sent in a request body", typ)
		}
		if obj[k] == nil {
			if !p.CanBeNull {
				c.addf(path+"."+k, "null but %s.%s is not nullable", typ, k)
			}
			continue
		}
		c.value(path+"."+k, p.typ(), env, obj[k])
	}
	for _, k := range sortedKeys(m.Properties) {
		if _, present := obj[k]; present {
			continue
		}
		p := m.Properties[k]
		switch {
		case p.Required:
			c.addf(path+"."+k, "required property of %s is missing", typ)
		case c.mode == modeResponse && !p.CanBeNull:
			c.addf(path+"."+k, "non-nullable property of %s is missing from a response", typ)
		}
	}
}

// model finds the model named typ and, for a generic instance such as
// "complexType.Range<long>", the binding of its parameters.
func (s *schemaSet) model(typ string) (*schemaModel, map[string]string) {
	open := strings.Index(typ, "<")
	if open < 0 {
		return s.models[typ], nil
	}
	if !strings.HasSuffix(typ, ">") {
		return nil, nil
	}
	base, args := typ[:open], splitGenericArgs(typ[open+1:len(typ)-1])
	m := s.models[typ]
	if m == nil {
		// Look for the generic declaration, e.g. complexType.Range<T>.
		for k, cand := range s.models {
			if strings.HasPrefix(k, base+"<") && len(cand.Generics) == len(args) {
				m = cand
				break
			}
		}
	}
	if m == nil || len(m.Generics) != len(args) {
		return nil, nil
	}
	env := map[string]string{}
	for i, g := range m.Generics {
		env[g] = args[i]
	}
	return m, env
}

// splitGenericArgs splits "long,complexType.Range<long>" at top-level commas.
func splitGenericArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "the number " + v.String()
	case string:
		return fmt.Sprintf("the string %q", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// knownType reports whether typ names a primitive, a model, or a
// composition of them, with generics the names of open type parameters.
func (s *schemaSet) knownType(typ string, generics []string) bool {
	typ = strings.TrimSpace(typ)
	for _, g := range generics {
		if typ == g {
			return true
		}
	}
	if i := strings.LastIndex(typ, ":"); i >= 0 && !strings.Contains(typ, "<") {
		typ = typ[i+1:]
	}
	switch {
	case strings.HasSuffix(typ, "[]"):
		return s.knownType(strings.TrimSuffix(typ, "[]"), generics)
	case strings.HasPrefix(typ, "[]"):
		return s.knownType(strings.TrimPrefix(typ, "[]"), generics)
	case strings.HasPrefix(typ, "map[string]"):
		return s.knownType(strings.TrimPrefix(typ, "map[string]"), generics)
	}
	c := &checker{s: s}
	if c.primitive("$", typ, json.Number("0")) || typ == "void" {
		return true // primitive() reports true for every primitive name
	}
	m, _ := s.model(typ)
	return m != nil
}

// TestSchemaTypesResolve makes sure the checker understands every type the
// schema files use, so that no value is accepted or refused merely because
// its type name was not understood.
func TestSchemaTypesResolve(t *testing.T) {
	t.Parallel()
	s := schemaSetFor(t)
	var bad []string
	for name, m := range s.models {
		for pn, p := range m.Properties {
			if !s.knownType(p.typ(), m.Generics) {
				bad = append(bad, fmt.Sprintf("model %s.%s: %s", name, pn, p.typ()))
			}
		}
	}
	for key, op := range s.ops {
		if !s.knownType(op.ResponseType, nil) {
			bad = append(bad, fmt.Sprintf("%s response: %s", key, op.ResponseType))
		}
		for _, p := range op.Parameters {
			if !s.knownType(p.typ(), nil) {
				bad = append(bad, fmt.Sprintf("%s parameter %s: %s", key, p.Name, p.typ()))
			}
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error("type the checker does not understand: " + b)
	}
	// The operations the console relies on must be there at all.
	for _, key := range []string{
		"GET /auth/time", "POST /auth/credential", "GET /me", "GET /ip", "POST /ip/{ip}/move",
		"GET /ipLoadbalancing/{serviceName}/http/frontend/{frontendId}",
		"POST /ipLoadbalancing/{serviceName}/refresh", "GET /ipLoadbalancing/{serviceName}/vrack/network",
	} {
		if s.ops[key] == nil {
			t.Errorf("operation %s not found in the schemas", key)
		}
	}
}

// schemaGoodFrontend is a complete ipLoadbalancing.frontendHttp.FrontendHttp.
const schemaGoodFrontend = `{"allowedSource":null,"dedicatedIpfo":["203.0.113.10/32"],"defaultFarmId":12,
"defaultSslId":null,"deniedSource":null,"disabled":false,"displayName":"www","frontendId":7,"hsts":false,
"httpHeader":null,"port":"80,443","redirectLocation":null,"ssl":false,"vrackNetworkId":null,
"vrackVrouterId":null,"zone":"all"}`

// schemaGoodTask is a complete ipLoadbalancing.Task.Task.
const schemaGoodTask = `{"id":3,"action":"refreshIplb","status":"done","progress":100,
"creationDate":"2026-11-24T10:00:00+01:00","doneDate":"2026-11-24T10:00:15Z","zones":["gra","rbx"]}`

// schemaGoodIP is an ip.IpWithIAM with nested models, a map and a long enum.
const schemaGoodIP = `{"ip":"203.0.113.16/29","type":"failover","routedTo":{"serviceName":null},
"description":null,"canBeTerminated":true,"country":"fr","organisationId":null,"campus":"GRA",
"isAdditionalIp":true,"bringYourOwnIp":false,"regions":null,"rir":"RIPE","version":4,
"iam":{"id":"0b1e3c2a-5d6f-4a7b-8c9d-0e1f2a3b4c5d","urn":"urn:v1:eu:resource:ip:203.0.113.16/29",
"displayName":null,"tags":{"env":"prod"},"state":"OK"}}`

func TestCheckValueAccepts(t *testing.T) {
	t.Parallel()
	cases := []struct{ typ, json string }{
		{"ipLoadbalancing.frontendHttp.FrontendHttp", schemaGoodFrontend},
		{"ipLoadbalancing.Task.Task", schemaGoodTask},
		{"ip.IpWithIAM", schemaGoodIP},
		{"ip.Destinations", `{"ipLoadbalancing":[{"service":"loadbalancer-a1b2c3d4e5f60718","nexthop":null}],"vps":null}`},
		{"ip.IpTask", `{"taskId":5,"function":"genericMoveFloatingIp","status":"todo","startDate":"2026-11-24T10:00:00+01:00",
			"doneDate":null,"lastUpdate":null,"comment":null,"destination":{"serviceName":"loadbalancer-a1b2c3d4e5f60718"}}`},
		{"complexType.Range<long>", `{"from":1,"to":65535}`},
		{"complexType.UnitAndValue<double>", `{"unit":"ms","value":1.5}`},
		{"complexType.SafeKeyValue<string>[]", `[{"key":"a","value":"b"}]`},
		{"services.Service", `{"canDeleteAtExpiration":false,"contactAdmin":"xy1234-ovh","contactBilling":"xy1234-ovh",
			"contactTech":"xy1234-ovh","creation":"2024-01-31","domain":"loadbalancer-a1b2c3d4e5f60718","engagedUpTo":null,
			"expiration":"2027-01-31","possibleRenewPeriod":[1,12],"renew":{"automatic":true,"deleteAtExpiration":false,
			"forced":false,"manualPayment":null,"period":1},"renewalType":"automaticV2016","serviceId":123,"status":"ok"}`},
		{"auth.ApiCredentialRequestParams", `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"http://127.0.0.1/cb","allowedIPs":null}`},
		{"map[string]string", `{"a":"b"}`},
		{"long[]", `[1,-2,0]`},
		{"long", `9007199254740993`},
		{"double", `-1.5e3`},
		{"ipBlock[]", `["203.0.113.10/32","2001:db8::/64"]`},
		{"ipv4Block", `"192.168.0.0/16"`},
		{"ipv6Block", `"2001:db8::/48"`},
		{"ip", `"2001:db8::1"`},
		{"ipv4", `"10.0.0.1"`},
		{"ipv6", `"2001:db8::1"`},
		{"datetime", `"2017-07-11T08:07:49+02:00"`},
		{"datetime", `"2017-07-11T08:07:49.123Z"`},
		{"date", `"2017-07-11"`},
		{"uuid", `"0b1e3c2a-5d6f-4a7b-8c9d-0e1f2a3b4c5d"`},
		{"password", `"x"`},
		{"text", `"x"`},
		{"coreTypes.AccountId:string", `"xy1234-ovh"`},
		{"ip.IpVersionEnum", `6`},
		{"void", `null`},
		{"void", ``},
		{"void", " \n"},
	}
	for _, tc := range cases {
		if v := checkValue(t, tc.typ, json.RawMessage(tc.json)); len(v) != 0 {
			t.Errorf("%s %s: want no violation, got %q", tc.typ, tc.json, v)
		}
	}
	// A complete response passes the stricter response check too.
	for _, tc := range []struct{ typ, json string }{
		{"ipLoadbalancing.frontendHttp.FrontendHttp", schemaGoodFrontend},
		{"ipLoadbalancing.Task.Task", schemaGoodTask},
		{"ip.IpWithIAM", schemaGoodIP},
	} {
		if v := checkResponse(t, tc.typ, json.RawMessage(tc.json)); len(v) != 0 {
			t.Errorf("checkResponse %s: want no violation, got %q", tc.typ, v)
		}
	}
}

// jsonWith returns the JSON object obj with key set to the raw JSON value val,
// or removed when val is "".
func jsonWith(t *testing.T, obj, key, val string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		t.Fatal(err)
	}
	if val == "" {
		delete(m, key)
	} else {
		m[key] = json.RawMessage(val)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckValueRejects(t *testing.T) {
	t.Parallel()
	const fe, task, ip = "ipLoadbalancing.frontendHttp.FrontendHttp", "ipLoadbalancing.Task.Task", "ip.IpWithIAM"
	cases := []struct {
		name, typ, json string
		want            string // a substring of one violation, path first
	}{
		{"misspelt key", fe, jsonWith(t, jsonWith(t, schemaGoodFrontend, "frontendId", ""), "fronendId", "7"), "$.fronendId: unknown property"},
		{"case of a key", task, jsonWith(t, jsonWith(t, schemaGoodTask, "doneDate", ""), "donedate", "null"), "$.donedate: unknown property"},
		{"string for long", fe, jsonWith(t, schemaGoodFrontend, "frontendId", `"7"`), "$.frontendId: want an integer"},
		{"fraction for long", fe, jsonWith(t, schemaGoodFrontend, "defaultFarmId", `1.5`), "$.defaultFarmId: want an integer"},
		{"exponent for long", task, jsonWith(t, schemaGoodTask, "progress", `1e2`), "$.progress: want an integer"},
		{"number for string", fe, jsonWith(t, schemaGoodFrontend, "port", `80`), "$.port: want a string"},
		{"string for boolean", fe, jsonWith(t, schemaGoodFrontend, "disabled", `"false"`), "$.disabled: want a boolean"},
		{"bad enum", task, jsonWith(t, schemaGoodTask, "status", `"finished"`), `$.status: "finished" is not a value of enum`},
		{"enum of another model", task, jsonWith(t, schemaGoodTask, "status", `"ovhError"`), `$.status: "ovhError" is not a value`},
		{"null not nullable", fe, jsonWith(t, schemaGoodFrontend, "zone", `null`), "$.zone: null but"},
		{"null array element", fe, jsonWith(t, schemaGoodFrontend, "dedicatedIpfo", `[null]`), "$.dedicatedIpfo[0]: null where ipBlock"},
		{"missing required", "auth.ApiCredentialRequestParams", `{"redirection":"x"}`, "$.accessRules: required property"},
		{"nested unknown key", ip, jsonWith(t, schemaGoodIP, "routedTo", `{"service":"x"}`), "$.routedTo.service: unknown property of ip.RoutedTo"},
		{"nested map value", ip, jsonWith(t, schemaGoodIP, "iam", `{"id":"0b1e3c2a-5d6f-4a7b-8c9d-0e1f2a3b4c5d","urn":"u","tags":{"env":1}}`), `$.iam.tags["env"]: want a string`},
		{"nested bad uuid", ip, jsonWith(t, schemaGoodIP, "iam", `{"id":"not-a-uuid","urn":"u"}`), "$.iam.id: want a UUID"},
		{"long enum as string", ip, jsonWith(t, schemaGoodIP, "version", `"4"`), "$.version: want an integer of enum ip.IpVersionEnum"},
		{"long enum bad value", ip, jsonWith(t, schemaGoodIP, "version", `5`), `$.version: "5" is not a value`},
		{"deep array element", "ip.Destinations", `{"ipLoadbalancing":[{"service":"a"},{"service":1}]}`, "$.ipLoadbalancing[1].service: want a string"},
		{"array element type", "long[]", `[1,"2"]`, "$[1]: want an integer"},
		{"object for array", "long[]", `{"0":1}`, "$: want an array"},
		{"array for object", task, `[]`, "$: want an object"},
		{"null body", task, `null`, "$: null where"},
		{"ipBlock without mask", "ipBlock", `"203.0.113.10"`, "$: want a CIDR block"},
		{"ipBlock host bits", "ipBlock", `"203.0.113.17/29"`, "host bits set"},
		{"ip with mask", "ip", `"203.0.113.10/32"`, "$: want an ip address"},
		{"ipv4 given v6", "ipv4", `"2001:db8::1"`, "want an IPv4 address"},
		{"ipv6 given v4", "ipv6", `"10.0.0.1"`, "want an IPv6 address"},
		{"ipv4Block given v6", "ipv4Block", `"2001:db8::/64"`, "want an IPv4 block"},
		{"datetime without offset", task, jsonWith(t, schemaGoodTask, "creationDate", `"2026-11-24T10:00:00"`), "$.creationDate: want an ISO-8601 datetime"},
		{"datetime as unix", task, jsonWith(t, schemaGoodTask, "creationDate", `1700000000`), "$.creationDate: want a string"},
		{"date with time", "date", `"2017-07-11T00:00:00Z"`, "want a date"},
		{"void with a body", "void", `{}`, "void operation must answer null"},
		{"invalid JSON", task, `{"id":`, "$: invalid JSON"},
		{"trailing data", "long", `1 2`, "trailing data"},
		{"unknown type", "ipLoadbalancing.NoSuchModel", `{}`, `unknown schema type "ipLoadbalancing.NoSuchModel"`},
		{"generic parameter", "complexType.Range<long>", `{"from":"a","to":2}`, "$.from: want an integer"},
		{"alias type", "services.Service", `{"contactAdmin":1}`, "$.contactAdmin: want a string"},
	}
	for _, tc := range cases {
		v := checkValue(t, tc.typ, json.RawMessage(tc.json))
		if !containsViolation(v, tc.want) {
			t.Errorf("%s: want a violation containing %q, got %q", tc.name, tc.want, v)
		}
	}
}

// TestCheckValueReportsAll makes sure one value with several faults reports
// each of them, so that a report lists everything to fix at once.
func TestCheckValueReportsAll(t *testing.T) {
	t.Parallel()
	bad := `{"id":"3","action":"refresh","status":"done","progress":100,"creationDate":"2026-11-24T10:00:00Z","zone":["gra"]}`
	v := checkResponse(t, "ipLoadbalancing.Task.Task", json.RawMessage(bad))
	for _, want := range []string{"$.id: want an integer", `$.action: "refresh" is not a value`,
		"$.zone: unknown property", "$.zones: non-nullable property"} {
		if !containsViolation(v, want) {
			t.Errorf("want a violation containing %q, got %q", want, v)
		}
	}
	// doneDate is nullable: its absence is not a violation.
	if containsViolation(v, "$.doneDate") {
		t.Errorf("absent nullable doneDate reported: %q", v)
	}
	if len(v) != 4 {
		t.Errorf("want exactly 4 violations, got %d: %q", len(v), v)
	}
}

// TestCheckModes shows what the response and request modes add.
func TestCheckModes(t *testing.T) {
	t.Parallel()
	noID := jsonWith(t, schemaGoodTask, "id", "")
	if v := checkValue(t, "ipLoadbalancing.Task.Task", json.RawMessage(noID)); len(v) != 0 {
		t.Errorf("checkValue: an absent optional property is fine, got %q", v)
	}
	if v := checkResponse(t, "ipLoadbalancing.Task.Task", json.RawMessage(noID)); !containsViolation(v, "$.id: non-nullable property") {
		t.Errorf("checkResponse: want the missing id reported, got %q", v)
	}
	partial := `{"disabled":true,"frontendId":7}`
	if v := checkValue(t, "ipLoadbalancing.frontendHttp.FrontendHttp", json.RawMessage(partial)); len(v) != 0 {
		t.Errorf("checkValue: a partial body is fine, got %q", v)
	}
	if v := checkRequest(t, "ipLoadbalancing.frontendHttp.FrontendHttp", json.RawMessage(partial)); !containsViolation(v, "$.frontendId: read-only") {
		t.Errorf("checkRequest: want the read-only frontendId reported, got %q", v)
	}
}

// TestCheckBody checks bodies against an operation's named body parameters.
func TestCheckBody(t *testing.T) {
	t.Parallel()
	s := schemaSetFor(t)
	move := s.ops["POST /ip/{ip}/move"]
	if v := checkBody(t, move, json.RawMessage(`{"to":"loadbalancer-a1b2c3d4e5f60718"}`)); len(v) != 0 {
		t.Errorf("good move body: %q", v)
	}
	for body, want := range map[string]string{
		`{"destination":"x"}`:       "$.destination: unknown property",
		`{}`:                        "$.to: required property",
		`{"to":1}`:                  "$.to: want a string",
		`{"to":"x","nexthop":null}`: "",
	} {
		v := checkBody(t, move, json.RawMessage(body))
		if want == "" && len(v) != 0 || want != "" && !containsViolation(v, want) {
			t.Errorf("move body %s: want %q, got %q", body, want, v)
		}
	}
	cred := s.ops["POST /auth/credential"]
	if v := checkBody(t, cred, json.RawMessage(`{"accessRules":[{"method":"GET","path":"/*"}]}`)); len(v) != 0 {
		t.Errorf("good credential body: %q", v)
	}
	if v := checkBody(t, cred, json.RawMessage(`{"accessRules":[{"method":"GOT","path":"/*"}]}`)); !containsViolation(v, "$.accessRules[0].method") {
		t.Errorf("bad credential method: %q", v)
	}
	park := s.ops["POST /ip/{ip}/park"]
	if v := checkBody(t, park, nil); len(v) != 0 {
		t.Errorf("park takes no body: %q", v)
	}
	if v := checkBody(t, park, json.RawMessage(`{"a":1}`)); !containsViolation(v, "takes no body") {
		t.Errorf("park with a body: %q", v)
	}
}

func containsViolation(v []string, want string) bool {
	for _, s := range v {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}
