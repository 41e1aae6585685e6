package permset

import (
	"context"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Provision starts provisioning the current version of a permission set to
// one account where it is provisioned (TargetAccount) or to all of them
// (TargetAllAccounts), and returns its request, IN_PROGRESS.
func (s *Service) Provision(ctx context.Context, instanceArn, psArn, targetType, targetID string) (*store.PermSetRequest, error) {
	const op = "permset.Provision"
	if targetType == TargetAccount && targetID == "" {
		return nil, errs.E(op, errs.Invalid, "TargetId is required when TargetType is AWS_ACCOUNT")
	}
	if targetType == TargetAllAccounts {
		targetID = ""
	}
	in, ps, err := s.openSet(ctx, "ProvisionPermissionSet", instanceArn, psArn, write)
	if err != nil {
		return nil, err
	}
	if err := s.guardManagement(ctx, "ProvisionPermissionSet", in, "", targetID); err != nil {
		return nil, err
	}
	return s.enqueue(ctx, op, &store.PermSetRequest{InstanceArn: in.Arn, Kind: kindProvision, PermissionSetArn: ps.Arn, TargetType: targetType, AccountID: targetID})
}

// ProvisioningStatus returns a provisioning request.
func (s *Service) ProvisioningStatus(ctx context.Context, instanceArn, id string) (*store.PermSetRequest, error) {
	return s.describeRequest(ctx, "DescribePermissionSetProvisioningStatus", instanceArn, kindProvision, id)
}

// ProvisioningStatuses returns a page of an instance's provisioning
// requests in a status ("" for any) and the next token.
func (s *Service) ProvisioningStatuses(ctx context.Context, instanceArn, status, token string, max int) ([]*store.PermSetRequest, string, error) {
	return s.requests(ctx, "ListPermissionSetProvisioningStatus", instanceArn, kindProvision, status, token, max)
}

// statusFilter maps a ProvisioningStatus filter ("" for none) to the
// store's.
func statusFilter(status string) int {
	switch status {
	case Provisioned:
		return store.ProvisionedLatest
	case NotProvisioned:
		return store.ProvisionedOutdated
	}
	return store.ProvisionedAny
}

// AccountsFor returns a page of the accounts where a permission set is
// provisioned, filtered by provisioning status ("" for any), and the next
// token.
func (s *Service) AccountsFor(ctx context.Context, instanceArn, psArn, status, token string, max int) ([]string, string, error) {
	const op = "permset.AccountsFor"
	_, ps, err := s.openSet(ctx, "ListAccountsForProvisionedPermissionSet", instanceArn, psArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := "ListAccountsForProvisionedPermissionSet/" + ps.Arn + "/" + status
	after, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	max = pageSize(max)
	list, err := s.st.R().ProvisionedAccountsAfter(ctx, ps.Arn, ps.Version, statusFilter(status), after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x string) string { return x })
	return list, next, nil
}

// SetsProvisionedTo returns a page of the permission sets of an instance
// provisioned in an account, filtered by provisioning status ("" for any),
// and the next token.
func (s *Service) SetsProvisionedTo(ctx context.Context, instanceArn, accountID, status, token string, max int) ([]string, string, error) {
	const op = "permset.SetsProvisionedTo"
	in, _, err := s.open(ctx, "ListPermissionSetsProvisionedToAccount", instanceArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := "ListPermissionSetsProvisionedToAccount/" + in.Arn + "/" + accountID + "/" + status
	after, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	max = pageSize(max)
	list, err := s.st.R().ProvisionedToAccountAfter(ctx, in.Arn, accountID, statusFilter(status), after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x string) string { return x })
	return list, next, nil
}
