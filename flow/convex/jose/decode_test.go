package jose

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecodeKeepsOrderAndTimes(t *testing.T) {
	raw := seg(`{"alg":"RS256","kid":"ins_1","typ":"JWT"}`) + "." +
		seg(`{"sub":"user_1","iss":"https://a.clerk.accounts.dev","aud":"convex","iat":1700000000,"exp":1700000060.5}`) + "." + seg("sig")
	d, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range d.Claims {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, ","); got != "sub,iss,aud,iat,exp" {
		t.Fatalf("claim order = %s", got)
	}
	if d.HeaderString("kid") != "ins_1" || d.String("iss") != "https://a.clerk.accounts.dev" {
		t.Fatal("string accessors")
	}
	if got := d.Audiences(); len(got) != 1 || got[0] != "convex" {
		t.Fatalf("aud = %v", got)
	}
	exp, ok := d.Time("exp")
	if !ok || !exp.Equal(time.Unix(1700000060, 500*int64(time.Millisecond))) {
		t.Fatalf("exp = %v %v", exp, ok)
	}
	if d.Lifetime() != 60500*time.Millisecond {
		t.Fatalf("lifetime = %v", d.Lifetime())
	}
	if string(d.Signature) != "sig" {
		t.Fatal("signature")
	}
	if d.Alg != "RS256" || d.Kid != "ins_1" || d.Typ != "JWT" {
		t.Fatalf("typed header: alg %q kid %q typ %q", d.Alg, d.Kid, d.Typ)
	}
}

// A header jwx cannot type still shows its members.
func TestDecodeUntypedHeader(t *testing.T) {
	d, err := Decode(seg(`{"alg":5,"kid":"k"}`) + "." + seg(`{"iss":"x"}`) + "." + seg("sig"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Alg != "" || d.Kid != "" || len(d.Header) != 2 || string(d.Header[0].JSON) != "5" {
		t.Fatalf("alg %q kid %q header %+v", d.Alg, d.Kid, d.Header)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := seg(`{"alg":"RS256"}`)
	cases := []struct {
		name, raw, want string
	}{
		{"empty", "", "empty"},
		{"two parts", good + "." + good, "has 2"},
		{"four parts", good + "." + good + "." + good + ".x", "has 4"},
		{"bad base64 header", "@@." + good + ".x", "header is not base64url"},
		{"bad json payload", good + "." + seg("{nope") + ".x", "payload is not a JSON object"},
		{"array payload", good + "." + seg("[1,2]") + ".x", "does not start with {"},
		{"trailing data", good + "." + seg(`{"a":1} {"b":2}`) + ".x", "data after"},
		{"bad signature", good + "." + good + ".@@", "signature is not base64url"},
		{"huge", strings.Repeat("a", MaxSize+1), "more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.raw)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestDuplicateClaimLastWins(t *testing.T) {
	d, err := Decode(seg(`{}`) + "." + seg(`{"aud":"a","aud":"convex"}`) + ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Claims) != 1 || d.String("aud") != "convex" {
		t.Fatalf("claims = %+v", d.Claims)
	}
}

func TestRedacted(t *testing.T) {
	if got := Redacted("a.b.c"); got != "a.b.<signature hidden>" {
		t.Fatal(got)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(seg(`{"alg":"RS256"}`) + "." + seg(`{"exp":1e400,"aud":["a"]}`) + ".x")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := Decode(raw)
		if err != nil {
			return
		}
		_ = d.Audiences()
		_, _ = d.Time("exp")
		_ = d.Lifetime()
	})
}
