package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

// inventory is an organization with an organization instance and account
// instances, the same people in several identity stores, groups and
// account assignments, made through the AWS SDK.
type inventory struct {
	e                            *testenv.Env
	mgmt, dev, prod, sandbox     string // account ids
	devInst, prodInst            string // account instance ARNs
	devStore, prodStore          string
	alice, bob, carol            string // users of the organization instance
	devAlice, devBob, prodAlice  string // users of the account instances
	admins                       string // group of the organization instance
	adminSet, readSet            string // permission set ARNs
	adminsMembership, aliceInDev string
}

func newInventory(t *testing.T, e *testenv.Env) *inventory {
	t.Helper()
	ctx := context.Background()
	e.Server.Instances.SetDelays(20*time.Millisecond, 20*time.Millisecond, 20*time.Millisecond)
	inv := &inventory{e: e, mgmt: e.Boot.Org.ManagementAccountID}
	devKey, prodKey, sandboxKey := e.MemberAccount("dev"), e.MemberAccount("prod"), e.MemberAccount("sandbox")
	inv.dev, inv.prod, inv.sandbox = devKey.AccountID, prodKey.AccountID, sandboxKey.AccountID
	accountInstance := func(cfg aws.Config, name string) (string, string) {
		c := ssoadmin.NewFromConfig(cfg)
		out, err := c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String(name)})
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
				t.Fatalf("instance %s still %s", aws.ToString(out.InstanceArn), d.Status)
			}
		}
	}
	inv.devInst, inv.devStore = accountInstance(e.Config(devKey), "dev-apps")
	inv.prodInst, inv.prodStore = accountInstance(e.Config(prodKey), "prod-apps")

	user := func(cfg aws.Config, storeID, name, email string) string {
		in := &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String(name), DisplayName: aws.String(name),
			Name: &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")}}
		if email != "" {
			in.Emails = []idtypes.Email{{Value: aws.String(email), Primary: true}}
		}
		out, err := identitystore.NewFromConfig(cfg).CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.UserId)
	}
	org := e.StoreID()
	inv.alice = user(e.Management(), org, "alice", "Alice@Example.com")
	inv.bob = user(e.Management(), org, "bob", "bob@example.com")
	inv.carol = user(e.Management(), org, "carol", "carol@example.com")
	// The same Alice by email (another case), the same Bob by user name
	// (another email), and Alice again in prod, linked by her dev user name.
	inv.devAlice = user(e.Config(devKey), inv.devStore, "a.smith", "alice@EXAMPLE.com")
	inv.devBob = user(e.Config(devKey), inv.devStore, "BOB", "robert@example.com")
	user(e.Config(devKey), inv.devStore, "dave", "dave@example.com")
	inv.prodAlice = user(e.Config(prodKey), inv.prodStore, "A.Smith", "asmith@corp.example")

	ids := identitystore.NewFromConfig(e.Management())
	g, err := ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &org, DisplayName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	inv.admins = aws.ToString(g.GroupId)
	for _, u := range []string{inv.alice, inv.bob} {
		m, err := ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &org, GroupId: g.GroupId,
			MemberId: &idtypes.MemberIdMemberUserId{Value: u}})
		if err != nil {
			t.Fatal(err)
		}
		if u == inv.alice {
			inv.adminsMembership = aws.ToString(m.MembershipId)
		}
	}

	sso, inst := ssoadmin.NewFromConfig(e.Management()), e.InstanceArn()
	set := func(name string) string {
		out, err := sso.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.PermissionSet.PermissionSetArn)
	}
	inv.adminSet, inv.readSet = set("Admin"), set("ReadOnly")
	assign := func(account, ps string, typ types.PrincipalType, principal string) {
		out, err := sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account,
			TargetType: types.TargetTypeAwsAccount, PermissionSetArn: &ps, PrincipalType: typ, PrincipalId: &principal})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			s, err := sso.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: &inst,
				AccountAssignmentCreationRequestId: out.AccountAssignmentCreationStatus.RequestId})
			if err != nil {
				t.Fatal(err)
			}
			switch s.AccountAssignmentCreationStatus.Status {
			case types.StatusValuesSucceeded:
				return
			case types.StatusValuesFailed:
				t.Fatalf("assignment failed: %s", aws.ToString(s.AccountAssignmentCreationStatus.FailureReason))
			}
			if time.Now().After(deadline) {
				t.Fatal("assignment still IN_PROGRESS")
			}
		}
	}
	assign(inv.dev, inv.adminSet, types.PrincipalTypeGroup, inv.admins)
	assign(inv.dev, inv.readSet, types.PrincipalTypeUser, inv.alice)
	assign(inv.prod, inv.readSet, types.PrincipalTypeUser, inv.carol)
	return inv
}

// run runs a command function with --db pointing at e's database (while
// e's server runs) and returns what it wrote.
func run(t *testing.T, e *testenv.Env, cmd func([]string, io.Writer) error, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := cmd(append(args, "--db", e.DBURL), &out); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out.String()
}

// jsonRows runs a command with --format json and decodes its rows.
func jsonRows(t *testing.T, e *testenv.Env, cmd func([]string, io.Writer) error, args ...string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	out := run(t, e, cmd, append(args, "--format", "json")...)
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return rows
}

// list reads a JSON array of strings.
func list(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

func TestReports(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		inv := newInventory(t, e)

		t.Run("instances", func(t *testing.T) {
			rows := jsonRows(t, e, reportCmd, "instances")
			want := map[string][3]string{ // account -> instance, owner, type
				inv.mgmt:    {e.InstanceArn(), inv.mgmt, "organization"},
				inv.dev:     {inv.devInst, inv.dev, "account"},
				inv.prod:    {inv.prodInst, inv.prod, "account"},
				inv.sandbox: {e.InstanceArn(), inv.mgmt, "organization"},
			}
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d: %v", len(rows), len(want), rows)
			}
			for i, r := range rows {
				w, ok := want[r["AccountId"].(string)]
				if !ok || r["InstanceArn"] != w[0] || r["OwnerAccountId"] != w[1] || r["Type"] != w[2] || r["Status"] != "ACTIVE" {
					t.Errorf("row %v, want %v", r, w)
				}
				if _, err := time.Parse("2006-01-02T15:04:05.000Z", r["CreatedDate"].(string)); err != nil {
					t.Errorf("CreatedDate %v: %v", r["CreatedDate"], err)
				}
				if i > 0 && rows[i-1]["AccountId"].(string) >= r["AccountId"].(string) {
					t.Errorf("rows not sorted by account")
				}
				if r["Type"] == "account" {
					store := inv.devStore
					if r["AccountId"] == inv.prod {
						store = inv.prodStore
					}
					if r["IdentityStoreId"] != store {
						t.Errorf("row %v: identity store, want %s", r, store)
					}
				}
			}
		})

		t.Run("access", func(t *testing.T) {
			var got []string
			for _, r := range jsonRows(t, e, reportCmd, "access") {
				got = append(got, strings.Join([]string{str(r["UserName"]), str(r["UserId"]), str(r["AccountId"]), str(r["PermissionSetName"]),
					str(r["PermissionSetArn"]), str(r["Access"]), str(r["GroupName"]), str(r["GroupId"]), str(r["IdentityStoreId"]), str(r["InstanceArn"])}, " "))
			}
			org, inst := e.StoreID(), e.InstanceArn()
			want := []string{
				"alice " + inv.alice + " " + inv.dev + " Admin " + inv.adminSet + " group admins " + inv.admins + " " + org + " " + inst,
				"alice " + inv.alice + " " + inv.dev + " ReadOnly " + inv.readSet + " direct   " + org + " " + inst,
				"bob " + inv.bob + " " + inv.dev + " Admin " + inv.adminSet + " group admins " + inv.admins + " " + org + " " + inst,
				"carol " + inv.carol + " " + inv.prod + " ReadOnly " + inv.readSet + " direct   " + org + " " + inst,
			}
			if !slices.Equal(got, want) {
				t.Errorf("access\n got %q\nwant %q", got, want)
			}
		})

		t.Run("duplicates", func(t *testing.T) {
			rows := jsonRows(t, e, reportCmd, "duplicates")
			if len(rows) != 2 {
				t.Fatalf("%d rows, want 2: %v", len(rows), rows)
			}
			alice, bob := rows[0], rows[1]
			if got := list(alice["Email"]); !slices.Equal(got, []string{"alice@example.com", "asmith@corp.example"}) {
				t.Errorf("Alice's emails %v", got)
			}
			if got := list(alice["UserName"]); !slices.Equal(got, []string{"a.smith", "alice"}) {
				t.Errorf("Alice's user names %v", got)
			}
			if got := list(alice["MatchedBy"]); !slices.Equal(got, []string{"email", "userName"}) {
				t.Errorf("Alice matched by %v", got)
			}
			pairs := func(r map[string]any) []string {
				stores, users := list(r["IdentityStoreIds"]), list(r["UserIds"])
				if len(stores) != len(users) {
					t.Fatalf("%d stores for %d users", len(stores), len(users))
				}
				var out []string
				for i := range stores {
					out = append(out, stores[i]+"/"+users[i])
				}
				slices.Sort(out)
				return out
			}
			wantPairs := func(p ...string) []string { slices.Sort(p); return p }
			if got, want := pairs(alice), wantPairs(e.StoreID()+"/"+inv.alice, inv.devStore+"/"+inv.devAlice, inv.prodStore+"/"+inv.prodAlice); !slices.Equal(got, want) {
				t.Errorf("Alice's users %v, want %v", got, want)
			}
			if got := list(bob["Email"]); !slices.Equal(got, []string{"bob@example.com", "robert@example.com"}) {
				t.Errorf("Bob's emails %v", got)
			}
			if got := list(bob["MatchedBy"]); !slices.Equal(got, []string{"userName"}) {
				t.Errorf("Bob matched by %v", got)
			}
			if got, want := pairs(bob), wantPairs(e.StoreID()+"/"+inv.bob, inv.devStore+"/"+inv.devBob); !slices.Equal(got, want) {
				t.Errorf("Bob's users %v, want %v", got, want)
			}
			// CSV and the table show the same people, lists joined by commas.
			records, err := csv.NewReader(strings.NewReader(run(t, e, reportCmd, "duplicates", "--format", "csv"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(records) != 3 || strings.Join(records[0], " ") != "Email UserName IdentityStoreIds UserIds MatchedBy" ||
				records[1][0] != "alice@example.com,asmith@corp.example" || records[2][4] != "userName" {
				t.Errorf("CSV %q", records)
			}
			if out := run(t, e, reportCmd, "--format", "table", "duplicates"); !strings.Contains(out, "\nbob@example.com,robert@example.com ") ||
				!strings.HasSuffix(out, "(2 rows)\n") {
				t.Errorf("table:\n%s", out)
			}
		})

		t.Run("offboarding", func(t *testing.T) {
			var got []string
			for _, r := range jsonRows(t, e, reportCmd, "offboarding", "--email", "ALICE@example.COM") {
				got = append(got, strings.TrimSpace(strings.Join([]string{str(r["Type"]), str(r["IdentityStoreId"]), str(r["UserName"]), str(r["UserId"]),
					str(r["GroupName"]), str(r["MembershipId"]), str(r["AccountId"]), str(r["PermissionSetName"]), str(r["Access"])}, " ")))
			}
			org := e.StoreID()
			want := []string{
				"instance " + org,
				"user " + org + " alice " + inv.alice,
				"group-membership " + org + " alice " + inv.alice + " admins " + inv.adminsMembership,
				"assignment " + org + " alice " + inv.alice + " admins  " + inv.dev + " Admin group",
				"assignment " + org + " alice " + inv.alice + "   " + inv.dev + " ReadOnly direct",
				"instance " + inv.devStore,
				"user " + inv.devStore + " a.smith " + inv.devAlice,
			}
			if org > inv.devStore { // rows follow the identity stores' order
				want = append(want[5:], want[:5]...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("offboarding\n got %q\nwant %q", got, want)
			}
			if rows := jsonRows(t, e, reportCmd, "offboarding", "--email", "nobody@example.com"); len(rows) != 0 {
				t.Errorf("offboarding of nobody: %v", rows)
			}
		})

		t.Run("errors", func(t *testing.T) {
			for _, args := range [][]string{
				{"nosuch"},
				{"offboarding"},
				{"instances", "--format", "xml"},
				{"instances", "--org", "o-0000000000"},
				{},
			} {
				var out bytes.Buffer
				if err := reportCmd(append(args, "--db", e.DBURL), &out); err == nil {
					t.Errorf("report %v: no error", args)
				}
			}
		})
	})
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return v.(string)
}
