package untrusted

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Lines escapes s keeping its newlines and tabs, cuts each line to maxLine
// runes and keeps at most maxLines lines, saying how many were left out.
// A 900 KB line from a file prints as maxLine runes and an ellipsis.
func Lines(s string, maxLine, maxLines int) string {
	lines := strings.Split(s, "\n")
	extra := 0
	if maxLines > 0 && len(lines) > maxLines {
		extra = len(lines) - maxLines
		lines = lines[:maxLines]
	}
	for i, l := range lines {
		lines[i] = Cut(Escape(l, true), maxLine)
	}
	out := strings.Join(lines, "\n")
	if extra > 0 {
		out += fmt.Sprintf("\n%s(%d more lines)", Ellipsis, extra)
	}
	return out
}

// Writer escapes and cuts, line by line, everything written through it:
// each line is escaped as Lines does and cut to Max runes. A character
// split between two writes is kept whole.
type Writer struct {
	w   io.Writer
	max int
	col int  // runes written on the current line
	cut bool // the current line was cut: the rest of it is dropped
	// carry is the start of a character the last write split.
	carry []byte
}

// NewWriter returns a Writer to w cutting lines at max runes.
func NewWriter(w io.Writer, max int) *Writer { return &Writer{w: w, max: max} }

// Write escapes and cuts p; it reports all of p written when w took what
// was left of it.
func (lw *Writer) Write(p []byte) (int, error) {
	data := append(lw.carry, p...)
	lw.carry = nil
	if k := splitTail(data); k > 0 {
		lw.carry = append([]byte(nil), data[len(data)-k:]...)
		data = data[:len(data)-k]
	}
	var out strings.Builder
	for {
		i := bytes.IndexByte(data, '\n')
		seg := data
		if i >= 0 {
			seg = data[:i]
		}
		lw.segment(&out, string(seg))
		if i < 0 {
			break
		}
		out.WriteByte('\n')
		lw.col, lw.cut = 0, false
		data = data[i+1:]
	}
	if _, err := io.WriteString(lw.w, out.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// segment adds part of a line, escaped, as much of it as the line has
// room for.
func (lw *Writer) segment(out *strings.Builder, s string) {
	if lw.cut || s == "" {
		return
	}
	e := Escape(s, true)
	n := utf8.RuneCountInString(e)
	if lw.max > 0 && lw.col+n > lw.max {
		room := max(lw.max-lw.col, 1)
		e, n, lw.cut = Cut(e, room), room, true
	}
	out.WriteString(e)
	lw.col += n
}

// splitTail is the length of an incomplete UTF-8 character at the end of
// b (0 when b ends on a character boundary or on bytes that are invalid
// anyway).
func splitTail(b []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

// JSON escapes, in encoded JSON, the characters encoding/json writes raw
// that a terminal would act on or hide: DEL, C1 controls, bidi and
// zero-width characters become \uXXXX escapes (surrogate pairs above the
// BMP). The JSON means the same; only its text changes.
func JSON(b []byte) []byte {
	if isPlain(string(b)) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == 0x7f || (r >= 0x80 && r <= 0x9f) || Invisible(r):
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(&out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				fmt.Fprintf(&out, `\u%04x`, r)
			}
		default:
			out.Write(b[i : i+size])
		}
		i += size
	}
	return out.Bytes()
}
