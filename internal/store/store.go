// Package store keeps idcenter's state in SQL: embedded SQLite (the default)
// or PostgreSQL (several stateless replicas over one database).
//
// One set of hand-written queries serves both databases; flavor.go holds the
// few differences (placeholders, types, error codes). Every write runs in a
// transaction through Store.Write: on SQLite a single writer goroutine groups
// concurrent transactions into one commit (each under its own savepoint), so a
// write is acknowledged only after it is on disk, yet many writes share one
// fsync. Uniqueness is enforced by the database's constraints, never by
// process memory, so replicas over PostgreSQL stay correct.
//
// Contract for callers:
//   - Read methods return ErrNotFound when a row is missing.
//   - Insert methods return ErrAlreadyExists (wrapped, naming the constraint)
//     when a unique constraint refuses the row.
//   - A function passed to Write may run more than once (PostgreSQL retries
//     serialization failures); it must have no effects outside the transaction.
//   - Times are stored as UTC milliseconds since the epoch.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrAlreadyExists is returned when a unique constraint refuses a row. The
// wrapping *ConstraintError names the constraint.
var ErrAlreadyExists = errors.New("store: already exists")

// ConstraintError reports which unique constraint refused a write.
type ConstraintError struct{ Constraint string }

func (e *ConstraintError) Error() string { return "store: unique constraint " + e.Constraint }

// Is makes errors.Is(err, ErrAlreadyExists) true.
func (e *ConstraintError) Is(target error) bool { return target == ErrAlreadyExists }

// Store is an open database.
type Store struct {
	f     *flavor
	read  *sql.DB // the pool used for reads outside transactions
	write *sql.DB // the pool writes use (one connection on SQLite)
	// events is where the audit trail's events are written: on SQLite a
	// connection to their own file (auditfile.go), on PostgreSQL write.
	events     *sql.DB
	eventsPath string // the audit file (SQLite)
	gc         *groupCommitter
	pg         *pgGroup // PostgreSQL's concurrent writes (pggroup.go)
	stmts      sync.Map // query text -> *sql.Stmt prepared on read
	instances  readCache[string, Instance]
	permSets   readCache[string, PermissionSet]
	access     readCache[accessKey, []accessPair]
	snaps      *snapshots    // SQLite's reading connections' transactions (snapshot.go)
	closed     chan struct{} // closed by Close
	closeOnce  sync.Once
}

// Open opens (and migrates) the database named by url: "postgres://..." or
// "postgresql://..." for PostgreSQL, anything else is a SQLite file path
// (optionally prefixed "sqlite://" or "file:").
func Open(ctx context.Context, url string) (*Store, error) {
	var s *Store
	var err error
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		s, err = openPostgres(url)
	} else {
		s, err = openSQLite(url)
	}
	if err != nil {
		return nil, err
	}
	s.closed = make(chan struct{})
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.f.name == "postgres" {
		go s.maintainTables()
	}
	if s.f.name == "sqlite" {
		if err := s.moveAuditEvents(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if err := s.f.loadConstraints(ctx, s.read); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Connect opens a PostgreSQL store's whole pool of connections now, rather
// than as calls first need them, and has each plan a query over every table
// of the schema (nothing on SQLite, whose connections are opened with the
// store). A new PostgreSQL connection is a new server process, which reads
// the descriptions of the tables and indexes it meets into caches of its
// own. A server started into a steady 200 CreateAccountAssignment calls a
// second, whose background work uses up to eight connections at once, paid
// for both as the calls came: its first sweeps took 150-330 ms for 20-130
// requests, and p99 to SUCCEEDED was 606 and 717 ms; with the connections
// opened, 553 and 664; with their caches filled too, 211 and 176, as on a
// server that has run a while. Serve calls it before it listens; when the
// database refuses some connections (max_connections), the pool opens them
// later.
func (s *Store) Connect(ctx context.Context) error {
	if s.f.name != "postgres" {
		return nil
	}
	conns := make([]*sql.Conn, 0, postgresConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	tables, err := s.R().queryStrings(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	for range postgresConns {
		c, err := s.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: connect to PostgreSQL: %w", err)
		}
		conns = append(conns, c)
		// Planning a query over a table loads its and its indexes'
		// descriptions into the connection's caches.
		for _, t := range tables {
			if _, err := c.ExecContext(ctx, `EXPLAIN SELECT * FROM `+quoteIdentifier(t)); err != nil {
				return fmt.Errorf("store: connect to PostgreSQL: %w", err)
			}
		}
	}
	return nil
}

// Flavor names the backend: "sqlite" or "postgres".
func (s *Store) Flavor() string { return s.f.name }

// WriteLanes is how many write transactions run at once: 1 on SQLite (its
// writer), pgLanes on PostgreSQL. Writes beyond these wait, and share a
// transaction.
func (s *Store) WriteLanes() int {
	if s.pg != nil {
		return pgLanes
	}
	return 1
}

// Close releases the database. Calls after the first do nothing.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.close() })
	return err
}

func (s *Store) close() error {
	if s.closed != nil {
		close(s.closed)
	}
	if s.gc != nil {
		s.gc.stop()
	}
	if s.snaps != nil {
		defer s.snaps.close()
	}
	s.stmts.Range(func(k, v any) bool { v.(*sql.Stmt).Close(); return true })
	err := s.read.Close()
	for _, db := range []*sql.DB{s.write, s.events} {
		if db != nil && db != s.read {
			if err2 := db.Close(); err == nil {
				err = err2
			}
		}
	}
	return err
}

// R returns the query methods over the read pool, for reads that are index
// lookups of a bounded size (a record, a page): they run to the end even if
// ctx is canceled (see readExec). RLong is for the others.
func (s *Store) R() Q { return Q{ex: readExec{s: s}, f: s.f} }

// RLong returns the query methods over the read pool for reads that may
// run long (LookupEvents over a trail of millions of events): they stop
// when ctx is canceled.
func (s *Store) RLong() Q { return Q{ex: readExec{s: s, cancel: true}, f: s.f} }

// Tx is a write transaction: the query methods plus the clock of the
// transaction.
type Tx struct {
	Q
	Now time.Time
}

// Write runs fn in one write transaction and commits it durably. If fn
// returns an error nothing it did is kept and the error is returned.
//
// When ctx carries an audit event not stored yet (WithPendingEvent), the
// event is stored in the same transaction (see audit.go).
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	var changes atomic.Uint32 // the cached tables fn's statements changed
	tracked := func(tx *Tx) error {
		t := *tx
		t.changes = &changes
		return fn(&t)
	}
	var err error
	if s.gc == nil {
		err = s.writePostgres(ctx, tracked)
	} else {
		fn, done := withPendingEvent(ctx, tracked)
		err = s.gc.do(ctx, fn)
		done(err)
	}
	s.changed(tableSet(changes.Load())) // (or failed: either way a cached row may be old)
	return err
}

// writePostgres runs fn in a transaction, alone or with other calls'
// (pggroup.go), retrying serialization failures and deadlocks a few times;
// with the pending event ctx carries (pgpending.go).
func (s *Store) writePostgres(ctx context.Context, fn func(tx *Tx) error) error {
	p, doc, err := claimPending(ctx)
	if err != nil {
		return err
	}
	var id string
	if p != nil {
		id = p.Event.EventID
	}
	for attempt := 0; attempt < 5; attempt++ {
		err = s.writeGrouped(&pgJob{ctx: ctx, fn: fn, pendingID: id, pendingDoc: doc})
		if err == nil || !s.f.retryable(err) {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	if p != nil {
		p.settle(err)
	}
	return err
}

// runTx runs fn in one transaction of db and commits it.
func (s *Store) runTx(ctx context.Context, db *sql.DB, fn func(tx *Tx) error) error {
	sqltx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{Q: Q{ex: sqltx, f: s.f}, Now: time.Now().UTC()}
	if err := fn(tx); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return s.f.translate(err)
	}
	return nil
}

// execer is what both *sql.DB, *sql.Tx and readExec provide.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readExec runs queries on the read pool through cached prepared statements.
//
// Unless cancel is set, a statement runs without ctx's cancellation (its
// values kept). For a context that can be canceled (an HTTP request's),
// database/sql starts a goroutine per statement to watch it, and so does
// the SQLite driver, which also sets a progress handler: about 3% of the
// server's CPU for a DescribeUser under the load tool (Rows.initContextClose
// 1.2%, interruptOnDone 0.7%, starting goroutines 0.8% more), for a lookup
// that ends within microseconds anyway.
type readExec struct {
	s      *Store
	cancel bool
}

// ctx is the context a statement runs with.
func (r readExec) ctx(ctx context.Context) context.Context {
	if r.cancel || ctx.Done() == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

func (r readExec) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := r.s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := r.s.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := r.s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (r readExec) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.s.read.ExecContext(r.ctx(ctx), query, args...)
}

func (r readExec) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = r.ctx(ctx)
	st, err := r.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r readExec) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = r.ctx(ctx)
	st, err := r.stmt(ctx, query)
	if err != nil {
		return r.s.read.QueryRowContext(ctx, query, args...) // reports the same error through Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// Q holds the query methods; it runs over a transaction or the read pool.
type Q struct {
	ex execer
	f  *flavor
	// changes, in a Write's transaction, collects the cached tables its
	// statements change (readcache.go).
	changes *atomic.Uint32
}

// note records the cached tables query may change.
func (q Q) note(query string) {
	if q.changes != nil {
		if t := tablesChanged(query); t != 0 {
			q.changes.Or(uint32(t))
		}
	}
}

func (q Q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q.note(query)
	res, err := q.ex.ExecContext(ctx, q.f.rebind(query), args...)
	if err != nil {
		return nil, q.f.translate(err)
	}
	return res, nil
}

func (q Q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q.note(query)
	rows, err := q.ex.QueryContext(ctx, q.f.rebind(query), args...)
	if err != nil {
		return nil, q.f.translate(err)
	}
	return rows, nil
}

func (q Q) row(ctx context.Context, query string, args ...any) *sql.Row {
	q.note(query)
	return q.ex.QueryRowContext(ctx, q.f.rebind(query), args...)
}

// scanErr turns sql.ErrNoRows into ErrNotFound.
func scanErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// affected returns ErrNotFound when a statement changed no row.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// ms converts a time to stored milliseconds; zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanner is what a row is scanned from (*sql.Row or *sql.Rows).
type scanner interface{ Scan(...any) error }

// queryAll runs query and returns every row, scanned by scan.
func queryAll[T any](ctx context.Context, q Q, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanString scans a row of one string.
func scanString(sc scanner) (string, error) {
	var s string
	err := sc.Scan(&s)
	return s, err
}

// padIn pads the keys of an IN list, args[from:], to a power of two with
// the last key again: a few statement texts, which stay prepared (on the
// read pool, and in the writer), instead of one per length. A repeated key
// makes no row match twice.
func padIn(args []any, from int) []any {
	n, w := len(args)-from, 1
	for w < n {
		w *= 2
	}
	for ; n > 0 && n < w; n++ {
		args = append(args, args[len(args)-1])
	}
	return args
}

// inChunk bounds the keys of one IN list.
const inChunk = 500

// queryIn runs query, whose "IN (%s)" takes keys, once per chunk of keys
// (args come before them) and returns the rows of every chunk.
func queryIn[T, K any](ctx context.Context, q Q, scan func(scanner) (T, error), query string, args []any, keys []K) ([]T, error) {
	var out []T
	for len(keys) > 0 {
		n := min(len(keys), inChunk)
		a := append([]any(nil), args...)
		for _, k := range keys[:n] {
			a = append(a, k)
		}
		a = padIn(a, len(args))
		part, err := queryAll(ctx, q, scan, fmt.Sprintf(query, placeholders(len(a)-len(args))), a...)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		keys = keys[n:]
	}
	return out, nil
}
