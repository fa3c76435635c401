package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeServer runs handle for every WebSocket on a loopback server that
// plays a misbehaving (or well-behaved) backend.
func fakeServer(t *testing.T, handle func(ctx context.Context, c *websocket.Conn)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/sync") {
			http.NotFound(w, r)
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		handle(r.Context(), c)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// readMessages reads n client messages (Connect, Authenticate, …).
func readMessages(ctx context.Context, t *testing.T, c *websocket.Conn, n int) []ClientMessage {
	var out []ClientMessage
	for range n {
		_, data, err := c.Read(ctx)
		if err != nil {
			t.Errorf("server read: %v", err)
			return out
		}
		m, err := ParseClientMessage(data)
		if err != nil {
			t.Errorf("client sent an invalid message %s: %v", data, err)
			return out
		}
		out = append(out, m)
	}
	return out
}

func write(ctx context.Context, c *websocket.Conn, m ServerMessage) {
	b, _ := Encode(m)
	_ = c.Write(ctx, websocket.MessageText, b)
}

// drain keeps reading so the library answers the client's close.
func drain(ctx context.Context, c *websocket.Conn) {
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
	}
}

func bump(from, to uint32) Transition {
	skew := 3.0
	return Transition{StartVersion: StateVersion{Identity: from}, EndVersion: StateVersion{QuerySet: 1, Identity: to, TS: 7}, ClientClockSkew: &skew}
}

const testToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl"

func TestProbeVerdicts(t *testing.T) {
	u32 := func(v uint32) *uint32 { return &v }
	yes := true
	tests := []struct {
		name   string
		server func(ctx context.Context, t *testing.T, c *websocket.Conn)
		check  func(t *testing.T, out *outcomeView)
	}{
		{"accepted after a ping", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			write(ctx, c, Ping{})
			write(ctx, c, bump(0, 1))
			drain(ctx, c)
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "accepted", o.Accepted, true)
			o.want(t, "identity version", o.IdentityVersion, 1)
			if o.ClientClockSkew == nil || *o.ClientClockSkew != 3 {
				t.Errorf("clock skew = %v, want 3", o.ClientClockSkew)
			}
		}},
		{"a transition without identity bump is not a verdict", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			write(ctx, c, bump(0, 0))
			write(ctx, c, bump(0, 1))
			drain(ctx, c)
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "accepted", o.Accepted, true)
			o.want(t, "frames", frameTypes(o), "Connect>,Authenticate>,ModifyQuerySet>,<Transition,<Transition")
		}},
		{"AuthError then close without status", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			write(ctx, c, AuthError{Error: "No auth provider found matching the given token", BaseVersion: u32(0), AuthUpdateAttempted: &yes})
			_ = c.Close(websocket.StatusNoStatusRcvd, "")
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "accepted", o.Accepted, false)
			if o.AuthError == nil {
				t.Fatal("no AuthError")
			}
			o.want(t, "message", o.AuthError.Error, "No auth provider found matching the given token")
			o.want(t, "attempted", o.AuthError.Attempted(), true)
			o.want(t, "closed", o.Closed, true)
			o.want(t, "close code", o.CloseCode, 1005)
		}},
		{"FatalError", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			write(ctx, c, FatalError{Error: "Received Invalid JSON on websocket: x"})
			_ = c.Close(websocket.StatusNoStatusRcvd, "")
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "fatal", o.FatalError, "Received Invalid JSON on websocket: x")
			o.want(t, "close code", o.CloseCode, 1005)
		}},
		{"close with code and reason, no message", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Close(websocket.StatusTryAgainLater, "AuthProviderDiscoveryFailed")
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "closed", o.Closed, true)
			o.want(t, "close code", o.CloseCode, 1013)
			o.want(t, "reason", o.CloseReason, "AuthProviderDiscoveryFailed")
			o.want(t, "auth error", o.AuthError == nil, true)
		}},
		{"close without status and no message", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 2)
			_ = c.Close(websocket.StatusNoStatusRcvd, "")
		}, func(t *testing.T, o *outcomeView) {
			o.want(t, "closed", o.Closed, true)
			o.want(t, "close code", o.CloseCode, 1005)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := fakeServer(t, func(ctx context.Context, c *websocket.Conn) { tt.server(ctx, t, c) })
			out, err := Probe(context.Background(), url, testToken, ClientOptions{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			for _, f := range out.Frames {
				if strings.Contains(f.JSON, testToken) || strings.Contains(f.JSON, "c2lnbmF0dXJl") {
					t.Errorf("frame %s shows the token: %s", f.Type, f.JSON)
				}
			}
			if out.Frames[1].Type != TypeAuthenticate || !strings.Contains(out.Frames[1].JSON, fmt.Sprintf(`"value":"<token: %d bytes>"`, len(testToken))) {
				t.Errorf("Authenticate frame = %+v", out.Frames[1])
			}
			tt.check(t, &outcomeView{out})
		})
	}
}

// Servers that give no verdict: each failure has its kind, and none is
// reported as a close the backend chose.
func TestProbeMisbehavingServers(t *testing.T) {
	tests := []struct {
		name   string
		server func(ctx context.Context, t *testing.T, c *websocket.Conn)
		kind   TransportKind
		want   string
	}{
		{"not JSON", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Write(ctx, websocket.MessageText, []byte("hello"))
			drain(ctx, c)
		}, NotConvex, "not a sync-protocol message: expected value at line 1 column 1"},
		{"unknown message type", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"Welcome"}`))
			drain(ctx, c)
		}, NotConvex, "unknown variant `Welcome`"},
		{"wrong field type", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"Transition","startVersion":5}`))
			drain(ctx, c)
		}, NotConvex, "field startVersion: invalid type: integer `5`"},
		{"binary frame", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Write(ctx, websocket.MessageBinary, []byte{0, 1, 2})
			drain(ctx, c)
		}, NotConvex, "a binary frame of 3 bytes"},
		{"oversized message", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"Ping","pad":"`+strings.Repeat("x", 200<<10)+`"}`))
			drain(ctx, c)
		}, Oversize, "announced a frame of 200 KiB, over the 64 KiB limit: refused at the frame header"},
		{"never answers", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			drain(ctx, c)
		}, Silent, "no verdict within 300ms: nothing arrived"},
		{"only pings", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			readMessages(ctx, t, c, 3)
			for ctx.Err() == nil {
				write(ctx, c, Ping{})
				time.Sleep(time.Millisecond)
			}
		}, Silent, "(Ping ×"},
		{"connection dropped without close frame", func(ctx context.Context, t *testing.T, c *websocket.Conn) {
			// All three messages read: closing with one unread would make
			// the kernel answer with a reset instead of an end of stream.
			readMessages(ctx, t, c, 3)
			_ = c.CloseNow()
		}, Dropped, "the server ended the TCP connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := fakeServer(t, func(ctx context.Context, c *websocket.Conn) { tt.server(ctx, t, c) })
			start := time.Now()
			out, err := Probe(context.Background(), url, testToken, ClientOptions{Timeout: 300 * time.Millisecond, MaxMessageBytes: 64 << 10})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Probe error = %v, want it to contain %q", err, tt.want)
			}
			if k := KindOf(err); k != tt.kind {
				t.Errorf("kind %q, want %q", k, tt.kind)
			}
			var te *TransportError
			if errors.As(err, &te) && !te.Sent {
				t.Error("the token had been sent")
			}
			if out.Closed {
				t.Errorf("reported as a close the backend chose: %+v", out)
			}
			if out == nil || out.Accepted {
				t.Fatalf("outcome = %+v", out)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s: the deadline was not honoured", d)
			}
		})
	}
}

func TestDialErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":"InvalidClientVersion","message":"Failed to parse client version: unexpected end of input while parsing minor version number"}`))
	}))
	defer srv.Close()
	_, err := Dial(context.Background(), srv.URL, ClientOptions{ClientVersion: "1.0"})
	var de *DialError
	if !errors.As(err, &de) || de.Status != 400 || !strings.Contains(de.Body, "InvalidClientVersion") {
		t.Fatalf("Dial error = %v", err)
	}
	if !strings.Contains(err.Error(), "/api/1.0/sync answered HTTP 400") || KindOf(err) != Unreachable {
		t.Errorf("error text = %q, kind %q", err, KindOf(err))
	}
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<!doctype html><title>My app</title>"))
	}))
	defer page.Close()
	if _, err := Dial(context.Background(), page.URL, ClientOptions{}); KindOf(err) != NotConvex || !strings.Contains(err.Error(), "answered HTTP 200") {
		t.Errorf("a web page at the sync URL: %v, kind %q", err, KindOf(err))
	}
	if _, err := Dial(context.Background(), "https://x.convex.site", ClientOptions{}); err == nil || !strings.Contains(err.Error(), ".convex.site") {
		t.Errorf("convex.site accepted: %v", err)
	}
}

func TestRefreshOnSameConnection(t *testing.T) {
	url := fakeServer(t, func(ctx context.Context, c *websocket.Conn) {
		msgs := readMessages(ctx, t, c, 3)
		if a, ok := msgs[1].(Authenticate); !ok || a.BaseVersion != 0 {
			t.Errorf("first Authenticate = %#v", msgs[1])
		}
		write(ctx, c, bump(0, 1))
		msgs = readMessages(ctx, t, c, 1)
		if a, ok := msgs[0].(Authenticate); !ok || a.BaseVersion != 1 {
			t.Errorf("second Authenticate = %#v, want baseVersion 1", msgs[0])
		}
		write(ctx, c, bump(1, 2))
		msgs = readMessages(ctx, t, c, 1)
		if a, ok := msgs[0].(Authenticate); !ok || a.TokenType != TokenNone || a.BaseVersion != 2 {
			t.Errorf("logout = %#v", msgs[0])
		}
		write(ctx, c, bump(2, 3))
		drain(ctx, c)
	})
	c, err := Dial(context.Background(), url, ClientOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i, want := range []int{1, 2} {
		out, err := c.Authenticate(context.Background(), testToken)
		if err != nil || !out.Accepted || out.IdentityVersion != want {
			t.Fatalf("Authenticate #%d = %+v, %v", i+1, out, err)
		}
		if i == 1 && (len(out.Frames) != 2 || out.Frames[0].Type != TypeAuthenticate) {
			t.Errorf("second verdict frames = %v, want only its own", frameTypes(&outcomeView{out}))
		}
	}
	out, err := c.Logout(context.Background())
	if err != nil || !out.Accepted || out.IdentityVersion != 3 {
		t.Fatalf("Logout = %+v, %v", out, err)
	}
}

// A write that fails because the peer reset the connection is a reset,
// said as a failed read says it, in the library's words otherwise.
func TestWriteFailureIsNamed(t *testing.T) {
	c := &Conn{}
	reset := fmt.Errorf("failed to write msg: failed to write frame: failed to flush: %w",
		&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)})
	if te := c.writeFailure("ModifyQuerySet", reset); te.Kind != Dropped || te.Detail != "sending ModifyQuerySet: the connection was reset (TCP RST)" {
		t.Errorf("reset on write: %+v", te)
	}
	pipe := fmt.Errorf("failed to write msg: %w", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)})
	if te := c.writeFailure("Authenticate", pipe); te.Kind != Dropped || te.Detail != "sending Authenticate: write tcp: write: broken pipe" {
		t.Errorf("broken pipe on write: %+v", te)
	}
}

// A message the library found over the limit across fragments is
// oversize without an announced size: none is made up.
func TestOversizeWithoutAnnouncedSize(t *testing.T) {
	c := &Conn{opts: ClientOptions{MaxMessageBytes: 64 << 10}}
	err := c.readFailure(context.Background(), fmt.Errorf("failed to read: %w", websocket.ErrMessageTooBig))
	var te *TransportError
	if !errors.As(err, &te) || te.Kind != Oversize || te.Announced != 0 || te.Limit != 64<<10 {
		t.Fatalf("%#v", err)
	}
	if want := "the server sent a message over the 64 KiB limit: refused while reading it"; err.Error() != want {
		t.Errorf("%q, want %q", err.Error(), want)
	}
}
