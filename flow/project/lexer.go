package project

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a place in a source file: 1-based line and column, the column
// counted in characters (runes), as editors show it.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// tokKind is the kind of a token of the auth.config subset of TypeScript.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString   // '…' or "…"
	tokTemplate // `…` without ${}
	tokNumber
	tokPunct // { } [ ] ( ) , : ; . ! ? = < > | & * + - / % ~ @ # and the multi-character ones below
)

// token is one lexeme. Text is the source text; Value is a string
// literal's decoded value.
type token struct {
	kind  tokKind
	text  string
	value string
	pos   Pos
	// off and end are byte offsets into the source.
	off, end int
}

// comment is one comment, kept for finding commented-out providers.
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

// lexError is a tokenizer failure at a position; the parser turns it into
// a ParseError naming the file.
type lexError struct {
	pos   Pos
	msg   string
	found string
}

// multiPunct are the punctuators longer than one character that the parser
// needs to see whole (so that `||` is not two `|`, `...` is a spread).
var multiPunct = []string{"...", "?.", "??", "||", "&&", "=>", "==", "!=", "<=", ">="}

// lexer turns source text into tokens, skipping comments but recording them.
type lexer struct {
	src  string
	off  int
	line int
	col  int
	// lineStart is the byte offset where the current line starts.
	lineStart int
	comments  []comment
}

func newLexer(src string) *lexer {
	// A byte-order mark is not part of the program.
	src = strings.TrimPrefix(src, "\uFEFF")
	return &lexer{src: src, line: 1, col: 1}
}

func (l *lexer) pos() Pos { return Pos{Line: l.line, Col: l.col} }

// advance consumes one rune, keeping line and column; \r\n counts as one
// line break.
func (l *lexer) advance() rune {
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	l.off += size
	switch r {
	case '\n', '\u2028', '\u2029':
		l.line++
		l.col = 1
		l.lineStart = l.off
	case '\r':
		if l.off < len(l.src) && l.src[l.off] == '\n' {
			l.off++
		}
		l.line++
		l.col = 1
		l.lineStart = l.off
	default:
		l.col++
	}
	return r
}

func (l *lexer) peek() rune {
	if l.off >= len(l.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.off:])
	return r
}

func (l *lexer) peekAt(n int) byte {
	if l.off+n >= len(l.src) {
		return 0
	}
	return l.src[l.off+n]
}

func (l *lexer) next() (token, *lexError) {
	if err := l.skipSpaceAndComments(); err != nil {
		return token{}, err
	}
	start, off := l.pos(), l.off
	if l.off >= len(l.src) {
		return token{kind: tokEOF, pos: start, off: off, end: off}, nil
	}
	r := l.peek()
	switch {
	case r == '"' || r == '\'':
		v, err := l.quoted(r)
		if err != nil {
			return token{}, err
		}
		return token{kind: tokString, text: l.src[off:l.off], value: v, pos: start, off: off, end: l.off}, nil
	case r == '`':
		v, err := l.template()
		if err != nil {
			return token{}, err
		}
		return token{kind: tokTemplate, text: l.src[off:l.off], value: v, pos: start, off: off, end: l.off}, nil
	case isIdentStart(r):
		for l.off < len(l.src) && isIdentPart(l.peek()) {
			l.advance()
		}
		return token{kind: tokIdent, text: l.src[off:l.off], pos: start, off: off, end: l.off}, nil
	case r >= '0' && r <= '9' || r == '.' && l.peekAt(1) >= '0' && l.peekAt(1) <= '9':
		for l.off < len(l.src) {
			c := l.peek()
			if isIdentPart(c) || c == '.' {
				l.advance()
				continue
			}
			// Exponent signs: 1e-5.
			if (c == '+' || c == '-') && l.off > off && (l.src[l.off-1] == 'e' || l.src[l.off-1] == 'E') &&
				!strings.HasPrefix(l.src[off:l.off], "0x") && !strings.HasPrefix(l.src[off:l.off], "0X") {
				l.advance()
				continue
			}
			break
		}
		return token{kind: tokNumber, text: l.src[off:l.off], pos: start, off: off, end: l.off}, nil
	}
	for _, p := range multiPunct {
		if strings.HasPrefix(l.src[l.off:], p) {
			for range p {
				l.advance()
			}
			return token{kind: tokPunct, text: p, pos: start, off: off, end: l.off}, nil
		}
	}
	if strings.ContainsRune("{}[](),:;.!?=<>|&*+-/%~@#^", r) {
		l.advance()
		return token{kind: tokPunct, text: string(r), pos: start, off: off, end: l.off}, nil
	}
	return token{}, &lexError{pos: start, msg: "unexpected character", found: string(r)}
}

// skipSpaceAndComments skips white space and records comments.
func (l *lexer) skipSpaceAndComments() *lexError {
	for l.off < len(l.src) {
		r := l.peek()
		switch {
		case r == '/' && l.peekAt(1) == '/':
			start := l.pos()
			l.advance()
			l.advance()
			bodyStart := l.off
			for l.off < len(l.src) {
				c := l.peek()
				if c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' {
					break
				}
				l.advance()
			}
			l.comments = append(l.comments, comment{ownLine: l.ownLine(bodyStart - 2), pos: start, endLine: start.Line, body: l.src[bodyStart:l.off]})
		case r == '/' && l.peekAt(1) == '*':
			start, startOff := l.pos(), l.off
			l.advance()
			l.advance()
			end := strings.Index(l.src[l.off:], "*/")
			if end < 0 {
				return &lexError{pos: start, msg: "block comment is never closed", found: "/*"}
			}
			body := l.src[l.off : l.off+end]
			for l.off < len(l.src) && !strings.HasPrefix(l.src[l.off:], "*/") {
				l.advance()
			}
			endLine := l.line
			l.advance()
			l.advance()
			l.comments = append(l.comments, comment{block: true, ownLine: l.ownLine(startOff), pos: start, endLine: endLine, body: body})
		case r == '#' && l.off == 0 && l.peekAt(1) == '!':
			// A hashbang line is allowed at the very start of a module.
			for l.off < len(l.src) && l.peek() != '\n' {
				l.advance()
			}
		case unicode.IsSpace(r) || r == '\uFEFF':
			l.advance()
		default:
			return nil
		}
	}
	return nil
}

// ownLine reports whether only white space precedes byte offset off on
// the current line.
func (l *lexer) ownLine(off int) bool {
	return l.lineStart <= off && strings.TrimSpace(l.src[l.lineStart:off]) == ""
}

// quoted reads a '…' or "…" string literal and returns its value.
func (l *lexer) quoted(q rune) (string, *lexError) {
	start := l.pos()
	l.advance()
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			return "", &lexError{pos: start, msg: "string is never closed", found: string(q)}
		}
		r := l.peek()
		switch {
		case r == q:
			l.advance()
			return b.String(), nil
		case r == '\n' || r == '\r':
			return "", &lexError{pos: start, msg: "string is never closed on its line", found: string(q)}
		case r == '\\':
			if err := l.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteRune(l.advance())
		}
	}
}

// template reads a `…` literal. A substitution (${…}) computes its value
// at run time, which authscope does not do.
func (l *lexer) template() (string, *lexError) {
	start := l.pos()
	l.advance()
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			return "", &lexError{pos: start, msg: "template literal is never closed", found: "`"}
		}
		r := l.peek()
		switch {
		case r == '`':
			l.advance()
			return b.String(), nil
		case r == '$' && l.peekAt(1) == '{':
			return "", &lexError{pos: l.pos(), msg: "template literal with a ${…} substitution: authscope reads only plain strings and process.env.NAME", found: "${"}
		case r == '\\':
			if err := l.escape(&b); err != nil {
				return "", err
			}
		case r == '\r':
			// Template literals normalise CRLF and CR to LF.
			l.advance()
			b.WriteByte('\n')
		default:
			b.WriteRune(l.advance())
		}
	}
}

// escape decodes one backslash escape of a string or template literal.
func (l *lexer) escape(b *strings.Builder) *lexError {
	start := l.pos()
	l.advance() // the backslash
	if l.off >= len(l.src) {
		return &lexError{pos: start, msg: "string ends inside an escape", found: `\`}
	}
	r := l.advance()
	switch r {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case '0':
		if c := l.peek(); c >= '0' && c <= '9' {
			return &lexError{pos: start, msg: "octal escapes are not allowed", found: `\0` + string(c)}
		}
		b.WriteByte(0)
	case '\n', '\u2028', '\u2029':
		// Line continuation: nothing.
	case '\r':
		// advance already swallowed a following \n.
	case 'x':
		h := l.take(2)
		v, err := strconv.ParseUint(h, 16, 8)
		if len(h) != 2 || err != nil {
			return &lexError{pos: start, msg: "invalid \\x escape", found: `\x` + h}
		}
		b.WriteRune(rune(v))
	case 'u':
		var h string
		if l.peek() == '{' {
			l.advance()
			for l.off < len(l.src) && l.peek() != '}' && len(h) < 8 {
				h += string(l.advance())
			}
			if l.peek() != '}' {
				return &lexError{pos: start, msg: "invalid \\u{…} escape", found: `\u{` + h}
			}
			l.advance()
		} else {
			h = l.take(4)
			if len(h) != 4 {
				return &lexError{pos: start, msg: "invalid \\u escape", found: `\u` + h}
			}
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil || v > unicode.MaxRune || h == "" {
			return &lexError{pos: start, msg: "invalid \\u escape", found: `\u` + h}
		}
		b.WriteRune(rune(v))
	default:
		if r >= '1' && r <= '9' {
			return &lexError{pos: start, msg: "octal escapes are not allowed", found: `\` + string(r)}
		}
		b.WriteRune(r)
	}
	return nil
}

// take consumes up to n ASCII characters that are not line breaks.
func (l *lexer) take(n int) string {
	var s []byte
	for i := 0; i < n && l.off < len(l.src); i++ {
		c := l.src[l.off]
		if c >= utf8.RuneSelf || c == '\n' || c == '\r' || c == '\'' || c == '"' || c == '`' {
			break
		}
		l.advance()
		s = append(s, c)
	}
	return string(s)
}

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= utf8.RuneSelf && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}
