package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseError says why a message could not be read. Msg is worded as serde
// words it on the backend ("missing field `sessionId`", "invalid type:
// string \"1\", expected u32"); Path says where, for humans.
type ParseError struct {
	// Type is the message type, when it was known.
	Type string
	// Path is the dotted field path inside the message ("" for the top).
	Path string
	// Msg is the serde-style reason, without the path.
	Msg string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Type != "" {
		b.WriteString(e.Type)
		b.WriteString(" message")
	} else {
		b.WriteString("message")
	}
	if e.Path != "" {
		b.WriteString(" field ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// SerdeText is the reason as the Rust backend would print it: serde's
// message alone, without the path.
func (e *ParseError) SerdeText() string { return e.Msg }

// jsonKind is the JSON type of a raw value, from its first byte (the value
// has passed checkJSON, so the first byte decides).
func jsonKind(raw json.RawMessage) byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return 0
	}
	switch c := raw[0]; c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	default:
		return '0'
	}
}

// unexpected describes a value as serde's Unexpected does.
func unexpected(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch jsonKind(raw) {
	case '{':
		return "map"
	case '[':
		return "sequence"
	case 'n':
		return "null"
	case 't':
		return "boolean `true`"
	case 'f':
		return "boolean `false`"
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "string"
		}
		return "string " + rustDebugString(s)
	case '0':
		if u, err := strconv.ParseUint(string(raw), 10, 64); err == nil {
			return fmt.Sprintf("integer `%d`", u)
		}
		if i, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return fmt.Sprintf("integer `%d`", i)
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil && !math.IsInf(f, 0) {
			return "floating point"
		}
		return "floating point `" + rustFloat(f) + "`"
	}
	return "unit"
}

// rustFloat prints a float as Rust's Display with serde's decimal point.
func rustFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// rustDebugString quotes s as Rust's `{:?}` does for the common cases.
func rustDebugString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u{%x}`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func invalidType(raw json.RawMessage, expected string) string {
	return "invalid type: " + unexpected(raw) + ", expected " + expected
}

// object is a JSON object whose values are kept raw, so nested user values
// (query results, arguments) keep their bytes and key order.
type object struct {
	typ    string // message type, for errors
	prefix string // path of this object inside the message
	f      map[string]json.RawMessage
}

// asObject reads raw as an object or says what it was instead.
func asObject(raw json.RawMessage, typ, path, expecting string) (*object, error) {
	if jsonKind(raw) != '{' {
		return nil, &ParseError{Type: typ, Path: path, Msg: invalidType(raw, expecting)}
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, &ParseError{Type: typ, Path: path, Msg: err.Error()}
	}
	return &object{typ: typ, prefix: path, f: f}, nil
}

func (o *object) path(name string) string {
	if o.prefix == "" {
		return name
	}
	return o.prefix + "." + name
}

func (o *object) fail(name, msg string) error {
	return &ParseError{Type: o.typ, Path: o.path(name), Msg: msg}
}

func (o *object) missing(name string) error {
	return &ParseError{Type: o.typ, Path: o.prefix, Msg: "missing field `" + name + "`"}
}

// has reports whether name is present and not null.
func (o *object) has(name string) bool {
	raw, ok := o.f[name]
	return ok && jsonKind(raw) != 'n'
}

// raw returns a field's bytes (nil when absent).
func (o *object) raw(name string) json.RawMessage { return o.f[name] }

// str reads a required string field.
func (o *object) str(name string) (string, error) {
	raw, ok := o.f[name]
	if !ok {
		return "", o.missing(name)
	}
	return o.strValue(name, raw)
}

// optStr reads an optional string field; absent and null give nil.
func (o *object) optStr(name string) (*string, error) {
	if !o.has(name) {
		return nil, nil
	}
	s, err := o.strValue(name, o.f[name])
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (o *object) strValue(name string, raw json.RawMessage) (string, error) {
	if jsonKind(raw) != '"' {
		return "", o.fail(name, invalidType(raw, "a string"))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", o.fail(name, err.Error())
	}
	return s, nil
}

// boolean reads a required boolean field.
func (o *object) boolean(name string) (bool, error) {
	raw, ok := o.f[name]
	if !ok {
		return false, o.missing(name)
	}
	switch jsonKind(raw) {
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return false, o.fail(name, invalidType(raw, "a boolean"))
}

// optBool reads an optional boolean field; absent and null give nil.
func (o *object) optBool(name string) (*bool, error) {
	if !o.has(name) {
		return nil, nil
	}
	b, err := o.boolean(name)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// u32 reads a required unsigned 32-bit integer field.
func (o *object) u32(name string) (uint32, error) {
	raw, ok := o.f[name]
	if !ok {
		return 0, o.missing(name)
	}
	return o.u32Value(name, raw)
}

// optU32 reads an optional u32 field; absent and null give nil.
func (o *object) optU32(name string) (*uint32, error) {
	if !o.has(name) {
		return nil, nil
	}
	v, err := o.u32Value(name, o.f[name])
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func (o *object) u32Value(name string, raw json.RawMessage) (uint32, error) {
	n, err := o.integer(name, raw, "u32")
	if err != nil {
		return 0, err
	}
	if n < 0 || n > math.MaxUint32 {
		return 0, o.fail(name, fmt.Sprintf("invalid value: integer `%d`, expected u32", n))
	}
	return uint32(n), nil
}

// optI64 reads an optional signed 64-bit integer field.
func (o *object) optI64(name string) (*int64, error) {
	if !o.has(name) {
		return nil, nil
	}
	n, err := o.integer(name, o.f[name], "i64")
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// optNumber reads an optional number field of any kind as a float64.
func (o *object) optNumber(name string) (*float64, error) {
	if !o.has(name) {
		return nil, nil
	}
	raw := o.f[name]
	if jsonKind(raw) != '0' {
		return nil, o.fail(name, invalidType(raw, "a number"))
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil {
		return nil, o.fail(name, "number out of range")
	}
	return &f, nil
}

// integer reads a JSON integer that fits an int64; fractions and exponents
// are floats to serde and are refused.
func (o *object) integer(name string, raw json.RawMessage, want string) (int64, error) {
	if jsonKind(raw) != '0' {
		return 0, o.fail(name, invalidType(raw, want))
	}
	text := string(bytes.TrimSpace(raw))
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return i, nil
	}
	if u, err := strconv.ParseUint(text, 10, 64); err == nil {
		return 0, o.fail(name, fmt.Sprintf("invalid value: integer `%d`, expected %s", u, want))
	}
	return 0, o.fail(name, invalidType(raw, want))
}

// array reads a required array field.
func (o *object) array(name string) ([]json.RawMessage, error) {
	raw, ok := o.f[name]
	if !ok {
		return nil, o.missing(name)
	}
	return o.arrayValue(name, raw)
}

func (o *object) arrayValue(name string, raw json.RawMessage) ([]json.RawMessage, error) {
	if jsonKind(raw) != '[' {
		return nil, o.fail(name, invalidType(raw, "a sequence"))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, o.fail(name, err.Error())
	}
	return items, nil
}

// variant reads the tag field of an internally tagged enum.
func (o *object) variant(tag string, variants []string) (string, error) {
	raw, ok := o.f[tag]
	if !ok {
		return "", o.missing(tag)
	}
	name, err := o.strValue(tag, raw)
	if err != nil {
		return "", err
	}
	for _, v := range variants {
		if v == name {
			return name, nil
		}
	}
	return "", o.fail(tag, "unknown variant `"+name+"`, "+expectedVariants(variants))
}

// expectedVariants words the variant list as serde does.
func expectedVariants(variants []string) string {
	switch len(variants) {
	case 0:
		return "there are no variants"
	case 1:
		return "expected `" + variants[0] + "`"
	case 2:
		return "expected `" + variants[0] + "` or `" + variants[1] + "`"
	}
	return "expected one of `" + strings.Join(variants, "`, `") + "`"
}
