package ssoadmin_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/testenv"
)

// directory makes users and groups in the organization instance's
// identity store.
type directory struct {
	t   *testing.T
	c   *identitystore.Client
	sid string
}

func dir(t *testing.T, e *testenv.Env) *directory {
	return &directory{t: t, c: identitystore.NewFromConfig(e.Management()), sid: e.StoreID()}
}

func (d *directory) user(name string) string {
	d.t.Helper()
	out, err := d.c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &d.sid, UserName: aws.String(name), DisplayName: aws.String(name),
		Name: &idtypes.Name{GivenName: aws.String(name), FamilyName: aws.String("Test")}})
	must(d.t, err)
	return aws.ToString(out.UserId)
}

func (d *directory) group(name string, members ...string) string {
	d.t.Helper()
	out, err := d.c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &d.sid, DisplayName: aws.String(name)})
	must(d.t, err)
	for _, m := range members {
		_, err := d.c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &d.sid, GroupId: out.GroupId,
			MemberId: &idtypes.MemberIdMemberUserId{Value: m}})
		must(d.t, err)
	}
	return aws.ToString(out.GroupId)
}

// assignment is what CreateAccountAssignment and DeleteAccountAssignment
// take.
type assignment struct {
	inst, account, ps string
	typ               types.PrincipalType
	principal         string
}

func startCreate(t *testing.T, c *ssoadmin.Client, a assignment) *types.AccountAssignmentOperationStatus {
	t.Helper()
	out, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &a.inst, TargetId: &a.account,
		TargetType: types.TargetTypeAwsAccount, PermissionSetArn: &a.ps, PrincipalType: a.typ, PrincipalId: &a.principal})
	must(t, err)
	return out.AccountAssignmentCreationStatus
}

func startDelete(t *testing.T, c *ssoadmin.Client, a assignment) *types.AccountAssignmentOperationStatus {
	t.Helper()
	out, err := c.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &a.inst, TargetId: &a.account,
		TargetType: types.TargetTypeAwsAccount, PermissionSetArn: &a.ps, PrincipalType: a.typ, PrincipalId: &a.principal})
	must(t, err)
	return out.AccountAssignmentDeletionStatus
}

// poll calls get until the status it returns is no longer IN_PROGRESS, as
// Terraform polls, and returns the final one.
func poll[S any](t *testing.T, get func() (S, types.StatusValues, error)) S {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s, status, err := get()
		must(t, err)
		if status != types.StatusValuesInProgress {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatal("request still IN_PROGRESS")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitCreated(t *testing.T, c *ssoadmin.Client, inst, id string) *types.AccountAssignmentOperationStatus {
	t.Helper()
	return poll(t, func() (*types.AccountAssignmentOperationStatus, types.StatusValues, error) {
		out, err := c.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: &inst,
			AccountAssignmentCreationRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.AccountAssignmentCreationStatus, out.AccountAssignmentCreationStatus.Status, nil
	})
}

func waitDeleted(t *testing.T, c *ssoadmin.Client, inst, id string) *types.AccountAssignmentOperationStatus {
	t.Helper()
	return poll(t, func() (*types.AccountAssignmentOperationStatus, types.StatusValues, error) {
		out, err := c.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{InstanceArn: &inst,
			AccountAssignmentDeletionRequestId: &id})
		if err != nil {
			return nil, "", err
		}
		return out.AccountAssignmentDeletionStatus, out.AccountAssignmentDeletionStatus.Status, nil
	})
}

// assign creates an assignment and waits until it SUCCEEDED.
func assign(t *testing.T, c *ssoadmin.Client, a assignment) {
	t.Helper()
	if s := waitCreated(t, c, a.inst, aws.ToString(startCreate(t, c, a).RequestId)); s.Status != types.StatusValuesSucceeded {
		t.Fatalf("assignment %+v: %s %s", a, s.Status, aws.ToString(s.FailureReason))
	}
}

// accountsOf lists the accounts where a permission set is provisioned, in
// a provisioning status ("" for any).
func accountsOf(t *testing.T, c *ssoadmin.Client, inst, ps string, status types.ProvisioningStatus) []string {
	t.Helper()
	var out []string
	p := ssoadmin.NewListAccountsForProvisionedPermissionSetPaginator(c, &ssoadmin.ListAccountsForProvisionedPermissionSetInput{InstanceArn: &inst,
		PermissionSetArn: &ps, ProvisioningStatus: status, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		out = append(out, page.AccountIds...)
	}
	sort.Strings(out)
	return out
}

// setsIn lists the permission sets provisioned in an account.
func setsIn(t *testing.T, c *ssoadmin.Client, inst, account string, status types.ProvisioningStatus) []string {
	t.Helper()
	var out []string
	p := ssoadmin.NewListPermissionSetsProvisionedToAccountPaginator(c, &ssoadmin.ListPermissionSetsProvisionedToAccountInput{InstanceArn: &inst,
		AccountId: &account, ProvisioningStatus: status})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		out = append(out, page.PermissionSets...)
	}
	sort.Strings(out)
	return out
}

func TestAssignmentLifeCycle(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		d := dir(t, e)
		alice, bob := d.user("alice"), d.user("bob")
		account := e.MemberAccount("dev").AccountID
		ps := newSet(t, c, inst, "Developer")
		a := assignment{inst: inst, account: account, ps: ps, typ: types.PrincipalTypeUser, principal: alice}

		st := startCreate(t, c, a)
		if st.Status != types.StatusValuesInProgress || len(aws.ToString(st.RequestId)) != 36 || aws.ToString(st.TargetId) != account ||
			st.TargetType != types.TargetTypeAwsAccount || aws.ToString(st.PermissionSetArn) != ps || st.PrincipalType != types.PrincipalTypeUser ||
			aws.ToString(st.PrincipalId) != alice || st.CreatedDate == nil {
			t.Fatalf("CreateAccountAssignment answered %+v", st)
		}
		done := waitCreated(t, c, inst, aws.ToString(st.RequestId))
		if done.Status != types.StatusValuesSucceeded || done.FailureReason != nil || aws.ToString(done.PrincipalId) != alice {
			t.Fatalf("creation finished %+v", done)
		}
		assign(t, c, assignment{inst: inst, account: account, ps: ps, typ: types.PrincipalTypeUser, principal: bob})
		// Creating an existing assignment again succeeds and adds nothing.
		assign(t, c, a)

		list, err := c.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &inst, AccountId: &account, PermissionSetArn: &ps,
			MaxResults: aws.Int32(1)})
		must(t, err)
		if len(list.AccountAssignments) != 1 || list.NextToken == nil {
			t.Fatalf("first page %+v", list)
		}
		var principals []string
		pager := ssoadmin.NewListAccountAssignmentsPaginator(c, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &inst, AccountId: &account, PermissionSetArn: &ps,
			MaxResults: aws.Int32(1)})
		for pager.HasMorePages() {
			page, err := pager.NextPage(ctx)
			must(t, err)
			for _, as := range page.AccountAssignments {
				if aws.ToString(as.AccountId) != account || aws.ToString(as.PermissionSetArn) != ps || as.PrincipalType != types.PrincipalTypeUser {
					t.Fatalf("listed %+v", as)
				}
				principals = append(principals, aws.ToString(as.PrincipalId))
			}
		}
		sort.Strings(principals)
		want := []string{alice, bob}
		sort.Strings(want)
		if fmt.Sprint(principals) != fmt.Sprint(want) {
			t.Fatalf("assignments of %v, want %v", principals, want)
		}

		// The permission set is provisioned in the account as its role.
		if got := accountsOf(t, c, inst, ps, ""); fmt.Sprint(got) != "["+account+"]" {
			t.Fatalf("provisioned in %v", got)
		}
		if got := setsIn(t, c, inst, account, types.ProvisioningStatusLatestPermissionSetProvisioned); fmt.Sprint(got) != "["+ps+"]" {
			t.Fatalf("provisioned to the account: %v", got)
		}
		role, eff, err := e.Server.PermSets.RoleOf(ctx, ps, account)
		must(t, err)
		if !strings.HasPrefix(role, "AWSReservedSSO_Developer_") || len(role) != len("AWSReservedSSO_Developer_")+16 || eff.SessionDuration != "PT1H" {
			t.Fatalf("role %s %+v", role, eff)
		}
		if r, err := e.Store.R().Role(ctx, account, role); err != nil || !strings.Contains(r.TrustPolicy, "saml-provider/AWSSSO_") {
			t.Fatalf("IAM role %+v %v", r, err)
		}

		// A permission set in use cannot be deleted.
		_, err = c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
		wantErr(t, err, "ConflictException", "Could not delete because PermissionSet has ApplicationProfile associated with it")

		// Deleting one assignment keeps the role; the last one removes it.
		del := startDelete(t, c, a)
		if del.Status != types.StatusValuesInProgress {
			t.Fatalf("DeleteAccountAssignment answered %+v", del)
		}
		if s := waitDeleted(t, c, inst, aws.ToString(del.RequestId)); s.Status != types.StatusValuesSucceeded {
			t.Fatalf("deletion %+v", s)
		}
		if _, _, err := e.Server.PermSets.RoleOf(ctx, ps, account); err != nil {
			t.Fatalf("role gone with an assignment left: %v", err)
		}
		del = startDelete(t, c, assignment{inst: inst, account: account, ps: ps, typ: types.PrincipalTypeUser, principal: bob})
		if s := waitDeleted(t, c, inst, aws.ToString(del.RequestId)); s.Status != types.StatusValuesSucceeded {
			t.Fatalf("deletion %+v", s)
		}
		if _, _, err := e.Server.PermSets.RoleOf(ctx, ps, account); err == nil {
			t.Fatal("role survived its last assignment")
		}
		if _, err := e.Store.R().Role(ctx, account, role); err == nil {
			t.Fatal("IAM role survived its last assignment")
		}
		if got := accountsOf(t, c, inst, ps, ""); len(got) != 0 {
			t.Fatalf("still provisioned in %v", got)
		}
		// Deleting it again fails in the background, as in AWS.
		del = startDelete(t, c, a)
		if s := waitDeleted(t, c, inst, aws.ToString(del.RequestId)); s.Status != types.StatusValuesFailed || !strings.Contains(aws.ToString(s.FailureReason), "Assignment not found") {
			t.Fatalf("deleting a missing assignment: %+v", s)
		}
		_, err = c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps})
		must(t, err)
	})
}

func TestAssignmentFailures(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		d := dir(t, e)
		user := d.user("carol")
		account := e.MemberAccount("prod").AccountID
		ps := newSet(t, c, inst, "Ops")
		failed := func(a assignment, want string) string {
			t.Helper()
			st := startCreate(t, c, a)
			s := waitCreated(t, c, inst, aws.ToString(st.RequestId))
			if s.Status != types.StatusValuesFailed || !strings.Contains(aws.ToString(s.FailureReason), want) {
				t.Fatalf("%+v: %s %q, want FAILED %q", a, s.Status, aws.ToString(s.FailureReason), want)
			}
			return aws.ToString(st.RequestId)
		}
		nobody := "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
		f1 := failed(assignment{inst, account, ps, types.PrincipalTypeUser, nobody}, "Principal "+nobody)
		f2 := failed(assignment{inst, account, ps, types.PrincipalTypeGroup, user}, "not found")
		outsider := e.StandaloneAccount("outsider").AccountID
		f3 := failed(assignment{inst, outsider, ps, types.PrincipalTypeUser, user}, "Account "+outsider)
		failed(assignment{inst, "999999999999", ps, types.PrincipalTypeUser, user}, "not found")
		if got := accountsOf(t, c, inst, ps, ""); len(got) != 0 {
			t.Fatalf("failed assignments provisioned %v", got)
		}
		assign(t, c, assignment{inst, account, ps, types.PrincipalTypeUser, user})

		// Errors the call itself answers.
		gone := ps[:len(ps)-16] + "0123456789abcdef"
		_, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: types.TargetTypeAwsAccount,
			PermissionSetArn: &gone, PrincipalType: types.PrincipalTypeUser, PrincipalId: &user})
		wantErr(t, err, "ResourceNotFoundException", "ps-0123456789abcdef")
		_, err = c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: aws.String("12345"), TargetType: types.TargetTypeAwsAccount,
			PermissionSetArn: &ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &user})
		wantErr(t, err, "ValidationException", "")
		_, err = c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: "ORGANIZATIONAL_UNIT",
			PermissionSetArn: &ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &user})
		wantErr(t, err, "ValidationException", "")
		member := client(e.Config(e.MemberAccount("member")))
		_, err = member.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: types.TargetTypeAwsAccount,
			PermissionSetArn: &ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &user})
		wantErr(t, err, "AccessDeniedException", "sso:CreateAccountAssignment")
		_, err = c.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: &inst,
			AccountAssignmentCreationRequestId: aws.String("00000000-0000-4000-8000-000000000000")})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{InstanceArn: &inst,
			AccountAssignmentDeletionRequestId: &f1})
		wantErr(t, err, "ResourceNotFoundException", "")

		// The creation requests, by status, a page at a time.
		statuses := func(status types.StatusValues) []string {
			t.Helper()
			var ids []string
			in := &ssoadmin.ListAccountAssignmentCreationStatusInput{InstanceArn: &inst, MaxResults: aws.Int32(2)}
			if status != "" {
				in.Filter = &types.OperationStatusFilter{Status: status}
			}
			p := ssoadmin.NewListAccountAssignmentCreationStatusPaginator(c, in)
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				must(t, err)
				for _, m := range page.AccountAssignmentsCreationStatus {
					if status != "" && m.Status != status || m.CreatedDate == nil {
						t.Fatalf("listed %+v under filter %s", m, status)
					}
					ids = append(ids, aws.ToString(m.RequestId))
				}
			}
			return ids
		}
		if all := statuses(""); len(all) != 5 {
			t.Fatalf("%d creation requests, want 5", len(all))
		}
		if got := statuses(types.StatusValuesFailed); len(got) != 4 || got[0] != f1 || got[1] != f2 || got[2] != f3 {
			t.Fatalf("FAILED requests %v", got)
		}
		if got := statuses(types.StatusValuesSucceeded); len(got) != 1 {
			t.Fatalf("SUCCEEDED requests %v", got)
		}
		if got := statuses(types.StatusValuesInProgress); len(got) != 0 {
			t.Fatalf("IN_PROGRESS requests %v", got)
		}
		del, err := c.ListAccountAssignmentDeletionStatus(ctx, &ssoadmin.ListAccountAssignmentDeletionStatusInput{InstanceArn: &inst})
		must(t, err)
		if len(del.AccountAssignmentsDeletionStatus) != 0 {
			t.Fatalf("deletion requests %+v", del.AccountAssignmentsDeletionStatus)
		}
	})
}

// TestAssignmentsForPrincipal checks that a user reaches its own
// assignments and its groups', each account and permission set once.
func TestAssignmentsForPrincipal(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		d := dir(t, e)
		dana, eve := d.user("dana"), d.user("eve")
		g1, g2 := d.group("g1", dana, eve), d.group("g2", dana)
		x, y := e.MemberAccount("x").AccountID, e.MemberAccount("y").AccountID
		psA, psB := newSet(t, c, inst, "A"), newSet(t, c, inst, "B")
		for _, a := range []assignment{
			{inst, x, psA, types.PrincipalTypeGroup, g1},
			{inst, x, psA, types.PrincipalTypeGroup, g2},
			{inst, x, psB, types.PrincipalTypeUser, dana},
			{inst, y, psA, types.PrincipalTypeGroup, g2},
			{inst, y, psB, types.PrincipalTypeUser, eve},
		} {
			assign(t, c, a)
		}
		lowest := g1
		if g2 < g1 {
			lowest = g2
		}
		list := func(typ types.PrincipalType, id, account string) []string {
			t.Helper()
			in := &ssoadmin.ListAccountAssignmentsForPrincipalInput{InstanceArn: &inst, PrincipalType: typ, PrincipalId: &id, MaxResults: aws.Int32(1)}
			if account != "" {
				in.Filter = &types.ListAccountAssignmentsFilter{AccountId: &account}
			}
			var out []string
			p := ssoadmin.NewListAccountAssignmentsForPrincipalPaginator(c, in)
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				must(t, err)
				for _, a := range page.AccountAssignments {
					out = append(out, aws.ToString(a.AccountId)+" "+aws.ToString(a.PermissionSetArn)+" "+string(a.PrincipalType)+" "+aws.ToString(a.PrincipalId))
				}
			}
			sort.Strings(out)
			return out
		}
		sorted := func(l ...string) []string { sort.Strings(l); return l }
		want := sorted(x+" "+psA+" GROUP "+lowest, x+" "+psB+" USER "+dana, y+" "+psA+" GROUP "+g2)
		if got := list(types.PrincipalTypeUser, dana, ""); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("dana reaches\n%v\nwant\n%v", got, want)
		}
		if got := list(types.PrincipalTypeUser, dana, y); fmt.Sprint(got) != fmt.Sprint([]string{y + " " + psA + " GROUP " + g2}) {
			t.Fatalf("dana in %s: %v", y, got)
		}
		want = sorted(x+" "+psA+" GROUP "+g1, y+" "+psB+" USER "+eve)
		if got := list(types.PrincipalTypeUser, eve, ""); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("eve reaches %v, want %v", got, want)
		}
		want = sorted(x+" "+psA+" GROUP "+g2, y+" "+psA+" GROUP "+g2)
		if got := list(types.PrincipalTypeGroup, g2, ""); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("g2 reaches %v, want %v", got, want)
		}
		if got := list(types.PrincipalTypeUser, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", ""); len(got) != 0 {
			t.Fatalf("an unknown user reaches %v", got)
		}
	})
}

func TestProvisioningStatus(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		user := dir(t, e).user("frank")
		x, y, z := e.MemberAccount("x").AccountID, e.MemberAccount("y").AccountID, e.MemberAccount("z").AccountID
		ps := newSet(t, c, inst, "Auditor")
		assign(t, c, assignment{inst, x, ps, types.PrincipalTypeUser, user})
		assign(t, c, assignment{inst, y, ps, types.PrincipalTypeUser, user})
		latest, outdated := types.ProvisioningStatusLatestPermissionSetProvisioned, types.ProvisioningStatusLatestPermissionSetNotProvisioned
		both := fmt.Sprint(sortedOf(x, y))
		if got := accountsOf(t, c, inst, ps, latest); fmt.Sprint(got) != both {
			t.Fatalf("LATEST in %v", got)
		}

		// A change leaves every account behind until provisioned again.
		ro := "arn:aws:iam::aws:policy/SecurityAudit"
		_, err := c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, ManagedPolicyArn: &ro})
		must(t, err)
		if got := accountsOf(t, c, inst, ps, outdated); fmt.Sprint(got) != both {
			t.Fatalf("NOT_PROVISIONED in %v", got)
		}
		if got := accountsOf(t, c, inst, ps, latest); len(got) != 0 {
			t.Fatalf("LATEST in %v after a change", got)
		}
		if got := setsIn(t, c, inst, x, outdated); fmt.Sprint(got) != "["+ps+"]" {
			t.Fatalf("outdated in %s: %v", x, got)
		}
		if got := setsIn(t, c, inst, x, latest); len(got) != 0 {
			t.Fatalf("latest in %s: %v", x, got)
		}
		_, eff, err := e.Server.PermSets.RoleOf(ctx, ps, x)
		must(t, err)
		if len(eff.ManagedPolicyArns) != 0 {
			t.Fatalf("the role changed before provisioning: %+v", eff)
		}

		provision := func(in *ssoadmin.ProvisionPermissionSetInput) *types.PermissionSetProvisioningStatus {
			t.Helper()
			in.InstanceArn, in.PermissionSetArn = &inst, &ps
			out, err := c.ProvisionPermissionSet(ctx, in)
			must(t, err)
			if out.PermissionSetProvisioningStatus.Status != types.StatusValuesInProgress {
				t.Fatalf("ProvisionPermissionSet answered %+v", out.PermissionSetProvisioningStatus)
			}
			id := aws.ToString(out.PermissionSetProvisioningStatus.RequestId)
			return poll(t, func() (*types.PermissionSetProvisioningStatus, types.StatusValues, error) {
				d, err := c.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{InstanceArn: &inst,
					ProvisionPermissionSetRequestId: &id})
				if err != nil {
					return nil, "", err
				}
				return d.PermissionSetProvisioningStatus, d.PermissionSetProvisioningStatus.Status, nil
			})
		}
		s := provision(&ssoadmin.ProvisionPermissionSetInput{TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &x})
		if s.Status != types.StatusValuesSucceeded || aws.ToString(s.AccountId) != x || aws.ToString(s.PermissionSetArn) != ps {
			t.Fatalf("provisioning %s: %+v", x, s)
		}
		if got := accountsOf(t, c, inst, ps, latest); fmt.Sprint(got) != "["+x+"]" {
			t.Fatalf("LATEST in %v after provisioning %s", got, x)
		}
		_, eff, err = e.Server.PermSets.RoleOf(ctx, ps, x)
		must(t, err)
		if fmt.Sprint(eff.ManagedPolicyArns) != "["+ro+"]" {
			t.Fatalf("provisioned role holds %+v", eff)
		}
		s = provision(&ssoadmin.ProvisionPermissionSetInput{TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &z})
		if s.Status != types.StatusValuesFailed || !strings.Contains(aws.ToString(s.FailureReason), "Permission set provision not found in AWS account "+z) {
			t.Fatalf("provisioning where it is not assigned: %+v", s)
		}
		s = provision(&ssoadmin.ProvisionPermissionSetInput{TargetType: types.ProvisionTargetTypeAllProvisionedAccounts})
		if s.Status != types.StatusValuesSucceeded || s.AccountId != nil {
			t.Fatalf("provisioning everywhere: %+v", s)
		}
		if got := accountsOf(t, c, inst, ps, latest); fmt.Sprint(got) != both {
			t.Fatalf("LATEST in %v after provisioning everywhere", got)
		}
		if got := accountsOf(t, c, inst, ps, outdated); len(got) != 0 {
			t.Fatalf("NOT_PROVISIONED in %v after provisioning everywhere", got)
		}
		_, err = c.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, TargetType: types.ProvisionTargetTypeAwsAccount})
		wantErr(t, err, "ValidationException", "TargetId")

		list, err := c.ListPermissionSetProvisioningStatus(ctx, &ssoadmin.ListPermissionSetProvisioningStatusInput{InstanceArn: &inst,
			Filter: &types.OperationStatusFilter{Status: types.StatusValuesSucceeded}})
		must(t, err)
		if len(list.PermissionSetsProvisioningStatus) != 2 {
			t.Fatalf("SUCCEEDED provisionings %+v", list.PermissionSetsProvisioningStatus)
		}
		// The description is not provisioned: changing it leaves the
		// accounts up to date.
		_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, Description: aws.String("Reads")})
		must(t, err)
		if got := accountsOf(t, c, inst, ps, latest); fmt.Sprint(got) != both {
			t.Fatalf("LATEST in %v after a description change", got)
		}
		// A new assignment provisions the current version.
		_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &ps, SessionDuration: aws.String("PT4H")})
		must(t, err)
		assign(t, c, assignment{inst, z, ps, types.PrincipalTypeUser, user})
		if got := accountsOf(t, c, inst, ps, latest); fmt.Sprint(got) != "["+z+"]" {
			t.Fatalf("LATEST in %v after assigning in %s", got, z)
		}
		_, eff, err = e.Server.PermSets.RoleOf(ctx, ps, z)
		must(t, err)
		if eff.SessionDuration != "PT4H" {
			t.Fatalf("role of %s holds %+v", z, eff)
		}
	})
}

func sortedOf(l ...string) []string { sort.Strings(l); return l }

// TestProvisionedQuota checks the quota of permission sets provisioned in
// one account.
func TestProvisionedQuota(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		l := permset.DefaultLimits
		l.ProvisionedPerAccount = 1
		e.Server.PermSets.SetLimits(l)
		c, inst := client(e.Management()), e.InstanceArn()
		user := dir(t, e).user("gina")
		account := e.MemberAccount("small").AccountID
		ps1, ps2 := newSet(t, c, inst, "One"), newSet(t, c, inst, "Two")
		assign(t, c, assignment{inst, account, ps1, types.PrincipalTypeUser, user})
		_, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: types.TargetTypeAwsAccount,
			PermissionSetArn: &ps2, PrincipalType: types.PrincipalTypeUser, PrincipalId: &user})
		wantErr(t, err, "ServiceQuotaExceededException", "Cannot provision more than 1")
	})
}

// TestAssignmentsSurviveRestart leaves requests in progress in a server
// that stops, and shows a new server over the same database finishes them.
func TestAssignmentsSurviveRestart(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.PermSets.SetDelay(time.Hour) // this server never gets to the work
		c, inst := client(e.Management()), e.InstanceArn()
		user := dir(t, e).user("hank")
		account := e.MemberAccount("late").AccountID
		ps := newSet(t, c, inst, "Late")
		st := startCreate(t, c, assignment{inst, account, ps, types.PrincipalTypeUser, user})
		time.Sleep(300 * time.Millisecond)
		d, err := c.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: &inst,
			AccountAssignmentCreationRequestId: st.RequestId})
		must(t, err)
		if d.AccountAssignmentCreationStatus.Status != types.StatusValuesInProgress {
			t.Fatalf("delayed request %+v", d.AccountAssignmentCreationStatus)
		}

		// The new server finishes it on its own: no call reaches it until
		// the request is done.
		e2 := e.Restart()
		deadline := time.Now().Add(20 * time.Second)
		for {
			r, err := e2.Store.R().PermSetRequest(ctx, aws.ToString(st.RequestId))
			must(t, err)
			if r.Status != permset.StatusInProgress {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the restarted server did not resume the request")
			}
			time.Sleep(20 * time.Millisecond)
		}
		c2 := client(e2.Management())
		if s := waitCreated(t, c2, inst, aws.ToString(st.RequestId)); s.Status != types.StatusValuesSucceeded {
			t.Fatalf("after restart: %+v", s)
		}
		if got := accountsOf(t, c2, inst, ps, ""); fmt.Sprint(got) != "["+account+"]" {
			t.Fatalf("provisioned in %v", got)
		}
	})
}

// TestConcurrentAssignments creates and deletes many assignments of one
// permission set in one account at once: the permission set is provisioned
// there once, and its role goes with the last assignment.
func TestConcurrentAssignments(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		d := dir(t, e)
		account := e.MemberAccount("busy").AccountID
		ps := newSet(t, c, inst, "Busy")
		var users []string
		for i := 0; i < 12; i++ {
			users = append(users, d.user(fmt.Sprintf("u%02d", i)))
		}
		// run starts one request per user at once (start answers its
		// request id), then waits for them all to succeed.
		run := func(start func(user string) (*string, error), wait func(*testing.T, *ssoadmin.Client, string, string) *types.AccountAssignmentOperationStatus) {
			t.Helper()
			type started struct {
				id  *string
				err error
			}
			ch := make(chan started, len(users))
			for _, u := range users {
				go func() { id, err := start(u); ch <- started{id, err} }()
			}
			for range users {
				r := <-ch
				must(t, r.err)
				if s := wait(t, c, inst, aws.ToString(r.id)); s.Status != types.StatusValuesSucceeded {
					t.Fatalf("%+v", s)
				}
			}
		}
		create := func(u string) (*string, error) {
			out, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: types.TargetTypeAwsAccount,
				PermissionSetArn: &ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &u})
			if err != nil {
				return nil, err
			}
			return out.AccountAssignmentCreationStatus.RequestId, nil
		}
		del := func(u string) (*string, error) {
			out, err := c.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: &inst, TargetId: &account, TargetType: types.TargetTypeAwsAccount,
				PermissionSetArn: &ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &u})
			if err != nil {
				return nil, err
			}
			return out.AccountAssignmentDeletionStatus.RequestId, nil
		}
		run(create, waitCreated)
		list, err := c.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &inst, AccountId: &account, PermissionSetArn: &ps})
		must(t, err)
		if len(list.AccountAssignments) != len(users) {
			t.Fatalf("%d assignments, want %d", len(list.AccountAssignments), len(users))
		}
		if _, _, err := e.Server.PermSets.RoleOf(ctx, ps, account); err != nil {
			t.Fatal(err)
		}
		run(del, waitDeleted)
		if _, _, err := e.Server.PermSets.RoleOf(ctx, ps, account); err == nil {
			t.Fatal("role survived its last assignment")
		}
	})
}

// TestBacklogFinishesInOrder queues requests on three permission sets
// while the work is held back, so that one sweep finishes them together
// (each permission set's requests in one transaction): each permission
// set's requests are carried out in the order they were made, a request
// that fails fails alone, leaving nothing, and the others of its
// transaction succeed.
func TestBacklogFinishesInOrder(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		d := dir(t, e)
		ann, bob := d.user("ann"), d.user("bob")
		team := d.group("team", ann)
		account := e.MemberAccount("queued").AccountID
		outsider := e.StandaloneAccount("elsewhere").AccountID
		a, b, gone := newSet(t, c, inst, "Alpha"), newSet(t, c, inst, "Beta"), newSet(t, c, inst, "Gamma")
		nobody := "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

		e.Server.PermSets.SetDelay(time.Hour) // the requests below wait, then are due together
		type step struct {
			st      *types.AccountAssignmentOperationStatus
			create  bool
			want    types.StatusValues
			because string
		}
		var steps []step
		create := func(x assignment, want types.StatusValues, because string) {
			steps = append(steps, step{startCreate(t, c, x), true, want, because})
		}
		del := func(x assignment, want types.StatusValues, because string) {
			steps = append(steps, step{startDelete(t, c, x), false, want, because})
		}
		user, group := types.PrincipalTypeUser, types.PrincipalTypeGroup
		create(assignment{inst, account, a, user, ann}, types.StatusValuesSucceeded, "")
		create(assignment{inst, account, a, user, nobody}, types.StatusValuesFailed, "Principal "+nobody)
		create(assignment{inst, account, a, user, bob}, types.StatusValuesSucceeded, "")
		del(assignment{inst, account, a, user, ann}, types.StatusValuesSucceeded, "") // after its creation
		create(assignment{inst, outsider, b, user, bob}, types.StatusValuesFailed, "Account "+outsider)
		create(assignment{inst, account, b, group, team}, types.StatusValuesSucceeded, "")
		del(assignment{inst, account, b, user, bob}, types.StatusValuesFailed, "not found")
		create(assignment{inst, account, gone, group, team}, types.StatusValuesSucceeded, "")
		del(assignment{inst, account, gone, group, team}, types.StatusValuesSucceeded, "") // its last: the role goes
		// A sweep whose listing is under way now sees them all.
		time.Sleep(100 * time.Millisecond)
		e.Server.PermSets.SetDelay(0)

		for i, s := range steps {
			var got *types.AccountAssignmentOperationStatus
			if s.create {
				got = waitCreated(t, c, inst, aws.ToString(s.st.RequestId))
			} else {
				got = waitDeleted(t, c, inst, aws.ToString(s.st.RequestId))
			}
			if got.Status != s.want || !strings.Contains(aws.ToString(got.FailureReason), s.because) {
				t.Errorf("request %d: %s %q, want %s %q", i, got.Status, aws.ToString(got.FailureReason), s.want, s.because)
			}
		}
		// Alpha's four requests, a failure among them, were finished in one
		// transaction: they share its time.
		var when []time.Time
		for _, s := range steps[:4] {
			r, err := e.Store.R().PermSetRequest(ctx, aws.ToString(s.st.RequestId))
			must(t, err)
			when = append(when, r.Updated)
		}
		if !when[0].Equal(when[1]) || !when[0].Equal(when[2]) || !when[0].Equal(when[3]) {
			t.Errorf("Alpha's requests finished at %v, want one transaction's time", when)
		}
		principals := func(ps string) []string {
			t.Helper()
			out, err := c.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: &inst, AccountId: &account, PermissionSetArn: &ps})
			must(t, err)
			var l []string
			for _, x := range out.AccountAssignments {
				l = append(l, string(x.PrincipalType)+":"+aws.ToString(x.PrincipalId))
			}
			return l
		}
		if got := principals(a); fmt.Sprint(got) != "[USER:"+bob+"]" {
			t.Errorf("Alpha assigned to %v, want bob only", got)
		}
		if got := principals(b); fmt.Sprint(got) != "[GROUP:"+team+"]" {
			t.Errorf("Beta assigned to %v, want the team only", got)
		}
		if got := principals(gone); len(got) != 0 {
			t.Errorf("Gamma assigned to %v", got)
		}
		if got := accountsOf(t, c, inst, gone, ""); len(got) != 0 {
			t.Errorf("Gamma still provisioned in %v", got)
		}
		for _, ps := range []string{a, b} {
			if got := accountsOf(t, c, inst, ps, ""); fmt.Sprint(got) != "["+account+"]" {
				t.Errorf("%s provisioned in %v", ps, got)
			}
		}
	})
}
