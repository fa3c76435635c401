package rules

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// docCache keeps parsed discovery documents and key sets by the hash of
// their body, so a warm validation parses no document and builds no key:
// it parses the token and verifies the signature. It never decides a
// verdict: the documents are fetched (through the HTTP cache) every time,
// and only their parsing is reused.
type docCache struct {
	mu      sync.RWMutex
	seed    maphash.Seed
	entries map[docKey]docEntry
}

// Document kinds.
const (
	docDiscovery byte = iota + 1
	docOIDCJWKS
	docCustomJWKS
)

type docKey struct {
	kind byte
	hash uint64
}

type docEntry struct {
	body []byte
	val  any
	err  error
}

const docCacheMax = 128

func newDocCache() *docCache {
	return &docCache{seed: maphash.MakeSeed(), entries: map[docKey]docEntry{}}
}

// get returns the parsed value for body, parsing it on a miss. Errors are
// cached too: a bad document stays bad until its body changes.
func (c *docCache) get(kind byte, body []byte, parse func([]byte) (any, error)) (any, error) {
	key := docKey{kind: kind, hash: maphash.Bytes(c.seed, body)}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && bytes.Equal(e.body, body) {
		return e.val, e.err
	}
	val, err := parse(body)
	c.mu.Lock()
	if len(c.entries) >= docCacheMax {
		clear(c.entries)
	}
	c.entries[key] = docEntry{body: bytes.Clone(body), val: val, err: err}
	c.mu.Unlock()
	return val, err
}
