package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
)

// The real `convex` npm client against the embedded backend: the script
// testdata/node/jsclient.cjs runs cases handed to it in its environment.

// jsCase is one run of testdata/node/jsclient.cjs (see the script for the
// meaning of the fields).
type jsCase struct {
	Name      string   `json:"name"`
	Mode      string   `json:"mode"` // "client" or "raw"
	Tokens    []string `json:"tokens"`
	WhoAmI    string   `json:"whoami,omitempty"`
	TimeoutMs int      `json:"timeoutMs"`
	// WaitChanges is how many onChange calls end the case (default 1).
	WaitChanges int `json:"waitChanges,omitempty"`
	// Verbose turns on the client's console.debug trace of its auth
	// states (captured like the rest of the console): set it on a case
	// while finding out why it fails.
	Verbose bool `json:"verbose,omitempty"`
}

// jsResult is what the script reports for one case.
type jsResult struct {
	Name        string `json:"name"`
	AuthChanges []bool `json:"authChanges"`
	Fetches     []struct {
		ForceRefreshToken bool `json:"forceRefreshToken"`
	} `json:"fetches"`
	Console []struct {
		Level string `json:"level"`
		Text  string `json:"text"`
	} `json:"console"`
	Identity    map[string]any   `json:"identity"`
	QueryError  string           `json:"queryError"`
	TimedOut    bool             `json:"timedOut"`
	Ms          int              `json:"ms"`
	Msgs        []map[string]any `json:"msgs"`
	CloseCode   int              `json:"closeCode"`
	CloseReason string           `json:"closeReason"`
	ScriptError string           `json:"scriptError"`
}

// forced lists the forceRefreshToken flag of every fetchToken call.
func (r jsResult) forced() []bool {
	out := make([]bool, len(r.Fetches))
	for i, f := range r.Fetches {
		out[i] = f.ForceRefreshToken
	}
	return out
}

// failedToAuthenticate returns the <message> of every console line
// `Failed to authenticate: "<message>", check your server auth config`.
func (r jsResult) failedToAuthenticate() []string {
	const prefix, suffix = `Failed to authenticate: "`, `", check your server auth config`
	var msgs []string
	for _, l := range r.Console {
		if m, ok := strings.CutPrefix(l.Text, prefix); ok {
			m, _ = strings.CutSuffix(m, suffix)
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// runJSClient runs the script with the cases and decodes its results.
func runJSClient(ctx context.Context, t *testing.T, node, deploymentURL string, cases []jsCase) map[string]jsResult {
	nodeDir := e2e.NodeDir(t)
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	// Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN).
	if len(in) > 120<<10 {
		t.Fatalf("%d bytes of cases do not fit in one environment variable", len(in))
	}
	cmd := exec.CommandContext(ctx, node, "jsclient.cjs")
	cmd.Dir = nodeDir
	// Tokens travel in the environment of the child, never on disk.
	// The script's budget ends before ctx does, so a hung case still gives
	// a report naming it rather than a killed process.
	budget := 20 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(dl)-5*time.Second)
	}
	cmd.Env = append(os.Environ(), "DEPLOYMENT_URL="+deploymentURL, "AUTHSCOPE_JSCLIENT_CASES="+string(in),
		fmt.Sprintf("AUTHSCOPE_JSCLIENT_BUDGET_MS=%d", max(budget.Milliseconds(), 1000)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 2 * time.Second
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node jsclient.cjs: %v\nstderr: %s", err, stderr.Bytes())
	}
	var results []jsResult
	if err := json.Unmarshal(stdout, &results); err != nil {
		t.Fatalf("node printed %q (stderr %q): %v", stdout, stderr.Bytes(), err)
	}
	byName := map[string]jsResult{}
	for _, r := range results {
		if r.ScriptError != "" {
			t.Errorf("%s: the script failed: %s", r.Name, r.ScriptError)
		}
		byName[r.Name] = r
	}
	if len(byName) != len(cases) {
		t.Fatalf("node reported %d cases, want %d", len(byName), len(cases))
	}
	return byName
}

// msgOIDCVerifyFailed is the backend's text for a token that fails the
// OIDC verifier's checks (signature, expiry, key).
const msgOIDCVerifyFailed = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."

// TestRealJSClient runs the real `convex` npm client (the version pinned in
// testdata/node/package.json, with `ws` as its WebSocket) against the
// embedded backend, with tokens from the embedded Clerk dev instance. An
// accepted token must reach onChange(true) and the identity query; every
// rejected one must reach onChange(false), and the message in the client's
// `Failed to authenticate: "<message>"` must be string-equal to the AuthError
// authscope's own client gets for the same token and to the message of the
// local replay (rules.Validator). This is what shows that the embedded
// backend speaks the protocol the real client speaks, and that authscope
// shows the user the text their browser console shows.
func TestRealJSClient(t *testing.T) {
	node := e2e.Require(t, "node", "apt-get install -y nodejs npm")
	e2e.NodeModule(t, "convex/package.json")
	e2e.NodeModule(t, "ws/package.json")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	const otherAud = "my-other-app"
	dev, err := devinstance.New(devinstance.Options{
		IntegrationOn: true, // session tokens carry aud "convex"
		Templates: []devinstance.Template{
			devinstance.ConvexTemplate(),
			{Name: "other-app", Claims: map[string]any{"aud": otherAud}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	iss := dev.Issuer()
	cfg := rules.AuthConfig{Providers: []rules.Provider{{
		Kind: rules.KindOIDC, Domain: iss, ApplicationID: "convex", HasApplicationID: true,
	}}}
	b := backend.New(backend.Options{Config: cfg})
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	user := dev.Users()[0].ID

	// mint mints n tokens (distinct: each has its own jti) with the faults
	// in force, then repairs the instance.
	mint := func(n int, template string, f devinstance.Faults) []string {
		t.Helper()
		dev.SetFaults(f)
		defer dev.SetFaults(devinstance.Faults{})
		toks := make([]string, n)
		for i := range toks {
			tok, err := dev.MintToken(user, template)
			if err != nil {
				t.Fatal(err)
			}
			toks[i] = tok
		}
		return toks
	}

	noProvider := "No auth provider found matching the given token. Check that your JWT's issuer and audience " +
		"match one of your configured providers: [OIDC(domain=" + iss + ", app_id=convex)]"
	rejected := []struct {
		name     string
		template string
		faults   devinstance.Faults
		want     string
	}{
		{"wrong aud", "other-app", devinstance.Faults{}, noProvider},
		{"wrong issuer", "", devinstance.Faults{IssuerOverride: "https://clerk.someone-else.example"}, noProvider},
		// Matches the provider (trailing slashes are ignored there) but
		// not the discovery document's issuer, which is compared exactly.
		{"issuer with a trailing slash", "", devinstance.Faults{IssuerOverride: iss + "/"}, "Auth provider discovery of " + iss + "/ failed"},
		{"expired", "", devinstance.Faults{TokenLifetime: -time.Minute}, msgOIDCVerifyFailed},
		{"unknown kid", "", devinstance.Faults{SignWithUnpublishedKey: true}, msgOIDCVerifyFailed},
	}

	// Per case inside the script; each normally takes tens of ms.
	const caseTimeout = 5000
	// The client gives up after the cached token and three force-refreshed
	// ones (flow/convex/backend/SPEC.md, "The JS client"); two spare tokens show it does not ask
	// for more.
	const freshTokens = 6
	cases := []jsCase{
		{Name: "accepted session token", Mode: "client", Tokens: mint(1, "", devinstance.Faults{}), WhoAmI: backend.WhoAmIPath, TimeoutMs: caseTimeout},
		{Name: "accepted convex template", Mode: "client", Tokens: mint(2, clerk.ConvexTemplateName, devinstance.Faults{}), WhoAmI: backend.WhoAmIPath, TimeoutMs: caseTimeout, WaitChanges: 2},
		{Name: "raw ws, rejected", Mode: "raw", Tokens: mint(1, "", devinstance.Faults{TokenLifetime: -time.Minute}), TimeoutMs: caseTimeout},
	}
	tokensOf := map[string][]string{}
	for _, rc := range rejected {
		fresh := rc.name + ", fresh token on every fetch"
		same := rc.name + ", same token on every fetch"
		tokensOf[fresh] = mint(freshTokens, rc.template, rc.faults)
		tokensOf[same] = mint(1, rc.template, rc.faults)
		cases = append(cases,
			jsCase{Name: fresh, Mode: "client", Tokens: tokensOf[fresh], TimeoutMs: caseTimeout},
			jsCase{Name: same, Mode: "client", Tokens: tokensOf[same], TimeoutMs: caseTimeout})
	}

	start := time.Now()
	got := runJSClient(ctx, t, node, b.URL(), cases)
	t.Logf("node ran %d cases in %v", len(cases), time.Since(start).Round(time.Millisecond))

	// Accepted: onChange(true), and the deployed identity query sees the
	// user. Right after the confirmation the client force-refetches: given
	// the same token it stops refetching; given a new one it sends a second
	// Authenticate and, once that is confirmed, calls onChange(true) a
	// second time. (convex 1.48.0 authentication_manager.ts: the
	// fresh-token branch calls scheduleTokenRefetch, which replaces
	// authState, before it reads authState.hadAuth, now undefined. So every
	// confirmed refresh repeats onChange(true).)
	for _, c := range []struct {
		name        string
		authChanges string
	}{
		{"accepted session token", "[true]"},
		{"accepted convex template", "[true true]"},
	} {
		r := got[c.name]
		t.Logf("%s: onChange %v, fetches (forceRefreshToken) %v, console %q, %d ms", c.name, r.AuthChanges, r.forced(), r.Console, r.Ms)
		if r.TimedOut || fmt.Sprint(r.AuthChanges) != c.authChanges {
			t.Errorf("%s: onChange calls %v (timed out: %v), want %s", c.name, r.AuthChanges, r.TimedOut, c.authChanges)
		}
		if r.Identity["subject"] != user || r.Identity["issuer"] != iss {
			t.Errorf("%s: whoami returned %v (error %q), want subject %q issuer %q", c.name, r.Identity, r.QueryError, user, iss)
		}
		if want := []bool{false, true}; fmt.Sprint(r.forced()) != fmt.Sprint(want) {
			t.Errorf("%s: fetchToken calls with forceRefreshToken %v, want %v", c.name, r.forced(), want)
		}
		for _, l := range r.Console {
			if l.Level == "error" || l.Level == "warn" {
				t.Errorf("%s: the client logged %s: %q", c.name, l.Level, l.Text)
			}
		}
	}

	// A Node WebSocket sees the AuthError, then a Close frame without a
	// status code (1005), as from a real deployment.
	if r := got["raw ws, rejected"]; len(r.Msgs) != 1 || r.Msgs[0]["type"] != "AuthError" ||
		r.Msgs[0]["error"] != msgOIDCVerifyFailed || r.CloseCode != 1005 || r.CloseReason != "" {
		t.Errorf("ws with an expired token: messages %v, close %d %q; want one AuthError, then close 1005 with no reason",
			r.Msgs, r.CloseCode, r.CloseReason)
	}

	for _, rc := range rejected {
		fresh := got[rc.name+", fresh token on every fetch"]
		same := got[rc.name+", same token on every fetch"]
		t.Logf("%s: fresh tokens: onChange %v, fetches %v, console %q, %d ms", rc.name, fresh.AuthChanges, fresh.forced(), fresh.Console, fresh.Ms)
		t.Logf("%s: same token: onChange %v, fetches %v, console %q, %d ms", rc.name, same.AuthChanges, same.forced(), same.Console, same.Ms)

		// With a fresh token each time (Clerk's getToken({skipCache:
		// true})), the client tries the cached token and three forced
		// ones, then gives up with the console error and onChange(false).
		if fresh.TimedOut || fmt.Sprint(fresh.AuthChanges) != "[false]" {
			t.Errorf("%s: onChange calls %v (timed out: %v), want [false]", rc.name, fresh.AuthChanges, fresh.TimedOut)
		}
		if want := []bool{false, true, true, true}; fmt.Sprint(fresh.forced()) != fmt.Sprint(want) {
			t.Errorf("%s: fetchToken calls with forceRefreshToken %v, want %v", rc.name, fresh.forced(), want)
		}
		logged := fresh.failedToAuthenticate()
		if len(logged) != 1 {
			t.Errorf("%s: the client logged %d `Failed to authenticate` lines, want 1; console: %q", rc.name, len(logged), fresh.Console)
			continue
		}
		if logged[0] != rc.want {
			t.Errorf("%s: the client logged\n  %q\nwant\n  %q", rc.name, logged[0], rc.want)
		}
		for _, l := range fresh.Console {
			if l.Level == "error" && !strings.HasPrefix(l.Text, "Failed to authenticate: ") || l.Level == "warn" {
				t.Errorf("%s: unexpected console %s: %q", rc.name, l.Level, l.Text)
			}
		}
		// The JS client's message equals what authscope's own sync
		// client and its local replay give for every token it was shown
		// (the one it logged is the fourth).
		for i, tok := range tokensOf[rc.name+", fresh token on every fetch"][:4] {
			checkSameMessage(ctx, t, fmt.Sprintf("%s, token %d", rc.name, i+1), b.URL(), cfg, tok, logged[0])
		}

		// With the same token every time — what a fetchToken that ignores
		// forceRefreshToken does — the client does not retry at all: the
		// forced refetch returns a token it already sent, so it clears auth
		// and reports false without logging `Failed to authenticate`.
		if same.TimedOut || fmt.Sprint(same.AuthChanges) != "[false]" {
			t.Errorf("%s, same token: onChange calls %v (timed out: %v), want [false]", rc.name, same.AuthChanges, same.TimedOut)
		}
		if want := []bool{false, true}; fmt.Sprint(same.forced()) != fmt.Sprint(want) {
			t.Errorf("%s, same token: fetchToken calls with forceRefreshToken %v, want %v", rc.name, same.forced(), want)
		}
		for _, l := range same.Console {
			if l.Level == "error" || l.Level == "warn" {
				t.Errorf("%s, same token: unexpected console %s: %q", rc.name, l.Level, l.Text)
			}
		}
	}
}

// checkSameMessage asserts that authscope's sync client (wire.Probe against
// the backend) and the local replay (rules.Validator with the same config
// and a plain HTTP fetcher) both give want for token.
func checkSameMessage(ctx context.Context, t *testing.T, name, deploymentURL string, cfg rules.AuthConfig, token, want string) {
	t.Helper()
	out, err := wire.Probe(ctx, deploymentURL, token, wire.ClientOptions{Timeout: 5 * time.Second})
	switch {
	case err != nil:
		t.Errorf("%s: wire.Probe: %v", name, err)
	case out.AuthError == nil:
		t.Errorf("%s: wire.Probe got no AuthError: %+v", name, out)
	case out.AuthError.Error != want:
		t.Errorf("%s: wire.Probe AuthError\n  %q\nthe JS client logged\n  %q", name, out.AuthError.Error, want)
	}
	v := &rules.Validator{Config: cfg, Fetcher: fetch.NewHTTP(nil, fetch.Options{Timeout: 5 * time.Second})}
	res := v.Validate(ctx, token)
	switch {
	case res.Err == nil:
		t.Errorf("%s: the local replay accepted the token", name)
	case res.Err.Message != want:
		t.Errorf("%s: local replay\n  %q\nthe JS client logged\n  %q", name, res.Err.Message, want)
	}
}
