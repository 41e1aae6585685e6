package permset

import (
	"context"
	"errors"
	"strconv"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// msgInUse is AWS's answer to deleting a permission set that is still
// assigned or provisioned.
const msgInUse = "Could not delete because PermissionSet has ApplicationProfile associated with it"

// quotaMsg is AWS's wording of an exceeded quota.
func quotaMsg(what string, n int, id string) string {
	return "You have exceeded AWS SSO limits. Cannot create " + what + " more than " + strconv.Itoa(n) + " for id " + id +
		". Please refer to https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html"
}

// newArn returns a new permission set ARN of an instance.
func newArn(instanceArn string) string {
	return "arn:aws:sso:::permissionSet/" + instanceArn[len("arn:aws:sso:::instance/"):] + "/ps-" + ids.Hex(16)
}

// NewSet is a permission set to create.
type NewSet struct {
	InstanceArn     string
	Name            string
	Description     string
	SessionDuration string // "" for PT1H
	RelayState      string
	Tags            []store.Tag
}

// Create creates a permission set. Its name is unique in the instance
// (ConflictException); an instance holds at most
// Limits.PermissionSetsPerInstance of them (ServiceQuotaExceededException).
func (s *Service) Create(ctx context.Context, n NewSet) (*store.PermissionSet, error) {
	const op = "permset.Create"
	if n.SessionDuration == "" {
		n.SessionDuration = DefaultSessionDuration
	}
	if _, err := sessionDuration(op, n.SessionDuration); err != nil {
		return nil, err
	}
	if err := instance.CheckTags(op, n.Tags); err != nil {
		return nil, err
	}
	in, _, err := s.open(ctx, "CreatePermissionSet", n.InstanceArn, write)
	if err != nil {
		return nil, err
	}
	ps := &store.PermissionSet{Arn: newArn(in.Arn), InstanceArn: in.Arn, Name: n.Name, Description: n.Description,
		SessionDuration: n.SessionDuration, RelayState: n.RelayState, Version: 1}
	limit := s.limit().PermissionSetsPerInstance
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		count, err := tx.CountPermissionSets(ctx, in.Arn)
		if err != nil {
			return err
		}
		if count >= limit {
			return errs.E(op, errs.Quota, quotaMsg("PermissionSet", limit, instanceID(in.Arn)))
		}
		ps.Created, ps.Updated = tx.Now, tx.Now
		if err := tx.InsertPermissionSet(ctx, ps); err != nil {
			return err
		}
		for _, t := range n.Tags {
			if err := tx.PutTag(ctx, ps.Arn, t); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, errs.E(op, errs.Conflict, "PermissionSet with name "+n.Name+" already exists.")
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return ps, nil
}

// instanceID returns the ssoins-... part of an instance ARN.
func instanceID(arn string) string { return psID(arn) }

// Describe returns a permission set.
func (s *Service) Describe(ctx context.Context, instanceArn, psArn string) (*store.PermissionSet, error) {
	_, ps, err := s.openSet(ctx, "DescribePermissionSet", instanceArn, psArn, read)
	return ps, err
}

// Update is a change of a permission set; nil fields stay as they are.
type Update struct {
	Description     *string
	SessionDuration *string
	RelayState      *string
}

// Update changes a permission set. Its accounts then read
// LATEST_PERMISSION_SET_NOT_PROVISIONED until it is provisioned again.
func (s *Service) Update(ctx context.Context, instanceArn, psArn string, u Update) error {
	const op = "permset.Update"
	if u.SessionDuration != nil {
		if _, err := sessionDuration(op, *u.SessionDuration); err != nil {
			return err
		}
	}
	return s.change(ctx, "UpdatePermissionSet", instanceArn, psArn, func(tx *store.Tx, ps *store.PermissionSet) (bool, error) {
		before := *ps
		if u.Description != nil {
			ps.Description = *u.Description
		}
		if u.SessionDuration != nil {
			ps.SessionDuration = *u.SessionDuration
		}
		if u.RelayState != nil {
			ps.RelayState = *u.RelayState
		}
		// The description is not part of what is provisioned.
		return ps.SessionDuration != before.SessionDuration || ps.RelayState != before.RelayState, nil
	})
}

// change runs fn on a permission set in one transaction that holds its
// lock. fn changes ps or the rows that hang from it and reports whether it
// changed anything that must be provisioned: if so the version goes up.
// The permission set is written when it changed.
func (s *Service) change(ctx context.Context, name, instanceArn, psArn string, fn func(tx *store.Tx, ps *store.PermissionSet) (bool, error)) error {
	op := "permset." + name
	in, _, err := s.open(ctx, name, instanceArn, write)
	if err != nil {
		return err
	}
	if err := s.guardManagement(ctx, name, in, psArn, ""); err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockPermissionSet(ctx, psArn); errors.Is(err, store.ErrNotFound) {
			return psMissing(op, psArn)
		} else if err != nil {
			return err
		}
		ps, err := permissionSet(ctx, tx.Q, op, in, psArn)
		if err != nil {
			return err
		}
		before := *ps
		provisioned, err := fn(tx, ps)
		if err != nil {
			return err
		}
		if provisioned {
			ps.Version++
		}
		if *ps == before {
			return nil
		}
		ps.Updated = tx.Now
		return tx.UpdatePermissionSet(ctx, ps)
	})
	return errs.Wrap(op, err)
}

// Delete deletes a permission set that is neither assigned nor provisioned
// anywhere (ConflictException otherwise, as AWS answers).
func (s *Service) Delete(ctx context.Context, instanceArn, psArn string) error {
	const op = "permset.Delete"
	in, _, err := s.open(ctx, "DeletePermissionSet", instanceArn, write)
	if err != nil {
		return err
	}
	if err := s.guardManagement(ctx, "DeletePermissionSet", in, psArn, ""); err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockPermissionSet(ctx, psArn); errors.Is(err, store.ErrNotFound) {
			return psMissing(op, psArn)
		} else if err != nil {
			return err
		}
		if _, err := permissionSet(ctx, tx.Q, op, in, psArn); err != nil {
			return err
		}
		assigned, err := tx.CountAssignments(ctx, psArn, "")
		if err != nil {
			return err
		}
		provisioned, err := tx.IsProvisioned(ctx, psArn)
		if err != nil {
			return err
		}
		if assigned > 0 || provisioned {
			return errs.E(op, errs.Conflict, msgInUse)
		}
		return tx.DeletePermissionSet(ctx, psArn)
	})
	return errs.Wrap(op, err)
}

// List returns a page of the ARNs of an instance's permission sets and the
// token of the next page ("" on the last).
func (s *Service) List(ctx context.Context, instanceArn, token string, max int) ([]string, string, error) {
	const op = "permset.List"
	in, _, err := s.open(ctx, "ListPermissionSets", instanceArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := "ListPermissionSets/" + in.Arn
	after, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	max = pageSize(max)
	arns, err := s.st.R().PermissionSetsAfter(ctx, in.Arn, after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	arns, next := pagetoken.Cut(arns, max, scope, func(x string) string { return x })
	return arns, next, nil
}
