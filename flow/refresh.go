package flow

import (
	"fmt"
	"time"
)

// Timing constants of the clients (SPEC.md: Refetch, Token cache).
const (
	// ConvexRefreshLeeway is authRefreshTokenLeewaySeconds' default since convex 1.32.0.
	ConvexRefreshLeeway = 10 * time.Second
	// ClerkBackgroundRefresh is BACKGROUND_REFRESH_THRESHOLD_IN_SECONDS of ClerkJS's token cache.
	ClerkBackgroundRefresh = 15 * time.Second
	// maxRefreshDelay is MAXIMUM_REFRESH_DELAY (20 days: setTimeout takes a 32-bit int).
	maxRefreshDelay = 20 * 24 * time.Hour
)

// The Convex client's own log lines when it cannot schedule a refetch
// (SPEC.md: Refetch).
const (
	ClientNoFields     = "Auth token does not have required fields, cannot refetch the token"
	ClientTooShortLife = "Auth token does not live long enough, cannot refetch the token"
)

// RefetchDelay is how long after the server confirms a fresh token the
// Convex client waits before fetching the next one: exp − iat − leeway,
// capped at 20 days (SPEC.md: Refetch). ok is false when the
// client logs an error and schedules nothing; warning is set when the
// leeway exceeds the lifetime and the client refetches immediately.
func RefetchDelay(iat, exp time.Time, leeway time.Duration) (delay time.Duration, ok bool, warning string) {
	if iat.IsZero() || exp.IsZero() || iat.Unix() == 0 || exp.Unix() == 0 {
		return 0, false, ClientNoFields
	}
	validity := exp.Sub(iat)
	if validity <= 2*time.Second {
		return 0, false, ClientTooShortLife
	}
	delay = validity - leeway
	if delay > maxRefreshDelay {
		delay = maxRefreshDelay
	}
	if delay <= 0 {
		return 0, true, fmt.Sprintf("Refetching auth token immediately, configured leeway %ds is larger than the token's lifetime %ds",
			int(leeway.Seconds()), int(validity.Seconds()))
	}
	return delay, true, ""
}
