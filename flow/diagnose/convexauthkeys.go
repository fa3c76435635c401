package diagnose

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

// publicKeyInJWKS reports whether a JWKS, as Convex Auth's JWKS variable
// holds it, publishes the public half of a PKCS#8 private key, as its
// JWT_PRIVATE_KEY holds it (the PEM with its line breaks turned into
// spaces: src/cli/generateKeys.ts of github.com/get-convex/convex-auth).
// why says what was found when it does not.
func publicKeyInJWKS(privatePEM, jwks string) (bool, string) {
	pub, err := rsaPublicOf(privatePEM)
	if err != nil {
		return false, "JWT_PRIVATE_KEY is not a PKCS#8 RSA private key (" + err.Error() + ")"
	}
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(jwks), &set); err != nil {
		return false, "JWKS is not a JSON Web Key Set (" + err.Error() + ")"
	}
	rsaKeys := 0
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		rsaKeys++
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 == nil && err2 == nil && new(big.Int).SetBytes(n).Cmp(pub.N) == 0 && new(big.Int).SetBytes(e).Int64() == int64(pub.E) {
			if len(set.Keys) > 1 {
				return false, fmt.Sprintf("JWKS holds the key among %d keys: tokens without kid need exactly one", len(set.Keys))
			}
			return true, ""
		}
	}
	return false, fmt.Sprintf("none of the %d RSA keys of JWKS is the public key of JWT_PRIVATE_KEY", rsaKeys)
}

// rsaPublicOf reads the public key of a PEM private key whose line breaks
// may have become spaces.
func rsaPublicOf(pem string) (*rsa.PublicKey, error) {
	body := pem
	if i := strings.Index(body, "-----BEGIN PRIVATE KEY-----"); i >= 0 {
		body = body[i+len("-----BEGIN PRIVATE KEY-----"):]
	}
	if i := strings.Index(body, "-----END PRIVATE KEY-----"); i >= 0 {
		body = body[:i]
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
	if err != nil {
		return nil, fmt.Errorf("not base64")
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("not PKCS#8")
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("not an RSA key")
	}
	return &rk.PublicKey, nil
}
