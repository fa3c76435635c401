package wire

import (
	"strings"
	"testing"
)

// outcomeView adds assertion helpers to an Outcome.
type outcomeView struct{ *Outcome }

func (o *outcomeView) want(t *testing.T, what string, got, want any) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v (outcome %+v)", what, got, want, *o.Outcome)
	}
}

// frameTypes lists the recorded frames as "Type>" (sent) or "<Type" (received).
func frameTypes(o *outcomeView) string {
	var parts []string
	for _, f := range o.Frames {
		if f.Outgoing {
			parts = append(parts, f.Type+">")
		} else {
			parts = append(parts, "<"+f.Type)
		}
	}
	return strings.Join(parts, ",")
}
