package tui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// The goldens of the interface and of the JSON report are made from real
// runs: every demo scenario, through the embedded stack, signed in by the
// HTTP browser as `authscope check --demo --auto` does. TestRecord keeps
// those runs honest:
//
//	go test ./tui -run TestRecord -update   records them into testdata/runs
//	go test ./tui -run TestRecord           runs them again and fails when
//	                                        the engine no longer produces them
//
// Then `go test ./tui -run 'TestGolden|TestScenarios' -update` renders the
// goldens from the recordings.

// runsDir holds one recording per run, one normalised event per line.
const runsDir = "testdata/runs"

// refreshRun is the healthy scenario with one refresh round.
const refreshRun = "healthy-refresh"

// recording is a run to record: a scenario, with or without a refresh.
type recording struct {
	name     string
	scenario *demo.Scenario
	refresh  bool
}

func recordings() []recording {
	var out []recording
	for _, sc := range demo.Of(demo.ProviderClerk) {
		out = append(out, recording{name: sc.Name, scenario: sc})
	}
	return append(out, recording{name: refreshRun, scenario: demo.Healthy(), refresh: true})
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestRecord records every scenario with -update, and otherwise runs each
// again and checks that the normalised stream equals its recording.
func TestRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every demo scenario")
	}
	recs := recordings()
	got := make([][]recorded, len(recs))
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, rec := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			got[i], errs[i] = recordRun(rec)
		}()
	}
	wg.Wait()
	for i, rec := range recs {
		t.Run(rec.name, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			path := filepath.Join(runsDir, rec.name+".jsonl")
			if updating() {
				if err := writeRun(path, got[i]); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if have := encodeRun(got[i]); !bytes.Equal(have, want) {
				t.Fatalf("the engine no longer produces the recorded run %s; if that is intended, record again with -update and review the goldens.\n%s",
					rec.name, firstDifference(want, have))
			}
		})
	}
}

// recordRun runs a recording and normalises it. A run is kept only when it
// lies within the first half of one wall-clock second (see normalise_test.go);
// otherwise it runs again at the start of the next second.
func recordRun(rec recording) ([]recorded, error) {
	for try := 0; try < 10; try++ {
		evs, err := runScenario(rec)
		if err != nil {
			return nil, err
		}
		first, last := evs[0].At, evs[len(evs)-1].At
		if s := first.Truncate(time.Second); last.Sub(s) < 500*time.Millisecond {
			return normaliseRun(evs)
		}
		now := time.Now()
		time.Sleep(now.Truncate(time.Second).Add(time.Second + 5*time.Millisecond).Sub(now))
	}
	return nil, fmt.Errorf("%s: no run fitted in half a second", rec.name)
}

// runScenario runs a scenario the way `authscope check --demo --auto
// --scenario NAME` does and returns its events.
func runScenario(rec recording) ([]flow.Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc, Scenario: rec.scenario})
	if err != nil {
		return nil, err
	}
	defer func() { _ = stack.Close() }()
	var src flow.Source
	loop, err := oauthloop.NewSource(oauthloop.SourceConfig{
		Kind:           oauthloop.KindDemo,
		PublishableKey: stack.PublishableKey(),
		Opener:         &oauthloop.HTTPBrowser{Client: hc, UserID: stack.Clerk.Users()[0].ID},
		Timeout:        30 * time.Second,
		TokenTimeout:   20 * time.Second,
	})
	switch {
	case errors.Is(err, oauthloop.ErrProductionKey):
		src = &flow.RefusedSource{SourceKind: oauthloop.KindDemo, Err: err}
	case err != nil:
		return nil, err
	default:
		defer func() { _ = loop.Close() }()
		src = loop
	}
	cfg := stack.RunnerConfig(src, hc)
	if rec.refresh {
		now := make(chan struct{}, 1)
		now <- struct{}{} // refresh at once instead of in 50 s
		cfg.Refresh, cfg.MaxRefreshes, cfg.RefreshNow = true, 1, now
	}
	r, err := flow.NewRunner(cfg)
	if err != nil {
		return nil, err
	}
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(ctx, events) }()
	var evs []flow.Event
	for ev := range events {
		evs = append(evs, ev)
	}
	if len(evs) == 0 {
		return nil, errors.New("the run sent no event")
	}
	return evs, nil
}

func encodeRun(run []recorded) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range run {
		_ = enc.Encode(r)
	}
	return b.Bytes()
}

func writeRun(path string, run []recorded) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, encodeRun(run), 0o644)
}

// firstDifference shows the first line that differs.
func firstDifference(want, have []byte) string {
	w, h := bytes.Split(want, []byte("\n")), bytes.Split(have, []byte("\n"))
	for i := 0; i < max(len(w), len(h)); i++ {
		var a, b []byte
		if i < len(w) {
			a = w[i]
		}
		if i < len(h) {
			b = h[i]
		}
		if !bytes.Equal(a, b) {
			at := 0
			for at < min(len(a), len(b)) && a[at] == b[at] {
				at++
			}
			around := func(l []byte) []byte { return l[max(at-120, 0):min(at+120, len(l))] }
			return fmt.Sprintf("event %d, byte %d:\nrecorded …%s…\nnow      …%s…", i+1, at, around(a), around(b))
		}
	}
	return ""
}

// loadRun reads a recording back into events the interface can be fed:
// each step 5 gets its token again, and fields JSON leaves out are
// restored from what the JSON keeps.
func loadRun(t testing.TB, name string) []flow.Event {
	t.Helper()
	f, err := os.Open(filepath.Join(runsDir, name+".jsonl"))
	if err != nil {
		t.Fatalf("%v (record the runs with: go test ./tui -run TestRecord -update)", err)
	}
	defer f.Close()
	var evs []flow.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var r recorded
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		ev := r.Event
		if d := stepDetail(ev); d != nil && d.Token != nil {
			d.Token.Raw = r.RawToken
		}
		if d := stepDetail(ev); d != nil && d.JWKS != nil && d.JWKS.Trace.Provider != nil {
			// An OIDC provider always has an applicationID; a customJwt
			// one has one when it is set.
			p := d.JWKS.Trace.Provider
			p.HasApplicationID = p.ApplicationID != "" || string(p.Kind) == "oidc"
		}
		evs = append(evs, ev)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

func stepDetail(ev flow.Event) *flow.Detail {
	if ev.Step == nil {
		return nil
	}
	return ev.Step.Detail
}
