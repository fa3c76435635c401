package oauthloop

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
)

// startDev starts the embedded dev instance for one test.
func startDev(t *testing.T, opts devinstance.Options) *devinstance.Instance {
	t.Helper()
	dev, err := devinstance.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	return dev
}

// httpSignIn runs SignIn against dev with an HTTPBrowser and checks steps
// 1–4: all ok, timed by the browser.
func httpSignIn(t *testing.T, dev *devinstance.Instance) (*Source, *HTTPBrowser, *recorder) {
	t.Helper()
	user := dev.Users()[0]
	hb := &HTTPBrowser{Client: testClient, UserID: user.ID, Logf: t.Logf}
	src := newTestSource(t, SourceConfig{Kind: KindDemo, PublishableKey: dev.PublishableKey(), Opener: hb})
	rep := &recorder{}
	if err := src.SignIn(t.Context(), rep); err != nil {
		t.Fatalf("SignIn: %v (browser: %v)", err, hb.Err())
	}
	finals := rep.finals()
	before := time.Now().Add(-time.Minute)
	for _, id := range []flow.StepID{flow.StepClick, flow.StepRedirect, flow.StepReturn, flow.StepProvider} {
		s := finals[id]
		if s.Status != flow.StatusOK || !s.BrowserTimed || s.Start.Before(before) || s.Duration < 0 {
			t.Errorf("step %s: status %s, browser-timed %v, start %v, duration %v", id, s.Status, s.BrowserTimed, s.Start, s.Duration)
		}
	}
	field := func(id flow.StepID, label string) string {
		for _, f := range finals[id].Fields {
			if f.Label == label {
				return f.Value
			}
		}
		return ""
	}
	if got := field(flow.StepProvider, "user"); got != user.ID {
		t.Errorf("step 4 user %q, want %q", got, user.ID)
	}
	if got := field(flow.StepRedirect, "sign-in URL"); !strings.HasPrefix(got, dev.SignInURL()) || !strings.Contains(got, ParamDevBrowser+"=redacted") {
		t.Errorf("step 2 sign-in URL %q: want %s… with the dev browser redacted", got, dev.SignInURL())
	}
	if got := field(flow.StepReturn, "dev browser"); !strings.HasPrefix(got, ParamDevBrowser) {
		t.Errorf("step 3 handoff %q", got)
	}
	// Step 3 starts where step 2 ended: the time spent signing in.
	if r, ret := finals[flow.StepRedirect], finals[flow.StepReturn]; ret.Start.Before(r.Start) {
		t.Errorf("step 3 starts %v before step 2 %v", ret.Start, r.Start)
	}
	return src, hb, rep
}

// claimsOfToken decodes a JWT payload (test only).
func claimsOfToken(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHTTPBrowserTokenPaths(t *testing.T) {
	tests := []struct {
		name        string
		integration bool
		templates   []devinstance.Template
		path        string
		template    string
		sessionAud  string
		wantStatus  int // 0: a token
	}{
		{name: "integration on: session token", integration: true, path: flow.TokenPathSession, sessionAud: "convex"},
		{name: "integration off: convex template", path: flow.TokenPathTemplate, template: TemplateConvex},
		{name: "integration off, template renamed: null with 404", templates: []devinstance.Template{renamed()}, path: flow.TokenPathTemplate, template: TemplateConvex, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := startDev(t, devinstance.Options{IntegrationOn: tt.integration, Templates: tt.templates})
			src, hb, _ := httpSignIn(t, dev)
			ctx := t.Context()

			first, err := src.FetchToken(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			check := func(round string, res flow.TokenResult) {
				t.Helper()
				if res.Path != tt.path || res.Template != tt.template || res.SessionAud != tt.sessionAud || !res.BrowserTimed || res.Start.IsZero() {
					t.Errorf("%s: path %q template %q aud %q browser-timed %v start %v", round, res.Path, res.Template, res.SessionAud, res.BrowserTimed, res.Start)
				}
				if tt.wantStatus != 0 {
					if res.Token != "" || res.HTTPStatus != tt.wantStatus || !strings.Contains(res.Body, "No JWT template exists with name: convex") || res.Err == "" {
						t.Errorf("%s: token %v, status %d, body %q, err %q; want null, %d and Clerk's body", round, res.Token != "", res.HTTPStatus, res.Body, res.Err, tt.wantStatus)
					}
					return
				}
				if res.Token == "" || res.HTTPStatus != 0 || res.Err != "" {
					t.Fatalf("%s: no token: status %d, err %q", round, res.HTTPStatus, res.Err)
				}
				claims := claimsOfToken(t, res.Token)
				if claims["iss"] != dev.Issuer() || claims["aud"] != "convex" || claims["sub"] != dev.Users()[0].ID {
					t.Errorf("%s: claims iss %v aud %v sub %v", round, claims["iss"], claims["aud"], claims["sub"])
				}
				if _, hasSid := claims["sid"]; hasSid != (tt.path == flow.TokenPathSession) {
					t.Errorf("%s: sid present %v on the %s path", round, hasSid, tt.path)
				}
			}
			check("sign-in", first)

			// Refresh commands: the page fetches again with skipCache.
			prev := first.Token
			for i := 1; i <= 2; i++ {
				res, err := src.FetchToken(ctx, true)
				if err != nil {
					t.Fatalf("refresh %d: %v", i, err)
				}
				check("refresh", res)
				if tt.wantStatus == 0 && res.Token == prev {
					t.Errorf("refresh %d returned the same token", i)
				}
				prev = res.Token
			}
			if n := hb.Refreshes(); n != 2 {
				t.Errorf("the browser served %d refresh commands, want 2", n)
			}
			if err := src.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			// The tab stops when the loopback says "close".
			if err := hb.Wait(); err != nil {
				t.Errorf("browser: %v", err)
			}
		})
	}
}

func renamed() devinstance.Template {
	tpl := devinstance.ConvexTemplate()
	tpl.Name = "convex-renamed"
	return tpl
}

func TestHTTPBrowserClerkJSUnreachable(t *testing.T) {
	// A Frontend API nobody serves: ClerkJS cannot load, step 2 fails.
	dead := clerk.BuildPublishableKey("127.0.0.1:1", clerk.InstanceDevelopment)
	hb := &HTTPBrowser{Client: testClient, UserID: "user_x"}
	src := newTestSource(t, SourceConfig{PublishableKey: dead, Opener: hb})
	rep := &recorder{}
	err := src.SignIn(t.Context(), rep)
	if err == nil || !strings.Contains(err.Error(), "ClerkJS could not be loaded") {
		t.Fatalf("SignIn: %v", err)
	}
	if s := rep.finals()[flow.StepRedirect]; s.Status != flow.StatusFail || !s.BrowserTimed || !strings.Contains(s.Error, "127.0.0.1:1") {
		t.Errorf("step 2: %+v", s)
	}
	if _, err := src.FetchToken(t.Context(), false); err == nil {
		t.Error("FetchToken after a failed sign-in succeeded")
	}
}

func TestNewSourceRefusesBadKeys(t *testing.T) {
	live := clerk.BuildPublishableKey("clerk.example.com", clerk.InstanceProduction)
	_, err := NewSource(SourceConfig{Kind: KindClerk, PublishableKey: live})
	if !errors.Is(err, ErrProductionKey) {
		t.Fatalf("pk_live_: %v, want ErrProductionKey", err)
	}
	for _, want := range []string{"clerk.example.com", "Production Keys are only allowed for domain", "pk_test_", "--token"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("pk_live_ error lacks %q: %v", want, err)
		}
	}
	tests := map[string]SourceConfig{
		"unknown kind":     {Kind: "token", PublishableKey: clerk.BuildPublishableKey("a.b", clerk.InstanceDevelopment)},
		"missing key":      {Kind: KindClerk},
		"not a key":        {Kind: KindClerk, PublishableKey: "sk_test_abc"},
		"host with a path": {Kind: KindClerk, PublishableKey: "pk_test_" + base64.RawStdEncoding.EncodeToString([]byte("evil.example/x; script-src *$"))},
	}
	for name, cfg := range tests {
		if _, err := NewSource(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSignInTimesOut(t *testing.T) {
	src := newTestSource(t, SourceConfig{Timeout: 50 * time.Millisecond})
	rep := &recorder{}
	err := src.SignIn(t.Context(), rep)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("SignIn: %v", err)
	}
	if s := rep.finals()[flow.StepClick]; s.Status != flow.StatusFail || !strings.Contains(s.Error, "open the printed URL") {
		t.Errorf("step 1: %+v", s)
	}
}

func TestFetchTokenTimesOutAndRefusesTheLateAnswer(t *testing.T) {
	src := newTestSource(t, SourceConfig{TokenTimeout: 50 * time.Millisecond})
	c := connect(t, src)
	done := runSignIn(t.Context(), src, &recorder{})
	for _, ev := range scriptedEvents() {
		if err := c.event(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
	_, err := src.FetchToken(t.Context(), false)
	if err == nil || !strings.Contains(err.Error(), "keep the sign-in tab open") || !strings.Contains(err.Error(), "never asked") {
		t.Fatalf("FetchToken with no page: %v", err)
	}
	late := TokenReport{State: c.state, Round: 0, Path: flow.TokenPathSession, Token: strp("late"), Start: browserNow(), End: browserNow()}
	wantStatus(t, "late round 0", c.post(t.Context(), PathToken, late, nil, 5*time.Second), 409)
}

func TestCloseTellsThePage(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	got := make(chan Command, 1)
	go func() {
		cmd, err := c.poll(context.Background(), 0, 0)
		if err != nil {
			t.Error(err)
		}
		got <- cmd
	}()
	<-src.server().pollWaiting // close only once the server holds the poll
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if cmd := <-got; cmd.Kind != CommandClose {
		t.Errorf("poll answered %+v on close", cmd)
	}
	if _, err := src.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
}
