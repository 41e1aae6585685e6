package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the pending event of a change (auditpending.go) rides with
// the transaction's BEGIN: one pipelined batch, BEGIN and the INSERT INTO
// audit_pending as a prepared statement (pgx's statement cache), sent
// together, instead of an INSERT of its own, which cost every audited write
// one more round trip to the server (about a quarter of a single client's
// CreateUser). It was first one simple-protocol message with the values as
// escaped literals: the server then parsed and planned the INSERT, and lexed
// its kilobyte of literal, for every write (BenchmarkRecordingCost on
// PostgreSQL, 7 alternating runs: overhead median 7.1%, up to 11.2%, with
// it; 6.1%, up to 6.5%, prepared). The change then runs on that connection,
// and COMMIT ends it: a change that rolls back takes its pending row with
// it.
//
// The batch waits for the change's first statement: when that is an Exec,
// it goes in the same batch, so a change of one statement (CreateUser's
// insert) costs two round trips, the batch and COMMIT. On the 2-core
// machine of the load tool a round trip costs more CPU than the statements
// themselves (perf put half of PostgreSQL's time in the kernel's
// scheduling and sockets): CreateUser went from 0.078 and 0.067 of the
// baseline to 0.083 and 0.071 (bench --only CreateUser, alternating).

// errCommitRolledBack is PostgreSQL answering COMMIT with ROLLBACK: a
// statement of the transaction failed and the error was not returned.
var errCommitRolledBack = errors.New("store: the transaction was rolled back at commit")

// runPgTx runs j's function in a transaction of its own and commits it;
// the transaction begins by storing j's pending event (pgJob.pendingID), in
// one batch with the first statement (see above).
func (s *Store) runPgTx(j *pgJob) error {
	ctx := j.ctx
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	now := time.Now().UTC()
	pc := &pendingConn{Conn: conn, s: s, rows: pendingRows([]*pgJob{j}, now)}
	if err = ctx.Err(); err == nil {
		err = callTx(j.fn, &Tx{Q: Q{ex: pc, f: s.f}, Now: now})
	}
	if err != nil {
		if pc.begun {
			abortConn(conn)
		}
		if pc.err != nil { // BEGIN or the pending row failed, so fn did
			return s.f.translate(pc.err)
		}
		return err
	}
	var tag pgconn.CommandTag
	switch {
	case pc.begun:
		err = withPgx(conn, func(c *pgx.Conn) (err error) {
			tag, err = c.Exec(ctx, "COMMIT")
			return err
		})
	case len(pc.rows) > 0: // fn ran no statement: the pending row alone
		tag, err = pc.send(ctx, "COMMIT")
	default: // nothing to store
		return nil
	}
	if err == nil && tag.String() == "ROLLBACK" {
		err = errCommitRolledBack
	}
	if err != nil {
		abortConn(conn)
		return s.f.translate(err)
	}
	return nil
}

// pendingRows are insertPending's arguments for the pending events of
// jobs, stored at now.
func pendingRows(jobs []*pgJob, now time.Time) [][]any {
	var rows [][]any
	for _, j := range jobs {
		if j.pendingID != "" {
			rows = append(rows, []any{j.pendingID, ms(now), string(j.pendingDoc)})
		}
	}
	return rows
}

// queueBegin queues BEGIN and the pending rows on b, and returns how many
// statements that is.
func (f *flavor) queueBegin(b *pgx.Batch, rows [][]any) int {
	b.Queue("BEGIN")
	for _, row := range rows {
		b.Queue(f.rebind(insertPending), row...)
	}
	return 1 + len(rows)
}

// callTx runs fn, turning a panic into an error: in a batch, fn runs on
// another call's goroutine, which must still answer every job.
func callTx(fn func(tx *Tx) error, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: panic in transaction: %v", r)
		}
	}()
	return fn(tx)
}

// pendingConn is the connection of a write transaction: it begins the
// transaction and stores the pending event, if any, with the first
// statement run (in one batch with it when it is an Exec).
type pendingConn struct {
	*sql.Conn
	s     *Store
	rows  [][]any // insertPending's arguments (pendingRows)
	begun bool    // BEGIN and the pending rows are sent
	err   error   // why they failed, before a query
}

// send sends BEGIN, the pending rows and stmt (unless "") with args in one
// batch, and returns the command tag of the last. When BEGIN or a pending
// row fails, the connection runs nothing more (a statement after a failed
// BEGIN would run outside the transaction). The error of stmt itself is
// the caller's, as if it ran alone.
func (p *pendingConn) send(ctx context.Context, stmt string, args ...any) (tag pgconn.CommandTag, err error) {
	p.begun = true
	err = withPgx(p.Conn, func(c *pgx.Conn) error {
		b := &pgx.Batch{}
		lead := p.s.f.queueBegin(b, p.rows)
		if stmt != "" {
			b.Queue(stmt, args...)
		}
		br := c.SendBatch(ctx, b)
		var err error
		for i := range b.Len() {
			if tag, err = br.Exec(); err != nil {
				if i < lead {
					p.err = err
				}
				break
			}
		}
		if cerr := br.Close(); err == nil && cerr != nil {
			err, p.err = cerr, cerr
		}
		return err
	})
	if err != nil && p.err == nil && !errors.As(err, new(*pgconn.PgError)) {
		p.err = err // the connection failed, not stmt
	}
	return tag, err
}

// begin sends BEGIN and the pending row before a query, unless sent.
func (p *pendingConn) begin(ctx context.Context) error {
	if !p.begun {
		p.send(ctx, "")
	}
	return p.err
}

func (p *pendingConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if p.begun {
		if p.err != nil {
			return nil, p.err
		}
		return p.Conn.ExecContext(ctx, query, args...)
	}
	tag, err := p.send(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

func (p *pendingConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.begin(ctx); err != nil {
		return nil, err
	}
	return p.Conn.QueryContext(ctx, query, args...)
}

func (p *pendingConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if p.begin(ctx) != nil {
		// A row cannot be made to hold an error: this one's Scan fails
		// without running anything (and runPgTx reports p.err).
		ended, cancel := context.WithCancel(ctx)
		cancel()
		return p.Conn.QueryRowContext(ended, query, args...)
	}
	return p.Conn.QueryRowContext(ctx, query, args...)
}

// withPgx runs fn on the pgx connection under conn.
func withPgx(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: not a pgx connection: %T", dc)
		}
		return fn(c.Conn())
	})
}

// abortConn rolls back the connection's transaction; a connection that
// cannot is discarded, not returned to the pool in a transaction.
func abortConn(conn *sql.Conn) {
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// storeEventsPostgres stores complete events (StoreAuditEvents) on
// PostgreSQL with COPY, the events and their resource keys, and removes the
// staged events' pending rows, in one transaction: a multi-row INSERT of
// 28 columns per event cost the server a statement of thousands of
// parameters to parse and the process as many to encode, every batch. An
// event already stored (completed after recovery, or a batch stored again
// after an unclear failure) makes COPY fail: the batch then takes the INSERT
// path, whose conflict clauses replace or keep it.
func (s *Store) storeEventsPostgres(ctx context.Context, events []*AuditEvent) error {
	for _, e := range events {
		if e.Moved || !e.Complete {
			return s.Write(ctx, func(tx *Tx) error { return tx.InsertAuditEvents(ctx, events) })
		}
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	err = withPgx(conn, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.Background()) // after Commit, nothing
		rows := make([][]any, len(events))
		var res [][]any
		var staged []string
		for i, e := range events {
			rows[i] = auditArgs(e)
			for _, key := range resourceKeys(e) {
				res = append(res, []any{key, AuditTime(e.Time), e.EventID, e.RecipientAccountID})
			}
			if e.Staged {
				staged = append(staged, e.EventID)
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_events"}, auditColNames, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if len(res) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_event_resources"},
				[]string{"resource_name", "event_time", "event_id", "recipient_account_id"}, pgx.CopyFromRows(res)); err != nil {
				return err
			}
		}
		if len(staged) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM audit_pending WHERE event_id = ANY($1)`, staged); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
	conn.Close()
	if errors.Is(s.f.translate(err), ErrAlreadyExists) {
		return s.Write(ctx, func(tx *Tx) error { return tx.InsertAuditEvents(ctx, events) })
	}
	return err
}

// auditColNames are auditCols, one name each.
var auditColNames = func() []string {
	names := strings.Split(auditCols, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}()
