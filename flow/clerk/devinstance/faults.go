package devinstance

import (
	"net/http"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// Faults break the dev instance on purpose, one cause of
// isAuthenticated: false each. The zero value breaks nothing.
type Faults struct {
	// DiscoveryStatus, when 200–599 and not 200, answers the discovery
	// document with that status and a one-line text/plain body instead.
	DiscoveryStatus int
	// JWKSStatus does the same for the JWKS.
	JWKSStatus int
	// DiscoveryIssuer replaces the "issuer" field of the discovery document
	// (for example Issuer()+"/"), so it no longer equals the tokens' iss.
	DiscoveryIssuer string
	// DiscoveryContentType and JWKSContentType replace the Content-Type of
	// the two documents (default "application/json"); "-" sends none.
	DiscoveryContentType string
	JWKSContentType      string
	// WellKnownDelay delays both documents, for timeout and timing demos
	// (at most 25 s, inside the server's write timeout).
	WellKnownDelay time.Duration
	// ExtraAudience is appended to aud on every token that has an aud
	// ("convex" becomes ["convex", ExtraAudience]); Convex refuses several
	// audiences. Tokens without aud are left alone.
	ExtraAudience string
	// OmitClaims removes these claims from every token, after everything
	// else ("sub", "iat", "exp", …).
	OmitClaims []string
	// TokenLifetime, when not 0, replaces exp − iat of every token; it may
	// be negative to mint tokens that are already expired.
	TokenLifetime time.Duration
	// ClockOffset skews the instance's clock: iat, nbf and exp are shifted
	// by it (a negative offset mints tokens that look old).
	ClockOffset time.Duration
	// SignWithUnpublishedKey signs RS256 tokens with a key whose kid is not
	// in the JWKS, as after a rotation the verifier has not seen.
	SignWithUnpublishedKey bool
	// OmitKid leaves the kid header out.
	OmitKid bool
	// IssuerOverride replaces the iss claim of every token (the discovery
	// document keeps Issuer()).
	IssuerOverride string
	// EnvironmentStatus, when 400–599, answers the environment with that
	// status and a ClerkErrors body: ClerkJS then loads "degraded", without
	// a sign-in URL.
	EnvironmentStatus int
	// TokenStatus, when 400–599, answers every token request with that
	// status and a ClerkErrors body (ClerkJS retries 5xx and 429 with
	// back-off for minutes).
	TokenStatus int
	// SignInURL replaces the environment's display_config.sign_in_url.
	SignInURL string
}

// failing reports whether a fault status asks for an error answer.
func failing(status int) bool { return status >= 400 && status <= 599 }

// faultError is the body of an answer a fault status forces.
func faultError(status int) clerk.APIError {
	return clerk.APIError{Message: "demo fault", LongMessage: "The demo instance answers " + http.StatusText(status) +
		" here on purpose (a fault of the scenario or the test).", Code: CodeInternal}
}

// SetFaults replaces the faults. Safe for concurrent use.
func (d *Instance) SetFaults(f Faults) {
	if f.SignWithUnpublishedKey {
		d.ensureUnpublishedKey()
	}
	d.mu.Lock()
	d.faults = copyFaults(f)
	d.mu.Unlock()
}

// Faults returns the current faults.
func (d *Instance) Faults() Faults {
	d.mu.Lock()
	defer d.mu.Unlock()
	return copyFaults(d.faults)
}

func copyFaults(f Faults) Faults {
	f.OmitClaims = append([]string(nil), f.OmitClaims...)
	return f
}
