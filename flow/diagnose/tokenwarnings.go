package diagnose

import (
	"fmt"
	"strings"
	"time"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// Warnings about a token read on its own, offline (authscope decode): what
// the backend or the Convex client will do with it, said before anything
// is sent. Each warning is the finding of a rule of the table, so it
// carries that rule's code and public docs link; the checks are the same
// facts the round rules read, only without a backend's answer.

// offlineToken is what the offline checks read: the round rules' facts
// and nbf, which no backend answer covers.
type offlineToken struct {
	tokenFacts
	nbf time.Time
}

// tokenCheck finds one rule's problem in a token alone.
type tokenCheck func(t offlineToken, p convexrules.Provider, now time.Time) *Finding

// tokenChecks maps rule codes to their offline check; TokenWarnings runs
// them in the table's order.
var tokenChecks = map[string]tokenCheck{
	CodeUnknownKid:              noKidOIDC,
	CodeOIDCAlgorithm:           algorithmOIDC,
	CodeMultipleAudiences:       severalAudiences,
	CodeTokenMissingClaims:      missingClaims,
	CodeTokenLifetimeTooShort:   shortLifetime,
	CodeTokenExpired:            expired,
	CodeTokenNotYetValid:        notYetValid,
	CodeCustomJWTMissingKid:     noKidCustomJWT,
	CodeCustomJWTWrongAlgorithm: algorithmCustomJWT,
}

// TokenWarnings reads a decoded token as the provider p would (an OIDC
// provider unless p says customJwt) at the local time now, and returns
// what will go wrong with it, in the rule table's order.
func TokenWarnings(tok *Token, p convexrules.Provider, now time.Time) []Finding {
	t := offlineToken{tokenFacts: readToken(tok), nbf: claimTime(tok, "nbf")}
	if !t.decoded {
		return nil
	}
	var out []Finding
	for _, r := range rules {
		check := tokenChecks[r.Code]
		if check == nil {
			continue
		}
		if f := check(t, p, now); f != nil {
			f.Code, f.Docs = r.Code, r.Docs
			out = append(out, *f)
		}
	}
	return out
}

func claimTime(tok *Token, name string) time.Time {
	for _, c := range tok.Claims {
		if c.Name == name {
			return c.Time
		}
	}
	return time.Time{}
}

func isCustomJWT(p convexrules.Provider) bool { return p.Kind == convexrules.KindCustomJWT }

// noKidOIDC: the OIDC verifier takes any fitting key when the token names
// none, and needs exactly one (rules SPEC.md "OIDC path", step 6).
func noKidOIDC(t offlineToken, p convexrules.Provider, _ time.Time) *Finding {
	if t.hasKid || isCustomJWT(p) {
		return nil
	}
	f := &Finding{Title: "The header has no kid: Convex's OIDC path then needs exactly one key of the issuer's JWKS to fit, and fails once the issuer publishes a second (a key rotation)"}
	f.compare("kid", "the kid of the issuer's signing key", "")
	f.Fix = "Have the issuer put a kid header in every token (Clerk always does; a token without one was made or rewritten elsewhere)."
	return f
}

func noKidCustomJWT(t offlineToken, p convexrules.Provider, _ time.Time) *Finding {
	if t.hasKid || !isCustomJWT(p) {
		return nil
	}
	f := &Finding{Title: "The header has no kid: the customJwt path picks the JWKS key by kid and refuses the token"}
	f.compare("kid", "a kid from "+orDefault(p.JWKS, "the provider's JWKS"), "")
	f.Fix = "Make the issuer put a kid header in every token, equal to the kid of its key in the provider's JWKS."
	return f
}

// algorithmOIDC: the OIDC path allows RS256 and EdDSA only.
func algorithmOIDC(t offlineToken, p convexrules.Provider, _ time.Time) *Finding {
	if isCustomJWT(p) || t.alg == "RS256" || t.alg == "EdDSA" {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("The token is signed with %s, which Convex's OIDC path refuses (RS256 and EdDSA only)", orDefault(t.alg, "no alg"))}
	f.compare("alg", "RS256 or EdDSA", t.alg)
	f.Fix = `Sign with the issuer's RS256 key (in Clerk: remove the custom signing key from the JWT template), or check the token with a customJwt provider configured for its algorithm.`
	return f
}

func algorithmCustomJWT(t offlineToken, p convexrules.Provider, _ time.Time) *Finding {
	if !isCustomJWT(p) || p.Algorithm == "" || t.alg == p.Algorithm {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("The token is signed with %s but the customJwt provider is configured for %s", orDefault(t.alg, "no alg"), p.Algorithm)}
	f.compare("algorithm", p.Algorithm, t.alg)
	f.Fix = fmt.Sprintf("Set algorithm: %q in the customJwt provider of convex/auth.config.ts, or sign with %s.", t.alg, p.Algorithm)
	return f
}

// severalAudiences: the OIDC verifier rejects any audience besides the
// applicationID.
func severalAudiences(t offlineToken, p convexrules.Provider, _ time.Time) *Finding {
	if isCustomJWT(p) || len(t.aud) < 2 {
		return nil
	}
	f := &Finding{Title: "The token names several audiences; Convex's OIDC verifier rejects any audience besides the applicationID"}
	f.compare("aud", orDefault(p.ApplicationID, "convex"), t.audText())
	f.Fix = `Issue the token for one audience: set the "aud" claim to the string "convex" (the applicationID), not a list.`
	return f
}

// missingClaims: the OIDC path parses no token without sub, iat and exp;
// the customJwt path needs sub and exp; the client needs iat and exp.
func missingClaims(t offlineToken, _ convexrules.Provider, _ time.Time) *Finding {
	var missing []string
	for _, c := range []struct {
		name string
		has  bool
	}{{"iss", t.hasIss}, {"sub", t.hasSub}, {"iat", t.hasIat}, {"exp", t.hasExp}} {
		if !c.has {
			missing = append(missing, c.name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("The token has no %s: Convex cannot route or parse it, or the client cannot schedule its refresh", strings.Join(missing, ", "))}
	for _, c := range missing {
		f.compare(c, "present", "")
	}
	if !t.hasIat || !t.hasExp {
		f.note("the client logs", ClientNoFields)
	}
	f.Fix = "Issue tokens with iss, sub, iat and exp. Clerk always sets them; a custom issuer or a proxy that rewrites tokens must keep them."
	return f
}

// shortLifetime: under the client's leeway the client refetches at once,
// in a loop, or (at 2 s or less) never.
func shortLifetime(t offlineToken, _ convexrules.Provider, _ time.Time) *Finding {
	if !t.hasIat || !t.hasExp || t.iat.IsZero() || t.exp.IsZero() {
		return nil
	}
	life := t.exp.Sub(t.iat)
	if life >= ConvexRefreshLeeway {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("The token lives %s, less than the Convex client's %s refresh leeway", human(life), ConvexRefreshLeeway)}
	f.compare("exp − iat", "at least "+ConvexRefreshLeeway.String(), human(life))
	if _, _, why := RefetchDelay(t.iat, t.exp, ConvexRefreshLeeway); why != "" {
		f.note("the client logs", why)
	}
	f.Fix = "Issue tokens that live well over 10 s: in the Clerk dashboard, JWT templates → convex → Token lifetime (default 60 s)."
	return f
}

// expired: the OIDC path allows no leeway on exp, the customJwt path 5 s.
func expired(t offlineToken, p convexrules.Provider, now time.Time) *Finding {
	leeway := time.Duration(0)
	if isCustomJWT(p) {
		leeway = 5 * time.Second
	}
	if !t.hasExp || t.exp.IsZero() || now.Before(t.exp.Add(leeway)) {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("The token expired %s ago: the backend refuses it", now.Sub(t.exp).Round(time.Second))}
	f.compare("exp", "after "+stamp(now)+" (now)", stamp(t.exp))
	f.Fix = "Use a fresh token: copy it again (Clerk's tokens live 60 s), or let authscope sign in and fetch one."
	return f
}

// notYetValid: the customJwt path refuses nbf or iat more than 5 s ahead;
// the OIDC path checks neither, but a token from the future says a clock
// is off.
func notYetValid(t offlineToken, p convexrules.Provider, now time.Time) *Finding {
	const leeway = 5 * time.Second
	name, at := "nbf", t.nbf
	if at.IsZero() || !at.After(now.Add(leeway)) {
		name, at = "iat", t.iat
	}
	if at.IsZero() || !at.After(now.Add(leeway)) {
		return nil
	}
	title := fmt.Sprintf("The token's %s is %s in the future: a customJwt provider refuses it until then", name, at.Sub(now).Round(time.Second))
	if !isCustomJWT(p) {
		title = fmt.Sprintf("The token's %s is %s in the future: the OIDC path does not check it, but this machine's clock or the issuer's is off", name, at.Sub(now).Round(time.Second))
	}
	f := &Finding{Title: title}
	f.compare(name, "at or before "+stamp(now)+" (now)", stamp(at))
	f.Fix = "Set this machine's clock (and the issuer's) from the network (NTP)."
	return f
}
