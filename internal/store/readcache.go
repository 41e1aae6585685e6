package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// Reads outside a transaction (R) take some rows from small caches instead
// of the database: instances (every call on a permission set or an
// assignment first reads its instance: who may act on it, is it ACTIVE),
// permission sets (every call on one reads it), and each principal's
// account assignments (accesscache.go). A cached row is taken as current
//   - only while no Write of this process has committed since it was read
//     (the generation counts commits, and a reader takes the generation
//     before it reads the row, so a row read while a write commits is never
//     taken as current after it);
//   - and for cacheTTL at most, the time within which a change made by
//     another process (an admin command, another replica) is seen.
//
// Transactions always read the rows.

// cacheTTL bounds how long another process's change may go unseen.
const cacheTTL = time.Second

// maxCacheEntries bounds the entries of one cache; past it the cache
// starts over.
const maxCacheEntries = 100000

// readCache caches values by key, as above. Its zero value is empty.
type readCache[K comparable, V any] struct {
	gen     atomic.Uint64 // commits of this process's writes
	n       atomic.Int64  // entries stored since the cache last started over
	entries sync.Map      // K -> *cached[V]
}

type cached[V any] struct {
	v   V
	gen uint64
	at  time.Time
}

// committed marks the cached values stale: a write has committed (or
// failed: either way a cached value may be old).
func (c *readCache[K, V]) committed() { c.gen.Add(1) }

// generation is the generation a reader takes before it reads.
func (c *readCache[K, V]) generation() uint64 { return c.gen.Load() }

// lookup returns the value cached for k if it is current at generation
// gen.
func (c *readCache[K, V]) lookup(k K, gen uint64) (V, bool) {
	if e, ok := c.entries.Load(k); ok {
		if e := e.(*cached[V]); e.gen == gen && time.Since(e.at) < cacheTTL {
			return e.v, true
		}
	}
	var zero V
	return zero, false
}

// store caches v, read at generation gen, for k.
func (c *readCache[K, V]) store(k K, v V, gen uint64) {
	if c.n.Add(1) > maxCacheEntries {
		c.entries.Clear()
		c.n.Store(1)
	}
	c.entries.Store(k, &cached[V]{v: v, gen: gen, at: time.Now()})
}

// get returns the value for k: cached, or loaded (and cached unless load
// fails).
func (c *readCache[K, V]) get(k K, load func() (V, error)) (V, error) {
	gen := c.generation()
	if v, ok := c.lookup(k, gen); ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		c.store(k, v, gen)
	}
	return v, err
}

// readThrough reads the row for key through c; load reads it from the
// database. The caller gets a copy of its own.
func readThrough[T any](c *readCache[string, T], key string, load func() (*T, error)) (*T, error) {
	v, err := c.get(key, func() (T, error) {
		p, err := load()
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}
