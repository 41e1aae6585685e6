package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/store"
)

const (
	orgA = "o-aaaaaaaaaa"
	orgB = "o-bbbbbbbbbb"
)

// seed stores events of two organizations: instances created and deleted
// by accounts of orgA, and events of orgB a query of orgA must not see.
func seed(t *testing.T, st *store.Store) {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	evs := []*store.AuditEvent{
		event("e1", orgA, "111111111111", "CreateInstance", t0),
		event("e2", orgA, "111111111111", "DescribeInstance", t0.Add(time.Minute)),
		event("e3", orgA, "222222222222", "CreateInstance", t0.Add(2*time.Minute)),
		event("e4", orgA, "111111111111", "DeleteInstance", t0.Add(3*time.Minute)),
		event("e5", orgB, "333333333333", "CreateInstance", t0.Add(4*time.Minute)),
		event("e6", orgA, "111111111111", "DeleteInstance", t0.Add(5*time.Minute)),
	}
	evs[5].UserArn = "" // a DeleteInstance by an unknown caller
	evs[5].ErrorCode, evs[5].ErrorMessage = "UnrecognizedClientException", "The security token included in the request is invalid."
	must(t, st.StoreAuditEvents(ctx, evs))
}

func run(t *testing.T, st *store.Store, org, stmt string) ([]string, [][]string) {
	t.Helper()
	src := audit.Source{ID: audit.EventDataStoreID(org), OrgID: org}
	q, err := audit.Rewrite(strings.ReplaceAll(stmt, "$EDS", src.ID), src, audit.Dialect(st.Flavor()), nil)
	if err != nil {
		t.Fatalf("Rewrite(%s): %v", stmt, err)
	}
	res, err := st.QueryReadOnly(ctx, q, 1000, time.Minute, audit.SQLiteFunctions)
	if err != nil {
		t.Fatalf("%s\nrewritten: %s\n%v", stmt, q, err)
	}
	rows := make([][]string, len(res.Rows))
	for i, r := range res.Rows {
		for _, v := range r {
			s := "NULL"
			if v != nil {
				s = *v
			}
			rows[i] = append(rows[i], s)
		}
	}
	return res.Columns, rows
}

func TestTheIssueQuery(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		seed(t, st)
		cols, rows := run(t, st, orgA, `SELECT userIdentity.arn AS userARN, eventName, userIdentity.accountId FROM $EDS WHERE userIdentity.arn IS NOT NULL AND eventName = 'DeleteInstance' OR eventName = 'CreateInstance'`)
		if strings.Join(cols, ",") != "userARN,eventName,userIdentity.accountId" {
			t.Fatalf("columns %v", cols)
		}
		got := map[string]bool{}
		for _, r := range rows {
			got[strings.Join(r, " ")] = true
		}
		want := []string{
			"arn:aws:iam::111111111111:root CreateInstance 111111111111",
			"arn:aws:iam::222222222222:root CreateInstance 222222222222",
			"arn:aws:iam::111111111111:root DeleteInstance 111111111111",
		}
		if len(rows) != len(want) {
			t.Fatalf("rows %v, want %v", rows, want)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("missing row %q in %v", w, rows)
			}
		}
	})
}

func TestQueriesThatRun(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		seed(t, st)
		for _, c := range []struct {
			stmt string
			want string // rows joined by ";", values by ","
		}{
			{`SELECT eventID FROM $EDS ORDER BY eventTime`, "e1;e2;e3;e4;e6"},
			{`select count(*) as n from $EDS where readOnly = false`, "4"},
			{`SELECT eventName, COUNT(*) AS n FROM $EDS GROUP BY eventName ORDER BY n DESC, eventName`, "CreateInstance,2;DeleteInstance,2;DescribeInstance,1"},
			{`SELECT e.eventID FROM $EDS e WHERE e.errorCode IS NOT NULL`, "e6"},
			{`SELECT e.eventID FROM $EDS AS e WHERE e.eventTime > '2025-03-01 12:02:30' AND e.eventTime < '2025-03-01 12:04:00';`, "e4"},
			{`SELECT requestParameters.instanceArn AS arn FROM $EDS WHERE eventID = 'e1'`, "arn:aws:sso:::instance/ssoins-1111222233334444"},
			{`SELECT n FROM (SELECT count(*) AS n FROM $EDS WHERE eventName LIKE 'Create%') sub`, "2"},
			{`WITH c AS (SELECT eventID, eventName FROM $EDS WHERE eventName = 'CreateInstance') SELECT eventID FROM c ORDER BY eventID`, "e1;e3"},
			{`SELECT DISTINCT recipientAccountId FROM $EDS WHERE recipientAccountId IN ('111111111111', '222222222222', '333333333333') ORDER BY 1`, "111111111111;222222222222"},
			{`SELECT eventID FROM $EDS WHERE eventID = ? ORDER BY eventID`, ""},
			{`SELECT upper(substr(eventName, 1, 6)) AS p, CASE WHEN readOnly THEN 'r' ELSE 'w' END AS rw FROM $EDS WHERE eventID = 'e2' -- a comment`, "DESCRI,r"},
			{`SELECT "eventName" FROM "$EDS" WHERE "userIdentity.type" = 'Root' AND eventID = 'e1'`, "CreateInstance"},
			{`SELECT eventCategory, eventType, eventVersion FROM $EDS WHERE eventID = 'e1'`, "Management,AwsApiCall,1.09"},
		} {
			if strings.Contains(c.stmt, "?") {
				src := audit.Source{ID: audit.EventDataStoreID(orgA), OrgID: orgA}
				if _, err := audit.Rewrite(strings.ReplaceAll(c.stmt, "$EDS", src.ID), src, audit.Dialect(st.Flavor()), []string{"e3' OR '1'='1"}); err != nil {
					t.Errorf("%s: %v", c.stmt, err)
				}
				q, _ := audit.Rewrite(strings.ReplaceAll(c.stmt, "$EDS", src.ID), src, audit.Dialect(st.Flavor()), []string{"e3' OR '1'='1"})
				res, err := st.QueryReadOnly(ctx, q, 10, time.Minute, audit.SQLiteFunctions)
				if err != nil || len(res.Rows) != 0 {
					t.Errorf("a parameter is not one string literal: %v %v", res, err)
				}
				continue
			}
			_, rows := run(t, st, orgA, c.stmt)
			var got []string
			for _, r := range rows {
				got = append(got, strings.Join(r, ","))
			}
			if g := strings.Join(got, ";"); g != c.want {
				t.Errorf("%s\n got %s\nwant %s", c.stmt, g, c.want)
			}
		}
	})
}

// TestRefusedStatements: statements that would write, read other tables or
// call dangerous functions are refused before they reach the database, and
// nothing changes.
func TestRefusedStatements(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		seed(t, st)
		before := count(t, st)
		eds := audit.EventDataStoreID(orgA)
		for _, stmt := range []string{
			`DELETE FROM audit_events`,
			`DROP TABLE audit_events`,
			`UPDATE audit_events SET event_name = 'x'`,
			`INSERT INTO audit_events (event_id) VALUES ('x')`,
			`SELECT * FROM $EDS; DELETE FROM audit_events`,
			`SELECT * FROM $EDS; SELECT 1`,
			`ATTACH DATABASE '/tmp/x.db' AS x`,
			`PRAGMA query_only = 0`,
			`VACUUM`,
			`CREATE TABLE x (a int)`,
			`WITH d AS (DELETE FROM audit_events RETURNING *) SELECT * FROM d`,
			`SELECT * INTO copy FROM $EDS`,
			`SELECT * FROM access_keys`,
			`SELECT * FROM audit_events`,
			`SELECT * FROM audit_event_fields`,
			`SELECT * FROM $EDS, access_keys`,
			`SELECT * FROM $EDS JOIN settings ON 1 = 1`,
			`SELECT * FROM $EDS WHERE eventID IN (SELECT id FROM access_keys)`,
			`SELECT * FROM main.access_keys`,
			`SELECT * FROM pg_catalog.pg_tables`,
			`SELECT * FROM sqlite_master`,
			`SELECT load_extension('/tmp/evil.so')`,
			`SELECT pg_read_file('/etc/passwd')`,
			`SELECT pg_sleep(100)`,
			`SELECT set_config('default_transaction_read_only', 'off', false)`,
			`SELECT eventName FROM $EDS FOR UPDATE`,
			`SELECT secret FROM $EDS`,
			`SELECT "_orgId" FROM $EDS`,
			`SELECT eventName FROM $EDS WHERE eventName = 'x' /* unterminated`,
			`SELECT eventName FROM $EDS WHERE eventName = 'x`,
			`SELECT $$x$$`,
			`SELECT eventName::text FROM $EDS`,
			`SELECT * FROM ` + audit.EventDataStoreID(orgB),
			`WITH access_keys AS (SELECT * FROM access_keys) SELECT * FROM access_keys`,
			`SELECT e.* FROM $EDS x`,
			`SELECT 1)`,
			`(SELECT 1`,
			`EXPLAIN SELECT * FROM $EDS`,
			``,
			`;`,
		} {
			stmt = strings.ReplaceAll(stmt, "$EDS", eds)
			_, err := audit.Rewrite(stmt, audit.Source{ID: eds, OrgID: orgA}, audit.Dialect(st.Flavor()), nil)
			var qe *audit.QueryError
			if !errors.As(err, &qe) {
				t.Errorf("accepted %q (err %v)", stmt, err)
			}
		}
		if after := count(t, st); after != before {
			t.Fatalf("events %d before, %d after", before, after)
		}
	})
}

// TestReadOnlyTransaction: even SQL that bypassed the checks cannot change
// the database (defense in depth), and on SQLite cannot read other tables.
func TestReadOnlyTransaction(t *testing.T) {
	backends(t, func(t *testing.T, st *store.Store) {
		seed(t, st)
		before := count(t, st)
		for _, raw := range []string{
			`DELETE FROM audit_events`,
			`UPDATE audit_events SET event_name = 'x'`,
			`INSERT INTO audit_events (event_id, event_time) VALUES ('x', 'y')`,
			`CREATE TABLE evil (a INTEGER)`,
			`DROP TABLE audit_events`,
		} {
			if _, err := st.QueryReadOnly(ctx, raw, 10, time.Minute, audit.SQLiteFunctions); err == nil {
				t.Errorf("%s ran", raw)
			}
		}
		if st.Flavor() == "sqlite" {
			for _, raw := range []string{`SELECT * FROM access_keys`, `SELECT * FROM sqlite_master`, `PRAGMA query_only = 0`,
				`ATTACH DATABASE ':memory:' AS x`, `SELECT randomblob(10)`} {
				if _, err := st.QueryReadOnly(ctx, raw, 10, time.Minute, audit.SQLiteFunctions); err == nil {
					t.Errorf("%s ran", raw)
				}
			}
		}
		if after := count(t, st); after != before {
			t.Fatalf("events %d before, %d after", before, after)
		}
		// The connection is usable afterwards, without the query's limits.
		if _, err := st.R().AccessKey(ctx, "AKIANOSUCHKEY"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a read after the queries: %v", err)
		}
	})
}
