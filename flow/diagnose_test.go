package flow

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/convex/wire"
)

// Synthetic rounds for the rules. The tokens are unsigned: the rules read
// claims, the replay's result says whether the signature held.

var t0 = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

const devIss = "https://verb-noun-00.clerk.accounts.dev"

func jwt(header, claims map[string]any) string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + ".c2ln"
}

// claims are a Clerk session token's, issued at t0.
func claims(edit func(map[string]any)) map[string]any {
	c := map[string]any{"iss": devIss, "sub": "user_1", "aud": "convex", "iat": t0.Unix(), "exp": t0.Add(time.Minute).Unix(), "nbf": t0.Add(-10 * time.Second).Unix()}
	if edit != nil {
		edit(c)
	}
	return c
}

func header(edit func(map[string]any)) map[string]any {
	h := map[string]any{"alg": "RS256", "typ": "JWT", "kid": "ins_1"}
	if edit != nil {
		edit(h)
	}
	return h
}

// round is a round that sent tok and got out; the replay said rep.
type round struct {
	tok string
	out *wire.Outcome
	rep *convex.Result
	mod func(*RoundState)
}

func (r round) state() *RoundState {
	tr := TokenResult{Path: TokenPathSession, Token: r.tok}
	st := &RoundState{Fetch: tr, Token: tokenDetail(tr), Outcome: r.out, Replay: r.rep, Now: t0.Add(5 * time.Second),
		Config: clerkConfig(devIss, "convex")}
	if st.Replay == nil {
		st.Replay = &convex.Result{Trace: convex.Trace{ProviderIndex: 0}}
	}
	if r.mod != nil {
		r.mod(st)
	}
	return st
}

func clerkConfig(domain, app string) convex.AuthConfig {
	return convex.AuthConfig{Providers: []convex.Provider{{Kind: convex.KindOIDC, Domain: domain, ApplicationID: app, HasApplicationID: true}}}
}

func customConfig(alg string) convex.AuthConfig {
	return convex.AuthConfig{Providers: []convex.Provider{{Kind: convex.KindCustomJWT, Issuer: devIss, JWKS: devIss + "/.well-known/jwks.json",
		Algorithm: alg, ApplicationID: "convex", HasApplicationID: true}}}
}

func authError(msg string) *wire.Outcome {
	return &wire.Outcome{AuthError: &wire.AuthError{Error: msg, AuthUpdateAttempted: ptr(true)}, Closed: true, CloseCode: 1005}
}

func closed(code int, reason string) *wire.Outcome {
	return &wire.Outcome{Closed: true, CloseCode: code, CloseReason: reason}
}

var accepted = &wire.Outcome{Accepted: true, IdentityVersion: 1}

func replayErr(reason convex.Reason, msg string) *convex.Result {
	return &convex.Result{Trace: convex.Trace{ProviderIndex: 0}, Err: &convex.AuthError{Reason: reason, Message: msg, Detail: "detail of " + string(reason)}}
}

func withProvider(r *convex.Result, p convex.Provider) *convex.Result {
	r.Trace.Provider = &p
	return r
}

func list(cfg convex.AuthConfig) string { return convex.MsgNoProviderList(cfg.Providers) }

func pk(host string, inst clerk.InstanceType) string { return clerk.BuildPublishableKey(host, inst) }

var (
	sessionTok = jwt(header(nil), claims(nil))
	noMatch    = replayErr(convex.ReasonNoProviderMatch, "")
)

func local(cfg convex.AuthConfig) func(*RoundState) {
	return func(st *RoundState) { st.App.LocalConfig = &cfg }
}

func TestDiagnoseRules(t *testing.T) {
	verify := convex.MsgOIDCUnverified
	cases := []struct {
		name string
		r    round
		want []string
		// has are substrings the findings' text must hold (title, evidence, fix).
		has []string
	}{
		{name: "healthy", r: round{tok: sessionTok, out: accepted}, want: nil},
		{name: "production key refused", r: round{mod: func(st *RoundState) {
			st.Fetch, st.Token, st.SignInErr = TokenResult{}, nil, errors.New("production publishable key")
			st.App.PublishableKey = pk("clerk.example.com", clerk.InstanceProduction)
		}}, want: []string{CauseProductionKey}, has: []string{"pk_live_", "VITE_CLERK_PUBLISHABLE_KEY", "--token"}},
		{name: "other sign-in failure", r: round{mod: func(st *RoundState) {
			st.Fetch, st.Token, st.SignInErr = TokenResult{}, nil, errors.New("sign-in timed out")
			st.App.PublishableKey = pk("verb-noun-00.clerk.accounts.dev", clerk.InstanceDevelopment)
		}}, want: nil},
		{name: "template 404", r: round{mod: func(st *RoundState) {
			st.Fetch = TokenResult{Path: TokenPathTemplate, Template: "convex", HTTPStatus: 404,
				Body: `{"errors":[{"message":"JWT template not found","long_message":"No JWT template exists with name: convex","code":"resource_not_found"}]}`}
			st.Token = tokenDetail(st.Fetch)
		}}, want: []string{CauseNoConvexToken}, has: []string{"No JWT template exists with name: convex", "dashboard.clerk.com/apps/setup/convex", "never sent"}},
		{name: "null token, no error: wiring (Vite)", r: round{mod: func(st *RoundState) {
			st.Fetch = TokenResult{Path: TokenPathSession, Err: "Clerk's session.getToken() returned null"}
			st.Token = tokenDetail(st.Fetch)
		}}, want: []string{CauseClientWiring}, has: []string{"src/main.tsx", `"@clerk/clerk-react"`, "ClerkProvider publishableKey={import.meta.env.VITE_CLERK_PUBLISHABLE_KEY}"}},
		{name: "wiring in Next.js", r: round{mod: func(st *RoundState) {
			st.Fetch, st.App.Framework = TokenResult{Path: TokenPathSession}, "nextjs"
			st.Token = tokenDetail(st.Fetch)
		}}, want: []string{CauseClientWiring}, has: []string{"app/ConvexClientProvider.tsx", `"@clerk/nextjs"`, "app/layout.tsx", "use client"}},
		{name: "wiring in TanStack Start, project's own file", r: round{mod: func(st *RoundState) {
			st.Fetch, st.App.Framework, st.App.ProviderFile = TokenResult{}, "tanstack-start", "app/routes/__root.tsx"
			st.Token = tokenDetail(st.Fetch)
		}}, want: []string{CauseClientWiring}, has: []string{"app/routes/__root.tsx", `"@clerk/tanstack-react-start"`}},
		{name: "token fetch network error", r: round{mod: func(st *RoundState) {
			st.Fetch = TokenResult{Path: TokenPathSession, Err: "ClerkOfflineError: Network request failed while offline"}
			st.Token = tokenDetail(st.Fetch)
		}}, want: []string{CauseTokenFetchFailed}, has: []string{"Network request failed"}},
		{name: "backend unreachable", r: round{tok: sessionTok, mod: func(st *RoundState) { st.SendErr = errors.New("dial tcp: connection refused") }},
			want: []string{CauseBackendUnreachable}, has: []string{"VITE_CONVEX_URL", "connection refused"}},

		{name: "no providers anywhere", r: round{tok: sessionTok, out: authError(convex.MsgNoProvidersConfigured), rep: replayErr(convex.ReasonNoProviders, convex.MsgNoProvidersConfigured),
			mod: local(convex.AuthConfig{})}, want: []string{CauseNoProviders}, has: []string{"npx convex env set CLERK_JWT_ISSUER_DOMAIN " + devIss, "uncomment"}},
		{name: "no providers, local unknown", r: round{tok: sessionTok, out: authError(convex.MsgNoProvidersConfigured), rep: replayErr(convex.ReasonNoProviders, "")},
			want: []string{CauseNoProviders}},
		{name: "deployment has none, file has one", r: round{tok: sessionTok, out: authError(convex.MsgNoProvidersConfigured), rep: replayErr(convex.ReasonNoProviders, ""),
			mod: local(clerkConfig(devIss, "convex"))}, want: []string{CauseConfigNotPushed}, has: []string{"npx convex dev", "(none)"}},
		{name: "not pushed, production deployment", r: round{tok: sessionTok, out: authError(convex.MsgNoProvidersConfigured), rep: replayErr(convex.ReasonNoProviders, ""),
			mod: func(st *RoundState) { local(clerkConfig(devIss, "convex"))(st); st.App.ProdDeployment = true }},
			want: []string{CauseConfigNotPushed}, has: []string{"npx convex deploy", "env set --prod"}},
		{name: "push failed on a missing variable", r: round{tok: sessionTok, out: authError(convex.MsgNoProvidersConfigured), rep: replayErr(convex.ReasonNoProviders, ""),
			mod: func(st *RoundState) {
				local(clerkConfig(devIss, "convex"))(st)
				st.App.MissingEnv = []string{"CLERK_JWT_ISSUER_DOMAIN"}
			}}, want: []string{CauseIssuerEnvUnset}, has: []string{"is used in auth config file but its value was not set", "npx convex env set CLERK_JWT_ISSUER_DOMAIN " + devIss}},
		{name: "deployed domain is an unset variable", r: round{tok: sessionTok, out: authError(list(clerkConfig("https://undefined", "convex"))), rep: noMatch},
			want: []string{CauseIssuerEnvUnset}, has: []string{`"https://undefined"`}},
		{name: "deployed domain is the variable's name", r: round{tok: sessionTok, out: authError(list(clerkConfig("https://CLERK_JWT_ISSUER_DOMAIN", "convex"))), rep: noMatch},
			want: []string{CauseIssuerEnvUnset}},
		{name: "JWKS URL as domain", r: round{tok: sessionTok, out: authError(list(clerkConfig(devIss+"/.well-known/jwks.json", "convex"))), rep: noMatch},
			want: []string{CauseIssuerJWKSURL}, has: []string{"without /.well-known/"}},
		{name: "dev token, prod domain", r: round{tok: sessionTok, out: authError(list(clerkConfig("https://clerk.myapp.com", "convex"))), rep: noMatch,
			mod: local(clerkConfig(devIss, "convex"))}, want: []string{CauseIssuerDevVsProd}, has: []string{"development Clerk instance", "production instance", "pk_test_"}},
		{name: "prod token, dev domain", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://clerk.myapp.com" })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch}, want: []string{CauseIssuerDevVsProd}, has: []string{"env set --prod CLERK_JWT_ISSUER_DOMAIN https://clerk.myapp.com", "npx convex deploy"}},
		{name: "two dev instances", r: round{tok: sessionTok, out: authError(list(clerkConfig("https://happy-otter-42.clerk.accounts.dev", "convex"))), rep: noMatch,
			mod: func(st *RoundState) {
				st.App.PublishableKey = pk("verb-noun-00.clerk.accounts.dev", clerk.InstanceDevelopment)
			}},
			want: []string{CauseKeyOtherInstance}, has: []string{"happy-otter-42.clerk.accounts.dev", "publishable key names"}},
		{name: "zero-width space in the domain", r: round{tok: sessionTok, out: authError(list(clerkConfig(devIss+"\u200b", "convex"))), rep: noMatch},
			want: []string{CauseIssuerMismatch}, has: []string{"U+200B", "code points"}},
		{name: "homoglyph in the domain", r: round{tok: sessionTok, out: authError(list(clerkConfig("https://verb-n\u043eun-00.clerk.accounts.dev", "convex"))), rep: noMatch},
			want: []string{CauseIssuerMismatch}, has: []string{"U+043E"}},
		{name: "unrelated domains", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://auth.example.com" })),
			out: authError(list(clerkConfig("https://login.example.org", "convex"))), rep: noMatch}, want: []string{CauseIssuerMismatch}},
		{name: "file differs from deployment and matches", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://auth.example.com" })),
			out: authError(list(clerkConfig("https://login.example.org", "convex"))), rep: noMatch, mod: local(clerkConfig("https://auth.example.com", "convex"))},
			want: []string{CauseConfigNotPushed}, has: []string{"OIDC(domain=https://login.example.org, app_id=convex)"}},
		{name: "redacted deployment, local file matches", r: round{tok: sessionTok, out: authError(convex.MsgNoProviderRedacted), rep: &convex.Result{}},
			want: []string{CauseConfigNotPushed}, has: []string{"redacts"}},
		{name: "redacted deployment, local file does not match", r: round{tok: sessionTok, out: authError(convex.MsgNoProviderRedacted), rep: noMatch,
			mod: func(st *RoundState) { st.Config = clerkConfig("https://clerk.myapp.com", "convex") }}, want: []string{CauseIssuerDevVsProd}},
		{name: "applicationID case", r: round{tok: sessionTok, out: authError(list(clerkConfig(devIss, "Convex"))), rep: noMatch},
			want: []string{CauseApplicationIDTypo}, has: []string{`applicationID: "convex"`}},
		{name: "applicationID homoglyph", r: round{tok: sessionTok, out: authError(list(clerkConfig(devIss, "c\u043envex"))), rep: noMatch},
			want: []string{CauseApplicationIDTypo}, has: []string{"U+043E"}},
		{name: "template aud changed", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["aud"] = "my-app" })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch, mod: func(st *RoundState) { st.Fetch.Path, st.Fetch.Template = TokenPathTemplate, "convex" }},
			want: []string{CauseAudienceMismatch}, has: []string{"JWT templates → convex", `"my-app"`}},
		{name: "no aud", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "aud") })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch}, want: []string{CauseAudienceMismatch}, has: []string{"no aud claim"}},

		{name: "discovery 404 closes 1000", r: round{tok: sessionTok, out: closed(1000, "AuthProviderDiscoveryFailed"),
			rep: func() *convex.Result {
				r := replayErr(convex.ReasonDiscoveryStatus, "")
				r.Trace.Fetches = []convex.FetchRecord{{Kind: convex.FetchDiscovery, URL: devIss + "/.well-known/openid-configuration", Status: 404}}
				return r
			}()}, want: []string{CauseDiscoveryFailed}, has: []string{"404 Not Found", "1000 AuthProviderDiscoveryFailed", "without an AuthError"}},
		{name: "JWKS 500 on the OIDC path", r: round{tok: sessionTok, out: closed(1013, "AuthProviderDiscoveryFailed"),
			rep: func() *convex.Result {
				r := replayErr(convex.ReasonJWKSStatus, "")
				r.Trace.Fetches = []convex.FetchRecord{{Kind: convex.FetchDiscovery, Status: 200}, {Kind: convex.FetchJWKS, URL: devIss + "/.well-known/jwks.json", Status: 500}}
				return r
			}()}, want: []string{CauseDiscoveryFailed}, has: []string{"JWKS answers 500 Internal Server Error", "status.clerk.com"}},
		{name: "discovery unreachable", r: round{tok: sessionTok, out: authError(convex.MsgDiscoveryFailed(devIss)),
			rep: func() *convex.Result {
				r := replayErr(convex.ReasonDiscoveryTransport, "")
				u := devIss + "/.well-known/openid-configuration"
				r.Trace.Fetches = []convex.FetchRecord{{Kind: convex.FetchDiscovery, URL: u, Err: "GET " + u + ": dial tcp: no such host"}}
				return r
			}()}, want: []string{CauseDiscoveryUnreachable}, has: []string{"no such host"}},
		{name: "only the deployment cannot reach the issuer", r: round{tok: sessionTok, out: authError(convex.MsgDiscoveryFailed(devIss)), rep: &convex.Result{}},
			want: []string{CauseDiscoveryUnreachable}, has: []string{"authscope fetched it"}},
		{name: "discovery issuer slash", r: round{tok: sessionTok, out: authError(convex.MsgDiscoveryFailed(devIss)),
			rep: func() *convex.Result {
				r := replayErr(convex.ReasonDiscoveryIssuer, "")
				r.Trace.DiscoveredIssuer = devIss + "/"
				return r
			}()}, want: []string{CauseDiscoveryIssuer}, has: []string{"U+002F", "trailing slash"}},

		{name: "ES256 on OIDC", r: round{tok: jwt(header(func(h map[string]any) { h["alg"] = "ES256" }), claims(nil)), out: authError(verify), rep: replayErr(convex.ReasonAlgorithm, verify)},
			want: []string{CauseOIDCAlgorithm}, has: []string{"ES256", "RS256 or EdDSA"}},
		{name: "alg on customJwt", r: round{tok: sessionTok, out: authError("Could not decode token. The JWT's 'kid' (key ID) header is 'ins_1', does this key match any key in the provider's JWKS?"),
			rep: withProvider(replayErr(convex.ReasonAlgorithm, ""), customConfig("ES256").Providers[0])},
			want: []string{CauseCustomJWTAlgorithm}, has: []string{`algorithm: "RS256"`}},
		{name: "several audiences", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["aud"] = []string{"convex", "other"} })), out: authError(verify),
			rep: withProvider(replayErr(convex.ReasonMultipleAudiences, verify), clerkConfig(devIss, "convex").Providers[0])},
			want: []string{CauseMultipleAudiences}, has: []string{`["convex","other"]`}},
		{name: "unknown kid", r: round{tok: sessionTok, out: authError(verify), rep: func() *convex.Result {
			r := replayErr(convex.ReasonNoMatchingKey, verify)
			r.Trace.Keys = []convex.KeyInfo{{Kid: "ins_2", Kty: "RSA"}}
			return r
		}()}, want: []string{CauseUnknownKid}, has: []string{"one of: ins_2", "ins_1"}},
		{name: "customJwt without kid", r: round{tok: jwt(header(func(h map[string]any) { delete(h, "kid") }), claims(nil)), out: authError(convex.MsgDecodeNoKid),
			rep: withProvider(replayErr(convex.ReasonMissingKid, convex.MsgDecodeNoKid), customConfig("RS256").Providers[0])}, want: []string{CauseCustomJWTMissingKid}},
		{name: "customJwt content type", r: round{tok: sessionTok, out: authError("Invalid Content-Type 'text/html' …"),
			rep: func() *convex.Result {
				r := withProvider(replayErr(convex.ReasonJWKSContentType, ""), customConfig("RS256").Providers[0])
				r.Trace.Checks = []convex.Check{{Name: convex.CheckJWKSContentType, Actual: "text/html"}}
				return r
			}()}, want: []string{CauseCustomJWTContentType}, has: []string{"text/html", "data:"}},
		{name: "customJwt JWKS 404", r: round{tok: sessionTok, out: authError("Could not fetch JWKS …"),
			rep: withProvider(replayErr(convex.ReasonJWKSStatus, ""), customConfig("RS256").Providers[0])}, want: []string{CauseCustomJWTJWKS}},
		{name: "signature", r: round{tok: sessionTok, out: authError(verify), rep: replayErr(convex.ReasonSignature, verify)}, want: []string{CauseSignature}},

		{name: "expired", r: round{tok: sessionTok, out: authError(verify), rep: replayErr(convex.ReasonExpired, verify),
			mod: func(st *RoundState) {
				st.Now = t0.Add(5 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", URL: devIss, Date: st.Now, Local: st.Now.Add(300 * time.Millisecond)}}
			}}, want: []string{CauseTokenExpired}, has: []string{"4m0s before the check", "5m0s before the issuer's current time"}},
		{name: "expired because this clock is ahead", r: round{tok: sessionTok, out: authError(verify), rep: replayErr(convex.ReasonExpired, verify),
			mod: func(st *RoundState) {
				st.Now = t0.Add(3 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", URL: devIss, Date: t0.Add(2 * time.Second), Local: st.Now}}
			}}, want: []string{CauseLocalClockSkew}, has: []string{"2m58s ahead of", "timedatectl"}},
		{name: "not yet valid, clock behind", r: round{tok: sessionTok, out: authError("Could not validate token: Token will be valid in 30 seconds"), rep: replayErr(convex.ReasonNotYetValid, ""),
			mod: func(st *RoundState) {
				st.Now = t0.Add(-30 * time.Second)
				st.ServerClocks = []ServerClock{{Server: "issuer", Date: t0, Local: st.Now}}
			}}, want: []string{CauseLocalClockSkew}, has: []string{"behind"}},
		{name: "not yet valid, clocks agree", r: round{tok: sessionTok, out: authError("Could not validate token: Token will be valid in 30 seconds"), rep: replayErr(convex.ReasonNotYetValid, "")},
			want: []string{CauseTokenNotYetValid}},
		{name: "accepted, but this clock is off", r: round{tok: sessionTok, out: accepted, rep: replayErr(convex.ReasonExpired, verify),
			mod: func(st *RoundState) {
				st.Now = t0.Add(10 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", Date: t0, Local: st.Now}}
			}}, want: []string{CauseLocalClockSkew}, has: []string{"the deployment accepted the token"}},
		{name: "missing iat on OIDC", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "iat") })), out: authError(convex.MsgOIDCUnparseable),
			rep: replayErr(convex.ReasonOIDCParse, convex.MsgOIDCUnparseable)}, want: []string{CauseMissingClaims}, has: []string{"no iat", ClientNoFields}},
		{name: "missing sub on customJwt", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "sub") })), out: authError(convex.MsgClaimsUnverified),
			rep: withProvider(replayErr(convex.ReasonMissingSubject, convex.MsgClaimsUnverified), customConfig("RS256").Providers[0])},
			want: []string{CauseMissingClaims}, has: []string{"no sub"}},
		{name: "accepted without iat (customJwt)", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "iat") })), out: accepted},
			want: []string{CauseMissingClaims}, has: []string{"cannot schedule its refresh"}},
		{name: "accepted, lives 5 s", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["exp"] = t0.Add(5 * time.Second).Unix() })), out: accepted},
			want: []string{CauseShortLifetime}, has: []string{"Refetching auth token immediately, configured leeway 10s is larger than the token's lifetime 5s"}},
		{name: "accepted, lives 2 s", r: round{tok: jwt(header(nil), claims(func(c map[string]any) { c["exp"] = t0.Add(2 * time.Second).Unix() })), out: accepted},
			want: []string{CauseShortLifetime}, has: []string{ClientTooShortLife}},
		{name: "rejected and short-lived: both causes", r: round{tok: jwt(header(func(h map[string]any) { h["alg"] = "HS256" }), claims(func(c map[string]any) { c["exp"] = t0.Add(5 * time.Second).Unix() })),
			out: authError(verify), rep: replayErr(convex.ReasonAlgorithm, verify)}, want: []string{CauseOIDCAlgorithm, CauseShortLifetime}},

		{name: "embedded backend disagrees with the replay", r: round{tok: sessionTok, out: authError(verify), rep: &convex.Result{},
			mod: func(st *RoundState) { st.Embedded = true }}, want: []string{CauseBackendDisagrees}, has: []string{"clock"}},
		{name: "embedded backend used a cached JWKS", r: round{tok: sessionTok, out: authError(verify), rep: &convex.Result{},
			mod: func(st *RoundState) {
				st.Embedded = true
				st.BackendFetches = []convex.FetchRecord{{Kind: convex.FetchDiscovery, FromCache: true}, {Kind: convex.FetchJWKS, URL: devIss + "/.well-known/jwks.json", FromCache: true, Lifetime: 5 * time.Minute}}
			}}, want: []string{CauseJWKSCacheStale}, has: []string{"fresh for 5m0s", "ins_1"}},
		{name: "deployment refuses what passes every check here", r: round{tok: sessionTok, out: authError(verify), rep: &convex.Result{}},
			want: []string{CauseJWKSCacheStale}, has: []string{"most likely"}},
		{name: "deployment rejects what the local file accepts", r: round{tok: sessionTok, out: authError(convex.MsgDecodeNoKid), rep: &convex.Result{}},
			want: []string{CauseConfigNotPushed}, has: []string{"npx convex env list"}},
		{name: "deployment matched a provider the file has not", r: round{tok: sessionTok, out: authError(verify), rep: noMatch},
			want: []string{CauseConfigNotPushed}},
		{name: "another check", r: round{tok: sessionTok, out: authError(verify), rep: func() *convex.Result {
			r := replayErr(convex.ReasonTyp, verify)
			r.Trace.Checks = []convex.Check{{Name: convex.CheckTyp, Expected: "absent, JWT or JOSE", Actual: "at+jwt"}}
			return r
		}()}, want: []string{CauseTokenRejected}, has: []string{"at+jwt"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := Diagnose(tc.r.state())
			got := make([]string, len(fs))
			for i, f := range fs {
				got[i] = f.Code
				if f.Title == "" || f.Fix == "" || !strings.Contains(f.Reference, "reference/") {
					t.Errorf("finding %s lacks a title, fix or reference: %+v", f.Code, f)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("causes %v, want %v\n%s", got, tc.want, dump(fs))
			}
			text := dump(fs)
			for _, s := range tc.has {
				if !strings.Contains(text, s) {
					t.Errorf("findings lack %q:\n%s", s, text)
				}
			}
		})
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "[%s] %s\n", f.Code, f.Title)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "  %s: %s | %s\n", e.Label, e.Expected, e.Actual)
		}
		fmt.Fprintf(&b, "  fix: %s\n  see: %s\n", f.Fix, f.Reference)
	}
	return b.String()
}

func TestDiagnoseQuotesTheBackend(t *testing.T) {
	msg := list(clerkConfig("https://clerk.myapp.com", "convex"))
	fs := Diagnose(round{tok: sessionTok, out: authError(msg), rep: noMatch}.state())
	if len(fs) != 1 || len(fs[0].Evidence) == 0 || fs[0].Evidence[0] != (Comparison{Label: "backend said", Actual: msg}) {
		t.Fatalf("the backend's message is not the first evidence: %s", dump(fs))
	}
}

func TestDiagnoseNeverPanics(t *testing.T) {
	states := []*RoundState{
		nil,
		{},
		{Fetch: TokenResult{Token: "x"}},
		{Fetch: TokenResult{Token: "x"}, Outcome: &wire.Outcome{}},
		{Fetch: TokenResult{Token: "a.b.c"}, Outcome: authError(convex.MsgNoProviderRedacted)},
		{Fetch: TokenResult{Token: "a.b.c"}, Outcome: authError(convex.MsgNoProviderRedacted), Config: clerkConfig("", "")},
		{Fetch: TokenResult{Token: "a.b.c"}, Outcome: authError(providerListPrefix + "garbage]")},
		{Fetch: TokenResult{Token: "a.b.c"}, Outcome: closed(1000, "AuthProviderDiscoveryFailed")},
		{Fetch: TokenResult{Token: "a.b.c"}, Outcome: &wire.Outcome{Accepted: true, ClientClockSkew: ptr(math.NaN())}, Replay: &convex.Result{Err: &convex.AuthError{Reason: convex.ReasonExpired}}},
		{SignInErr: errors.New("x"), App: AppInfo{PublishableKey: "pk_live_garbage"}},
	}
	for i, st := range states {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("state %d: panic %v", i, r)
				}
			}()
			fs := Diagnose(st)
			seen := map[string]bool{}
			for _, f := range fs {
				if seen[f.Code] {
					t.Errorf("state %d: %s reported twice", i, f.Code)
				}
				seen[f.Code] = true
			}
		}()
	}
}

func ptr[T any](v T) *T { return &v }

func TestParseProviderList(t *testing.T) {
	cases := []struct {
		in   string
		want []convex.Provider
		ok   bool
	}{
		{"", nil, true},
		{"OIDC(domain=https://a.dev, app_id=convex)", clerkConfig("https://a.dev", "convex").Providers, true},
		{"OIDC(domain=https://a.dev/x), y, app_id=convex), CustomJWT(issuer=https://b, app_id=none)", []convex.Provider{
			{Kind: convex.KindOIDC, Domain: "https://a.dev/x), y", ApplicationID: "convex", HasApplicationID: true},
			{Kind: convex.KindCustomJWT, Issuer: "https://b"}}, true},
		{"CustomJWT(issuer=https://b, app_id=convex)", []convex.Provider{{Kind: convex.KindCustomJWT, Issuer: "https://b", ApplicationID: "convex", HasApplicationID: true}}, true},
		{"OIDC(domain=https://a.dev)", nil, false},
		{"SAML(x)", nil, false},
		{"OIDC(domain=https://a, app_id=c", nil, false},
	}
	for _, tc := range cases {
		got, ok := parseProviderList(tc.in)
		if ok != tc.ok || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("parseProviderList(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	// Round trip through the backend's own rendering.
	cfg := convex.AuthConfig{Providers: append(clerkConfig("https://x.dev, app_id=y)", "convex").Providers, customConfig("RS256").Providers...)}
	msg := convex.MsgNoProviderList(cfg.Providers)
	got, ok := parseProviderList(msg[len(providerListPrefix) : len(msg)-1])
	if !ok || !sameProviders(convex.AuthConfig{Providers: got}, cfg) {
		t.Errorf("round trip of %q gave %+v", msg, got)
	}
}

func TestTextHelpers(t *testing.T) {
	if !lookAlike("convex", "c\u043envex") || !lookAlike("a.dev", "a.dev\u200b") || lookAlike("convex", "Convex") || lookAlike("a", "a") {
		t.Error("lookAlike")
	}
	e, a := codePointDiff("abcdefgh", "abcdXfgh")
	if e != "… U+0063 (c) U+0064 (d) U+0065 (e) U+0066 (f) U+0067 (g) U+0068 (h)" || a != "… U+0063 (c) U+0064 (d) U+0058 (X) U+0066 (f) U+0067 (g) U+0068 (h)" {
		t.Errorf("codePointDiff = %q, %q", e, a)
	}
	if e, a := codePointDiff("ab", "ab\u200b"); e != "U+0061 (a) U+0062 (b) (end)" || a != "U+0061 (a) U+0062 (b) U+200B (invisible)" {
		t.Errorf("codePointDiff at the end = %q, %q", e, a)
	}
	for _, tc := range []struct {
		dom  string
		want bool
	}{{"", true}, {"https://", true}, {"https://undefined", true}, {"null", true}, {"process.env.CLERK_JWT_ISSUER_DOMAIN", true},
		{"https://${CLERK_JWT_ISSUER_DOMAIN}", true}, {devIss, false}, {"https://undefined.example.com", false}} {
		if got := looksUnset(tc.dom, DefaultDomainVar); got != tc.want {
			t.Errorf("looksUnset(%q) = %v", tc.dom, got)
		}
	}
	for _, tc := range []struct {
		iss  string
		want clerk.InstanceType
	}{{devIss, clerk.InstanceDevelopment}, {"http://127.0.0.1:8080", clerk.InstanceDevelopment}, {"https://clerk.myapp.com", clerk.InstanceProduction},
		{"https://auth.example.com", ""}, {"not a url", ""}, {"https://foo.accounts.dev", clerk.InstanceDevelopment}} {
		if got := instanceType(tc.iss); got != tc.want {
			t.Errorf("instanceType(%q) = %q, want %q", tc.iss, got, tc.want)
		}
	}
	for in, want := range map[string]string{"https://a.dev:1/x": "https://a.dev:1/x", "": "''", "a b": "'a b'", "it's": `'it'\''s'`} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestServerClockSkew(t *testing.T) {
	c := ServerClock{Date: t0, Local: t0.Add(3*time.Minute + 700*time.Millisecond)}
	if got := c.Skew(); got != 3*time.Minute {
		t.Errorf("Skew = %s, want 3m0s", got)
	}
	d := newDiag(&RoundState{Outcome: &wire.Outcome{ClientClockSkew: ptr(-4200.0)}})
	if s, ok := d.backendSkew(); !ok || s != -4*time.Second {
		t.Errorf("backendSkew = %s, %v", s, ok)
	}
	d = newDiag(&RoundState{Outcome: &wire.Outcome{ClientClockSkew: ptr(math.Inf(1))}})
	if _, ok := d.backendSkew(); ok {
		t.Error("an infinite clientClockSkew counts")
	}
}

func TestEveryCauseCodeIsKebabAndListedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range CauseCodes {
		if seen[c] || c == "" || strings.ToLower(c) != c || strings.ContainsAny(c, " _") {
			t.Errorf("bad or repeated cause code %q", c)
		}
		seen[c] = true
	}
}

// The backend's message and the token are untrusted: reading them must
// never panic, whatever they hold.
func FuzzDiagnose(f *testing.F) {
	f.Add(convex.MsgNoProviderList(clerkConfig(devIss, "convex").Providers), sessionTok)
	f.Add(providerListPrefix+"OIDC(domain=), app_id=)]", "a.b.c")
	f.Add(convex.MsgNoProvidersConfigured, jwt(header(nil), map[string]any{"aud": []any{1, nil}, "iss": 3}))
	f.Fuzz(func(t *testing.T, msg, tok string) {
		tr := TokenResult{Token: tok}
		st := &RoundState{Fetch: tr, Token: tokenDetail(tr), Outcome: authError(msg), Replay: noMatch,
			App: AppInfo{PublishableKey: msg, LocalConfig: &convex.AuthConfig{}}}
		fs := Diagnose(st)
		if len(fs) == 0 && tok != "" {
			t.Errorf("a rejected token got no cause (message %q)", msg)
		}
		if len(msg) > len(providerListPrefix) {
			_, _ = parseProviderList(msg[len(providerListPrefix):])
		}
	})
}
