package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
)

func TestSignRS256ExactHeaderAndPayload(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{"sub":"user_1", "iss":"https://a.example","exp":1e10}`) // spacing and order kept
	tok, err := Sign(payload, SigningKey{Alg: "RS256", Key: k, Kid: "ins_1", Typ: "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	if h, _ := DecodeStrict(parts[0]); string(h) != `{"alg":"RS256","kid":"ins_1","typ":"JWT"}` {
		t.Errorf("header %s", h)
	}
	if p, _ := DecodeStrict(parts[1]); string(p) != string(payload) {
		t.Errorf("payload %s", p)
	}
	set, err := JWKS(PublicJWK{Key: &k.PublicKey, Kid: "ins_1", Alg: "RS256"})
	if err != nil {
		t.Fatal(err)
	}
	// The strict layer reads what jwx published and verifies what jwx signed.
	keys, err := ParseOIDCKeySet(set)
	if err != nil || len(keys.Keys) != 1 || len(keys.Skipped) != 0 {
		t.Fatalf("OIDC read of %s: %+v %v", set, keys, err)
	}
	key := keys.Keys[0]
	if ok, why := key.Compatible("RS256"); !ok || key.Kid != "ins_1" || key.Use != "sig" {
		t.Fatalf("key %+v: %s", key, why)
	}
	sig, _ := DecodeStrict(parts[2])
	if !Verify("RS256", key.Public, parts[0]+"."+parts[1], sig) {
		t.Error("the signature does not verify")
	}
	d, err := Decode(tok)
	if err != nil || d.Alg != "RS256" || d.Kid != "ins_1" || d.Typ != "JWT" {
		t.Errorf("decode: %+v %v", d, err)
	}
}

func TestSignES256AndHS256(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Sign([]byte(`{"a":1}`), SigningKey{Alg: "ES256", Key: ec, Kid: "e1", Typ: "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := JWKS(PublicJWK{Key: &ec.PublicKey, Kid: "e1", Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseCustomKeySet(set)
	if err != nil || len(keys.Keys) != 1 {
		t.Fatalf("customJwt read of %s: %v", set, err)
	}
	pub, why := keys.Keys[0].PublicKeyFor("ES256")
	parts := strings.Split(tok, ".")
	sig, _ := DecodeStrict(parts[2])
	if pub == nil || !Verify("ES256", pub, parts[0]+"."+parts[1], sig) {
		t.Errorf("ES256 token does not verify (%s)", why)
	}
	hs, err := Sign([]byte(`{"a":1}`), SigningKey{Alg: "HS256", Key: []byte("secret-secret-secret-secret-1234"), Typ: "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := DecodeStrict(strings.Split(hs, ".")[0]); string(h) != `{"alg":"HS256","typ":"JWT"}` {
		t.Errorf("HS256 header without kid: %s", h)
	}
}

func TestSignRefusesWhatItCannotDo(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := Sign(nil, SigningKey{Alg: "PS256", Key: ed}); err == nil {
		t.Error("PS256 signed")
	}
	if _, err := Sign(nil, SigningKey{Alg: "RS256", Key: ed}); err == nil || strings.Contains(err.Error(), "failed to") {
		t.Errorf("RS256 with an Ed25519 key: %v", err)
	}
	if _, err := JWKS(PublicJWK{Key: "not a key"}); err == nil {
		t.Error("published a string as a key")
	}
}
