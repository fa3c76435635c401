package diagnose

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/reach"
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

// sent is a round that sent tok and got out; the replay said rep.
type sent struct {
	tok string
	out *wire.Outcome
	rep *convexrules.Result
	mod func(*Round)
}

func (r sent) state() *Round {
	st := &Round{Fetch: Fetch{Path: PathSession}, Token: decodeToken(r.tok), Outcome: r.out, Replay: r.rep, Now: t0.Add(5 * time.Second),
		Config: clerkConfig(devIss, "convex")}
	if st.Replay == nil {
		st.Replay = &convexrules.Result{Trace: convexrules.Trace{ProviderIndex: 0}}
	}
	if r.mod != nil {
		r.mod(st)
	}
	return st
}

func clerkConfig(domain, app string) convexrules.AuthConfig {
	return convexrules.AuthConfig{Providers: []convexrules.Provider{{Kind: convexrules.KindOIDC, Domain: domain, ApplicationID: app, HasApplicationID: true}}}
}

func customConfig(alg string) convexrules.AuthConfig {
	return convexrules.AuthConfig{Providers: []convexrules.Provider{{Kind: convexrules.KindCustomJWT, Issuer: devIss, JWKS: devIss + "/.well-known/jwks.json",
		Algorithm: alg, ApplicationID: "convex", HasApplicationID: true}}}
}

func authError(msg string) *wire.Outcome {
	return &wire.Outcome{AuthError: &wire.AuthError{Error: msg, AuthUpdateAttempted: ptr(true)}, Closed: true, CloseCode: 1005}
}

func closed(code int, reason string) *wire.Outcome {
	return &wire.Outcome{Closed: true, CloseCode: code, CloseReason: reason}
}

var accepted = &wire.Outcome{Accepted: true, IdentityVersion: 1}

func replayErr(reason convexrules.Reason, msg string) *convexrules.Result {
	return &convexrules.Result{Trace: convexrules.Trace{ProviderIndex: 0}, Err: &convexrules.AuthError{Reason: reason, Message: msg, Detail: "detail of " + string(reason)}}
}

func withProvider(r *convexrules.Result, p convexrules.Provider) *convexrules.Result {
	r.Trace.Provider = &p
	return r
}

func list(cfg convexrules.AuthConfig) string { return convexrules.MsgNoProviderList(cfg.Providers) }

func pk(host string, inst clerk.InstanceType) string { return clerk.BuildPublishableKey(host, inst) }

var (
	sessionTok = jwt(header(nil), claims(nil))
	noMatch    = replayErr(convexrules.ReasonNoProviderMatch, "")
)

func local(cfg convexrules.AuthConfig) func(*Round) {
	return func(st *Round) { st.App.LocalConfig = &cfg }
}

// decodeToken decodes an unsigned test token the way step 5 does: header
// and claims in any order, time claims with their time. "" is no token; a
// string that is not a JWT decodes to an empty Token.
func decodeToken(tok string) *Token {
	if tok == "" {
		return nil
	}
	t := &Token{}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return t
	}
	var header, claims map[string]json.RawMessage
	h, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	c, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	if err1 != nil || err2 != nil || json.Unmarshal(h, &header) != nil || json.Unmarshal(c, &claims) != nil {
		return t
	}
	for name, raw := range header {
		t.Header = append(t.Header, Claim{Name: name, JSON: string(raw)})
	}
	for name, raw := range claims {
		cl := Claim{Name: name, JSON: string(raw)}
		var n float64
		if (name == "iat" || name == "exp" || name == "nbf") && json.Unmarshal(raw, &n) == nil {
			cl.Time = time.Unix(int64(n), 0)
		}
		t.Claims = append(t.Claims, cl)
	}
	return t
}

func TestDiagnoseRules(t *testing.T) {
	verify := convexrules.MsgOIDCUnverified
	cases := []struct {
		name string
		r    sent
		want []string
		// has are substrings the findings' text must hold (title, evidence, fix).
		has []string
	}{
		{name: "healthy", r: sent{tok: sessionTok, out: accepted}, want: nil},
		{name: "production key refused", r: sent{mod: func(st *Round) {
			st.Fetch, st.Token, st.SignInErr = Fetch{}, nil, errors.New("production publishable key")
			st.App.PublishableKey = pk("clerk.example.com", clerk.InstanceProduction)
		}}, want: []string{CodeProductionKeyOnLoopback}, has: []string{"pk_live_", "VITE_CLERK_PUBLISHABLE_KEY", "--token"}},
		{name: "other sign-in failure", r: sent{mod: func(st *Round) {
			st.Fetch, st.Token, st.SignInErr = Fetch{}, nil, errors.New("sign-in timed out")
			st.App.PublishableKey = pk("verb-noun-00.clerk.accounts.dev", clerk.InstanceDevelopment)
		}}, want: nil},
		{name: "template 404", r: sent{mod: func(st *Round) {
			st.Fetch = Fetch{Path: PathTemplate, Template: "convex", HTTPStatus: 404,
				Body: `{"errors":[{"message":"JWT template not found","long_message":"No JWT template exists with name: convex","code":"resource_not_found"}]}`}
		}}, want: []string{CodeIntegrationOffNoTemplate}, has: []string{"No JWT template exists with name: convex", "dashboard.clerk.com/apps/setup/convex", "never sent"}},
		{name: "null token, no error: wiring (Vite)", r: sent{mod: func(st *Round) {
			st.Fetch = Fetch{Path: PathSession, Err: "Clerk's session.getToken() returned null"}
		}}, want: []string{CodeClientWiring}, has: []string{"src/main.tsx", `"@clerk/clerk-react"`, "ClerkProvider publishableKey={import.meta.env.VITE_CLERK_PUBLISHABLE_KEY}"}},
		{name: "wiring in Next.js", r: sent{mod: func(st *Round) {
			st.Fetch, st.App.Framework = Fetch{Path: PathSession}, "nextjs"
		}}, want: []string{CodeClientWiring}, has: []string{"app/ConvexClientProvider.tsx", `"@clerk/nextjs"`, "app/layout.tsx", "use client"}},
		{name: "wiring in TanStack Start, project's own file", r: sent{mod: func(st *Round) {
			st.Fetch, st.App.Framework, st.App.ProviderFile = Fetch{}, "tanstack-start", "app/routes/__root.tsx"
		}}, want: []string{CodeClientWiring}, has: []string{"app/routes/__root.tsx", `"@clerk/tanstack-react-start"`}},
		{name: "token fetch network error", r: sent{mod: func(st *Round) {
			st.Fetch = Fetch{Path: PathSession, Err: "ClerkOfflineError: Network request failed while offline"}
		}}, want: []string{CodeTokenFetchFailed}, has: []string{"Network request failed"}},
		{name: "backend unreachable", r: sent{tok: sessionTok, mod: func(st *Round) { st.SendErr = errors.New("dial tcp: connection refused") }},
			want: []string{CodeBackendUnreachable}, has: []string{"VITE_CONVEX_URL", "connection refused"}},
		{name: "this machine cannot resolve the Frontend API", r: sent{mod: func(st *Round) {
			st.Token, st.SignInErr = nil, errors.New("this machine cannot reach the Frontend API")
			st.Unreached = []Unreached{{Role: "Frontend API", URL: devIss, Failure: reach.DNS, Err: "lookup verb-noun-00.clerk.accounts.dev: no such host"}}
		}}, want: []string{CodeLocalNetwork}, has: []string{"cannot reach " + devIss, "(DNS)", "HTTPS_PROXY", "not opened"}},
		{name: "the deployment refused before the sign-in", r: sent{mod: func(st *Round) {
			st.Token, st.SignInErr = nil, errors.New("this machine cannot reach the deployment")
			st.Unreached = []Unreached{{Role: "deployment", URL: "http://127.0.0.1:3210", Failure: reach.Refused, Err: "connection refused"}}
		}}, want: []string{CodeBackendUnreachable}, has: []string{"npx convex dev", "connection refused"}},
		{name: "step 6 through a failing proxy", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.SendErr = errors.New("could not open a WebSocket to wss://happy-animal-123.convex.cloud/api/1.48.0/sync: proxyconnect tcp: connection refused")
			st.SendFailure, st.SendProxy = reach.Proxy, "http://proxy.corp:3128"
		}}, want: []string{CodeLocalNetwork}, has: []string{"wss://happy-animal-123.convex.cloud", "http://proxy.corp:3128", "NO_PROXY"}},
		{name: "stand-in backend offline: this machine, not the deployment", r: sent{tok: sessionTok, out: authError("Auth provider discovery of " + devIss + " failed"), rep: replayErr(convexrules.ReasonDiscoveryTransport, ""), mod: func(st *Round) {
			st.Embedded, st.StandIn = true, true
			st.BackendFetches = []fetch.Record{{Kind: fetch.Discovery, URL: devIss + "/.well-known/openid-configuration", Network: reach.DNS,
				Err: "GET " + devIss + "/.well-known/openid-configuration: dial tcp: lookup verb-noun-00.clerk.accounts.dev: no such host"}}
		}}, want: []string{CodeLocalNetwork}, has: []string{"stands in for your deployment", "--deployment", "no such host"}},
		{name: "a TLS failure of this machine's own connection", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.SendErr = errors.New("could not open a WebSocket to wss://x.convex.cloud/api/1.48.0/sync: tls: failed to verify certificate: x509: certificate signed by unknown authority")
			st.SendFailure = reach.TLS
		}}, want: []string{CodeLocalNetwork}, has: []string{"SSL_CERT_FILE"}},
		{name: "dropped after the token was sent", r: sent{tok: sessionTok, rep: noMatch, mod: func(st *Round) {
			st.Outcome = &wire.Outcome{}
			st.SendErr = &wire.TransportError{Kind: wire.Dropped, Sent: true, Detail: "the connection was reset (TCP RST)"}
		}}, want: []string{CodeConnectionDropped}, has: []string{"TCP RST", "sent in Authenticate", "reconnects", "HTTPS_PROXY"}},
		{name: "not a Convex backend", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.Outcome = &wire.Outcome{}
			st.SendErr = &wire.TransportError{Kind: wire.NotConvex, Sent: true, Detail: "the WebSocket library refused what it received: received header with unexpected rsv bits set: false:true:false"}
		}}, want: []string{CodeNotConvexBackend}, has: []string{"unexpected rsv bits", "VITE_CONVEX_URL", ".convex.site"}},
		{name: "a web page at the sync URL", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.SendErr = &wire.DialError{URL: "ws://localhost:5173/api/1.48.0/sync", Status: 200, Err: errors.New("expected handshake response status code 101 but got 200")}
		}}, want: []string{CodeNotConvexBackend}, has: []string{"answered HTTP 200"}},
		{name: "silent until the deadline", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.Outcome = &wire.Outcome{}
			st.SendErr = &wire.TransportError{Kind: wire.Silent, Sent: true, Detail: "3 messages arrived (Ping ×3), none of them a verdict"}
		}}, want: []string{CodeBackendSilent}, has: []string{"Ping ×3", "paused"}},
		{name: "oversize frame", r: sent{tok: sessionTok, mod: func(st *Round) {
			st.Outcome = &wire.Outcome{}
			st.SendErr = &wire.TransportError{Kind: wire.Oversize, Sent: true, Announced: 1 << 62, Limit: 8 << 20}
		}}, want: []string{CodeFrameTooLarge}, has: []string{"4 EiB (announced)", "at most 8 MiB"}},
		// Undecided rounds never get a configuration cause, nor a cause of
		// the token: nothing was tested.
		{name: "unreachable, replay names a config problem", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["exp"] = t0.Add(5 * time.Second).Unix() })), rep: noMatch, mod: func(st *Round) {
			st.SendErr = errors.New("dial tcp: connection refused")
			local(clerkConfig(devIss, "convex"))(st)
		}}, want: []string{CodeBackendUnreachable}},
		{name: "stopped: the token never came", r: sent{mod: func(st *Round) {
			st.Token, st.Fetch.Err, st.Stopped = nil, "the browser page gave no token within 30s", "timed out"
		}}, want: nil},
		{name: "stopped: interrupted while sending", r: sent{tok: sessionTok, rep: noMatch, mod: func(st *Round) {
			st.SendErr, st.Stopped = errors.New("context canceled"), "cancelled"
		}}, want: nil},

		{name: "no providers anywhere", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProvidersConfigured), rep: replayErr(convexrules.ReasonNoProviders, convexrules.MsgNoProvidersConfigured),
			mod: local(convexrules.AuthConfig{})}, want: []string{CodeNoProviders}, has: []string{"npx convex env set CLERK_JWT_ISSUER_DOMAIN " + devIss, "uncomment"}},
		{name: "no providers, local unknown", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProvidersConfigured), rep: replayErr(convexrules.ReasonNoProviders, "")},
			want: []string{CodeNoProviders}},
		{name: "deployment has none, file has one", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProvidersConfigured), rep: replayErr(convexrules.ReasonNoProviders, ""),
			mod: local(clerkConfig(devIss, "convex"))}, want: []string{CodeConfigNotPushed}, has: []string{"npx convex dev", "(none)"}},
		{name: "not pushed, production deployment", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProvidersConfigured), rep: replayErr(convexrules.ReasonNoProviders, ""),
			mod: func(st *Round) { local(clerkConfig(devIss, "convex"))(st); st.App.ProdDeployment = true }},
			want: []string{CodeConfigNotPushed}, has: []string{"npx convex deploy", "env set --prod"}},
		{name: "push failed on a missing variable", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProvidersConfigured), rep: replayErr(convexrules.ReasonNoProviders, ""),
			mod: func(st *Round) {
				local(clerkConfig(devIss, "convex"))(st)
				st.App.MissingEnv = []string{"CLERK_JWT_ISSUER_DOMAIN"}
			}}, want: []string{CodeIssuerEnvUnset}, has: []string{"is used in auth config file but its value was not set", "npx convex env set CLERK_JWT_ISSUER_DOMAIN " + devIss}},
		{name: "deployed domain is an unset variable", r: sent{tok: sessionTok, out: authError(list(clerkConfig("https://undefined", "convex"))), rep: noMatch},
			want: []string{CodeIssuerEnvUnset}, has: []string{`"https://undefined"`}},
		{name: "deployed domain is the variable's name", r: sent{tok: sessionTok, out: authError(list(clerkConfig("https://CLERK_JWT_ISSUER_DOMAIN", "convex"))), rep: noMatch},
			want: []string{CodeIssuerEnvUnset}},
		{name: "JWKS URL as domain", r: sent{tok: sessionTok, out: authError(list(clerkConfig(devIss+"/.well-known/jwks.json", "convex"))), rep: noMatch},
			want: []string{CodeIssuerIsJWKSURL}, has: []string{"without /.well-known/"}},
		{name: "dev token, prod domain", r: sent{tok: sessionTok, out: authError(list(clerkConfig("https://clerk.myapp.com", "convex"))), rep: noMatch,
			mod: local(clerkConfig(devIss, "convex"))}, want: []string{CodeIssuerDevVsProd}, has: []string{"development Clerk instance", "production instance", "pk_test_"}},
		{name: "prod token, dev domain", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://clerk.myapp.com" })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch}, want: []string{CodeIssuerDevVsProd}, has: []string{"env set --prod CLERK_JWT_ISSUER_DOMAIN https://clerk.myapp.com", "npx convex deploy"}},
		{name: "two dev instances", r: sent{tok: sessionTok, out: authError(list(clerkConfig("https://happy-otter-42.clerk.accounts.dev", "convex"))), rep: noMatch,
			mod: func(st *Round) {
				st.App.PublishableKey = pk("verb-noun-00.clerk.accounts.dev", clerk.InstanceDevelopment)
			}},
			want: []string{CodePublishableKeyOtherInstance}, has: []string{"happy-otter-42.clerk.accounts.dev", "publishable key names"}},
		{name: "zero-width space in the domain", r: sent{tok: sessionTok, out: authError(list(clerkConfig(devIss+"\u200b", "convex"))), rep: noMatch},
			want: []string{CodeIssuerMismatch}, has: []string{"U+200B", "code points"}},
		{name: "homoglyph in the domain", r: sent{tok: sessionTok, out: authError(list(clerkConfig("https://verb-n\u043eun-00.clerk.accounts.dev", "convex"))), rep: noMatch},
			want: []string{CodeIssuerMismatch}, has: []string{"U+043E"}},
		{name: "unrelated domains", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://auth.example.com" })),
			out: authError(list(clerkConfig("https://login.example.org", "convex"))), rep: noMatch}, want: []string{CodeIssuerMismatch}},
		{name: "file differs from deployment and matches", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["iss"] = "https://auth.example.com" })),
			out: authError(list(clerkConfig("https://login.example.org", "convex"))), rep: noMatch, mod: local(clerkConfig("https://auth.example.com", "convex"))},
			want: []string{CodeConfigNotPushed}, has: []string{"OIDC(domain=https://login.example.org, app_id=convex)"}},
		{name: "redacted deployment, local file matches", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProviderRedacted), rep: &convexrules.Result{}},
			want: []string{CodeConfigNotPushed}, has: []string{"redacts"}},
		{name: "redacted deployment, local file does not match", r: sent{tok: sessionTok, out: authError(convexrules.MsgNoProviderRedacted), rep: noMatch,
			mod: func(st *Round) { st.Config = clerkConfig("https://clerk.myapp.com", "convex") }}, want: []string{CodeIssuerDevVsProd}},
		{name: "applicationID case", r: sent{tok: sessionTok, out: authError(list(clerkConfig(devIss, "Convex"))), rep: noMatch},
			want: []string{CodeApplicationIDTypo}, has: []string{`applicationID: "convex"`}},
		{name: "applicationID homoglyph", r: sent{tok: sessionTok, out: authError(list(clerkConfig(devIss, "c\u043envex"))), rep: noMatch},
			want: []string{CodeApplicationIDTypo}, has: []string{"U+043E"}},
		{name: "template aud changed", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["aud"] = "my-app" })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch, mod: func(st *Round) { st.Fetch.Path, st.Fetch.Template = PathTemplate, "convex" }},
			want: []string{CodeAudienceMismatch}, has: []string{"JWT templates → convex", `"my-app"`}},
		{name: "no aud", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "aud") })),
			out: authError(list(clerkConfig(devIss, "convex"))), rep: noMatch}, want: []string{CodeAudienceMismatch}, has: []string{"no aud claim"}},

		{name: "discovery 404 closes 1000", r: sent{tok: sessionTok, out: closed(1000, "AuthProviderDiscoveryFailed"),
			rep: func() *convexrules.Result {
				r := replayErr(convexrules.ReasonDiscoveryStatus, "")
				r.Trace.Fetches = []fetch.Record{{Kind: fetch.Discovery, URL: devIss + "/.well-known/openid-configuration", Status: 404}}
				return r
			}()}, want: []string{CodeDiscoveryFailed}, has: []string{"404 Not Found", "1000 AuthProviderDiscoveryFailed", "without an AuthError"}},
		{name: "JWKS 500 on the OIDC path", r: sent{tok: sessionTok, out: closed(1013, "AuthProviderDiscoveryFailed"),
			rep: func() *convexrules.Result {
				r := replayErr(convexrules.ReasonJWKSStatus, "")
				r.Trace.Fetches = []fetch.Record{{Kind: fetch.Discovery, Status: 200}, {Kind: fetch.JWKS, URL: devIss + "/.well-known/jwks.json", Status: 500}}
				return r
			}()}, want: []string{CodeDiscoveryFailed}, has: []string{"JWKS answers 500 Internal Server Error", "status.clerk.com"}},
		{name: "discovery unreachable", r: sent{tok: sessionTok, out: authError(convexrules.MsgDiscoveryFailed(devIss)),
			rep: func() *convexrules.Result {
				r := replayErr(convexrules.ReasonDiscoveryTransport, "")
				u := devIss + "/.well-known/openid-configuration"
				r.Trace.Fetches = []fetch.Record{{Kind: fetch.Discovery, URL: u, Err: "GET " + u + ": dial tcp: no such host"}}
				return r
			}()}, want: []string{CodeDiscoveryUnreachable}, has: []string{"no such host"}},
		{name: "only the deployment cannot reach the issuer", r: sent{tok: sessionTok, out: authError(convexrules.MsgDiscoveryFailed(devIss)), rep: &convexrules.Result{}},
			want: []string{CodeDiscoveryUnreachable}, has: []string{"authscope fetched it"}},
		{name: "discovery issuer slash", r: sent{tok: sessionTok, out: authError(convexrules.MsgDiscoveryFailed(devIss)),
			rep: func() *convexrules.Result {
				r := replayErr(convexrules.ReasonDiscoveryIssuer, "")
				r.Trace.DiscoveredIssuer = devIss + "/"
				return r
			}()}, want: []string{CodeDiscoveryIssuerMismatch}, has: []string{"U+002F", "trailing slash"}},

		{name: "ES256 on OIDC", r: sent{tok: jwt(header(func(h map[string]any) { h["alg"] = "ES256" }), claims(nil)), out: authError(verify), rep: replayErr(convexrules.ReasonAlgorithm, verify)},
			want: []string{CodeOIDCAlgorithm}, has: []string{"ES256", "RS256 or EdDSA"}},
		{name: "alg on customJwt", r: sent{tok: sessionTok, out: authError("Could not decode token. The JWT's 'kid' (key ID) header is 'ins_1', does this key match any key in the provider's JWKS?"),
			rep: withProvider(replayErr(convexrules.ReasonAlgorithm, ""), customConfig("ES256").Providers[0])},
			want: []string{CodeCustomJWTWrongAlgorithm}, has: []string{`algorithm: "RS256"`}},
		{name: "several audiences", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["aud"] = []string{"convex", "other"} })), out: authError(verify),
			rep: withProvider(replayErr(convexrules.ReasonMultipleAudiences, verify), clerkConfig(devIss, "convex").Providers[0])},
			want: []string{CodeMultipleAudiences}, has: []string{`["convex","other"]`}},
		{name: "unknown kid", r: sent{tok: sessionTok, out: authError(verify), rep: func() *convexrules.Result {
			r := replayErr(convexrules.ReasonNoMatchingKey, verify)
			r.Trace.Keys = []convexrules.KeyInfo{{Kid: "ins_2", Kty: "RSA"}}
			return r
		}()}, want: []string{CodeUnknownKid}, has: []string{"one of: ins_2", "ins_1"}},
		{name: "customJwt without kid", r: sent{tok: jwt(header(func(h map[string]any) { delete(h, "kid") }), claims(nil)), out: authError(convexrules.MsgDecodeNoKid),
			rep: withProvider(replayErr(convexrules.ReasonMissingKid, convexrules.MsgDecodeNoKid), customConfig("RS256").Providers[0])}, want: []string{CodeCustomJWTMissingKid}},
		{name: "customJwt content type", r: sent{tok: sessionTok, out: authError("Invalid Content-Type 'text/html' …"),
			rep: func() *convexrules.Result {
				r := withProvider(replayErr(convexrules.ReasonJWKSContentType, ""), customConfig("RS256").Providers[0])
				r.Trace.Checks = []convexrules.Check{{Name: convexrules.CheckJWKSContentType, Actual: "text/html"}}
				return r
			}()}, want: []string{CodeCustomJWTJWKSContentType}, has: []string{"text/html", "data:"}},
		{name: "customJwt JWKS 404", r: sent{tok: sessionTok, out: authError("Could not fetch JWKS …"),
			rep: withProvider(replayErr(convexrules.ReasonJWKSStatus, ""), customConfig("RS256").Providers[0])}, want: []string{CodeCustomJWTJWKSFailed}},
		{name: "signature", r: sent{tok: sessionTok, out: authError(verify), rep: replayErr(convexrules.ReasonSignature, verify)}, want: []string{CodeSignatureInvalid}},

		{name: "expired", r: sent{tok: sessionTok, out: authError(verify), rep: replayErr(convexrules.ReasonExpired, verify),
			mod: func(st *Round) {
				st.Now = t0.Add(5 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", URL: devIss, Date: st.Now, Local: st.Now.Add(300 * time.Millisecond)}}
			}}, want: []string{CodeTokenExpired}, has: []string{"4m0s before the check", "5m0s before the issuer's current time"}},
		{name: "expired because this clock is ahead", r: sent{tok: sessionTok, out: authError(verify), rep: replayErr(convexrules.ReasonExpired, verify),
			mod: func(st *Round) {
				st.Now = t0.Add(3 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", URL: devIss, Date: t0.Add(2 * time.Second), Local: st.Now}}
			}}, want: []string{CodeLocalClockSkew}, has: []string{"2m58s ahead of", "timedatectl"}},
		{name: "not yet valid, clock behind", r: sent{tok: sessionTok, out: authError("Could not validate token: Token will be valid in 30 seconds"), rep: replayErr(convexrules.ReasonNotYetValid, ""),
			mod: func(st *Round) {
				st.Now = t0.Add(-30 * time.Second)
				st.ServerClocks = []ServerClock{{Server: "issuer", Date: t0, Local: st.Now}}
			}}, want: []string{CodeLocalClockSkew}, has: []string{"behind"}},
		{name: "not yet valid, clocks agree", r: sent{tok: sessionTok, out: authError("Could not validate token: Token will be valid in 30 seconds"), rep: replayErr(convexrules.ReasonNotYetValid, "")},
			want: []string{CodeTokenNotYetValid}},
		{name: "accepted, but this clock is off", r: sent{tok: sessionTok, out: accepted, rep: replayErr(convexrules.ReasonExpired, verify),
			mod: func(st *Round) {
				st.Now = t0.Add(10 * time.Minute)
				st.ServerClocks = []ServerClock{{Server: "issuer", Date: t0, Local: st.Now}}
			}}, want: []string{CodeLocalClockSkew}, has: []string{"the deployment accepted the token"}},
		{name: "missing iat on OIDC", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "iat") })), out: authError(convexrules.MsgOIDCUnparseable),
			rep: replayErr(convexrules.ReasonOIDCParse, convexrules.MsgOIDCUnparseable)}, want: []string{CodeTokenMissingClaims}, has: []string{"no iat", ClientNoFields}},
		{name: "missing sub on customJwt", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "sub") })), out: authError(convexrules.MsgClaimsUnverified),
			rep: withProvider(replayErr(convexrules.ReasonMissingSubject, convexrules.MsgClaimsUnverified), customConfig("RS256").Providers[0])},
			want: []string{CodeTokenMissingClaims}, has: []string{"no sub"}},
		{name: "accepted without iat (customJwt)", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { delete(c, "iat") })), out: accepted},
			want: []string{CodeTokenMissingClaims}, has: []string{"cannot schedule its refresh"}},
		{name: "accepted, lives 5 s", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["exp"] = t0.Add(5 * time.Second).Unix() })), out: accepted},
			want: []string{CodeTokenLifetimeTooShort}, has: []string{"Refetching auth token immediately, configured leeway 10s is larger than the token's lifetime 5s"}},
		{name: "accepted, lives 2 s", r: sent{tok: jwt(header(nil), claims(func(c map[string]any) { c["exp"] = t0.Add(2 * time.Second).Unix() })), out: accepted},
			want: []string{CodeTokenLifetimeTooShort}, has: []string{ClientTooShortLife}},
		{name: "rejected and short-lived: both causes", r: sent{tok: jwt(header(func(h map[string]any) { h["alg"] = "HS256" }), claims(func(c map[string]any) { c["exp"] = t0.Add(5 * time.Second).Unix() })),
			out: authError(verify), rep: replayErr(convexrules.ReasonAlgorithm, verify)}, want: []string{CodeOIDCAlgorithm, CodeTokenLifetimeTooShort}},

		{name: "embedded backend disagrees with the replay", r: sent{tok: sessionTok, out: authError(verify), rep: &convexrules.Result{},
			mod: func(st *Round) { st.Embedded = true }}, want: []string{CodeBackendDisagrees}, has: []string{"clock"}},
		{name: "embedded backend used a cached JWKS", r: sent{tok: sessionTok, out: authError(verify), rep: &convexrules.Result{},
			mod: func(st *Round) {
				st.Embedded = true
				st.BackendFetches = []fetch.Record{{Kind: fetch.Discovery, FromCache: true}, {Kind: fetch.JWKS, URL: devIss + "/.well-known/jwks.json", FromCache: true, Lifetime: 5 * time.Minute}}
			}}, want: []string{CodeJWKSCacheStale}, has: []string{"fresh for 5m0s", "ins_1"}},
		{name: "deployment refuses what passes every check here", r: sent{tok: sessionTok, out: authError(verify), rep: &convexrules.Result{}},
			want: []string{CodeJWKSCacheStale}, has: []string{"most likely"}},
		{name: "deployment rejects what the local file accepts", r: sent{tok: sessionTok, out: authError(convexrules.MsgDecodeNoKid), rep: &convexrules.Result{}},
			want: []string{CodeConfigNotPushed}, has: []string{"npx convex env list"}},
		{name: "deployment matched a provider the file has not", r: sent{tok: sessionTok, out: authError(verify), rep: noMatch},
			want: []string{CodeConfigNotPushed}},
		{name: "another check", r: sent{tok: sessionTok, out: authError(verify), rep: func() *convexrules.Result {
			r := replayErr(convexrules.ReasonTyp, verify)
			r.Trace.Checks = []convexrules.Check{{Name: convexrules.CheckTyp, Expected: "absent, JWT or JOSE", Actual: "at+jwt"}}
			return r
		}()}, want: []string{CodeTokenRejected}, has: []string{"at+jwt"}},
		{name: "not a JWT at all (a pasted console message)", r: sent{tok: "no Auth0 ID token in localStorage", out: authError(convexrules.MsgPayloadUnparseable),
			rep: replayErr(convexrules.ReasonPayloadUnparseable, convexrules.MsgPayloadUnparseable)},
			want: []string{CodeTokenRejected}, has: []string{"This is not a JWT", "copy the token itself", "token getter"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkCauses(t, tc.r.state(), tc.want, tc.has) })
	}
}

// checkCauses runs the rules on a round and checks the codes, in order,
// that each finding is complete, and that their texts hold has. It
// returns the findings' text.
func checkCauses(t *testing.T, st *Round, want, has []string) string {
	t.Helper()
	fs := Causes(st)
	got := make([]string, len(fs))
	for i, f := range fs {
		got[i] = f.Code
		if f.Title == "" || f.Fix == "" || !publicDocs(f.Docs) {
			t.Errorf("finding %s lacks a title, fix or public docs link: %+v", f.Code, f)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("causes %v, want %v\n%s", got, want, dump(fs))
	}
	text := dump(fs)
	for _, s := range has {
		if !strings.Contains(text, s) {
			t.Errorf("findings lack %q:\n%s", s, text)
		}
	}
	return text
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "[%s] %s\n", f.Code, f.Title)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "  %s: %s | %s\n", e.Label, e.Expected, e.Actual)
		}
		fmt.Fprintf(&b, "  fix: %s\n  see: %s\n", f.Fix, f.Docs)
	}
	return b.String()
}

func TestDiagnoseQuotesTheBackend(t *testing.T) {
	msg := list(clerkConfig("https://clerk.myapp.com", "convex"))
	fs := Causes(sent{tok: sessionTok, out: authError(msg), rep: noMatch}.state())
	if len(fs) != 1 || len(fs[0].Evidence) == 0 || fs[0].Evidence[0] != (Comparison{Label: "backend said", Actual: msg}) {
		t.Fatalf("the backend's message is not the first evidence: %s", dump(fs))
	}
}

func TestDiagnoseNeverPanics(t *testing.T) {
	states := []*Round{
		nil,
		{},
		{Token: decodeToken("x")},
		{Token: decodeToken("x"), Outcome: &wire.Outcome{}},
		{Token: decodeToken("a.b.c"), Outcome: authError(convexrules.MsgNoProviderRedacted)},
		{Token: decodeToken("a.b.c"), Outcome: authError(convexrules.MsgNoProviderRedacted), Config: clerkConfig("", "")},
		{Token: decodeToken("a.b.c"), Outcome: authError(providerListPrefix + "garbage]")},
		{Token: decodeToken("a.b.c"), Outcome: closed(1000, "AuthProviderDiscoveryFailed")},
		{Token: decodeToken("a.b.c"), Outcome: &wire.Outcome{Accepted: true, ClientClockSkew: ptr(math.NaN())}, Replay: &convexrules.Result{Err: &convexrules.AuthError{Reason: convexrules.ReasonExpired}}},
		{SignInErr: errors.New("x"), App: App{PublishableKey: "pk_live_garbage"}},
	}
	for i, st := range states {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("state %d: panic %v", i, r)
				}
			}()
			fs := Causes(st)
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
		want []convexrules.Provider
		ok   bool
	}{
		{"", nil, true},
		{"OIDC(domain=https://a.dev, app_id=convex)", clerkConfig("https://a.dev", "convex").Providers, true},
		{"OIDC(domain=https://a.dev/x), y, app_id=convex), CustomJWT(issuer=https://b, app_id=none)", []convexrules.Provider{
			{Kind: convexrules.KindOIDC, Domain: "https://a.dev/x), y", ApplicationID: "convex", HasApplicationID: true},
			{Kind: convexrules.KindCustomJWT, Issuer: "https://b"}}, true},
		{"CustomJWT(issuer=https://b, app_id=convex)", []convexrules.Provider{{Kind: convexrules.KindCustomJWT, Issuer: "https://b", ApplicationID: "convex", HasApplicationID: true}}, true},
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
	cfg := convexrules.AuthConfig{Providers: append(clerkConfig("https://x.dev, app_id=y)", "convex").Providers, customConfig("RS256").Providers...)}
	msg := convexrules.MsgNoProviderList(cfg.Providers)
	got, ok := parseProviderList(msg[len(providerListPrefix) : len(msg)-1])
	if !ok || !sameProviders(convexrules.AuthConfig{Providers: got}, cfg) {
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
	d := newRound(&Round{Outcome: &wire.Outcome{ClientClockSkew: ptr(-4200.0)}})
	if s, ok := d.backendSkew(); !ok || s != -4*time.Second {
		t.Errorf("backendSkew = %s, %v", s, ok)
	}
	d = newRound(&Round{Outcome: &wire.Outcome{ClientClockSkew: ptr(math.Inf(1))}})
	if _, ok := d.backendSkew(); ok {
		t.Error("an infinite clientClockSkew counts")
	}
}

// kebab is the one code style: lowercase words joined by single hyphens.
var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// publicDocs reports whether a link is a public docs page authscope may
// show: docs.convex.dev or clerk.com/docs, over https, and for the other
// providers labs.convex.dev/auth, auth0.com/docs and workos.com/docs.
func publicDocs(u string) bool {
	for _, p := range []string{"https://labs.convex.dev/auth", "https://auth0.com/docs/", "https://workos.com/docs/"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return strings.HasPrefix(u, "https://docs.convex.dev/") || strings.HasPrefix(u, "https://clerk.com/docs/")
}

func TestEveryRuleIsARow(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		switch {
		case seen[r.Code] || !kebab.MatchString(r.Code):
			t.Errorf("bad or repeated code %q", r.Code)
		case r.Title == "" || strings.ContainsAny(r.Title, "\n`"):
			t.Errorf("%s: the title must be one plain line: %q", r.Code, r.Title)
		case !publicDocs(r.Docs) || strings.ContainsAny(r.Docs, " §"):
			t.Errorf("%s: docs link %q is not a public docs page", r.Code, r.Docs)
		case !r.Runtime() && !r.Static() && r.Code != CodeAssumedConfig:
			t.Errorf("%s has no check", r.Code)
		}
		seen[r.Code] = true
	}
}

// The backend's message and the token are untrusted: reading them must
// never panic, whatever they hold.
func FuzzDiagnose(f *testing.F) {
	f.Add(convexrules.MsgNoProviderList(clerkConfig(devIss, "convex").Providers), sessionTok)
	f.Add(providerListPrefix+"OIDC(domain=), app_id=)]", "a.b.c")
	f.Add(convexrules.MsgNoProvidersConfigured, jwt(header(nil), map[string]any{"aud": []any{1, nil}, "iss": 3}))
	f.Fuzz(func(t *testing.T, msg, tok string) {
		st := &Round{Token: decodeToken(tok), Outcome: authError(msg), Replay: noMatch,
			App: App{PublishableKey: msg, LocalConfig: &convexrules.AuthConfig{}}}
		fs := Causes(st)
		if len(fs) == 0 && tok != "" {
			t.Errorf("a rejected token got no cause (message %q)", msg)
		}
		if len(msg) > len(providerListPrefix) {
			_, _ = parseProviderList(msg[len(providerListPrefix):])
		}
	})
}
