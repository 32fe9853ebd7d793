package views

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// This file holds the view models of the farm pages: the list, the farm
// page with its servers, the farm's create/edit form (FarmForm: Read,
// Validate, Create, partial Update) and delete confirmation, then the same
// for servers (ServerForm). Form field names are the API's JSON names
// (REFERENCE §8.1, §8.2), the probe's prefixed with "probe.", so that a
// field error, a posted key and an API message all speak of the same thing.

// Form field names of the farm form.
const (
	FarmFieldDisplayName   = "displayName"
	FarmFieldPort          = "port"
	FarmFieldZone          = "zone"
	FarmFieldBalance       = "balance"
	FarmFieldStickiness    = "stickiness"
	FarmFieldVRackNetwork  = "vrackNetworkId"
	FarmFieldProbeType     = "probe.type"
	FarmFieldProbePort     = "probe.port"
	FarmFieldProbeInterval = "probe.interval"
	FarmFieldProbeMethod   = "probe.method"
	FarmFieldProbeURL      = "probe.url"
	FarmFieldProbeMatch    = "probe.match"
	FarmFieldProbePattern  = "probe.pattern"
	FarmFieldProbeNegate   = "probe.negate"
	FarmFieldProbeForceSSL = "probe.forceSsl"

	// FarmFieldSnapshot carries, in the edit form, the values the form was
	// opened with (FarmValues.Encode), so that the update sends only what
	// the user changed.
	FarmFieldSnapshot = "_snapshot"
)

// Limits of the farm and server fields.
const (
	// MinBackendPort and MaxBackendPort bound farm, probe and server ports
	// ([INF]: the schema says "long"; TCP ports, as the emulator checks).
	MinBackendPort = 1
	MaxBackendPort = 65535
	// MinProbeInterval is the shortest probe interval, in seconds
	// (REFERENCE §8.1 [S]: "Must be > 30sec. Defaults to 30"; 30 itself is
	// the default, so it is allowed).
	MinProbeInterval = 30
	// MaxProbeInterval is a sane upper bound ([INF]: none documented).
	MaxProbeInterval = 86400
	// MaxServerWeight bounds a server's weight ([INF]: the schema sets no
	// bound; 0..256 is HAProxy's range, which the IPLB runs on).
	MaxServerWeight = 256
	// maxNameLength bounds display names ([INF]: the schema sets no limit).
	maxNameLength = 255
)

// FarmProbeValues are the canonical values of a farm's probe
// (ipLoadbalancing.BackendProbe): the zero value is "no probe" (null, the
// API's default TCP check on the farm port).
type FarmProbeValues struct {
	Type     string `json:"type,omitempty"`
	Port     int64  `json:"port,omitempty"` // 0 = the farm's port
	Interval int64  `json:"interval,omitempty"`
	Method   string `json:"method,omitempty"`
	URL      string `json:"url,omitempty"`
	Match    string `json:"match,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
	Negate   bool   `json:"negate,omitempty"`
	ForceSSL bool   `json:"forceSsl,omitempty"`
}

// IsZero reports whether the probe sets nothing.
func (p FarmProbeValues) IsZero() bool { return p == FarmProbeValues{} }

// probe returns p as the API's probe object, nil when it sets nothing.
// Booleans are sent only when true: a PUT replaces the whole probe
// (REFERENCE §4 [INF], the emulator's behaviour), so an unset field reads
// back as false.
func (p FarmProbeValues) probe() *ovh.Probe {
	if p.IsZero() {
		return nil
	}
	out := &ovh.Probe{}
	if p.Type != "" {
		t := ovh.ProbeType(p.Type)
		out.Type = &t
	}
	if p.Port != 0 {
		out.Port = farmPtr(p.Port)
	}
	if p.Interval != 0 {
		out.Interval = farmPtr(p.Interval)
	}
	if p.Method != "" {
		m := ovh.ProbeMethod(p.Method)
		out.Method = &m
	}
	if p.URL != "" {
		out.URL = farmPtr(p.URL)
	}
	if p.Match != "" {
		m := ovh.ProbeMatch(p.Match)
		out.Match = &m
	}
	if p.Pattern != "" {
		out.Pattern = farmPtr(p.Pattern)
	}
	if p.Negate {
		out.Negate = farmPtr(true)
	}
	if p.ForceSSL {
		out.ForceSSL = farmPtr(true)
	}
	return out
}

// FarmProbeValuesOf returns the canonical values of an API probe.
func FarmProbeValuesOf(p *ovh.Probe) FarmProbeValues {
	if p == nil {
		return FarmProbeValues{}
	}
	return FarmProbeValues{
		Type:     string(deref(p.Type)),
		Port:     deref(p.Port),
		Interval: deref(p.Interval),
		Method:   string(deref(p.Method)),
		URL:      deref(p.URL),
		Match:    string(deref(p.Match)),
		Pattern:  deref(p.Pattern),
		Negate:   deref(p.Negate),
		ForceSSL: deref(p.ForceSSL),
	}
}

// Summary is the probe in a few words for the list: "http GET /healthz
// every 30 s, status 200".
func (p FarmProbeValues) Summary() string {
	if p.IsZero() {
		return "default (tcp)"
	}
	typ := p.Type
	if typ == "" {
		typ = string(ovh.ProbeTCP)
	}
	parts := []string{typ}
	if p.Method != "" {
		parts = append(parts, p.Method)
	}
	if p.URL != "" {
		parts = append(parts, p.URL)
	}
	if p.Port != 0 {
		parts = append(parts, "port "+strconv.FormatInt(p.Port, 10))
	}
	s := strings.Join(parts, " ")
	if p.Interval != 0 {
		s += " every " + strconv.FormatInt(p.Interval, 10) + " s"
	}
	if p.Match != "" && p.Match != string(ovh.ProbeMatchDefault) {
		m := p.Match
		if p.Negate {
			m = "not " + m
		}
		s += ", " + m
		if p.Pattern != "" {
			s += " " + p.Pattern
		}
	}
	if p.ForceSSL {
		s += ", over SSL"
	}
	return s
}

// FarmValues are the canonical values of a farm's editable fields, as the
// API holds them (REFERENCE §8.1): what a form is opened with, what a valid
// form yields, and what edits are compared on. A zero port or network id
// means none (null).
type FarmValues struct {
	DisplayName    string          `json:"displayName,omitempty"`
	Port           int64           `json:"port,omitempty"`
	Zone           string          `json:"zone,omitempty"`
	Balance        string          `json:"balance,omitempty"`
	Stickiness     string          `json:"stickiness,omitempty"`
	VRackNetworkID int64           `json:"vrackNetworkId,omitempty"`
	Probe          FarmProbeValues `json:"probe,omitzero"`
}

// FarmValuesOf returns the editable values of f.
func FarmValuesOf(f ovh.Farm) FarmValues {
	v := FarmValues{
		DisplayName:    deref(f.DisplayName),
		Port:           deref(f.Port),
		Zone:           f.Zone,
		VRackNetworkID: deref(f.VRackNetworkID),
	}
	if f.Protocol != ovh.UDP {
		v.Balance = string(deref(f.Balance))
		v.Stickiness = string(deref(f.Stickiness))
		v.Probe = FarmProbeValuesOf(f.Probe)
	}
	return v
}

// Encode returns v as a compact, URL-safe string for a hidden field.
func (v FarmValues) Encode() string { return encodeSnapshot(v) }

// DecodeFarmValues reads what Encode wrote.
func DecodeFarmValues(s string) (FarmValues, error) {
	var v FarmValues
	return v, decodeSnapshot("farm snapshot", s, &v)
}

// farmUpdatable are the fields of a partial farm update, in the form's
// order. The zone is not among them: it is read-only after creation.
var farmUpdatable = []string{FarmFieldDisplayName, FarmFieldPort, FarmFieldBalance, FarmFieldStickiness, "probe", FarmFieldVRackNetwork}

// FarmChanges returns the top-level fields of protocol p whose values
// differ between a and b ("probe" for any probe field: a PUT replaces the
// whole probe object).
func FarmChanges(p ovh.Protocol, a, b FarmValues) []string {
	var out []string
	for _, name := range farmUpdatable {
		if farmProtocolHas(p, name) && !farmFieldEqual(name, a, b) {
			out = append(out, name)
		}
	}
	return out
}

// farmFieldEqual compares one updatable field of two farms.
func farmFieldEqual(name string, a, b FarmValues) bool {
	switch name {
	case FarmFieldDisplayName:
		return a.DisplayName == b.DisplayName
	case FarmFieldPort:
		return a.Port == b.Port
	case FarmFieldBalance:
		return a.Balance == b.Balance
	case FarmFieldStickiness:
		return a.Stickiness == b.Stickiness
	case "probe":
		return a.Probe == b.Probe
	case FarmFieldVRackNetwork:
		return a.VRackNetworkID == b.VRackNetworkID
	}
	return true
}

// farmFieldShow is one updatable field's value as a person reads it.
func farmFieldShow(name string, v FarmValues, o FarmFormOptions) string {
	switch name {
	case FarmFieldDisplayName:
		return orNone(v.DisplayName)
	case FarmFieldPort:
		if v.Port == 0 {
			return "the frontend's"
		}
		return strconv.FormatInt(v.Port, 10)
	case FarmFieldBalance:
		if v.Balance == "" {
			return "default (roundrobin)"
		}
		return v.Balance
	case FarmFieldStickiness:
		return orNone(v.Stickiness)
	case "probe":
		return v.Probe.Summary()
	case FarmFieldVRackNetwork:
		if v.VRackNetworkID == 0 {
			return "none"
		}
		if n, ok := o.network(v.VRackNetworkID); ok {
			return FarmNetworkLabel(n)
		}
		return "#" + strconv.FormatInt(v.VRackNetworkID, 10)
	}
	return ""
}

// Merge compares a valid edit with current, the farm's values now. A field
// both changed to the same value is neither sent nor a conflict.
func (f *FarmForm) Merge(current FarmValues) FormMerge {
	if f.Original == nil {
		return FormMerge{}
	}
	return mergeEdits(f.Changes(), FarmChanges(f.Protocol, *f.Original, current),
		func(name string) bool { return farmFieldEqual(name, current, f.values) },
		func(name string) FormConflict {
			return FormConflict{Field: name, Label: FarmFieldLabel(name),
				Current: farmFieldShow(name, current, f.Options), Yours: farmFieldShow(name, f.values, f.Options)}
		})
}

// Rebase makes the form start from current, the farm's values now, after a
// conflict: the fields the user changed keep the user's values, every
// other field takes the current value (so that saving again does not undo
// someone else's change), and current becomes the snapshot. Valid forms
// only.
func (f *FarmForm) Rebase(current FarmValues) {
	v := current
	for _, name := range f.Changes() {
		switch name {
		case FarmFieldDisplayName:
			v.DisplayName = f.values.DisplayName
		case FarmFieldPort:
			v.Port = f.values.Port
		case FarmFieldBalance:
			v.Balance = f.values.Balance
		case FarmFieldStickiness:
			v.Stickiness = f.values.Stickiness
		case "probe":
			v.Probe = f.values.Probe
		case FarmFieldVRackNetwork:
			v.VRackNetworkID = f.values.VRackNetworkID
		}
	}
	f.Fill(v)
	f.Original = &current
}

// FarmLabels lists fields by label: "name, probe".
func FarmLabels(fields []string) string {
	out := make([]string, len(fields))
	for i, name := range fields {
		out[i] = strings.ToLower(FarmFieldLabel(name))
	}
	return strings.Join(out, ", ")
}

// FarmUpdateOf returns the partial update (REFERENCE §4) that sets the
// named fields to their values in v and leaves every other field alone.
// Empty values are sent as null (Clear): no name, the frontend's port, the
// default balance, no stickiness, the default probe, no vRack network.
func FarmUpdateOf(v FarmValues, fields []string) ovh.FarmUpdate {
	var u ovh.FarmUpdate
	for _, name := range fields {
		switch name {
		case FarmFieldDisplayName:
			u.DisplayName = nullString(v.DisplayName)
		case FarmFieldPort:
			u.Port = nullInt(v.Port)
		case FarmFieldBalance:
			u.Balance = farmNullEnum[ovh.Balance](v.Balance)
		case FarmFieldStickiness:
			u.Stickiness = farmNullEnum[ovh.Stickiness](v.Stickiness)
		case "probe":
			if p := v.Probe.probe(); p != nil {
				u.Probe = ovh.Set(*p)
			} else {
				u.Probe = ovh.Clear[ovh.Probe]()
			}
		case FarmFieldVRackNetwork:
			u.VRackNetworkID = nullInt(v.VRackNetworkID)
		}
	}
	return u
}

// farmFieldsOf lists the form fields of a farm of protocol p (REFERENCE
// §8.1): UDP farms have no balance, stickiness or probe.
func farmFieldsOf(p ovh.Protocol) []string {
	fields := []string{FarmFieldDisplayName, FarmFieldPort, FarmFieldZone, FarmFieldVRackNetwork}
	if p != ovh.UDP {
		fields = append(fields, FarmFieldBalance, FarmFieldStickiness,
			FarmFieldProbeType, FarmFieldProbePort, FarmFieldProbeInterval, FarmFieldProbeMethod,
			FarmFieldProbeURL, FarmFieldProbeMatch, FarmFieldProbePattern, FarmFieldProbeNegate, FarmFieldProbeForceSSL)
	}
	return fields
}

// FarmHasField reports whether farms of protocol p have the form field
// name ("probe" stands for every probe field).
func FarmHasField(p ovh.Protocol, name string) bool { return farmProtocolHas(p, name) }

func farmProtocolHas(p ovh.Protocol, name string) bool {
	if name == "probe" {
		return p != ovh.UDP
	}
	return slices.Contains(farmFieldsOf(p), name)
}

// farmFieldLabels name the fields for people.
var farmFieldLabels = map[string]string{
	FarmFieldDisplayName:   "Name",
	FarmFieldPort:          "Port",
	FarmFieldZone:          "Zone",
	FarmFieldBalance:       "Load balancing",
	FarmFieldStickiness:    "Stickiness",
	FarmFieldVRackNetwork:  "vRack network",
	FarmFieldProbeType:     "Probe type",
	FarmFieldProbePort:     "Probe port",
	FarmFieldProbeInterval: "Probe interval",
	FarmFieldProbeMethod:   "Probe method",
	FarmFieldProbeURL:      "Probe URL",
	FarmFieldProbeMatch:    "Probe match",
	FarmFieldProbePattern:  "Probe pattern",
	FarmFieldProbeNegate:   "Negate the probe match",
	FarmFieldProbeForceSSL: "Probe over SSL",
	"probe":                "Probe",
}

// FarmFieldLabel returns the label of the farm form field name.
func FarmFieldLabel(name string) string {
	if l, ok := farmFieldLabels[name]; ok {
		return l
	}
	return name
}

// Choices of the selects, per protocol (REFERENCE §8.1 enums). The values
// "internal" of the probe enums are OVH's own and not offered; a farm that
// has one keeps it (the select shows the current value).
var (
	farmBalances = map[ovh.Protocol][]ovh.Balance{
		ovh.HTTP: {ovh.BalanceRoundRobin, ovh.BalanceFirst, ovh.BalanceLeastConn, ovh.BalanceSource, ovh.BalanceURI},
		ovh.TCP:  {ovh.BalanceRoundRobin, ovh.BalanceFirst, ovh.BalanceLeastConn, ovh.BalanceSource},
	}
	farmStickiness = map[ovh.Protocol][]ovh.Stickiness{
		ovh.HTTP: {ovh.StickinessCookie, ovh.StickinessSourceIP},
		ovh.TCP:  {ovh.StickinessSourceIP},
	}
	farmProbeTypes   = []ovh.ProbeType{ovh.ProbeTCP, ovh.ProbeHTTP, ovh.ProbeSMTP, ovh.ProbeMySQL, ovh.ProbePgSQL, ovh.ProbeOCO}
	farmProbeMethods = []ovh.ProbeMethod{ovh.ProbeGET, ovh.ProbeHEAD, ovh.ProbeOPTIONS}
	farmProbeMatches = []ovh.ProbeMatch{ovh.ProbeMatchDefault, ovh.ProbeMatchStatus, ovh.ProbeMatchContains, ovh.ProbeMatchMatches}
)

// FarmBalances are the load-balancing algorithms of protocol p (none for
// UDP).
func FarmBalances(p ovh.Protocol) []ovh.Balance { return farmBalances[p] }

// FarmStickinesses are the stickiness methods of protocol p.
func FarmStickinesses(p ovh.Protocol) []ovh.Stickiness { return farmStickiness[p] }

// FarmFormOptions are the choices of the farm form, fetched by the handler.
type FarmFormOptions struct {
	Zones []string // the IPLB's zones ("all" is implied)
	// VRackName is the vRack the IPLB is in, "" when it is in none.
	VRackName string
	// Networks are the IPLB's vRack networks (none outside a vRack).
	Networks []ovh.VRackNetwork
}

// InVRack reports whether the IPLB is in a vRack.
func (o FarmFormOptions) InVRack() bool { return o.VRackName != "" }

func (o FarmFormOptions) network(id int64) (ovh.VRackNetwork, bool) {
	i := slices.IndexFunc(o.Networks, func(n ovh.VRackNetwork) bool { return n.ID == id })
	if i < 0 {
		return ovh.VRackNetwork{}, false
	}
	return o.Networks[i], true
}

// FarmVRackProblem says how a farm with network id netID (0 = none) breaks
// the vRack condition of a refresh (REFERENCE §10.1 (1)) on an IPLB in
// vRack vrackName ("" = none), or "" when it does not.
func FarmVRackProblem(vrackName string, netID int64) string {
	switch {
	case vrackName != "" && netID == 0:
		return "The load balancer is in vRack " + vrackName + ": a farm without a vRack network makes the refresh fail."
	case vrackName == "" && netID != 0:
		return "The load balancer is not in a vRack: a farm in a vRack network makes the refresh fail."
	}
	return ""
}

// FarmForm is the create/edit form of a farm: what the user typed, the
// choices, the errors. Read fills it from a posted form, Validate checks it
// (before any API call) and Create or Update turn it into a request body.
type FarmForm struct {
	Service  string
	Protocol ovh.Protocol
	ID       int64  // 0 for a creation
	Name     string // the farm's name when the edit form was opened

	// The fields as typed.
	DisplayName   string
	Port          string
	Zone          string // creation only; an edit shows the farm's zone
	Balance       string
	Stickiness    string
	VRackNetwork  string // a network id, "" = none
	ProbeType     string
	ProbePort     string
	ProbeInterval string
	ProbeMethod   string
	ProbeURL      string
	ProbeMatch    string
	ProbePattern  string
	ProbeNegate   bool
	ProbeForceSSL bool

	// Original holds the values the edit form was opened with (nil for a
	// creation, and for an edit whose snapshot was missing or unreadable).
	Original *FarmValues

	Options FarmFormOptions

	// Errors maps a field name to what is wrong with it.
	Errors map[string]string
	// Error is a form-level error, e.g. the API's refusal, shown above the
	// fields; QueryID is the API's query ID that goes with it.
	Error   string
	QueryID string
	// Conflicts are fields both the user and someone else changed since
	// the form was opened; the form then offers to save the user's values
	// over the current ones.
	Conflicts []FormConflict

	values   FarmValues
	rejected []string
	badSnap  bool
}

// IsEdit reports whether the form edits an existing farm.
func (f *FarmForm) IsEdit() bool { return f.ID != 0 }

// Fill sets the form's fields from v, as when the form opens.
func (f *FarmForm) Fill(v FarmValues) {
	f.DisplayName = v.DisplayName
	f.Port = intText(v.Port)
	f.Zone = v.Zone
	f.Balance = v.Balance
	f.Stickiness = v.Stickiness
	f.VRackNetwork = intText(v.VRackNetworkID)
	f.ProbeType = v.Probe.Type
	f.ProbePort = intText(v.Probe.Port)
	f.ProbeInterval = intText(v.Probe.Interval)
	f.ProbeMethod = v.Probe.Method
	f.ProbeURL = v.Probe.URL
	f.ProbeMatch = v.Probe.Match
	f.ProbePattern = v.Probe.Pattern
	f.ProbeNegate = v.Probe.Negate
	f.ProbeForceSSL = v.Probe.ForceSSL
}

// Read fills the form from posted values and records the keys the
// protocol does not have (Validate rejects them), the zone of an edit
// among them. Service, Protocol and ID must be set before.
func (f *FarmForm) Read(form url.Values) {
	f.rejected = nil
	for key := range form {
		switch {
		case key == FarmFieldSnapshot || key == "_csrf":
		case key == FarmFieldZone && f.IsEdit():
			f.rejected = append(f.rejected, key)
		case farmProtocolHas(f.Protocol, key):
		default:
			f.rejected = append(f.rejected, key)
		}
	}
	slices.Sort(f.rejected)

	f.DisplayName = form.Get(FarmFieldDisplayName)
	f.Port = form.Get(FarmFieldPort)
	if !f.IsEdit() {
		f.Zone = form.Get(FarmFieldZone)
	}
	f.VRackNetwork = form.Get(FarmFieldVRackNetwork)
	if f.Protocol != ovh.UDP {
		f.Balance = form.Get(FarmFieldBalance)
		f.Stickiness = form.Get(FarmFieldStickiness)
		f.ProbeType = form.Get(FarmFieldProbeType)
		f.ProbePort = form.Get(FarmFieldProbePort)
		f.ProbeInterval = form.Get(FarmFieldProbeInterval)
		f.ProbeMethod = form.Get(FarmFieldProbeMethod)
		f.ProbeURL = form.Get(FarmFieldProbeURL)
		f.ProbeMatch = form.Get(FarmFieldProbeMatch)
		f.ProbePattern = form.Get(FarmFieldProbePattern)
		f.ProbeNegate = formChecked(form, FarmFieldProbeNegate)
		f.ProbeForceSSL = formChecked(form, FarmFieldProbeForceSSL)
	}

	f.Original, f.badSnap = nil, false
	if snap, ok := form[FarmFieldSnapshot]; ok && f.IsEdit() {
		v, err := DecodeFarmValues(snap[0])
		if err != nil {
			f.badSnap = true
		} else {
			f.Original = &v
			f.Zone = v.Zone // read-only: the farm's zone, as opened
		}
	}
}

// setError records the first error of a field.
func (f *FarmForm) setError(field, format string, args ...any) {
	setFirstError(&f.Errors, field, fmt.Sprintf(format, args...))
}

// Validate checks the form against REFERENCE §8.1 and the options, and
// normalises its values; it reports whether the form is valid. It calls
// nothing: bad input never reaches the API. A vRack network choice that
// breaks the refresh's vRack condition is allowed (VRackWarning says so):
// the API accepts it, and the user may be on the way to fixing it.
func (f *FarmForm) Validate() bool {
	f.Errors = nil
	var v FarmValues

	for _, key := range f.rejected {
		switch {
		case key == FarmFieldZone:
			f.setError(key, "The zone of a farm cannot change after its creation.")
		case farmFieldLabels[key] != "":
			f.setError(key, "%s farms have no %s.", FrontendProtocolLabel(f.Protocol), strings.ToLower(FarmFieldLabel(key)))
		default:
			f.setError(key, "There is no field %q in a farm.", key)
		}
	}
	if f.IsEdit() && f.Original == nil {
		what := "is missing"
		if f.badSnap {
			what = "is unreadable"
		}
		f.setError(FarmFieldSnapshot, "The form's record of the farm's values %s; open the edit page again.", what)
	}

	v.DisplayName = strings.TrimSpace(f.DisplayName)
	if len(v.DisplayName) > maxNameLength {
		f.setError(FarmFieldDisplayName, "Use at most %d characters.", maxNameLength)
	}

	port, ok := farmParseInt(f.Port, MinBackendPort, MaxBackendPort)
	switch {
	case !ok:
		f.setError(FarmFieldPort, "Enter a port from %d to %d.", MinBackendPort, MaxBackendPort)
	case port == 0 && f.Protocol == ovh.UDP:
		// REFERENCE §8.1 [S]: required on POST, not nullable.
		f.setError(FarmFieldPort, "A UDP farm needs a port: enter one from %d to %d.", MinBackendPort, MaxBackendPort)
	default:
		v.Port = port
	}

	v.Zone = strings.TrimSpace(f.Zone)
	if f.IsEdit() {
		if f.Original != nil {
			v.Zone = f.Original.Zone
		}
	} else {
		switch {
		case v.Zone == "":
			f.setError(FarmFieldZone, "Choose a zone.")
		case v.Zone != FrontendZoneAll && !slices.Contains(f.Options.Zones, v.Zone):
			f.setError(FarmFieldZone, "%q is not a zone of this load balancer (%s).", v.Zone,
				strings.Join(append(slices.Clone(f.Options.Zones), FrontendZoneAll), ", "))
		}
	}

	v.VRackNetworkID = f.validateNetwork()

	if f.Protocol != ovh.UDP {
		v.Balance = strings.TrimSpace(f.Balance)
		if v.Balance != "" && !slices.Contains(farmBalances[f.Protocol], ovh.Balance(v.Balance)) &&
			!f.unchanged(func(o FarmValues) bool { return o.Balance == v.Balance }) {
			f.setError(FarmFieldBalance, "%q is not a load-balancing algorithm of %s farms.", v.Balance, FrontendProtocolLabel(f.Protocol))
		}
		v.Stickiness = strings.TrimSpace(f.Stickiness)
		if v.Stickiness != "" && !slices.Contains(farmStickiness[f.Protocol], ovh.Stickiness(v.Stickiness)) &&
			!f.unchanged(func(o FarmValues) bool { return o.Stickiness == v.Stickiness }) {
			f.setError(FarmFieldStickiness, "%q is not a stickiness of %s farms.", v.Stickiness, FrontendProtocolLabel(f.Protocol))
		}
		v.Probe = f.validateProbe()
	}

	if len(f.Errors) > 0 {
		return false
	}
	f.values = v
	return true
}

// unchanged reports whether an edit keeps a value as the form was opened
// with; always false for a creation.
func (f *FarmForm) unchanged(same func(original FarmValues) bool) bool {
	return f.Original != nil && same(*f.Original)
}

// validateNetwork checks the chosen vRack network: one of the IPLB's, or
// the farm's current one kept as it was.
func (f *FarmForm) validateNetwork() int64 {
	s := strings.TrimSpace(f.VRackNetwork)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		f.setError(FarmFieldVRackNetwork, "Choose a vRack network from the list.")
		return 0
	}
	if f.unchanged(func(o FarmValues) bool { return o.VRackNetworkID == id }) {
		return id // kept as it was: an edit of another field must not fail on it
	}
	if _, ok := f.Options.network(id); !ok {
		if !f.Options.InVRack() {
			f.setError(FarmFieldVRackNetwork, "This load balancer is not in a vRack: a farm cannot use a vRack network.")
		} else {
			f.setError(FarmFieldVRackNetwork, "vRack network %d is not a network of this load balancer.", id)
		}
		return 0
	}
	return id
}

// farmStatusList is a comma-separated list of HTTP statuses (a "status"
// probe pattern, REFERENCE §8.1 [S]).
var farmStatusList = regexp.MustCompile(`^[1-5][0-9]{2}(,[1-5][0-9]{2})*$`)

// farmProbeURL is an http probe's URL: "[host]/path" or "/path" (REFERENCE
// §8.1 [S]: "of the form [www.example.com]/path/to/check").
var farmProbeURL = regexp.MustCompile(`^(\[[A-Za-z0-9.-]+\])?/[^\s]*$`)

// validateProbe checks the probe fields. Cross-field rules apply only when
// the probe changed, so that an edit of another field never fails on a
// probe the API already holds.
func (f *FarmForm) validateProbe() FarmProbeValues {
	var p FarmProbeValues
	p.Type = strings.TrimSpace(f.ProbeType)
	p.Method = strings.TrimSpace(f.ProbeMethod)
	p.URL = strings.TrimSpace(f.ProbeURL)
	p.Match = strings.TrimSpace(f.ProbeMatch)
	p.Pattern = strings.TrimSpace(f.ProbePattern)
	p.Negate = f.ProbeNegate
	p.ForceSSL = f.ProbeForceSSL
	port, ok := farmParseInt(f.ProbePort, MinBackendPort, MaxBackendPort)
	if !ok {
		f.setError(FarmFieldProbePort, "Enter a port from %d to %d, or leave it empty for the farm's port.", MinBackendPort, MaxBackendPort)
	}
	p.Port = port
	interval, ok := farmParseInt(f.ProbeInterval, MinProbeInterval, MaxProbeInterval)
	if !ok {
		f.setError(FarmFieldProbeInterval, "Enter a number of seconds from %d to %d, or leave it empty for 30.", MinProbeInterval, MaxProbeInterval)
	}
	p.Interval = interval

	if f.unchanged(func(o FarmValues) bool { return o.Probe == p }) {
		return p
	}
	if p.Type != "" && !slices.Contains(farmProbeTypes, ovh.ProbeType(p.Type)) {
		f.setError(FarmFieldProbeType, "%q is not a probe type.", p.Type)
	}
	isHTTP := p.Type == string(ovh.ProbeHTTP)
	if p.Method != "" {
		switch {
		case !slices.Contains(farmProbeMethods, ovh.ProbeMethod(p.Method)):
			f.setError(FarmFieldProbeMethod, "%q is not a probe method.", p.Method)
		case !isHTTP:
			f.setError(FarmFieldProbeMethod, "Only http probes send a method: choose the http type or no method.")
		}
	}
	if p.URL != "" {
		switch {
		case !isHTTP:
			f.setError(FarmFieldProbeURL, "Only http probes ask for a URL: choose the http type or clear the URL.")
		case !farmProbeURL.MatchString(p.URL):
			f.setError(FarmFieldProbeURL, "Enter a path such as /healthz, optionally after a host in brackets: [www.example.com]/healthz.")
		}
	}
	if p.Match != "" && !slices.Contains(farmProbeMatches, ovh.ProbeMatch(p.Match)) {
		f.setError(FarmFieldProbeMatch, "%q is not a probe match.", p.Match)
	}
	switch p.Match {
	case string(ovh.ProbeMatchStatus):
		// REFERENCE §8.1 [S]: "status" is only supported for HTTP probes.
		if !isHTTP {
			f.setError(FarmFieldProbeMatch, "Only http probes can match a status.")
		}
		if p.Pattern = strings.ReplaceAll(p.Pattern, " ", ""); !farmStatusList.MatchString(p.Pattern) {
			f.setError(FarmFieldProbePattern, "Enter the expected HTTP statuses, separated by commas, e.g. 200 or 200,301.")
		}
	case string(ovh.ProbeMatchContains), string(ovh.ProbeMatchMatches):
		if p.Pattern == "" {
			f.setError(FarmFieldProbePattern, "Enter what the answer must %s.", map[string]string{"contains": "contain", "matches": "match (a regular expression)"}[p.Match])
		}
	default: // no match, or "default": HAProxy's own check, no pattern
		if p.Pattern != "" {
			f.setError(FarmFieldProbePattern, "A pattern needs a match (status, contains or matches).")
		}
		if p.Negate {
			f.setError(FarmFieldProbeNegate, "Negating needs a match (status, contains or matches).")
		}
	}
	return p
}

// Values returns the normalised values of a valid form (after Validate).
func (f *FarmForm) Values() FarmValues { return f.values }

// Create returns the creation body of a valid form. Fields the protocol
// lacks stay nil, so they are not sent.
func (f *FarmForm) Create() ovh.FarmCreate {
	v := f.values
	c := ovh.FarmCreate{Zone: v.Zone}
	if v.DisplayName != "" {
		c.DisplayName = farmPtr(v.DisplayName)
	}
	if v.Port != 0 {
		c.Port = farmPtr(v.Port)
	}
	if v.VRackNetworkID != 0 {
		c.VRackNetworkID = farmPtr(v.VRackNetworkID)
	}
	if f.Protocol != ovh.UDP {
		if v.Balance != "" {
			b := ovh.Balance(v.Balance)
			c.Balance = &b
		}
		if v.Stickiness != "" {
			s := ovh.Stickiness(v.Stickiness)
			c.Stickiness = &s
		}
		c.Probe = v.Probe.probe()
	}
	return c
}

// Changes returns the fields the user changed since the form was opened
// (valid edit forms only).
func (f *FarmForm) Changes() []string {
	if f.Original == nil {
		return nil
	}
	return FarmChanges(f.Protocol, *f.Original, f.values)
}

// Update returns the partial update of a valid edit form: only the fields
// the user changed since the form was opened.
func (f *FarmForm) Update() ovh.FarmUpdate { return FarmUpdateOf(f.values, f.Changes()) }

// VRackWarning says when the chosen vRack network would break the vRack
// condition of a refresh, or "".
func (f *FarmForm) VRackWarning() string {
	id, err := strconv.ParseInt(strings.TrimSpace(f.VRackNetwork), 10, 64)
	if err != nil {
		id = 0
	}
	return FarmVRackProblem(f.Options.VRackName, id)
}

// ShowNetworkField reports whether the form offers the vRack network: in a
// vRack, or outside one when the farm still has a network (to clear it).
// Outside a vRack a network cannot be chosen at all.
func (f *FarmForm) ShowNetworkField() bool {
	return f.Options.InVRack() || strings.TrimSpace(f.VRackNetwork) != ""
}

// networkChoices are the networks the select offers, plus the chosen one
// when it is not among them (a 422, or a farm whose network is gone).
func (f *FarmForm) networkChoices() []ovh.VRackNetwork {
	out := slices.Clone(f.Options.Networks)
	id, err := strconv.ParseInt(strings.TrimSpace(f.VRackNetwork), 10, 64)
	if err != nil || id <= 0 {
		return out
	}
	if _, ok := f.Options.network(id); !ok {
		out = append(out, ovh.VRackNetwork{ID: id, Subnet: "unknown network #" + strconv.FormatInt(id, 10)})
	}
	return out
}

// FarmNetworkLabel is a vRack network in a select or a cell: its name,
// subnet and VLAN.
func FarmNetworkLabel(n ovh.VRackNetwork) string {
	label := n.Name()
	if label != n.Subnet {
		label += " · " + n.Subnet
	}
	if n.VLAN != 0 {
		label += " · VLAN " + strconv.FormatInt(n.VLAN, 10)
	}
	return label
}

// FarmUser is a frontend or route that sends traffic to a farm: the
// frontends whose default farm it is and the routes whose action targets it.
type FarmUser struct {
	Kind     string // "frontend" or "route"
	Protocol ovh.Protocol
	ID       int64
	Name     string
	// Frontend is, for a route, the frontend it is attached to (0 = none)
	// and FrontendName its name.
	Frontend     int64
	FrontendName string
}

// The kinds of FarmUser.
const (
	FarmUserFrontend = "frontend"
	FarmUserRoute    = "route"
)

// Label is "frontend www" or "route api.example.com to api (of frontend www)".
func (u FarmUser) Label() string {
	if u.Kind == FarmUserRoute {
		s := "route " + u.Name
		if u.FrontendName != "" {
			s += " (of frontend " + u.FrontendName + ")"
		}
		return s
	}
	return "frontend " + u.Name
}

// FarmUsersOf returns the frontends and routes of f's protocol that use
// f: as their default farm, or as their farm action's target.
func FarmUsersOf(f ovh.Farm, frontends []ovh.Frontend, routes []ovh.Route) []FarmUser {
	var out []FarmUser
	names := map[int64]string{}
	for _, fr := range frontends {
		if fr.Protocol != f.Protocol {
			continue
		}
		names[fr.ID] = fr.Name()
		if fr.DefaultFarmID != nil && *fr.DefaultFarmID == f.ID {
			out = append(out, FarmUser{Kind: FarmUserFrontend, Protocol: fr.Protocol, ID: fr.ID, Name: fr.Name()})
		}
	}
	target := strconv.FormatInt(f.ID, 10)
	for _, r := range routes {
		if r.Protocol != f.Protocol || r.Action.Type != ovh.RouteFarm || r.Action.Target == nil || *r.Action.Target != target {
			continue
		}
		u := FarmUser{Kind: FarmUserRoute, Protocol: r.Protocol, ID: r.ID, Name: RouteName(r)}
		if r.FrontendID != nil {
			u.Frontend = *r.FrontendID
			u.FrontendName = names[*r.FrontendID]
			if u.FrontendName == "" {
				u.FrontendName = "#" + strconv.FormatInt(*r.FrontendID, 10)
			}
		}
		out = append(out, u)
	}
	return out
}

// FarmHealth sums up a farm's servers: how many take traffic, and what the
// IPLB's health checks say (serverState, when the API reports it).
type FarmHealth struct {
	Total    int
	Active   int // status active
	Inactive int
	// Checks counts the servers by health-check status across instances
	// ("UP", "DOWN", …); empty when the API reports none.
	Checks map[string]int
}

// FarmHealthOf sums up servers.
func FarmHealthOf(servers []ovh.Server) FarmHealth {
	h := FarmHealth{Total: len(servers)}
	for _, s := range servers {
		if s.Status == ovh.ServerActive {
			h.Active++
		} else {
			h.Inactive++
		}
		for _, st := range s.ServerState {
			if st.Status != nil && *st.Status != "" {
				if h.Checks == nil {
					h.Checks = map[string]int{}
				}
				h.Checks[*st.Status]++
			}
		}
	}
	return h
}

// Text is the summary in words: "2 servers: 2 active" or "no server".
func (h FarmHealth) Text() string {
	if h.Total == 0 {
		return "no server"
	}
	return farmPlural(h.Total, "server", "servers") + ": " + h.Detail()
}

// Detail is the statuses in words: "2 active" or "1 active, 1 inactive".
func (h FarmHealth) Detail() string {
	s := strconv.Itoa(h.Active) + " active"
	if h.Inactive > 0 {
		s += ", " + strconv.Itoa(h.Inactive) + " inactive"
	}
	return s
}

// ChecksText is the health checks in words, "UP 3, DOWN 1", or "".
func (h FarmHealth) ChecksText() string {
	keys := make([]string, 0, len(h.Checks))
	for k := range h.Checks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+" "+strconv.Itoa(h.Checks[k]))
	}
	return strings.Join(parts, ", ")
}

// FarmListModel is the farms page of one protocol.
type FarmListModel struct {
	Service   string
	Protocol  ovh.Protocol
	VRackName string // "" = the IPLB is in no vRack
	Rows      []FarmRow
}

// FarmRow is one farm of the list.
type FarmRow struct {
	Farm    ovh.Farm
	Health  FarmHealth
	Network *ovh.VRackNetwork // nil when the farm has none (or it is unknown)
	Users   []FarmUser
	// VRackProblem is how the farm breaks the refresh's vRack condition,
	// or "".
	VRackProblem string
}

// NewFarmRow builds the row of f.
func NewFarmRow(f ovh.Farm, servers []ovh.Server, vrackName string, networks []ovh.VRackNetwork, users []FarmUser) FarmRow {
	r := FarmRow{Farm: f, Health: FarmHealthOf(servers), Users: users,
		VRackProblem: FarmVRackProblem(vrackName, deref(f.VRackNetworkID))}
	if f.VRackNetworkID != nil {
		for _, n := range networks {
			if n.ID == *f.VRackNetworkID {
				r.Network = &n
			}
		}
	}
	return r
}

// FarmPageModel is the page of one farm with its servers.
type FarmPageModel struct {
	Service string
	Row     FarmRow
	Servers []ovh.Server // sorted by id
}

// FarmDeleteModel is the farm delete confirmation page.
type FarmDeleteModel struct {
	Service string
	Farm    ovh.Farm
	Servers int        // how many servers go with it
	Users   []FarmUser // frontends and routes that use it
	// Refused is the API's refusal of the deletion (message and query
	// ID), or nil.
	Refused *ErrorModel
}

// --- Helpers. ---

func farmPtr[T any](v T) *T { return &v }

// farmParseInt reads an optional integer in lo..hi ("" = 0, ok).
func farmParseInt(s string, lo, hi int64) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

func farmNullEnum[T ~string](s string) *ovh.Nullable[T] {
	if s == "" {
		return ovh.Clear[T]()
	}
	return ovh.Set(T(s))
}

func farmPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// farmInputID is the HTML id of a farm form field ("probe.type" →
// "farm-probe-type").
func farmInputID(name string) string { return "farm-" + strings.ReplaceAll(name, ".", "-") }

func farmErrorID(name string) string { return farmInputID(name) + "-error" }

// fieldAttrs are a field's ARIA attributes: aria-invalid when it has an
// error, and aria-describedby naming its error and its hint.
func (f *FarmForm) fieldAttrs(name string, hint bool) templ.Attributes {
	return fieldARIA(f.Errors, name, farmInputID(name), hint)
}

// action is where the form posts.
func (f *FarmForm) action() string {
	if f.IsEdit() {
		return UpdateFarmPath(f.Service, f.Protocol, f.ID)
	}
	return FarmsPath(f.Service, f.Protocol)
}

// page is the form's own address (GET), which the vRack select asks again
// for its warning.
func (f *FarmForm) page() string {
	if f.IsEdit() {
		return EditFarmPath(f.Service, f.Protocol, f.ID)
	}
	return NewFarmPath(f.Service, f.Protocol)
}

// networkRefreshAttrs make the vRack select refresh its own field (and
// warning) with htmx: the form page is fetched with the chosen network and
// only the field is swapped. Without JavaScript the warning shows after
// saving.
func (f *FarmForm) networkRefreshAttrs() templ.Attributes {
	return templ.Attributes{
		"hx-get":     f.page(),
		"hx-trigger": "change",
		"hx-target":  "#farm-vrack-field",
		"hx-select":  "#farm-vrack-field",
		"hx-swap":    "outerHTML",
	}
}

// unknownZone reports whether the typed zone is neither "all" nor one of
// the IPLB's (it is kept in the select so that the 422 shows it).
func (f *FarmForm) unknownZone() bool {
	return f.Zone != "" && f.Zone != FrontendZoneAll && !slices.Contains(f.Options.Zones, f.Zone)
}

// ProbeOpen reports whether the probe settings start open: when the probe
// is set or has an error.
func (f *FarmForm) ProbeOpen() bool {
	for name := range f.Errors {
		if strings.HasPrefix(name, "probe.") {
			return true
		}
	}
	return f.ProbeType != "" || f.ProbePort != "" || f.ProbeInterval != "" || f.ProbeMethod != "" ||
		f.ProbeURL != "" || f.ProbeMatch != "" || f.ProbePattern != "" || f.ProbeNegate || f.ProbeForceSSL
}

// farmErrorItem is one line of a form's error summary: a field's error,
// linked to the field when the form shows it.
type farmErrorItem struct {
	field string
	label string
	msg   string
	href  string // "#<input id>", or "" for a field the form does not show
}

// farmSummary orders errs by the form's fields (then the others by name)
// and links those shown.
func farmSummary(errs map[string]string, order []string, label func(string) string, shown func(string) bool, inputID func(string) string) []farmErrorItem {
	names := make([]string, 0, len(errs))
	for name := range errs {
		names = append(names, name)
	}
	rank := func(n string) int {
		if i := slices.Index(order, n); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	out := make([]farmErrorItem, 0, len(names))
	for _, n := range names {
		it := farmErrorItem{field: n, label: label(n), msg: errs[n]}
		if shown(n) {
			it.href = "#" + inputID(n)
		}
		out = append(out, it)
	}
	return out
}

// errorSummary lists the form's errors for the summary above the fields.
func (f *FarmForm) errorSummary() []farmErrorItem {
	return farmSummary(f.Errors, farmFieldsOf(f.Protocol), FarmFieldLabel, func(name string) bool {
		switch name {
		case FarmFieldZone:
			return !f.IsEdit() // read-only: no input to go to
		case FarmFieldVRackNetwork:
			return f.ShowNetworkField()
		}
		return farmProtocolHas(f.Protocol, name)
	}, farmInputID)
}

// networkFieldAttrs are the vRack select's ARIA attributes: its error, its
// hint and, when the choice breaks the refresh, the warning.
func (f *FarmForm) networkFieldAttrs() templ.Attributes {
	attrs := f.fieldAttrs(FarmFieldVRackNetwork, true)
	if f.VRackWarning() != "" {
		attrs["aria-describedby"] = attrs["aria-describedby"].(string) + " farm-vrack-warning"
	}
	return attrs
}

// farmOptionsWithCurrent returns the values of choices, plus current when
// it is not among them (a value the API holds that the console does not
// offer, or a 422 that keeps what was typed).
func farmOptionsWithCurrent[T ~string](choices []T, current string) []string {
	out := make([]string, 0, len(choices)+1)
	for _, c := range choices {
		out = append(out, string(c))
	}
	if current != "" && !slices.Contains(out, current) {
		out = append(out, current)
	}
	return out
}

// ---------------------------------------------------------------------------
// Servers (REFERENCE §8.2).

// Form field names of the server form.
const (
	ServerFieldDisplayName   = "displayName"
	ServerFieldAddress       = "address"
	ServerFieldPort          = "port"
	ServerFieldStatus        = "status"
	ServerFieldWeight        = "weight"
	ServerFieldBackup        = "backup"
	ServerFieldProbe         = "probe"
	ServerFieldSSL           = "ssl"
	ServerFieldChain         = "chain"
	ServerFieldCookie        = "cookie"
	ServerFieldProxyProtocol = "proxyProtocolVersion"
	ServerFieldOnMarkedDown  = "onMarkedDown"

	// ServerFieldSnapshot carries the values the edit form was opened with.
	ServerFieldSnapshot = "_snapshot"
)

// serverFieldsOf lists the form fields of a server of protocol p, in the
// form's order (REFERENCE §8.2): UDP servers have a name, an address, a
// port and a status only; cookie is HTTP only.
func serverFieldsOf(p ovh.Protocol) []string {
	fields := []string{ServerFieldDisplayName, ServerFieldAddress, ServerFieldPort, ServerFieldStatus}
	if p != ovh.UDP {
		fields = append(fields, ServerFieldWeight, ServerFieldBackup, ServerFieldProbe, ServerFieldSSL,
			ServerFieldChain, ServerFieldProxyProtocol, ServerFieldOnMarkedDown)
	}
	if p == ovh.HTTP {
		fields = append(fields, ServerFieldCookie)
	}
	return fields
}

// ServerHasField reports whether servers of protocol p have the field.
func ServerHasField(p ovh.Protocol, name string) bool {
	return slices.Contains(serverFieldsOf(p), name)
}

var serverFieldLabels = map[string]string{
	ServerFieldDisplayName:   "Name",
	ServerFieldAddress:       "Address",
	ServerFieldPort:          "Port",
	ServerFieldStatus:        "Enabled",
	ServerFieldWeight:        "Weight",
	ServerFieldBackup:        "Backup",
	ServerFieldProbe:         "Probe",
	ServerFieldSSL:           "SSL",
	ServerFieldChain:         "Certificate chain",
	ServerFieldCookie:        "Cookie",
	ServerFieldProxyProtocol: "PROXY protocol",
	ServerFieldOnMarkedDown:  "When marked down",
}

// ServerFieldLabel returns the label of the server form field name.
func ServerFieldLabel(name string) string {
	if l, ok := serverFieldLabels[name]; ok {
		return l
	}
	return name
}

// serverProxyVersions are the PROXY protocol versions (ProxyProtocolVersionEnum).
var serverProxyVersions = []ovh.ProxyProtocolVersion{ovh.ProxyV1, ovh.ProxyV2, ovh.ProxyV2SSL, ovh.ProxyV2SSLCN}

// ServerValues are the canonical values of a server's editable fields
// (REFERENCE §8.2). Weight is "" for null (the API's default, 1) or a
// number, since 0 is a meaningful weight.
type ServerValues struct {
	DisplayName   string `json:"displayName,omitempty"`
	Address       string `json:"address,omitempty"`
	Port          int64  `json:"port,omitempty"`
	Active        bool   `json:"active,omitempty"`
	Weight        string `json:"weight,omitempty"`
	Backup        bool   `json:"backup,omitempty"`
	Probe         bool   `json:"probe,omitempty"`
	SSL           bool   `json:"ssl,omitempty"`
	Chain         string `json:"chain,omitempty"`
	Cookie        string `json:"cookie,omitempty"`
	ProxyProtocol string `json:"proxyProtocolVersion,omitempty"`
	OnMarkedDown  string `json:"onMarkedDown,omitempty"`
}

// ServerValuesOf returns the editable values of s.
func ServerValuesOf(s ovh.Server) ServerValues {
	v := ServerValues{
		DisplayName: deref(s.DisplayName),
		Address:     s.Address,
		Port:        deref(s.Port),
		Active:      s.Status == ovh.ServerActive,
	}
	if s.Protocol != ovh.UDP {
		if s.Weight != nil {
			v.Weight = strconv.FormatInt(*s.Weight, 10)
		}
		v.Backup = deref(s.Backup)
		v.Probe = deref(s.Probe)
		v.SSL = deref(s.SSL)
		v.Chain = serverNormalizeChain(deref(s.Chain))
		v.ProxyProtocol = string(deref(s.ProxyProtocolVersion))
		v.OnMarkedDown = string(deref(s.OnMarkedDown))
	}
	if s.Protocol == ovh.HTTP {
		v.Cookie = deref(s.Cookie)
	}
	return v
}

// Encode returns v as a compact, URL-safe string for a hidden field.
func (v ServerValues) Encode() string { return encodeSnapshot(v) }

// DecodeServerValues reads what Encode wrote.
func DecodeServerValues(s string) (ServerValues, error) {
	var v ServerValues
	return v, decodeSnapshot("server snapshot", s, &v)
}

// ServerChanges returns the fields of protocol p whose values differ
// between a and b, in the form's order. The address is read-only after
// creation and never among them.
func ServerChanges(p ovh.Protocol, a, b ServerValues) []string {
	var out []string
	for _, name := range serverFieldsOf(p) {
		if name != ServerFieldAddress && !serverFieldEqual(name, a, b) {
			out = append(out, name)
		}
	}
	return out
}

// serverFieldShow is one field's value as a person reads it.
func serverFieldShow(name string, v ServerValues) string {
	switch name {
	case ServerFieldDisplayName:
		return orNone(v.DisplayName)
	case ServerFieldPort:
		if v.Port == 0 {
			return "the farm's"
		}
		return strconv.FormatInt(v.Port, 10)
	case ServerFieldStatus:
		return string(serverStatus(v.Active))
	case ServerFieldWeight:
		if v.Weight == "" {
			return "1 (default)"
		}
		return v.Weight
	case ServerFieldBackup:
		return onOff(v.Backup)
	case ServerFieldProbe:
		return onOff(v.Probe)
	case ServerFieldSSL:
		return onOff(v.SSL)
	case ServerFieldChain:
		if v.Chain == "" {
			return "none"
		}
		return "a certificate chain"
	case ServerFieldCookie:
		return orNone(v.Cookie)
	case ServerFieldProxyProtocol:
		if v.ProxyProtocol == "" {
			return "off"
		}
		return v.ProxyProtocol
	case ServerFieldOnMarkedDown:
		if v.OnMarkedDown == "" {
			return "do nothing"
		}
		return v.OnMarkedDown
	}
	return ""
}

// serverFieldEqual compares one field of two servers.
func serverFieldEqual(name string, a, b ServerValues) bool {
	switch name {
	case ServerFieldDisplayName:
		return a.DisplayName == b.DisplayName
	case ServerFieldAddress:
		return a.Address == b.Address
	case ServerFieldPort:
		return a.Port == b.Port
	case ServerFieldStatus:
		return a.Active == b.Active
	case ServerFieldWeight:
		return a.Weight == b.Weight
	case ServerFieldBackup:
		return a.Backup == b.Backup
	case ServerFieldProbe:
		return a.Probe == b.Probe
	case ServerFieldSSL:
		return a.SSL == b.SSL
	case ServerFieldChain:
		return a.Chain == b.Chain
	case ServerFieldCookie:
		return a.Cookie == b.Cookie
	case ServerFieldProxyProtocol:
		return a.ProxyProtocol == b.ProxyProtocol
	case ServerFieldOnMarkedDown:
		return a.OnMarkedDown == b.OnMarkedDown
	}
	return true
}

// ServerLabels lists fields by label.
func ServerLabels(fields []string) string {
	out := make([]string, len(fields))
	for i, name := range fields {
		out[i] = strings.ToLower(ServerFieldLabel(name))
	}
	return strings.Join(out, ", ")
}

// ServerUpdateOf returns the partial update that sets the named fields to
// their values in v. Empty values of nullable fields are sent as null.
func ServerUpdateOf(v ServerValues, fields []string) ovh.ServerUpdate {
	var u ovh.ServerUpdate
	for _, name := range fields {
		switch name {
		case ServerFieldDisplayName:
			u.DisplayName = nullString(v.DisplayName)
		case ServerFieldPort:
			u.Port = nullInt(v.Port)
		case ServerFieldStatus:
			st := serverStatus(v.Active)
			u.Status = &st
		case ServerFieldWeight:
			if n, err := strconv.ParseInt(v.Weight, 10, 64); err == nil {
				u.Weight = ovh.Set(n)
			} else {
				u.Weight = ovh.Clear[int64]()
			}
		case ServerFieldBackup:
			u.Backup = farmPtr(v.Backup)
		case ServerFieldProbe:
			u.Probe = farmPtr(v.Probe)
		case ServerFieldSSL:
			u.SSL = farmPtr(v.SSL)
		case ServerFieldChain:
			u.Chain = nullString(v.Chain)
		case ServerFieldCookie:
			u.Cookie = nullString(v.Cookie)
		case ServerFieldProxyProtocol:
			u.ProxyProtocolVersion = farmNullEnum[ovh.ProxyProtocolVersion](v.ProxyProtocol)
		case ServerFieldOnMarkedDown:
			u.OnMarkedDown = farmNullEnum[ovh.OnMarkedDown](v.OnMarkedDown)
		}
	}
	return u
}

func serverStatus(active bool) ovh.ServerStatus {
	if active {
		return ovh.ServerActive
	}
	return ovh.ServerInactive
}

// ServerFormOptions is what the server form shows about its farm.
type ServerFormOptions struct {
	Farm ovh.Farm
	// Network is the farm's vRack network, nil when it has none: its
	// servers are then reached on the subnet's private addresses
	// (REFERENCE §11.1 [D]: "farms can no longer reach servers on their
	// public IPs").
	Network *ovh.VRackNetwork
}

// ServerForm is the create/edit form of a server of a farm.
type ServerForm struct {
	Service  string
	Protocol ovh.Protocol
	FarmID   int64
	ID       int64  // 0 for a creation
	Name     string // the server's name when the edit form was opened

	// The fields as typed.
	DisplayName   string
	Address       string // creation only; an edit shows the server's address
	Port          string
	Active        bool
	Weight        string
	Backup        bool
	Probe         bool
	SSL           bool
	Chain         string
	Cookie        string
	ProxyProtocol string
	OnMarkedDown  string

	Original *ServerValues
	Options  ServerFormOptions

	Errors    map[string]string
	Error     string
	QueryID   string
	Conflicts []FormConflict

	values   ServerValues
	rejected []string
	badSnap  bool
}

// IsEdit reports whether the form edits an existing server.
func (f *ServerForm) IsEdit() bool { return f.ID != 0 }

// Fill sets the form's fields from v.
func (f *ServerForm) Fill(v ServerValues) {
	f.DisplayName = v.DisplayName
	f.Address = v.Address
	f.Port = intText(v.Port)
	f.Active = v.Active
	f.Weight = v.Weight
	f.Backup = v.Backup
	f.Probe = v.Probe
	f.SSL = v.SSL
	f.Chain = v.Chain
	f.Cookie = v.Cookie
	f.ProxyProtocol = v.ProxyProtocol
	f.OnMarkedDown = v.OnMarkedDown
}

// Read fills the form from posted values and records the keys the
// protocol does not have (the address of an edit among them).
func (f *ServerForm) Read(form url.Values) {
	f.rejected = nil
	for key := range form {
		switch {
		case key == ServerFieldSnapshot || key == "_csrf":
		case key == ServerFieldAddress && f.IsEdit():
			f.rejected = append(f.rejected, key)
		case ServerHasField(f.Protocol, key):
		default:
			f.rejected = append(f.rejected, key)
		}
	}
	slices.Sort(f.rejected)

	f.DisplayName = form.Get(ServerFieldDisplayName)
	if !f.IsEdit() {
		f.Address = form.Get(ServerFieldAddress)
	}
	f.Port = form.Get(ServerFieldPort)
	f.Active = formChecked(form, ServerFieldStatus)
	if f.Protocol != ovh.UDP {
		f.Weight = form.Get(ServerFieldWeight)
		f.Backup = formChecked(form, ServerFieldBackup)
		f.Probe = formChecked(form, ServerFieldProbe)
		f.SSL = formChecked(form, ServerFieldSSL)
		f.Chain = form.Get(ServerFieldChain)
		f.ProxyProtocol = form.Get(ServerFieldProxyProtocol)
		f.OnMarkedDown = form.Get(ServerFieldOnMarkedDown)
	}
	if f.Protocol == ovh.HTTP {
		f.Cookie = form.Get(ServerFieldCookie)
	}

	f.Original, f.badSnap = nil, false
	if snap, ok := form[ServerFieldSnapshot]; ok && f.IsEdit() {
		v, err := DecodeServerValues(snap[0])
		if err != nil {
			f.badSnap = true
		} else {
			f.Original = &v
			f.Address = v.Address
		}
	}
}

func (f *ServerForm) setError(field, format string, args ...any) {
	setFirstError(&f.Errors, field, fmt.Sprintf(format, args...))
}

func (f *ServerForm) unchanged(same func(original ServerValues) bool) bool {
	return f.Original != nil && same(*f.Original)
}

// serverCookie is a cookie value HAProxy can set ([INF]: the API documents
// no syntax; RFC 6265 cookie-octets without the quote).
var serverCookie = regexp.MustCompile(`^[!#-+\--:<-\[\]-~]+$`)

// Validate checks the form (REFERENCE §8.2) and normalises its values; it
// calls nothing.
func (f *ServerForm) Validate() bool {
	f.Errors = nil
	var v ServerValues

	for _, key := range f.rejected {
		switch {
		case key == ServerFieldAddress:
			f.setError(key, "The address of a server cannot change: add a new server instead.")
		case serverFieldLabels[key] != "":
			f.setError(key, "Servers of %s farms have no %s.", FrontendProtocolLabel(f.Protocol), strings.ToLower(ServerFieldLabel(key)))
		default:
			f.setError(key, "There is no field %q in a server.", key)
		}
	}
	if f.IsEdit() && f.Original == nil {
		what := "is missing"
		if f.badSnap {
			what = "is unreadable"
		}
		f.setError(ServerFieldSnapshot, "The form's record of the server's values %s; open the edit page again.", what)
	}

	v.DisplayName = strings.TrimSpace(f.DisplayName)
	if len(v.DisplayName) > maxNameLength {
		f.setError(ServerFieldDisplayName, "Use at most %d characters.", maxNameLength)
	}
	v.Address = strings.TrimSpace(f.Address)
	if !f.IsEdit() {
		if msg := ServerAddressProblem(v.Address); msg != "" {
			f.setError(ServerFieldAddress, "%s", msg)
		}
	} else if f.Original != nil {
		v.Address = f.Original.Address
	}
	if port, ok := farmParseInt(f.Port, MinBackendPort, MaxBackendPort); ok {
		v.Port = port
	} else {
		f.setError(ServerFieldPort, "Enter a port from %d to %d, or leave it empty for the farm's port.", MinBackendPort, MaxBackendPort)
	}
	v.Active = f.Active

	if f.Protocol != ovh.UDP {
		v.Weight = strings.TrimSpace(f.Weight)
		if v.Weight != "" {
			n, ok := farmParseInt(v.Weight, 0, MaxServerWeight)
			if !ok {
				f.setError(ServerFieldWeight, "Enter a weight from 0 to %d (0 takes no traffic), or leave it empty for 1.", MaxServerWeight)
			} else {
				v.Weight = strconv.FormatInt(n, 10)
			}
		}
		v.Backup, v.Probe, v.SSL = f.Backup, f.Probe, f.SSL
		v.Chain = serverNormalizeChain(f.Chain)
		if v.Chain != "" && !f.unchanged(func(o ServerValues) bool { return o.Chain == v.Chain }) {
			if msg := serverChainProblem(v.Chain); msg != "" {
				f.setError(ServerFieldChain, "%s", msg)
			}
		}
		v.ProxyProtocol = strings.TrimSpace(f.ProxyProtocol)
		if v.ProxyProtocol != "" && !slices.Contains(serverProxyVersions, ovh.ProxyProtocolVersion(v.ProxyProtocol)) {
			f.setError(ServerFieldProxyProtocol, "%q is not a PROXY protocol version.", v.ProxyProtocol)
		}
		v.OnMarkedDown = strings.TrimSpace(f.OnMarkedDown)
		if v.OnMarkedDown != "" && v.OnMarkedDown != string(ovh.OnMarkedDownShutdownSessions) {
			f.setError(ServerFieldOnMarkedDown, "%q is not an action.", v.OnMarkedDown)
		}
	}
	if f.Protocol == ovh.HTTP {
		v.Cookie = strings.TrimSpace(f.Cookie)
		if v.Cookie != "" && !serverCookie.MatchString(v.Cookie) {
			f.setError(ServerFieldCookie, "Use letters, digits and punctuation without spaces, commas, semicolons, quotes or backslashes.")
		}
	}

	if len(f.Errors) > 0 {
		return false
	}
	f.values = v
	return true
}

// ServerAddressProblem says why s is not a usable server address (the
// schema's ipv4, REFERENCE §8.2), or "".
func ServerAddressProblem(s string) string {
	if s == "" {
		return "Enter the server's IPv4 address, e.g. 10.0.1.11."
	}
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil || !a.Is4():
		return fmt.Sprintf("%q is not an IPv4 address (e.g. 10.0.1.11).", s)
	case a.IsUnspecified(), a.IsLoopback(), a.IsMulticast(), a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		// [INF]: the schema only says ipv4; these can never be a server.
		return fmt.Sprintf("%s cannot be a server's address.", s)
	}
	return ""
}

// serverNormalizeChain trims a certificate chain and unifies line ends.
func serverNormalizeChain(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// serverChainProblem checks a certificate chain: PEM certificates only
// ([INF]: the schema says "text"; the chain verifies the server's
// certificate, so it is certificates).
func serverChainProblem(chain string) string {
	rest := []byte(chain)
	n := 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return fmt.Sprintf("The chain holds a %q block: paste certificates only (-----BEGIN CERTIFICATE-----).", block.Type)
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return fmt.Sprintf("Certificate %d of the chain cannot be read: %v.", n+1, err)
		}
		n++
	}
	if n == 0 || strings.TrimSpace(string(rest)) != "" {
		return "Paste PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----), one after the other."
	}
	return ""
}

// Values returns the normalised values of a valid form.
func (f *ServerForm) Values() ServerValues { return f.values }

// Create returns the creation body of a valid form.
func (f *ServerForm) Create() ovh.ServerCreate {
	v := f.values
	c := ovh.ServerCreate{Address: v.Address, Status: serverStatus(v.Active)}
	if v.DisplayName != "" {
		c.DisplayName = farmPtr(v.DisplayName)
	}
	if v.Port != 0 {
		c.Port = farmPtr(v.Port)
	}
	if f.Protocol != ovh.UDP {
		c.Backup, c.Probe, c.SSL = v.Backup, v.Probe, v.SSL
		if n, err := strconv.ParseInt(v.Weight, 10, 64); err == nil {
			c.Weight = farmPtr(n)
		}
		if v.Chain != "" {
			c.Chain = farmPtr(v.Chain)
		}
		if v.ProxyProtocol != "" {
			pp := ovh.ProxyProtocolVersion(v.ProxyProtocol)
			c.ProxyProtocolVersion = &pp
		}
		if v.OnMarkedDown != "" {
			om := ovh.OnMarkedDown(v.OnMarkedDown)
			c.OnMarkedDown = &om
		}
	}
	if f.Protocol == ovh.HTTP && v.Cookie != "" {
		c.Cookie = farmPtr(v.Cookie)
	}
	return c
}

// Changes returns the fields the user changed since the form was opened.
func (f *ServerForm) Changes() []string {
	if f.Original == nil {
		return nil
	}
	return ServerChanges(f.Protocol, *f.Original, f.values)
}

// Update returns the partial update of a valid edit form.
func (f *ServerForm) Update() ovh.ServerUpdate { return ServerUpdateOf(f.values, f.Changes()) }

// Rebase makes the form start from current after a conflict, as
// FarmForm.Rebase does.
func (f *ServerForm) Rebase(current ServerValues) {
	v := current
	for _, name := range f.Changes() {
		switch name {
		case ServerFieldDisplayName:
			v.DisplayName = f.values.DisplayName
		case ServerFieldPort:
			v.Port = f.values.Port
		case ServerFieldStatus:
			v.Active = f.values.Active
		case ServerFieldWeight:
			v.Weight = f.values.Weight
		case ServerFieldBackup:
			v.Backup = f.values.Backup
		case ServerFieldProbe:
			v.Probe = f.values.Probe
		case ServerFieldSSL:
			v.SSL = f.values.SSL
		case ServerFieldChain:
			v.Chain = f.values.Chain
		case ServerFieldCookie:
			v.Cookie = f.values.Cookie
		case ServerFieldProxyProtocol:
			v.ProxyProtocol = f.values.ProxyProtocol
		case ServerFieldOnMarkedDown:
			v.OnMarkedDown = f.values.OnMarkedDown
		}
	}
	f.Fill(v)
	f.Original = &current
}

// Merge compares a valid edit with current, the server's values now.
func (f *ServerForm) Merge(current ServerValues) FormMerge {
	if f.Original == nil {
		return FormMerge{}
	}
	return mergeEdits(f.Changes(), ServerChanges(f.Protocol, *f.Original, current),
		func(name string) bool { return serverFieldEqual(name, current, f.values) },
		func(name string) FormConflict {
			return FormConflict{Field: name, Label: ServerFieldLabel(name),
				Current: serverFieldShow(name, current), Yours: serverFieldShow(name, f.values)}
		})
}

func (f *ServerForm) fieldAttrs(name string, hint bool) templ.Attributes {
	return fieldARIA(f.Errors, name, serverInputID(name), hint)
}

// serverInputID is the HTML id of a server form field.
func serverInputID(name string) string { return "server-" + name }

func (f *ServerForm) action() string {
	if f.IsEdit() {
		return ServerPath(f.Service, f.Protocol, f.FarmID, f.ID)
	}
	return ServersPath(f.Service, f.Protocol, f.FarmID)
}

// errorSummary lists the form's errors for the summary above the fields.
func (f *ServerForm) errorSummary() []farmErrorItem {
	return farmSummary(f.Errors, serverFieldsOf(f.Protocol), ServerFieldLabel, func(name string) bool {
		return ServerHasField(f.Protocol, name) && (name != ServerFieldAddress || !f.IsEdit())
	}, serverInputID)
}

// AdvancedOpen reports whether the server's advanced settings start open.
func (f *ServerForm) AdvancedOpen() bool {
	for _, name := range []string{ServerFieldChain, ServerFieldProxyProtocol, ServerFieldOnMarkedDown, ServerFieldCookie} {
		if _, bad := f.Errors[name]; bad {
			return true
		}
	}
	return f.Chain != "" || f.ProxyProtocol != "" || f.OnMarkedDown != "" || f.Cookie != ""
}

// ServerRowModel is one server of a farm page's table: the fragment the
// enable/disable toggle answers.
type ServerRowModel struct {
	Service string
	Server  ovh.Server
}

// ServerName is the server's display name, or its address.
func ServerName(s ovh.Server) string {
	if s.DisplayName != nil && *s.DisplayName != "" {
		return *s.DisplayName
	}
	return s.Address
}

// ServerToggledModel is the answer to an in-place enable/disable: the row,
// the message, and the banner.
type ServerToggledModel struct {
	Row     ServerRowModel
	Message string
	// Banner is the refreshed banner for an out-of-band swap
	// (PendingBannerOOB; handlers' bannerOOB).
	Banner templ.Component
	// Health is the farm's servers' summary after the toggle, for the
	// heading of the farm page; nil leaves it as it is.
	Health *FarmHealth
}

// ServerDeleteModel is the server delete confirmation page.
type ServerDeleteModel struct {
	Service string
	Farm    ovh.Farm
	Server  ovh.Server
	// Last is true when the farm has no other active server: deleting it
	// leaves the farm's frontends with nothing to send traffic to.
	Last    bool
	Refused *ErrorModel
}

// ServerPageModel is the server form's page: the form and its farm.
type ServerPageModel struct {
	Form ServerForm
}
