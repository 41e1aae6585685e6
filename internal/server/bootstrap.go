package server

import (
	"context"
	"errors"

	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
)

// Bootstrap is what a first start created (or a later start found).
type Bootstrap struct {
	Org        *store.Organization
	Management *store.Account
	Key        *org.Key        // the management account's bootstrap access key
	Instance   *store.Instance // the organization instance
	Created    bool            // this call created them
}

const bootstrapKeySetting = "bootstrap_access_key_id"

// Bootstrap makes sure an organization exists, with its management account,
// an access key for it and the organization instance enabled in region. A
// second call finds them and creates nothing.
func (s *Server) Bootstrap(ctx context.Context, st *store.Store, region string) (*Bootstrap, error) {
	b := &Bootstrap{}
	o, err := s.Org.First(ctx)
	if err != nil {
		return nil, err
	}
	if o == nil {
		if o, b.Management, err = s.Org.CreateOrganization(ctx, "management", "management@idcenter.local"); err != nil {
			return nil, err
		}
		b.Created = true
		if b.Instance, err = s.Instances.EnableOrganizationInstance(ctx, o, region); err != nil {
			return nil, err
		}
	} else {
		if b.Management, err = st.R().Account(ctx, o.ManagementAccountID); err != nil {
			return nil, err
		}
		if b.Instance, err = s.Instances.OrganizationInstance(ctx, o.ID); err != nil {
			b.Instance = nil // the administrator deleted it; not an error
		}
	}
	b.Org = o
	id, err := st.R().Setting(ctx, bootstrapKeySetting)
	if err == nil {
		if b.Key, err = s.Org.RevealKey(ctx, id); err == nil {
			return b, nil
		}
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if b.Key, err = s.Org.CreateAccessKey(ctx, o.ManagementAccountID); err != nil {
		return nil, err
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, bootstrapKeySetting, b.Key.AccessKeyID) })
	return b, err
}
