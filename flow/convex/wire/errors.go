package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// ParseError says why a message could not be read. Msg is worded as serde
// words it on the backend ("missing field `sessionId`", "invalid type:
// string \"1\", expected u32"); Path says where, for humans.
type ParseError struct {
	// Type is the message type, when it was known.
	Type string
	// Path is the dotted field path inside the message ("" for the top).
	Path string
	// Msg is the serde-style reason, without the path.
	Msg string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Type != "" {
		b.WriteString(e.Type)
		b.WriteString(" message")
	} else {
		b.WriteString("message")
	}
	if e.Path != "" {
		b.WriteString(" field ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// SerdeText is the reason as the Rust backend would print it: serde's
// message alone, without the path.
func (e *ParseError) SerdeText() string { return e.Msg }

// BackendErrorText is the part of the backend's `Received Invalid JSON on
// websocket: <e>` message that names the problem: serde_json's syntax error
// with its line and column, or serde's wording of a shape error without
// authscope's field path.
func BackendErrorText(err error) string {
	if pe, ok := err.(*ParseError); ok {
		return pe.SerdeText()
	}
	return err.Error()
}

// inMessage turns a field error from reading a message of type typ into a
// *ParseError; other errors pass through.
func inMessage(typ string, err error) error {
	var fe *strictjson.FieldError
	if errors.As(err, &fe) {
		return &ParseError{Type: typ, Path: fe.Path, Msg: fe.Msg}
	}
	return err
}

// checkFrame applies serde_json's syntax rules to a text frame. A text
// frame is UTF-8 by definition (the backend never sees anything else), so
// invalid UTF-8 is refused before the scanner runs.
func checkFrame(data []byte) error {
	if !utf8.Valid(data) {
		return &strictjson.SyntaxError{Msg: "invalid UTF-8", Line: 1}
	}
	return strictjson.Check(data)
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

// Kind is how the dial failed: NotConvex when an HTTP server answered but
// is no sync endpoint (a web page, or an upgrade that broke the WebSocket
// handshake), else Unreachable.
func (e *DialError) Kind() TransportKind {
	if e.Status == http.StatusSwitchingProtocols || (e.Status >= 200 && e.Status < 300) {
		return NotConvex
	}
	return Unreachable
}

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
	AuthError   *AuthError
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
