package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// auth0ApplicationIDIsAPIAudience finds auth0-application-id-is-api-audience:
// the provider's applicationID is the Auth0 API identifier (the audience
// of access tokens), while the ID token ConvexProviderWithAuth0 sends has
// the application's client ID as aud (flow/provider/SPEC.md "Causes").
func auth0ApplicationIDIsAPIAudience(d *round) *Finding {
	if d.stage != stageNoProvider || !d.is(provider.Auth0) {
		return nil
	}
	v := d.view()
	app := v.target.ApplicationID
	if !v.audienceFails() || !looksLikeAPIIdentifier(app) {
		return nil
	}
	f := d.finding(fmt.Sprintf("applicationID is the Auth0 API identifier %q; the ID token's aud is the application's client ID", app))
	f.compare("applicationID", d.tok.audText(), app)
	f.note("Auth0", "the ID token's aud is the client ID of the application (Auth0 Dashboard → Applications → your app → Settings → Client ID); an API's Identifier is the audience of access tokens")
	id := d.tok.audText()
	f.Fix = fmt.Sprintf("Set applicationID to the Auth0 client ID%s in convex/auth.config.ts (when it reads a variable such as AUTH0_CLIENT_ID, set that on the deployment: %s), then run %s.",
		clientIDNote(id), d.names.envSet("AUTH0_CLIENT_ID", id), d.names.push())
	return f
}

// projectAuth0ApplicationIDIsAPIAudience finds the same in the project: an
// Auth0 provider whose applicationID is a URL.
func projectAuth0ApplicationIDIsAPIAudience(p *projectFacts, prov project.ProviderInfo) *Finding {
	iss, ok := prov.Issuer()
	app, has := prov.Field("applicationID")
	if !ok || !has || app.Unknown() || provider.IssuerProvider(iss.Value) != provider.Auth0 || !looksLikeAPIIdentifier(app.Value) {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("%s has applicationID %s, an Auth0 API identifier: the ID token's aud is the client ID", p.providerName(prov), q(app.Value))}
	want := "your Auth0 client ID"
	if id, ok := p.ClientID.Effective(); ok {
		want = id
		f.compare("applicationID", id, app.Value)
	}
	f.note("Auth0", "ConvexProviderWithAuth0 sends the ID token, whose aud is the application's client ID; an API identifier is the aud of access tokens")
	f.Fix = fmt.Sprintf("Set applicationID to %s (Auth0 Dashboard → Applications → your app → Client ID) at %s.", q(want), app.Pos.Where())
	return f
}
