package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

func TestWhoMayCreate(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		// The management account's instance is the organization instance.
		_, err := client(e.Management()).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("mgmt")})
		wantErr(t, err, "ValidationException", "Organization management account is not allowed to perform the operation.")

		// A member account: one account instance, whatever the Region.
		member := e.MemberAccount("member")
		arn := active(t, client(e.Config(member)), "member")
		_, err = client(inRegion(e.Config(member), "eu-west-1")).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("second")})
		wantErr(t, err, "ConflictException", arn)

		// Standalone accounts may create one too, recorded in their Region.
		solo := client(inRegion(e.Config(e.StandaloneAccount("solo")), "eu-west-1"))
		soloArn := active(t, solo, "solo")
		list, err := solo.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(list.Instances) != 1 || aws.ToString(list.Instances[0].InstanceArn) != soloArn || aws.ToString(list.Instances[0].PrimaryRegion) != "eu-west-1" {
			t.Fatalf("standalone ListInstances: %+v", list.Instances)
		}

		// Once the organization forbids it, members are refused.
		must(t, e.Store.Write(ctx, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(ctx, e.Boot.Org.ID, false) }))
		_, err = client(e.Config(e.MemberAccount("forbidden"))).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{})
		wantErr(t, err, "AccessDeniedException", "does not allow member accounts")
	})
}

func TestWhoMaySee(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		aKey, bKey := e.MemberAccount("a"), e.MemberAccount("b")
		a, b, mgmt := client(e.Config(aKey)), client(e.Config(bKey)), client(e.Management())
		aArn := active(t, a, "a")
		soloArn := active(t, client(e.Config(e.StandaloneAccount("solo"))), "solo")

		// Another member sees nothing of it.
		_, err := b.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &aArn})
		wantErr(t, err, "AccessDeniedException", "")
		_, err = b.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &aArn})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = b.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: &aArn})
		wantErr(t, err, "AccessDeniedException", "")
		list, err := b.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(list.Instances) != 0 {
			t.Fatalf("member b lists %+v", list.Instances)
		}
		// Nor does a member see the organization instance.
		orgArn := e.InstanceArn()
		_, err = b.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &orgArn})
		wantErr(t, err, "AccessDeniedException", "")

		// The management account sees every instance of its organization,
		// with its owner, but not the standalone account's.
		list, err = mgmt.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		owners := map[string]string{}
		for _, in := range list.Instances {
			owners[aws.ToString(in.InstanceArn)] = aws.ToString(in.OwnerAccountId)
		}
		if len(owners) != 2 || owners[aArn] != aKey.AccountID || owners[orgArn] != e.Boot.Management.ID {
			t.Fatalf("management lists %v", owners)
		}
		if _, ok := owners[soloArn]; ok {
			t.Fatal("management lists a standalone account's instance")
		}
		d, err := mgmt.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &aArn})
		must(t, err)
		if aws.ToString(d.OwnerAccountId) != aKey.AccountID || d.Status != types.InstanceStatusActive {
			t.Fatalf("management describes %+v", d)
		}
		// ... but an account instance belongs to its account.
		_, err = mgmt.UpdateInstance(ctx, &ssoadmin.UpdateInstanceInput{InstanceArn: &aArn, Name: aws.String("taken")})
		wantErr(t, err, "AccessDeniedException", "sso:UpdateInstance")
		_, err = mgmt.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &soloArn})
		wantErr(t, err, "AccessDeniedException", "")

		// The organization instance describes as such.
		d, err = mgmt.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &orgArn})
		must(t, err)
		if aws.ToString(d.IdentityStoreId) != e.StoreID() || !aws.ToBool(d.PermissionSetsEnabled) {
			t.Fatalf("organization instance: %+v", d)
		}
	})
}

// TestOneAccountInstanceUnderRace checks that the database, not process
// memory, keeps an account to one account instance.
func TestOneAccountInstanceUnderRace(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		key := e.StandaloneAccount("racer")
		regions := []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "sa-east-1"}
		errc := make(chan error, len(regions))
		for _, r := range regions {
			go func() {
				_, err := client(inRegion(e.Config(key), r)).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{})
				errc <- err
			}()
		}
		ok := 0
		for range regions {
			if err := <-errc; err == nil {
				ok++
			} else {
				wantErr(t, err, "ConflictException", "only one")
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent creations succeeded, want 1", ok)
		}
	})
}
