package jose

import (
	"encoding/base64"
	"errors"
	"strings"
)

// DecodeStrict is data_encoding's BASE64URL_NOPAD, which biscuit uses for
// every token part and JWK member: URL alphabet, no padding, no
// whitespace, zero trailing bits (SPEC.md "Base64url"). Go's decoder
// silently skips CR and LF, so they are refused first.
func DecodeStrict(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("invalid symbol (line break)")
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// decodeLenient is the base64 crate's URL_SAFE engine with NO_PAD and
// trailing bits allowed, as openidconnect decodes token parts and JWK
// members (SPEC.md "Base64url").
func decodeLenient(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("invalid symbol (line break)")
	}
	return base64.RawURLEncoding.DecodeString(s)
}

func encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
