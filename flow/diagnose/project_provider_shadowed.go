package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/project"
)

// projectProviderShadowed finds provider-shadowed: Convex tries providers in
// order and the first match wins, so a provider with the same issuer as an
// earlier one, and the same applicationID or an earlier one without any, is
// never used.
func projectProviderShadowed(p *projectFacts) []Finding {
	var out []Finding
	for j, later := range p.Providers {
		if earlier, why, ok := p.shadowedBy(j); ok {
			li, _ := earlier.Issuer()
			f := Finding{Title: fmt.Sprintf("Provider %d is never used: provider %d takes its tokens first", later.Index, earlier.Index)}
			f.note("Convex", "tries providers in order and the first match wins")
			f.note(p.providerName(earlier), fmt.Sprintf("has the same issuer %s and %s", q(normIssuer(li.Value)), why))
			f.note(p.providerName(later), fmt.Sprintf("every token it would accept is matched by provider %d", earlier.Index))
			f.Fix = "Remove the duplicate provider, or give the providers different applicationIDs."
			out = append(out, f)
		}
	}
	return out
}

// shadowedBy finds the first provider before the j-th that takes all its
// tokens, and says why.
func (p *projectFacts) shadowedBy(j int) (project.ProviderInfo, string, bool) {
	later := p.Providers[j]
	lj, ok := later.Issuer()
	if !ok {
		return project.ProviderInfo{}, "", false
	}
	appJ, hasJ := later.Value("applicationID")
	for _, earlier := range p.Providers[:j] {
		li, ok := earlier.Issuer()
		if !ok || normIssuer(li.Value) != normIssuer(lj.Value) {
			continue
		}
		appI, hasI := earlier.Value("applicationID")
		if _, declared := earlier.Field("applicationID"); declared && !hasI {
			continue // unknown applicationID: cannot tell
		}
		if hasI && !(hasJ && appI == appJ) {
			continue
		}
		if hasI {
			return earlier, fmt.Sprintf("the same applicationID %s", q(appI)), true
		}
		return earlier, "no applicationID (it matches tokens of any aud)", true
	}
	return project.ProviderInfo{}, "", false
}
