package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
)

// providers explains a NoAuthProvider rejection (reference/convex.md §1.2):
// no providers, a config that was not pushed, or which side of the match
// failed (issuer or audience) and why.
func (d *diag) providers() *Finding {
	dep, known, source := d.deployment()
	local := d.st.App.LocalConfig
	localHas := local != nil && len(local.Providers) > 0
	if len(dep.Providers) == 0 {
		switch {
		case localHas && len(d.st.App.MissingEnv) > 0:
			return d.envUnsetPush(*local)
		case localHas:
			return d.notPushed(dep, known)
		}
		return d.noProviders(local)
	}

	idx, issuerOK := targetProvider(dep, d.tok.iss, d.tok.aud)
	p := dep.Providers[idx]
	m := convex.MatchProvider(p, d.tok.aud, d.tok.iss)
	// The local file would route this token while the deployment does not:
	// the deployment runs something else. Only meaningful when the
	// deployment's providers are known.
	localFixes := known && localHas && !sameProviders(*local, dep) && matchesAny(*local, d.tok)
	if !issuerOK {
		dom := issuerOf(p)
		switch {
		case looksUnset(dom, d.names.domainVar):
			return d.envUnsetDomain(p)
		case strings.Contains(dom, "/.well-known/"):
			return d.jwksAsDomain(p)
		case lookAlike(m.Domain, m.Issuer):
			return d.issuerMismatch(p, source)
		}
		// The instance shapes come before a local difference: the file
		// usually reads the domain from a variable whose local value
		// authscope derived from the key, so it differs whenever the
		// deployment's variable is wrong.
		ti, di := instanceType(d.tok.iss), instanceType(dom)
		switch {
		case ti != "" && di != "" && ti != di:
			return d.devVsProd(p, ti, di)
		case ti == clerk.InstanceDevelopment && di == clerk.InstanceDevelopment:
			return d.otherInstance(p)
		case localFixes:
			return d.notPushed(dep, known)
		}
		return d.issuerMismatch(p, source)
	}
	if !m.AudienceOK {
		if localFixes {
			return d.notPushed(dep, known)
		}
		return d.audience(p)
	}
	// The provider authscope knows matches the token, yet the deployment
	// found none: it runs another config (hidden when it redacts).
	return d.notPushed(dep, known)
}

// targetProvider picks the provider the token was meant for: the first
// whose issuer matches, else the first OIDC provider, else the first.
func targetProvider(cfg convex.AuthConfig, iss string, aud []string) (int, bool) {
	for i, p := range cfg.Providers {
		if convex.MatchProvider(p, aud, iss).IssuerOK {
			return i, true
		}
	}
	for i, p := range cfg.Providers {
		if p.Kind == convex.KindOIDC {
			return i, false
		}
	}
	return 0, false
}

func matchesAny(cfg convex.AuthConfig, t tokenFacts) bool {
	i, _ := convex.FindProvider(cfg, t.aud, t.iss)
	return i >= 0
}

// looksUnset reports whether a domain is what an unset or unexpanded
// variable leaves behind: empty, "undefined", "null", or the variable's
// own name or expression.
func looksUnset(dom, varName string) bool {
	s := strings.TrimSpace(dom)
	if strings.Contains(strings.ToLower(s), "process.env") || strings.Contains(s, "${") || (varName != "" && strings.Contains(s, varName)) {
		return true
	}
	for _, p := range []string{"https://", "http://"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.ToLower(strings.TrimRight(s, "/"))
	return s == "" || s == "undefined" || s == "null"
}

// rightIssuer is the domain the deployment should have: the token's iss
// when it has one (Clerk's iss is its Frontend API URL), else the
// publishable key's Frontend API URL.
func (d *diag) rightIssuer() string {
	if d.tok.iss != "" {
		return d.tok.iss
	}
	if k, err := clerk.ParsePublishableKey(d.st.App.PublishableKey); err == nil {
		return k.FrontendAPIURL()
	}
	return ""
}

func (d *diag) noProviders(local *convex.AuthConfig) *Finding {
	n := d.names
	f := d.finding(CauseNoProviders, "No auth provider is configured: convex/auth.config.ts lists none (Convex's templates ship the Clerk provider commented out)")
	f.compare("deployment providers", "the Clerk provider", "(none)")
	if local != nil {
		f.note("convex/auth.config.ts", describeProviders(*local))
	}
	f.Fix = fmt.Sprintf(`In convex/auth.config.ts, uncomment or add the Clerk provider: providers: [{ domain: process.env.%s, applicationID: "convex" }]. Set the variable on the deployment (%s), then run %s to push the file.`,
		n.domainVar, n.envSet(n.domainVar, d.rightIssuer()), n.push())
	f.Reference = "reference/convex.md §1.2 step 5, §4.1 step 3, §4.2; reference/clerk.md §4.6"
	return f
}

func (d *diag) notPushed(dep convex.AuthConfig, known bool) *Finding {
	n := d.names
	title := "The deployment runs other providers than convex/auth.config.ts: the file was not pushed"
	deployed := describeProviders(dep)
	switch {
	case !known:
		deployed = "(hidden: a production deployment redacts its provider list)"
	case len(dep.Providers) == 0:
		title = "convex/auth.config.ts has a provider but the deployment has none: the file was not pushed"
	}
	f := d.finding(CauseConfigNotPushed, title)
	local := "(unknown)"
	if d.st.App.LocalConfig != nil {
		local = describeProviders(*d.st.App.LocalConfig)
	}
	f.compare("deployment providers", local, deployed)
	run := "Run npx convex dev: it pushes convex/auth.config.ts to the dev deployment and keeps pushing while it runs."
	if n.prod {
		run = "Run npx convex deploy: it pushes convex/auth.config.ts to the production deployment."
	}
	f.Fix = fmt.Sprintf(`%s If the push stops with "Environment variable %s is used in auth config file but its value was not set", set it first: %s.`,
		run, n.domainVar, n.envSet(n.domainVar, d.rightIssuer()))
	f.Reference = "reference/convex.md §1.2 step 5, §4.1 step 3; reference/clerk.md §6"
	return f
}

// envUnsetPush is a local file that reads a variable the deployment does
// not have: the push fails, so the deployment keeps no providers.
func (d *diag) envUnsetPush(local convex.AuthConfig) *Finding {
	n := d.names
	name := d.st.App.MissingEnv[0]
	f := d.finding(CauseIssuerEnvUnset, name+" is not set on the deployment, so convex/auth.config.ts could not be pushed")
	f.note(n.push()+" stops with", "Environment variable "+name+" is used in auth config file but its value was not set")
	f.compare("deployment providers", describeProviders(local), "(none)")
	f.Fix = fmt.Sprintf(`Set the variable on the deployment to the Clerk Frontend API URL (the token's issuer): %s, then run %s. Clerk's docs call it CLERK_FRONTEND_API_URL; auth.config.ts must read the same name you set.`,
		n.envSet(name, d.rightIssuer()), n.push())
	f.Reference = "reference/convex.md §1.1; reference/clerk.md §4.6, §6"
	return f
}

// envUnsetDomain is a deployment whose domain is what an unset variable
// leaves behind.
func (d *diag) envUnsetDomain(p convex.Provider) *Finding {
	n := d.names
	name := n.domainVar
	if len(d.st.App.MissingEnv) > 0 {
		name = d.st.App.MissingEnv[0]
	}
	f := d.finding(CauseIssuerEnvUnset, fmt.Sprintf("The deployment's issuer domain is %q: %s was not set when the config was pushed", issuerOf(p), name))
	f.compare("domain", d.tok.iss, issuerOf(p))
	f.Fix = fmt.Sprintf(`Set the variable to the Clerk Frontend API URL: %s, then run %s.`, n.envSet(name, d.rightIssuer()), n.push())
	f.Reference = "reference/convex.md §1.1, §1.2 step 4; reference/clerk.md §4.6, §6"
	return f
}
