// Package weburl decides whether a string is an absolute URL the way the
// backend's url crate (the WHATWG URL Standard) does, with that crate's
// error texts. The backend parses URLs before discovery (the token's iss),
// in discovery documents (issuer, jwks_uri) and at push time (provider
// domains); Go's net/url accepts and rejects other strings. See
// flow/convex/rules/SPEC.md, "URLs".
//
// Only the parts that decide success, scheme and host are implemented.
// IDNA mapping of non-ASCII hosts is not: such hosts are kept as they are,
// lowercased.
package weburl

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// URL is the part of a parsed URL authscope uses.
type URL struct {
	Scheme string // lowercased
	Host   string // lowercased; empty for URLs without a host
	Port   string
	// Special is true for the WHATWG special schemes (http, https, ws, wss, ftp, file).
	Special bool
}

// The url crate's parse errors, with its texts.
var (
	ErrRelativeURL   = errors.New("relative URL without a base")
	ErrEmptyHost     = errors.New("empty host")
	ErrInvalidPort   = errors.New("invalid port number")
	ErrInvalidIPv4   = errors.New("invalid IPv4 address")
	ErrInvalidIPv6   = errors.New("invalid IPv6 address")
	ErrInvalidDomain = errors.New("invalid domain character")
)

// CheckAbsolute reports why s is not an absolute URL, or nil when it is.
func CheckAbsolute(s string) error {
	var u URL
	return u.parse(s)
}

// Parse parses s as an absolute URL the way the url crate does, far
// enough to know whether it fails and what its scheme and host are.
func Parse(s string) (*URL, error) {
	u := &URL{}
	if err := u.parse(s); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *URL) parse(s string) error {
	// Leading/trailing C0 controls and spaces are trimmed; tabs and
	// newlines anywhere are removed (validation errors, not failures).
	s = strings.TrimFunc(s, isC0OrSpace)
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !validScheme(s[:colon]) {
		return ErrRelativeURL
	}
	u.Scheme = strings.ToLower(s[:colon])
	rest := s[colon+1:]
	switch u.Scheme {
	case "http", "https", "ws", "wss", "ftp":
		u.Special = true
		// Special schemes skip any run of slashes and backslashes.
		rest = strings.TrimLeft(rest, `/\`)
		return parseAuthority(u, rest, true)
	case "file":
		u.Special = true
		return nil
	}
	if strings.HasPrefix(rest, "//") {
		return parseAuthority(u, rest[2:], false)
	}
	return nil // an opaque path: always valid
}

func isC0OrSpace(r rune) bool { return r <= 0x20 }

func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// parseAuthority reads userinfo@host:port up to the path, query or fragment.
func parseAuthority(u *URL, rest string, special bool) error {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == '/' || c == '?' || c == '#' || (special && c == '\\') {
			end = i
			break
		}
	}
	auth := rest[:end]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	host, port := auth, ""
	if strings.HasPrefix(auth, "[") {
		close := strings.IndexByte(auth, ']')
		if close < 0 {
			return ErrInvalidIPv6
		}
		host = auth[:close+1]
		after := auth[close+1:]
		if after != "" {
			if after[0] != ':' {
				return ErrInvalidPort
			}
			port = after[1:]
		}
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i+1:]
	}
	if port != "" {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return ErrInvalidPort
			}
		}
		n, err := strconv.ParseUint(strings.TrimLeft(port, "0")+"0", 10, 64)
		if err != nil || n/10 > 65535 {
			return ErrInvalidPort
		}
	}
	u.Port = port
	if host == "" {
		if special {
			return ErrEmptyHost
		}
		return nil
	}
	if strings.HasPrefix(host, "[") {
		if !strings.HasSuffix(host, "]") {
			return ErrInvalidIPv6
		}
		addr, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return ErrInvalidIPv6
		}
		u.Host = strings.ToLower(host)
		return nil
	}
	if !special {
		// Opaque hosts: forbidden host code points only.
		if strings.ContainsAny(host, " #/<>?@[\\]^|") || strings.ContainsFunc(host, func(r rune) bool { return r < 0x20 }) {
			return ErrInvalidDomain
		}
		u.Host = host
		return nil
	}
	decoded := string(PercentDecode(host))
	for _, r := range decoded {
		if r <= 0x20 || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r) {
			return ErrInvalidDomain
		}
	}
	decoded = strings.ToLower(decoded)
	if endsInNumber(decoded) {
		if !validIPv4(decoded) {
			return ErrInvalidIPv4
		}
	}
	u.Host = decoded
	return nil
}

// PercentDecode is the WHATWG percent-decode of a string: each %XX with
// two hex digits becomes that byte; anything else is kept, a lone '%' too.
func PercentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			out = append(out, byte(v))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// endsInNumber is the WHATWG "ends in a number checker".
func endsInNumber(host string) bool {
	h := host
	if strings.HasSuffix(h, ".") {
		if h == "." || len(h) == 1 {
			return false
		}
		h = h[:len(h)-1]
	}
	last := h
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		last = h[i+1:]
	}
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	if strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X") {
		return strings.TrimLeft(last[2:], "0123456789abcdefABCDEF") == ""
	}
	return false
}

// validIPv4 is the WHATWG IPv4 parser's success condition.
func validIPv4(host string) bool {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		if p == "" {
			return false
		}
		base := 10
		switch {
		case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
			p, base = p[2:], 16
		case len(p) >= 2 && p[0] == '0':
			p, base = p[1:], 8
		}
		if p == "" {
			nums[i] = 0
			continue
		}
		n, err := strconv.ParseUint(p, base, 64)
		if err != nil {
			return false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return false
		}
	}
	limit := uint64(1) << (8 * uint(5-len(nums)))
	return nums[len(nums)-1] < limit
}
