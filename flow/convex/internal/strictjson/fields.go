package strictjson

import (
	"fmt"
	"math"
)

// FieldError is a type or shape error found while reading Fields: Msg in
// serde's words ("missing field `x`", "invalid type: string \"1\", expected
// u32"), Path the dotted path of the field ("" for the document itself).
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Fields is a checked JSON object read the way serde's derived Deserialize
// fills a struct from a serde_json::Value: of a key given twice the last
// wins (a Value is a map), unknown keys are ignored, and null reads as an
// absent Option. Values keep their bytes, so nested user data keeps its key
// order.
type Fields struct {
	path string
	m    map[string][]byte
}

// ReadFields reads raw, a checked value, as an object at path; any other
// kind of value is serde's "invalid type: …, expected <expecting>".
func ReadFields(raw []byte, path, expecting string) (*Fields, error) {
	if KindOf(raw) != Object {
		return nil, &FieldError{Path: path, Msg: InvalidType(raw, expecting)}
	}
	members, err := ParseObject(raw)
	if err != nil {
		return nil, &FieldError{Path: path, Msg: err.Error()}
	}
	m := make(map[string][]byte, len(members))
	for _, mb := range members {
		m[mb.Key] = mb.Raw
	}
	return &Fields{path: path, m: m}, nil
}

// Path is the dotted path of the field name.
func (f *Fields) Path(name string) string {
	if f.path == "" {
		return name
	}
	return f.path + "." + name
}

// Fail is an error about the field name.
func (f *Fields) Fail(name, msg string) error {
	return &FieldError{Path: f.Path(name), Msg: msg}
}

// Missing is serde's error for a required field that is absent; like
// serde it names the object, not the field, as the place.
func (f *Fields) Missing(name string) error {
	return &FieldError{Path: f.path, Msg: "missing field `" + name + "`"}
}

// Has reports whether name is present and not null.
func (f *Fields) Has(name string) bool {
	raw, ok := f.m[name]
	return ok && KindOf(raw) != Null
}

// Raw returns the bytes of a field, null included; nil when absent.
func (f *Fields) Raw(name string) []byte { return f.m[name] }

// Lookup returns the bytes of a field and whether it is present.
func (f *Fields) Lookup(name string) ([]byte, bool) {
	raw, ok := f.m[name]
	return raw, ok
}

// required returns a present field's bytes or the missing-field error.
func (f *Fields) required(name string) ([]byte, error) {
	raw, ok := f.m[name]
	if !ok {
		return nil, f.Missing(name)
	}
	return raw, nil
}

// optional reads a field with read when it is present and not null.
func optional[T any](f *Fields, name string, read func(string) (T, error)) (*T, error) {
	if !f.Has(name) {
		return nil, nil
	}
	v, err := read(name)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Object reads a required object field.
func (f *Fields) Object(name, expecting string) (*Fields, error) {
	raw, err := f.required(name)
	if err != nil {
		return nil, err
	}
	return ReadFields(raw, f.Path(name), expecting)
}

// Str reads a required string field.
func (f *Fields) Str(name string) (string, error) {
	raw, err := f.required(name)
	if err != nil {
		return "", err
	}
	if KindOf(raw) != String {
		return "", f.Fail(name, InvalidType(raw, "a string"))
	}
	s, err := DecodeString(trimSpace(raw))
	if err != nil {
		return "", f.Fail(name, err.Error())
	}
	return s, nil
}

// OptStr reads an optional string field.
func (f *Fields) OptStr(name string) (*string, error) { return optional(f, name, f.Str) }

// Bool reads a required boolean field.
func (f *Fields) Bool(name string) (bool, error) {
	raw, err := f.required(name)
	if err != nil {
		return false, err
	}
	if KindOf(raw) != Bool {
		return false, f.Fail(name, InvalidType(raw, "a boolean"))
	}
	return trimSpace(raw)[0] == 't', nil
}

// OptBool reads an optional boolean field.
func (f *Fields) OptBool(name string) (*bool, error) { return optional(f, name, f.Bool) }

// U32 reads a required unsigned 32-bit integer field.
func (f *Fields) U32(name string) (uint32, error) {
	n, err := f.integer(name, "u32")
	if err != nil {
		return 0, err
	}
	if n < 0 || n > math.MaxUint32 {
		return 0, f.Fail(name, fmt.Sprintf("invalid value: integer `%d`, expected u32", n))
	}
	return uint32(n), nil
}

// OptU32 reads an optional u32 field.
func (f *Fields) OptU32(name string) (*uint32, error) { return optional(f, name, f.U32) }

// I64 reads a required signed 64-bit integer field.
func (f *Fields) I64(name string) (int64, error) { return f.integer(name, "i64") }

// OptI64 reads an optional i64 field.
func (f *Fields) OptI64(name string) (*int64, error) { return optional(f, name, f.I64) }

// Float reads a required number field of any kind as an f64.
func (f *Fields) Float(name string) (float64, error) {
	raw, err := f.required(name)
	if err != nil {
		return 0, err
	}
	n, ok := ParseNumber(trimSpace(raw))
	if KindOf(raw) != Number || !ok {
		return 0, f.Fail(name, InvalidType(raw, "a number"))
	}
	return n.Float(), nil
}

// OptFloat reads an optional number field.
func (f *Fields) OptFloat(name string) (*float64, error) { return optional(f, name, f.Float) }

// integer reads an integer field that fits an i64. A fraction or an
// exponent makes a float to serde_json, which an integer type refuses.
func (f *Fields) integer(name, want string) (int64, error) {
	raw, err := f.required(name)
	if err != nil {
		return 0, err
	}
	n, ok := ParseNumber(trimSpace(raw))
	switch {
	case KindOf(raw) != Number || !ok || n.Kind == Float:
		return 0, f.Fail(name, InvalidType(raw, want))
	case n.Kind == Int:
		return n.I, nil
	case n.U > math.MaxInt64:
		return 0, f.Fail(name, fmt.Sprintf("invalid value: integer `%d`, expected %s", n.U, want))
	}
	return int64(n.U), nil
}

// Array reads a required array field as its elements' bytes.
func (f *Fields) Array(name string) ([][]byte, error) {
	raw, err := f.required(name)
	if err != nil {
		return nil, err
	}
	if KindOf(raw) != Array {
		return nil, f.Fail(name, InvalidType(raw, "a sequence"))
	}
	items := [][]byte{}
	if err := Each(raw, func(_ int, elem []byte, _ Kind) { items = append(items, elem) }); err != nil {
		return nil, f.Fail(name, err.Error())
	}
	return items, nil
}

// Variant reads the tag field of an internally tagged enum: a string that
// must be one of variants.
func (f *Fields) Variant(tag string, variants []string) (string, error) {
	name, err := f.Str(tag)
	if err != nil {
		return "", err
	}
	for _, v := range variants {
		if v == name {
			return name, nil
		}
	}
	return "", f.Fail(tag, UnknownVariant(name, variants))
}
