// Package reach says whether this machine reaches the servers a run needs,
// and names how a connection of authscope's own failed: the name did not
// resolve, no connection was made, the TLS handshake failed, or the proxy
// the environment names failed. It is the one place that reads Go's
// network errors, so the Frontend API probe, the deployment's WebSocket
// and the replay's fetches are classified alike, and a failure on this
// machine is never reported as the deployment's.
package reach

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// Failure is how a connection from this machine failed.
type Failure string

// The failure classes, from the first phase of a connection to the last.
const (
	// DNS: the host name did not resolve (no network, no DNS server, a
	// name that does not exist).
	DNS Failure = "dns"
	// Proxy: the proxy HTTPS_PROXY or HTTP_PROXY names could not be
	// reached, or refused the tunnel.
	Proxy Failure = "proxy"
	// Refused: the host answered that nothing listens on the port.
	Refused Failure = "refused"
	// Connect: no connection (network or host unreachable, reset).
	Connect Failure = "connect"
	// Timeout: nothing answered within the deadline.
	Timeout Failure = "timeout"
	// TLS: the TLS handshake failed: a certificate this machine does not
	// trust (a corporate proxy's own authority), a name mismatch, or a
	// server that does not speak TLS.
	TLS Failure = "tls"
)

var failureText = map[Failure]string{
	DNS:     "the name does not resolve (DNS)",
	Proxy:   "the proxy failed",
	Refused: "the connection was refused",
	Connect: "no connection could be made",
	Timeout: "no answer in time",
	TLS:     "the TLS handshake failed",
}

// Text is the failure in words.
func (f Failure) Text() string {
	if t, ok := failureText[f]; ok {
		return t
	}
	return string(f)
}

// Local reports whether the failure is on this machine's side of the
// network (its DNS, its proxy, its trust store, its route), as opposed to
// a server that answered "nothing listens here".
func (f Failure) Local() bool { return f != "" && f != Refused }

// Classify names how err, from a dial, a TLS handshake or an HTTP round
// trip, failed; "" when it is not a network failure (an HTTP status, a
// body too large, a cancelled run). proxied says a proxy carried the
// connection: an error the tunnel gave without a type of its own (Go
// returns the proxy's status text, "Forbidden") is then the proxy's.
func Classify(err error, proxied bool) Failure {
	if err == nil || errors.Is(err, context.Canceled) {
		return ""
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		return Proxy
	}
	if f := classifyTLS(err); f != "" {
		return f
	}
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return DNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return Timeout
	case errors.As(err, &op) && (op.Op == "dial" || op.Op == "read" || op.Op == "write"):
		return Connect
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return Connect
	case proxied:
		return Proxy
	}
	return ""
}

func classifyTLS(err error) Failure {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &record), errors.As(err, &alert):
		return TLS
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
