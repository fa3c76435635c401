package main

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/hostile"
	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/diagnose"
)

// The hostile-deployment suite: authscope against a deployment per
// misbehaviour. Each run must end undecided (exit 3) with the cause that
// names the failure, within its deadline plus a second, and with the heap
// under 64 MiB however much the server sends.

const (
	hostileDeadline = 2 * time.Second
	hostileHeapMax  = 64 << 20
)

var hostileWants = map[hostile.Behaviour]struct {
	undecided flow.Undecided
	cause     string
	says      string // in the output, the failure in its own words
}{
	hostile.ChunkFlood:     {flow.UndecidedSilent, diagnose.CodeBackendSilent, "TransitionChunk ×"},
	hostile.PingFlood:      {flow.UndecidedSilent, diagnose.CodeBackendSilent, "Ping ×"},
	hostile.Garbage:        {flow.UndecidedNotConvex, diagnose.CodeNotConvexBackend, "not a sync-protocol message"},
	hostile.Binary:         {flow.UndecidedNotConvex, diagnose.CodeNotConvexBackend, "a binary frame of 4 bytes"},
	hostile.Reset:          {flow.UndecidedConnectionDropped, diagnose.CodeConnectionDropped, "reset (TCP RST)"},
	hostile.Truncated:      {flow.UndecidedConnectionDropped, diagnose.CodeConnectionDropped, "(a truncated frame)"},
	hostile.RSVBits:        {flow.UndecidedNotConvex, diagnose.CodeNotConvexBackend, "unexpected rsv bits"},
	hostile.Length2p62:     {flow.UndecidedOversizeFrame, diagnose.CodeFrameTooLarge, "4 EiB"},
	hostile.Announce100MiB: {flow.UndecidedOversizeFrame, diagnose.CodeFrameTooLarge, "100 MiB"},
	hostile.NeverAnswers:   {flow.UndecidedSilent, diagnose.CodeBackendSilent, "nothing arrived"},
}

// heapPeak samples the live heap from the runtime until stopped.
type heapPeak struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func sampleHeap() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			h.peak = max(h.peak, s[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return h
}

func (h *heapPeak) done() uint64 {
	close(h.stop)
	h.wg.Wait()
	return h.peak
}

// checkAgainst runs check with a given token against a deployment, with
// the suite's deadline.
func checkAgainst(t *testing.T, deployment, tok string, extra ...string) (int, string, string) {
	t.Helper()
	o, err := parseArgs(append([]string{"check", "--token", "-", "--deployment", deployment}, extra...), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(tok), stdout: &out, stderr: &errb, stepTimeout: hostileDeadline,
		getenv: func(string) (string, bool) { return "", false }, getwd: func() (string, error) { return t.TempDir(), nil }}
	return check(context.Background(), o, env), out.String(), errb.String()
}

// startHostile starts a deployment that does b, and mints a token the
// issuer dev signs.
func startHostile(t *testing.T, dev *devinstance.Instance, b hostile.Behaviour) (url, tok string) {
	t.Helper()
	srv, err := hostile.Start(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tok, err = dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, tok
}

func TestHostileDeployments(t *testing.T) {
	if len(hostileWants) != len(hostile.All) {
		t.Fatalf("%d expectations for %d behaviours", len(hostileWants), len(hostile.All))
	}
	dev := startIssuer(t)
	for _, b := range hostile.All {
		t.Run(string(b), func(t *testing.T) {
			want := hostileWants[b]
			url, tok := startHostile(t, dev, b)
			heap := sampleHeap()
			start := time.Now()
			code, out, errs := checkAgainst(t, url, tok)
			took := time.Since(start)
			peak := heap.done()
			t.Logf("%s: %s in %s, peak heap %.1f MiB", b, want.undecided, took.Round(time.Millisecond), float64(peak)/(1<<20))
			if code != exitUndecided {
				t.Errorf("exit %d, want 3\n%s\n%s", code, out, errs)
			}
			for _, s := range []string{"verdict: undecided: " + want.undecided.Text(), "cause [" + want.cause + "]", want.says} {
				if !strings.Contains(out, s) {
					t.Errorf("the output lacks %q:\n%s", s, out)
				}
			}
			if strings.Contains(out, "isAuthenticated: false") || strings.Count(out, "cause [") != 1 {
				t.Errorf("a hostile deployment decided something, or got more than its one cause:\n%s", out)
			}
			if took > hostileDeadline+time.Second {
				t.Errorf("took %s, over the %s deadline plus 1 s", took, hostileDeadline)
			}
			if peak > hostileHeapMax {
				t.Errorf("peak heap %.1f MiB, over 64 MiB", float64(peak)/(1<<20))
			}
		})
	}
}

// The JSON report of a flood stays small: the frames it keeps are the
// first and the last ones, with the rest counted.
func TestHostileFloodReportIsBounded(t *testing.T) {
	url, tok := startHostile(t, startIssuer(t), hostile.ChunkFlood)
	code, out, errs := checkAgainst(t, url, tok, "--json")
	if code != exitUndecided {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if len(out) > 512<<10 {
		t.Errorf("the report is %d bytes", len(out))
	}
	var rep flow.Timeline
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	o := rep.Rounds[0].Step(flow.StepSend).Detail.Send.Outcome
	if rep.HasDecision || rep.Undecided != flow.UndecidedSilent || o.FramesLeftOut == nil || o.FramesLeftOut.Count < 1000 || len(o.Frames) > 32 {
		t.Fatalf("decided %v, undecided %q, %d frames kept, gap %+v", rep.HasDecision, rep.Undecided, len(o.Frames), o.FramesLeftOut)
	}
}
