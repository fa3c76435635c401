package convex

import (
	"sync"
)

// tokenCache keeps what parsing a token yields — its step-1 claims, its
// OIDC structural parse and its identity preview — so a token validated
// again (every reconnect, every HTTP call, the replay beside the real
// backend) is not parsed again. Only parsing is cached: every validation
// still fetches through the Fetcher, selects the key, verifies the
// signature and checks the time, so verdicts never come from the cache.
//
// Tokens are bearer credentials; they stay in memory only, in at most
// tokenCacheMax entries, and go when the Validator goes.
type tokenCache struct {
	mu      sync.RWMutex
	entries map[string]*tokenEntry
}

const (
	tokenCacheMax = 64
	// tokenCacheMaxLen leaves huge tokens out of the cache.
	tokenCacheMaxLen = 16 << 10
)

// tokenEntry's fields are filled once each, under mu.
type tokenEntry struct {
	mu sync.Mutex

	payloadDone bool
	pc          *payloadClaims
	perr        *payloadError

	oidcDone bool
	oidc     *oidcToken
	oidcErr  error

	identity *Identity

	// memo keeps trace strings that depend only on the token.
	memo    [memoCount]string
	memoSet uint32
}

// Token-derived trace strings kept in tokenEntry.memo.
const (
	memoDiscoveryURL = iota
	memoAudList
	memoKeyWant
	memoIssURL // "" when iss parses as an absolute URL, else the error
	memoTyp    // the normalized typ header, "" if it does not normalize
	memoCount
)

// memoized returns f() computed once per token.
func (e *tokenEntry) memoized(i int, f func() string) string {
	if e == nil {
		return f()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.memoSet&(1<<i) == 0 {
		e.memo[i] = f()
		e.memoSet |= 1 << i
	}
	return e.memo[i]
}

func newTokenCache() *tokenCache { return &tokenCache{entries: map[string]*tokenEntry{}} }

// entry returns the token's entry, creating it; nil for tokens too long to keep.
func (c *tokenCache) entry(token string) *tokenEntry {
	if len(token) > tokenCacheMaxLen {
		return nil
	}
	c.mu.RLock()
	e, ok := c.entries[token]
	c.mu.RUnlock()
	if ok {
		return e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[token]; ok {
		return e
	}
	if len(c.entries) >= tokenCacheMax {
		clear(c.entries)
	}
	e = &tokenEntry{}
	c.entries[token] = e
	return e
}

// payload is parseTokenPayload, once per token.
func (e *tokenEntry) payload(token string) (*payloadClaims, *payloadError) {
	if e == nil {
		return parseTokenPayload(token)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.payloadDone {
		e.pc, e.perr = parseTokenPayload(token)
		e.payloadDone = true
	}
	return e.pc, e.perr
}

// oidcToken is parseOIDCToken, once per token.
func (e *tokenEntry) oidcToken(token string, pc *payloadClaims, hc *docCache) (*oidcToken, error) {
	if e == nil {
		return parseOIDCToken(token, pc, hc)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.oidcDone {
		e.oidc, e.oidcErr = parseOIDCToken(token, pc, hc)
		e.oidcDone = true
	}
	return e.oidc, e.oidcErr
}

// identityOf returns a copy of the token's identity, built once by build.
func (e *tokenEntry) identityOf(build func() *Identity) *Identity {
	if e == nil {
		return build()
	}
	e.mu.Lock()
	if e.identity == nil {
		e.identity = build()
	}
	id := e.identity
	e.mu.Unlock()
	// Each Result gets its own field list; the values are never modified.
	return &Identity{Fields: append([]IdentityField(nil), id.Fields...)}
}
