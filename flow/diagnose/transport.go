package diagnose

import (
	"errors"

	"github.com/authscope/authscope/flow/convex/wire"
)

// transport is how step 6 failed when the backend gave no verdict, and
// the error saying so (nil when it failed otherwise or not at all).
func (d *round) transport() (wire.TransportKind, *wire.TransportError) {
	if d.stage != stageNoVerdict || d.SendErr == nil {
		return "", nil
	}
	var te *wire.TransportError
	errors.As(d.SendErr, &te)
	return wire.KindOf(d.SendErr), te
}

// sentNote says whether the token reached the wire before the transport
// failed: it never did for an unreachable deployment, it did for the
// others, and the backend's answer about it is what is missing.
func (f *Finding) sentNote(te *wire.TransportError) {
	if te != nil && te.Sent {
		f.note("token", "sent in Authenticate; no answer about it came back")
		return
	}
	f.note("token", "not sent")
}

// convexURLVar names the framework's deployment URL variable.
func (n appNames) convexURLVar() string {
	return replaceSuffix(n.keyVar, "CLERK_PUBLISHABLE_KEY", "CONVEX_URL")
}

func replaceSuffix(s, old, repl string) string {
	if len(s) >= len(old) && s[len(s)-len(old):] == old {
		return s[:len(s)-len(old)] + repl
	}
	return s
}
