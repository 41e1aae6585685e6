package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/instance"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) instances(s *awsproto.Service) {
	awsproto.Handle(s, "CreateInstance", a.createInstance)
	awsproto.Handle(s, "DescribeInstance", a.describeInstance)
	awsproto.Handle(s, "ListInstances", a.listInstances)
	awsproto.Handle(s, "UpdateInstance", a.updateInstance)
	awsproto.Handle(s, "DeleteInstance", a.deleteInstance)
}

func (a *API) createInstance(ctx context.Context, in *model.CreateInstanceRequest) (*model.CreateInstanceResponse, error) {
	inst, err := a.inst.Create(ctx, awsshape.String(in.Name), awsshape.String(in.ClientToken), tagsIn(in.Tags))
	if err != nil {
		return nil, err
	}
	return &model.CreateInstanceResponse{InstanceArn: &inst.Arn}, nil
}

func (a *API) describeInstance(ctx context.Context, in *model.DescribeInstanceRequest) (*model.DescribeInstanceResponse, error) {
	inst, err := a.inst.Describe(ctx, awsshape.String(in.InstanceArn))
	if err != nil {
		return nil, err
	}
	e := instance.EncryptionOf(inst)
	return &model.DescribeInstanceResponse{
		InstanceArn:     &inst.Arn,
		IdentityStoreId: &inst.IdentityStoreID,
		OwnerAccountId:  &inst.OwnerAccountID,
		Name:            awsshape.OptString(inst.Name),
		CreatedDate:     awsshape.Stamp(inst.Created),
		Status:          &inst.Status,
		StatusReason:    awsshape.OptString(inst.StatusReason),
		EncryptionConfigurationDetails: &model.EncryptionConfigurationDetails{
			KeyType:                &e.KeyType,
			KmsKeyArn:              awsshape.OptString(e.KmsKeyArn),
			EncryptionStatus:       &e.Status,
			EncryptionStatusReason: awsshape.OptString(e.StatusReason),
		},
		PermissionSetsEnabled: awsshape.Ptr(inst.PermissionSetsEnabled),
	}, nil
}

func (a *API) listInstances(ctx context.Context, in *model.ListInstancesRequest) (*model.ListInstancesResponse, error) {
	list, next, err := a.inst.List(ctx, awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListInstancesResponse{Instances: make([]model.InstanceMetadata, len(list)), NextToken: awsshape.OptString(next)}
	for i, l := range list {
		out.Instances[i] = model.InstanceMetadata{
			InstanceArn:     &l.Arn,
			IdentityStoreId: &l.IdentityStoreID,
			OwnerAccountId:  &l.OwnerAccountID,
			Name:            awsshape.OptString(l.Name),
			CreatedDate:     awsshape.Stamp(l.Created),
			Status:          &l.Status,
			StatusReason:    awsshape.OptString(l.StatusReason),
			PrimaryRegion:   awsshape.OptString(l.Region),
			Regions:         regionsOut(l.Regions),
		}
	}
	return out, nil
}

func (a *API) updateInstance(ctx context.Context, in *model.UpdateInstanceRequest) (*model.UpdateInstanceResponse, error) {
	u := instance.Update{Name: in.Name, PermissionSetsEnabled: in.PermissionSetsEnabled}
	if e := in.EncryptionConfiguration; e != nil {
		u.Encryption = &instance.Encryption{KeyType: awsshape.String(e.KeyType), KmsKeyArn: awsshape.String(e.KmsKeyArn)}
	}
	return nil, a.inst.Update(ctx, awsshape.String(in.InstanceArn), u)
}

func (a *API) deleteInstance(ctx context.Context, in *model.DeleteInstanceRequest) (*model.DeleteInstanceResponse, error) {
	return nil, a.inst.Delete(ctx, awsshape.String(in.InstanceArn))
}

func regionsOut(rs []*store.Region) []model.RegionMetadata {
	out := make([]model.RegionMetadata, len(rs))
	for i, r := range rs {
		out[i] = model.RegionMetadata{RegionName: &r.Region, Status: &r.Status, AddedDate: awsshape.Stamp(r.Added), IsPrimaryRegion: awsshape.Ptr(r.Primary)}
	}
	return out
}
