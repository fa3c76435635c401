package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DevHost is the port-less Clerk dev-suffix host the end-to-end tests give
// the dev instance: the real ClerkJS always calls https://<host> and sets
// up a dev browser only for hosts with such a suffix. Nothing resolves it:
// Chromium and the Go clients map it to the instance's loopback address.
const DevHost = "authscope-e2e.clerk.accounts.dev"

// TLSHost is a throwaway certificate for one host name, made for a test.
type TLSHost struct {
	Host string
	// Server serves the certificate.
	Server *tls.Config
	// Pool trusts it.
	Pool *x509.CertPool
}

// NewTLSHost makes a self-signed certificate for host, valid for an hour.
func NewTLSHost(t testing.TB, host string) *TLSHost {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &TLSHost{Host: host, Pool: pool, Server: &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}}
}

// Client is an HTTP client that reaches h.Host:443 at addr (the instance's
// loopback address), trusts h's certificate, and dials every other address
// as usual.
func (h *TLSHost) Client(addr string, timeout time.Duration) *http.Client {
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			if a == net.JoinHostPort(h.Host, "443") {
				a = addr
			}
			return d.DialContext(ctx, network, a)
		},
		TLSClientConfig:     &tls.Config{RootCAs: h.Pool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 5 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

// ChromiumFlags map h.Host:443 to addr in Chromium and let it accept the
// test certificate.
func (h *TLSHost) ChromiumFlags(addr string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("host-resolver-rules", "MAP "+net.JoinHostPort(h.Host, "443")+" "+addr),
		chromedp.Flag("ignore-certificate-errors", true),
	}
}
