package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/rules"
)

// runIn runs the command with stdin and a working directory of its own.
func runIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(string) (string, bool) { return "", false }, getwd: func() (string, error) { return dir, nil },
		isTerminal: func() bool { return false }}
	code := execute(ctx, args, env)
	return code, out.String(), errb.String()
}

func startIssuer(t *testing.T) *devinstance.Instance {
	t.Helper()
	dev, err := devinstance.New(devinstance.Options{IntegrationOn: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	return dev
}

// With no project, a given token is checked against the auth config the
// Clerk guide would write for its issuer, on the embedded backend.
func TestGivenTokenWithoutProject(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runIn(t, t.TempDir(), tok+"\n", "check", "--token", "-")
	if code != exitAuthenticated {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"[skip] click", "[skip] provider", "[ ok ] token", "assumed-config", "verdict: isAuthenticated: true"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Inside a project the token is checked against the project's own
// auth.config.ts: the fixture trusts its real Clerk instance, so a token
// from another issuer is refused with the provider list Convex prints, and
// the project's static findings come first.
func TestGivenTokenAgainstProjectConfig(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	root := "../../flow/project/testdata/vite-react"
	code, out, errs := runIn(t, root, tok, "check", "--token", "-", "--deployment", startBackend(t))
	if code != exitRejected {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "project: ") || !strings.Contains(out, "vite-react") {
		t.Errorf("the project is not named:\n%s", out)
	}
	want := "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=https://brave-otter-12.clerk.accounts.dev, app_id=convex)]"
	if !strings.Contains(unwrap(out), "backend said: "+want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// startBackend runs an embedded backend configured like the vite-react
// fixture's deployment.
func startBackend(t *testing.T) string {
	t.Helper()
	b := backend.New(backend.Options{Config: rules.AuthConfig{Providers: []rules.Provider{{
		Kind: rules.KindOIDC, Domain: "https://brave-otter-12.clerk.accounts.dev", ApplicationID: "convex", HasApplicationID: true}}}})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b.URL()
}

func TestProductionKeyIsRefusedUpFront(t *testing.T) {
	code, out, errs := runIn(t, "../../flow/project/testdata/production-key", "", "check", "--no-browser")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "--token") || !strings.Contains(strings.ToLower(errs), "production") {
		t.Errorf("the refusal does not explain or offer --token: %q", errs)
	}
}

// --identity-query subscribes to a query on the accepted connection: the
// embedded backend's built-in one returns the identity Convex built.
func TestIdentityQuery(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runIn(t, t.TempDir(), tok, "check", "-v", "--token", "-", "--identity-query", backend.WhoAmIPath)
	if code != exitAuthenticated {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	want := "ctx.auth.getUserIdentity() via " + backend.WhoAmIPath + `: { "tokenIdentifier": "` + dev.Issuer() + "|" + dev.Users()[0].ID + `"`
	if !strings.Contains(unwrap(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// check -v prints the claims; --redact hides the personal ones.
func TestVerboseClaimsAndRedaction(t *testing.T) {
	dev := startIssuer(t)
	user := dev.Users()[0]
	tok, err := dev.MintToken(user.ID, "convex")
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := runIn(t, t.TempDir(), tok, "check", "-v", "--token", "-")
	if !strings.Contains(out, `claim email: "`+user.Email+`"`) || !strings.Contains(out, "<- the token's kid") {
		t.Errorf("-v does not show the claims and keys:\n%s", out)
	}
	_, out, _ = runIn(t, t.TempDir(), tok, "check", "-v", "--redact", "--token", "-")
	if strings.Contains(out, user.Email) || !strings.Contains(out, "claim email: (hidden by --redact)") {
		t.Errorf("--redact leaves personal claims:\n%s", out)
	}
}

// A project whose auth.config.ts cannot be evaluated (it throws, as Convex
// would at push time) is not replayed against a made-up config: step 7
// says so and the verdict is the backend's.
func TestUnreadableConfigIsNotReplayed(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's auth.config.ts without its .env.local: no deployment URL.
	bare := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bare, "convex"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../flow/project/testdata/throwing-config/convex/auth.config.ts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bare, "convex", "auth.config.ts"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, bare, tok, "check", "--token", "-")
	if code != exitUsage || !strings.Contains(errs, "--deployment") {
		t.Fatalf("without a deployment: exit %d, stderr %q; want 2 and a hint", code, errs)
	}
	code, out, errs := runIn(t, bare, tok, "check", "--token", "-", "--deployment", startBackend(t))
	if code != exitRejected {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "[warn] jwks") || !strings.Contains(out, "not replayed locally") {
		t.Errorf("step 7 does not say the replay was impossible:\n%s", out)
	}
	if !strings.Contains(out, "backend said: No auth provider found matching the given token. Check that") {
		t.Errorf("the backend's verdict is missing:\n%s", out)
	}
}

var continuation = regexp.MustCompile(`\n +`)

// unwrap joins the plain output's wrapped lines (and indented lines) to
// the line above, so a test can look for a long sentence whole.
func unwrap(out string) string { return continuation.ReplaceAllString(out, " ") }
