package tui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Decoded prints an offline token inspection (authscope decode): the
// header and the claims in token order, times in local time and relative
// to now, the lifetime, the Convex client's refetch time, the identity
// ctx.auth.getUserIdentity() would return, and the warnings. The token
// itself is never printed.
type Decoded struct {
	W io.Writer
	// Width is the width lines are wrapped to (0: DefaultWidth).
	Width int
	// Redact hides personal claims and identity fields (--redact).
	Redact bool
}

// Print prints the inspection.
func (p Decoded) Print(in *flow.Inspection) {
	o := printer{w: p.W, width: p.Width}
	td := in.Token
	facts := []string{fmt.Sprintf("%d bytes", td.Size)}
	for _, f := range []struct{ name, v string }{{"alg", in.Alg}, {"kid", in.Kid}, {"typ", in.Typ}} {
		if f.v != "" {
			facts = append(facts, f.name+" "+safe(f.v))
		}
	}
	facts = append(facts, fmt.Sprintf("signature %d bytes, not verified (decode is offline; --verify asks the backend)", in.SignatureSize))
	o.para("token: ", "  ", strings.Join(facts, ", "))

	fmt.Fprintln(p.W, "header")
	p.members(o, td.Header, in.Now)
	fmt.Fprintln(p.W, "claims")
	p.members(o, td.Claims, in.Now)

	if td.Lifetime != 0 {
		o.para("lifetime: ", "  ", fmt.Sprintf("%s (exp − iat)", seconds(td.Lifetime)))
	}
	p.refetch(o, in)
	p.identity(o, in)
	if len(in.Warnings) == 0 {
		fmt.Fprintln(p.W, "warnings: none")
	}
	for _, f := range in.Warnings {
		o.finding("warning", f)
	}
}

// members prints header parameters or claims, names aligned, time claims
// with their local time and how far from now.
func (p Decoded) members(o printer, ms []flow.Claim, now time.Time) {
	w := 0
	for _, m := range ms {
		w = max(w, min(ansi.StringWidth(safe(m.Name)), 16))
	}
	for _, m := range ms {
		name := safe(m.Name)
		v := safe(m.JSON)
		switch {
		case p.Redact && flow.IsPersonal(m.Name):
			v = "(hidden by --redact)"
		case !m.Time.IsZero():
			v += fmt.Sprintf("  %s, %s", m.Time.Local().Format("2006-01-02 15:04:05 MST"), fmtRel(m.Time, now))
		}
		o.para("  "+name+strings.Repeat(" ", max(w-ansi.StringWidth(name), 0))+"  ", "    ", v)
	}
}

// refetch says when the Convex client would ask for the next token.
func (p Decoded) refetch(o printer, in *flow.Inspection) {
	const lead = "Convex client refetch: "
	switch {
	case in.Refetch.IsZero():
		o.para(lead, "  ", fmt.Sprintf("none: the client logs %q", in.RefetchProblem))
	case in.RefetchProblem != "":
		o.para(lead, "  ", fmt.Sprintf("at once, in a loop: the client logs %q", in.RefetchProblem))
	default:
		o.para(lead, "  ", fmt.Sprintf("%s, %s (iat + %s: the lifetime minus the client's %s leeway; the client counts from when the backend confirms the token)",
			fmtClock(in.Refetch, in.Now), fmtRel(in.Refetch, in.Now), seconds(in.RefetchDelay), seconds(diagnose.ConvexRefreshLeeway)))
	}
}

// identity prints the provider the token was read for and the identity
// its path builds.
func (p Decoded) identity(o printer, in *flow.Inspection) {
	o.para("provider: ", "  ", safe(in.ProviderNote))
	path := "the OIDC path"
	if in.Provider.Kind == rules.KindCustomJWT {
		path = "the customJwt path"
	}
	if in.Identity == "" {
		o.para("ctx.auth.getUserIdentity(): ", "  ", safe(in.IdentityProblem))
		return
	}
	text := in.Identity
	if p.Redact {
		text, _ = flow.RedactIdentity(text)
	}
	o.para("ctx.auth.getUserIdentity() would return, on "+path+":", "  ", "")
	o.json("  ", text)
}

// seconds renders a token's whole-second durations: "50s", "1m0s".
func seconds(d time.Duration) string { return d.Round(time.Second).String() }
