package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// issuerEnvUnset finds issuer-env-unset: the variable auth.config.ts reads
// for the domain is not set on the deployment. Either the push fails (Convex
// refuses to evaluate the file, so the deployment keeps no providers), or
// the deployment holds what an unset or unexpanded variable leaves behind.
func issuerEnvUnset(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	switch {
	case v.none() && v.localHas && len(d.App.MissingEnv) > 0:
		return d.envUnsetPush(*v.local)
	case v.issuerFails() && looksUnset(v.domain(), d.names.domainVar):
		return d.envUnsetDomain(v.domain())
	}
	return nil
}

// envUnsetPush is a local file that reads a variable the deployment does
// not have: the push fails, so the deployment keeps no providers.
func (d *round) envUnsetPush(local convexrules.AuthConfig) *Finding {
	n := d.names
	name := d.App.MissingEnv[0]
	f := d.finding(name + " is not set on the deployment, so convex/auth.config.ts could not be pushed")
	f.note(n.push()+" stops with", missingEnvMessage(name))
	f.compare("deployment providers", describeProviders(local), "(none)")
	f.Fix = fmt.Sprintf(`Set the variable on the deployment to the Clerk Frontend API URL (the token's issuer): %s, then run %s. Clerk's docs call it CLERK_FRONTEND_API_URL; auth.config.ts must read the same name you set.`,
		n.envSet(name, d.rightIssuer()), n.push())
	return f
}

// envUnsetDomain is a deployment whose domain is what an unset variable
// leaves behind.
func (d *round) envUnsetDomain(dom string) *Finding {
	n := d.names
	name := n.domainVar
	if len(d.App.MissingEnv) > 0 {
		name = d.App.MissingEnv[0]
	}
	f := d.finding(fmt.Sprintf("The deployment's issuer domain is %q: %s was not set when the config was pushed", dom, name))
	f.compare("domain", d.tok.iss, dom)
	f.Fix = fmt.Sprintf(`Set the variable to the Clerk Frontend API URL: %s, then run %s.`, n.envSet(name, d.rightIssuer()), n.push())
	return f
}

// missingEnvMessage is Convex's error when auth.config.ts reads a variable
// the deployment does not have (AuthConfigMissingEnvironmentVariable).
func missingEnvMessage(name string) string {
	return "Environment variable " + name + " is used in auth config file but its value was not set"
}
