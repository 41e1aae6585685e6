package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"modernc.org/sqlite"
)

// readOnlyRun is a statement that runReadOnly runs, and what guards it.
type readOnlyRun struct {
	query   string
	maxRows int
	timeout time.Duration
	// authorizer, on SQLite, decides what compiling the statement may do
	// (read which tables, call which functions).
	authorizer sqlite.AuthorizerFn
	// pgSettings, on PostgreSQL, are SET LOCAL statements run before it.
	pgSettings []string
}

// runReadOnly runs one SELECT statement, already checked by the caller, in a
// read-only transaction and returns at most maxRows rows (more is
// ErrTooManyRows). On SQLite it runs on a query_only connection of the read
// pool under r.authorizer; on PostgreSQL in a READ ONLY transaction with a
// statement timeout and standard_conforming_strings on. Nothing it runs can
// change the database. QueryReadOnly (the audit trail's queries) and
// QueryViews (the aws views) both run here.
func (s *Store) runReadOnly(ctx context.Context, r readOnlyRun) (*ReadOnlyResult, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if s.f.name == "sqlite" {
		if err := setAuthorizer(conn, r.authorizer); err != nil {
			return nil, err
		}
		defer setAuthorizer(conn, nil)
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if s.f.name == "postgres" {
		sets := []string{`SET LOCAL statement_timeout = ` + strconv.FormatInt(r.timeout.Milliseconds(), 10), `SET LOCAL standard_conforming_strings = on`}
		for _, set := range append(sets, r.pgSettings...) {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return nil, err
			}
		}
	}
	rows, err := tx.QueryContext(ctx, r.query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := &ReadOnlyResult{Columns: cols}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if len(out.Rows) >= r.maxRows {
			return nil, ErrTooManyRows
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]*string, len(cols))
		for i, v := range vals {
			if v == nil {
				continue
			}
			str := sqlText(v)
			out.Bytes += int64(len(str))
			row[i] = &str
		}
		out.Rows = append(out.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
