package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// projectNoAuthConfig finds no-auth-config: the project has no
// convex/auth.config.ts, so the deployment has no auth providers and accepts
// no token.
func projectNoAuthConfig(p *projectFacts) []Finding {
	if p.AuthConfigPath != "" {
		return nil
	}
	f := Finding{Title: fmt.Sprintf("No %s: the deployment has no auth providers", p.cfg)}
	f.compare(p.cfg, "a file that exports providers", "(missing)")
	f.note("Convex answers", convexrules.MsgNoProvidersConfigured)
	f.note("useConvexAuth()", "stays isAuthenticated: false")
	snippet, setup := p.addProvider()
	f.Fix = fmt.Sprintf("Create %s:\n\nexport default {\n  providers: [%s],\n};\n\nthen %s, and run `npx convex dev`.", p.cfg, snippet, setup)
	return []Finding{f}
}
