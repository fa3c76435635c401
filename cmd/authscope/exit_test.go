package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
)

// The exit status follows the verdict contract: 3 when nothing decided
// isAuthenticated, 130 when the run was interrupted.

func TestExitUndecidedWhenTheSignInTimesOut(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--no-browser", "--timeout", "300ms")
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "verdict: undecided: ") || strings.Contains(out, "isAuthenticated: false") {
		t.Errorf("a sign-in that timed out must be undecided, never false:\n%s", out)
	}
	code, out, _ = runArgs(t, "check", "--demo", "--no-browser", "--timeout", "300ms", "--json")
	var rep flow.Timeline
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != exitUndecided || rep.HasDecision || rep.Undecided == "" || strings.Contains(out, `"decided": true`) {
		t.Errorf("exit %d, decided %v, undecided %q:\n%s", code, rep.HasDecision, rep.Undecided, out)
	}
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestExitUndecidedWhenTheBackendIsUnreachable(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runIn(t, t.TempDir(), tok, "check", "--token", "-", "--deployment", closedURL(t))
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"verdict: undecided: the backend could not be reached", "cause [" + diagnose.CodeBackendUnreachable + "]"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "isAuthenticated: false") {
		t.Errorf("an unreachable backend decided nothing:\n%s", out)
	}
}

// SIGINT or SIGTERM cancel run's context (main wires them with
// signal.NotifyContext): the run stops with 130, whatever it was doing.
func TestExitInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"check", "--demo", "--no-browser", "--timeout", "1m"}, strings.NewReader(""), &out, &errb)
	}()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Fatalf("exit %d, want 130\n%s\n%s", code, out.String(), errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not stop after the interrupt")
	}
	if !strings.Contains(out.String(), "verdict: undecided: cancelled") {
		t.Errorf("an interrupted sign-in is undecided (cancelled):\n%s", out.String())
	}
}
