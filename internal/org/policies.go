package org

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Service control policies: the organizations policies idcenter enforces.
// Every organization has the AWS managed FullAWSAccess, attached to its root
// and to each member account when they are made; an administrator attaches
// policies of its own to the root or to accounts, and every call a member
// account makes is checked against them (scp.go).

// The organizations policy type idcenter implements.
const TypeSCP = "SERVICE_CONTROL_POLICY"

// FullAWSAccess is the AWS managed SCP every organization starts with.
const (
	FullAWSAccessID      = "p-FullAWSAccess"
	fullAWSAccessArn     = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
	fullAWSAccessContent = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// AWS's default quotas for SCPs.
const (
	MaxSCPSize          = 5120 // characters of a policy document
	MaxSCPsPerTarget    = 5
	DefaultMaxPolicies  = 20
	msgDuplicatePolicy  = "A policy with the same name already exists."
	msgPolicyNotFound   = "We can't find a policy with the PolicyId that you specified."
	msgTargetNotFound   = "We can't find a root, OU, account, or email that you specified."
	msgDuplicateAttach  = "The selected policy is already attached to the specified target."
	msgNotAttached      = "The policy isn't attached to the specified target in the specified root."
	msgPolicyInUse      = "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation."
	msgTypeNotEnabled   = "This operation can be performed only for enabled policy types."
	msgAWSManaged       = "You can't modify or delete an AWS managed policy."
	codeDuplicatePolicy = "DuplicatePolicyException"
	codePolicyNotFound  = "PolicyNotFoundException"
	codeTargetNotFound  = "TargetNotFoundException"
	codeDuplicateAttach = "DuplicatePolicyAttachmentException"
	codeNotAttached     = "PolicyNotAttachedException"
	codePolicyInUse     = "PolicyInUseException"
	codeTypeNotEnabled  = "PolicyTypeNotEnabledException"
	codeMalformed       = "MalformedPolicyDocumentException"
	codeConstraint      = "ConstraintViolationException"
	codeNotAllowed      = "PolicyChangesNotAllowedException"
)

// insertFullAWSAccess gives a new organization its FullAWSAccess, attached
// to the root.
func insertFullAWSAccess(ctx context.Context, tx *store.Tx, o *store.Organization) error {
	p := &store.OrgPolicy{OrgID: o.ID, ID: FullAWSAccessID, Arn: fullAWSAccessArn, Name: "FullAWSAccess",
		Description: "Allows access to every operation", Type: TypeSCP, Content: fullAWSAccessContent, AWSManaged: true, Created: tx.Now}
	if err := tx.InsertOrgPolicy(ctx, p); err != nil {
		return err
	}
	return tx.AttachOrgPolicy(ctx, o.ID, FullAWSAccessID, o.RootID, tx.Now)
}

// policyArn is the ARN of a customer managed policy.
func policyArn(o *store.Organization, typ, id string) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":policy/" + o.ID + "/" + strings.ToLower(typ) + "/" + id
}

// checkContent validates an SCP document as AWS does before storing it.
func checkContent(op, content string) error {
	if utf8.RuneCountInString(content) > MaxSCPSize {
		return errs.Ef(op, errs.Invalid, "You provided a policy document that exceeds the maximum size of %d characters.", MaxSCPSize).
			WithCode(codeConstraint).WithReason("POLICY_CONTENT_LIMIT_EXCEEDED")
	}
	if _, err := parseSCP(content); err != nil {
		return errs.E(op, errs.Invalid, "The provided policy document does not meet the requirements of the specified policy type: "+err.Error()).WithCode(codeMalformed)
	}
	return nil
}

func checkType(op, typ string) error {
	if typ != TypeSCP {
		return errs.E(op, errs.Invalid, msgTypeNotEnabled).WithCode(codeTypeNotEnabled)
	}
	return nil
}

// CreatePolicy makes a customer managed policy. Only the management account
// may.
func (s *Service) CreatePolicy(ctx context.Context, name, description, typ, content string, tags []store.Tag) (*store.OrgPolicy, error) {
	const op = "org.CreatePolicy"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	if err := checkType(op, typ); err != nil {
		return nil, err
	}
	if err := checkContent(op, content); err != nil {
		return nil, err
	}
	p := &store.OrgPolicy{OrgID: o.ID, ID: "p-" + ids.From("abcdefghijklmnopqrstuvwxyz0123456789", 8), Name: name, Description: description, Type: typ, Content: content}
	p.Arn = policyArn(o, typ, p.ID)
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		p.Created = tx.Now
		if err := tx.InsertOrgPolicy(ctx, p); err != nil {
			return err
		}
		for _, t := range tags {
			if err := tx.PutTag(ctx, p.Arn, t); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, errs.E(op, errs.Conflict, msgDuplicatePolicy).WithCode(codeDuplicatePolicy)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return p, nil
}

// policy reads a policy of the caller's organization for op.
func (s *Service) policy(ctx context.Context, op, id string) (*store.Organization, *store.OrgPolicy, error) {
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.st.R().OrgPolicy(ctx, o.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errs.E(op, errs.NotFound, msgPolicyNotFound).WithCode(codePolicyNotFound)
	}
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	return o, p, nil
}

// DescribePolicy returns a policy.
func (s *Service) DescribePolicy(ctx context.Context, id string) (*store.OrgPolicy, error) {
	_, p, err := s.policy(ctx, "org.DescribePolicy", id)
	return p, err
}

// UpdatePolicy changes a customer managed policy's name, description or
// content (nil leaves a field as it is).
func (s *Service) UpdatePolicy(ctx context.Context, id string, name, description, content *string) (*store.OrgPolicy, error) {
	const op = "org.UpdatePolicy"
	o, p, err := s.policy(ctx, op, id)
	if err != nil {
		return nil, err
	}
	if p.AWSManaged {
		return nil, errs.E(op, errs.Invalid, msgAWSManaged).WithCode(codeNotAllowed)
	}
	if name != nil {
		p.Name = *name
	}
	if description != nil {
		p.Description = *description
	}
	if content != nil {
		if err := checkContent(op, *content); err != nil {
			return nil, err
		}
		p.Content = *content
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateOrgPolicy(ctx, p) })
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, errs.E(op, errs.Conflict, msgDuplicatePolicy).WithCode(codeDuplicatePolicy)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	s.scps.invalidate(o.ID)
	return p, nil
}

// DeletePolicy deletes a customer managed policy that is attached nowhere.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	const op = "org.DeletePolicy"
	o, p, err := s.policy(ctx, op, id)
	if err != nil {
		return err
	}
	if p.AWSManaged {
		return errs.E(op, errs.Invalid, msgAWSManaged).WithCode(codeNotAllowed)
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountOrgPolicyTargets(ctx, o.ID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(op, errs.Conflict, msgPolicyInUse).WithCode(codePolicyInUse)
		}
		if err := tx.DeleteOrgPolicy(ctx, o.ID, id); err != nil {
			return err
		}
		return tx.DeleteTags(ctx, p.Arn)
	})
	return errs.Wrap(op, err)
}

// PolicyPage is one page of policies and the token of the next.
type PolicyPage struct {
	Policies  []*store.OrgPolicy
	NextToken string
}

func badToken(op string) error {
	return errs.E(op, errs.Invalid, msgInvalidNextToken).WithCode(CodeInvalidInput).WithReason(reasonInvalidNextToken)
}

// ListPolicies lists the policies of a type.
func (s *Service) ListPolicies(ctx context.Context, typ, token string, max int) (*PolicyPage, error) {
	const op = "org.ListPolicies"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	return pageOf(op, "organizations.ListPolicies/"+o.ID+"/"+typ, token, max, func(after string, n int) ([]*store.OrgPolicy, error) {
		return s.st.R().OrgPoliciesAfter(ctx, o.ID, typ, after, n)
	})
}

// ListPoliciesForTarget lists the policies of a type attached to a root or
// an account.
func (s *Service) ListPoliciesForTarget(ctx context.Context, targetID, typ, token string, max int) (*PolicyPage, error) {
	const op = "org.ListPoliciesForTarget"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	if _, err := s.target(ctx, op, o, targetID); err != nil {
		return nil, err
	}
	return pageOf(op, "organizations.ListPoliciesForTarget/"+o.ID+"/"+typ+"/"+targetID, token, max, func(after string, n int) ([]*store.OrgPolicy, error) {
		return s.st.R().OrgPoliciesForTarget(ctx, o.ID, typ, targetID, after, n)
	})
}

func pageOf(op, scope, token string, max int, fetch func(after string, n int) ([]*store.OrgPolicy, error)) (*PolicyPage, error) {
	list, next, err := page(op, scope, token, max, DefaultMaxPolicies, func(p *store.OrgPolicy) string { return p.ID }, fetch)
	if err != nil {
		return nil, err
	}
	return &PolicyPage{Policies: list, NextToken: next}, nil
}

// page reads one page of a listing after the item token names: up to max
// items (def when max is not positive), and the token of the next page ("" on
// the last). key names an item in tokens; fetch reads n items after a key.
func page[T any](op, scope, token string, max, def int, key func(T) string, fetch func(after string, n int) ([]T, error)) ([]T, string, error) {
	after, err := pagetoken.Decode(scope, token)
	if err != nil {
		return nil, "", badToken(op)
	}
	if max <= 0 {
		max = def
	}
	list, err := fetch(after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, key)
	return list, next, nil
}

// Target is a root or an account a policy can be attached to.
type Target struct {
	ID, Arn, Name, Type string // Type: ROOT, ACCOUNT
}

// target resolves a target id of the organization.
func (s *Service) target(ctx context.Context, op string, o *store.Organization, id string) (*Target, error) {
	if id == o.RootID {
		return &Target{ID: id, Arn: "arn:aws:organizations::" + o.ManagementAccountID + ":root/" + o.ID + "/" + id, Name: "Root", Type: "ROOT"}, nil
	}
	a, err := s.st.R().Account(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != o.ID {
		return nil, errs.E(op, errs.NotFound, msgTargetNotFound).WithCode(codeTargetNotFound)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return &Target{ID: id, Arn: AccountArn(o, id), Name: a.Name, Type: "ACCOUNT"}, nil
}

// AttachPolicy attaches a policy to the root or an account.
func (s *Service) AttachPolicy(ctx context.Context, policyID, targetID string) error {
	const op = "org.AttachPolicy"
	o, p, err := s.policy(ctx, op, policyID)
	if err != nil {
		return err
	}
	if _, err := s.target(ctx, op, o, targetID); err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountOrgPoliciesOnTarget(ctx, o.ID, p.Type, targetID)
		if err != nil {
			return err
		}
		if n >= MaxSCPsPerTarget {
			return errs.Ef(op, errs.Invalid, "You have attached the maximum number of policies (%d) of this type to the target.", MaxSCPsPerTarget).
				WithCode(codeConstraint).WithReason("POLICY_NUMBER_LIMIT_EXCEEDED")
		}
		return tx.AttachOrgPolicy(ctx, o.ID, policyID, targetID, tx.Now)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return errs.E(op, errs.Conflict, msgDuplicateAttach).WithCode(codeDuplicateAttach)
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	s.scps.invalidate(o.ID)
	return nil
}

// DetachPolicy detaches a policy from a target. A target keeps at least one
// SCP, as in AWS: detaching the last would deny it everything.
func (s *Service) DetachPolicy(ctx context.Context, policyID, targetID string) error {
	const op = "org.DetachPolicy"
	o, p, err := s.policy(ctx, op, policyID)
	if err != nil {
		return err
	}
	if _, err := s.target(ctx, op, o, targetID); err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DetachOrgPolicy(ctx, o.ID, policyID, targetID); err != nil {
			return err
		}
		n, err := tx.CountOrgPoliciesOnTarget(ctx, o.ID, p.Type, targetID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.E(op, errs.Invalid, "You attempted to detach the last policy of this type from the target. Every root, OU and account must have at least one SCP attached.").
				WithCode(codeConstraint).WithReason("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return errs.E(op, errs.NotFound, msgNotAttached).WithCode(codeNotAttached)
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	s.scps.invalidate(o.ID)
	return nil
}

// TargetPage is one page of a policy's targets.
type TargetPage struct {
	Targets   []*Target
	NextToken string
}

// ListTargetsForPolicy lists the roots and accounts a policy is attached
// to.
func (s *Service) ListTargetsForPolicy(ctx context.Context, policyID, token string, max int) (*TargetPage, error) {
	const op = "org.ListTargetsForPolicy"
	o, _, err := s.policy(ctx, op, policyID)
	if err != nil {
		return nil, err
	}
	ids, next, err := page(op, "organizations.ListTargetsForPolicy/"+o.ID+"/"+policyID, token, max, DefaultMaxPolicies,
		func(id string) string { return id }, func(after string, n int) ([]string, error) {
			return s.st.R().OrgPolicyTargetsAfter(ctx, o.ID, policyID, after, n)
		})
	if err != nil {
		return nil, err
	}
	out := &TargetPage{NextToken: next}
	for _, id := range ids {
		t, err := s.target(ctx, op, o, id)
		if err != nil {
			return nil, err
		}
		out.Targets = append(out.Targets, t)
	}
	return out, nil
}

// Root returns the root of the caller's organization.
func (s *Service) Root(ctx context.Context) (*Target, error) {
	const op = "org.ListRoots"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	return s.target(ctx, op, o, o.RootID)
}

// DenyAccountInstancesPolicy is the service control policy AWS documents
// for letting only the allowed account create account instances, as AWS
// writes it.
func DenyAccountInstancesPolicy(allowed string) string {
	return `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyCreateAccountInstances",
            "Effect": "Deny",
            "Action": [
                "sso:CreateInstance"
            ],
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {
                    "aws:PrincipalAccount": ["` + allowed + `"]
                }
            }
        }
    ]
}`
}
