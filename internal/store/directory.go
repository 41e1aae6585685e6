package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// User is an identity store user. Doc holds the user's attributes as the
// Identity Store API's JSON; the keys are what uniqueness and lookups use
// (lower-cased user name and primary email).
type User struct {
	StoreID     string
	ID          string
	UserNameKey string
	EmailKey    string // "" when the user has no email
	Doc         []byte
	Created     time.Time
	Updated     time.Time
}

// Group is an identity store group; NameKey is its lower-cased display name.
type Group struct {
	StoreID string
	ID      string
	NameKey string
	Doc     []byte
	Created time.Time
	Updated time.Time
}

// Membership links a user to a group.
type Membership struct {
	StoreID string
	ID      string
	GroupID string
	UserID  string
	Created time.Time
}

// ExternalID is an identifier an external IdP issued to a user or group.
type ExternalID struct{ Issuer, ID string }

// The kinds of identity store resources an external id can belong to.
const (
	KindUser  = "USER"
	KindGroup = "GROUP"
)

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insertUser stores a user with the values userArgs gives.
const insertUser = `INSERT INTO users (store_id, id, user_name_key, email_key, doc, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`

func userArgs(u *User) []any {
	return []any{u.StoreID, u.ID, u.UserNameKey, nullIfEmpty(u.EmailKey), string(u.Doc), ms(u.Created), ms(u.Updated)}
}

// InsertUser stores a new user.
func (q Q) InsertUser(ctx context.Context, u *User) error {
	_, err := q.exec(ctx, insertUser, userArgs(u)...)
	return err
}

// AddUser stores a new user unless its store holds its id, user name or
// email already, and reports whether it did. It is InsertUser and the
// uniqueness checks in one statement, which on PostgreSQL is one round trip
// instead of three; and, unlike a failed INSERT, it leaves the transaction
// usable (on PostgreSQL) and the batch of SQLite's group commit unbroken, so
// the caller can then find out which value is taken.
func (q Q) AddUser(ctx context.Context, u *User) (bool, error) {
	return inserted(q.exec(ctx, insertUser+onConflictNothing, userArgs(u)...))
}

// onConflictNothing makes an INSERT skip a row that a unique index refuses.
const onConflictNothing = ` ON CONFLICT DO NOTHING`

// inserted reports whether the INSERT ... ON CONFLICT DO NOTHING of one row
// that gave res stored it.
func inserted(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UpdateUser rewrites a user's keys and attributes.
func (q Q) UpdateUser(ctx context.Context, u *User) error {
	return affected(q.exec(ctx, `UPDATE users SET user_name_key = ?, email_key = ?, doc = ?, updated_ms = ? WHERE store_id = ? AND id = ?`,
		u.UserNameKey, nullIfEmpty(u.EmailKey), string(u.Doc), ms(u.Updated), u.StoreID, u.ID))
}

const userCols = `store_id, id, user_name_key, email_key, doc, created_ms, updated_ms`

func scanUser(sc scanner) (*User, error) {
	var u User
	var email *string
	var doc string
	var created, updated int64
	if err := sc.Scan(&u.StoreID, &u.ID, &u.UserNameKey, &email, &doc, &created, &updated); err != nil {
		return nil, scanErr(err)
	}
	if email != nil {
		u.EmailKey = *email
	}
	u.Doc, u.Created, u.Updated = []byte(doc), fromMS(created), fromMS(updated)
	return &u, nil
}

// User reads a user by id.
func (q Q) User(ctx context.Context, storeID, id string) (*User, error) {
	return scanUser(q.row(ctx, `SELECT `+userCols+` FROM users WHERE store_id = ? AND id = ?`, storeID, id))
}

// UserDoc reads a user's stored document (the attributes DescribeUser
// answers with), without the columns User also reads.
func (q Q) UserDoc(ctx context.Context, storeID, id string) ([]byte, error) {
	var doc []byte
	err := q.row(ctx, `SELECT doc FROM users WHERE store_id = ? AND id = ?`, storeID, id).Scan(&doc)
	return doc, scanErr(err)
}

// UserIDByName finds a user by lower-cased user name.
func (q Q) UserIDByName(ctx context.Context, storeID, key string) (string, error) {
	var id string
	err := q.row(ctx, `SELECT id FROM users WHERE store_id = ? AND user_name_key = ?`, storeID, key).Scan(&id)
	return id, scanErr(err)
}

// UserIDByEmail finds a user by lower-cased email.
func (q Q) UserIDByEmail(ctx context.Context, storeID, key string) (string, error) {
	var id string
	err := q.row(ctx, `SELECT id FROM users WHERE store_id = ? AND email_key = ?`, storeID, key).Scan(&id)
	return id, scanErr(err)
}

// UsersAfter lists up to limit users whose id sorts after the given one,
// optionally only the one with a lower-cased user name.
func (q Q) UsersAfter(ctx context.Context, storeID, after, nameKey string, limit int) ([]*User, error) {
	query, args := `SELECT `+userCols+` FROM users WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?`, []any{storeID, after, limit}
	if nameKey != "" {
		query, args = `SELECT `+userCols+` FROM users WHERE store_id = ? AND user_name_key = ? AND id > ? ORDER BY id LIMIT ?`, []any{storeID, nameKey, after, limit}
	}
	return queryAll(ctx, q, scanUser, query, args...)
}

// DeleteUser removes a user with its memberships and external ids.
func (q Q) DeleteUser(ctx context.Context, storeID, id string) error {
	if _, err := q.exec(ctx, `DELETE FROM memberships WHERE store_id = ? AND user_id = ?`, storeID, id); err != nil {
		return err
	}
	if _, err := q.exec(ctx, `DELETE FROM external_ids WHERE store_id = ? AND resource_id = ?`, storeID, id); err != nil {
		return err
	}
	return affected(q.exec(ctx, `DELETE FROM users WHERE store_id = ? AND id = ?`, storeID, id))
}

// InsertGroup stores a new group.
func (q Q) InsertGroup(ctx context.Context, g *Group) error {
	_, err := q.exec(ctx, insertGroup, groupArgs(g)...)
	return err
}

// insertGroup stores a group with the values groupArgs gives.
const insertGroup = `INSERT INTO groups (store_id, id, name_key, doc, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)`

func groupArgs(g *Group) []any {
	return []any{g.StoreID, g.ID, g.NameKey, string(g.Doc), ms(g.Created), ms(g.Updated)}
}

// AddGroup stores a new group unless its store holds its id or name
// already, and reports whether it did (see AddUser).
func (q Q) AddGroup(ctx context.Context, g *Group) (bool, error) {
	return inserted(q.exec(ctx, insertGroup+onConflictNothing, groupArgs(g)...))
}

// UpdateGroup rewrites a group's key and attributes.
func (q Q) UpdateGroup(ctx context.Context, g *Group) error {
	return affected(q.exec(ctx, `UPDATE groups SET name_key = ?, doc = ?, updated_ms = ? WHERE store_id = ? AND id = ?`,
		g.NameKey, string(g.Doc), ms(g.Updated), g.StoreID, g.ID))
}

const groupCols = `store_id, id, name_key, doc, created_ms, updated_ms`

func scanGroup(sc scanner) (*Group, error) {
	var g Group
	var doc string
	var created, updated int64
	if err := sc.Scan(&g.StoreID, &g.ID, &g.NameKey, &doc, &created, &updated); err != nil {
		return nil, scanErr(err)
	}
	g.Doc, g.Created, g.Updated = []byte(doc), fromMS(created), fromMS(updated)
	return &g, nil
}

// Group reads a group by id.
func (q Q) Group(ctx context.Context, storeID, id string) (*Group, error) {
	return scanGroup(q.row(ctx, `SELECT `+groupCols+` FROM groups WHERE store_id = ? AND id = ?`, storeID, id))
}

// GroupIDByName finds a group by lower-cased display name.
func (q Q) GroupIDByName(ctx context.Context, storeID, key string) (string, error) {
	var id string
	err := q.row(ctx, `SELECT id FROM groups WHERE store_id = ? AND name_key = ?`, storeID, key).Scan(&id)
	return id, scanErr(err)
}

// DeleteGroup removes a group with its memberships and external ids.
func (q Q) DeleteGroup(ctx context.Context, storeID, id string) error {
	if _, err := q.exec(ctx, `DELETE FROM memberships WHERE store_id = ? AND group_id = ?`, storeID, id); err != nil {
		return err
	}
	if _, err := q.exec(ctx, `DELETE FROM external_ids WHERE store_id = ? AND resource_id = ?`, storeID, id); err != nil {
		return err
	}
	return affected(q.exec(ctx, `DELETE FROM groups WHERE store_id = ? AND id = ?`, storeID, id))
}

// SetExternalIDs replaces the external ids of a user or group. An id already
// held by another resource of the same kind fails with ErrAlreadyExists.
func (q Q) SetExternalIDs(ctx context.Context, storeID, kind, resourceID string, ids []ExternalID) error {
	if _, err := q.exec(ctx, `DELETE FROM external_ids WHERE store_id = ? AND resource_id = ?`, storeID, resourceID); err != nil {
		return err
	}
	for _, e := range ids {
		if _, err := q.exec(ctx, `INSERT INTO external_ids (store_id, kind, issuer, ext_id, resource_id) VALUES (?, ?, ?, ?, ?)`,
			storeID, kind, e.Issuer, e.ID, resourceID); err != nil {
			return err
		}
	}
	return nil
}

// ResourceByExternalID finds the user or group holding an external id.
func (q Q) ResourceByExternalID(ctx context.Context, storeID, kind string, e ExternalID) (string, error) {
	var id string
	err := q.row(ctx, `SELECT resource_id FROM external_ids WHERE store_id = ? AND kind = ? AND issuer = ? AND ext_id = ?`, storeID, kind, e.Issuer, e.ID).Scan(&id)
	return id, scanErr(err)
}

// InsertMembership stores a new membership; the same pair twice fails with
// ErrAlreadyExists.
func (q Q) InsertMembership(ctx context.Context, m *Membership) error {
	_, err := q.exec(ctx, `INSERT INTO memberships (store_id, id, group_id, user_id, created_ms) VALUES (?, ?, ?, ?, ?)`,
		m.StoreID, m.ID, m.GroupID, m.UserID, ms(m.Created))
	return err
}

// AddMembership stores a new membership if its group and its user exist in
// its store and the user is not in the group yet, and reports whether it
// did: the checks and the insert in one statement (see AddUser), the
// caller finds out which failed only when one did.
func (q Q) AddMembership(ctx context.Context, m *Membership) (bool, error) {
	return inserted(q.exec(ctx, `INSERT INTO memberships (store_id, id, group_id, user_id, created_ms)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM groups WHERE store_id = ? AND id = ?)
			AND EXISTS (SELECT 1 FROM users WHERE store_id = ? AND id = ?)`+onConflictNothing,
		m.StoreID, m.ID, m.GroupID, m.UserID, ms(m.Created), m.StoreID, m.GroupID, m.StoreID, m.UserID))
}

const membershipCols = `store_id, id, group_id, user_id, created_ms`

func scanMembership(sc scanner) (*Membership, error) {
	var m Membership
	var created int64
	if err := sc.Scan(&m.StoreID, &m.ID, &m.GroupID, &m.UserID, &created); err != nil {
		return nil, scanErr(err)
	}
	m.Created = fromMS(created)
	return &m, nil
}

// Membership reads a membership by id.
func (q Q) Membership(ctx context.Context, storeID, id string) (*Membership, error) {
	return scanMembership(q.row(ctx, `SELECT `+membershipCols+` FROM memberships WHERE store_id = ? AND id = ?`, storeID, id))
}

// MembershipByPair finds the membership of a user in a group.
func (q Q) MembershipByPair(ctx context.Context, storeID, groupID, userID string) (*Membership, error) {
	return scanMembership(q.row(ctx, `SELECT `+membershipCols+` FROM memberships WHERE store_id = ? AND group_id = ? AND user_id = ?`, storeID, groupID, userID))
}

// MembershipsOfGroupAfter lists up to limit memberships of a group after the
// given membership id.
func (q Q) MembershipsOfGroupAfter(ctx context.Context, storeID, groupID, after string, limit int) ([]*Membership, error) {
	return q.memberships(ctx, `SELECT `+membershipCols+` FROM memberships WHERE store_id = ? AND group_id = ? AND id > ? ORDER BY id LIMIT ?`, storeID, groupID, after, limit)
}

// MembershipsOfUserAfter lists up to limit memberships of a user after the
// given membership id.
func (q Q) MembershipsOfUserAfter(ctx context.Context, storeID, userID, after string, limit int) ([]*Membership, error) {
	return q.memberships(ctx, `SELECT `+membershipCols+` FROM memberships WHERE store_id = ? AND user_id = ? AND id > ? ORDER BY id LIMIT ?`, storeID, userID, after, limit)
}

// MembershipsOfUserIn returns which of the given groups the user belongs to.
func (q Q) MembershipsOfUserIn(ctx context.Context, storeID, userID string, groupIDs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(groupIDs))
	if len(groupIDs) == 0 {
		return out, nil
	}
	if !q.f.dollar {
		if done, err := q.membershipsOfUserInScan(ctx, storeID, userID, groupIDs, out); done || err != nil {
			return out, err
		}
	}
	args := make([]any, 0, len(groupIDs)+2)
	args = append(args, storeID, userID)
	for _, g := range groupIDs {
		args = append(args, g)
	}
	args = padIn(args, 2)
	rows, err := q.query(ctx, `SELECT group_id FROM memberships WHERE store_id = ? AND user_id = ? AND group_id IN (`+placeholders(len(args)-2)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out[g] = true
	}
	return out, rows.Err()
}

// scanMembershipsOfUser bounds the memberships membershipsOfUserInScan reads.
const scanMembershipsOfUser = 256

// membershipsOfUserInScan answers MembershipsOfUserIn on SQLite for a user
// in at most scanMembershipsOfUser groups (done false for one in more): it
// reads the user's groups, one range of memberships_user, and keeps those
// asked for. SQLite's planner probes memberships_pair once per group asked
// instead, a random leaf page each, most of them outside the readers' map
// (flavor.go): at 100,000 users, half of IsMemberInGroups' CPU. For a user
// in many groups the probes read fewer pages.
func (q Q) membershipsOfUserInScan(ctx context.Context, storeID, userID string, groupIDs []string, out map[string]bool) (done bool, err error) {
	groups, err := q.groupsOf(ctx, storeID, userID, scanMembershipsOfUser+1)
	if err != nil || len(groups) > scanMembershipsOfUser {
		return false, err
	}
	for _, g := range groups {
		if slices.Contains(groupIDs, g) {
			out[g] = true
		}
	}
	return true, nil
}

func (q Q) memberships(ctx context.Context, query string, args ...any) ([]*Membership, error) {
	return queryAll(ctx, q, scanMembership, query, args...)
}

// DeleteMembership removes a membership.
func (q Q) DeleteMembership(ctx context.Context, storeID, id string) error {
	return affected(q.exec(ctx, `DELETE FROM memberships WHERE store_id = ? AND id = ?`, storeID, id))
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
