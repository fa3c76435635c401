package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// projectNoPublishableKey finds no-publishable-key: no Clerk publishable key
// was found, so authscope cannot sign in through Clerk or say what the
// issuer must be.
func projectNoPublishableKey(p *projectFacts) []Finding {
	pk := p.PublishableKey
	if (pk.Known && pk.Value != "") || !provider.IsClerk(p.Provider.ID) {
		return nil // has one, or signs in with another provider
	}
	f := Finding{Title: "No Clerk publishable key found"}
	if pk.Known {
		f.note("found", fmt.Sprintf("%s is empty (%s).", pk.Name, pk.Source))
	} else {
		f.note("looked for", fmt.Sprintf("%s in --env, the environment, %s.", strings.Join(p.PublishableKeyVars(), ", "), strings.Join(project.DotenvFiles(), " and ")))
	}
	f.note("without it", "authscope cannot sign in through Clerk or say what the issuer must be")
	fw := p.Framework
	f.Fix = fmt.Sprintf("Add %s=pk_test_… to %s (Clerk Dashboard → API keys), or pass --env %s=pk_test_….",
		fw.PublishableKeyVar, fw.EnvFile, fw.PublishableKeyVar)
	return []Finding{f}
}
