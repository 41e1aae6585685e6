package permset

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Every change here raises the permission set's version: its accounts read
// LATEST_PERMISSION_SET_NOT_PROVISIONED until ProvisionPermissionSet.

// CustomerRef names a customer managed policy, which each account must hold
// under that path and name.
type CustomerRef struct {
	Name string `json:"Name"`
	Path string `json:"Path"`
}

// withDefaultPath returns r with the default path "/" when it has none.
func (r CustomerRef) withDefaultPath() CustomerRef {
	if r.Path == "" {
		r.Path = "/"
	}
	return r
}

func (r CustomerRef) key() string { return r.Path + r.Name }

// Boundary is a permission set's permissions boundary: an AWS managed
// policy or a customer managed policy reference.
type Boundary struct {
	ManagedPolicyArn               string       `json:"ManagedPolicyArn,omitempty"`
	CustomerManagedPolicyReference *CustomerRef `json:"CustomerManagedPolicyReference,omitempty"`
}

// PutInlinePolicy sets the inline policy of a permission set.
func (s *Service) PutInlinePolicy(ctx context.Context, instanceArn, psArn, doc string) error {
	const op = "permset.PutInlinePolicy"
	if err := checkPolicy(op, doc, s.limit().InlinePolicyChars); err != nil {
		return err
	}
	return s.change(ctx, "PutInlinePolicyToPermissionSet", instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		ps.InlinePolicy = doc
		return true, nil
	})
}

// InlinePolicy returns the inline policy of a permission set ("" for none).
func (s *Service) InlinePolicy(ctx context.Context, instanceArn, psArn string) (string, error) {
	_, ps, err := s.openSet(ctx, "GetInlinePolicyForPermissionSet", instanceArn, psArn, read)
	if err != nil {
		return "", err
	}
	return ps.InlinePolicy, nil
}

// DeleteInlinePolicy removes the inline policy of a permission set; one
// without does not change.
func (s *Service) DeleteInlinePolicy(ctx context.Context, instanceArn, psArn string) error {
	return s.change(ctx, "DeleteInlinePolicyFromPermissionSet", instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		had := ps.InlinePolicy != ""
		ps.InlinePolicy = ""
		return had, nil
	})
}

// attach attaches a policy, refusing a duplicate (ConflictException with
// dup) and more than Limits.PoliciesPerPermissionSet of both kinds
// together.
func (s *Service) attach(ctx context.Context, name, instanceArn, psArn string, p *store.AttachedPolicy, dup string) error {
	op := "permset." + name
	limit := s.limit().PoliciesPerPermissionSet
	err := s.change(ctx, name, instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		p.PermissionSetArn, p.Created = ps.Arn, tx.Now
		if err := tx.InsertAttachedPolicy(ctx, p); errors.Is(err, store.ErrAlreadyExists) {
			return false, errs.E(op, errs.Conflict, dup)
		} else if err != nil {
			return false, err
		}
		n, err := tx.CountAttachedPolicies(ctx, ps.Arn)
		if err != nil {
			return false, err
		}
		if n > limit {
			return false, errs.E(op, errs.Quota, quotaMsg("ManagedPolicy", limit, psID(ps.Arn)))
		}
		return true, nil
	})
	return err
}

// detach detaches a policy, or answers ResourceNotFoundException with
// missing.
func (s *Service) detach(ctx context.Context, name, instanceArn, psArn, kind, key, missing string) error {
	op := "permset." + name
	return s.change(ctx, name, instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		if err := tx.DeleteAttachedPolicy(ctx, ps.Arn, kind, key); errors.Is(err, store.ErrNotFound) {
			return false, errs.E(op, errs.NotFound, missing)
		} else if err != nil {
			return false, err
		}
		return true, nil
	})
}

// AttachManagedPolicy attaches an AWS managed policy.
func (s *Service) AttachManagedPolicy(ctx context.Context, instanceArn, psArn, policyArn string) error {
	p := &store.AttachedPolicy{Kind: store.PolicyManaged, Key: policyArn, Name: policyArn[strings.LastIndexByte(policyArn, '/')+1:]}
	return s.attach(ctx, "AttachManagedPolicyToPermissionSet", instanceArn, psArn, p,
		"Permission set with id "+psID(psArn)+" already has a typed link attachment to a manged policy with "+policyArn)
}

// DetachManagedPolicy detaches an AWS managed policy.
func (s *Service) DetachManagedPolicy(ctx context.Context, instanceArn, psArn, policyArn string) error {
	return s.detach(ctx, "DetachManagedPolicyFromPermissionSet", instanceArn, psArn, store.PolicyManaged, policyArn,
		"Could not find ManagedPolicy with arn "+policyArn)
}

// AttachCustomerManagedPolicy attaches a customer managed policy reference
// (path "/" unless given).
func (s *Service) AttachCustomerManagedPolicy(ctx context.Context, instanceArn, psArn string, ref CustomerRef) error {
	ref = ref.withDefaultPath()
	p := &store.AttachedPolicy{Kind: store.PolicyCustomer, Key: ref.key(), Name: ref.Name, Path: ref.Path}
	return s.attach(ctx, "AttachCustomerManagedPolicyReferenceToPermissionSet", instanceArn, psArn, p,
		"Given customer managed policy with name: "+ref.Name+"  and path "+ref.Path+" already attached")
}

// DetachCustomerManagedPolicy detaches a customer managed policy reference.
func (s *Service) DetachCustomerManagedPolicy(ctx context.Context, instanceArn, psArn string, ref CustomerRef) error {
	ref = ref.withDefaultPath()
	return s.detach(ctx, "DetachCustomerManagedPolicyReferenceFromPermissionSet", instanceArn, psArn, store.PolicyCustomer, ref.key(),
		"Given managed policy with name: "+ref.Name+"  and path "+ref.Path+" does not exist on PermissionSet")
}

// Policies returns a page of the policies of a kind (store.PolicyManaged or
// store.PolicyCustomer) attached to a permission set, and the next token.
func (s *Service) Policies(ctx context.Context, name, instanceArn, psArn, kind, token string, max int) ([]*store.AttachedPolicy, string, error) {
	op := "permset." + name
	_, ps, err := s.openSet(ctx, name, instanceArn, psArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := name + "/" + ps.Arn
	after, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	max = pageSize(max)
	list, err := s.st.R().AttachedPoliciesAfter(ctx, ps.Arn, kind, after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x *store.AttachedPolicy) string { return x.Key })
	return list, next, nil
}

// PutBoundary sets the permissions boundary of a permission set: exactly
// one of an AWS managed policy and a customer managed policy reference.
func (s *Service) PutBoundary(ctx context.Context, instanceArn, psArn string, b Boundary) error {
	const op = "permset.PutBoundary"
	if (b.ManagedPolicyArn == "") == (b.CustomerManagedPolicyReference == nil) {
		return errs.E(op, errs.Invalid, "A permissions boundary must specify either ManagedPolicyArn or CustomerManagedPolicyReference, but not both")
	}
	if r := b.CustomerManagedPolicyReference; r != nil {
		d := r.withDefaultPath()
		b.CustomerManagedPolicyReference = &d
	}
	doc, err := json.Marshal(b)
	if err != nil {
		return errs.Wrap(op, err)
	}
	return s.change(ctx, "PutPermissionsBoundaryToPermissionSet", instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		changed := ps.Boundary != string(doc)
		ps.Boundary = string(doc)
		return changed, nil
	})
}

// GetBoundary returns the permissions boundary of a permission set, or
// ResourceNotFoundException when it has none.
func (s *Service) GetBoundary(ctx context.Context, instanceArn, psArn string) (*Boundary, error) {
	const op = "permset.GetBoundary"
	_, ps, err := s.openSet(ctx, "GetPermissionsBoundaryForPermissionSet", instanceArn, psArn, read)
	if err != nil {
		return nil, err
	}
	b := boundaryOf(ps)
	if b == nil {
		return nil, errs.E(op, errs.NotFound, "Could not find PermissionsBoundary for PermissionSet with id "+psID(psArn))
	}
	return b, nil
}

// boundaryOf decodes the stored boundary of a permission set (nil: none).
func boundaryOf(ps *store.PermissionSet) *Boundary {
	if ps.Boundary == "" {
		return nil
	}
	var b Boundary
	if json.Unmarshal([]byte(ps.Boundary), &b) != nil {
		return nil
	}
	return &b
}

// DeleteBoundary removes the permissions boundary of a permission set; one
// without does not change.
func (s *Service) DeleteBoundary(ctx context.Context, instanceArn, psArn string) error {
	return s.change(ctx, "DeletePermissionsBoundaryFromPermissionSet", instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		had := ps.Boundary != ""
		ps.Boundary = ""
		return had, nil
	})
}
