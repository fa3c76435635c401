package rules

import "strings"

// Provider matching (SPEC.md "Routing"; crates/common/src/auth.rs
// AuthInfo::matches_token).

// WithScheme is the token iss as matching compares it: "https://" is put
// in front unless it starts with "https://" or "http://" (case-sensitive).
func WithScheme(iss string) string {
	if strings.HasPrefix(iss, "https://") || strings.HasPrefix(iss, "http://") {
		return iss
	}
	return "https://" + iss
}

// providerDomain is the stored domain (OIDC) or issuer (customJwt).
func providerDomain(p Provider) string {
	if p.Kind == KindCustomJWT {
		return p.Issuer
	}
	return p.Domain
}

// providerAppID returns the applicationID the provider checks, if any.
// OIDC always has one; customJwt only when it was given.
func providerAppID(p Provider) (string, bool) {
	if p.Kind == KindCustomJWT {
		return p.ApplicationID, p.HasApplicationID
	}
	return p.ApplicationID, true
}

// MatchResult says why one provider did or did not match a token.
type MatchResult struct {
	Index int
	// AudienceOK is true when the provider checks no audience or aud contains it.
	AudienceOK bool
	// IssuerOK is true when the trimmed domain equals the trimmed iss-with-scheme.
	IssuerOK bool
	// Domain and Issuer are the two sides as compared (trailing '/' trimmed).
	Domain string
	Issuer string
}

// Matches reports whether both checks passed.
func (m MatchResult) Matches() bool { return m.AudienceOK && m.IssuerOK }

// MatchProvider is matches_token for one provider: the applicationID, if
// any, must be in aud (exact, case-sensitive), and the domain must equal
// the iss-with-scheme with trailing slashes trimmed on both sides. There
// is no other normalisation (no lowercasing, no default ports).
func MatchProvider(p Provider, aud []string, iss string) MatchResult {
	r := MatchResult{AudienceOK: true}
	if app, ok := providerAppID(p); ok {
		r.AudienceOK = false
		for _, a := range aud {
			if a == app {
				r.AudienceOK = true
				break
			}
		}
	}
	r.Domain = strings.TrimRight(providerDomain(p), "/")
	r.Issuer = strings.TrimRight(WithScheme(iss), "/")
	r.IssuerOK = r.Domain == r.Issuer
	return r
}

// FindProvider returns the index of the first matching provider (table
// order: the first match wins), or -1 and every provider's result so the
// caller can say why none matched.
func FindProvider(cfg AuthConfig, aud []string, iss string) (int, []MatchResult) {
	for i, p := range cfg.Providers {
		if MatchProvider(p, aud, iss).Matches() {
			return i, nil
		}
	}
	results := make([]MatchResult, len(cfg.Providers))
	for i, p := range cfg.Providers {
		results[i] = MatchProvider(p, aud, iss)
		results[i].Index = i
	}
	return -1, results
}

// noProviderError is A3 in the variant the config and redaction call for
// (SPEC.md "Routing", "Redaction").
func noProviderError(cfg AuthConfig, redact bool, detail string) *AuthError {
	msg := MsgNoProviderRedacted
	reason := ReasonNoProviderMatch
	switch {
	case redact:
		if len(cfg.Providers) == 0 {
			reason = ReasonNoProviders
		}
	case len(cfg.Providers) == 0:
		msg = MsgNoProvidersConfigured
		reason = ReasonNoProviders
	default:
		msg = MsgNoProviderList(cfg.Providers)
	}
	return newAuthError(CodeNoAuthProvider, msg, ClassUnauthenticated, reason, detail)
}
