package identitystore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

// TestListings: the four list operations page through everything with the
// SDK's paginators, ListUsers and ListGroups filter by their one attribute,
// and a filter on another attribute, a NextToken that is not one, or a token
// of another listing (operation, filter, group or member) is refused.
func TestListings(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		c := identitystore.NewFromConfig(e.Management())
		sid := e.StoreID()
		var users, groups []string
		for i := range 5 {
			u, err := c.CreateUser(ctx, newUser(sid, fmt.Sprintf("lister%d", i)))
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, *u.UserId)
		}
		for i := range 3 {
			g, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String(fmt.Sprintf("Team %d", i))})
			if err != nil {
				t.Fatal(err)
			}
			groups = append(groups, *g.GroupId)
		}
		// users[0] is in every group; every user is in groups[0].
		member := func(g, u string) {
			if _, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: &g, MemberId: &types.MemberIdMemberUserId{Value: u}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range users {
			member(groups[0], u)
		}
		member(groups[1], users[0])
		member(groups[2], users[0])

		two := aws.Int32(2)
		sameSet(t, "ListUsers", collect(t, identitystore.NewListUsersPaginator(c, &identitystore.ListUsersInput{IdentityStoreId: &sid, MaxResults: two}),
			func(o *identitystore.ListUsersOutput) (ids []string) {
				for _, u := range o.Users {
					ids = append(ids, *u.UserId)
				}
				return ids
			}), users)
		sameSet(t, "ListGroups", collect(t, identitystore.NewListGroupsPaginator(c, &identitystore.ListGroupsInput{IdentityStoreId: &sid, MaxResults: two}),
			func(o *identitystore.ListGroupsOutput) (ids []string) {
				for _, g := range o.Groups {
					ids = append(ids, *g.GroupId)
				}
				return ids
			}), groups)
		sameSet(t, "ListGroupMemberships", collect(t, identitystore.NewListGroupMembershipsPaginator(c, &identitystore.ListGroupMembershipsInput{IdentityStoreId: &sid,
			GroupId: &groups[0], MaxResults: two}),
			func(o *identitystore.ListGroupMembershipsOutput) (ids []string) {
				for _, m := range o.GroupMemberships {
					ids = append(ids, m.MemberId.(*types.MemberIdMemberUserId).Value)
				}
				return ids
			}), users)
		sameSet(t, "ListGroupMembershipsForMember", collect(t, identitystore.NewListGroupMembershipsForMemberPaginator(c, &identitystore.ListGroupMembershipsForMemberInput{
			IdentityStoreId: &sid, MemberId: &types.MemberIdMemberUserId{Value: users[0]}, MaxResults: two}),
			func(o *identitystore.ListGroupMembershipsForMemberOutput) (ids []string) {
				for _, m := range o.GroupMemberships {
					ids = append(ids, *m.GroupId)
				}
				return ids
			}), groups)

		// Deleting a group takes its memberships with it.
		if _, err := c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &sid, GroupId: &groups[2]}); err != nil {
			t.Fatal(err)
		}
		left, err := c.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: &sid, MemberId: &types.MemberIdMemberUserId{Value: users[0]}})
		if err != nil {
			t.Fatal(err)
		}
		var still []string
		for _, m := range left.GroupMemberships {
			still = append(still, *m.GroupId)
		}
		sameSet(t, "memberships after DeleteGroup", still, groups[:2])

		// Filters: the attribute's name and value are matched without
		// regard to case (a value also without surrounding spaces).
		lu, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid,
			Filters: []types.Filter{{AttributePath: aws.String("userName"), AttributeValue: aws.String(" LISTER3 ")}}})
		if err != nil || len(lu.Users) != 1 || *lu.Users[0].UserId != users[3] || lu.NextToken != nil {
			t.Fatalf("ListUsers by UserName: %+v %v", lu, err)
		}
		lg, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: &sid,
			Filters: []types.Filter{{AttributePath: aws.String("DisplayName"), AttributeValue: aws.String("team 1")}}})
		if err != nil || len(lg.Groups) != 1 || *lg.Groups[0].GroupId != groups[1] {
			t.Fatalf("ListGroups by DisplayName: %+v %v", lg, err)
		}
		lu, err = c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid,
			Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("nobody")}}})
		if err != nil || len(lu.Users) != 0 || lu.NextToken != nil {
			t.Fatalf("ListUsers by an unknown UserName: %+v %v", lu, err)
		}

		// What is refused, and why.
		firstUsers, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, MaxResults: two})
		if err != nil || firstUsers.NextToken == nil {
			t.Fatalf("a first page of users: %+v %v", firstUsers, err)
		}
		firstMembers, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: &sid, GroupId: &groups[0], MaxResults: two})
		if err != nil || firstMembers.NextToken == nil {
			t.Fatalf("a first page of members: %+v %v", firstMembers, err)
		}
		const badToken = "The NextToken is invalid or expired. Start the listing again without it."
		for _, tc := range []struct {
			name string
			call func() error
			want string
		}{
			{"a filter on another attribute", func() error {
				_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid,
					Filters: []types.Filter{{AttributePath: aws.String("DisplayName"), AttributeValue: aws.String("x")}}})
				return err
			}, "Invalid filter AttributePath DisplayName: only UserName is supported"},
			{"a group filter on UserName", func() error {
				_, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: &sid,
					Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("x")}}})
				return err
			}, "Invalid filter AttributePath UserName: only DisplayName is supported"},
			{"two filters", func() error {
				f := types.Filter{AttributePath: aws.String("UserName"), AttributeValue: aws.String("x")}
				_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, Filters: []types.Filter{f, f}})
				return err
			}, "at 'filters' failed to satisfy constraint: Member must have length less than or equal to 1"},
			{"a made-up token", func() error {
				_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, NextToken: aws.String("abc")})
				return err
			}, badToken},
			{"a ListUsers token given to ListGroups", func() error {
				_, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: &sid, NextToken: firstUsers.NextToken})
				return err
			}, badToken},
			{"an unfiltered token given to a filtered listing", func() error {
				_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, NextToken: firstUsers.NextToken,
					Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("lister3")}}})
				return err
			}, badToken},
			{"a group's token given for another group", func() error {
				_, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: &sid, GroupId: &groups[1], NextToken: firstMembers.NextToken})
				return err
			}, badToken},
			{"a group's token given for a member", func() error {
				_, err := c.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: &sid,
					MemberId: &types.MemberIdMemberUserId{Value: users[0]}, NextToken: firstMembers.NextToken})
				return err
			}, badToken},
		} {
			err := tc.call()
			var ve *types.ValidationException
			if !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), tc.want) {
				t.Errorf("%s: want a ValidationException saying %q, got %v", tc.name, tc.want, err)
			}
		}
	})
}

// pager is what the SDK's paginators have in common.
type pager[O any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*identitystore.Options)) (O, error)
}

// collect pages through p to its end, gathering the ids each page gives.
func collect[O any](t *testing.T, p pager[O], ids func(O) []string) []string {
	t.Helper()
	var all []string
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ids(page)...)
	}
	return all
}

// sameSet fails t unless got holds each of want once, in any order.
func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}
