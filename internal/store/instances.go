package store

import (
	"context"
	"time"
)

// Instance is an IAM Identity Center instance: the organization instance
// (Kind ORGANIZATION) or an account instance (Kind ACCOUNT).
type Instance struct {
	Arn                   string
	IdentityStoreID       string
	OwnerAccountID        string
	OrgID                 string // the owner's organization, "" for a standalone account
	Kind                  string // ORGANIZATION or ACCOUNT
	Name                  string
	Status                string // CREATE_IN_PROGRESS, CREATE_FAILED, ACTIVE, DELETE_IN_PROGRESS
	StatusReason          string
	Region                string // the primary Region
	PermissionSetsEnabled bool
	Encryption            string // JSON of the encryption configuration, "" for AWS owned key
	ABAC                  string // JSON of the access control attribute configuration, "" for none
	ABACStatus            string
	ABACReason            string
	Created               time.Time
	Updated               time.Time
}

// Region is one Region of an instance.
type Region struct {
	InstanceArn string
	Region      string
	Status      string // ACTIVE, ADDING, REMOVING
	Primary     bool
	Added       time.Time
}

// Tag is one tag of a resource.
type Tag struct{ Key, Value string }

const instanceCols = `arn, identity_store_id, owner_account_id, org_id, kind, name, status, status_reason, region, permission_sets_enabled, encryption, abac, abac_status, abac_reason, created_ms, updated_ms`

func scanInstance(sc scanner) (*Instance, error) {
	var in Instance
	var pse int
	var created, updated int64
	if err := sc.Scan(&in.Arn, &in.IdentityStoreID, &in.OwnerAccountID, &in.OrgID, &in.Kind, &in.Name, &in.Status, &in.StatusReason, &in.Region,
		&pse, &in.Encryption, &in.ABAC, &in.ABACStatus, &in.ABACReason, &created, &updated); err != nil {
		return nil, scanErr(err)
	}
	in.PermissionSetsEnabled, in.Created, in.Updated = pse != 0, fromMS(created), fromMS(updated)
	return &in, nil
}

// InsertInstance stores a new instance. The database refuses a second
// organization instance in an organization and a second account instance in
// an account (ErrAlreadyExists).
func (q Q) InsertInstance(ctx context.Context, in *Instance) error {
	_, err := q.exec(ctx, `INSERT INTO instances (`+instanceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.Arn, in.IdentityStoreID, in.OwnerAccountID, in.OrgID, in.Kind, in.Name, in.Status, in.StatusReason, in.Region,
		b2i(in.PermissionSetsEnabled), in.Encryption, in.ABAC, in.ABACStatus, in.ABACReason, ms(in.Created), ms(in.Updated))
	return err
}

// UpdateInstance writes every mutable field of an instance.
func (q Q) UpdateInstance(ctx context.Context, in *Instance) error {
	return affected(q.exec(ctx, `UPDATE instances SET name = ?, status = ?, status_reason = ?, permission_sets_enabled = ?, encryption = ?, abac = ?, abac_status = ?, abac_reason = ?, updated_ms = ? WHERE arn = ?`,
		in.Name, in.Status, in.StatusReason, b2i(in.PermissionSetsEnabled), in.Encryption, in.ABAC, in.ABACStatus, in.ABACReason, ms(in.Updated), in.Arn))
}

// Instance reads an instance by ARN.
// Outside a transaction it may come from the cache (readcache.go).
func (q Q) Instance(ctx context.Context, arn string) (*Instance, error) {
	load := func() (*Instance, error) { return q.instanceRow(ctx, arn) }
	if r, ok := q.ex.(readExec); ok {
		return readThrough(&r.s.instances, arn, load)
	}
	return load()
}

func (q Q) instanceRow(ctx context.Context, arn string) (*Instance, error) {
	return scanInstance(q.row(ctx, `SELECT `+instanceCols+` FROM instances WHERE arn = ?`, arn))
}

// InstanceByStore reads an instance by its identity store id.
func (q Q) InstanceByStore(ctx context.Context, storeID string) (*Instance, error) {
	return scanInstance(q.row(ctx, `SELECT `+instanceCols+` FROM instances WHERE identity_store_id = ?`, storeID))
}

// InstancesAfter lists up to limit instances whose ARN sorts after the given
// one: of an organization when orgID is set, else of one owner account.
func (q Q) InstancesAfter(ctx context.Context, orgID, ownerAccountID, after string, limit int) ([]*Instance, error) {
	query, arg := `SELECT `+instanceCols+` FROM instances WHERE org_id = ? AND arn > ? ORDER BY arn LIMIT ?`, orgID
	if orgID == "" {
		query, arg = `SELECT `+instanceCols+` FROM instances WHERE owner_account_id = ? AND arn > ? ORDER BY arn LIMIT ?`, ownerAccountID
	}
	return queryAll(ctx, q, scanInstance, query, arg, after, limit)
}

// InstancesInStatus lists instances in a status, oldest first, for the
// background work that completes creations and deletions.
func (q Q) InstancesInStatus(ctx context.Context, status string, limit int) ([]*Instance, error) {
	return queryAll(ctx, q, scanInstance, `SELECT `+instanceCols+` FROM instances WHERE status = ? ORDER BY created_ms LIMIT ?`, status, limit)
}

// DeleteInstance removes an instance with its Regions, tags, whole
// identity store, and permission sets with all that hangs from them.
func (q Q) DeleteInstance(ctx context.Context, arn, storeID string) error {
	if err := q.DeletePermSetsOfInstance(ctx, arn); err != nil {
		return err
	}
	for _, stmt := range []struct {
		sql string
		arg string
	}{
		{`DELETE FROM memberships WHERE store_id = ?`, storeID},
		{`DELETE FROM external_ids WHERE store_id = ?`, storeID},
		{`DELETE FROM users WHERE store_id = ?`, storeID},
		{`DELETE FROM groups WHERE store_id = ?`, storeID},
		{`DELETE FROM instance_regions WHERE instance_arn = ?`, arn},
		{`DELETE FROM tags WHERE resource_arn = ?`, arn},
	} {
		if _, err := q.exec(ctx, stmt.sql, stmt.arg); err != nil {
			return err
		}
	}
	return affected(q.exec(ctx, `DELETE FROM instances WHERE arn = ?`, arn))
}

// PutRegion inserts or replaces one Region of an instance.
func (q Q) PutRegion(ctx context.Context, r *Region) error {
	_, err := q.exec(ctx, `INSERT INTO instance_regions (instance_arn, region, status, is_primary, added_ms) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (instance_arn, region) DO UPDATE SET status = excluded.status, is_primary = excluded.is_primary`,
		r.InstanceArn, r.Region, r.Status, b2i(r.Primary), ms(r.Added))
	return err
}

// DeleteRegion removes one Region of an instance.
func (q Q) DeleteRegion(ctx context.Context, arn, region string) error {
	return affected(q.exec(ctx, `DELETE FROM instance_regions WHERE instance_arn = ? AND region = ?`, arn, region))
}

// Regions lists the Regions of an instance, by name.
func (q Q) Regions(ctx context.Context, arn string) ([]*Region, error) {
	return q.regions(ctx, `SELECT instance_arn, region, status, is_primary, added_ms FROM instance_regions WHERE instance_arn = ? ORDER BY region`, arn)
}

// Tags lists the tags of a resource, by key.
func (q Q) Tags(ctx context.Context, arn string) ([]Tag, error) {
	return queryAll(ctx, q, func(sc scanner) (Tag, error) {
		var t Tag
		err := sc.Scan(&t.Key, &t.Value)
		return t, err
	}, `SELECT tag_key, tag_value FROM tags WHERE resource_arn = ? ORDER BY tag_key`, arn)
}

// PutTag sets one tag of a resource.
func (q Q) PutTag(ctx context.Context, arn string, t Tag) error {
	_, err := q.exec(ctx, `INSERT INTO tags (resource_arn, tag_key, tag_value) VALUES (?, ?, ?)
		ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`, arn, t.Key, t.Value)
	return err
}

// DeleteTag removes one tag of a resource; a missing tag is not an error.
func (q Q) DeleteTag(ctx context.Context, arn, key string) error {
	_, err := q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ? AND tag_key = ?`, arn, key)
	return err
}

// SetInstanceStatus moves an instance from one status to another (a
// compare-and-set: ErrNotFound when the instance is not in status from), so
// that replicas completing the same work do it once.
func (q Q) SetInstanceStatus(ctx context.Context, arn, from, to, reason string, at time.Time) error {
	return affected(q.exec(ctx, `UPDATE instances SET status = ?, status_reason = ?, updated_ms = ? WHERE arn = ? AND status = ?`,
		to, reason, ms(at), arn, from))
}

// AccountInstance reads the account instance an account owns.
func (q Q) AccountInstance(ctx context.Context, accountID string) (*Instance, error) {
	return scanInstance(q.row(ctx, `SELECT `+instanceCols+` FROM instances WHERE owner_account_id = ? AND kind = 'ACCOUNT'`, accountID))
}

// Region reads one Region of an instance.
func (q Q) Region(ctx context.Context, arn, region string) (*Region, error) {
	var r Region
	var p int
	var added int64
	err := q.row(ctx, `SELECT instance_arn, region, status, is_primary, added_ms FROM instance_regions WHERE instance_arn = ? AND region = ?`, arn, region).
		Scan(&r.InstanceArn, &r.Region, &r.Status, &p, &added)
	if err != nil {
		return nil, scanErr(err)
	}
	r.Primary, r.Added = p != 0, fromMS(added)
	return &r, nil
}

// RegionsAfter lists up to limit Regions of an instance whose name sorts
// after the given one.
func (q Q) RegionsAfter(ctx context.Context, arn, after string, limit int) ([]*Region, error) {
	return q.regions(ctx, `SELECT instance_arn, region, status, is_primary, added_ms FROM instance_regions WHERE instance_arn = ? AND region > ? ORDER BY region LIMIT ?`, arn, after, limit)
}

// RegionsInStatus lists up to limit Regions (of any instance) in a status,
// oldest first, for the background work that completes additions and
// removals.
func (q Q) RegionsInStatus(ctx context.Context, status string, limit int) ([]*Region, error) {
	return q.regions(ctx, `SELECT instance_arn, region, status, is_primary, added_ms FROM instance_regions WHERE status = ? ORDER BY added_ms LIMIT ?`, status, limit)
}

func (q Q) regions(ctx context.Context, query string, args ...any) ([]*Region, error) {
	return queryAll(ctx, q, func(sc scanner) (*Region, error) {
		var r Region
		var p int
		var added int64
		err := sc.Scan(&r.InstanceArn, &r.Region, &r.Status, &p, &added)
		r.Primary, r.Added = p != 0, fromMS(added)
		return &r, err
	}, query, args...)
}

// InsertRegion adds a Region to an instance; ErrAlreadyExists when the
// instance has it already.
func (q Q) InsertRegion(ctx context.Context, r *Region) error {
	_, err := q.exec(ctx, `INSERT INTO instance_regions (instance_arn, region, status, is_primary, added_ms) VALUES (?, ?, ?, ?, ?)`,
		r.InstanceArn, r.Region, r.Status, b2i(r.Primary), ms(r.Added))
	return err
}

// SetRegionStatus moves a Region of an instance from one status to another
// (compare-and-set: ErrNotFound when it is not in status from).
func (q Q) SetRegionStatus(ctx context.Context, arn, region, from, to string) error {
	return affected(q.exec(ctx, `UPDATE instance_regions SET status = ? WHERE instance_arn = ? AND region = ? AND status = ?`, to, arn, region, from))
}

// DeleteRegionInStatus removes a Region of an instance if it is in the given
// status (ErrNotFound otherwise).
func (q Q) DeleteRegionInStatus(ctx context.Context, arn, region, status string) error {
	return affected(q.exec(ctx, `DELETE FROM instance_regions WHERE instance_arn = ? AND region = ? AND status = ?`, arn, region, status))
}

// ClientToken is a remembered idempotency token: the hash of the request it
// came with and the resource that request created.
type ClientToken struct {
	Scope, Token, RequestHash, Resource string
	Created                             time.Time
}

// InsertClientToken remembers a token; ErrAlreadyExists when the scope has
// it already.
func (q Q) InsertClientToken(ctx context.Context, t *ClientToken) error {
	_, err := q.exec(ctx, `INSERT INTO client_tokens (scope, token, request_hash, resource, created_ms) VALUES (?, ?, ?, ?, ?)`,
		t.Scope, t.Token, t.RequestHash, t.Resource, ms(t.Created))
	return err
}

// ClientTokenOf reads a remembered token of a scope.
func (q Q) ClientTokenOf(ctx context.Context, scope, token string) (*ClientToken, error) {
	var t ClientToken
	var created int64
	err := q.row(ctx, `SELECT scope, token, request_hash, resource, created_ms FROM client_tokens WHERE scope = ? AND token = ?`, scope, token).
		Scan(&t.Scope, &t.Token, &t.RequestHash, &t.Resource, &created)
	if err != nil {
		return nil, scanErr(err)
	}
	t.Created = fromMS(created)
	return &t, nil
}

// DeleteClientTokens forgets the tokens that created a resource.
func (q Q) DeleteClientTokens(ctx context.Context, resource string) error {
	_, err := q.exec(ctx, `DELETE FROM client_tokens WHERE resource = ?`, resource)
	return err
}
