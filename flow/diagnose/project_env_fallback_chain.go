package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/untrusted"
)

// projectEnvFallbackChain finds env-fallback-chain: a provider field falls
// back between variables (|| or ??). Convex evaluates auth.config.ts with
// the deployment's variables and reading one that is not set there fails the
// push, so the first variable read must be set and a fallback after it never
// applies.
func projectEnvFallbackChain(p *projectFacts, fld project.FieldInfo) *Finding {
	if fld.Op == "" || len(fld.Reads) == 0 {
		return nil
	}
	return &Finding{Title: fmt.Sprintf("%s falls back between values (%s)", fld.Key, fld.Pos.Where()),
		Evidence: []Comparison{fact(fld.Key, untrusted.Text(fld.Expr, 160)),
			fact("Convex", "evaluates auth.config.ts with the deployment's variables and reading one that is not set there fails the push "+
				"(\"Environment variable NAME is used in auth config file but its value was not set\"), so the first variable read must be set on the deployment and a fallback after it never applies")},
		Fix: fmt.Sprintf("Read one variable, e.g. %s: process.env.CLERK_JWT_ISSUER_DOMAIN!, and set it on the deployment.", fld.Key)}
}
