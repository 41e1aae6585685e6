package ssoadmin_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/testenv"
)

// newSet creates a permission set and returns its ARN.
func newSet(t *testing.T, c *ssoadmin.Client, inst, name string) string {
	t.Helper()
	out, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String(name)})
	must(t, err)
	return aws.ToString(out.PermissionSet.PermissionSetArn)
}

// allSets lists every permission set of an instance with the paginator.
func allSets(t *testing.T, c *ssoadmin.Client, inst string, pageSize int32) []string {
	t.Helper()
	var arns []string
	p := ssoadmin.NewListPermissionSetsPaginator(c, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst, MaxResults: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		if len(page.PermissionSets) > int(pageSize) {
			t.Fatalf("page of %d, asked for %d", len(page.PermissionSets), pageSize)
		}
		arns = append(arns, page.PermissionSets...)
	}
	sort.Strings(arns)
	return arns
}

func TestPermissionSetCRUD(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		out, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Admin"),
			Description: aws.String("Full access"), RelayState: aws.String("https://console.aws.amazon.com/"),
			Tags: []types.Tag{tag("team", "platform")}})
		must(t, err)
		ps := out.PermissionSet
		arn := aws.ToString(ps.PermissionSetArn)
		if want := "arn:aws:sso:::permissionSet/" + inst[len("arn:aws:sso:::instance/"):] + "/ps-"; len(arn) != len(want)+16 || arn[:len(want)] != want {
			t.Fatalf("permission set ARN %s", arn)
		}
		if aws.ToString(ps.SessionDuration) != "PT1H" || aws.ToString(ps.Name) != "Admin" || ps.CreatedDate == nil {
			t.Fatalf("created %+v", ps)
		}

		_, err = c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Admin")})
		wantErr(t, err, "ConflictException", "PermissionSet with name Admin already exists.")
		for _, bad := range []string{"PT30M", "PT13H", "P1D", "PT12H1S", "-PT2H", "P1Y"} {
			_, err = c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Bad"), SessionDuration: aws.String(bad)})
			wantErr(t, err, "ValidationException", "")
		}
		_, err = c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("bad name!")})
		wantErr(t, err, "ValidationException", "")

		_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
			SessionDuration: aws.String("PT8H30M"), Description: aws.String("Changed")})
		must(t, err)
		_, err = c.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, SessionDuration: aws.String("PT12H30M")})
		wantErr(t, err, "ValidationException", "PT12H30M")
		d, err := c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if p := d.PermissionSet; aws.ToString(p.SessionDuration) != "PT8H30M" || aws.ToString(p.Description) != "Changed" ||
			aws.ToString(p.RelayState) != "https://console.aws.amazon.com/" || !p.CreatedDate.Equal(aws.ToTime(ps.CreatedDate)) {
			t.Fatalf("described %+v", p)
		}

		// Tags on the permission set, apart from the instance's.
		tags, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: &inst, ResourceArn: &arn})
		must(t, err)
		if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
			t.Fatalf("tags %+v", tags.Tags)
		}
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &arn, Tags: []types.Tag{tag("env", "prod"), tag("team", "sec")}})
		must(t, err)
		_, err = c.UntagResource(ctx, &ssoadmin.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"env"}})
		must(t, err)
		tags, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &arn})
		must(t, err)
		if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "sec" {
			t.Fatalf("tags after untag %+v", tags.Tags)
		}
		instTags, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &inst})
		must(t, err)
		if len(instTags.Tags) != 0 {
			t.Fatalf("the instance got the permission set's tags: %+v", instTags.Tags)
		}
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{tag("aws:x", "y")}})
		wantErr(t, err, "ValidationException", "reserved")
		var many []types.Tag
		for i := 0; i < 75; i++ {
			many = append(many, tag(fmt.Sprintf("k%02d", i), "v"))
		}
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: many})
		wantErr(t, err, "ServiceQuotaExceededException", "")

		// Listing, one page at a time.
		want := []string{arn}
		for i := 0; i < 4; i++ {
			want = append(want, newSet(t, c, inst, fmt.Sprintf("Set%d", i)))
		}
		sort.Strings(want)
		if got := allSets(t, c, inst, 2); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("listed %v, want %v", got, want)
		}
		_, err = c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst, NextToken: aws.String("bogus")})
		wantErr(t, err, "ValidationException", "NextToken")

		// Delete, then it is gone.
		_, err = c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		_, err = c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "Could not find PermissionSet with id "+arn[len(arn)-19:])
		_, err = c.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")
		if got := allSets(t, c, inst, 100); len(got) != 4 {
			t.Fatalf("after delete: %v", got)
		}
		// The name is free again.
		newSet(t, c, inst, "Admin")
	})
}

func TestPermissionSetQuota(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		l := permset.DefaultLimits
		l.PermissionSetsPerInstance = 3
		e.Server.PermSets.SetLimits(l)
		c, inst := client(e.Management()), e.InstanceArn()
		for i := 0; i < 3; i++ {
			newSet(t, c, inst, fmt.Sprintf("S%d", i))
		}
		_, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("S3")})
		wantErr(t, err, "ServiceQuotaExceededException", "Cannot create PermissionSet more than 3")
	})
}

func TestPermissionSetPolicies(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c, inst := client(e.Management()), e.InstanceArn()
		arn := newSet(t, c, inst, "Dev")
		ref := func(name, path string) *types.CustomerManagedPolicyReference {
			r := &types.CustomerManagedPolicyReference{Name: aws.String(name)}
			if path != "" {
				r.Path = aws.String(path)
			}
			return r
		}

		// Inline policy.
		get, err := c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if aws.ToString(get.InlinePolicy) != "" {
			t.Fatalf("new permission set has inline policy %q", aws.ToString(get.InlinePolicy))
		}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
		_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, InlinePolicy: &doc})
		must(t, err)
		get, err = c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if aws.ToString(get.InlinePolicy) != doc {
			t.Fatalf("inline policy %q", aws.ToString(get.InlinePolicy))
		}
		for _, bad := range []string{`not json`, `{"Version":"2012-10-17"}`, `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}`, `[]`} {
			_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, InlinePolicy: aws.String(bad)})
			wantErr(t, err, "ValidationException", "")
		}
		l := permset.DefaultLimits
		l.InlinePolicyChars = 60
		e.Server.PermSets.SetLimits(l)
		_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, InlinePolicy: &doc})
		wantErr(t, err, "ServiceQuotaExceededException", "at most 60")
		e.Server.PermSets.SetLimits(permset.DefaultLimits)
		_, err = c.DeleteInlinePolicyFromPermissionSet(ctx, &ssoadmin.DeleteInlinePolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		get, err = c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if aws.ToString(get.InlinePolicy) != "" {
			t.Fatal("inline policy survived its deletion")
		}

		// AWS managed policies.
		ro := "arn:aws:iam::aws:policy/ReadOnlyAccess"
		_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, ManagedPolicyArn: &ro})
		must(t, err)
		_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, ManagedPolicyArn: &ro})
		wantErr(t, err, "ConflictException", ro)
		_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
			ManagedPolicyArn: aws.String("arn:aws:iam::123456789012:policy/Mine")})
		wantErr(t, err, "ValidationException", "")
		managed, err := c.ListManagedPoliciesInPermissionSet(ctx, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if len(managed.AttachedManagedPolicies) != 1 || aws.ToString(managed.AttachedManagedPolicies[0].Name) != "ReadOnlyAccess" ||
			aws.ToString(managed.AttachedManagedPolicies[0].Arn) != ro {
			t.Fatalf("managed policies %+v", managed.AttachedManagedPolicies)
		}
		_, err = c.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, ManagedPolicyArn: &ro})
		must(t, err)
		_, err = c.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, ManagedPolicyArn: &ro})
		wantErr(t, err, "ResourceNotFoundException", "Could not find ManagedPolicy with arn "+ro)

		// Customer managed policy references (path "/" by default).
		_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Mine", "")})
		must(t, err)
		_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Mine", "/")})
		wantErr(t, err, "ConflictException", "already attached")
		_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Mine", "/team/")})
		must(t, err)
		var refs []string
		pager := ssoadmin.NewListCustomerManagedPolicyReferencesInPermissionSetPaginator(c, &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, MaxResults: aws.Int32(1)})
		for pager.HasMorePages() {
			page, err := pager.NextPage(ctx)
			must(t, err)
			for _, r := range page.CustomerManagedPolicyReferences {
				refs = append(refs, aws.ToString(r.Path)+aws.ToString(r.Name))
			}
		}
		if fmt.Sprint(refs) != "[/Mine /team/Mine]" {
			t.Fatalf("customer managed references %v", refs)
		}
		_, err = c.DetachCustomerManagedPolicyReferenceFromPermissionSet(ctx, &ssoadmin.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Mine", "/team/")})
		must(t, err)
		_, err = c.DetachCustomerManagedPolicyReferenceFromPermissionSet(ctx, &ssoadmin.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Other", "")})
		wantErr(t, err, "ResourceNotFoundException", "does not exist")

		// At most 20 managed and customer managed policies together.
		for i := 0; i < 19; i++ {
			_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
				ManagedPolicyArn: aws.String(fmt.Sprintf("arn:aws:iam::aws:policy/job-function/P%02d", i))})
			must(t, err)
		}
		_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn, ManagedPolicyArn: &ro})
		wantErr(t, err, "ServiceQuotaExceededException", "more than 20")
		_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx, &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: &inst, PermissionSetArn: &arn, CustomerManagedPolicyReference: ref("Third", "")})
		wantErr(t, err, "ServiceQuotaExceededException", "")

		// Permissions boundary.
		_, err = c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.PutPermissionsBoundaryToPermissionSet(ctx, &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
			PermissionsBoundary: &types.PermissionsBoundary{ManagedPolicyArn: &ro, CustomerManagedPolicyReference: ref("B", "")}})
		wantErr(t, err, "ValidationException", "not both")
		_, err = c.PutPermissionsBoundaryToPermissionSet(ctx, &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
			PermissionsBoundary: &types.PermissionsBoundary{CustomerManagedPolicyReference: ref("Boundary", "")}})
		must(t, err)
		b, err := c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if r := b.PermissionsBoundary.CustomerManagedPolicyReference; r == nil || aws.ToString(r.Name) != "Boundary" || aws.ToString(r.Path) != "/" ||
			b.PermissionsBoundary.ManagedPolicyArn != nil {
			t.Fatalf("boundary %+v", b.PermissionsBoundary)
		}
		_, err = c.PutPermissionsBoundaryToPermissionSet(ctx, &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn,
			PermissionsBoundary: &types.PermissionsBoundary{ManagedPolicyArn: &ro}})
		must(t, err)
		b, err = c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		if aws.ToString(b.PermissionsBoundary.ManagedPolicyArn) != ro || b.PermissionsBoundary.CustomerManagedPolicyReference != nil {
			t.Fatalf("boundary %+v", b.PermissionsBoundary)
		}
		_, err = c.DeletePermissionsBoundaryFromPermissionSet(ctx, &ssoadmin.DeletePermissionsBoundaryFromPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		must(t, err)
		_, err = c.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")

		// Every operation refuses a permission set it does not know.
		gone := arn[:len(arn)-16] + "0000000000000000"
		_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &gone, InlinePolicy: &doc})
		wantErr(t, err, "ResourceNotFoundException", "ps-0000000000000000")
		_, err = c.ListManagedPoliciesInPermissionSet(ctx, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &gone})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &inst, PermissionSetArn: &gone, ManagedPolicyArn: &ro})
		wantErr(t, err, "ResourceNotFoundException", "")
	})
}

// TestPermissionSetAccess checks who may manage permission sets: the
// management account on the organization instance, and the owner of an
// account instance once it enabled permission sets.
func TestPermissionSetAccess(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		mgmt, inst := client(e.Management()), e.InstanceArn()
		arn := newSet(t, mgmt, inst, "Org")
		memberKey := e.MemberAccount("member")
		member := client(e.Config(memberKey))
		_, err := member.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &inst})
		wantErr(t, err, "AccessDeniedException", "sso:ListPermissionSets")
		_, err = member.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &inst, Name: aws.String("Mine")})
		wantErr(t, err, "AccessDeniedException", "")
		_, err = member.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &inst, PermissionSetArn: &arn})
		wantErr(t, err, "AccessDeniedException", "")
		_, err = member.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &arn})
		wantErr(t, err, "AccessDeniedException", "")
		unknown := "arn:aws:sso:::instance/ssoins-0000000000000000"
		_, err = mgmt.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: &unknown})
		wantErr(t, err, "AccessDeniedException", "")
		// An account instance refuses permission sets until it enables them.
		accountInst := active(t, member, "acct")
		_, err = member.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &accountInst, PermissionSetArn: &arn})
		wantErr(t, err, "ValidationException", "not supported")

		_, err = member.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &accountInst, Name: aws.String("Mine")})
		wantErr(t, err, "ValidationException", "The operation is not supported for this Identity Center instance")
		_, err = member.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &accountInst, PermissionSetsEnabled: aws.Bool(true)})
		must(t, err)
		mine := newSet(t, member, accountInst, "Mine")
		// A permission set named with another instance's ARN is not there.
		_, err = member.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &accountInst, PermissionSetArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = mgmt.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &accountInst, PermissionSetArn: &mine})
		wantErr(t, err, "AccessDeniedException", "")
		_, err = member.ListAccountAssignmentsForPrincipal(ctx, &ssoadmin.ListAccountAssignmentsForPrincipalInput{InstanceArn: &accountInst,
			PrincipalType: types.PrincipalTypeUser, PrincipalId: aws.String("11111111-2222-3333-4444-555555555555")})
		wantErr(t, err, "ValidationException", "ORGANIZATION")

		// An account instance gives access to its own account only.
		desc, err := member.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &accountInst})
		must(t, err)
		ids := &directory{t: t, c: identitystore.NewFromConfig(e.Config(memberKey)), sid: aws.ToString(desc.IdentityStoreId)}
		user := ids.user("local")
		assign(t, member, assignment{accountInst, memberKey.AccountID, mine, types.PrincipalTypeUser, user})
		st := startCreate(t, member, assignment{accountInst, e.Boot.Management.ID, mine, types.PrincipalTypeUser, user})
		if s := waitCreated(t, member, accountInst, aws.ToString(st.RequestId)); s.Status != types.StatusValuesFailed ||
			!strings.Contains(aws.ToString(s.FailureReason), "account instance") {
			t.Fatalf("assigning another account from an account instance: %+v", s)
		}
		// The organization instance's users are not the account instance's.
		orgUser := dir(t, e).user("orguser")
		st = startCreate(t, member, assignment{accountInst, memberKey.AccountID, mine, types.PrincipalTypeUser, orgUser})
		if s := waitCreated(t, member, accountInst, aws.ToString(st.RequestId)); s.Status != types.StatusValuesFailed {
			t.Fatalf("assigning a user of another identity store: %+v", s)
		}
	})
}
