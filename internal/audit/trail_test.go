package audit_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/store"
)

// TestChangeAndEventShareATransaction: the event of a change is stored by
// the change's own transaction (before the change's outcome is known), and
// a change that is rolled back leaves no event row until its failure is
// recorded.
func TestChangeAndEventShareATransaction(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		tr := newTrail(t, st)
		// A change that commits.
		cctx, p := tr.BeginChange(ctx, audit.Change{Source: "sso.amazonaws.com", Name: "AllowAccountInstances", AccountID: "111111111111", OrgID: orgA})
		must(t, st.Write(cctx, func(tx *store.Tx) error { return tx.PutSetting(cctx, "k1", "v1") }))
		e, err := st.R().AuditEventByID(ctx, p.Event.EventID)
		if err != nil || e.Complete || e.EventName != "AllowAccountInstances" {
			t.Fatalf("after the change's commit: %+v %v", e, err)
		}
		// A second write under the same context does not store it again.
		must(t, st.Write(cctx, func(tx *store.Tx) error { return tx.PutSetting(cctx, "k2", "v2") }))
		tr.EndChange(p, "", "", map[string]string{"Done": "yes"}, nil)
		if e, err = st.R().AuditEventByID(ctx, p.Event.EventID); err != nil || !e.Complete || e.ResponseElements != `{"done":"yes"}` {
			t.Fatalf("completed event: %+v %v", e, err)
		}

		// A change that fails: no row with it, then the failure's event.
		before := count(t, st)
		fctx, p2 := tr.BeginChange(ctx, audit.Change{Source: "sso.amazonaws.com", Name: "AllowAccountInstances", AccountID: "111111111111", OrgID: orgA})
		boom := errors.New("boom")
		err = st.Write(fctx, func(tx *store.Tx) error {
			if err := tx.PutSetting(fctx, "k3", "v3"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if _, err := st.R().AuditEventByID(ctx, p2.Event.EventID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the event of a rolled back change was kept: %v", err)
		}
		if _, err := st.R().Setting(ctx, "k3"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the failed change was kept: %v", err)
		}
		tr.EndChange(p2, "", "", nil, err)
		e, err = st.R().AuditEventByID(ctx, p2.Event.EventID)
		if err != nil || e.ErrorCode != "InternalServerException" || e.ResponseElements != "" {
			t.Fatalf("failure event: %+v %v", e, err)
		}
		if after := count(t, st); after != before+1 {
			t.Fatalf("%d events, want %d", after, before+1)
		}
	})
}

// TestConcurrentChangesKeepTheirOwnEvents runs many writes at once (SQLite
// commits them in groups, each under its own savepoint), half of them
// failing: exactly the committed ones have their event.
func TestConcurrentChangesKeepTheirOwnEvents(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		tr := newTrail(t, st)
		const n = 200
		var wg sync.WaitGroup
		ids := make([]string, n)
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c, p := tr.BeginChange(ctx, audit.Change{Source: "sso.amazonaws.com", Name: "Put", AccountID: "111111111111"})
				ids[i] = p.Event.EventID
				errs[i] = st.Write(c, func(tx *store.Tx) error {
					if err := tx.PutSetting(c, fmt.Sprintf("c%d", i), "v"); err != nil {
						return err
					}
					if i%2 == 1 {
						return errors.New("odd")
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		for i := 0; i < n; i++ {
			_, err := st.R().AuditEventByID(ctx, ids[i])
			_, serr := st.R().Setting(ctx, fmt.Sprintf("c%d", i))
			if (errs[i] == nil) != (err == nil) || (errs[i] == nil) != (serr == nil) {
				t.Fatalf("write %d: outcome %v, event %v, change %v", i, errs[i], err, serr)
			}
		}
	})
}

// TestCloseStoresQueuedEvents: events of calls queue for the writer; Close
// stores all of them.
func TestCloseStoresQueuedEvents(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		tr := audit.New(st, nil)
		svc := &awsproto.Service{EventSource: "identitystore.amazonaws.com"}
		const n = 3000
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := g; i < n; i += 8 {
					r := httptest.NewRequest("POST", "/", strings.NewReader("{}"))
					c := &awsproto.Call{Service: svc, Operation: "DescribeUser", RequestID: fmt.Sprint(i), Start: time.Now(), Status: 400,
						Input: []byte(`{"IdentityStoreId":"d-1234567890","UserId":"u"}`), Code: "UnrecognizedClientException", Message: "no"}
					tr.Observe(tr.Begin(ctx, r, c), r, c)
				}
			}(g)
		}
		wg.Wait()
		tr.Close()
		if got := count(t, st); got != n {
			t.Fatalf("%d events stored, want %d", got, n)
		}
	})
}

// TestRecoverEventsOfAStoppedProcess: a change committed with its event,
// whose process stopped before completing the event, leaves the event: it
// is recovered without its outcome; a completion arriving after all still
// completes it.
func TestRecoverEventsOfAStoppedProcess(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		tr := newTrail(t, st)
		cctx, p := tr.BeginChange(ctx, audit.Change{Source: "sso.amazonaws.com", Name: "AllowAccountInstances", AccountID: "111111111111", OrgID: orgA})
		must(t, st.Write(cctx, func(tx *store.Tx) error { return tx.PutSetting(cctx, "k", "v") }))
		if n := count(t, st); n != 0 {
			t.Fatalf("%d complete events before completion", n)
		}
		pending, err := st.R().PendingAuditEvents(ctx, 10)
		must(t, err)
		if len(pending) != 1 || pending[0].EventID != p.Event.EventID || pending[0].EventName != "AllowAccountInstances" {
			t.Fatalf("pending %+v", pending)
		}
		// Too recent to be taken for lost.
		n, err := st.RecoverAuditEvents(ctx, time.Now().Add(-time.Minute), 10)
		must(t, err)
		if n != 0 {
			t.Fatalf("recovered %d recent events", n)
		}
		n, err = st.RecoverAuditEvents(ctx, time.Now().Add(time.Second), 10)
		must(t, err)
		e, err := st.R().AuditEventByID(ctx, p.Event.EventID)
		if n != 1 || err != nil || e.Complete || e.Staged || e.RecipientAccountID != "111111111111" {
			t.Fatalf("recovered %d: %+v %v", n, e, err)
		}
		if pending, _ := st.R().PendingAuditEvents(ctx, 10); len(pending) != 0 {
			t.Fatalf("still pending: %+v", pending)
		}
		// The process was only slow (its call began long enough ago to
		// have been taken for lost): its completion still lands.
		p.Event.Time = p.Event.Time.Add(-store.RecoverPendingAfter)
		tr.EndChange(p, "", "", map[string]string{"Ok": "1"}, nil)
		if e, err = st.R().AuditEventByID(ctx, p.Event.EventID); err != nil || !e.Complete || e.ResponseElements != `{"ok":"1"}` {
			t.Fatalf("completed %+v %v", e, err)
		}
		if n := count(t, st); n != 1 {
			t.Fatalf("%d events, want 1", n)
		}
	})
}

// TestRecoveredEventMovedToItsAccount: an event recovered under the account
// its change began with, then completed as another account's, is found by
// that account's lookups alone (on SQLite its keys, which name the account,
// are replaced, not added to).
func TestRecoveredEventMovedToItsAccount(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		const first, second = "111111111111", "222222222222"
		tr := newTrail(t, st)
		cctx, p := tr.BeginChange(ctx, audit.Change{Source: "organizations.amazonaws.com", Name: "CreateAccount", AccountID: first, OrgID: orgA})
		must(t, st.Write(cctx, func(tx *store.Tx) error { return tx.PutSetting(cctx, "k", "v") }))
		n, err := st.RecoverAuditEvents(ctx, time.Now().Add(time.Second), 10)
		must(t, err)
		byUser := func(account string) int {
			evs, err := st.R().AuditEvents(ctx, store.AuditFilter{Account: account, UserName: p.Event.UserName, Limit: 10})
			must(t, err)
			return len(evs)
		}
		if n != 1 || byUser(first) != 1 {
			t.Fatalf("recovered %d, found %d under %s", n, byUser(first), first)
		}
		p.Event.Time = p.Event.Time.Add(-store.RecoverPendingAfter) // (as a slow process's completion)
		tr.EndChange(p, second, orgA, map[string]string{"Ok": "1"}, nil)
		if a, b := byUser(first), byUser(second); a != 0 || b != 1 {
			t.Fatalf("after the move: %d events under %s, %d under %s", a, first, b, second)
		}
	})
}

// TestFlushWaitsForAnsweredCalls: a call holds the trail from sending its
// answer until its event is queued (awsproto.Handler.Hold), and Flush waits
// for it, so a caller that has its answer finds the call's event; so does
// Close, so that an event observed after its handler returned is stored.
func TestFlushWaitsForAnsweredCalls(t *testing.T) {
	for _, name := range []string{"Flush", "Close"} {
		t.Run(name, func(t *testing.T) {
			st := open(t, filepath.Join(t.TempDir(), "idcenter.db"))
			tr := newTrail(t, st)
			wait := map[string]func(){"Flush": tr.Flush, "Close": tr.Close}[name]
			release := tr.Hold()
			returned := make(chan struct{})
			go func() { wait(); close(returned) }()
			select {
			case <-returned:
				t.Fatalf("%s returned while an answered call was not observed", name)
			case <-time.After(50 * time.Millisecond):
			}
			release()
			select {
			case <-returned:
			case <-time.After(10 * time.Second):
				t.Fatalf("%s did not return once the call was observed", name)
			}
		})
	}
}
