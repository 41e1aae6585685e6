package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// txTests cover Write: atomicity, isolation of a failing write from the
// others (SQLite commits writes in groups, each under its own savepoint),
// concurrency and read-your-writes.
var txTests = []test{
	{"FailedWriteKeepsNothing", testFailedWriteKeepsNothing},
	{"TxSeesItsOwnWrites", testTxSeesItsOwnWrites},
	{"CanceledContext", testCanceledContext},
	{"ConcurrentWrites", testConcurrentWrites},
	{"FailingWriteInBatch", testFailingWriteInBatch},
	{"UniqueViolationInBatch", testUniqueViolationInBatch},
	{"ConcurrentUniqueInserts", testConcurrentUniqueInserts},
	{"ConcurrentCompareAndSet", testConcurrentCompareAndSet},
	{"ReadYourWrites", testReadYourWrites},
}

var errBoom = errors.New("boom")

func testFailedWriteKeepsNothing(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ACCOUNT", "111111111111", "")
	err := s.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertInstance(ctx, in); err != nil {
			return err
		}
		if err := tx.PutTag(ctx, in.Arn, store.Tag{Key: "k", Value: "v"}); err != nil {
			return err
		}
		if err := tx.InsertUser(ctx, user(in.IdentityStoreID, "u1", "alice", "")); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, "s", "v"); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Write returned %v, want the function's error", err)
	}
	_, err = s.R().Instance(ctx, in.Arn)
	wantNotFound(t, "an instance of a failed write", err)
	_, err = s.R().User(ctx, in.IdentityStoreID, "u1")
	wantNotFound(t, "a user of a failed write", err)
	_, err = s.R().Setting(ctx, "s")
	wantNotFound(t, "a setting of a failed write", err)
	if tags, err := s.R().Tags(ctx, in.Arn); err != nil || len(tags) != 0 {
		t.Fatalf("tags of a failed write: %v, %v", tags, err)
	}

	// A write failing on a constraint after a successful statement keeps
	// neither.
	insertUsers(t, s, user(storeA, "u1", "alice", ""))
	err = s.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertGroup(ctx, group(storeA, "g1", "admins")); err != nil {
			return err
		}
		return tx.InsertUser(ctx, user(storeA, "u2", "alice", ""))
	})
	wantConstraint(t, "a write failing on a taken user name", err, "users_name")
	_, err = s.R().Group(ctx, storeA, "g1")
	wantNotFound(t, "a group of a write that failed later", err)

	// The store takes writes after failed ones.
	insertUsers(t, s, user(storeA, "u3", "carol", ""))
}

func testTxSeesItsOwnWrites(t *testing.T, s *store.Store) {
	ctx := t.Context()
	u := user(storeA, "u1", "alice", "alice@example.com")
	write(t, s, func(tx *store.Tx) error {
		if tx.Now.IsZero() || tx.Now.Location() != time.UTC {
			return fmt.Errorf("tx.Now = %v, want a UTC time", tx.Now)
		}
		if err := tx.InsertUser(ctx, u); err != nil {
			return err
		}
		got, err := tx.User(ctx, storeA, "u1")
		if err != nil {
			return fmt.Errorf("the transaction does not see its insert: %w", err)
		}
		if got.UserNameKey != "alice" {
			return fmt.Errorf("the transaction reads %+v", got)
		}
		if id, err := tx.UserIDByEmail(ctx, storeA, "alice@example.com"); err != nil || id != "u1" {
			return fmt.Errorf("the transaction's UserIDByEmail: %q, %v", id, err)
		}
		// Others do not see it before the commit.
		if _, err := s.R().User(ctx, storeA, "u1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("a read outside the transaction before its commit: %v, want ErrNotFound", err)
		}
		up := *u
		up.UserNameKey = "alicia"
		if err := tx.UpdateUser(ctx, &up); err != nil {
			return err
		}
		list, err := tx.UsersAfter(ctx, storeA, "", "alicia", 10)
		if err != nil || len(list) != 1 {
			return fmt.Errorf("the transaction's UsersAfter after its update: %v, %v", list, err)
		}
		return nil
	})
	if id, err := s.R().UserIDByName(ctx, storeA, "alicia"); err != nil || id != "u1" {
		t.Fatalf("after the commit: %q, %v", id, err)
	}
}

func testCanceledContext(t *testing.T, s *store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(t.Context(), "s", "v") })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a canceled context returned %v, want context.Canceled", err)
	}
	_, err = s.R().Setting(t.Context(), "s")
	wantNotFound(t, "a setting written with a canceled context", err)
}

func testConcurrentWrites(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const workers, each = 20, 10
	var wg sync.WaitGroup
	errc := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				id := fmt.Sprintf("u-%02d-%02d", w, i)
				errc <- s.Write(ctx, func(tx *store.Tx) error {
					if err := tx.InsertUser(ctx, user(storeA, id, "name-"+id, id+"@example.com")); err != nil {
						return err
					}
					return tx.PutSetting(ctx, fmt.Sprintf("worker-%02d", w), id)
				})
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("a concurrent Write: %v", err)
		}
	}
	list, err := s.R().UsersAfter(ctx, storeA, "", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != workers*each {
		t.Fatalf("%d users after %d concurrent inserts", len(list), workers*each)
	}
	for w := 0; w < workers; w++ {
		for i := 0; i < each; i++ {
			id := fmt.Sprintf("u-%02d-%02d", w, i)
			if got, err := s.R().UserIDByEmail(ctx, storeA, id+"@example.com"); err != nil || got != id {
				t.Fatalf("user %s: %q, %v", id, got, err)
			}
		}
		// Each worker's writes landed in order.
		if v, err := s.R().Setting(ctx, fmt.Sprintf("worker-%02d", w)); err != nil || v != fmt.Sprintf("u-%02d-%02d", w, each-1) {
			t.Fatalf("worker %d's last setting: %q, %v", w, v, err)
		}
	}
}

// batch runs fn(i) for i < n in concurrent Writes queued while another Write
// holds the writer, so that on SQLite they share a group commit. It returns
// each Write's error and the clock its transaction saw (which is the same
// for the writes of one SQLite group).
func batch(t *testing.T, s *store.Store, n int, fn func(i int, tx *store.Tx) error) ([]error, []time.Time) {
	t.Helper()
	ctx := t.Context()
	errs, nows := make([]error, n), make([]time.Time, n)
	var started sync.WaitGroup
	started.Add(n)
	held := make(chan struct{})
	var hold sync.WaitGroup
	hold.Add(1)
	go func() {
		defer hold.Done()
		if err := s.Write(ctx, func(tx *store.Tx) error {
			select {
			case <-held: // a retry
				return nil
			default:
			}
			close(held)
			started.Wait()
			time.Sleep(100 * time.Millisecond) // for the writers to queue
			return tx.PutSetting(ctx, "hold", "done")
		}); err != nil {
			t.Errorf("the holding Write: %v", err)
		}
	}()
	<-held
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			errs[i] = s.Write(ctx, func(tx *store.Tx) error {
				nows[i] = tx.Now
				return fn(i, tx)
			})
		}()
	}
	wg.Wait()
	hold.Wait()
	return errs, nows
}

// sharedBatch reports whether a failed write shared its SQLite group commit
// with a successful one.
func sharedBatch(errs []error, nows []time.Time) bool {
	ok := map[time.Time]bool{}
	for i, err := range errs {
		if err == nil {
			ok[nows[i]] = true
		}
	}
	for i, err := range errs {
		if err != nil && ok[nows[i]] {
			return true
		}
	}
	return false
}

func testFailingWriteInBatch(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const n = 30
	errs, nows := batch(t, s, n, func(i int, tx *store.Tx) error {
		id := fmt.Sprintf("u%02d", i)
		if err := tx.InsertUser(ctx, user(storeA, id, "name-"+id, "")); err != nil {
			return err
		}
		if err := tx.PutTag(ctx, "arn:shared", store.Tag{Key: id, Value: "v"}); err != nil {
			return err
		}
		if i%3 == 1 {
			return errBoom
		}
		return nil
	})
	var want []store.Tag
	for i, err := range errs {
		id := fmt.Sprintf("u%02d", i)
		_, rerr := s.R().User(ctx, storeA, id)
		if i%3 == 1 {
			if !errors.Is(err, errBoom) {
				t.Fatalf("write %d returned %v, want its function's error", i, err)
			}
			wantNotFound(t, "the user of a failed write", rerr)
			continue
		}
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if rerr != nil {
			t.Fatalf("the user of successful write %d: %v", i, rerr)
		}
		want = append(want, store.Tag{Key: id, Value: "v"})
	}
	tags, err := s.R().Tags(ctx, "arn:shared")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the tags the successful writes put", tags, want)
	if s.Flavor() == "sqlite" && !sharedBatch(errs, nows) {
		t.Fatal("no failed write shared a group commit with a successful one; the test did not test the savepoints")
	}
}

func testUniqueViolationInBatch(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertUsers(t, s, user(storeA, "taken", "taken", "taken@example.com"))
	const n = 30
	errs, nows := batch(t, s, n, func(i int, tx *store.Tx) error {
		id := fmt.Sprintf("u%02d", i)
		if err := tx.InsertGroup(ctx, group(storeA, "g"+id, "group-"+id)); err != nil {
			return err
		}
		name, email := "name-"+id, id+"@example.com"
		switch i % 4 {
		case 1:
			name = "taken"
		case 2:
			email = "taken@example.com"
		}
		return tx.InsertUser(ctx, user(storeA, id, name, email))
	})
	for i, err := range errs {
		id := fmt.Sprintf("u%02d", i)
		_, uerr := s.R().User(ctx, storeA, id)
		_, gerr := s.R().Group(ctx, storeA, "g"+id)
		switch i % 4 {
		case 1, 2:
			wantConstraint(t, fmt.Sprintf("write %d", i), err, map[int]string{1: "users_name", 2: "users_email"}[i%4])
			wantNotFound(t, "the user of a refused write", uerr)
			wantNotFound(t, "the group of a refused write", gerr)
		default:
			if err != nil || uerr != nil || gerr != nil {
				t.Fatalf("write %d: %v; its user: %v; its group: %v", i, err, uerr, gerr)
			}
		}
	}
	if s.Flavor() == "sqlite" && !sharedBatch(errs, nows) {
		t.Fatal("no refused write shared a group commit with a successful one; the test did not test the savepoints")
	}
}

func testConcurrentUniqueInserts(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(ctx, func(tx *store.Tx) error {
				return tx.InsertUser(ctx, user(storeA, fmt.Sprintf("u%02d", i), "alice", ""))
			})
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantConstraint(t, fmt.Sprintf("concurrent insert %d of one name", i), err, "users_name")
	}
	if won != 1 {
		t.Fatalf("%d concurrent inserts of one user name succeeded, want 1", won)
	}
	if list, err := s.R().UsersAfter(ctx, storeA, "", "", 100); err != nil || len(list) != 1 {
		t.Fatalf("users after concurrent inserts of one name: %d, %v", len(list), err)
	}
}

func testConcurrentCompareAndSet(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ACCOUNT", "111111111111", "")
	in.Status = "CREATE_IN_PROGRESS"
	insertInstances(t, s, in)
	const n = 16
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Write(ctx, func(tx *store.Tx) error {
				return tx.SetInstanceStatus(ctx, in.Arn, "CREATE_IN_PROGRESS", "ACTIVE", fmt.Sprint(i), at(i))
			})
			switch {
			case err == nil:
				won.Add(1)
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("concurrent SetInstanceStatus: %v", err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d concurrent SetInstanceStatus of one move succeeded, want 1", won.Load())
	}
}

func testReadYourWrites(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("counter-%d", w)
			for i := 0; i < each; i++ {
				id := fmt.Sprintf("u-%d-%d", w, i)
				if err := s.Write(ctx, func(tx *store.Tx) error {
					if err := tx.InsertUser(ctx, user(storeA, id, id, "")); err != nil {
						return err
					}
					return tx.PutSetting(ctx, name, fmt.Sprint(i))
				}); err != nil {
					t.Errorf("Write: %v", err)
					return
				}
				if _, err := s.R().User(ctx, storeA, id); err != nil {
					t.Errorf("a read right after the Write of user %s: %v", id, err)
					return
				}
				if v, err := s.R().Setting(ctx, name); err != nil || v != fmt.Sprint(i) {
					t.Errorf("a read right after the Write of %s=%d: %q, %v", name, i, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
