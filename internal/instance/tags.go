package instance

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// MaxTags is the most tags a resource may carry.
const MaxTags = 75

// CheckTags applies AWS's tag rules beyond the model's (unique keys in one
// request, the aws: prefix reserved), for every sso-admin resource that
// carries tags.
func CheckTags(op string, tags []store.Tag) error { return checkTags(op, tags) }

// taggable returns the instance that holds a taggable resource, checked for
// the operation name. Instances are the resources tagged here; the
// InstanceArn of the request, when given, must be the instance itself.
func (s *Service) taggable(ctx context.Context, name, resourceArn, instanceArn string) (*store.Instance, error) {
	op := "instance." + name
	if !strings.Contains(resourceArn, ":instance/") {
		return nil, errs.Missing(op, "RESOURCE", resourceArn, "Resource "+resourceArn+" does not exist")
	}
	if instanceArn != "" && instanceArn != resourceArn {
		return nil, errs.E(op, errs.Invalid, "The InstanceArn does not match the instance named by ResourceArn")
	}
	in, _, err := s.open(ctx, name, resourceArn)
	return in, err
}

// Tag sets tags of a resource (an instance), at most MaxTags in all.
func (s *Service) Tag(ctx context.Context, resourceArn, instanceArn string, tags []store.Tag) error {
	const op = "instance.Tag"
	if err := checkTags(op, tags); err != nil {
		return err
	}
	in, err := s.taggable(ctx, "TagResource", resourceArn, instanceArn)
	if err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		for _, t := range tags {
			if err := tx.PutTag(ctx, in.Arn, t); err != nil {
				return err
			}
		}
		all, err := tx.Tags(ctx, in.Arn)
		if err != nil {
			return err
		}
		if len(all) > MaxTags {
			return errs.Ef(op, errs.Quota, "A resource can have at most %d tags", MaxTags)
		}
		return nil
	})
	return errs.Wrap(op, err)
}

// Untag removes tags of a resource; keys it does not have are ignored.
func (s *Service) Untag(ctx context.Context, resourceArn, instanceArn string, keys []string) error {
	const op = "instance.Untag"
	in, err := s.taggable(ctx, "UntagResource", resourceArn, instanceArn)
	if err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		for _, k := range keys {
			if err := tx.DeleteTag(ctx, in.Arn, k); err != nil {
				return err
			}
		}
		return nil
	})
	return errs.Wrap(op, err)
}

// Tags lists the tags of a resource, all in one page (there are at most
// MaxTags); token must be empty.
func (s *Service) Tags(ctx context.Context, resourceArn, instanceArn, token string) ([]store.Tag, error) {
	const op = "instance.Tags"
	if token != "" {
		return nil, errs.E(op, errs.Invalid, "The NextToken is not valid")
	}
	in, err := s.taggable(ctx, "ListTagsForResource", resourceArn, instanceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.st.R().Tags(ctx, in.Arn)
	return tags, errs.Wrap(op, err)
}
