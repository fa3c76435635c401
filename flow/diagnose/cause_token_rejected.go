package diagnose

// CodeTokenRejected is the last resort: the replay names the failing check
// and no cause above covers it; the finding shows the replay's own
// explanation.
func tokenRejected(d *round) *Finding {
	if d.stage != stageFailedCheck {
		return nil
	}
	e := d.Replay.Err
	f := d.finding("The backend rejected the token: " + string(e.Reason))
	if e.Detail != "" {
		f.note("failing check", e.Detail)
	}
	for _, c := range d.trace().Checks {
		if !c.OK {
			f.compare(c.Name, c.Expected, c.Actual)
		}
	}
	f.Fix = "Compare the failing check's expected and actual values above; the token must satisfy every check of the provider it is routed to."
	return f
}
