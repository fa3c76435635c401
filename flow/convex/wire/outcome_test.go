package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

// The JSON report shows the backend's AuthError as the message it was.
func TestOutcomeJSON(t *testing.T) {
	base, attempted := uint32(0), true
	b, err := json.Marshal(Outcome{AuthError: &AuthError{Error: "x", BaseVersion: &base, AuthUpdateAttempted: &attempted}, Closed: true, CloseCode: CloseNoStatus})
	if err != nil {
		t.Fatal(err)
	}
	want := `"authError":{"type":"AuthError","error":"x","baseVersion":0,"authUpdateAttempted":true},"closed":true,"closeCode":1005`
	if !strings.Contains(string(b), want) {
		t.Errorf("Outcome JSON = %s, want it to contain %s", b, want)
	}
	if (AuthError{}).Attempted() || !(AuthError{AuthUpdateAttempted: &attempted}).Attempted() {
		t.Error("Attempted does not follow authUpdateAttempted")
	}
}
