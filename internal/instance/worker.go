package instance

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// The background work of instances completes what the API only starts:
// CREATE_IN_PROGRESS becomes ACTIVE, DELETE_IN_PROGRESS is removed with its
// identity store, ADDING Regions become ACTIVE and REMOVING ones go. The
// work is the state in the database, not in memory: any replica, and a
// process restarted after a crash, finds and finishes it. Every step is a
// compare-and-set, so two replicas sweeping together do each step once.
//
// A sweep runs (internal/sweeper) when work is queued, when a read meets an
// instance in transition, and when the Service is made; Run sweeps
// continuously instead.

// Default delays of the simulated work, which clients see as the time an
// operation stays in progress.
const (
	DefaultCreateDelay = time.Second
	DefaultDeleteDelay = time.Second
	DefaultRegionDelay = time.Second
	sweepTick          = 200 * time.Millisecond
	sweepBatch         = 100
)

type delays struct{ create, delete, region atomic.Int64 }

func (d *delays) init() {
	d.create.Store(int64(DefaultCreateDelay))
	d.delete.Store(int64(DefaultDeleteDelay))
	d.region.Store(int64(DefaultRegionDelay))
}

// SetDelays sets how long creations, deletions and Region additions stay in
// progress before background work completes them.
func (s *Service) SetDelays(create, del, region time.Duration) {
	s.delays.create.Store(int64(create))
	s.delays.delete.Store(int64(del))
	s.delays.region.Store(int64(region))
}

// kick makes sure a sweep runs soon.
func (s *Service) kick() { s.work.Kick() }

// kickIfPending kicks the sweep when in is in transition (its work may have
// been left by another replica).
func (s *Service) kickIfPending(in *store.Instance) {
	if in.Status == StatusCreating || in.Status == StatusDeleting {
		s.kick()
	}
}

// Sweep does the background work that is due and reports whether work
// remains (due later).
func (s *Service) Sweep(ctx context.Context) (pending bool, err error) {
	now := time.Now()
	q := s.st.R()
	creating, err := q.InstancesInStatus(ctx, StatusCreating, sweepBatch)
	if err != nil {
		return false, err
	}
	for _, in := range creating {
		if now.Sub(in.Updated) < time.Duration(s.delays.create.Load()) {
			pending = true
			continue
		}
		if err := s.advance(ctx, func(tx *store.Tx) error {
			return tx.SetInstanceStatus(ctx, in.Arn, StatusCreating, StatusActive, "", tx.Now)
		}); err != nil {
			return false, err
		}
		s.cache.forget(in.IdentityStoreID)
	}
	deleting, err := q.InstancesInStatus(ctx, StatusDeleting, sweepBatch)
	if err != nil {
		return false, err
	}
	for _, in := range deleting {
		if now.Sub(in.Updated) < time.Duration(s.delays.delete.Load()) {
			pending = true
			continue
		}
		if err := s.advance(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteClientTokens(ctx, in.Arn); err != nil {
				return err
			}
			return tx.DeleteInstance(ctx, in.Arn, in.IdentityStoreID)
		}); err != nil {
			return false, err
		}
		s.cache.forget(in.IdentityStoreID)
	}
	p, err := s.sweepRegions(ctx, now)
	return pending || p || len(creating) == sweepBatch || len(deleting) == sweepBatch, err
}

func (s *Service) sweepRegions(ctx context.Context, now time.Time) (pending bool, err error) {
	adding, err := s.st.R().RegionsInStatus(ctx, RegionAdding, sweepBatch)
	if err != nil {
		return false, err
	}
	for _, r := range adding {
		if now.Sub(r.Added) < time.Duration(s.delays.region.Load()) {
			pending = true
			continue
		}
		if err := s.advance(ctx, func(tx *store.Tx) error {
			return tx.SetRegionStatus(ctx, r.InstanceArn, r.Region, RegionAdding, RegionActive)
		}); err != nil {
			return false, err
		}
	}
	removing, err := s.st.R().RegionsInStatus(ctx, RegionRemoving, sweepBatch)
	if err != nil {
		return false, err
	}
	for _, r := range removing {
		if err := s.advance(ctx, func(tx *store.Tx) error {
			return tx.DeleteRegionInStatus(ctx, r.InstanceArn, r.Region, RegionRemoving)
		}); err != nil {
			return false, err
		}
	}
	return pending || len(adding) == sweepBatch, nil
}

// advance runs one step; a step another replica did first is not an error.
func (s *Service) advance(ctx context.Context, step func(tx *store.Tx) error) error {
	err := s.st.Write(ctx, step)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
