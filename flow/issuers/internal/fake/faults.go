package fake

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex/jose"
)

// Faults break an issuer's documents and tokens on purpose, one cause of
// isAuthenticated: false each. The zero value breaks nothing.
type Faults struct {
	// DiscoveryStatus and JWKSStatus, when 200–599 and not 200, answer the
	// document with that status and a one-line text/plain body.
	DiscoveryStatus int
	JWKSStatus      int
	// DiscoveryIssuer replaces the discovery document's issuer field.
	DiscoveryIssuer string
	// DiscoveryContentType and JWKSContentType replace the documents'
	// Content-Type (default application/json); "-" sends none.
	DiscoveryContentType string
	JWKSContentType      string
	// OmitKid leaves the kid out of token headers.
	OmitKid bool
	// ExtraAudience is added to aud on every token that has one.
	ExtraAudience string
	// OmitClaims removes these claims from every token, last.
	OmitClaims []string
	// TokenLifetime, when not 0, replaces exp − iat.
	TokenLifetime time.Duration
	// ClockOffset moves the issuer's clock: iat, nbf and exp shift by it.
	ClockOffset time.Duration
}

// Times are a new token's iat and exp under the faults: now moved by
// ClockOffset, and the issuer's lifetime unless TokenLifetime replaces it.
func (f Faults) Times(now time.Time, lifetime time.Duration) (iat, exp time.Time) {
	iat = now.Add(f.ClockOffset)
	if f.TokenLifetime != 0 {
		lifetime = f.TokenLifetime
	}
	return iat, iat.Add(lifetime)
}

// Mint signs claims with key, after the faults that change tokens: the
// extra audience, the omitted claims and the omitted kid. typ goes in the
// header when not empty.
func Mint(c Claims, key *Key, typ string, f Faults) (string, error) {
	if f.ExtraAudience != "" {
		switch aud, _ := c.Get("aud"); a := aud.(type) {
		case string:
			c = c.Set("aud", []string{a, f.ExtraAudience})
		case []string:
			c = c.Set("aud", append(slices.Clone(a), f.ExtraAudience))
		}
	}
	if len(f.OmitClaims) > 0 {
		c = c.Without(f.OmitClaims...)
	}
	payload, err := c.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("fake issuer: the claims do not encode: %w", err)
	}
	kid := key.Kid
	if f.OmitKid {
		kid = ""
	}
	return jose.Sign(payload, key.signing(kid, typ))
}

// FaultBox holds an issuer's faults, safe for concurrent use: scenarios
// change them while the issuer serves.
type FaultBox struct {
	mu sync.Mutex
	f  Faults
}

// Set replaces the faults.
func (b *FaultBox) Set(f Faults) {
	b.mu.Lock()
	b.f = f
	b.mu.Unlock()
}

// Get returns the faults in force.
func (b *FaultBox) Get() Faults {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.f
}
