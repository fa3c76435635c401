package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// projectKeyInstanceMismatch finds key-instance-mismatch: the publishable
// key names another Clerk instance than every provider of the auth config,
// so no provider matches the tokens Clerk issues for that key.
func projectKeyInstanceMismatch(p *projectFacts) []Finding {
	if p.Key == nil {
		return nil
	}
	want := normIssuer(p.Key.FrontendAPIURL())
	var known []string
	var first project.FieldInfo
	for _, prov := range p.Providers {
		iss, ok := prov.Issuer()
		if !ok {
			continue
		}
		got := normIssuer(iss.Value)
		// A JWKS or discovery URL of the right host has its own finding.
		if i := strings.Index(got, "/.well-known/"); i >= 0 {
			got = got[:i]
		}
		if got == want {
			return nil
		}
		if known == nil {
			first = iss
		}
		known = append(known, fmt.Sprintf("%s (%s)", q(iss.Value), iss.Source))
	}
	if len(known) == 0 {
		return nil
	}
	keyURL := p.Key.FrontendAPIURL()
	f := Finding{Title: "The publishable key belongs to another Clerk instance than the auth config's provider"}
	f.compare("provider issuer", keyURL, strings.Join(known, ", "))
	f.note(p.PublishableKey.Name, fmt.Sprintf("(%s) names the Frontend API %s, so Clerk's tokens carry iss %s", p.PublishableKey.Source, q(keyURL), q(keyURL)))
	f.note("Convex", "finds no provider for such tokens: \"No auth provider found matching the given token\". The key must belong to the Clerk instance auth.config.ts names")
	f.Fix = fmt.Sprintf("Use the key and the issuer of the same Clerk instance: for this key, %s; or copy the publishable key of the provider's instance into %s.",
		p.setIssuerStep(first, keyURL), p.PublishableKey.Name)
	return []Finding{f}
}
