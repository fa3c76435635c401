package strictjson

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// SyntaxError is a JSON syntax error worded as serde_json words it:
// "expected value at line 1 column 1". The backend quotes that text in its
// FatalError, so Msg and the position follow serde_json byte for byte.
type SyntaxError struct {
	// Msg is serde_json's message without the position.
	Msg string
	// Offset is the byte index the position is computed from: the byte
	// after the last one read, or the byte being looked at, as serde_json
	// chooses per error.
	Offset int
	// Line counts from 1; Column counts bytes since the last newline.
	Line, Column int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at line %d column %d", e.Msg, e.Line, e.Column)
}

// maxDepth is serde_json's recursion limit: 128 levels, and entering the
// 128th nested array or object fails.
const maxDepth = 128

// scanner walks a document as serde_json's Deserializer does, so that each
// error comes out at the same place with the same words.
type scanner struct {
	data  []byte
	i     int
	depth int // levels left before the recursion limit
}

// visitor is told about each element of an array (key nil) or member of an
// object, with the raw bytes and kind of its value.
type visitor func(key, raw []byte, kind Kind)

func newScanner(data []byte) *scanner { return &scanner{data: data, depth: maxDepth} }

// errAt builds a SyntaxError whose position is that of byte index i.
func (s *scanner) errAt(i int, msg string) error {
	line, col := 1, 0
	for _, c := range s.data[:i] {
		if c == '\n' {
			line++
			col = 0
		} else {
			col++
		}
	}
	return &SyntaxError{Msg: msg, Offset: i, Line: line, Column: col}
}

// err is serde's `error`: the position after the last byte read.
func (s *scanner) err(msg string) error { return s.errAt(s.i, msg) }

// peekErr is serde's `peek_error`: the position of the byte looked at.
func (s *scanner) peekErr(msg string) error { return s.errAt(min(s.i+1, len(s.data)), msg) }

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

// end checks that only whitespace follows the value.
func (s *scanner) end() error {
	if _, ok := s.skipSpace(); ok {
		return s.peekErr("trailing characters")
	}
	return nil
}

// value reads one value after optional whitespace and returns its kind and
// the index where it starts.
func (s *scanner) value() (Kind, int, error) {
	c, ok := s.skipSpace()
	if !ok {
		return Null, s.i, s.peekErr("EOF while parsing a value")
	}
	start := s.i
	switch {
	case c == 'n':
		return Null, start, s.ident("null")
	case c == 't':
		return Bool, start, s.ident("true")
	case c == 'f':
		return Bool, start, s.ident("false")
	case c == '-' || isDigit(c):
		return Number, start, s.number()
	case c == '"':
		s.i++
		return String, start, s.str()
	case c == '[' || c == '{':
		kind, err := s.container(c, nil)
		return kind, start, err
	}
	return Null, start, s.peekErr("expected value")
}

// ident reads a literal whose first byte has been looked at.
func (s *scanner) ident(lit string) error {
	s.i++
	for i := 1; i < len(lit); i++ {
		c, ok := s.next()
		if !ok {
			return s.err("EOF while parsing a value")
		}
		if c != lit[i] {
			return s.err("expected ident")
		}
	}
	return nil
}

// container reads an array or object starting at its opening bracket and
// tells visit (when not nil) about each element or member.
func (s *scanner) container(open byte, visit visitor) (Kind, error) {
	if s.depth--; s.depth == 0 {
		return Null, s.peekErr("recursion limit exceeded")
	}
	s.i++
	var err error
	kind := Array
	if open == '[' {
		err = s.seq(']', "EOF while parsing a list", func(byte) error { return s.element(nil, visit) })
	} else {
		kind = Object
		err = s.seq('}', "EOF while parsing an object", func(c byte) error { return s.member(c, visit) })
	}
	s.depth++
	return kind, err
}

// seq reads the comma-separated items of a container up to closer, as
// serde_json's SeqAccess and MapAccess do; item reads one item whose first
// byte c has been looked at.
func (s *scanner) seq(closer byte, eof string, item func(c byte) error) error {
	for first := true; ; first = false {
		c, ok := s.skipSpace()
		switch {
		case !ok:
			return s.peekErr(eof)
		case c == closer:
			s.i++
			return nil
		case !first && c == ',':
			s.i++
			c, ok = s.skipSpace()
		case !first:
			return s.peekErr("expected `,` or `" + string(closer) + "`")
		}
		switch {
		case !ok:
			return s.peekErr("EOF while parsing a value")
		case c == closer:
			return s.peekErr("trailing comma")
		}
		if err := item(c); err != nil {
			return err
		}
	}
}

func (s *scanner) element(key []byte, visit visitor) error {
	kind, start, err := s.value()
	if err == nil && visit != nil {
		visit(key, s.data[start:s.i], kind)
	}
	return err
}

// member reads `"key": value`; c is the first byte, already looked at.
func (s *scanner) member(c byte, visit visitor) error {
	if c != '"' {
		return s.peekErr("key must be a string")
	}
	start := s.i
	s.i++
	if err := s.str(); err != nil {
		return err
	}
	key := s.data[start:s.i]
	c, ok := s.skipSpace()
	switch {
	case !ok:
		return s.peekErr("EOF while parsing an object")
	case c != ':':
		return s.peekErr("expected `:`")
	}
	s.i++
	return s.element(key, visit)
}

// str reads a string whose opening quote has been read. Like serde_json it
// rejects raw control characters, unknown escapes, lone surrogate escapes
// and (checked once the string is closed) invalid UTF-8.
func (s *scanner) str() error {
	start := s.i
	ascii := true
	for {
		for s.i < len(s.data) {
			c := s.data[s.i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			if c >= utf8.RuneSelf {
				ascii = false
			}
			s.i++
		}
		c, ok := s.next()
		switch {
		case !ok:
			return s.err("EOF while parsing a string")
		case c == '"':
			if !ascii && !utf8.Valid(s.data[start:s.i-1]) {
				return s.err("invalid unicode code point")
			}
			return nil
		case c < 0x20:
			return s.err("control character (\\u0000-\\u001F) found while parsing a string")
		}
		if err := s.escape(); err != nil {
			return err
		}
	}
}

// escape reads what follows a backslash.
func (s *scanner) escape() error {
	e, ok := s.next()
	if !ok {
		return s.err("EOF while parsing a string")
	}
	if simpleEscapes[e] != 0 {
		return nil
	}
	if e != 'u' {
		return s.err("invalid escape")
	}
	r, err := s.hex4()
	if err != nil {
		return err
	}
	return s.surrogate(r)
}

// hex4 reads the four hex digits of a \u escape. Like serde_json's
// SliceRead::decode_hex_escape it takes the four bytes as a block: fewer than
// four left is "EOF while parsing a string" at the end of the input, and a
// bad digit is "invalid escape" reported after the fourth byte.
func (s *scanner) hex4() (rune, error) {
	if len(s.data)-s.i < 4 {
		s.i = len(s.data)
		return 0, s.err("EOF while parsing a string")
	}
	var r rune
	bad := false
	for range 4 {
		c, _ := s.next()
		v, ok := hexVal(c)
		bad = bad || !ok
		r = r<<4 | rune(v)
	}
	if bad {
		return 0, s.err("invalid escape")
	}
	return r, nil
}

// surrogate checks that a UTF-16 surrogate from a \u escape is paired, with
// serde_json 1.0.145's parse_unicode_escape wording: a trailing surrogate
// first, or a leading one followed by a \u escape of anything but a trailing
// surrogate, is a "lone leading surrogate"; a leading one followed by
// anything but \u is an "unexpected end of hex escape" reported after the
// byte that is not part of it.
func (s *scanner) surrogate(r rune) error {
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		return s.err("lone leading surrogate in hex escape")
	case r >= 0xD800 && r <= 0xDBFF:
		for _, want := range []byte{'\\', 'u'} {
			c, ok := s.next()
			if !ok {
				return s.err("EOF while parsing a string")
			}
			if c != want {
				return s.err("unexpected end of hex escape")
			}
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

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (s *scanner) digits() {
	for s.i < len(s.data) && isDigit(s.data[s.i]) {
		s.i++
	}
}

// number reads a number. Like serde_json it refuses one that does not fit
// an f64 ("number out of range") at the end of the number, or where an
// exponent outgrows an i32.
func (s *scanner) number() error {
	start := s.i
	if s.data[s.i] == '-' {
		s.i++
	}
	c, ok := s.next()
	switch {
	case !ok:
		return s.err("EOF while parsing a value")
	case c == '0':
		if p, ok := s.peek(); ok && isDigit(p) {
			return s.peekErr("invalid number")
		}
	case isDigit(c):
		s.digits()
	default:
		return s.err("invalid number")
	}
	float := false
	if p, ok := s.peek(); ok && p == '.' {
		float = true
		s.i++
		p, ok := s.peek()
		if !ok {
			return s.peekErr("EOF while parsing a value")
		}
		if !isDigit(p) {
			return s.peekErr("invalid number")
		}
		s.digits()
	}
	if p, ok := s.peek(); ok && (p == 'e' || p == 'E') {
		return s.exponent(start)
	}
	// Integers of up to 19 digits fit a u64 or an i64; anything else becomes
	// an f64 in serde_json and must be finite.
	if float || s.i-start > 19 {
		return s.inRange(start)
	}
	return nil
}

// exponent reads an exponent; start is where the number began.
func (s *scanner) exponent(start int) error {
	mantissa := s.data[start:s.i]
	s.i++
	positive := true
	if p, ok := s.peek(); ok && (p == '+' || p == '-') {
		positive = p == '+'
		s.i++
	}
	c, ok := s.next()
	if !ok {
		return s.err("EOF while parsing a value")
	}
	if !isDigit(c) {
		return s.err("invalid number")
	}
	exp := int64(c - '0')
	for s.i < len(s.data) && isDigit(s.data[s.i]) {
		exp = exp*10 + int64(s.data[s.i]-'0')
		s.i++
		if exp > math.MaxInt32 {
			// serde_json stops here: an error for a non-zero number with a
			// positive exponent, otherwise zero.
			if positive && !allZeroDigits(mantissa) {
				return s.err("number out of range")
			}
			s.digits()
			return nil
		}
	}
	return s.inRange(start)
}

func (s *scanner) inRange(start int) error {
	f, _ := strconv.ParseFloat(string(s.data[start:s.i]), 64)
	if math.IsInf(f, 0) {
		return s.err("number out of range")
	}
	return nil
}

func allZeroDigits(b []byte) bool {
	for _, c := range b {
		if c >= '1' && c <= '9' {
			return false
		}
	}
	return true
}

// simpleEscapes maps the byte after a backslash to the byte it stands for,
// for every escape but \u.
var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func hexVal(c byte) (byte, bool) {
	switch {
	case isDigit(c):
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
