package report_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/report"
	"github.com/idcenter/idcenter/internal/tabular"
	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

func TestWrite(t *testing.T) {
	tb := &report.Table{Columns: []string{"Name", "Ids", "Note"}, Rows: [][]any{
		{"a", []string{"1", "2"}, nil},
		{"b, \"c\"", []string(nil), "line\nbreak"},
	}}
	for _, c := range []struct{ format, want string }{
		{"csv", "Name,Ids,Note\na,\"1,2\",\n\"b, \"\"c\"\"\",,\"line\nbreak\"\n"},
		{"json", "[\n  {\"Name\": \"a\", \"Ids\": [\"1\",\"2\"], \"Note\": null},\n  {\"Name\": \"b, \\\"c\\\"\", \"Ids\": [], \"Note\": \"line\\nbreak\"}\n]\n"},
		{"table", "Name   | Ids | Note\n-------+-----+-----------\na      | 1,2 | \nb, \"c\" |     | line break\n(2 rows)\n"},
	} {
		var b bytes.Buffer
		if err := tabular.Write(&b, tb, c.format); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.format, b.String(), c.want)
		}
	}
	if err := tabular.Write(&bytes.Buffer{}, tb, "xml"); err == nil {
		t.Error("format xml: no error")
	}
	var b bytes.Buffer
	if err := tabular.Write(&b, &report.Table{Columns: []string{"A"}}, "json"); err != nil || b.String() != "[]\n" {
		t.Errorf("empty JSON %q %v", b.String(), err)
	}
}

// accountInstance creates an account instance with the key's account and
// waits until it is ACTIVE; it returns its ARN and identity store.
func accountInstance(t *testing.T, cfg aws.Config) (string, string) {
	t.Helper()
	c := ssoadmin.NewFromConfig(cfg)
	out, err := c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("apps")})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: out.InstanceArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == types.InstanceStatusActive {
			return aws.ToString(d.InstanceArn), aws.ToString(d.IdentityStoreId)
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance still %s", d.Status)
		}
	}
}

func createUser(t *testing.T, cfg aws.Config, storeID, name, email string) string {
	t.Helper()
	in := &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String(name), DisplayName: aws.String(name),
		Name: &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")}}
	if email != "" {
		in.Emails = []idtypes.Email{{Value: aws.String(email)}}
	}
	out, err := identitystore.NewFromConfig(cfg).CreateUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.UserId)
}

// TestDuplicates covers how people are matched: email without regard to
// case, user name, the two chained, users without email, and identity
// stores outside the organization (which do not count).
func TestDuplicates(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.Instances.SetDelays(20*time.Millisecond, 20*time.Millisecond, 20*time.Millisecond)
		a, b := e.MemberAccount("a"), e.MemberAccount("b")
		outside := e.StandaloneAccount("outside")
		_, storeA := accountInstance(t, e.Config(a))
		_, storeB := accountInstance(t, e.Config(b))
		_, storeOut := accountInstance(t, e.Config(outside))
		org := e.StoreID()

		createUser(t, e.Management(), org, "erin", "Erin@Example.com")
		createUser(t, e.Config(a), storeA, "erin.k", "erin@example.COM") // Erin by email
		createUser(t, e.Config(b), storeB, "ERIN.K", "")                 // and by user name, with no email
		createUser(t, e.Management(), org, "frank", "")
		createUser(t, e.Config(a), storeA, "Frank", "") // Frank by user name only
		createUser(t, e.Management(), org, "gina", "gina@example.com")
		createUser(t, e.Config(outside), storeOut, "gina", "gina@example.com") // outside the organization: not a duplicate
		createUser(t, e.Config(a), storeA, "henry", "henry@example.com")       // alone

		tb, err := report.Run(ctx, e.Store.R(), "duplicates", report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range tb.Rows {
			stores := slices.Clone(r[2].([]string))
			slices.Sort(stores)
			got = append(got, strings.Join([]string{strings.Join(r[0].([]string), ","), strings.Join(r[1].([]string), ","),
				strings.Join(stores, ","), strings.Join(r[4].([]string), ",")}, " "))
			if len(r[2].([]string)) != len(r[3].([]string)) {
				t.Errorf("row %v: stores and users do not pair", r)
			}
		}
		sorted := func(s ...string) string { slices.Sort(s); return strings.Join(s, ",") }
		want := []string{
			" frank " + sorted(org, storeA) + " userName",
			"erin@example.com erin,erin.k " + sorted(org, storeA, storeB) + " email,userName",
		}
		if !slices.Equal(got, want) {
			t.Errorf("duplicates\n got %q\nwant %q", got, want)
		}
	})
}

// TestInstancesWithoutOrganizationInstance deletes the organization
// instance: accounts without an instance of their own have none.
func TestInstancesWithoutOrganizationInstance(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.Instances.SetDelays(20*time.Millisecond, 20*time.Millisecond, 20*time.Millisecond)
		a, b := e.MemberAccount("a"), e.MemberAccount("b")
		instA, storeA := accountInstance(t, e.Config(a))
		c := ssoadmin.NewFromConfig(e.Management())
		orgInst := e.InstanceArn()
		if _, err := c.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &orgInst}); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			out, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(out.Instances, func(i types.InstanceMetadata) bool { return aws.ToString(i.InstanceArn) == orgInst }) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the organization instance is still there")
			}
		}
		tb, err := report.Run(ctx, e.Store.R(), "instances", report.Options{OrgID: e.Boot.Org.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			e.Boot.Org.ManagementAccountID: "<nil>",
			a.AccountID:                    instA + " " + storeA + " " + a.AccountID + " account ACTIVE",
			b.AccountID:                    "<nil>",
		}
		if len(tb.Rows) != len(want) {
			t.Fatalf("rows %v", tb.Rows)
		}
		for _, r := range tb.Rows {
			got := "<nil>"
			if r[1] != nil {
				got = strings.Join([]string{r[1].(string), r[2].(string), r[3].(string), r[4].(string), r[5].(string)}, " ")
			}
			if want[r[0].(string)] != got {
				t.Errorf("account %s: %s, want %s", r[0], got, want[r[0].(string)])
			}
		}
	})
}

func TestRunErrors(t *testing.T) {
	e := testenv.Start(t)
	for _, c := range []struct {
		name string
		o    report.Options
		kind errs.Kind
		msg  string
	}{
		{"nosuch", report.Options{}, errs.Invalid, `unknown report "nosuch"`},
		{"offboarding", report.Options{Email: "  "}, errs.Invalid, "--email"},
		{"instances", report.Options{OrgID: "o-0000000000"}, errs.NotFound, "no organization o-0000000000"},
	} {
		_, err := report.Run(ctx, e.Store.R(), c.name, c.o)
		if errs.KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s %+v: %v, want %v containing %q", c.name, c.o, err, c.kind, c.msg)
		}
	}
}
