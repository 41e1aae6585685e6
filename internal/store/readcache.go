package store

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Reads outside a transaction (R) take some rows from small caches instead
// of the database: instances (every call on a permission set or an
// assignment first reads its instance: who may act on it, is it ACTIVE),
// permission sets (every call on one reads it), and each principal's
// account assignments (accesscache.go). A cached row is taken as current
//   - only while no Write of this process that changed the cache's table
//     has committed since it was read (each cache's generation counts those
//     Writes, and a reader takes it before it reads the row, so a row read
//     while such a write commits is never taken as current after it);
//   - and for cacheTTL at most, the time within which a change made by
//     another process (an admin command, another replica) is seen.
//
// Transactions always read the rows.
//
// A Write learns which tables it changed from its statements (tablesChanged):
// any statement but a SELECT that names a cached table. Until each cache
// had its own generation, every Write emptied all three: under 200
// CreateAccountAssignment calls a second (each a Write, and its background
// work another), every call and every status poll read its instance and
// permission set from the database again.

// cacheTTL bounds how long another process's change may go unseen.
const cacheTTL = time.Second

// maxCacheEntries bounds the entries of one cache; past it the cache
// starts over.
const maxCacheEntries = 100000

// readCache caches values by key, as above. Its zero value is empty.
type readCache[K comparable, V any] struct {
	gen     atomic.Uint64 // Writes of this process that changed (or may have changed) the cached table
	n       atomic.Int64  // entries stored since the cache last started over
	entries sync.Map      // K -> *cached[V]
}

// tableSet names cached tables, one bit each.
type tableSet uint32

const (
	tableInstances tableSet = 1 << iota
	tablePermissionSets
	tableAssignments
)

// cachedTables are the tables the caches hold rows of, by name, with the
// generation of the cache of each.
var cachedTables = [...]struct {
	name string
	bit  tableSet
	gen  func(s *Store) *atomic.Uint64
}{
	{"instances", tableInstances, func(s *Store) *atomic.Uint64 { return &s.instances.gen }},
	{"permission_sets", tablePermissionSets, func(s *Store) *atomic.Uint64 { return &s.permSets.gen }},
	{"account_assignments", tableAssignments, func(s *Store) *atomic.Uint64 { return &s.access.gen }},
}

// tablesChanged returns the cached tables a statement may change: those it
// names, unless it is a SELECT. (Naming one in a subquery counts too: a
// cache emptied for nothing only costs reads.)
func tablesChanged(query string) tableSet {
	q := strings.TrimLeft(query, " \t\r\n")
	if len(q) >= 6 && strings.EqualFold(q[:6], "SELECT") {
		return 0
	}
	var t tableSet
	for _, c := range cachedTables {
		if strings.Contains(q, c.name) {
			t |= c.bit
		}
	}
	return t
}

// changed moves the generation of each cache of a table in t, once a Write
// that changed them has committed (or failed).
func (s *Store) changed(t tableSet) {
	for _, c := range cachedTables {
		if t&c.bit != 0 {
			c.gen(s).Add(1)
		}
	}
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

// readThrough reads the row for key through c; load reads it from the
// database. The caller gets a copy of its own.
func readThrough[T any](c *readCache[string, T], key string, load func() (*T, error)) (*T, error) {
	gen := c.gen.Load() // before the read
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
