package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/clerk"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/project"
)

// projectApplicationIDNotConvex finds application-id-not-convex: a Clerk
// provider whose applicationID is not "convex". Clerk's Convex integration
// and its "convex" JWT template put aud "convex" in the token, so those
// tokens match no provider.
func projectApplicationIDNotConvex(p *projectFacts, prov project.ProviderInfo) *Finding {
	app, has := prov.Field("applicationID")
	if prov.Kind != convexrules.KindOIDC || !has || app.Unknown() || app.Value == clerk.ConvexAudience || !p.isClerkProvider(prov) {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("%s has applicationID %s; Clerk's Convex integration uses \"convex\"", p.providerName(prov), q(app.Value)),
		Fix: fmt.Sprintf("Set applicationID: \"convex\" (%s), unless your token really carries aud %s.", app.Pos.Where(), q(app.Value))}
	f.compare("applicationID", clerk.ConvexAudience, app.Value)
	f.note("Convex", "requires the token's aud to contain applicationID, and Clerk's Convex integration and its \"convex\" JWT template put aud: \"convex\" in the token, "+
		"so those tokens match no provider: \"No auth provider found matching the given token\"")
	return f
}
