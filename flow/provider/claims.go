package provider

// claimMeanings says in a few words what a claim means in the tokens of a
// provider other than Clerk (flow/clerk has Clerk's): the registered JWT
// claims (RFC 7519 section 4.1), then each provider's own (SPEC.md "Token
// path").
var claimMeanings = map[string]string{
	"aud": "audience: who the token is for",
	"azp": "authorized party: the client the token was issued to",
	"exp": "expires",
	"iat": "issued at",
	"iss": "issuer",
	"jti": "the token's own id",
	"nbf": "not valid before",
	"sub": "subject: the user id",
	"sid": "session id",

	"updated_at": "when the user's profile last changed",
}

var providerClaims = map[ID]map[string]string{
	Auth0: {
		"iss":   "issuer: the Auth0 tenant's domain, with a trailing slash",
		"aud":   "audience: the application's client ID in an ID token, the API identifier in an access token",
		"scope": "granted scopes: only access tokens carry it",
		"nonce": "the value the sign-in request sent",
	},
	WorkOS: {
		"iss":         "issuer: https://api.workos.com/user_management/<client ID> for AuthKit",
		"org_id":      "the active organization",
		"role":        "the user's role in that organization",
		"permissions": "the role's permissions",
		"act":         "the actor, when someone impersonates the user",
	},
	ConvexAuth: {
		"iss": "issuer: the deployment's CONVEX_SITE_URL",
		"sub": "subject: <user id>|<session id> in the deployment's tables",
	},
}

// ClaimMeaning is what a claim means in a token of provider id, in a few
// words, or "" for a claim that explains itself or is unknown.
func ClaimMeaning(id ID, name string) string {
	if m, ok := providerClaims[id][name]; ok {
		return m
	}
	return claimMeanings[name]
}

// HeaderMeaning is what a header parameter means (RFC 7515 section 4.1).
func HeaderMeaning(name string) string {
	switch name {
	case "alg":
		return "signing algorithm"
	case "kid":
		return "key id: which key of the issuer's JWKS signed it"
	case "typ":
		return "token type"
	}
	return ""
}
