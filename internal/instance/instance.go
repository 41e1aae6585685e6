// Package instance manages IAM Identity Center instances: the organization
// instance, account instances, their status life cycle, Regions, tags and
// attribute-based access control configuration. It knows nothing of HTTP.
package instance

import (
	"context"
	"errors"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/sweeper"
)

// Kinds of instance.
const (
	KindOrganization = "ORGANIZATION"
	KindAccount      = "ACCOUNT"
)

// Statuses of an instance.
const (
	StatusCreating = "CREATE_IN_PROGRESS"
	StatusFailed   = "CREATE_FAILED"
	StatusActive   = "ACTIVE"
	StatusDeleting = "DELETE_IN_PROGRESS"
)

// Service is the instances domain.
type Service struct {
	st     *store.Store
	cache  storeCache
	work   sweeper.Sweeper
	delays delays
}

// New returns the instances domain over st. It starts a sweep of the
// background work a previous process may have left unfinished (instances
// being created or deleted, Regions being added or removed).
func New(st *store.Store) *Service {
	s := &Service{st: st}
	s.cache.init()
	s.delays.init()
	s.work = sweeper.Sweeper{Sweep: s.Sweep, Tick: sweepTick, Timeout: time.Minute}
	s.kick()
	return s
}

// Close stops the background work and waits for it; what is unfinished
// stays in the database for the next start. Call it before closing the store.
func (s *Service) Close() { s.work.Close() }

// Arn is the ARN of an instance id.
func Arn(instanceID string) string { return "arn:aws:sso:::instance/" + instanceID }

// EnableOrganizationInstance enables the organization instance of o in a
// Region (what AWS does from its console, and idcenter from its admin
// command). It fails with Conflict when the organization has one already.
func (s *Service) EnableOrganizationInstance(ctx context.Context, o *store.Organization, region string) (*store.Instance, error) {
	in := &store.Instance{Arn: Arn(ids.InstanceID()), IdentityStoreID: ids.IdentityStoreID(), OwnerAccountID: o.ManagementAccountID,
		OrgID: o.ID, Kind: KindOrganization, Status: StatusActive, Region: region, PermissionSetsEnabled: true}
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		in.Created, in.Updated = tx.Now, tx.Now
		if err := tx.InsertInstance(ctx, in); err != nil {
			return err
		}
		return tx.PutRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: region, Status: StatusActive, Primary: true, Added: tx.Now})
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, errs.E("instance.EnableOrganizationInstance", errs.Conflict, "The organization already has an organization instance of IAM Identity Center")
	}
	if err != nil {
		return nil, errs.Wrap("instance.EnableOrganizationInstance", err)
	}
	return in, nil
}

// OrganizationInstance returns the organization instance of an organization,
// or ErrNotFound-kind error.
func (s *Service) OrganizationInstance(ctx context.Context, orgID string) (*store.Instance, error) {
	list, err := s.st.R().InstancesAfter(ctx, orgID, "", "", 1000)
	if err != nil {
		return nil, errs.Wrap("instance.OrganizationInstance", err)
	}
	for _, in := range list {
		if in.Kind == KindOrganization {
			return in, nil
		}
	}
	return nil, errs.E("instance.OrganizationInstance", errs.NotFound, "The organization has no organization instance")
}
