package tui

import (
	"fmt"
	"io"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// maxPlainValue cuts long untrusted values in the plain output.
const maxPlainValue = 300

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
	// Redact hides the token's signature-bearing values and personal
	// claims (--redact), for screens that are shared.
	Redact bool

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
		fmt.Fprintf(p.W, "  %s\n", safe(tl.LastNotice().Text))
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
			fmt.Fprintf(p.W, "error: %s\n", safe(tl.Error))
		}
	}
}

func (p *Plain) run(r *flow.RunInfo) {
	fmt.Fprintf(p.W, "authscope: source %s (%s), backend %s %s\n", safe(r.Source), safe(r.SourceName), safe(r.Backend), safe(r.BackendURL))
	if r.Project != "" {
		fmt.Fprintf(p.W, "project: %s\n", safe(r.Project))
	}
	if r.Scenario != "" {
		fmt.Fprintf(p.W, "scenario: %s\n", safe(r.Scenario))
	}
	for _, f := range r.Findings {
		p.finding("found", f)
	}
}

func (p *Plain) fetch(f fetch.Record) {
	hit := "miss"
	if f.FromCache {
		hit = "hit"
	}
	fmt.Fprintf(p.W, "      backend fetched %s (%s, cache %s) %s\n", f.Kind, safe(f.URL), hit, fmtDur(f.Timing.Total))
}

func (p *Plain) schedule(s *flow.Schedule) {
	switch {
	case s == nil:
	case !s.NextRefetch.IsZero():
		fmt.Fprintf(p.W, "next token refetch at %s (Clerk cache refresh at %s)\n", clock(s.NextRefetch), clock(s.ClerkRefresh))
	case s.Reason != "" && s.Reason != p.noRefetch:
		p.noRefetch = s.Reason
		fmt.Fprintf(p.W, "no refetch scheduled: %s\n", safe(s.Reason))
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
	fmt.Fprintf(p.W, "%s%d [%s] %-9s %-44s %8s  %s\n", prefix, s.ID.Index(), statusWord[s.Status], s.ID, s.ID.Title(), d, safe(evidence))
	if p.Verbose && s.Detail != nil {
		p.detail(s.Detail)
	}
}

func (p *Plain) verdict(round int, v *flow.Verdict) {
	prefix := ""
	if round > 0 {
		prefix = fmt.Sprintf("refresh #%d ", round)
	}
	switch {
	case !v.Decided:
		// Neither true nor false: the app would show neither.
		fmt.Fprintf(p.W, "%sverdict: undecided: %s\n", prefix, v.Undecided.Text())
		if v.Problem != "" {
			fmt.Fprintf(p.W, "  %s\n", safe(v.Problem))
		}
	case v.Authenticated:
		// An accepted token can still carry causes that break the session
		// later (a lifetime under the client's leeway, no iat): they follow.
		fmt.Fprintf(p.W, "%sverdict: isAuthenticated: true\n", prefix)
	default:
		fmt.Fprintf(p.W, "%sverdict: isAuthenticated: false\n", prefix)
		if v.Problem != "" {
			fmt.Fprintf(p.W, "  %s\n", safe(v.Problem))
		}
		if v.Message != "" {
			fmt.Fprintf(p.W, "  backend said: %s\n", safe(v.Message))
		} else if v.CloseCode != 0 {
			fmt.Fprintf(p.W, "  the socket closed with code %d, reason %q, and no message\n", v.CloseCode, safe(v.CloseReason))
		}
	}
	for _, f := range v.Findings {
		p.finding("cause", f)
	}
}

// finding prints one finding with its evidence, fix and docs link.
func (p *Plain) finding(kind string, f diagnose.Finding) {
	fmt.Fprintf(p.W, "  %s [%s]: %s\n", kind, safe(f.Code), safe(f.Title))
	for _, e := range f.Evidence {
		switch {
		case e.Expected == "" && e.Actual == "":
		case e.Expected == "":
			fmt.Fprintf(p.W, "    %s: %s\n", safe(e.Label), safe(e.Actual))
		default:
			fmt.Fprintf(p.W, "    %s: expected %s, got %s\n", safe(e.Label), quote(e.Expected), quote(e.Actual))
		}
	}
	if f.Fix != "" {
		// Fixes are authscope's own sentences around quoted values: cut
		// them late, a fix missing its last step is no fix.
		fmt.Fprintf(p.W, "    fix: %s\n", untrusted.Text(f.Fix, 4*maxPlainValue))
	}
	if f.Docs != "" {
		fmt.Fprintf(p.W, "    see: %s\n", safe(f.Docs))
	}
}

func safe(s string) string { return untrusted.Text(s, maxPlainValue) }

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
	for _, f := range d.Fields {
		fmt.Fprintf(p.W, "      %s: %s\n", safe(f.Label), safe(f.Value))
	}
	if t := d.Token; t != nil && t.Raw != "" {
		for _, c := range t.Header {
			fmt.Fprintf(p.W, "      header %s: %s\n", safe(c.Name), safe(c.JSON))
		}
		for _, c := range t.Claims {
			v := c.JSON
			if p.Redact && flow.IsPersonal(c.Name) {
				v = "(hidden by --redact)"
			}
			if !c.Time.IsZero() {
				v += "  (" + c.Time.Local().Format("2006-01-02 15:04:05 MST") + ")"
			}
			fmt.Fprintf(p.W, "      claim %s: %s\n", safe(c.Name), safe(v))
		}
	}
	if j := d.JWKS; j != nil {
		for _, c := range j.Comparisons {
			mark := "ok"
			if !c.OK {
				mark = "MISMATCH"
			}
			fmt.Fprintf(p.W, "      %s: expected %s, token has %s (%s)\n", safe(c.Label), quote(c.Expected), quote(c.Actual), mark)
		}
		for _, f := range j.Trace.Fetches {
			fmt.Fprintf(p.W, "      GET %s: %s\n", safe(f.URL), plainFetch(f))
		}
		for _, k := range j.Trace.Keys {
			m := ""
			if k.Matched {
				m = "  <- the token's kid"
			}
			fmt.Fprintf(p.W, "      key %s %s %s%s\n", safe(k.Kid), safe(k.Kty), safe(k.Alg), m)
		}
		if j.Identity != "" && !p.Redact {
			fmt.Fprintf(p.W, "      ctx.auth.getUserIdentity(): %s\n", safe(j.Identity))
		}
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
