package convex

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// The backend checks URLs with Rust's url crate (the WHATWG URL Standard):
// IssuerUrl::new(iss) before discovery (reference/convex.md §1.3 step 1),
// the discovery document's issuer and jwks_uri, and provider domains at
// push time (§1.1). Go's net/url accepts and rejects different strings, so
// this file implements the parts of the standard that decide whether a
// string is an absolute URL, with the url crate's error texts:
// "relative URL without a base", "empty host", "invalid port number",
// "invalid IPv4 address", "invalid IPv6 address", "invalid domain character".
// IDNA mapping of non-ASCII hosts is not implemented; such hosts are
// accepted as they are, lowercased.

// webURL is the part of a parsed URL authscope uses.
type webURL struct {
	Scheme string // lowercased
	Host   string // lowercased; empty for URLs without a host
	Port   string
	// Special is true for the WHATWG special schemes (http, https, ws, wss, ftp, file).
	Special bool
}

var (
	errRelativeURL   = errors.New("relative URL without a base")
	errEmptyHost     = errors.New("empty host")
	errInvalidPort   = errors.New("invalid port number")
	errInvalidIPv4   = errors.New("invalid IPv4 address")
	errInvalidIPv6   = errors.New("invalid IPv6 address")
	errInvalidDomain = errors.New("invalid domain character")
)

func checkAbsoluteURL(s string) error {
	var u webURL
	return u.parse(s)
}

// parseWebURL parses s as an absolute URL the way the url crate does, far
// enough to know whether it fails and what its scheme and host are.
func parseWebURL(s string) (*webURL, error) {
	u := &webURL{}
	if err := u.parse(s); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *webURL) parse(s string) error {
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
		return errRelativeURL
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
func parseAuthority(u *webURL, rest string, special bool) error {
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
			return errInvalidIPv6
		}
		host = auth[:close+1]
		after := auth[close+1:]
		if after != "" {
			if after[0] != ':' {
				return errInvalidPort
			}
			port = after[1:]
		}
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i+1:]
	}
	if port != "" {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return errInvalidPort
			}
		}
		n, err := strconv.ParseUint(strings.TrimLeft(port, "0")+"0", 10, 64)
		if err != nil || n/10 > 65535 {
			return errInvalidPort
		}
	}
	u.Port = port
	if host == "" {
		if special {
			return errEmptyHost
		}
		return nil
	}
	if strings.HasPrefix(host, "[") {
		if !strings.HasSuffix(host, "]") {
			return errInvalidIPv6
		}
		addr, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return errInvalidIPv6
		}
		u.Host = strings.ToLower(host)
		return nil
	}
	if !special {
		// Opaque hosts: forbidden host code points only.
		if strings.ContainsAny(host, " #/<>?@[\\]^|") || strings.ContainsFunc(host, func(r rune) bool { return r < 0x20 }) {
			return errInvalidDomain
		}
		u.Host = host
		return nil
	}
	decoded, ok := percentDecode(host)
	if !ok {
		decoded = host
	}
	for _, r := range decoded {
		if r <= 0x20 || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r) {
			return errInvalidDomain
		}
	}
	decoded = strings.ToLower(decoded)
	if endsInNumber(decoded) {
		if !validIPv4(decoded) {
			return errInvalidIPv4
		}
	}
	u.Host = decoded
	return nil
}

func percentDecode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
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
