package wire

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Authenticate sends the token as the JS client does — Authenticate{User,
// baseVersion}, and on the first call an empty ModifyQuerySet{0→1} — and
// reads until the verdict (SPEC.md, "Verdict"):
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
	first := c.authCalls == 0
	c.authCalls++
	from := len(c.frames)
	if first {
		from = 0 // the first verdict shows the Connect frame too
	}
	defer func() { out.Frames = append([]Frame(nil), c.frames[from:]...) }()
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
		// on open, even when empty (SPEC.md, "Versions").
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
		case AuthError:
			out.RoundTrip = time.Since(sent)
			out.AuthError = &m
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

// noVerdict turns a read failure into the error a user reads.
func (c *Conn) noVerdict(ctx context.Context, err error, what string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("the server never answered %s within %s: no Transition, AuthError, FatalError or close arrived (is %s a Convex deployment?)", what, c.opts.Timeout, c.url)
	}
	return err
}
