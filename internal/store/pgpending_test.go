package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestPendingEventWithBegin: on PostgreSQL the pending event is sent with
// BEGIN in one batch: any text survives, a failed change takes it back, and a
// statement error swallowed by the change still fails the write at COMMIT.
func TestPendingEventWithBegin(t *testing.T) {
	ctx := context.Background()
	s := open(t, postgresURL(t))
	tricky := `it's a \"quote\", a backslash \\ and \n, 'é' ☃ $$ $tag$ E'x'`
	p := &store.PendingEvent{Event: &store.AuditEvent{EventID: "ev-1", Time: time.Now().UTC(), EventName: "CreateUser", UserAgent: tricky}}
	if err := s.Write(store.WithPendingEvent(ctx, p), func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", tricky) }); err != nil {
		t.Fatal(err)
	}
	if !p.Close() {
		t.Fatal("the event is not marked stored")
	}
	got, err := s.R().PendingAuditEvents(ctx, 10)
	if err != nil || len(got) != 1 || got[0].UserAgent != tricky {
		t.Fatalf("pending %+v %v", got, err)
	}

	// A change that fails leaves no pending row; one whose statement failed
	// without the error being returned is refused at COMMIT.
	boom := errors.New("boom")
	p2 := &store.PendingEvent{Event: &store.AuditEvent{EventID: "ev-2", Time: time.Now().UTC()}}
	if err := s.Write(store.WithPendingEvent(ctx, p2), func(tx *store.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	p3 := &store.PendingEvent{Event: &store.AuditEvent{EventID: "ev-3", Time: time.Now().UTC()}}
	err = s.Write(store.WithPendingEvent(ctx, p3), func(tx *store.Tx) error {
		tx.PutSetting(ctx, "k2", "v")
		tx.InsertAuditEvents(ctx, []*store.AuditEvent{{EventID: "x", EventName: string([]byte{0xff})}}) // invalid UTF-8: fails
		return nil
	})
	if err == nil {
		t.Fatal("a transaction with a failed statement committed")
	}
	if got, _ := s.R().PendingAuditEvents(ctx, 10); len(got) != 1 {
		t.Fatalf("pending after failed writes: %+v", got)
	}
	if v, err := s.R().Setting(ctx, "k2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("k2 = %q %v", v, err)
	}

	// BEGIN and the pending row go in one batch with the change's first
	// statement when it is an Exec, before it when it is a query, with
	// COMMIT when there is none.
	pend := func(id string) context.Context {
		return store.WithPendingEvent(ctx, &store.PendingEvent{Event: &store.AuditEvent{EventID: id, Time: time.Now().UTC()}})
	}
	if err := s.Write(pend("ev-4"), func(tx *store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	err = s.Write(pend("ev-5"), func(tx *store.Tx) error {
		if _, err := tx.Setting(ctx, "k"); err != nil {
			return err
		}
		return tx.PutSetting(ctx, "k5", "v")
	})
	if err != nil {
		t.Fatal(err)
	}
	// A statement after the batch fails as it would alone.
	usr := func(id, name string) *store.User {
		return &store.User{StoreID: "d-1", ID: id, UserNameKey: name, Doc: []byte("{}")}
	}
	for _, second := range []*store.User{usr("u-1", "b"), usr("u-2", "a")} {
		err = s.Write(pend("ev-6"), func(tx *store.Tx) error {
			if err := tx.InsertUser(ctx, usr("u-1", "a")); err != nil {
				return err
			}
			return tx.InsertUser(ctx, second)
		})
		if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("a second user %s, %s: %v", second.ID, second.UserNameKey, err)
		}
	}
	dup := errors.New("dup")
	if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k8", "v") }); err != nil {
		t.Fatal(err)
	}
	err = s.Write(pend("ev-8"), func(tx *store.Tx) error {
		if err := tx.PutSetting(ctx, "k8", "v2"); err != nil {
			return err
		}
		if err := tx.InsertUser(ctx, usr("u-3", "c")); err != nil {
			return err
		}
		return dup
	})
	if !errors.Is(err, dup) {
		t.Fatalf("failed change: %v", err)
	}
	// The first statement's own error is the change's to handle.
	if err := s.Write(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, usr("u-1", "a")) }); err != nil {
		t.Fatal(err)
	}
	err = s.Write(pend("ev-9"), func(tx *store.Tx) error {
		if err := tx.InsertUser(ctx, usr("u-1", "a")); err != nil {
			return fmt.Errorf("%w: %w", dup, err)
		}
		return nil
	})
	if !errors.Is(err, dup) || !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("first statement refused: %v", err)
	}
	// A pending row that fails (its id is taken) fails the write, and
	// nothing of the change runs, whatever its first statement.
	for _, first := range []string{"exec", "query"} {
		err = s.Write(pend("ev-1"), func(tx *store.Tx) error {
			if first == "query" {
				if _, err := tx.Setting(ctx, "k"); err != nil {
					return dup // what fn makes of it is not what the write reports
				}
			}
			tx.PutSetting(ctx, "k9", first) // ignored error: still nothing is written
			return tx.PutSetting(ctx, "k9", first)
		})
		if !errors.Is(err, store.ErrAlreadyExists) {
			t.Fatalf("pending row of a taken id, first statement %s: %v", first, err)
		}
	}
	if v, err := s.R().Setting(ctx, "k9"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("k9 = %q %v", v, err)
	}
	if v, _ := s.R().Setting(ctx, "k8"); v != "v" {
		t.Fatalf("k8 = %q after a failed change", v)
	}
	if v, _ := s.R().Setting(ctx, "k5"); v != "v" {
		t.Fatalf("k5 = %q", v)
	}
	got, _ = s.R().PendingAuditEvents(ctx, 10)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.EventID)
	}
	if slices.Sort(ids); !slices.Equal(ids, []string{"ev-1", "ev-4", "ev-5"}) {
		t.Fatalf("pending rows %v, want ev-1, ev-4, ev-5", ids)
	}
}

// TestStoreEventsTwice: storing an event already stored (COPY refuses it)
// takes the INSERT path: a staged event whose call began long enough ago to
// have been recovered replaces the stored one, another is kept. On both
// backends.
func TestStoreEventsTwice(t *testing.T) {
	ctx := context.Background()
	for _, url := range backendURLs(t) {
		s := open(t, url)
		ev := func(code string, staged bool) *store.AuditEvent {
			return &store.AuditEvent{EventID: "ev-twice", Time: time.Now().UTC().Add(-store.RecoverPendingAfter), RecipientAccountID: "111111111111", EventName: "CreateGroup",
				ErrorCode: code, Complete: true, Staged: staged, Resources: []store.AuditResource{{Type: "AWS::IdentityStore::Group", Name: "g-1"}}}
		}
		for _, step := range []struct {
			e    *store.AuditEvent
			want string
		}{{ev("", false), ""}, {ev("First", false), ""}, {ev("Second", true), "Second"}} {
			if err := s.StoreAuditEvents(ctx, []*store.AuditEvent{step.e}); err != nil {
				t.Fatalf("%s: %v", s.Flavor(), err)
			}
			got, err := s.R().AuditEventByID(ctx, "ev-twice")
			if err != nil || got.ErrorCode != step.want {
				t.Fatalf("%s: stored %+v %v, want error code %q", s.Flavor(), got, err, step.want)
			}
		}
		page, err := s.R().AuditEvents(ctx, store.AuditFilter{Account: "111111111111", ResourceType: "AWS::IdentityStore::Group", Limit: 10})
		if err != nil || len(page) != 1 {
			t.Fatalf("%s: by type %d %v", s.Flavor(), len(page), err)
		}
	}
}

// TestStagedEventsRemoved: storing complete events removes the pending rows
// of those stored with their changes, however many (the delete's list is
// padded to a power of two), on both backends.
func TestStagedEventsRemoved(t *testing.T) {
	ctx := context.Background()
	for _, url := range backendURLs(t) {
		s := open(t, url)
		var done []*store.AuditEvent
		for i := 0; i < 5; i++ {
			id := fmt.Sprint("ev-", i)
			p := &store.PendingEvent{Event: &store.AuditEvent{EventID: id, Time: time.Now().UTC(), RecipientAccountID: "111111111111", EventName: "CreateGroup"}}
			if err := s.Write(store.WithPendingEvent(ctx, p), func(tx *store.Tx) error { return tx.PutSetting(ctx, id, "v") }); err != nil {
				t.Fatal(err)
			}
			if !p.Close() {
				t.Fatal("the event is not marked stored")
			}
			e := *p.Event
			e.Complete, e.Staged = true, true
			done = append(done, &e)
		}
		if got, _ := s.R().PendingAuditEvents(ctx, 10); len(got) != 5 {
			t.Fatalf("%s: %d pending rows, want 5", url, len(got))
		}
		if err := s.StoreAuditEvents(ctx, done[:3]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.R().PendingAuditEvents(ctx, 10); len(got) != 2 || got[0].EventID != "ev-3" && got[1].EventID != "ev-3" {
			t.Fatalf("%s: pending after storing 3: %+v", url, got)
		}
		if err := s.StoreAuditEvents(ctx, done[3:]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.R().PendingAuditEvents(ctx, 10); len(got) != 0 {
			t.Fatalf("%s: pending after storing all: %+v", url, got)
		}
	}
}

// postgresURL is a fresh PostgreSQL schema; the test is skipped when
// IDCENTER_POSTGRES_URL is not set.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	return storetest.FreshPostgres(t, base)
}

// backendURLs are a new SQLite store and, when IDCENTER_POSTGRES_URL is set,
// a fresh PostgreSQL schema.
func backendURLs(t *testing.T) []string {
	urls := []string{sqliteURL(t)}
	if base := os.Getenv("IDCENTER_POSTGRES_URL"); base != "" {
		urls = append(urls, storetest.FreshPostgres(t, base))
	}
	return urls
}
