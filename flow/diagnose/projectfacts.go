package diagnose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
	"github.com/authscope/authscope/flow/untrusted"
)

// projectFacts is a project read once for the static rules.
type projectFacts struct {
	*project.Project
	// cfg is the auth config's name for messages.
	cfg string
	// setIssuer is the command that sets CLERK_JWT_ISSUER_DOMAIN to the
	// publishable key's Frontend API URL, or to a placeholder.
	setIssuer string
}

func newProjectFacts(p *project.Project) *projectFacts {
	hint := "https://<your Clerk Frontend API host>"
	if p.Key != nil {
		hint = p.Key.FrontendAPIURL()
	}
	return &projectFacts{Project: p, cfg: p.AuthConfigName(), setIssuer: setEnvCommand(DefaultDomainVar, hint)}
}

// setEnvCommand sets a variable on the deployment the project is
// configured for.
func setEnvCommand(name, value string) string { return envSetCommand(false, name, value) }

// escapeFinding makes a finding built from the project's files safe for a
// terminal: names from the project (variables, paths, values) reach its
// texts. Escaping is idempotent, so values escaped earlier are unchanged.
func escapeFinding(f Finding) Finding {
	f.Title = untrusted.Escape(f.Title, false)
	f.Fix = untrusted.Escape(f.Fix, true)
	ev := make([]Comparison, len(f.Evidence))
	for i, c := range f.Evidence {
		ev[i] = Comparison{Label: untrusted.Escape(c.Label, false), Expected: untrusted.Escape(c.Expected, true),
			Actual: untrusted.Escape(c.Actual, true), OK: c.OK}
	}
	f.Evidence = ev
	return f
}

// q shows a value from the project in a message: escaped and cut, in quotes.
func q(s string) string { return `"` + untrusted.Text(s, 120) + `"` }

// addProvider says how to add the guide's provider of the project's
// sign-in provider: Clerk's with the command that sets its issuer
// variable, another's with what its guide sets.
func (p *projectFacts) addProvider() (snippet, setup string) {
	if provider.IsClerk(p.Provider.ID) {
		return clerkProviderSnippet, "run `" + p.setIssuer + "`"
	}
	return p.Provider.ConfigSnippet, p.Provider.ConfigSetup
}

// clerkProviderSnippet is the provider of the Convex Clerk guide.
const clerkProviderSnippet = `{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" }`

// normIssuer applies Convex's matching normalisation (matches_token in
// convex-backend crates/common/src/auth.rs): https:// in front when there
// is no scheme, trailing / trimmed.
func normIssuer(s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	return strings.TrimRight(s, "/")
}

// providerName names a provider and where it is written.
func (p *projectFacts) providerName(prov project.ProviderInfo) string {
	return fmt.Sprintf("Provider %d (%s)", prov.Index, prov.Pos.Where())
}

// setIssuerStep says how to give an issuer field a value: the command for
// the variable it reads, or the line to edit when it is a literal.
func (p *projectFacts) setIssuerStep(f project.FieldInfo, value string) string {
	if len(f.Reads) > 0 {
		return "`" + setEnvCommand(f.Reads[len(f.Reads)-1].Name, value) + "`"
	}
	return fmt.Sprintf("set %s to %s in %s", f.Key, q(value), f.Pos.Where())
}

// isClerkProvider reports whether a provider is meant for Clerk: its issuer
// is the publishable key's, a Clerk host, or read from a CLERK_ variable.
func (p *projectFacts) isClerkProvider(prov project.ProviderInfo) bool {
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

// eachRead checks every variable auth.config.ts reads, once, in the order
// the providers read them, with the field that reads it first.
func (p *projectFacts) eachRead(check func(f project.FieldInfo, r project.Value) *Finding) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, prov := range p.Providers {
		for _, f := range prov.Fields {
			for _, r := range f.Reads {
				if !seen[r.Name] {
					seen[r.Name] = true
					out = appendFinding(out, check(f, r))
				}
			}
		}
	}
	return out
}

// eachProvider makes a project check of a check of one provider: it runs
// on every provider, in order.
func eachProvider(check func(*projectFacts, project.ProviderInfo) *Finding) func(*projectFacts) []Finding {
	return eachProviderAll(func(p *projectFacts, prov project.ProviderInfo) []Finding {
		return appendFinding(nil, check(p, prov))
	})
}

// eachProviderAll runs check on every provider, in order, and gathers
// what it finds.
func eachProviderAll(check func(*projectFacts, project.ProviderInfo) []Finding) func(*projectFacts) []Finding {
	return func(p *projectFacts) []Finding {
		var out []Finding
		for _, prov := range p.Providers {
			out = append(out, check(p, prov)...)
		}
		return out
	}
}

// eachField makes a project check of a check of one provider field: it
// runs on every field of every provider, in order.
func eachField(check func(*projectFacts, project.FieldInfo) *Finding) func(*projectFacts) []Finding {
	return eachProviderAll(func(p *projectFacts, prov project.ProviderInfo) []Finding {
		var out []Finding
		for _, f := range prov.Fields {
			out = appendFinding(out, check(p, f))
		}
		return out
	})
}

func appendFinding(fs []Finding, f *Finding) []Finding {
	if f == nil {
		return fs
	}
	return append(fs, *f)
}

// readAt says where auth.config.ts (or a file it imports) reads a
// variable, and how the field is built from it when it is not the value
// itself.
func (p *projectFacts) readAt(f project.FieldInfo, r project.Value) string {
	at := f.Pos
	for i, read := range f.Reads {
		if read.Name == r.Name && i < len(f.ReadAt) {
			at = f.ReadAt[i]
			break
		}
	}
	where := fmt.Sprintf("%s reads process.env.%s for %s", at.Where(), r.Name, f.Key)
	elsewhere := at.File != f.Pos.File || at.Line != f.Pos.Line
	switch {
	case elsewhere && f.Template != "":
		where += fmt.Sprintf(", which %s builds as %s", f.Pos.Where(), untrusted.Text(f.Template, 160))
	case elsewhere:
		where += fmt.Sprintf(", which %s builds", f.Pos.Where())
	case f.Template != "":
		where += ", built as " + untrusted.Text(f.Template, 160)
	}
	return where + "."
}
