package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
)

// TestBinaryInTmux runs the built binary inside tmux, as a person would:
// it waits for the sign-in offer, presses a, waits for the verdict, looks
// at step 5's detail and quits.
func TestBinaryInTmux(t *testing.T) {
	e2e.Require(t, "tmux", "apt-get install -y tmux")
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	exitFile := filepath.Join(t.TempDir(), "exit")
	script := bin + " --demo --no-browser; echo $? > " + exitFile + "; sleep 60"
	tm := e2e.StartTmux(t, 100, 30, "env", "TERM=xterm-256color", "sh", "-c", script)
	tm.WaitFor("Press a", 30*time.Second)
	tm.Send("a")
	s := tm.WaitFor("isAuthenticated: true", 30*time.Second)
	for _, want := range []string{"1 User clicks the login button", "8 Backend confirms"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	// Select step 5 and expand it: the claims table shows the token's aud.
	// The keys go in at once, as a held key does: the program reads them
	// as one message of runes, each a press.
	tm.Send("kkkkkkkkjjjj")
	tm.WaitFor("▸ ✓ 5", 10*time.Second)
	tm.Send("Enter")
	tm.WaitFor(`"convex"`, 10*time.Second)
	tm.Send("q")
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := os.ReadFile(exitFile)
		if err == nil && len(bytes.TrimSpace(b)) > 0 {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Fatalf("exit status %s, want 0 after isAuthenticated: true\n%s", code, tm.Screen())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("authscope did not exit after q:\n%s", tm.Screen())
		}
		time.Sleep(100 * time.Millisecond) // polling for the exit file
	}
	// The terminal is restored: the alt screen is gone, the shell's screen is back.
	if s := tm.Screen(); strings.Contains(s, "Backend confirms") {
		t.Errorf("the interface is still on screen after quitting:\n%s", s)
	}
}

// TestDecodePromptDoesNotEcho types a token at decode's prompt in a real
// terminal: the token never shows on the screen, and its claims do.
func TestDecodePromptDoesNotEcho(t *testing.T) {
	e2e.Require(t, "tmux", "apt-get install -y tmux")
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	tok := clerkLike(t, "https://happy-animal-123.clerk.accounts.dev", time.Now())
	tm := e2e.StartTmux(t, 100, 50, "env", "TERM=xterm-256color", "sh", "-c", bin+" decode; echo EXIT=$?; sleep 60")
	tm.WaitFor("Paste the token", 30*time.Second)
	tm.Send("-l", "Bearer "+tok)
	time.Sleep(200 * time.Millisecond) // let the line reach the terminal before Enter
	tm.Send("Enter")
	s := tm.WaitFor("EXIT=", 15*time.Second)
	if !strings.Contains(s, "EXIT=0") || !strings.Contains(s, `"user_1"`) {
		t.Fatalf("decode did not show the claims or exit 0:\n%s", s)
	}
	// Any 12 characters of the token would be on one line of a 100-column
	// screen had it been echoed.
	payload := strings.Split(tok, ".")[1]
	for i := 0; i+12 <= len(payload); i += 6 {
		if strings.Contains(s, payload[i:i+12]) {
			t.Fatalf("the token was echoed (%q on screen):\n%s", payload[i:i+12], s)
		}
	}
}

// TestPromptCtrlCExits: Ctrl+C at the token prompt ends authscope with
// 130 and gives the terminal its echo back (the prompt reads with echo
// off). It used to wait at the prompt for ever. (The shell traps
// SIGINT so that it outlives authscope and shows the exit status.)
func TestPromptCtrlCExits(t *testing.T) {
	bin := buildForTmux(t)
	tm := e2e.StartTmux(t, 100, 30, "env", "TERM=xterm-256color", "sh", "-c", "trap : INT; "+bin+" decode; echo EXIT=$?; stty -a; echo STTY-END; sleep 60")
	tm.WaitFor("Paste the token", 30*time.Second)
	tm.Send("C-c")
	s := tm.WaitFor("STTY-END", 15*time.Second)
	if !strings.Contains(s, "EXIT=130") || !strings.Contains(s, "authscope: interrupted") {
		t.Fatalf("Ctrl+C at the prompt did not end authscope with 130:\n%s", s)
	}
	if !regexp.MustCompile(`(^|\s)echo(\s|$)`).MatchString(s) {
		t.Fatalf("the terminal's echo is still off after the prompt:\n%s", s)
	}
}

// buildForTmux builds the binary for a tmux test, or ends the test when
// tmux is missing.
func buildForTmux(t *testing.T) string {
	t.Helper()
	e2e.Require(t, "tmux", "apt-get install -y tmux")
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// wholeSignInURL is the loopback sign-in page's URL with its state and
// secret whole (32 random bytes each, base64url).
var wholeSignInURL = regexp.MustCompile(`(?m)^http://127\.0\.0\.1:[0-9]+/\?state=[A-Za-z0-9_-]{43}#secret=[A-Za-z0-9_-]{43}$`)

// TestSignInURLWholeInNarrowTmux runs the interface with --no-browser in a
// 60-column tmux, where the URL is twice as wide as the screen: tmux's
// joined capture (capture-pane -J, what a mouse selection copies) gives it
// back as one line, whole, secret included, while the interface is up; and
// after quitting, the URL printed before the interface took the screen is
// there whole too.
func TestSignInURLWholeInNarrowTmux(t *testing.T) {
	bin := buildForTmux(t)
	tm := e2e.StartTmux(t, 60, 30, "env", "TERM=xterm-256color", "sh", "-c", bin+" --demo --no-browser; sleep 60")
	tm.WaitFor("Press a", 30*time.Second)
	var joined string
	for deadline := time.Now().Add(5 * time.Second); ; {
		joined = tm.Run("capture-pane", "-p", "-J", "-t", "authscope-test")
		if wholeSignInURL.MatchString(joined) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // polling the terminal
	}
	url := wholeSignInURL.FindString(joined)
	if url == "" {
		t.Fatalf("the joined capture has no whole sign-in URL on a line of its own:\n%s", joined)
	}
	if screen := tm.Screen(); !strings.Contains(screen, "\n"+url[:60]+"\n"+url[60:120]+"\n") {
		t.Errorf("the screen does not show the URL in rows of 60 columns from the left edge:\n%s", screen)
	}
	// Once signed in the URL goes away, and its rows are no longer one
	// wrapped line: no joined line is wider than the screen.
	tm.Send("a")
	tm.WaitFor("isAuthenticated: true", 30*time.Second)
	time.Sleep(300 * time.Millisecond) // a few frames
	for _, l := range strings.Split(tm.Run("capture-pane", "-p", "-J", "-t", "authscope-test"), "\n") {
		if len([]rune(strings.TrimRight(l, " "))) > 60 {
			t.Errorf("rows of the screen are still joined after the URL went away: %q", l)
		}
	}
	tm.Send("q")
	for deadline := time.Now().Add(10 * time.Second); ; {
		after := tm.Run("capture-pane", "-p", "-J", "-t", "authscope-test")
		if !strings.Contains(after, "Press a") && strings.Contains(after, "sign-in page: "+url) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after quitting, the URL printed before the interface is not there whole:\n%s", after)
		}
		time.Sleep(100 * time.Millisecond) // polling the terminal
	}
}
