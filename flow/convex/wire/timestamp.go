package wire

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// EncodeTS encodes a Convex timestamp (nanoseconds) as the wire does:
// standard base64 with padding of the 8-byte little-endian u64, because a
// JavaScript number cannot hold 64 bits (SPEC.md, "Encodings").
func EncodeTS(ts uint64) string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], ts)
	return base64.StdEncoding.EncodeToString(b[:])
}

// DecodeTS reverses EncodeTS.
func DecodeTS(s string) (uint64, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return 0, fmt.Errorf("timestamp %q is not standard base64: %v", s, err)
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("u64 must be 8 bytes")
	}
	return binary.LittleEndian.Uint64(b), nil
}
