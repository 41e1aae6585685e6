package instance

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Statuses of an access control attribute configuration.
const ABACEnabled = "ENABLED"

// Attribute is one attribute of an instance's attribute-based access
// control configuration: a key and the identity-source path it maps.
type Attribute struct {
	Key    string   `json:"Key"`
	Source []string `json:"Source"`
}

// ABAC is an instance's access control attribute configuration.
type ABAC struct {
	Attributes []Attribute
	Status     string
	Reason     string
}

// CreateABAC configures attribute-based access control on an instance; a
// Conflict when it is configured already.
func (s *Service) CreateABAC(ctx context.Context, arn string, attrs []Attribute) error {
	return s.writeABAC(ctx, "CreateInstanceAccessControlAttributeConfiguration", arn, attrs, func(cur *store.Instance) error {
		if cur.ABAC != "" {
			return errs.E("instance.CreateABAC", errs.Conflict, "The instance already has an access control attribute configuration")
		}
		return nil
	})
}

// UpdateABAC replaces the attributes of an instance's configuration.
func (s *Service) UpdateABAC(ctx context.Context, arn string, attrs []Attribute) error {
	return s.writeABAC(ctx, "UpdateInstanceAccessControlAttributeConfiguration", arn, attrs, existingABAC)
}

// DeleteABAC removes an instance's configuration.
func (s *Service) DeleteABAC(ctx context.Context, arn string) error {
	return s.writeABAC(ctx, "DeleteInstanceAccessControlAttributeConfiguration", arn, nil, existingABAC)
}

func existingABAC(cur *store.Instance) error {
	if cur.ABAC == "" {
		return errs.Missing("instance.ABAC", "INSTANCE_ACCESS_CONTROL_ATTRIBUTE_CONFIGURATION", cur.Arn,
			"The instance has no access control attribute configuration")
	}
	return nil
}

// DescribeABAC returns an instance's configuration, NotFound when none.
func (s *Service) DescribeABAC(ctx context.Context, arn string) (*ABAC, error) {
	in, _, err := s.open(ctx, "DescribeInstanceAccessControlAttributeConfiguration", arn)
	if err != nil {
		return nil, err
	}
	if err := existingABAC(in); err != nil {
		return nil, err
	}
	a := &ABAC{Status: in.ABACStatus, Reason: in.ABACReason}
	if err := json.Unmarshal([]byte(in.ABAC), &a.Attributes); err != nil {
		return nil, errs.Wrap("instance.DescribeABAC", err)
	}
	return a, nil
}

// writeABAC checks attrs, then runs check on the current instance and
// stores attrs (nil removes the configuration) in one transaction.
func (s *Service) writeABAC(ctx context.Context, name, arn string, attrs []Attribute, check func(*store.Instance) error) error {
	op := "instance." + name
	seen := map[string]bool{}
	for _, a := range attrs {
		if seen[a.Key] {
			return errs.Ef(op, errs.Invalid, "Duplicate access control attribute key %s", a.Key)
		}
		seen[a.Key] = true
	}
	if _, _, err := s.open(ctx, name, arn); err != nil {
		return err
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Instance(ctx, arn)
		if err != nil {
			return err
		}
		if err := check(cur); err != nil {
			return err
		}
		cur.ABAC, cur.ABACStatus, cur.ABACReason = "", "", ""
		if attrs != nil {
			b, err := json.Marshal(attrs)
			if err != nil {
				return err
			}
			cur.ABAC, cur.ABACStatus = string(b), ABACEnabled
		}
		cur.Updated = tx.Now
		return tx.UpdateInstance(ctx, cur)
	})
	if errors.Is(err, store.ErrNotFound) {
		return errs.Missing(op, "INSTANCE", arn, "Instance "+arn+" does not exist")
	}
	return errs.Wrap(op, err)
}
