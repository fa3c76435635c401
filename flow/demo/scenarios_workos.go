package demo

import (
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers/workos"
)

// The WorkOS AuthKit flavour's script (https://docs.convex.dev/auth/authkit/).
var workosScript = []func() *Scenario{workosHealthy, workosSSOIssuerOnly, workosMissingAud, workosJWKSClientID}

func workosHealthy() *Scenario {
	return &Scenario{Name: "healthy",
		Title: "AuthKit wired as Convex's guide says: the access token matches the User Management issuer"}
}

// workosDeploy deploys a config built from the issuer.
func workosDeploy(build func(is *workos.Issuer) rules.AuthConfig) func(*Stack, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return func(s *Stack, _ rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		c := build(s.WorkOS)
		return c, c
	}
}

func workosSSOIssuerOnly() *Scenario {
	return &Scenario{Name: "workos-sso-issuer-only", Cause: diagnose.CodeWorkOSIssuerMismatch,
		Title: "auth.config.ts lists only WorkOS's SSO issuer; AuthKit tokens come from the User Management issuer",
		Deploy: workosDeploy(func(is *workos.Issuer) rules.AuthConfig {
			return rules.AuthConfig{Providers: []rules.Provider{workosProvider(is.SSOIssuer(), is.JWKSURL(), is.ClientID())}}
		})}
}

func workosMissingAud() *Scenario {
	return &Scenario{Name: "workos-missing-aud", Cause: diagnose.CodeWorkOSMissingAud,
		Title: "The User Management provider sets applicationID, and AuthKit access tokens have no aud",
		Deploy: workosDeploy(func(is *workos.Issuer) rules.AuthConfig {
			return rules.AuthConfig{Providers: []rules.Provider{
				workosProvider(is.SSOIssuer(), is.JWKSURL(), is.ClientID()),
				workosProvider(is.Issuer(), is.JWKSURL(), is.ClientID()),
			}}
		})}
}

// stagingClientID is another environment's client ID.
const stagingClientID = "client_01JSTAG1NGENV1R0NMENT000002"

func workosJWKSClientID() *Scenario {
	return &Scenario{Name: "workos-jwks-client-id", Cause: diagnose.CodeWorkOSJWKSClientID,
		Title: "The JWKS URL names the staging environment's client ID: /sso/jwks/<client_id> answers 404",
		Deploy: workosDeploy(func(is *workos.Issuer) rules.AuthConfig {
			jwks := is.BaseURL() + workos.PathJWKSPrefix + stagingClientID
			return rules.AuthConfig{Providers: []rules.Provider{
				workosProvider(is.SSOIssuer(), jwks, is.ClientID()),
				workosProvider(is.Issuer(), jwks, ""),
			}}
		})}
}
