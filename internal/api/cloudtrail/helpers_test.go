package cloudtrail_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

// start runs the test on each backend with a server whose audit trail is
// flushed before its store closes.
func start(t *testing.T, fn func(t *testing.T, e *testenv.Env)) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		t.Cleanup(e.Server.Close)
		e.Server.Instances.SetDelays(50*time.Millisecond, 50*time.Millisecond, 50*time.Millisecond)
		fn(t, e)
	})
}

func client(cfg aws.Config) *cloudtrail.Client { return cloudtrail.NewFromConfig(cfg) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err is the AWS error code whose message contains
// want (when want is not "").
func wantErr(t *testing.T, err error, code, want string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if want != "" && !strings.Contains(ae.ErrorMessage(), want) {
		t.Fatalf("%s message %q does not contain %q", code, ae.ErrorMessage(), want)
	}
}

// record is the CloudTrail record of a looked-up event.
type record struct {
	EventVersion string `json:"eventVersion"`
	UserIdentity struct {
		Type           string          `json:"type"`
		PrincipalID    string          `json:"principalId"`
		Arn            string          `json:"arn"`
		AccountID      string          `json:"accountId"`
		AccessKeyID    string          `json:"accessKeyId"`
		SessionContext json.RawMessage `json:"sessionContext"`
	} `json:"userIdentity"`
	EventTime          string          `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AwsRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	ErrorCode          string          `json:"errorCode"`
	ErrorMessage       string          `json:"errorMessage"`
	RequestParameters  json.RawMessage `json:"requestParameters"`
	ResponseElements   json.RawMessage `json:"responseElements"`
	RequestID          string          `json:"requestID"`
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	EventType          string          `json:"eventType"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
	EventCategory      string          `json:"eventCategory"`
}

func recordOf(t *testing.T, ev types.Event) *record {
	t.Helper()
	var r record
	if err := json.Unmarshal([]byte(aws.ToString(ev.CloudTrailEvent)), &r); err != nil {
		t.Fatalf("CloudTrailEvent %q: %v", aws.ToString(ev.CloudTrailEvent), err)
	}
	return &r
}

// lookup returns the caller's events named name, newest first.
func lookup(t *testing.T, c *cloudtrail.Client, name string) []types.Event {
	t.Helper()
	out, err := c.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyEventName, AttributeValue: aws.String(name)}}})
	must(t, err)
	return out.Events
}

// one returns the only event of name, failing otherwise.
func one(t *testing.T, c *cloudtrail.Client, name string) (types.Event, *record) {
	t.Helper()
	evs := lookup(t, c, name)
	if len(evs) != 1 {
		t.Fatalf("%d %s events, want 1", len(evs), name)
	}
	return evs[0], recordOf(t, evs[0])
}

// edsID returns the id of the management account's event data store.
func edsID(t *testing.T, c *cloudtrail.Client) string {
	t.Helper()
	out, err := c.ListEventDataStores(ctx, &cloudtrail.ListEventDataStoresInput{})
	must(t, err)
	if len(out.EventDataStores) != 1 {
		t.Fatalf("%d event data stores", len(out.EventDataStores))
	}
	arn := aws.ToString(out.EventDataStores[0].EventDataStoreArn)
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// query runs a statement through StartQuery and returns its rows as maps.
func query(t *testing.T, c *cloudtrail.Client, stmt string) []map[string]string {
	t.Helper()
	st, err := c.StartQuery(ctx, &cloudtrail.StartQueryInput{QueryStatement: aws.String(stmt)})
	must(t, err)
	deadline := time.Now().Add(30 * time.Second)
	var rows []map[string]string
	var next *string
	for {
		out, err := c.GetQueryResults(ctx, &cloudtrail.GetQueryResultsInput{QueryId: st.QueryId, NextToken: next})
		must(t, err)
		switch out.QueryStatus {
		case types.QueryStatusFinished:
		case types.QueryStatusRunning, types.QueryStatusQueued:
			if time.Now().After(deadline) {
				t.Fatal("query still running")
			}
			time.Sleep(50 * time.Millisecond)
			continue
		default:
			t.Fatalf("query %s: %s", out.QueryStatus, aws.ToString(out.ErrorMessage))
		}
		for _, r := range out.QueryResultRows {
			m := map[string]string{}
			for _, cell := range r {
				for k, v := range cell {
					m[k] = v
				}
			}
			rows = append(rows, m)
		}
		if out.NextToken == nil {
			return rows
		}
		next = out.NextToken
	}
}
