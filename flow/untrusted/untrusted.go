// Package untrusted makes strings that came from a token, a server, a
// browser, a file, a flag or the environment safe to put on a terminal. A
// claim, a server's error text or a page's report can carry escape
// sequences that move the cursor, retitle the window or write to the
// clipboard (the class of bug behind CVE-2021-25743 in kubectl and the
// escaping cli/cli does in its IOStreams), reorder text (bidi overrides) or
// hide characters, and a huge value would flood the screen.
//
// Control characters are not dropped but shown visibly escaped, because a
// hidden byte in a claim is itself a finding: C0 and DEL as \xNN, C1 as
// \u0080…\u009f, bidi controls and zero-width characters as <U+202E> and the
// like, invalid UTF-8 as \xNN. Long values are cut with an ellipsis.
//
// Text is the one escape-and-cut function for a value on one line; Lines
// does the same for text that keeps its line breaks, and Writer applies
// Lines to everything written through it (authscope's stderr). JSON
// escapes what encoding/json leaves raw, for a report that may land on a
// terminal.
package untrusted

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Ellipsis ends a value that was cut.
const Ellipsis = "…"

// Escape returns s with every character that could move the cursor, change
// the terminal's state, reorder text or hide itself replaced by a visible
// escape. Newline and tab are escaped too unless keepNewlines is set.
func Escape(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		i += size
		switch {
		case keepNewlines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case Invisible(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text escapes s and cuts it to at most max runes (0: no limit), ending a
// cut value with an ellipsis.
func Text(s string, max int) string {
	return Cut(Escape(s, false), max)
}

// Cut shortens an already safe string to max runes, with an ellipsis.
func Cut(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	if max == 1 {
		return Ellipsis
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + Ellipsis
		}
		n++
	}
	return s
}

// Invisible reports whether r is a bidi control, a zero-width character or
// another format character that renders as nothing.
func Invisible(r rune) bool {
	switch {
	case r == 0x061c, r == 0x180e, r == 0x00ad:
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space/joiners, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE…RLO
		return true
	case r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069: // word joiner…, LRI…PDI
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters
		return true
	}
	return false
}

// Suspicious reports whether Escape would change s.
func Suspicious(s string) bool { return !isPlain(s) }

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			goto slow
		}
	}
	return true
slow:
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || Invisible(r) {
			return false
		}
	}
	// RuneError from a valid encoded U+FFFD is fine, but invalid bytes are not.
	return utf8.ValidString(s)
}

// CodePoints shows every rune of s as U+XXXX, for comparing two strings that
// look equal but are not.
func CodePoints(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "U+%04X", r)
	}
	return b.String()
}
