package clerk

import (
	"net/url"
	"strings"
)

func trimSlash(s string) string { return strings.TrimRight(s, "/") }

func pathEscape(s string) string { return url.PathEscape(s) }

// IsLoopbackOrigin reports whether origin (scheme://host[:port], as in an
// Origin header) is an http or https origin on a loopback host. It is the
// default of Options.AllowedRedirectOrigin.
func IsLoopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	return isLoopbackHost(u.Hostname())
}

// originOf is scheme://host of an absolute URL, or "" when u is not one.
func originOf(u *url.URL) string {
	if u == nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}
