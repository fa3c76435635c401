package strictjson

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

var errNotString = errors.New("not a valid JSON string literal")

// DecodeString decodes a checked JSON string literal (quotes included),
// such as a Member's Raw when its Kind is String.
func DecodeString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", errNotString
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		return string(body), nil
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(body) {
			return "", errNotString
		}
		if e := simpleEscapes[body[i+1]]; e != 0 {
			out = append(out, e)
			i += 2
			continue
		}
		r, n, ok := unicodeEscape(body[i:])
		if !ok {
			return "", errNotString
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return string(out), nil
}

// unicodeEscape decodes the \uXXXX escape, or surrogate pair of escapes,
// at the start of b, and says how many bytes it took.
func unicodeEscape(b []byte) (rune, int, bool) {
	r, ok := hexEscape(b)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r) {
		return r, 6, true
	}
	r2, ok := hexEscape(b[6:])
	if !ok {
		return 0, 0, false
	}
	if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
		return 0, 0, false
	}
	return r, 12, true
}

func hexEscape(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		v, ok := hexVal(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// AppendString appends s as a JSON string literal escaped the way
// serde_json writes strings: only `"`, `\` and control characters are
// escaped, everything else is written as UTF-8.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20:
			dst = append(dst, c)
		case shortEscapes[c] != 0:
			dst = append(dst, '\\', shortEscapes[c])
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	return append(dst, '"')
}

// shortEscapes are the control characters serde_json writes as a letter.
var shortEscapes = [0x20]byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// Compact re-encodes a checked JSON value without insignificant whitespace,
// re-escaping strings as serde_json would write them. A value with neither
// whitespace nor escapes is returned as it is.
func Compact(raw []byte) []byte {
	if !bytes.ContainsAny(raw, " \t\n\r\\") {
		return raw
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case ' ', '\t', '\n', '\r':
			i++
		case '"':
			s := &scanner{data: raw, i: i + 1}
			if s.str() != nil {
				return append(out, raw[i:]...)
			}
			text, err := DecodeString(raw[i:s.i])
			if err != nil {
				return append(out, raw[i:]...)
			}
			out = AppendString(out, text)
			i = s.i
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}
