package e2e

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tmux is one tmux server with one session running a command, on a
// private socket, killed when the test ends.
type Tmux struct {
	t    testing.TB
	bin  string
	sock string
	name string
}

// StartTmux runs argv in a detached tmux session of width×height, or ends
// the test through Require when tmux is missing.
func StartTmux(t testing.TB, width, height int, argv ...string) *Tmux {
	t.Helper()
	tm := &Tmux{t: t, bin: Require(t, "tmux", "apt-get install -y tmux"),
		sock: filepath.Join(t.TempDir(), "tmux.sock"), name: "authscope-test"}
	tm.Run(append([]string{"new-session", "-d", "-s", tm.name, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height)}, argv...)...)
	t.Cleanup(func() { _ = exec.Command(tm.bin, "-S", tm.sock, "kill-server").Run() })
	return tm
}

// Run runs one tmux command against the server and returns its output.
func (tm *Tmux) Run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command(tm.bin, append([]string{"-S", tm.sock}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// Screen is the visible pane now, as text.
func (tm *Tmux) Screen() string { return tm.Run("capture-pane", "-p", "-t", tm.name) }

// Send types keys into the pane (tmux send-keys names, such as "Enter").
func (tm *Tmux) Send(keys ...string) {
	tm.Run(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// WaitFor polls the screen until it shows what, and returns it; after d it
// fails the test with the screen it saw.
func (tm *Tmux) WaitFor(what string, d time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := tm.Screen()
		if strings.Contains(s, what) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited %v for %q; the screen shows:\n%s", d, what, s)
		}
		time.Sleep(100 * time.Millisecond) // polling the terminal
	}
}
