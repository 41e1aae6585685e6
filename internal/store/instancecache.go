package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Every call on a permission set or an assignment first reads its instance
// (who may act on it, is it ACTIVE): a fifth of the CPU of
// ListAccountAssignmentsForPrincipal. Reads outside a transaction (R) take
// it from a small cache instead:
//   - an entry is valid only while no Write of this process has committed
//     since it was read (the generation counts commits, and a reader takes
//     the generation before it reads the row, so a row read while a write
//     commits is never taken as current after it);
//   - and for instanceTTL at most, the time within which a change made by
//     another process (an admin command, another replica) is seen.
//
// Transactions always read the row.

// instanceTTL bounds how long another process's change to an instance may
// go unseen.
const instanceTTL = time.Second

type instanceCache struct {
	gen     atomic.Uint64 // commits of this process's writes
	entries sync.Map      // arn -> *cachedInstance
}

type cachedInstance struct {
	in  Instance
	gen uint64
	at  time.Time
}

// committed marks the cached instances stale: a write has committed.
func (c *instanceCache) committed() { c.gen.Add(1) }

// instance reads an instance through the cache.
func (c *instanceCache) instance(ctx context.Context, q Q, arn string) (*Instance, error) {
	gen := c.gen.Load()
	if v, ok := c.entries.Load(arn); ok {
		if e := v.(*cachedInstance); e.gen == gen && time.Since(e.at) < instanceTTL {
			in := e.in
			return &in, nil
		}
	}
	in, err := q.instanceRow(ctx, arn)
	if err == nil {
		c.entries.Store(arn, &cachedInstance{in: *in, gen: gen, at: time.Now()})
	}
	return in, err
}
