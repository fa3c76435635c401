package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// projectCustomJWTNoApplicationID finds custom-jwt-no-application-id: a
// customJwt provider without applicationID: Convex then does not check aud,
// and accepts any token its issuer signs, including tokens made for another
// application. AuthKit's provider is left out: its tokens carry no aud, and
// its issuer is the application's own.
func projectCustomJWTNoApplicationID(p *projectFacts, prov project.ProviderInfo) *Finding {
	if _, has := prov.Field("applicationID"); prov.Kind != convexrules.KindCustomJWT || has {
		return nil
	}
	issuer := "its issuer"
	if iss, ok := prov.Issuer(); ok {
		if kind, _, ok := provider.WorkOSIssuer(iss.Value); ok && kind == "user_management" {
			// AuthKit's tokens carry no aud: its guide leaves applicationID
			// out on purpose, and the issuer names the client
			// (flow/provider/SPEC.md "WorkOS AuthKit").
			return nil
		}
		issuer = q(iss.Value)
	}
	f := &Finding{Title: fmt.Sprintf("%s is a customJwt provider without applicationID: aud is not checked", p.providerName(prov)),
		Fix: "Add applicationID: \"<the aud your tokens carry>\" to the provider."}
	f.compare("applicationID", "the aud your tokens carry", "(none)")
	f.note("Convex", "accepts any token signed by "+issuer+" whatever its aud, including tokens that issuer made for another application")
	return f
}
