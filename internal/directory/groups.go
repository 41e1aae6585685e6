package directory

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/store"
)

// CreateGroup adds a group to an identity store.
func (s *Service) CreateGroup(ctx context.Context, in *m.CreateGroupRequest) (*m.CreateGroupResponse, error) {
	const op = "CreateGroup"
	inst, c, err := s.open(ctx, op, *in.IdentityStoreId, write)
	if err != nil {
		return nil, err
	}
	g := m.Group{IdentityStoreId: in.IdentityStoreId, GroupId: ptr(ids.ResourceID(inst.IdentityStoreID)), DisplayName: in.DisplayName, Description: in.Description}
	rec, err := checkGroup(op, &g)
	if err != nil {
		return nil, err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		stamp(&g.CreatedAt, &g.CreatedBy, tx, c.Arn)
		g.UpdatedAt, g.UpdatedBy = g.CreatedAt, g.CreatedBy
		rec.Created, rec.Updated = tx.Now, tx.Now
		if rec.Doc, err = json.Marshal(&g); err != nil {
			return err
		}
		added, err := tx.AddGroup(ctx, rec)
		if err == nil && !added { // its name is taken (its id is new)
			return conflict(op, "Duplicate GroupDisplayName")
		}
		return storeErr(op, err, "Duplicate GroupDisplayName")
	})
	if err != nil {
		return nil, err
	}
	return &m.CreateGroupResponse{IdentityStoreId: g.IdentityStoreId, GroupId: g.GroupId}, nil
}

// checkGroup applies IAM Identity Center's rules for a group.
func checkGroup(op string, g *m.Group) (*store.Group, error) {
	if g.DisplayName == nil {
		return nil, errs.E(op, errs.Invalid, "1 validation error detected: Value null at 'displayName' failed to satisfy constraint: Member must not be null")
	}
	if reserved[key(*g.DisplayName)] {
		return nil, errs.Ef(op, errs.Invalid, "The group name %s is reserved and can't be used", *g.DisplayName)
	}
	return &store.Group{StoreID: *g.IdentityStoreId, ID: *g.GroupId, NameKey: key(*g.DisplayName)}, nil
}

func uniqueGroup(ctx context.Context, tx *store.Tx, op string, rec *store.Group, self string) error {
	id, err := tx.GroupIDByName(ctx, rec.StoreID, rec.NameKey)
	if err == nil && id != self {
		return conflict(op, "Duplicate GroupDisplayName")
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// DescribeGroup returns a group's attributes.
func (s *Service) DescribeGroup(ctx context.Context, in *m.DescribeGroupRequest) (*json.RawMessage, error) {
	const op = "DescribeGroup"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	g, err := s.st.R().Group(ctx, *in.IdentityStoreId, *in.GroupId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound(op, "GROUP", *in.GroupId)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	raw := json.RawMessage(g.Doc)
	return &raw, nil
}

// ListGroups lists an identity store's groups, optionally filtered by exact
// DisplayName.
func (s *Service) ListGroups(ctx context.Context, in *m.ListGroupsRequest) (*json.RawMessage, error) {
	const op = "ListGroups"
	l, err := s.startListing(ctx, op, *in.IdentityStoreId, in.Filters, "DisplayName", in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	page, err := s.st.R().GroupDocsAfter(ctx, *in.IdentityStoreId, l.after, l.nameKey, l.n)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return pageJSON("Groups", l.scope, page), nil
}

// DeleteGroup removes a group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, in *m.DeleteGroupRequest) (*m.DeleteGroupResponse, error) {
	err := s.remove(ctx, "DeleteGroup", *in.IdentityStoreId, "GROUP", *in.GroupId, func(tx *store.Tx) error {
		return tx.DeleteGroup(ctx, *in.IdentityStoreId, *in.GroupId)
	})
	if err != nil {
		return nil, err
	}
	return &m.DeleteGroupResponse{}, nil
}

// GetGroupId finds a group by display name or external id.
func (s *Service) GetGroupId(ctx context.Context, in *m.GetGroupIdRequest) (*m.GetGroupIdResponse, error) {
	const op = "GetGroupId"
	id, err := s.idOf(ctx, op, *in.IdentityStoreId, store.KindGroup, in.AlternateIdentifier, func(q store.Q, path, v string) (string, error) {
		if path != "displayname" {
			return "", errs.Ef(op, errs.Invalid, "Unsupported AttributePath %s: use displayName", *in.AlternateIdentifier.UniqueAttribute.AttributePath)
		}
		return q.GroupIDByName(ctx, *in.IdentityStoreId, v)
	})
	if err != nil {
		return nil, err
	}
	return &m.GetGroupIdResponse{IdentityStoreId: in.IdentityStoreId, GroupId: &id}, nil
}
