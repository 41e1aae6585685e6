package cloudtrail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/testenv"
)

// issueQuery is the query of issue 4, as written.
const issueQuery = `SELECT userIdentity.arn AS userARN, eventName, userIdentity.accountId FROM <event data store id> WHERE userIdentity.arn IS NOT NULL AND eventName = 'DeleteInstance' OR eventName = 'CreateInstance'`

// TestIssueQuery: a member account creates and deletes an account
// instance; the management account's query finds both, with the account
// and the user.
func TestIssueQuery(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		member := e.MemberAccount("builder")
		sso := ssoadmin.NewFromConfig(e.Config(member))
		out := e.AccountInstance(member, "team")
		_, err := sso.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: out.InstanceArn})
		must(t, err)

		ct := client(e.Management())
		eds := edsID(t, ct)
		rows := query(t, ct, strings.Replace(issueQuery, "<event data store id>", eds, 1))
		userArn := "arn:aws:iam::" + member.AccountID + ":root"
		got := map[string]bool{}
		for _, r := range rows {
			got[r["eventName"]] = r["userARN"] == userArn && r["userIdentity.accountId"] == member.AccountID
		}
		if len(rows) != 2 || !got["CreateInstance"] || !got["DeleteInstance"] {
			t.Fatalf("rows %v", rows)
		}

		// The rows say which instance, too.
		rows = query(t, ct, "SELECT eventName, responseElements.instanceArn AS created, requestParameters.instanceArn AS deleted FROM "+eds+
			" WHERE eventName IN ('CreateInstance', 'DeleteInstance') AND errorCode IS NULL ORDER BY eventTime")
		if len(rows) != 2 || rows[0]["created"] != aws.ToString(out.InstanceArn) || rows[1]["deleted"] != aws.ToString(out.InstanceArn) {
			t.Fatalf("instance rows %v", rows)
		}

		// DescribeQuery reports the finished query.
		st, err := ct.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String("SELECT eventID FROM " + eds + " LIMIT 3")})
		must(t, err)
		query(t, ct, "SELECT eventID FROM "+eds+" LIMIT 1") // waits for the query runner
		d, err := ct.DescribeQuery(ctx, &cloudtrail.DescribeQueryInput{QueryId: st.QueryId})
		must(t, err)
		if d.QueryStatus != types.QueryStatusFinished || aws.ToInt64(d.QueryStatistics.EventsMatched) != 3 || !strings.Contains(aws.ToString(d.QueryString), "LIMIT 3") {
			t.Fatalf("DescribeQuery %+v %+v", d, d.QueryStatistics)
		}

		// Members, and accounts outside the organization, have no event
		// data store.
		for _, k := range []aws.Config{e.Config(member), e.Config(e.StandaloneAccount("alone"))} {
			c := client(k)
			_, err = c.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String("SELECT eventID FROM " + eds)})
			wantErr(t, err, "AccessDeniedException", "")
			_, err = c.ListEventDataStores(ctx, &cloudtrail.ListEventDataStoresInput{})
			wantErr(t, err, "AccessDeniedException", "")
			_, err = c.GetQueryResults(ctx, &cloudtrail.GetQueryResultsInput{QueryId: st.QueryId})
			wantErr(t, err, "AccessDeniedException", "")
		}
		_, err = ct.DescribeQuery(ctx, &cloudtrail.DescribeQueryInput{QueryId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantErr(t, err, "QueryIdNotFoundException", "")
	})
}

// TestQueryResultsPaging: GetQueryResults pages with MaxQueryResults and
// NextToken.
func TestQueryResultsPaging(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		ct := client(e.Management())
		eds := edsID(t, ct)
		for i := 0; i < 7; i++ {
			_, err := ct.ListEventDataStores(ctx, &cloudtrail.ListEventDataStoresInput{})
			must(t, err)
		}
		st, err := ct.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String(
			"SELECT eventID, eventTime FROM " + eds + " WHERE eventName = 'ListEventDataStores' ORDER BY eventTime")})
		must(t, err)
		query(t, ct, "SELECT eventID FROM "+eds+" LIMIT 1") // waits for the runner
		var seen []string
		var next *string
		for pages := 0; ; pages++ {
			out, err := ct.GetQueryResults(ctx, &cloudtrail.GetQueryResultsInput{QueryId: st.QueryId, MaxQueryResults: aws.Int32(3), NextToken: next})
			must(t, err)
			if aws.ToInt32(out.QueryStatistics.TotalResultsCount) != 8 || int(aws.ToInt32(out.QueryStatistics.ResultsCount)) != len(out.QueryResultRows) {
				t.Fatalf("statistics %+v", out.QueryStatistics)
			}
			for _, r := range out.QueryResultRows {
				if len(r) != 2 || r[0]["eventID"] == "" || r[1]["eventTime"] == "" {
					t.Fatalf("row %v", r)
				}
				seen = append(seen, r[0]["eventID"])
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
		if len(seen) != 8 {
			t.Fatalf("%d rows over the pages, want 8", len(seen))
		}
		_, err = ct.GetQueryResults(ctx, &cloudtrail.GetQueryResultsInput{QueryId: st.QueryId, NextToken: aws.String("bogus")})
		wantErr(t, err, "InvalidNextTokenException", "")
	})
}

// TestMaliciousQueriesChangeNothing: statements that would write, read
// other tables or run other statements are refused, and the database is
// the same afterwards.
func TestMaliciousQueriesChangeNothing(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		ids := identitystore.NewFromConfig(e.Management())
		_, err := createUser(ids, e.StoreID(), "victim")
		must(t, err)
		ct := client(e.Management())
		eds := edsID(t, ct)
		// The events of calls other than this test's queries.
		others := func() string {
			e.Server.Audit.Flush()
			res, err := e.Store.QueryReadOnly(ctx, `SELECT COUNT(*) FROM audit_events WHERE event_name NOT IN ('StartQuery', 'DescribeQuery', 'ListUsers')`, 1, time.Minute, audit.SQLiteFunctions)
			must(t, err)
			return *res.Rows[0][0]
		}
		events := others()
		users := func() int {
			out, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(e.StoreID())})
			must(t, err)
			return len(out.Users)
		}
		nusers := users()
		bad := []string{
			"DELETE FROM " + eds,
			"DROP TABLE audit_events",
			"SELECT * FROM " + eds + "; DELETE FROM audit_events",
			"SELECT * FROM " + eds + "; DROP TABLE users",
			"UPDATE audit_events SET event_name = 'x'",
			"INSERT INTO users SELECT * FROM users",
			"ATTACH DATABASE '/tmp/evil.db' AS evil",
			"PRAGMA writable_schema = 1",
			"SELECT * FROM users",
			"SELECT * FROM access_keys",
			"SELECT * FROM " + eds + " WHERE eventID IN (SELECT secret FROM access_keys)",
			"WITH x AS (DELETE FROM users RETURNING *) SELECT * FROM x",
			"SELECT load_extension('evil')",
			"SELECT pg_read_file('/etc/passwd')",
			"SELECT eventName FROM " + eds + " WHERE eventName = 'x' OR 1=1; DROP TABLE users --",
			"SELECT eventName FROM " + eds + " WHERE eventName = '",
			"SELEC eventName FROM " + eds,
			"SELECT eventName FROM 00000000-0000-0000-0000-000000000000",
		}
		for _, stmt := range bad {
			_, err := ct.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String(stmt)})
			if err == nil {
				t.Fatalf("accepted %q", stmt)
			}
			wantErr(t, err, "InvalidQueryStatementException", "")
		}
		// A statement the checks accept but the database refuses fails as
		// a query (an ambiguous column).
		st, err := ct.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String(
			"SELECT eventName FROM " + eds + " a JOIN " + eds + " b ON a.eventID = b.eventID")})
		must(t, err)
		var status types.QueryStatus
		for status == "" || status == types.QueryStatusRunning {
			d, err := ct.DescribeQuery(ctx, &cloudtrail.DescribeQueryInput{QueryId: st.QueryId})
			must(t, err)
			status = d.QueryStatus
			if status == types.QueryStatusFailed && aws.ToString(d.ErrorMessage) == "" {
				t.Fatal("a failed query without an error message")
			}
		}
		if status != types.QueryStatusFailed {
			t.Fatalf("status %s, want FAILED", status)
		}
		if after := others(); after != events {
			t.Fatalf("%s other events before, %s after", events, after)
		}
		if n := users(); n != nusers {
			t.Fatalf("%d users before, %d after", nusers, n)
		}
		evs := lookup(t, ct, "StartQuery")
		if len(evs) != len(bad)+1 || recordOf(t, evs[len(evs)-1]).ErrorCode != "InvalidQueryStatementException" {
			t.Fatalf("%d StartQuery events", len(evs))
		}
	})
}
