package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestAnalyzeChanged: on PostgreSQL a table that changed by more than
// autovacuum's threshold is analyzed (once); SQLite has nothing to analyze.
func TestAnalyzeChanged(t *testing.T) {
	ctx := context.Background()
	if got, err := open(t, sqliteURL(t)).AnalyzeChanged(ctx); err != nil || got != nil {
		t.Fatalf("sqlite: %v %v", got, err)
	}
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	s := open(t, storetest.FreshPostgres(t, base))
	s.AnalyzeChanged(ctx) // whatever the migrations changed
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
		if got, err = s.AnalyzeChanged(ctx); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, "settings") {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !slices.Contains(got, "settings") {
		t.Fatalf("analyzed %v, want settings among them", got)
	}
	if got, err := s.AnalyzeChanged(ctx); err != nil || slices.Contains(got, "settings") {
		t.Fatalf("analyzed again: %v %v", got, err)
	}
}
