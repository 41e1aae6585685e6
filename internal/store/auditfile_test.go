package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAuditEventsMovedToTheirFile opens a database an earlier version made,
// with its events in the main file: Open moves them into the audit file
// (once), drops them from the main file, and the views read them there.
func TestAuditEventsMovedToTheirFile(t *testing.T) {
	ctx := context.Background()
	path := closedStore(t)

	// Put the tables back in the main file, as migrations 7-11 left them,
	// with an event and its resource.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE audit_events (seq INTEGER PRIMARY KEY,` + auditEventColumns,
		`CREATE UNIQUE INDEX audit_events_id ON audit_events (event_id)`,
		`CREATE TABLE audit_event_resources (resource_name TEXT NOT NULL, event_time TEXT NOT NULL, event_id TEXT NOT NULL,
			recipient_account_id TEXT NOT NULL, PRIMARY KEY (resource_name, event_time, event_id)) WITHOUT ROWID`,
		auditFieldsView,
		`INSERT INTO audit_events (seq, event_id, event_time, recipient_account_id, event_source, event_name, complete, resources)
			VALUES (7, 'old-1', '2024-05-01 12:00:00.000', '111111111111', 'sso.amazonaws.com', 'CreateInstance', 1, '[{"type":"AWS::SSO::Instance","name":"arn:aws:sso:::instance/ssoins-1"}]')`,
		`INSERT INTO audit_event_resources VALUES ('arn:aws:sso:::instance/ssoins-1', '2024-05-01 12:00:00.000', 'old-1', '111111111111')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	raw.Close()

	for round := 0; round < 2; round++ { // the second open finds nothing to move
		st, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		e, err := st.R().AuditEventByID(ctx, "old-1")
		if err != nil || e.Seq != 7 || e.EventName != "CreateInstance" {
			t.Fatalf("round %d: %+v %v", round, e, err)
		}
		page, err := st.R().AuditEvents(ctx, AuditFilter{Account: "111111111111", Resource: "arn:aws:sso:::instance/ssoins-1", Limit: 10})
		if err != nil || len(page) != 1 {
			t.Fatalf("round %d: lookup by resource: %d %v", round, len(page), err)
		}
		page, err = st.R().AuditEvents(ctx, AuditFilter{Account: "111111111111", ResourceType: "AWS::SSO::Instance", Limit: 10})
		if err != nil || len(page) != 1 {
			t.Fatalf("round %d: lookup by resource type: %d %v", round, len(page), err)
		}
		var name string
		if err := st.R().row(ctx, `SELECT "eventName" FROM audit_event_fields`).Scan(&name); err != nil || name != "CreateInstance" {
			t.Fatalf("round %d: view: %q %v", round, name, err)
		}
		// A new event goes to the audit file, after the moved ones.
		if err := st.StoreAuditEvents(ctx, []*AuditEvent{{EventID: "new-" + strconv.Itoa(round), Time: time.Now(), EventName: "DescribeInstance", Complete: true}}); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	raw, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'audit_event%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the main file still has %d audit tables or views (%v)", n, err)
	}
	if _, err := os.Stat(auditFilePath(path)); err != nil {
		t.Fatal(err)
	}
	ev, err := sql.Open("sqlite", auditFilePath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	if err := ev.QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("the audit file holds %d events (%v), want the moved one and two new", n, err)
	}
}

// TestAuditFileUpgrade opens an audit file made when resources were indexed
// in audit_event_resources and attributes in indexes of audit_events
// (user_version 1, no audit_event_keys): Open indexes its events in
// audit_event_keys and drops the old table and indexes.
func TestAuditFileUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "idcenter.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ev := &AuditEvent{EventID: "e-1", Time: time.Now(), RecipientAccountID: "111111111111", EventName: "CreateGroup", Complete: true,
		EventSource: "identitystore.amazonaws.com", UserName: "alice", AccessKeyID: "AKIAEXAMPLE",
		Resources: []AuditResource{{Type: "AWS::IdentityStore::Group", Name: "g-1"}, {Type: "AWS::IdentityStore::Group", Name: "g-2"}}}
	if err := st.StoreAuditEvents(ctx, []*AuditEvent{ev}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite", auditFilePath(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE audit_event_keys`, `CREATE TABLE audit_event_resources (resource_name TEXT NOT NULL,
		event_time TEXT NOT NULL, event_id TEXT NOT NULL, recipient_account_id TEXT NOT NULL,
		PRIMARY KEY (resource_name, event_time, event_id)) WITHOUT ROWID`,
		auditReadOnlyIndex, auditSourceIndex, `PRAGMA user_version = 1`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	for round := range 2 { // the second open finds nothing to do
		st, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []AuditFilter{
			{Account: "111111111111", ResourceType: "AWS::IdentityStore::Group", Limit: 10},
			{Account: "111111111111", Resource: "g-2", Limit: 10},
			{Account: "111111111111", ReadOnly: new(bool), Limit: 10},
			{Account: "111111111111", EventSource: "identitystore.amazonaws.com", Limit: 10},
			{Account: "111111111111", UserName: "alice", Limit: 10},
			{Account: "111111111111", AccessKeyID: "AKIAEXAMPLE", Limit: 10},
		} {
			page, err := st.R().AuditEvents(ctx, f)
			if err != nil || len(page) != 1 || page[0].EventID != "e-1" {
				t.Fatalf("round %d: lookup %+v after the upgrade: %v %v", round, f, page, err)
			}
		}
		var n int
		if err := st.R().row(ctx, `SELECT COUNT(*) FROM audit.sqlite_master WHERE name IN ('audit_event_resources', 'audit_events_read_only', 'audit_events_source')`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("round %d: %d of the old table and indexes left (%v)", round, n, err)
		}
		st.Close()
	}
}

// TestPendingTableUpgrade opens a database whose audit_pending is the table
// keyed by event id (WITHOUT ROWID) with an event in it: Open moves it to
// the rowid table, where recovery finds it and removes it by rowid.
func TestPendingTableUpgrade(t *testing.T) {
	ctx := context.Background()
	path := closedStore(t)
	doc := `{"EventID":"e-old","Time":"2026-01-02T03:04:05Z","RecipientAccountID":"111111111111","EventName":"CreateGroup","EventSource":"identitystore.amazonaws.com"}`
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE audit_pending`,
		`CREATE TABLE audit_pending (event_id TEXT PRIMARY KEY, created_ms BIGINT NOT NULL, event TEXT NOT NULL) WITHOUT ROWID`,
		`INSERT INTO audit_pending VALUES ('e-old', 1, '` + doc + `')`,
		fmt.Sprintf(`DELETE FROM schema_migrations WHERE version > %d`, slices.IndexFunc(migrations, func(m string) bool {
			return strings.Contains(m, "CREATE TABLE audit_pending_v2")
		}))} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var withoutRowid int
	if err := st.R().row(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit_pending' AND sql LIKE '%WITHOUT ROWID%'`).Scan(&withoutRowid); err != nil || withoutRowid != 0 {
		t.Fatalf("audit_pending is still WITHOUT ROWID (%v)", err)
	}
	pending, err := st.R().PendingAuditEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].EventID != "e-old" || pending[0].PendingRow <= 0 || !pending[0].Staged {
		t.Fatalf("pending after the upgrade: %+v %v", pending, err)
	}
	if n, err := st.RecoverAuditEvents(ctx, time.Now().Add(-RecoverPendingAfter), 10); n != 1 || err != nil {
		t.Fatalf("recovered %d %v", n, err)
	}
	if pending, _ := st.R().PendingAuditEvents(ctx, 10); len(pending) != 0 {
		t.Fatalf("still pending: %+v", pending)
	}
	if e, err := st.R().AuditEventByID(ctx, "e-old"); err != nil || e.Complete || e.EventName != "CreateGroup" {
		t.Fatalf("recovered event %+v %v", e, err)
	}
}

// closedStore makes a new store in a temporary directory, closes it, and
// returns its path: a database to change by hand before Open upgrades it.
func closedStore(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "idcenter.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

// TestReadersMapTheFile: the reading connections map the main file
// (sqliteMmapBytes) and keep a small cache; the writers map nothing.
func TestReadersMapTheFile(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pragma := func(db *sql.DB, name string) int64 {
		var n int64
		if err := db.QueryRowContext(ctx, `PRAGMA `+name).Scan(&n); err != nil {
			t.Fatal(name, err)
		}
		return n
	}
	for i := 0; i < sqliteReaders; i++ { // whichever connection answers
		if got := pragma(s.read, "mmap_size"); got != sqliteMmapBytes {
			t.Fatalf("reader mmap_size %d, want %d", got, sqliteMmapBytes)
		}
	}
	if got := pragma(s.read, "cache_size"); got != -sqliteReaderCacheKiB {
		t.Fatalf("reader cache_size %d, want %d", got, -sqliteReaderCacheKiB)
	}
	for name, db := range map[string]*sql.DB{"writer": s.write, "audit writer": s.events} {
		if got := pragma(db, "mmap_size"); got != 0 {
			t.Fatalf("%s mmap_size %d, want 0", name, got)
		}
	}
}
