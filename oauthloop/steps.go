package oauthloop

import (
	"fmt"
	"math"
	"time"

	"github.com/authscope/authscope/flow"
)

// browserTime converts a browser timestamp (ms since the epoch, fractional)
// to a time.Time.
func browserTime(ms float64) time.Time {
	sec, frac := math.Modf(ms / 1000)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9)))
}

// browserSpan is end − start, never negative (a clock step in the browser
// must not produce a negative duration).
func browserSpan(start, end float64) time.Duration {
	if end <= start {
		return 0
	}
	return time.Duration((end - start) * float64(time.Millisecond))
}

// stepReport turns an accepted page event into the step's final report,
// timed by the browser. Every value from the page is untrusted and goes
// into Fields as it came; reporters escape it.
func (s *Source) stepReport(pe pageEvent) flow.StepReport {
	ev := pe.Event
	r := flow.StepReport{
		ID:           ev.Step,
		Status:       ev.Status,
		Start:        browserTime(ev.Start),
		Duration:     browserSpan(ev.Start, ev.End),
		BrowserTimed: true,
	}
	switch ev.Status {
	case flow.StatusFail:
		r.Error = ev.Error
		if r.Error == "" {
			r.Error = "the page reported a failure without a message"
		}
	case flow.StatusSkipped:
		r.Summary = ev.Error
	}
	add := func(label, value string) {
		if value != "" {
			r.Fields = append(r.Fields, flow.Field{Label: label, Value: value})
		}
	}
	switch ev.Step {
	case flow.StepClick:
		add("page", ev.PageURL)
		add("browser", ev.UserAgent)
		add("browser clock", clockOffset(browserTime(ev.End), pe.Received))
		if r.Status == flow.StatusOK {
			r.Summary = "landing page loaded in " + r.Duration.Round(time.Millisecond).String()
		}
	case flow.StepRedirect:
		add("sign-in URL", ev.SignInURL)
		add("instance", ev.InstanceType)
		add("ClerkJS", ev.ClerkVersion)
		add("Frontend API", s.origin)
		if r.Status == flow.StatusOK {
			r.Summary = "no session yet, so on to the sign-in page"
			if ev.InstanceType != "" {
				r.Summary += " of the " + ev.InstanceType + " instance"
			}
		}
		if r.Status == flow.StatusFail && ev.InstanceType == InstanceProduction {
			r.Error += " — production keys only work on the app's own domain: use the development instance's pk_test_ key, or --token"
		}
	case flow.StepReturn:
		if ev.Status == flow.StatusOK || ev.Status == flow.StatusFail {
			add("time signing in", signInTime(r.Duration))
			// A development instance knows the browser by its dev browser
			// token, handed back on the return URL (see the glossary, ?).
			add("dev browser", yesNo(ev.Handoff, ParamDevBrowser+" came back on the return URL", "no "+ParamDevBrowser+" on the return URL"))
		}
		if r.Status == flow.StatusOK {
			r.Summary = "back after " + signInTime(r.Duration) + " signing in"
			if ev.Handoff {
				r.Summary += ", with the dev browser token"
			}
		}
	case flow.StepProvider:
		add("user", ev.UserID)
		add("session", ev.SessionID)
		aud := "not set"
		if len(ev.SessionAud) > 0 {
			aud = string(ev.SessionAud)
		}
		add("session claims aud", aud)
		path, _ := TokenPathFor(ev.SessionAud)
		integration := "on: ConvexProviderWithClerk will ask for the session token"
		if path == flow.TokenPathTemplate {
			integration = `off (aud is not "convex"): ConvexProviderWithClerk will ask for the "convex" JWT template`
		}
		add("Convex integration", integration)
		if r.Status == flow.StatusOK {
			r.Summary = fmt.Sprintf("%s signed in; the session's aud: %s", ev.UserID, aud)
		}
	}
	return r
}

// signInTime is the time spent on the sign-in page, rounded one way
// everywhere it is shown (the summary, the field, the page): to a tenth of
// a second under a minute, else to the second. 1.53 s is "1.5s".
func signInTime(d time.Duration) string {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// clockOffset says how far the browser's clock is from this machine's, as
// seen when the first report arrived. The difference includes the report's
// own transit (tens of ms on one machine), so below a second it only says
// the clocks agree; beyond, skew matters for token times (nbf, exp).
func clockOffset(browser, received time.Time) string {
	d := browser.Sub(received)
	switch {
	case d >= time.Second:
		return d.Round(100*time.Millisecond).String() + " ahead of this machine"
	case d <= -time.Second:
		return (-d).Round(100*time.Millisecond).String() + " behind this machine"
	default:
		return "in step with this machine (within 1s)"
	}
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// tokenResult turns a page token report into step 5's result.
func tokenResult(tr TokenReport) flow.TokenResult {
	res := flow.TokenResult{
		Path:         tr.Path,
		Template:     tr.Template,
		Start:        browserTime(tr.Start),
		Latency:      browserSpan(tr.Start, tr.End),
		HTTPStatus:   tr.HTTPStatus,
		Body:         tr.Body,
		Err:          tr.Error,
		SessionAud:   audText(tr.SessionAud),
		BrowserTimed: true,
	}
	if tr.Token != nil {
		res.Token = *tr.Token
	}
	if res.Token == "" && res.Err == "" {
		res.Err = "Clerk's session.getToken() returned null"
	}
	return res
}
