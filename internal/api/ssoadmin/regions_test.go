package ssoadmin_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

func TestRegions(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		fast(e)
		c := client(e.Management())
		arn := e.InstanceArn()
		region := func(name string) (*ssoadmin.DescribeRegionOutput, error) {
			return c.DescribeRegion(ctx, &ssoadmin.DescribeRegionInput{InstanceArn: &arn, RegionName: aws.String(name)})
		}
		primary, err := region(testenv.Region)
		must(t, err)
		if !primary.IsPrimaryRegion || primary.Status != types.RegionStatusActive || primary.AddedDate == nil {
			t.Fatalf("primary Region: %+v", primary)
		}

		add, err := c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &arn, RegionName: aws.String("eu-west-1")})
		must(t, err)
		if add.Status != types.RegionStatusAdding {
			t.Fatalf("AddRegion status %s", add.Status)
		}
		_, err = c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &arn, RegionName: aws.String("eu-west-1")})
		wantErr(t, err, "ConflictException", "")
		_, err = c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &arn, RegionName: aws.String("Mars")})
		wantErr(t, err, "ValidationException", "at 'regionName' failed to satisfy constraint")
		waitRegion(t, c, arn, "eu-west-1", types.RegionStatusActive)
		_, err = c.AddRegion(ctx, &ssoadmin.AddRegionInput{InstanceArn: &arn, RegionName: aws.String("ap-southeast-2")})
		must(t, err)

		p := ssoadmin.NewListRegionsPaginator(c, &ssoadmin.ListRegionsInput{InstanceArn: &arn, MaxResults: aws.Int32(1)})
		var names []string
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			must(t, err)
			for _, r := range page.Regions {
				names = append(names, aws.ToString(r.RegionName))
			}
		}
		if len(names) != 3 || names[0] != "ap-southeast-2" || names[1] != "eu-west-1" || names[2] != testenv.Region {
			t.Fatalf("ListRegions: %v", names)
		}

		_, err = c.RemoveRegion(ctx, &ssoadmin.RemoveRegionInput{InstanceArn: &arn, RegionName: aws.String(testenv.Region)})
		wantErr(t, err, "ValidationException", "primary")
		_, err = c.RemoveRegion(ctx, &ssoadmin.RemoveRegionInput{InstanceArn: &arn, RegionName: aws.String("sa-east-1")})
		wantErr(t, err, "ResourceNotFoundException", "")
		rm, err := c.RemoveRegion(ctx, &ssoadmin.RemoveRegionInput{InstanceArn: &arn, RegionName: aws.String("eu-west-1")})
		must(t, err)
		if rm.Status != types.RegionStatusRemoving {
			t.Fatalf("RemoveRegion status %s", rm.Status)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, err := region("eu-west-1")
			if err != nil {
				wantErr(t, err, "ResourceNotFoundException", "")
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("Region was not removed")
			}
			time.Sleep(50 * time.Millisecond)
		}

		// A member account cannot see the organization instance's Regions.
		_, err = client(e.Config(e.MemberAccount("m"))).ListRegions(ctx, &ssoadmin.ListRegionsInput{InstanceArn: &arn})
		wantErr(t, err, "AccessDeniedException", "")
	})
}

func waitRegion(t *testing.T, c *ssoadmin.Client, arn, name string, status types.RegionStatus) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.DescribeRegion(ctx, &ssoadmin.DescribeRegionInput{InstanceArn: &arn, RegionName: &name})
		must(t, err)
		if out.Status == status {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Region %s still %s", name, out.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
