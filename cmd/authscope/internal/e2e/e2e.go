// Package e2e is the test support of authscope's end-to-end tier: the tests
// that drive real peers (headless Chromium, the Node packages of the real
// SDKs, tmux). It is the one place that reads AUTHSCOPE_REQUIRE_E2E: with it
// set to 1 (as in CI) a missing tool fails the test; without it the test is
// skipped with a message that says what to install.
//
// Only test files of cmd/authscope use it; nothing in the product links it.
package e2e

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the environment variable that turns a missing tool from a
// skip into a failure.
const RequireEnv = "AUTHSCOPE_REQUIRE_E2E"

// Required reports whether AUTHSCOPE_REQUIRE_E2E=1: the end-to-end tests
// must run, so whatever they lack is a failure.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Missing ends a test that cannot run because what is missing: it fails
// the test when Required, else skips it. hint says how to get it.
func Missing(t testing.TB, what, hint string) {
	t.Helper()
	msg := what + " (" + hint + "); this end-to-end test needs it"
	if Required() {
		t.Fatalf("%s=1 but %s", RequireEnv, msg)
	}
	t.Skipf("%s; set %s=1 to make this a failure", msg, RequireEnv)
}

// Require returns the path of tool on PATH, or ends the test through
// Missing with installHint. In -short mode the test is skipped unless
// Required.
func Require(t testing.TB, tool, installHint string) string {
	t.Helper()
	if testing.Short() && !Required() {
		t.Skipf("%s end-to-end test skipped in -short mode", tool)
	}
	p, err := exec.LookPath(tool)
	if err != nil {
		Missing(t, tool+" is not installed", installHint)
	}
	return p
}
