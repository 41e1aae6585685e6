package org

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// The AWS error codes of the organizations API that the kinds alone do not
// name.
const (
	CodeNotInUse               = "AWSOrganizationsNotInUseException"
	CodeAccountNotFound        = "AccountNotFoundException"
	CodeCreateStatusNotFound   = "CreateAccountStatusNotFoundException"
	CodeInvalidInput           = "InvalidInputException"
	msgDenied                  = "You don't have permissions to access this resource."
	msgNotInUse                = "Your account is not a member of an organization."
	msgAccountNotFound         = "You specified an account that doesn't exist."
	msgCreateStatusNotFound    = "We can't find a create account request with the CreateAccountRequestId that you specified."
	reasonInvalidNextToken     = "INVALID_NEXT_TOKEN"
	msgInvalidNextToken        = "The parameter NextToken is not valid."
	failureEmailAlreadyExists  = "EMAIL_ALREADY_EXISTS"
	failureInternal            = "INTERNAL_FAILURE"
	createAccountStateProgress = "IN_PROGRESS"
)

// who says which callers an operation admits.
type who int

const (
	anyMember      who = iota // any account of an organization
	managementOnly            // the management account only
)

// caller checks that the caller of ctx may run op and returns it with its
// organization. Standalone accounts get AWSOrganizationsNotInUseException;
// members calling a management-only operation get AccessDeniedException.
func (s *Service) caller(ctx context.Context, op string, w who) (*auth.Caller, *store.Organization, error) {
	c := auth.From(ctx)
	if c == nil {
		return nil, nil, errs.E(op, errs.Denied, msgDenied)
	}
	if c.OrgID == "" {
		return nil, nil, errs.E(op, errs.Denied, msgNotInUse).WithCode(CodeNotInUse)
	}
	if w == managementOnly && !c.Management {
		return nil, nil, errs.E(op, errs.Denied, msgDenied)
	}
	o, err := s.st.R().Organization(ctx, c.OrgID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errs.E(op, errs.Denied, msgNotInUse).WithCode(CodeNotInUse)
	}
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	return c, o, nil
}
