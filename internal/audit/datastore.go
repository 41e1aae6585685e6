package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// EventDataStore is an organization's built-in CloudTrail Lake event data
// store: every management event of the organization's accounts, kept as
// long as the database keeps them.
type EventDataStore struct {
	ID                  string // UUID-like; what a query's FROM names
	Arn                 string
	Name                string
	OrgID               string
	ManagementAccountID string
	Created             time.Time
}

// RetentionDays is the retention period event data stores report (CloudTrail
// Lake's default, seven years); idcenter deletes no events itself.
const RetentionDays = 2557

// EventDataStoreID is the id of an organization's event data store: derived
// from the organization's id, so every replica and command agrees on it
// without storing it.
func EventDataStoreID(orgID string) string {
	h := sha256.Sum256([]byte("idcenter cloudtrail event data store\x00" + orgID))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// EventDataStoreOf returns an organization's event data store, with its ARN
// in region.
func EventDataStoreOf(o *store.Organization, region string) *EventDataStore {
	if region == "" {
		region = DefaultRegion
	}
	id := EventDataStoreID(o.ID)
	return &EventDataStore{
		ID:                  id,
		Arn:                 "arn:aws:cloudtrail:" + region + ":" + o.ManagementAccountID + ":eventdatastore/" + id,
		Name:                "idcenter-" + o.ID,
		OrgID:               o.ID,
		ManagementAccountID: o.ManagementAccountID,
		Created:             o.Created,
	}
}

// EventDataStores lists the event data stores of every organization of the
// installation (for the commands, which act for the operator).
func (t *Trail) EventDataStores(ctx context.Context, region string) ([]*EventDataStore, error) {
	orgs, err := t.st.R().Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*EventDataStore, len(orgs))
	for i, o := range orgs {
		out[i] = EventDataStoreOf(o, region)
	}
	return out, nil
}

// CallerEventDataStore returns the event data store of the caller's
// organization. Only its management account may use it: CloudTrail Lake is
// organization-wide here, and member and standalone accounts are refused.
func (t *Trail) CallerEventDataStore(ctx context.Context, action string) (*EventDataStore, error) {
	op := "audit." + action
	c := auth.From(ctx)
	if c == nil {
		return nil, errs.E(op, errs.Unauthorized, "The request is not authenticated")
	}
	if c.OrgID == "" || !c.Management {
		return nil, errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: cloudtrail:%s because only the management account of an organization may use its event data store", c.Arn, action)
	}
	o, err := t.st.R().Organization(ctx, c.OrgID)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return EventDataStoreOf(o, c.Region), nil
}

// matches reports whether ref (an id or ARN, as requests name stores) names
// the event data store, in any Region.
func (s *EventDataStore) matches(ref string) bool {
	return ref == s.ID || strings.HasPrefix(ref, "arn:aws:cloudtrail:") && strings.HasSuffix(ref, ":"+s.ManagementAccountID+":eventdatastore/"+s.ID)
}
