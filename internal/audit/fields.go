package audit

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// A record's fields, as its JSON encoding names and encodes them, are
// what Diff compares. Marshalling the whole record and decoding it again
// into a map costs more than the rest of a small write, so fields walks
// the struct instead, with the layout of each type worked out once. Types
// the walk cannot mirror exactly take the slow path: those with a
// MarshalJSON or MarshalText method (or a field whose type has one on its
// pointer only, which encoding/json calls or not depending on how the
// record was passed), the ",string" option, tag names encoding/json
// ignores, and clashing names.

type field struct {
	name      string
	index     []int
	omitEmpty bool
}

// layout is a struct type's encoded fields in order; nil means the slow path.
var layouts sync.Map // reflect.Type -> []field

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

func marshals(t reflect.Type) bool {
	return t.Implements(marshalerType) || t.Implements(textMarshalerType)
}

func layoutOf(t reflect.Type) []field {
	if l, ok := layouts.Load(t); ok {
		return l.([]field)
	}
	var fs []field
	ok := walk(t, nil, &fs)
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.name] {
			ok = false
		}
		seen[f.name] = true
	}
	if !ok {
		fs = nil
	}
	layouts.Store(t, fs)
	return fs
}

// walk lists t's encoded fields, flattening embedded structs as
// encoding/json does; it reports false for what it does not mirror.
func walk(t reflect.Type, index []int, out *[]field) bool {
	if marshals(t) || marshals(reflect.PointerTo(t)) {
		return false
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name != "" && !validTagName(name) {
			return false
		}
		if ft := sf.Type; !marshals(ft) && marshals(reflect.PointerTo(ft)) {
			return false
		}
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			if !walk(sf.Type, idx, out) {
				return false
			}
			continue
		}
		if !sf.IsExported() || sf.Anonymous {
			if sf.Anonymous {
				return false // an embedded pointer or non-struct
			}
			continue
		}
		omit := false
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "":
			case "omitempty":
				omit = true
			default:
				return false
			}
		}
		if name == "" {
			name = sf.Name
		}
		*out = append(*out, field{name: name, index: idx, omitEmpty: omit})
	}
	return true
}

// validTagName is encoding/json's test of a name in a json tag; it uses
// the Go field name instead of a name that fails it.
func validTagName(s string) bool {
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// empty is encoding/json's omitempty test.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// fields returns v's encoded fields, less the bookkeeping ones, by name.
func fields(v any) (map[string]json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	var layout []field
	if rv.Kind() == reflect.Struct {
		layout = layoutOf(rv.Type())
	}
	if layout == nil {
		return slowFields(v)
	}
	m := make(map[string]json.RawMessage, len(layout))
	for _, f := range layout {
		if bookkeeping[f.name] {
			continue
		}
		fv := rv.FieldByIndex(f.index)
		if f.omitEmpty && empty(fv) {
			continue
		}
		raw, err := json.Marshal(fv.Interface())
		if err != nil {
			return nil, fmt.Errorf("audit diff: field %s: %w", f.name, err)
		}
		m[f.name] = raw
	}
	return m, nil
}

// slowFields encodes v whole and decodes the object into its fields.
func slowFields(v any) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit diff: %w", err)
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("audit diff: %T is not an object: %w", v, err)
	}
	for k := range bookkeeping {
		delete(m, k)
	}
	return m, nil
}
