package store

import (
	"context"
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
// On SQLite the page crosses the driver as one row (joined.go): row by row
// the call took 10-15% more of the server's CPU under the load tool. Every
// assignment of a permission set is in its instance, so that column is read
// once.
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
	var instance string
	cols := make(joined, 3)
	if err := q.row(ctx, `SELECT count(*), coalesce(min(instance_arn), ''), coalesce(string_agg(principal_type, ','), ''),
		coalesce(string_agg(principal_id, ','), ''), coalesce(string_agg(created_ms, ','), '')
		FROM (SELECT principal_type, principal_id, instance_arn, created_ms `+page+`) AS p`, args...).Scan(&n, &instance, &cols[0], &cols[1], &cols[2]); err != nil {
		return nil, err
	}
	out := make([]*Assignment, 0, n)
	for range n {
		a := &Assignment{PermissionSetArn: permSetArn, AccountID: accountID, InstanceArn: instance, PrincipalType: cols.next(0), PrincipalID: cols.next(1)}
		var err error
		if a.Created, err = cols.nextTime(2); err != nil {
			return nil, err
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
