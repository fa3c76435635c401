package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// noProviders finds no-providers: convex/auth.config.ts lists no provider,
// so Convex accepts no token (Convex's templates ship the Clerk provider
// commented out). A round shows it as the deployment having none while the
// local file, if known, has none either; the project shows it as an empty
// providers list.
func noProviders(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	if !v.none() || v.localHas {
		return nil
	}
	n := d.names
	if info, other := d.other(); other {
		f := d.finding("No auth provider is configured: convex/auth.config.ts lists none")
		f.compare("deployment providers", "the "+info.Name+" provider", "(none)")
		f.Fix = fmt.Sprintf("In convex/auth.config.ts, add the provider of the %s guide: providers: [%s]; %s; then run %s to push the file.", info.Name, info.ConfigSnippet, info.ConfigSetup, n.push())
		return f
	}
	f := d.finding("No auth provider is configured: convex/auth.config.ts lists none (Convex's templates ship the Clerk provider commented out)")
	f.compare("deployment providers", "the Clerk provider", "(none)")
	if v.local != nil {
		f.note("convex/auth.config.ts", describeProviders(*v.local))
	}
	f.Fix = fmt.Sprintf(`In convex/auth.config.ts, uncomment or add the Clerk provider: providers: [{ domain: process.env.%s, applicationID: "convex" }]. Set the variable on the deployment (%s), then run %s to push the file.`,
		n.domainVar, n.envSet(n.domainVar, d.rightIssuer()), n.push())
	return f
}

func projectNoProviders(p *projectFacts) []Finding {
	if p.File == nil || len(p.File.Providers) > 0 {
		return nil
	}
	f := Finding{Title: fmt.Sprintf("No auth providers in %s", p.cfg)}
	f.compare("providers", "at least one", "[] (empty)")
	f.note("Convex answers", convexrules.MsgNoProvidersConfigured)
	f.note("useConvexAuth()", "stays isAuthenticated: false")
	snippet, setup := p.addProvider()
	f.Fix = fmt.Sprintf("Add the %s provider %s, %s, then run `npx convex dev` to push it.", p.Provider.Name, snippet, setup)
	return []Finding{f}
}
