package rules

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The backend writes some values into its messages with Rust's own
// formatting: status codes, lossy UTF-8 bodies, Debug-quoted strings.

// RustStatusDisplay is http::StatusCode's Display: "<code> <reason>", with
// "<unknown status code>" when the http crate has no canonical reason.
func RustStatusDisplay(status int) string {
	reason := canonicalReason(status)
	if reason == "" {
		reason = "<unknown status code>"
	}
	return strconv.Itoa(status) + " " + reason
}

// rustReasonExceptions are the codes whose reason phrase in Rust's http
// crate (StatusCode::canonical_reason, src/status.rs of
// github.com/hyperium/http, which reqwest and hyper use) differs from Go's
// http.StatusText: the http crate keeps older or shorter wordings.
var rustReasonExceptions = map[int]string{
	203: "Non Authoritative Information",
	413: "Payload Too Large",
	414: "URI Too Long",
	416: "Range Not Satisfiable",
}

// canonicalReason is the http crate's StatusCode::canonical_reason: Go's
// http.StatusText but for the four codes above; "" for a code neither
// knows.
func canonicalReason(status int) string {
	if r, ok := rustReasonExceptions[status]; ok {
		return r
	}
	return http.StatusText(status)
}

// LossyUTF8 is Rust's String::from_utf8_lossy: each maximal ill-formed
// subsequence becomes one U+FFFD (Go's strings.ToValidUTF8 would fold a
// whole run into one, and utf8.DecodeRune would split a truncated sequence
// into several).
func LossyUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			sb.Write(b[i : i+size])
			i += size
			continue
		}
		// Length of the maximal subpart: a valid lead byte followed by as
		// many valid continuation bytes as fit, per the Unicode standard's
		// table of well-formed sequences.
		n := 1
		var need int
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			need = 2
		case c == 0xED:
			need, hi = 2, 0x9F
		case c == 0xF0:
			need, lo = 3, 0x90
		case c >= 0xF1 && c <= 0xF3:
			need = 3
		case c == 0xF4:
			need, hi = 3, 0x8F
		}
		for k := 0; k < need && i+n < len(b); k++ {
			d := b[i+n]
			if k == 0 {
				if d < lo || d > hi {
					break
				}
			} else if d < 0x80 || d > 0xBF {
				break
			}
			n++
		}
		sb.WriteString("\uFFFD")
		i += n
	}
	return sb.String()
}

// rustDebugStr formats s as Rust's <str as Debug>: quoted, with \", \\,
// \n, \r, \t, \0 and \u{..} for other control characters.
func rustDebugStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == 0:
			b.WriteString(`\0`)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			b.WriteString(`\u{`)
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte('}')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// rustDebugList renders a string list as the backend prints one: ["a", "b"].
func rustDebugList(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = rustDebugStr(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
