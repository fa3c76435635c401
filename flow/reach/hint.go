package reach

import "strings"

// Hint says what to check on this machine for a failure, naming the
// environment variables Go (and so authscope) reads: HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY for the proxy, SSL_CERT_FILE and SSL_CERT_DIR for
// the certificate authorities it trusts.
func Hint(f Failure, proxy string) string {
	switch f {
	case DNS:
		if proxy != "" {
			return "the proxy " + proxy + " resolves names for authscope; check that it can, or add the host to NO_PROXY"
		}
		return "check this machine's network connection, VPN and DNS; if it reaches the internet only through a proxy, set HTTPS_PROXY (and NO_PROXY=127.0.0.1,localhost) for authscope; and check the host name for a typo"
	case Proxy:
		return "the proxy " + orUnknown(proxy) + " (from HTTPS_PROXY or HTTP_PROXY) failed: check its address and credentials, or add the host to NO_PROXY to connect directly"
	case TLS:
		return "if this network inspects TLS with its own certificate authority (a corporate proxy or antivirus), point SSL_CERT_FILE (or SSL_CERT_DIR) at a bundle that includes it; otherwise check the host's certificate and this machine's clock"
	case Timeout, Connect:
		if proxy != "" {
			return "check the proxy " + proxy + " (HTTPS_PROXY) and that it lets this host through"
		}
		return "check this machine's network connection and firewall; if it reaches the internet only through a proxy, set HTTPS_PROXY for authscope"
	case Refused:
		return "nothing listens at that address: check the URL and that the server is running"
	}
	return ""
}

// Describe is one sentence: host, what failed, and through which proxy.
func Describe(r Result) string {
	var b strings.Builder
	b.WriteString(r.URL)
	b.WriteString(": ")
	b.WriteString(r.Failure.Text())
	if r.Proxy != "" {
		b.WriteString(" (through the proxy " + r.Proxy + ")")
	}
	if r.Err != nil {
		b.WriteString(": ")
		b.WriteString(r.Err.Error())
	}
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}
