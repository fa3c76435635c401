package jose

import (
	"crypto"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// verifiers are jwx's verifiers for the algorithms the backend accepts on
// either path (SPEC.md "Algorithms"); they hold no state.
var verifiers = func() map[string]jws.Verifier {
	m := map[string]jws.Verifier{}
	for _, alg := range []jwa.SignatureAlgorithm{jwa.RS256, jwa.ES256, jwa.EdDSA} {
		v, err := jws.NewVerifier(alg)
		if err != nil {
			panic("jwx has no verifier for " + alg.String())
		}
		m[alg.String()] = v
	}
	return m
}()

// Verify checks sig over the token's exact signing input (its first two
// parts as sent, SPEC.md "Verification") with key, for RS256, ES256 or
// EdDSA. Which algorithm a path allows and which key it selects is the
// caller's decision; Verify only answers whether the signature holds.
func Verify(alg string, key crypto.PublicKey, signingInput string, sig []byte) bool {
	v, ok := verifiers[alg]
	if !ok || key == nil {
		return false
	}
	return v.Verify([]byte(signingInput), sig, key) == nil
}
