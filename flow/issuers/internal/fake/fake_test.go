package fake

import (
	"context"
	"crypto/rsa"
	"io"
	"net/http"
	"strings"
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
