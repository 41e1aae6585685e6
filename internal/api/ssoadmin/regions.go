package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
)

func (a *API) regions(s *awsproto.Service) {
	awsproto.Handle(s, "AddRegion", a.addRegion)
	awsproto.Handle(s, "RemoveRegion", a.removeRegion)
	awsproto.Handle(s, "ListRegions", a.listRegions)
	awsproto.Handle(s, "DescribeRegion", a.describeRegion)
}

func (a *API) addRegion(ctx context.Context, in *model.AddRegionRequest) (*model.AddRegionResponse, error) {
	st, err := a.inst.AddRegion(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.AddRegionResponse{Status: &st}, nil
}

func (a *API) removeRegion(ctx context.Context, in *model.RemoveRegionRequest) (*model.RemoveRegionResponse, error) {
	st, err := a.inst.RemoveRegion(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.RemoveRegionResponse{Status: &st}, nil
}

func (a *API) listRegions(ctx context.Context, in *model.ListRegionsRequest) (*model.ListRegionsResponse, error) {
	list, next, err := a.inst.ListRegions(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListRegionsResponse{Regions: regionsOut(list), NextToken: awsshape.OptString(next)}, nil
}

func (a *API) describeRegion(ctx context.Context, in *model.DescribeRegionRequest) (*model.DescribeRegionResponse, error) {
	r, err := a.inst.DescribeRegion(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.DescribeRegionResponse{RegionName: &r.Region, Status: &r.Status, AddedDate: awsshape.Stamp(r.Added), IsPrimaryRegion: awsshape.Ptr(r.Primary)}, nil
}
