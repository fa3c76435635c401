package diagnose

import (
	"math"
	"time"
)

// ClockSkewTolerance is how far two clocks may differ before the rules
// call it skew: Clerk's own verifier allows 5 s (clockSkewInMs in
// github.com/clerk/javascript packages/backend/src/jwt/verifyJwt.ts). A
// Date header is whole seconds, so smaller differences cannot be measured
// anyway.
const ClockSkewTolerance = 5 * time.Second

// ServerClock is one server's clock as its Date header showed it, with the
// local time the response arrived.
type ServerClock struct {
	// Server says whose clock it is: "issuer" for discovery and JWKS.
	Server string    `json:"server"`
	URL    string    `json:"url"`
	Date   time.Time `json:"date"`
	Local  time.Time `json:"local"`
}

// Skew is how far the local clock is ahead of the server's (negative:
// behind). The Date header truncates to the second, so half a second is
// added to the server's time.
func (c ServerClock) Skew() time.Duration {
	return c.Local.Sub(c.Date.Add(500 * time.Millisecond)).Round(time.Second)
}

// issuerClock is the first issuer clock the round saw.
func (d *round) issuerClock() (ServerClock, bool) {
	for _, c := range d.ServerClocks {
		if c.Server == "issuer" {
			return c, true
		}
	}
	return ServerClock{}, false
}

// backendSkew is the backend's own estimate of the local clock's offset:
// clientClockSkew of a Transition (convex-js src/browser/sync/protocol.ts).
func (d *round) backendSkew() (time.Duration, bool) {
	out := d.Outcome
	if out == nil || out.ClientClockSkew == nil || math.IsNaN(*out.ClientClockSkew) || math.IsInf(*out.ClientClockSkew, 0) {
		return 0, false
	}
	ms := math.Max(math.Min(*out.ClientClockSkew, 1e12), -1e12)
	return (time.Duration(ms) * time.Millisecond).Round(time.Second), true
}

func skewed(d time.Duration) bool { return d >= ClockSkewTolerance || d <= -ClockSkewTolerance }

func aheadBehind(d time.Duration) string {
	if d < 0 {
		return (-d).String() + " behind"
	}
	return d.String() + " ahead of"
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
