package backend

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
)

const (
	msgVerifyFailed = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."
	msgNoProviders  = "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts."
)

var clientOpts = wire.ClientOptions{Timeout: 10 * time.Second}

func dial(t *testing.T, b *Backend) *wire.Conn {
	t.Helper()
	c, err := wire.Dial(context.Background(), b.URL(), clientOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestAcceptedTokenIdentityAndLogout(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	var log fetchLog
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now, OnFetch: log.add})
	c := dial(t, b)

	out, err := c.Authenticate(context.Background(), is.token(t, clock.Now(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Accepted || out.IdentityVersion != 1 || out.AuthError != nil || out.Closed {
		t.Fatalf("outcome = %+v", out)
	}
	if out.ClientClockSkew == nil {
		t.Error("Transition carried no clientClockSkew although Connect had clientTs")
	}
	// The confirming Transition: identity 0 → 1, even with no query changes.
	var tr wire.Transition
	for _, f := range out.Frames {
		if f.Type == wire.TypeTransition {
			m, err := wire.ParseServerMessage([]byte(f.JSON))
			if err != nil {
				t.Fatal(err)
			}
			tr = m.(wire.Transition)
			break
		}
	}
	if tr.StartVersion.Identity != 0 || tr.EndVersion.Identity != 1 || tr.ServerTS == nil || !strings.Contains(out.Frames[len(out.Frames)-1].JSON, `"serverTs":`) {
		t.Errorf("first Transition = %+v", tr)
	}

	v, qerr, err := c.Subscribe(context.Background(), WhoAmIPath, nil)
	if err != nil || qerr != nil {
		t.Fatalf("Subscribe: %v %v", qerr, err)
	}
	var ident map[string]any
	if err := json.Unmarshal(v, &ident); err != nil {
		t.Fatalf("identity %s: %v", v, err)
	}
	if ident["tokenIdentifier"] != is.url()+"|user_2abc" || ident["subject"] != "user_2abc" || ident["name"] != "Ada Lovelace" || ident["email"] != "ada@example.com" {
		t.Errorf("identity = %s", v)
	}

	out, err = c.Logout(context.Background())
	if err != nil || !out.Accepted || out.IdentityVersion != 2 {
		t.Fatalf("logout = %+v, %v", out, err)
	}
	v, _, err = c.Subscribe(context.Background(), WhoAmIPath, nil)
	if err != nil || string(v) != "null" {
		t.Errorf("identity after logout = %s, %v", v, err)
	}
	_, qerr, err = c.Subscribe(context.Background(), "messages:list", map[string]any{"channel": "x"})
	if err != nil || qerr == nil || qerr.Message != "Could not find public function for 'messages:list'. Did you forget to run `npx convex dev` or `npx convex deploy`?" {
		t.Errorf("unknown query = %+v, %v", qerr, err)
	}
	if _, misses := log.counts(); misses != 2 {
		t.Errorf("fetch misses = %d, want 2 (discovery and JWKS)", misses)
	}
}

func TestRejectedTokens(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now})
	now := clock.Now()
	unknownKid := &issuer{srv: is.srv, kid: "rotated-away"}
	good := is.token(t, now, nil)
	tampered := good[:len(good)-4] + "AAAA"
	tests := []struct {
		name    string
		token   string
		message string
	}{
		{"kid not in the JWKS", unknownKid.token(t, now, nil), msgVerifyFailed},
		{"bad signature", tampered, msgVerifyFailed},
		{"expired", is.token(t, now, map[string]any{"exp": now.Add(-time.Second).Unix()}), msgVerifyFailed},
		{"wrong audience", is.token(t, now, map[string]any{"aud": "not-convex"}), ""},
		{"not a JWT", "hello", "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.message
			if want == "" {
				// The exact A3 text, with the provider list, is the validator's.
				v := &rules.Validator{Config: is.config(), Now: clock.Now}
				want = v.Validate(context.Background(), tt.token).Err.Message
				if !strings.HasPrefix(want, "No auth provider found matching the given token. Check that your JWT's issuer and audience match") {
					t.Fatalf("validator says %q", want)
				}
			}
			out, err := wire.Probe(context.Background(), b.URL(), tt.token, clientOpts)
			if err != nil {
				t.Fatal(err)
			}
			if out.Accepted || out.AuthError == nil {
				t.Fatalf("outcome = %+v", out)
			}
			if out.AuthError.Error != want || !out.AuthError.Attempted() || out.AuthError.BaseVersion == nil || *out.AuthError.BaseVersion != 0 {
				t.Errorf("AuthError = %+v, want %q", *out.AuthError, want)
			}
			if !out.Closed || out.CloseCode != wire.CloseNoStatus || out.CloseReason != "" {
				t.Errorf("close = %v %d %q, want a Close frame without status (1005)", out.Closed, out.CloseCode, out.CloseReason)
			}
		})
	}
}

func TestDiscoveryFailuresCloseWithoutAuthError(t *testing.T) {
	tests := []struct {
		status int
		code   int
	}{
		{http.StatusNotFound, 1000},
		{http.StatusMisdirectedRequest, 1013}, // ErrorCode::MisdirectedRequest closes with Again, as overload does
		{http.StatusBadGateway, 1013},
		{http.StatusServiceUnavailable, 1013},
		{http.StatusTooManyRequests, 1013},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			is := newIssuer(t)
			is.discoveryCode.Store(int64(tt.status))
			clock := newFakeClock()
			b := startBackend(t, Options{Config: is.config(), Now: clock.Now})
			out, err := wire.Probe(context.Background(), b.URL(), is.token(t, clock.Now(), nil), clientOpts)
			if err != nil {
				t.Fatal(err)
			}
			if out.AuthError != nil || out.FatalError != "" || out.Accepted {
				t.Fatalf("outcome = %+v, want only a close", out)
			}
			if !out.Closed || out.CloseCode != tt.code || out.CloseReason != "AuthProviderDiscoveryFailed" {
				t.Errorf("close = %d %q, want %d AuthProviderDiscoveryFailed", out.CloseCode, out.CloseReason, tt.code)
			}
		})
	}
	t.Run("401 is an AuthError", func(t *testing.T) {
		is := newIssuer(t)
		is.discoveryCode.Store(401)
		clock := newFakeClock()
		b := startBackend(t, Options{Config: is.config(), Now: clock.Now})
		out, err := wire.Probe(context.Background(), b.URL(), is.token(t, clock.Now(), nil), clientOpts)
		if err != nil {
			t.Fatal(err)
		}
		want := "Auth provider discovery of " + is.url() + " failed: 401 Unauthorized no discovery here"
		if out.AuthError == nil || out.AuthError.Error != want || out.CloseCode != 1005 {
			t.Errorf("outcome = %+v, want AuthError %q", out, want)
		}
	})
}

// raw is a bare WebSocket to the backend, for protocol misuse.
type raw struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialRaw(t *testing.T, b *Backend) *raw {
	t.Helper()
	u, _ := wire.SyncURL(b.URL(), "")
	ws, _, err := websocket.Dial(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	r := &raw{t: t, ws: ws}
	r.send(`{"type":"Connect","sessionId":"` + wire.NewSessionID() + `","connectionCount":0,"lastCloseReason":"InitialConnect","clientTs":0}`)
	return r
}

func (r *raw) send(text string) {
	r.t.Helper()
	if err := r.ws.Write(context.Background(), websocket.MessageText, []byte(text)); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// next returns the next server message, or the close (code, reason).
func (r *raw) next() (wire.ServerMessage, *websocket.CloseError) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, data, err := r.ws.Read(ctx)
	if err != nil {
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return nil, &ce
		}
		r.t.Fatalf("read: %v", err)
	}
	m, err := wire.ParseServerMessage(data)
	if err != nil {
		r.t.Fatalf("server sent %s: %v", data, err)
	}
	return m, nil
}

// expect reads messages (skipping Pings) until a close, and returns the
// non-Ping messages and the close.
func (r *raw) untilClose() ([]wire.ServerMessage, websocket.CloseError) {
	r.t.Helper()
	var msgs []wire.ServerMessage
	for {
		m, ce := r.next()
		if ce != nil {
			return msgs, *ce
		}
		if _, ping := m.(wire.Ping); !ping {
			msgs = append(msgs, m)
		}
	}
}

func TestVersionRules(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now})
	token := is.token(t, clock.Now(), nil)
	tok, _ := json.Marshal(token)

	t.Run("Authenticate baseVersion mismatch closes 1011 without AuthError", func(t *testing.T) {
		r := dialRaw(t, b)
		r.send(`{"type":"Authenticate","tokenType":"User","value":` + string(tok) + `,"baseVersion":3}`)
		msgs, ce := r.untilClose()
		if len(msgs) != 0 || ce.Code != websocket.StatusInternalError || ce.Reason != "InternalServerError" {
			t.Errorf("got %v then close %d %q, want only close 1011 InternalServerError", msgs, ce.Code, ce.Reason)
		}
	})
	t.Run("second Authenticate with the right baseVersion bumps again", func(t *testing.T) {
		r := dialRaw(t, b)
		r.send(`{"type":"Authenticate","tokenType":"User","value":` + string(tok) + `,"baseVersion":0}`)
		r.send(`{"type":"Authenticate","tokenType":"User","value":` + string(tok) + `,"baseVersion":1}`)
		for want := uint32(1); want <= 2; want++ {
			m, ce := r.next()
			tr, ok := m.(wire.Transition)
			if ce != nil || !ok || tr.EndVersion.Identity != want || tr.StartVersion.Identity != want-1 {
				t.Fatalf("message %d = %#v %v", want, m, ce)
			}
		}
	})
	t.Run("ModifyQuerySet baseVersion mismatch is a FatalError", func(t *testing.T) {
		r := dialRaw(t, b)
		r.send(`{"type":"ModifyQuerySet","baseVersion":3,"newVersion":4,"modifications":[]}`)
		msgs, ce := r.untilClose()
		if len(msgs) != 1 || ce.Code != websocket.StatusNoStatusRcvd {
			t.Fatalf("got %v, close %d", msgs, ce.Code)
		}
		if f, ok := msgs[0].(wire.FatalError); !ok || f.Error != "Base version 3 passed up doesn't match the current version 0" {
			t.Errorf("got %#v", msgs[0])
		}
	})
	t.Run("ModifyQuerySet newVersion not above baseVersion is internal", func(t *testing.T) {
		r := dialRaw(t, b)
		r.send(`{"type":"ModifyQuerySet","baseVersion":0,"newVersion":0,"modifications":[]}`)
		msgs, ce := r.untilClose()
		if len(msgs) != 0 || ce.Code != websocket.StatusInternalError {
			t.Errorf("got %v, close %d %q", msgs, ce.Code, ce.Reason)
		}
	})
	t.Run("query set versions advance and Remove answers QueryRemoved", func(t *testing.T) {
		r := dialRaw(t, b)
		r.send(`{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Add","queryId":0,"udfPath":"` + WhoAmIPath + `","args":[{}]}]}`)
		r.send(`{"type":"ModifyQuerySet","baseVersion":1,"newVersion":2,"modifications":[{"type":"Remove","queryId":0}]}`)
		m1, _ := r.next()
		m2, _ := r.next()
		t1, t2 := m1.(wire.Transition), m2.(wire.Transition)
		if t1.EndVersion.QuerySet != 1 || len(t1.Modifications) != 1 || string(t1.Modifications[0].Value) != "null" {
			t.Errorf("first = %+v", t1)
		}
		if t2.StartVersion != t1.EndVersion || t2.EndVersion.QuerySet != 2 || len(t2.Modifications) != 1 || t2.Modifications[0].Type != wire.ModQueryRemoved {
			t.Errorf("second = %+v", t2)
		}
		if t2.EndVersion.TS <= t1.EndVersion.TS {
			t.Errorf("ts went from %d to %d", t1.EndVersion.TS, t2.EndVersion.TS)
		}
	})
}

func TestIdentityExpiresDuringSession(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now})
	c := dial(t, b)
	out, err := c.Authenticate(context.Background(), is.token(t, clock.Now(), nil))
	if err != nil || !out.Accepted {
		t.Fatalf("%+v %v", out, err)
	}
	clock.Advance(time.Minute) // now == exp: expired, no leeway
	_, _, err = c.Subscribe(context.Background(), WhoAmIPath, nil)
	var se *wire.SessionError
	if !errors.As(err, &se) || se.AuthError == nil {
		t.Fatalf("Subscribe after expiry: %v", err)
	}
	if se.AuthError.Error != "Convex token identity expired" || se.AuthError.Attempted() || se.AuthError.BaseVersion == nil || *se.AuthError.BaseVersion != 1 {
		t.Errorf("AuthError = %+v", *se.AuthError)
	}
}

func TestConfigPushAndAdmin(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	b := startBackend(t, Options{Now: clock.Now})
	token := is.token(t, clock.Now(), nil)
	out, err := wire.Probe(context.Background(), b.URL(), token, clientOpts)
	if err != nil || out.AuthError == nil || out.AuthError.Error != msgNoProviders {
		t.Fatalf("before push: %+v %v", out, err)
	}
	b.SetConfig(is.config())
	if got := b.Config(); len(got.Providers) != 1 || got.Providers[0].Domain != is.url() {
		t.Errorf("Config() = %+v", got)
	}
	out, err = wire.Probe(context.Background(), b.URL(), token, clientOpts)
	if err != nil || !out.Accepted {
		t.Fatalf("after push: %+v %v", out, err)
	}
	r := dialRaw(t, b)
	r.send(`{"type":"Authenticate","tokenType":"Admin","value":"prod:abc|123","baseVersion":0}`)
	msgs, ce := r.untilClose()
	if len(msgs) != 1 || ce.Code != websocket.StatusNoStatusRcvd {
		t.Fatalf("admin: %v, close %d", msgs, ce.Code)
	}
	if a, ok := msgs[0].(wire.AuthError); !ok || a.Error != "The provided admin key was invalid for this instance" {
		t.Errorf("admin: %#v", msgs[0])
	}
}

func TestMalformedFrames(t *testing.T) {
	is := newIssuer(t)
	clock := newFakeClock()
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now, MaxMessageBytes: 64 << 10})
	// A healthy session stays open through all of it.
	healthy := dial(t, b)
	if out, err := healthy.Authenticate(context.Background(), is.token(t, clock.Now(), nil)); err != nil || !out.Accepted {
		t.Fatalf("%+v %v", out, err)
	}
	const invalid = "Received Invalid JSON on websocket: "
	tests := []struct {
		name   string
		frame  string
		binary bool
		fatal  string
		code   websocket.StatusCode
		reason string
	}{
		{name: "not JSON", frame: "hello", fatal: invalid + "expected value at line 1 column 1"},
		{name: "truncated", frame: `{"type":"Authenticate"`, fatal: invalid + "EOF while parsing an object at line 1 column 22"},
		{name: "unknown type", frame: `{"type":"Subscribe"}`, fatal: invalid + "unknown variant `Subscribe`, expected one of `Connect`, `ModifyQuerySet`, `Mutation`, `Action`, `Authenticate`, `Event`"},
		{name: "no type", frame: `{"tokenType":"User"}`, fatal: invalid + "missing field `type`"},
		{name: "missing field", frame: `{"type":"Authenticate","tokenType":"User","baseVersion":0}`, fatal: invalid + "missing field `value`"},
		{name: "wrong type", frame: `{"type":"ModifyQuerySet","baseVersion":"0","newVersion":1,"modifications":[]}`, fatal: invalid + `invalid type: string "0", expected u32`},
		{name: "array", frame: `[1,2]`, fatal: invalid + "invalid type: sequence, expected struct ClientMessageJson"},
		{name: "sessionId not a UUID", frame: `{"type":"Connect","sessionId":"abc","connectionCount":0}`, fatal: invalid + "invalid length: expected length 32 for simple format, found 3"},
		{name: "Connect without connectionCount", frame: `{"type":"Connect","sessionId":"` + wire.NewSessionID() + `"}`, fatal: invalid + "missing field `connectionCount`"},
		{name: "timestamp ahead of the backend", frame: `{"type":"Connect","sessionId":"` + wire.NewSessionID() + `","connectionCount":1,"maxObservedTimestamp":"` + wire.EncodeTS(1<<62) + `"}`, code: websocket.StatusInternalError, reason: "InternalServerError"},
		{name: "Remove of an unknown query", frame: `{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Remove","queryId":9}]}`, code: websocket.StatusInternalError, reason: "InternalServerError"},
		{name: "invalid UTF-8", frame: "{\"type\":\"\xff\"}", code: websocket.StatusInternalError, reason: "InternalServerError"},
		{name: "binary frame", frame: "\x00\x01", binary: true, code: websocket.StatusInternalError, reason: "InternalServerError"},
		{name: "huge frame", frame: `{"type":"Event","eventType":"x","event":"` + strings.Repeat("a", 100<<10) + `"}`, code: websocket.StatusMessageTooBig, reason: "read limited at 65537 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dialRaw(t, b)
			typ := websocket.MessageText
			if tt.binary {
				typ = websocket.MessageBinary
			}
			if err := r.ws.Write(context.Background(), typ, []byte(tt.frame)); err != nil {
				t.Fatal(err)
			}
			msgs, ce := r.untilClose()
			if tt.fatal != "" {
				if len(msgs) != 1 || ce.Code != websocket.StatusNoStatusRcvd {
					t.Fatalf("got %v, close %d %q; want FatalError then a close without status", msgs, ce.Code, ce.Reason)
				}
				if f, ok := msgs[0].(wire.FatalError); !ok || f.Error != tt.fatal {
					t.Errorf("got %#v\nwant FatalError %q", msgs[0], tt.fatal)
				}
				return
			}
			if len(msgs) != 0 || ce.Code != tt.code || ce.Reason != tt.reason {
				t.Errorf("got %v, close %d %q; want close %d %q", msgs, ce.Code, ce.Reason, tt.code, tt.reason)
			}
		})
	}
	// The healthy session still answers.
	if v, _, err := healthy.Subscribe(context.Background(), WhoAmIPath, nil); err != nil || !strings.Contains(string(v), "user_2abc") {
		t.Errorf("healthy session after the bad ones: %s %v", v, err)
	}
}

func TestMutationOfMissingFunction(t *testing.T) {
	b := startBackend(t, Options{})
	r := dialRaw(t, b)
	r.send(`{"type":"Mutation","requestId":7,"udfPath":"messages:send","args":[{"body":"hi"}]}`)
	m, ce := r.next()
	resp, ok := m.(wire.MutationResponse)
	if ce != nil || !ok || resp.RequestID != 7 || resp.Success || string(resp.Result) != `"Could not find public function for 'messages:send'. Did you forget to run `+"`npx convex dev` or `npx convex deploy`"+`?"` {
		t.Errorf("got %#v %v", m, ce)
	}
	if m, _ := r.next(); m == nil || m.MessageType() != wire.TypeTransition {
		t.Errorf("after a mutation: %#v, want a Transition", m)
	}
}

func TestCloseReasonTruncated(t *testing.T) {
	e := closeWith(websocket.StatusTryAgainLater, strings.Repeat("é", 100))
	if len(e.reason) != 123 {
		t.Errorf("reason is %d bytes, want 123", len(e.reason))
	}
}

func TestPingAfterSilence(t *testing.T) {
	b := New(Options{})
	b.pingInterval = 50 * time.Millisecond
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	r := dialRaw(t, b)
	for range 2 {
		m, ce := r.next()
		if _, ok := m.(wire.Ping); !ok || ce != nil {
			t.Fatalf("got %#v %v, want Ping", m, ce)
		}
	}
}

func TestSilentClientTimesOut(t *testing.T) {
	b := New(Options{})
	b.wsPingInterval = 50 * time.Millisecond
	// Two seconds: a client that answers Pings every 50 ms stays alive on
	// a loaded machine (under -race, with one second, it was dropped once).
	b.clientTimeout = 2 * time.Second
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	// A client that reads answers the protocol Pings and stays.
	alive := dialRaw(t, b)
	closed := make(chan error, 1)
	go func() {
		_, _, err := alive.ws.Read(context.Background())
		closed <- err
	}()
	// A client that never reads never answers them.
	silent := dialRaw(t, b)
	time.Sleep(2500 * time.Millisecond) // past the timeout, on purpose
	_, ce := silent.next()
	if ce == nil || ce.Code != websocket.StatusNormalClosure || ce.Reason != "ClientDisconnected" {
		t.Errorf("silent client: close %v, want 1000 ClientDisconnected", ce)
	}
	select {
	case err := <-closed:
		t.Errorf("a client answering Pings was dropped: %v", err)
	default:
	}
}

func TestHTTPVersionChecks(t *testing.T) {
	b := startBackend(t, Options{})
	get := func(path string, header map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, b.URL()+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return resp.StatusCode, string(body)
	}
	tests := []struct {
		path   string
		header map[string]string
		status int
		body   string
	}{
		{"/api/1.0/sync", nil, 400, `{"code":"InvalidClientVersion","message":"Failed to parse client version: unexpected end of input while parsing minor version number"}`},
		{"/api/abc/sync", nil, 400, `{"code":"InvalidClientVersion","message":"Failed to parse client version: unexpected character 'a' while parsing major version number"}`},
		{"/api/01.0.0/sync", nil, 400, `{"code":"InvalidClientVersion","message":"Failed to parse client version: invalid leading zero in major version number"}`},
		{"/api/0.19.1/sync", nil, 400, `{"code":"ClientVersionUnsupported","message":"The Convex npm package at version 0.19.1 is no longer supported. Update your Convex npm version with ` + "`npx convex update` or `npm update`" + `."}`},
		{"/api/sync", map[string]string{"Convex-Client": "npm"}, 400, `{"code":"InvalidClientVersion","message":"Failed to parse client version string: 'npm'. Expected format is {client_name}-{semver}, e.g. my-esolang-client-0.0.1"}`},
		{"/api/sync", map[string]string{"Convex-Client": "npm-0.1.0"}, 400, ""},
		{"/api/abc/sync", map[string]string{"Convex-Client": "npm-1.48.0"}, 426, ""}, // the header wins; a plain GET is no upgrade
		{"/api/1.48.0/sync", nil, 426, ""},
		{"/api/0.19.2/sync", nil, 426, ""},
		{"/api/sync", nil, 426, ""},
		{"/api/sync", map[string]string{"Convex-Client": "npm-cli-1.0.0"}, 500, `{"code":"InternalServerError","message":"Your request couldn't be completed. Try again later."}`},
		{"/nope", nil, 404, ""},
	}
	for _, tt := range tests {
		status, body := get(tt.path, tt.header)
		if status != tt.status || (tt.body != "" && body != tt.body) {
			t.Errorf("GET %s %v = %d %s\nwant %d %s", tt.path, tt.header, status, body, tt.status, tt.body)
		}
	}
}

func TestCloseEndsOpenSockets(t *testing.T) {
	b := New(Options{})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := dialRaw(t, b)
	done := make(chan error, 1)
	go func() {
		_, _, err := r.ws.Read(context.Background())
		done <- err
	}()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("read succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socket still open after Close")
	}
	if _, err := wire.Dial(context.Background(), b.URL(), wire.ClientOptions{Timeout: time.Second}); err == nil {
		t.Error("dial succeeded after Close")
	}
}
