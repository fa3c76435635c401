package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// localClockSkew finds local-clock-skew in a rejection: this machine's
// clock is off from the issuer's (its Date header), so a valid token looks
// expired or not yet valid to anything on this machine that checks it:
// authscope's replay, a local backend (which checks exp with no leeway),
// server-side rendering. By the issuer's clock the token is valid.
func localClockSkew(d *round) *Finding {
	c, ok := d.issuerClock()
	switch {
	case !ok:
		return nil
	case d.failed(convexrules.ReasonExpired, convexrules.ReasonIdentityExpired):
		skew := c.Skew()
		if d.tok.hasExp && skew >= ClockSkewTolerance && d.tok.exp.After(d.Now.Add(-skew)) {
			return d.clockSkewFinding(c, "the token looks expired here although the issuer just issued it")
		}
	case d.failed(convexrules.ReasonNotYetValid):
		if c.Skew() <= -ClockSkewTolerance {
			return d.clockSkewFinding(c, "the token looks issued in the future")
		}
	}
	return nil
}

// localClockSkewAccepted: the backend accepted the token but authscope's
// replay, on this machine's clock, found it expired or not yet valid.
func localClockSkewAccepted(d *round) *Finding {
	if d.stage != stageAccepted || !d.replayReason(convexrules.ReasonExpired, convexrules.ReasonNotYetValid) {
		return nil
	}
	c, ok := d.issuerClock()
	if !ok || !skewed(c.Skew()) {
		return nil
	}
	return d.clockSkewFinding(c, "the deployment accepted the token, but anything on this machine that checks it (authscope's own check, a local backend, server-side rendering) sees it wrongly")
}

func (d *round) clockSkewFinding(c ServerClock, because string) *Finding {
	skew := c.Skew()
	f := d.finding(fmt.Sprintf("This machine's clock is %s the issuer's: %s", aheadBehind(skew), because))
	f.compare("clock", stamp(c.Date)+" (issuer's Date header)", stamp(c.Local)+" (this machine)")
	f.note("issuer clock from", c.URL)
	if s, ok := d.backendSkew(); ok {
		f.note("backend's clientClockSkew", s.String())
	}
	if d.tok.hasExp {
		f.note("token", fmt.Sprintf("issued %s, expires %s (by the issuer's clock it is still valid)", stamp(d.tok.iat), stamp(d.tok.exp)))
	}
	f.Fix = "Set this machine's clock from the network: timedatectl set-ntp true (Linux), sudo hwclock -s or wsl --shutdown (WSL, whose clock drifts after sleep), Settings → Date & Time → Set automatically (macOS, Windows). A backend on this machine (npx convex dev --local, self-hosted) checks exp with this clock and no leeway."
	return f
}
