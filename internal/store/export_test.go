package store

import (
	"context"
	"database/sql"
)

// Migrations is the number of migration statements, for the conformance
// suite's check of schema_migrations.
var Migrations = len(migrations)

// AuditEventsQuery is the query AuditEvents runs for f, and its arguments
// (PostgreSQL's numbered placeholders), for plan checks.
func (q Q) AuditEventsQuery(f AuditFilter) (string, []any) {
	query, args := q.auditEventsQuery(f)
	return q.f.rebind(query), args
}

// Query runs a query in the transaction and returns its open rows, for
// tests that hold them.
func (q Q) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.query(ctx, query, args...)
}

// SnapshotsBegun is how many read transactions SQLite's reading connections
// have begun for queries; -1 when they run each query in its own.
func (s *Store) SnapshotsBegun() int64 {
	if s.snaps == nil {
		return -1
	}
	s.snaps.mu.Lock()
	defer s.snaps.mu.Unlock()
	if s.snaps.main == nil {
		return -1
	}
	return s.snaps.begun.Load()
}

// Checkpoint runs a passive checkpoint of the SQLite database and returns
// the frames in its log and those it has copied into the database.
func (s *Store) Checkpoint(ctx context.Context) (log, copied int, err error) {
	var busy int
	err = s.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied)
	return log, copied, err
}
