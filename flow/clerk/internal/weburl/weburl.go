// Package weburl holds the URL checks that both the Frontend API client
// (package clerk) and the embedded dev instance make: the origin of a URL,
// and whether a host or an origin is on the loopback interface (the demo's
// Frontend API is; a real Clerk instance never is).
package weburl

import (
	"net"
	"net/url"
	"strings"
)

// Origin is scheme://host[:port] of an absolute URL, with the scheme in
// lower case, or "" when u is not absolute.
func Origin(u *url.URL) string {
	if u == nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

// OriginOf is Origin of a URL string, or "" when s is not an absolute URL.
func OriginOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return Origin(u)
}

// IsLoopbackHost is true for "localhost" and loopback IP addresses
// (without a port; IPv6 without brackets).
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackOrigin reports whether origin (scheme://host[:port], as in an
// Origin header) is an http or https origin on a loopback host.
func IsLoopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}
