package store

import (
	"context"
	"time"
)

// OrgPolicy is an AWS Organizations policy (a service control policy, say)
// of one organization. AWS managed policies (FullAWSAccess) have the same
// id in every organization, so policies are keyed by (organization, id).
type OrgPolicy struct {
	OrgID       string
	ID          string // p-<8 to 128 lowercase alphanumerics or underscores>
	Arn         string
	Name        string
	Description string
	Type        string // SERVICE_CONTROL_POLICY, ...
	Content     string
	AWSManaged  bool
	Created     time.Time
}

// DelegatedAdmin is an account registered as the delegated administrator
// of an AWS service for its organization.
type DelegatedAdmin struct {
	OrgID            string
	AccountID        string
	ServicePrincipal string
	Enabled          time.Time
}

const orgPolicyCols = `org_id, id, arn, name, description, type, content, aws_managed, created_ms`

func scanOrgPolicy(sc scanner) (*OrgPolicy, error) {
	var p OrgPolicy
	var managed int
	var created int64
	if err := sc.Scan(&p.OrgID, &p.ID, &p.Arn, &p.Name, &p.Description, &p.Type, &p.Content, &managed, &created); err != nil {
		return nil, scanErr(err)
	}
	p.AWSManaged, p.Created = managed != 0, fromMS(created)
	return &p, nil
}

// InsertOrgPolicy stores a new policy.
func (q Q) InsertOrgPolicy(ctx context.Context, p *OrgPolicy) error {
	_, err := q.exec(ctx, `INSERT INTO org_policies (`+orgPolicyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.OrgID, p.ID, p.Arn, p.Name, p.Description, p.Type, p.Content, b2i(p.AWSManaged), ms(p.Created))
	return err
}

// UpdateOrgPolicy rewrites a policy's name, description and content.
func (q Q) UpdateOrgPolicy(ctx context.Context, p *OrgPolicy) error {
	return affected(q.exec(ctx, `UPDATE org_policies SET name = ?, description = ?, content = ? WHERE org_id = ? AND id = ?`,
		p.Name, p.Description, p.Content, p.OrgID, p.ID))
}

// DeleteOrgPolicy removes a policy (the caller checks it is detached).
func (q Q) DeleteOrgPolicy(ctx context.Context, orgID, id string) error {
	return affected(q.exec(ctx, `DELETE FROM org_policies WHERE org_id = ? AND id = ?`, orgID, id))
}

// OrgPolicy reads a policy.
func (q Q) OrgPolicy(ctx context.Context, orgID, id string) (*OrgPolicy, error) {
	return scanOrgPolicy(q.row(ctx, `SELECT `+orgPolicyCols+` FROM org_policies WHERE org_id = ? AND id = ?`, orgID, id))
}

// OrgPolicyIDByName finds a policy of a type by its name.
func (q Q) OrgPolicyIDByName(ctx context.Context, orgID, typ, name string) (string, error) {
	var id string
	err := q.row(ctx, `SELECT id FROM org_policies WHERE org_id = ? AND type = ? AND name = ?`, orgID, typ, name).Scan(&id)
	return id, scanErr(err)
}

// OrgPoliciesAfter lists up to limit policies of a type whose id sorts
// after the given one.
func (q Q) OrgPoliciesAfter(ctx context.Context, orgID, typ, after string, limit int) ([]*OrgPolicy, error) {
	return q.orgPolicies(ctx, `SELECT `+orgPolicyCols+` FROM org_policies WHERE org_id = ? AND type = ? AND id > ? ORDER BY id LIMIT ?`, orgID, typ, after, limit)
}

// OrgPoliciesForTarget lists up to limit policies of a type attached to a
// target, after the given policy id.
func (q Q) OrgPoliciesForTarget(ctx context.Context, orgID, typ, targetID, after string, limit int) ([]*OrgPolicy, error) {
	return q.orgPolicies(ctx, `SELECT p.org_id, p.id, p.arn, p.name, p.description, p.type, p.content, p.aws_managed, p.created_ms
		FROM org_policies p JOIN org_policy_targets t ON t.org_id = p.org_id AND t.policy_id = p.id
		WHERE p.org_id = ? AND p.type = ? AND t.target_id = ? AND p.id > ? ORDER BY p.id LIMIT ?`, orgID, typ, targetID, after, limit)
}

func (q Q) orgPolicies(ctx context.Context, query string, args ...any) ([]*OrgPolicy, error) {
	return queryAll(ctx, q, scanOrgPolicy, query, args...)
}

// AttachOrgPolicy attaches a policy to a target (a root or an account).
func (q Q) AttachOrgPolicy(ctx context.Context, orgID, policyID, targetID string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO org_policy_targets (org_id, policy_id, target_id, attached_ms) VALUES (?, ?, ?, ?)`, orgID, policyID, targetID, ms(at))
	return err
}

// DetachOrgPolicy detaches a policy from a target.
func (q Q) DetachOrgPolicy(ctx context.Context, orgID, policyID, targetID string) error {
	return affected(q.exec(ctx, `DELETE FROM org_policy_targets WHERE org_id = ? AND policy_id = ? AND target_id = ?`, orgID, policyID, targetID))
}

// OrgPolicyTargetsAfter lists up to limit targets a policy is attached to,
// after the given target id.
func (q Q) OrgPolicyTargetsAfter(ctx context.Context, orgID, policyID, after string, limit int) ([]string, error) {
	return q.queryStrings(ctx, `SELECT target_id FROM org_policy_targets WHERE org_id = ? AND policy_id = ? AND target_id > ? ORDER BY target_id LIMIT ?`,
		orgID, policyID, after, limit)
}

// CountOrgPolicyTargets counts the targets of a policy.
func (q Q) CountOrgPolicyTargets(ctx context.Context, orgID, policyID string) (int, error) {
	return q.queryCount(ctx, `SELECT COUNT(*) FROM org_policy_targets WHERE org_id = ? AND policy_id = ?`, orgID, policyID)
}

// CountOrgPoliciesOnTarget counts the policies of a type attached to a
// target.
func (q Q) CountOrgPoliciesOnTarget(ctx context.Context, orgID, typ, targetID string) (int, error) {
	return q.queryCount(ctx, `SELECT COUNT(*) FROM org_policy_targets t JOIN org_policies p ON p.org_id = t.org_id AND p.id = t.policy_id
		WHERE t.org_id = ? AND p.type = ? AND t.target_id = ?`, orgID, typ, targetID)
}

// PolicyAttachment is a policy's content as attached to one target.
type PolicyAttachment struct {
	TargetID string
	PolicyID string
	Name     string
	Content  string
}

// OrgPoliciesOn returns the policies of a type attached to any of the
// targets (to every target when none is named), for evaluation.
func (q Q) OrgPoliciesOn(ctx context.Context, orgID, typ string, targets ...string) ([]PolicyAttachment, error) {
	args := []any{orgID, typ}
	for _, t := range targets {
		args = append(args, t)
	}
	in := ""
	if len(targets) > 0 {
		in = ` AND t.target_id IN (` + placeholders(len(targets)) + `)`
	}
	return queryAll(ctx, q, func(sc scanner) (PolicyAttachment, error) {
		var a PolicyAttachment
		err := sc.Scan(&a.TargetID, &a.PolicyID, &a.Name, &a.Content)
		return a, err
	}, `SELECT t.target_id, p.id, p.name, p.content FROM org_policy_targets t JOIN org_policies p ON p.org_id = t.org_id AND p.id = t.policy_id
		WHERE t.org_id = ? AND p.type = ?`+in+` ORDER BY t.target_id, p.id`, args...)
}

// InsertDelegatedAdmin registers a delegated administrator.
func (q Q) InsertDelegatedAdmin(ctx context.Context, d *DelegatedAdmin) error {
	_, err := q.exec(ctx, `INSERT INTO delegated_admins (org_id, account_id, service_principal, enabled_ms) VALUES (?, ?, ?, ?)`,
		d.OrgID, d.AccountID, d.ServicePrincipal, ms(d.Enabled))
	return err
}

// DeleteDelegatedAdmin deregisters a delegated administrator.
func (q Q) DeleteDelegatedAdmin(ctx context.Context, orgID, accountID, principal string) error {
	return affected(q.exec(ctx, `DELETE FROM delegated_admins WHERE org_id = ? AND account_id = ? AND service_principal = ?`, orgID, accountID, principal))
}

// DelegatedAdmins lists the delegated administrators of an organization,
// of one service principal or ("" ) of all, ordered by account.
func (q Q) DelegatedAdmins(ctx context.Context, orgID, principal string) ([]*DelegatedAdmin, error) {
	query, args := `SELECT org_id, account_id, service_principal, enabled_ms FROM delegated_admins WHERE org_id = ? ORDER BY account_id, service_principal`, []any{orgID}
	if principal != "" {
		query, args = `SELECT org_id, account_id, service_principal, enabled_ms FROM delegated_admins WHERE org_id = ? AND service_principal = ? ORDER BY account_id`, []any{orgID, principal}
	}
	return queryAll(ctx, q, func(sc scanner) (*DelegatedAdmin, error) {
		var d DelegatedAdmin
		var enabled int64
		err := sc.Scan(&d.OrgID, &d.AccountID, &d.ServicePrincipal, &enabled)
		d.Enabled = fromMS(enabled)
		return &d, err
	}, query, args...)
}

// DeleteTags removes every tag of a resource.
func (q Q) DeleteTags(ctx context.Context, arn string) error {
	_, err := q.exec(ctx, `DELETE FROM tags WHERE resource_arn = ?`, arn)
	return err
}
