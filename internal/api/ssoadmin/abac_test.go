package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

func attrs(kv ...string) *types.InstanceAccessControlAttributeConfiguration {
	c := &types.InstanceAccessControlAttributeConfiguration{AccessControlAttributes: []types.AccessControlAttribute{}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.AccessControlAttributes = append(c.AccessControlAttributes, types.AccessControlAttribute{
			Key: aws.String(kv[i]), Value: &types.AccessControlAttributeValue{Source: []string{kv[i+1]}}})
	}
	return c
}

func TestAccessControlAttributes(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c := client(e.Management())
		arn := e.InstanceArn()
		describe := func() (*ssoadmin.DescribeInstanceAccessControlAttributeConfigurationOutput, error) {
			return c.DescribeInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DescribeInstanceAccessControlAttributeConfigurationInput{InstanceArn: &arn})
		}
		_, err := describe()
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.UpdateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.UpdateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &arn, InstanceAccessControlAttributeConfiguration: attrs("a", "${path:name.givenName}")})
		wantErr(t, err, "ResourceNotFoundException", "")

		_, err = c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &arn, InstanceAccessControlAttributeConfiguration: attrs("CostCenter", "${path:enterprise.costCenter}")})
		must(t, err)
		out, err := describe()
		must(t, err)
		got := out.InstanceAccessControlAttributeConfiguration.AccessControlAttributes
		if out.Status != types.InstanceAccessControlAttributeConfigurationStatusEnabled || len(got) != 1 ||
			aws.ToString(got[0].Key) != "CostCenter" || got[0].Value.Source[0] != "${path:enterprise.costCenter}" {
			t.Fatalf("describe: %+v", out)
		}
		_, err = c.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &arn, InstanceAccessControlAttributeConfiguration: attrs("x", "y")})
		wantErr(t, err, "ConflictException", "")

		_, err = c.UpdateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.UpdateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &arn, InstanceAccessControlAttributeConfiguration: attrs("a", "${path:userName}", "a", "${path:userName}")})
		wantErr(t, err, "ValidationException", "Duplicate")
		_, err = c.UpdateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.UpdateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &arn, InstanceAccessControlAttributeConfiguration: attrs("Dept", "${path:enterprise.department}", "User", "${path:userName}")})
		must(t, err)
		out, err = describe()
		must(t, err)
		if n := len(out.InstanceAccessControlAttributeConfiguration.AccessControlAttributes); n != 2 {
			t.Fatalf("after update: %d attributes", n)
		}

		_, err = c.DeleteInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: &arn})
		must(t, err)
		_, err = describe()
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.DeleteInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")

		// Another account's caller cannot touch it.
		_, err = client(e.Config(e.MemberAccount("m"))).DeleteInstanceAccessControlAttributeConfiguration(ctx,
			&ssoadmin.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: &arn})
		wantErr(t, err, "ResourceNotFoundException", "")
	})
}
