package report

import (
	"context"

	"github.com/idcenter/idcenter/internal/store"
)

// Instances lists every account of the organization, by id, with the
// instance that serves it: its own account instance when it has one, else
// the organization instance. An account no instance serves has empty
// instance columns. Type is organization or account.
func Instances(ctx context.Context, q store.Q, orgID string) (*Table, error) {
	accounts, err := orgAccounts(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	instances, err := orgInstances(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	var orgInstance *store.Instance
	own := map[string]*store.Instance{}
	for _, in := range instances {
		if in.Kind == "ORGANIZATION" {
			orgInstance = in
		} else {
			own[in.OwnerAccountID] = in
		}
	}
	t := &Table{Columns: []string{"AccountId", "InstanceArn", "IdentityStoreId", "OwnerAccountId", "Type", "Status", "CreatedDate"}}
	for _, a := range accounts {
		in, typ := own[a.ID], "account"
		if in == nil {
			in, typ = orgInstance, "organization"
		}
		if in == nil {
			t.Add(a.ID, nil, nil, nil, nil, nil, nil)
			continue
		}
		t.Add(a.ID, in.Arn, in.IdentityStoreID, in.OwnerAccountID, typ, in.Status, date(in.Created))
	}
	return t, nil
}
