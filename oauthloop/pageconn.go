package oauthloop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// pageConn is the page's side of the page protocol over HTTP: what
// page.js's post() does, through the same Go types the server decodes.
// HTTPBrowser uses it, and so do the tests.
type pageConn struct {
	hc     *http.Client
	origin string // http://127.0.0.1:<port>
	path   string // the landing path
	state  string
	secret string
}

// Bounds of the page side: one answer is small; a request that takes
// longer than this (beyond the poll hold) is stuck.
const (
	maxReplyBytes  = 64 << 10
	requestTimeout = 15 * time.Second
	pollTimeout    = defaultPollHold + 15*time.Second
)

// RefusedError is a loopback answer other than 200, with the server's
// message (it never repeats the secret or state).
type RefusedError struct {
	Status  int
	Message string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the loopback refused the request (%d %s): %s", e.Status, http.StatusText(e.Status), e.Message)
}

// parseLanding splits a landing URL into what the page reads from it: the
// origin, the state (query) and the secret (fragment).
func parseLanding(hc *http.Client, landing string) (*pageConn, error) {
	u, err := url.Parse(landing)
	if err != nil {
		return nil, fmt.Errorf("the landing URL does not parse: %v", err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("the landing URL is not an http://host URL")
	}
	frag, err := url.ParseQuery(u.Fragment)
	if err != nil {
		return nil, fmt.Errorf("the landing URL's fragment does not parse: %v", err)
	}
	c := &pageConn{
		hc:     hc,
		origin: u.Scheme + "://" + u.Host,
		path:   u.Path,
		state:  u.Query().Get(ParamState),
		secret: frag.Get(ParamSecret),
	}
	if c.state == "" || c.secret == "" {
		return nil, errors.New("the landing URL lacks its state or its secret: use the whole URL authscope printed")
	}
	return c, nil
}

// pageURL is the landing URL without the fragment: what the address bar
// shows once the page has removed the secret, and what Clerk gets as the
// redirect URL.
func (c *pageConn) pageURL() string {
	return c.origin + c.path + "?" + url.Values{ParamState: {c.state}}.Encode()
}

// post sends msg as page.js does (same headers, same JSON) and decodes the
// 200 answer into out.
func (c *pageConn) post(ctx context.Context, path string, msg, out any, timeout time.Duration) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.origin+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(HeaderSecret, c.secret)
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("posting to the loopback %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		return fmt.Errorf("reading the loopback's answer to %s: %w", path, err)
	}
	if len(b) > maxReplyBytes {
		return fmt.Errorf("the loopback's answer to %s is larger than %d bytes", path, maxReplyBytes)
	}
	if resp.StatusCode != http.StatusOK {
		var r Reply
		_ = json.Unmarshal(b, &r)
		return &RefusedError{Status: resp.StatusCode, Message: r.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("the loopback's answer to %s is not JSON: %v", path, err)
	}
	return nil
}

// event posts a step report. A 409 (already reported) is not an error, as
// in page.js.
func (c *pageConn) event(ctx context.Context, ev Event) error {
	ev.State = c.state
	err := c.post(ctx, PathEvent, ev, nil, requestTimeout)
	var refused *RefusedError
	if errors.As(err, &refused) && refused.Status == http.StatusConflict {
		return nil
	}
	return err
}

// token posts a token report; a 409 is not an error, as in page.js.
func (c *pageConn) token(ctx context.Context, tr TokenReport) error {
	tr.State = c.state
	err := c.post(ctx, PathToken, tr, nil, requestTimeout)
	var refused *RefusedError
	if errors.As(err, &refused) && refused.Status == http.StatusConflict {
		return nil
	}
	return err
}

// poll asks for the next command.
func (c *pageConn) poll(ctx context.Context, after, seen int) (Command, error) {
	var cmd Command
	err := c.post(ctx, PathCommand, PollRequest{State: c.state, After: after, Seen: seen}, &cmd, pollTimeout)
	return cmd, err
}

// leave posts the page's word that it is going away, as page.js does from
// pagehide.
func (c *pageConn) leave(ctx context.Context) error {
	return c.post(ctx, PathLeave, Leave{State: c.state}, nil, requestTimeout)
}
