package project

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file is a light scanner of JavaScript and TypeScript text. It is not
// a parser: esbuild parses and bundles auth.config.ts. The scanner does the
// two things esbuild's output cannot: it finds comments (esbuild drops them,
// and the Convex templates ship the Clerk provider inside one), and it finds
// where a provider value written in the source ends, so findings can quote
// it as written (the source map gives where it starts). Source maps alone
// cannot do the second: they map the starts of tokens, not the extents of
// expressions.

// Pos is a place in a source file: the file relative to the project root
// (slash-separated), and a 1-based line and column, the column counted in
// characters (runes) as editors show it.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Where is "file:line", the way findings cite a place.
func (p Pos) Where() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// srcText is one source file with its line starts. Line breaks are those
// of JavaScript (LF, CR, CRLF, U+2028, U+2029), which esbuild counts too.
type srcText struct {
	name   string
	text   string
	starts []int // byte offset of each line's first character
}

func newSrcText(name, text string) *srcText {
	s := &srcText{name: name, text: strings.TrimPrefix(text, "\uFEFF"), starts: []int{0}}
	t := s.text
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\n':
			s.starts = append(s.starts, i+1)
		case '\r':
			if i+1 < len(t) && t[i+1] == '\n' {
				i++
			}
			s.starts = append(s.starts, i+1)
		case 0xE2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
			if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0xA8 || t[i+2] == 0xA9) {
				i += 2
				s.starts = append(s.starts, i+1)
			}
		}
	}
	return s
}

// pos is the position of a byte offset.
func (s *srcText) pos(off int) Pos {
	off = min(max(off, 0), len(s.text))
	line := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off }) - 1
	return Pos{File: s.name, Line: line + 1, Col: 1 + utf8.RuneCountInString(s.text[s.starts[line]:off])}
}

// offset is the byte offset of a 0-based line and a column in UTF-16 code
// units, as source maps count them; -1 when the line does not exist.
func (s *srcText) offset(line, utf16Col int) int {
	if line < 0 || line >= len(s.starts) {
		return -1
	}
	off := s.starts[line]
	for n := 0; n < utf16Col && off < len(s.text); {
		r, size := utf8.DecodeRuneInString(s.text[off:])
		if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
			break
		}
		off += size
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return off
}

// tokKind is the kind of a scanned token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokComment
	tokString
	tokTemplate // a template's text part: from ` or } to ${ or `
	tokRegex
	tokWord // identifier, keyword or number
	tokPunct
)

// scanner steps through the tokens of a text. It tells a regular expression
// from a division by the token before it, the usual heuristic; a wrong
// guess only affects which comments it sees, never a value.
type scanner struct {
	src string
	off int
	// prev is the last token that was not a comment.
	prevKind tokKind
	prevText string
	// braces counts open { ( [; templates holds the count at each open ${.
	braces    int
	templates []int
}

// regexAfterWord are the keywords after which / starts a regex.
var regexAfterWord = map[string]bool{"return": true, "typeof": true, "case": true, "do": true, "else": true, "in": true,
	"of": true, "new": true, "delete": true, "void": true, "throw": true, "instanceof": true, "yield": true, "await": true}

// next returns the next token's kind and byte range.
func (s *scanner) next() (kind tokKind, start, end int) {
	for s.off < len(s.src) && isSpace(s.src, s.off) {
		_, size := utf8.DecodeRuneInString(s.src[s.off:])
		s.off += size
	}
	start = s.off
	if s.off >= len(s.src) {
		return tokEOF, start, start
	}
	c := s.src[s.off]
	switch {
	case c == '/' && s.at(1) == '/':
		s.off = lineEnd(s.src, s.off)
		return tokComment, start, s.off
	case c == '/' && s.at(1) == '*':
		if i := strings.Index(s.src[s.off+2:], "*/"); i >= 0 {
			s.off += i + 4
		} else {
			s.off = len(s.src)
		}
		return tokComment, start, s.off
	case c == '"' || c == '\'':
		s.skipQuoted(c)
		kind = tokString
	case c == '`':
		s.off++
		s.skipTemplate()
		kind = tokTemplate
	case c == '}' && len(s.templates) > 0 && s.templates[len(s.templates)-1] == s.braces:
		s.templates = s.templates[:len(s.templates)-1]
		s.off++
		s.skipTemplate()
		kind = tokTemplate
	case c == '/' && s.regexAllowed():
		s.skipRegex()
		kind = tokRegex
	case isWordByte(c):
		for s.off < len(s.src) && isWordByte(s.src[s.off]) {
			s.off++
		}
		kind = tokWord
	default:
		s.off += punctLen(s.src[s.off:])
		kind = tokPunct
		switch c {
		case '{', '(', '[':
			s.braces++
		case '}', ')', ']':
			s.braces--
		}
	}
	s.prevKind, s.prevText = kind, s.src[start:s.off]
	return kind, start, s.off
}

func (s *scanner) at(n int) byte {
	if s.off+n < len(s.src) {
		return s.src[s.off+n]
	}
	return 0
}

func (s *scanner) regexAllowed() bool {
	switch s.prevKind {
	case tokEOF, tokComment:
		return true
	case tokWord:
		return regexAfterWord[s.prevText]
	case tokPunct:
		return s.prevText != ")" && s.prevText != "]" && s.prevText != "}"
	}
	return false
}

func (s *scanner) skipQuoted(q byte) {
	for s.off++; s.off < len(s.src); s.off++ {
		switch s.src[s.off] {
		case '\\':
			s.off++
		case q:
			s.off++
			return
		case '\n', '\r':
			return // unterminated: esbuild reports it; stop at the line end
		}
	}
}

// skipTemplate consumes template text up to the closing ` or an open ${.
func (s *scanner) skipTemplate() {
	for ; s.off < len(s.src); s.off++ {
		switch s.src[s.off] {
		case '\\':
			s.off++
		case '`':
			s.off++
			return
		case '$':
			if s.at(1) == '{' {
				s.off += 2
				s.templates = append(s.templates, s.braces)
				return
			}
		}
	}
}

func (s *scanner) skipRegex() {
	inClass := false
	for s.off++; s.off < len(s.src); s.off++ {
		switch s.src[s.off] {
		case '\\':
			s.off++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				s.off++
				for s.off < len(s.src) && isWordByte(s.src[s.off]) {
					s.off++ // flags
				}
				return
			}
		case '\n', '\r':
			return
		}
	}
}

// punctLen is the length of the punctuator at the start of s; the scanner
// only needs || and ?? whole (for fallback chains) and => not to be split.
func punctLen(s string) int {
	for _, p := range []string{"||", "??", "=>", "?."} {
		if strings.HasPrefix(s, p) {
			return len(p)
		}
	}
	_, size := utf8.DecodeRuneInString(s)
	return size
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isSpace reports white space or a line break at s[i] (ASCII space, tab,
// line breaks, and the Unicode ones JavaScript allows).
func isSpace(s string, i int) bool {
	switch s[i] {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	case 0xE2, 0xC2, 0xEF, 0xE3, 0xE1:
		r, _ := utf8.DecodeRuneInString(s[i:])
		return r == '\u00a0' || r == '\ufeff' || r == '\u2028' || r == '\u2029' || r == '\u3000' || r == '\u1680' || r >= '\u2000' && r <= '\u200a' || r == '\u202f' || r == '\u205f'
	}
	return false
}

// lineEnd is the offset of the first line break at or after i.
func lineEnd(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r':
			return i
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				return i
			}
		}
	}
	return i
}

// exprText returns the expression that starts at byte off of src, as
// written: up to the , ; or closing bracket that ends it, without trailing
// comments. op is "||" or "??" when the expression is a chain of
// alternatives at its top level. At most max bytes are scanned.
func exprText(src string, off, max int) (text, op string) {
	if off < 0 || off >= len(src) {
		return "", ""
	}
	s := &scanner{src: src[:min(len(src), off+max)], off: off}
	end := off
	for {
		kind, start, e := s.next()
		tok := src[start:e]
		top := s.braces == 0 && len(s.templates) == 0
		switch {
		case kind == tokEOF:
			return strings.TrimSpace(src[off:end]), op
		case kind == tokComment:
			continue
		case kind == tokPunct && s.braces < 0, kind == tokPunct && top && (tok == "," || tok == ";"):
			return strings.TrimSpace(src[off:end]), op
		case kind == tokPunct && top && (tok == "||" || tok == "??") && op == "":
			op = tok
		}
		end = e
	}
}

// tooDeep reports whether brackets (and template substitutions) nest more
// than max deep anywhere in src. esbuild's and goja's parsers recurse once
// per level, and a Go stack overflow cannot be recovered from.
func tooDeep(src string, max int) bool {
	s := &scanner{src: src}
	for {
		kind, _, _ := s.next()
		if kind == tokEOF {
			return false
		}
		if s.braces+len(s.templates) > max {
			return true
		}
	}
}

// comment is one comment of a source file.
type comment struct {
	block bool
	// ownLine is true when only white space precedes the comment on its
	// first line: a trailing comment after code is never a commented-out
	// provider.
	ownLine bool
	pos     Pos
	// endLine is the line the comment ends on.
	endLine int
	// body is the text between the delimiters.
	body string
}

// comments lists the comments of a source file, in one pass.
func comments(src *srcText) []comment {
	var out []comment
	s := &scanner{src: src.text}
	cur := &cursor{src: src}
	lastLine := 0 // the line the previous token ends on
	for {
		kind, start, end := s.next()
		if kind == tokEOF {
			return out
		}
		startPos := cur.pos(start)
		endLine := cur.pos(end).Line
		if kind == tokComment {
			c := comment{pos: startPos, endLine: endLine, block: src.text[start+1] == '*', ownLine: lastLine < startPos.Line}
			if c.block {
				c.body = strings.TrimSuffix(src.text[start+2:end], "*/")
			} else {
				c.body = src.text[start+2 : end]
			}
			out = append(out, c)
		}
		lastLine = endLine
	}
}

// cursor computes positions of increasing offsets in time linear in the
// text, however many are asked for (a file of a million comments on one
// line must not take quadratic time).
type cursor struct {
	src   *srcText
	line  int // 0-based line of at
	at    int
	runes int // runes from the line's start to at
}

func (c *cursor) pos(off int) Pos {
	off = min(max(off, c.at), len(c.src.text))
	for c.line+1 < len(c.src.starts) && c.src.starts[c.line+1] <= off {
		c.line++
		c.at, c.runes = c.src.starts[c.line], 0
	}
	c.runes += utf8.RuneCountInString(c.src.text[c.at:off])
	c.at = off
	return Pos{File: c.src.name, Line: c.line + 1, Col: c.runes + 1}
}
