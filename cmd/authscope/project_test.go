package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
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

// writeProject writes a small project (convex/ and the given files) into a
// temporary folder and returns it.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "convex"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A production key still refuses the loopback sign-in, and the run still
// says why the app itself is false: the key's instance is not the one the
// auth config trusts. Nothing decided isAuthenticated: exit 3.
func TestProductionKeyStillShowsTheInstanceMismatch(t *testing.T) {
	root := writeProject(t, map[string]string{
		"package.json":          `{"dependencies":{"@clerk/clerk-react":"^5","convex":"^1","vite":"^6","react":"^19"}}`,
		"convex/auth.config.ts": `export default { providers: [{ domain: "https://happy-otter-42.clerk.accounts.dev", applicationID: "convex" }] };`,
		".env.local": "CONVEX_DEPLOYMENT=dev:polite-yak-404\nVITE_CONVEX_URL=https://polite-yak-404.convex.cloud\n" +
			"VITE_CLERK_PUBLISHABLE_KEY=" + clerk.BuildPublishableKey("clerk.example-shop.com", clerk.InstanceProduction) + "\n",
	})
	code, out, errs := runIn(t, root, "", "check", "--no-browser")
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"verdict: undecided: the sign-in was refused", "[" + diagnose.CodeProductionKeyOnLoopback + "]",
		"[" + diagnose.CodeKeyInstanceMismatch + "]", "https://clerk.example-shop.com", "https://happy-otter-42.clerk.accounts.dev", "--token"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Sign-in page") {
		t.Errorf("a sign-in page was offered for a production key:\n%s", out)
	}
}

// A project that signs in with another provider is told plainly that
// authscope signs in only with Clerk, and how to check a token from it.
func TestOtherProviderIsToldWhatAuthscopeCanDo(t *testing.T) {
	root := writeProject(t, map[string]string{
		"package.json":          `{"dependencies":{"@auth0/auth0-react":"^2","convex":"^1","vite":"^6","react":"^19"}}`,
		"convex/auth.config.ts": `export default { providers: [{ domain: "https://dev-abc123.us.auth0.com/", applicationID: "yourClientId" }] };`,
		".env.local":            "VITE_CONVEX_URL=https://polite-yak-404.convex.cloud\nVITE_AUTH0_DOMAIN=dev-abc123.us.auth0.com\n",
	})
	code, out, errs := runIn(t, root, "", "check", "--no-browser")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"signs in with Auth0", "@auth0/auth0-react", "cannot run Auth0's sign-in from its loopback page", "authscope check --token -"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
	if strings.Contains(errs, "PUBLISHABLE_KEY") {
		t.Errorf("an Auth0 project was told to set a Clerk key: %s", errs)
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
	if !strings.Contains(out, "[warn] jwks") || !strings.Contains(out, "not checked on this machine") {
		t.Errorf("step 7 does not say the replay was impossible:\n%s", out)
	}
	if !strings.Contains(out, "backend said: No auth provider found matching the given token. Check that") {
		t.Errorf("the backend's verdict is missing:\n%s", out)
	}
}

// A token checked without a deployment runs on the embedded backend, which
// stands in for the user's deployment on this machine: when this machine
// cannot resolve the issuer, that is said as this machine's network (and
// the run is undecided), never as the deployment failing to reach it.
func TestGivenTokenOfflineIsThisMachine(t *testing.T) {
	dev := startIssuer(t)
	dev.SetFaults(devinstance.Faults{IssuerOverride: "https://authscope-test.invalid"}) // RFC 6761: never resolves
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runIn(t, t.TempDir(), tok, "check", "--token", "-")
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"verdict: undecided: offline", "[" + diagnose.CodeLocalNetwork + "]", "(DNS)", "--deployment"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, wrong := range []string{diagnose.CodeDiscoveryUnreachable, "public hosts", "npx convex dev"} {
		if strings.Contains(out, wrong) {
			t.Errorf("output blames the deployment (%q):\n%s", wrong, out)
		}
	}
}

// A real project whose Frontend API this machine cannot reach is told so
// before any browser opens, instead of waiting minutes for a browser that
// cannot load ClerkJS; the run is undecided (offline). (A Frontend API
// that never answers is bounded by the 2 s probe: flow's
// TestUnreachableFrontendAPIIsReportedWithinTheProbe.)
func TestUnreachableFrontendAPIBeforeAnyBrowser(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fapi := ln.Addr().String()
	ln.Close() // nothing listens there any more
	pk := clerk.BuildPublishableKey(fapi, clerk.InstanceDevelopment)
	root := writeProject(t, map[string]string{
		"package.json":          `{"dependencies":{"@clerk/clerk-react":"^5","convex":"^1","vite":"^6","react":"^19"}}`,
		"convex/auth.config.ts": `export default { providers: [{ domain: "http://` + fapi + `", applicationID: "convex" }] };`,
		".env.local":            "VITE_CONVEX_URL=" + startBackend(t) + "\nVITE_CLERK_PUBLISHABLE_KEY=" + pk + "\n",
	})
	start := time.Now()
	code, out, errs := runIn(t, root, "", "check", "--no-browser")
	took := time.Since(start)
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	if took > 3*time.Second {
		t.Errorf("the unreachable Frontend API was said after %s", took.Round(time.Millisecond))
	}
	for _, want := range []string{"verdict: undecided: offline", "[" + diagnose.CodeLocalNetwork + "]", "Frontend API http://" + fapi, "refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Sign-in page") || strings.Contains(out, diagnose.CodeBackendUnreachable) {
		t.Errorf("a sign-in page was offered, or the deployment blamed:\n%s", out)
	}
}

var continuation = regexp.MustCompile(`\n +`)

// unwrap joins the plain output's wrapped lines (and indented lines) to
// the line above, so a test can look for a long sentence whole.
func unwrap(out string) string { return continuation.ReplaceAllString(out, " ") }
