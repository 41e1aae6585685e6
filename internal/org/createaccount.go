package org

import (
	"context"
	"errors"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// The states of a CreateAccount request.
const (
	StateInProgress = createAccountStateProgress
	StateSucceeded  = "SUCCEEDED"
	StateFailed     = "FAILED"
)

// staleAfter is how long a request may stay IN_PROGRESS before whoever reads
// it does the work itself: the process that accepted it may have stopped
// before finishing (the work is durable, so nothing is lost either way).
const staleAfter = 5 * time.Second

// errFinished stops a completion whose request another worker finished.
var errFinished = errors.New("org: create account request already finished")

// CreateAccount accepts a request for a new member account in the caller's
// organization (management account only), records it durably IN_PROGRESS and
// finishes it in the background: SUCCEEDED with the new account's id, or
// FAILED with a reason such as EMAIL_ALREADY_EXISTS. roleName ("" for
// OrganizationAccountAccessRole) is the role the management account will
// assume in the new account.
func (s *Service) CreateAccount(ctx context.Context, name, email, roleName string) (*store.CreateAccountRequest, error) {
	r, err := s.RequestAccount(ctx, name, email, roleName)
	if err != nil {
		return nil, err
	}
	s.background(func(ctx context.Context) { s.CompleteCreateAccount(ctx, r.ID) })
	return r, nil
}

// RequestAccount records a CreateAccount request and its pending work, as
// CreateAccount does, without starting the work.
func (s *Service) RequestAccount(ctx context.Context, name, email, roleName string) (*store.CreateAccountRequest, error) {
	const op = "org.CreateAccount"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	if roleName == "" {
		roleName = AccessRoleName
	}
	r := &store.CreateAccountRequest{ID: ids.CreateAccountRequestID(), OrgID: o.ID, AccountName: name, State: StateInProgress}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		r.Requested = tx.Now
		if err := tx.InsertCreateAccountRequest(ctx, r); err != nil {
			return err
		}
		return tx.InsertCreateAccountJob(ctx, &store.CreateAccountJob{RequestID: r.ID, Email: email, RoleName: roleName, Created: tx.Now})
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return r, nil
}

// CompleteCreateAccount does the work of an IN_PROGRESS request: it makes
// the account, or records why it cannot. A request already finished (by this
// or another replica) is left as it is. It is safe to run concurrently.
func (s *Service) CompleteCreateAccount(ctx context.Context, id string) error {
	const op = "org.CompleteCreateAccount"
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		r, err := tx.CreateAccountRequest(ctx, id)
		if err != nil {
			return err
		}
		if r.State != StateInProgress {
			return errFinished
		}
		r.Completed = tx.Now
		j, err := tx.CreateAccountJob(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			r.State, r.FailureReason = StateFailed, failureInternal
		case err != nil:
			return err
		default:
			if err := finish(ctx, tx, r, j); err != nil {
				return err
			}
		}
		err = tx.FinishCreateAccountRequest(ctx, r)
		if errors.Is(err, store.ErrNotFound) {
			return errFinished
		}
		return err
	})
	if err == nil || errors.Is(err, errFinished) {
		return nil
	}
	return errs.Wrap(op, err)
}

// finish makes the account a request asks for, inside tx, and sets the
// request's outcome.
func finish(ctx context.Context, tx *store.Tx, r *store.CreateAccountRequest, j *store.CreateAccountJob) error {
	if _, err := tx.AccountByEmail(ctx, j.Email); err == nil {
		r.State, r.FailureReason = StateFailed, failureEmailAlreadyExists
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	o, err := tx.Organization(ctx, r.OrgID)
	if err != nil {
		return err
	}
	acct, err := createMember(ctx, tx, o, r.AccountName, j.Email, j.RoleName)
	if err != nil {
		return err
	}
	r.State, r.AccountID = StateSucceeded, acct.ID
	return nil
}

// ResumeCreateAccounts finishes every pending CreateAccount request, such as
// those a stopped process accepted but did not finish. It returns the first
// error and goes on with the other requests.
func (s *Service) ResumeCreateAccounts(ctx context.Context) error {
	var first error
	failed := map[string]bool{}
	for {
		jobs, err := s.st.R().CreateAccountJobs(ctx, 100+len(failed))
		if err != nil {
			return errs.Wrap("org.ResumeCreateAccounts", err)
		}
		progress := false
		for _, j := range jobs {
			if failed[j.RequestID] {
				continue
			}
			progress = true
			if err := s.CompleteCreateAccount(ctx, j.RequestID); err != nil {
				failed[j.RequestID] = true
				if first == nil {
					first = err
				}
			}
		}
		if !progress {
			return first
		}
	}
}

// DescribeCreateAccountStatus returns a CreateAccount request of the
// caller's organization (management account only). A request left in
// progress for too long is finished first.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, id string) (*store.CreateAccountRequest, error) {
	const op = "org.DescribeCreateAccountStatus"
	_, o, err := s.caller(ctx, op, managementOnly)
	if err != nil {
		return nil, err
	}
	r, err := s.st.R().CreateAccountRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.OrgID != o.ID {
		return nil, errs.E(op, errs.NotFound, msgCreateStatusNotFound).WithCode(CodeCreateStatusNotFound)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if r.State == StateInProgress && time.Since(r.Requested) > staleAfter {
		// A failure here (another replica finishing it at the same moment,
		// say) leaves the request for the next reader: report what is stored.
		s.CompleteCreateAccount(ctx, id)
		if r, err = s.st.R().CreateAccountRequest(ctx, id); err != nil {
			return nil, errs.Wrap(op, err)
		}
	}
	return r, nil
}
