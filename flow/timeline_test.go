package flow_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/wire"
)

func stepEvent(round int, id flow.StepID, st flow.Status) flow.Event {
	return flow.Event{Kind: flow.EventStep, Round: round, Step: &flow.Step{ID: id, Round: round, Status: st}}
}

func TestTimelineStartsWithThePendingSignIn(t *testing.T) {
	tl := flow.NewTimeline()
	if len(tl.Rounds) != 1 || len(tl.Rounds[0].Steps) != 8 || tl.Run != nil || tl.Decided() != nil {
		t.Fatalf("new timeline: %+v", tl)
	}
	for i, s := range tl.Rounds[0].Steps {
		if s.ID != flow.Steps[i] || s.Status != flow.StatusPending {
			t.Errorf("step %d is %s %s", i+1, s.ID, s.Status)
		}
	}
	tl.Apply(stepEvent(2, flow.StepSend, flow.StatusOK))
	if r := tl.Round(2); r == nil || len(r.Steps) != 4 || r.Step(flow.StepSend).Status != flow.StatusOK {
		t.Fatal("a refresh round holds steps 5–8")
	}
}

func TestTimelineIgnoresOddEvents(t *testing.T) {
	tl := flow.NewTimeline()
	for _, ev := range []flow.Event{
		{Kind: flow.EventStep},
		{Kind: flow.EventStep, Step: &flow.Step{ID: "nope", Status: flow.StatusOK}},
		{Kind: flow.EventStep, Step: &flow.Step{ID: flow.StepToken, Round: -3, Status: flow.StatusOK}},
		stepEvent(4, flow.StepClick, flow.StatusOK), // steps 1–4 belong to the sign-in only
		{Kind: flow.EventVerdict},
		{Kind: flow.EventVerdict, Round: -1, Verdict: &flow.Verdict{Authenticated: true}},
		{Kind: flow.EventFetch, Round: -1},
		{Kind: flow.EventFetch},
		{Kind: flow.EventSchedule},
		{Kind: flow.EventRun},
		{Kind: "mystery"},
	} {
		tl.Apply(ev)
	}
	if tl.Run != nil || tl.Decided() != nil || tl.Schedule != nil || len(tl.Rounds[0].Fetches) != 0 {
		t.Fatalf("odd events changed the timeline: %+v", tl)
	}
	if len(tl.Rounds) != 2 || len(tl.Round(4).Steps) != 4 {
		t.Fatalf("rounds: %+v", tl.Rounds)
	}
}

func TestTimelineBoundsRounds(t *testing.T) {
	tl := flow.NewTimeline()
	const n = 250
	for r := 1; r <= n; r++ {
		tl.Apply(stepEvent(r, flow.StepToken, flow.StatusOK))
	}
	if len(tl.Rounds) != 200 || tl.Rounds[0].Round != 0 || tl.Rounds[len(tl.Rounds)-1].Round != n || tl.RoundsDropped != n-199 {
		t.Fatalf("%d rounds, first %d, last %d, dropped %d", len(tl.Rounds), tl.Rounds[0].Round, tl.Rounds[len(tl.Rounds)-1].Round, tl.RoundsDropped)
	}
	// A round older than every one kept is not brought back.
	tl.Apply(stepEvent(3, flow.StepToken, flow.StatusOK))
	if tl.Round(3) != nil || len(tl.Rounds) != 200 {
		t.Fatal("a dropped round came back")
	}
	// Out-of-order rounds stay sorted.
	tl = flow.NewTimeline()
	for _, r := range []int{3, 1, 2} {
		tl.Apply(stepEvent(r, flow.StepSend, flow.StatusOK))
	}
	for i, r := range tl.Rounds {
		if r.Round != i {
			t.Fatalf("rounds out of order: %d at %d", r.Round, i)
		}
	}
}

func TestTimelineVerdicts(t *testing.T) {
	tl := flow.NewTimeline()
	tl.Apply(flow.Event{Kind: flow.EventVerdict, Round: 0, Verdict: &flow.Verdict{Authenticated: true, Decided: true}})
	if d := tl.Decided(); d == nil || d.Round != 0 || !tl.Authenticated || !tl.HasDecision {
		t.Fatal("the sign-in's verdict decides the run")
	}
	// Step 8's verdict decides a round before its verdict event.
	tl.Apply(flow.Event{Kind: flow.EventStep, Round: 1, Step: &flow.Step{ID: flow.StepConfirmed, Round: 1, Status: flow.StatusFail,
		Detail: &flow.Detail{Verdict: &flow.Verdict{Message: "rejected", Decided: true}}}})
	if d := tl.Decided(); d == nil || d.Round != 1 || tl.Authenticated {
		t.Fatalf("refresh #1's verdict is the latest: %+v", d)
	}
	if o := tl.Round(1).Outcome(); o != flow.StatusFail {
		t.Errorf("refresh #1's outcome is %s", o)
	}
}

// An undecided round never counts as false: the latest decided round
// stands, and the run says why the latest one decided nothing.
func TestTimelineUndecided(t *testing.T) {
	tl := flow.NewTimeline()
	tl.Apply(flow.Event{Kind: flow.EventVerdict, Round: 0, Verdict: &flow.Verdict{Undecided: flow.UndecidedSilent}})
	if tl.Decided() != nil || tl.HasDecision || tl.Authenticated || tl.Undecided != flow.UndecidedSilent {
		t.Fatalf("an undecided sign-in: decided %v, authenticated %v, undecided %q", tl.HasDecision, tl.Authenticated, tl.Undecided)
	}
	if c := tl.Concluded(); c == nil || c.Round != 0 || c.Outcome() != flow.StatusWarn {
		t.Fatalf("the undecided round is the latest concluded one, marked warn: %+v", c)
	}
	tl.Apply(flow.Event{Kind: flow.EventVerdict, Round: 1, Verdict: &flow.Verdict{Authenticated: true, Decided: true, DecidedBy: flow.DecidedByBackend}})
	tl.Apply(flow.Event{Kind: flow.EventVerdict, Round: 2, Verdict: &flow.Verdict{Undecided: flow.UndecidedConnectionDropped}})
	if d := tl.Decided(); d == nil || d.Round != 1 || !tl.Authenticated || !tl.HasDecision || tl.Undecided != flow.UndecidedConnectionDropped {
		t.Fatalf("refresh #1 stays the decision while #2 is undecided: %+v %q", d, tl.Undecided)
	}
	var b bytes.Buffer
	if err := tl.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"decided": true`, `"undecided": "connection-dropped"`, `"decidedBy": "backend"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %s", want)
		}
	}
}

func TestTimelineNotices(t *testing.T) {
	tl := flow.NewTimeline()
	const url = "Open http://127.0.0.1:4000/?state=abc#secret=s3cr3t-Value_1"
	tl.Apply(flow.Event{Kind: flow.EventNotice, Notice: url})
	tl.Apply(stepEvent(0, flow.StepReturn, flow.StatusOK))
	tl.Apply(flow.Event{Kind: flow.EventNotice, Notice: "later"})
	if !tl.Notices[0].SignIn || tl.Notices[1].SignIn || tl.LastNotice().Text != "later" {
		t.Fatalf("notices: %+v", tl.Notices)
	}
	// The user needs the secret; the report must not keep it.
	if tl.Notices[0].Text != url {
		t.Error("the timeline must keep the notice as written")
	}
	var b bytes.Buffer
	if err := tl.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "s3cr3t") || !strings.Contains(b.String(), "#secret=<hidden>") {
		t.Errorf("the report shows the secret:\n%s", b.String())
	}
	for i := 0; i < 300; i++ {
		tl.Apply(flow.Event{Kind: flow.EventNotice, Notice: "again"})
	}
	if len(tl.Notices) != 200 || tl.Notices[0].Text != url {
		t.Errorf("notices are bounded and keep the first: %d, first %q", len(tl.Notices), tl.Notices[0].Text)
	}
}

func TestTimelineRoundTimes(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	r := flow.Round{Steps: []flow.Step{
		{ID: flow.StepToken, Status: flow.StatusOK, Start: t0.Add(time.Second), Duration: 100 * time.Millisecond},
		{ID: flow.StepSend, Status: flow.StatusRunning, Start: t0.Add(2 * time.Second)},
		{ID: flow.StepJWKS, Status: flow.StatusPending},
	}}
	if !r.Start().Equal(t0.Add(time.Second)) {
		t.Errorf("start %v", r.Start())
	}
	if got := r.Span(t0.Add(5 * time.Second)); got != 4*time.Second {
		t.Errorf("span %v, want 4s: the running step ends now", got)
	}
	if r.Outcome() != flow.StatusRunning {
		t.Errorf("outcome %s", r.Outcome())
	}
}

func TestRedactedHidesPersonalValues(t *testing.T) {
	tl := flow.NewTimeline()
	tok := &flow.TokenDetail{Raw: "a.b.c", Claims: []flow.Claim{{Name: "email", JSON: `"ada@example.com"`}, {Name: "sub", JSON: `"user_1"`}}}
	tl.Apply(flow.Event{Kind: flow.EventStep, Step: &flow.Step{ID: flow.StepToken, Status: flow.StatusOK, Detail: &flow.Detail{Token: tok,
		Fields: []flow.Field{{Label: "Given name", Value: "Ada"}, {Label: "user", Value: "user_1"}}}}})
	tl.Apply(flow.Event{Kind: flow.EventStep, Step: &flow.Step{ID: flow.StepJWKS, Status: flow.StatusOK, Detail: &flow.Detail{JWKS: &flow.JWKSDetail{
		Identity: `{"subject":"user_1","email":"ada@example.com","properties.name":"Ada"}`}}}})
	b, err := json.Marshal(tl.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	for _, hidden := range []string{"ada@example.com", `"Ada"`, `\"Ada\"`} {
		if strings.Contains(string(b), hidden) {
			t.Errorf("the redacted report shows %s:\n%s", hidden, b)
		}
	}
	for _, kept := range []string{"user_1", flow.Redacted} {
		if !strings.Contains(string(b), kept) {
			t.Errorf("the redacted report lacks %s:\n%s", kept, b)
		}
	}
	if tl.Rounds[0].Token().Claims[0].JSON != `"ada@example.com"` {
		t.Error("Redacted changed the timeline itself")
	}
}

func TestPersonalClaims(t *testing.T) {
	for name, want := range map[string]bool{
		"email": true, "givenName": true, "picture": true, "properties.email": true, "first_name": true,
		"email_verified": false, "sub": false, "iss": false, "locale": false, "updated_at": false,
	} {
		if got := flow.IsPersonal(name); got != want {
			t.Errorf("IsPersonal(%q) = %v", name, got)
		}
	}
	if out, ok := flow.RedactIdentity(`{"b":1,"name":"Ada","a":[1]}`); !ok || out != `{"b":1,"name":"‹redacted›","a":[1]}` {
		t.Errorf("RedactIdentity: %s %v", out, ok)
	}
	if _, ok := flow.RedactIdentity(`[1]`); ok {
		t.Error("an array is not an identity")
	}
}

// A deployment that fills every round's frame log cannot make the
// timeline or the report grow without bound.
func TestTimelineBoundsFramesAndTheReport(t *testing.T) {
	tl := flow.NewTimeline()
	text := strings.Repeat("x", 16<<10)
	for r := 0; r < 150; r++ {
		out := &wire.Outcome{FramesLeftOut: &wire.FrameGap{After: 16, Count: 1000, Types: []wire.TypeCount{{Type: "TransitionChunk", Count: 1000}}}}
		for range 32 {
			out.Frames = append(out.Frames, wire.Frame{Type: "TransitionChunk", JSON: text})
		}
		tl.Apply(flow.Event{Kind: flow.EventStep, Round: r, Step: &flow.Step{ID: flow.StepSend, Round: r, Status: flow.StatusFail,
			Error: strings.Repeat("e", 64<<10), Detail: &flow.Detail{Send: &flow.SendDetail{Outcome: out}}}})
	}
	kept, withFrames := 0, 0
	for _, r := range tl.Rounds {
		o := r.Step(flow.StepSend).Detail.Send.Outcome
		for _, f := range o.Frames {
			kept += len(f.JSON)
		}
		if len(o.Frames) > 0 {
			withFrames++
		} else if o.FramesLeftOut == nil || o.FramesLeftOut.Count != 1032 || o.FramesLeftOut.Types[0].Count != 1032 {
			t.Fatalf("round %d lost its frames without counting them: %+v", r.Round, o.FramesLeftOut)
		}
	}
	if kept > 1<<20 || withFrames == 0 || len(tl.Round(149).Step(flow.StepSend).Detail.Send.Outcome.Frames) != 32 {
		t.Fatalf("%d bytes of frames kept in %d rounds; the newest must keep its own", kept, withFrames)
	}
	var b bytes.Buffer
	if err := tl.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if b.Len() > flow.MaxReportBytes {
		t.Fatalf("the report is %d bytes, over the %d-byte cap", b.Len(), flow.MaxReportBytes)
	}
	var rep flow.Timeline
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.RoundsDropped == 0 || rep.Rounds[0].Round != 0 || rep.Rounds[len(rep.Rounds)-1].Round != 149 {
		t.Fatalf("the report keeps the sign-in and the newest rounds: %d rounds, %d dropped", len(rep.Rounds), rep.RoundsDropped)
	}
}
