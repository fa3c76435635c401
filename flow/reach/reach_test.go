package reach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// silentServer accepts connections and never says a word: a TLS
// handshake to it never ends.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func direct() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}

func TestProbeReachesAndNamesEachFailure(t *testing.T) {
	ok := httptest.NewServer(http.NotFoundHandler()) // any answer will do
	defer ok.Close()
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	defer untrusted.Close()
	noDNS := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "happy-animal-123.clerk.accounts.dev", IsNotFound: true}}
	}}}
	proxyURL, _ := url.Parse("http://" + closedPort(t))
	viaDeadProxy := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}

	tests := []struct {
		name  string
		hc    *http.Client
		url   string
		want  Failure
		proxy bool
	}{
		{"reached", direct(), ok.URL, "", false},
		{"refused", direct(), "http://" + closedPort(t), Refused, false},
		{"untrusted certificate", direct(), untrusted.URL, TLS, false},
		{"no TLS answer", direct(), "https://" + silentServer(t), Timeout, false},
		{"name does not resolve", noDNS, "https://happy-animal-123.clerk.accounts.dev", DNS, false},
		{"proxy down", viaDeadProxy, "https://happy-animal-123.clerk.accounts.dev", Proxy, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Probe(context.Background(), tt.hc, 500*time.Millisecond, tt.url)[0]
			if r.Failure != tt.want || (tt.want == "") != r.OK() {
				t.Fatalf("failure %q (err %v), want %q", r.Failure, r.Err, tt.want)
			}
			if (r.Proxy != "") != tt.proxy {
				t.Errorf("proxy %q", r.Proxy)
			}
			if !r.OK() && (Hint(r.Failure, r.Proxy) == "" || !strings.Contains(Describe(r), r.Failure.Text())) {
				t.Errorf("no hint or description: %q", Describe(r))
			}
		})
	}
}

// TestProbeRunsInParallelWithinItsBound: two servers that never answer
// cost one timeout, not two.
func TestProbeRunsInParallelWithinItsBound(t *testing.T) {
	a, b := "https://"+silentServer(t), "https://"+silentServer(t)
	start := time.Now()
	rs := Probe(context.Background(), direct(), 300*time.Millisecond, a, b)
	if took := time.Since(start); took > 5*300*time.Millisecond {
		t.Errorf("probing two silent servers took %s", took)
	}
	for _, r := range rs {
		if r.Failure != Timeout || !strings.Contains(r.Err.Error(), "within 300ms") {
			t.Errorf("%s: %q %v", r.URL, r.Failure, r.Err)
		}
	}
}

func TestClassifyLeavesNonNetworkErrorsAlone(t *testing.T) {
	for _, err := range []error{nil, context.Canceled, errors.New("response body too large"), fmt.Errorf("wrapped: %w", context.Canceled)} {
		if f := Classify(err, false); f != "" {
			t.Errorf("Classify(%v) = %q", err, f)
		}
	}
	if f := Classify(errors.New("Forbidden"), true); f != Proxy {
		t.Errorf("a tunnel refusal through a proxy = %q, want proxy", f)
	}
	if !DNS.Local() || Refused.Local() || Failure("").Local() {
		t.Error("Local: DNS is this machine's, refused is the server's")
	}
}
