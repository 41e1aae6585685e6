package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

// TestEmptyDigests: a chain that has had no digest for DigestPeriod gets a
// digest listing no log files ("logFiles": [], no event times), linked to
// the one before it and starting where it ends, while the server is idle;
// two replicas take turns without forking the chain. Verify finds the
// trail intact, then reports an empty digest removed.
func TestEmptyDigests(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		dir := t.TempDir()
		cfg := delivery.Config{TrailDir: dir, DigestPeriod: 200 * time.Millisecond}
		d1, d2 := start(t, e.Store, cfg), start(t, e.Store, cfg)
		acct := e.Boot.Org.ManagementAccountID
		evs := insert(t, e.Store, acct, "CreateUser")
		digests := func() []*store.DeliveryDigest {
			ds, err := e.Store.R().DeliveryDigests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return ds
		}
		waitFor(t, "empty digests", func() bool { return len(digests()) >= 4 })
		d1.Close()
		d2.Close()

		ds := digests()
		for i, d := range ds {
			raw := gunzip(t, filepath.Join(dir, d.Object))
			var dg delivery.Digest
			if err := json.Unmarshal(raw, &dg); err != nil {
				t.Fatalf("%s: %v", d.Object, err)
			}
			if d.AccountID != acct || d.N != int64(i+1) || dg.DigestS3Object != d.Object || dg.DigestEndTime != d.EndTime {
				t.Fatalf("digest %d: %+v %+v", i, d, dg)
			}
			if i == 0 {
				if len(dg.LogFiles) != 1 || dg.PreviousDigestS3Object != nil {
					t.Fatalf("the first digest: %s", raw)
				}
				seen, _ := trail(t, dir)
				if !allOnce(seen, evs) {
					t.Fatalf("the event's log file: %v", seen)
				}
				continue
			}
			prev := ds[i-1]
			for _, want := range []string{`"logFiles":[]`, `"newestEventTime":null`, `"oldestEventTime":null`} {
				if !bytes.Contains(raw, []byte(want)) {
					t.Errorf("digest %d has no %s: %s", i, want, raw)
				}
			}
			if dg.DigestStartTime != prev.EndTime || *dg.PreviousDigestS3Object != prev.Object ||
				*dg.PreviousDigestHashValue != prev.SHA256 || *dg.PreviousDigestSignature != prev.Signature {
				t.Errorf("digest %d does not follow digest %d: %s", i, i-1, raw)
			}
			if gap := mustTime(t, dg.DigestEndTime).Sub(mustTime(t, dg.DigestStartTime)); gap < time.Second {
				t.Errorf("digest %d spans %v", i, gap)
			}
		}
		r, err := delivery.Verify(ctx, e.Store.R(), dir)
		if err != nil || len(r.Problems) != 0 || r.Digests != len(ds) || r.LogFiles != 1 {
			t.Fatalf("intact trail: %+v %v", r, err)
		}

		// An empty digest removed breaks the chain.
		removed := ds[2].Object
		if err := os.Remove(filepath.Join(dir, removed)); err != nil {
			t.Fatal(err)
		}
		r, err = delivery.Verify(ctx, e.Store.R(), dir)
		if err != nil || len(r.Problems) != 1 || r.Problems[0].Kind != delivery.Removed || r.Problems[0].Path != removed || r.Digests != len(ds)-1 {
			t.Fatalf("an empty digest removed: %+v %v", r, err)
		}
	})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02T15:04:05Z", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
