package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestConnect: on PostgreSQL Connect opens the whole pool (16 server
// processes), which stays open for the calls to come; on SQLite it has
// nothing to do.
func TestConnect(t *testing.T) {
	ctx := t.Context()
	if err := open(t, sqliteURL(t)).Connect(ctx); err != nil {
		t.Fatalf("SQLite: %v", err)
	}
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	app := fmt.Sprintf("idcenter-connect-test-%d", time.Now().UnixNano())
	pg := open(t, storetest.FreshPostgres(t, base)+"&application_name="+app)
	watch, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	backends := func() int {
		t.Helper()
		var n int
		if err := watch.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := backends(); n >= 16 {
		t.Fatalf("%d connections before Connect", n)
	}
	if err := pg.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if n := backends(); n != 16 {
		t.Fatalf("%d connections after Connect, want 16", n)
	}
}
