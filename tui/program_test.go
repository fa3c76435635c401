package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/authscope/authscope/flow"
)

// TestProgramWithEventChannel runs the model as a real Bubble Tea program
// (teatest) fed by a real event channel, the way cmd/authscope wires it:
// events stream in, the screen reaches the verdict, r reaches the runner,
// q quits and the final model carries the verdict.
func TestProgramWithEventChannel(t *testing.T) {
	evs, now := live(evAuthenticated)(t)
	events := make(chan flow.Event)
	refresh := make(chan struct{}, 1)
	m := New(Options{Events: events, RefreshNow: refresh, Clock: newFakeClock(now)})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	go func() {
		for _, ev := range evs {
			events <- ev
		}
	}()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("isAuthenticated: true"))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))

	tm.Type("r")
	select {
	case <-refresh:
	case <-time.After(5 * time.Second):
		t.Fatal("r did not reach RefreshNow")
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Refresh requested"))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	close(events)                      // the runner ends
	time.Sleep(100 * time.Millisecond) // for the program to read the close before q
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !ok {
		t.Fatal("final model is not a tui.Model")
	}
	if d := final.Timeline().Decided(); d == nil || !d.Verdict.Authenticated {
		t.Fatalf("final verdict %+v", d)
	}
	if !final.closed {
		t.Error("the closed event channel was not noticed")
	}
}

// syncBuffer is an output the program and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunQuitsAndRestoresTerminal(t *testing.T) {
	evs, now := evRejected(t)
	events := make(chan flow.Event, len(evs))
	for _, ev := range evs {
		events <- ev
	}
	close(events)
	in, feedKeys := io.Pipe()
	defer in.Close()
	out := &syncBuffer{}
	done := make(chan struct{})
	var final Model
	var err error
	go func() {
		defer close(done)
		final, err = Run(context.Background(), Options{Events: events, Clock: newFakeClock(now)}, in, out)
	}()
	// Quit once the verdict is on screen.
	deadline := time.After(10 * time.Second)
	for !strings.Contains(out.String(), "isAuthenticated: false") {
		select {
		case <-deadline:
			t.Fatalf("verdict never drawn:\n%q", out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, werr := feedKeys.Write([]byte("q")); werr != nil {
		t.Fatal(werr)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after q")
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if d := final.Timeline().Decided(); d == nil || d.Verdict.Authenticated {
		t.Fatalf("final verdict %+v", d)
	}
	o := out.String()
	if !strings.Contains(o, "\x1b[?1049h") || !strings.Contains(o, "\x1b[?1049l") {
		t.Error("the alternate screen was not entered and left")
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{Events: make(chan flow.Event), Clock: newFakeClock(t0)}, in, &syncBuffer{})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run ignored its context")
	}
}
