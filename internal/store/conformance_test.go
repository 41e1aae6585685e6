package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestConformance runs the conformance suite on SQLite (a file in a
// temporary directory) and, when IDCENTER_POSTGRES_URL is set, on PostgreSQL
// in a fresh schema per test.
func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) *store.Store { return open(t, sqliteURL(t)) })
		storetest.RunOpen(t, sqliteURL, store.Migrations)
	})
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Log("IDCENTER_POSTGRES_URL is not set: PostgreSQL not tested")
		return
	}
	postgresURL := func(t *testing.T) string { return storetest.FreshPostgres(t, base) }
	t.Run("postgres", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) *store.Store { return open(t, postgresURL(t)) })
		storetest.RunOpen(t, postgresURL, store.Migrations)
	})
}

func sqliteURL(t *testing.T) string { return filepath.Join(t.TempDir(), "idcenter.db") }

func open(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCloseTwice: a store closed twice (a deferred Close after an explicit
// one) does not panic; writes after Close fail.
func TestCloseTwice(t *testing.T) {
	s := open(t, sqliteURL(t))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Write(t.Context(), func(tx *store.Tx) error { return tx.PutSetting(t.Context(), "k", "v") }); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}
