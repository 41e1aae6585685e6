package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestWriterStatementsPrepared: a statement the writer runs is prepared
// after its first runs and reused by later transactions; the writes stay
// right before and after.
func TestWriterStatementsPrepared(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "idcenter.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(k string) {
		t.Helper()
		if err := s.Write(ctx, func(tx *Tx) error { return tx.PutSetting(ctx, k, "v-"+k) }); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	var query string
	deadline := time.Now().Add(10 * time.Second)
	for query == "" && time.Now().Before(deadline) {
		s.gc.ws.stmts.Range(func(k, _ any) bool {
			if q := k.(string); len(q) > 0 {
				query = q
			}
			return false
		})
		time.Sleep(5 * time.Millisecond)
	}
	if query == "" {
		t.Fatal("no statement of the writer was prepared")
	}
	for _, k := range []string{"b", "c", "d"} {
		put(k)
	}
	for _, k := range []string{"a", "b", "c", "d"} {
		if v, err := s.R().Setting(ctx, k); err != nil || v != "v-"+k {
			t.Fatalf("setting %s = %q, %v", k, v, err)
		}
	}
	// A statement refused by a constraint, prepared or not, reports it.
	if err := s.Write(ctx, func(tx *Tx) error {
		return tx.InsertUser(ctx, &User{StoreID: "d-1", ID: "u", UserNameKey: "n", Doc: []byte("{}")})
	}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		err := s.Write(ctx, func(tx *Tx) error {
			return tx.InsertUser(ctx, &User{StoreID: "d-1", ID: "u", UserNameKey: "n", Doc: []byte("{}")})
		})
		if !errors.Is(err, ErrAlreadyExists) {
			t.Fatalf("round %d: a duplicate user: %v", i, err)
		}
		time.Sleep(20 * time.Millisecond) // (prepared meanwhile)
	}
}

func TestPadIn(t *testing.T) {
	for _, tc := range []struct{ keys, want int }{{0, 0}, {1, 1}, {2, 2}, {3, 4}, {5, 8}, {8, 8}, {9, 16}} {
		args := []any{"fixed"}
		for i := 0; i < tc.keys; i++ {
			args = append(args, i)
		}
		got := padIn(args, 1)
		if len(got)-1 != tc.want || (tc.keys > 0 && got[len(got)-1] != tc.keys-1) || got[0] != "fixed" {
			t.Errorf("%d keys: %v", tc.keys, got)
		}
	}
}
