package workos_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/issuers/workos"
)

// AuthKit's access token: the User Management issuer, no aud; the key set
// answers for the environment's client ID only.
func TestAccessTokenAndJWKS(t *testing.T) {
	is, err := workos.New(workos.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := is.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer is.Close()
	tok, err := is.AccessToken("grace")
	if err != nil {
		t.Fatal(err)
	}
	d, err := jose.Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, hasAud := d.Get("aud"); hasAud || d.String("iss") != is.Issuer() ||
		!strings.HasSuffix(is.Issuer(), "/user_management/"+is.ClientID()) || !strings.HasPrefix(d.String("sub"), "user_01") ||
		d.HeaderString("kid") != is.SigningKID() || d.Lifetime() != 5*time.Minute {
		t.Errorf("token header %v claims %v", d.Header, d.Claims)
	}
	hc := &http.Client{Timeout: 5 * time.Second}
	for url, want := range map[string]int{is.JWKSURL(): 200, is.BaseURL() + "/sso/jwks/client_other": 404} {
		resp, err := hc.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", url, resp.StatusCode, want)
		}
	}
	if _, err := is.AccessToken("nobody"); err == nil {
		t.Error("a token for no demo user")
	}
}
