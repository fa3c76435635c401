package demo

import (
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// The Auth0 flavour's script (https://docs.convex.dev/auth/auth0).
var auth0Script = []func() *Scenario{auth0Healthy, auth0ApplicationIDIsAPI, auth0AccessTokenSent}

func auth0Healthy() *Scenario {
	return &Scenario{Name: "healthy",
		Title: "Auth0 wired as Convex's guide says: the ID token (aud = the client ID) is accepted"}
}

// auth0Provider is the guide's provider with another domain or
// applicationID.
func auth0Provider(domain, applicationID string) rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: domain,
		ApplicationID: applicationID, HasApplicationID: true}}}
}

func auth0ApplicationIDIsAPI() *Scenario {
	return &Scenario{Name: "auth0-application-id-is-api", Cause: diagnose.CodeAuth0ApplicationIDIsAPIAud,
		Title: "applicationID holds the Auth0 API's identifier instead of the application's client ID",
		Deploy: func(s *Stack, _ rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
			c := auth0Provider(s.Auth0.BaseURL(), s.Auth0.Audience())
			return c, c
		}}
}

func auth0AccessTokenSent() *Scenario {
	return &Scenario{Name: "auth0-access-token", Cause: diagnose.CodeAuth0AccessTokenSent,
		Title:            "The app hands Convex Auth0's access token (aud = the API) instead of the ID token",
		SendsAccessToken: true}
}
