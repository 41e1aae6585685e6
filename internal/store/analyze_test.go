package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// TestMaintainTables: on PostgreSQL a table that changed by more than
// autovacuum's threshold is analyzed (once), one with dead rows vacuumed;
// SQLite has nothing to do.
func TestMaintainTables(t *testing.T) {
	ctx := context.Background()
	if got, err := open(t, sqliteURL(t)).MaintainTables(ctx); err != nil || got != nil {
		t.Fatalf("sqlite: %v %v", got, err)
	}
	url := postgresURL(t)
	s := open(t, url)
	s.MaintainTables(ctx) // whatever the migrations changed
	if err := s.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 200; i++ {
			if err := tx.PutSetting(ctx, fmt.Sprint("k", i), "v"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The statistics collector reports changes when a transaction ends;
	// give it a moment.
	var got []string
	for i := 0; i < 50 && !slices.Contains(got, "settings"); i++ {
		var err error
		if got, err = s.MaintainTables(ctx); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, "settings") {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !slices.Contains(got, "settings") {
		t.Fatalf("analyzed %v, want settings among them", got)
	}
	if got, err := s.MaintainTables(ctx); err != nil || slices.Contains(got, "settings") {
		t.Fatalf("analyzed again: %v %v", got, err)
	}

	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	vacuums := func() int {
		var n int
		if err := raw.QueryRow(`SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'settings'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := vacuums(); n != 0 {
		t.Fatalf("settings, 200 rows inserted, vacuumed %d times", n)
	}
	vacuumedAgain := func(what string, before int) {
		t.Helper()
		for i := 0; i < 50 && vacuums() == before; i++ {
			if _, err := s.MaintainTables(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if vacuums() == before {
			t.Fatalf("settings, with %s, was not vacuumed", what)
		}
	}

	// Many new rows (past autovacuum's insert threshold): the table is
	// vacuumed, so that index-only scans need not read it.
	if _, err := raw.Exec(`INSERT INTO settings (name, value) SELECT 'n' || g, 'v' FROM generate_series(1, 1500) AS g`); err != nil {
		t.Fatal(err)
	}
	vacuumedAgain("1,500 new rows", 0)

	// Dead rows: the table is vacuumed.
	before := vacuums()
	if _, err := raw.Exec(`DELETE FROM settings`); err != nil {
		t.Fatal(err)
	}
	vacuumedAgain("1,700 dead rows", before)
}
