package fake

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"
)

// Front is a TLS front for an embedded issuer at a public host name
// ("api.workos.com", "<tenant>.us.auth0.com"): a throwaway certificate
// for the host, made when the demo starts, and HTTP clients that reach
// host:443 at the issuer's loopback address and trust that certificate.
// Nothing resolves the host: only clients made by Client (and a browser
// told to map it) reach the issuer there; every other host is dialled as
// usual. The issuer then has the URL shape of the provider's own.
type Front struct {
	Host string
	// TLS serves the certificate.
	TLS  *tls.Config
	cert *x509.Certificate
}

// NewFront makes the certificate for host, valid for a day.
func NewFront(host string) (*Front, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("fake issuer: a key for %s's certificate: %w", host, err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: host, Organization: []string{"authscope demo"}},
		DNSNames:              []string{host},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("fake issuer: %s's certificate: %w", host, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Front{Host: host, cert: cert, TLS: &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}}, nil
}

// Mapping is a set of fronts and the loopback address each listens on.
type Mapping map[string]mapped

type mapped struct {
	addr string
	cert *x509.Certificate
}

// Add maps f's host to addr.
func (m Mapping) Add(f *Front, addr string) { m[f.Host+":443"] = mapped{addr: addr, cert: f.cert} }

// Client returns a client with base's timeout and redirect policy that
// reaches every mapped host at its loopback address, trusting its
// certificate besides the system's, and dials every other address as
// usual.
func (m Mapping) Client(base *http.Client) *http.Client {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	for _, x := range m {
		roots.AddCert(x.cert)
	}
	var d net.Dialer
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
		if x, ok := m[a]; ok {
			a = x.addr
		}
		return d.DialContext(ctx, network, a)
	}
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	c := &http.Client{Transport: tr}
	if base != nil {
		c.Timeout, c.CheckRedirect, c.Jar = base.Timeout, base.CheckRedirect, base.Jar
	}
	return c
}

// Addrs are the mapped "host:443" and their loopback addresses.
func (m Mapping) Addrs() map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v.addr
	}
	return out
}
