package permset

import (
	"context"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/store"
)

// IsArn reports whether a resource ARN names a permission set (the tag
// operations serve instances and permission sets alike).
func IsArn(resourceArn string) bool { return strings.Contains(resourceArn, ":permissionSet/") }

// taggable opens the permission set a tag operation names. The instance is
// the one the ARN names; an InstanceArn in the request must be that one.
func (s *Service) taggable(ctx context.Context, name, resourceArn, instanceArn string, m mode) (*store.PermissionSet, error) {
	owner := instanceOf(resourceArn)
	if instanceArn == "" {
		instanceArn = owner
	}
	if owner == "" || owner != instanceArn {
		return nil, psMissing("permset."+name, resourceArn)
	}
	_, ps, err := s.openSet(ctx, name, instanceArn, resourceArn, m)
	return ps, err
}

// Tag sets tags of a permission set, at most instance.MaxTags in all.
func (s *Service) Tag(ctx context.Context, resourceArn, instanceArn string, tags []store.Tag) error {
	const op = "permset.Tag"
	if err := instance.CheckTags(op, tags); err != nil {
		return err
	}
	ps, err := s.taggable(ctx, "TagResource", resourceArn, instanceArn, write)
	if err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockPermissionSet(ctx, ps.Arn); errors.Is(err, store.ErrNotFound) {
			return psMissing(op, ps.Arn)
		} else if err != nil {
			return err
		}
		for _, t := range tags {
			if err := tx.PutTag(ctx, ps.Arn, t); err != nil {
				return err
			}
		}
		all, err := tx.Tags(ctx, ps.Arn)
		if err != nil {
			return err
		}
		if len(all) > instance.MaxTags {
			return errs.Ef(op, errs.Quota, "A resource can have at most %d tags", instance.MaxTags)
		}
		return nil
	})
	return errs.Wrap(op, err)
}

// Untag removes tags of a permission set; keys it does not have are
// ignored.
func (s *Service) Untag(ctx context.Context, resourceArn, instanceArn string, keys []string) error {
	const op = "permset.Untag"
	ps, err := s.taggable(ctx, "UntagResource", resourceArn, instanceArn, write)
	if err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		for _, k := range keys {
			if err := tx.DeleteTag(ctx, ps.Arn, k); err != nil {
				return err
			}
		}
		return nil
	})
	return errs.Wrap(op, err)
}

// Tags lists the tags of a permission set, all in one page (there are at
// most instance.MaxTags); token must be empty.
func (s *Service) Tags(ctx context.Context, resourceArn, instanceArn, token string) ([]store.Tag, error) {
	const op = "permset.Tags"
	if token != "" {
		return nil, badToken(op)
	}
	ps, err := s.taggable(ctx, "ListTagsForResource", resourceArn, instanceArn, read)
	if err != nil {
		return nil, err
	}
	tags, err := s.st.R().Tags(ctx, ps.Arn)
	return tags, errs.Wrap(op, err)
}
