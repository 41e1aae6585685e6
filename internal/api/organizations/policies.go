package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/organizations"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *api) policies(s *awsproto.Service) {
	handle(s, "CreatePolicy", a.createPolicy)
	handle(s, "DescribePolicy", a.describePolicy)
	handle(s, "UpdatePolicy", a.updatePolicy)
	handle(s, "DeletePolicy", a.deletePolicy)
	handle(s, "ListPolicies", a.listPolicies)
	handle(s, "ListPoliciesForTarget", a.listPoliciesForTarget)
	handle(s, "AttachPolicy", a.attachPolicy)
	handle(s, "DetachPolicy", a.detachPolicy)
	handle(s, "ListTargetsForPolicy", a.listTargetsForPolicy)
	handle(s, "ListRoots", a.listRoots)
}

func summary(p *store.OrgPolicy) *model.PolicySummary {
	managed := p.AWSManaged
	return &model.PolicySummary{Id: str(p.ID), Arn: str(p.Arn), Name: str(p.Name), Description: str(p.Description), Type: str(p.Type), AwsManaged: &managed}
}

func policyOut(p *store.OrgPolicy) *model.Policy {
	return &model.Policy{PolicySummary: summary(p), Content: str(p.Content)}
}

func (a *api) createPolicy(ctx context.Context, in *model.CreatePolicyRequest) (*model.CreatePolicyResponse, error) {
	tags := make([]store.Tag, len(in.Tags))
	for i, t := range in.Tags {
		tags[i] = store.Tag{Key: awsshape.String(t.Key), Value: awsshape.String(t.Value)}
	}
	p, err := a.org.CreatePolicy(ctx, awsshape.String(in.Name), awsshape.String(in.Description), awsshape.String(in.Type), awsshape.String(in.Content), tags)
	if err != nil {
		return nil, err
	}
	return &model.CreatePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *api) describePolicy(ctx context.Context, in *model.DescribePolicyRequest) (*model.DescribePolicyResponse, error) {
	p, err := a.org.DescribePolicy(ctx, awsshape.String(in.PolicyId))
	if err != nil {
		return nil, err
	}
	return &model.DescribePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *api) updatePolicy(ctx context.Context, in *model.UpdatePolicyRequest) (*model.UpdatePolicyResponse, error) {
	p, err := a.org.UpdatePolicy(ctx, awsshape.String(in.PolicyId), in.Name, in.Description, in.Content)
	if err != nil {
		return nil, err
	}
	return &model.UpdatePolicyResponse{Policy: policyOut(p)}, nil
}

func (a *api) deletePolicy(ctx context.Context, in *model.DeletePolicyRequest) (*struct{}, error) {
	return nil, a.org.DeletePolicy(ctx, awsshape.String(in.PolicyId))
}

func (a *api) listPolicies(ctx context.Context, in *model.ListPoliciesRequest) (*model.ListPoliciesResponse, error) {
	page, err := a.org.ListPolicies(ctx, awsshape.String(in.Filter), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListPoliciesResponse{Policies: []model.PolicySummary{}, NextToken: awsshape.OptString(page.NextToken)}
	for _, p := range page.Policies {
		out.Policies = append(out.Policies, *summary(p))
	}
	return out, nil
}

func (a *api) listPoliciesForTarget(ctx context.Context, in *model.ListPoliciesForTargetRequest) (*model.ListPoliciesForTargetResponse, error) {
	page, err := a.org.ListPoliciesForTarget(ctx, awsshape.String(in.TargetId), awsshape.String(in.Filter), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListPoliciesForTargetResponse{Policies: []model.PolicySummary{}, NextToken: awsshape.OptString(page.NextToken)}
	for _, p := range page.Policies {
		out.Policies = append(out.Policies, *summary(p))
	}
	return out, nil
}

func (a *api) attachPolicy(ctx context.Context, in *model.AttachPolicyRequest) (*struct{}, error) {
	return nil, a.org.AttachPolicy(ctx, awsshape.String(in.PolicyId), awsshape.String(in.TargetId))
}

func (a *api) detachPolicy(ctx context.Context, in *model.DetachPolicyRequest) (*struct{}, error) {
	return nil, a.org.DetachPolicy(ctx, awsshape.String(in.PolicyId), awsshape.String(in.TargetId))
}

func (a *api) listTargetsForPolicy(ctx context.Context, in *model.ListTargetsForPolicyRequest) (*model.ListTargetsForPolicyResponse, error) {
	page, err := a.org.ListTargetsForPolicy(ctx, awsshape.String(in.PolicyId), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListTargetsForPolicyResponse{Targets: []model.PolicyTargetSummary{}, NextToken: awsshape.OptString(page.NextToken)}
	for _, t := range page.Targets {
		out.Targets = append(out.Targets, model.PolicyTargetSummary{TargetId: str(t.ID), Arn: str(t.Arn), Name: str(t.Name), Type: str(t.Type)})
	}
	return out, nil
}

func (a *api) listRoots(ctx context.Context, in *model.ListRootsRequest) (*model.ListRootsResponse, error) {
	t, err := a.org.Root(ctx)
	if err != nil {
		return nil, err
	}
	return &model.ListRootsResponse{Roots: []model.Root{{Id: str(t.ID), Arn: str(t.Arn), Name: str(t.Name),
		PolicyTypes: []model.PolicyTypeSummary{{Type: str(org.TypeSCP), Status: str("ENABLED")}}}}}, nil
}
