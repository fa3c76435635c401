package diagnose

import (
	"fmt"
	"time"
)

// tokenLifetimeTooShort finds token-lifetime-too-short: the token lives less
// than the Convex client's refresh leeway, so the client refetches at once,
// in a loop, or (at 2 s or less) gives up scheduling. It holds whatever the
// verdict.
func tokenLifetimeTooShort(d *round) *Finding {
	t := d.tok
	if !t.hasIat || !t.hasExp || t.iat.IsZero() || t.exp.IsZero() {
		return nil
	}
	life := t.exp.Sub(t.iat)
	if life >= ConvexRefreshLeeway {
		return nil
	}
	_, _, why := RefetchDelay(t.iat, t.exp, ConvexRefreshLeeway)
	f := d.finding(fmt.Sprintf("The token lives %s, less than the Convex client's %s refresh leeway", human(life), ConvexRefreshLeeway))
	f.compare("exp − iat", "at least "+ConvexRefreshLeeway.String(), human(life))
	if why != "" {
		f.note("the client logs", why)
	}
	f.Fix = "Issue tokens that live well over 10 s: in the Clerk dashboard, JWT templates → convex → Token lifetime (default 60 s, the session token of the Convex integration always lives 60 s). A shorter token makes the client refetch immediately after every confirmation, re-running every query."
	if info, other := d.other(); other {
		f.Fix = fmt.Sprintf("Issue tokens that live well over 10 s (%s's token lifetime setting). A shorter token makes the client refetch immediately after every confirmation, re-running every query.", info.Name)
	}
	return f
}

// human renders a duration the way the reporters show it: three
// significant places.
func human(d time.Duration) string {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
