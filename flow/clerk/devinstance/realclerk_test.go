package devinstance

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// What the real ClerkJS 6.40.0 needs of the instance (SPEC.md "What ClerkJS
// 6.40.0 sends", "Behind a TLS front"); the end-to-end tests in
// cmd/authscope run the real ClerkJS itself.

const testHost = "authscope-test.clerk.accounts.dev"

// tlsInstance starts an instance at testHost over TLS and returns it with
// a client that reaches it and trusts its certificate.
func tlsInstance(t *testing.T, opts Options) (*Instance, *http.Client) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{testHost}, IsCA: true,
		BasicConstraintsValid: true, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts.Listener, opts.PublicHost = ln, testHost
	opts.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	d := startInstance(t, opts)
	var dialer net.Dialer
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, ln.Addr().String())
		}}}
	return d, hc
}

func TestBehindTLSAtADevHost(t *testing.T) {
	d, hc := tlsInstance(t, Options{})
	if d.Issuer() != "https://"+testHost || d.Host() != testHost || d.Addr() == testHost {
		t.Fatalf("issuer %s, host %s, addr %s", d.Issuer(), d.Host(), d.Addr())
	}
	k, err := clerk.ParsePublishableKey(d.PublishableKey())
	if err != nil || k.FrontendAPI != testHost || k.FrontendAPIURL() != d.Issuer() {
		t.Fatalf("key %+v, %v", k, err)
	}
	res, err := hc.Get(d.Issuer() + clerk.PathDiscovery)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("discovery over TLS: %v %v", res, err)
	}
	res.Body.Close()
	// The Host check takes the public host, with or without :443, and
	// nothing else.
	for host, want := range map[string]int{testHost: 200, testHost + ":443": 200, d.Addr(): 421, "evil.example": 421} {
		req, _ := http.NewRequest("GET", d.Issuer()+clerk.PathJWKS, nil)
		req.Host = host
		res, err := hc.Do(req)
		if err != nil || res.StatusCode != want {
			t.Errorf("Host %s: %v %v, want %d", host, res, err, want)
		} else {
			res.Body.Close()
		}
	}
	if _, err := New(Options{PublicHost: testHost}); err == nil {
		t.Errorf("PublicHost without TLS was accepted")
	}
}

func TestEnvironmentTouchAndDevBrowserCookie(t *testing.T) {
	d := startInstance(t, Options{})
	db := newDevBrowser(t, d)
	q := "?" + clerk.APIVersionParam + "=" + clerk.APIVersion + "&" + clerk.DevBrowserParam + "=" + db
	// ClerkJS touches the environment with POST ?_method=PATCH.
	status, _, body := httpDo(t, "POST", d.Issuer()+clerk.PathEnv+q+"&_method=PATCH", strings.NewReader(""),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": landing})
	if status != 200 || !strings.Contains(body, `"sign_in_url"`) {
		t.Errorf("environment PATCH: %d %s", status, body)
	}
	// The dev browser in a cookie, plain or suffixed, is as good as the
	// query parameter.
	for _, name := range []string{clerk.DevBrowserParam, clerk.DevBrowserParam + "_abcdEFGH"} {
		status, _, body = httpDo(t, "GET", d.Issuer()+clerk.PathClient, nil, map[string]string{"Cookie": name + "=" + db})
		if status != 200 {
			t.Errorf("cookie %s: %d %s", name, status, body)
		}
	}
	status, _, body = httpDo(t, "GET", d.Issuer()+clerk.PathClient, nil, map[string]string{"Cookie": "other=" + db})
	if status != 401 || errorCode(t, body) != clerk.CodeDevBrowserUnauthenticated {
		t.Errorf("no dev browser: %d %s", status, body)
	}
}

func TestProductionAnswersOriginInvalid(t *testing.T) {
	d := startInstance(t, Options{Production: true})
	status, _, body := httpDo(t, "GET", d.Issuer()+clerk.PathEnv, nil, map[string]string{"Origin": landing})
	if status != 400 || errorCode(t, body) != clerk.CodeOriginInvalid || !strings.Contains(body, "The Request HTTP Origin header must be equal to or a subdomain of the requesting URL.") {
		t.Errorf("production instance from a loopback page: %d %s", status, body)
	}
}

func TestRealClerkJSFilesAreServed(t *testing.T) {
	dist := fstest.MapFS{"clerk.browser.js": {Data: []byte("real")}, "vendors_clerk.browser_1_6.40.0.js": {Data: []byte("chunk")}}
	d := startInstance(t, Options{ClerkJS: dist})
	for path, want := range map[string]int{
		"/npm/@clerk/clerk-js@6/dist/clerk.browser.js":                       200,
		"/npm/@clerk/clerk-js@6.40.0/dist/vendors_clerk.browser_1_6.40.0.js": 200,
		"/npm/@clerk/clerk-js@6.40.0/dist/missing.js":                        404,
		"/npm/@clerk/clerk-js@6.40.0/dist/../dist/clerk.browser.js":          404,
		"/npm/@clerk/clerk-js@6.40.0/clerk.browser.js":                       404,
		"/npm/@clerk/clerk-js@6.40.0/dist/types/index.d.ts":                  404,
	} {
		if status, _, _ := httpDo(t, "GET", d.Issuer()+path, nil, nil); status != want {
			t.Errorf("%s: %d, want %d", path, status, want)
		}
	}
}

func TestFrontendAPIFaults(t *testing.T) {
	d := startInstance(t, Options{Faults: Faults{EnvironmentStatus: 500, TokenStatus: 503}})
	db := newDevBrowser(t, d)
	q := "?" + clerk.DevBrowserParam + "=" + db
	if status, _, body := httpDo(t, "GET", d.Issuer()+clerk.PathEnv+q, nil, nil); status != 500 || !strings.Contains(body, "clerk_trace_id") {
		t.Errorf("environment: %d %s", status, body)
	}
	status, _, body := httpDo(t, "POST", d.Issuer()+clerk.TokenPath("sess_x", "")+q, strings.NewReader(""),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if status != 503 {
		t.Errorf("token: %d %s", status, body)
	}
	d.SetFaults(Faults{SignInURL: "/elsewhere"})
	if _, _, body := httpDo(t, "GET", d.Issuer()+clerk.PathEnv+q, nil, nil); !strings.Contains(body, `"sign_in_url":"/elsewhere"`) {
		t.Errorf("sign-in URL fault: %s", body)
	}
}
