package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/authscope/authscope/flow/convex"
)

// ClientOptions configures the sync client. The zero value is usable.
type ClientOptions struct {
	// HTTPClient carries the WebSocket handshake (default http.DefaultClient).
	HTTPClient *http.Client
	// ClientVersion goes in the URL path (default DefaultClientVersion).
	ClientVersion string
	// Timeout bounds the dial and each call's wait for a verdict (default 15 s).
	Timeout time.Duration
	// Now is the wall clock for clientTs and frame times (default time.Now).
	Now func() time.Time
	// MaxMessageBytes caps one incoming message (default 8 MiB).
	MaxMessageBytes int64
}

// Defaults for ClientOptions.
const (
	DefaultTimeout         = 15 * time.Second
	DefaultMaxMessageBytes = 8 << 20
)

// CloseNoStatus is the code a peer reports for a Close frame without a
// status code (RFC 6455 §7.1.5). The backend closes that way after an
// AuthError or a FatalError (reference/convex.md §1.11).
const CloseNoStatus = 1005

// CloseAbnormal is what a browser reports when the connection ends without
// a Close frame (RFC 6455 §7.1.5).
const CloseAbnormal = 1006

// maxRecordedFrame caps the JSON kept per recorded frame.
const maxRecordedFrame = 64 << 10

func (o ClientOptions) withDefaults() ClientOptions {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.ClientVersion == "" {
		o.ClientVersion = DefaultClientVersion
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	return o
}

// Conn is one sync-protocol session. It tracks the identity and query-set
// versions the way the JS client does, so Authenticate can be called again
// on the same connection (a token refresh). Methods may be called from
// several goroutines; they run one at a time.
type Conn struct {
	ws          *websocket.Conn
	url         string
	opts        ClientOptions
	connectTime time.Duration

	mu     sync.Mutex
	frames []convex.Frame
	// identityVersion counts the Authenticate messages sent: the next one's
	// baseVersion, and the version a confirming Transition must reach.
	identityVersion uint32
	querySetVersion uint32
	sentQuerySet    bool
	authCalls       int
	nextQueryID     uint32
	server          StateVersion
	clockSkew       *float64
	// closed is set once the socket is gone; later calls fail fast.
	closed *closeInfo
}

type closeInfo struct {
	code   int
	reason string
}

// DialError is a failed WebSocket handshake, with the HTTP answer when
// there was one (the backend refuses a bad client version with HTTP 400).
type DialError struct {
	URL    string
	Status int    // 0 when no HTTP response came back
	Body   string // first KiB of the response body
	Err    error
}

func (e *DialError) Error() string {
	if e.Status != 0 {
		msg := fmt.Sprintf("the sync endpoint %s answered HTTP %d instead of switching to a WebSocket", e.URL, e.Status)
		if e.Body != "" {
			msg += ": " + e.Body
		}
		return msg
	}
	return fmt.Sprintf("could not open a WebSocket to %s: %v", e.URL, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// ProtocolError is a frame the client could not make sense of: not text,
// not JSON, or not a sync-protocol message.
type ProtocolError struct {
	Frame string // the frame as received (cut to 64 KiB)
	Err   error
}

func (e *ProtocolError) Error() string {
	return "the server sent a frame that is not a sync-protocol message: " + e.Err.Error()
}

func (e *ProtocolError) Unwrap() error { return e.Err }

// SessionError is the session ending while a call waited: an AuthError, a
// FatalError, or a close.
type SessionError struct {
	AuthError   *convex.AuthErrorMessage
	FatalError  string
	CloseCode   int
	CloseReason string
}

func (e *SessionError) Error() string {
	switch {
	case e.AuthError != nil:
		return "the server rejected the session's identity: AuthError " + quote(e.AuthError.Error)
	case e.FatalError != "":
		return "the server ended the session: FatalError " + quote(e.FatalError)
	}
	return fmt.Sprintf("the server closed the connection (code %d, reason %s)", e.CloseCode, quote(e.CloseReason))
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// QueryError is a query that ran and failed (a QueryFailed modification).
type QueryError struct {
	Message  string
	Data     json.RawMessage
	LogLines []json.RawMessage
}

func (e *QueryError) Error() string { return "query failed: " + e.Message }

// Dial opens the sync WebSocket for a deployment URL (see SyncURL) and
// sends Connect as the JS client does on a first connection: a random UUID
// v4 sessionId, connectionCount 0, lastCloseReason "InitialConnect" and
// clientTs.
func Dial(ctx context.Context, deploymentURL string, opts ClientOptions) (*Conn, error) {
	opts = opts.withDefaults()
	u, err := SyncURL(deploymentURL, opts.ClientVersion)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	ws, resp, err := websocket.Dial(dctx, u, &websocket.DialOptions{HTTPClient: opts.HTTPClient})
	if err != nil {
		de := &DialError{URL: u, Err: err}
		if resp != nil {
			de.Status = resp.StatusCode
			if resp.Body != nil {
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
				resp.Body.Close()
				de.Body = strings.TrimSpace(string(b))
			}
		}
		return nil, de
	}
	ws.SetReadLimit(opts.MaxMessageBytes)
	c := &Conn{ws: ws, url: u, opts: opts, connectTime: time.Since(start)}
	reason := "InitialConnect"
	ts := opts.Now().UnixMilli()
	if err := c.send(dctx, Connect{SessionID: NewSessionID(), LastCloseReason: &reason, ClientTS: &ts}); err != nil {
		_ = ws.CloseNow()
		return nil, err
	}
	return c, nil
}

// URL is the WebSocket URL the connection was opened to.
func (c *Conn) URL() string { return c.url }

// ConnectTime is how long the WebSocket handshake took.
func (c *Conn) ConnectTime() time.Duration { return c.connectTime }

// Frames returns every frame recorded so far, in both directions, with
// tokens replaced by a placeholder.
func (c *Conn) Frames() []convex.Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]convex.Frame(nil), c.frames...)
}

// Authenticate sends the token as the JS client does — Authenticate{User,
// baseVersion}, and on the first call an empty ModifyQuerySet{0→1} — and
// reads until the verdict of reference/convex.md §2.5:
//   - a Transition that bumps the identity to this call's version: Accepted;
//   - an AuthError: Outcome.AuthError, with the backend's exact message;
//   - a FatalError: Outcome.FatalError;
//   - a close with no message: Closed, with the code (1005 when the frame
//     had none, 1006 when the connection just dropped) and reason.
//
// Pings and unrelated messages are skipped. After an AuthError or a
// FatalError the close that follows is read too (briefly), so CloseCode
// says how the socket ended. The returned Outcome is non-nil whenever the
// token was sent; the error is non-nil when no verdict came: the deadline
// passed, the server sent garbage (*ProtocolError) or the transport failed.
func (c *Conn) Authenticate(ctx context.Context, token string) (*convex.Outcome, error) {
	return c.authenticate(ctx, Authenticate{TokenType: TokenUser, Value: token})
}

// Logout sends Authenticate{None} (what the JS client sends when the token
// fetcher returns null) and reads its verdict like Authenticate.
func (c *Conn) Logout(ctx context.Context) (*convex.Outcome, error) {
	return c.authenticate(ctx, Authenticate{TokenType: TokenNone})
}

func (c *Conn) authenticate(ctx context.Context, msg Authenticate) (*convex.Outcome, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := &convex.Outcome{URL: c.url, ConnectTime: c.connectTime}
	first := c.authCalls == 0
	c.authCalls++
	from := len(c.frames)
	if first {
		from = 0 // the first verdict shows the Connect frame too
	}
	defer func() { out.Frames = append([]convex.Frame(nil), c.frames[from:]...) }()
	if c.closed != nil {
		out.Closed, out.CloseCode, out.CloseReason = true, c.closed.code, c.closed.reason
		return out, errors.New("the connection is already closed; dial again")
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()

	msg.BaseVersion = c.identityVersion
	sent := time.Now()
	if err := c.send(ctx, msg); err != nil {
		return out, err
	}
	c.identityVersion++
	if !c.sentQuerySet {
		// The JS client sends its whole query set right after Authenticate
		// on open, even when empty (reference/convex.md §2.4).
		if err := c.send(ctx, ModifyQuerySet{BaseVersion: 0, NewVersion: 1}); err != nil {
			return out, err
		}
		c.sentQuerySet, c.querySetVersion = true, 1
	}
	for {
		m, err := c.read(ctx)
		if err != nil {
			out.RoundTrip = time.Since(sent)
			var closed *SessionError
			if errors.As(err, &closed) {
				out.Closed, out.CloseCode, out.CloseReason = true, closed.CloseCode, closed.CloseReason
				return out, nil
			}
			return out, c.noVerdict(ctx, err, "Authenticate")
		}
		switch m := m.(type) {
		case Transition:
			c.applyTransition(m)
			if m.IdentityBumped() && m.EndVersion.Identity >= c.identityVersion {
				out.Accepted = true
				out.IdentityVersion = int(m.EndVersion.Identity)
				out.ClientClockSkew = c.clockSkew
				out.RoundTrip = time.Since(sent)
				return out, nil
			}
		case AuthErrorMsg:
			out.RoundTrip = time.Since(sent)
			out.AuthError = toAuthErrorMessage(m)
			out.IdentityVersion = int(c.server.Identity)
			c.readClose(ctx, out)
			return out, nil
		case FatalError:
			out.RoundTrip = time.Since(sent)
			out.FatalError = m.Error
			c.readClose(ctx, out)
			return out, nil
		}
	}
}

func toAuthErrorMessage(m AuthErrorMsg) *convex.AuthErrorMessage {
	a := &convex.AuthErrorMessage{Error: m.Error}
	if m.BaseVersion != nil {
		v := int(*m.BaseVersion)
		a.BaseVersion = &v
	}
	if m.AuthUpdateAttempted != nil {
		a.AuthUpdateAttempted = *m.AuthUpdateAttempted
	}
	return a
}

// readClose reads, for at most two seconds, the close that follows an
// AuthError or a FatalError.
func (c *Conn) readClose(ctx context.Context, out *convex.Outcome) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	for {
		_, err := c.read(ctx)
		if err == nil {
			continue
		}
		var closed *SessionError
		if errors.As(err, &closed) {
			out.Closed, out.CloseCode, out.CloseReason = true, closed.CloseCode, closed.CloseReason
		}
		return
	}
}

// noVerdict turns a read failure into the error a user reads.
func (c *Conn) noVerdict(ctx context.Context, err error, what string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("the server never answered %s within %s: no Transition, AuthError, FatalError or close arrived (is %s a Convex deployment?)", what, c.opts.Timeout, c.url)
	}
	return err
}

// Subscribe adds one query to the session's query set (ModifyQuerySet with
// an Add) and waits for its first result. A query that ran and failed is a
// *QueryError; the session ending is a *SessionError.
func (c *Conn) Subscribe(ctx context.Context, udfPath string, args map[string]any) (json.RawMessage, *QueryError, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed != nil {
		return nil, nil, &SessionError{CloseCode: c.closed.code, CloseReason: c.closed.reason}
	}
	wireArgs, err := EncodeArgs(args)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	id := c.nextQueryID
	mod := ModifyQuerySet{
		BaseVersion:   c.querySetVersion,
		NewVersion:    c.querySetVersion + 1,
		Modifications: []QuerySetModification{{Type: ModAdd, QueryID: id, UDFPath: udfPath, Args: wireArgs}},
	}
	if err := c.send(ctx, mod); err != nil {
		return nil, nil, err
	}
	c.nextQueryID++
	c.querySetVersion++
	c.sentQuerySet = true
	for {
		m, err := c.read(ctx)
		if err != nil {
			return nil, nil, c.noVerdict(ctx, err, "the query subscription")
		}
		switch m := m.(type) {
		case Transition:
			c.applyTransition(m)
			for _, sm := range m.Modifications {
				if sm.QueryID != id {
					continue
				}
				switch sm.Type {
				case ModQueryUpdated:
					return sm.Value, nil, nil
				case ModQueryFailed:
					return nil, &QueryError{Message: sm.ErrorMessage, Data: sm.ErrorData, LogLines: sm.LogLines}, nil
				}
			}
		case AuthErrorMsg:
			return nil, nil, &SessionError{AuthError: toAuthErrorMessage(m)}
		case FatalError:
			return nil, nil, &SessionError{FatalError: m.Error}
		}
	}
}

func (c *Conn) applyTransition(t Transition) {
	c.server = t.EndVersion
	if t.ClientClockSkew != nil {
		s := *t.ClientClockSkew
		c.clockSkew = &s
	}
}

// Close ends the session with a normal close (1000) and waits briefly for
// the server's answer; a socket the server already closed is just released.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed != nil {
		_ = c.ws.CloseNow()
		return nil
	}
	c.closed = &closeInfo{code: int(websocket.StatusNormalClosure)}
	c.record(true, "Close", `{"code": 1000, "reason": ""}`)
	err := c.ws.Close(websocket.StatusNormalClosure, "")
	if err != nil && websocket.CloseStatus(err) != -1 {
		return nil // the server closed first; that is a closed socket too
	}
	return err
}

// send marshals and writes one message, recording it with the token hidden.
func (c *Conn) send(ctx context.Context, m ClientMessage) error {
	b, err := Encode(m)
	if err != nil {
		return err
	}
	shown := string(b)
	if a, ok := m.(Authenticate); ok && a.TokenType != TokenNone {
		a.Value = fmt.Sprintf("<token: %d bytes>", len(a.Value))
		hb, _ := Encode(a)
		shown = string(hb)
	}
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.markDead(err)
		return fmt.Errorf("sending %s to %s: %w", m.MessageType(), c.url, err)
	}
	c.record(true, m.MessageType(), shown)
	return nil
}

// read returns the next message. A close comes back as a *SessionError
// with the code and reason; garbage as a *ProtocolError.
func (c *Conn) read(ctx context.Context) (ServerMessage, error) {
	if c.closed != nil {
		return nil, &SessionError{CloseCode: c.closed.code, CloseReason: c.closed.reason}
	}
	typ, data, err := c.ws.Read(ctx)
	if err != nil {
		var ce websocket.CloseError
		switch {
		case errors.As(err, &ce):
			c.closed = &closeInfo{code: int(ce.Code), reason: ce.Reason}
		case errors.Is(err, websocket.ErrMessageTooBig):
			c.closed = &closeInfo{code: int(websocket.StatusMessageTooBig)}
			return nil, &ProtocolError{Err: fmt.Errorf("a message was larger than the %d-byte limit", c.opts.MaxMessageBytes)}
		case ctx.Err() != nil:
			c.closed = &closeInfo{code: CloseAbnormal, reason: "no answer before the deadline"}
			return nil, ctx.Err()
		default:
			// The TCP connection ended without a Close frame.
			c.closed = &closeInfo{code: CloseAbnormal}
		}
		c.record(false, "Close", fmt.Sprintf(`{"code":%d,"reason":%q}`, c.closed.code, c.closed.reason))
		return nil, &SessionError{CloseCode: c.closed.code, CloseReason: c.closed.reason}
	}
	if typ != websocket.MessageText {
		c.record(false, "binary", fmt.Sprintf("<%d bytes of binary data>", len(data)))
		return nil, &ProtocolError{Err: fmt.Errorf("a binary frame of %d bytes; the sync protocol uses JSON text frames", len(data))}
	}
	m, err := ParseServerMessage(data)
	if err != nil {
		c.record(false, "invalid", string(data))
		return nil, &ProtocolError{Frame: cut(string(data)), Err: err}
	}
	c.record(false, m.MessageType(), string(data))
	return m, nil
}

func (c *Conn) markDead(err error) {
	if c.closed == nil {
		c.closed = &closeInfo{code: CloseAbnormal, reason: err.Error()}
	}
}

func (c *Conn) record(out bool, typ, text string) {
	c.frames = append(c.frames, convex.Frame{Outgoing: out, Type: typ, JSON: cut(text), At: c.opts.Now()})
}

func cut(s string) string {
	if len(s) <= maxRecordedFrame {
		return s
	}
	return s[:maxRecordedFrame] + fmt.Sprintf("…(%d bytes in all)", len(s))
}

// Probe dials, authenticates with token and closes: the whole of
// reference/convex.md §2.5 in one call. The Outcome is non-nil even on
// error, so the frames seen so far can be shown.
func Probe(ctx context.Context, deploymentURL, token string, opts ClientOptions) (*convex.Outcome, error) {
	c, err := Dial(ctx, deploymentURL, opts)
	if err != nil {
		u, _ := SyncURL(deploymentURL, opts.withDefaults().ClientVersion)
		return &convex.Outcome{URL: u}, err
	}
	out, err := c.Authenticate(ctx, token)
	_ = c.Close()
	return out, err
}
