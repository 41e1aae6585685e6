package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) provisioning(s *awsproto.Service) {
	awsproto.Handle(s, "ProvisionPermissionSet", a.provisionPermissionSet)
	awsproto.Handle(s, "DescribePermissionSetProvisioningStatus", a.describeProvisioning)
	awsproto.Handle(s, "ListPermissionSetProvisioningStatus", a.listProvisioning)
	awsproto.Handle(s, "ListAccountsForProvisionedPermissionSet", a.listAccountsForProvisioned)
	awsproto.Handle(s, "ListPermissionSetsProvisionedToAccount", a.listProvisionedToAccount)
}

func provisioningOut(r *store.PermSetRequest) *model.PermissionSetProvisioningStatus {
	return &model.PermissionSetProvisioningStatus{
		Status:           awsshape.Ptr(r.Status),
		RequestId:        awsshape.Ptr(r.RequestID),
		AccountId:        awsshape.OptString(r.AccountID),
		PermissionSetArn: awsshape.Ptr(r.PermissionSetArn),
		FailureReason:    awsshape.OptString(r.FailureReason),
		CreatedDate:      awsshape.Stamp(r.Created),
	}
}

func (a *API) provisionPermissionSet(ctx context.Context, in *model.ProvisionPermissionSetRequest) (*model.ProvisionPermissionSetResponse, error) {
	r, err := a.sets.Provision(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), awsshape.String(in.TargetType), awsshape.String(in.TargetId))
	if err != nil {
		return nil, err
	}
	return &model.ProvisionPermissionSetResponse{PermissionSetProvisioningStatus: provisioningOut(r)}, nil
}

func (a *API) describeProvisioning(ctx context.Context, in *model.DescribePermissionSetProvisioningStatusRequest) (*model.DescribePermissionSetProvisioningStatusResponse, error) {
	r, err := a.sets.ProvisioningStatus(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.ProvisionPermissionSetRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribePermissionSetProvisioningStatusResponse{PermissionSetProvisioningStatus: provisioningOut(r)}, nil
}

func (a *API) listProvisioning(ctx context.Context, in *model.ListPermissionSetProvisioningStatusRequest) (*model.ListPermissionSetProvisioningStatusResponse, error) {
	list, next, err := a.sets.ProvisioningStatuses(ctx, awsshape.String(in.InstanceArn), statusOf(in.Filter), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListPermissionSetProvisioningStatusResponse{PermissionSetsProvisioningStatus: make([]model.PermissionSetProvisioningStatusMetadata, len(list)),
		NextToken: awsshape.OptString(next)}
	for i, r := range list {
		out.PermissionSetsProvisioningStatus[i] = model.PermissionSetProvisioningStatusMetadata{Status: awsshape.Ptr(r.Status), RequestId: awsshape.Ptr(r.RequestID), CreatedDate: awsshape.Stamp(r.Created)}
	}
	return out, nil
}

func (a *API) listAccountsForProvisioned(ctx context.Context, in *model.ListAccountsForProvisionedPermissionSetRequest) (*model.ListAccountsForProvisionedPermissionSetResponse, error) {
	list, next, err := a.sets.AccountsFor(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), awsshape.String(in.ProvisioningStatus), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountsForProvisionedPermissionSetResponse{AccountIds: nonNil(list), NextToken: awsshape.OptString(next)}, nil
}

func (a *API) listProvisionedToAccount(ctx context.Context, in *model.ListPermissionSetsProvisionedToAccountRequest) (*model.ListPermissionSetsProvisionedToAccountResponse, error) {
	list, next, err := a.sets.SetsProvisionedTo(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.AccountId), awsshape.String(in.ProvisioningStatus), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListPermissionSetsProvisionedToAccountResponse{PermissionSets: nonNil(list), NextToken: awsshape.OptString(next)}, nil
}
