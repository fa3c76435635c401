package flow

import "github.com/authscope/authscope/flow/convex"

// diagnose is the rule table; each rule looks at the round and returns a
// finding or nothing.
func diagnose(st *RoundState) []Finding {
	var out []Finding
	if st.Fetch.Token == "" {
		out = append(out, Finding{Code: "no-token", Title: "No token: ConvexProviderWithClerk never sent Authenticate",
			Fix:       `Activate the Convex integration in the Clerk dashboard, or create a JWT template named exactly "convex".`,
			Reference: "reference/clerk.md §0, §2.3"})
		return out
	}
	if st.Replay != nil && st.Replay.Err != nil {
		e := st.Replay.Err
		f := Finding{Code: string(e.Reason), Title: e.Message, Reference: "reference/convex.md §1.10"}
		if e.Detail != "" {
			f.Evidence = append(f.Evidence, Comparison{Label: "check", Actual: e.Detail})
		}
		if e.Reason == convex.ReasonNoProviders {
			f.Fix = "Add the Clerk provider to convex/auth.config.ts and run npx convex dev."
		}
		out = append(out, f)
	}
	return out
}
