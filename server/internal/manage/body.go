package manage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/shared/apierr"
)

// object is one JSON object of a request body, read field by field. A
// strict struct decode stops at the first bad field; this collects one
// detail per bad field (target = the field's JSON path), and a value of the
// wrong JSON type, such as the operator object {"$ne": ""} where a string
// belongs, is refused as its field's error. Nothing here writes anything:
// handlers read the whole body, then save only when there are no details.
type object struct {
	path    string // JSON path prefix of this object's fields: "", "otp.", "roles[2]."
	fields  map[string]json.RawMessage
	used    map[string]bool
	failed  map[string]bool // required but missing: the typed readers skip them
	details *[]apierr.Detail
}

// parseObject reads a request body that must be one JSON object.
func parseObject(body []byte) (*object, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		return nil, apierr.Invalid("The request body must be a JSON object.")
	}
	var m map[string]json.RawMessage
	if err := httpx.DecodeBytes(body, &m); err != nil {
		return nil, err
	}
	return newObject("", m, new([]apierr.Detail)), nil
}

func newObject(path string, fields map[string]json.RawMessage, details *[]apierr.Detail) *object {
	return &object{path: path, fields: fields, used: map[string]bool{}, failed: map[string]bool{}, details: details}
}

// Details returns every detail collected so far, on this object and the
// objects inside it.
func (o *object) Details() []apierr.Detail { return *o.details }

func (o *object) target(name string) string { return o.path + name }

// Fail adds an INVALID_VALUE detail about the named field.
func (o *object) Fail(name, message string) {
	*o.details = append(*o.details, detail(o.target(name), o.target(name)+" "+message))
}

// Has reports whether the field is present (null included).
func (o *object) Has(name string) bool {
	_, ok := o.fields[name]
	return ok
}

// raw returns the field's value and marks it read. A field Require
// already refused reads as absent, so it gets one detail, not two.
func (o *object) raw(name string) (json.RawMessage, bool) {
	v, ok := o.fields[name]
	if ok {
		o.used[name] = true
	}
	return v, ok && !o.failed[name]
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// Require adds a REQUIRED_VALUE detail for each named field that is absent
// or null.
func (o *object) Require(names ...string) {
	for _, n := range names {
		if v, ok := o.fields[n]; !ok || isNull(v) {
			o.used[n], o.failed[n] = true, true
			*o.details = append(*o.details, apierr.Field(apierr.DetailRequired, o.target(n), o.target(n)+" is required."))
		}
	}
}

// String reads a string field into dst and reports whether it was present
// and well-typed. A null clears dst when nullable (JSON merge patch's
// "remove"); otherwise it is an error.
func (o *object) String(name string, dst *string, nullable bool) bool {
	v, ok := o.raw(name)
	if !ok {
		return false
	}
	if isNull(v) {
		if nullable {
			*dst = ""
			return true
		}
		o.Fail(name, "must be a string.")
		return false
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		o.Fail(name, "must be a string.")
		return false
	}
	*dst = s
	return true
}

// Bool reads a boolean field into dst.
func (o *object) Bool(name string, dst *bool) bool {
	v, ok := o.raw(name)
	if !ok {
		return false
	}
	var b bool
	if isNull(v) || json.Unmarshal(v, &b) != nil {
		o.Fail(name, "must be true or false.")
		return false
	}
	*dst = b
	return true
}

// Int reads a whole number from min to max into dst.
func (o *object) Int(name string, dst *int, min, max int) bool {
	v, ok := o.raw(name)
	if !ok {
		return false
	}
	var f float64
	if isNull(v) || json.Unmarshal(v, &f) != nil || f != math.Trunc(f) || f < float64(min) || f > float64(max) {
		o.Fail(name, fmt.Sprintf("must be a whole number from %d to %d.", min, max))
		return false
	}
	*dst = int(f)
	return true
}

// Strings reads an array of strings into dst.
func (o *object) Strings(name string, dst *[]string) bool {
	v, ok := o.raw(name)
	if !ok {
		return false
	}
	var ss []string
	if isNull(v) || json.Unmarshal(v, &ss) != nil {
		o.Fail(name, "must be an array of strings.")
		return false
	}
	if ss == nil {
		ss = []string{}
	}
	*dst = ss
	return true
}

// Object reads a nested object. It returns nil when the field is absent, or
// null (null reports true), or not an object (a detail is added).
func (o *object) Object(name string) (sub *object, null bool) {
	v, ok := o.raw(name)
	if !ok {
		return nil, false
	}
	if isNull(v) {
		return nil, true
	}
	var m map[string]json.RawMessage
	if bytes.TrimSpace(v)[0] != '{' || json.Unmarshal(v, &m) != nil {
		o.Fail(name, "must be an object.")
		return nil, false
	}
	return newObject(o.target(name)+".", m, o.details), false
}

// Objects reads an array of objects. ok is false when the field is absent
// or not an array of objects (a detail is added for the latter).
func (o *object) Objects(name string) (subs []*object, ok bool) {
	v, present := o.raw(name)
	if !present {
		return nil, false
	}
	var arr []json.RawMessage
	if isNull(v) || json.Unmarshal(v, &arr) != nil {
		o.Fail(name, "must be an array of objects.")
		return nil, false
	}
	subs = make([]*object, 0, len(arr))
	for i, el := range arr {
		var m map[string]json.RawMessage
		if t := bytes.TrimSpace(el); len(t) == 0 || t[0] != '{' || json.Unmarshal(el, &m) != nil {
			*o.details = append(*o.details, detail(fmt.Sprintf("%s[%d]", o.target(name), i),
				fmt.Sprintf("%s[%d] must be an object.", o.target(name), i)))
			continue
		}
		subs = append(subs, newObject(fmt.Sprintf("%s[%d].", o.target(name), i), m, o.details))
	}
	if len(subs) != len(arr) {
		return nil, false
	}
	return subs, true
}

// Rest checks every field not yet read against current, the resource as
// the API shows it now: a field equal to its current value is accepted and
// ignored (a client may send back what it read), a field current has (or
// one of the known read-only names) is READ_ONLY, anything else is
// UNKNOWN_ATTRIBUTE.
func (o *object) Rest(current any, known ...string) {
	cur := map[string]json.RawMessage{}
	if current != nil {
		b, err := json.Marshal(current)
		if err == nil {
			_ = json.Unmarshal(b, &cur)
		}
	}
	names := make([]string, 0, len(o.fields))
	for n := range o.fields {
		if !o.used[n] {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		o.used[n] = true
		t := o.target(n)
		cv, has := cur[n]
		switch {
		case has && jsonEqual(o.fields[n], cv):
		case has || slices.Contains(known, n):
			*o.details = append(*o.details, apierr.Field(apierr.DetailReadOnly, t, t+" is read-only."))
		default:
			*o.details = append(*o.details, apierr.Field(apierr.DetailUnknownAttribute, t, t+" is not a known or writable attribute."))
		}
	}
}

// jsonEqual compares two JSON values by meaning: key order, spacing and
// number spelling do not matter, and two strings that are the same instant
// in RFC 3339 are equal (a client may echo createdAt in another form).
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	if xs, ok := x.(string); ok {
		if ys, ok := y.(string); ok && xs != ys {
			tx, err1 := time.Parse(time.RFC3339Nano, xs)
			ty, err2 := time.Parse(time.RFC3339Nano, ys)
			return err1 == nil && err2 == nil && tx.Equal(ty)
		}
	}
	return reflect.DeepEqual(x, y)
}
