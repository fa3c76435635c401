package wire

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// NewSessionID returns a random UUID v4, as the JS client's sessionId.
func NewSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// CheckUUID accepts what Rust's uuid crate parses (simple, hyphenated,
// braced and urn:uuid: forms, any version) and otherwise returns the
// crate's error text, which the backend puts in its FatalError.
func CheckUUID(s string) error {
	inner, offset := s, 0
	switch {
	case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && len(s) >= 2:
		inner, offset = s[1:len(s)-1], 1
	case strings.HasPrefix(s, "urn:uuid:"):
		inner, offset = s[9:], 9
	}
	hyphens := 0
	var bounds [4]int
	for i, r := range inner {
		switch {
		case r == '-':
			if hyphens < 4 {
				bounds[hyphens] = i
			}
			hyphens++
		case !strings.ContainsRune("0123456789abcdefABCDEF", r):
			return fmt.Errorf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, i+offset+1)
		}
	}
	starts := [5]int{0, 9, 14, 19, 24}
	expected := [5]int{8, 4, 4, 4, 12}
	switch {
	case hyphens == 0:
		if len(inner) == 32 {
			return nil
		}
		return fmt.Errorf("invalid length: expected length 32 for simple format, found %d", len(s))
	case hyphens != 4:
		return fmt.Errorf("invalid group count: expected 5, found %d", hyphens+1)
	}
	for g := range 4 {
		if bounds[g] != starts[g+1]-1 {
			return fmt.Errorf("invalid group length in group %d: expected %d, found %d", g, expected[g], bounds[g]-starts[g])
		}
	}
	if len(inner) != 36 {
		return fmt.Errorf("invalid group length in group 4: expected 12, found %d", len(inner)-starts[4])
	}
	return nil
}

// decodeTSSerde decodes a wire timestamp with the error texts of the
// backend's base64 (0.13) decoder, for FatalError fidelity.
func decodeTSSerde(s string) (uint64, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	body := strings.TrimRight(s, "=")
	if len(s)-len(body) > 2 {
		body = s[:len(s)-2]
	}
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(alphabet, body[i]) < 0 {
			return 0, fmt.Errorf("Invalid byte %d, offset %d.", body[i], i)
		}
	}
	if len(body)%4 == 1 {
		return 0, errors.New("Encoded text cannot have a 6-bit remainder.")
	}
	b, err := base64.RawStdEncoding.Strict().DecodeString(body)
	if err != nil {
		last := len(body) - 1
		return 0, fmt.Errorf("Invalid last symbol %d, offset %d.", body[last], last)
	}
	if len(b) != 8 {
		return 0, errors.New("u64 must be 8 bytes")
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, nil
}

// CheckUDFPath rejects a function path that cannot name a function. The
// backend's own path grammar is richer; an empty path is the case a
// misbehaving client hits.
func CheckUDFPath(p string) error {
	if p == "" {
		return errors.New("function path is empty")
	}
	return nil
}
