package wire

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError is a JSON syntax error worded as serde_json words it
// (`expected value at line 1 column 1`), because the backend quotes that text
// in its FatalError (reference/convex.md §1.11).
type SyntaxError struct {
	Msg    string
	Line   int
	Column int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at line %d column %d", e.Msg, e.Line, e.Column)
}

// serde_json's recursion limit for arrays and objects.
const maxJSONDepth = 128

// checkJSON reports the first syntax error in data the way serde_json's
// from_str::<Value> would, or nil. It also bounds nesting depth, so the
// decoders after it never recurse without limit.
func checkJSON(data []byte) error {
	if !utf8.Valid(data) {
		// A text frame is UTF-8 by definition; the backend never gets this far.
		return &SyntaxError{Msg: "invalid UTF-8", Line: 1, Column: 0}
	}
	s := &scanner{data: data, depth: maxJSONDepth}
	if err := s.value(); err != nil {
		return err
	}
	if _, ok := s.skipSpace(); ok {
		return s.peekErr("trailing characters")
	}
	return nil
}

type scanner struct {
	data  []byte
	i     int
	depth int
}

// position returns serde_json's line and column for byte index i: the
// column counts bytes since the last newline.
func (s *scanner) position(i int) (int, int) {
	line, col := 1, 0
	for _, c := range s.data[:i] {
		if c == '\n' {
			line++
			col = 0
		} else {
			col++
		}
	}
	return line, col
}

// err is serde's `error`: the position after the last consumed byte.
func (s *scanner) err(msg string) error {
	l, c := s.position(s.i)
	return &SyntaxError{Msg: msg, Line: l, Column: c}
}

// peekErr is serde's `peek_error`: the position of the byte being looked at.
func (s *scanner) peekErr(msg string) error {
	l, c := s.position(min(s.i+1, len(s.data)))
	return &SyntaxError{Msg: msg, Line: l, Column: c}
}

func (s *scanner) skipSpace() (byte, bool) {
	for s.i < len(s.data) {
		switch c := s.data[s.i]; c {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return c, true
		}
	}
	return 0, false
}

func (s *scanner) next() (byte, bool) {
	if s.i >= len(s.data) {
		return 0, false
	}
	c := s.data[s.i]
	s.i++
	return c, true
}

func (s *scanner) peek() (byte, bool) {
	if s.i >= len(s.data) {
		return 0, false
	}
	return s.data[s.i], true
}

func (s *scanner) value() error {
	c, ok := s.skipSpace()
	if !ok {
		return s.peekErr("EOF while parsing a value")
	}
	switch {
	case c == 'n':
		s.i++
		return s.ident("ull")
	case c == 't':
		s.i++
		return s.ident("rue")
	case c == 'f':
		s.i++
		return s.ident("alse")
	case c == '-':
		s.i++
		return s.number()
	case c >= '0' && c <= '9':
		return s.number()
	case c == '"':
		s.i++
		return s.str()
	case c == '[':
		if s.depth--; s.depth == 0 {
			return s.peekErr("recursion limit exceeded")
		}
		s.i++
		err := s.array()
		s.depth++
		return err
	case c == '{':
		if s.depth--; s.depth == 0 {
			return s.peekErr("recursion limit exceeded")
		}
		s.i++
		err := s.object()
		s.depth++
		return err
	default:
		return s.peekErr("expected value")
	}
}

func (s *scanner) ident(rest string) error {
	for i := 0; i < len(rest); i++ {
		c, ok := s.next()
		if !ok {
			return s.err("EOF while parsing a value")
		}
		if c != rest[i] {
			return s.err("expected ident")
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (s *scanner) number() error {
	c, ok := s.next()
	if !ok {
		return s.err("EOF while parsing a value")
	}
	switch {
	case c == '0':
		if p, ok := s.peek(); ok && isDigit(p) {
			return s.peekErr("invalid number")
		}
	case c >= '1' && c <= '9':
		for p, ok := s.peek(); ok && isDigit(p); p, ok = s.peek() {
			s.i++
		}
	default:
		return s.err("invalid number")
	}
	if p, ok := s.peek(); ok && p == '.' {
		s.i++
		p, ok := s.peek()
		if !ok {
			return s.peekErr("EOF while parsing a value")
		}
		if !isDigit(p) {
			return s.peekErr("invalid number")
		}
		for p, ok := s.peek(); ok && isDigit(p); p, ok = s.peek() {
			s.i++
		}
	}
	if p, ok := s.peek(); ok && (p == 'e' || p == 'E') {
		s.i++
		if p, ok := s.peek(); ok && (p == '+' || p == '-') {
			s.i++
		}
		c, ok := s.next()
		if !ok {
			return s.err("EOF while parsing a value")
		}
		if !isDigit(c) {
			return s.err("invalid number")
		}
		for p, ok := s.peek(); ok && isDigit(p); p, ok = s.peek() {
			s.i++
		}
	}
	return nil
}

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// hex4 reads the four hex digits of a \u escape.
func (s *scanner) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, ok := s.next()
		if !ok {
			return 0, s.err("EOF while parsing a string")
		}
		if !isHex(c) {
			return 0, s.err("invalid escape")
		}
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c >= 'a':
			d = c - 'a' + 10
		default:
			d = c - 'A' + 10
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}

func (s *scanner) str() error {
	for {
		c, ok := s.next()
		if !ok {
			return s.err("EOF while parsing a string")
		}
		switch {
		case c == '"':
			return nil
		case c < 0x20:
			return s.err("control character (\\u0000-\\u001F) found while parsing a string")
		case c == '\\':
			e, ok := s.next()
			if !ok {
				return s.err("EOF while parsing a string")
			}
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				r, err := s.hex4()
				if err != nil {
					return err
				}
				if err := s.surrogate(r); err != nil {
					return err
				}
			default:
				return s.err("invalid escape")
			}
		}
	}
}

// surrogate checks that a UTF-16 surrogate from a \u escape is paired.
func (s *scanner) surrogate(r rune) error {
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		return s.err("lone leading surrogate in hex escape")
	case r >= 0xD800 && r <= 0xDBFF:
		c, ok := s.next()
		if !ok {
			return s.err("unexpected end of hex escape")
		}
		if c != '\\' {
			return s.err("lone leading surrogate in hex escape")
		}
		c, ok = s.next()
		if !ok {
			return s.err("unexpected end of hex escape")
		}
		if c != 'u' {
			return s.err("lone leading surrogate in hex escape")
		}
		r2, err := s.hex4()
		if err != nil {
			return err
		}
		if r2 < 0xDC00 || r2 > 0xDFFF {
			return s.err("lone leading surrogate in hex escape")
		}
	}
	return nil
}

func (s *scanner) array() error {
	first := true
	for {
		c, ok := s.skipSpace()
		switch {
		case !ok:
			return s.peekErr("EOF while parsing a list")
		case c == ']':
			s.i++
			return nil
		case c == ',' && !first:
			s.i++
			c, ok = s.skipSpace()
		case !first:
			return s.peekErr("expected `,` or `]`")
		}
		first = false
		switch {
		case !ok:
			return s.peekErr("EOF while parsing a value")
		case c == ']':
			return s.peekErr("trailing comma")
		}
		if err := s.value(); err != nil {
			return err
		}
	}
}

func (s *scanner) object() error {
	first := true
	for {
		c, ok := s.skipSpace()
		switch {
		case !ok:
			return s.peekErr("EOF while parsing an object")
		case c == '}':
			s.i++
			return nil
		case c == ',' && !first:
			s.i++
			c, ok = s.skipSpace()
		case !first:
			return s.peekErr("expected `,` or `}`")
		}
		first = false
		switch {
		case !ok:
			return s.peekErr("EOF while parsing a value")
		case c == '}':
			return s.peekErr("trailing comma")
		case c != '"':
			return s.peekErr("key must be a string")
		}
		s.i++
		if err := s.str(); err != nil {
			return err
		}
		c, ok = s.skipSpace()
		switch {
		case !ok:
			return s.peekErr("EOF while parsing an object")
		case c != ':':
			return s.peekErr("expected `:`")
		}
		s.i++
		if err := s.value(); err != nil {
			return err
		}
	}
}
