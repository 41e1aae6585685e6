package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/tabular"
)

// cloudTrailTarget is the X-Amz-Target prefix of CloudTrail (the AWS CLI's;
// the SDK's short CloudTrail_20131101 is accepted too).
const cloudTrailTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"

// lakeRuns is how many times each CloudTrail Lake query is timed.
const lakeRuns = 5

// benchEvents measures reading the audit trail (issue 4's figures) on a
// server whose store already holds many events (the other benches grow it):
// LookupEvents under load, by each lookup attribute, then CloudTrail Lake
// queries from StartQuery to their last page of results.
func benchEvents(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("bench events", flag.ExitOnError)
	t := addTargetFlags(fs, "management ")
	fs.Parse(args)
	ctx := context.Background()
	sdk, cfg, err := t.configs("bench events", 0)
	if err != nil {
		return err
	}
	ct := cloudtrail.NewFromConfig(sdk)
	scenarios, pages, err := lookupScenarios(ctx, sdk, ct, t)
	if err != nil {
		return err
	}
	res := loadgen.Run(ctx, cfg, scenarios...)
	fmt.Fprintf(w, "LookupEvents (MaxResults 50) by the management key %s; %d connections\n", t.key, t.conns)
	if err := loadgen.WriteTable(w, res, &res[0]); err != nil {
		return err
	}
	for i, p := range pages {
		if p.got.Load() && p.empty.Load() {
			fmt.Fprintf(w, "warning: %s: the first answer had no events\n", scenarios[i+1].Name)
		}
	}
	return lakeQueries(ctx, w, ct)
}

// lookupScenarios returns the baseline and a LookupEvents scenario per lookup
// attribute, with the first answers of the latter. The values looked up are
// the caller's: its user name and an event id from its newest event, its
// key, and a user of the identity store.
func lookupScenarios(ctx context.Context, sdk aws.Config, ct *cloudtrail.Client, t *benchTarget) ([]loadgen.Scenario, []*eventsPage, error) {
	users, err := identitystore.NewFromConfig(sdk).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &t.storeID, MaxResults: aws.Int32(1)})
	if err != nil {
		return nil, nil, err
	}
	if len(users.Users) == 0 {
		return nil, nil, fmt.Errorf("identity store %s has no users (run bench --seed)", t.storeID)
	}
	mine, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1),
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyAccessKeyId, AttributeValue: &t.key}}})
	if err != nil {
		return nil, nil, err
	}
	if len(mine.Events) == 0 {
		return nil, nil, fmt.Errorf("LookupEvents finds no event made with key %s", t.key)
	}
	userName, eventID := aws.ToString(mine.Events[0].Username), aws.ToString(mine.Events[0].EventId)

	sign := t.signer("cloudtrail")
	scenarios := []loadgen.Scenario{loadgen.BaselineScenario(loadgen.BaselinePath, sign)}
	var pages []*eventsPage
	now := time.Now()
	for _, a := range []struct {
		name, key, value string
		start, end       int64
	}{
		{name: "none"},
		{name: "EventName=CreateUser", key: "EventName", value: "CreateUser"},
		{name: "EventName=CreateUser, last 20 min", key: "EventName", value: "CreateUser", start: now.Add(-20 * time.Minute).Unix(), end: now.Unix() + 1},
		{name: "ReadOnly=false", key: "ReadOnly", value: "false"},
		{name: "ReadOnly=true", key: "ReadOnly", value: "true"},
		{name: "EventSource=identitystore", key: "EventSource", value: "identitystore.amazonaws.com"},
		{name: "Username=" + userName, key: "Username", value: userName},
		{name: "AccessKeyId=--key", key: "AccessKeyId", value: t.key},
		{name: "ResourceName=a user id", key: "ResourceName", value: aws.ToString(users.Users[0].UserId)},
		{name: "ResourceType=AWS::IdentityStore::User", key: "ResourceType", value: "AWS::IdentityStore::User"},
		{name: "EventId", key: "EventId", value: eventID},
	} {
		in := map[string]any{"MaxResults": 50}
		if a.key != "" {
			in["LookupAttributes"] = []map[string]string{{"AttributeKey": a.key, "AttributeValue": a.value}}
		}
		if a.start != 0 {
			in["StartTime"], in["EndTime"] = a.start, a.end // epoch seconds; the end takes in the current second
		}
		body, err := json.Marshal(in)
		if err != nil {
			return nil, nil, err
		}
		p := &eventsPage{}
		r := loadgen.AWSJSON(cloudTrailTarget, "LookupEvents", body)
		r.Expect = p.expect
		scenarios = append(scenarios, loadgen.FixedScenario("LookupEvents("+a.name+")", r, sign))
		pages = append(pages, p)
	}
	return scenarios, pages, nil
}

// eventsPage checks a scenario's LookupEvents answers and remembers whether
// its first had events.
type eventsPage struct {
	got, empty atomic.Bool
}

var expectOK = loadgen.ExpectStatus(http.StatusOK)

// eventsPrefix starts an answer with events (the server writes Events first).
var eventsPrefix = []byte(`{"Events":[`)

// expect accepts a 200 whose body is a JSON object with an Events array,
// or without Events (the server omits an empty list). Once an answer was
// decoded, those that start as expected are not decoded again, so that
// checking takes little of the CPU the server is measured with.
func (p *eventsPage) expect(status int, body []byte) error {
	if err := expectOK(status, body); err != nil {
		return err
	}
	if p.got.Load() && bytes.HasPrefix(body, eventsPrefix) {
		return nil
	}
	var page struct{ Events []json.RawMessage }
	if err := json.Unmarshal(body, &page); err != nil {
		return fmt.Errorf("not JSON with an Events array: %v", err)
	}
	if p.got.CompareAndSwap(false, true) {
		p.empty.Store(len(page.Events) == 0)
	}
	return nil
}

// lakeQueries times CloudTrail Lake queries on the caller's event data
// store: its event count once, then each query lakeRuns times.
func lakeQueries(ctx context.Context, w io.Writer, ct *cloudtrail.Client) error {
	stores, err := ct.ListEventDataStores(ctx, &cloudtrail.ListEventDataStoresInput{})
	if err != nil {
		return err
	}
	if len(stores.EventDataStores) == 0 {
		return errors.New("ListEventDataStores lists no event data store")
	}
	arn := aws.ToString(stores.EventDataStores[0].EventDataStoreArn)
	id := arn[strings.LastIndexByte(arn, '/')+1:]

	total, err := lakeQuery(ctx, ct, "SELECT count(*) FROM "+id)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nevent data store %s: %s events (SELECT count(*) in %s)\n", id, total.first, ms(total.wall))

	// eventTime is compared as text: the layout is store.AuditTimeLayout's
	// without milliseconds, as CloudTrail Lake queries write it.
	now := time.Now().UTC()
	const layout = time.DateTime
	queries := []struct{ name, stmt string }{
		{"issue 4: userARN of CreateInstance, DeleteInstance", "SELECT userIdentity.arn AS userARN, eventName, userIdentity.accountId FROM " + id +
			" WHERE userIdentity.arn IS NOT NULL AND eventName = 'DeleteInstance' OR eventName = 'CreateInstance'"},
		{"CreateUser in the last 10 minutes, 1,000 rows", "SELECT eventID, eventTime, eventName FROM " + id + " WHERE eventName = 'CreateUser' AND eventTime > '" +
			now.Add(-10*time.Minute).Format(layout) + "' AND eventTime < '" + now.Format(layout) + "' LIMIT 1000"},
		{"count(*) of CreateUser in the last hour", "SELECT count(*) FROM " + id + " WHERE eventName = 'CreateUser' AND eventTime > '" +
			now.Add(-time.Hour).Format(layout) + "' AND eventTime < '" + now.Format(layout) + "'"},
		{"count(*) of DescribeUser", "SELECT count(*) FROM " + id + " WHERE eventName = 'DescribeUser'"},
	}
	tab := &tabular.Table{Columns: []string{"query", "rows", "min", "median", "max", "server ms", "events scanned", "bytes scanned"}}
	for _, q := range queries {
		var runs []lakeRun
		for range lakeRuns {
			r, err := lakeQuery(ctx, ct, q.stmt)
			if err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			runs = append(runs, r)
		}
		slices.SortFunc(runs, func(a, b lakeRun) int { return cmp.Compare(a.wall, b.wall) })
		med := runs[len(runs)/2]
		tab.Add(q.name, strconv.Itoa(med.rows), ms(runs[0].wall), ms(med.wall), ms(runs[len(runs)-1].wall),
			statCell(med.stats.ExecutionTimeInMillis), statCell(med.stats.EventsScanned), statCell(med.stats.BytesScanned))
	}
	fmt.Fprintf(w, "\nCloudTrail Lake queries, each run %d times from StartQuery (DescribeQuery every 10 ms) to the last page of GetQueryResults; server figures of the median run:\n", lakeRuns)
	if err := tabular.Write(w, tab, "table"); err != nil {
		return err
	}
	for _, q := range queries {
		fmt.Fprintf(w, "%s: %s\n", q.name, q.stmt)
	}
	return nil
}

// lakeRun is one query run end to end.
type lakeRun struct {
	wall  time.Duration
	rows  int
	first string // the first row's first value
	stats cttypes.QueryStatisticsForDescribeQuery
}

// lakeQuery runs stmt: StartQuery, DescribeQuery every 10 ms until it ends,
// then GetQueryResults page by page.
func lakeQuery(ctx context.Context, ct *cloudtrail.Client, stmt string) (lakeRun, error) {
	var r lakeRun
	start := time.Now()
	q, err := ct.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: &stmt})
	if err != nil {
		return r, err
	}
	for {
		d, err := ct.DescribeQuery(ctx, &cloudtrail.DescribeQueryInput{QueryId: q.QueryId})
		if err != nil {
			return r, err
		}
		if d.QueryStatistics != nil {
			r.stats = *d.QueryStatistics
		}
		if d.QueryStatus == cttypes.QueryStatusFinished {
			break
		}
		if d.QueryStatus != cttypes.QueryStatusQueued && d.QueryStatus != cttypes.QueryStatusRunning {
			return r, fmt.Errorf("query %s: %s", d.QueryStatus, aws.ToString(d.ErrorMessage))
		}
		time.Sleep(10 * time.Millisecond)
	}
	pages := cloudtrail.NewGetQueryResultsPaginator(ct, &cloudtrail.GetQueryResultsInput{QueryId: q.QueryId})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return r, err
		}
		if r.rows == 0 && len(page.QueryResultRows) > 0 && len(page.QueryResultRows[0]) > 0 {
			for _, v := range page.QueryResultRows[0][0] {
				r.first = v
			}
		}
		r.rows += len(page.QueryResultRows)
	}
	r.wall = time.Since(start)
	return r, nil
}

// statCell shows a server statistic, "-" when the server gave none.
func statCell[T int32 | int64](v *T) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatInt(int64(*v), 10)
}
