// Package org manages organizations, accounts, IAM roles and access keys:
// the slice of AWS Organizations, IAM and STS that IAM Identity Center needs.
// It knows nothing of HTTP.
package org

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
)

// AccessRoleName is the role CreateAccount makes in every member account,
// which the management account assumes to reach it.
const AccessRoleName = "OrganizationAccountAccessRole"

// Service is the organizations domain.
type Service struct {
	st        *store.Store
	sealer    *secret.Sealer
	work      sync.WaitGroup // background work in flight
	scps      scpCache
	roots     sync.Map // organization id -> root id (never changes)
	delegated sync.Map // organization id -> *delegatedSet
}

// New returns the organizations domain over st.
func New(st *store.Store, sealer *secret.Sealer) *Service {
	return &Service{st: st, sealer: sealer}
}

// Key is an access key in clear, as handed to its owner once.
type Key struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expires         time.Time
	AccountID       string
	Arn             string
}

// RootArn is the ARN of an account's root user.
func RootArn(accountID string) string { return "arn:aws:iam::" + accountID + ":root" }

// First returns the first organization, or nil when there is none yet.
func (s *Service) First(ctx context.Context) (*store.Organization, error) {
	orgs, err := s.st.R().Organizations(ctx)
	if err != nil || len(orgs) == 0 {
		return nil, err
	}
	return orgs[0], nil
}

// CreateOrganization makes an organization with a new management account.
func (s *Service) CreateOrganization(ctx context.Context, name, email string) (*store.Organization, *store.Account, error) {
	acct := &store.Account{ID: ids.AccountID(), Name: name, Email: email, Status: "ACTIVE", JoinedMethod: "CREATED"}
	o := &store.Organization{ID: ids.OrganizationID(), RootID: ids.RootID(), FeatureSet: "ALL", AllowAccountInstances: true, ManagementAccountID: acct.ID}
	o.Arn = "arn:aws:organizations::" + acct.ID + ":organization/" + o.ID
	acct.OrgID, acct.ParentID = o.ID, o.RootID
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		o.Created, acct.Joined = tx.Now, tx.Now
		if err := tx.InsertOrganization(ctx, o); err != nil {
			return err
		}
		if err := tx.InsertAccount(ctx, acct); err != nil {
			return err
		}
		return insertFullAWSAccess(ctx, tx, o)
	})
	if err != nil {
		return nil, nil, errs.Wrap("org.CreateOrganization", err)
	}
	return o, acct, nil
}

// AccountArn is the ARN of an account in an organization.
func AccountArn(o *store.Organization, accountID string) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":account/" + o.ID + "/" + accountID
}

// CreateStandaloneAccount makes an account outside any organization.
func (s *Service) CreateStandaloneAccount(ctx context.Context, name, email string) (*store.Account, error) {
	acct := &store.Account{ID: ids.AccountID(), Name: name, Email: email, Status: "ACTIVE", JoinedMethod: "CREATED"}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		acct.Joined = tx.Now
		return tx.InsertAccount(ctx, acct)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, errs.Ef("org.CreateStandaloneAccount", errs.Conflict, "an account with email %s already exists", email)
	}
	if err != nil {
		return nil, errs.Wrap("org.CreateStandaloneAccount", err)
	}
	return acct, nil
}

// CreateMemberAccount makes an account in an organization together with its
// OrganizationAccountAccessRole, inside tx.
func (s *Service) CreateMemberAccount(ctx context.Context, tx *store.Tx, o *store.Organization, name, email string) (*store.Account, error) {
	return createMember(ctx, tx, o, name, email, AccessRoleName)
}

// createMember makes an account in o and the role the management account
// assumes to reach it, named roleName.
func createMember(ctx context.Context, tx *store.Tx, o *store.Organization, name, email, roleName string) (*store.Account, error) {
	acct := &store.Account{ID: ids.AccountID(), Name: name, Email: email, OrgID: o.ID, ParentID: o.RootID, Status: "ACTIVE", JoinedMethod: "CREATED", Joined: tx.Now}
	if err := tx.InsertAccount(ctx, acct); err != nil {
		return nil, err
	}
	// As in AWS, a new account gets FullAWSAccess directly attached.
	if err := tx.AttachOrgPolicy(ctx, o.ID, FullAWSAccessID, acct.ID, tx.Now); err != nil {
		return nil, err
	}
	role := &store.Role{AccountID: acct.ID, Name: roleName, RoleID: ids.PrincipalID("AROA"), Created: tx.Now,
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + o.ManagementAccountID + `:root"},"Action":"sts:AssumeRole"}]}`}
	if err := tx.InsertRole(ctx, role); err != nil {
		return nil, err
	}
	return acct, nil
}

// CreateAccessKey makes a long-term access key for an account's root user.
func (s *Service) CreateAccessKey(ctx context.Context, accountID string) (*Key, error) {
	var k *Key
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Account(ctx, accountID); err != nil {
			return err
		}
		var err error
		k, err = s.InsertKey(ctx, tx, accountID, RootArn(accountID), accountID, "AKIA", time.Time{})
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Ef("org.CreateAccessKey", errs.NotFound, "account %s does not exist", accountID)
	}
	if err != nil {
		return nil, errs.Wrap("org.CreateAccessKey", err)
	}
	return k, nil
}

// InsertKey stores a new key for a principal inside tx: long-term when
// expires is zero, else a temporary key with a session token.
func (s *Service) InsertKey(ctx context.Context, tx *store.Tx, accountID, arn, principalID, prefix string, expires time.Time) (*Key, error) {
	k := &Key{AccessKeyID: ids.AccessKeyID(prefix), SecretAccessKey: ids.SecretAccessKey(), AccountID: accountID, Arn: arn, Expires: expires}
	rec := &store.AccessKey{ID: k.AccessKeyID, AccountID: accountID, PrincipalArn: arn, PrincipalID: principalID, Expires: expires, Created: tx.Now,
		Secret: s.sealer.Seal([]byte(k.SecretAccessKey), []byte(k.AccessKeyID))}
	if !expires.IsZero() {
		k.SessionToken = "IQoJb3JpZ2luX2Vj" + ids.From("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 300)
		rec.SessionToken = s.sealer.Seal([]byte(k.SessionToken), []byte(k.AccessKeyID+"/token"))
	}
	if err := tx.InsertAccessKey(ctx, rec); err != nil {
		return nil, err
	}
	return k, nil
}

// RevealKey returns a stored key in clear (for the bootstrap profile).
func (s *Service) RevealKey(ctx context.Context, id string) (*Key, error) {
	rec, err := s.st.R().AccessKey(ctx, id)
	if err != nil {
		return nil, err
	}
	sec, err := s.sealer.Open(rec.Secret, []byte(rec.ID))
	if err != nil {
		return nil, err
	}
	return &Key{AccessKeyID: rec.ID, SecretAccessKey: string(sec), AccountID: rec.AccountID, Arn: rec.PrincipalArn, Expires: rec.Expires}, nil
}
