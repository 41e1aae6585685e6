package store

import (
	"context"
	"time"
)

// Organization is an AWS organization: its management account and root.
type Organization struct {
	ID                    string // o-<10 lowercase alphanumerics>
	Arn                   string
	ManagementAccountID   string
	RootID                string // r-<4 lowercase alphanumerics>
	FeatureSet            string // ALL
	AllowAccountInstances bool   // whether member accounts may create account instances
	Created               time.Time
}

// Account is an AWS account: in an organization (OrgID set) or standalone.
type Account struct {
	ID           string // 12 digits
	Name         string
	Email        string
	OrgID        string // "" for a standalone account
	ParentID     string // the root or OU it sits under
	Status       string // ACTIVE, SUSPENDED, PENDING_CLOSURE
	JoinedMethod string // INVITED, CREATED
	Joined       time.Time
}

// CreateAccountRequest is the record behind DescribeCreateAccountStatus.
type CreateAccountRequest struct {
	ID            string // car-<32 lowercase alphanumerics>
	OrgID         string
	AccountName   string
	State         string // IN_PROGRESS, SUCCEEDED, FAILED
	AccountID     string
	FailureReason string
	Requested     time.Time
	Completed     time.Time
}

// Role is an IAM role in an account (idcenter keeps only what STS needs).
type Role struct {
	AccountID   string
	Name        string
	RoleID      string // AROA...
	TrustPolicy string
	Created     time.Time
}

// AccessKey is a credential: long-term (Expires zero) or temporary (an STS
// session, with its encrypted token). Secret and SessionToken are sealed by
// the server key; the store never sees them in clear.
type AccessKey struct {
	ID           string
	AccountID    string
	PrincipalArn string
	PrincipalID  string
	Secret       []byte
	SessionToken []byte
	Expires      time.Time
	Created      time.Time
}

// InsertOrganization stores a new organization.
func (q Q) InsertOrganization(ctx context.Context, o *Organization) error {
	_, err := q.exec(ctx, `INSERT INTO organizations (id, arn, management_account_id, root_id, feature_set, allow_account_instances, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Arn, o.ManagementAccountID, o.RootID, o.FeatureSet, b2i(o.AllowAccountInstances), ms(o.Created))
	return err
}

const orgCols = `id, arn, management_account_id, root_id, feature_set, allow_account_instances, created_ms`

func scanOrg(sc scanner) (*Organization, error) {
	var o Organization
	var allow int
	var created int64
	if err := sc.Scan(&o.ID, &o.Arn, &o.ManagementAccountID, &o.RootID, &o.FeatureSet, &allow, &created); err != nil {
		return nil, scanErr(err)
	}
	o.AllowAccountInstances, o.Created = allow != 0, fromMS(created)
	return &o, nil
}

// Organization reads an organization by id.
func (q Q) Organization(ctx context.Context, id string) (*Organization, error) {
	return scanOrg(q.row(ctx, `SELECT `+orgCols+` FROM organizations WHERE id = ?`, id))
}

// Organizations lists every organization (one per idcenter, usually).
func (q Q) Organizations(ctx context.Context) ([]*Organization, error) {
	return queryAll(ctx, q, scanOrg, `SELECT `+orgCols+` FROM organizations ORDER BY created_ms, id`)
}

// SetAllowAccountInstances switches whether member accounts may create
// account instances.
func (q Q) SetAllowAccountInstances(ctx context.Context, orgID string, allow bool) error {
	return affected(q.exec(ctx, `UPDATE organizations SET allow_account_instances = ? WHERE id = ?`, b2i(allow), orgID))
}

// InsertAccount stores a new account.
func (q Q) InsertAccount(ctx context.Context, a *Account) error {
	_, err := q.exec(ctx, `INSERT INTO accounts (id, name, email, org_id, parent_id, status, joined_method, joined_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Name, a.Email, a.OrgID, a.ParentID, a.Status, a.JoinedMethod, ms(a.Joined))
	return err
}

const accountCols = `id, name, email, org_id, parent_id, status, joined_method, joined_ms`

func scanAccount(sc scanner) (*Account, error) {
	var a Account
	var joined int64
	if err := sc.Scan(&a.ID, &a.Name, &a.Email, &a.OrgID, &a.ParentID, &a.Status, &a.JoinedMethod, &joined); err != nil {
		return nil, scanErr(err)
	}
	a.Joined = fromMS(joined)
	return &a, nil
}

// Account reads an account by id.
func (q Q) Account(ctx context.Context, id string) (*Account, error) {
	return scanAccount(q.row(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
}

// AccountsAfter lists up to limit accounts of an organization ("" for
// standalone accounts) whose id sorts after the given one.
func (q Q) AccountsAfter(ctx context.Context, orgID, after string, limit int) ([]*Account, error) {
	return queryAll(ctx, q, scanAccount, `SELECT `+accountCols+` FROM accounts WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, orgID, after, limit)
}

// InsertCreateAccountRequest stores a CreateAccount request.
func (q Q) InsertCreateAccountRequest(ctx context.Context, r *CreateAccountRequest) error {
	_, err := q.exec(ctx, `INSERT INTO create_account_requests (id, org_id, account_name, state, account_id, failure_reason, requested_ms, completed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.AccountName, r.State, r.AccountID, r.FailureReason, ms(r.Requested), ms(r.Completed))
	return err
}

// CreateAccountRequest reads a CreateAccount request by id.
func (q Q) CreateAccountRequest(ctx context.Context, id string) (*CreateAccountRequest, error) {
	var r CreateAccountRequest
	var req, done int64
	err := q.row(ctx, `SELECT id, org_id, account_name, state, account_id, failure_reason, requested_ms, completed_ms FROM create_account_requests WHERE id = ?`, id).
		Scan(&r.ID, &r.OrgID, &r.AccountName, &r.State, &r.AccountID, &r.FailureReason, &req, &done)
	if err != nil {
		return nil, scanErr(err)
	}
	r.Requested, r.Completed = fromMS(req), fromMS(done)
	return &r, nil
}

// InsertRole stores a new role.
func (q Q) InsertRole(ctx context.Context, r *Role) error {
	_, err := q.exec(ctx, `INSERT INTO roles (account_id, name, role_id, trust_policy, created_ms) VALUES (?, ?, ?, ?, ?)`,
		r.AccountID, r.Name, r.RoleID, r.TrustPolicy, ms(r.Created))
	return err
}

// Role reads a role by account and name.
func (q Q) Role(ctx context.Context, accountID, name string) (*Role, error) {
	var r Role
	var created int64
	err := q.row(ctx, `SELECT account_id, name, role_id, trust_policy, created_ms FROM roles WHERE account_id = ? AND name = ?`, accountID, name).
		Scan(&r.AccountID, &r.Name, &r.RoleID, &r.TrustPolicy, &created)
	if err != nil {
		return nil, scanErr(err)
	}
	r.Created = fromMS(created)
	return &r, nil
}

// InsertAccessKey stores a new access key.
func (q Q) InsertAccessKey(ctx context.Context, k *AccessKey) error {
	_, err := q.exec(ctx, `INSERT INTO access_keys (id, account_id, principal_arn, principal_id, secret, session_token, expires_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.AccountID, k.PrincipalArn, k.PrincipalID, k.Secret, k.SessionToken, ms(k.Expires), ms(k.Created))
	return err
}

// AccessKey reads an access key by id.
func (q Q) AccessKey(ctx context.Context, id string) (*AccessKey, error) {
	var k AccessKey
	var exp, created int64
	err := q.row(ctx, `SELECT id, account_id, principal_arn, principal_id, secret, session_token, expires_ms, created_ms FROM access_keys WHERE id = ?`, id).
		Scan(&k.ID, &k.AccountID, &k.PrincipalArn, &k.PrincipalID, &k.Secret, &k.SessionToken, &exp, &created)
	if err != nil {
		return nil, scanErr(err)
	}
	k.Expires, k.Created = fromMS(exp), fromMS(created)
	return &k, nil
}

// DeleteExpiredAccessKeys removes temporary keys that expired before t.
func (q Q) DeleteExpiredAccessKeys(ctx context.Context, t time.Time) (int64, error) {
	res, err := q.exec(ctx, `DELETE FROM access_keys WHERE expires_ms > 0 AND expires_ms < ?`, ms(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// AccountByEmail reads the account with an email address, compared without
// regard to case.
func (q Q) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	return scanAccount(q.row(ctx, `SELECT `+accountCols+` FROM accounts WHERE LOWER(email) = LOWER(?) ORDER BY id LIMIT 1`, email))
}

// CreateAccountJob is the work a CreateAccount request still has to do: it
// exists while the request is IN_PROGRESS and carries what the request record
// does not (the email and role name).
type CreateAccountJob struct {
	RequestID string
	Email     string
	RoleName  string
	Created   time.Time
}

// InsertCreateAccountJob stores the pending work of a CreateAccount request.
func (q Q) InsertCreateAccountJob(ctx context.Context, j *CreateAccountJob) error {
	_, err := q.exec(ctx, `INSERT INTO create_account_jobs (request_id, email, role_name, created_ms) VALUES (?, ?, ?, ?)`,
		j.RequestID, j.Email, j.RoleName, ms(j.Created))
	return err
}

// CreateAccountJob reads the pending work of a CreateAccount request.
func (q Q) CreateAccountJob(ctx context.Context, requestID string) (*CreateAccountJob, error) {
	var j CreateAccountJob
	var created int64
	err := q.row(ctx, `SELECT request_id, email, role_name, created_ms FROM create_account_jobs WHERE request_id = ?`, requestID).
		Scan(&j.RequestID, &j.Email, &j.RoleName, &created)
	if err != nil {
		return nil, scanErr(err)
	}
	j.Created = fromMS(created)
	return &j, nil
}

// CreateAccountJobs lists up to limit pending CreateAccount jobs, oldest
// first.
func (q Q) CreateAccountJobs(ctx context.Context, limit int) ([]*CreateAccountJob, error) {
	return queryAll(ctx, q, func(sc scanner) (*CreateAccountJob, error) {
		var j CreateAccountJob
		var created int64
		err := sc.Scan(&j.RequestID, &j.Email, &j.RoleName, &created)
		j.Created = fromMS(created)
		return &j, err
	}, `SELECT request_id, email, role_name, created_ms FROM create_account_jobs ORDER BY created_ms, request_id LIMIT ?`, limit)
}

// FinishCreateAccountRequest records the outcome of an IN_PROGRESS request
// and drops its job. It returns ErrNotFound when the request is no longer in
// progress (another worker finished it first).
func (q Q) FinishCreateAccountRequest(ctx context.Context, r *CreateAccountRequest) error {
	err := affected(q.exec(ctx, `UPDATE create_account_requests SET state = ?, account_id = ?, failure_reason = ?, completed_ms = ? WHERE id = ? AND state = 'IN_PROGRESS'`,
		r.State, r.AccountID, r.FailureReason, ms(r.Completed), r.ID))
	if err != nil {
		return err
	}
	_, err = q.exec(ctx, `DELETE FROM create_account_jobs WHERE request_id = ?`, r.ID)
	return err
}
