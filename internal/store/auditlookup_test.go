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
// attribute's index, not the account's, and reads only the rows it returns.
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
	for _, f := range []store.AuditFilter{
		{Account: account, EventSource: "identitystore.amazonaws.com", Limit: 51},
		{Account: account, UserName: "alice", Limit: 51},
		{Account: account, AccessKeyID: "AKIAALICE", Limit: 51},
	} {
		got, err := s.R().AuditEvents(ctx, f)
		if err != nil || len(got) != 51 || got[0].EventID != fmt.Sprintf("ev-%06d", old-1) {
			t.Fatalf("%+v: %d events, %v", f, len(got), err)
		}
		query, args := s.R().AuditEventsQuery(f)
		rows, err := db.QueryContext(ctx, "EXPLAIN (ANALYZE, COSTS OFF) "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "audit_events_account") || strings.Contains(text, "Rows Removed by Filter") {
			t.Fatalf("%+v walks past other events:\n%s", f, text)
		}
	}
}
