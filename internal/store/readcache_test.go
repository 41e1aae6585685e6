package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// checkReadCache: a value read outside a transaction is cached, yet a write
// of this process is seen at once and another process's within the cache's
// second. a and b are two processes over one database; change(v) is the
// Write that stores value v, get reads the value outside a transaction.
func checkReadCache(t *testing.T, a, b *store.Store, change func(v string) func(tx *store.Tx) error, get func(q store.Q) (string, error)) {
	t.Helper()
	write := func(s *store.Store, v string) {
		t.Helper()
		mustWrite(t, s, change(v))
	}
	read := func(s *store.Store) string {
		t.Helper()
		v, err := get(s.R())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	write(a, "one")
	if got := read(a); got != "one" {
		t.Fatalf("read %q", got)
	}
	write(a, "two")
	if got := read(a); got != "two" {
		t.Fatalf("after its own write: %q", got)
	}
	read(b) // cached in b
	write(a, "three")
	deadline := time.Now().Add(3 * time.Second)
	for read(b) != "three" {
		if time.Now().After(deadline) {
			t.Fatal("another process's change unseen after 3 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestInstanceCache(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	in := &store.Instance{Arn: "arn:aws:sso:::instance/ssoins-1111111111111111", IdentityStoreID: "d-1111111111", OwnerAccountID: "111111111111",
		Kind: "ORGANIZATION", Status: "ACTIVE", Region: "us-east-1", Created: time.Now(), Updated: time.Now()}
	mustWrite(t, a, func(tx *store.Tx) error { return tx.InsertInstance(ctx, in) })
	checkReadCache(t, a, b, func(v string) func(tx *store.Tx) error {
		in.Name = v
		return func(tx *store.Tx) error { return tx.UpdateInstance(ctx, in) }
	}, func(q store.Q) (string, error) {
		got, err := q.Instance(ctx, in.Arn)
		if err != nil {
			return "", err
		}
		return got.Name, nil
	})
}

func TestPermissionSetCache(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	ps := &store.PermissionSet{Arn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
		InstanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111", Name: "Admin", SessionDuration: "PT1H", Version: 1, Created: time.Now(), Updated: time.Now()}
	mustWrite(t, a, func(tx *store.Tx) error { return tx.InsertPermissionSet(ctx, ps) })
	checkReadCache(t, a, b, func(v string) func(tx *store.Tx) error {
		ps.Description = v
		return func(tx *store.Tx) error { return tx.UpdatePermissionSet(ctx, ps) }
	}, func(q store.Q) (string, error) {
		got, err := q.PermissionSet(ctx, ps.Arn)
		if err != nil {
			return "", err
		}
		return got.Description, nil
	})
	// A deleted permission set is gone at once for the process that
	// deleted it.
	mustWrite(t, a, func(tx *store.Tx) error { return tx.DeletePermissionSet(ctx, ps.Arn) })
	if _, err := a.R().PermissionSet(ctx, ps.Arn); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after deletion: %v", err)
	}
}

// TestAccessCache: what a user reaches through its groups is cached outside
// transactions, yet a write of this process is seen at once, and another
// process's within the cache's second; a new membership is seen at once by
// both.
func TestAccessCache(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url) // two processes over one database
	const (
		inst  = "arn:aws:sso:::instance/ssoins-1111111111111111"
		sid   = "d-1111111111"
		perm1 = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111"
		perm2 = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222"
	)
	member := func(s *store.Store, group string) {
		mustWrite(t, s, func(tx *store.Tx) error {
			return tx.InsertMembership(ctx, &store.Membership{StoreID: sid, ID: "m-" + group, GroupID: group, UserID: "u1", Created: time.Now()})
		})
	}
	assign := func(s *store.Store, perm, account, group string) {
		mustWrite(t, s, func(tx *store.Tx) error {
			_, err := tx.InsertAssignment(ctx, &store.Assignment{PermissionSetArn: perm, AccountID: account, PrincipalType: "GROUP", PrincipalID: group, InstanceArn: inst, Created: time.Now()})
			return err
		})
	}
	access := func(s *store.Store) string {
		t.Helper()
		list, err := s.R().AccessOf(ctx, inst, sid, "USER", "u1", "", "", "", 100)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, p := range list {
			out += fmt.Sprintf("%s/%s/%s ", p.AccountID, p.PermissionSetArn[len(p.PermissionSetArn)-4:], p.PrincipalID)
		}
		return out
	}
	member(a, "g1")
	assign(a, perm1, "111111111111", "g1")
	if got, want := access(a), "111111111111/1111/g1 "; got != want {
		t.Fatalf("access %q, want %q", got, want)
	}
	assign(a, perm2, "111111111111", "g1")
	if got, want := access(a), "111111111111/1111/g1 111111111111/2222/g1 "; got != want {
		t.Fatalf("after its own write: %q, want %q", got, want)
	}
	access(b) // cached in b
	assign(a, perm1, "222222222222", "g1")
	want := "111111111111/1111/g1 111111111111/2222/g1 222222222222/1111/g1 "
	deadline := time.Now().Add(3 * time.Second)
	for access(b) != want {
		if time.Now().After(deadline) {
			t.Fatalf("another process's change unseen after 3 s: %q", access(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The user's groups are read on every call: a membership another
	// process adds is seen at once.
	assign(a, perm1, "333333333333", "g2")
	access(b)
	member(a, "g2")
	if got, want := access(b), want+"333333333333/1111/g2 "; got != want {
		t.Fatalf("a new membership made by another process: %q, want %q", got, want)
	}
}

// TestReadCacheKeptByOtherWrites: a Write that changes none of a cache's
// table leaves what it holds current (a process's other writes do not
// send its reads back to the database), and one that changes it does not.
// a changes an instance and a permission set behind b's back; b's caches
// show the changes only once b itself writes to their tables.
func TestReadCacheKeptByOtherWrites(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	newInstance := func(n string) *store.Instance {
		return &store.Instance{Arn: "arn:aws:sso:::instance/ssoins-" + strings.Repeat(n, 16), IdentityStoreID: "d-" + strings.Repeat(n, 10),
			OwnerAccountID: strings.Repeat(n, 12), Kind: "ACCOUNT", Name: "one", Status: "ACTIVE", Region: "us-east-1", Created: time.Now(), Updated: time.Now()}
	}
	in, other := newInstance("1"), newInstance("2")
	ps := &store.PermissionSet{Arn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
		InstanceArn: in.Arn, Name: "Admin", Description: "one", SessionDuration: "PT1H", Version: 1, Created: time.Now(), Updated: time.Now()}
	mustWrite(t, a, func(tx *store.Tx) error { return tx.InsertInstance(ctx, in) })
	mustWrite(t, a, func(tx *store.Tx) error { return tx.InsertInstance(ctx, other) })
	mustWrite(t, a, func(tx *store.Tx) error { return tx.InsertPermissionSet(ctx, ps) })
	// read returns what b reads of the instance and the permission set.
	read := func() string {
		t.Helper()
		got, err := b.R().Instance(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		p, err := b.R().PermissionSet(ctx, ps.Arn)
		if err != nil {
			t.Fatal(err)
		}
		return got.Name + "/" + p.Description
	}
	current := func() string { return in.Name + "/" + ps.Description }
	for attempt := 0; ; attempt++ {
		cachedAt := time.Now()
		if got := read(); got != current() {
			t.Fatalf("read %q, want %q", got, current())
		}
		cached := current()
		in.Name, ps.Description = fmt.Sprint("a's name ", attempt), fmt.Sprint("a's description ", attempt)
		mustWrite(t, a, func(tx *store.Tx) error {
			if err := tx.UpdateInstance(ctx, in); err != nil {
				return err
			}
			return tx.UpdatePermissionSet(ctx, ps)
		})
		// Writes of b that change neither table: a setting, and the lock
		// of the permission set (an UPDATE that changes nothing).
		mustWrite(t, b, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", in.Name) })
		mustWrite(t, b, func(tx *store.Tx) error { return tx.LockPermissionSet(ctx, ps.Arn) })
		got := read()
		if time.Since(cachedAt) > cacheTTL/2 && attempt < 3 {
			continue // too slow to tell the cache from its expiry: again
		}
		if got != cached {
			t.Fatalf("after b's writes that changed neither table, b read %q, want its cached %q", got, cached)
		}
		break
	}
	// A write of b to another instance, then to the permission set: b
	// reads each again.
	mustWrite(t, b, func(tx *store.Tx) error { other.Name = "two"; return tx.UpdateInstance(ctx, other) })
	if got, err := b.R().Instance(ctx, in.Arn); err != nil || got.Name != in.Name {
		t.Fatalf("after b changed an instance: %v %v, want %q", got, err, in.Name)
	}
	mustWrite(t, b, func(tx *store.Tx) error { return tx.UpdatePermissionSet(ctx, ps) })
	if got := read(); got != current() {
		t.Fatalf("after b changed the permission set: %q, want %q", got, current())
	}
}

// mustWrite runs fn in a Write of s and fails t if it fails.
func mustWrite(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Write(t.Context(), fn); err != nil {
		t.Fatal(err)
	}
}

// cacheTTL is the store's (readcache.go).
const cacheTTL = time.Second
