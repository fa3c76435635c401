package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// projectDomainTrailingSlash finds domain-trailing-slash: a provider's
// domain ends with a slash. Convex trims trailing slashes on both sides when
// it matches a token's iss, so it breaks nothing and is not shown before the
// flow.
func projectDomainTrailingSlash(p *projectFacts, prov project.ProviderInfo) *Finding {
	iss, u, ok := issuerURL(prov)
	if !ok || strings.Contains(u.Path, "/.well-known/") || !strings.HasSuffix(iss.Value, "/") {
		return nil
	}
	return &Finding{Title: fmt.Sprintf("The provider %s ends with a slash", iss.Key),
		Evidence: []Comparison{fact(fieldWhere(prov, iss), q(iss.Value)),
			fact("Convex", "trims trailing slashes on both sides when it matches a token's iss to a provider, so this is harmless for matching")},
		Fix: "Optional: remove the trailing slash."}
}
