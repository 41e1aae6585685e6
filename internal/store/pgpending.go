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

// errCommitRolledBack is PostgreSQL answering COMMIT with ROLLBACK: a
// statement of the transaction failed and the error was not returned.
var errCommitRolledBack = errors.New("store: the transaction was rolled back at commit")

// writeWithPending runs fn in one transaction that begins by storing the
// pending event (id, doc).
func (s *Store) writeWithPending(ctx context.Context, fn func(tx *Tx) error, id string, doc []byte) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	now := time.Now().UTC()
	err = withPgx(conn, func(c *pgx.Conn) error {
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		b.Queue(s.f.rebind(insertPending), id, ms(now), string(doc))
		return c.SendBatch(ctx, b).Close()
	})
	if err != nil {
		abortConn(conn)
		return s.f.translate(err)
	}
	if err := fn(&Tx{Q: Q{ex: conn, f: s.f}, Now: now}); err != nil {
		abortConn(conn)
		return err
	}
	err = withPgx(conn, func(c *pgx.Conn) error {
		tag, err := c.Exec(ctx, "COMMIT")
		if err == nil && tag.String() == "ROLLBACK" {
			return errCommitRolledBack
		}
		return err
	})
	if err != nil {
		abortConn(conn)
		return s.f.translate(err)
	}
	return nil
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
