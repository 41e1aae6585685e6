package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) permissionSetPolicies(s *awsproto.Service) {
	awsproto.Handle(s, "PutInlinePolicyToPermissionSet", a.putInlinePolicy)
	awsproto.Handle(s, "GetInlinePolicyForPermissionSet", a.getInlinePolicy)
	awsproto.Handle(s, "DeleteInlinePolicyFromPermissionSet", a.deleteInlinePolicy)
	awsproto.Handle(s, "AttachManagedPolicyToPermissionSet", a.attachManagedPolicy)
	awsproto.Handle(s, "DetachManagedPolicyFromPermissionSet", a.detachManagedPolicy)
	awsproto.Handle(s, "ListManagedPoliciesInPermissionSet", a.listManagedPolicies)
	awsproto.Handle(s, "AttachCustomerManagedPolicyReferenceToPermissionSet", a.attachCustomerPolicy)
	awsproto.Handle(s, "DetachCustomerManagedPolicyReferenceFromPermissionSet", a.detachCustomerPolicy)
	awsproto.Handle(s, "ListCustomerManagedPolicyReferencesInPermissionSet", a.listCustomerPolicies)
	awsproto.Handle(s, "PutPermissionsBoundaryToPermissionSet", a.putBoundary)
	awsproto.Handle(s, "GetPermissionsBoundaryForPermissionSet", a.getBoundary)
	awsproto.Handle(s, "DeletePermissionsBoundaryFromPermissionSet", a.deleteBoundary)
}

func (a *API) putInlinePolicy(ctx context.Context, in *model.PutInlinePolicyToPermissionSetRequest) (*model.PutInlinePolicyToPermissionSetResponse, error) {
	return nil, a.sets.PutInlinePolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), awsshape.String(in.InlinePolicy))
}

func (a *API) getInlinePolicy(ctx context.Context, in *model.GetInlinePolicyForPermissionSetRequest) (*model.GetInlinePolicyForPermissionSetResponse, error) {
	doc, err := a.sets.InlinePolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
	if err != nil {
		return nil, err
	}
	return &model.GetInlinePolicyForPermissionSetResponse{InlinePolicy: awsshape.Ptr(doc)}, nil
}

func (a *API) deleteInlinePolicy(ctx context.Context, in *model.DeleteInlinePolicyFromPermissionSetRequest) (*model.DeleteInlinePolicyFromPermissionSetResponse, error) {
	return nil, a.sets.DeleteInlinePolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
}

func (a *API) attachManagedPolicy(ctx context.Context, in *model.AttachManagedPolicyToPermissionSetRequest) (*model.AttachManagedPolicyToPermissionSetResponse, error) {
	return nil, a.sets.AttachManagedPolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), awsshape.String(in.ManagedPolicyArn))
}

func (a *API) detachManagedPolicy(ctx context.Context, in *model.DetachManagedPolicyFromPermissionSetRequest) (*model.DetachManagedPolicyFromPermissionSetResponse, error) {
	return nil, a.sets.DetachManagedPolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), awsshape.String(in.ManagedPolicyArn))
}

func (a *API) listManagedPolicies(ctx context.Context, in *model.ListManagedPoliciesInPermissionSetRequest) (*model.ListManagedPoliciesInPermissionSetResponse, error) {
	list, next, err := a.sets.Policies(ctx, "ListManagedPoliciesInPermissionSet", awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), store.PolicyManaged,
		awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListManagedPoliciesInPermissionSetResponse{AttachedManagedPolicies: make([]model.AttachedManagedPolicy, len(list)), NextToken: awsshape.OptString(next)}
	for i, p := range list {
		out.AttachedManagedPolicies[i] = model.AttachedManagedPolicy{Name: awsshape.Ptr(p.Name), Arn: awsshape.Ptr(p.Key)}
	}
	return out, nil
}

func customerRefIn(r *model.CustomerManagedPolicyReference) permset.CustomerRef {
	if r == nil {
		return permset.CustomerRef{}
	}
	return permset.CustomerRef{Name: awsshape.String(r.Name), Path: awsshape.String(r.Path)}
}

func customerRefOut(r permset.CustomerRef) *model.CustomerManagedPolicyReference {
	return &model.CustomerManagedPolicyReference{Name: awsshape.Ptr(r.Name), Path: awsshape.Ptr(r.Path)}
}

func (a *API) attachCustomerPolicy(ctx context.Context, in *model.AttachCustomerManagedPolicyReferenceToPermissionSetRequest) (*model.AttachCustomerManagedPolicyReferenceToPermissionSetResponse, error) {
	return nil, a.sets.AttachCustomerManagedPolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), customerRefIn(in.CustomerManagedPolicyReference))
}

func (a *API) detachCustomerPolicy(ctx context.Context, in *model.DetachCustomerManagedPolicyReferenceFromPermissionSetRequest) (*model.DetachCustomerManagedPolicyReferenceFromPermissionSetResponse, error) {
	return nil, a.sets.DetachCustomerManagedPolicy(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), customerRefIn(in.CustomerManagedPolicyReference))
}

func (a *API) listCustomerPolicies(ctx context.Context, in *model.ListCustomerManagedPolicyReferencesInPermissionSetRequest) (*model.ListCustomerManagedPolicyReferencesInPermissionSetResponse, error) {
	list, next, err := a.sets.Policies(ctx, "ListCustomerManagedPolicyReferencesInPermissionSet", awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn),
		store.PolicyCustomer, awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListCustomerManagedPolicyReferencesInPermissionSetResponse{CustomerManagedPolicyReferences: make([]model.CustomerManagedPolicyReference, len(list)),
		NextToken: awsshape.OptString(next)}
	for i, p := range list {
		out.CustomerManagedPolicyReferences[i] = *customerRefOut(permset.CustomerRef{Name: p.Name, Path: p.Path})
	}
	return out, nil
}

func (a *API) putBoundary(ctx context.Context, in *model.PutPermissionsBoundaryToPermissionSetRequest) (*model.PutPermissionsBoundaryToPermissionSetResponse, error) {
	var b permset.Boundary
	if pb := in.PermissionsBoundary; pb != nil {
		b.ManagedPolicyArn = awsshape.String(pb.ManagedPolicyArn)
		if pb.CustomerManagedPolicyReference != nil {
			r := customerRefIn(pb.CustomerManagedPolicyReference)
			b.CustomerManagedPolicyReference = &r
		}
	}
	return nil, a.sets.PutBoundary(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn), b)
}

func (a *API) getBoundary(ctx context.Context, in *model.GetPermissionsBoundaryForPermissionSetRequest) (*model.GetPermissionsBoundaryForPermissionSetResponse, error) {
	b, err := a.sets.GetBoundary(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
	if err != nil {
		return nil, err
	}
	out := &model.PermissionsBoundary{ManagedPolicyArn: awsshape.OptString(b.ManagedPolicyArn)}
	if r := b.CustomerManagedPolicyReference; r != nil {
		out.CustomerManagedPolicyReference = customerRefOut(*r)
	}
	return &model.GetPermissionsBoundaryForPermissionSetResponse{PermissionsBoundary: out}, nil
}

func (a *API) deleteBoundary(ctx context.Context, in *model.DeletePermissionsBoundaryFromPermissionSetRequest) (*model.DeletePermissionsBoundaryFromPermissionSetResponse, error) {
	return nil, a.sets.DeleteBoundary(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PermissionSetArn))
}
