package identitystore_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

// TestWhoMayUseAStore: a member account reads the organization instance's
// directory but none of its writes is allowed; an account instance's
// identity store is its own account's alone (the management account and a
// member of the organization may neither read nor change it).
func TestWhoMayUseAStore(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		e.Server.Instances.SetDelays(50*time.Millisecond, 50*time.Millisecond, 50*time.Millisecond)
		mgmt := identitystore.NewFromConfig(e.Management())
		sid := e.StoreID()
		u, err := mgmt.CreateUser(ctx, newUser(sid, "carol"))
		if err != nil {
			t.Fatal(err)
		}
		g, err := mgmt.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("readers")})
		if err != nil {
			t.Fatal(err)
		}
		mem, err := mgmt.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: g.GroupId, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}})
		if err != nil {
			t.Fatal(err)
		}

		member := identitystore.NewFromConfig(e.Config(e.MemberAccount("dev")))
		if _, err := member.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: &sid, MembershipId: mem.MembershipId}); err != nil {
			t.Fatalf("a member reads a membership: %v", err)
		}
		for name, write := range writes(ctx, member, sid, *u.UserId, *g.GroupId, *mem.MembershipId) {
			if err := write(); code(err) != "AccessDeniedException" {
				t.Errorf("a member's %s of the organization's directory: %v", name, err)
			}
		}
		if _, err := member.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u.UserId}); err != nil {
			t.Fatalf("the user after the refused writes: %v", err)
		}

		// A standalone account's account instance, and its store.
		soloKey := e.StandaloneAccount("solo")
		own := aws.ToString(e.AccountInstance(soloKey, "solo").IdentityStoreId)
		solo := identitystore.NewFromConfig(e.Config(soloKey))
		su, err := solo.CreateUser(ctx, newUser(own, "dave"))
		if err != nil {
			t.Fatalf("the owner writes its store: %v", err)
		}
		if l, err := solo.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &own}); err != nil || len(l.Users) != 1 {
			t.Fatalf("the owner reads its store: %+v %v", l, err)
		}
		for who, c := range map[string]*identitystore.Client{"the management account": mgmt, "a member": member} {
			if _, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &own}); code(err) != "AccessDeniedException" {
				t.Errorf("%s lists an account instance's users: %v", who, err)
			}
			if _, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &own, UserId: su.UserId}); code(err) != "AccessDeniedException" {
				t.Errorf("%s reads an account instance's user: %v", who, err)
			}
			if _, err := c.CreateUser(ctx, newUser(own, "eve")); code(err) != "AccessDeniedException" {
				t.Errorf("%s writes an account instance's store: %v", who, err)
			}
		}
	})
}

// writes are the Identity Store API's writes, each on the given store and
// resources.
func writes(ctx context.Context, c *identitystore.Client, sid, userID, groupID, membershipID string) map[string]func() error {
	user := &types.MemberIdMemberUserId{Value: userID}
	return map[string]func() error{
		"CreateUser": func() error { _, err := c.CreateUser(ctx, newUser(sid, "mallory")); return err },
		"UpdateUser": func() error {
			_, err := c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &sid, UserId: &userID, Operations: []types.AttributeOperation{set("nickName", "x")}})
			return err
		},
		"DeleteUser": func() error {
			_, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: &sid, UserId: &userID})
			return err
		},
		"CreateGroup": func() error {
			_, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("writers")})
			return err
		},
		"UpdateGroup": func() error {
			_, err := c.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: &sid, GroupId: &groupID, Operations: []types.AttributeOperation{set("description", "x")}})
			return err
		},
		"DeleteGroup": func() error {
			_, err := c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &sid, GroupId: &groupID})
			return err
		},
		"CreateGroupMembership": func() error {
			_, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: &groupID, MemberId: user})
			return err
		},
		"DeleteGroupMembership": func() error {
			_, err := c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &sid, MembershipId: &membershipID})
			return err
		},
	}
}
