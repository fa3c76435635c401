package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// TransportKind names how a connection failed to give a verdict (SPEC.md,
// "When no verdict comes"). None of them says anything about the token:
// the backend either never saw it or never answered.
type TransportKind string

// The kinds of transport failure.
const (
	// Unreachable: no WebSocket was opened (DNS, TCP, TLS, or an HTTP
	// answer that is not an upgrade); the token was not sent.
	Unreachable TransportKind = "unreachable"
	// Dropped: the connection ended without a close frame (a TCP reset,
	// an end of stream, a frame cut short).
	Dropped TransportKind = "dropped"
	// NotConvex: the peer does not speak the sync protocol: a frame that
	// is not a sync message, a binary frame, a WebSocket framing error, or
	// a web page where the sync endpoint should be.
	NotConvex TransportKind = "not-convex"
	// Silent: no verdict arrived before the deadline.
	Silent TransportKind = "silent"
	// Oversize: a frame announced more than the message limit; it was
	// refused at its header and none of it was read.
	Oversize TransportKind = "oversize"
)

// TransportError is a connection that gave no verdict, and why.
type TransportError struct {
	Kind TransportKind
	// Detail says what happened, in the words of whoever found it: the
	// WebSocket library's own for a framing error.
	Detail string
	// Announced and Limit are a refused frame's size and the limit
	// (Oversize); Announced is 0 when no single header announced the size.
	Announced, Limit uint64
	// Waited is how long the client waited (Silent).
	Waited time.Duration
	// Sent is true when the Authenticate frame had been sent.
	Sent bool
	Err  error
}

func (e *TransportError) Error() string {
	switch e.Kind {
	case Dropped:
		return "the connection dropped without a close frame, before any verdict: " + e.Detail
	case NotConvex:
		return "the server does not speak Convex's sync protocol: " + e.Detail
	case Silent:
		return fmt.Sprintf("no verdict within %s: %s", e.Waited, e.Detail)
	case Oversize:
		if e.Announced == 0 {
			return fmt.Sprintf("the server sent a message over the %s limit: refused while reading it", Bytes(e.Limit))
		}
		return fmt.Sprintf("the server announced a frame of %s, over the %s limit: refused at the frame header, none of it read",
			Bytes(e.Announced), Bytes(e.Limit))
	}
	return e.Detail
}

func (e *TransportError) Unwrap() error { return e.Err }

// KindOf returns the transport failure err describes, or "" when err is
// not one (nil, a cancelled context, a message the caller misused).
func KindOf(err error) TransportKind {
	var te *TransportError
	var de *DialError
	switch {
	case errors.As(err, &te):
		return te.Kind
	case errors.As(err, &de):
		return de.Kind()
	}
	return ""
}

// Bytes writes a byte count for people: "512 B", "8 MiB", "4 EiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

// readFailure turns a failed read into the error the caller gets: a
// *SessionError for a close frame (the backend's decision), the context's
// error when the caller's wait ended, else a *TransportError saying how
// the transport failed.
func (c *Conn) readFailure(ctx context.Context, err error) error {
	var ce websocket.CloseError
	var big *frameTooLarge
	switch {
	case errors.As(err, &ce):
		c.closed = &closeInfo{code: int(ce.Code), reason: ce.Reason}
		c.record(false, "Close", fmt.Sprintf(`{"code":%d,"reason":%q}`, c.closed.code, c.closed.reason))
		return &SessionError{CloseCode: c.closed.code, CloseReason: c.closed.reason}
	case errors.As(err, &big):
		c.markDead(err)
		return &TransportError{Kind: Oversize, Announced: big.announced, Limit: big.limit, Err: err}
	case errors.Is(err, websocket.ErrMessageTooBig):
		c.markDead(err)
		limit := uint64(c.opts.MaxMessageBytes)
		// The library counted past the limit itself: no one header
		// announced the size, so none is reported.
		return &TransportError{Kind: Oversize, Limit: limit, Err: err}
	case ctx.Err() != nil:
		c.markDead(ctx.Err())
		return ctx.Err()
	}
	c.markDead(err)
	if dropped(err) {
		return &TransportError{Kind: Dropped, Detail: c.dropDetail(err), Err: err}
	}
	return &TransportError{Kind: NotConvex, Detail: "the WebSocket library refused what it received: " + libraryWords(err), Err: err}
}

// dropped reports whether err is the connection ending (an end of stream,
// a reset, a socket error) rather than a framing error the library found.
func dropped(err error) bool {
	var op *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.As(err, &op)
}

// dropDetail says how the connection ended, with the frame it cut short.
func (c *Conn) dropDetail(err error) string {
	what := "the server ended the TCP connection"
	if errors.Is(err, syscall.ECONNRESET) {
		what = "the connection was reset (TCP RST)"
	} else if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		what = libraryWords(err)
	}
	if c.guard != nil {
		if got, of, ok := c.guard.truncated(); ok {
			what += fmt.Sprintf(", %d bytes into a frame announced as %d bytes (a truncated frame)", got, of)
		}
	}
	return what
}

// writeFailure is a message that could not be written: the connection
// dropped, said the way a failed read says it (a reset is a reset, on
// either side of the exchange).
func (c *Conn) writeFailure(msgType string, err error) *TransportError {
	return &TransportError{Kind: Dropped, Detail: "sending " + msgType + ": " + c.dropDetail(err), Err: err}
}

// libraryWords is the WebSocket library's message without the wrapping
// it adds on the way up ("failed to get reader: …").
func libraryWords(err error) string {
	s := err.Error()
	for _, p := range []string{"failed to get reader: ", "failed to read: ", "failed to read frame header: ", "failed to read frame payload: ",
		"failed to write msg: ", "failed to write frame: ", "failed to flush: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// silent is the error for a wait that ended before what it awaited came.
func (c *Conn) silent(waited time.Duration, awaited string) *TransportError {
	detail := "nothing arrived after the token was sent"
	if n := c.log.received; n > 0 {
		detail = fmt.Sprintf("%d messages arrived (%s), none of them %s", n, c.log.receivedTypes(), awaited)
	}
	return &TransportError{Kind: Silent, Waited: waited, Detail: detail, Sent: true}
}
