package ssoadmin_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestTags(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		c := client(e.Management())
		arn := e.InstanceArn()
		tagsOf := func() map[string]string {
			t.Helper()
			out, err := c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &arn, InstanceArn: &arn})
			must(t, err)
			m := map[string]string{}
			for _, tg := range out.Tags {
				m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
			}
			return m
		}
		if got := tagsOf(); len(got) != 0 {
			t.Fatalf("new instance has tags %v", got)
		}
		_, err := c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{tag("env", "prod"), tag("team", "blue")}})
		must(t, err)
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, InstanceArn: &arn, Tags: []types.Tag{tag("env", "dev")}})
		must(t, err)
		if got := tagsOf(); len(got) != 2 || got["env"] != "dev" || got["team"] != "blue" {
			t.Fatalf("tags %v", got)
		}
		_, err = c.UntagResource(ctx, &ssoadmin.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team", "absent"}})
		must(t, err)
		if got := tagsOf(); len(got) != 1 || got["env"] != "dev" {
			t.Fatalf("tags after untag %v", got)
		}

		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{tag("aws:reserved", "x")}})
		wantErr(t, err, "ValidationException", "reserved")
		other := "arn:aws:sso:::instance/ssoins-1111111111111111"
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, InstanceArn: &other, Tags: []types.Tag{tag("a", "b")}})
		wantErr(t, err, "ValidationException", "")
		_, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: &other})
		wantErr(t, err, "ResourceNotFoundException", "")
		_, err = c.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:sso:::instance/x")})
		wantErr(t, err, "ValidationException", "at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern")

		var many []types.Tag
		for i := 0; i < 75; i++ {
			many = append(many, tag(fmt.Sprintf("k%02d", i), "v"))
		}
		_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{ResourceArn: &arn, Tags: many})
		wantErr(t, err, "ServiceQuotaExceededException", "")
		if got := tagsOf(); len(got) != 1 {
			t.Fatalf("a refused TagResource left %d tags", len(got))
		}
	})
}
