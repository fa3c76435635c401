package flow

import (
	"github.com/authscope/authscope/flow/convex"
)

// Cause codes: the stable names of the causes the diagnosis reports. The
// TUI, the JSON report, the README and the demo scenarios use them.
const (
	// Server configuration (convex/auth.config.ts and the deployment).
	CauseNoProviders     = "no-providers"
	CauseConfigNotPushed = "config-not-pushed"
	CauseIssuerEnvUnset  = "issuer-env-unset"
	// Issuer mismatch and its sub-causes.
	CauseIssuerDevVsProd  = "issuer-dev-vs-prod"
	CauseIssuerJWKSURL    = "issuer-is-jwks-url"
	CauseKeyOtherInstance = "publishable-key-other-instance"
	CauseIssuerMismatch   = "issuer-mismatch"
	// Audience mismatch.
	CauseApplicationIDTypo = "application-id-typo"
	CauseAudienceMismatch  = "audience-mismatch"
	// The client side: no token, or no backend.
	CauseNoConvexToken      = "integration-off-no-template"
	CauseTokenFetchFailed   = "token-fetch-failed"
	CauseClientWiring       = "client-wiring"
	CauseProductionKey      = "production-key-on-loopback"
	CauseBackendUnreachable = "backend-unreachable"
	// Time.
	CauseTokenExpired     = "token-expired"
	CauseTokenNotYetValid = "token-not-yet-valid"
	CauseLocalClockSkew   = "local-clock-skew"
	CauseShortLifetime    = "token-lifetime-too-short"
	CauseMissingClaims    = "token-missing-claims"
	// Discovery, keys and algorithms on the OIDC path.
	CauseDiscoveryFailed      = "discovery-failed"
	CauseDiscoveryUnreachable = "discovery-unreachable"
	CauseDiscoveryIssuer      = "discovery-issuer-mismatch"
	CauseUnknownKid           = "unknown-kid"
	CauseJWKSCacheStale       = "jwks-cache-stale"
	CauseOIDCAlgorithm        = "oidc-algorithm"
	CauseMultipleAudiences    = "multiple-audiences"
	CauseSignature            = "signature-invalid"
	// The customJwt path.
	CauseCustomJWTMissingKid  = "custom-jwt-missing-kid"
	CauseCustomJWTAlgorithm   = "custom-jwt-wrong-algorithm"
	CauseCustomJWTContentType = "custom-jwt-jwks-content-type"
	CauseCustomJWTJWKS        = "custom-jwt-jwks-failed"
	// When the replay and the backend disagree, and the last resort.
	CauseBackendDisagrees = "backend-disagrees"
	CauseTokenRejected    = "token-rejected"
)

// CauseCodes lists every cause code, in the order the README lists them.
var CauseCodes = []string{
	CauseProductionKey, CauseNoConvexToken, CauseTokenFetchFailed, CauseClientWiring, CauseBackendUnreachable,
	CauseNoProviders, CauseConfigNotPushed, CauseIssuerEnvUnset,
	CauseIssuerDevVsProd, CauseIssuerJWKSURL, CauseKeyOtherInstance, CauseIssuerMismatch,
	CauseApplicationIDTypo, CauseAudienceMismatch,
	CauseDiscoveryUnreachable, CauseDiscoveryFailed, CauseDiscoveryIssuer,
	CauseUnknownKid, CauseJWKSCacheStale, CauseOIDCAlgorithm, CauseMultipleAudiences, CauseSignature,
	CauseTokenExpired, CauseTokenNotYetValid, CauseLocalClockSkew, CauseShortLifetime, CauseMissingClaims,
	CauseCustomJWTMissingKid, CauseCustomJWTAlgorithm, CauseCustomJWTContentType, CauseCustomJWTJWKS,
	CauseBackendDisagrees, CauseTokenRejected,
}

// Diagnose names the causes of a round from what it observed and from the
// replayed Convex rules: for a rejected round, the one cause that stopped
// the backend (it stops at the first failing check); for any round, the
// problems that break the client's token refresh later. A healthy round
// gives nil. No cause is reported twice.
func Diagnose(st *RoundState) []Finding {
	if st == nil {
		return nil
	}
	d := newDiag(st)
	var out []Finding
	seen := map[string]bool{}
	add := func(f *Finding) {
		if f == nil || seen[f.Code] {
			return
		}
		seen[f.Code] = true
		out = append(out, *f)
	}
	switch {
	case st.SignInErr != nil:
		// Steps 1–4 explain most sign-in failures themselves; a refused
		// production key is the one that needs a cause.
		add(d.productionKey())
		return out
	case st.Fetch.Token == "":
		add(d.nullToken())
		return out
	}
	accepted := st.SendErr == nil && st.Outcome != nil && st.Outcome.Accepted
	if !accepted {
		add(d.rejection())
	}
	// Whatever the verdict, a token the client cannot schedule a refetch
	// for breaks the session later (reference/convex.md §3.3 step 4).
	add(d.refreshClaims())
	add(d.shortLifetime())
	if accepted {
		add(d.replayClockSkew())
	}
	return out
}

// rejection explains why the backend did not accept a token.
func (d *diag) rejection() *Finding {
	st := d.st
	if st.SendErr != nil || st.Outcome == nil {
		return d.backendUnreachable()
	}
	switch {
	case d.noProviderMessage() || (d.msg == "" && d.replayReason(convex.ReasonNoProviders, convex.ReasonNoProviderMatch)):
		return d.providers()
	case d.discoveryFailure():
		return d.discovery()
	}
	if st.Replay == nil || st.Replay.Err == nil {
		return d.replayAccepts()
	}
	if d.msg != "" && d.replayReason(convex.ReasonNoProviders, convex.ReasonNoProviderMatch) {
		// The deployment matched a provider that the config authscope
		// replayed with has not: that config is not what is deployed.
		return d.otherConfig()
	}
	if f := d.byReason(st.Replay.Err); f != nil {
		return f
	}
	return d.tokenRejected()
}

// byReason maps the replay's precise failing check to its cause.
func (d *diag) byReason(e *convex.AuthError) *Finding {
	custom := d.customJWT()
	switch e.Reason {
	case convex.ReasonAlgorithm:
		if custom {
			return d.customAlgorithm()
		}
		return d.oidcAlgorithm()
	case convex.ReasonMultipleAudiences:
		return d.multipleAudiences()
	case convex.ReasonNoMatchingKey, convex.ReasonUnknownKid:
		return d.unknownKid()
	case convex.ReasonMissingKid:
		return d.customMissingKid()
	case convex.ReasonJWKSContentType:
		if custom {
			return d.customContentType()
		}
	case convex.ReasonJWKSTransport, convex.ReasonJWKSStatus, convex.ReasonJWKSParse, convex.ReasonJWKSDataURL, convex.ReasonJWKSURLInvalid:
		if custom {
			return d.customJWKS()
		}
	case convex.ReasonExpired, convex.ReasonIdentityExpired:
		return d.expired()
	case convex.ReasonNotYetValid:
		return d.notYetValid()
	case convex.ReasonOIDCParse, convex.ReasonMissingSubject, convex.ReasonMissingExpiry:
		if f := d.missingClaims(); f != nil {
			return f
		}
	case convex.ReasonSignature:
		return d.signature()
	}
	return nil
}
