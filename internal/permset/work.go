package permset

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/store"
)

// errTaken reports a request another worker finished first.
var errTaken = errors.New("permset: request already finished")

// finish does the work of one request and records its outcome, in one
// transaction: SUCCEEDED, or FAILED with the reason when the request
// cannot be carried out (nothing of it is then kept).
func (s *Service) finish(ctx context.Context, r *store.PermSetRequest) error {
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ClaimPermSetRequest(ctx, r.RequestID, StatusInProgress, tx.Now); errors.Is(err, store.ErrNotFound) {
			return errTaken
		} else if err != nil {
			return err
		}
		var reason string
		var err error
		switch r.Kind {
		case kindCreate:
			reason, err = s.create(ctx, tx, r)
		case kindDelete:
			reason, err = remove(ctx, tx, r)
		case kindProvision:
			reason, err = reprovision(ctx, tx, r)
		default:
			reason = "Unknown request kind " + r.Kind
		}
		if err != nil {
			return err
		}
		status := StatusSucceeded
		if reason != "" {
			status = StatusFailed
		}
		return tx.FinishPermSetRequest(ctx, r.RequestID, status, reason, tx.Now)
	})
	if errors.Is(err, errTaken) {
		return nil
	}
	return err
}

// notFound words a failure the way AWS's provisioning reports them.
func notFound(format string, args ...any) string {
	return "Received a 404 status error: " + fmt.Sprintf(format, args...)
}

// lockedSet takes the lock of the request's permission set and reads it;
// reason is set when it no longer exists.
func lockedSet(ctx context.Context, tx *store.Tx, r *store.PermSetRequest) (ps *store.PermissionSet, reason string, err error) {
	if err := tx.LockPermissionSet(ctx, r.PermissionSetArn); errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Could not find PermissionSet with id %s.", psID(r.PermissionSetArn)), nil
	} else if err != nil {
		return nil, "", err
	}
	ps, err = tx.PermissionSet(ctx, r.PermissionSetArn)
	return ps, "", err
}

// create carries out an assignment creation: the principal must exist in
// the instance's identity store and the account must be one the instance
// serves; the assignment is stored and the permission set provisioned (its
// current version) in the account.
func (s *Service) create(ctx context.Context, tx *store.Tx, r *store.PermSetRequest) (string, error) {
	in, err := tx.Instance(ctx, r.InstanceArn)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("Instance %s not found.", r.InstanceArn), nil
	} else if err != nil {
		return "", err
	}
	ps, reason, err := lockedSet(ctx, tx, r)
	if ps == nil {
		return reason, err
	}
	if reason, err := principalExists(ctx, tx, in, r.PrincipalType, r.PrincipalID); reason != "" || err != nil {
		return reason, err
	}
	if reason, err := accountServed(ctx, tx, in, r.AccountID); reason != "" || err != nil {
		return reason, err
	}
	cur, err := tx.ProvisionedIn(ctx, ps.Arn, r.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		cur = nil
		n, err := tx.CountProvisionedToAccount(ctx, r.AccountID)
		if err != nil {
			return "", err
		}
		if limit := s.limit().ProvisionedPerAccount; n >= limit {
			return fmt.Sprintf("You have exceeded AWS SSO limits. Cannot provision more than %d permission sets in account %s.", limit, r.AccountID), nil
		}
	} else if err != nil {
		return "", err
	}
	if _, err := tx.InsertAssignment(ctx, &store.Assignment{PermissionSetArn: ps.Arn, AccountID: r.AccountID, PrincipalType: r.PrincipalType,
		PrincipalID: r.PrincipalID, InstanceArn: in.Arn, Created: tx.Now}); err != nil {
		return "", err
	}
	doc, err := effective(ctx, tx.Q, ps)
	if err != nil {
		return "", err
	}
	return "", provision(ctx, tx, ps, r.AccountID, cur, doc)
}

// principalExists checks that a user or group is in the instance's
// identity store.
func principalExists(ctx context.Context, tx *store.Tx, in *store.Instance, typ, id string) (string, error) {
	var err error
	if typ == PrincipalUser {
		_, err = tx.User(ctx, in.IdentityStoreID, id)
	} else {
		_, err = tx.Group(ctx, in.IdentityStoreID, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		return notFound("Principal %s of type %s not found in identity store %s.", id, typ, in.IdentityStoreID), nil
	}
	return "", err
}

// accountServed checks that an account is one the instance gives access
// to: an active account of its organization, or the owner account of an
// account instance.
func accountServed(ctx context.Context, tx *store.Tx, in *store.Instance, accountID string) (string, error) {
	if in.Kind == instance.KindAccount {
		if accountID != in.OwnerAccountID {
			return fmt.Sprintf("Account %s is not the account of this account instance of IAM Identity Center (%s).", accountID, in.OwnerAccountID), nil
		}
		return "", nil
	}
	acct, err := tx.Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && acct.OrgID != in.OrgID {
		return notFound("Account %s not found in organization %s.", accountID, in.OrgID), nil
	}
	if err != nil {
		return "", err
	}
	if acct.Status != "ACTIVE" {
		return fmt.Sprintf("Account %s is %s.", accountID, acct.Status), nil
	}
	return "", nil
}

// remove carries out an assignment deletion; the permission set's role in
// the account goes with its last assignment there.
func remove(ctx context.Context, tx *store.Tx, r *store.PermSetRequest) (string, error) {
	ps, reason, err := lockedSet(ctx, tx, r)
	if ps == nil {
		return reason, err
	}
	if err := tx.DeleteAssignment(ctx, ps.Arn, r.AccountID, r.PrincipalType, r.PrincipalID); errors.Is(err, store.ErrNotFound) {
		return notFound("Assignment not found."), nil
	} else if err != nil {
		return "", err
	}
	left, err := tx.CountAssignments(ctx, ps.Arn, r.AccountID)
	if err != nil || left > 0 {
		return "", err
	}
	return "", deprovision(ctx, tx, ps.Arn, r.AccountID)
}

// reprovision carries out ProvisionPermissionSet: the current version goes
// to the target account, which must have the permission set provisioned,
// or to every account that has an older version.
func reprovision(ctx context.Context, tx *store.Tx, r *store.PermSetRequest) (string, error) {
	ps, reason, err := lockedSet(ctx, tx, r)
	if ps == nil {
		return reason, err
	}
	doc, err := effective(ctx, tx.Q, ps)
	if err != nil {
		return "", err
	}
	if r.TargetType == TargetAccount {
		cur, err := tx.ProvisionedIn(ctx, ps.Arn, r.AccountID)
		if errors.Is(err, store.ErrNotFound) {
			return notFound("Permission set provision not found in AWS account %s.", r.AccountID), nil
		} else if err != nil {
			return "", err
		}
		return "", provision(ctx, tx, ps, r.AccountID, cur, doc)
	}
	after := ""
	for {
		accounts, err := tx.ProvisionedAccountsAfter(ctx, ps.Arn, ps.Version, store.ProvisionedOutdated, after, 500)
		if err != nil || len(accounts) == 0 {
			return "", err
		}
		for _, a := range accounts {
			cur, err := tx.ProvisionedIn(ctx, ps.Arn, a)
			if err != nil {
				return "", err
			}
			if err := provision(ctx, tx, ps, a, cur, doc); err != nil {
				return "", err
			}
		}
		after = accounts[len(accounts)-1]
	}
}
