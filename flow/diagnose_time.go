package flow

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex"
)

// Time causes: an expired token, a clock that is off, a lifetime the
// client's refresh cannot work with (reference/convex.md §1.6, §3.3;
// reference/clerk.md §4.2; peers-and-security.md §9.2).

// ClockSkewTolerance is how far two clocks may differ before the
// diagnosis calls it skew: Clerk's own verifier allows 5 s
// (reference/clerk.md §4.2). A Date header is whole seconds, so smaller
// differences cannot be measured anyway.
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

// clockFetcher records the Date header of every response that really came
// from the server (not a cache), for the clock-skew diagnosis.
type clockFetcher struct {
	convex.Fetcher
	now func() time.Time

	mu   sync.Mutex
	seen []ServerClock
}

func newClockFetcher(f convex.Fetcher, now func() time.Time) *clockFetcher {
	return &clockFetcher{Fetcher: f, now: now}
}

// Fetch fetches through the wrapped fetcher and notes the server's clock.
func (c *clockFetcher) Fetch(ctx context.Context, kind convex.FetchKind, url string) (*convex.FetchResult, error) {
	res, err := c.Fetcher.Fetch(ctx, kind, url)
	if err == nil && res != nil && !res.FromCache && !res.Date.IsZero() {
		local := c.now()
		c.mu.Lock()
		c.seen = append(c.seen, ServerClock{Server: "issuer", URL: url, Date: res.Date, Local: local})
		c.mu.Unlock()
	}
	return res, err
}

func (c *clockFetcher) clocks() []ServerClock {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]ServerClock(nil), c.seen...)
}

// issuerClock is the first issuer clock the round saw.
func (d *diag) issuerClock() (ServerClock, bool) {
	for _, c := range d.st.ServerClocks {
		if c.Server == "issuer" {
			return c, true
		}
	}
	return ServerClock{}, false
}

// backendSkew is the backend's own estimate of the local clock's offset
// (clientClockSkew of a Transition, reference/convex.md §2.2–§2.3).
func (d *diag) backendSkew() (time.Duration, bool) {
	out := d.st.Outcome
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

// clockSkewFinding is this machine's clock off from the issuer's, when it
// explains the failure: the token is valid by the issuer's clock.
func (d *diag) clockSkewFinding(c ServerClock, because string) *Finding {
	skew := c.Skew()
	f := d.finding(CauseLocalClockSkew, fmt.Sprintf("This machine's clock is %s the issuer's: %s", aheadBehind(skew), because))
	f.compare("clock", stamp(c.Date)+" (issuer's Date header)", stamp(c.Local)+" (this machine)")
	f.note("issuer clock from", c.URL)
	if s, ok := d.backendSkew(); ok {
		f.note("backend's clientClockSkew", s.String())
	}
	if d.tok.hasExp {
		f.note("token", fmt.Sprintf("issued %s, expires %s (by the issuer's clock it is still valid)", stamp(d.tok.iat), stamp(d.tok.exp)))
	}
	f.Fix = "Set this machine's clock from the network: timedatectl set-ntp true (Linux), sudo hwclock -s or wsl --shutdown (WSL, whose clock drifts after sleep), Settings → Date & Time → Set automatically (macOS, Windows). A backend on this machine (npx convex dev --local, self-hosted) checks exp with this clock and no leeway."
	f.Reference = "reference/convex.md §1.3 step 4, §1.6; reference/clerk.md §4.2, §6; reference/peers-and-security.md §9.2"
	return f
}

// expired explains an expired token: this machine's clock, or a token
// that was really too old when it was sent.
func (d *diag) expired() *Finding {
	now := d.st.Now
	if c, ok := d.issuerClock(); ok && d.tok.hasExp {
		skew := c.Skew()
		if skew >= ClockSkewTolerance && d.tok.exp.After(now.Add(-skew)) {
			return d.clockSkewFinding(c, "the token looks expired here although the issuer just issued it")
		}
	}
	f := d.finding(CauseTokenExpired, "The token had already expired when the backend checked it")
	f.compare("exp", "after "+stamp(now)+" (now)", stamp(d.tok.exp))
	if d.tok.hasExp && !now.IsZero() {
		f.note("expired", now.Sub(d.tok.exp).Round(time.Second).String()+" before the check")
	}
	if c, ok := d.issuerClock(); ok && d.tok.hasIat {
		f.note("issued", fmt.Sprintf("%s before the issuer's current time (Date header)", c.Date.Sub(d.tok.iat).Round(time.Second)))
	}
	f.Fix = "Send a fresh token. The Convex client refetches one exp − iat − 10 s after each confirmation and Clerk's cache refreshes 15 s before exp; a token reused from a cache, copied from the browser or pasted with --token minutes later is already expired. Convex's OIDC path allows no leeway on exp."
	f.Reference = "reference/convex.md §1.3 step 4, §1.6, §3.3; reference/clerk.md §2.3, §4.2"
	return f
}

// notYetValid is nbf or iat in the future (customJwt, 5 s leeway).
func (d *diag) notYetValid() *Finding {
	if c, ok := d.issuerClock(); ok && c.Skew() <= -ClockSkewTolerance {
		return d.clockSkewFinding(c, "the token looks issued in the future")
	}
	f := d.finding(CauseTokenNotYetValid, "The token is not valid yet: its nbf or iat is in the future")
	f.compare("iat", "at or before "+stamp(d.st.Now), stamp(d.tok.iat))
	f.Fix = "The issuer's clock runs ahead of the backend's: set it from the network (NTP). Convex allows 5 s on the customJwt path."
	f.Reference = "reference/convex.md §1.4 step 6, §1.6"
	return f
}

// replayClockSkew: the backend accepted the token but authscope's replay,
// on this machine's clock, found it expired or not yet valid.
func (d *diag) replayClockSkew() *Finding {
	if !d.replayReason(convex.ReasonExpired, convex.ReasonNotYetValid) {
		return nil
	}
	c, ok := d.issuerClock()
	if !ok || !skewed(c.Skew()) {
		return nil
	}
	return d.clockSkewFinding(c, "the deployment accepted the token, but anything on this machine that checks it (authscope's replay, a local backend, server-side rendering) sees it wrongly")
}

// shortLifetime is a token that lives less than the client's refresh
// leeway: the Convex client refetches at once, in a loop, or (at 2 s or
// less) gives up scheduling (reference/convex.md §3.3 step 4).
func (d *diag) shortLifetime() *Finding {
	t := d.tok
	if !t.hasIat || !t.hasExp || t.iat.IsZero() || t.exp.IsZero() {
		return nil
	}
	life := t.exp.Sub(t.iat)
	if life >= ConvexRefreshLeeway {
		return nil
	}
	_, _, why := RefetchDelay(t.iat, t.exp, ConvexRefreshLeeway)
	f := d.finding(CauseShortLifetime, fmt.Sprintf("The token lives %s, less than the Convex client's %s refresh leeway", human(life), ConvexRefreshLeeway))
	f.compare("exp − iat", "at least "+ConvexRefreshLeeway.String(), human(life))
	if why != "" {
		f.note("the client logs", why)
	}
	f.Fix = "Issue tokens that live well over 10 s: in the Clerk dashboard, JWT templates → convex → Token lifetime (default 60 s, the session token of the Convex integration always lives 60 s). A shorter token makes the client refetch immediately after every confirmation, re-running every query."
	f.Reference = "reference/convex.md §3.1, §3.3 step 4; reference/clerk.md §4.2"
	return f
}
