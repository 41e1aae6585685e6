package permset

import (
	"context"
	"errors"
	"fmt"

	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/store"
)

// finish does the work of requests, in order, in one transaction, and
// records each one's outcome: SUCCEEDED, or FAILED with the reason when the
// request cannot be carried out (nothing of it is then kept: every reason
// is found before the request writes anything). A request another worker
// finished first is skipped. The requests of one transaction share their
// instance's read and each permission set's lock, read and effective
// policies (txCache): a backlog costs fewer round trips per request than
// requests that come one by one.
func (s *Service) finish(ctx context.Context, reqs []*store.PermSetRequest) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		c := &txCache{instances: map[string]*store.Instance{}, sets: map[string]*lockedSet{}}
		for _, r := range reqs {
			if err := tx.ClaimPermSetRequest(ctx, r.RequestID, StatusInProgress, tx.Now); errors.Is(err, store.ErrNotFound) {
				continue // finished by another worker
			} else if err != nil {
				return err
			}
			reason, err := s.do(ctx, tx, c, r)
			if err != nil {
				return err
			}
			status := StatusSucceeded
			if reason != "" {
				status = StatusFailed
			}
			if err := tx.FinishPermSetRequest(ctx, r.RequestID, status, reason, tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
}

// do carries out one request and returns the reason it failed, if it did.
func (s *Service) do(ctx context.Context, tx *store.Tx, c *txCache, r *store.PermSetRequest) (string, error) {
	switch r.Kind {
	case kindCreate:
		return s.create(ctx, tx, c, r)
	case kindDelete:
		return remove(ctx, tx, c, r)
	case kindProvision:
		return reprovision(ctx, tx, c, r)
	}
	return "Unknown request kind " + r.Kind, nil
}

// txCache is what the requests of one transaction read once: instances
// (nil when not found), and the permission sets they locked. No request
// changes either (they change assignments and provisioning only).
type txCache struct {
	instances map[string]*store.Instance
	sets      map[string]*lockedSet
}

// lockedSet is a permission set locked for the rest of the transaction:
// ps, or the reason its requests fail when it no longer exists, and its
// effective policies once computed.
type lockedSet struct {
	ps     *store.PermissionSet
	reason string
	doc    string
}

// instance reads an instance, nil when it does not exist.
func (c *txCache) instance(ctx context.Context, tx *store.Tx, arn string) (*store.Instance, error) {
	if in, ok := c.instances[arn]; ok {
		return in, nil
	}
	in, err := tx.Instance(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		in, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.instances[arn] = in
	return in, nil
}

// set takes the lock of the request's permission set and reads it (once a
// transaction); l is nil when it no longer exists (then reason says so) or
// cannot be read (err).
func (c *txCache) set(ctx context.Context, tx *store.Tx, r *store.PermSetRequest) (l *lockedSet, reason string, err error) {
	l, ok := c.sets[r.PermissionSetArn]
	if !ok {
		l = &lockedSet{}
		if err := tx.LockPermissionSet(ctx, r.PermissionSetArn); errors.Is(err, store.ErrNotFound) {
			l.reason = notFound("Could not find PermissionSet with id %s.", psID(r.PermissionSetArn))
		} else if err != nil {
			return nil, "", err
		} else if l.ps, err = tx.PermissionSet(ctx, r.PermissionSetArn); err != nil {
			return nil, "", err
		}
		c.sets[r.PermissionSetArn] = l
	}
	if l.ps == nil {
		return nil, l.reason, nil
	}
	return l, "", nil
}

// effective returns the permission set's effective policies (read once a
// transaction).
func (l *lockedSet) effective(ctx context.Context, tx *store.Tx) (string, error) {
	if l.doc == "" {
		doc, err := effective(ctx, tx.Q, l.ps)
		if err != nil {
			return "", err
		}
		l.doc = doc
	}
	return l.doc, nil
}

// notFound words a failure the way AWS's provisioning reports them.
func notFound(format string, args ...any) string {
	return "Received a 404 status error: " + fmt.Sprintf(format, args...)
}

// create carries out an assignment creation: the principal must exist in
// the instance's identity store and the account must be one the instance
// serves; the assignment is stored and the permission set provisioned (its
// current version) in the account, unless that version is there already.
func (s *Service) create(ctx context.Context, tx *store.Tx, c *txCache, r *store.PermSetRequest) (string, error) {
	in, err := c.instance(ctx, tx, r.InstanceArn)
	if err != nil {
		return "", err
	}
	if in == nil {
		return notFound("Instance %s not found.", r.InstanceArn), nil
	}
	l, reason, err := c.set(ctx, tx, r)
	if l == nil {
		return reason, err
	}
	ps := l.ps
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
	if cur != nil && cur.Version == ps.Version {
		return "", nil // its role there holds this version's policies already
	}
	doc, err := l.effective(ctx, tx)
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
func remove(ctx context.Context, tx *store.Tx, c *txCache, r *store.PermSetRequest) (string, error) {
	l, reason, err := c.set(ctx, tx, r)
	if l == nil {
		return reason, err
	}
	ps := l.ps
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
func reprovision(ctx context.Context, tx *store.Tx, c *txCache, r *store.PermSetRequest) (string, error) {
	l, reason, err := c.set(ctx, tx, r)
	if l == nil {
		return reason, err
	}
	ps := l.ps
	doc, err := l.effective(ctx, tx)
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
