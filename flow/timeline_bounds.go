package flow

import "encoding/json"

// Bounds on what a timeline keeps, whatever a deployment sends: each
// round's frames are already bounded by wire (the first and last ones);
// across rounds the frame text is capped too, and the JSON report has a
// byte cap of its own.
const (
	// maxFrameTextAllRounds caps the frame text kept over all rounds; the
	// oldest rounds give theirs up first.
	maxFrameTextAllRounds = 1 << 20
	// MaxReportBytes caps the JSON report: past it, the oldest refresh
	// rounds are left out of the report (counted in roundsDropped).
	MaxReportBytes = 8 << 20
)

// trimFrames keeps the frames of all rounds' step 6 within
// maxFrameTextAllRounds: the newest rounds keep theirs, older ones have
// theirs replaced by a count. Details are copied, never changed in place:
// the runner shares them.
func (t *Timeline) trimFrames() {
	total := 0
	for i := len(t.Rounds) - 1; i >= 0; i-- {
		st := t.Rounds[i].Step(StepSend)
		if st == nil || st.Detail == nil || st.Detail.Send == nil || st.Detail.Send.Outcome == nil {
			continue
		}
		o := st.Detail.Send.Outcome
		size := 0
		for _, f := range o.Frames {
			size += len(f.JSON) + len(f.Type)
		}
		if total+size <= maxFrameTextAllRounds {
			total += size
			continue
		}
		d, sd := *st.Detail, *st.Detail.Send
		sd.Outcome, d.Send = o.WithoutFrames(), &sd
		st.Detail = &d
	}
}

// withinReportCap returns the timeline as the report writes it: itself
// when it fits MaxReportBytes, else a copy holding the sign-in and the
// newest refresh rounds that fit.
func (t *Timeline) withinReportCap() *Timeline {
	head := *t
	head.Rounds = nil
	base, _ := json.MarshalIndent(head, "", "  ")
	sizes := make([]int, len(t.Rounds))
	total := len(base)
	for i, r := range t.Rounds {
		b, _ := json.MarshalIndent(r, "    ", "  ")
		sizes[i] = len(b) + 8
		total += sizes[i]
	}
	if total <= MaxReportBytes || len(t.Rounds) < 2 {
		return t
	}
	budget := MaxReportBytes - len(base) - sizes[0]
	first := len(t.Rounds)
	for first > 1 && sizes[first-1] <= budget {
		first--
		budget -= sizes[first]
	}
	c := *t
	c.Rounds = append([]Round{t.Rounds[0]}, t.Rounds[first:]...)
	c.RoundsDropped += first - 1
	return &c
}
