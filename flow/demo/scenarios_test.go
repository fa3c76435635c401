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
	// messageIn lists the exact texts one of which it must be, when a
	// count of seconds in it may differ by one.
	messageIn []string
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

// providerList is A3 with the providers' labels, written out.
func providerList(labels func(s *demo.Stack) []string) func(*demo.Stack) string {
	return func(s *demo.Stack) string { return fmt.Sprintf(msgProviderList, strings.Join(labels(s), ", ")) }
}

func oidcLabel(domain, app string) string {
	return fmt.Sprintf("OIDC(domain=%s, app_id=%s)", domain, app)
}

func customLabel(issuer, app string) string {
	return fmt.Sprintf("CustomJWT(issuer=%s, app_id=%s)", issuer, app)
}

// key names a scenario in the tables: its name for Clerk's,
// provider/name for the other flavours'.
func key(sc *demo.Scenario) string {
	if sc.ProviderID() == demo.ProviderClerk {
		return sc.Name
	}
	return sc.ProviderID() + "/" + sc.Name
}

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
	"auth0/healthy": {authenticated: true},
	"auth0/auth0-application-id-is-api": {message: providerList(func(s *demo.Stack) []string {
		return []string{oidcLabel(s.Auth0.BaseURL(), "https://api.authscope.example")}
	})},
	"auth0/auth0-access-token": {message: providerList(func(s *demo.Stack) []string {
		return []string{oidcLabel(s.Auth0.BaseURL(), s.Auth0.ClientID())}
	})},
	"workos/healthy": {authenticated: true},
	"workos/workos-sso-issuer-only": {message: providerList(func(s *demo.Stack) []string {
		return []string{customLabel(s.WorkOS.BaseURL()+"/", s.WorkOS.ClientID())}
	})},
	"workos/workos-missing-aud": {message: providerList(func(s *demo.Stack) []string {
		w := s.WorkOS
		return []string{customLabel(w.BaseURL()+"/", w.ClientID()), customLabel(w.BaseURL()+"/user_management/"+w.ClientID(), w.ClientID())}
	})},
	"workos/workos-jwks-client-id": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgJWKSStatus, s.WorkOS.BaseURL()+"/sso/jwks/client_01JSTAG1NGENV1R0NMENT000002", 404, "Not Found")
	}},
	"convex-auth/healthy":                   {authenticated: true},
	"convex-auth/convex-auth-jwks-mismatch": {message: fixed(msgOIDCVerify)},
	"convex-auth/convex-auth-site-url": {message: providerList(func(*demo.Stack) []string {
		return []string{oidcLabel("http://localhost:5173", "convex")}
	})},
	"convex-auth/convex-auth-custom-domain": {message: providerList(func(*demo.Stack) []string {
		return []string{oidcLabel("https://api.todo-demo.example", "convex")}
	})},
	"custom-oidc/healthy": {authenticated: true},
	"custom-oidc/oidc-discovery-issuer-slash": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgDiscovery, s.Custom.Issuer())
	}},
	"custom-oidc/oidc-es256": {message: fixed(msgOIDCVerify)},
	"custom-oidc/oidc-no-aud": {message: providerList(func(s *demo.Stack) []string {
		return []string{oidcLabel(s.Custom.Issuer(), s.Custom.ClientID())}
	})},
	"custom-oidc/oidc-several-audiences": {message: fixed(msgOIDCVerify)},
	"custom-jwt/healthy":                 {authenticated: true},
	"custom-jwt/jwt-no-kid":              {message: fixed(msgNoKid)},
	"custom-jwt/jwt-wrong-algorithm":     {message: func(s *demo.Stack) string { return fmt.Sprintf(msgKid, s.Custom.SigningKID()) }},
	"custom-jwt/jwt-jwks-text-plain": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgContentType, "text/plain; charset=utf-8", s.Custom.JWKSURL())
	}},
	"custom-jwt/jwt-jwks-404": {message: func(s *demo.Stack) string {
		return fmt.Sprintf(msgJWKSStatus, s.Custom.JWKSURL(), 404, "Not Found")
	}},
	// The token server's clock is 120 s ahead; the backend counts whole
	// seconds from its own, a moment later.
	"custom-jwt/jwt-not-yet-valid": {messageIn: []string{msgNotYetValid(120), msgNotYetValid(119)}},
}

func msgNotYetValid(s int) string {
	return fmt.Sprintf("Could not validate token: Token will be valid in %d seconds", s)
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
	src, err := stack.TokenSource("")
	if err != nil {
		t.Fatal(err)
	}
	if src != nil {
		return runWith(ctx, t, stack, src, hc), stack
	}
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
	return runWith(ctx, t, stack, src, hc), stack
}

// runWith runs the flow from src against the stack.
func runWith(ctx context.Context, t *testing.T, stack *demo.Stack, src flow.Source, hc *http.Client) *flow.Timeline {
	t.Helper()
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
	return rep
}

func TestEveryScenarioEndToEnd(t *testing.T) {
	for _, sc := range demo.All() {
		w, ok := wants[key(sc)]
		if !ok {
			t.Errorf("scenario %s has no expectation in this test", key(sc))
			continue
		}
		t.Run(key(sc), func(t *testing.T) {
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
			if w.messageIn != nil && !slices.Contains(w.messageIn, v.Message) {
				t.Errorf("backend message:\n got %q\nwant one of %q", v.Message, w.messageIn)
			}
			if w.message != nil || w.messageIn != nil {
				if w.message != nil {
					if want := w.message(stack); v.Message != want {
						t.Errorf("backend message:\n got %q\nwant %q", v.Message, want)
					}
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
	if !slices.ContainsFunc(publicDocs, func(p string) bool { return strings.HasPrefix(f.Docs, p) }) {
		t.Errorf("finding %s links no public docs page: %q", f.Code, f.Docs)
	}
}

// publicDocs are the public documentation sites a finding may link: Convex's
// and each provider's own.
var publicDocs = []string{"https://docs.convex.dev/", "https://clerk.com/docs/", "https://labs.convex.dev/auth",
	"https://auth0.com/docs/", "https://workos.com/docs/"}

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
	seen := map[string]bool{}
	for _, p := range demo.Providers() {
		of := demo.Of(p.ID)
		if len(of) == 0 || of[0].Name != "healthy" || of[0].Cause != "" {
			t.Fatalf("%s's script must open with its healthy scenario", p.ID)
		}
		if !slices.Equal(demo.Names(p.ID), names(of)) {
			t.Errorf("Names(%s) %v is not the order of Of(%s)", p.ID, demo.Names(p.ID), p.ID)
		}
		for _, sc := range of {
			switch {
			case sc.ProviderID() != p.ID:
				t.Errorf("scenario %s of %s says it is %s's", sc.Name, p.ID, sc.ProviderID())
			case sc.Name != "healthy" && seen[sc.Name]:
				t.Errorf("scenario %s appears twice", sc.Name)
			case sc.Title == "" || strings.Contains(sc.Title, "\n"):
				t.Errorf("scenario %s needs a one-line title", key(sc))
			case sc.Name != "healthy" && !slices.Contains(codes(runtimeRules()), sc.Cause):
				t.Errorf("scenario %s names unknown cause %q", sc.Name, sc.Cause)
			}
			seen[sc.Name] = true
			got, err := demo.Lookup(p.ID, sc.Name)
			if err != nil || got.Name != sc.Name || got.ProviderID() != p.ID {
				t.Errorf("Lookup(%s, %q) = %v, %v", p.ID, sc.Name, got, err)
			}
			if f := demo.Find(sc.Name); sc.Name != "healthy" && (f == nil || f.ProviderID() != p.ID) {
				t.Errorf("Find(%q) = %v", sc.Name, f)
			}
		}
	}
	if len(demo.All()) != len(seen)+len(demo.Providers())-1 {
		t.Errorf("All() has %d scenarios, the providers' scripts %d", len(demo.All()), len(seen))
	}
	if _, err := demo.Lookup("", "no-such-scenario"); err == nil || !strings.Contains(err.Error(), "healthy") {
		t.Errorf("Lookup of an unknown name: %v; want an error listing the scenarios", err)
	}
	if _, err := demo.Lookup("", "auth0-access-token"); err == nil || !strings.Contains(err.Error(), "--provider auth0") {
		t.Errorf("Lookup of another provider's scenario: %v; want an error naming its provider", err)
	}
	if _, err := demo.Lookup("okta", "healthy"); err == nil || !strings.Contains(err.Error(), "custom-oidc") {
		t.Errorf("Lookup of an unknown provider: %v; want an error listing the providers", err)
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
	sc, _ := demo.Lookup("", "production-key")
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
