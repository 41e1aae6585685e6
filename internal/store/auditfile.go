package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// On SQLite the audit trail's events live in a file of their own beside the
// database (idcenter.db, idcenter.audit.db), written by a connection of
// their own.
//
// Why: a SQLite connection that starts a read and finds that the database
// file changed since its last read empties its whole page cache. Every call
// is recorded, reads included, so with the events in the main file the trail
// committed a few times a second under any load, and each commit made every
// reading connection read its index pages from the file again: at 100,000
// users that was about half the server's CPU on lookups such as
// IsMemberInGroups. In their own file the events' commits leave the caches
// of the directory's pages alone, and the trail's writer no longer waits for
// (nor delays) the changes' group commit.
//
// The reading connections attach the audit file (schema "audit"), so a query
// reads both as one database; the views over the events (audit_event_fields,
// aws_cloudtrail_event) are TEMP views of each reading connection, because a
// view stored in one file cannot name a table of another. The main file's
// writer does not attach it: BEGIN IMMEDIATE would lock every attached file
// and serialize the two writers again.
//
// Events are written (StoreAuditEvents) in transactions of the audit file
// alone; an event stored with its change (audit_pending, in the main file)
// loses its pending row only after its complete record is committed, in a
// second transaction, so a crash between the two leaves the pending row,
// which recovery then finds complete already and removes.
//
// A database an earlier version made keeps its events in the main file: Open
// moves them (moveAuditEvents) once.
//
// On PostgreSQL nothing of this applies: the events are tables of the one
// database and the pending rows go with the complete events' transaction.

// The page caches for the audit file: its writer's, and each reading
// connection's (which reads it only for audit lookups and queries). The
// memory budget is tight: SQLite's allocator here rounds each cached page
// up to 8 KiB, twice its size.
const (
	auditCacheKiB       = 4 << 10
	auditReaderCacheKiB = 1 << 10
)

// auditFilePath names the audit file of the database at path.
func auditFilePath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + ".audit" + ext
}

// auditSchema is the audit file's schema: the event tables with the indexes
// the migrations left them with in the main file (7, 10 and 11), and those
// added since (made when a file lacks them).
var auditSchema = []string{
	`CREATE TABLE IF NOT EXISTS audit_events (seq INTEGER PRIMARY KEY,` + auditEventColumns,
	`CREATE UNIQUE INDEX IF NOT EXISTS audit_events_id ON audit_events (event_id)`,
	`CREATE INDEX IF NOT EXISTS audit_events_account ON audit_events (recipient_account_id, event_time)`,
	`CREATE INDEX IF NOT EXISTS audit_events_event_name ON audit_events ((NULLIF(event_name, '')), event_time)`,
	auditKeysTable,
}

// auditTempViews are the views over the events, made TEMP in each reading
// connection (their released DDL, unchanged but for TEMP).
var auditTempViews = []string{
	strings.Replace(auditFieldsView, "CREATE VIEW", "CREATE TEMP VIEW", 1),
	strings.Replace(strings.TrimPrefix(sqliteViewCloudTrailEvent, "sqlite:"), "CREATE VIEW", "CREATE TEMP VIEW", 1),
}

// auditFileUpgrades bring an audit file's contents up to date, in order;
// PRAGMA user_version counts those it has had (each in the transaction of
// its work, so an interrupted one runs again).
var auditFileUpgrades = [][]string{
	// 1: indexed the types of the events' resources in audit_event_resources,
	// which 2 replaces: nothing left to do.
	nil,
	// 2: index the events in audit_event_keys (auditkeys.go) instead of
	// audit_event_resources and two indexes.
	{backfillAuditKeys("audit_events", "audit_event_keys", ""), `DROP TABLE IF EXISTS audit_event_resources`,
		`DROP INDEX IF EXISTS audit_events_read_only`, `DROP INDEX IF EXISTS audit_events_source`},
}

// upgradeAuditFile runs the upgrades the audit file has not had.
func upgradeAuditFile(ctx context.Context, conn driver.Conn) error {
	q := conn.(driver.QueryerContext)
	ex := conn.(driver.ExecerContext)
	for {
		rows, err := q.QueryContext(ctx, `PRAGMA user_version`, nil)
		if err != nil {
			return err
		}
		v := make([]driver.Value, 1)
		err = rows.Next(v)
		rows.Close()
		if err != nil {
			return err
		}
		n, _ := v[0].(int64)
		if int(n) >= len(auditFileUpgrades) {
			return nil
		}
		steps := append(append([]string{`BEGIN IMMEDIATE`}, auditFileUpgrades[n]...), `PRAGMA user_version = `+strconv.Itoa(int(n)+1), `COMMIT`)
		for _, stmt := range steps {
			if _, err := ex.ExecContext(ctx, stmt, nil); err != nil {
				ex.ExecContext(ctx, `ROLLBACK`, nil)
				return fmt.Errorf("store: upgrading the audit file (%d): %w", n+1, err)
			}
		}
	}
}

var sqliteDriver = &sqlite.Driver{}

// auditConnector opens SQLite connections: the audit file's writer (which
// makes its schema), or a connection to the main file (which attaches the
// audit file and makes the TEMP views when it reads).
type auditConnector struct {
	dsn      string
	writer   bool   // the audit file's own writer
	events   string // the audit file to attach, for a reading connection
	readOnly bool
	snaps    *snapshots // a reading connection's (snapshot.go)
}

func (c *auditConnector) Driver() driver.Driver { return sqliteDriver }

func (c *auditConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := sqliteDriver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	ex := conn.(driver.ExecerContext)
	run := func(q string, args ...driver.NamedValue) error {
		if _, err := ex.ExecContext(ctx, q, args); err != nil {
			conn.Close()
			return fmt.Errorf("store: %s: %w", strings.Fields(q)[0], err)
		}
		return nil
	}
	if c.writer {
		for _, q := range auditSchema {
			if err := run(q); err != nil {
				return nil, err
			}
		}
		if err := upgradeAuditFile(ctx, conn); err != nil {
			conn.Close()
			return nil, err
		}
	}
	if c.readOnly {
		if err := run(`ATTACH DATABASE ? AS audit`, driver.NamedValue{Ordinal: 1, Value: c.events}); err != nil {
			return nil, err
		}
		if err := run(`PRAGMA audit.cache_size = -` + strconv.Itoa(auditReaderCacheKiB)); err != nil {
			return nil, err
		}
		for _, q := range auditTempViews {
			if err := run(q); err != nil {
				return nil, err
			}
		}
		if err := run(`PRAGMA query_only = 1`); err != nil {
			return nil, err
		}
		if sc, ok := conn.(sqliteConn); ok && c.snaps != nil {
			return c.snaps.wrap(sc), nil
		}
	}
	return conn, nil
}

// StoreAuditEvents stores complete events (and, for those stored with their
// change, removes their pending rows afterwards): an event whose id is
// stored already is replaced if it was staged, kept otherwise.
func (s *Store) StoreAuditEvents(ctx context.Context, events []*AuditEvent) error {
	if s.events == s.write { // PostgreSQL: one transaction
		return s.storeEventsPostgres(ctx, events)
	}
	if err := s.WriteEvents(ctx, func(tx *Tx) error { return tx.insertAuditEvents(ctx, events) }); err != nil {
		return err
	}
	return s.removeStaged(ctx, events)
}

// WriteEvents runs fn in one transaction over the event tables: on SQLite
// one of the audit file's (which holds nothing else), on PostgreSQL a Write.
func (s *Store) WriteEvents(ctx context.Context, fn func(tx *Tx) error) error {
	if s.events == s.write {
		return s.Write(ctx, fn)
	}
	return s.runTx(ctx, s.events, fn)
}

// removeStaged deletes the pending rows of the staged events among events.
func (s *Store) removeStaged(ctx context.Context, events []*AuditEvent) error {
	for _, e := range events {
		if e.Staged {
			return s.Write(ctx, func(tx *Tx) error { return tx.deleteStaged(ctx, events) })
		}
	}
	return nil
}

// RecoverAuditEvents stores the pending events stored before before whose
// complete record never came (their process stopped between the change and
// the event's completion), as events without an outcome, and removes their
// pending rows. before must be RecoverPendingAfter ago or more: the
// completion of a live call's event recovered sooner may find it stored
// and keep it without its outcome. An event stored complete meanwhile is
// left as it is. It returns how many it moved in this call (at most limit).
func (s *Store) RecoverAuditEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	if s.events == s.write {
		var n int
		err := s.Write(ctx, func(tx *Tx) error {
			var err error
			n, err = tx.recoverAuditEvents(ctx, before, limit)
			return err
		})
		return n, err
	}
	events, err := s.R().pending(ctx, before, limit)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	if err := s.WriteEvents(ctx, func(tx *Tx) error { return tx.keepAuditEvents(ctx, events) }); err != nil {
		return 0, err
	}
	return len(events), s.removeStaged(ctx, events)
}

// moveAuditEvents moves the events a database made by an earlier version
// keeps in its main file into the audit file, and drops them there: first a
// transaction that copies them (it writes the audit file alone, and keeps
// what a previous, interrupted move copied), then one that drops the main
// file's tables and the views over them. The writer's BEGIN IMMEDIATE makes
// processes opening the database together take turns.
func (s *Store) moveAuditEvents(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, mainHasAuditEvents).Scan(&n); err != nil || n == 0 {
		return err
	}
	// ATTACH takes a bound parameter as the file name.
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS audit`, s.eventsPath); err != nil {
		return fmt.Errorf("store: moving audit events: %w", err)
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE audit`)
	for _, step := range [][]string{{
		`INSERT OR IGNORE INTO audit.audit_events SELECT * FROM main.audit_events ORDER BY seq`,
		backfillAuditKeys("audit.audit_events", "audit.audit_event_keys",
			` AND e.seq IN (SELECT m.seq FROM main.audit_events m WHERE m.event_id = e.event_id)`),
	}, {
		`DROP VIEW IF EXISTS main.aws_cloudtrail_event`,
		`DROP VIEW IF EXISTS main.audit_event_fields`,
		`DROP TABLE IF EXISTS main.audit_event_resources`,
		`DROP TABLE IF EXISTS main.audit_events`,
	}} {
		if err := moveStep(ctx, conn, step); err != nil {
			return fmt.Errorf("store: moving audit events: %w", err)
		}
	}
	return nil
}

// mainHasAuditEvents counts the main file's audit_events tables (0 or 1).
const mainHasAuditEvents = `SELECT COUNT(*) FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_events'`

func moveStep(ctx context.Context, conn *sql.Conn, stmts []string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, mainHasAuditEvents).Scan(&n); err != nil || n == 0 {
		tx.Rollback()
		return err // another process moved them meanwhile
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}
