package org

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
)

// TestSCPContextKeys: a condition on each key an SCP can read sees the
// caller's request (the context holds only the keys the policies read).
func TestSCPContextKeys(t *testing.T) {
	s, o, acct, mgmt := orgWithMember(t)
	ctx := context.Background()
	member := auth.WithCaller(ctx, &auth.Caller{AccountID: acct.ID, OrgID: o.ID, Arn: RootArn(acct.ID), PrincipalID: acct.ID, Type: "Root", Region: "eu-west-1"})
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	info := RequestInfo{SourceIP: "192.0.2.7", Secure: true, Now: now}
	for i, cond := range []string{
		`"StringEquals":{"aws:PrincipalAccount":"` + acct.ID + `"}`,
		`"StringEquals":{"aws:PrincipalArn":"` + RootArn(acct.ID) + `"}`,
		`"StringEquals":{"aws:PrincipalOrgID":"` + o.ID + `"}`,
		`"StringEquals":{"aws:userid":"` + acct.ID + `"}`,
		`"StringEquals":{"aws:PrincipalType":"Root"}`,
		`"StringEquals":{"aws:RequestedRegion":"eu-west-1"}`,
		`"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}`,
		`"Bool":{"aws:SecureTransport":"true"}`,
		`"Bool":{"aws:PrincipalIsAWSService":"false"}`,
		`"DateEquals":{"aws:CurrentTime":"2026-12-06T10:00:00Z"}`,
		`"NumericEquals":{"aws:EpochTime":"` + fmt.Sprint(now.Unix()) + `"}`,
		`"Null":{"aws:PrincipalTag/team":"true"}`,
	} {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"identitystore:*","Resource":"*","Condition":{` + cond + `}}]}`
		p, err := s.CreatePolicy(mgmt, fmt.Sprint("p", i), "", TypeSCP, doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AttachPolicy(mgmt, p.ID, o.RootID); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSCP(member, "identitystore:DescribeUser", info); err == nil {
			t.Errorf("%s: the deny did not apply", cond)
		}
		if err := s.CheckSCP(member, "sso:ListInstances", info); err != nil {
			t.Errorf("%s: another action denied: %v", cond, err)
		}
		if err := s.DetachPolicy(mgmt, p.ID, o.RootID); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSCP(member, "identitystore:DescribeUser", info); err != nil {
			t.Errorf("%s: denied once detached: %v", cond, err)
		}
	}
}
