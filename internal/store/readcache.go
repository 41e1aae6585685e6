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
//     (the generation, Store.commits, counts commits, and a reader takes it
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
	n       atomic.Int64 // entries stored since the cache last started over
	entries sync.Map     // K -> *cached[V]
}

type cached[V any] struct {
	v   V
	gen uint64
	at  time.Time
}

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

// readThrough reads the row for key through c at generation gen (taken
// before the read); load reads it from the database. The caller gets a copy
// of its own.
func readThrough[T any](c *readCache[string, T], gen uint64, key string, load func() (*T, error)) (*T, error) {
	if v, ok := c.lookup(key, gen); ok {
		return &v, nil
	}
	p, err := load()
	if err != nil {
		return nil, err
	}
	c.store(key, *p, gen)
	return p, nil
}
