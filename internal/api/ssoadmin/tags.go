package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) tags(s *awsproto.Service) {
	awsproto.Handle(s, "TagResource", a.tagResource)
	awsproto.Handle(s, "UntagResource", a.untagResource)
	awsproto.Handle(s, "ListTagsForResource", a.listTagsForResource)
}

func (a *API) tagResource(ctx context.Context, in *model.TagResourceRequest) (*model.TagResourceResponse, error) {
	if permset.IsArn(awsshape.String(in.ResourceArn)) {
		return nil, a.sets.Tag(ctx, awsshape.String(in.ResourceArn), awsshape.String(in.InstanceArn), tagsIn(in.Tags))
	}
	return nil, a.inst.Tag(ctx, awsshape.String(in.ResourceArn), awsshape.String(in.InstanceArn), tagsIn(in.Tags))
}

func (a *API) untagResource(ctx context.Context, in *model.UntagResourceRequest) (*model.UntagResourceResponse, error) {
	if permset.IsArn(awsshape.String(in.ResourceArn)) {
		return nil, a.sets.Untag(ctx, awsshape.String(in.ResourceArn), awsshape.String(in.InstanceArn), in.TagKeys)
	}
	return nil, a.inst.Untag(ctx, awsshape.String(in.ResourceArn), awsshape.String(in.InstanceArn), in.TagKeys)
}

func (a *API) listTagsForResource(ctx context.Context, in *model.ListTagsForResourceRequest) (*model.ListTagsForResourceResponse, error) {
	list := a.inst.Tags
	if permset.IsArn(awsshape.String(in.ResourceArn)) {
		list = a.sets.Tags
	}
	tags, err := list(ctx, awsshape.String(in.ResourceArn), awsshape.String(in.InstanceArn), awsshape.String(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &model.ListTagsForResourceResponse{Tags: make([]model.Tag, len(tags))}
	for i, t := range tags {
		out.Tags[i] = model.Tag{Key: awsshape.Ptr(t.Key), Value: awsshape.Ptr(t.Value)}
	}
	return out, nil
}

func tagsIn(tags []model.Tag) []store.Tag {
	out := make([]store.Tag, len(tags))
	for i, t := range tags {
		out[i] = store.Tag{Key: awsshape.String(t.Key), Value: awsshape.String(t.Value)}
	}
	return out
}
