package demo

import (
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of a customJwt provider (https://docs.convex.dev/auth/advanced/custom-jwt):
// the same Clerk-like issuer, configured as type "customJwt" with its JWKS
// URL.

// customJWT is a file and a deployment with one customJwt provider for the
// dev instance, signed with algorithm.
func customJWT(algorithm string) func(*devinstance.Instance, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return both(func(dev *devinstance.Instance) rules.AuthConfig {
		return rules.AuthConfig{Providers: []rules.Provider{{
			Kind: rules.KindCustomJWT, Issuer: dev.Issuer(), JWKS: dev.Issuer() + clerk.PathJWKS,
			Algorithm: algorithm, ApplicationID: ApplicationID, HasApplicationID: true,
		}}}
	})
}

func customJWTNoKid() *Scenario {
	return &Scenario{Name: "custom-jwt-no-kid", Cause: diagnose.CodeCustomJWTMissingKid,
		Title:  "A customJwt provider and tokens without a kid header: Convex cannot pick a key",
		Config: customJWT("RS256"),
		Clerk:  func(o *devinstance.Options) { o.Faults.OmitKid = true }}
}

func customJWTWrongAlgorithm() *Scenario {
	return &Scenario{Name: "custom-jwt-wrong-algorithm", Cause: diagnose.CodeCustomJWTWrongAlgorithm,
		Title:  "A customJwt provider configured for ES256, tokens signed with RS256",
		Config: customJWT("ES256")}
}

func customJWTJWKSDown() *Scenario {
	return &Scenario{Name: "custom-jwt-jwks-500", Cause: diagnose.CodeCustomJWTJWKSFailed,
		Title:  "A customJwt provider whose JWKS URL answers 500",
		Config: customJWT("RS256"),
		Clerk:  func(o *devinstance.Options) { o.Faults.JWKSStatus = 500 }}
}

func customJWTContentType() *Scenario {
	return &Scenario{Name: "custom-jwt-content-type", Cause: diagnose.CodeCustomJWTJWKSContentType,
		Title:  "A customJwt provider whose JWKS is served as text/plain",
		Config: customJWT("RS256"),
		Clerk:  func(o *devinstance.Options) { o.Faults.JWKSContentType = "text/plain" }}
}
