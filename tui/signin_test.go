package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/flow"
)

// runningURL is the sign-in URL of the recorded healthy run.
func runningURL(t *testing.T) string {
	t.Helper()
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	u := m.signInURL()
	if !strings.Contains(u, "#secret=") {
		t.Fatalf("no sign-in URL in the recorded notices: %q", u)
	}
	return u
}

// TestSignInURLIsWholeAtEveryWidth: the URL has rows of its own from the
// left edge, as wide as the screen, with nothing cut (the secret
// included) and no ellipsis, down to 40 columns.
func TestSignInURLIsWholeAtEveryWidth(t *testing.T) {
	url := runningURL(t)
	for _, w := range []int{40, 60, 80, 100, 120, 200} {
		m, _ := fixture(t, evRunning, Options{}, w, 24)
		v := m.View()
		checkFrame(t, "running", v, w, 24)
		var rows []string
		for i := 0; i < len(url); i += w {
			rows = append(rows, url[i:min(i+w, len(url))])
		}
		if !strings.Contains(v, "\n"+strings.Join(rows, "\n")+"\n") {
			t.Errorf("at %d columns the URL is not shown whole in rows from the left edge:\n%s", w, v)
		}
		lay := m.layout()
		if got := strings.Split(v, "\n")[lay.urlRow]; got != rows[0] {
			t.Errorf("at %d columns the layout puts the URL at row %d, which shows %q", w, lay.urlRow, got)
		}
	}
}

// TestSignInPromptAroundTheURL: the notice's words before the URL come
// first, the rest after it; a later notice that does not carry the URL
// (the browser could not be started) still has the URL under it.
func TestSignInPromptAroundTheURL(t *testing.T) {
	url := runningURL(t)
	evs, now := evRunning(t)
	m := feed(t, Options{Clock: newFakeClock(now)}, 100, 30, evs)
	p := m.signInPrompt(100)
	if len(p.before) != 1 || !strings.HasPrefix(p.before[0], "▶ Sign-in page") || !strings.HasSuffix(p.before[0], ":") || strings.Contains(p.before[0], "http") {
		t.Errorf("words before the URL: %q", p.before)
	}
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, Notice: "Could not start a browser (no xdg-open): open the URL above in a browser on this machine."}})
	p = m.signInPrompt(100)
	if len(p.later) != 1 || !strings.Contains(p.later[0], "Could not start a browser") || strings.Join(p.url, "") != url || len(p.before) != 1 {
		t.Errorf("a later notice: before %q, URL %q, later %q", p.before, p.url, p.later)
	}
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, NoticeKind: flow.NoticeBrowser, Notice: "The browser did not open: no display. Open the sign-in page yourself: " + url}})
	if p = m.signInPrompt(100); strings.Count(strings.Join(p.lines(), "\n"), "#secret=") != 1 || !strings.Contains(p.later[0], "yourself: the URL above") {
		t.Errorf("a later notice repeating the URL: %q", p.lines())
	}
	m = feed(t, Options{Clock: newFakeClock(now)}, 100, 30, nil)
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, NoticeKind: flow.NoticeSignInURL, Notice: "Open " + url + " in any browser of this machine."}})
	p = m.signInPrompt(100)
	if len(p.before) != 1 || len(p.after) != 1 || !strings.HasSuffix(p.before[0], "Open") || !strings.Contains(p.after[0], "in any browser") {
		t.Errorf("a notice with the URL in the middle: before %q, after %q", p.before, p.after)
	}
}

// TestSignInURLRedacted: with redaction on, the screen shows the URL
// without its secret; u still copies the whole URL.
func TestSignInURLRedacted(t *testing.T) {
	url := runningURL(t)
	var copied []string
	m, _ := fixture(t, evRunning, Options{Redact: true, CopyToClipboard: func(s string) tea.Cmd {
		copied = append(copied, s)
		return nil
	}}, 120, 40)
	secret := url[strings.Index(url, "#secret=")+len("#secret="):]
	if v := m.View(); strings.Contains(v, secret) || !strings.Contains(v, "#secret=‹hidden›") {
		t.Errorf("redaction left the secret on screen:\n%s", v)
	}
	_, cmd := stepCmd(t, m, keyRunes("u"))
	collect(cmd)
	if len(copied) != 1 || copied[0] != url {
		t.Errorf("u copied %q, want the whole URL", copied)
	}
}

// TestCopySignInURL: u hands the whole URL to the clipboard and says what
// authscope knows (the request went to the terminal), naming tmux's
// setting inside tmux.
func TestCopySignInURL(t *testing.T) {
	var buf strings.Builder
	m, _ := fixture(t, evRunning, Options{Terminal: Terminal{Multiplexer: true}}, 80, 24)
	m.clipOut = &buf
	if !strings.Contains(m.View(), "u copy URL") {
		t.Errorf("the help does not offer u while signing in:\n%s", m.View())
	}
	m, cmd := stepCmd(t, m, keyRunes("u"))
	for _, msg := range collect(cmd) {
		m = step(t, m, msg)
	}
	if !strings.HasPrefix(buf.String(), "\x1b]52;c;") {
		t.Fatalf("u wrote %q, not an OSC 52 sequence", buf.String())
	}
	if !strings.Contains(m.status, "OSC 52") || !strings.Contains(m.status, "set-clipboard on") || strings.Contains(m.status, "copied to") {
		t.Errorf("status after u: %q", m.status)
	}

	// A given token has no sign-in page.
	m = feed(t, Options{}, 80, 24, nil)
	m, _ = stepCmd(t, m, keyRunes("u"))
	if !strings.Contains(m.status, "no sign-in page") {
		t.Errorf("u without a sign-in page: %q", m.status)
	}
}

// TestOpenSignInPageAgain: o opens the page again through the caller
// (Options.Reopen), offered in the help while signing in; a run that
// cannot says that u copies the URL.
func TestOpenSignInPageAgain(t *testing.T) {
	reopened := 0
	m, _ := fixture(t, evRunning, Options{Reopen: func() { reopened++ }}, 80, 24)
	if !strings.Contains(m.View(), "o reopen the sign-in page") {
		t.Errorf("the help does not offer o:\n%s", m.View())
	}
	m, cmd := stepCmd(t, m, keyRunes("o"))
	for _, msg := range collect(cmd) {
		m = step(t, m, msg)
	}
	if reopened != 1 {
		t.Errorf("o reopened %d times", reopened)
	}
	m, _ = fixture(t, evRunning, Options{}, 80, 24)
	if m, _ = stepCmd(t, m, keyRunes("o")); !strings.Contains(m.status, "u copies its URL") {
		t.Errorf("o without a way to reopen: %q", m.status)
	}
}

// TestURLWrittenAsOneLine: on a real terminal (Run) the URL is written
// once more over its rows as one line, at the row the frame gives it; when
// it goes away the screen is cleared, which resets the rows' "wrapped"
// marks.
func TestURLWrittenAsOneLine(t *testing.T) {
	evs, now := evRunning(t)
	var buf strings.Builder
	m := New(Options{Clock: newFakeClock(now)})
	m.live, m.clipOut = true, &buf
	m = step(t, m, tea.WindowSizeMsg{Width: 60, Height: 30})
	for _, ev := range evs {
		m = step(t, m, eventMsg{ev})
	}
	p := m.urlPlaced
	if p == (urlPlacement{}) || p.w != 60 || p.text != m.signInURL() {
		t.Fatalf("placement %+v", p)
	}
	collect(m.drawURL(p))
	want := fmt.Sprintf("\x1b7\x1b[%d;1H\x1b]8;;%s\a%s\x1b]8;;\a\x1b8", p.row+1, p.text, p.text)
	if buf.String() != want {
		t.Errorf("wrote %q\nwant  %q", buf.String(), want)
	}
	if row := strings.Split(m.View(), "\n")[p.row]; row != p.text[:60] {
		t.Errorf("row %d of the frame is %q", p.row, row)
	}
	// A stale request writes nothing.
	buf.Reset()
	if cmd := m.drawURL(urlPlacement{row: p.row + 1, w: 60, text: p.text}); cmd != nil || buf.Len() > 0 {
		t.Error("a stale placement was written")
	}
	// Signed in: the URL goes, the screen is cleared.
	m.live = false // step discards Cmds; placeURL is called below
	for _, ev := range loaded(t, runHealthy)[len(evs):] {
		if m = step(t, m, eventMsg{ev}); !m.tl.SignInPending() {
			break
		}
	}
	m.live = true
	msgs := collect(m.placeURL())
	if len(msgs) != 1 || fmt.Sprintf("%T", msgs[0]) != "tea.clearScreenMsg" || m.urlPlaced != (urlPlacement{}) {
		t.Errorf("when the URL went away: %#v, placement %+v", msgs, m.urlPlaced)
	}
}
