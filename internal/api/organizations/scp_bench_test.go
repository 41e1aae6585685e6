package organizations_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/testenv"
)

// BenchmarkSCPCost measures what service control policies add to a member
// account's call (issue 3's "under 5%"): one client calls DescribeUser with
// a member account's key on two servers, one checking the call against the
// organization's SCPs (FullAWSAccess, and the documented policy denying
// sso:CreateInstance attached to the root) and one not checking at all, in
// alternate blocks (testenv.PairedLatency). With IDCENTER_POSTGRES_URL set
// it runs on PostgreSQL too.
//
//	go test -run '^$' -bench SCPCost -benchtime 10000x ./internal/api/organizations/
func BenchmarkSCPCost(b *testing.B) {
	for _, backend := range testenv.BackendNames() {
		b.Run(backend, func(b *testing.B) { benchSCPCost(b, backend) })
	}
}

func benchSCPCost(b *testing.B, backend string) {
	server := func(check bool) func() {
		e := testenv.StartOn(b, backend)
		b.Cleanup(e.Server.Close)
		b.Cleanup(e.Server.Org.Wait)
		key := e.MemberAccount("member")
		mgmt := organizations.NewFromConfig(e.Management())
		roots, err := mgmt.ListRoots(ctx, &organizations.ListRootsInput{})
		if err != nil || len(roots.Roots) != 1 {
			b.Fatalf("ListRoots: %v", err)
		}
		p, err := mgmt.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("DenyAccountInstances"), Description: aws.String("only one account"),
			Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(org.DenyAccountInstancesPolicy("111122223333"))})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := mgmt.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: roots.Roots[0].Id}); err != nil {
			b.Fatal(err)
		}
		u, err := identitystore.NewFromConfig(e.Management()).CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(e.StoreID()),
			UserName: aws.String("bench"), DisplayName: aws.String("bench"), Name: &idstypes.Name{GivenName: aws.String("G"), FamilyName: aws.String("F")}})
		if err != nil {
			b.Fatal(err)
		}
		if !check {
			e.Server.JSON.Authorize = nil
		}
		body := []byte(fmt.Sprintf(`{"IdentityStoreId":%q,"UserId":%q}`, e.StoreID(), aws.ToString(u.UserId)))
		return e.SignedCall(b, key, "identitystore", "AWSIdentityStore.DescribeUser", func() []byte { return body })
	}
	on, off := server(true), server(false)
	testenv.PairedLatency(b, off, on)
}
