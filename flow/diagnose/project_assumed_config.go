package diagnose

// Assumed is the assumed-config finding: a token is checked with no
// project to read, against the auth config the Convex and Clerk guides
// write for its issuer; note says which (from flow.AssumedConfig).
func Assumed(note string) Finding {
	return withRule(CodeAssumedConfig, Finding{Title: note,
		Fix: "run authscope in your project folder, or pass --project, so the real auth.config.ts is used"})
}
