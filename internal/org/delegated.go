package org

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Delegated administration: the management account registers one member
// account as the delegated administrator of IAM Identity Center
// (sso.amazonaws.com), which may then do most of the administration the
// management account does (AWS's table of administrative tasks; the server
// marks its calls with auth.Caller.DelegatedAdmin, from
// DelegatedAdminCached).

// SSOServicePrincipal is IAM Identity Center's service principal.
const SSOServicePrincipal = "sso.amazonaws.com"

// maxDelegatedAdmins is how many delegated administrators a service takes:
// IAM Identity Center takes one.
var maxDelegatedAdmins = map[string]int{SSOServicePrincipal: 1}

// DelegatedAdmin is a registration with its account.
type DelegatedAdmin struct {
	Reg     *store.DelegatedAdmin
	Account *store.Account
	Org     *store.Organization
}

// RegisterDelegatedAdministrator registers a member account for a service.
func (s *Service) RegisterDelegatedAdministrator(ctx context.Context, accountID, principal string) error {
	const op = "org.RegisterDelegatedAdministrator"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return err
	}
	if accountID == o.ManagementAccountID {
		return errs.E(op, errs.Invalid, "You cannot register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations.").
			WithCode(codeConstraint).WithReason("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
	}
	a, err := s.st.R().Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != o.ID {
		return errs.E(op, errs.NotFound, msgAccountNotFound).WithCode(CodeAccountNotFound)
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if max, ok := maxDelegatedAdmins[principal]; ok {
			regs, err := tx.DelegatedAdmins(ctx, o.ID, principal)
			if err != nil {
				return err
			}
			for _, r := range regs {
				if r.AccountID == accountID {
					return store.ErrAlreadyExists
				}
			}
			if len(regs) >= max {
				return errs.E(op, errs.Invalid, "You have exceeded the maximum number of delegated administrators allowed for this service.").
					WithCode(codeConstraint).WithReason("MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED")
			}
		}
		return tx.InsertDelegatedAdmin(ctx, &store.DelegatedAdmin{OrgID: o.ID, AccountID: accountID, ServicePrincipal: principal, Enabled: tx.Now})
	})
	s.delegated.Delete(o.ID)
	if errors.Is(err, store.ErrAlreadyExists) {
		return errs.E(op, errs.Conflict, "The provided account is already a delegated administrator for your organization.").WithCode("AccountAlreadyRegisteredException")
	}
	return errs.Wrap(op, err)
}

// DeregisterDelegatedAdministrator removes a registration.
func (s *Service) DeregisterDelegatedAdministrator(ctx context.Context, accountID, principal string) error {
	const op = "org.DeregisterDelegatedAdministrator"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return err
	}
	a, err := s.st.R().Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != o.ID {
		return errs.E(op, errs.NotFound, msgAccountNotFound).WithCode(CodeAccountNotFound)
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error { return tx.DeleteDelegatedAdmin(ctx, o.ID, accountID, principal) })
	s.delegated.Delete(o.ID)
	if errors.Is(err, store.ErrNotFound) {
		return errs.E(op, errs.NotFound, "The provided account is not a registered delegated administrator for your organization.").WithCode("AccountNotRegisteredException")
	}
	return errs.Wrap(op, err)
}

// ListDelegatedAdministrators lists the delegated administrators, of one
// service principal or ("") of any. The management account and, as in AWS,
// delegated administrators may ask.
func (s *Service) ListDelegatedAdministrators(ctx context.Context, principal string) ([]DelegatedAdmin, error) {
	const op = "org.ListDelegatedAdministrators"
	c, o, err := s.caller(ctx, op, anyMember)
	if err != nil {
		return nil, err
	}
	regs, err := s.st.R().DelegatedAdmins(ctx, o.ID, "")
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if !c.Management && !slices.ContainsFunc(regs, func(r *store.DelegatedAdmin) bool { return r.AccountID == c.AccountID }) {
		return nil, errs.E(op, errs.Denied, msgDenied)
	}
	var out []DelegatedAdmin
	seen := map[string]bool{}
	for _, r := range regs {
		if principal != "" && r.ServicePrincipal != principal || seen[r.AccountID] {
			continue // one entry per account when listing every service
		}
		seen[r.AccountID] = true
		a, err := s.st.R().Account(ctx, r.AccountID)
		if err != nil {
			return nil, errs.Wrap(op, err)
		}
		out = append(out, DelegatedAdmin{Reg: r, Account: a, Org: o})
	}
	return out, nil
}

// ListDelegatedServicesForAccount lists the services an account is the
// delegated administrator of.
func (s *Service) ListDelegatedServicesForAccount(ctx context.Context, accountID string) ([]*store.DelegatedAdmin, error) {
	const op = "org.ListDelegatedServicesForAccount"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	a, err := s.st.R().Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != o.ID {
		return nil, errs.E(op, errs.NotFound, msgAccountNotFound).WithCode(CodeAccountNotFound)
	}
	regs, err := s.st.R().DelegatedAdmins(ctx, o.ID, "")
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	var out []*store.DelegatedAdmin
	for _, r := range regs {
		if r.AccountID == accountID {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, errs.E(op, errs.NotFound, "The provided account is not a registered delegated administrator for your organization.").WithCode("AccountNotRegisteredException")
	}
	return out, nil
}

// delegatedTTL bounds how long a replica trusts its copy of who is
// delegated administrator; registrations through this replica apply at once.
const delegatedTTL = 2 * time.Second

type delegatedSet struct {
	loaded   time.Time
	accounts map[string]bool
}

// DelegatedAdminCached reports whether an account is IAM Identity Center's
// delegated administrator in its organization, from a short-lived cache:
// the server asks on every call of a member account.
func (s *Service) DelegatedAdminCached(ctx context.Context, orgID, accountID string) (bool, error) {
	if v, ok := s.delegated.Load(orgID); ok {
		if d := v.(*delegatedSet); time.Since(d.loaded) < delegatedTTL {
			return d.accounts[accountID], nil
		}
	}
	regs, err := s.st.R().DelegatedAdmins(ctx, orgID, SSOServicePrincipal)
	if err != nil {
		return false, errs.Wrap("org.DelegatedAdmin", err)
	}
	d := &delegatedSet{loaded: time.Now(), accounts: map[string]bool{}}
	for _, r := range regs {
		d.accounts[r.AccountID] = true
	}
	s.delegated.Store(orgID, d)
	return d.accounts[accountID], nil
}
