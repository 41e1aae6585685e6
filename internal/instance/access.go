package instance

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// action is what an sso-admin operation needs of an instance.
type action struct {
	write    bool // only the owner account may do it, and only while ACTIVE
	notFound bool // the operation models ResourceNotFoundException
	creating bool // allowed while the instance is being created
}

// actions lists the operations of this package by their AWS names.
var actions = map[string]action{
	"DescribeInstance":    {creating: true},
	"UpdateInstance":      {write: true, notFound: true},
	"DeleteInstance":      {write: true, creating: true},
	"TagResource":         {write: true, notFound: true},
	"UntagResource":       {write: true, notFound: true},
	"ListTagsForResource": {notFound: true},
	"CreateInstanceAccessControlAttributeConfiguration":   {write: true, notFound: true},
	"DescribeInstanceAccessControlAttributeConfiguration": {notFound: true},
	"UpdateInstanceAccessControlAttributeConfiguration":   {write: true, notFound: true},
	"DeleteInstanceAccessControlAttributeConfiguration":   {write: true, notFound: true},
	"AddRegion":      {write: true},
	"RemoveRegion":   {write: true, notFound: true},
	"ListRegions":    {},
	"DescribeRegion": {notFound: true},
}

// caller returns the caller of ctx, or AccessDenied.
func caller(ctx context.Context, op string) (*auth.Caller, error) {
	c := auth.From(ctx)
	if c == nil {
		return nil, errs.E(op, errs.Denied, "Missing authentication")
	}
	return c, nil
}

// Visible reports whether c may see instance in: its owner account sees it,
// so does the management account of the organization it belongs to, and
// the delegated administrator sees the organization instance.
func Visible(c *auth.Caller, in *store.Instance) bool {
	if c.AccountID == in.OwnerAccountID {
		return true
	}
	if c.OrgID == "" || c.OrgID != in.OrgID {
		return false
	}
	return c.Management || c.DelegatedAdmin && in.Kind == KindOrganization
}

// open reads the instance arn for the operation name (a key of actions) and
// checks that the caller may use it now. An instance that does not exist and
// one the caller may not see get the same answer, so that ARNs cannot be
// probed: ResourceNotFoundException where the operation models it, else
// AccessDeniedException.
func (s *Service) open(ctx context.Context, name, arn string) (*store.Instance, *auth.Caller, error) {
	op := "instance." + name
	a := actions[name]
	c, err := caller(ctx, op)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.st.R().Instance(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || err == nil && !Visible(c, in) {
		if a.notFound {
			return nil, nil, errs.Missing(op, "INSTANCE", arn, "Instance "+arn+" does not exist")
		}
		return nil, nil, denied(op, c, name, arn)
	}
	if err != nil {
		return nil, nil, errs.Wrap(op, err)
	}
	if a.write && c.AccountID != in.OwnerAccountID {
		return nil, nil, denied(op, c, name, arn)
	}
	switch in.Status {
	case StatusActive:
	case StatusCreating, StatusFailed:
		if !a.creating {
			return nil, nil, busy(op, a, "The instance is "+in.Status+": only DescribeInstance and DeleteInstance are allowed until it is ACTIVE")
		}
	case StatusDeleting:
		if name != "DescribeInstance" && name != "DeleteInstance" {
			return nil, nil, busy(op, a, "The instance is being deleted")
		}
	}
	s.kickIfPending(in)
	return in, c, nil
}

// busy is the error for an instance in a status that forbids the operation:
// ConflictException where the operation models it, else ValidationException.
func busy(op string, a action, msg string) error {
	if a.write {
		return errs.E(op, errs.Conflict, msg)
	}
	return errs.E(op, errs.Invalid, msg)
}

// denied is IAM's answer to a caller without permission.
func denied(op string, c *auth.Caller, name, resource string) error {
	return errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sso:%s on resource: %s", c.Arn, name, resource)
}
