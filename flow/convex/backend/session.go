package backend

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
)

// closeGrace is how long a session waits for the client to answer its
// Close frame before dropping the TCP connection.
const closeGrace = 2 * time.Second

// writeTimeout bounds one message write.
const writeTimeout = 10 * time.Second

// session is one sync socket: a reader goroutine that parses frames and a
// worker (the run goroutine) that handles them in order, as the backend's
// receive_messages and SyncWorker do.
type session struct {
	b       *Backend
	ws      *websocket.Conn
	netConn net.Conn

	// ctx ends when the session ends; it cancels a validation in flight.
	ctx    context.Context
	cancel context.CancelFunc

	writeMu      sync.Mutex
	lastSent     atomic.Int64 // unix nanos of the last message sent
	lastReceived atomic.Int64 // unix nanos of the last message or Pong received

	endOnce sync.Once
	end     *ending

	readerDone chan struct{}

	// Worker state: only the run goroutine touches it.
	receivedIdentity uint32 // Authenticate messages accepted (received_client_version.identity)
	receivedQuerySet uint32 // received_client_version.query_set
	current          wire.StateVersion
	identity         *sessionIdentity
	pendingIdentity  *sessionIdentity
	identityPending  bool
	pendingMods      []wire.QuerySetModification
	queries          map[uint32]*query
	clockSkew        *float64
	updateScheduled  bool
}

// sessionIdentity is a validated identity and when it expires.
type sessionIdentity struct {
	identity *rules.Identity
	exp      time.Time // zero: no expiry
}

type query struct {
	udfPath string
	args    json.RawMessage
	hash    [32]byte
	ran     bool
}

// ending is why a session ends: an optional last message, then a close.
type ending struct {
	message wire.ServerMessage
	// code is the close code; websocket.StatusNoStatusRcvd means a Close
	// frame with no payload at all.
	code   websocket.StatusCode
	reason string
	// clientGone: the client closed or vanished; nothing more to send.
	clientGone bool
	// closeSent: the library already sent a Close frame (message too big).
	closeSent bool
}

func (e *ending) Error() string {
	return fmt.Sprintf("session ended: close %d %q", e.code, e.reason)
}

// Ways a session ends (SPEC.md, "Errors and how they reach the client").
func authUpdateFailed(msg string, baseVersion uint32, attempted bool) *ending {
	return &ending{message: wire.AuthError{Error: msg, BaseVersion: &baseVersion, AuthUpdateAttempted: &attempted}, code: websocket.StatusNoStatusRcvd}
}

func fatal(msg string) *ending {
	return &ending{message: wire.FatalError{Error: msg}, code: websocket.StatusNoStatusRcvd}
}

func closeWith(code websocket.StatusCode, shortCode string) *ending {
	if len(shortCode) > 123 {
		// RFC 6455 leaves 123 bytes for the reason; the backend truncates.
		shortCode = shortCode[:123]
	}
	return &ending{code: code, reason: shortCode}
}

// internalError is an error without ErrorMetadata: 1011 InternalServerError.
func internalError() *ending { return closeWith(websocket.StatusInternalError, "InternalServerError") }

func newSession(b *Backend, ws *websocket.Conn, netConn net.Conn) *session {
	ctx, cancel := context.WithCancel(context.Background())
	return &session{b: b, ws: ws, netConn: netConn, ctx: ctx, cancel: cancel,
		readerDone: make(chan struct{}), queries: map[uint32]*query{}}
}

// stop records the first reason the session ends and wakes everything up.
func (s *session) stop(e *ending) {
	s.endOnce.Do(func() {
		s.end = e
		s.cancel()
	})
}

// kill drops the connection at once (Backend.Close).
func (s *session) kill() {
	s.stop(&ending{clientGone: true})
	if s.netConn != nil {
		_ = s.netConn.Close()
	}
	_ = s.ws.CloseNow()
}

func (s *session) run() {
	// The library's own limit would answer 1009; its close frame is what a
	// client sees for an oversized message here (the backend's own limit
	// is tungstenite's, far larger).
	s.ws.SetReadLimit(s.b.maxMessage)
	s.lastSent.Store(time.Now().UnixNano())
	s.lastReceived.Store(time.Now().UnixNano())
	msgs := make(chan wire.ClientMessage, 64)
	go s.readLoop(msgs)
	go s.pingLoop()
	go s.keepalive()
	s.work(msgs)
	s.finish()
}

// readLoop parses frames and queues them for the worker. Invalid JSON ends
// the session even while the worker is busy, as in the backend.
func (s *session) readLoop(msgs chan<- wire.ClientMessage) {
	defer close(s.readerDone)
	defer close(msgs)
	for {
		typ, data, err := s.ws.Read(context.Background())
		s.lastReceived.Store(time.Now().UnixNano())
		if err != nil {
			if errors.Is(err, websocket.ErrMessageTooBig) {
				s.stop(&ending{closeSent: true, code: websocket.StatusMessageTooBig})
				return
			}
			s.stop(&ending{clientGone: true})
			return
		}
		if typ != websocket.MessageText || !utf8.Valid(data) {
			// "Unexpected message type" and tungstenite's UTF-8 error carry
			// no metadata.
			s.stop(internalError())
			return
		}
		m, err := wire.ParseClientMessage(data)
		if err != nil {
			s.stop(fatal("Received Invalid JSON on websocket: " + wire.BackendErrorText(err)))
			return
		}
		select {
		case msgs <- m:
		case <-s.ctx.Done():
			return
		}
	}
}

// pingLoop sends {"type": "Ping"} after an interval without other messages.
func (s *session) pingLoop() {
	interval := s.b.pingInterval
	t := time.NewTimer(interval)
	defer t.Stop()
	s.onTicks(t.C, func() bool {
		idle := time.Since(time.Unix(0, s.lastSent.Load()))
		if idle >= interval {
			s.send(wire.Ping{})
			idle = 0
		}
		t.Reset(interval - idle)
		return true
	})
}

// keepalive sends protocol Pings and ends a session whose client has sent
// nothing, not even a Pong, for clientTimeout. The Pong is read by readLoop.
func (s *session) keepalive() {
	t := time.NewTicker(s.b.wsPingInterval)
	defer t.Stop()
	s.onTicks(t.C, func() bool {
		if time.Since(time.Unix(0, s.lastReceived.Load())) > s.b.clientTimeout {
			// ErrorMetadata::client_disconnect: close 1000 ClientDisconnected.
			s.stop(closeWith(websocket.StatusNormalClosure, "ClientDisconnected"))
			return false
		}
		go func() {
			ctx, cancel := context.WithTimeout(s.ctx, s.b.clientTimeout)
			defer cancel()
			if s.ws.Ping(ctx) == nil {
				s.lastReceived.Store(time.Now().UnixNano())
			}
		}()
		return true
	})
}

// onTicks calls fn at each tick until the session ends or fn returns false.
func (s *session) onTicks(ticks <-chan time.Time, fn func() bool) {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-ticks:
			if !fn() {
				return
			}
		}
	}
}

// send writes one message; a failed write means the client is gone.
func (s *session) send(m wire.ServerMessage) {
	b, err := wire.Encode(m)
	if err != nil {
		s.stop(internalError())
		return
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := s.ws.Write(ctx, websocket.MessageText, b); err != nil {
		s.stop(&ending{clientGone: true})
		return
	}
	s.lastSent.Store(time.Now().UnixNano())
}

func (s *session) work(msgs <-chan wire.ClientMessage) {
	for {
		select {
		case <-s.ctx.Done():
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			if err := s.handle(m); err != nil {
				s.stop(err)
				return
			}
			if s.ctx.Err() != nil {
				return
			}
			if s.updateScheduled {
				s.updateScheduled = false
				if err := s.update(); err != nil {
					s.stop(err)
					return
				}
			}
		}
	}
}

// finish sends the last message and the Close frame the ending calls for,
// then closes the TCP connection first, as RFC 6455 §7.1.1 asks of servers.
func (s *session) finish() {
	s.stop(&ending{clientGone: true}) // no-op if an ending is recorded
	e := s.end
	defer func() {
		if s.netConn != nil {
			_ = s.netConn.Close()
		}
		_ = s.ws.CloseNow()
	}()
	if e.clientGone {
		return
	}
	if e.message != nil {
		s.send(e.message)
	}
	// Close sends the Close frame (after an oversized message the library
	// has sent it already) and waits for the client's answer, draining what
	// the client is still sending, so the client reads the close instead of
	// a connection reset. While the reader runs, the answer reaches the
	// reader and its exit says so; once it has stopped, Close reads it.
	readerRunning := true
	select {
	case <-s.readerDone:
		readerRunning = false
	default:
	}
	closed := make(chan struct{})
	go func() {
		// With StatusNoStatusRcvd the library sends a Close frame with an
		// empty payload: the peer reports 1005, as after the backend's
		// Message::Close(None).
		_ = s.ws.Close(e.code, e.reason)
		close(closed)
	}()
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	var answered <-chan struct{}
	if readerRunning {
		answered = s.readerDone
	}
	select {
	case <-closed:
	case <-answered:
	case <-t.C:
	}
}

// handle runs one client message (SyncWorker::handle_message).
func (s *session) handle(m wire.ClientMessage) *ending {
	switch m := m.(type) {
	case wire.Connect:
		if m.ClientTS != nil {
			skew := float64(*m.ClientTS - s.b.now().UnixMilli())
			s.clockSkew = &skew
		}
		if m.MaxObservedTimestamp != nil && *m.MaxObservedTimestamp > s.b.latestTS() {
			// "Client has observed a timestamp … ahead of the backend
			// latest known timestamp": an anyhow error, so internal.
			return internalError()
		}
	case wire.Authenticate:
		ident, err := s.authenticate(m)
		if err != nil {
			return err
		}
		if s.ctx.Err() != nil {
			return nil
		}
		// modify_identity: anyhow::ensure!(current == base_version).
		if m.BaseVersion != s.receivedIdentity {
			return internalError()
		}
		s.pendingIdentity, s.identityPending = ident, true
		s.receivedIdentity++
		s.updateScheduled = true
	case wire.ModifyQuerySet:
		if m.BaseVersion != s.receivedQuerySet {
			return fatal(fmt.Sprintf("Base version %d passed up doesn't match the current version %d", m.BaseVersion, s.receivedQuerySet))
		}
		if m.BaseVersion >= m.NewVersion {
			return internalError()
		}
		s.pendingMods = append(s.pendingMods, m.Modifications...)
		s.receivedQuerySet = m.NewVersion
		s.updateScheduled = true
	case wire.Mutation:
		return s.runMissing(wire.MutationResponse{RequestID: m.RequestID, Result: notFound(m.UDFPath)})
	case wire.Action:
		return s.runAction(m)
	case wire.Event:
		// Metrics only.
	}
	return nil
}

// runMissing answers a Mutation or an Action: no such function exists
// here, so the answer is the failure the backend gives a missing function,
// once the session's identity has been checked as for any function call.
func (s *session) runMissing(answer wire.ServerMessage) *ending {
	if _, err := s.currentIdentity(); err != nil {
		return err
	}
	s.send(answer)
	s.updateScheduled = true
	return nil
}

// notFoundMsg is the backend's message for a function that does not
// exist; notFound is it as a JSON string.
func notFoundMsg(udfPath string) string {
	return fmt.Sprintf("Could not find public function for '%s'. Did you forget to run `npx convex dev` or `npx convex deploy`?", udfPath)
}

func notFound(udfPath string) json.RawMessage {
	b, _ := json.Marshal(notFoundMsg(udfPath))
	return b
}

// authenticate validates an Authenticate's token (Application::authenticate)
// and maps a failure to what the client sees (SPEC.md, "Errors and how
// they reach the client").
func (s *session) authenticate(m wire.Authenticate) (*sessionIdentity, *ending) {
	switch m.TokenType {
	case wire.TokenNone:
		return nil, nil
	case wire.TokenAdmin:
		// No admin keys exist here, so every key is invalid.
		return nil, authUpdateFailed("The provided admin key was invalid for this instance", s.current.Identity, true)
	}
	res := s.b.validate(s.ctx, m.Value)
	if s.ctx.Err() != nil {
		return nil, nil // the session is ending; the validation was cut short
	}
	if res == nil {
		return nil, internalError()
	}
	if res.Err != nil {
		return nil, s.authFailure(res.Err)
	}
	ident := &sessionIdentity{identity: res.Identity}
	if exp, ok := tokenExpiry(m.Value); ok {
		ident.exp = exp
	}
	return ident, nil
}

// authFailure maps a validation error's class to the client's view: the
// Authenticate handler re-tags Unauthenticated, Forbidden and BadRequest as
// AuthUpdateFailed (AuthError, then a Close without status); the other
// classes only close, with the short code as the reason, and the code
// ErrorMetadata::close_frame gives them (crates/errors/src/lib.rs):
// Normal for NotFound; Again (1013) for Overloaded, RateLimited and
// MisdirectedRequest; an error without metadata is 1011.
func (s *session) authFailure(e *rules.AuthError) *ending {
	switch e.Class {
	case rules.ClassUnauthenticated, rules.ClassForbidden, rules.ClassBadRequest:
		return authUpdateFailed(e.Message, s.current.Identity, true)
	case rules.ClassNotFound:
		return closeWith(websocket.StatusNormalClosure, e.Code)
	case rules.ClassOverloaded, rules.ClassRateLimited, rules.ClassMisdirected:
		return closeWith(websocket.StatusTryAgainLater, e.Code)
	default:
		return internalError()
	}
}

// tokenExpiry reads exp from a token the validator accepted.
func tokenExpiry(token string) (time.Time, bool) {
	d, err := jose.Decode(token)
	if err != nil {
		return time.Time{}, false
	}
	return d.Time("exp")
}

// currentIdentity is SyncState::identity: the pending identity if any,
// and for a user token an expiry check with no leeway (SPEC.md, "Identity
// expiry").
func (s *session) currentIdentity() (*sessionIdentity, *ending) {
	ident := s.identity
	if s.identityPending {
		ident = s.pendingIdentity
	}
	if ident != nil && !ident.exp.IsZero() && !s.b.now().Before(ident.exp) {
		return nil, authUpdateFailed(rules.MsgIdentityExpired, s.current.Identity, false)
	}
	return ident, nil
}

// update computes and sends the next Transition (begin/finish_update_queries).
func (s *session) update() *ending {
	ident, err := s.currentIdentity()
	if err != nil {
		return err
	}
	identityChanged := s.identityPending
	if identityChanged {
		s.identity, s.pendingIdentity, s.identityPending = ident, nil, false
	}
	out := map[uint32]wire.StateModification{}
	var fresh []uint32
	for _, m := range s.pendingMods {
		switch m.Type {
		case wire.ModAdd:
			if _, dup := s.queries[m.QueryID]; dup {
				return internalError() // "Duplicate query ID"
			}
			s.queries[m.QueryID] = &query{udfPath: m.UDFPath, args: m.Args}
			fresh = append(fresh, m.QueryID)
		case wire.ModRemove:
			if _, ok := s.queries[m.QueryID]; !ok {
				return internalError() // "Nonexistent query id"
			}
			delete(s.queries, m.QueryID)
			out[m.QueryID] = wire.StateModification{Type: wire.ModQueryRemoved, QueryID: m.QueryID}
		}
	}
	s.pendingMods = nil
	run := fresh
	if identityChanged {
		// An identity change re-runs every query (SPEC.md, "Queries").
		run = run[:0:0]
		for id := range s.queries {
			run = append(run, id)
		}
	}
	for _, id := range run {
		q, ok := s.queries[id]
		if !ok {
			continue // added and removed in the same batch
		}
		mod := s.runQuery(id, q, ident)
		h := sha256.Sum256([]byte(mod.Type + "\x00" + mod.ErrorMessage + "\x00" + string(mod.Value)))
		if q.ran && h == q.hash {
			continue // same result: nothing to send
		}
		q.ran, q.hash = true, h
		out[id] = mod
	}
	ts := s.b.nextTS()
	serverTS := int64(ts)
	end := wire.StateVersion{QuerySet: s.receivedQuerySet, Identity: s.receivedIdentity, TS: ts}
	t := wire.Transition{StartVersion: s.current, EndVersion: end, ClientClockSkew: s.clockSkew, ServerTS: &serverTS}
	ids := make([]uint32, 0, len(out))
	for id := range out {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		t.Modifications = append(t.Modifications, out[id])
	}
	s.current = end
	s.send(t)
	return nil
}

// runQuery runs one registered query with the session's identity.
func (s *session) runQuery(id uint32, q *query, ident *sessionIdentity) wire.StateModification {
	failed := func(msg string) wire.StateModification {
		return wire.StateModification{Type: wire.ModQueryFailed, QueryID: id, ErrorMessage: msg}
	}
	fn, ok := s.b.queries[q.udfPath]
	if !ok {
		return failed(notFoundMsg(q.udfPath))
	}
	args, err := singleArgsObject(q.args)
	if err != nil {
		return failed(err.Error())
	}
	var identity *rules.Identity
	if ident != nil {
		identity = ident.identity
	}
	v, err := callQuery(fn, identity, args)
	if err != nil {
		return failed("Uncaught Error: " + err.Error())
	}
	if !json.Valid(v) {
		return failed("Uncaught Error: the query returned invalid JSON")
	}
	return wire.StateModification{Type: wire.ModQueryUpdated, QueryID: id, Value: v}
}

// callQuery runs a query function, turning a panic into a query failure so
// a broken registered query cannot take the backend down.
func callQuery(fn QueryFunc, identity *rules.Identity, args json.RawMessage) (v json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fn(identity, args)
}

// singleArgsObject unwraps the wire's one-element args array.
func singleArgsObject(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return json.RawMessage(`{}`), nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil || len(arr) != 1 {
		return nil, errors.New("Invalid arguments: expected an array holding one arguments object")
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(arr[0], &obj) != nil || obj == nil {
		return nil, errors.New("Invalid arguments: the arguments must be an object")
	}
	return arr[0], nil
}
