// Package directory is the identity store of each IAM Identity Center
// instance: users, groups and memberships, with AWS's rules for uniqueness
// and for who may read or change them. Its vocabulary is the Identity Store
// API's own types (internal/model/identitystore); it knows nothing of HTTP.
//
// Who may do what (AWS's table of administrative tasks): any account of the
// organization reads the organization instance's users, groups and
// memberships; only the management account changes them; an account
// instance's identity store belongs to its own account alone. Everyone else
// gets AccessDeniedException, whether or not the store exists, so that
// identity store ids cannot be probed.
package directory

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/instance"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/store"
)

// Service is the identity stores domain.
type Service struct {
	st        *store.Store
	instances *instance.Service // finds (and caches) the instance of a store
}

// New returns the identity stores domain over st.
func New(st *store.Store, instances *instance.Service) *Service {
	return &Service{st: st, instances: instances}
}

// mode is what a caller wants to do with a store.
type mode int

const (
	read mode = iota
	write
)

// open returns the instance whose identity store the caller may use in the
// given mode for operation op, or AccessDeniedException.
func (s *Service) open(ctx context.Context, op, storeID string, m mode) (*store.Instance, *auth.Caller, error) {
	c := auth.From(ctx)
	if c == nil {
		return nil, nil, errs.E(op, errs.Denied, "Missing caller")
	}
	in, err := s.instance(ctx, storeID)
	if err != nil {
		return nil, nil, err
	}
	if in != nil && allowed(c, in, m) {
		if in.Status != "ACTIVE" {
			return nil, nil, errs.Missing(op, "IDENTITY_STORE", storeID, "IDENTITY_STORE not found.")
		}
		return in, c, nil
	}
	owner := c.AccountID
	if in != nil {
		owner = in.OwnerAccountID
	}
	return nil, nil, errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: identitystore:%s on resource: arn:aws:identitystore::%s:identitystore/%s",
		c.Arn, op, owner, storeID)
}

// allowed applies the table of administrative tasks.
func allowed(c *auth.Caller, in *store.Instance, m mode) bool {
	if in.Kind == "ACCOUNT" {
		return c.AccountID == in.OwnerAccountID
	}
	if c.OrgID == "" || c.OrgID != in.OrgID {
		return false
	}
	return m == read || c.Management || c.DelegatedAdmin
}

// instance returns the instance of an identity store, or nil when none.
func (s *Service) instance(ctx context.Context, storeID string) (*store.Instance, error) {
	in, err := s.instances.ByStore(ctx, storeID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return in, err
}

// key folds a unique attribute for comparison: AWS treats user names, emails
// and group display names case-insensitively.
func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// reserved are names no user or group may take.
var reserved = map[string]bool{"administrator": true, "awsadministrators": true}

func notFound(op, typ, id string) error {
	return errs.Missing(op, typ, id, typ+" not found.")
}

// remove runs del, which deletes the resource id of kind typ (USER, GROUP,
// GROUP_MEMBERSHIP) from a store, in a Write: ResourceNotFoundException
// when it does not exist.
func (s *Service) remove(ctx context.Context, op, storeID, typ, id string, del func(tx *store.Tx) error) error {
	if _, _, err := s.open(ctx, op, storeID, write); err != nil {
		return err
	}
	err := s.st.Write(ctx, del)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(op, typ, id)
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	return nil
}

// idOf finds the id of a user or group (kind store.KindUser or
// store.KindGroup) by its alternate identifier: an external id, or a unique
// attribute, which byAttribute looks up by its lower-cased path and folded
// value (refusing the paths it does not know).
func (s *Service) idOf(ctx context.Context, op, storeID, kind string, alt *m.AlternateIdentifier,
	byAttribute func(q store.Q, path, value string) (string, error)) (string, error) {
	if _, _, err := s.open(ctx, op, storeID, read); err != nil {
		return "", err
	}
	q := s.st.R()
	var id string
	var err error
	if alt.ExternalId != nil {
		id, err = q.ResourceByExternalID(ctx, storeID, kind, store.ExternalID{Issuer: *alt.ExternalId.Issuer, ID: *alt.ExternalId.Id})
	} else {
		var v string
		if v, err = attributeString(op, alt.UniqueAttribute); err != nil {
			return "", err
		}
		id, err = byAttribute(q, strings.ToLower(*alt.UniqueAttribute.AttributePath), key(v))
	}
	if errors.Is(err, store.ErrNotFound) {
		return "", errs.Missing(op, kind, "", kind+" not found.")
	}
	if err != nil {
		return "", errs.Wrap(op, err)
	}
	return id, nil
}

func conflict(op, msg string) error {
	return errs.E(op, errs.Conflict, msg).WithReason("UNIQUENESS_CONSTRAINT_VIOLATION")
}

// storeErr maps store failures in a write to domain errors.
func storeErr(op string, err error, dup string) error {
	var ce *store.ConstraintError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return conflict(op, dup)
	case errors.Is(err, store.ErrNotFound):
		return errs.E(op, errs.NotFound, "Resource not found.")
	}
	return errs.Wrap(op, err)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
