package auth0

import (
	"encoding/json"
	"net/http"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Paths of the tenant's Authentication API (SPEC.md "Endpoints").
const (
	PathDiscovery = "/.well-known/openid-configuration"
	PathJWKS      = "/.well-known/jwks.json"
	PathAuthorize = "/authorize"
	PathLogin     = "/u/login"
	PathToken     = "/oauth/token"
	PathLogout    = "/v2/logout"
	PathUserinfo  = "/userinfo"
)

// discovery is the tenant's OpenID configuration, with the members
// Auth0's carries that the SDKs and Convex read.
type discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
}

func (t *Tenant) routes() {
	t.srv.Handle(PathDiscovery, t.serveDiscovery)
	t.srv.Handle(PathJWKS, t.serveJWKS)
	t.srv.Handle(PathAuthorize, t.serveAuthorize)
	t.srv.Handle(PathLogin, t.serveLogin)
	t.srv.Handle(PathToken, t.serveToken)
	t.srv.Handle(PathLogout, t.serveLogout)
}

func (t *Tenant) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	f := t.faults.Get()
	base, iss := t.srv.Base(), t.Issuer()
	if f.DiscoveryIssuer != "" {
		iss = f.DiscoveryIssuer
	}
	doc := discovery{
		Issuer: iss, AuthorizationEndpoint: base + PathAuthorize, TokenEndpoint: base + PathToken,
		UserinfoEndpoint: base + PathUserinfo, JWKSURI: base + PathJWKS, EndSessionEndpoint: base + "/oidc/logout",
		ScopesSupported:                   []string{"openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"},
		ResponseTypesSupported:            []string{"code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token"},
		CodeChallengeMethodsSupported:     []string{"S256", "plain"},
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		SubjectTypesSupported:             []string{"public"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "private_key_jwt"},
		ClaimsSupported:                   []string{"aud", "auth_time", "created_at", "email", "email_verified", "exp", "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number", "picture", "sub"},
		IDTokenSigningAlgValuesSupported:  []string{"HS256", "RS256", "PS256"},
	}
	b, _ := json.Marshal(doc)
	t.srv.ServeDocument(w, r, fake.Document{Body: b, What: "discovery document",
		FaultStatus: f.DiscoveryStatus, ContentType: f.DiscoveryContentType})
}

func (t *Tenant) serveJWKS(w http.ResponseWriter, r *http.Request) {
	f := t.faults.Get()
	t.srv.ServeDocument(w, r, fake.Document{Body: t.jwks, What: "JWKS",
		FaultStatus: f.JWKSStatus, ContentType: f.JWKSContentType})
}
