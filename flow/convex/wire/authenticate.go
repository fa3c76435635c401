package wire

import (
	"context"
	"errors"
	"time"
)

// Authenticate sends the token as the JS client does — Authenticate{User,
// baseVersion}, and on the first call an empty ModifyQuerySet{0→1} — and
// reads until the verdict (SPEC.md, "Verdict"):
//   - a Transition that bumps the identity to this call's version: Accepted;
//   - an AuthError: Outcome.AuthError, with the backend's exact message;
//   - a FatalError: Outcome.FatalError;
//   - a close frame with no message: Closed, with the code (1005 when the
//     frame had none) and reason.
//
// Pings and unrelated messages are skipped. After an AuthError or a
// FatalError the close that follows is read too (briefly), so CloseCode
// says how the socket ended. The returned Outcome is non-nil whenever the
// token was sent; the error is non-nil when no verdict came: a
// *TransportError says how (the connection dropped without a close frame,
// the server does not speak the protocol, it stayed silent until the
// deadline, or it announced an oversize frame), and a cancelled ctx is
// returned as ctx.Err().
func (c *Conn) Authenticate(ctx context.Context, token string) (*Outcome, error) {
	return c.authenticate(ctx, Authenticate{TokenType: TokenUser, Value: token})
}

// Logout sends Authenticate{None} (what the JS client sends when the token
// fetcher returns null) and reads its verdict like Authenticate.
func (c *Conn) Logout(ctx context.Context) (*Outcome, error) {
	return c.authenticate(ctx, Authenticate{TokenType: TokenNone})
}

func (c *Conn) authenticate(ctx context.Context, msg Authenticate) (*Outcome, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := &Outcome{URL: c.url, ConnectTime: c.connectTime}
	if c.authCalls > 0 {
		c.log = &frameLog{} // the first verdict shows the Connect frame too
	}
	c.authCalls++
	defer func() { out.Frames, out.FramesLeftOut, out.Pings = c.outcomeFrames() }()
	if c.closed != nil {
		return out, ErrConnClosed
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
		// on open, even when empty (SPEC.md, "Versions").
		if err := c.send(ctx, ModifyQuerySet{BaseVersion: 0, NewVersion: 1}); err != nil {
			var te *TransportError
			if errors.As(err, &te) {
				te.Sent = true // Authenticate, before it, was written
			}
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
			return out, c.noVerdict(ctx, err, sent, verdictNoun)
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
		case AuthError:
			out.RoundTrip = time.Since(sent)
			m.Error = cutMessage(m.Error)
			out.AuthError = &m
			out.IdentityVersion = int(c.server.Identity)
			c.readClose(ctx, out)
			return out, nil
		case FatalError:
			out.RoundTrip = time.Since(sent)
			out.FatalError = cutMessage(m.Error)
			c.readClose(ctx, out)
			return out, nil
		}
	}
}

// readClose reads, for at most two seconds, the close that follows an
// AuthError or a FatalError.
func (c *Conn) readClose(ctx context.Context, out *Outcome) {
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

// ErrConnClosed is Authenticate on a connection that has closed: dial
// again, as the client reconnects.
var ErrConnClosed = errors.New("the connection is already closed; dial again")

// verdictNoun is what Authenticate waits for.
const verdictNoun = "a Transition that confirms the token, an AuthError, a FatalError or a close"

// noVerdict turns a failure to read a verdict into the error the caller
// gets: a deadline that passed is a silent server; a cancelled context
// stays itself; the others are already *TransportErrors. The token had
// been sent.
func (c *Conn) noVerdict(ctx context.Context, err error, since time.Time, awaited string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && errors.Is(err, context.DeadlineExceeded) {
		return c.silent(time.Since(since).Round(100*time.Millisecond), awaited)
	}
	var te *TransportError
	if errors.As(err, &te) {
		te.Sent = true
	}
	return err
}

// outcomeFrames is the current exchange's log, for an Outcome.
func (c *Conn) outcomeFrames() ([]Frame, *FrameGap, int) {
	f, gap := c.log.frames()
	return f, gap, c.log.pings
}
