package org

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// DescribeOrganization returns the caller's organization and its management
// account. Any account of the organization may ask.
func (s *Service) DescribeOrganization(ctx context.Context) (*store.Organization, *store.Account, error) {
	const op = "org.DescribeOrganization"
	_, o, err := s.caller(ctx, op, anyMember)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.st.R().Account(ctx, o.ManagementAccountID)
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	return o, m, nil
}

// DescribeAccount returns an account of the caller's organization. Only the
// management account may ask; an account outside the organization is
// reported as missing.
func (s *Service) DescribeAccount(ctx context.Context, accountID string) (*store.Organization, *store.Account, error) {
	const op = "org.DescribeAccount"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.st.R().Account(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != o.ID {
		return nil, nil, errs.E(op, errs.NotFound, msgAccountNotFound).WithCode(CodeAccountNotFound)
	}
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	return o, a, nil
}

// Page is one page of accounts and the token of the next ("" at the end).
type Page struct {
	Org       *store.Organization
	Accounts  []*store.Account
	NextToken string
}

// DefaultMaxAccounts is the page size of ListAccounts when the caller gives
// none (the model's maximum).
const DefaultMaxAccounts = 20

// ListAccounts returns a page of the accounts of the caller's organization,
// in account id order, after the one token names. Only the management
// account may ask.
func (s *Service) ListAccounts(ctx context.Context, token string, max int) (*Page, error) {
	const op = "org.ListAccounts"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	list, next, err := page(op, "organizations.ListAccounts/"+o.ID, token, max, DefaultMaxAccounts,
		func(a *store.Account) string { return a.ID }, func(after string, n int) ([]*store.Account, error) {
			return s.st.R().AccountsAfter(ctx, o.ID, after, n)
		})
	if err != nil {
		return nil, err
	}
	return &Page{Org: o, Accounts: list, NextToken: next}, nil
}
