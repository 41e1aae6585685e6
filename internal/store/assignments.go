package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Assignment gives a principal (a user or group of the instance's identity
// store) access to an account with a permission set.
type Assignment struct {
	PermissionSetArn string
	AccountID        string
	PrincipalType    string // USER or GROUP
	PrincipalID      string
	InstanceArn      string
	Created          time.Time
}

// PermSetRequest is an asynchronous request of the permission-set domain:
// an account assignment creation or deletion, or a provisioning. It is
// IN_PROGRESS until background work finishes it (SUCCEEDED, or FAILED with
// a FailureReason).
type PermSetRequest struct {
	RequestID        string
	InstanceArn      string
	Kind             string // CREATE, DELETE (assignments) or PROVISION
	Status           string // IN_PROGRESS, SUCCEEDED, FAILED
	FailureReason    string
	PermissionSetArn string
	TargetType       string // AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS
	AccountID        string // the target account, "" for ALL_PROVISIONED_ACCOUNTS
	PrincipalType    string
	PrincipalID      string
	Created          time.Time
	Updated          time.Time
}

// InsertAssignment stores an assignment. It reports false (and changes
// nothing) when the assignment exists already.
func (q Q) InsertAssignment(ctx context.Context, a *Assignment) (bool, error) {
	res, err := q.exec(ctx, `INSERT INTO account_assignments (permission_set_arn, account_id, principal_type, principal_id, instance_arn, created_ms) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (permission_set_arn, account_id, principal_type, principal_id) DO NOTHING`,
		a.PermissionSetArn, a.AccountID, a.PrincipalType, a.PrincipalID, a.InstanceArn, ms(a.Created))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteAssignment removes an assignment; ErrNotFound when there is none.
func (q Q) DeleteAssignment(ctx context.Context, permSetArn, accountID, principalType, principalID string) error {
	return affected(q.exec(ctx, `DELETE FROM account_assignments WHERE permission_set_arn = ? AND account_id = ? AND principal_type = ? AND principal_id = ?`,
		permSetArn, accountID, principalType, principalID))
}

// CountAssignments counts the assignments of a permission set in an account
// (accountID "" counts them in every account).
func (q Q) CountAssignments(ctx context.Context, permSetArn, accountID string) (int, error) {
	if accountID == "" {
		return q.queryCount(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM account_assignments WHERE permission_set_arn = ? LIMIT 1) t`, permSetArn)
	}
	return q.queryCount(ctx, `SELECT COUNT(*) FROM account_assignments WHERE permission_set_arn = ? AND account_id = ?`, permSetArn, accountID)
}

// AssignmentsAfter lists up to limit assignments of a permission set in an
// account whose principal (type, id) sorts after the given one.
//
// On SQLite the page crosses the driver as one row, each column joined on
// its own in the page's order (as AccessOf's): row by row, each column of
// each row cost the driver a lock and a copy (the call took 10-15% more of
// the server's CPU under the load tool). Every assignment of a permission
// set is in its instance, so that column is read once.
func (q Q) AssignmentsAfter(ctx context.Context, permSetArn, accountID, afterType, afterID string, limit int) ([]*Assignment, error) {
	const page = `FROM account_assignments
		WHERE permission_set_arn = ? AND account_id = ? AND (principal_type > ? OR principal_type = ? AND principal_id > ?)
		ORDER BY principal_type, principal_id LIMIT ?`
	args := []any{permSetArn, accountID, afterType, afterType, afterID, limit}
	if q.f.dollar {
		return queryAll(ctx, q, func(sc scanner) (*Assignment, error) {
			a := Assignment{PermissionSetArn: permSetArn, AccountID: accountID}
			var created int64
			err := sc.Scan(&a.PrincipalType, &a.PrincipalID, &a.InstanceArn, &created)
			a.Created = fromMS(created)
			return &a, err
		}, `SELECT principal_type, principal_id, instance_arn, created_ms `+page, args...)
	}
	var n int
	var instance, types, principals, created string
	if err := q.row(ctx, `SELECT count(*), coalesce(min(instance_arn), ''), coalesce(string_agg(principal_type, ','), ''),
		coalesce(string_agg(principal_id, ','), ''), coalesce(string_agg(created_ms, ','), '')
		FROM (SELECT principal_type, principal_id, instance_arn, created_ms `+page+`) AS p`, args...).Scan(&n, &instance, &types, &principals, &created); err != nil {
		return nil, err
	}
	// Principal types and ids hold no commas (their patterns in the model).
	out := make([]*Assignment, 0, n)
	for range n {
		a := &Assignment{PermissionSetArn: permSetArn, AccountID: accountID, InstanceArn: instance}
		var ms string
		a.PrincipalType, types, _ = strings.Cut(types, ",")
		a.PrincipalID, principals, _ = strings.Cut(principals, ",")
		ms, created, _ = strings.Cut(created, ",")
		at, err := strconv.ParseInt(ms, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("store: assignment creation time %q: %w", ms, err)
		}
		a.Created = fromMS(at)
		out = append(out, a)
	}
	return out, nil
}

// PrincipalAccess names what a principal may reach: an account with a
// permission set, and the principal whose assignment gives it (the user
// itself, or one of its groups).
type PrincipalAccess struct {
	AccountID        string
	PermissionSetArn string
	PrincipalType    string
	PrincipalID      string
}

// AccessOf lists up to limit (account, permission set) pairs of an
// instance, sorting after (afterAccount, afterPermSet), that a principal
// reaches. A group reaches its own assignments; a user reaches its own and
// those of every group of storeID it belongs to, each pair once (through
// its own assignment when it has one, else through the group whose id sorts
// first). accountID, when not "", keeps one account.
//
// The pairs are sorted and deduplicated here, not by SQLite: a user in 50
// groups has a few hundred rows, and SQLite's aggregate (a string built per
// row for MIN, a sorter) cost several milliseconds of CPU per page; its
// sorter alone, allocating each row through the C library's one lock, made
// concurrent calls wait on each other. The rows cross the driver joined
// (string_agg in the order they come, no sorter): on SQLite each column of
// each row costs the driver a lock and a copy. Each column is joined on its
// own, the three lists in one order (one aggregation loop feeds them): an
// expression joining a row's columns (a || ' ' || b ...) made SQLite
// allocate and free a string per operator per row, a quarter of the call's
// CPU for a user in 50 groups.
func (q Q) AccessOf(ctx context.Context, instanceArn, storeID, principalType, principalID, accountID, afterAccount, afterPermSet string, limit int) ([]*PrincipalAccess, error) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT coalesce(string_agg(account_id, ','), ''), coalesce(string_agg(permission_set_arn, ','), ''), coalesce(string_agg(principal_id, ','), '')
		FROM account_assignments WHERE `)
	if principalType == "USER" {
		b.WriteString(`principal_id IN (SELECT CAST(? AS TEXT) UNION ALL SELECT group_id FROM memberships WHERE store_id = ? AND user_id = ?)
			AND (principal_type = 'USER' AND principal_id = ? OR principal_type = 'GROUP' AND principal_id <> ?)`)
		args = append(args, principalID, storeID, principalID, principalID, principalID)
	} else {
		b.WriteString(`principal_id = ? AND principal_type = 'GROUP'`)
		args = append(args, principalID)
	}
	b.WriteString(` AND instance_arn = ? AND (account_id > ? OR account_id = ? AND permission_set_arn > ?)`)
	args = append(args, instanceArn, afterAccount, afterAccount, afterPermSet)
	if accountID != "" {
		b.WriteString(` AND account_id = ?`)
		args = append(args, accountID)
	}
	var accounts, permSets, principals string
	if err := q.row(ctx, b.String(), args...).Scan(&accounts, &permSets, &principals); err != nil {
		return nil, err
	}
	// Account ids, ARNs and principal ids hold no commas (their patterns in
	// the model).
	var all []*PrincipalAccess
	for accounts != "" {
		var account, permSet, principal string
		account, accounts, _ = strings.Cut(accounts, ",")
		permSet, permSets, _ = strings.Cut(permSets, ",")
		principal, principals, _ = strings.Cut(principals, ",")
		a := &PrincipalAccess{AccountID: account, PermissionSetArn: permSet, PrincipalType: "GROUP", PrincipalID: principal}
		if principal == principalID && principalType == "USER" {
			a.PrincipalType = "USER"
		}
		all = append(all, a)
	}
	// Within a pair, the user's own assignment first, then its groups by
	// id: the first row of each pair is the one reported.
	slices.SortFunc(all, func(x, y *PrincipalAccess) int {
		if c := strings.Compare(x.AccountID, y.AccountID); c != 0 {
			return c
		}
		if c := strings.Compare(x.PermissionSetArn, y.PermissionSetArn); c != 0 {
			return c
		}
		if x.PrincipalType != y.PrincipalType {
			return strings.Compare(y.PrincipalType, x.PrincipalType) // USER before GROUP
		}
		return strings.Compare(x.PrincipalID, y.PrincipalID)
	})
	out := all[:0]
	for _, a := range all {
		if n := len(out); n > 0 && out[n-1].AccountID == a.AccountID && out[n-1].PermissionSetArn == a.PermissionSetArn {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, a)
	}
	return out, nil
}

const permSetRequestCols = `request_id, instance_arn, kind, status, failure_reason, permission_set_arn, target_type, account_id, principal_type, principal_id, created_ms, updated_ms`

func scanPermSetRequest(sc scanner) (*PermSetRequest, error) {
	var r PermSetRequest
	var created, updated int64
	if err := sc.Scan(&r.RequestID, &r.InstanceArn, &r.Kind, &r.Status, &r.FailureReason, &r.PermissionSetArn, &r.TargetType, &r.AccountID,
		&r.PrincipalType, &r.PrincipalID, &created, &updated); err != nil {
		return nil, scanErr(err)
	}
	r.Created, r.Updated = fromMS(created), fromMS(updated)
	return &r, nil
}

func (q Q) permSetRequests(ctx context.Context, query string, args ...any) ([]*PermSetRequest, error) {
	return queryAll(ctx, q, scanPermSetRequest, query, args...)
}

// InsertPermSetRequest stores a new request, numbered (seq) after every
// request stored before it.
func (q Q) InsertPermSetRequest(ctx context.Context, r *PermSetRequest) error {
	_, err := q.exec(ctx, `INSERT INTO permset_requests (`+permSetRequestCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.RequestID, r.InstanceArn, r.Kind, r.Status, r.FailureReason, r.PermissionSetArn, r.TargetType, r.AccountID, r.PrincipalType, r.PrincipalID,
		ms(r.Created), ms(r.Updated))
	return err
}

// PermSetRequest reads a request by id.
func (q Q) PermSetRequest(ctx context.Context, id string) (*PermSetRequest, error) {
	return scanPermSetRequest(q.row(ctx, `SELECT `+permSetRequestCols+` FROM permset_requests WHERE request_id = ?`, id))
}

// PermSetRequestsAfter lists up to limit requests of a kind in an instance,
// oldest first, that come after (afterMS, afterID); status "" keeps every
// status.
func (q Q) PermSetRequestsAfter(ctx context.Context, instanceArn, kind, status string, afterMS int64, afterID string, limit int) ([]*PermSetRequest, error) {
	query := `SELECT ` + permSetRequestCols + ` FROM permset_requests WHERE instance_arn = ? AND kind = ? AND (created_ms > ? OR created_ms = ? AND request_id > ?)`
	args := []any{instanceArn, kind, afterMS, afterMS, afterID}
	if status != "" {
		query, args = query+` AND status = ?`, append(args, status)
	}
	return q.permSetRequests(ctx, query+` ORDER BY created_ms, request_id LIMIT ?`, append(args, limit)...)
}

// PermSetRequestsInStatus lists up to limit requests (of any instance) in a
// status, in the order they were made, for the background work that
// finishes them.
func (q Q) PermSetRequestsInStatus(ctx context.Context, status string, limit int) ([]*PermSetRequest, error) {
	return q.permSetRequests(ctx, `SELECT `+permSetRequestCols+` FROM permset_requests WHERE status = ? ORDER BY seq LIMIT ?`, status, limit)
}

// ClaimPermSetRequest takes a request in status from for the rest of the
// transaction (a compare-and-set that also locks its row on PostgreSQL):
// ErrNotFound when it is no longer in that status.
func (q Q) ClaimPermSetRequest(ctx context.Context, id, from string, at time.Time) error {
	return affected(q.exec(ctx, `UPDATE permset_requests SET updated_ms = ? WHERE request_id = ? AND status = ?`, ms(at), id, from))
}

// FinishPermSetRequest records the outcome of a request.
func (q Q) FinishPermSetRequest(ctx context.Context, id, status, reason string, at time.Time) error {
	return affected(q.exec(ctx, `UPDATE permset_requests SET status = ?, failure_reason = ?, updated_ms = ? WHERE request_id = ?`, status, reason, ms(at), id))
}
