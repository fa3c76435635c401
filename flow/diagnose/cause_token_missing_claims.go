package diagnose

import (
	"fmt"
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// tokenMissingClaims finds token-missing-claims when the backend rejected
// a token for lacking sub, iat or exp. The OIDC path needs all three to
// parse the token at all, the customJwt path needs sub and exp, and the
// client needs iat and exp to schedule its refetch (authentication_manager.ts
// in convex-js), so an accepted token without them still breaks the session
// later (tokenMissingRefreshClaims).
func tokenMissingClaims(d *round) *Finding {
	if !d.failed(convexrules.ReasonOIDCParse, convexrules.ReasonMissingSubject, convexrules.ReasonMissingExpiry) || !d.tok.decoded {
		return nil
	}
	missing := d.missingClaimNames()
	if len(missing) == 0 {
		return nil
	}
	if d.replayReason(convexrules.ReasonMissingExpiry, convexrules.ReasonMissingSubject) {
		// customJwt: only sub and exp are the backend's business.
		if m := without(missing, "iat"); len(m) > 0 {
			missing = m
		}
	}
	return d.claimsFinding(missing, true)
}

// tokenMissingRefreshClaims finds, in any round with a token (customJwt
// needs no iat), what the client cannot schedule a refetch without.
func tokenMissingRefreshClaims(d *round) *Finding {
	if !d.tok.decoded || (d.tok.hasIat && d.tok.hasExp) {
		return nil
	}
	return d.claimsFinding(without(d.missingClaimNames(), "sub"), false)
}

func (d *round) missingClaimNames() []string {
	var missing []string
	if !d.tok.hasSub {
		missing = append(missing, "sub")
	}
	if !d.tok.hasIat {
		missing = append(missing, "iat")
	}
	if !d.tok.hasExp {
		missing = append(missing, "exp")
	}
	return missing
}

func (d *round) claimsFinding(missing []string, rejected bool) *Finding {
	list := strings.Join(missing, ", ")
	title := fmt.Sprintf("The token has no %s: the client cannot schedule its refresh", list)
	if rejected {
		title = fmt.Sprintf("The token has no %s: Convex cannot parse it and the client cannot schedule its refresh", list)
	}
	f := d.finding(title)
	for _, c := range missing {
		f.compare(c, "present", "")
	}
	if !d.tok.hasIat || !d.tok.hasExp {
		f.note("the client logs", ClientNoFields)
	}
	f.Fix = "Issue tokens with sub, iat and exp. Clerk always sets them (template claims cannot override them); a custom issuer or a proxy that rewrites tokens must keep them."
	if _, other := d.other(); other {
		f.Fix = "Issue tokens with sub, iat and exp; an issuer of your own, or a proxy that rewrites tokens, must set them."
	}
	return f
}

// without is list without drop.
func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}
