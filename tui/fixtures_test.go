package tui

import (
	"encoding/base64"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/diagnose"
)

// This file builds realistic event sequences for the tests: a demo run
// against the embedded stack, with a real-looking RS256 token, a trace with
// timings and the sync frames, as flow.Runner reports them.

// t0 is when the fixture run starts.
var t0 = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// fakeClock is a settable flow.Clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// After never fires: the interface does not use it (it ticks with tea.Tick).
func (c *fakeClock) After(time.Duration) <-chan time.Time { return make(chan time.Time) }

const (
	issuer     = "http://127.0.0.1:41234"
	pageURL    = "http://127.0.0.1:41236/?s=Q2xlcmtEZW1vU2VjcmV0"
	syncURL    = "ws://127.0.0.1:41235/api/1.18.0/sync"
	demoKid    = "ins_2demoKey1"
	demoUserID = "user_2abcDEFghiJKLmnoPQRstuVWxyz"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// fixtureToken returns a JWT-shaped token and its decoded detail. pad adds
// a custom claim to reach a size (for the 4 KiB benchmark).
func fixtureToken(round int, issued time.Time, pad int) *flow.TokenDetail {
	iat := issued.Unix()
	exp := iat + 60
	header := `{"alg":"RS256","kid":"` + demoKid + `","typ":"JWT"}`
	claims := []flow.Claim{
		{Name: "azp", JSON: `"http://127.0.0.1:41236"`},
		{Name: "exp", JSON: itoa(int(exp)), Time: time.Unix(exp, 0)},
		{Name: "iat", JSON: itoa(int(iat)), Time: time.Unix(iat, 0)},
		{Name: "iss", JSON: `"` + issuer + `"`},
		{Name: "nbf", JSON: itoa(int(iat - 10)), Time: time.Unix(iat-10, 0)},
		{Name: "sid", JSON: `"sess_2xYzDemoSession01"`},
		{Name: "sub", JSON: `"` + demoUserID + `"`},
		{Name: "aud", JSON: `"convex"`},
		{Name: "email", JSON: `"ada@example.com"`},
		{Name: "name", JSON: `"Ada Lovelace"`},
	}
	if pad > 0 {
		claims = append(claims, flow.Claim{Name: "org_metadata", JSON: `"` + strings.Repeat("x", pad) + `"`})
	}
	var payload strings.Builder
	payload.WriteString("{")
	for i, c := range claims {
		if i > 0 {
			payload.WriteString(",")
		}
		payload.WriteString(`"` + c.Name + `":` + c.JSON)
	}
	payload.WriteString("}")
	sig := strings.Repeat("s1Gn4tuR3", 38)[:342]
	raw := b64(header) + "." + b64(payload.String()) + "." + sig
	return &flow.TokenDetail{
		Path:    flow.TokenPathSession,
		Latency: 118*time.Millisecond + time.Duration(round)*7*time.Millisecond,
		Size:    len(raw),
		Header: []flow.Claim{
			{Name: "alg", JSON: `"RS256"`},
			{Name: "kid", JSON: `"` + demoKid + `"`},
			{Name: "typ", JSON: `"JWT"`},
		},
		Claims:    claims,
		IssuedAt:  time.Unix(iat, 0),
		NotBefore: time.Unix(iat-10, 0),
		Expires:   time.Unix(exp, 0),
		Lifetime:  60 * time.Second,
		Raw:       raw,
	}
}

// runEvent is the first event of every fixture.
func runEvent() flow.Event {
	return flow.Event{Kind: flow.EventRun, At: t0, Run: &flow.RunInfo{
		Source: "demo", SourceName: "127.0.0.1:41234", Backend: "embedded", BackendURL: "ws://127.0.0.1:41235",
	}}
}

func stepEv(st flow.Step) flow.Event {
	return flow.Event{Kind: flow.EventStep, At: st.Start.Add(st.Duration), Round: st.Round, Step: &st}
}

// signInSteps are steps 1–4 of a sign-in that took the user 14.2 s.
func signInSteps() []flow.Event {
	s1 := flow.Step{ID: flow.StepClick, Status: flow.StatusOK, Start: t0, Duration: 12 * time.Millisecond,
		Summary: "opened " + pageURL,
		Detail:  &flow.Detail{Fields: []flow.Field{{Label: "Page", Value: pageURL}, {Label: "Opened by", Value: "system browser"}}}}
	s2 := flow.Step{ID: flow.StepRedirect, Status: flow.StatusOK, Start: t0.Add(40 * time.Millisecond), Duration: 340 * time.Millisecond,
		Summary: "development instance, no session", BrowserTimed: true,
		Detail: &flow.Detail{Fields: []flow.Field{{Label: "Sign-in URL", Value: issuer + "/sign-in?redirect_url=http%3A%2F%2F127.0.0.1%3A41236%2F"}, {Label: "Instance", Value: "development"}}}}
	s3 := flow.Step{ID: flow.StepReturn, Status: flow.StatusOK, Start: t0.Add(380 * time.Millisecond), Duration: 14200 * time.Millisecond,
		Summary: "you signed in in 14.2s", BrowserTimed: true,
		Detail: &flow.Detail{Fields: []flow.Field{{Label: "Handoff", Value: "__clerk_db_jwt in the URL"}}}}
	s4 := flow.Step{ID: flow.StepProvider, Status: flow.StatusOK, Start: t0.Add(14600 * time.Millisecond), Duration: 45 * time.Millisecond,
		Summary: demoUserID + " · session aud convex", BrowserTimed: true,
		Detail: &flow.Detail{Fields: []flow.Field{{Label: "User", Value: demoUserID}, {Label: "Session", Value: "sess_2xYzDemoSession01"}, {Label: "Session aud", Value: "convex (Convex integration on)"}}}}
	return []flow.Event{stepEv(s1), stepEv(s2), stepEv(s3), stepEv(s4)}
}

// fetchRecords are the discovery and JWKS fetches of a fresh cache.
func fetchRecords(at time.Time, cached bool) []convex.FetchRecord {
	t := func(dns, conn, fb, total time.Duration) convex.Timing {
		return convex.Timing{DNS: dns, Connect: conn, FirstByte: fb, Total: total}
	}
	return []convex.FetchRecord{
		{Kind: convex.FetchDiscovery, URL: issuer + "/.well-known/openid-configuration", Status: 200, FromCache: cached,
			Lifetime: 5 * time.Minute, Timing: t(0, 310*time.Microsecond, 1200*time.Microsecond, 1600*time.Microsecond), At: at},
		{Kind: convex.FetchJWKS, URL: issuer + "/.well-known/jwks.json", Status: 200, FromCache: cached,
			Lifetime: 5 * time.Minute, Timing: t(0, 280*time.Microsecond, 900*time.Microsecond, 1300*time.Microsecond), At: at.Add(2 * time.Millisecond)},
	}
}

// backendSteps are steps 5–8 of one round starting at start. When
// rejected, the auth config names another issuer.
func backendSteps(round int, start time.Time, rejected bool) []flow.Event {
	tok := fixtureToken(round, start, 0)
	s5 := flow.Step{ID: flow.StepToken, Round: round, Status: flow.StatusOK, Start: start, Duration: tok.Latency,
		Summary: "session token · RS256 · 60s", Detail: &flow.Detail{Token: tok}}
	sendStart := start.Add(tok.Latency + 2*time.Millisecond)
	skew := -12.0
	frames := []wire.Frame{
		{Outgoing: true, Type: "Connect", JSON: `{"type":"Connect","sessionId":"5d1c8a0e-3b7f-4a61-9a55-0c8e7c1d2f3a","connectionCount":0,"lastCloseReason":"InitialConnect","clientTs":1773489600000}`, At: sendStart},
		{Outgoing: true, Type: "Authenticate", JSON: `{"type":"Authenticate","tokenType":"User","value":"‹token›","baseVersion":0}`, At: sendStart.Add(time.Millisecond)},
	}
	outcome := &wire.Outcome{URL: syncURL, ConnectTime: 3100 * time.Microsecond, RoundTrip: 8400 * time.Microsecond, ClientClockSkew: &skew}
	verdict := &flow.Verdict{Authenticated: true}
	jw := &flow.JWKSDetail{
		Trace: convex.Trace{
			ProviderIndex: 0,
			Provider:      &convex.Provider{Kind: convex.KindOIDC, Domain: issuer, ApplicationID: "convex", HasApplicationID: true},
			Issuer:        issuer, Audiences: []string{"convex"},
			DiscoveryURL:     issuer + "/.well-known/openid-configuration",
			DiscoveredIssuer: issuer,
			JWKSURL:          issuer + "/.well-known/jwks.json",
			Fetches:          fetchRecords(sendStart.Add(4*time.Millisecond), round > 0),
			Keys: []convex.KeyInfo{
				{Kid: demoKid, Kty: "RSA", Alg: "RS256", Use: "sig", Matched: true},
				{Kid: "ins_2demoKeyOld", Kty: "RSA", Alg: "RS256", Use: "sig"},
			},
			Kid: demoKid, Alg: "RS256", Signature: convex.SignatureVerified,
			Checks: []convex.Check{
				{Name: "provider matched", OK: true, Expected: issuer + " / convex", Actual: issuer + " / convex"},
				{Name: "signature", OK: true},
				{Name: "exp", OK: true},
			},
		},
		Comparisons: []diagnose.Comparison{
			{Label: "iss", Expected: issuer, Actual: issuer, OK: true},
			{Label: "aud", Expected: "convex", Actual: "convex", OK: true},
		},
		BackendFetches: fetchRecords(sendStart.Add(4*time.Millisecond), round > 0),
		Identity: `{"tokenIdentifier":"` + issuer + `|` + demoUserID + `","issuer":"` + issuer + `","subject":"` + demoUserID +
			`","name":"Ada Lovelace","email":"ada@example.com","emailVerified":true,"sid":"sess_2xYzDemoSession01","azp":"http://127.0.0.1:41236"}`,
	}
	st6, st7, st8 := flow.StatusOK, flow.StatusOK, flow.StatusOK
	sum7 := "provider #1 · kid " + demoKid + " · signature verified"
	sum8 := "isAuthenticated: true"
	err7, err8 := "", ""
	if rejected {
		other := "https://happy-cat-12.clerk.accounts.dev"
		msg := "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=" + other + ", app_id=convex)]"
		attempted := true
		outcome.AuthError = &wire.AuthError{Error: msg, AuthUpdateAttempted: &attempted}
		outcome.Closed, outcome.CloseCode = true, 1005
		frames = append(frames,
			wire.Frame{Type: "AuthError", JSON: `{"type":"AuthError","error":"No auth provider found matching the given token. …","baseVersion":0,"authUpdateAttempted":true}`, At: sendStart.Add(8 * time.Millisecond)})
		jw.Trace.ProviderIndex, jw.Trace.Provider = -1, nil
		jw.Trace.DiscoveryURL, jw.Trace.JWKSURL, jw.Trace.DiscoveredIssuer = "", "", ""
		jw.Trace.Fetches, jw.Trace.Keys, jw.BackendFetches = nil, nil, nil
		jw.Trace.Kid, jw.Trace.Signature = demoKid, convex.SignatureNotChecked
		jw.Trace.Checks = []convex.Check{{Name: "provider matched", OK: false, Expected: other + " / convex", Actual: issuer + " / convex"}}
		jw.Comparisons = []diagnose.Comparison{
			{Label: "iss", Expected: other, Actual: issuer, OK: false},
			{Label: "aud", Expected: "convex", Actual: "convex", OK: true},
		}
		jw.Error = &convex.AuthError{Code: "NoAuthProvider", Message: msg, Class: convex.ClassUnauthenticated, Reason: convex.ReasonNoProviderMatch,
			Detail: "the token's iss " + issuer + " is not the domain of any provider"}
		jw.Identity = ""
		verdict = &flow.Verdict{Message: msg, Reason: convex.ReasonNoProviderMatch, Findings: []diagnose.Finding{{
			Code:     "issuer-mismatch",
			Title:    "The token's issuer is not your auth config's domain",
			Evidence: []diagnose.Comparison{{Label: "iss", Expected: other, Actual: issuer}},
			Fix: "The token comes from " + issuer + " but convex/auth.config.ts names " + other +
				". Set CLERK_JWT_ISSUER_DOMAIN on the deployment to " + issuer + " and run npx convex dev to push the config.",
			Docs: "https://docs.convex.dev/auth/debug#step-3-check-that-backend-configuration-matches-frontend-configuration",
		}}}
		st7, st8 = flow.StatusFail, flow.StatusFail
		sum7, sum8 = "no provider matched the token's iss", "isAuthenticated: false"
		err7 = "no provider in auth.config.ts matches iss " + issuer
		err8 = "the backend rejected the token"
	} else {
		outcome.Accepted, outcome.IdentityVersion = true, 1
		frames = append(frames, wire.Frame{Type: "Transition", JSON: `{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AJH2pKzvjhg="},"modifications":[],"clientClockSkew":-12,"serverTs":1773489614762000000}`, At: sendStart.Add(8 * time.Millisecond)})
	}
	outcome.Frames = frames
	s6 := flow.Step{ID: flow.StepSend, Round: round, Status: st6, Start: sendStart, Duration: 9 * time.Millisecond,
		Summary: "Connect + Authenticate · 8.4ms round trip", Detail: &flow.Detail{Send: &flow.SendDetail{URL: syncURL, Embedded: true, Outcome: outcome}}}
	s7 := flow.Step{ID: flow.StepJWKS, Round: round, Status: st7, Start: sendStart.Add(3 * time.Millisecond), Duration: 4 * time.Millisecond,
		Summary: sum7, Error: err7, Detail: &flow.Detail{JWKS: jw}}
	s8 := flow.Step{ID: flow.StepConfirmed, Round: round, Status: st8, Start: sendStart.Add(8 * time.Millisecond), Duration: time.Millisecond,
		Summary: sum8, Error: err8, Detail: &flow.Detail{Verdict: verdict}}
	evs := []flow.Event{stepEv(s5), stepEv(s6)}
	for _, f := range jw.BackendFetches {
		f := f
		evs = append(evs, flow.Event{Kind: flow.EventFetch, At: f.At, Round: round, Fetch: &f})
	}
	evs = append(evs, stepEv(s7), stepEv(s8),
		flow.Event{Kind: flow.EventVerdict, At: s8.Start, Round: round, Verdict: verdict})
	if !rejected {
		evs = append(evs, flow.Event{Kind: flow.EventSchedule, At: s8.Start, Round: round, Schedule: &flow.Schedule{
			NextRefetch:  tok.IssuedAt.Add(50 * time.Second),
			ClerkRefresh: tok.Expires.Add(-15 * time.Second),
			JWKSExpiry:   sendStart.Add(4*time.Millisecond + 5*time.Minute),
		}})
	}
	return evs
}

// Fixture sequences, with the clock time a screenshot is taken at.

func evInitial() ([]flow.Event, time.Time) {
	return []flow.Event{runEvent()}, t0
}

func evRunning() ([]flow.Event, time.Time) {
	evs := []flow.Event{runEvent()}
	evs = append(evs, signInSteps()[:2]...)
	running := flow.Step{ID: flow.StepReturn, Status: flow.StatusRunning, Start: t0.Add(380 * time.Millisecond), BrowserTimed: true,
		Summary: "waiting for you to sign in"}
	evs = append(evs, stepEv(running),
		flow.Event{Kind: flow.EventNotice, At: t0.Add(20 * time.Millisecond), Notice: "No browser could be opened. Open " + pageURL + " to sign in."})
	return evs, t0.Add(9 * time.Second)
}

// signInDone is when steps 1–4 are over and step 5 starts.
var signInDone = t0.Add(14650 * time.Millisecond)

func evAuthenticated() ([]flow.Event, time.Time) {
	evs := append([]flow.Event{runEvent()}, signInSteps()...)
	evs = append(evs, backendSteps(0, signInDone, false)...)
	return evs, signInDone.Add(6 * time.Second)
}

func evRejected() ([]flow.Event, time.Time) {
	evs := append([]flow.Event{runEvent()}, signInSteps()...)
	evs = append(evs, backendSteps(0, signInDone, true)...)
	evs = append(evs, flow.Event{Kind: flow.EventDone, At: signInDone.Add(time.Second)})
	return evs, signInDone.Add(6 * time.Second)
}

// refreshStart is when refresh #1 runs: the scheduled refetch, 50 s after iat.
var refreshStart = time.Unix(signInDone.Unix(), 0).Add(50 * time.Second)

func evRefreshed() ([]flow.Event, time.Time) {
	evs, _ := evAuthenticated()
	evs = append(evs, backendSteps(1, refreshStart, false)...)
	return evs, refreshStart.Add(3 * time.Second)
}
