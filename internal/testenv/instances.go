package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/org"
)

// AccountInstance creates an account instance named name in key's account
// through the SSO Admin API, waits until it is ACTIVE (WaitInstance) and
// returns its description.
func (e *Env) AccountInstance(key *org.Key, name string) *ssoadmin.DescribeInstanceOutput {
	e.T.Helper()
	c := ssoadmin.NewFromConfig(e.Config(key))
	created, err := c.CreateInstance(context.Background(), &ssoadmin.CreateInstanceInput{Name: aws.String(name)})
	if err != nil {
		e.T.Fatal(err)
	}
	return WaitInstance(e.T, c, aws.ToString(created.InstanceArn), types.InstanceStatusActive)
}

// WaitInstance polls DescribeInstance through c until the instance arn has
// status (the server's Instances.SetDelays decide how long that takes; 20 s
// at the most) and returns its description.
func WaitInstance(t testing.TB, c *ssoadmin.Client, arn string, status types.InstanceStatus) *ssoadmin.DescribeInstanceOutput {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		d, err := c.DescribeInstance(context.Background(), &ssoadmin.DescribeInstanceInput{InstanceArn: &arn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == status {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s is still %s, want %s", arn, d.Status, status)
		}
	}
}
