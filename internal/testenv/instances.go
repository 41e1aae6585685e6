package testenv

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/org"
)

// AccountInstance creates an account instance named name in key's account
// through the SSO Admin API, waits until it is ACTIVE (the server's
// Instances.SetDelays decide how long that takes; 20 s at the most) and
// returns its description.
func (e *Env) AccountInstance(key *org.Key, name string) *ssoadmin.DescribeInstanceOutput {
	e.T.Helper()
	ctx := context.Background()
	c := ssoadmin.NewFromConfig(e.Config(key))
	created, err := c.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String(name)})
	if err != nil {
		e.T.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		d, err := c.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: created.InstanceArn})
		if err != nil {
			e.T.Fatal(err)
		}
		if d.Status == types.InstanceStatusActive {
			return d
		}
		if time.Now().After(deadline) {
			e.T.Fatalf("account instance %s is still %s", aws.ToString(created.InstanceArn), d.Status)
		}
	}
}
