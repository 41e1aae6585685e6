package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	{"ReadsWithCanceledContext", testReadsWithCanceledContext},
	{"ConcurrentWrites", testConcurrentWrites},
	{"FailingWriteInBatch", testFailingWriteInBatch},
	{"UniqueViolationInBatch", testUniqueViolationInBatch},
	{"ReadsAndWritesInBatch", testReadsAndWritesInBatch},
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

// testReadsWithCanceledContext: a bounded read (R) runs to its end whatever
// its context (watching a request's cancellation cost more than the read);
// a long one (RLong) stops when its context is canceled.
func testReadsWithCanceledContext(t *testing.T, s *store.Store) {
	write(t, s, func(tx *store.Tx) error { return tx.PutSetting(t.Context(), "s", "v") })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 3 { // a cached statement, a connection reused
		if got, err := s.R().Setting(ctx, "s"); err != nil || got != "v" {
			t.Fatalf("R().Setting with a canceled context = %q, %v; want v", got, err)
		}
		if _, err := s.R().UsersAfter(ctx, storeA, "", "", 10); err != nil { // rows, not a row
			t.Fatalf("R().UsersAfter with a canceled context: %v", err)
		}
		if _, err := s.RLong().Setting(ctx, "s"); !errors.Is(err, context.Canceled) {
			t.Fatalf("RLong().Setting with a canceled context returned %v, want context.Canceled", err)
		}
	}
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

// Batch runs fn(i) for i < n in concurrent Writes queued while other Writes
// hold every lane (store.WriteLanes), so that they share a transaction: a
// group commit on SQLite, a batch on PostgreSQL. It returns each Write's
// error and the clocks of the transactions its function ran in (the same
// for the writes of one group; a write runs again when its group fails).
func Batch(t *testing.T, s *store.Store, n int, fn func(i int, tx *store.Tx) error) ([]error, [][]time.Time) {
	t.Helper()
	ctx := t.Context()
	errs, nows := make([]error, n), make([][]time.Time, n)
	var started, holding sync.WaitGroup
	started.Add(n)
	lanes := s.WriteLanes()
	holding.Add(lanes)
	var hold sync.WaitGroup
	for h := range lanes {
		hold.Add(1)
		go func() {
			defer hold.Done()
			held := false
			if err := s.Write(ctx, func(tx *store.Tx) error {
				if held { // a retry
					return nil
				}
				held = true
				holding.Done()
				started.Wait()
				time.Sleep(100 * time.Millisecond) // for the writers to queue
				return tx.PutSetting(ctx, fmt.Sprintf("hold-%d", h), "done")
			}); err != nil {
				t.Errorf("a holding Write: %v", err)
			}
		}()
	}
	holding.Wait()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			errs[i] = s.Write(ctx, func(tx *store.Tx) error {
				nows[i] = append(nows[i], tx.Now)
				return fn(i, tx)
			})
		}()
	}
	wg.Wait()
	hold.Wait()
	return errs, nows
}

// sharedBatch reports whether a failed write ran in a transaction (known by
// its clock), and so a group commit or batch, with one that succeeded.
func sharedBatch(errs []error, nows [][]time.Time) bool {
	ok := map[time.Time]bool{}
	for i, err := range errs {
		for _, now := range nows[i] {
			ok[now] = ok[now] || err == nil
		}
	}
	for i, err := range errs {
		if err != nil && slices.ContainsFunc(nows[i], func(now time.Time) bool { return ok[now] }) {
			return true
		}
	}
	return false
}

func testFailingWriteInBatch(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const n = 30
	errs, nows := Batch(t, s, n, func(i int, tx *store.Tx) error {
		id := fmt.Sprintf("u%02d", i)
		if err := tx.InsertUser(ctx, user(storeA, id, "name-"+id, "")); err != nil {
			return err
		}
		if err := tx.PutTag(ctx, "arn:shared", store.Tag{Key: id, Value: "v"}); err != nil {
			return err
		}
		switch {
		case i%5 == 3:
			panic("boom")
		case i%3 == 1:
			return errBoom
		}
		return nil
	})
	var want []store.Tag
	for i, err := range errs {
		id := fmt.Sprintf("u%02d", i)
		_, rerr := s.R().User(ctx, storeA, id)
		switch {
		case i%5 == 3:
			if err == nil || !strings.Contains(err.Error(), "panic in transaction: boom") {
				t.Fatalf("write %d, whose function panics, returned %v", i, err)
			}
			wantNotFound(t, "the user of a write that panicked", rerr)
			continue
		case i%3 == 1:
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
	if !sharedBatch(errs, nows) {
		t.Fatal("no failed write shared a transaction with a successful one; the test did not test the batch's failure")
	}
}

func testUniqueViolationInBatch(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertUsers(t, s, user(storeA, "taken", "taken", "taken@example.com"))
	const n = 30
	errs, nows := Batch(t, s, n, func(i int, tx *store.Tx) error {
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
	if !sharedBatch(errs, nows) {
		t.Fatal("no refused write shared a transaction with a successful one; the test did not test the batch's failure")
	}
}

// testReadsAndWritesInBatch: writes that share a transaction (on
// PostgreSQL, with their statements pipelined) each see their own writes,
// queries and statements interleave without harm, and of the writes that
// compare and set one instance's status, one wins.
func testReadsAndWritesInBatch(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := creatingInstance(t, s)
	const n = 24
	errs, nows := Batch(t, s, n, func(i int, tx *store.Tx) error {
		id := fmt.Sprintf("u%02d", i)
		if added, err := tx.AddUser(ctx, user(storeA, id, "name-"+id, id+"@example.com")); err != nil || !added {
			return fmt.Errorf("AddUser: %v, %v", added, err)
		}
		if added, err := tx.AddUser(ctx, user(storeA, id+"-again", "name-"+id, "")); err != nil || added {
			return fmt.Errorf("AddUser of a taken name: %v, %v", added, err)
		}
		got, err := tx.User(ctx, storeA, id)
		if err != nil || got.UserNameKey != "name-"+id {
			return fmt.Errorf("the write does not read its user back: %+v, %v", got, err)
		}
		if _, err := tx.User(ctx, storeA, id+"-absent"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("a user never stored: %v", err)
		}
		if err := tx.PutSetting(ctx, "setting-"+id, "v-"+id); err != nil {
			return err
		}
		if v, err := tx.Setting(ctx, "setting-"+id); err != nil || v != "v-"+id {
			return fmt.Errorf("the write does not read its setting back: %q, %v", v, err)
		}
		up := *got
		up.UserNameKey = "renamed-" + id
		if err := tx.UpdateUser(ctx, &up); err != nil {
			return err
		}
		if list, err := tx.UsersAfter(ctx, storeA, "", "renamed-"+id, 10); err != nil || len(list) != 1 {
			return fmt.Errorf("UsersAfter its update: %v, %v", list, err)
		}
		if i%3 == 0 {
			// Every third competes for the one move of the status; the
			// losers find no instance in the state they expect.
			err := tx.SetInstanceStatus(ctx, in.Arn, "CREATE_IN_PROGRESS", "ACTIVE", fmt.Sprint(i), at(i))
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil {
				return tx.PutTag(ctx, "arn:won", store.Tag{Key: id, Value: "won"})
			}
		}
		return nil
	})
	for i, err := range errs {
		id := fmt.Sprintf("u%02d", i)
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if len(nows[i]) != 1 { // (a batch that fails runs its writes again)
			t.Fatalf("write %d ran %d times: its batch failed", i, len(nows[i]))
		}
		if got, err := s.R().UserIDByName(ctx, storeA, "renamed-"+id); err != nil || got != id {
			t.Fatalf("user %s after the commit: %q, %v", id, got, err)
		}
		if v, err := s.R().Setting(ctx, "setting-"+id); err != nil || v != "v-"+id {
			t.Fatalf("setting of write %d after the commit: %q, %v", i, v, err)
		}
	}
	won, err := s.R().Tags(ctx, "arn:won")
	if err != nil || len(won) != 1 {
		t.Fatalf("the writes that moved the status: %v, %v; want one", won, err)
	}
	got, err := s.R().Instance(ctx, in.Arn)
	if err != nil || got.Status != "ACTIVE" {
		t.Fatalf("the instance after the batch: %+v, %v", got, err)
	}
	clocks := map[time.Time]int{}
	for _, list := range nows {
		clocks[list[len(list)-1]]++
	}
	if len(clocks) == n {
		t.Fatal("no two writes shared a transaction; the test did not test a batch")
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

// creatingInstance stores an account instance whose status is
// CREATE_IN_PROGRESS, for writes to compete to move.
func creatingInstance(t *testing.T, s *store.Store) *store.Instance {
	t.Helper()
	in := instance(1, "ACCOUNT", "111111111111", "")
	in.Status = "CREATE_IN_PROGRESS"
	insertInstances(t, s, in)
	return in
}

func testConcurrentCompareAndSet(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := creatingInstance(t, s)
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
