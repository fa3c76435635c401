package oauthloop

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
)

// recorder is a flow.Reporter that keeps everything.
type recorder struct {
	mu      sync.Mutex
	steps   []flow.StepReport
	notices []string
	kinds   []flow.NoticeKind
}

func (r *recorder) Step(s flow.StepReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, s)
}

func (r *recorder) Notice(n flow.Notice) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, n.Text)
	r.kinds = append(r.kinds, n.Kind)
}

// finals returns the last final report of each step, by ID.
func (r *recorder) finals() map[flow.StepID]flow.StepReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[flow.StepID]flow.StepReport{}
	for _, s := range r.steps {
		if s.Status.Done() {
			out[s.ID] = s
		}
	}
	return out
}

// urlOpener records the URL it was asked to open.
type urlOpener chan string

func (o urlOpener) Open(_ context.Context, u string) error {
	o <- u
	return nil
}

// newTestSource is a Source whose Frontend API is never contacted (the
// scripted page below speaks only to the loopback).
func newTestSource(t *testing.T, cfg SourceConfig) *Source {
	t.Helper()
	if cfg.Kind == "" {
		cfg.Kind = KindDemo
	}
	if cfg.PublishableKey == "" {
		cfg.PublishableKey = clerk.BuildPublishableKey("127.0.0.1:9", clerk.InstanceDevelopment)
	}
	if cfg.Opener == nil {
		cfg.Opener = NoBrowser{}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.TokenTimeout == 0 {
		cfg.TokenTimeout = 10 * time.Second
	}
	src, err := NewSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// testClient is an HTTP client with a deadline for every test request.
var testClient = &http.Client{Timeout: 45 * time.Second}

// connect starts the source and returns the page side of its protocol.
func connect(t *testing.T, src *Source) *pageConn {
	t.Helper()
	landing, err := src.Start()
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseLanding(testClient, landing)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scriptedEvents are the four reports of a legitimate sign-in.
func scriptedEvents() []Event {
	t0 := browserNow() - 5000
	return []Event{
		{Step: flow.StepClick, Status: flow.StatusOK, Start: t0, End: t0 + 120, PageURL: "http://127.0.0.1/", UserAgent: "test"},
		{Step: flow.StepRedirect, Status: flow.StatusOK, Start: t0 + 120, End: t0 + 300, SignInURL: "http://127.0.0.1:9/sign-in#/?redirect_url=x", InstanceType: InstanceDevelopment},
		{Step: flow.StepReturn, Status: flow.StatusOK, Start: t0 + 300, End: t0 + 4300, Handoff: true},
		{Step: flow.StepProvider, Status: flow.StatusOK, Start: t0 + 4300, End: t0 + 4400, UserID: "user_1", SessionID: "sess_1", SessionAud: []byte(`"convex"`)},
	}
}

// runSignIn runs SignIn in the background and returns its result channel.
func runSignIn(ctx context.Context, src *Source, rep flow.Reporter) <-chan error {
	done := make(chan error, 1)
	go func() { done <- src.SignIn(ctx, rep) }()
	return done
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("timed out waiting for the source")
		return nil
	}
}

func strp(s string) *string { return &s }
