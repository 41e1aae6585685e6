package ssoadmin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

// fast makes the simulated background work quick.
func fast(e *testenv.Env) {
	e.Server.Instances.SetDelays(50*time.Millisecond, 50*time.Millisecond, 50*time.Millisecond)
}

func client(cfg aws.Config) *ssoadmin.Client { return ssoadmin.NewFromConfig(cfg) }

// inRegion returns cfg signing for another Region.
func inRegion(cfg aws.Config, region string) aws.Config {
	cfg.Region = region
	return cfg
}

// wantErr fails unless err is the AWS error code whose message contains
// want (when want is not "").
func wantErr(t *testing.T, err error, code, want string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if want != "" && !strings.Contains(ae.ErrorMessage(), want) {
		t.Fatalf("%s message %q does not contain %q", code, ae.ErrorMessage(), want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// create makes an account instance and returns its ARN.
func create(t *testing.T, c *ssoadmin.Client, name string) string {
	t.Helper()
	out, err := c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String(name)})
	must(t, err)
	return aws.ToString(out.InstanceArn)
}

// waitGone polls DescribeInstance until the instance no longer exists.
func waitGone(t *testing.T, c *ssoadmin.Client, arn string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
		if err != nil {
			wantErr(t, err, "AccessDeniedException", "")
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s was not deleted", arn)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// active creates an account instance and waits until it is ACTIVE.
func active(t *testing.T, c *ssoadmin.Client, name string) string {
	t.Helper()
	arn := create(t, c, name)
	testenv.WaitInstance(t, c, arn, types.InstanceStatusActive)
	return arn
}
