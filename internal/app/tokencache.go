package app

import (
	"sync"
	"time"
)

// tokenTTL is how long a verified API token is remembered. A burst of API
// calls then costs one token lookup, not one each. A token revoked, or a
// user changed, on this instance is forgotten at once; on other instances
// sharing the database within tokenTTL.
const tokenTTL = 5 * time.Second

// maxCachedTokens bounds the cache; it is emptied when full.
const maxCachedTokens = 10000

type cachedToken struct {
	auth      Authenticated
	userID    int64
	expiresAt *time.Time // the token's own expiry
	until     time.Time  // when this cache entry lapses
}

type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken // by the token's keyed hash
}

func newTokenCache() *tokenCache { return &tokenCache{m: map[string]cachedToken{}} }

func (c *tokenCache) get(hash string, now time.Time) (Authenticated, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.After(e.until) || (e.expiresAt != nil && !now.Before(*e.expiresAt)) {
		return Authenticated{}, false
	}
	return e.auth, true
}

func (c *tokenCache) put(hash string, e cachedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedTokens {
		clear(c.m)
	}
	c.m[hash] = e
}

// forget drops the entries of a user (userID) or of one token (tokenID).
func (c *tokenCache) forget(userID, tokenID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if (userID != 0 && e.userID == userID) || (tokenID != 0 && e.auth.TokenID == tokenID) {
			delete(c.m, h)
		}
	}
}
