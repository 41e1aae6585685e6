package instance

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// storeTTL bounds how long ByStore reuses an instance it read: a change made
// through another replica is seen within this time (changes made through
// this process are seen at once). Missing stores are never cached, so a new
// instance is found as soon as it is committed.
const storeTTL = 2 * time.Second

// maxCachedStores bounds the cache; when full it starts over.
const maxCachedStores = 10000

type storeCache struct {
	mu sync.Mutex
	m  map[string]cachedStore
}

type cachedStore struct {
	in     store.Instance
	loaded time.Time
}

func (c *storeCache) init() { c.m = map[string]cachedStore{} }

func (c *storeCache) get(id string, now time.Time) (*store.Instance, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.Sub(e.loaded) >= storeTTL {
		return nil, false
	}
	in := e.in
	return &in, true
}

func (c *storeCache) put(in *store.Instance, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedStores {
		c.m = map[string]cachedStore{}
	}
	c.m[in.IdentityStoreID] = cachedStore{in: *in, loaded: now}
}

func (c *storeCache) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// ByStore returns the instance an identity store belongs to, in any status
// (callers check Status), or a NotFound error. It makes no access check: the
// identity store layer applies its own rules. The result is a copy the
// caller may keep.
func (s *Service) ByStore(ctx context.Context, identityStoreID string) (*store.Instance, error) {
	const op = "instance.ByStore"
	now := time.Now()
	if in, ok := s.cache.get(identityStoreID, now); ok {
		return in, nil
	}
	in, err := s.st.R().InstanceByStore(ctx, identityStoreID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Missing(op, "IDENTITY_STORE", identityStoreID, "IDENTITY_STORE not found.")
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	s.cache.put(in, now)
	s.kickIfPending(in)
	return in, nil
}
