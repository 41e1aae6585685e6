package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/idcenter/idcenter/internal/store"
)

// TestLookupByAttributeWalksItsIndex: on PostgreSQL a lookup by an
// attribute whose events are most of the account's, but none of the newest
// (older directory calls, then a burst of another service's), walks the
// attribute's index, not the account's, and reads only the rows it returns;
// so does a lookup by EventName over a time range newer than the table's
// statistics.
func TestLookupByAttributeWalksItsIndex(t *testing.T) {
	ctx := context.Background()
	url := postgresURL(t)
	s := open(t, url)
	const account, old, burst = "111111111111", 30000, 10000
	start := time.Now().UTC().Add(-time.Hour)
	var batch []*store.AuditEvent
	for i := range old + burst {
		e := &store.AuditEvent{EventID: fmt.Sprintf("ev-%06d", i), Time: start.Add(time.Duration(i) * time.Millisecond), RecipientAccountID: account,
			EventSource: "identitystore.amazonaws.com", EventName: "DescribeUser", ReadOnly: true, UserName: "alice", AccessKeyID: "AKIAALICE", Complete: true}
		if i >= old {
			e.EventSource, e.EventName, e.UserName, e.AccessKeyID = "cloudtrail.amazonaws.com", "LookupEvents", "bob", "AKIABOB"
		}
		if batch = append(batch, e); len(batch) == 2000 {
			if err := s.StoreAuditEvents(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `ANALYZE audit_events`); err != nil {
		t.Fatal(err)
	}
	// walks fails the test unless a lookup by f walks an index that gives
	// its events in order and reads only those it returns.
	walks := func(f store.AuditFilter) {
		t.Helper()
		text := strings.Join(explain(t, db, "EXPLAIN (ANALYZE, COSTS OFF) ", s, f), "\n")
		if strings.Contains(text, "audit_events_account ") || strings.Contains(text, "Rows Removed by Filter") {
			t.Fatalf("%+v walks past other events:\n%s", f, text)
		}
	}
	for _, f := range []store.AuditFilter{
		{Account: account, EventSource: "identitystore.amazonaws.com", Limit: 51},
		{Account: account, UserName: "alice", Limit: 51},
		{Account: account, AccessKeyID: "AKIAALICE", Limit: 51},
		{Account: account, EventName: "DescribeUser", Limit: 51},
	} {
		got, err := s.R().AuditEvents(ctx, f)
		if err != nil || len(got) != 51 || got[0].EventID != fmt.Sprintf("ev-%06d", old-1) {
			t.Fatalf("%+v: %d events, %v", f, len(got), err)
		}
		walks(f)
	}

	// Events stored since the statistics were taken (PostgreSQL estimates
	// that none are that recent): a lookup by EventName over their time
	// range, where none has that name. (In bench events' store, 1.9 million
	// events, the planner took the account's index there and walked all
	// 339,978 events of the range, 984 ms; here it takes the name's.)
	later := start.Add(time.Duration(old+burst)*time.Millisecond + time.Minute)
	for i := range burst {
		batch = append(batch, &store.AuditEvent{EventID: fmt.Sprintf("late-%06d", i), Time: later.Add(time.Duration(i) * time.Millisecond),
			RecipientAccountID: account, EventSource: "cloudtrail.amazonaws.com", EventName: "LookupEvents", ReadOnly: true, Complete: true})
		if len(batch) == 2000 {
			if err := s.StoreAuditEvents(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	for _, f := range []store.AuditFilter{
		{Account: account, EventName: "DescribeUser", Start: later, End: later.Add(time.Hour), Limit: 51},
		{Account: account, EventSource: "identitystore.amazonaws.com", Start: later, End: later.Add(time.Hour), Limit: 51},
		{Account: account, UserName: "alice", Start: later, Limit: 51},
	} {
		if got, err := s.R().AuditEvents(ctx, f); err != nil || len(got) != 0 {
			t.Fatalf("%+v: %d events, %v", f, len(got), err)
		}
		walks(f)
	}
	// The mechanism: the range bounds only the attribute's index. Without
	// it (dropped in a transaction rolled back), the account's index cannot
	// take the range.
	for _, f := range []store.AuditFilter{
		{Account: account, EventName: "DescribeUser", Start: later, End: later.Add(time.Hour), Limit: 51},
		{Account: account, EventSource: "identitystore.amazonaws.com", Start: later, End: later.Add(time.Hour), Limit: 51},
	} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		index := "audit_events_event_name"
		if f.EventSource != "" {
			index = "audit_events_source"
		}
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+index); err != nil {
			t.Fatal(err)
		}
		plan := explain(t, tx, "EXPLAIN (COSTS OFF) ", s, f)
		tx.Rollback()
		for _, line := range plan {
			if strings.Contains(line, "Index Cond") && strings.Contains(line, "event_time") {
				t.Fatalf("%+v: another index takes the time range:\n%s", f, strings.Join(plan, "\n"))
			}
		}
	}

	// A range that holds the lookup's events starts the walk at its end.
	f := store.AuditFilter{Account: account, EventSource: "identitystore.amazonaws.com", End: start.Add(time.Duration(old/2) * time.Millisecond), Limit: 51}
	if got, err := s.R().AuditEvents(ctx, f); err != nil || len(got) != 51 || got[0].EventID != fmt.Sprintf("ev-%06d", old/2) {
		t.Fatalf("%+v: %d events, %v", f, len(got), err)
	}
	walks(f)
}

// explain returns the lines of the plan of s's lookup by f, as the
// statement prefix (EXPLAIN and its options) shows it, run on q.
func explain(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, prefix string, s *store.Store, f store.AuditFilter) []string {
	t.Helper()
	query, args := s.R().AuditEventsQuery(f)
	return planOf(t, q, prefix+query, args...)
}

// planOf runs an EXPLAIN statement and returns the lines of its plan.
func planOf(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) []string {
	t.Helper()
	rows, err := q.QueryContext(t.Context(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	return plan
}
