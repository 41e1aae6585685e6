package permset

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/store"
)

// Who may do what (AWS's table of administrative tasks), in this one place:
//   - the organization instance's permission sets and assignments belong to
//     the management account of its organization; member accounts are
//     refused (AccessDeniedException). The delegated administrator, when
//     idcenter has one, is to be admitted in allowed below.
//   - an account instance belongs to its owner account alone, and serves
//     permission sets only once UpdateInstance set PermissionSetsEnabled
//     (ValidationException before).
//
// An instance that does not exist and one the caller may not use get the
// same AccessDeniedException, so that instance ARNs cannot be probed.

// Messages AWS answers.
const (
	msgNotSupported = "The operation is not supported for this Identity Center instance"
	msgOrgOnly      = "This API method only works on IAM Identity Center instances of type ORGANIZATION"
)

// mode is what an operation does with an instance.
type mode int

const (
	read  mode = iota // reads permission sets or assignments
	write             // changes them (ConflictException when the instance is busy)
)

// allowed applies the table of administrative tasks. The delegated
// administrator is admitted to the organization instance here; what it may
// not touch (the management account's access) is refused by
// guardManagement.
func allowed(c *auth.Caller, in *store.Instance) bool {
	if in.Kind == instance.KindAccount {
		return c.AccountID == in.OwnerAccountID
	}
	return (c.Management || c.DelegatedAdmin) && c.OrgID != "" && c.OrgID == in.OrgID
}

// guardManagement refuses the delegated administrator what AWS keeps for
// the management account: changing a permission set provisioned in the
// management account, and assigning, unassigning or provisioning there.
// psArn or target may be "".
func (s *Service) guardManagement(ctx context.Context, name string, in *store.Instance, psArn, target string) error {
	c := auth.From(ctx)
	if c == nil || c.Management || !c.DelegatedAdmin || in.Kind != instance.KindOrganization {
		return nil
	}
	op := "permset." + name
	mgmt := in.OwnerAccountID
	if target == mgmt {
		return errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sso:%s on the management account %s: only the management account manages its own access", c.Arn, name, mgmt)
	}
	if psArn == "" {
		return nil
	}
	if _, err := s.st.R().ProvisionedIn(ctx, psArn, mgmt); err == nil {
		return errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sso:%s on resource: %s: the permission set is provisioned in the management account", c.Arn, name, psArn)
	} else if !errors.Is(err, store.ErrNotFound) {
		return errs.Wrap(op, err)
	}
	return nil
}

// open reads the instance arn for the operation name (its AWS name) and
// checks that the caller may use it in mode m.
func (s *Service) open(ctx context.Context, name, arn string, m mode) (*store.Instance, *auth.Caller, error) {
	op := "permset." + name
	c := auth.From(ctx)
	if c == nil {
		return nil, nil, errs.E(op, errs.Denied, "Missing authentication")
	}
	in, err := s.st.R().Instance(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || err == nil && !allowed(c, in) {
		return nil, nil, denied(op, c, name, arn)
	}
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	if in.Status != instance.StatusActive {
		if m == write {
			return nil, nil, errs.E(op, errs.Conflict, "The instance is "+in.Status)
		}
		return nil, nil, errs.E(op, errs.Invalid, "The instance is "+in.Status)
	}
	if in.Kind == instance.KindAccount && !in.PermissionSetsEnabled {
		return nil, nil, errs.E(op, errs.Invalid, msgNotSupported)
	}
	return in, c, nil
}

// denied is IAM's answer to a caller without permission.
func denied(op string, c *auth.Caller, name, resource string) error {
	return errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sso:%s on resource: %s", c.Arn, name, resource)
}

// permissionSet reads a permission set of instance in, or
// ResourceNotFoundException.
func permissionSet(ctx context.Context, q store.Q, op string, in *store.Instance, arn string) (*store.PermissionSet, error) {
	ps, err := q.PermissionSet(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || err == nil && ps.InstanceArn != in.Arn {
		return nil, psMissing(op, arn)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return ps, nil
}

func psMissing(op, arn string) error {
	return errs.E(op, errs.NotFound, "Could not find PermissionSet with id "+psID(arn))
}

// openSet opens the instance and reads one of its permission sets.
func (s *Service) openSet(ctx context.Context, name, instanceArn, psArn string, m mode) (*store.Instance, *store.PermissionSet, error) {
	in, _, err := s.open(ctx, name, instanceArn, m)
	if err != nil {
		return nil, nil, err
	}
	ps, err := permissionSet(ctx, s.st.R(), "permset."+name, in, psArn)
	if err == nil && m == write {
		err = s.guardManagement(ctx, name, in, psArn, "")
	}
	return in, ps, err
}
