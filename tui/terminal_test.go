package tui

import (
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/flow"
)

func TestDetectTerminal(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want Terminal
	}{
		{env: map[string]string{"LANG": "en_US.UTF-8"}, want: Terminal{}},
		{env: map[string]string{"LANG": "C.utf8"}, want: Terminal{}},
		{env: map[string]string{"LC_CTYPE": "UTF-8"}, want: Terminal{}},
		{env: map[string]string{}, want: Terminal{ASCII: true}},                                                     // the C locale
		{env: map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}, want: Terminal{ASCII: true}},                 // LC_ALL wins
		{env: map[string]string{"LC_ALL": "", "LC_CTYPE": "POSIX", "LANG": "C.UTF-8"}, want: Terminal{ASCII: true}}, // empty is unset
		{env: map[string]string{"LANG": "de_DE.ISO-8859-1"}, want: Terminal{ASCII: true}},
		{env: map[string]string{"LANG": "C.UTF-8", "TERM": "dumb"}, want: Terminal{Dumb: true}},
		{env: map[string]string{"LANG": "C.UTF-8", "COLORFGBG": "15;0"}, want: Terminal{Background: BackgroundDark}},
		{env: map[string]string{"LANG": "C.UTF-8", "COLORFGBG": "0;default;15"}, want: Terminal{Background: BackgroundLight}},
		{env: map[string]string{"LANG": "C.UTF-8", "COLORFGBG": "0;default"}, want: Terminal{}},
	}
	for _, tc := range cases {
		got := DetectTerminal(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if got != tc.want {
			t.Errorf("DetectTerminal(%v) = %+v, want %+v", tc.env, got, tc.want)
		}
	}
}

func TestBackgroundAnswer(t *testing.T) {
	for in, want := range map[string]Background{
		"11;rgb:ffff/ffff/ffff": BackgroundLight,
		"11;rgb:1e1e/1e1e/1e1e": BackgroundDark,
		"11;rgb:fd/f6/e3":       BackgroundLight, // Solarized light, two digits
		"11;rgb:0/0/0":          BackgroundDark,
	} {
		if got, ok := bgAnswer(in); !ok || got != want {
			t.Errorf("bgAnswer(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"kkk", "11;rgb:ffff/ffff", "11;rgb:gg/00/00", "10;rgb:ffff/ffff/ffff", "11;rgb:fffff/0/0"} {
		if _, ok := bgAnswer(in); ok {
			t.Errorf("bgAnswer(%q) took it for an answer", in)
		}
	}
}

// TestInitBeforeBubbleTea checks what keeps the first frame from waiting on
// the terminal: quietterm's init runs before Bubble Tea's, whose init asks
// Lip Gloss about the background. It runs this test binary again with Go's
// init trace.
func TestInitBeforeBubbleTea(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	quiet := strings.Index(s, "init github.com/authscope/authscope/tui/internal/quietterm ")
	tea := strings.Index(s, "init github.com/charmbracelet/bubbletea ")
	if quiet < 0 || tea < 0 || quiet > tea {
		t.Fatalf("quietterm must be initialised before bubbletea (at %d and %d in the init trace):\n%s", quiet, tea, s)
	}
}

// TestBackgroundAskedAfterFirstFrame runs the program on a colour terminal
// that answers the background query late: the first frame does not wait
// for it, and the answer, which Bubble Tea reads as keys, restyles the
// screen for a light background without acting as a key ("rgb" holds r,
// refresh, and b, page up).
func TestBackgroundAskedAfterFirstFrame(t *testing.T) {
	evs, now := evAuthenticated(t)
	events := make(chan flow.Event, len(evs))
	for _, ev := range evs {
		events <- ev
	}
	refresh := make(chan struct{}, 1)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	m := newModel(Options{Events: events, RefreshNow: refresh, Clock: newFakeClock(now)}, r)
	out := &syncBuffer{}
	m.clipOut, m.bgAsked = out, true
	in, keys := io.Pipe()
	defer in.Close()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out), tea.WithContext(context.Background()))
	done := make(chan tea.Model, 1)
	go func() {
		final, _ := p.Run()
		done <- final
	}()
	waitOut(t, out, "isAuthenticated")
	waitOut(t, out, backgroundQuery)
	if _, err := keys.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the input reader and the program pass it on
	if _, err := keys.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	var final Model
	select {
	case fm := <-done:
		final = fm.(Model)
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not quit")
	}
	if final.renderer.HasDarkBackground() {
		t.Error("the terminal's light background was not taken")
	}
	select {
	case <-refresh:
		t.Error("the answer's r was taken for a refresh")
	default:
	}
	if final.status != "" {
		t.Errorf("the answer left a status: %q", final.status)
	}
}

func waitOut(t *testing.T, out *syncBuffer, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), what); {
		if time.Now().After(deadline) {
			t.Fatalf("%q never written:\n%q", what, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestASCIIFrame renders every recorded run in a locale without UTF-8:
// every byte is ASCII and every line still fits.
func TestASCIIFrame(t *testing.T) {
	for _, rec := range recordings() {
		evs := loaded(t, rec.name)
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			m := feed(t, Options{Clock: newFakeClock(last(evs).Add(2 * time.Second)), Terminal: Terminal{ASCII: true}}, sz[0], sz[1], evs)
			for _, mm := range []Model{m, step(t, m, keyEnter), step(t, m, keyTab), step(t, m, keyRunes("?"))} {
				v := mm.View()
				for i := 0; i < len(v); i++ {
					if v[i] >= 0x80 {
						t.Fatalf("%s at %dx%d: byte %#x at %d is not ASCII:\n%s", rec.name, sz[0], sz[1], v[i], i, v)
					}
				}
				checkFrame(t, rec.name, v, sz[0], sz[1])
			}
		}
	}
	// While signing in: the prompt, the URL, the spinner.
	running, now := evRunning(t)
	v := feed(t, Options{Clock: newFakeClock(now), Terminal: Terminal{ASCII: true}}, 80, 24, running).View()
	if !isASCII(v) || !strings.Contains(v, "> Sign-in page") || !strings.Contains(v, "\nhttp://127.0.0.1:") {
		t.Errorf("the sign-in prompt in ASCII:\n%s", v)
	}
	m := feed(t, Options{Terminal: Terminal{ASCII: true}}, 80, 24, loaded(t, runHealthy)[:3])
	if got := asciiLine(m.mark(flow.StatusPending)+m.mark(flow.StatusSkipped), 80); got != ".-" {
		t.Errorf("pending and skipped marks %q, want two different ASCII marks", got)
	}
}
