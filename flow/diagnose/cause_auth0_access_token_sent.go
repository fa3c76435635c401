package diagnose

import (
	"fmt"
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// auth0AccessTokenSent finds auth0-access-token-sent: the app sent Auth0's
// access token instead of the ID token (flow/provider/SPEC.md "Causes").
// ConvexProviderWithAuth0 sends getAccessTokenSilently({ detailedResponse:
// true }).id_token; a hook of the app's own that returns the access token
// sends a token whose aud is the API identifier, with a scope claim and no
// profile claims. No provider with the client ID matches it, and with the
// API identifier as applicationID the OIDC verifier refuses its second
// audience (…/userinfo).
func auth0AccessTokenSent(d *round) *Finding {
	if !d.is(provider.Auth0) || !(d.stage == stageNoProvider || d.failed(convexrules.ReasonMultipleAudiences, convexrules.ReasonAudienceMismatch)) {
		return nil
	}
	scope, hasScope := d.claim("scope")
	azp, _ := d.claim("azp")
	userinfo := false
	for _, a := range d.tok.aud {
		userinfo = userinfo || strings.HasSuffix(a, "/userinfo")
	}
	if !hasScope && !userinfo {
		return nil // an ID token: no scope, aud is the client ID
	}
	f := d.finding("The app sent Auth0's access token, not the ID token ConvexProviderWithAuth0 sends")
	f.compare("aud", orDefault(azp, "your Auth0 client ID"), d.tok.audText())
	if hasScope {
		f.note("scope", scope+" (access tokens carry a scope; ID tokens do not)")
	}
	if _, ok := d.claim("email"); !ok {
		f.note("profile claims", "none (no email or name): an access token, not an ID token")
	}
	f.Fix = fmt.Sprintf("Send the ID token: render ConvexProviderWithAuth0 from \"convex/react-auth0\" inside Auth0Provider in %s, or make your fetchAccessToken return (await getAccessTokenSilently({ detailedResponse: true })).id_token instead of the access token. Keep applicationID in convex/auth.config.ts set to the Auth0 client ID%s: the ID token's aud.",
		d.names.providerFile, clientIDNote(azp))
	return f
}

// clientIDNote names the client ID when the token says it.
func clientIDNote(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf(" (%s)", q(id))
}
