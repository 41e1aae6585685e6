package organizations_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/testenv"
)

var idsName = idstypes.Name{GivenName: aws.String("A"), FamilyName: aws.String("B")}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantMsg fails unless err is the AWS error code with a message holding
// want.
func wantMsg(t *testing.T, err error, code, want string) {
	t.Helper()
	wantCode(t, err, code)
	var ae smithy.APIError
	if errors.As(err, &ae); !strings.Contains(ae.ErrorMessage(), want) {
		t.Fatalf("%s message %q does not contain %q", code, ae.ErrorMessage(), want)
	}
}

func rootID(t *testing.T, c *organizations.Client) string {
	t.Helper()
	out, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err)
	if len(out.Roots) != 1 || len(out.Roots[0].PolicyTypes) != 1 || out.Roots[0].PolicyTypes[0].Status != types.PolicyTypeStatusEnabled {
		t.Fatalf("ListRoots: %+v", out.Roots)
	}
	return aws.ToString(out.Roots[0].Id)
}

func TestServiceControlPolicyDeniesCreateInstance(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		e.Server.Instances.SetDelays(0, 0, 0)
		allowedKey, otherKey := e.MemberAccount("allowed"), e.MemberAccount("other")
		root := rootID(t, mgmt)

		p, err := mgmt.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("DenyAccountInstances"), Description: aws.String("only one account"),
			Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(org.DenyAccountInstancesPolicy(allowedKey.AccountID))})
		must(t, err)
		id := aws.ToString(p.Policy.PolicySummary.Id)
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: &root})
		must(t, err)

		other := ssoadmin.NewFromConfig(e.Config(otherKey))
		_, err = other.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("denied")})
		wantMsg(t, err, "AccessDeniedException", "sso:CreateInstance with an explicit deny in a service control policy")
		// The SCP denies only what it names.
		_, err = other.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)

		allowed := ssoadmin.NewFromConfig(e.Config(allowedKey))
		out, err := allowed.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("allowed")})
		must(t, err)
		if !strings.HasPrefix(aws.ToString(out.InstanceArn), "arn:aws:sso:::instance/ssoins-") {
			t.Fatalf("CreateInstance: %+v", out)
		}
		// The management account is never bound by SCPs (and is refused
		// CreateInstance for its own reason).
		_, err = ssoadmin.NewFromConfig(e.Management()).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("m")})
		wantCode(t, err, "ValidationException")

		// Detached, the other account may create its instance.
		_, err = mgmt.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &id, TargetId: &root})
		must(t, err)
		_, err = other.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("now-allowed")})
		must(t, err)
	})
}

func TestServiceControlPolicyAllowList(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		key := e.MemberAccount("limited")
		acct := key.AccountID
		// Replace the account's FullAWSAccess with an allow list: only
		// identitystore reads remain (the root's FullAWSAccess is not
		// enough, every level must allow).
		p, err := mgmt.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("ReadOnlyDirectory"), Description: aws.String("d"),
			Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["identitystore:Describe*","identitystore:List*"],"Resource":"*"}]}`)})
		must(t, err)
		id := aws.ToString(p.Policy.PolicySummary.Id)
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: &acct})
		must(t, err)
		_, err = mgmt.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: &acct})
		must(t, err)

		ids := identitystore.NewFromConfig(e.Config(key))
		_, err = ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(e.StoreID())})
		must(t, err)
		_, err = ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(e.StoreID()),
			AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("x")}}})
		wantMsg(t, err, "AccessDeniedException", "because no service control policy allows the identitystore:GetUserId action")
		_, err = ssoadmin.NewFromConfig(e.Config(key)).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		wantCode(t, err, "AccessDeniedException")
		// STS is bound too, but no policy can deny GetCallerIdentity.
		who, err := sts.NewFromConfig(e.Config(key)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)
		if aws.ToString(who.Account) != acct {
			t.Fatalf("GetCallerIdentity: %+v", who)
		}
		_, err = sts.NewFromConfig(e.Config(key)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + acct + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("s")})
		wantMsg(t, err, "AccessDenied", "because no service control policy allows the sts:AssumeRole action")

		// The last SCP of a target cannot be detached.
		_, err = mgmt.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &id, TargetId: &acct})
		wantCode(t, err, "ConstraintViolationException")
	})
}

func TestPolicyOperations(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		root := rootID(t, mgmt)
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sso:DeleteInstance","Resource":"*"}]}`
		create := func(name, content string) (*organizations.CreatePolicyOutput, error) {
			return mgmt.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: &name, Description: aws.String("test"),
				Type: types.PolicyTypeServiceControlPolicy, Content: &content})
		}
		_, err := create("bad", `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}`)
		wantMsg(t, err, "MalformedPolicyDocumentException", "Effect")
		_, err = create("big", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sso:`+strings.Repeat("A", 5200)+`","Resource":"*"}]}`)
		wantCode(t, err, "ConstraintViolationException")
		_, err = mgmt.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("t"), Description: aws.String("x"), Type: types.PolicyTypeTagPolicy, Content: &doc})
		wantCode(t, err, "PolicyTypeNotEnabledException")

		out, err := create("NoDelete", doc)
		must(t, err)
		s := out.Policy.PolicySummary
		id := aws.ToString(s.Id)
		if !strings.HasPrefix(id, "p-") || s.AwsManaged || aws.ToString(s.Arn) != "arn:aws:organizations::"+e.Boot.Org.ManagementAccountID+":policy/"+e.Boot.Org.ID+"/service_control_policy/"+id {
			t.Fatalf("CreatePolicy: %+v", s)
		}
		_, err = create("NoDelete", doc)
		wantCode(t, err, "DuplicatePolicyException")

		d, err := mgmt.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &id})
		must(t, err)
		if aws.ToString(d.Policy.Content) != doc || aws.ToString(d.Policy.PolicySummary.Name) != "NoDelete" {
			t.Fatalf("DescribePolicy: %+v", d.Policy)
		}
		u, err := mgmt.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: &id, Name: aws.String("NoDeleteInstance")})
		must(t, err)
		if aws.ToString(u.Policy.PolicySummary.Name) != "NoDeleteInstance" || aws.ToString(u.Policy.Content) != doc {
			t.Fatalf("UpdatePolicy: %+v", u.Policy)
		}
		_, err = mgmt.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String("p-FullAWSAccess"), Name: aws.String("mine")})
		wantCode(t, err, "PolicyChangesNotAllowedException")
		_, err = mgmt.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String("p-12345678")})
		wantCode(t, err, "PolicyNotFoundException")

		// Listing, with the SDK's paginator and a page size of one.
		var names []string
		pages := organizations.NewListPoliciesPaginator(mgmt, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy, MaxResults: aws.Int32(1)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			must(t, err)
			for _, p := range page.Policies {
				names = append(names, aws.ToString(p.Name))
			}
		}
		if strings.Join(names, ",") != "NoDeleteInstance,FullAWSAccess" && strings.Join(names, ",") != "FullAWSAccess,NoDeleteInstance" {
			t.Fatalf("ListPolicies: %v", names)
		}

		// Attachments.
		acct := e.MemberAccount("target").AccountID
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: &root})
		must(t, err)
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: &acct})
		must(t, err)
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: &acct})
		wantCode(t, err, "DuplicatePolicyAttachmentException")
		_, err = mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: &id, TargetId: aws.String("123456789012")})
		wantCode(t, err, "TargetNotFoundException")
		targets, err := mgmt.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: &id})
		must(t, err)
		if len(targets.Targets) != 2 {
			t.Fatalf("ListTargetsForPolicy: %+v", targets.Targets)
		}
		for _, tg := range targets.Targets {
			if tg.Type == types.TargetTypeAccount && (aws.ToString(tg.TargetId) != acct || aws.ToString(tg.Name) != "target") || tg.Type == types.TargetTypeRoot && aws.ToString(tg.TargetId) != root {
				t.Fatalf("target %+v", tg)
			}
		}
		onAcct, err := mgmt.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: &acct, Filter: types.PolicyTypeServiceControlPolicy})
		must(t, err)
		if len(onAcct.Policies) != 2 { // FullAWSAccess and ours
			t.Fatalf("ListPoliciesForTarget: %+v", onAcct.Policies)
		}
		_, err = mgmt.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: &id})
		wantCode(t, err, "PolicyInUseException")
		for _, target := range []string{root, acct} {
			_, err = mgmt.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &id, TargetId: aws.String(target)})
			must(t, err)
		}
		_, err = mgmt.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: &id, TargetId: &root})
		wantCode(t, err, "PolicyNotAttachedException")
		_, err = mgmt.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: &id})
		must(t, err)
		_, err = mgmt.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &id})
		wantCode(t, err, "PolicyNotFoundException")

		// Member accounts manage no policies.
		_, err = client(e, e.MemberAccount("m")).ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy})
		wantCode(t, err, "AccessDeniedException")
	})
}

func TestDelegatedAdministrator(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		adminKey, otherKey := e.MemberAccount("admin"), e.MemberAccount("other")
		admin := adminKey.AccountID
		users := identitystore.NewFromConfig(e.Config(adminKey))
		createUser := func() error {
			_, err := users.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(e.StoreID()), UserName: aws.String("alice-" + admin),
				DisplayName: aws.String("Alice"), Name: &idsName})
			return err
		}
		wantCode(t, createUser(), "AccessDeniedException")

		sp := aws.String("sso.amazonaws.com")
		_, err := mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(e.Boot.Org.ManagementAccountID), ServicePrincipal: sp})
		wantCode(t, err, "ConstraintViolationException")
		_, err = client(e, otherKey).RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: &admin, ServicePrincipal: sp})
		wantCode(t, err, "AccessDeniedException")
		_, err = mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: &admin, ServicePrincipal: sp})
		must(t, err)
		_, err = mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: &admin, ServicePrincipal: sp})
		wantCode(t, err, "AccountAlreadyRegisteredException")
		_, err = mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(otherKey.AccountID), ServicePrincipal: sp})
		wantCode(t, err, "ConstraintViolationException")

		list, err := mgmt.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: sp})
		must(t, err)
		if len(list.DelegatedAdministrators) != 1 || aws.ToString(list.DelegatedAdministrators[0].Id) != admin || aws.ToString(list.DelegatedAdministrators[0].Name) != "admin" ||
			list.DelegatedAdministrators[0].DelegationEnabledDate == nil {
			t.Fatalf("ListDelegatedAdministrators: %+v", list.DelegatedAdministrators)
		}

		// The delegated administrator manages users and sees the
		// organization instance; other members still only read.
		must(t, createUser())
		inst, err := ssoadmin.NewFromConfig(e.Config(adminKey)).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(inst.Instances) != 1 || aws.ToString(inst.Instances[0].InstanceArn) != e.InstanceArn() {
			t.Fatalf("ListInstances of the delegated administrator: %+v", inst.Instances)
		}
		_, err = identitystore.NewFromConfig(e.Config(otherKey)).CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(e.StoreID()),
			UserName: aws.String("bob"), DisplayName: aws.String("Bob"), Name: &idsName})
		wantCode(t, err, "AccessDeniedException")
		// Permission sets: the delegated administrator manages those not
		// provisioned in the management account, and never the management
		// account's access.
		checkDelegatedPermissionSets(t, e, adminKey, otherKey.AccountID)

		// Only the management account deletes the organization instance.
		_, err = ssoadmin.NewFromConfig(e.Config(adminKey)).DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: aws.String(e.InstanceArn())})
		wantCode(t, err, "AccessDeniedException")

		_, err = mgmt.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: &admin, ServicePrincipal: sp})
		must(t, err)
		_, err = mgmt.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: &admin, ServicePrincipal: sp})
		wantCode(t, err, "AccountNotRegisteredException")
		_, err = users.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: aws.String(e.StoreID()), UserId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantCode(t, err, "AccessDeniedException")
	})
}

func checkDelegatedPermissionSets(t *testing.T, e *testenv.Env, adminKey *org.Key, other string) {
	t.Helper()
	admin, mgmt := ssoadmin.NewFromConfig(e.Config(adminKey)), ssoadmin.NewFromConfig(e.Management())
	inst := aws.String(e.InstanceArn())
	mine, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String("Developers")})
	must(t, err)
	mineArn := mine.PermissionSet.PermissionSetArn
	theirs, err := mgmt.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String("Admins")})
	must(t, err)
	theirsArn := theirs.PermissionSet.PermissionSetArn
	group, err := identitystore.NewFromConfig(e.Management()).CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: aws.String(e.StoreID()), DisplayName: aws.String("ops")})
	must(t, err)
	assign := func(c *ssoadmin.Client, ps *string, account string) error {
		out, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: inst, PermissionSetArn: ps, TargetId: &account,
			TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: group.GroupId})
		if err != nil {
			return err
		}
		for i := 0; i < 200; i++ {
			d, err := c.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: inst,
				AccountAssignmentCreationRequestId: out.AccountAssignmentCreationStatus.RequestId})
			must(t, err)
			if d.AccountAssignmentCreationStatus.Status != ssotypes.StatusValuesInProgress {
				if d.AccountAssignmentCreationStatus.Status != ssotypes.StatusValuesSucceeded {
					t.Fatalf("assignment %+v", d.AccountAssignmentCreationStatus)
				}
				return nil
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatal("assignment still in progress")
		return nil
	}
	mgmtAccount := e.Boot.Org.ManagementAccountID
	must(t, assign(admin, mineArn, other))
	must(t, assign(mgmt, theirsArn, mgmtAccount))
	wantCode(t, assign(admin, mineArn, mgmtAccount), "AccessDeniedException")
	_, err = admin.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: inst, PermissionSetArn: theirsArn, Description: aws.String("mine now")})
	wantCode(t, err, "AccessDeniedException")
	_, err = admin.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: inst, PermissionSetArn: mineArn, Description: aws.String("developers")})
	must(t, err)
	// Reading is not restricted.
	_, err = admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: theirsArn})
	must(t, err)
}
