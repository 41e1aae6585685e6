package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
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
		Status:           ptr(r.Status),
		RequestId:        ptr(r.RequestID),
		AccountId:        opt(r.AccountID),
		PermissionSetArn: ptr(r.PermissionSetArn),
		FailureReason:    opt(r.FailureReason),
		CreatedDate:      stamp(r.Created),
	}
}

func (a *API) provisionPermissionSet(ctx context.Context, in *model.ProvisionPermissionSetRequest) (*model.ProvisionPermissionSetResponse, error) {
	r, err := a.sets.Provision(ctx, str(in.InstanceArn), str(in.PermissionSetArn), str(in.TargetType), str(in.TargetId))
	if err != nil {
		return nil, err
	}
	return &model.ProvisionPermissionSetResponse{PermissionSetProvisioningStatus: provisioningOut(r)}, nil
}

func (a *API) describeProvisioning(ctx context.Context, in *model.DescribePermissionSetProvisioningStatusRequest) (*model.DescribePermissionSetProvisioningStatusResponse, error) {
	r, err := a.sets.ProvisioningStatus(ctx, str(in.InstanceArn), str(in.ProvisionPermissionSetRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribePermissionSetProvisioningStatusResponse{PermissionSetProvisioningStatus: provisioningOut(r)}, nil
}

func (a *API) listProvisioning(ctx context.Context, in *model.ListPermissionSetProvisioningStatusRequest) (*model.ListPermissionSetProvisioningStatusResponse, error) {
	list, next, err := a.sets.ProvisioningStatuses(ctx, str(in.InstanceArn), statusOf(in.Filter), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListPermissionSetProvisioningStatusResponse{PermissionSetsProvisioningStatus: make([]model.PermissionSetProvisioningStatusMetadata, len(list)),
		NextToken: opt(next)}
	for i, r := range list {
		out.PermissionSetsProvisioningStatus[i] = model.PermissionSetProvisioningStatusMetadata{Status: ptr(r.Status), RequestId: ptr(r.RequestID), CreatedDate: stamp(r.Created)}
	}
	return out, nil
}

func (a *API) listAccountsForProvisioned(ctx context.Context, in *model.ListAccountsForProvisionedPermissionSetRequest) (*model.ListAccountsForProvisionedPermissionSetResponse, error) {
	list, next, err := a.sets.AccountsFor(ctx, str(in.InstanceArn), str(in.PermissionSetArn), str(in.ProvisioningStatus), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountsForProvisionedPermissionSetResponse{AccountIds: nonNil(list), NextToken: opt(next)}, nil
}

func (a *API) listProvisionedToAccount(ctx context.Context, in *model.ListPermissionSetsProvisionedToAccountRequest) (*model.ListPermissionSetsProvisionedToAccountResponse, error) {
	list, next, err := a.sets.SetsProvisionedTo(ctx, str(in.InstanceArn), str(in.AccountId), str(in.ProvisioningStatus), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListPermissionSetsProvisionedToAccountResponse{PermissionSets: nonNil(list), NextToken: opt(next)}, nil
}
