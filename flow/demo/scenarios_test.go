package demo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/oauthloop"
)

// The backend's exact messages, written out from convex-backend
// crates/authentication/src/lib.rs (not taken from flow/convex, so the two
// are checked against each other).
const (
	msgNoProviders  = "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts."
	msgProviderList = "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [%s]"
	msgDiscovery    = "Auth provider discovery of %s failed"
	msgOIDCVerify   = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."
	msgOIDCParse    = "Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT."
	msgNoKid        = "Could not decode token. JWT may be missing a 'kid' (key ID) header."
	msgKid          = "Could not decode token. The JWT's 'kid' (key ID) header is '%s', does this key match any key in the provider's JWKS?"
	msgContentType  = "Invalid Content-Type '%s' when fetching JWKS from '%s'. Expected 'application/json' or 'application/jwk-set+json'."
	msgJWKSStatus   = "Could not fetch JWKS from URL '%s': HTTP %d %s. Check that the URL is correct and accessible."
)

// want is what one scenario must produce end to end.
type want struct {
	authenticated bool
	// message is the backend's exact AuthError text ("" when it sends none).
	message func(s *demo.Stack) string
	// closeCode and closeReason: a close without a message.
	closeCode   int
	closeReason string
	// noAuthenticate: the token never reached the backend (step 6 skipped
	// or the sign-in refused).
	noAuthenticate bool
	// undecided: nothing decided isAuthenticated, for this reason.
	undecided flow.Undecided
}

func fixed(msg string) func(*demo.Stack) string { return func(*demo.Stack) string { return msg } }

func oidcList(domain func(s *demo.Stack) string, app string) func(*demo.Stack) string {
	return func(s *demo.Stack) string {
		return fmt.Sprintf(msgProviderList, fmt.Sprintf("OIDC(domain=%s, app_id=%s)", domain(s), app))
	}
}

func issuer(s *demo.Stack) string { return s.Clerk.Issuer() }

var wants = map[string]want{
	"healthy":                {authenticated: true},
	"production-key":         {noAuthenticate: true, undecided: flow.UndecidedSignInRefused},
	"integration-off":        {noAuthenticate: true},
	"client-wiring":          {noAuthenticate: true},
	"backend-down":           {noAuthenticate: true, undecided: flow.UndecidedBackendUnreachable},
	"no-providers":           {message: fixed(msgNoProviders)},
	"config-not-pushed":      {message: fixed(msgNoProviders)},
	"issuer-env-unset":       {message: fixed(msgNoProviders)},
	"issuer-dev-vs-prod":     {message: oidcList(func(*demo.Stack) string { return "https://clerk.example.com" }, "convex")},
	"issuer-jwks-url":        {message: oidcList(func(s *demo.Stack) string { return s.Clerk.Issuer() + "/.well-known/jwks.json" }, "convex")},
	"key-other-instance":     {message: oidcList(func(*demo.Stack) string { return "https://happy-otter-42.clerk.accounts.dev" }, "convex")},
	"issuer-invisible-char":  {message: oidcList(func(s *demo.Stack) string { return s.Clerk.Issuer() + "\u200b" }, "convex")},
	"application-id-typo":    {message: oidcList(issuer, "c\u043envex")},
	"template-aud":           {message: oidcList(issuer, "convex")},
	"discovery-unreachable":  {message: func(s *demo.Stack) string { return fmt.Sprintf(msgDiscovery, s.Config.Providers[0].Domain) }},
	"discovery-404":          {closeCode: 1000, closeReason: "AuthProviderDiscoveryFailed"},
	"discovery-503":          {closeCode: 1013, closeReason: "AuthProviderDiscoveryFailed"},
	"discovery-issuer-slash": {message: func(s *demo.Stack) string { return fmt.Sprintf(msgDiscovery, s.Clerk.Issuer()) }},
	"key-rotated":            {message: fixed(msgOIDCVerify)},
	"jwks-cache-stale":       {message: fixed(msgOIDCVerify)},
	"token-altered":          {message: fixed(msgOIDCVerify)},
	"es256-template":         {message: fixed(msgOIDCVerify)},
	"hs256-template":         {message: fixed(msgOIDCVerify)},
	"several-audiences":      {message: fixed(msgOIDCVerify)},
	"token-expired":          {message: fixed(msgOIDCVerify)},
	"clock-skew":             {message: fixed(msgOIDCVerify)},
	"short-lifetime":         {authenticated: true},
	"missing-iat":            {message: fixed(msgOIDCParse)},
	"custom-jwt-no-kid":      {message: fixed(msgNoKid)},
	"custom-jwt-wrong-algorithm": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgKid, s.Clerk.SigningKID())
	}},
	"custom-jwt-jwks-500": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgJWKSStatus, s.Clerk.Issuer()+"/.well-known/jwks.json", 500, "Internal Server Error")
	}},
	"custom-jwt-content-type": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgContentType, "text/plain", s.Clerk.Issuer()+"/.well-known/jwks.json")
	}},
}

// run runs a scenario the way `authscope check --demo --auto --scenario`
// does: the embedded stack, the loopback page signed in by the HTTP
// browser, the runner wired by Stack.RunnerConfig.
func run(t *testing.T, sc *demo.Scenario) (*flow.Timeline, *demo.Stack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc, Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stack.Close() })
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
		t.Fatal(err)
	default:
		t.Cleanup(func() { _ = loop.Close() })
		src = loop
	}
	r, err := flow.NewRunner(stack.RunnerConfig(src, hc))
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(ctx, events) }()
	rep := flow.NewTimeline()
	for ev := range events {
		rep.Apply(ev)
	}
	return rep, stack
}

func TestEveryScenarioEndToEnd(t *testing.T) {
	for _, sc := range demo.All() {
		w, ok := wants[sc.Name]
		if !ok {
			t.Errorf("scenario %s has no expectation in this test", sc.Name)
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			rep, stack := run(t, sc)
			last := rep.Concluded()
			if last == nil {
				t.Fatalf("no verdict; report error %q", rep.Error)
			}
			v := last.Verdict
			if v.Decided == (w.undecided != "") || v.Undecided != w.undecided {
				t.Fatalf("decided %v, undecided %q; want undecided %q", v.Decided, v.Undecided, w.undecided)
			}
			if (rep.Decided() == nil) != (w.undecided != "") {
				t.Fatalf("the run's decision %+v does not follow the verdict", rep.Decided())
			}
			if v.Authenticated != w.authenticated {
				t.Fatalf("isAuthenticated = %v, want %v (message %q, findings %+v)", v.Authenticated, w.authenticated, v.Message, codes(v.Findings))
			}
			checkFindings(t, sc, v.Findings)
			if w.message != nil {
				if want := w.message(stack); v.Message != want {
					t.Errorf("backend message:\n got %q\nwant %q", v.Message, want)
				}
				if f := v.Findings; len(f) > 0 && !hasEvidence(f[0], "backend said", v.Message) {
					t.Errorf("the finding does not quote the backend's message: %+v", f[0].Evidence)
				}
			}
			if w.noAuthenticate && (v.Message != "" || v.Problem == "") {
				t.Errorf("no Authenticate was sent, yet the verdict has backend message %q and problem %q", v.Message, v.Problem)
			}
			if w.closeCode != 0 {
				if v.Message != "" || v.CloseCode != w.closeCode || v.CloseReason != w.closeReason {
					t.Errorf("close: message %q, code %d, reason %q; want no message, %d %s", v.Message, v.CloseCode, v.CloseReason, w.closeCode, w.closeReason)
				}
			}
			steps := last.Steps
			if conf := stepOf(steps, flow.StepConfirmed); w.authenticated {
				// Accepted with a cause is a warning; healthy is ok.
				want := flow.StatusOK
				if sc.Cause != "" {
					want = flow.StatusWarn
				}
				if conf == nil || conf.Status != want {
					t.Errorf("step 8: %+v, want %s", conf, want)
				}
			}
			send := stepOf(steps, flow.StepSend)
			switch {
			case w.noAuthenticate && send != nil && send.Status != flow.StatusSkipped && send.Status != flow.StatusFail:
				t.Errorf("step 6 is %s; the token should never reach the backend", send.Status)
			case !w.noAuthenticate && (send == nil || send.Status != flow.StatusOK):
				t.Errorf("step 6 did not send the token: %+v", send)
			}
		})
	}
}

func checkFindings(t *testing.T, sc *demo.Scenario, fs []diagnose.Finding) {
	t.Helper()
	if sc.Cause == "" {
		if len(fs) != 0 {
			t.Errorf("healthy run reported %v", codes(fs))
		}
		return
	}
	if len(fs) != 1 || fs[0].Code != sc.Cause {
		t.Fatalf("findings %v, want exactly [%s]", codes(fs), sc.Cause)
	}
	f := fs[0]
	if f.Title == "" || f.Fix == "" || len(f.Evidence) == 0 {
		t.Errorf("finding %s lacks a title, fix or evidence: %+v", f.Code, f)
	}
	if !strings.HasPrefix(f.Docs, "https://docs.convex.dev/") && !strings.HasPrefix(f.Docs, "https://clerk.com/docs/") {
		t.Errorf("finding %s links no public docs page: %q", f.Code, f.Docs)
	}
}

// runtimeRules are the rules a round can produce, as findings of their code.
func runtimeRules() []diagnose.Finding {
	var out []diagnose.Finding
	for _, r := range diagnose.Rules() {
		if r.Runtime() {
			out = append(out, diagnose.Finding{Code: r.Code})
		}
	}
	return out
}

func codes(fs []diagnose.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}

func hasEvidence(f diagnose.Finding, label, actual string) bool {
	for _, e := range f.Evidence {
		if e.Label == label && e.Actual == actual {
			return true
		}
	}
	return false
}

func stepOf(steps []flow.Step, id flow.StepID) *flow.Step {
	for i := range steps {
		if steps[i].ID == id {
			return &steps[i]
		}
	}
	return nil
}

func TestScenarioList(t *testing.T) {
	all := demo.All()
	if len(all) == 0 || all[0].Name != "healthy" || all[0].Cause != "" {
		t.Fatalf("the script must open with the healthy scenario, got %+v", all[0])
	}
	seen := map[string]bool{}
	for _, sc := range all {
		switch {
		case seen[sc.Name]:
			t.Errorf("scenario %s appears twice", sc.Name)
		case sc.Title == "" || strings.Contains(sc.Title, "\n"):
			t.Errorf("scenario %s needs a one-line title", sc.Name)
		case sc.Name != "healthy" && !slices.Contains(codes(runtimeRules()), sc.Cause):
			t.Errorf("scenario %s names unknown cause %q", sc.Name, sc.Cause)
		}
		seen[sc.Name] = true
		got, err := demo.Lookup(sc.Name)
		if err != nil || got.Name != sc.Name {
			t.Errorf("Lookup(%q) = %v, %v", sc.Name, got, err)
		}
	}
	if !slices.Equal(demo.Names(), names(all)) {
		t.Errorf("Names() %v is not the order of All()", demo.Names())
	}
	if _, err := demo.Lookup("no-such-scenario"); err == nil || !strings.Contains(err.Error(), "healthy") {
		t.Errorf("Lookup of an unknown name: %v; want an error listing the scenarios", err)
	}
}

func names(all []*demo.Scenario) []string {
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.Name
	}
	return out
}

// The production-key scenario's key must be refused for the reason the
// finding gives: a pk_live_ key for the instance's own host.
func TestProductionKeyIsRefused(t *testing.T) {
	sc, _ := demo.Lookup("production-key")
	stack, err := demo.Start(context.Background(), demo.Options{Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	k, err := clerk.ParsePublishableKey(stack.PublishableKey())
	if err != nil || k.Instance != clerk.InstanceProduction || k.FrontendAPIURL() != stack.Clerk.Issuer() {
		t.Fatalf("key %+v, %v; want a production key for %s", k, err, stack.Clerk.Issuer())
	}
	if _, err := oauthloop.NewSource(oauthloop.SourceConfig{Kind: oauthloop.KindDemo, PublishableKey: stack.PublishableKey()}); !errors.Is(err, oauthloop.ErrProductionKey) {
		t.Fatalf("NewSource = %v, want ErrProductionKey", err)
	}
}
