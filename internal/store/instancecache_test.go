package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// TestInstanceCache: an instance read outside a transaction is cached, yet
// a write of this process is seen at once and another process's within the
// cache's second.
func TestInstanceCache(t *testing.T) {
	ctx := context.Background()
	url := sqliteURL(t)
	a, b := open(t, url), open(t, url) // two processes over one database
	in := &store.Instance{Arn: "arn:aws:sso:::instance/ssoins-1111111111111111", IdentityStoreID: "d-1111111111", OwnerAccountID: "111111111111",
		Kind: "ORGANIZATION", Status: "ACTIVE", Region: "us-east-1", Created: time.Now(), Updated: time.Now()}
	write := func(s *store.Store, status string) {
		t.Helper()
		in.Status = status
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateInstance(ctx, in) }); err != nil {
			t.Fatal(err)
		}
	}
	status := func(s *store.Store) string {
		t.Helper()
		got, err := s.R().Instance(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if err := a.Write(ctx, func(tx *store.Tx) error { return tx.InsertInstance(ctx, in) }); err != nil {
		t.Fatal(err)
	}
	if got := status(a); got != "ACTIVE" {
		t.Fatalf("status %s", got)
	}
	write(a, "DELETE_IN_PROGRESS")
	if got := status(a); got != "DELETE_IN_PROGRESS" {
		t.Fatalf("after its own write: %s", got)
	}
	status(b) // cached in b
	write(a, "ACTIVE")
	deadline := time.Now().Add(3 * time.Second)
	for status(b) != "ACTIVE" {
		if time.Now().After(deadline) {
			t.Fatal("another process's change unseen after 3 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
