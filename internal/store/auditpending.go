package store

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// An audit event is stored with the change it records: the change's
// transaction also writes the event, as known before the outcome (caller,
// operation, request), into audit_pending, one row (one B-tree, so a commit
// writes one more page, not the six of a row of audit_events and its
// indexes). On SQLite that B-tree is the table's own, keyed by rowid: new
// rows go at its end and hold their event in the leaf page. (Keyed by
// event_id, WITHOUT ROWID, it kept only ~1,000 bytes of a row in the page
// and the rest of most events in an overflow page of its own: three to four
// pages per change; a serial write with its event took 125 us more than
// without, now 70.) When the call has finished, the trail stores the complete
// event in audit_events and deletes the pending row, in one transaction. A
// crash in between leaves the pending row: RecoverAuditEvents moves such
// rows to audit_events, as events without an outcome (Complete false). So
// no change is kept without its event, and a change rolled back takes its
// event with it.

// PendingEvent is the audit event of a request in progress. A context
// carrying one (WithPendingEvent) makes the first successful Write under it
// store the event in the same transaction as the change.
type PendingEvent struct {
	Event *AuditEvent
	// Build, when Event is nil, makes the event when it is first needed
	// (Load).
	Build func() *AuditEvent

	mu    sync.Mutex
	state int   // one of the pending* states
	row   int64 // its rowid in audit_pending (SQLite), once stored
}

const (
	pendingOpen    = iota // not stored yet
	pendingWriting        // a Write is storing it
	pendingStored         // committed with a change
	pendingClosed         // its complete record is on its way; no Write may store it
)

type pendingKey struct{}

// WithPendingEvent returns ctx carrying p.
func WithPendingEvent(ctx context.Context, p *PendingEvent) context.Context {
	return context.WithValue(ctx, pendingKey{}, p)
}

// PendingEventOf returns the pending event ctx carries, or nil.
func PendingEventOf(ctx context.Context) *PendingEvent {
	p, _ := ctx.Value(pendingKey{}).(*PendingEvent)
	return p
}

// Load returns the event, built now if it has not been yet.
func (p *PendingEvent) Load() *AuditEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Event == nil && p.Build != nil {
		p.Event, p.Build = p.Build(), nil
	}
	return p.Event
}

// Close marks the event finished and reports whether a Write stored it
// (then the complete event must be stored with Staged set, which removes
// the pending row). Writes after Close leave it alone.
func (p *PendingEvent) Close() (stored bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stored = p.state == pendingStored
	if stored && p.Event != nil {
		p.Event.PendingRow = p.row
	}
	p.state = pendingClosed
	return stored
}

func (p *PendingEvent) claim() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != pendingOpen {
		return false
	}
	p.state = pendingWriting
	return true
}

func (p *PendingEvent) settle(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == pendingWriting {
		if err == nil {
			p.state = pendingStored
		} else {
			p.state = pendingOpen
		}
	}
}

// withPendingEvent wraps fn so that it also stores the pending event ctx
// carries (when there is one not stored yet), inside fn's transaction (on
// PostgreSQL in each attempt: each attempt is a new transaction, so a retry
// stores it once). done must be called with the outcome of the Write.
func withPendingEvent(ctx context.Context, fn func(tx *Tx) error) (func(tx *Tx) error, func(error)) {
	p, doc, err := claimPending(ctx) // here, not in the (single) writer
	if err != nil {
		return func(*Tx) error { return err }, func(error) {}
	}
	if p == nil {
		return fn, func(error) {}
	}
	return func(tx *Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		res, err := tx.exec(ctx, insertPending, p.Event.EventID, ms(tx.Now), string(doc))
		if err == nil {
			p.row, err = res.LastInsertId() // (a batch run again sets it again)
		}
		return err
	}, p.settle
}

// claimPending claims the pending event ctx carries, if there is one not
// stored yet, and encodes it; the caller settles it with the outcome of its
// write.
func claimPending(ctx context.Context) (*PendingEvent, []byte, error) {
	p := PendingEventOf(ctx)
	if p == nil || !p.claim() {
		return nil, nil, nil
	}
	doc, err := json.Marshal(p.Load())
	if err != nil {
		p.settle(err)
		return nil, nil, err
	}
	return p, doc, nil
}

const insertPending = `INSERT INTO audit_pending (event_id, created_ms, event) VALUES (?, ?, ?)`

// deleteStaged removes the pending rows of the staged events among events,
// now stored complete: by rowid on SQLite, by event id on PostgreSQL.
func (q Q) deleteStaged(ctx context.Context, events []*AuditEvent) error {
	var ids []any
	for _, e := range events {
		switch {
		case !e.Staged:
		case q.f.dollar:
			ids = append(ids, e.EventID)
		case e.PendingRow > 0:
			ids = append(ids, e.PendingRow)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), 4*auditBatch)
		chunk := padIn(ids[:n:n], 0)
		if _, err := q.exec(ctx, `DELETE FROM audit_pending WHERE `+q.pendingKey()+` IN (`+placeholders(len(chunk))+`)`, chunk...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// PendingAuditEvents returns the events stored with their changes whose
// complete record is not stored yet, oldest first.
func (q Q) PendingAuditEvents(ctx context.Context, limit int) ([]*AuditEvent, error) {
	return q.pending(ctx, time.Time{}, limit)
}

func (q Q) pending(ctx context.Context, before time.Time, limit int) ([]*AuditEvent, error) {
	where, args := "", []any{limit}
	if !before.IsZero() {
		where, args = ` WHERE created_ms < ?`, []any{ms(before), limit}
	}
	return queryAll(ctx, q, scanPending, q.pendingSelect()+where+` ORDER BY `+q.pendingKey()+` LIMIT ?`, args...)
}

// pendingSelect selects rows of audit_pending for scanPending: the row's
// rowid (SQLite; 0 on PostgreSQL) and its event.
func (q Q) pendingSelect() string {
	if q.f.dollar {
		return `SELECT 0, event FROM audit_pending`
	}
	return `SELECT rowid, event FROM audit_pending`
}

// pendingKey is audit_pending's key, which orders it oldest first: the rowid
// on SQLite, the event id (a time-ordered UUID) on PostgreSQL.
func (q Q) pendingKey() string {
	if q.f.dollar {
		return "event_id"
	}
	return "rowid"
}

// scanPending decodes a row of audit_pending (pendingSelect): an event
// without its outcome, staged.
func scanPending(sc scanner) (*AuditEvent, error) {
	var row int64
	var doc string
	if err := sc.Scan(&row, &doc); err != nil {
		return nil, err
	}
	var e AuditEvent
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		return nil, err
	}
	e.Complete, e.Staged, e.PendingRow = false, true, row
	return &e, nil
}

// recoverAuditEvents is Store.RecoverAuditEvents in one transaction
// (PostgreSQL).
func (q Q) recoverAuditEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	events, err := q.pending(ctx, before, limit)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	if err := q.keepAuditEvents(ctx, events); err != nil {
		return 0, err
	}
	return len(events), q.deleteStaged(ctx, events)
}

// auditEventOrPending returns an event from audit_events or, not there yet,
// from audit_pending.
func (q Q) auditEventOrPending(ctx context.Context, id string) (*AuditEvent, error) {
	e, err := scanAuditEvent(q.row(ctx, auditSelect+` WHERE event_id = ?`, id))
	if !errors.Is(err, ErrNotFound) {
		return e, err
	}
	// (On SQLite a scan: the table holds only the events of changes whose
	// outcome is on its way, a moment's worth.)
	e, err = scanPending(q.row(ctx, q.pendingSelect()+` WHERE event_id = ?`, id))
	return e, scanErr(err)
}
