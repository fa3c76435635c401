package wire

import (
	"bytes"
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
// AuthError or a FatalError (SPEC.md, "How a session ends").
const CloseNoStatus = 1005

// CloseAbnormal is what a browser reports when the connection ends without
// a Close frame (RFC 6455 §7.1.5).
const CloseAbnormal = 1006

// closeWait bounds the close handshake: a peer that does not answer a
// close frame is not waited for (the library would wait up to 10 s).
const closeWait = time.Second

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

	// guard reads the server's frame headers under the library.
	guard *frameGuard
	// buf holds the message being read.
	buf bytes.Buffer

	mu sync.Mutex
	// log holds the current exchange's frames: from Connect to the first
	// verdict, then from each later Authenticate to its verdict.
	log *frameLog
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
	hc, gt := guarded(opts.HTTPClient, uint64(opts.MaxMessageBytes))
	ws, resp, err := websocket.Dial(dctx, u, &websocket.DialOptions{HTTPClient: hc})
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
	c := &Conn{ws: ws, url: u, opts: opts, connectTime: time.Since(start), guard: gt.last(), log: &frameLog{}}
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

// Frames returns the frames the current exchange kept (see frameLog), in
// both directions, with tokens replaced by a placeholder.
func (c *Conn) Frames() []Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, _ := c.log.frames()
	return f
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
	sent := time.Now()
	for {
		m, err := c.read(ctx)
		if err != nil {
			return nil, nil, c.noVerdict(ctx, err, sent, "the query's first result")
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
		case AuthError:
			return nil, nil, &SessionError{AuthError: &m}
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
	done := make(chan error, 1)
	go func() { done <- c.ws.Close(websocket.StatusNormalClosure, "") }()
	select {
	case err := <-done:
		if err != nil && websocket.CloseStatus(err) != -1 {
			return nil // the server closed first; that is a closed socket too
		}
		return err
	case <-time.After(closeWait):
		return c.ws.CloseNow()
	}
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
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return c.writeFailure(m.MessageType(), err)
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
	typ, data, err := c.readMessage(ctx)
	if err != nil {
		return nil, c.readFailure(ctx, err)
	}
	if typ == websocket.MessageText && bytes.Equal(data, pingFrame) {
		// The backend's heartbeat, as it writes it: counted, not parsed,
		// nothing allocated, however many a server sends.
		c.log.add(Frame{Type: TypePing})
		return Ping{}, nil
	}
	data = bytes.Clone(data) // the buffer is reused; a message may keep parts of it
	if typ != websocket.MessageText {
		c.record(false, "binary", fmt.Sprintf("<%d bytes of binary data>", len(data)))
		c.markDead(errors.New("a binary frame"))
		pe := &ProtocolError{Err: fmt.Errorf("a binary frame of %d bytes; the sync protocol uses JSON text frames", len(data))}
		return nil, &TransportError{Kind: NotConvex, Detail: pe.Err.Error(), Err: pe}
	}
	m, err := ParseServerMessage(data)
	if err != nil {
		c.record(false, "invalid", string(data))
		c.markDead(err)
		pe := &ProtocolError{Frame: cut(string(data)), Err: err}
		return nil, &TransportError{Kind: NotConvex, Detail: "a frame that is not a sync-protocol message: " + err.Error(), Err: pe}
	}
	c.record(false, m.MessageType(), string(data))
	return m, nil
}

// pingFrame is the Ping the backend sends (SPEC.md, "Server messages").
var pingFrame = []byte(`{"type":"Ping"}`)

// maxKeptBuffer is the read buffer kept between messages; a larger one
// (a big Transition) is let go after its message.
const maxKeptBuffer = 64 << 10

// readMessage reads one whole message into the connection's buffer.
func (c *Conn) readMessage(ctx context.Context) (websocket.MessageType, []byte, error) {
	typ, r, err := c.ws.Reader(ctx)
	if err != nil {
		return 0, nil, err
	}
	if c.buf.Cap() > maxKeptBuffer {
		c.buf = bytes.Buffer{}
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return 0, nil, err
	}
	return typ, c.buf.Bytes(), nil
}

// markDead notes that the socket is unusable: later calls fail fast and
// Close does not attempt a handshake.
func (c *Conn) markDead(err error) {
	if c.closed == nil {
		c.closed = &closeInfo{code: CloseAbnormal, reason: err.Error()}
	}
}

func (c *Conn) record(out bool, typ, text string) {
	c.log.add(Frame{Outgoing: out, Type: typ, JSON: text, At: c.opts.Now()})
}

// Probe dials, authenticates with token and closes: the whole probe of
// SPEC.md ("Verdict") in one call. The Outcome is non-nil even on
// error, so the frames seen so far can be shown.
func Probe(ctx context.Context, deploymentURL, token string, opts ClientOptions) (*Outcome, error) {
	c, err := Dial(ctx, deploymentURL, opts)
	if err != nil {
		u, _ := SyncURL(deploymentURL, opts.withDefaults().ClientVersion)
		return &Outcome{URL: u}, err
	}
	out, err := c.Authenticate(ctx, token)
	_ = c.Close()
	return out, err
}
