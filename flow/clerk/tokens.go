package clerk

import "time"

// ConvexTemplateName and ConvexAudience are the names Convex expects: the
// JWT template "convex", and aud "convex", the applicationID of Clerk's
// provider in auth.config.ts (SPEC.md "The two token paths").
const (
	ConvexTemplateName = "convex"
	ConvexAudience     = "convex"
)

// Token timing (SPEC.md "Lifetimes and claims", "Token cache refresh
// timing").
const (
	// SessionTokenLifetime is the lifetime of a Clerk session token.
	SessionTokenLifetime = 60 * time.Second
	// SessionTokenNotBefore is how far before iat a session token's nbf is,
	// as in Clerk's fixture session token (iat−10).
	SessionTokenNotBefore = 10 * time.Second
	// DefaultTemplateLifetime and TemplateClockSkew are the JWT template
	// defaults: exp = iat + 60 s, nbf = iat − 5 s.
	DefaultTemplateLifetime = 60 * time.Second
	TemplateClockSkew       = 5 * time.Second
	// BackgroundRefreshThreshold, RefreshLeadTime and PollerInterval are
	// ClerkJS's token cache rules: a cached token is refreshed in the
	// background at exp − 15 s − 2 s, and a read within 5 s of exp misses
	// the cache and fetches synchronously.
	BackgroundRefreshThreshold = 15 * time.Second
	RefreshLeadTime            = 2 * time.Second
	PollerInterval             = 5 * time.Second
)
