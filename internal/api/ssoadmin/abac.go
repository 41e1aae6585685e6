package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/instance"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
)

func (a *API) abac(s *awsproto.Service) {
	awsproto.Handle(s, "CreateInstanceAccessControlAttributeConfiguration", a.createABAC)
	awsproto.Handle(s, "DescribeInstanceAccessControlAttributeConfiguration", a.describeABAC)
	awsproto.Handle(s, "UpdateInstanceAccessControlAttributeConfiguration", a.updateABAC)
	awsproto.Handle(s, "DeleteInstanceAccessControlAttributeConfiguration", a.deleteABAC)
}

func (a *API) createABAC(ctx context.Context, in *model.CreateInstanceAccessControlAttributeConfigurationRequest) (*model.CreateInstanceAccessControlAttributeConfigurationResponse, error) {
	return nil, a.inst.CreateABAC(ctx, awsshape.String(in.InstanceArn), attributesIn(in.InstanceAccessControlAttributeConfiguration))
}

func (a *API) describeABAC(ctx context.Context, in *model.DescribeInstanceAccessControlAttributeConfigurationRequest) (*model.DescribeInstanceAccessControlAttributeConfigurationResponse, error) {
	c, err := a.inst.DescribeABAC(ctx, awsshape.String(in.InstanceArn))
	if err != nil {
		return nil, err
	}
	conf := &model.InstanceAccessControlAttributeConfiguration{AccessControlAttributes: make([]model.AccessControlAttribute, len(c.Attributes))}
	for i, at := range c.Attributes {
		conf.AccessControlAttributes[i] = model.AccessControlAttribute{Key: awsshape.Ptr(at.Key), Value: &model.AccessControlAttributeValue{Source: at.Source}}
	}
	return &model.DescribeInstanceAccessControlAttributeConfigurationResponse{
		Status:       &c.Status,
		StatusReason: awsshape.OptString(c.Reason),
		InstanceAccessControlAttributeConfiguration: conf,
	}, nil
}

func (a *API) updateABAC(ctx context.Context, in *model.UpdateInstanceAccessControlAttributeConfigurationRequest) (*model.UpdateInstanceAccessControlAttributeConfigurationResponse, error) {
	return nil, a.inst.UpdateABAC(ctx, awsshape.String(in.InstanceArn), attributesIn(in.InstanceAccessControlAttributeConfiguration))
}

func (a *API) deleteABAC(ctx context.Context, in *model.DeleteInstanceAccessControlAttributeConfigurationRequest) (*model.DeleteInstanceAccessControlAttributeConfigurationResponse, error) {
	return nil, a.inst.DeleteABAC(ctx, awsshape.String(in.InstanceArn))
}

// attributesIn converts a (validated, so non-nil) configuration; the result
// is never nil.
func attributesIn(c *model.InstanceAccessControlAttributeConfiguration) []instance.Attribute {
	out := []instance.Attribute{}
	if c == nil {
		return out
	}
	for _, at := range c.AccessControlAttributes {
		var src []string
		if at.Value != nil {
			src = at.Value.Source
		}
		out = append(out, instance.Attribute{Key: awsshape.String(at.Key), Source: src})
	}
	return out
}
