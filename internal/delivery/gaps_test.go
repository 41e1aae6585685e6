package delivery_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

// TestLateCommitIsDelivered: on PostgreSQL an event whose transaction
// commits after a later event's (a smaller seq appearing after a larger
// one was delivered) is still delivered.
func TestLateCommitIsDelivered(t *testing.T) {
	e := testenv.StartPostgres(t)
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	start(t, e.Store, delivery.Config{Webhooks: []delivery.Webhook{{URL: srv.URL}}})

	ctx := context.Background()
	late := &store.AuditEvent{EventID: ids.UUID(), Time: time.Now().UTC(), RecipientAccountID: e.Boot.Org.ManagementAccountID,
		EventSource: "sso.amazonaws.com", EventName: "Late", EventType: "AwsApiCall", Complete: true}
	inserted, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	done := make(chan error)
	go func() {
		done <- e.Store.WriteEvents(ctx, func(tx *store.Tx) error {
			if err := tx.InsertAuditEvents(ctx, []*store.AuditEvent{late}); err != nil {
				return err
			}
			once.Do(func() { close(inserted) })
			<-release
			return nil
		})
	}()
	<-inserted
	early := insert(t, e.Store, e.Boot.Org.ManagementAccountID, "Early")[0]
	has := func(id string) bool {
		for _, r := range h.got() {
			if r.key == id {
				return true
			}
		}
		return false
	}
	waitFor(t, "the event committed first", func() bool { return has(early.EventID) })
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the event committed late", func() bool { return has(late.EventID) })
	l, _ := e.Store.R().AuditEventByID(ctx, late.EventID)
	f, _ := e.Store.R().AuditEventByID(ctx, early.EventID)
	if l == nil || f == nil || l.Seq >= f.Seq {
		t.Fatalf("the late event was not before the early one: %+v %+v", l, f)
	}
}
