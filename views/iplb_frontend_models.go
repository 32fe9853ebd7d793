package views

import (
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

// This file holds the view models of the frontend pages: the list, the
// create/edit form (FrontendForm: Read, Validate, Create, Update) and the
// delete confirmation. The form's field names are the API's JSON names
// (REFERENCE §7.1), so that a field error, a posted key and an API message
// all speak of the same thing.

// Form field names of the frontend form.
const (
	FrontendFieldDisplayName      = "displayName"
	FrontendFieldPort             = "port"
	FrontendFieldZone             = "zone"
	FrontendFieldDefaultFarm      = "defaultFarmId"
	FrontendFieldDisabled         = "disabled"
	FrontendFieldSSL              = "ssl"
	FrontendFieldDefaultSSL       = "defaultSslId"
	FrontendFieldAllowedSource    = "allowedSource"
	FrontendFieldDeniedSource     = "deniedSource"
	FrontendFieldHSTS             = "hsts"
	FrontendFieldHTTPHeader       = "httpHeader"
	FrontendFieldRedirectLocation = "redirectLocation"
	FrontendFieldDedicatedIPFO    = "dedicatedIpfo"

	// FrontendFieldSnapshot carries, in the edit form, the values the form
	// was opened with (FrontendValues.Encode), so that the update sends only
	// what the user changed and notices what others changed meanwhile.
	FrontendFieldSnapshot = "_snapshot"
)

// FrontendZoneAll is the zone of a frontend or farm deployed in every zone of its
// IPLB (REFERENCE §7.1, §7.3).
const FrontendZoneAll = "all"

// Port limits of REFERENCE §7.2 (terraform's wording: "each port must be in
// the [1;49151] range").
const (
	MinFrontendPort = 1
	MaxFrontendPort = 49151
)

// FrontendValues are the canonical values of a frontend's editable fields,
// as the API holds them (REFERENCE §7.1): what a form is opened with, what a
// valid form yields, and what edits are compared on. Lists are normalised
// (canonical blocks, no blank lines); a zero id means none.
type FrontendValues struct {
	DisplayName      string   `json:"displayName,omitempty"`
	Port             string   `json:"port,omitempty"`
	Zone             string   `json:"zone,omitempty"`
	DefaultFarmID    int64    `json:"defaultFarmId,omitempty"`
	Disabled         bool     `json:"disabled,omitempty"`
	DedicatedIPFO    []string `json:"dedicatedIpfo,omitempty"`
	SSL              bool     `json:"ssl,omitempty"`
	DefaultSSLID     int64    `json:"defaultSslId,omitempty"`
	AllowedSource    []string `json:"allowedSource,omitempty"`
	DeniedSource     []string `json:"deniedSource,omitempty"`
	HSTS             bool     `json:"hsts,omitempty"`
	HTTPHeader       []string `json:"httpHeader,omitempty"`
	RedirectLocation string   `json:"redirectLocation,omitempty"`
}

// FrontendValuesOf returns the editable values of f, normalised as a valid
// form would produce them.
func FrontendValuesOf(f ovh.Frontend) FrontendValues {
	v := FrontendValues{
		DisplayName:   deref(f.DisplayName),
		Port:          f.Port,
		Zone:          f.Zone,
		DefaultFarmID: deref(f.DefaultFarmID),
		Disabled:      f.Disabled,
		DedicatedIPFO: feCanonicalBlocks(f.DedicatedIPFO),
	}
	if f.Protocol != ovh.UDP {
		v.SSL = deref(f.SSL)
		v.DefaultSSLID = deref(f.DefaultSSLID)
		v.AllowedSource = feCanonicalBlocks(f.AllowedSource)
		v.DeniedSource = feCanonicalBlocks(f.DeniedSource)
	}
	if f.Protocol == ovh.HTTP {
		v.HSTS = deref(f.HSTS)
		v.HTTPHeader = slices.Clone(f.HTTPHeader)
		v.RedirectLocation = deref(f.RedirectLocation)
	}
	return v
}

// Encode returns v as a compact, URL-safe string for a hidden field.
func (v FrontendValues) Encode() string { return encodeSnapshot(v) }

// DecodeFrontendValues reads what Encode wrote.
func DecodeFrontendValues(s string) (FrontendValues, error) {
	var v FrontendValues
	return v, decodeSnapshot("frontend snapshot", s, &v)
}

// frontendField describes one editable field: which protocols have it, how
// two values compare, how a value reads to a person and how it goes into a
// partial update.
type frontendField struct {
	name   string
	label  string
	protos []ovh.Protocol
	equal  func(a, b FrontendValues) bool
	show   func(v FrontendValues, o FrontendFormOptions) string
	update func(v FrontendValues, u *ovh.FrontendUpdate)
}

var (
	feAllProtocols = []ovh.Protocol{ovh.HTTP, ovh.TCP, ovh.UDP}
	feHTTPTCP      = []ovh.Protocol{ovh.HTTP, ovh.TCP}
	feHTTPOnly     = []ovh.Protocol{ovh.HTTP}
)

// frontendFields lists the editable fields in the form's order (REFERENCE
// §7.1). Read-only fields (frontendId, vrackNetworkId, vrackVrouterId) are
// not in it.
var frontendFields = []frontendField{
	{FrontendFieldDisplayName, "Name", feAllProtocols,
		func(a, b FrontendValues) bool { return a.DisplayName == b.DisplayName },
		func(v FrontendValues, _ FrontendFormOptions) string { return orNone(v.DisplayName) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.DisplayName = nullString(v.DisplayName) }},
	{FrontendFieldPort, "Port", feAllProtocols,
		func(a, b FrontendValues) bool { return a.Port == b.Port },
		func(v FrontendValues, _ FrontendFormOptions) string { return orNone(v.Port) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.Port = &v.Port }},
	{FrontendFieldZone, "Zone", feAllProtocols,
		func(a, b FrontendValues) bool { return a.Zone == b.Zone },
		func(v FrontendValues, _ FrontendFormOptions) string { return FrontendZoneLabel(v.Zone) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.Zone = &v.Zone }},
	{FrontendFieldDefaultFarm, "Default farm", feAllProtocols,
		func(a, b FrontendValues) bool { return a.DefaultFarmID == b.DefaultFarmID },
		func(v FrontendValues, o FrontendFormOptions) string { return o.farmName(v.DefaultFarmID) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.DefaultFarmID = nullInt(v.DefaultFarmID) }},
	{FrontendFieldSSL, "SSL", feHTTPTCP,
		func(a, b FrontendValues) bool { return a.SSL == b.SSL },
		func(v FrontendValues, _ FrontendFormOptions) string { return onOff(v.SSL) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.SSL = &v.SSL }},
	{FrontendFieldDefaultSSL, "Default certificate", feHTTPTCP,
		func(a, b FrontendValues) bool { return a.DefaultSSLID == b.DefaultSSLID },
		func(v FrontendValues, o FrontendFormOptions) string { return o.certificateName(v.DefaultSSLID) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.DefaultSSLID = nullInt(v.DefaultSSLID) }},
	{FrontendFieldHSTS, "HSTS", feHTTPOnly,
		func(a, b FrontendValues) bool { return a.HSTS == b.HSTS },
		func(v FrontendValues, _ FrontendFormOptions) string { return onOff(v.HSTS) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.HSTS = &v.HSTS }},
	{FrontendFieldRedirectLocation, "Redirect location", feHTTPOnly,
		func(a, b FrontendValues) bool { return a.RedirectLocation == b.RedirectLocation },
		func(v FrontendValues, _ FrontendFormOptions) string { return orNone(v.RedirectLocation) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.RedirectLocation = nullString(v.RedirectLocation) }},
	{FrontendFieldAllowedSource, "Allowed sources", feHTTPTCP,
		func(a, b FrontendValues) bool { return feSameSet(a.AllowedSource, b.AllowedSource) },
		func(v FrontendValues, _ FrontendFormOptions) string { return feListOrNone(v.AllowedSource) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.AllowedSource = feNullList(v.AllowedSource) }},
	{FrontendFieldDeniedSource, "Denied sources", feHTTPTCP,
		func(a, b FrontendValues) bool { return feSameSet(a.DeniedSource, b.DeniedSource) },
		func(v FrontendValues, _ FrontendFormOptions) string { return feListOrNone(v.DeniedSource) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.DeniedSource = feNullList(v.DeniedSource) }},
	{FrontendFieldHTTPHeader, "HTTP headers", feHTTPOnly,
		func(a, b FrontendValues) bool { return slices.Equal(a.HTTPHeader, b.HTTPHeader) },
		func(v FrontendValues, _ FrontendFormOptions) string { return feListOrNone(v.HTTPHeader) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.HTTPHeader = feNullList(v.HTTPHeader) }},
	{FrontendFieldDisabled, "Disabled", feAllProtocols,
		func(a, b FrontendValues) bool { return a.Disabled == b.Disabled },
		func(v FrontendValues, _ FrontendFormOptions) string { return feYesNo(v.Disabled) },
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.Disabled = &v.Disabled }},
	// dedicatedIpfo: Clear() when none is selected. The schema's null means
	// "no restriction" and an empty list is undefined (internal/ovh's
	// FrontendUpdate doc), so unpinning the last IP sends null.
	{FrontendFieldDedicatedIPFO, "Dedicated failover IPs", feAllProtocols,
		func(a, b FrontendValues) bool { return feSameSet(a.DedicatedIPFO, b.DedicatedIPFO) },
		func(v FrontendValues, _ FrontendFormOptions) string {
			if len(v.DedicatedIPFO) == 0 {
				return "none (every failover IP)"
			}
			return strings.Join(v.DedicatedIPFO, ", ")
		},
		func(v FrontendValues, u *ovh.FrontendUpdate) { u.DedicatedIPFO = feNullList(v.DedicatedIPFO) }},
}

// FrontendHasField reports whether frontends of protocol p have the form
// field name (REFERENCE §7.1).
func FrontendHasField(p ovh.Protocol, name string) bool {
	f, ok := feFieldSpec(name)
	return ok && slices.Contains(f.protos, p)
}

// FrontendFieldLabel returns the label of the form field name.
func FrontendFieldLabel(name string) string {
	if f, ok := feFieldSpec(name); ok {
		return f.label
	}
	return name
}

func feFieldSpec(name string) (frontendField, bool) {
	i := slices.IndexFunc(frontendFields, func(f frontendField) bool { return f.name == name })
	if i < 0 {
		return frontendField{}, false
	}
	return frontendFields[i], true
}

// FrontendChanges returns the names of the fields of protocol p whose values
// differ between a and b, in the form's order.
func FrontendChanges(p ovh.Protocol, a, b FrontendValues) []string {
	var out []string
	for _, f := range frontendFields {
		if slices.Contains(f.protos, p) && !f.equal(a, b) {
			out = append(out, f.name)
		}
	}
	return out
}

// FrontendUpdateOf returns the partial update (REFERENCE §4) that sets the
// named fields to their values in v and leaves every other field alone.
// Empty values of nullable fields are sent as null (Clear): no name, no
// default farm, no certificate, no redirection, and empty lists.
func FrontendUpdateOf(v FrontendValues, fields []string) ovh.FrontendUpdate {
	var u ovh.FrontendUpdate
	for _, name := range fields {
		if f, ok := feFieldSpec(name); ok {
			f.update(v, &u)
		}
	}
	return u
}

// FrontendConflict is a field that both the user and someone else changed
// since the edit form was opened, to different values.
type FrontendConflict struct {
	Field   string // form field name
	Label   string
	Current string // the frontend's value now, as a person reads it
	Yours   string // the value the user submitted
}

// FrontendRef names a frontend, e.g. one that pins a failover IP.
type FrontendRef struct {
	Protocol ovh.Protocol
	ID       int64
	Name     string
}

// Label is "www (HTTP)".
func (r FrontendRef) Label() string { return r.Name + " (" + FrontendProtocolLabel(r.Protocol) + ")" }

// FrontendIPOption is one failover IP of the dedicated-IP multiselect.
type FrontendIPOption struct {
	IP string // canonical /32, e.g. "203.0.113.11/32"
	// UsedBy are the other frontends whose dedicatedIpfo holds the IP.
	UsedBy []FrontendRef
	// NotRouted is true for an IP the frontend pins but that is not routed
	// to the IPLB any more: it can only be unticked.
	NotRouted bool
}

// FrontendFormOptions are the choices of the form, fetched by the handler:
// they fill the selects and bound what Validate accepts.
type FrontendFormOptions struct {
	Zones        []string          // the IPLB's zones ("all" is implied)
	Farms        []ovh.Farm        // the IPLB's farms of the form's protocol
	Certificates []ovh.Certificate // the IPLB's certificates (HTTP and TCP)
	IPs          []FrontendIPOption
}

func (o FrontendFormOptions) farm(id int64) (ovh.Farm, bool) {
	i := slices.IndexFunc(o.Farms, func(f ovh.Farm) bool { return f.ID == id })
	if i < 0 {
		return ovh.Farm{}, false
	}
	return o.Farms[i], true
}

func (o FrontendFormOptions) farmName(id int64) string {
	if id == 0 {
		return "none"
	}
	if f, ok := o.farm(id); ok {
		return f.Name()
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (o FrontendFormOptions) certificateName(id int64) string {
	if id == 0 {
		return "none"
	}
	for _, c := range o.Certificates {
		if c.ID == id {
			return c.Name()
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

// CompatibleFarms returns the farms a frontend in zone can use: a farm in
// a zone serves frontends of that zone or of "all", a farm in "all" serves
// every frontend (REFERENCE §7.3 [INF], the control panel's filter). An
// empty zone (not chosen yet) allows every farm.
func (o FrontendFormOptions) CompatibleFarms(zone string) []ovh.Farm {
	var out []ovh.Farm
	for _, f := range o.Farms {
		if zone == "" || feZonesCompatible(f.Zone, zone) {
			out = append(out, f)
		}
	}
	return out
}

func feZonesCompatible(farmZone, frontendZone string) bool {
	return farmZone == FrontendZoneAll || frontendZone == FrontendZoneAll || farmZone == frontendZone
}

// feMaxExpandedBlock is the widest failover block whose addresses the
// multiselect lists one by one (/27: 32 addresses). [INF]: a frontend pins
// single addresses (/32, REFERENCE §7.1); wider routed blocks are rare and
// listing hundreds of boxes helps nobody.
const feMaxExpandedBlock = 27

// FrontendIPOptions builds the multiselect's options: every IPv4 address of
// the IPLB's failover blocks (failover, as GET …/failover lists them; blocks
// up to /27 are listed address by address), each with the frontends other
// than self that pin it, plus any address self pins that is no longer
// routed to the IPLB (NotRouted).
func FrontendIPOptions(failover []string, frontends []ovh.Frontend, self FrontendRef) []FrontendIPOption {
	var out []FrontendIPOption
	seen := map[string]bool{}
	add := func(ip string, notRouted bool) {
		if seen[ip] {
			return
		}
		seen[ip] = true
		opt := FrontendIPOption{IP: ip, NotRouted: notRouted}
		for _, f := range frontends {
			if f.Protocol == self.Protocol && f.ID == self.ID {
				continue
			}
			if slices.Contains(feCanonicalBlocks(f.DedicatedIPFO), ip) {
				opt.UsedBy = append(opt.UsedBy, FrontendRef{Protocol: f.Protocol, ID: f.ID, Name: f.Name()})
			}
		}
		out = append(out, opt)
	}
	for _, b := range failover {
		p, err := feParseBlock(b)
		if err != nil || !p.Addr().Is4() || p.Bits() < feMaxExpandedBlock {
			continue
		}
		for a := p.Addr(); p.Contains(a); a = a.Next() {
			add(netip.PrefixFrom(a, 32).String(), false)
		}
	}
	for _, f := range frontends {
		if f.Protocol == self.Protocol && f.ID == self.ID {
			for _, ip := range feCanonicalBlocks(f.DedicatedIPFO) {
				add(ip, true) // a no-op for the routed ones, added above
			}
		}
	}
	return out
}

// FrontendForm is the create/edit form of a frontend: what the user typed,
// the choices, the errors. Read fills it from a posted form, Validate checks
// it (before any API call) and Create or Update turn it into a request body.
type FrontendForm struct {
	Service  string
	Protocol ovh.Protocol
	ID       int64  // 0 for a creation
	Name     string // the frontend's name when the edit form was opened

	// The fields as typed (text areas hold one entry per line).
	DisplayName      string
	Port             string
	Zone             string
	DefaultFarm      string // a farm id, "" = none
	Disabled         bool
	SSL              bool
	DefaultSSL       string // a certificate id, "" = none
	AllowedSource    string
	DeniedSource     string
	HSTS             bool
	HTTPHeader       string
	RedirectLocation string
	DedicatedIPFO    []string // the ticked failover IPs

	// Original holds the values the edit form was opened with (nil for a
	// creation, and for an edit whose snapshot was missing or unreadable).
	Original *FrontendValues

	Options FrontendFormOptions

	// Errors maps a field name to what is wrong with it.
	Errors map[string]string
	// Error is a form-level error, e.g. the API's refusal, shown above the
	// fields; QueryID is the API's query ID that goes with it.
	Error   string
	QueryID string
	// Notice is information about the form, e.g. that the failover IP the
	// page was opened for (?ipfo=) is not routed to the IPLB yet.
	Notice string
	// Conflicts are fields both the user and someone else changed since the
	// form was opened; the form then offers to save the user's values over
	// the current ones.
	Conflicts []FrontendConflict

	values   FrontendValues // set by a successful Validate
	rejected []string       // posted keys the protocol does not have
	badSnap  bool           // the edit's snapshot was present but unreadable
}

// SetAPIError records the API's refusal of the form (ovh.KindInvalid): its
// message and query ID above the fields, and, when the message names a
// field of the form ("Invalid value for port: …", the wording of the
// emulator and, as far as public reports show, of the API; [INF]), that
// field is marked too.
func (f *FrontendForm) SetAPIError(message, queryID string) {
	f.Error, f.QueryID = message, queryID
	rest, ok := strings.CutPrefix(message, "Invalid value for ")
	if !ok {
		return
	}
	name, _, _ := strings.Cut(rest, ":")
	if name = strings.TrimSpace(name); FrontendHasField(f.Protocol, name) {
		f.setError(name, "The OVH API refused this value (see the message above).")
	}
}

// IsEdit reports whether the form edits an existing frontend.
func (f *FrontendForm) IsEdit() bool { return f.ID != 0 }

// Fill sets the form's fields from v, as when the form opens.
func (f *FrontendForm) Fill(v FrontendValues) {
	f.DisplayName = v.DisplayName
	f.Port = v.Port
	f.Zone = v.Zone
	f.DefaultFarm = intText(v.DefaultFarmID)
	f.Disabled = v.Disabled
	f.SSL = v.SSL
	f.DefaultSSL = intText(v.DefaultSSLID)
	f.AllowedSource = strings.Join(v.AllowedSource, "\n")
	f.DeniedSource = strings.Join(v.DeniedSource, "\n")
	f.HSTS = v.HSTS
	f.HTTPHeader = strings.Join(v.HTTPHeader, "\n")
	f.RedirectLocation = v.RedirectLocation
	f.DedicatedIPFO = slices.Clone(v.DedicatedIPFO)
}

// Read fills the form from posted values: text as typed, ticked boxes,
// selected IPs, the edit's snapshot. It records the keys the protocol does
// not have (Validate rejects them). Service, Protocol and ID must be set
// before.
func (f *FrontendForm) Read(form url.Values) {
	f.rejected = nil
	for key := range form {
		switch {
		case key == FrontendFieldSnapshot || key == "_csrf":
		case FrontendHasField(f.Protocol, key):
		default:
			f.rejected = append(f.rejected, key)
		}
	}
	slices.Sort(f.rejected)

	f.DisplayName = form.Get(FrontendFieldDisplayName)
	f.Port = form.Get(FrontendFieldPort)
	f.Zone = form.Get(FrontendFieldZone)
	f.DefaultFarm = form.Get(FrontendFieldDefaultFarm)
	f.Disabled = formChecked(form, FrontendFieldDisabled)
	f.DedicatedIPFO = nil
	for _, ip := range form[FrontendFieldDedicatedIPFO] {
		if ip = strings.TrimSpace(ip); ip != "" && !slices.Contains(f.DedicatedIPFO, ip) {
			f.DedicatedIPFO = append(f.DedicatedIPFO, ip)
		}
	}
	if f.Protocol != ovh.UDP {
		f.SSL = formChecked(form, FrontendFieldSSL)
		f.DefaultSSL = form.Get(FrontendFieldDefaultSSL)
		f.AllowedSource = form.Get(FrontendFieldAllowedSource)
		f.DeniedSource = form.Get(FrontendFieldDeniedSource)
	}
	if f.Protocol == ovh.HTTP {
		f.HSTS = formChecked(form, FrontendFieldHSTS)
		f.HTTPHeader = form.Get(FrontendFieldHTTPHeader)
		f.RedirectLocation = form.Get(FrontendFieldRedirectLocation)
	}

	f.Original, f.badSnap = nil, false
	if snap, ok := form[FrontendFieldSnapshot]; ok && f.IsEdit() {
		v, err := DecodeFrontendValues(snap[0])
		if err != nil {
			f.badSnap = true
		} else {
			f.Original = &v
		}
	}
}

// setError records the first error of a field.
func (f *FrontendForm) setError(field, format string, args ...any) {
	setFirstError(&f.Errors, field, fmt.Sprintf(format, args...))
}

// Validate checks the form against REFERENCE §7 and the options, and
// normalises its values; it reports whether the form is valid. It calls
// nothing: bad input never reaches the API.
func (f *FrontendForm) Validate() bool {
	f.Errors = nil
	var v FrontendValues

	for _, key := range f.rejected {
		if _, known := feFieldSpec(key); known {
			f.setError(key, "%s frontends have no %s.", FrontendProtocolLabel(f.Protocol), strings.ToLower(FrontendFieldLabel(key)))
		} else {
			f.setError(key, "There is no field %q in a frontend.", key)
		}
	}
	if f.IsEdit() && f.Original == nil {
		what := "is missing"
		if f.badSnap {
			what = "is unreadable"
		}
		f.setError(FrontendFieldSnapshot, "The form's record of the values it was opened with %s, so your changes could not be told from others'. Check every field against the frontend as it is now, then save again.", what)
	}

	v.DisplayName = strings.TrimSpace(f.DisplayName)
	if len(v.DisplayName) > 255 { // [INF]: the schema sets no limit; a sane bound
		f.setError(FrontendFieldDisplayName, "Use at most 255 characters.")
	}
	if port, msg := feNormalizePorts(f.Port); msg != "" {
		f.setError(FrontendFieldPort, "%s", msg)
	} else {
		v.Port = port
	}

	v.Zone = strings.TrimSpace(f.Zone)
	switch {
	case v.Zone == "":
		f.setError(FrontendFieldZone, "Choose a zone.")
	case v.Zone != FrontendZoneAll && !slices.Contains(f.Options.Zones, v.Zone):
		f.setError(FrontendFieldZone, "%q is not a zone of this load balancer (%s).", v.Zone, strings.Join(append(slices.Clone(f.Options.Zones), FrontendZoneAll), ", "))
	}

	if id, ok := f.parseID(FrontendFieldDefaultFarm, f.DefaultFarm); ok && id != 0 {
		farm, found := f.Options.farm(id)
		switch {
		case f.unchanged(func(o FrontendValues) bool { return o.DefaultFarmID == id && o.Zone == v.Zone }):
			// Kept as it was: an edit of another field must not fail on it.
			v.DefaultFarmID = id
		case !found:
			f.setError(FrontendFieldDefaultFarm, "Farm %d is not a %s farm of this load balancer.", id, FrontendProtocolLabel(f.Protocol))
		case v.Zone != "" && !feZonesCompatible(farm.Zone, v.Zone):
			f.setError(FrontendFieldDefaultFarm, "Farm %s is in zone %s and cannot serve a frontend in zone %s.", farm.Name(), farm.Zone, v.Zone)
		default:
			v.DefaultFarmID = id
		}
	}
	v.Disabled = f.Disabled

	v.DedicatedIPFO = f.validateIPs()

	if f.Protocol != ovh.UDP {
		v.SSL = f.SSL
		if id, ok := f.parseID(FrontendFieldDefaultSSL, f.DefaultSSL); ok && id != 0 {
			if !f.unchanged(func(o FrontendValues) bool { return o.DefaultSSLID == id }) &&
				!slices.ContainsFunc(f.Options.Certificates, func(c ovh.Certificate) bool { return c.ID == id }) {
				f.setError(FrontendFieldDefaultSSL, "Certificate %d is not a certificate of this load balancer.", id)
			} else {
				v.DefaultSSLID = id
			}
		}
		v.AllowedSource = f.validateSources(FrontendFieldAllowedSource, f.AllowedSource)
		v.DeniedSource = f.validateSources(FrontendFieldDeniedSource, f.DeniedSource)
		if len(v.AllowedSource) > 0 && len(v.DeniedSource) > 0 {
			// REFERENCE §7.1 [S]: "You cannot specify allowedSource and
			// deniedSource both at the same time".
			const both = "Fill in either the allowed or the denied sources, not both."
			f.setError(FrontendFieldAllowedSource, both)
			f.setError(FrontendFieldDeniedSource, both)
		}
	}
	if f.Protocol == ovh.HTTP {
		v.HSTS = f.HSTS
		v.HTTPHeader = f.validateHeaders()
		v.RedirectLocation = strings.TrimSpace(f.RedirectLocation)
		if v.RedirectLocation != "" {
			u, err := url.Parse(v.RedirectLocation)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				f.setError(FrontendFieldRedirectLocation, "Enter an absolute URL starting with http:// or https://, e.g. https://www.example.com/.")
			}
		}
	}

	if len(f.Errors) > 0 {
		return false
	}
	f.values = v
	return true
}

// parseID reads an id chosen in a select ("" = none).
func (f *FrontendForm) parseID(field, s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		f.setError(field, "Choose an entry from the list.")
		return 0, false
	}
	return id, true
}

// validateIPs checks the ticked failover IPs: each a failover IPv4 of the
// IPLB, in the /32 form the API expects (REFERENCE §7.1 [D]: the IPs must be
// routed to this IPLB).
func (f *FrontendForm) validateIPs() []string {
	var out, unknown, gone []string
	for _, raw := range f.DedicatedIPFO {
		p, err := feParseBlock(raw)
		if err != nil || !p.Addr().Is4() || p.Bits() != 32 {
			f.setError(FrontendFieldDedicatedIPFO, "%q is not a single IPv4 address.", raw)
			continue
		}
		ip := p.String()
		if slices.Contains(out, ip) {
			continue
		}
		out = append(out, ip)
		i := slices.IndexFunc(f.Options.IPs, func(o FrontendIPOption) bool { return o.IP == ip })
		switch {
		case i < 0:
			unknown = append(unknown, ip)
		case f.Options.IPs[i].NotRouted:
			gone = append(gone, ip)
		}
	}
	if f.unchanged(func(o FrontendValues) bool { return feSameSet(o.DedicatedIPFO, out) }) {
		return out // kept as it was: an edit of another field must not fail on it
	}
	for _, ip := range unknown {
		f.setError(FrontendFieldDedicatedIPFO, "%s is not a failover IP of this load balancer.", ip)
	}
	for _, ip := range gone {
		f.setError(FrontendFieldDedicatedIPFO, "%s is no longer routed to this load balancer: untick it.", ip)
	}
	return out
}

// unchanged reports whether an edit keeps a value as the form was opened
// with (same(original)); always false for a creation.
func (f *FrontendForm) unchanged(same func(original FrontendValues) bool) bool {
	return f.Original != nil && same(*f.Original)
}

// validateSources reads a text area of IP blocks, one per line; a bare
// address is its /32 (or /128).
func (f *FrontendForm) validateSources(field, text string) []string {
	var out []string
	for i, line := range feLines(text) {
		p, err := feParseBlock(line)
		switch {
		case err != nil:
			f.setError(field, "Line %d: %q is not an IP address or block (e.g. 198.51.100.0/24).", i+1, line)
		case p.Masked() != p:
			f.setError(field, "Line %d: %s is not a network address; did you mean %s?", i+1, line, p.Masked())
		default:
			if s := p.String(); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// feHeaderName is an HTTP field name (RFC 9110 token).
var feHeaderName = regexp.MustCompile(`^[!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+$`)

// validateHeaders reads the HTTP header lines: "Name value", where value may
// use %ci (client IP) and %cp (client port) (REFERENCE §7.1). [INF]: the
// exact syntax the API accepts is not documented; a valid field name first
// is what HAProxy requires.
func (f *FrontendForm) validateHeaders() []string {
	var out []string
	for i, line := range feLines(f.HTTPHeader) {
		name, _, _ := strings.Cut(line, " ")
		name = strings.TrimSuffix(name, ":")
		if !feHeaderName.MatchString(name) {
			f.setError(FrontendFieldHTTPHeader, "Line %d: %q does not start with a header name (e.g. X-Forwarded-For %%ci).", i+1, line)
			continue
		}
		out = append(out, line)
	}
	return out
}

// lines returns the non-blank lines of text, trimmed.
func feLines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Values returns the normalised values of a valid form (after Validate).
func (f *FrontendForm) Values() FrontendValues { return f.values }

// Create returns the creation body of a valid form. Fields the protocol
// lacks stay zero, so they are not sent.
func (f *FrontendForm) Create() ovh.FrontendCreate {
	v := f.values
	c := ovh.FrontendCreate{
		Port:          v.Port,
		Zone:          v.Zone,
		Disabled:      v.Disabled,
		DedicatedIPFO: v.DedicatedIPFO,
	}
	if v.DisplayName != "" {
		c.DisplayName = &v.DisplayName
	}
	if v.DefaultFarmID != 0 {
		c.DefaultFarmID = &v.DefaultFarmID
	}
	if f.Protocol != ovh.UDP {
		c.SSL = v.SSL
		c.AllowedSource = v.AllowedSource
		c.DeniedSource = v.DeniedSource
		if v.DefaultSSLID != 0 {
			c.DefaultSSLID = &v.DefaultSSLID
		}
	}
	if f.Protocol == ovh.HTTP {
		c.HSTS = v.HSTS
		c.HTTPHeader = v.HTTPHeader
		if v.RedirectLocation != "" {
			c.RedirectLocation = &v.RedirectLocation
		}
	}
	return c
}

// Changes returns the fields the user changed since the form was opened
// (valid edit forms only).
func (f *FrontendForm) Changes() []string {
	if f.Original == nil {
		return nil
	}
	return FrontendChanges(f.Protocol, *f.Original, f.values)
}

// Update returns the partial update of a valid edit form: only the fields
// the user changed since the form was opened.
func (f *FrontendForm) Update() ovh.FrontendUpdate {
	return FrontendUpdateOf(f.values, f.Changes())
}

// FrontendMerge is the outcome of comparing an edit with the frontend as it
// is now.
type FrontendMerge struct {
	// Send are the fields to update: the user's changes that someone else
	// did not change differently meanwhile.
	Send []string
	// Theirs are the fields someone else changed since the form was opened.
	Theirs []string
	// Conflicts are the fields both changed, to different values.
	Conflicts []FrontendConflict
}

// Merge compares a valid edit with current, the frontend's values now: the
// user's changes, someone else's, and where they collide. A field both
// changed to the same value is neither sent nor a conflict.
func (f *FrontendForm) Merge(current FrontendValues) FrontendMerge {
	var m FrontendMerge
	if f.Original == nil {
		return m
	}
	theirs := FrontendChanges(f.Protocol, *f.Original, current)
	m.Theirs = theirs
	for _, name := range f.Changes() {
		spec, _ := feFieldSpec(name)
		if spec.equal(current, f.values) {
			continue // already what the user wants
		}
		if slices.Contains(theirs, name) {
			m.Conflicts = append(m.Conflicts, FrontendConflict{Field: name, Label: spec.label,
				Current: spec.show(current, f.Options), Yours: spec.show(f.values, f.Options)})
			continue
		}
		m.Send = append(m.Send, name)
	}
	return m
}

// FrontendListModel is the frontends page of one protocol.
type FrontendListModel struct {
	Service  string
	Protocol ovh.Protocol
	Rows     []FrontendRow
}

// FrontendRow is one frontend of the list.
type FrontendRow struct {
	Frontend ovh.Frontend
	FarmName string // the default farm's name, "" when there is none
	Valid    bool   // it would pass a refresh (ovh.FrontendValidity)
	Reason   string // why not, when !Valid
}

// FrontendDeleteModel is the delete confirmation page.
type FrontendDeleteModel struct {
	Service  string
	Frontend ovh.Frontend
	Routes   []ovh.Route // routes attached to the frontend
}

// FrontendProtocolLabel is a protocol as people write it: HTTP, TCP, UDP.
func FrontendProtocolLabel(p ovh.Protocol) string { return strings.ToUpper(string(p)) }

// FrontendZoneLabel is a zone for people: "all zones" for "all".
func FrontendZoneLabel(z string) string {
	if z == FrontendZoneAll {
		return "all zones"
	}
	return z
}

// parseBlock parses an IP block or a bare address (its /32 or /128).
func feParseBlock(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or block", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// canonicalBlocks returns blocks in the API's canonical spelling (bare
// addresses get their /32), keeping unparsable entries as they are.
func feCanonicalBlocks(blocks []string) []string {
	if len(blocks) == 0 {
		return nil
	}
	out := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if p, err := feParseBlock(b); err == nil {
			b = p.String()
		}
		out = append(out, b)
	}
	return out
}

// normalizePorts checks a port string (REFERENCE §7.2): a port, a range of
// two increasing ports, or a comma-separated list of those, each in
// 1..49151. Spaces around commas and dashes are dropped. It returns the
// normalised string, or a message.
func feNormalizePorts(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "Enter a port, e.g. 80, 80,443 or 8000-8100."
	}
	syntax := fmt.Sprintf("%q is not a port list: use a port (80), a range (8000-8100) or a comma-separated list of them (80,443).", s)
	var parts []string
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, msg := feParsePort(lo, syntax)
		if msg != "" {
			return "", msg
		}
		if !isRange {
			parts = append(parts, strconv.Itoa(a))
			continue
		}
		b, msg := feParsePort(hi, syntax)
		if msg != "" {
			return "", msg
		}
		if b <= a {
			return "", fmt.Sprintf("The range %d-%d must go from a lower to a higher port.", a, b)
		}
		parts = append(parts, strconv.Itoa(a)+"-"+strconv.Itoa(b))
	}
	return strings.Join(parts, ","), ""
}

func feParsePort(s, syntax string) (int, string) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, syntax
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinFrontendPort || n > MaxFrontendPort {
		return 0, fmt.Sprintf("Port %s is out of range: ports go from %d to %d.", s, MinFrontendPort, MaxFrontendPort)
	}
	return n, ""
}

func feSameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func feNullList(l []string) *ovh.Nullable[[]string] {
	if len(l) == 0 {
		return ovh.Clear[[]string]()
	}
	return ovh.Set(slices.Clone(l))
}

func feListOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

func feYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// --- Helpers of the frontend templates. ---

// frontendCurrent is the aria-current value of a tab.
func frontendCurrent(on bool) string {
	if on {
		return "page"
	}
	return "false"
}

// frontendErrorID is the id of a field's error message.
func frontendErrorID(name string) string { return "fe-" + name + "-error" }

// action is where the form posts: the list (create) or the frontend (edit).
func (f *FrontendForm) action() string {
	if f.IsEdit() {
		return FrontendPath(f.Service, f.Protocol, f.ID)
	}
	return FrontendsPath(f.Service, f.Protocol)
}

// page is the form's own address (GET), which the zone select asks again
// for the farm field.
func (f *FrontendForm) page() string {
	if f.IsEdit() {
		return EditFrontendPath(f.Service, f.Protocol, f.ID)
	}
	return NewFrontendPath(f.Service, f.Protocol)
}

// newPath is the creation form of protocol p, keeping the first ticked
// failover IP (the protocol switch of a new form opened with ?ipfo=).
func (f *FrontendForm) newPath(p ovh.Protocol) string {
	if ips := feCanonicalBlocks(f.DedicatedIPFO); len(ips) > 0 {
		return NewFrontendWithIPPath(f.Service, p, ips[0])
	}
	return NewFrontendPath(f.Service, p)
}

// fieldAttrs are a field's ARIA attributes: aria-invalid when it has an
// error, and aria-describedby naming its error and its hint.
func (f *FrontendForm) fieldAttrs(name string, hint bool) templ.Attributes {
	return fieldARIA(f.Errors, name, "fe-"+name, hint) // frontendErrorID(name) is "fe-"+name+"-error"
}

// groupAttrs are fieldAttrs for a group of checkboxes (its hint always
// exists).
func (f *FrontendForm) groupAttrs(name string) templ.Attributes { return f.fieldAttrs(name, true) }

// zoneRefreshAttrs make the zone select refresh the farm field with htmx:
// the same form page is fetched with the chosen zone, and only the farm
// field is swapped (without JavaScript, the server checks the pair).
func (f *FrontendForm) zoneRefreshAttrs() templ.Attributes {
	return templ.Attributes{
		"hx-get":     f.page(),
		"hx-trigger": "change",
		"hx-target":  "#fe-farm-field",
		"hx-select":  "#fe-farm-field",
		"hx-swap":    "outerHTML",
		"hx-include": "#fe-defaultFarmId",
	}
}

// unknownZone reports whether the typed zone is neither "all" nor one of
// the IPLB's (it is kept in the select so that the 422 shows it).
func (f *FrontendForm) unknownZone() bool {
	return f.Zone != "" && f.Zone != FrontendZoneAll && !slices.Contains(f.Options.Zones, f.Zone)
}

// farmChoices are the farms the select offers: those compatible with the
// form's zone, plus the chosen one whatever it is (a 422 keeps it).
func (f *FrontendForm) farmChoices() []ovh.Farm {
	out := f.Options.CompatibleFarms(f.Zone)
	if f.DefaultFarm == "" {
		return out
	}
	id, err := strconv.ParseInt(strings.TrimSpace(f.DefaultFarm), 10, 64)
	if err != nil || slices.ContainsFunc(out, func(fa ovh.Farm) bool { return fa.ID == id }) {
		return out
	}
	if fa, ok := f.Options.farm(id); ok {
		return append(out, fa)
	}
	return append(out, ovh.Farm{ID: id, Protocol: f.Protocol})
}

// frontendFarmLabel is a farm in the select: its name, zone and port.
func frontendFarmLabel(fa ovh.Farm) string {
	label := fa.Name()
	if fa.Zone != "" {
		label += " · " + FrontendZoneLabel(fa.Zone)
	}
	if fa.Port != nil {
		label += " · port " + strconv.FormatInt(*fa.Port, 10)
	}
	return label
}

// ipChecked reports whether the failover IP ip is ticked.
func (f *FrontendForm) ipChecked(ip string) bool {
	return slices.Contains(feCanonicalBlocks(f.DedicatedIPFO), ip)
}

// frontendAdvancedFields are the fields inside the advanced settings.
var frontendAdvancedFields = []string{FrontendFieldDedicatedIPFO, FrontendFieldAllowedSource,
	FrontendFieldDeniedSource, FrontendFieldHTTPHeader, FrontendFieldHSTS}

// AdvancedOpen reports whether the advanced settings start open: when they
// hold something (dedicated IPs above all) or an error, so that nothing in
// effect or wrong is hidden.
func (f *FrontendForm) AdvancedOpen() bool {
	for _, name := range frontendAdvancedFields {
		if _, bad := f.Errors[name]; bad {
			return true
		}
	}
	return len(f.DedicatedIPFO) > 0 ||
		strings.TrimSpace(f.AllowedSource) != "" || strings.TrimSpace(f.DeniedSource) != "" ||
		(f.Protocol == ovh.HTTP && (strings.TrimSpace(f.HTTPHeader) != "" || f.HSTS))
}

// frontendErrorItem is one line of the form's error summary.
type frontendErrorItem struct {
	field, msg string
	linked     bool // the field is on the page: the line links to it
}

// errorSummary lists the form's errors in the form's order, fields the
// page does not show (posted fields the protocol lacks, unknown fields, a
// missing snapshot) last.
func (f *FrontendForm) errorSummary() []frontendErrorItem {
	var out, hidden []frontendErrorItem
	for _, spec := range frontendFields {
		if msg, bad := f.Errors[spec.name]; bad && FrontendHasField(f.Protocol, spec.name) {
			out = append(out, frontendErrorItem{spec.name, msg, true})
		}
	}
	for name, msg := range f.Errors {
		if !FrontendHasField(f.Protocol, name) {
			hidden = append(hidden, frontendErrorItem{name, msg, false})
		}
	}
	slices.SortFunc(hidden, func(a, b frontendErrorItem) int { return strings.Compare(a.field, b.field) })
	return append(out, hidden...)
}

// frontendFarmHint is the hint under the default farm select.
func frontendFarmHint(p ovh.Protocol) string {
	need := "a default farm or a route with rules"
	switch p {
	case ovh.HTTP:
		need = "a default farm, a redirect location or a route with rules"
	case ovh.UDP:
		need = "a default farm"
	}
	return FrontendProtocolLabel(p) + " farms that can serve the chosen zone. A frontend needs " + need + " to be applied."
}

// frontendRouteName is a route as the delete page lists it.
func frontendRouteName(r ovh.Route) string {
	name := "#" + strconv.FormatInt(r.ID, 10)
	if r.DisplayName != nil && *r.DisplayName != "" {
		name = *r.DisplayName
	}
	return name + " (" + string(r.Action.Type) + ")"
}
