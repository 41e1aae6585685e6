package instance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// DefaultRegion is the Region of a caller whose request named none.
const DefaultRegion = "us-east-1"

// Create creates an account instance for the caller's account in the Region
// the request was signed for (its primary Region). The instance starts in
// CREATE_IN_PROGRESS; background work makes it ACTIVE shortly after.
//
// AWS's rules: the management account of an organization may not create one
// (its instance is the organization instance, enabled by an administrator);
// a member account may only while its organization allows account
// instances; an account holds at most one account instance, whatever the
// Region. A repeated clientToken with the same name and tags returns the
// instance the first call created.
func (s *Service) Create(ctx context.Context, name, clientToken string, tags []store.Tag) (*store.Instance, error) {
	const op = "instance.Create"
	c, err := caller(ctx, op)
	if err != nil {
		return nil, err
	}
	if c.Management {
		return nil, errs.E(op, errs.Invalid, "Organization management account is not allowed to perform the operation.")
	}
	if err := checkTags(op, tags); err != nil {
		return nil, err
	}
	if c.OrgID != "" {
		o, err := s.st.R().Organization(ctx, c.OrgID)
		if err != nil {
			return nil, errs.Wrap(op, err)
		}
		if !o.AllowAccountInstances {
			return nil, errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sso:CreateInstance because the organization %s does not allow member accounts to create account instances of IAM Identity Center", c.Arn, o.ID)
		}
	}
	region := c.Region
	if region == "" {
		region = DefaultRegion
	}
	in := &store.Instance{Arn: Arn(ids.InstanceID()), IdentityStoreID: ids.IdentityStoreID(), OwnerAccountID: c.AccountID, OrgID: c.OrgID,
		Kind: KindAccount, Name: name, Status: StatusCreating, Region: region}
	scope, hash := "sso:CreateInstance/"+c.AccountID, requestHash(name, tags)
	var found *store.Instance
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		found = nil
		if clientToken != "" {
			prev, err := s.replay(ctx, tx, scope, clientToken, hash)
			if err != nil || prev != nil {
				found = prev
				return err
			}
		}
		if old, err := tx.AccountInstance(ctx, c.AccountID); err == nil {
			return errs.Ef(op, errs.Conflict, "Account %s already has an account instance of IAM Identity Center (%s, in %s); an account may have only one", c.AccountID, old.Arn, old.Region)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		in.Created, in.Updated = tx.Now, tx.Now
		if err := tx.InsertInstance(ctx, in); err != nil {
			return err
		}
		if err := tx.PutRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: region, Status: RegionActive, Primary: true, Added: tx.Now}); err != nil {
			return err
		}
		for _, t := range tags {
			if err := tx.PutTag(ctx, in.Arn, t); err != nil {
				return err
			}
		}
		if clientToken != "" {
			return tx.InsertClientToken(ctx, &store.ClientToken{Scope: scope, Token: clientToken, RequestHash: hash, Resource: in.Arn, Created: tx.Now})
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		return nil, errs.Ef(op, errs.Conflict, "Account %s already has an account instance of IAM Identity Center; an account may have only one", c.AccountID)
	case err != nil:
		return nil, errs.Wrap(op, err)
	case found != nil:
		return found, nil
	}
	s.kick()
	return in, nil
}

// replay returns the instance an earlier request with the same client token
// created, nil if there was none (or it is gone), or a Conflict when the
// token came with other parameters.
func (s *Service) replay(ctx context.Context, tx *store.Tx, scope, token, hash string) (*store.Instance, error) {
	t, err := tx.ClientTokenOf(ctx, scope, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.RequestHash != hash {
		return nil, errs.E("instance.Create", errs.Conflict, "The ClientToken was already used with different parameters")
	}
	in, err := tx.Instance(ctx, t.Resource)
	if errors.Is(err, store.ErrNotFound) {
		return nil, tx.DeleteClientTokens(ctx, t.Resource)
	}
	return in, err
}

// requestHash digests the parameters a client token is bound to.
func requestHash(name string, tags []store.Tag) string {
	h := sha256.New()
	h.Write([]byte(name))
	for _, t := range tags {
		h.Write([]byte{0})
		h.Write([]byte(t.Key))
		h.Write([]byte{0})
		h.Write([]byte(t.Value))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Delete starts deleting an instance the caller owns: it turns
// DELETE_IN_PROGRESS, and background work removes it with its whole
// identity store. Deleting an instance already being deleted does nothing.
func (s *Service) Delete(ctx context.Context, arn string) error {
	const op = "instance.Delete"
	in, _, err := s.open(ctx, "DeleteInstance", arn)
	if err != nil {
		return err
	}
	if in.Status == StatusDeleting {
		return nil
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		return tx.SetInstanceStatus(ctx, arn, in.Status, StatusDeleting, "", tx.Now)
	})
	if errors.Is(err, store.ErrNotFound) {
		return errs.E(op, errs.Conflict, "The instance changed status while it was being deleted; retry")
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	s.cache.forget(in.IdentityStoreID)
	s.kick()
	return nil
}

// checkTags applies AWS's tag rules beyond the model's: keys are unique in
// one request and the aws: prefix is reserved.
func checkTags(op string, tags []store.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errs.E(op, errs.Invalid, "Tag keys starting with aws: are reserved for AWS use")
		}
		if seen[t.Key] {
			return errs.Ef(op, errs.Invalid, "Duplicate tag key %s", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}
