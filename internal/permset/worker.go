package permset

import (
	"context"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// The background work finishes the IN_PROGRESS requests (work.go does one).
// It follows internal/instance's worker: the work is the state in the
// database, not in memory, so any replica, and a process restarted after a
// crash, finds and finishes it; every request is claimed with a
// compare-and-set in the transaction that finishes it, so two replicas
// sweeping together finish it once.
//
// A sweep runs in a goroutine started on demand (when a request is queued,
// when a read meets one in progress, and when the Service is made) and ends
// when nothing is left to do; Run sweeps continuously instead. Requests on
// one permission set are finished in the order they were made; requests on
// different permission sets in parallel, so that SQLite's group commit and
// PostgreSQL's connections share the load.

const (
	sweepTick   = 200 * time.Millisecond
	sweepBatch  = 200
	parallelism = 8
)

// kick makes sure a sweep runs soon.
func (s *Service) kick() { s.work.Kick() }

// Sweep finishes the requests that are due and reports whether work
// remains (due later, or beyond this batch).
func (s *Service) Sweep(ctx context.Context) (pending bool, err error) {
	list, err := s.st.R().PermSetRequestsInStatus(ctx, StatusInProgress, sweepBatch)
	if err != nil {
		return false, err
	}
	delay := time.Duration(s.delay.Load())
	now := time.Now()
	var order []string
	byPS := map[string][]*store.PermSetRequest{}
	for _, r := range list {
		if now.Sub(r.Created) < delay {
			pending = true
			continue
		}
		if byPS[r.PermissionSetArn] == nil {
			order = append(order, r.PermissionSetArn)
		}
		byPS[r.PermissionSetArn] = append(byPS[r.PermissionSetArn], r)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, parallelism)
	)
	for _, ps := range order {
		slots <- struct{}{}
		wg.Add(1)
		go func(reqs []*store.PermSetRequest) {
			defer func() { <-slots; wg.Done() }()
			for _, r := range reqs {
				if err := s.finish(ctx, r); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return // later requests on this permission set wait for this one
				}
			}
		}(byPS[ps])
	}
	wg.Wait()
	return pending || len(list) == sweepBatch, first
}
