package views

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// This file holds the view models of the route pages: the list of routes
// grouped per frontend (RouteListModel), a route with its rules
// (RouteDetailModel), the route form (RouteForm: Read, Validate, Create,
// Update), the rule form (RuleForm) and the delete confirmations. Form
// field names are the API's JSON names where there is one (REFERENCE
// §9.1), so a field error and an API message speak of the same thing.

// Route form field names.
const (
	RouteFieldDisplayName    = "displayName"
	RouteFieldFrontend       = "frontendId"
	RouteFieldWeight         = "weight"
	RouteFieldActionType     = "actionType"
	RouteFieldFarm           = "farmId"
	RouteFieldRedirectURL    = "redirectUrl"
	RouteFieldRedirectStatus = "redirectStatus"
	RouteFieldRejectStatus   = "rejectStatus"
	// RouteFieldAction names the action (type, target and status) as one
	// field of an edit: the API replaces the action whole, so a change to
	// any part of it is a change to the action.
	RouteFieldAction = "action"
	// RouteFieldSnapshot carries, in an edit form, the values the form was
	// opened with, so the update sends only what the user changed.
	RouteFieldSnapshot = "_snapshot"
)

// Rule form field names.
const (
	RuleFieldField       = "field"
	RuleFieldSubField    = "subField"
	RuleFieldMatch       = "match"
	RuleFieldNegate      = "negate"
	RuleFieldPattern     = "pattern"
	RuleFieldDisplayName = "displayName"
	RuleFieldSnapshot    = "_snapshot"
)

// Limits of REFERENCE §9.1 and §9.2 [D].
const (
	MaxRouteWeight   = 255
	MaxRulesPerRoute = 5
)

// Documented default statuses (REFERENCE §9.1 [D]): a redirect answers 302
// and an HTTP reject 403 unless told otherwise.
const (
	DefaultRedirectStatus = 302
	DefaultRejectStatus   = 403
)

// RouteProtocols are the protocols that have routes (REFERENCE §9).
var RouteProtocols = []ovh.Protocol{ovh.HTTP, ovh.TCP}

// ---------------------------------------------------------------------------
// The list.

// RouteListModel is the routes page of one protocol: every frontend of the
// protocol with its routes in evaluation order, then the routes attached to
// no frontend.
type RouteListModel struct {
	Service  string
	Protocol ovh.Protocol
	// Frontend is the frontend the list is filtered to, 0 for every one.
	Frontend int64
	// FilterMissing is true when Frontend names no frontend of the
	// protocol (deleted, or a wrong link).
	FilterMissing bool
	Groups        []RouteGroup
	// Total is the number of routes of the protocol, filter or not.
	Total int
}

// RouteGroup is one frontend and its routes on the routes page.
type RouteGroup struct {
	// Frontend is nil for the group of routes attached to no existing
	// frontend of the protocol.
	Frontend *ovh.Frontend
	// Valid and Reason are the frontend's validity for a refresh
	// (ovh.FrontendValidity); Reason follows the frontend's name.
	Valid  bool
	Reason string
	Routes []RouteRow
}

// RouteRow is one route of a group.
type RouteRow struct {
	Route ovh.Route
	// Position is the route's place in its frontend's evaluation order,
	// from 1 (REFERENCE §9.2).
	Position int
	// MakesValid is true when the route alone makes its frontend valid for
	// a refresh (ovh.RouteValidity); Problem says why not.
	MakesValid bool
	Problem    string
	// Action is the action as a sentence, e.g. "Send to farm api".
	Action string
}

// NewRouteList builds the routes page of protocol p from the IPLB's
// frontends, farms and routes of p. filter is a frontend id, 0 for all.
func NewRouteList(sn string, p ovh.Protocol, frontends []ovh.Frontend, farms []ovh.Farm, routes []ovh.Route, filter int64) RouteListModel {
	m := RouteListModel{Service: sn, Protocol: p, Frontend: filter, Total: len(routes)}
	fronts := slices.Clone(frontends)
	slices.SortFunc(fronts, func(a, b ovh.Frontend) int { return int(a.ID - b.ID) })
	sorted := slices.Clone(routes)
	slices.SortFunc(sorted, ovh.CompareRouteOrder)

	attached := map[int64]bool{}
	for i := range fronts {
		f := fronts[i]
		attached[f.ID] = true
		if filter != 0 && f.ID != filter {
			continue
		}
		g := RouteGroup{Frontend: &f}
		g.Valid, g.Reason = ovh.FrontendValidity(f, farms, routes)
		for _, r := range sorted {
			if r.FrontendID != nil && *r.FrontendID == f.ID {
				g.Routes = append(g.Routes, newRouteRow(r, farms, len(g.Routes)+1))
			}
		}
		m.Groups = append(m.Groups, g)
	}
	if filter != 0 {
		m.FilterMissing = !attached[filter]
		return m
	}
	var loose RouteGroup
	for _, r := range sorted {
		if r.FrontendID == nil || !attached[*r.FrontendID] {
			loose.Routes = append(loose.Routes, newRouteRow(r, farms, len(loose.Routes)+1))
		}
	}
	if len(loose.Routes) > 0 {
		m.Groups = append(m.Groups, loose)
	}
	return m
}

func newRouteRow(r ovh.Route, farms []ovh.Farm, pos int) RouteRow {
	ok, why := ovh.RouteValidity(r, farms)
	return RouteRow{Route: r, Position: pos, MakesValid: ok, Problem: why, Action: RouteActionText(r.Protocol, r.Action, farms)}
}

// Filtered reports whether the list shows one frontend only.
func (m RouteListModel) Filtered() bool { return m.Frontend != 0 }

// RouteName is a route's display name, or "#id".
func RouteName(r ovh.Route) string {
	if r.DisplayName != nil && *r.DisplayName != "" {
		return *r.DisplayName
	}
	return "#" + strconv.FormatInt(r.ID, 10)
}

// rtFarmName is the name of farm id among farms, or "#id (missing)".
func rtFarmName(id int64, farms []ovh.Farm) string {
	for _, f := range farms {
		if f.ID == id {
			return f.Name()
		}
	}
	return "#" + strconv.FormatInt(id, 10) + " (missing)"
}

// RouteActionText is an action as a sentence: "Send to farm api",
// "Redirect (301) to https://…", "Reject (403)".
func RouteActionText(p ovh.Protocol, a ovh.RouteAction, farms []ovh.Farm) string {
	target := ""
	if a.Target != nil {
		target = *a.Target
	}
	status := ""
	if a.Status != nil {
		status = " (" + strconv.FormatInt(*a.Status, 10) + ")"
	}
	switch a.Type {
	case ovh.RouteFarm:
		if id, err := strconv.ParseInt(target, 10, 64); err == nil {
			return "Send to farm " + rtFarmName(id, farms)
		}
		return "Send to farm " + strconv.Quote(target)
	case ovh.RouteRedirect:
		return "Redirect" + status + " to " + target
	case ovh.RouteReject:
		if p == ovh.TCP {
			return "Reject the connection"
		}
		return "Reject" + status
	}
	return string(a.Type) + " " + target
}

// RuleText is a rule as a person reads it, e.g. `host is "api.example.com"`,
// `header[X-Debug] exists`, `uri does not start with "/v1/"`.
func RuleText(r ovh.Rule) string {
	var b strings.Builder
	b.WriteString(r.Field)
	if r.SubField != nil && *r.SubField != "" {
		b.WriteString("[" + *r.SubField + "]")
	}
	b.WriteString(" " + RuleMatchLabel(r.Match, r.Negate))
	if r.Match != ovh.MatchExists && r.Pattern != nil {
		b.WriteString(" " + strconv.Quote(*r.Pattern))
	}
	return b.String()
}

// RuleMatchLabel is a match operator in words, negated or not.
func RuleMatchLabel(m ovh.RuleMatch, negate bool) string {
	words := map[ovh.RuleMatch][2]string{
		ovh.MatchContains:   {"contains", "does not contain"},
		ovh.MatchEndsWith:   {"ends with", "does not end with"},
		ovh.MatchExists:     {"exists", "does not exist"},
		ovh.MatchIn:         {"is one of", "is none of"},
		ovh.MatchIs:         {"is", "is not"},
		ovh.MatchMatches:    {"matches", "does not match"},
		ovh.MatchStartsWith: {"starts with", "does not start with"},
	}
	w, ok := words[m]
	if !ok {
		if negate {
			return "not " + string(m)
		}
		return string(m)
	}
	if negate {
		return w[1]
	}
	return w[0]
}

// ---------------------------------------------------------------------------
// One route with its rules.

// RouteDetailModel is the page of one route: what it does, whether it makes
// its frontend valid, its rules and the form adding one.
type RouteDetailModel struct {
	Service  string
	Protocol ovh.Protocol
	Route    ovh.Route
	// Rules are the route's rules with their display names, by id.
	Rules []ovh.Rule
	// Frontend is the route's frontend, nil when it has none (or it is
	// gone).
	Frontend *ovh.Frontend
	// FrontendValid and FrontendReason are the frontend's validity.
	FrontendValid  bool
	FrontendReason string
	// MakesValid and Problem are the route's own (ovh.RouteValidity).
	MakesValid bool
	Problem    string
	Action     string
	// NewRule is the form adding a rule (its values and errors after a
	// refused attempt).
	NewRule RuleForm
}

// NewRouteDetail builds the page of route r. rules are its rules (with
// display names); frontends, farms and routes are the IPLB's of r's
// protocol, for the validity of its frontend.
func NewRouteDetail(sn string, r ovh.Route, rules []ovh.Rule, frontends []ovh.Frontend, farms []ovh.Farm, routes []ovh.Route, opts ovh.RouteOptions) RouteDetailModel {
	rules = slices.Clone(rules)
	slices.SortFunc(rules, func(a, b ovh.Rule) int { return int(a.ID - b.ID) })
	// The route as it is now, rules included, replaces its copy in routes
	// (fetched a moment apart) for the frontend's verdict.
	r.Rules = rules
	all := slices.DeleteFunc(slices.Clone(routes), func(x ovh.Route) bool { return x.ID == r.ID })
	all = append(all, r)
	m := RouteDetailModel{Service: sn, Protocol: r.Protocol, Route: r, Rules: rules,
		Action:  RouteActionText(r.Protocol, r.Action, farms),
		NewRule: NewRuleForm(sn, r.Protocol, r.ID, opts.Rules)}
	m.MakesValid, m.Problem = ovh.RouteValidity(r, farms)
	if r.FrontendID != nil {
		for i := range frontends {
			if frontends[i].ID == *r.FrontendID {
				f := frontends[i]
				m.Frontend = &f
				m.FrontendValid, m.FrontendReason = ovh.FrontendValidity(f, farms, all)
			}
		}
	}
	return m
}

// Full reports whether the route holds the most rules a route can have.
func (m RouteDetailModel) Full() bool { return len(m.Rules) >= MaxRulesPerRoute }

// ---------------------------------------------------------------------------
// The route form.

// RouteValues are the editable values of a route as the API holds them: what
// an edit form is opened with and what a valid form yields.
type RouteValues struct {
	DisplayName string          `json:"displayName,omitempty"`
	FrontendID  int64           `json:"frontendId,omitempty"`
	Weight      int64           `json:"weight,omitempty"`
	Action      ovh.RouteAction `json:"action"`
}

// RouteValuesOf returns the editable values of r.
func RouteValuesOf(r ovh.Route) RouteValues {
	v := RouteValues{Weight: r.Weight, Action: r.Action}
	if r.DisplayName != nil {
		v.DisplayName = *r.DisplayName
	}
	if r.FrontendID != nil {
		v.FrontendID = *r.FrontendID
	}
	return v
}

// Encode returns v as a compact, URL-safe string for a hidden field.
func (v RouteValues) Encode() string { return encodeSnapshot(v) }

// DecodeRouteValues reads what Encode wrote.
func DecodeRouteValues(s string) (RouteValues, error) {
	var v RouteValues
	return v, decodeSnapshot("form snapshot", s, &v)
}

// RouteFormOptions are the choices of a route form: the frontends and farms
// of its protocol, and the actions the API offers for it.
type RouteFormOptions struct {
	Frontends []ovh.Frontend
	Farms     []ovh.Farm
	Actions   []ovh.RouteAvailableAction
}

// RouteForm is the create or edit form of a route. Fields hold what was
// typed, as typed, so a refused form shows it again.
type RouteForm struct {
	Service  string
	Protocol ovh.Protocol
	ID       int64  // 0 for a new route
	Name     string // the route's name, in an edit form's title

	DisplayName    string
	Frontend       string
	Weight         string
	ActionType     string
	Farm           string
	RedirectURL    string
	RedirectStatus string
	RejectStatus   string

	// Original is what an edit form was opened with; nil for a new route.
	Original *RouteValues
	Options  RouteFormOptions
	// Conflicts are the fields someone else changed since the edit form
	// was opened that the user changed too, to different values (a 409).
	Conflicts []FormConflict

	// Errors are the field errors, by field name.
	Errors map[string]string
	// Error and QueryID are the API's refusal, if any.
	Error   string
	QueryID string

	values RouteValues // set by Validate
}

// NewRouteForm is the empty form of a new proto route; frontend preselects
// a frontend (0 for none).
func NewRouteForm(sn string, p ovh.Protocol, frontend int64, o RouteFormOptions) RouteForm {
	f := RouteForm{Service: sn, Protocol: p, Options: o, Weight: "0",
		RedirectStatus: strconv.Itoa(DefaultRedirectStatus), RejectStatus: strconv.Itoa(DefaultRejectStatus)}
	if frontend != 0 {
		f.Frontend = strconv.FormatInt(frontend, 10)
	}
	if len(o.Farms) > 0 {
		f.ActionType = string(ovh.RouteFarm)
	} else if len(o.Actions) > 0 {
		f.ActionType = o.Actions[0].Name
	}
	return f
}

// EditRouteForm is the form of route r, filled with its values.
func EditRouteForm(sn string, r ovh.Route, o RouteFormOptions) RouteForm {
	v := RouteValuesOf(r)
	f := RouteForm{Service: sn, Protocol: r.Protocol, ID: r.ID, Name: RouteName(r), Options: o, Original: &v}
	f.Fill(v)
	return f
}

// Fill sets the form's fields to v; the targets of the actions v does not
// take get the documented default statuses.
func (f *RouteForm) Fill(v RouteValues) {
	f.DisplayName, f.Weight, f.ActionType = v.DisplayName, strconv.FormatInt(v.Weight, 10), string(v.Action.Type)
	f.Frontend, f.Farm, f.RedirectURL = intText(v.FrontendID), "", ""
	f.RedirectStatus, f.RejectStatus = strconv.Itoa(DefaultRedirectStatus), strconv.Itoa(DefaultRejectStatus)
	target := ""
	if v.Action.Target != nil {
		target = *v.Action.Target
	}
	switch v.Action.Type {
	case ovh.RouteFarm:
		f.Farm = target
	case ovh.RouteRedirect:
		f.RedirectURL = target
		if v.Action.Status != nil {
			f.RedirectStatus = strconv.FormatInt(*v.Action.Status, 10)
		}
	case ovh.RouteReject:
		if v.Action.Status != nil {
			f.RejectStatus = strconv.FormatInt(*v.Action.Status, 10)
		}
	}
}

// IsEdit reports whether the form edits an existing route.
func (f *RouteForm) IsEdit() bool { return f.ID != 0 }

// Read takes the posted values. An edit form's snapshot is read too; a
// snapshot that does not decode is a field error (the page was tampered
// with or is from another version).
func (f *RouteForm) Read(v url.Values) {
	f.DisplayName = strings.TrimSpace(v.Get(RouteFieldDisplayName))
	f.Frontend = strings.TrimSpace(v.Get(RouteFieldFrontend))
	f.Weight = strings.TrimSpace(v.Get(RouteFieldWeight))
	f.ActionType = strings.TrimSpace(v.Get(RouteFieldActionType))
	f.Farm = strings.TrimSpace(v.Get(RouteFieldFarm))
	f.RedirectURL = strings.TrimSpace(v.Get(RouteFieldRedirectURL))
	f.RedirectStatus = strings.TrimSpace(v.Get(RouteFieldRedirectStatus))
	f.RejectStatus = strings.TrimSpace(v.Get(RouteFieldRejectStatus))
	if f.IsEdit() {
		if s := v.Get(RouteFieldSnapshot); s != "" {
			orig, err := DecodeRouteValues(s)
			if err != nil {
				f.setError(RouteFieldSnapshot, "The form is damaged: open it again.")
			} else {
				f.Original = &orig
			}
		}
	}
}

func (f *RouteForm) setError(field, msg string) {
	setFirstError(&f.Errors, field, msg)
}

// action returns the available action named f.ActionType.
func (f *RouteForm) action() (ovh.RouteAvailableAction, bool) {
	i := slices.IndexFunc(f.Options.Actions, func(a ovh.RouteAvailableAction) bool { return a.Name == f.ActionType })
	if i < 0 {
		return ovh.RouteAvailableAction{}, false
	}
	return f.Options.Actions[i], true
}

// ActionStatuses are the statuses the form offers for action name: the
// API's list, or none.
func (f *RouteForm) ActionStatuses(name ovh.RouteActionType) []int64 {
	for _, a := range f.Options.Actions {
		if a.Name == string(name) {
			return a.Status
		}
	}
	return nil
}

// HasAction reports whether the API offers action name for the protocol.
func (f *RouteForm) HasAction(name ovh.RouteActionType) bool {
	return slices.ContainsFunc(f.Options.Actions, func(a ovh.RouteAvailableAction) bool { return a.Name == string(name) })
}

// Validate checks the form against the options and REFERENCE §9.1 before
// any call, and keeps the parsed values for Create and Update. It reports
// whether the form is valid.
func (f *RouteForm) Validate() bool {
	v := RouteValues{DisplayName: f.DisplayName}
	if !rtPrintable(f.DisplayName) {
		f.setError(RouteFieldDisplayName, "Use printable characters only.")
	}
	if f.Frontend != "" {
		id, err := strconv.ParseInt(f.Frontend, 10, 64)
		if err != nil || !slices.ContainsFunc(f.Options.Frontends, func(fr ovh.Frontend) bool { return fr.ID == id }) {
			f.setError(RouteFieldFrontend, "Choose a "+FrontendProtocolLabel(f.Protocol)+" frontend of this load balancer, or none.")
		} else {
			v.FrontendID = id
		}
	}
	if f.Weight != "" {
		w, err := strconv.ParseInt(f.Weight, 10, 64)
		if err != nil || w < 0 || w > MaxRouteWeight {
			f.setError(RouteFieldWeight, fmt.Sprintf("A weight is a whole number from 0 to %d.", MaxRouteWeight))
		} else {
			v.Weight = w
		}
	}
	spec, ok := f.action()
	if !ok {
		var names []string
		for _, a := range f.Options.Actions {
			names = append(names, a.Name)
		}
		f.setError(RouteFieldActionType, "Choose an action: "+strings.Join(names, ", ")+".")
		return false
	}
	v.Action.Type = ovh.RouteActionType(spec.Name)
	switch v.Action.Type {
	case ovh.RouteFarm:
		id, err := strconv.ParseInt(f.Farm, 10, 64)
		switch {
		case f.Farm == "":
			f.setError(RouteFieldFarm, "Choose the farm the route sends to.")
		case err != nil || !slices.ContainsFunc(f.Options.Farms, func(fa ovh.Farm) bool { return fa.ID == id }):
			f.setError(RouteFieldFarm, "Choose a "+FrontendProtocolLabel(f.Protocol)+" farm of this load balancer.")
		default:
			v.Action.Target = rtStringPtr(f.Farm)
		}
	case ovh.RouteRedirect:
		switch {
		case f.RedirectURL == "":
			f.setError(RouteFieldRedirectURL, "Give the URL to redirect to, e.g. https://${host}${path}.")
		case strings.ContainsFunc(f.RedirectURL, unicode.IsSpace) || !rtPrintable(f.RedirectURL):
			f.setError(RouteFieldRedirectURL, "A URL has no spaces.")
		default:
			v.Action.Target = rtStringPtr(f.RedirectURL)
		}
		v.Action.Status = f.status(RouteFieldRedirectStatus, f.RedirectStatus, spec.Status)
	case ovh.RouteReject:
		if len(spec.Status) > 0 {
			v.Action.Status = f.status(RouteFieldRejectStatus, f.RejectStatus, spec.Status)
		}
	}
	f.values = v
	return len(f.Errors) == 0
}

// status parses an action status among allowed.
func (f *RouteForm) status(field, s string, allowed []int64) *int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || !slices.Contains(allowed, n) {
		var list []string
		for _, a := range allowed {
			list = append(list, strconv.FormatInt(a, 10))
		}
		f.setError(field, "Choose a status: "+strings.Join(list, ", ")+".")
		return nil
	}
	return &n
}

// Values are the form's values; valid after Validate returned true.
func (f *RouteForm) Values() RouteValues { return f.values }

// Create is the body creating the route; call after Validate.
func (f *RouteForm) Create() ovh.RouteCreate {
	v := f.values
	in := ovh.RouteCreate{Action: v.Action, Weight: &v.Weight}
	if v.DisplayName != "" {
		in.DisplayName = &v.DisplayName
	}
	if v.FrontendID != 0 {
		in.FrontendID = &v.FrontendID
	}
	return in
}

// Changes returns the fields the user changed since the form was opened
// (valid edit forms only), RouteFieldAction for any part of the action.
func (f *RouteForm) Changes() []string {
	if f.Original == nil {
		return nil
	}
	return RouteChanges(*f.Original, f.values)
}

// Update is the partial update of the route: only the fields that differ
// from what the form was opened with (the whole action when any part of it
// changed), so two people editing different fields do not overwrite each
// other. changed is false when nothing changed. Call after Validate.
func (f *RouteForm) Update() (u ovh.RouteUpdate, changed bool) {
	fields := f.Changes()
	return RouteUpdateOf(f.values, fields), len(fields) > 0
}

// Merge compares a valid edit with current, the route's values now: the
// user's changes that nobody else made meanwhile are sent, those someone
// else changed differently are conflicts, and a field both changed to the
// same value is neither.
func (f *RouteForm) Merge(current RouteValues) FormMerge {
	if f.Original == nil {
		return FormMerge{}
	}
	return mergeEdits(f.Changes(), RouteChanges(*f.Original, current),
		func(name string) bool { return routeFieldEqual(name, current, f.values) },
		func(name string) FormConflict {
			return FormConflict{Field: name, Label: RouteFieldLabel(name),
				Current: f.fieldShow(name, current), Yours: f.fieldShow(name, f.values)}
		})
}

// Rebase makes the form start from current, the route's values now, after
// a conflict: the fields the user changed keep the user's values, every
// other field takes the current value (so that saving again does not undo
// someone else's change), and current becomes the snapshot. Valid forms
// only.
func (f *RouteForm) Rebase(current RouteValues) {
	v := current
	for _, name := range f.Changes() {
		switch name {
		case RouteFieldDisplayName:
			v.DisplayName = f.values.DisplayName
		case RouteFieldFrontend:
			v.FrontendID = f.values.FrontendID
		case RouteFieldWeight:
			v.Weight = f.values.Weight
		case RouteFieldAction:
			v.Action = f.values.Action
		}
	}
	f.Fill(v)
	f.Original = &current
}

// routeUpdatable are the fields of a partial route update, in the form's
// order.
var routeUpdatable = []string{RouteFieldDisplayName, RouteFieldFrontend, RouteFieldWeight, RouteFieldAction}

// RouteChanges returns the fields whose values differ between a and b.
func RouteChanges(a, b RouteValues) []string {
	var out []string
	for _, name := range routeUpdatable {
		if !routeFieldEqual(name, a, b) {
			out = append(out, name)
		}
	}
	return out
}

// routeFieldEqual compares one updatable field of two routes.
func routeFieldEqual(name string, a, b RouteValues) bool {
	switch name {
	case RouteFieldDisplayName:
		return a.DisplayName == b.DisplayName
	case RouteFieldFrontend:
		return a.FrontendID == b.FrontendID
	case RouteFieldWeight:
		return a.Weight == b.Weight
	case RouteFieldAction:
		return rtSameAction(a.Action, b.Action)
	}
	return true
}

// RouteFieldLabel is the label of an updatable route field.
func RouteFieldLabel(name string) string {
	switch name {
	case RouteFieldDisplayName:
		return "Name"
	case RouteFieldFrontend:
		return "Frontend"
	case RouteFieldWeight:
		return "Weight"
	case RouteFieldAction:
		return "Action"
	}
	return name
}

// RouteLabels lists fields by label: "name, weight".
func RouteLabels(fields []string) string {
	out := make([]string, len(fields))
	for i, name := range fields {
		out[i] = strings.ToLower(RouteFieldLabel(name))
	}
	return strings.Join(out, ", ")
}

// fieldShow is one updatable field of v as a person reads it.
func (f *RouteForm) fieldShow(name string, v RouteValues) string {
	switch name {
	case RouteFieldDisplayName:
		return orNone(v.DisplayName)
	case RouteFieldFrontend:
		if v.FrontendID == 0 {
			return "none"
		}
		for _, fr := range f.Options.Frontends {
			if fr.ID == v.FrontendID {
				return fr.Name()
			}
		}
		return "#" + strconv.FormatInt(v.FrontendID, 10)
	case RouteFieldWeight:
		return strconv.FormatInt(v.Weight, 10)
	case RouteFieldAction:
		return RouteActionText(f.Protocol, v.Action, f.Options.Farms)
	}
	return ""
}

// RouteUpdateOf returns the partial update (REFERENCE §4) that sets the
// named fields to their values in v and leaves every other field alone: an
// empty name or no frontend is sent as null, the action whole.
func RouteUpdateOf(v RouteValues, fields []string) ovh.RouteUpdate {
	var u ovh.RouteUpdate
	for _, name := range fields {
		switch name {
		case RouteFieldDisplayName:
			u.DisplayName = nullString(v.DisplayName)
		case RouteFieldFrontend:
			u.FrontendID = nullInt(v.FrontendID)
		case RouteFieldWeight:
			w := v.Weight
			u.Weight = &w
		case RouteFieldAction:
			a := v.Action
			u.Action = &a
		}
	}
	return u
}

func rtSameAction(a, b ovh.RouteAction) bool {
	eqS := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqI := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Type == b.Type && eqS(a.Target, b.Target) && eqI(a.Status, b.Status)
}

// rtStringPtr is a pointer to a copy of s: the parsed values must not alias the
// form's fields, which Fill rewrites (a rebase after a conflict).
func rtStringPtr(s string) *string { return &s }

// rtPrintable reports whether s has no control characters.
func rtPrintable(s string) bool {
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// ErrorFor returns the error of field name, or "".
func (f *RouteForm) ErrorFor(name string) string { return f.Errors[name] }

// submitPath is where the form posts.
func (f *RouteForm) submitPath() string {
	if f.IsEdit() {
		return UpdateRoutePath(f.Service, f.Protocol, f.ID)
	}
	return RoutesPath(f.Service, f.Protocol)
}

// cancelPath is where Cancel goes: the route, or the list (of the
// preselected frontend).
func (f *RouteForm) cancelPath() string {
	if f.IsEdit() {
		return RoutePath(f.Service, f.Protocol, f.ID)
	}
	if id, err := strconv.ParseInt(f.Frontend, 10, 64); err == nil && id != 0 {
		return FrontendRoutesPath(f.Service, f.Protocol, id)
	}
	return RoutesPath(f.Service, f.Protocol)
}

// ---------------------------------------------------------------------------
// The rule form.

// RuleValues are the editable values of a rule as the API holds them.
type RuleValues struct {
	Field       string        `json:"field"`
	SubField    string        `json:"subField,omitempty"`
	Match       ovh.RuleMatch `json:"match"`
	Negate      bool          `json:"negate,omitempty"`
	Pattern     string        `json:"pattern,omitempty"`
	DisplayName string        `json:"displayName,omitempty"`
}

// RuleValuesOf returns the editable values of r.
func RuleValuesOf(r ovh.Rule) RuleValues {
	v := RuleValues{Field: r.Field, Match: r.Match, Negate: r.Negate}
	if r.SubField != nil {
		v.SubField = *r.SubField
	}
	if r.Pattern != nil {
		v.Pattern = *r.Pattern
	}
	if r.DisplayName != nil {
		v.DisplayName = *r.DisplayName
	}
	return v
}

// RuleForm is the form adding a rule to a route (on the route's page) or
// editing one.
type RuleForm struct {
	Service  string
	Protocol ovh.Protocol
	RouteID  int64
	ID       int64 // 0 for a new rule

	Field       string
	SubField    string
	Match       string
	Negate      bool
	Pattern     string
	DisplayName string

	// Original is what an edit form was opened with.
	Original *RuleValues
	// Fields are the rule fields the API offers for the protocol.
	Fields []ovh.RouteAvailableRule

	Errors  map[string]string
	Error   string
	QueryID string

	values RuleValues
}

// NewRuleForm is the empty form adding a rule to route routeID.
func NewRuleForm(sn string, p ovh.Protocol, routeID int64, fields []ovh.RouteAvailableRule) RuleForm {
	f := RuleForm{Service: sn, Protocol: p, RouteID: routeID, Fields: fields}
	if len(fields) > 0 {
		f.Field = fields[0].Name
		if len(fields[0].Matches) > 0 {
			f.Match = string(fields[0].Matches[0])
		}
	}
	return f
}

// EditRuleForm is the form of rule r of route routeID.
func EditRuleForm(sn string, p ovh.Protocol, routeID int64, r ovh.Rule, fields []ovh.RouteAvailableRule) RuleForm {
	v := RuleValuesOf(r)
	return RuleForm{Service: sn, Protocol: p, RouteID: routeID, ID: r.ID, Fields: fields, Original: &v,
		Field: v.Field, SubField: v.SubField, Match: string(v.Match), Negate: v.Negate, Pattern: v.Pattern, DisplayName: v.DisplayName}
}

// IsEdit reports whether the form edits an existing rule.
func (f *RuleForm) IsEdit() bool { return f.ID != 0 }

// Read takes the posted values.
func (f *RuleForm) Read(v url.Values) {
	f.Field = strings.TrimSpace(v.Get(RuleFieldField))
	f.SubField = strings.TrimSpace(v.Get(RuleFieldSubField))
	f.Match = strings.TrimSpace(v.Get(RuleFieldMatch))
	f.Negate = v.Get(RuleFieldNegate) != ""
	// A pattern keeps its inner spaces; only the ends are trimmed.
	f.Pattern = strings.TrimSpace(v.Get(RuleFieldPattern))
	f.DisplayName = strings.TrimSpace(v.Get(RuleFieldDisplayName))
	if f.IsEdit() {
		if s := v.Get(RuleFieldSnapshot); s != "" {
			var orig RuleValues
			if err := decodeSnapshot("form snapshot", s, &orig); err != nil {
				f.setError(RuleFieldSnapshot, "The form is damaged: open it again.")
			} else {
				f.Original = &orig
			}
		}
	}
}

func (f *RuleForm) setError(field, msg string) {
	setFirstError(&f.Errors, field, msg)
}

// ErrorFor returns the error of field name, or "".
func (f *RuleForm) ErrorFor(name string) string { return f.Errors[name] }

// spec returns the available rule field named f.Field.
func (f *RuleForm) spec() (ovh.RouteAvailableRule, bool) {
	i := slices.IndexFunc(f.Fields, func(r ovh.RouteAvailableRule) bool { return r.Name == f.Field })
	if i < 0 {
		return ovh.RouteAvailableRule{}, false
	}
	return f.Fields[i], true
}

// Matches are the match operators of the select: every operator some
// field accepts, in the order the API lists them.
func (f *RuleForm) Matches() []ovh.RuleMatch {
	var out []ovh.RuleMatch
	for _, r := range f.Fields {
		for _, m := range r.Matches {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// Validate checks the rule against the field's description from
// availableRouteRules (REFERENCE §9.1 [S]): a known field, a match that
// field accepts, a sub-field exactly when it needs one, and a pattern
// (except for "exists") of the field's kind.
func (f *RuleForm) Validate() bool {
	if !rtPrintable(f.DisplayName) {
		f.setError(RuleFieldDisplayName, "Use printable characters only.")
	}
	spec, ok := f.spec()
	if !ok {
		var names []string
		for _, r := range f.Fields {
			names = append(names, r.Name)
		}
		f.setError(RuleFieldField, "Choose a field: "+strings.Join(names, ", ")+".")
		return false
	}
	v := RuleValues{Field: spec.Name, Negate: f.Negate, DisplayName: f.DisplayName}
	m := ovh.RuleMatch(f.Match)
	if !slices.Contains(spec.Matches, m) {
		var list []string
		for _, x := range spec.Matches {
			list = append(list, string(x))
		}
		f.setError(RuleFieldMatch, "The field "+spec.Name+" takes: "+strings.Join(list, ", ")+".")
	}
	v.Match = m
	switch {
	case spec.HasSubField && f.SubField == "":
		f.setError(RuleFieldSubField, "The field "+spec.Name+" needs a sub-field: the "+spec.Name+" name.")
	case !spec.HasSubField && f.SubField != "":
		f.setError(RuleFieldSubField, "The field "+spec.Name+" has no sub-field: leave it empty.")
	case !rtPrintable(f.SubField) || strings.ContainsFunc(f.SubField, unicode.IsSpace):
		f.setError(RuleFieldSubField, "A name has no spaces.")
	default:
		v.SubField = f.SubField
	}
	if m == ovh.MatchExists {
		if f.Pattern != "" {
			f.setError(RuleFieldPattern, "“exists” takes no pattern: leave it empty.")
		}
	} else if msg := rtPatternProblem(spec, m, f.Pattern); msg != "" {
		f.setError(RuleFieldPattern, msg)
	} else {
		v.Pattern = f.Pattern
	}
	f.values = v
	return len(f.Errors) == 0
}

// rtPatternProblem says what is wrong with pattern for spec and match m, or
// "". "in" takes a comma-separated list.
func rtPatternProblem(spec ovh.RouteAvailableRule, m ovh.RuleMatch, pattern string) string {
	if pattern == "" {
		return "Give a pattern."
	}
	if !rtPrintable(pattern) {
		return "Use printable characters only."
	}
	values := []string{pattern}
	if m == ovh.MatchIn {
		values = strings.Split(pattern, ",")
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		switch spec.Pattern {
		case "enum":
			if !slices.Contains(spec.Enum, v) {
				return fmt.Sprintf("%q is not one of: %s.", v, strings.Join(spec.Enum, ", "))
			}
		case "cidr":
			if _, err := netip.ParsePrefix(v); err != nil {
				if _, err := netip.ParseAddr(v); err != nil {
					return fmt.Sprintf("%q is not an IP address or block (e.g. 198.51.100.0/24).", v)
				}
			}
		}
	}
	return ""
}

// Values are the form's values; valid after Validate returned true.
func (f *RuleForm) Values() RuleValues { return f.values }

// Create is the body creating the rule; call after Validate.
func (f *RuleForm) Create() ovh.RuleCreate {
	v := f.values
	in := ovh.RuleCreate{Field: v.Field, Match: v.Match, Negate: v.Negate}
	if v.SubField != "" {
		in.SubField = &v.SubField
	}
	if v.Pattern != "" {
		in.Pattern = &v.Pattern
	}
	if v.DisplayName != "" {
		in.DisplayName = &v.DisplayName
	}
	return in
}

// Update is the partial update of the rule: only the changed fields.
// changed is false when nothing changed. Call after Validate.
func (f *RuleForm) Update() (u ovh.RuleUpdate, changed bool) {
	v := f.values
	var o RuleValues
	if f.Original != nil {
		o = *f.Original
	}
	nullable := func(now, was string) *ovh.Nullable[string] {
		if now == was {
			return nil
		}
		changed = true
		if now == "" {
			return ovh.Clear[string]()
		}
		return ovh.Set(now)
	}
	if v.Field != o.Field {
		changed = true
		u.Field = &v.Field
	}
	if v.Match != o.Match {
		changed = true
		u.Match = &v.Match
	}
	if v.Negate != o.Negate {
		changed = true
		u.Negate = &v.Negate
	}
	u.SubField = nullable(v.SubField, o.SubField)
	u.Pattern = nullable(v.Pattern, o.Pattern)
	u.DisplayName = nullable(v.DisplayName, o.DisplayName)
	return u, changed
}

// submitPath is where the form posts.
func (f *RuleForm) submitPath() string {
	if f.IsEdit() {
		return UpdateRulePath(f.Service, f.Protocol, f.RouteID, f.ID)
	}
	return RulesPath(f.Service, f.Protocol, f.RouteID)
}

// ---------------------------------------------------------------------------
// Delete confirmations.

// RouteDeleteModel is the confirmation page of a route deletion.
type RouteDeleteModel struct {
	Service string
	Route   ovh.Route
	Action  string
	// Frontend is the route's frontend, nil when none.
	Frontend *ovh.Frontend
	// Invalidates is true when the frontend is valid now and would not be
	// without the route: the next refresh would then fail.
	Invalidates bool
}

// RuleDeleteModel is the confirmation page of a rule's removal.
type RuleDeleteModel struct {
	Service  string
	Route    ovh.Route
	Rule     ovh.Rule
	Frontend *ovh.Frontend
	// Invalidates is true when the frontend is valid now and would not be
	// without the rule.
	Invalidates bool
}

// WouldInvalidate reports whether frontend f (nil: none) is valid with
// routes and not with after, the routes once a deletion is done.
func WouldInvalidate(f *ovh.Frontend, farms []ovh.Farm, routes, after []ovh.Route) bool {
	if f == nil {
		return false
	}
	now, _ := ovh.FrontendValidity(*f, farms, routes)
	then, _ := ovh.FrontendValidity(*f, farms, after)
	return now && !then
}
