package flow

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"sort"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/untrusted"
)

// Timeline is everything known about a run, folded from its Events by
// Apply, and nothing else. It is the one state of every output: the JSON
// report of `authscope check --json` is a Timeline marshalled (its schema
// is documented in the README), the interactive view renders one, and the
// plain output prints from one. A field added here reaches all three, and
// they cannot disagree.
type Timeline struct {
	// Run describes the run; nil until the runner has said what it runs.
	Run *RunInfo `json:"run"`
	// Rounds are kept sorted by number: 0 is the sign-in, n is refresh #n.
	// Each holds all of its steps in order, pending until an event arrives.
	Rounds []Round `json:"rounds"`
	// RoundsDropped counts the oldest refresh rounds dropped to keep the
	// timeline bounded (maxRounds); the sign-in is never dropped.
	RoundsDropped int `json:"roundsDropped,omitempty"`
	// Authenticated is the verdict of the latest decided round (false
	// while no round is decided).
	Authenticated bool `json:"isAuthenticated"`
	// HasDecision says some round was decided: Authenticated is what the
	// app would show. Without one the run is undecided.
	HasDecision bool `json:"decided"`
	// Undecided is why the latest round with a verdict has no decision,
	// when it has none (an earlier round's decision still stands).
	Undecided Undecided `json:"undecided,omitempty"`

	Schedule *Schedule `json:"schedule,omitempty"`
	Notices  []Notice  `json:"notices,omitempty"`
	// Done says the runner stopped; Error says why when it failed.
	Done     bool      `json:"done"`
	Error    string    `json:"error,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
}

// Round is one round: the sign-in (steps 1–8) or a refresh (steps 5–8).
type Round struct {
	Round   int      `json:"round"`
	Steps   []Step   `json:"steps"`
	Verdict *Verdict `json:"verdict,omitempty"`
	// Fetches are the embedded backend's own discovery and JWKS fetches
	// during the round (hit or miss), as they happened; none for a real
	// deployment, whose fetches authscope cannot see.
	Fetches []fetch.Record `json:"backendFetches,omitempty"`
}

// Notice is something the runner asked the user to read, such as the
// sign-in URL. Sources give notices through Reporter.Notice with Kind,
// Text and URL; the runner adds At and SignIn.
type Notice struct {
	At time.Time `json:"at,omitzero"`
	// Kind says what the notice is about, so that each output can show
	// it its own way (the sign-in URL whole, on a line of its own).
	Kind NoticeKind `json:"kind,omitempty"`
	// Text is the notice as the runner wrote it: the user needs all of it
	// to open the sign-in page. Its JSON form hides the loopback page's
	// secret (MarshalJSON), since a report may be kept or shared.
	Text string `json:"text"`
	// URL is the URL the notice is about, whole (the sign-in page's, with
	// its secret), when it has one; Text holds it too.
	URL string `json:"url,omitempty"`
	// SignIn is true when the notice arrived while the user still had to
	// sign in: it is part of the sign-in prompt.
	SignIn bool `json:"signIn,omitempty"`
}

// NoticeKind says what a notice is about.
type NoticeKind string

// The kinds of notices. A notice of no kind is plain text.
const (
	// NoticeSignInURL gives the sign-in page's URL (URL holds it whole).
	// It comes first and is never replaced: later notices add to it.
	NoticeSignInURL NoticeKind = "sign-in-url"
	// NoticeBrowser says what became of the browser: opened, could not
	// start (the URL again, to open by hand), or an automatic sign-in.
	NoticeBrowser NoticeKind = "browser"
	// NoticeTabClosed says the sign-in tab went away: refresh rounds stop
	// until it is open again.
	NoticeTabClosed NoticeKind = "tab-closed"
	// NoticeTabOpen says the sign-in tab is back.
	NoticeTabOpen NoticeKind = "tab-open"
)

// secretInURL finds the loopback page's per-run secret in a notice.
var secretInURL = regexp.MustCompile(`(#secret=)[A-Za-z0-9_-]+`)

// HideSecret replaces the loopback page's per-run secret in text by
// <hidden>: for a report that may be kept, a screen that is shared, or a
// log no one will open the URL from.
func HideSecret(text string) string { return secretInURL.ReplaceAllString(text, "${1}<hidden>") }

// MarshalJSON writes the notice with the loopback secret hidden.
func (n Notice) MarshalJSON() ([]byte, error) {
	type plain Notice
	p := plain(n)
	p.Text = HideSecret(n.Text)
	p.URL = HideSecret(n.URL)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<hidden>" reads as it is, as in the rest of the report
	err := enc.Encode(p)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// Bounds: a runner (or a bug) that numbers rounds wildly or talks without
// end cannot make the timeline grow without limit.
const (
	maxRounds  = 200
	maxNotices = 200
)

// NewTimeline returns the timeline of a run that has not started: the
// sign-in round with its eight steps pending.
func NewTimeline() *Timeline {
	t := &Timeline{}
	t.round(0)
	return t
}

// Apply folds one event into the timeline. It never panics on odd input:
// nil payloads, unknown step IDs, steps that do not belong to the round
// and negative round numbers are ignored.
func (t *Timeline) Apply(ev Event) {
	switch ev.Kind {
	case EventRun:
		if ev.Run != nil {
			r := *ev.Run
			t.Run, t.Started = &r, ev.At
		}
	case EventStep:
		if ev.Step != nil {
			t.applyStep(*ev.Step)
		}
	case EventFetch:
		if r := t.round(ev.Round); r != nil && ev.Fetch != nil {
			r.Fetches = append(r.Fetches, *ev.Fetch)
		}
	case EventSchedule:
		if ev.Schedule != nil {
			s := *ev.Schedule
			t.Schedule = &s
		}
	case EventVerdict:
		if r := t.round(ev.Round); r != nil && ev.Verdict != nil {
			v := *ev.Verdict
			r.Verdict = &v
			t.decide()
		}
	case EventNotice:
		t.Notices = append(t.Notices, Notice{At: ev.At, Kind: ev.NoticeKind, Text: ev.Notice, URL: ev.NoticeURL, SignIn: t.SignInPending()})
		if len(t.Notices) > maxNotices {
			// Keep the first (the sign-in URL); drop the oldest after it.
			t.Notices = append(t.Notices[:1], t.Notices[2:]...)
		}
	case EventDone:
		t.Done, t.Error, t.Finished = true, ev.Err, ev.At
	}
}

// applyStep replaces a step's snapshot. Step 8's verdict decides the round
// if no verdict event did yet.
func (t *Timeline) applyStep(s Step) {
	if s.ID.Index() == 0 {
		return
	}
	r := t.round(s.Round)
	if r == nil {
		return
	}
	st := r.Step(s.ID)
	if st == nil {
		return
	}
	*st = s
	if s.ID == StepSend {
		t.trimFrames()
	}
	if s.ID == StepConfirmed && s.Detail != nil && s.Detail.Verdict != nil && r.Verdict == nil {
		v := *s.Detail.Verdict
		r.Verdict = &v
		t.decide()
	}
}

// decide keeps Authenticated equal to the latest decided round's verdict,
// and Undecided to the latest verdict's reason when it decided nothing.
func (t *Timeline) decide() {
	t.Authenticated, t.HasDecision, t.Undecided = false, false, ""
	if r := t.Decided(); r != nil {
		t.Authenticated, t.HasDecision = r.Verdict.Authenticated, true
	}
	if r := t.Concluded(); r != nil && !r.Verdict.Decided {
		t.Undecided = r.Verdict.Undecided
	}
}

// round returns round n, creating it with its steps pending if needed, or
// nil for a negative n or a round too old to keep.
func (t *Timeline) round(n int) *Round {
	if n < 0 {
		return nil
	}
	i := sort.Search(len(t.Rounds), func(i int) bool { return t.Rounds[i].Round >= n })
	if i < len(t.Rounds) && t.Rounds[i].Round == n {
		return &t.Rounds[i]
	}
	oldest := 0 // the index of the oldest refresh
	if len(t.Rounds) > 0 && t.Rounds[0].Round == 0 {
		oldest = 1
	}
	if n > 0 && len(t.Rounds) >= maxRounds && i <= oldest {
		t.RoundsDropped++ // older than every refresh kept
		return nil
	}
	ids := Steps
	if n > 0 {
		ids = RefreshSteps
	}
	r := Round{Round: n, Steps: make([]Step, len(ids))}
	for j, id := range ids {
		r.Steps[j] = Step{ID: id, Round: n, Status: StatusPending}
	}
	t.Rounds = append(t.Rounds, Round{})
	copy(t.Rounds[i+1:], t.Rounds[i:])
	t.Rounds[i] = r
	if len(t.Rounds) > maxRounds {
		// Drop the oldest refresh; the sign-in stays.
		t.Rounds = append(t.Rounds[:oldest], t.Rounds[oldest+1:]...)
		t.RoundsDropped++
		if i > oldest {
			i--
		}
	}
	return &t.Rounds[i]
}

// WriteJSON writes the timeline as the JSON report: indented, with <, >
// and & left as they are so URLs read as they were sent, and with the
// characters a terminal would act on or hide escaped (the report may land
// on one). It holds at most MaxReportBytes.
func (t *Timeline) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t.withinReportCap()); err != nil {
		return err
	}
	_, err := w.Write(untrusted.JSON(b.Bytes()))
	return err
}
