package org

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/store"
)

// orgWithMember opens a store in a temporary directory with an organization
// and one member account, and returns the service with a context of the
// management account's root.
func orgWithMember(tb testing.TB) (*Service, *store.Organization, *store.Account, context.Context) {
	tb.Helper()
	ctx := context.Background()
	st, s := open(tb, filepath.Join(tb.TempDir(), "db"))
	tb.Cleanup(func() { st.Close() })
	o, _, err := s.CreateOrganization(ctx, "mgmt", "m@example.com")
	if err != nil {
		tb.Fatal(err)
	}
	var acct *store.Account
	if err := st.Write(ctx, func(tx *store.Tx) error {
		var err error
		acct, err = s.CreateMemberAccount(ctx, tx, o, "member", "member@example.com")
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	mgmt := auth.WithCaller(ctx, &auth.Caller{AccountID: o.ManagementAccountID, OrgID: o.ID, Management: true, Arn: RootArn(o.ManagementAccountID)})
	return s, o, acct, mgmt
}

// BenchmarkCheckSCP is what the SCP check adds to a member account's call
// once the organization's policies are cached: FullAWSAccess on the root
// and on the account, plus the documented deny-CreateInstance policy on the
// root. Compare with a call's server time (about 100-200 µs for a signed
// DescribeUser on this machine).
func BenchmarkCheckSCP(b *testing.B) {
	s, o, acct, mgmt := orgWithMember(b)
	ctx := context.Background()
	p, err := s.CreatePolicy(mgmt, "deny", "", TypeSCP, DenyAccountInstancesPolicy("111122223333"), nil)
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
