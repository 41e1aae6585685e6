package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/loadgen"
)

// population is the seeded directory the bench reads from: users named
// seed-u<i>, groups seed-g<i>, and each user a member of memberships/users
// consecutive groups.
type population struct {
	users, groups, memberships int
	userIDs, groupIDs          []string // by seed index
}

func seedUserName(i int) string  { return fmt.Sprintf("seed-u%07d", i) }
func seedGroupName(i int) string { return fmt.Sprintf("seed-g%06d", i) }

// groupOf is the k-th group of user u: consecutive groups, so a user's
// groups are distinct while there are at least as many groups as per-user
// memberships.
func (p *population) groupOf(u, k int) int { return (u*p.perUser() + k) % p.groups }

func (p *population) perUser() int {
	if p.users == 0 {
		return 0
	}
	return (p.memberships + p.users - 1) / p.users
}

// seed creates the population through the API (CreateUser, CreateGroup,
// CreateGroupMembership over conns connections), accepting what a previous
// seeding already created, so it can be resumed or repeated.
func seed(ctx context.Context, cfg loadgen.Config, sign *loadgen.Signer, sdk aws.Config, storeID string, p *population) error {
	cfg.Warmup = -1
	step := func(name string, n int, body func(i int) string) error {
		if n == 0 {
			return nil
		}
		var next atomic.Int64
		cfg.Requests = uint64(n)
		sc := loadgen.Scenario{Name: name, Signer: sign, Next: func(int, uint64) loadgen.Request {
			i := int(next.Add(1)-1) % n
			op, b, _ := strings.Cut(body(i), " ")
			r := loadgen.AWSJSON("AWSIdentityStore", op, []byte(b))
			r.Expect = createdOrExists
			return r
		}}
		start := time.Now()
		res := loadgen.Run(ctx, cfg, sc)[0]
		fmt.Printf("seeded %-22s %8d in %6.1fs (%.0f/s), %d errors\n", name, n, time.Since(start).Seconds(), float64(n)/time.Since(start).Seconds(), res.Errors)
		if res.Errors > 0 {
			return fmt.Errorf("seeding %s: %d errors, e.g. %v", name, res.Errors, res.ErrorSamples)
		}
		return nil
	}
	// A previous seeding that got through a phase need not repeat it: the
	// phases are created in order, so the last item of a phase existing
	// means the phase is done (resolve checks users and groups fully).
	if err := p.resolve(ctx, sdk, storeID); err == nil {
		from := p.resumeFrom(ctx, sdk, storeID)
		if from == p.memberships {
			fmt.Println("the store is seeded already")
			return nil
		}
		body := p.membershipBody(storeID)
		return step("memberships", p.memberships-from, func(i int) string { return body(from + i) })
	}
	if err := step("users", p.users, func(i int) string {
		n := seedUserName(i)
		return fmt.Sprintf(`CreateUser {"IdentityStoreId":%q,"UserName":%q,"DisplayName":"Seed User %d","Name":{"GivenName":"Seed","FamilyName":"User %d"},"Emails":[{"Value":"%s@example.com","Type":"work","Primary":true}]}`,
			storeID, n, i, i, n)
	}); err != nil {
		return err
	}
	if err := step("groups", p.groups, func(i int) string {
		return fmt.Sprintf(`CreateGroup {"IdentityStoreId":%q,"DisplayName":%q,"Description":"seeded group"}`, storeID, seedGroupName(i))
	}); err != nil {
		return err
	}
	if err := p.resolve(ctx, sdk, storeID); err != nil {
		return err
	}
	return step("memberships", p.memberships, p.membershipBody(storeID))
}

// membershipBody is the CreateGroupMembership call of membership j.
func (p *population) membershipBody(storeID string) func(j int) string {
	return func(j int) string {
		u, k := j/p.perUser(), j%p.perUser()
		return fmt.Sprintf(`CreateGroupMembership {"IdentityStoreId":%q,"GroupId":%q,"MemberId":{"UserId":%q}}`,
			storeID, p.groupIDs[p.groupOf(u, k)], p.userIDs[u])
	}
}

// resumeMargin is how far before the first missing membership a resumed
// seeding starts again: memberships are created in index order, but over
// several connections, so around the point where a seeding stopped some
// later ones may exist and some earlier ones not.
var resumeMargin = 1000

// resumeFrom returns the membership index a seeding can start from
// (p.memberships when all exist): it bisects for the first missing one, and
// trusts the memberships before it only if a sample of them exists (another
// --memberships or --users than the previous seeding's maps indices to
// other pairs: then from 0, the calls of existing ones answering
// ConflictException). Adding 15,000 memberships to 500,050 asked for all
// 515,050 again before (294 s); and a seeding whose last pair existed under
// the previous mapping was taken as done.
func (p *population) resumeFrom(ctx context.Context, sdk aws.Config, storeID string) int {
	c := identitystore.NewFromConfig(sdk)
	from := p.memberships
	if !p.hasMembership(ctx, c, storeID, p.memberships-1) {
		lo, hi := 0, p.memberships-1 // hi is missing
		for lo < hi {
			mid := lo + (hi-lo)/2
			if p.hasMembership(ctx, c, storeID, mid) {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		from = max(0, lo-resumeMargin)
	}
	const samples = 32
	for k := 0; k < samples && from > 0; k++ {
		if !p.hasMembership(ctx, c, storeID, k*from/samples) {
			return 0
		}
	}
	return from
}

// hasMembership reports whether membership j exists.
func (p *population) hasMembership(ctx context.Context, c *identitystore.Client, storeID string, j int) bool {
	if j < 0 {
		return true
	}
	u, k := j/p.perUser(), j%p.perUser()
	_, err := c.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{IdentityStoreId: &storeID,
		GroupId: &p.groupIDs[p.groupOf(u, k)], MemberId: &types.MemberIdMemberUserId{Value: p.userIDs[u]}})
	return err == nil
}

// createdOrExists accepts a 200, or the ConflictException of something a
// previous seeding created.
func createdOrExists(status int, body []byte) error {
	if status == http.StatusOK || (status == http.StatusBadRequest && strings.Contains(string(body), "ConflictException")) {
		return nil
	}
	return &loadgen.StatusError{Status: status, Body: string(body)}
}

// resolve reads the ids of the seeded users and groups with the SDK's
// paginators.
func (p *population) resolve(ctx context.Context, sdk aws.Config, storeID string) error {
	c := identitystore.NewFromConfig(sdk)
	p.userIDs, p.groupIDs = make([]string, p.users), make([]string, p.groups)
	var found, foundG int
	users := identitystore.NewListUsersPaginator(c, &identitystore.ListUsersInput{IdentityStoreId: &storeID, MaxResults: aws.Int32(100)})
	for users.HasMorePages() {
		page, err := users.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing users: %w", err)
		}
		for _, u := range page.Users {
			var i int
			if _, err := fmt.Sscanf(aws.ToString(u.UserName), "seed-u%07d", &i); err == nil && i < p.users {
				p.userIDs[i] = aws.ToString(u.UserId)
				found++
			}
		}
	}
	groups := identitystore.NewListGroupsPaginator(c, &identitystore.ListGroupsInput{IdentityStoreId: &storeID, MaxResults: aws.Int32(100)})
	for groups.HasMorePages() {
		page, err := groups.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing groups: %w", err)
		}
		for _, g := range page.Groups {
			var i int
			if _, err := fmt.Sscanf(aws.ToString(g.DisplayName), "seed-g%06d", &i); err == nil && i < p.groups {
				p.groupIDs[i] = aws.ToString(g.GroupId)
				foundG++
			}
		}
	}
	if found < p.users || foundG < p.groups {
		return fmt.Errorf("the store holds %d of %d seeded users and %d of %d seeded groups: run bench with --seed", found, p.users, foundG, p.groups)
	}
	return nil
}
