package clerk

import "time"

// The token cache of FAPIClient follows ClerkJS's read rule (SPEC.md
// "Token cache refresh timing"): one entry per session and template,
// hydrated from last_active_token, and a read within PollerInterval of
// exp is a miss. FAPIClient has no timers, so it never refreshes in the
// background.

type cachedToken struct {
	jwt string
	exp int64
}

func cacheKey(sid, template string) string { return sid + "-" + template }

func (c *FAPIClient) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *FAPIClient) cacheSet(sid, template, jwt string) {
	claims := jwtClaims(jwt)
	exp, ok := claims["exp"].(float64)
	_, hasIat := claims["iat"].(float64)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok || !hasIat {
		delete(c.cache, cacheKey(sid, template)) // ClerkJS does not cache a token without exp/iat
		return
	}
	c.cache[cacheKey(sid, template)] = cachedToken{jwt: jwt, exp: int64(exp)}
}

func (c *FAPIClient) cacheGet(sid, template string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.cache[cacheKey(sid, template)]
	if !ok {
		return "", false
	}
	remaining := time.Unix(t.exp, 0).Sub(c.now())
	if remaining <= PollerInterval {
		delete(c.cache, cacheKey(sid, template))
		return "", false
	}
	return t.jwt, true
}

func (c *FAPIClient) cacheDrop(sid, template string) {
	c.mu.Lock()
	delete(c.cache, cacheKey(sid, template))
	c.mu.Unlock()
}

func (c *FAPIClient) clearCache() {
	c.mu.Lock()
	c.cache = map[string]cachedToken{}
	c.mu.Unlock()
}
