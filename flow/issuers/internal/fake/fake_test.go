package fake

import (
	"bytes"
	"context"
	"crypto/rsa"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/jose"
)

// A front gives an issuer a public host name that only a Mapping's
// clients reach; the Host check still holds.
func TestFrontAndMapping(t *testing.T) {
	f, err := NewFront("api.example-provider.test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Listen(Options{PublicHost: f.Host, TLS: f.TLS})
	if err != nil {
		t.Fatal(err)
	}
	s.Handle("/hello", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hi")) })
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Base() != "https://api.example-provider.test" {
		t.Errorf("base %q", s.Base())
	}
	m := Mapping{}
	m.Add(f, s.Addr())
	c := m.Client(&http.Client{Timeout: 5 * time.Second})
	resp, err := c.Get(s.Base() + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hi" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("got %d %q", resp.StatusCode, b)
	}
	req, _ := http.NewRequest(http.MethodGet, s.Base()+"/hello", nil)
	req.Host = "evil.example"
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("another Host: %v %v", resp, err)
	}
}

// Mint keeps the claims' order and applies the token faults.
func TestMintFaults(t *testing.T) {
	var ks KeySource
	k, err := ks.RSA("k1")
	if err != nil {
		t.Fatal(err)
	}
	c := Claims{{"iss", "https://i.example"}, {"aud", "app"}, {"sub", "u"}, {"iat", 1}, {"exp", 2}}
	tok, err := Mint(c, k, "JWT", Faults{OmitKid: true, ExtraAudience: "other", OmitClaims: []string{"iat"}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := jose.Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range d.Claims {
		names = append(names, m.Name)
	}
	if strings.Join(names, ",") != "iss,aud,sub,exp" || strings.Join(d.Audiences(), ",") != "app,other" || d.HeaderString("kid") != "" {
		t.Errorf("claims %v aud %v header %v", names, d.Audiences(), d.Header)
	}
	k2, _ := ks.RSA("k2")
	if k.Public(false).Key.(*rsa.PublicKey).Equal(k2.Public(false).Key) {
		t.Error("two keys of one source are the same key")
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A failed TLS handshake is not logged: net/http's default log is the
// process's stderr, the user's terminal, where a stray "http: TLS
// handshake error" line used to appear after a demo (and would land on
// the interface's screen).
func TestNothingLoggedOnTheTerminal(t *testing.T) {
	var logged syncBuffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	f, err := NewFront("api.example-provider.test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Listen(Options{PublicHost: f.Host, TLS: f.TLS})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write([]byte("\x16\x03\x01\x00\x02\x01\x00")) // a broken TLS hello
	_ = c.(*net.TCPConn).CloseWrite()                      // cut short: the handshake fails at once
	_, _ = io.Copy(io.Discard, c)                          // the server logs, then hangs up
	c.Close()
	if s := logged.String(); s != "" {
		t.Errorf("the server logged to stderr: %q", s)
	}
}
