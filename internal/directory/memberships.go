package directory

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/store"
)

// CreateGroupMembership adds a user to a group.
func (s *Service) CreateGroupMembership(ctx context.Context, in *m.CreateGroupMembershipRequest) (*m.CreateGroupMembershipResponse, error) {
	const op = "CreateGroupMembership"
	inst, _, err := s.open(ctx, op, *in.IdentityStoreId, write)
	if err != nil {
		return nil, err
	}
	storeID, groupID, userID := *in.IdentityStoreId, *in.GroupId, *in.MemberId.UserId
	mem := &store.Membership{StoreID: storeID, ID: ids.ResourceID(inst.IdentityStoreID), GroupID: groupID, UserID: userID}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		mem.Created = tx.Now
		if added, err := tx.AddMembership(ctx, mem); err != nil || added {
			return err
		}
		// Refused: say why, the group first.
		if _, err := tx.Group(ctx, storeID, groupID); errors.Is(err, store.ErrNotFound) {
			return notFound(op, "GROUP", groupID)
		} else if err != nil {
			return err
		}
		if _, err := tx.User(ctx, storeID, userID); errors.Is(err, store.ErrNotFound) {
			return notFound(op, "USER", userID)
		} else if err != nil {
			return err
		}
		return conflict(op, "Member and Group relationship already exists.")
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return &m.CreateGroupMembershipResponse{IdentityStoreId: in.IdentityStoreId, MembershipId: &mem.ID}, nil
}

func membershipOut(mem *store.Membership) *m.GroupMembership {
	return &m.GroupMembership{IdentityStoreId: &mem.StoreID, MembershipId: &mem.ID, GroupId: &mem.GroupID,
		MemberId: &m.MemberId{UserId: &mem.UserID}, CreatedAt: &awsshape.Timestamp{Time: mem.Created}, UpdatedAt: &awsshape.Timestamp{Time: mem.Created}}
}

// DescribeGroupMembership returns a membership.
func (s *Service) DescribeGroupMembership(ctx context.Context, in *m.DescribeGroupMembershipRequest) (*m.DescribeGroupMembershipResponse, error) {
	const op = "DescribeGroupMembership"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	mem, err := s.st.R().Membership(ctx, *in.IdentityStoreId, *in.MembershipId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound(op, "GROUP_MEMBERSHIP", *in.MembershipId)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	g := membershipOut(mem)
	return &m.DescribeGroupMembershipResponse{IdentityStoreId: g.IdentityStoreId, MembershipId: g.MembershipId, GroupId: g.GroupId,
		MemberId: g.MemberId, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}, nil
}

// DeleteGroupMembership removes a membership.
func (s *Service) DeleteGroupMembership(ctx context.Context, in *m.DeleteGroupMembershipRequest) (*m.DeleteGroupMembershipResponse, error) {
	err := s.remove(ctx, "DeleteGroupMembership", *in.IdentityStoreId, "GROUP_MEMBERSHIP", *in.MembershipId, func(tx *store.Tx) error {
		return tx.DeleteMembership(ctx, *in.IdentityStoreId, *in.MembershipId)
	})
	if err != nil {
		return nil, err
	}
	return &m.DeleteGroupMembershipResponse{}, nil
}

// GetGroupMembershipId finds the membership of a user in a group.
func (s *Service) GetGroupMembershipId(ctx context.Context, in *m.GetGroupMembershipIdRequest) (*m.GetGroupMembershipIdResponse, error) {
	const op = "GetGroupMembershipId"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	mem, err := s.st.R().MembershipByPair(ctx, *in.IdentityStoreId, *in.GroupId, *in.MemberId.UserId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Missing(op, "GROUP_MEMBERSHIP", "", "GROUP_MEMBERSHIP not found.")
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return &m.GetGroupMembershipIdResponse{IdentityStoreId: in.IdentityStoreId, MembershipId: &mem.ID}, nil
}

// IsMemberInGroups tells, for each group, whether the user belongs to it.
func (s *Service) IsMemberInGroups(ctx context.Context, in *m.IsMemberInGroupsRequest) (*m.IsMemberInGroupsResponse, error) {
	const op = "IsMemberInGroups"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	in2, err := s.st.R().MembershipsOfUserIn(ctx, *in.IdentityStoreId, *in.MemberId.UserId, in.GroupIds)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	out := &m.IsMemberInGroupsResponse{Results: make([]m.GroupMembershipExistenceResult, len(in.GroupIds))}
	for i, g := range in.GroupIds {
		out.Results[i] = m.GroupMembershipExistenceResult{GroupId: &in.GroupIds[i], MemberId: in.MemberId, MembershipExists: ptr(in2[g])}
	}
	return out, nil
}

// ListGroupMemberships lists the memberships of a group.
func (s *Service) ListGroupMemberships(ctx context.Context, in *m.ListGroupMembershipsRequest) (*json.RawMessage, error) {
	const op = "ListGroupMemberships"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	return s.listMemberships(ctx, op, *in.IdentityStoreId, *in.GroupId, in.MaxResults, in.NextToken,
		func(after string, n int) ([]*store.Membership, error) {
			return s.st.R().MembershipsOfGroupAfter(ctx, *in.IdentityStoreId, *in.GroupId, after, n)
		})
}

// ListGroupMembershipsForMember lists the memberships of a user.
func (s *Service) ListGroupMembershipsForMember(ctx context.Context, in *m.ListGroupMembershipsForMemberRequest) (*json.RawMessage, error) {
	const op = "ListGroupMembershipsForMember"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	return s.listMemberships(ctx, op, *in.IdentityStoreId, *in.MemberId.UserId, in.MaxResults, in.NextToken,
		func(after string, n int) ([]*store.Membership, error) {
			return s.st.R().MembershipsOfUserAfter(ctx, *in.IdentityStoreId, *in.MemberId.UserId, after, n)
		})
}

// listMemberships pages through memberships with fetch and writes the
// answer both list operations share.
func (s *Service) listMemberships(ctx context.Context, op, storeID, of string, max *int32, token *string,
	fetch func(after string, n int) ([]*store.Membership, error)) (*json.RawMessage, error) {
	scope := op + "/" + storeID + "/" + of
	after, n, err := pageStart(op, scope, token, max)
	if err != nil {
		return nil, err
	}
	list, err := fetch(after, n+1)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	page, err := docPage(list, n, func(mem *store.Membership) (string, []byte, error) {
		doc, err := json.Marshal(membershipOut(mem))
		return mem.ID, doc, err
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return pageJSON("GroupMemberships", scope, page), nil
}
