package clerk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// createDevBrowser is POST /v1/dev_browser: a new dev browser replaces the
// current one (SPEC.md "Dev browser").
func (c *FAPIClient) createDevBrowser(ctx context.Context) error {
	c.setDevBrowser("")
	var db DevBrowserJSON
	if err := c.call(ctx, http.MethodPost, PathDevBrowser, nil, false, false, &db); err != nil {
		return fmt.Errorf("clerk: creating a dev browser: %w", err)
	}
	if db.ID == "" {
		return errors.New("clerk: the dev_browser answer has no id")
	}
	c.setDevBrowser(db.ID)
	return nil
}

// setDevBrowser switches to another dev browser; its tokens are not the
// old one's, so the cache is emptied.
func (c *FAPIClient) setDevBrowser(id string) {
	c.mu.Lock()
	if id != c.devBrowser {
		c.cache = map[string]cachedToken{}
	}
	c.devBrowser = id
	c.mu.Unlock()
}

// getJSON is call with ClerkJS's retry on a stale dev browser: a 401
// dev_browser_unauthenticated makes a new dev browser and tries once more.
func (c *FAPIClient) getJSON(ctx context.Context, method, path string, form url.Values, skipCache bool, out any) error {
	err := c.call(ctx, method, path, form, skipCache, true, out)
	var apiErr *APIResponseError
	if c.isDev && errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized && apiErr.HasCode(CodeDevBrowserUnauthenticated) {
		if err := c.createDevBrowser(ctx); err != nil {
			return err
		}
		return c.call(ctx, method, path, form, skipCache, true, out)
	}
	return err
}

// call makes one request with a deadline and a size cap.
func (c *FAPIClient) call(ctx context.Context, method, path string, form url.Values, skipCache, withDB bool, out any) error {
	u, err := url.Parse(c.base + path)
	if err != nil || u.Host == "" {
		return fmt.Errorf("clerk: the Frontend API URL %q is not an absolute URL", c.base)
	}
	q := url.Values{APIVersionParam: {APIVersion}, JSVersionParam: {ScriptVersion}}
	wire := method
	if method != http.MethodGet && method != http.MethodPost {
		q.Set(MethodParam, method)
		wire = http.MethodPost
	}
	if skipCache {
		q.Set(SkipCacheParam, SkipCacheValue)
	}
	if db := c.DevBrowser(); withDB && c.isDev && db != "" {
		q.Set(DevBrowserParam, db)
	}
	u.RawQuery = q.Encode()
	shown := c.base + path // for errors: no dev-browser value

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if wire == http.MethodPost {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, wire, u.String(), body)
	if err != nil {
		return fmt.Errorf("clerk: building the request for %s: %w", shown, err)
	}
	req.Header.Set("Accept", "application/json")
	if wire == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("clerk: %s %s: %w", wire, shown, redactErr(err, c.DevBrowser()))
	}
	defer res.Body.Close()
	b, err := readCapped(res.Body, c.maxResponse())
	if err != nil {
		return fmt.Errorf("clerk: reading the answer of %s: %w", shown, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		eb := parseErrorBody(b)
		return &APIResponseError{Status: res.StatusCode, Errors: eb.Errors, TraceID: eb.ClerkTraceID, Body: string(b), URL: shown}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("clerk: the answer of %s is not the expected JSON: %w", shown, err)
		}
	}
	return nil
}

func (c *FAPIClient) maxResponse() int64 {
	if c.MaxResponse > 0 {
		return c.MaxResponse
	}
	return DefaultMaxResponse
}

// readCapped reads at most max bytes and fails if there is more.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("the answer is larger than %d bytes", max)
	}
	return b, nil
}

// redactErr keeps a dev-browser id out of a transport error's text (url.Error
// quotes the full URL).
func redactErr(err error, db string) error {
	if db == "" || !strings.Contains(err.Error(), db) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), db, "…"))
}
