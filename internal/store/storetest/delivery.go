package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// deliveryTests cover the delivery cursors and digest chains.
var deliveryTests = []test{
	{"RenameDeliveryCursors", testRenameDeliveryCursors},
	{"DeliveryDigestHeads", testDeliveryDigestHeads},
}

func cursorsByName(t *testing.T, s *store.Store) map[string]*store.DeliveryCursor {
	t.Helper()
	cs, err := s.R().DeliveryCursors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*store.DeliveryCursor{}
	for _, c := range cs {
		out[c.Sink] = c
	}
	return out
}

// testRenameDeliveryCursors: a cursor renamed keeps its position, pending
// seqs, lease and version; where the new name is taken, the cursor of the
// new name is kept and the old one dropped; others are left alone.
func testRenameDeliveryCursors(t *testing.T, s *store.Store) {
	ctx := t.Context()
	for _, sink := range []string{"old a", "old b", "new b", "files"} {
		if err := s.EnsureDeliveryCursor(ctx, sink); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if _, err := s.ClaimDeliveryCursor(ctx, "old a", "owner1", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	write(t, s, func(tx *store.Tx) error {
		return tx.AdvanceDeliveryCursor(ctx, "old a", "owner1", 0, 42, `[{"s":40,"t":1}]`, now)
	})
	if _, err := s.ClaimDeliveryCursor(ctx, "new b", "owner2", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	write(t, s, func(tx *store.Tx) error { return tx.AdvanceDeliveryCursor(ctx, "new b", "owner2", 0, 7, "", now) })
	before := cursorsByName(t, s)

	rename := func(sink string) (string, bool) {
		rest, ok := strings.CutPrefix(sink, "old ")
		return "new " + rest, ok
	}
	if err := s.RenameDeliveryCursors(ctx, rename); err != nil {
		t.Fatal(err)
	}
	after := cursorsByName(t, s)
	if len(after) != 3 || after["old a"] != nil || after["old b"] != nil || after["files"] == nil {
		t.Fatalf("cursors after the rename: %v", after)
	}
	a, wantA := after["new a"], *before["old a"]
	wantA.Sink = "new a"
	if a == nil || *a != wantA || a.Seq != 42 || a.Owner != "owner1" || a.Version != 1 {
		t.Errorf("renamed cursor %+v, want %+v", a, wantA)
	}
	if b := after["new b"]; b == nil || *b != *before["new b"] {
		t.Errorf("cursor of the taken name %+v, want %+v", b, before["new b"])
	}
	// The lease goes with the name: another owner cannot claim it.
	if _, err := s.ClaimDeliveryCursor(ctx, "new a", "owner3", now, time.Minute); err != store.ErrClaimed {
		t.Errorf("claim of the renamed cursor by another owner: %v", err)
	}
	// Nothing left to rename.
	if err := s.RenameDeliveryCursors(ctx, rename); err != nil || len(cursorsByName(t, s)) != 3 {
		t.Fatalf("a second rename: %v %v", err, cursorsByName(t, s))
	}
}

// testDeliveryDigestHeads: the newest digest of every chain.
func testDeliveryDigestHeads(t *testing.T, s *store.Store) {
	ctx := t.Context()
	heads, err := s.R().DeliveryDigestHeads(ctx)
	if err != nil || len(heads) != 0 {
		t.Fatalf("heads of no chain: %v %v", heads, err)
	}
	digest := func(acct, region string, n int64) *store.DeliveryDigest {
		return &store.DeliveryDigest{AccountID: acct, Region: region, N: n, Object: acct + "/" + region + "/" + string(rune('0'+n)),
			SHA256: "h", Signature: "s", EndTime: "2025-01-01T00:00:0" + string(rune('0'+n)) + "Z"}
	}
	write(t, s, func(tx *store.Tx) error {
		for _, d := range []*store.DeliveryDigest{digest("111", "us-east-1", 1), digest("111", "us-east-1", 2), digest("111", "us-east-1", 3),
			digest("111", "eu-west-1", 1), digest("222", "us-east-1", 1), digest("222", "us-east-1", 2)} {
			if err := tx.InsertDeliveryDigest(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	heads, err = s.R().DeliveryDigestHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []*store.DeliveryDigest{digest("111", "eu-west-1", 1), digest("111", "us-east-1", 3), digest("222", "us-east-1", 2)}
	if len(heads) != len(want) {
		t.Fatalf("heads %+v", heads)
	}
	for i := range want {
		if *heads[i] != *want[i] {
			t.Errorf("head %d: %+v, want %+v", i, heads[i], want[i])
		}
	}
	if h, err := s.R().DeliveryDigestHead(ctx, "111", "us-east-1"); err != nil || *h != *want[1] {
		t.Errorf("DeliveryDigestHead: %+v %v", h, err)
	}
}
