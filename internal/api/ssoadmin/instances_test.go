package ssoadmin_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/testenv"
)

var (
	arnRe   = regexp.MustCompile(`^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$`)
	storeRe = regexp.MustCompile(`^d-[0-9a-f]{10}$`)
)

func TestInstanceLifecycle(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		key := e.StandaloneAccount("solo")
		c := client(e.Config(key))
		out, err := c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("my-instance"),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
		must(t, err)
		arn := aws.ToString(out.InstanceArn)
		if !arnRe.MatchString(arn) {
			t.Fatalf("InstanceArn %q", arn)
		}
		d := testenv.WaitInstance(t, c, arn, types.InstanceStatusActive)
		if aws.ToString(d.Name) != "my-instance" || aws.ToString(d.OwnerAccountId) != key.AccountID || !storeRe.MatchString(aws.ToString(d.IdentityStoreId)) {
			t.Fatalf("DescribeInstance: %+v", d)
		}
		if d.CreatedDate == nil || time.Since(*d.CreatedDate) > time.Minute {
			t.Fatalf("CreatedDate %v", d.CreatedDate)
		}
		if enc := d.EncryptionConfigurationDetails; enc == nil || enc.KeyType != types.KmsKeyTypeAwsOwnedKmsKey || enc.EncryptionStatus != types.KmsKeyStatusEnabled || enc.KmsKeyArn != nil {
			t.Fatalf("EncryptionConfigurationDetails %+v", d.EncryptionConfigurationDetails)
		}
		if aws.ToBool(d.PermissionSetsEnabled) {
			t.Fatal("an account instance starts without permission sets")
		}

		list, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(list.Instances) != 1 || aws.ToString(list.Instances[0].InstanceArn) != arn || aws.ToString(list.Instances[0].PrimaryRegion) != testenv.Region ||
			len(list.Instances[0].Regions) != 1 || !list.Instances[0].Regions[0].IsPrimaryRegion || list.NextToken != nil {
			t.Fatalf("ListInstances: %+v", list)
		}

		// UpdateInstance: name, permission sets (true only, not with encryption), encryption.
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn, Name: aws.String("renamed")})
		must(t, err)
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn, PermissionSetsEnabled: aws.Bool(false)})
		wantErr(t, err, "ValidationException", "only accepts true")
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn, PermissionSetsEnabled: aws.Bool(true),
			EncryptionConfiguration: &types.EncryptionConfiguration{KeyType: types.KmsKeyTypeAwsOwnedKmsKey}})
		wantErr(t, err, "ValidationException", "same request")
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn, PermissionSetsEnabled: aws.Bool(true)})
		must(t, err)
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn,
			EncryptionConfiguration: &types.EncryptionConfiguration{KeyType: types.KmsKeyTypeCustomerManagedKey}})
		wantErr(t, err, "ValidationException", "KmsKeyArn is required")
		kms := "arn:aws:kms:us-east-1:" + key.AccountID + ":key/12345678-1234-1234-1234-123456789012"
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn,
			EncryptionConfiguration: &types.EncryptionConfiguration{KeyType: types.KmsKeyTypeCustomerManagedKey, KmsKeyArn: &kms}})
		must(t, err)
		d = testenv.WaitInstance(t, c, arn, types.InstanceStatusActive)
		if aws.ToString(d.Name) != "renamed" || !aws.ToBool(d.PermissionSetsEnabled) ||
			d.EncryptionConfigurationDetails.KeyType != types.KmsKeyTypeCustomerManagedKey || aws.ToString(d.EncryptionConfigurationDetails.KmsKeyArn) != kms {
			t.Fatalf("after UpdateInstance: %+v %+v", d, d.EncryptionConfigurationDetails)
		}

		// The identity store layer finds the instance by its store.
		in, err := e.Server.Instances.ByStore(ctx, aws.ToString(d.IdentityStoreId))
		must(t, err)
		if in.Arn != arn || in.Status != instance.StatusActive {
			t.Fatalf("ByStore: %+v", in)
		}

		_, err = c.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &arn})
		must(t, err)
		if d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &arn}); err == nil && d.Status != types.InstanceStatusDeleteInProgress {
			t.Fatalf("status after DeleteInstance: %s", d.Status)
		}
		waitGone(t, c, arn)
		if _, err := e.Server.Instances.ByStore(ctx, aws.ToString(d.IdentityStoreId)); err == nil {
			t.Fatal("ByStore found a deleted instance")
		}
		list, err = c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(list.Instances) != 0 {
			t.Fatalf("ListInstances after delete: %+v", list.Instances)
		}
		// Once gone, the account may create a new one.
		active(t, c, "again")
	})
}

func TestCreatingAllowsOnlyDescribeAndDelete(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.Instances.SetDelays(time.Hour, 50*time.Millisecond, time.Hour)
		c := client(e.Config(e.StandaloneAccount("slow")))
		arn := create(t, c, "slow")
		d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
		must(t, err)
		if d.Status != types.InstanceStatusCreateInProgress {
			t.Fatalf("status %s", d.Status)
		}
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &arn, Name: aws.String("x")})
		wantErr(t, err, "ConflictException", "CREATE_IN_PROGRESS")
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		wantErr(t, err, "ConflictException", "")
		_, err = c.ListRegions(ctx, &ssoadmin.ListRegionsInput{InstanceArn: &arn})
		wantErr(t, err, "ValidationException", "")
		_, err = c.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &arn})
		must(t, err)
		waitGone(t, c, arn)
	})
}

// TestCreationSurvivesRestart checks that the background work is durable:
// a new process (here a second domain over the same database) finishes a
// creation the first one only started.
func TestCreationSurvivesRestart(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.Instances.SetDelays(time.Hour, time.Hour, time.Hour)
		c := client(e.Config(e.StandaloneAccount("restart")))
		arn := create(t, c, "restart")
		next := instance.New(e.Store)
		next.SetDelays(0, 0, 0)
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, err := next.Sweep(ctx)
			must(t, err)
			d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
			must(t, err)
			if d.Status == types.InstanceStatusActive {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("status %s", d.Status)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestClientTokenIsIdempotent(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		c := client(e.Config(e.StandaloneAccount("idem")))
		in := &ssoadmin.CreateInstanceInput{Name: aws.String("idem"), ClientToken: aws.String("token-1")}
		a, err := c.CreateInstance(ctx, in)
		must(t, err)
		b, err := c.CreateInstance(ctx, in)
		must(t, err)
		if aws.ToString(a.InstanceArn) != aws.ToString(b.InstanceArn) {
			t.Fatalf("retry created %s after %s", aws.ToString(b.InstanceArn), aws.ToString(a.InstanceArn))
		}
		_, err = c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("other"), ClientToken: aws.String("token-1")})
		wantErr(t, err, "ConflictException", "different parameters")
		_, err = c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("idem")})
		wantErr(t, err, "ConflictException", "only one")
	})
}

func TestValidation(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c := client(e.Management())
		_, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: aws.String("arn:aws:sso:::instance/bad")})
		wantErr(t, err, "ValidationException",
			"1 validation error detected: Value 'arn:aws:sso:::instance/bad' at 'instanceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}")
		_, err = c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("has space")})
		wantErr(t, err, "ValidationException", "at 'name' failed to satisfy constraint")
		_, err = c.ListInstances(ctx, &ssoadmin.ListInstancesInput{NextToken: aws.String("forged")})
		wantErr(t, err, "ValidationException", "NextToken")

		// A well-formed ARN of no instance: AccessDenied where the
		// operation does not model not-found, ResourceNotFound where it does.
		missing := "arn:aws:sso:::instance/ssoins-0000000000000000"
		_, err = c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &missing})
		wantErr(t, err, "AccessDeniedException", "is not authorized to perform: sso:DescribeInstance")
		_, err = c.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &missing, Name: aws.String("x")})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &missing})
		wantErr(t, err, "AccessDeniedException", "")
	})
}

func TestListInstancesPaginates(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		want := map[string]string{e.InstanceArn(): e.Boot.Management.ID}
		for i := 0; i < 12; i++ {
			key := e.MemberAccount("member")
			want[create(t, client(e.Config(key)), "m")] = key.AccountID
		}
		p := ssoadmin.NewListInstancesPaginator(client(e.Management()), &ssoadmin.ListInstancesInput{MaxResults: aws.Int32(5)})
		got, pages := map[string]string{}, 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			must(t, err)
			pages++
			if len(page.Instances) > 5 {
				t.Fatalf("page of %d", len(page.Instances))
			}
			for _, in := range page.Instances {
				got[aws.ToString(in.InstanceArn)] = aws.ToString(in.OwnerAccountId)
			}
		}
		if pages != 3 || len(got) != len(want) {
			t.Fatalf("%d pages, %d instances, want 3 pages, %d instances", pages, len(got), len(want))
		}
		for arn, owner := range want {
			if got[arn] != owner {
				t.Fatalf("instance %s: owner %q, want %q", arn, got[arn], owner)
			}
		}
	})
}
