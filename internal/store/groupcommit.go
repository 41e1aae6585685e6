package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// groupCommitter is SQLite's single writer. Callers queue transaction
// functions; the writer runs a batch of them in one database transaction
// (each under its own savepoint once one of them has failed, so that a
// failing function undoes only its own work), then commits once. With synchronous=FULL the commit is one fsync for
// the whole batch, and every caller is answered only after it.
type groupCommitter struct {
	db   *sql.DB
	f    *flavor
	ws   *writeStmts // the statements its transactions run prepared
	jobs chan *job
	quit chan struct{}
	done chan struct{}
}

type job struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	errc chan error
}

// maxBatch bounds how many transactions share one commit.
const maxBatch = 256

func newGroupCommitter(db *sql.DB, f *flavor) *groupCommitter {
	g := &groupCommitter{db: db, f: f, ws: newWriteStmts(db), jobs: make(chan *job, 1024), quit: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

func (g *groupCommitter) do(ctx context.Context, fn func(tx *Tx) error) error {
	j := &job{ctx: ctx, fn: fn, errc: make(chan error, 1)}
	select {
	case g.jobs <- j:
	case <-g.quit:
		return fmt.Errorf("store: closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: the caller must
	// not report failure for a write that may still commit. A job queued
	// after the writer stopped (the select above may pick the send though
	// quit is closed) never runs.
	select {
	case err := <-j.errc:
		return err
	case <-g.done:
		select {
		case err := <-j.errc: // answered before the writer stopped
			return err
		default:
			return fmt.Errorf("store: closed")
		}
	}
}

func (g *groupCommitter) stop() {
	close(g.quit)
	<-g.done
	g.ws.close()
}

func (g *groupCommitter) loop() {
	defer close(g.done)
	batch := make([]*job, 0, maxBatch)
	for {
		select {
		case j := <-g.jobs:
			batch = append(batch[:0], j)
		drain:
			for len(batch) < maxBatch {
				select {
				case j := <-g.jobs:
					batch = append(batch, j)
				default:
					break drain
				}
			}
			g.run(batch)
		case <-g.quit:
			for {
				select {
				case j := <-g.jobs:
					g.run([]*job{j})
				default:
					return
				}
			}
		}
	}
}

// run executes one batch and answers each of its jobs.
//
// It first runs the whole batch without savepoints: SQLite copies every page
// a transaction first touches inside a savepoint to a sub-journal, which
// costs as much as the writes themselves. Functions rarely fail; when one
// does, the batch is rolled back and run again with a savepoint per
// function, so that only the failing one is undone. (Functions may run more
// than once: that is the store's contract, PostgreSQL retries them too.) A
// batch of one function never needs the savepoints: rolling back its
// transaction undoes exactly its work.
func (g *groupCommitter) run(batch []*job) {
	switch err := g.runOptimistic(batch); {
	case err == nil:
	case len(batch) == 1:
		batch[0].errc <- err // rolling back undid exactly its work
	default:
		g.runSafe(batch)
	}
}

// runOptimistic runs and commits the batch with no savepoints and answers
// its jobs (nil), unless the transaction cannot begin or a function fails:
// then it rolls everything back, answers nobody and returns the error.
func (g *groupCommitter) runOptimistic(batch []*job) error {
	sqltx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{Q: Q{ex: writerTx{sqltx, g.ws}, f: g.f}, Now: time.Now().UTC()}
	for _, j := range batch {
		err := j.ctx.Err()
		if err == nil {
			err = g.call(j, tx)
		}
		if err != nil {
			sqltx.Rollback()
			return err
		}
	}
	err = sqltx.Commit()
	if err != nil {
		err = fmt.Errorf("store: commit: %w", g.f.translate(err))
	}
	for _, j := range batch {
		j.errc <- err
	}
	return nil
}

// runSafe runs each function of the batch under its own savepoint, so that
// one failing function undoes only its own work, and commits once.
func (g *groupCommitter) runSafe(batch []*job) {
	errs := make([]error, len(batch))
	sqltx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range batch {
			j.errc <- fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	tx := &Tx{Q: Q{ex: writerTx{sqltx, g.ws}, f: g.f}, Now: time.Now().UTC()}
	ok := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := sqltx.Exec("SAVEPOINT w"); err != nil {
			errs[i] = fmt.Errorf("store: savepoint: %w", err)
			continue
		}
		if err := g.call(j, tx); err != nil {
			errs[i] = err
			sqltx.Exec("ROLLBACK TO w")
		} else {
			ok++
		}
		sqltx.Exec("RELEASE w")
	}
	if ok == 0 {
		sqltx.Rollback()
	} else if err := sqltx.Commit(); err != nil {
		err = fmt.Errorf("store: commit: %w", g.f.translate(err))
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	for i, j := range batch {
		j.errc <- errs[i]
	}
}

// call runs one job's function, turning a panic into an error so that one bad
// request cannot stop the writer.
func (g *groupCommitter) call(j *job, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: panic in transaction: %v", r)
		}
	}()
	return j.fn(tx)
}
