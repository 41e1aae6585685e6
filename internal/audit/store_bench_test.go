package audit_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// BenchmarkWriteWithEvent compares a small write alone with the same write
// carrying its audit event (stored in its transaction), on SQLite.
func BenchmarkWriteWithEvent(b *testing.B) {
	for _, withEvent := range []bool{false, true} {
		b.Run(fmt.Sprintf("event=%v", withEvent), func(b *testing.B) {
			st, err := store.Open(ctx, filepath.Join(b.TempDir(), "idcenter.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			tr := audit.New(st, nil)
			defer tr.Close()
			var n atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					c := ctx
					var p *store.PendingEvent
					if withEvent {
						c, p = tr.BeginChange(ctx, audit.Change{Source: "identitystore.amazonaws.com", Name: "CreateUser", AccountID: "111111111111", OrgID: "o-aaaaaaaaaa",
							Params: map[string]string{"IdentityStoreId": "d-1234567890", "UserName": fmt.Sprint("u", i)}})
						p.Event.Time = time.Now()
					}
					if err := st.Write(c, func(tx *store.Tx) error { return tx.PutSetting(c, fmt.Sprint("k", i), "v") }); err != nil {
						b.Fatal(err)
					}
					_ = p
				}
			})
		})
	}
}

// BenchmarkStoreEvents measures storing complete events (as the writer
// does, 200 per transaction) on SQLite: the database's cost per event.
func BenchmarkStoreEvents(b *testing.B) {
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "idcenter.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const batch = 200
	evs := make([]*store.AuditEvent, batch)
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		for j := range evs {
			e := event(ids.TimeUUID(), "o-aaaaaaaaaa", "111111111111", "DescribeUser", time.Now())
			e.RequestParameters = `{"identityStoreId":"d-1234567890","userId":"5a1f1b2c-1111-2222-3333-444455556666"}`
			e.Resources = []store.AuditResource{{Type: "AWS::IdentityStore::IdentityStore", Name: "d-1234567890"}, {Type: "AWS::IdentityStore::User", Name: "5a1f1b2c-1111-2222-3333-444455556666"}}
			evs[j] = e
		}
		if err := st.StoreAuditEvents(ctx, evs); err != nil {
			b.Fatal(err)
		}
	}
}
