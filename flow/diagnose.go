package flow

// Diagnose names the causes of a failed round from what the round
// observed and the replayed Convex rules.
func Diagnose(st *RoundState) []Finding {
	return diagnose(st)
}
