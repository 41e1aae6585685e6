package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) permissionSets(s *awsproto.Service) {
	awsproto.Handle(s, "CreatePermissionSet", a.createPermissionSet)
	awsproto.Handle(s, "DescribePermissionSet", a.describePermissionSet)
	awsproto.Handle(s, "UpdatePermissionSet", a.updatePermissionSet)
	awsproto.Handle(s, "DeletePermissionSet", a.deletePermissionSet)
	awsproto.Handle(s, "ListPermissionSets", a.listPermissionSets)
}

func permissionSetOut(ps *store.PermissionSet) *model.PermissionSet {
	return &model.PermissionSet{
		Name:             ptr(ps.Name),
		PermissionSetArn: ptr(ps.Arn),
		Description:      opt(ps.Description),
		CreatedDate:      stamp(ps.Created),
		SessionDuration:  opt(ps.SessionDuration),
		RelayState:       opt(ps.RelayState),
	}
}

func (a *API) createPermissionSet(ctx context.Context, in *model.CreatePermissionSetRequest) (*model.CreatePermissionSetResponse, error) {
	ps, err := a.sets.Create(ctx, permset.NewSet{InstanceArn: str(in.InstanceArn), Name: str(in.Name), Description: str(in.Description),
		SessionDuration: str(in.SessionDuration), RelayState: str(in.RelayState), Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, err
	}
	return &model.CreatePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *API) describePermissionSet(ctx context.Context, in *model.DescribePermissionSetRequest) (*model.DescribePermissionSetResponse, error) {
	ps, err := a.sets.Describe(ctx, str(in.InstanceArn), str(in.PermissionSetArn))
	if err != nil {
		return nil, err
	}
	return &model.DescribePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *API) updatePermissionSet(ctx context.Context, in *model.UpdatePermissionSetRequest) (*model.UpdatePermissionSetResponse, error) {
	return nil, a.sets.Update(ctx, str(in.InstanceArn), str(in.PermissionSetArn),
		permset.Update{Description: in.Description, SessionDuration: in.SessionDuration, RelayState: in.RelayState})
}

func (a *API) deletePermissionSet(ctx context.Context, in *model.DeletePermissionSetRequest) (*model.DeletePermissionSetResponse, error) {
	return nil, a.sets.Delete(ctx, str(in.InstanceArn), str(in.PermissionSetArn))
}

func (a *API) listPermissionSets(ctx context.Context, in *model.ListPermissionSetsRequest) (*model.ListPermissionSetsResponse, error) {
	arns, next, err := a.sets.List(ctx, str(in.InstanceArn), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListPermissionSetsResponse{PermissionSets: nonNil(arns), NextToken: opt(next)}, nil
}

// nonNil makes an empty list travel as [] rather than be left out.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
