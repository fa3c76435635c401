package tui

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// maxPlainValue bounds one untrusted value in the plain output. Real
// values are far shorter and are printed whole, wrapped; only a hostile
// one is cut.
const maxPlainValue = 4096

// Plain prints the run as lines of text: one line per finished step with
// status, duration and the key evidence, then the verdict and its
// diagnosis. It is the output of `authscope check` and of `authscope` when
// stdout is not a terminal. It prints from its timeline: each event is
// folded in first, and the line printed is the timeline's state, so the
// text says what the JSON report and the interactive view say.
type Plain struct {
	W io.Writer
	// Verbose adds each step's evidence: its fields, the token's header and
	// claims, the provider comparison and the fetch timings.
	Verbose bool
	// Redact hides personal claims and fields, e-mail addresses and the
	// loopback secret (--redact), for screens that are shared. The raw
	// token is never printed.
	Redact bool
	// Width is the width lines are wrapped to: the terminal's, or 0 for
	// DefaultWidth when stdout is not a terminal. Nothing is cut.
	Width int
	// HideSecret hides the loopback page's secret in the sign-in notice:
	// no person will open the URL (--auto).
	HideSecret bool

	tl *flow.Timeline
	// noRefetch is the last "no refetch" reason printed, not repeated for
	// every refresh round.
	noRefetch string
}

// Consume prints events until the channel closes and returns the timeline
// they made.
func (p *Plain) Consume(events <-chan flow.Event) *flow.Timeline {
	for ev := range events {
		p.Print(ev)
	}
	return p.Timeline()
}

// Timeline is the run as printed so far.
func (p *Plain) Timeline() *flow.Timeline {
	if p.tl == nil {
		p.tl = flow.NewTimeline()
	}
	return p.tl
}

// Print folds one event into the timeline and prints what it added.
func (p *Plain) Print(ev flow.Event) {
	tl := p.Timeline()
	tl.Apply(ev)
	switch ev.Kind {
	case flow.EventRun:
		if tl.Run != nil {
			p.run(tl.Run)
		}
	case flow.EventNotice:
		text := tl.LastNotice().Text
		if p.HideSecret {
			text = flow.HideSecret(text)
		}
		p.out().para("  ", "    ", p.show(text))
	case flow.EventStep:
		if r := tl.Round(ev.Step.Round); r != nil {
			if s := r.Step(ev.Step.ID); s != nil && s.Status.Done() {
				p.step(s)
			}
		}
	case flow.EventFetch:
		if r := tl.Round(ev.Round); r != nil && len(r.Fetches) > 0 {
			p.fetch(r.Fetches[len(r.Fetches)-1])
		}
	case flow.EventVerdict:
		if r := tl.Round(ev.Round); r != nil && r.Verdict != nil {
			p.verdict(r.Round, r.Verdict)
		}
	case flow.EventSchedule:
		p.schedule(tl.Schedule)
	case flow.EventDone:
		// A failed sign-in's error is already the verdict's problem.
		if d := tl.Concluded(); tl.Error != "" && (d == nil || d.Verdict.Problem != tl.Error) {
			p.out().para("error: ", "  ", safe(tl.Error))
		}
	}
}

// out is where the lines go, wrapped to the width.
func (p *Plain) out() printer { return printer{w: p.W, width: p.Width} }

func (p *Plain) run(r *flow.RunInfo) {
	o := p.out()
	o.para("", "  ", fmt.Sprintf("authscope: source %s (%s), backend %s %s", safe(r.Source), safe(r.SourceName), safe(r.Backend), safe(r.BackendURL)))
	if r.Project != "" {
		o.para("project: ", "  ", safe(r.Project))
	}
	if r.Scenario != "" {
		o.para("scenario: ", "  ", safe(r.Scenario))
	}
	if r.Provider != nil {
		o.para("provider: ", "  ", safe(r.Provider.Name+": "+r.TokenFrom))
	}
	for _, f := range r.Findings {
		o.finding("found", f)
	}
}

func (p *Plain) fetch(f fetch.Record) {
	hit := "miss"
	if f.FromCache {
		hit = "hit"
	}
	p.out().para("      ", "        ", fmt.Sprintf("backend fetched %s (%s, cache %s) %s", f.Kind, safe(f.URL), hit, fmtDur(f.Timing.Total)))
}

func (p *Plain) schedule(s *flow.Schedule) {
	switch {
	case s == nil:
	case !s.NextRefetch.IsZero() && !s.ClerkRefresh.IsZero():
		fmt.Fprintf(p.W, "next token refetch at %s (Clerk cache refresh at %s)\n", clock(s.NextRefetch), clock(s.ClerkRefresh))
	case !s.NextRefetch.IsZero() && !s.SDKRefresh.IsZero():
		fmt.Fprintf(p.W, "next token refetch at %s (%s at %s)\n", clock(s.NextRefetch), safe(s.SDKRefreshLabel), clock(s.SDKRefresh))
	case !s.NextRefetch.IsZero():
		fmt.Fprintf(p.W, "next token refetch at %s\n", clock(s.NextRefetch))
	case s.Reason != "" && s.Reason != p.noRefetch:
		p.noRefetch = s.Reason
		p.out().para("no refetch scheduled: ", "  ", safe(s.Reason))
	}
}

var statusWord = map[flow.Status]string{
	flow.StatusOK: " ok ", flow.StatusWarn: "warn", flow.StatusFail: "FAIL", flow.StatusSkipped: "skip",
	flow.StatusPending: "....", flow.StatusRunning: "run ",
}

func (p *Plain) step(s *flow.Step) {
	prefix := ""
	if s.Round > 0 {
		prefix = fmt.Sprintf("refresh #%d ", s.Round)
	}
	d := ""
	if s.Status != flow.StatusSkipped {
		d = fmtDur(s.Duration)
		if s.BrowserTimed {
			d += "*"
		}
	}
	evidence := s.Summary
	if s.Error != "" {
		evidence = s.Error
		if s.Summary != "" {
			evidence += " (" + s.Summary + ")"
		}
	}
	lead := fmt.Sprintf("%s%d [%s] %-9s %-44s %8s  ", prefix, s.ID.Index(), statusWord[s.Status], s.ID, p.tl.Run.StepTitle(s.ID), d)
	p.out().block(lead, "      ", p.show(evidence))
	if p.Verbose && s.Detail != nil {
		det := s.Detail
		if p.Redact {
			det = det.Redacted()
		}
		p.detail(det)
	}
}

func (p *Plain) verdict(round int, v *flow.Verdict) {
	o := p.out()
	prefix := ""
	if round > 0 {
		prefix = fmt.Sprintf("refresh #%d ", round)
	}
	switch {
	case !v.Decided:
		// Neither true nor false: the app would show neither.
		o.para(prefix+"verdict: undecided: ", "  ", v.Undecided.Text())
		if v.Problem != "" {
			o.para("  ", "    ", p.show(v.Problem))
		}
	case v.Authenticated:
		// An accepted token can still carry causes that break the session
		// later (a lifetime under the client's leeway, no iat): they follow.
		fmt.Fprintf(p.W, "%sverdict: isAuthenticated: true\n", prefix)
	default:
		fmt.Fprintf(p.W, "%sverdict: isAuthenticated: false\n", prefix)
		if v.Problem != "" {
			o.para("  ", "    ", p.show(v.Problem))
		}
		if v.Message != "" {
			o.para("  backend said: ", "    ", safe(v.Message))
		} else if v.CloseCode != 0 {
			o.para("  ", "    ", fmt.Sprintf("the socket closed with code %d, reason %q, and no message", v.CloseCode, safe(v.CloseReason)))
		}
	}
	for _, f := range v.Findings {
		o.finding("cause", f)
	}
}

// finding prints one finding with its evidence, fix and docs link.
func (x printer) finding(kind string, f diagnose.Finding) {
	x.para(fmt.Sprintf("  %s [%s]: ", kind, safe(f.Code)), "    ", safe(f.Title))
	for _, e := range f.Evidence {
		switch {
		case kind == "cause" && e.IsBackendAnswer():
			// The verdict's lines above say it already.
		case e.Expected == "" && e.Actual == "":
		case e.Expected == "":
			x.para("    "+safe(e.Label)+": ", "      ", safe(e.Actual))
		default:
			x.para("    "+safe(e.Label)+": ", "      ", fmt.Sprintf("expected %s, got %s", quote(e.Expected), quote(e.Actual)))
		}
	}
	if f.Fix != "" {
		x.para("    fix: ", "      ", safe(f.Fix))
	}
	if f.Docs != "" {
		x.para("    see: ", "      ", safe(f.Docs))
	}
}

func safe(s string) string { return untrusted.Text(s, maxPlainValue) }

// show is safe for free text, with e-mail addresses and the loopback
// secret hidden under redaction.
func (p *Plain) show(s string) string {
	if p.Redact {
		s = Scrub(s)
	}
	return safe(s)
}

func quote(s string) string {
	if s == "" {
		return "(nothing)"
	}
	return `"` + safe(s) + `"`
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("15:04:05")
}

// detail prints a step's evidence under its line (check -v).
func (p *Plain) detail(d *flow.Detail) {
	o := p.out()
	const lead, indent = "      ", "        "
	for _, f := range d.Fields {
		if strings.HasPrefix(f.Value, "{") && json.Valid([]byte(f.Value)) {
			// A JSON object (a query's answer): one member per line.
			o.para(lead+safe(f.Label)+":", indent, "")
			o.json(indent, f.Value)
			continue
		}
		o.para(lead+safe(f.Label)+": ", indent, safe(f.Value))
	}
	if t := d.Token; t != nil {
		for _, c := range t.Header {
			o.para(lead+"header "+safe(c.Name)+": ", indent, safe(c.JSON))
		}
		for _, c := range t.Claims {
			v := safe(c.JSON)
			if p.Redact && flow.IsPersonal(c.Name) {
				v = "(hidden by --redact)"
			}
			if !c.Time.IsZero() {
				v += "  (" + c.Time.Local().Format("2006-01-02 15:04:05 MST") + ")"
			}
			o.para(lead+"claim "+safe(c.Name)+": ", indent, v)
		}
	}
	if j := d.JWKS; j != nil {
		p.jwksDetail(j)
	}
}

// jwksDetail prints step 7's comparisons, fetches, keys and identity.
func (p *Plain) jwksDetail(j *flow.JWKSDetail) {
	o := p.out()
	const lead, indent = "      ", "        "
	for _, c := range j.Comparisons {
		mark := "ok"
		if !c.OK {
			mark = "MISMATCH"
		}
		o.para(lead+safe(c.Label)+": ", indent, fmt.Sprintf("expected %s, token has %s (%s)", quote(c.Expected), quote(c.Actual), mark))
	}
	for _, f := range j.Trace.Fetches {
		o.para(lead, indent, fmt.Sprintf("GET %s: %s", safe(f.URL), plainFetch(f)))
	}
	for _, k := range j.Trace.Keys {
		m := ""
		if k.Matched {
			m = "  <- the token's kid"
		}
		o.para(lead, indent, fmt.Sprintf("key %s %s %s%s", safe(k.Kid), safe(k.Kty), safe(k.Alg), m))
	}
	if j.Identity != "" && !p.Redact {
		o.para(lead+"ctx.auth.getUserIdentity():", indent, "")
		o.json(indent, j.Identity)
	}
}

// plainFetch is one replayed fetch in -v: a cache hit says so and what is
// left of its lifetime; through a proxy, the proxy resolved the name.
func plainFetch(f fetch.Record) string {
	t := f.Timing
	switch {
	case f.Err != "" && f.Network != "":
		return "this machine's connection failed: " + f.Network.Text()
	case f.Err != "":
		return "failed"
	case f.FromCache:
		return fmt.Sprintf("%d, from the cache (%s of its lifetime left)", f.Status, f.Lifetime)
	case t.Proxy != "":
		return fmt.Sprintf("%d, via proxy %s (it resolved the name), connect to it %s tls %s first byte %s, total %s, cache lifetime %s",
			f.Status, safe(t.Proxy), fmtDur(t.Connect), fmtDur(t.TLS), fmtDur(t.FirstByte), fmtDur(t.Total), f.Lifetime)
	}
	return fmt.Sprintf("%d, dns %s connect %s tls %s first byte %s, total %s, cache lifetime %s",
		f.Status, fmtDur(t.DNS), fmtDur(t.Connect), fmtDur(t.TLS), fmtDur(t.FirstByte), fmtDur(t.Total), f.Lifetime)
}
