package cloudtrail_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/idcenter/idcenter/internal/testenv"
)

// TestLookupEvents: each lookup attribute, the time range, and paging
// newest first.
func TestLookupEvents(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		ids := identitystore.NewFromConfig(e.Management())
		sso := ssoadmin.NewFromConfig(e.Management())
		u, err := createUser(ids, e.StoreID(), "bob")
		must(t, err)
		for i := 0; i < 4; i++ {
			_, err := sso.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: aws.String(e.InstanceArn())})
			must(t, err)
		}
		_, err = ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(e.StoreID()), UserId: u.UserId})
		must(t, err)
		ct := client(e.Management())

		// All six calls, newest first, over pages of two.
		var all []types.Event
		var next *string
		pages := 0
		for {
			out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(2), NextToken: next})
			must(t, err)
			pages++
			all = append(all, out.Events...)
			if next = out.NextToken; next == nil {
				break
			}
		}
		if len(all) != 6 || pages != 3 || aws.ToString(all[0].EventName) != "DescribeUser" || aws.ToString(all[5].EventName) != "CreateUser" {
			t.Fatalf("%d events over %d pages: first %s, last %s", len(all), pages, aws.ToString(all[0].EventName), aws.ToString(all[len(all)-1].EventName))
		}
		for i := 1; i < len(all); i++ {
			if all[i].EventTime.After(*all[i-1].EventTime) {
				t.Fatal("not newest first")
			}
		}

		// by returns the events an attribute selects, but those of the
		// lookups themselves.
		by := func(key types.LookupAttributeKey, value string) []types.Event {
			t.Helper()
			out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []types.LookupAttribute{{AttributeKey: key, AttributeValue: aws.String(value)}}})
			must(t, err)
			var evs []types.Event
			for _, ev := range out.Events {
				if aws.ToString(ev.EventName) != "LookupEvents" {
					evs = append(evs, ev)
				}
			}
			return evs
		}
		for _, c := range []struct {
			key   types.LookupAttributeKey
			value string
			want  int
		}{
			{types.LookupAttributeKeyEventName, "DescribeInstance", 4},
			{types.LookupAttributeKeyEventId, aws.ToString(all[3].EventId), 1},
			{types.LookupAttributeKeyReadOnly, "false", 1},
			{types.LookupAttributeKeyReadOnly, "true", 5},
			{types.LookupAttributeKeyUsername, "root", 6},
			{types.LookupAttributeKeyUsername, "nobody", 0},
			{types.LookupAttributeKeyEventSource, "identitystore.amazonaws.com", 2},
			{types.LookupAttributeKeyEventSource, "sso.amazonaws.com", 4},
			{types.LookupAttributeKeyAccessKeyId, e.Boot.Key.AccessKeyID, 6},
			{types.LookupAttributeKeyResourceName, aws.ToString(u.UserId), 2},
			{types.LookupAttributeKeyResourceName, e.InstanceArn(), 4},
			{types.LookupAttributeKeyResourceType, "AWS::IdentityStore::User", 2},
			{types.LookupAttributeKeyResourceType, "AWS::SSO::Instance", 4},
		} {
			if got := by(c.key, c.value); len(got) != c.want {
				t.Errorf("%s=%s: %d events, want %d", c.key, c.value, len(got), c.want)
			}
		}

		// By resource: in pages of one, newest first, within a time range;
		// none in a range in the future.
		byInstance := func(start, end time.Time) (evs []types.Event) {
			t.Helper()
			var next *string
			for {
				out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1), NextToken: next, StartTime: &start, EndTime: &end,
					LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyResourceName, AttributeValue: aws.String(e.InstanceArn())}}})
				must(t, err)
				evs = append(evs, out.Events...)
				if next = out.NextToken; next == nil {
					return evs
				}
			}
		}
		if evs := byInstance(time.Now().Add(-time.Hour), time.Now().Add(time.Minute)); len(evs) != 4 || aws.ToString(evs[0].EventId) != aws.ToString(all[1].EventId) {
			t.Fatalf("by instance, in pages of one: %d events", len(evs))
		}
		if evs := byInstance(time.Now().Add(time.Hour), time.Now().Add(2*time.Hour)); len(evs) != 0 {
			t.Fatalf("by instance, in the future: %d events", len(evs))
		}

		// Time range.
		out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now().Add(time.Hour))})
		must(t, err)
		if len(out.Events) != 0 {
			t.Fatalf("%d events in the future", len(out.Events))
		}
		out, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Minute)),
			LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateUser")}}})
		must(t, err)
		if len(out.Events) != 1 {
			t.Fatalf("%d CreateUser events in the last hour", len(out.Events))
		}

		// Refused requests.
		_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now()), EndTime: aws.Time(time.Now().Add(-time.Hour))})
		wantErr(t, err, "InvalidTimeRangeException", "")
		_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []types.LookupAttribute{
			{AttributeKey: types.LookupAttributeKeyEventName, AttributeValue: aws.String("a")},
			{AttributeKey: types.LookupAttributeKeyUsername, AttributeValue: aws.String("b")}}})
		wantErr(t, err, "InvalidLookupAttributesException", "")
		_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyReadOnly, AttributeValue: aws.String("maybe")}}})
		wantErr(t, err, "InvalidLookupAttributesException", "")
		_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{NextToken: aws.String("bogus")})
		wantErr(t, err, "InvalidNextTokenException", "")
		// A token is bound to its filter.
		first, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1)})
		must(t, err)
		_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{NextToken: first.NextToken,
			LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateUser")}}})
		wantErr(t, err, "InvalidNextTokenException", "")

		// Another account sees only its own events.
		other := client(e.Config(e.MemberAccount("other")))
		out, err = other.LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
		must(t, err)
		if len(out.Events) != 0 {
			t.Fatalf("a member sees %d events of the management account", len(out.Events))
		}
	})
}
