package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// TestReadersHoldSnapshots: on SQLite, reads with no commit between them
// share their connections' read transactions, and a commit of this
// process or of another (b) is seen by the very next read.
func TestReadersHoldSnapshots(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	put := func(s *store.Store, v string) {
		t.Helper()
		mustWrite(t, s, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", v) })
	}
	get := func() string {
		t.Helper()
		v, err := a.R().Setting(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	put(a, "0")
	get()
	before := a.SnapshotsBegun()
	if before < 0 {
		t.Fatal("the reading connections run each query in a transaction of its own: the WAL indexes were not mapped")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := get(); got != "0" {
					t.Errorf("read %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := a.SnapshotsBegun() - before; n > 4 {
		t.Errorf("800 reads with no commit between them began %d transactions, want at most one per connection (4)", n)
	}
	for i := 1; i <= 100; i++ {
		w := a
		if i%2 == 0 {
			w = b
		}
		put(w, fmt.Sprint(i))
		if got := get(); got != fmt.Sprint(i) {
			t.Fatalf("after write %d (by %s): read %q", i, map[bool]string{true: "this process", false: "another"}[w == a], got)
		}
	}
	// An idle connection's old transaction is ended by the sweeper.
	begun := a.SnapshotsBegun()
	put(b, "idle")
	time.Sleep(200 * time.Millisecond)
	if got := get(); got != "idle" {
		t.Fatalf("read %q", got)
	}
	if a.SnapshotsBegun() == begun {
		t.Fatal("no new transaction after a commit")
	}
}

// TestIdleSnapshotsEnd: a reading connection left idle with a transaction
// that a commit has made old lets the log be checkpointed past it within
// a moment (the sweeper ends it), where a held transaction would keep the
// frames after its snapshot in the log.
func TestIdleSnapshotsEnd(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	mustWrite(t, a, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", "a") })
	if _, err := a.R().Setting(ctx, "k"); err != nil { // a's reader holds a snapshot
		t.Fatal(err)
	}
	mustWrite(t, b, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", "b") })
	deadline := time.Now().Add(2 * time.Second)
	for {
		log, copied, err := b.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if log > 0 && copied == log {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log's %d frames, %d checkpointed 2 s after the last commit: an idle reader holds an old snapshot", log, copied)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
