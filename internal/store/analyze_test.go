package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestMaintainTables: on PostgreSQL a table that changed by more than
// autovacuum's threshold is analyzed (once), one with dead rows vacuumed;
// SQLite has nothing to do.
func TestMaintainTables(t *testing.T) {
	ctx := context.Background()
	if got, err := open(t, sqliteURL(t)).MaintainTables(ctx); err != nil || got != nil {
		t.Fatalf("sqlite: %v %v", got, err)
	}
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	url := storetest.FreshPostgres(t, base)
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

	// Dead rows: the table is vacuumed.
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM settings`); err != nil {
		t.Fatal(err)
	}
	vacuumed := false
	for i := 0; i < 50 && !vacuumed; i++ {
		if _, err := s.MaintainTables(ctx); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow(`SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'settings'`).Scan(&vacuumed); err != nil {
			t.Fatal(err)
		}
		if !vacuumed {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !vacuumed {
		t.Fatal("settings, with 200 dead rows, was not vacuumed")
	}
}
