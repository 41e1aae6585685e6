package store

import (
	"context"
	"strings"
)

// The reads behind internal/report: the organization-wide inventory the aws
// views show, in bulk and with the plain key columns (no JSON work in SQL),
// so that a report over hundreds of identity stores stays fast.

// UserKey is a user of an identity store with its lookup keys: the
// lower-cased user name and primary email ("" when it has none).
type UserKey struct {
	StoreID     string
	ID          string
	UserNameKey string
	EmailKey    string
}

// OrgUserKeys lists the users of every identity store of an organization's
// instances (its organization instance and its member accounts' account
// instances), ordered by store and user id.
func (q Q) OrgUserKeys(ctx context.Context, orgID string) ([]UserKey, error) {
	return queryAll(ctx, q, func(sc scanner) (UserKey, error) {
		var k UserKey
		err := sc.Scan(&k.StoreID, &k.ID, &k.UserNameKey, &k.EmailKey)
		return k, err
	}, `SELECT u.store_id, u.id, u.user_name_key, COALESCE(u.email_key, '') FROM users AS u
		JOIN instances AS i ON i.identity_store_id = u.store_id WHERE i.org_id = ? ORDER BY u.store_id, u.id`, orgID)
}

// OrgUsersMentioning lists the users of an organization's identity stores
// whose attributes contain text, compared without regard to case: the
// candidates for a search by an attribute value (such as any of a user's
// emails), which the caller confirms on the parsed attributes.
func (q Q) OrgUsersMentioning(ctx context.Context, orgID, text string) ([]*User, error) {
	pattern := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(text)) + "%"
	return queryAll(ctx, q, scanUser, `SELECT u.store_id, u.id, u.user_name_key, u.email_key, u.doc, u.created_ms, u.updated_ms FROM users AS u
		JOIN instances AS i ON i.identity_store_id = u.store_id WHERE i.org_id = ? AND LOWER(u.doc) LIKE ? ESCAPE '\'
		ORDER BY u.store_id, u.id`, orgID, pattern)
}

// UsersByID reads the users of an identity store with the given ids (those
// that exist).
func (q Q) UsersByID(ctx context.Context, storeID string, ids []string) ([]*User, error) {
	return queryIn(ctx, q, scanUser, `SELECT `+userCols+` FROM users WHERE store_id = ? AND id IN (%s)`, []any{storeID}, ids)
}

// GroupsByID reads the groups of an identity store with the given ids
// (those that exist).
func (q Q) GroupsByID(ctx context.Context, storeID string, ids []string) ([]*Group, error) {
	return queryIn(ctx, q, scanGroup, `SELECT `+groupCols+` FROM groups WHERE store_id = ? AND id IN (%s)`, []any{storeID}, ids)
}

// OrgPermissionSetNames maps the ARN of every permission set of an
// organization's instances to its name.
func (q Q) OrgPermissionSetNames(ctx context.Context, orgID string) (map[string]string, error) {
	rows, err := q.query(ctx, `SELECT p.arn, p.name FROM permission_sets AS p JOIN instances AS i ON i.arn = p.instance_arn WHERE i.org_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var arn, name string
		if err := rows.Scan(&arn, &name); err != nil {
			return nil, err
		}
		out[arn] = name
	}
	return out, rows.Err()
}

// AccessPath is one way a user reaches an account with a permission set:
// an assignment to the user itself (PrincipalType USER, PrincipalID the
// user) or to a group the user belongs to (GROUP, the group).
type AccessPath struct {
	InstanceArn      string
	StoreID          string
	UserID           string
	AccountID        string
	PermissionSetArn string
	PrincipalType    string
	PrincipalID      string
}

// accessPathSQL selects every access path of the users of instances that
// match the WHERE clause it ends with (on i, the instance, and on the
// user's id, COALESCE(m.user_id, a.principal_id)).
const accessPathSQL = `SELECT a.instance_arn, i.identity_store_id, COALESCE(m.user_id, a.principal_id), a.account_id, a.permission_set_arn,
	a.principal_type, a.principal_id
	FROM account_assignments AS a JOIN instances AS i ON i.arn = a.instance_arn
	LEFT JOIN memberships AS m ON a.principal_type = 'GROUP' AND m.store_id = i.identity_store_id AND m.group_id = a.principal_id
	WHERE (a.principal_type = 'USER' OR m.user_id IS NOT NULL) AND `

// OrgAccessPaths lists every access path of every user of an
// organization's instances.
func (q Q) OrgAccessPaths(ctx context.Context, orgID string) ([]AccessPath, error) {
	return q.accessPaths(ctx, accessPathSQL+`i.org_id = ?`, orgID)
}

// AccessPathsOfUser lists the access paths of one user of an identity
// store.
func (q Q) AccessPathsOfUser(ctx context.Context, storeID, userID string) ([]AccessPath, error) {
	return q.accessPaths(ctx, accessPathSQL+`i.identity_store_id = ? AND COALESCE(m.user_id, a.principal_id) = ?`, storeID, userID)
}

func (q Q) accessPaths(ctx context.Context, query string, args ...any) ([]AccessPath, error) {
	return queryAll(ctx, q, func(sc scanner) (AccessPath, error) {
		var p AccessPath
		err := sc.Scan(&p.InstanceArn, &p.StoreID, &p.UserID, &p.AccountID, &p.PermissionSetArn, &p.PrincipalType, &p.PrincipalID)
		return p, err
	}, query, args...)
}
