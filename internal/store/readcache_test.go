package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// checkReadCache: a value read outside a transaction is cached, yet a write
// of this process is seen at once and another process's within the cache's
// second. a and b are two processes over one database; write stores a value
// through a store, read reads it outside a transaction.
func checkReadCache(t *testing.T, a, b *store.Store, write func(s *store.Store, v string), read func(s *store.Store) string) {
	t.Helper()
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
	if err := a.Write(ctx, func(tx *store.Tx) error { return tx.InsertInstance(ctx, in) }); err != nil {
		t.Fatal(err)
	}
	checkReadCache(t, a, b, func(s *store.Store, v string) {
		t.Helper()
		in.Name = v
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateInstance(ctx, in) }); err != nil {
			t.Fatal(err)
		}
	}, func(s *store.Store) string {
		t.Helper()
		got, err := s.R().Instance(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		return got.Name
	})
}

func TestPermissionSetCache(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url)
	ps := &store.PermissionSet{Arn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
		InstanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111", Name: "Admin", SessionDuration: "PT1H", Version: 1, Created: time.Now(), Updated: time.Now()}
	if err := a.Write(ctx, func(tx *store.Tx) error { return tx.InsertPermissionSet(ctx, ps) }); err != nil {
		t.Fatal(err)
	}
	checkReadCache(t, a, b, func(s *store.Store, v string) {
		t.Helper()
		ps.Description = v
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePermissionSet(ctx, ps) }); err != nil {
			t.Fatal(err)
		}
	}, func(s *store.Store) string {
		t.Helper()
		got, err := s.R().PermissionSet(ctx, ps.Arn)
		if err != nil {
			t.Fatal(err)
		}
		return got.Description
	})
	// A deleted permission set is gone at once for the process that
	// deleted it.
	if err := a.Write(ctx, func(tx *store.Tx) error { return tx.DeletePermissionSet(ctx, ps.Arn) }); err != nil {
		t.Fatal(err)
	}
	if _, err := a.R().PermissionSet(ctx, ps.Arn); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after deletion: %v", err)
	}
}
