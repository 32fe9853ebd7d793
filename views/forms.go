package views

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// Helpers shared by the form models of the frontend, farm, server, route
// and rule pages: reading posted values, recording errors, the edit
// snapshot, the ARIA attributes of a field, and how values are shown and
// sent to the API.

// encodeSnapshot returns v (a form's values) as a compact, URL-safe string
// for the edit form's hidden snapshot field.
func encodeSnapshot(v any) string {
	b, err := json.Marshal(v)
	if err != nil { // strings, bools and ints always marshal
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeSnapshot reads what encodeSnapshot wrote into v; its errors start
// with what ("farm snapshot").
func decodeSnapshot(what, s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// setFirstError records msg as the error of field unless the field has one
// already: the first problem found is the one shown.
func setFirstError(errs *map[string]string, field, msg string) {
	if *errs == nil {
		*errs = map[string]string{}
	}
	if _, ok := (*errs)[field]; !ok {
		(*errs)[field] = msg
	}
}

// formChecked reads a checkbox: present and not an explicit "off".
func formChecked(form url.Values, name string) bool {
	vs, ok := form[name]
	if !ok || len(vs) == 0 {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(vs[len(vs)-1])) {
	case "", "off", "false", "0":
		return false
	}
	return true
}

// fieldARIA are the ARIA attributes of the field name whose input has the
// HTML id inputID: aria-invalid when errs has an error for it, and
// aria-describedby naming its error (inputID-error) and, with hint, its
// hint (inputID-hint).
func fieldARIA(errs map[string]string, name, inputID string, hint bool) templ.Attributes {
	attrs := templ.Attributes{}
	var ids []string
	if _, bad := errs[name]; bad {
		attrs["aria-invalid"] = "true"
		ids = append(ids, inputID+"-error")
	}
	if hint {
		ids = append(ids, inputID+"-hint")
	}
	if len(ids) > 0 {
		attrs["aria-describedby"] = strings.Join(ids, " ")
	}
	return attrs
}

// nullString is a partial update's value of an optional string: "" clears
// it (JSON null).
func nullString(s string) *ovh.Nullable[string] {
	if s == "" {
		return ovh.Clear[string]()
	}
	return ovh.Set(s)
}

// nullInt is a partial update's value of an optional number or id: 0
// clears it (JSON null).
func nullInt(n int64) *ovh.Nullable[int64] {
	if n == 0 {
		return ovh.Clear[int64]()
	}
	return ovh.Set(n)
}

// deref is *p, or the zero value when p is nil (the API's optional fields).
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// intText is n as a form value: "" for 0 (not set).
func intText(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// orNone is s, or "none" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// onOff is a flag as the conflict and change messages show it.
func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// FormConflict is a field that both the user and someone else changed
// since an edit form (farm, server or route) was opened, to different
// values.
type FormConflict struct {
	Field   string // form field name
	Label   string
	Current string // the value now, as a person reads it
	Yours   string // the value the user submitted
}

// FormMerge is the outcome of comparing an edit with the object as it
// is now.
type FormMerge struct {
	// Send are the user's changes that someone else did not change
	// differently meanwhile: the fields to update.
	Send []string
	// Theirs are the fields someone else changed since the form was opened.
	Theirs []string
	// Conflicts are the fields both changed, to different values.
	Conflicts []FormConflict
}

// mergeEdits compares mine (the user's changed fields) with theirs (the
// fields changed by others), given whether a field's submitted value
// already equals the current one.
func mergeEdits(mine, theirs []string, alreadyThere func(string) bool, conflict func(string) FormConflict) FormMerge {
	m := FormMerge{Theirs: theirs}
	for _, name := range mine {
		switch {
		case alreadyThere(name):
		case slices.Contains(theirs, name):
			m.Conflicts = append(m.Conflicts, conflict(name))
		default:
			m.Send = append(m.Send, name)
		}
	}
	return m
}
