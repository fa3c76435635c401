package clerk

// claimMeanings says in a few words what each claim of a Clerk token is, for
// people reading a decoded token: the registered JWT claims (RFC 7519
// section 4.1), Clerk's session token claims (SPEC.md "Lifetimes and
// claims"; https://clerk.com/docs/guides/sessions/session-tokens) and the
// OIDC profile claims the Convex JWT template adds, which Convex maps onto
// the identity.
var claimMeanings = map[string]string{
	"aud": "audience: who the token is for",
	"azp": "authorized party: the origin that asked Clerk for it",
	"exp": "expires",
	"iat": "issued at",
	"iss": "issuer: the Clerk instance's Frontend API",
	"jti": "the token's own id",
	"nbf": "not valid before",
	"sub": "subject: the Clerk user id",
	"sid": "session id",
	"sts": "session status",
	"v":   "session token version",
	"fva": "minutes since the first and second factor were verified (-1: never)",
	"pla": "the user's or organization's plan",
	"fea": "the features of that plan",
	"o":   "the active organization",
	"act": "the actor, when someone impersonates the user",

	"updated_at": "when the user's profile last changed",
}

// headerMeanings does the same for a token's header parameters (RFC 7515
// section 4.1).
var headerMeanings = map[string]string{
	"alg":  "signing algorithm",
	"kid":  "key id: which key of the issuer's JWKS signed it",
	"typ":  "token type",
	"oiat": "used by Clerk internally",
}

// ClaimMeaning is what a claim of a Clerk token means, in a few words, or ""
// for a claim that explains itself or is unknown.
func ClaimMeaning(name string) string { return claimMeanings[name] }

// HeaderMeaning is what a header parameter of a Clerk token means, or "".
func HeaderMeaning(name string) string { return headerMeanings[name] }
