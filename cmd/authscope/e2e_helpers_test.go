package main

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// Helpers shared by the end-to-end tests (e2e_*_test.go).

// startInstance starts a dev instance for the rest of the test.
func startInstance(t *testing.T, opts devinstance.Options) *devinstance.Instance {
	t.Helper()
	d, err := devinstance.New(opts)
	if err != nil {
		t.Fatalf("devinstance.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := d.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { cancel(); d.Close() })
	return d
}

// jwtParts is a token's header and claims (numbers as json.Number) and
// what its signature covers.
type jwtParts struct {
	Header, Claims map[string]any
	input          string
	sig            []byte
}

func decodeJWT(t *testing.T, jwt string) jwtParts {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var d jwtParts
	for i, dst := range []*map[string]any{&d.Header, &d.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("part %d not base64url: %v", i, err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(dst); err != nil {
			t.Fatalf("part %d not JSON: %v", i, err)
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("signature not base64url: %v", err)
	}
	d.input, d.sig = parts[0]+"."+parts[1], sig
	return d
}

func (d jwtParts) num(t *testing.T, claim string) int64 {
	t.Helper()
	n, ok := d.Claims[claim].(json.Number)
	if !ok {
		t.Fatalf("claim %s is %T (%v), not a number", claim, d.Claims[claim], d.Claims[claim])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fetchJWKS reads the instance's published keys over HTTP.
// jwksDoc is the part of a JWKS the signature check below reads.
type jwksDoc struct {
	Keys []struct {
		Kid, Kty, N, E string
	} `json:"keys"`
}

func fetchJWKS(t *testing.T, hc *http.Client, issuer string) jwksDoc {
	t.Helper()
	res, err := hc.Get(issuer + clerk.PathJWKS)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	var set jwksDoc
	if res.StatusCode != http.StatusOK || json.Unmarshal(b, &set) != nil {
		t.Fatalf("JWKS: status %d, body %q", res.StatusCode, b)
	}
	return set
}

// verifyRS256 checks a token's signature against the published keys,
// independently of the code that signed it.
func verifyRS256(t *testing.T, jwt string, set jwksDoc) error {
	t.Helper()
	d := decodeJWT(t, jwt)
	kid, _ := d.Header["kid"].(string)
	for _, k := range set.Keys {
		if k.Kid != kid || k.Kty != "RSA" || d.Header["alg"] != "RS256" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad n/e in the JWKS")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		digest := sha256.Sum256([]byte(d.input))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], d.sig)
	}
	return errors.New("no RS256 key with the token's kid in the JWKS")
}

// stepRecorder is a flow.Reporter that keeps every step report.
type stepRecorder struct {
	mu    sync.Mutex
	steps []flow.StepReport
}

func (r *stepRecorder) Step(s flow.StepReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, s)
}

func (r *stepRecorder) Notice(flow.Notice) {}

// finals returns the last final report of each step, by ID.
func (r *stepRecorder) finals() map[flow.StepID]flow.StepReport {
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

// runScenario runs a demo scenario as `authscope check --demo --scenario`
// does, with the landing page opened by opener (nil: the HTTP browser),
// and returns the report.
func runScenario(t *testing.T, sc *demo.Scenario, opts demo.Options, opener func(*demo.Stack) oauthloop.Opener) (*flow.Timeline, *demo.Stack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	hc := opts.HTTPClient
	opts.Scenario = sc
	stack, err := demo.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stack.Close() })
	if stack.Clerk == nil {
		// Another provider's flavour: tokens straight from its issuer.
		src, err := stack.TokenSource("")
		if err != nil {
			t.Fatal(err)
		}
		return runSource(ctx, t, stack, src, hc), stack
	}
	var op oauthloop.Opener = &oauthloop.HTTPBrowser{Client: hc, UserID: stack.Clerk.Users()[0].ID}
	if opener != nil {
		op = opener(stack)
	}
	var src flow.Source
	loop, err := oauthloop.NewSource(oauthloop.SourceConfig{Kind: oauthloop.KindDemo, PublishableKey: stack.PublishableKey(),
		Opener: op, Timeout: 45 * time.Second, TokenTimeout: 30 * time.Second})
	switch {
	case errors.Is(err, oauthloop.ErrProductionKey):
		src = &flow.RefusedSource{SourceKind: oauthloop.KindDemo, Err: err}
	case err != nil:
		t.Fatal(err)
	default:
		t.Cleanup(func() { _ = loop.Close() })
		src = loop
	}
	return runSource(ctx, t, stack, src, hc), stack
}

// runSource runs the flow from src against the stack.
func runSource(ctx context.Context, t *testing.T, stack *demo.Stack, src flow.Source, hc *http.Client) *flow.Timeline {
	t.Helper()
	r, err := flow.NewRunner(stack.RunnerConfig(src, hc))
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(ctx, events) }()
	rep := &flow.Timeline{}
	for ev := range events {
		rep.Apply(ev)
	}
	return rep
}

// keepEvidence saves what the browser saw when the test failed: the page's
// text and screenshots, under $AUTHSCOPE_ARTIFACTS when set.
func keepEvidence(t *testing.T, br *e2e.Browser) {
	if !t.Failed() {
		return
	}
	if text, err := br.PageText(); err == nil {
		t.Logf("page at failure:\n%s", text)
	}
	br.Snapshot("at-failure")
	dir := t.TempDir()
	if root := os.Getenv("AUTHSCOPE_ARTIFACTS"); root != "" {
		dir = filepath.Join(root, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	}
	paths, err := br.SaveShots(dir)
	t.Logf("screenshots of the pages the test saw: %v %v", paths, err)
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }
