package identitystore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/testenv"
)

// set and remove are UpdateUser and UpdateGroup attribute operations.
func set(path string, v any) types.AttributeOperation {
	return types.AttributeOperation{AttributePath: aws.String(path), AttributeValue: document.NewLazyDocument(v)}
}

func remove(path string) types.AttributeOperation {
	return types.AttributeOperation{AttributePath: aws.String(path)}
}

// TestDescribeAndUpdate: DescribeGroup and DescribeGroupMembership answer
// what was stored; UpdateGroup and UpdateUser set and remove attributes,
// keep names unique (ConflictException naming what is taken), refuse what
// cannot change or must stay, and say what is not there.
func TestDescribeAndUpdate(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		c := identitystore.NewFromConfig(e.Management())
		sid := e.StoreID()
		u1, err := c.CreateUser(ctx, newUser(sid, "updater1"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateUser(ctx, newUser(sid, "updater2")); err != nil {
			t.Fatal(err)
		}
		g1, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("Operators"), Description: aws.String("on call")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("Auditors")}); err != nil {
			t.Fatal(err)
		}
		mem, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: g1.GroupId, MemberId: &types.MemberIdMemberUserId{Value: *u1.UserId}})
		if err != nil {
			t.Fatal(err)
		}
		// update applies ops to the user u1, or with group to the group g1.
		update := func(group bool, ops ...types.AttributeOperation) error {
			var err error
			if group {
				_, err = c.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: &sid, GroupId: g1.GroupId, Operations: ops})
			} else {
				_, err = c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &sid, UserId: u1.UserId, Operations: ops})
			}
			return err
		}

		dg, err := c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &sid, GroupId: g1.GroupId})
		if err != nil || aws.ToString(dg.DisplayName) != "Operators" || aws.ToString(dg.Description) != "on call" || *dg.GroupId != *g1.GroupId ||
			*dg.IdentityStoreId != sid || dg.CreatedAt == nil {
			t.Fatalf("DescribeGroup: %+v %v", dg, err)
		}
		dm, err := c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: &sid, MembershipId: mem.MembershipId})
		if err != nil || *dm.GroupId != *g1.GroupId || dm.MemberId.(*types.MemberIdMemberUserId).Value != *u1.UserId || *dm.MembershipId != *mem.MembershipId {
			t.Fatalf("DescribeGroupMembership: %+v %v", dm, err)
		}

		// UpdateGroup: a new name (found by it, and the old one no more),
		// then the description removed.
		if err := update(true, set("displayName", "Responders"), set("description", "first line")); err != nil {
			t.Fatal(err)
		}
		gid, err := c.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("responders")}}})
		if err != nil || *gid.GroupId != *g1.GroupId {
			t.Fatalf("the group by its new name: %+v %v", gid, err)
		}
		_, err = c.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("Operators")}}})
		wantMissing(t, err, "GROUP", "")
		if err := update(true, remove("description")); err != nil {
			t.Fatal(err)
		}
		dg, err = c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &sid, GroupId: g1.GroupId})
		if err != nil || aws.ToString(dg.DisplayName) != "Responders" || dg.Description != nil || dg.UpdatedAt == nil || dg.UpdatedAt.Before(*dg.CreatedAt) {
			t.Fatalf("DescribeGroup after the updates: %+v %v", dg, err)
		}

		// UpdateUser: attributes set and removed, an email that finds the user.
		if err := update(false, set("displayName", "Updater One"), set("name.givenName", "Una"), set("nickName", "uno"), set("title", "Engineer"),
			set("emails", []map[string]any{{"value": "una@example.com", "type": "work", "primary": true}})); err != nil {
			t.Fatal(err)
		}
		if err := update(false, remove("title")); err != nil {
			t.Fatal(err)
		}
		du, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u1.UserId})
		if err != nil || aws.ToString(du.DisplayName) != "Updater One" || aws.ToString(du.Name.GivenName) != "Una" || aws.ToString(du.Name.FamilyName) != "Family" ||
			aws.ToString(du.NickName) != "uno" || du.Title != nil || len(du.Emails) != 1 || aws.ToString(du.Emails[0].Value) != "una@example.com" {
			t.Fatalf("DescribeUser after the updates: %+v %v", du, err)
		}
		uid, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("emails.value"), AttributeValue: document.NewLazyDocument("UNA@example.com")}}})
		if err != nil || *uid.UserId != *u1.UserId {
			t.Fatalf("the user by the new email: %+v %v", uid, err)
		}

		// The status: set, and back to ENABLED when removed.
		for _, tc := range []struct {
			op   types.AttributeOperation
			want types.UserStatus
		}{{set("userStatus", "DISABLED"), types.UserStatusDisabled}, {remove("userStatus"), types.UserStatusEnabled}} {
			if err := update(false, tc.op); err != nil {
				t.Fatal(err)
			}
			if du, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u1.UserId}); err != nil || du.UserStatus != tc.want {
				t.Fatalf("status after %s: %+v %v", *tc.op.AttributePath, du, err)
			}
		}

		// Names stay unique; nothing of a refused update is kept.
		for _, tc := range []struct {
			name  string
			group bool
			ops   []types.AttributeOperation
			want  string
		}{
			{"a user name taken", false, []types.AttributeOperation{set("displayName", "kept?"), set("userName", "UPDATER2")}, "Duplicate UserName"},
			{"an email taken", false, []types.AttributeOperation{set("displayName", "kept?"), set("emails", []map[string]any{{"value": "updater2@example.com"}})}, "Duplicate Email"},
			{"a group name taken", true, []types.AttributeOperation{set("description", "kept?"), set("displayName", "auditors")}, "Duplicate GroupDisplayName"},
		} {
			var ce *types.ConflictException
			if err := update(tc.group, tc.ops...); !errors.As(err, &ce) || ce.ErrorMessage() != tc.want || ce.Reason != types.ConflictExceptionReasonUniquenessConstraintViolation {
				t.Errorf("%s: want a ConflictException %q, got %v", tc.name, tc.want, err)
			}
		}
		du, err = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u1.UserId})
		if err != nil || aws.ToString(du.DisplayName) != "Updater One" || aws.ToString(du.UserName) != "updater1" {
			t.Fatalf("a refused update changed the user: %+v %v", du, err)
		}
		dg, err = c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &sid, GroupId: g1.GroupId})
		if err != nil || dg.Description != nil || aws.ToString(dg.DisplayName) != "Responders" {
			t.Fatalf("a refused update changed the group: %+v %v", dg, err)
		}

		// What cannot change, or must stay.
		one := func(op types.AttributeOperation) []types.AttributeOperation { return []types.AttributeOperation{op} }
		for _, tc := range []struct {
			name  string
			group bool
			ops   []types.AttributeOperation
			want  string
		}{
			{"the user's id", false, one(set("userId", "0123456789-11111111-2222-3333-4444-555555555555")), "The attribute userId cannot be updated"},
			{"the user's external ids", false, one(set("externalIds", []map[string]any{{"issuer": "idp", "id": "x1"}})), "The attribute externalIds cannot be updated"},
			{"a group's external ids", true, one(remove("externalIds")), "The attribute externalIds cannot be updated"},
			{"the user name removed", false, one(remove("userName")), "Value null at 'userName' failed to satisfy constraint: Member must not be null"},
			{"the group's name removed", true, one(remove("displayName")), "Value null at 'displayName' failed to satisfy constraint: Member must not be null"},
			{"an attribute a user does not have", false, one(set("shoeSize", "44")), "Invalid AttributePath shoeSize: the resource has no such attribute"},
			{"a sub-attribute a name does not have", false, one(remove("name.nickName")), "Invalid AttributePath name.nickName: the resource has no such attribute"},
			{"a sub-attribute of a plain attribute", false, one(set("title.text", "x")), "Invalid AttributePath title.text: the resource has no such attribute"},
			{"a user attribute on a group", true, one(set("userName", "x")), "Invalid AttributePath userName: the resource has no such attribute"},
			{"a status that is not one", false, one(set("userStatus", "PAUSED")), "Value 'PAUSED' at 'userStatus' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"},
			{"no operation", false, []types.AttributeOperation{}, "at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		} {
			var ve *types.ValidationException
			if err := update(tc.group, tc.ops...); !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), tc.want) {
				t.Errorf("%s: want a ValidationException naming %q, got %v", tc.name, tc.want, err)
			}
		}

		// What is not there.
		missing := "11111111-2222-3333-4444-555555555555"
		_, err = c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: &sid, GroupId: &missing})
		wantMissing(t, err, "GROUP", missing)
		_, err = c.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: &sid, MembershipId: &missing})
		wantMissing(t, err, "GROUP_MEMBERSHIP", missing)
		_, err = c.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: &sid, GroupId: &missing, Operations: []types.AttributeOperation{set("description", "x")}})
		wantMissing(t, err, "GROUP", missing)
		_, err = c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &sid, UserId: &missing, Operations: []types.AttributeOperation{set("nickName", "x")}})
		wantMissing(t, err, "USER", missing)
	})
}
