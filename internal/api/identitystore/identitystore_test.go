package identitystore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/testenv"
)

func newUser(store, name string) *identitystore.CreateUserInput {
	return &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(store), UserName: aws.String(name), DisplayName: aws.String("User " + name),
		Name:   &types.Name{GivenName: aws.String("Given"), FamilyName: aws.String("Family")},
		Emails: []types.Email{{Value: aws.String(name + "@example.com"), Primary: true, Type: aws.String("work")}},
	}
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprint(err)
}

func TestUsersGroupsMemberships(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		c := identitystore.NewFromConfig(e.Management())
		sid := e.StoreID()
		u, err := c.CreateUser(ctx, newUser(sid, "alice"))
		if err != nil {
			t.Fatal(err)
		}
		// A taken user name or email is refused, naming which; nothing is stored.
		dupMail := newUser(sid, "alice2")
		dupMail.Emails[0].Value = aws.String("ALICE@example.com")
		for _, dup := range []struct {
			in   *identitystore.CreateUserInput
			what string
		}{{newUser(sid, "ALICE"), "Duplicate UserName"}, {dupMail, "Duplicate Email"}} {
			var ce *types.ConflictException
			_, err := c.CreateUser(ctx, dup.in)
			if !errors.As(err, &ce) || ce.Reason != types.ConflictExceptionReasonUniquenessConstraintViolation || ce.ErrorMessage() != dup.what {
				t.Fatalf("%s: %v", dup.what, err)
			}
		}
		if _, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice2")}}}); code(err) != "ResourceNotFoundException" {
			t.Fatalf("a refused user was stored: %v", err)
		}
		d, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u.UserId})
		if err != nil || *d.UserName != "alice" || *d.Emails[0].Value != "alice@example.com" || *d.Name.GivenName != "Given" {
			t.Fatalf("describe: %+v %v", d, err)
		}
		byMail, err := c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("emails.value"), AttributeValue: document.NewLazyDocument("Alice@Example.com")}}})
		if err != nil || *byMail.UserId != *u.UserId {
			t.Fatalf("GetUserId by email: %v", err)
		}
		if _, err := c.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: &sid, UserId: u.UserId, Operations: []types.AttributeOperation{
			{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("Alice A.")},
			{AttributePath: aws.String("name.givenName"), AttributeValue: document.NewLazyDocument("Alicia")},
			{AttributePath: aws.String("title")}}}); err != nil {
			t.Fatal(err)
		}
		d, _ = c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u.UserId})
		if *d.DisplayName != "Alice A." || *d.Name.GivenName != "Alicia" {
			t.Fatalf("after update: %+v", d)
		}
		for i := 0; i < 7; i++ {
			if _, err := c.CreateUser(ctx, newUser(sid, fmt.Sprintf("user%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		p := identitystore.NewListUsersPaginator(c, &identitystore.ListUsersInput{IdentityStoreId: &sid, MaxResults: aws.Int32(3)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Users {
				names = append(names, *u.UserName)
			}
		}
		if len(names) != 8 {
			t.Fatalf("paged %d users: %v", len(names), names)
		}
		g, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("admins")})
		if err != nil {
			t.Fatal(err)
		}
		var ce *types.ConflictException
		if _, err := c.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &sid, DisplayName: aws.String("Admins")}); !errors.As(err, &ce) ||
			ce.Reason != types.ConflictExceptionReasonUniquenessConstraintViolation || ce.ErrorMessage() != "Duplicate GroupDisplayName" {
			t.Fatalf("duplicate group name: %v", err)
		}
		mem, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: g.GroupId, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: g.GroupId, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}}); !errors.As(err, &ce) ||
			ce.Reason != types.ConflictExceptionReasonUniquenessConstraintViolation || ce.ErrorMessage() != "Member and Group relationship already exists." {
			t.Fatalf("duplicate membership: %v", err)
		}
		// A group or user that is not there is named, the group first.
		missing := "11111111-2222-3333-4444-555555555555"
		for _, tc := range []struct{ group, user, typ, id string }{
			{missing, *u.UserId, "GROUP", missing}, {*g.GroupId, missing, "USER", missing}, {missing, "00000000-2222-3333-4444-555555555555", "GROUP", missing},
		} {
			var nf *types.ResourceNotFoundException
			_, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &sid, GroupId: &tc.group, MemberId: &types.MemberIdMemberUserId{Value: tc.user}})
			if !errors.As(err, &nf) || nf.ResourceType != types.ResourceType(tc.typ) || aws.ToString(nf.ResourceId) != tc.id {
				t.Fatalf("membership of group %s, user %s: %v", tc.group, tc.user, err)
			}
		}
		in, err := c.IsMemberInGroups(ctx, &identitystore.IsMemberInGroupsInput{IdentityStoreId: &sid, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}, GroupIds: []string{*g.GroupId}})
		if err != nil || !in.Results[0].MembershipExists {
			t.Fatalf("IsMemberInGroups: %v", err)
		}
		gm, err := c.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{IdentityStoreId: &sid, GroupId: g.GroupId, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}})
		if err != nil || *gm.MembershipId != *mem.MembershipId {
			t.Fatalf("GetGroupMembershipId: %v", err)
		}
		if _, err := c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: &sid, UserId: u.UserId}); err != nil {
			t.Fatal(err)
		}
		l, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: &sid, GroupId: g.GroupId})
		if err != nil || len(l.GroupMemberships) != 0 {
			t.Fatalf("memberships after user deletion: %v %v", l, err)
		}
		if _, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u.UserId}); code(err) != "ResourceNotFoundException" {
			t.Fatalf("deleted user: %v", err)
		}
		// What is gone is named by type (and by id where the call gave one).
		_, err = c.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: &sid, UserId: u.UserId})
		wantMissing(t, err, "USER", *u.UserId)
		_, err = c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: &sid, MembershipId: mem.MembershipId})
		wantMissing(t, err, "GROUP_MEMBERSHIP", *mem.MembershipId)
		_, err = c.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice")}}})
		wantMissing(t, err, "USER", "")
		if _, err := c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &sid, GroupId: g.GroupId}); err != nil {
			t.Fatal(err)
		}
		_, err = c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: &sid, GroupId: g.GroupId})
		wantMissing(t, err, "GROUP", *g.GroupId)
		_, err = c.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: &sid, AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
			Value: types.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("admins")}}})
		wantMissing(t, err, "GROUP", "")
	})
}

// wantMissing fails t unless err is a ResourceNotFoundException naming the
// resource type typ and the id (none when id is "").
func wantMissing(t *testing.T, err error, typ, id string) {
	t.Helper()
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || nf.ResourceType != types.ResourceType(typ) || aws.ToString(nf.ResourceId) != id || nf.ErrorMessage() != typ+" not found." {
		t.Fatalf("want %s %q not found, got %v", typ, id, err)
	}
}

func TestValidationAndAccess(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		c := identitystore.NewFromConfig(e.Management())
		_, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String("d-12")})
		if code(err) != "ValidationException" || !strings.Contains(err.Error(), "at 'identityStoreId' failed to satisfy constraint") {
			t.Fatalf("bad store id: %v", err)
		}
		sid := e.StoreID()
		if _, err := c.CreateUser(ctx, newUser(sid, "bob")); err != nil {
			t.Fatal(err)
		}
		member := identitystore.NewFromConfig(e.Config(e.MemberAccount("dev")))
		if l, err := member.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid}); err != nil || len(l.Users) != 1 {
			t.Fatalf("member reads the organization's users: %v", err)
		}
		if _, err := member.CreateUser(ctx, newUser(sid, "mallory")); code(err) != "AccessDeniedException" {
			t.Fatalf("member writes: %v", err)
		}
		outsider := identitystore.NewFromConfig(e.Config(e.StandaloneAccount("solo")))
		if _, err := outsider.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid}); code(err) != "AccessDeniedException" {
			t.Fatalf("outsider reads: %v", err)
		}
	})
}

// TestUserExtensions checks that a user's extensions are answered only to a
// caller naming them, by DescribeUser and by ListUsers (whose page then
// holds users with and without them).
func TestUserExtensions(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		c := identitystore.NewFromConfig(e.Management())
		sid := e.StoreID()
		const ext = "aws:identitystore:enterprise"
		in := newUser(sid, "ext")
		in.Extensions = map[string]document.Interface{ext: document.NewLazyDocument(map[string]any{"employeeNumber": "42"})}
		u, err := c.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateUser(ctx, newUser(sid, "plain")); err != nil {
			t.Fatal(err)
		}
		employee := func(exts map[string]document.Interface) string {
			if exts[ext] == nil {
				return "none"
			}
			var v map[string]string
			if err := exts[ext].UnmarshalSmithyDocument(&v); err != nil {
				t.Fatal(err)
			}
			return v["employeeNumber"]
		}
		for _, want := range []struct {
			names []string
			got   string
		}{{nil, "none"}, {[]string{ext}, "42"}} {
			d, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &sid, UserId: u.UserId, Extensions: want.names})
			if err != nil || employee(d.Extensions) != want.got {
				t.Fatalf("DescribeUser naming %v: %v, %v", want.names, d, err)
			}
			l, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, Extensions: want.names, MaxResults: aws.Int32(1)})
			if err != nil || len(l.Users) != 1 || l.NextToken == nil {
				t.Fatalf("ListUsers naming %v: %v, %v", want.names, l, err)
			}
			l2, err := c.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &sid, Extensions: want.names, NextToken: l.NextToken})
			if err != nil || len(l2.Users) != 1 || l2.NextToken != nil {
				t.Fatalf("ListUsers' second page naming %v: %v, %v", want.names, l2, err)
			}
			got := map[string]string{}
			for _, u := range append(l.Users, l2.Users...) {
				got[*u.UserName] = employee(u.Extensions)
			}
			if got["ext"] != want.got || got["plain"] != "none" {
				t.Fatalf("ListUsers naming %v: extensions %v", want.names, got)
			}
		}
	})
}
