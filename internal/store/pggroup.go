package store

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// On PostgreSQL concurrent writes share transactions once enough of them
// are running: at most pgLanes transactions of Store.Write run at once; a
// Write that finds them all busy queues, and when a transaction ends, the
// first call in the queue takes the queue (up to pgMaxBatch calls) and runs
// it as one transaction with the calls' statements pipelined
// (runPgPipelined): one BEGIN, one round trip for each step of the calls,
// one COMMIT, where each call had a transaction, its own round trips and a
// commit. Each call is answered only after the commit. A call waits for
// another only when all lanes are busy, so a lone write runs at once, in a
// transaction of its own (runPgTx).
//
// When a call's function fails in a batch (it returns an error, a statement
// fails, a deadlock), the batch is rolled back; that call runs again alone,
// so that its failure is its own, and the others again together
// (runPgBatch). Functions may run more than once: that is the store's
// contract (the serialization retries, SQLite's group commit).
//
// bench --only CreateUser --db-cpu on 100,000 users, 8 connections, 13
// alternating pairs of runs, a transaction per call against two lanes:
// PostgreSQL's CPU per call fell in every pair, from 381-549 us to 280-499
// us; throughput gained less than the machine's noise (a ratio to the
// baseline of 0.082-0.107, mean 0.095, against 0.069-0.123, mean 0.101;
// ahead in 9 pairs). One lane (221-364 us, five runs) and four lanes
// (366-483 us, five runs) ran no faster. Sending each round as soon as the
// connection was free, without waiting for every function, cost more round
// trips and ran slower (3 pairs: 1,170-1,834 against 1,885-2,136 calls/s).

// pgLanes is how many write transactions run at once; pgMaxBatch bounds the
// calls that share one; after pgBatchFailures failed calls in a batch, the
// rest run alone.
const (
	pgLanes         = 2
	pgMaxBatch      = 64
	pgBatchFailures = 4
)

// errBatchUnfinished answers the calls of a batch whose run stopped (a
// panic outside their functions) before they ran: they must not be told
// that their writes were kept.
var errBatchUnfinished = errors.New("store: the batch of this write stopped before it ran")

// pgJob is one Write's transaction function, with the pending event to
// store with it (pendingID "" if none).
type pgJob struct {
	ctx        context.Context
	fn         func(tx *Tx) error
	pendingID  string
	pendingDoc []byte

	lead chan []*pgJob // the batch this job's caller is to run, itself first
	done chan struct{} // closed once err is set by another call
	err  error
}

// pgGroup is the queue of writes waiting for a lane.
type pgGroup struct {
	mu    sync.Mutex
	free  int // lanes not running a transaction
	queue []*pgJob
}

func newPgGroup() *pgGroup { return &pgGroup{free: pgLanes} }

// writeGrouped runs j's function, alone or in a batch, and returns its
// outcome.
func (s *Store) writeGrouped(j *pgJob) error {
	g := s.pg
	g.mu.Lock()
	if g.free > 0 {
		g.free--
		g.mu.Unlock()
		defer s.nextBatch() // (a lane is not lost to a panic)
		j.err = s.runPgTx(j)
		return j.err
	}
	j.lead, j.done = make(chan []*pgJob, 1), make(chan struct{})
	g.queue = append(g.queue, j)
	g.mu.Unlock()
	// Once queued, the job runs even if its context ends (and fails then,
	// unless it has run already): a caller must not report failure for a
	// write that may still commit.
	select {
	case <-j.done:
		return j.err
	case batch := <-j.lead:
		defer s.nextBatch()
		s.runPgBatch(batch)
		return j.err
	}
}

// nextBatch hands the lane a transaction just left to the queue's first
// call, with the queue as its batch, or frees the lane.
func (s *Store) nextBatch() {
	g := s.pg
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.free++
		g.mu.Unlock()
		return
	}
	n := min(len(g.queue), pgMaxBatch)
	batch := g.queue[:n:n]
	g.queue = append([]*pgJob(nil), g.queue[n:]...)
	g.mu.Unlock()
	batch[0].lead <- batch
}

// runPgBatch runs a batch in one transaction and answers the calls after
// the first (whose caller runs it). When a call's function fails, the
// transaction is rolled back, that call runs alone (its outcome is its
// own), and the others run again as a batch; after pgBatchFailures such
// failures, or one that is the transaction's own (COMMIT, the connection),
// each call left runs alone.
func (s *Store) runPgBatch(batch []*pgJob) {
	for _, j := range batch {
		j.err = errBatchUnfinished // until it has run
	}
	defer func() {
		for _, j := range batch[1:] {
			close(j.done)
		}
	}()
	jobs := slices.Clone(batch)
	for range pgBatchFailures {
		if len(jobs) == 1 {
			jobs[0].err = s.runPgTx(jobs[0])
			return
		}
		failed, err := s.runPgPipelined(jobs)
		if err == nil {
			for _, j := range jobs {
				j.err = nil
			}
			return
		}
		if failed < 0 {
			break
		}
		jobs[failed].err = s.runPgTx(jobs[failed])
		jobs = slices.Delete(jobs, failed, failed+1)
	}
	for _, j := range jobs {
		j.err = s.runPgTx(j)
	}
}
