package instance

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Statuses of a Region of an instance.
const (
	RegionActive   = "ACTIVE"
	RegionAdding   = "ADDING"
	RegionRemoving = "REMOVING"
)

// MaxRegions bounds the Regions of one instance (the primary included).
const MaxRegions = 20

// AddRegion starts replicating an instance to a Region: the Region is ADDING
// and background work makes it ACTIVE shortly after.
func (s *Service) AddRegion(ctx context.Context, arn, region string) (string, error) {
	const op = "instance.AddRegion"
	if _, _, err := s.open(ctx, "AddRegion", arn); err != nil {
		return "", err
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		all, err := tx.Regions(ctx, arn)
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.Region == region {
				return errs.Ef(op, errs.Conflict, "The Region %s is already %s in the instance", region, r.Status)
			}
		}
		if len(all) >= MaxRegions {
			return errs.Ef(op, errs.Quota, "An instance can have at most %d Regions", MaxRegions)
		}
		return tx.InsertRegion(ctx, &store.Region{InstanceArn: arn, Region: region, Status: RegionAdding, Added: tx.Now})
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return "", errs.Ef(op, errs.Conflict, "The Region %s is already in the instance", region)
	}
	if err != nil {
		return "", errs.Wrap(op, err)
	}
	s.kick()
	return RegionAdding, nil
}

// RemoveRegion starts removing an ACTIVE Region from an instance; the
// primary Region cannot be removed.
func (s *Service) RemoveRegion(ctx context.Context, arn, region string) (string, error) {
	const op = "instance.RemoveRegion"
	if _, _, err := s.open(ctx, "RemoveRegion", arn); err != nil {
		return "", err
	}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		r, err := tx.Region(ctx, arn, region)
		if errors.Is(err, store.ErrNotFound) {
			return regionMissing(op, arn, region)
		}
		if err != nil {
			return err
		}
		switch {
		case r.Primary:
			return errs.Ef(op, errs.Invalid, "The primary Region %s of an instance cannot be removed", region)
		case r.Status != RegionActive:
			return errs.Ef(op, errs.Conflict, "The Region %s is %s", region, r.Status)
		}
		return tx.SetRegionStatus(ctx, arn, region, RegionActive, RegionRemoving)
	})
	if err != nil {
		return "", errs.Wrap(op, err)
	}
	s.kick()
	return RegionRemoving, nil
}

// DescribeRegion returns one Region of an instance.
func (s *Service) DescribeRegion(ctx context.Context, arn, region string) (*store.Region, error) {
	const op = "instance.DescribeRegion"
	if _, _, err := s.open(ctx, "DescribeRegion", arn); err != nil {
		return nil, err
	}
	r, err := s.st.R().Region(ctx, arn, region)
	if errors.Is(err, store.ErrNotFound) {
		return nil, regionMissing(op, arn, region)
	}
	return r, errs.Wrap(op, err)
}

// RegionPageSize is the default and largest ListRegions page.
const RegionPageSize = 100

// ListRegions returns a page of an instance's Regions, by name.
func (s *Service) ListRegions(ctx context.Context, arn, token string, max int) ([]*store.Region, string, error) {
	const op = "instance.ListRegions"
	if _, _, err := s.open(ctx, "ListRegions", arn); err != nil {
		return nil, "", err
	}
	scope := "ListRegions/" + arn
	after, err := decodeToken(scope, token)
	if err != nil {
		return nil, "", errs.E(op, errs.Invalid, "The NextToken is not valid")
	}
	if max <= 0 || max > RegionPageSize {
		max = RegionPageSize
	}
	list, err := s.st.R().RegionsAfter(ctx, arn, after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	next := ""
	if len(list) > max {
		list = list[:max]
		next = encodeToken(scope, list[max-1].Region)
	}
	return list, next, nil
}

func regionMissing(op, arn, region string) error {
	return errs.Missing(op, "REGION", region, "The Region "+region+" is not a Region of the instance "+arn)
}
