package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
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
		Name:             awsshape.Ptr(ps.Name),
		PermissionSetArn: awsshape.Ptr(ps.Arn),
		Description:      awsshape.OptString(ps.Description),
		CreatedDate:      awsshape.Stamp(ps.Created),
		SessionDuration:  awsshape.OptString(ps.SessionDuration),
		RelayState:       awsshape.OptString(ps.RelayState),
	}
}

func (a *API) createPermissionSet(ctx context.Context, in *model.CreatePermissionSetRequest) (*model.CreatePermissionSetResponse, error) {
	ps, err := a.sets.Create(ctx, permset.NewSet{InstanceArn: awsshape.String(in.InstanceArn), Name: awsshape.String(in.Name), Description: awsshape.String(in.Description),
		SessionDuration: awsshape.String(in.SessionDuration), RelayState: awsshape.String(in.RelayState), Tags: tagsIn(in.Tags)})
	if err != nil {
		return nil, err
	}
	return &model.CreatePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *API) describePermissionSet(ctx context.Context, in *model.DescribePermissionSetRequest) (*model.DescribePermissionSetResponse, error) {
	ps, err := a.sets.Describe(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
	if err != nil {
		return nil, err
	}
	return &model.DescribePermissionSetResponse{PermissionSet: permissionSetOut(ps)}, nil
}

func (a *API) updatePermissionSet(ctx context.Context, in *model.UpdatePermissionSetRequest) (*model.UpdatePermissionSetResponse, error) {
	return nil, a.sets.Update(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn),
		permset.Update{Description: in.Description, SessionDuration: in.SessionDuration, RelayState: in.RelayState})
}

func (a *API) deletePermissionSet(ctx context.Context, in *model.DeletePermissionSetRequest) (*model.DeletePermissionSetResponse, error) {
	return nil, a.sets.Delete(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
}

func (a *API) listPermissionSets(ctx context.Context, in *model.ListPermissionSetsRequest) (*model.ListPermissionSetsResponse, error) {
	arns, next, err := a.sets.List(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListPermissionSetsResponse{PermissionSets: nonNil(arns), NextToken: awsshape.OptString(next)}, nil
}

// nonNil makes an empty list travel as [] rather than be left out.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
