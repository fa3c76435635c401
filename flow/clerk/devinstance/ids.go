package devinstance

import (
	"crypto/rand"
	"encoding/hex"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID is a Clerk-style id: prefix, "_", 27 random base62 characters
// (about 160 bits, so a dev-browser id is also an unguessable secret).
func newID(prefix string) string {
	const n = 27
	out := make([]byte, 0, len(prefix)+1+n)
	out = append(out, prefix...)
	out = append(out, '_')
	var buf [64]byte
	for len(out) < cap(out) {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
		for _, b := range buf {
			if b >= 248 { // 248 = 4·62: keeps the draw uniform
				continue
			}
			out = append(out, base62[b%62])
			if len(out) == cap(out) {
				break
			}
		}
	}
	return string(out)
}

// newHex is n random bytes as hex (jti, trace ids).
func newHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
