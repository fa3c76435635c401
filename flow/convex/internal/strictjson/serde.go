package strictjson

import (
	"fmt"
	"strconv"
	"strings"
)

// This file words type errors as serde's data model does (serde::de::Error
// and de::Unexpected), which is what serde_json prints when a value of the
// right syntax has the wrong type for the struct it fills.

// Unexpected describes a checked value as serde's de::Unexpected prints it:
// "integer `5`", "floating point `1.5`", "string \"x\"", "boolean `true`",
// "null", "sequence", "map".
func Unexpected(raw []byte) string {
	switch KindOf(raw) {
	case Object:
		return "map"
	case Array:
		return "sequence"
	case Null:
		return "null"
	case Bool:
		return "boolean `" + string(trimSpace(raw)) + "`"
	case String:
		s, err := DecodeString(trimSpace(raw))
		if err != nil {
			return "string"
		}
		return "string " + rustDebugString(s)
	}
	n, ok := ParseNumber(trimSpace(raw))
	switch {
	case !ok:
		return "floating point"
	case n.Kind == Uint:
		return fmt.Sprintf("integer `%d`", n.U)
	case n.Kind == Int:
		return fmt.Sprintf("integer `%d`", n.I)
	}
	return "floating point `" + rustFloat(n.F) + "`"
}

// InvalidType is serde's "invalid type: <unexpected>, expected <expected>".
func InvalidType(raw []byte, expected string) string {
	return "invalid type: " + Unexpected(raw) + ", expected " + expected
}

// UnknownVariant is serde's error for an enum tag outside variants.
func UnknownVariant(name string, variants []string) string {
	msg := "unknown variant `" + name + "`, "
	switch len(variants) {
	case 0:
		return msg + "there are no variants"
	case 1:
		return msg + "expected `" + variants[0] + "`"
	case 2:
		return msg + "expected `" + variants[0] + "` or `" + variants[1] + "`"
	}
	return msg + "expected one of `" + strings.Join(variants, "`, `") + "`"
}

func trimSpace(raw []byte) []byte {
	for len(raw) > 0 && isSpace(raw[0]) {
		raw = raw[1:]
	}
	for len(raw) > 0 && isSpace(raw[len(raw)-1]) {
		raw = raw[:len(raw)-1]
	}
	return raw
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// rustFloat prints an f64 as Rust's Display does, with the decimal point
// serde adds to a whole number.
func rustFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
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
