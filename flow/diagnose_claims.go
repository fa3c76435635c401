package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/convex"
)

// Missing registered claims: the OIDC path needs sub, iat and exp to parse
// the token at all (reference/convex.md §1.3 step 3), the customJwt path
// needs sub and exp (§1.4 step 7), and the client needs iat and exp to
// schedule its refetch (§3.3 step 4).

func (d *diag) missingClaimNames() []string {
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

// missingClaims is the primary cause when the backend rejected a token for
// lacking sub, iat or exp.
func (d *diag) missingClaims() *Finding {
	if !d.tok.decoded {
		return nil
	}
	missing := d.missingClaimNames()
	if len(missing) == 0 {
		return nil
	}
	if d.replayReason(convex.ReasonMissingExpiry, convex.ReasonMissingSubject) {
		// customJwt: only sub and exp are the backend's business.
		var m []string
		for _, c := range missing {
			if c != "iat" {
				m = append(m, c)
			}
		}
		if len(m) > 0 {
			missing = m
		}
	}
	return d.claimsFinding(missing, true)
}

// refreshClaims is the cause for an accepted token (customJwt needs no
// iat) the client still cannot schedule a refetch for.
func (d *diag) refreshClaims() *Finding {
	if !d.tok.decoded || (d.tok.hasIat && d.tok.hasExp) {
		return nil
	}
	var missing []string
	for _, c := range d.missingClaimNames() {
		if c != "sub" {
			missing = append(missing, c)
		}
	}
	return d.claimsFinding(missing, false)
}

func (d *diag) claimsFinding(missing []string, rejected bool) *Finding {
	list := strings.Join(missing, ", ")
	title := fmt.Sprintf("The token has no %s: the client cannot schedule its refresh", list)
	if rejected {
		title = fmt.Sprintf("The token has no %s: Convex cannot parse it and the client cannot schedule its refresh", list)
	}
	f := d.finding(CauseMissingClaims, title)
	for _, c := range missing {
		f.compare(c, "present", "")
	}
	if !d.tok.hasIat || !d.tok.hasExp {
		f.note("the client logs", ClientNoFields)
	}
	f.Fix = "Issue tokens with sub, iat and exp. Clerk always sets them (template claims cannot override them); a custom issuer or a proxy that rewrites tokens must keep them."
	f.Reference = "reference/convex.md §1.3 step 3, §1.4 step 7, §3.3 step 4, §4.2 (custom JWT); reference/clerk.md §4.1"
	return f
}
