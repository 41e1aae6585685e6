package org

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/store"
)

// BenchmarkCheckSCP is what the SCP check adds to a member account's call
// once the organization's policies are cached: FullAWSAccess on the root
// and on the account, plus the documented deny-CreateInstance policy on the
// root. Compare with a call's server time (about 100-200 µs for a signed
// DescribeUser on this machine).
func BenchmarkCheckSCP(b *testing.B) {
	ctx := context.Background()
	st, s := open(&testing.T{}, filepath.Join(b.TempDir(), "db"))
	defer st.Close()
	o, _, err := s.CreateOrganization(ctx, "mgmt", "m@example.com")
	if err != nil {
		b.Fatal(err)
	}
	var acct *store.Account
	if err := st.Write(ctx, func(tx *store.Tx) error {
		var err error
		acct, err = s.CreateMemberAccount(ctx, tx, o, "member", "member@example.com")
		return err
	}); err != nil {
		b.Fatal(err)
	}
	mgmt := auth.WithCaller(ctx, &auth.Caller{AccountID: o.ManagementAccountID, OrgID: o.ID, Management: true, Arn: RootArn(o.ManagementAccountID)})
	p, err := s.CreatePolicy(mgmt, "deny", "", TypeSCP, `{"Version":"2012-10-17","Statement":[{"Sid":"DenyCreateAccountInstances","Effect":"Deny","Action":["sso:CreateInstance"],"Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111122223333"]}}}]}`, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.AttachPolicy(mgmt, p.ID, o.RootID); err != nil {
		b.Fatal(err)
	}
	member := auth.WithCaller(ctx, &auth.Caller{AccountID: acct.ID, OrgID: o.ID, Arn: RootArn(acct.ID), PrincipalID: acct.ID, Type: "Root", Region: "us-east-1"})
	info := RequestInfo{SourceIP: "127.0.0.1", Now: time.Now()}
	if err := s.CheckSCP(member, "identitystore:DescribeUser", info); err != nil {
		b.Fatal(err)
	}
	if err := s.CheckSCP(member, "sso:CreateInstance", info); err == nil {
		b.Fatal("CreateInstance allowed")
	}
	for b.Loop() {
		if err := s.CheckSCP(member, "identitystore:DescribeUser", info); err != nil {
			b.Fatal(err)
		}
	}
}
