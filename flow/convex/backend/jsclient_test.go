package backend

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestRealJSClient runs the `ws` package and the convex npm client against
// the embedded backend. It needs node and AUTHSCOPE_NODE_MODULES, a folder
// where `npm install ws@8 convex@1.48.0` was run; otherwise it is skipped.
func TestRealJSClient(t *testing.T) {
	modules := os.Getenv("AUTHSCOPE_NODE_MODULES")
	node, err := exec.LookPath("node")
	if modules == "" || err != nil {
		t.Skip("set AUTHSCOPE_NODE_MODULES to a folder with ws and convex@1.48.0 installed, and put node on PATH")
	}
	is := newIssuer(t)
	b := startBackend(t, Options{Config: is.config()})
	now := time.Now()
	good := is.token(t, now, nil)
	bad := is.token(t, now, map[string]any{"exp": now.Add(-time.Minute).Unix()})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/jsclient.cjs")
	// Tokens travel in the environment of a child process, never on disk.
	cmd.Env = append(os.Environ(), "DEPLOYMENT_URL="+b.URL(), "GOOD_TOKEN="+good, "BAD_TOKEN="+bad)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var out struct {
		RawBad, RawGood struct {
			Msgs   []map[string]any
			Code   int
			Reason string
		}
		ClientGood, ClientBad struct {
			Authed   any
			Identity map[string]any
			Logged   []string
		}
	}
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("node printed %s: %v", stdout, err)
	}
	t.Logf("ws, rejected token: close %d %q after %v", out.RawBad.Code, out.RawBad.Reason, out.RawBad.Msgs)
	if len(out.RawBad.Msgs) != 1 || out.RawBad.Msgs[0]["type"] != "AuthError" || out.RawBad.Msgs[0]["error"] != msgVerifyFailed {
		t.Errorf("ws saw %v, want one AuthError", out.RawBad.Msgs)
	}
	if out.RawBad.Code != 1005 || out.RawBad.Reason != "" {
		t.Errorf("ws close = %d %q, want 1005 (a Close frame without status code)", out.RawBad.Code, out.RawBad.Reason)
	}
	if len(out.RawGood.Msgs) == 0 || out.RawGood.Msgs[0]["type"] != "Transition" {
		t.Errorf("ws with a good token saw %v", out.RawGood.Msgs)
	}
	if out.ClientGood.Authed != true || out.ClientGood.Identity["subject"] != "user_2abc" {
		t.Errorf("convex client with a good token: %+v", out.ClientGood)
	}
	if out.ClientBad.Authed != false {
		t.Errorf("convex client with a rejected token: %+v", out.ClientBad)
	}
	t.Logf("convex client, rejected token, console: %q", out.ClientBad.Logged)
}
