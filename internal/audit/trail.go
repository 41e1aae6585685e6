package audit

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// Trail records events into a store and answers lookups and queries.
type Trail struct {
	st  *store.Store
	log *slog.Logger

	mu      sync.Mutex
	work    sync.Cond // the writer waits for events
	flushed sync.Cond // Flush and a full queue wait for the writer
	queue   []*store.AuditEvent
	queued  uint64 // events ever queued
	written uint64 // events ever handled by the writer (stored or given up)
	closed  bool
	done    chan struct{}
	urgent  chan struct{} // someone waits for the queue: store it now

	// answering is read-locked by each call between sending its answer
	// and queueing its event (Hold); Flush write-locks it to wait for them.
	answering sync.RWMutex

	queries querySlots
}

// maxQueue bounds the events waiting to be stored; callers wait beyond it
// (the database is slower than the calls, or unreachable).
const maxQueue = 100000

// writeChunk bounds the events one transaction stores (a larger one would
// hold the database's writer long enough to delay the changes behind it).
const writeChunk = 2000

// recoverEvery is how often the trail looks for pending events (stored with
// their changes) older than store.RecoverPendingAfter, whose process it
// takes for gone, to store them without their outcome.
const recoverEvery = 5 * time.Minute

// batchDelay is how long the writer lets events accumulate before storing
// them (unless writeChunk of them are waiting, or Flush or Close wait):
// fewer, larger transactions cost the database much less per event, and on
// SQLite every commit empties the page cache of each reading connection (a
// reader that finds the database changed starts over), so a read-only load
// that committed its events every few milliseconds read its index pages
// from the file again and again. The events waiting are those of reads
// (changes stored theirs with the change, in audit_pending), which CloudTrail
// too records only after the fact; Close stores them.
const batchDelay = 250 * time.Millisecond

// New returns a trail over st and starts its writer.
func New(st *store.Store, log *slog.Logger) *Trail {
	t := &Trail{st: st, log: log, done: make(chan struct{}), urgent: make(chan struct{}, 1), queries: querySlots{ch: make(chan struct{}, maxRunning)}}
	t.work.L, t.flushed.L = &t.mu, &t.mu
	go t.writer()
	return t
}

// enqueue hands a complete event to the writer.
func (t *Trail) enqueue(e *store.AuditEvent) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		t.store([]*store.AuditEvent{e}) // a straggler after Close: store it now
		return
	}
	for len(t.queue) >= maxQueue && !t.closed {
		t.flushed.Wait()
	}
	t.queue = append(t.queue, e)
	t.queued++
	if len(t.queue) == 1 {
		t.work.Signal()
	}
	if len(t.queue) == writeChunk {
		t.hurry()
	}
	t.mu.Unlock()
}

// hurry makes the writer store the queue without waiting for more.
func (t *Trail) hurry() {
	select {
	case t.urgent <- struct{}{}:
	default:
	}
}

// Hold is the awsproto.Handler Hold hook: a call holds it from sending its
// answer until Observe has queued its event, so that Flush finds the event
// of every call answered before it.
func (t *Trail) Hold() (release func()) {
	t.answering.RLock()
	return t.answering.RUnlock
}

// Flush waits until the event of every call answered before it, and every
// event queued before it, is stored.
func (t *Trail) Flush() {
	t.answering.Lock() // the calls answered and not yet observed are done
	t.answering.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	target := t.queued
	if t.written < target {
		t.hurry()
	}
	for t.written < target {
		t.flushed.Wait()
	}
}

// Close stores what is queued and stops the writer. Call it before the
// store is closed, once the server has stopped taking calls: it first waits
// for the calls answered and not yet observed (see Hold).
func (t *Trail) Close() {
	t.answering.Lock()
	t.answering.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		<-t.done
		return
	}
	t.closed = true
	t.work.Signal()
	t.hurry()
	t.flushed.Broadcast()
	t.mu.Unlock()
	<-t.done
}

// writer stores queued events, as many as have accumulated per batch: one
// event alone when calls are rare, hundreds per transaction under load.
func (t *Trail) writer() {
	defer close(t.done)
	t.recover()
	lastRecover := time.Now()
	for {
		if time.Since(lastRecover) > recoverEvery {
			t.recover()
			lastRecover = time.Now()
		}
		t.mu.Lock()
		for len(t.queue) == 0 && !t.closed {
			t.work.Wait()
		}
		if !t.closed && len(t.queue) < writeChunk {
			t.mu.Unlock()
			timer := time.NewTimer(batchDelay)
			select {
			case <-t.urgent:
			case <-timer.C:
			}
			timer.Stop()
			t.mu.Lock()
		}
		batch := t.queue
		t.queue = nil
		closed := t.closed
		t.mu.Unlock()
		// In the order of the calls: observers run once their answers
		// are sent, each on its own (awsproto.Observe), so the event of a
		// client's call may be queued before that of its previous one.
		slices.SortStableFunc(batch, func(a, b *store.AuditEvent) int { return a.Time.Compare(b.Time) })
		if len(batch) > 0 {
			t.store(batch)
		}
		t.mu.Lock()
		t.written += uint64(len(batch))
		t.flushed.Broadcast()
		t.mu.Unlock()
		if closed && len(batch) == 0 {
			return
		}
	}
}

// recover stores the events whose process stopped between a change and the
// completion of its event (see store.RecoverAuditEvents).
func (t *Trail) recover() {
	ctx := context.Background()
	for {
		n, err := t.st.RecoverAuditEvents(ctx, time.Now().Add(-store.RecoverPendingAfter), writeChunk)
		if err != nil && t.log != nil {
			t.log.Error("recovering audit events", "err", err)
		}
		if err != nil || n < writeChunk {
			return
		}
	}
}

// store writes events, retrying for a while if the database fails. Once a
// chunk has failed every retry, the chunks after it in the same call get a
// single attempt: a database that refuses events (a broken schema, a full
// disk) must not keep callers waiting on a full queue for minutes while
// each chunk sleeps through its retries.
func (t *Trail) store(events []*store.AuditEvent) {
	ctx := context.Background()
	refusing := false
	for len(events) > 0 {
		chunk := events[:min(len(events), writeChunk)]
		events = events[len(chunk):]
		var err error
		attempts := 8
		if refusing {
			attempts = 1
		}
		for attempt := 0; attempt < attempts; attempt++ {
			if attempt > 0 {
				time.Sleep(time.Duration(attempt*attempt) * 50 * time.Millisecond)
			}
			if err = t.st.StoreAuditEvents(ctx, chunk); err == nil {
				break
			}
		}
		refusing = err != nil
		if err != nil && t.log != nil {
			t.log.Error("audit events lost: the database refused them", "events", len(chunk), "first_event_id", chunk[0].EventID, "err", err)
		}
	}
}
