package project

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/untrusted"
)

// Finding is one static cross-check of the project: something that will (or
// may) make isAuthenticated false, found without running anything.
type Finding struct {
	// Code is stable: the TUI, the JSON report and tests use it.
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
	Fix      string   `json:"fix,omitempty"`
}

// Severity says how sure a finding is to break authentication.
type Severity string

// Severities.
const (
	// SeverityError breaks authentication (or the push) for certain.
	SeverityError Severity = "error"
	// SeverityWarning may break it, or weakens it.
	SeverityWarning Severity = "warning"
	// SeverityInfo is worth knowing and breaks nothing.
	SeverityInfo Severity = "info"
)

// Finding codes.
const (
	CodeNoAuthConfig           = "no_auth_config"
	CodeAuthConfigUnparseable  = "auth_config_unparseable"
	CodeNoProviders            = "no_providers"
	CodeProviderCommentedOut   = "provider_commented_out"
	CodeConfigRejected         = "config_rejected"
	CodeEnvUnknown             = "env_unknown"
	CodeEnvFromLocalFile       = "env_from_local_file"
	CodeEnvFallback            = "env_fallback_chain"
	CodeDomainIsJWKSURL        = "domain_is_jwks_url"
	CodeDomainTrailingSlash    = "domain_trailing_slash"
	CodeKeyInstanceMismatch    = "key_instance_mismatch"
	CodeProductionKey          = "production_key"
	CodeCustomJWTNoAudience    = "custom_jwt_no_application_id"
	CodeProviderShadowed       = "provider_shadowed"
	CodeApplicationIDNotConvex = "application_id_not_convex"
	CodeNoPublishableKey       = "no_publishable_key"
	CodePublishableKeyInvalid  = "publishable_key_invalid"
	CodeNoDeploymentURL        = "no_deployment_url"
	CodePackageJSONUnreadable  = "package_json_unreadable"
)

// HasFinding reports whether the project has a finding with code.
func (p *Project) HasFinding(code string) bool {
	for _, f := range p.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// q shows a value from the project in a message: escaped and cut, in quotes.
func q(s string) string { return `"` + untrusted.Text(s, 120) + `"` }

// clerkProviderSnippet is the provider of the Convex Clerk guide.
const clerkProviderSnippet = `{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" }`

func (p *Project) findings(pkgErr error) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	cfg := p.AuthConfigName()
	issuerHint := "https://<your Clerk Frontend API host>"
	if p.Key != nil {
		issuerHint = p.Key.FrontendAPIURL()
	}
	setIssuer := p.SetEnvCommand("CLERK_JWT_ISSUER_DOMAIN", issuerHint)

	var perr *ParseError
	switch {
	case p.AuthConfigPath == "":
		add(Finding{Code: CodeNoAuthConfig, Severity: SeverityError,
			Title: fmt.Sprintf("No %s: the deployment has no auth providers", cfg),
			Detail: "Without an auth config Convex accepts no token; the backend answers \"No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.\" " +
				"and useConvexAuth() stays isAuthenticated: false.",
			Fix: fmt.Sprintf("Create %s:\n\nexport default {\n  providers: [%s],\n};\n\nthen run `%s` and `npx convex dev`.", cfg, clerkProviderSnippet, setIssuer)})
	case errors.As(p.ConfigErr, &perr):
		add(Finding{Code: CodeAuthConfigUnparseable, Severity: SeverityError,
			Title:  fmt.Sprintf("authscope cannot read %s (line %d)", cfg, perr.Pos.Line),
			Detail: perr.Error() + ". authscope reads the providers without running the file and does not guess what code computes.",
			Fix:    "Write each provider value as a string literal or process.env.NAME (as the Convex and Clerk guides do), or check against the real deployment, which runs the file itself."})
	}

	if p.File != nil {
		if len(p.File.Providers) == 0 {
			add(Finding{Code: CodeNoProviders, Severity: SeverityError,
				Title: fmt.Sprintf("No auth providers in %s", cfg),
				Detail: "The providers list is empty, so Convex rejects every token with \"No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.\" " +
					"and useConvexAuth() stays isAuthenticated: false.",
				Fix: fmt.Sprintf("Add the Clerk provider %s, run `%s`, then `npx convex dev` to push it.", clerkProviderSnippet, setIssuer)})
			if len(p.CommentedOut) > 0 {
				c := p.CommentedOut[0]
				lines := fmt.Sprintf("line %d", c.Pos.Line)
				if c.EndLine > c.Pos.Line {
					lines = fmt.Sprintf("lines %d–%d", c.Pos.Line, c.EndLine)
				}
				more := ""
				if n := len(p.CommentedOut) - 1; n > 0 {
					more = fmt.Sprintf("\n\n(%d more commented-out provider(s) follow.)", n)
				}
				add(Finding{Code: CodeProviderCommentedOut, Severity: SeverityError,
					Title: fmt.Sprintf("The provider in %s is commented out (line %d)", cfg, c.Pos.Line),
					Detail: fmt.Sprintf("%s of %s hold a provider inside a comment, as the Convex templates ship it until Clerk is set up:\n\n%s%s",
						capitalize(lines), cfg, untrusted.Cut(untrusted.Escape(c.Text, true), 2000), more),
					Fix: fmt.Sprintf("Uncomment the provider (%s), run `%s`, then `npx convex dev` to push it.", lines, setIssuer)})
			}
		}
	}

	var unres *UnresolvedError
	var pushErr error
	if p.ConfigErr != nil && !errors.As(p.ConfigErr, &perr) && !errors.As(p.ConfigErr, &unres) {
		pushErr = p.ConfigErr
	}
	if pushErr != nil {
		add(Finding{Code: CodeConfigRejected, Severity: SeverityError,
			Title:  "Convex would refuse to push this auth config",
			Detail: untrusted.Text(pushErr.Error(), 400),
			Fix:    fmt.Sprintf("Correct %s as the message says, then run `npx convex dev`.", cfg)})
	}

	out = append(out, p.envFindings(cfg)...)
	out = append(out, p.providerFindings(cfg)...)
	out = append(out, p.keyFindings()...)

	if _, ok := p.DeploymentURL.Effective(); !ok {
		add(Finding{Code: CodeNoDeploymentURL, Severity: SeverityWarning,
			Title:  "No Convex deployment URL found",
			Detail: fmt.Sprintf("Looked for %s and CONVEX_DEPLOYMENT in --env, the environment, %s.", strings.Join(uniq(p.Framework.ConvexURLVar, "CONVEX_URL", "VITE_CONVEX_URL", "NEXT_PUBLIC_CONVEX_URL"), ", "), strings.Join(envFiles, " and ")),
			Fix:    fmt.Sprintf("Run `npx convex dev` in the project: it writes CONVEX_DEPLOYMENT and %s to %s.", p.Framework.ConvexURLVar, p.Framework.EnvFile)})
	}
	if pkgErr != nil {
		add(Finding{Code: CodePackageJSONUnreadable, Severity: SeverityInfo,
			Title:  "package.json could not be read; the framework is unknown",
			Detail: untrusted.Text(pkgErr.Error(), 200)})
	}
	// Names from the project (variables, paths) reach the texts too; one
	// last pass makes every finding safe for a terminal. Escaping is
	// idempotent, so values escaped above are unchanged.
	for i := range out {
		out[i].Title = untrusted.Escape(out[i].Title, false)
		out[i].Detail = untrusted.Escape(out[i].Detail, true)
		out[i].Fix = untrusted.Escape(out[i].Fix, true)
	}
	return out
}

// envFindings covers variables auth.config.ts reads.
func (p *Project) envFindings(cfg string) []Finding {
	var out []Finding
	reported := map[string]bool{}
	for _, prov := range p.Providers {
		for _, f := range prov.Fields {
			if f.Op != "" && len(f.Reads) > 0 {
				out = append(out, Finding{Code: CodeEnvFallback, Severity: SeverityWarning,
					Title: fmt.Sprintf("%s falls back between values (%s:%d)", f.Key, cfg, f.Pos.Line),
					Detail: fmt.Sprintf("%s is %s. Convex evaluates auth.config.ts with the deployment's variables and reading one that is not set there fails the push "+
						"(\"Environment variable NAME is used in auth config file but its value was not set\"), so the first variable read must be set on the deployment and a fallback after it never applies.",
						f.Key, untrusted.Text(f.Expr, 160)),
					Fix: fmt.Sprintf("Read one variable, e.g. %s: process.env.CLERK_JWT_ISSUER_DOMAIN!, and set it on the deployment.", f.Key)})
			}
			for _, r := range f.Reads {
				if reported[r.Name] {
					continue
				}
				reported[r.Name] = true
				where := fmt.Sprintf("%s:%d reads process.env.%s for %s.", cfg, f.Pos.Line, r.Name, f.Key)
				switch {
				case !r.Known && r.Derived != "":
					out = append(out, Finding{Code: CodeEnvUnknown, Severity: SeverityWarning,
						Title: fmt.Sprintf("%s is set on the Convex deployment, not locally; it must be %s", r.Name, untrusted.Text(r.Derived, 120)),
						Detail: where + " Convex reads it from the deployment's environment variables, which authscope cannot see. " +
							fmt.Sprintf("For %s it must be %s, and authscope assumes that value. ", r.DerivedFrom, q(r.Derived)) +
							fmt.Sprintf("If it is not set, `npx convex dev` fails with \"Environment variable %s is used in auth config file but its value was not set\".", r.Name),
						Fix: fmt.Sprintf("Check it with `npx convex env get %s`; set it with `%s`. To check another value, pass --env %s=<value>.", r.Name, p.SetEnvCommand(r.Name, r.Derived), r.Name)})
				case !r.Known:
					out = append(out, Finding{Code: CodeEnvUnknown, Severity: SeverityWarning,
						Title: fmt.Sprintf("%s is set on the Convex deployment, not locally; its value is unknown", r.Name),
						Detail: where + " Convex reads it from the deployment's environment variables, which authscope cannot see, and nothing local says what it must be, " +
							"so the configuration cannot be replayed.",
						Fix: fmt.Sprintf("Pass the deployment's value with --env %s=<value> (see `npx convex env get %s`).", r.Name, r.Name)})
				case fromFile(r):
					out = append(out, Finding{Code: CodeEnvFromLocalFile, Severity: SeverityInfo,
						Title: fmt.Sprintf("%s is taken from %s; Convex uses the deployment's value", r.Name, r.Source),
						Detail: where + fmt.Sprintf(" Convex does not read %s for the auth config: it uses the variables set on the deployment. authscope used the local value %s; the deployment may hold another.",
							strings.SplitN(r.Source, string(':'), 2)[0], q(r.Value)),
						Fix: fmt.Sprintf("Compare it with the deployment's value: `npx convex env get %s` (change it there with `npx convex env set %s <value>`).", r.Name, r.Name)})
				}
			}
		}
	}
	return out
}

// issuerOf is a provider's issuer as the matching rule compares it: the
// OIDC domain or the customJwt issuer.
func issuerOf(prov ProviderInfo) (FieldInfo, bool) {
	key := "domain"
	if prov.Kind == convex.KindCustomJWT {
		key = "issuer"
	}
	f, ok := prov.Field(key)
	if !ok || f.Unknown() {
		return FieldInfo{}, false
	}
	return f, true
}

// normIssuer applies Convex's matching normalisation (reference/convex.md
// §1.2): https:// in front when there is no scheme, trailing / trimmed.
func normIssuer(s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	return strings.TrimRight(s, "/")
}

func (p *Project) providerFindings(cfg string) []Finding {
	var out []Finding
	for _, prov := range p.Providers {
		name := fmt.Sprintf("Provider %d (%s:%d)", prov.Index, cfg, prov.Pos.Line)
		iss, ok := issuerOf(prov)
		if ok {
			out = append(out, p.issuerShapeFindings(prov, iss)...)
		}
		app, hasApp := prov.Field("applicationID")
		if prov.Kind == convex.KindCustomJWT && !hasApp {
			issuer := "its issuer"
			if ok {
				issuer = q(iss.Value)
			}
			out = append(out, Finding{Code: CodeCustomJWTNoAudience, Severity: SeverityWarning,
				Title: fmt.Sprintf("%s is a customJwt provider without applicationID: aud is not checked", name),
				Detail: fmt.Sprintf("Without applicationID Convex accepts any token signed by %s whatever its aud (reference/convex.md §1.1, §1.4), "+
					"including tokens that issuer made for another application.", issuer),
				Fix: "Add applicationID: \"<the aud your tokens carry>\" to the provider."})
		}
		if prov.Kind == convex.KindOIDC && hasApp && !app.Unknown() && app.Value != "convex" && p.isClerkProvider(prov) {
			out = append(out, Finding{Code: CodeApplicationIDNotConvex, Severity: SeverityWarning,
				Title: fmt.Sprintf("%s has applicationID %s; Clerk's Convex integration uses \"convex\"", name, q(app.Value)),
				Detail: "Clerk's Convex integration and its \"convex\" JWT template put aud: \"convex\" in the token, and Convex requires the token's aud to contain applicationID " +
					"(reference/convex.md §1.2), so those tokens match no provider: \"No auth provider found matching the given token\".",
				Fix: fmt.Sprintf("Set applicationID: \"convex\" (%s:%d), unless your token really carries aud %s.", cfg, app.Pos.Line, q(app.Value))})
		}
	}
	// Shadowing: the first provider that matches a token wins.
	for j, later := range p.Providers {
		lj, ok := issuerOf(later)
		if !ok {
			continue
		}
		appJ, hasJ := later.value("applicationID")
		for i := 0; i < j; i++ {
			earlier := p.Providers[i]
			li, ok := issuerOf(earlier)
			if !ok || normIssuer(li.Value) != normIssuer(lj.Value) {
				continue
			}
			appI, hasI := earlier.value("applicationID")
			_, declaredI := earlier.Field("applicationID")
			if declaredI && !hasI {
				continue // unknown applicationID: cannot tell
			}
			if hasI && !(hasJ && appI == appJ) {
				continue
			}
			why := "no applicationID (it matches tokens of any aud)"
			if hasI {
				why = fmt.Sprintf("the same applicationID %s", q(appI))
			}
			out = append(out, Finding{Code: CodeProviderShadowed, Severity: SeverityWarning,
				Title: fmt.Sprintf("Provider %d is never used: provider %d takes its tokens first", later.Index, earlier.Index),
				Detail: fmt.Sprintf("Convex tries providers in order and the first match wins (reference/convex.md §1.1). Provider %d (%s:%d) has the same issuer %s and %s, "+
					"so every token provider %d (%s:%d) would accept is matched by provider %d.",
					earlier.Index, cfg, earlier.Pos.Line, q(normIssuer(li.Value)), why, later.Index, cfg, later.Pos.Line, earlier.Index),
				Fix: "Remove the duplicate provider, or give the providers different applicationIDs."})
			break
		}
	}
	// The publishable key's instance must be one the providers accept.
	if p.Key != nil {
		want := normIssuer(p.Key.FrontendAPIURL())
		var known []string
		var first FieldInfo
		match := false
		for _, prov := range p.Providers {
			iss, ok := issuerOf(prov)
			if !ok {
				continue
			}
			got := normIssuer(iss.Value)
			// A JWKS or discovery URL of the right host has its own finding.
			if i := strings.Index(got, "/.well-known/"); i >= 0 {
				got = got[:i]
			}
			if got == want {
				match = true
				break
			}
			if known == nil {
				first = iss
			}
			known = append(known, fmt.Sprintf("%s (%s)", q(iss.Value), iss.Source))
		}
		if !match && len(known) > 0 {
			out = append(out, Finding{Code: CodeKeyInstanceMismatch, Severity: SeverityError,
				Title: "The publishable key belongs to another Clerk instance than the auth config's provider",
				Detail: fmt.Sprintf("%s (%s) names the Frontend API %s, so Clerk's tokens carry iss %s; the provider issuer is %s. "+
					"No provider matches such tokens: \"No auth provider found matching the given token\". The key must belong to the Clerk instance auth.config.ts names (reference/convex.md §4.1).",
					p.PublishableKey.Name, p.PublishableKey.Source, q(p.Key.FrontendAPIURL()), q(p.Key.FrontendAPIURL()), strings.Join(known, ", ")),
				Fix: fmt.Sprintf("Use the key and the issuer of the same Clerk instance: for this key, %s; or copy the publishable key of the provider's instance into %s.",
					p.setIssuerStep(first, p.Key.FrontendAPIURL()), p.PublishableKey.Name)})
		}
	}
	return out
}

// issuerShapeFindings checks the issuer value itself: a JWKS or discovery
// URL in place of the issuer, a trailing slash.
func (p *Project) issuerShapeFindings(prov ProviderInfo, iss FieldInfo) []Finding {
	var out []Finding
	u, err := url.Parse(normIssuer(iss.Value))
	if err != nil || u.Host == "" {
		return nil
	}
	where := fmt.Sprintf("%s of provider %d (%s)", iss.Key, prov.Index, iss.Source)
	if i := strings.Index(u.Path, "/.well-known/"); i >= 0 {
		issuer := u.Scheme + "://" + u.Host + u.Path[:i]
		fix := fmt.Sprintf("Use the issuer itself: %s.", p.setIssuerStep(iss, issuer))
		out = append(out, Finding{Code: CodeDomainIsJWKSURL, Severity: SeverityError,
			Title: fmt.Sprintf("The provider %s is a %s URL, not the issuer", iss.Key, wellKnownName(u.Path[i:])),
			Detail: fmt.Sprintf("%s is %s. Convex compares it with the token's iss, which is %s, so no token matches "+
				"(\"No auth provider found matching the given token\"); the backend finds the JWKS itself through discovery (reference/convex.md §1.2, §1.3).",
				where, q(iss.Value), q(issuer)),
			Fix: fix})
		return out
	}
	if strings.HasSuffix(iss.Value, "/") {
		out = append(out, Finding{Code: CodeDomainTrailingSlash, Severity: SeverityInfo,
			Title: fmt.Sprintf("The provider %s ends with a slash", iss.Key),
			Detail: fmt.Sprintf("%s is %s. Convex trims trailing slashes on both sides when it matches a token's iss to a provider (reference/convex.md §1.2), "+
				"so this is harmless for matching; Clerk's iss has no trailing slash.", where, q(iss.Value)),
			Fix: "Optional: remove the trailing slash."})
	}
	return out
}

// setIssuerStep says how to give an issuer field a value: the command for
// the variable it reads, or the line to edit when it is a literal.
func (p *Project) setIssuerStep(f FieldInfo, value string) string {
	if len(f.Reads) > 0 {
		return "`" + p.SetEnvCommand(f.Reads[len(f.Reads)-1].Name, value) + "`"
	}
	return fmt.Sprintf("set %s to %s in %s:%d", f.Key, q(value), p.AuthConfigName(), f.Pos.Line)
}

func wellKnownName(path string) string {
	switch {
	case strings.Contains(path, "jwks"):
		return "JWKS"
	case strings.Contains(path, "openid-configuration"):
		return "discovery (openid-configuration)"
	}
	return "well-known"
}

// isClerkProvider reports whether a provider is meant for Clerk: its issuer
// is the publishable key's, a Clerk host, or read from a CLERK_ variable.
func (p *Project) isClerkProvider(prov ProviderInfo) bool {
	f, ok := prov.Field("domain")
	if !ok {
		return false
	}
	for _, r := range f.Reads {
		if strings.HasPrefix(r.Name, "CLERK_") {
			return true
		}
	}
	if f.Unknown() {
		return false
	}
	if p.Key != nil && normIssuer(f.Value) == normIssuer(p.Key.FrontendAPIURL()) {
		return true
	}
	u, err := url.Parse(normIssuer(f.Value))
	if err != nil {
		return false
	}
	h := u.Hostname()
	return strings.HasSuffix(h, ".clerk.accounts.dev") || strings.HasPrefix(h, "clerk.")
}

func (p *Project) keyFindings() []Finding {
	var out []Finding
	pk := p.PublishableKey
	names := strings.Join(uniq(p.Framework.PublishableKeyVar, "VITE_CLERK_PUBLISHABLE_KEY", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "CLERK_PUBLISHABLE_KEY"), ", ")
	switch {
	case !pk.Known || pk.Value == "":
		detail := fmt.Sprintf("Looked for %s in --env, the environment, %s.", names, strings.Join(envFiles, " and "))
		if pk.Known {
			detail = fmt.Sprintf("%s is empty (%s).", pk.Name, pk.Source)
		}
		out = append(out, Finding{Code: CodeNoPublishableKey, Severity: SeverityWarning,
			Title:  "No Clerk publishable key found",
			Detail: detail + " Without it authscope cannot sign in through Clerk or say what the issuer must be.",
			Fix: fmt.Sprintf("Add %s=pk_test_… to %s (Clerk Dashboard → API keys), or pass --env %s=pk_test_….",
				p.Framework.PublishableKeyVar, p.Framework.EnvFile, p.Framework.PublishableKeyVar)})
	case p.KeyErr != nil:
		detail := untrusted.Text(p.KeyErr.Error(), 200)
		var d interface{ Hint() string }
		if errors.As(p.KeyErr, &d) {
			detail += " " + d.Hint()
		}
		out = append(out, Finding{Code: CodePublishableKeyInvalid, Severity: SeverityError,
			Title:  fmt.Sprintf("The publishable key %s (%s) is not valid", pk.Name, pk.Source),
			Detail: detail,
			Fix:    fmt.Sprintf("Copy the publishable key from the Clerk Dashboard (API keys) into %s.", pk.Name)})
	case p.Key != nil && p.Key.Instance == clerk.InstanceProduction:
		out = append(out, Finding{Code: CodeProductionKey, Severity: SeverityWarning,
			Title: fmt.Sprintf("%s is a production key (pk_live_): a sign-in through authscope is impossible", pk.Name),
			Detail: "Clerk accepts production keys only from the app's own domain (\"Production Keys are only allowed for domain …\", reference/clerk.md §1.4), " +
				"so ClerkJS cannot sign in on authscope's loopback page.",
			Fix: "Use a development instance's key (pk_test_…) with --env " + pk.Name + "=…, or give authscope a token from your app with --token (or on stdin)."})
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
