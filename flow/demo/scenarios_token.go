package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of the token itself: key, algorithm, audiences, time and the
// claims the client's refresh needs.

// convexTemplateOnly turns the integration off and keeps one "convex"
// template, changed by edit, so tokens come from the template.
func convexTemplateOnly(edit func(*devinstance.Template)) func(*devinstance.Options) {
	return func(o *devinstance.Options) {
		o.IntegrationOn = false
		t := devinstance.ConvexTemplate()
		edit(&t)
		o.Templates = []devinstance.Template{t}
	}
}

func keyRotated() *Scenario {
	return &Scenario{Name: "key-rotated", Cause: diagnose.CodeUnknownKid,
		Title: "The token is signed with a key the JWKS does not publish (signing key rotated)",
		Clerk: func(o *devinstance.Options) { o.Faults.SignWithUnpublishedKey = true }}
}

func es256Template() *Scenario {
	return &Scenario{Name: "es256-template", Cause: diagnose.CodeOIDCAlgorithm,
		Title: `The "convex" template signs with ES256, which Convex's OIDC path refuses`,
		Clerk: convexTemplateOnly(func(t *devinstance.Template) { t.Algorithm = "ES256" })}
}

func hs256Template() *Scenario {
	return &Scenario{Name: "hs256-template", Cause: diagnose.CodeOIDCAlgorithm,
		Title: `The "convex" template signs with HS256 (a shared secret), which Convex refuses`,
		Clerk: convexTemplateOnly(func(t *devinstance.Template) { t.Algorithm = "HS256" })}
}

func severalAudiences() *Scenario {
	return &Scenario{Name: "several-audiences", Cause: diagnose.CodeMultipleAudiences,
		Title: "The token names a second audience; Convex's OIDC path accepts exactly one",
		Clerk: func(o *devinstance.Options) { o.Faults.ExtraAudience = "https://api.example.com" }}
}

func tokenExpired() *Scenario {
	return &Scenario{Name: "token-expired", Cause: diagnose.CodeTokenExpired,
		Title: "The token had already expired when it reached the backend (minted 3 minutes earlier)",
		Clerk: func(o *devinstance.Options) { o.Faults.ClockOffset = -3 * time.Minute }}
}

func clockSkew() *Scenario {
	return &Scenario{Name: "clock-skew", Cause: diagnose.CodeLocalClockSkew,
		Title:       "This machine's clock runs 3 minutes ahead: a local backend sees fresh tokens as expired",
		ClockOffset: 3 * time.Minute}
}

func shortLifetime() *Scenario {
	return &Scenario{Name: "short-lifetime", Cause: diagnose.CodeTokenLifetimeTooShort,
		Title: "The token lives 5 s, less than the client's 10 s refresh leeway: accepted, then refetched in a loop",
		Clerk: convexTemplateOnly(func(t *devinstance.Template) { t.Lifetime = 5 * time.Second })}
}

func missingIat() *Scenario {
	return &Scenario{Name: "missing-iat", Cause: diagnose.CodeTokenMissingClaims,
		Title: "The token has no iat: Convex cannot parse it and the client cannot schedule a refresh",
		Clerk: func(o *devinstance.Options) { o.Faults.OmitClaims = []string{"iat"} }}
}

func jwksCacheStale() *Scenario {
	return &Scenario{Name: "jwks-cache-stale", Cause: diagnose.CodeJWKSCacheStale,
		Title: "Clerk rotated its signing key; the backend still trusts its cached JWKS (Cache-Control: 5 min)",
		After: warmThenRotate}
}

// warmThenRotate has the backend validate a token, so it caches the JWKS
// for its Cache-Control lifetime, then rotates the signing key: the next
// tokens carry a kid the cached JWKS lacks, and Convex does not refetch on
// an unknown kid (the fetch cache of convex-backend
// crates/http_client/src/lib.rs, used by crates/authentication/src/lib.rs).
func warmThenRotate(s *Stack) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := s.Clerk.MintToken(s.Clerk.Users()[0].ID, "")
	if err != nil {
		return err
	}
	conn, err := wire.Dial(ctx, s.Backend.URL(), wire.ClientOptions{})
	if err != nil {
		return fmt.Errorf("warm the backend's JWKS cache: %w", err)
	}
	out, err := conn.Authenticate(ctx, tok)
	_ = conn.Close()
	if err != nil || !out.Accepted {
		return fmt.Errorf("warm the backend's JWKS cache: the first token was not accepted (%v)", err)
	}
	// The warm-up's fetches are not the run's: the backend reports a fetch
	// before it answers, so they are all queued by now.
	for len(s.Fetches) > 0 {
		<-s.Fetches
	}
	s.Clerk.RotateKey()
	return nil
}
