package store

import (
	"context"
	"database/sql"
	"sync"
)

// SQLite parses a statement each time it is run unprepared, and the
// writer's statements run in the single writer, where every microsecond is
// every write's: parsing was 40% of a CreateUser's time there (15 µs). So
// the writer's transactions run their statements prepared.
//
// A statement is prepared on the write pool, whose one connection the
// writer holds while it runs a batch: preparing it there and then would
// wait for itself. So the first runs of a statement are parsed as before,
// and a goroutine prepares it in between batches; Tx.StmtContext then
// reuses it on the writer's connection.

// writeStmts caches the writer's prepared statements by query text.
type writeStmts struct {
	db      *sql.DB
	stmts   sync.Map // query -> *sql.Stmt
	pending sync.Map // query -> struct{}: asked to be prepared
	queue   chan string
	closed  chan struct{}
	done    chan struct{}
}

// maxWriteStmts bounds the statements kept (the store's queries are a few
// hundred texts; IN lists of many lengths could make more).
const maxWriteStmts = 2000

func newWriteStmts(db *sql.DB) *writeStmts {
	w := &writeStmts{db: db, queue: make(chan string, 256), closed: make(chan struct{}), done: make(chan struct{})}
	go w.prepare()
	return w
}

// get returns the prepared statement of query, or nil (and asks for it to
// be prepared).
func (w *writeStmts) get(query string) *sql.Stmt {
	if st, ok := w.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if _, asked := w.pending.LoadOrStore(query, struct{}{}); !asked {
		select {
		case w.queue <- query:
		default:
			w.pending.Delete(query) // asked again next time
		}
	}
	return nil
}

// prepare prepares the statements asked for until close.
func (w *writeStmts) prepare() {
	defer close(w.done)
	n := 0
	for {
		select {
		case <-w.closed:
			return
		case q := <-w.queue:
			if n >= maxWriteStmts {
				continue // (stays pending: never asked again)
			}
			st, err := w.db.PrepareContext(context.Background(), q)
			if err != nil {
				w.pending.Delete(q)
				continue
			}
			w.stmts.Store(q, st)
			n++
		}
	}
}

// close stops preparing and closes the statements; call it before the
// database is closed.
func (w *writeStmts) close() {
	close(w.closed)
	<-w.done
	w.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
}

// writerTx runs a writer transaction's statements prepared when it can.
type writerTx struct {
	tx *sql.Tx
	w  *writeStmts
}

func (x writerTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := x.w.get(query); st != nil {
		return x.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return x.tx.ExecContext(ctx, query, args...)
}

func (x writerTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := x.w.get(query); st != nil {
		return x.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return x.tx.QueryContext(ctx, query, args...)
}

func (x writerTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := x.w.get(query); st != nil {
		return x.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return x.tx.QueryRowContext(ctx, query, args...)
}
