package store

import (
	"context"
	"time"
)

// PermissionSet is a permission set of an instance. Version counts the
// changes that must be provisioned (policies, session duration, relay
// state): an account where an older version is provisioned reads
// LATEST_PERMISSION_SET_NOT_PROVISIONED.
type PermissionSet struct {
	Arn             string
	InstanceArn     string
	Name            string
	Description     string
	SessionDuration string
	RelayState      string
	InlinePolicy    string // "" for none
	Boundary        string // JSON of the permissions boundary, "" for none
	Version         int64
	Created         time.Time
	Updated         time.Time
}

// Kinds of policy attached to a permission set.
const (
	PolicyManaged  = "MANAGED"  // an AWS managed policy, keyed by its ARN
	PolicyCustomer = "CUSTOMER" // a customer managed policy reference, keyed by path and name
)

// AttachedPolicy is an AWS managed policy or a customer managed policy
// reference attached to a permission set.
type AttachedPolicy struct {
	PermissionSetArn string
	Kind             string // PolicyManaged or PolicyCustomer
	Key              string // the ARN, or path+name
	Name             string
	Path             string // customer managed references only
	Created          time.Time
}

// Provisioned records that a permission set is provisioned in an account, as
// the role RoleName, at a version of the permission set.
type Provisioned struct {
	PermissionSetArn string
	AccountID        string
	InstanceArn      string
	RoleName         string
	Version          int64
	Updated          time.Time
}

const permSetCols = `arn, instance_arn, name, description, session_duration, relay_state, inline_policy, boundary, version, created_ms, updated_ms`

func scanPermSet(sc scanner) (*PermissionSet, error) {
	var p PermissionSet
	var created, updated int64
	if err := sc.Scan(&p.Arn, &p.InstanceArn, &p.Name, &p.Description, &p.SessionDuration, &p.RelayState, &p.InlinePolicy, &p.Boundary,
		&p.Version, &created, &updated); err != nil {
		return nil, scanErr(err)
	}
	p.Created, p.Updated = fromMS(created), fromMS(updated)
	return &p, nil
}

// InsertPermissionSet stores a new permission set; ErrAlreadyExists when
// its instance has one of the same name.
func (q Q) InsertPermissionSet(ctx context.Context, p *PermissionSet) error {
	_, err := q.exec(ctx, `INSERT INTO permission_sets (`+permSetCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Arn, p.InstanceArn, p.Name, p.Description, p.SessionDuration, p.RelayState, p.InlinePolicy, p.Boundary, p.Version, ms(p.Created), ms(p.Updated))
	return err
}

// PermissionSet reads a permission set by ARN.
// Outside a transaction it may come from the cache (readcache.go).
func (q Q) PermissionSet(ctx context.Context, arn string) (*PermissionSet, error) {
	load := func() (*PermissionSet, error) { return q.permissionSetRow(ctx, arn) }
	if r, ok := q.ex.(readExec); ok {
		return readThrough(&r.s.permSets, arn, load)
	}
	return load()
}

func (q Q) permissionSetRow(ctx context.Context, arn string) (*PermissionSet, error) {
	return scanPermSet(q.row(ctx, `SELECT `+permSetCols+` FROM permission_sets WHERE arn = ?`, arn))
}

// UpdatePermissionSet writes the mutable fields of a permission set
// (description, session duration, relay state, inline policy, boundary,
// version).
func (q Q) UpdatePermissionSet(ctx context.Context, p *PermissionSet) error {
	return affected(q.exec(ctx, `UPDATE permission_sets SET description = ?, session_duration = ?, relay_state = ?, inline_policy = ?, boundary = ?, version = ?, updated_ms = ? WHERE arn = ?`,
		p.Description, p.SessionDuration, p.RelayState, p.InlinePolicy, p.Boundary, p.Version, ms(p.Updated), p.Arn))
}

// LockPermissionSet takes the write lock of a permission set's row for the
// rest of the transaction (PostgreSQL; SQLite has one writer anyway), so
// that changes to a permission set, its assignments and its provisioning
// are serialized. ErrNotFound when the permission set does not exist.
func (q Q) LockPermissionSet(ctx context.Context, arn string) error {
	q.changes = nil // it changes nothing: the cache of permission sets stays
	return affected(q.exec(ctx, `UPDATE permission_sets SET version = version WHERE arn = ?`, arn))
}

// PermissionSetsAfter lists up to limit ARNs of an instance's permission
// sets that sort after the given one.
func (q Q) PermissionSetsAfter(ctx context.Context, instanceArn, after string, limit int) ([]string, error) {
	return q.queryStrings(ctx, `SELECT arn FROM permission_sets WHERE instance_arn = ? AND arn > ? ORDER BY arn LIMIT ?`, instanceArn, after, limit)
}

// CountPermissionSets counts the permission sets of an instance.
func (q Q) CountPermissionSets(ctx context.Context, instanceArn string) (int, error) {
	return q.queryCount(ctx, `SELECT COUNT(*) FROM permission_sets WHERE instance_arn = ?`, instanceArn)
}

// DeletePermissionSet removes a permission set with its attached policies
// and tags.
func (q Q) DeletePermissionSet(ctx context.Context, arn string) error {
	if _, err := q.exec(ctx, `DELETE FROM permission_set_policies WHERE permission_set_arn = ?`, arn); err != nil {
		return err
	}
	if _, err := q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?`, arn); err != nil {
		return err
	}
	return affected(q.exec(ctx, `DELETE FROM permission_sets WHERE arn = ?`, arn))
}

// InsertAttachedPolicy attaches a policy to a permission set;
// ErrAlreadyExists when it is attached already.
func (q Q) InsertAttachedPolicy(ctx context.Context, p *AttachedPolicy) error {
	_, err := q.exec(ctx, `INSERT INTO permission_set_policies (permission_set_arn, kind, policy_key, name, path, created_ms) VALUES (?, ?, ?, ?, ?, ?)`,
		p.PermissionSetArn, p.Kind, p.Key, p.Name, p.Path, ms(p.Created))
	return err
}

// DeleteAttachedPolicy detaches a policy; ErrNotFound when it is not
// attached.
func (q Q) DeleteAttachedPolicy(ctx context.Context, permSetArn, kind, key string) error {
	return affected(q.exec(ctx, `DELETE FROM permission_set_policies WHERE permission_set_arn = ? AND kind = ? AND policy_key = ?`, permSetArn, kind, key))
}

// CountAttachedPolicies counts the policies of both kinds attached to a
// permission set.
func (q Q) CountAttachedPolicies(ctx context.Context, permSetArn string) (int, error) {
	return q.queryCount(ctx, `SELECT COUNT(*) FROM permission_set_policies WHERE permission_set_arn = ?`, permSetArn)
}

// AttachedPoliciesAfter lists up to limit policies of a kind attached to a
// permission set whose key sorts after the given one ("" and limit 0 for
// all of every kind).
func (q Q) AttachedPoliciesAfter(ctx context.Context, permSetArn, kind, after string, limit int) ([]*AttachedPolicy, error) {
	query, args := `SELECT permission_set_arn, kind, policy_key, name, path, created_ms FROM permission_set_policies WHERE permission_set_arn = ? AND kind = ? AND policy_key > ? ORDER BY policy_key LIMIT ?`,
		[]any{permSetArn, kind, after, limit}
	if kind == "" {
		query, args = `SELECT permission_set_arn, kind, policy_key, name, path, created_ms FROM permission_set_policies WHERE permission_set_arn = ? ORDER BY kind, policy_key`, []any{permSetArn}
	}
	return queryAll(ctx, q, func(sc scanner) (*AttachedPolicy, error) {
		var p AttachedPolicy
		var created int64
		err := sc.Scan(&p.PermissionSetArn, &p.Kind, &p.Key, &p.Name, &p.Path, &created)
		p.Created = fromMS(created)
		return &p, err
	}, query, args...)
}

// InsertProvisioned records that a permission set is provisioned in an
// account. It reports false (and changes nothing) when it was already.
func (q Q) InsertProvisioned(ctx context.Context, p *Provisioned) (bool, error) {
	res, err := q.exec(ctx, `INSERT INTO provisioned_permission_sets (permission_set_arn, account_id, instance_arn, role_name, version, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (permission_set_arn, account_id) DO NOTHING`, p.PermissionSetArn, p.AccountID, p.InstanceArn, p.RoleName, p.Version, ms(p.Updated))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ProvisionedIn reads where a permission set is provisioned in an account.
func (q Q) ProvisionedIn(ctx context.Context, permSetArn, accountID string) (*Provisioned, error) {
	var p Provisioned
	var updated int64
	err := q.row(ctx, `SELECT permission_set_arn, account_id, instance_arn, role_name, version, updated_ms FROM provisioned_permission_sets WHERE permission_set_arn = ? AND account_id = ?`,
		permSetArn, accountID).Scan(&p.PermissionSetArn, &p.AccountID, &p.InstanceArn, &p.RoleName, &p.Version, &updated)
	if err != nil {
		return nil, scanErr(err)
	}
	p.Updated = fromMS(updated)
	return &p, nil
}

// SetProvisionedVersion records the version of a permission set now
// provisioned in an account.
func (q Q) SetProvisionedVersion(ctx context.Context, permSetArn, accountID string, version int64, at time.Time) error {
	return affected(q.exec(ctx, `UPDATE provisioned_permission_sets SET version = ?, updated_ms = ? WHERE permission_set_arn = ? AND account_id = ?`,
		version, ms(at), permSetArn, accountID))
}

// DeleteProvisioned forgets that a permission set is provisioned in an
// account.
func (q Q) DeleteProvisioned(ctx context.Context, permSetArn, accountID string) error {
	return affected(q.exec(ctx, `DELETE FROM provisioned_permission_sets WHERE permission_set_arn = ? AND account_id = ?`, permSetArn, accountID))
}

// Provisioning status filters of ProvisionedAccountsAfter and
// ProvisionedToAccountAfter.
const (
	ProvisionedAny      = 0
	ProvisionedLatest   = 1 // the latest version is provisioned
	ProvisionedOutdated = 2 // an older version is provisioned
)

// ProvisionedAccountsAfter lists up to limit accounts, sorting after the
// given one, where a permission set (now at version) is provisioned,
// filtered by status (ProvisionedAny, ProvisionedLatest, ProvisionedOutdated).
func (q Q) ProvisionedAccountsAfter(ctx context.Context, permSetArn string, version int64, status int, after string, limit int) ([]string, error) {
	query := `SELECT account_id FROM provisioned_permission_sets WHERE permission_set_arn = ? AND account_id > ?`
	args := []any{permSetArn, after}
	switch status {
	case ProvisionedLatest:
		query, args = query+` AND version = ?`, append(args, version)
	case ProvisionedOutdated:
		query, args = query+` AND version <> ?`, append(args, version)
	}
	return q.queryStrings(ctx, query+` ORDER BY account_id LIMIT ?`, append(args, limit)...)
}

// ProvisionedToAccountAfter lists up to limit ARNs, sorting after the given
// one, of an instance's permission sets provisioned in an account, filtered
// by status (ProvisionedAny, ProvisionedLatest, ProvisionedOutdated).
func (q Q) ProvisionedToAccountAfter(ctx context.Context, instanceArn, accountID string, status int, after string, limit int) ([]string, error) {
	query := `SELECT p.permission_set_arn FROM provisioned_permission_sets p`
	switch status {
	case ProvisionedLatest:
		query += ` JOIN permission_sets s ON s.arn = p.permission_set_arn AND s.version = p.version`
	case ProvisionedOutdated:
		query += ` JOIN permission_sets s ON s.arn = p.permission_set_arn AND s.version <> p.version`
	}
	return q.queryStrings(ctx, query+` WHERE p.account_id = ? AND p.instance_arn = ? AND p.permission_set_arn > ? ORDER BY p.permission_set_arn LIMIT ?`,
		accountID, instanceArn, after, limit)
}

// CountProvisionedToAccount counts the permission sets provisioned in an
// account.
func (q Q) CountProvisionedToAccount(ctx context.Context, accountID string) (int, error) {
	return q.queryCount(ctx, `SELECT COUNT(*) FROM provisioned_permission_sets WHERE account_id = ?`, accountID)
}

// IsProvisioned reports whether a permission set is provisioned in any
// account.
func (q Q) IsProvisioned(ctx context.Context, permSetArn string) (bool, error) {
	n, err := q.queryCount(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM provisioned_permission_sets WHERE permission_set_arn = ? LIMIT 1) t`, permSetArn)
	return n > 0, err
}

// PutRolePolicies sets the effective policy document of a role.
func (q Q) PutRolePolicies(ctx context.Context, accountID, roleName, document string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO role_policies (account_id, role_name, document, updated_ms) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, role_name) DO UPDATE SET document = excluded.document, updated_ms = excluded.updated_ms`, accountID, roleName, document, ms(at))
	return err
}

// RolePolicies reads the effective policy document of a role.
func (q Q) RolePolicies(ctx context.Context, accountID, roleName string) (string, error) {
	var doc string
	err := q.row(ctx, `SELECT document FROM role_policies WHERE account_id = ? AND role_name = ?`, accountID, roleName).Scan(&doc)
	return doc, scanErr(err)
}

// DeleteRole removes a role with its policies.
func (q Q) DeleteRole(ctx context.Context, accountID, name string) error {
	if _, err := q.exec(ctx, `DELETE FROM role_policies WHERE account_id = ? AND role_name = ?`, accountID, name); err != nil {
		return err
	}
	return affected(q.exec(ctx, `DELETE FROM roles WHERE account_id = ? AND name = ?`, accountID, name))
}

// queryStrings runs a query whose rows are one string each.
func (q Q) queryStrings(ctx context.Context, query string, args ...any) ([]string, error) {
	return queryAll(ctx, q, scanString, query, args...)
}

// queryCount runs a query whose one row is one number.
func (q Q) queryCount(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := q.row(ctx, query, args...).Scan(&n)
	return n, err
}

// DeletePermSetsOfInstance removes everything the permission-set domain
// keeps for an instance: its permission sets with their policies and tags,
// its account assignments, the roles provisioning made and its requests.
// Deleting an instance calls it in the same transaction.
func (q Q) DeletePermSetsOfInstance(ctx context.Context, instanceArn string) error {
	for _, stmt := range []string{
		`DELETE FROM role_policies WHERE EXISTS (SELECT 1 FROM provisioned_permission_sets p
			WHERE p.instance_arn = ? AND p.account_id = role_policies.account_id AND p.role_name = role_policies.role_name)`,
		`DELETE FROM roles WHERE EXISTS (SELECT 1 FROM provisioned_permission_sets p
			WHERE p.instance_arn = ? AND p.account_id = roles.account_id AND p.role_name = roles.name)`,
		`DELETE FROM provisioned_permission_sets WHERE instance_arn = ?`,
		`DELETE FROM account_assignments WHERE instance_arn = ?`,
		`DELETE FROM permission_set_policies WHERE permission_set_arn IN (SELECT arn FROM permission_sets WHERE instance_arn = ?)`,
		`DELETE FROM tags WHERE resource_arn IN (SELECT arn FROM permission_sets WHERE instance_arn = ?)`,
		`DELETE FROM permission_sets WHERE instance_arn = ?`,
		`DELETE FROM permset_requests WHERE instance_arn = ?`,
	} {
		if _, err := q.exec(ctx, stmt, instanceArn); err != nil {
			return err
		}
	}
	return nil
}
