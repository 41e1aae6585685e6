package permset

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// The background work finishes the IN_PROGRESS requests (work.go does
// them). It follows internal/instance's worker: the work is the state in the
// database, not in memory, so any replica, and a process restarted after a
// crash, finds and finishes it; every request is claimed with a
// compare-and-set in the transaction that finishes it, so two replicas
// sweeping together finish it once.
//
// A sweep runs in a goroutine started on demand (when a request is queued,
// when a read meets one in progress, and when the Service is made) and ends
// when nothing is left to do; Run sweeps continuously instead.
//
// A sweep takes up to sweepBatch due requests and splits their permission
// sets into up to parallelism lanes of about as many requests each, run in
// parallel so that SQLite's group commit and PostgreSQL's connections share
// the load. A lane finishes its requests in transactions of up to
// txRequests: the requests of one permission set in the order they were
// made, and the permission sets in ARN order, the order in which any
// transaction that locks several takes their locks (so that two never wait
// for each other). Under a backlog a transaction then serves up to
// txRequests requests with one commit, and each permission set's lock, read
// and effective policies once. With a transaction a request (14 round trips
// each), a PostgreSQL server started into 200 CreateAccountAssignment calls
// a second fell behind and never caught up: the clients polling the waiting
// requests became the load, and half the requests took over 5.9 s to
// succeed.
//
// When a transaction fails, its requests are done again one a transaction,
// and a permission set whose request still fails stops there (its later
// requests wait for the next sweep): one request that cannot be done holds
// up its own permission set only.

const (
	sweepTick   = 200 * time.Millisecond
	sweepBatch  = 200
	parallelism = 8
	txRequests  = 32
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
	var arns []string
	byPS := map[string][]*store.PermSetRequest{}
	due := 0
	for _, r := range list {
		if now.Sub(r.Created) < delay {
			pending = true
			continue
		}
		if byPS[r.PermissionSetArn] == nil {
			arns = append(arns, r.PermissionSetArn)
		}
		byPS[r.PermissionSetArn] = append(byPS[r.PermissionSetArn], r)
		due++
	}
	sort.Strings(arns)
	// Lanes of at least per requests each but the last: at most
	// parallelism of them, as per*parallelism >= due.
	per := (due + parallelism - 1) / parallelism
	var lanes [][]*store.PermSetRequest
	var lane []*store.PermSetRequest
	for _, arn := range arns {
		if lane = append(lane, byPS[arn]...); len(lane) >= per {
			lanes, lane = append(lanes, lane), nil
		}
	}
	if len(lane) > 0 {
		lanes = append(lanes, lane)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for _, reqs := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.finishLane(ctx, reqs); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return pending || len(list) == sweepBatch, first
}

// finishLane finishes a lane's requests, up to txRequests a transaction.
// A transaction that fails is done again one request a transaction, and a
// permission set stops at its first request that still fails. It returns
// the first error.
func (s *Service) finishLane(ctx context.Context, reqs []*store.PermSetRequest) error {
	var first error
	stopped := map[string]bool{} // permission sets with a request that failed
	fail := func(r *store.PermSetRequest, err error) {
		stopped[r.PermissionSetArn] = true
		if first == nil {
			first = err
		}
	}
	for len(reqs) > 0 && ctx.Err() == nil {
		batch := make([]*store.PermSetRequest, 0, txRequests)
		for ; len(reqs) > 0 && len(batch) < txRequests; reqs = reqs[1:] {
			if !stopped[reqs[0].PermissionSetArn] {
				batch = append(batch, reqs[0])
			}
		}
		if len(batch) == 0 {
			break // the rest was of stopped permission sets
		}
		err := s.finish(ctx, batch)
		switch {
		case err == nil:
		case len(batch) == 1 || ctx.Err() != nil:
			fail(batch[0], err)
		default:
			for _, r := range batch {
				if !stopped[r.PermissionSetArn] {
					if err := s.finish(ctx, []*store.PermSetRequest{r}); err != nil {
						fail(r, err)
					}
				}
			}
		}
	}
	return first
}
