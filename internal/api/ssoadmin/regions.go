package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
)

func (a *API) regions(s *awsproto.Service) {
	awsproto.Handle(s, "AddRegion", a.addRegion)
	awsproto.Handle(s, "RemoveRegion", a.removeRegion)
	awsproto.Handle(s, "ListRegions", a.listRegions)
	awsproto.Handle(s, "DescribeRegion", a.describeRegion)
}

func (a *API) addRegion(ctx context.Context, in *model.AddRegionRequest) (*model.AddRegionResponse, error) {
	st, err := a.inst.AddRegion(ctx, str(in.InstanceArn), str(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.AddRegionResponse{Status: &st}, nil
}

func (a *API) removeRegion(ctx context.Context, in *model.RemoveRegionRequest) (*model.RemoveRegionResponse, error) {
	st, err := a.inst.RemoveRegion(ctx, str(in.InstanceArn), str(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.RemoveRegionResponse{Status: &st}, nil
}

func (a *API) listRegions(ctx context.Context, in *model.ListRegionsRequest) (*model.ListRegionsResponse, error) {
	list, next, err := a.inst.ListRegions(ctx, str(in.InstanceArn), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListRegionsResponse{Regions: regionsOut(list), NextToken: opt(next)}, nil
}

func (a *API) describeRegion(ctx context.Context, in *model.DescribeRegionRequest) (*model.DescribeRegionResponse, error) {
	r, err := a.inst.DescribeRegion(ctx, str(in.InstanceArn), str(in.RegionName))
	if err != nil {
		return nil, err
	}
	return &model.DescribeRegionResponse{RegionName: &r.Region, Status: &r.Status, AddedDate: stamp(r.Added), IsPrimaryRegion: ptr(r.Primary)}, nil
}
