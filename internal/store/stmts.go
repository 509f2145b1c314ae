package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxStmts bounds a pool's prepared statements; queries built with varying
// filters beyond it run unprepared.
const maxStmts = 512

// stmtCache holds the prepared statements of one SQLite pool. A nil cache
// prepares nothing.
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
	want map[string]bool // met inside a transaction, to prepare after it
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, want: map[string]bool{}}
}

// get returns the prepared statement for query, or nil: when the cache is
// full, when the statement does not prepare (the caller runs it unprepared
// and gets the real error), or when it cannot be prepared now. Inside a
// transaction on the one-connection write pool, preparing on the pool would
// wait for the very connection the transaction holds; such queries are
// noted and prepared by prepareWanted once the transaction has ended.
// The lock is never held while preparing, which waits for a connection.
func (c *stmtCache) get(ctx context.Context, query string, inTx bool) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m)+len(c.want) >= maxStmts
	c.mu.RUnlock()
	switch {
	case ok:
		return st
	case full:
		return nil
	case inTx:
		c.mu.Lock()
		c.want[query] = true
		c.mu.Unlock()
		return nil
	}
	return c.prepare(ctx, query)
}

func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.m[query]; ok {
		st.Close()
		return had
	}
	c.m[query] = st
	return st
}

// prepareWanted prepares the statements met inside transactions; call it
// when this goroutine holds no connection of the pool.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var qs []string
	for q := range c.want {
		qs = append(qs, q)
		delete(c.want, q)
	}
	c.mu.Unlock()
	for _, q := range qs {
		c.prepare(ctx, q)
	}
}

// pending reports whether statements wait to be prepared.
func (c *stmtCache) pending() bool {
	if c == nil {
		return false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.want) > 0
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
