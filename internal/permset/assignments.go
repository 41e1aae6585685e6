package permset

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Assignment names an account assignment: a principal of the instance's
// identity store, an account and a permission set.
type Assignment struct {
	InstanceArn      string
	TargetID         string // the account
	TargetType       string // AWS_ACCOUNT
	PermissionSetArn string
	PrincipalType    string // USER or GROUP
	PrincipalID      string
}

// CreateAssignment starts creating an account assignment and returns its
// request, IN_PROGRESS. Background work then checks the principal and the
// account (FAILED with a FailureReason when they do not qualify), stores the
// assignment and provisions the permission set in the account.
func (s *Service) CreateAssignment(ctx context.Context, a Assignment) (*store.PermSetRequest, error) {
	const op = "permset.CreateAssignment"
	in, ps, err := s.openSet(ctx, "CreateAccountAssignment", a.InstanceArn, a.PermissionSetArn, write)
	if err != nil {
		return nil, err
	}
	if err := s.guardManagement(ctx, "CreateAccountAssignment", in, "", a.TargetID); err != nil {
		return nil, err
	}
	if err := s.checkProvisionQuota(ctx, op, ps, a.TargetID); err != nil {
		return nil, err
	}
	return s.enqueue(ctx, op, &store.PermSetRequest{InstanceArn: in.Arn, Kind: kindCreate, PermissionSetArn: ps.Arn, TargetType: a.TargetType,
		AccountID: a.TargetID, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID})
}

// checkProvisionQuota refuses an assignment that would provision one
// permission set too many in an account.
func (s *Service) checkProvisionQuota(ctx context.Context, op string, ps *store.PermissionSet, accountID string) error {
	q := s.st.R()
	_, err := q.ProvisionedIn(ctx, ps.Arn, accountID)
	if err == nil {
		return nil // provisioned there already
	}
	if !errors.Is(err, store.ErrNotFound) {
		return errs.Wrap(op, err)
	}
	n, err := q.CountProvisionedToAccount(ctx, accountID)
	if err != nil {
		return errs.Wrap(op, err)
	}
	if limit := s.limit().ProvisionedPerAccount; n >= limit {
		return errs.Ef(op, errs.Quota, "You have exceeded AWS SSO limits. Cannot provision more than %d permission sets in account %s. Please refer to https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html", limit, accountID)
	}
	return nil
}

// DeleteAssignment starts deleting an account assignment and returns its
// request, IN_PROGRESS. When the last assignment of the permission set in
// the account goes, its role there goes too.
func (s *Service) DeleteAssignment(ctx context.Context, a Assignment) (*store.PermSetRequest, error) {
	in, ps, err := s.openSet(ctx, "DeleteAccountAssignment", a.InstanceArn, a.PermissionSetArn, write)
	if err != nil {
		return nil, err
	}
	if err := s.guardManagement(ctx, "DeleteAccountAssignment", in, "", a.TargetID); err != nil {
		return nil, err
	}
	return s.enqueue(ctx, "permset.DeleteAssignment", &store.PermSetRequest{InstanceArn: in.Arn, Kind: kindDelete, PermissionSetArn: ps.Arn,
		TargetType: a.TargetType, AccountID: a.TargetID, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID})
}

// CreationStatus returns an assignment creation request.
func (s *Service) CreationStatus(ctx context.Context, instanceArn, id string) (*store.PermSetRequest, error) {
	return s.describeRequest(ctx, "DescribeAccountAssignmentCreationStatus", instanceArn, kindCreate, id)
}

// DeletionStatus returns an assignment deletion request.
func (s *Service) DeletionStatus(ctx context.Context, instanceArn, id string) (*store.PermSetRequest, error) {
	return s.describeRequest(ctx, "DescribeAccountAssignmentDeletionStatus", instanceArn, kindDelete, id)
}

func (s *Service) describeRequest(ctx context.Context, name, instanceArn, kind, id string) (*store.PermSetRequest, error) {
	in, _, err := s.open(ctx, name, instanceArn, read)
	if err != nil {
		return nil, err
	}
	return s.request(ctx, "permset."+name, in, kind, id)
}

// CreationStatuses returns a page of an instance's assignment creation
// requests in a status ("" for any) and the next token.
func (s *Service) CreationStatuses(ctx context.Context, instanceArn, status, token string, max int) ([]*store.PermSetRequest, string, error) {
	return s.requests(ctx, "ListAccountAssignmentCreationStatus", instanceArn, kindCreate, status, token, max)
}

// DeletionStatuses returns a page of an instance's assignment deletion
// requests in a status ("" for any) and the next token.
func (s *Service) DeletionStatuses(ctx context.Context, instanceArn, status, token string, max int) ([]*store.PermSetRequest, string, error) {
	return s.requests(ctx, "ListAccountAssignmentDeletionStatus", instanceArn, kindDelete, status, token, max)
}

// Assignments returns a page of the assignments of a permission set in an
// account and the next token.
func (s *Service) Assignments(ctx context.Context, instanceArn, accountID, psArn, token string, max int) ([]*store.Assignment, string, error) {
	const op = "permset.Assignments"
	_, ps, err := s.openSet(ctx, "ListAccountAssignments", instanceArn, psArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := "ListAccountAssignments/" + ps.Arn + "/" + accountID
	key, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	afterType, afterID, _ := strings.Cut(key, "/")
	max = pageSize(max)
	list, err := s.st.R().AssignmentsAfter(ctx, ps.Arn, accountID, afterType, afterID, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x *store.Assignment) string { return x.PrincipalType + "/" + x.PrincipalID })
	return list, next, nil
}

// AccessOf returns a page of what a principal reaches in an organization
// instance, and the next token: each (account, permission set) once, with
// the principal whose assignment gives it (a user reaches its own
// assignments and those of its groups). accountID, when not "", keeps one
// account.
func (s *Service) AccessOf(ctx context.Context, instanceArn, principalType, principalID, accountID, token string, max int) ([]*store.PrincipalAccess, string, error) {
	const op = "permset.AccessOf"
	in, _, err := s.open(ctx, "ListAccountAssignmentsForPrincipal", instanceArn, read)
	if err != nil {
		return nil, "", err
	}
	if in.Kind != instance.KindOrganization {
		return nil, "", errs.E(op, errs.Invalid, msgOrgOnly)
	}
	scope := "ListAccountAssignmentsForPrincipal/" + in.Arn + "/" + principalType + "/" + principalID + "/" + accountID
	key, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	afterAccount, afterPS, _ := strings.Cut(key, "/")
	max = pageSize(max)
	list, err := s.st.R().AccessOf(ctx, in.Arn, in.IdentityStoreID, principalType, principalID, accountID, afterAccount, afterPS, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x *store.PrincipalAccess) string { return x.AccountID + "/" + x.PermissionSetArn })
	return list, next, nil
}
