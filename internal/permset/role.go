package permset

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// A permission set provisioned in an account is a role there, named
// AWSReservedSSO_<permission set name>_<16 hex> as AWS names it, trusted by
// the instance's SAML provider in that account (so no access key can assume
// it through sts:AssumeRole), and holding the permission set's effective
// policies (store.RolePolicies, as the JSON of Effective).

// RolePrefix starts the name of every role provisioning makes.
const RolePrefix = "AWSReservedSSO_"

// roleName returns a new role name for a permission set.
func roleName(psName string) string { return RolePrefix + psName + "_" + ids.Hex(16) }

// Effective is what a provisioned role holds: the permission set's
// policies and session settings at the version provisioned.
type Effective struct {
	PermissionSetArn                string        `json:"PermissionSetArn"`
	Version                         int64         `json:"Version"`
	SessionDuration                 string        `json:"SessionDuration"`
	RelayState                      string        `json:"RelayState,omitempty"`
	InlinePolicy                    string        `json:"InlinePolicy,omitempty"`
	ManagedPolicyArns               []string      `json:"ManagedPolicyArns,omitempty"`
	CustomerManagedPolicyReferences []CustomerRef `json:"CustomerManagedPolicyReferences,omitempty"`
	PermissionsBoundary             *Boundary     `json:"PermissionsBoundary,omitempty"`
}

// effective builds the effective policy document of a permission set.
func effective(ctx context.Context, q store.Q, ps *store.PermissionSet) (string, error) {
	e := Effective{PermissionSetArn: ps.Arn, Version: ps.Version, SessionDuration: ps.SessionDuration, RelayState: ps.RelayState,
		InlinePolicy: ps.InlinePolicy, PermissionsBoundary: boundaryOf(ps)}
	attached, err := q.AttachedPoliciesAfter(ctx, ps.Arn, "", "", 0)
	if err != nil {
		return "", err
	}
	for _, p := range attached {
		if p.Kind == store.PolicyManaged {
			e.ManagedPolicyArns = append(e.ManagedPolicyArns, p.Key)
		} else {
			e.CustomerManagedPolicyReferences = append(e.CustomerManagedPolicyReferences, CustomerRef{Name: p.Name, Path: p.Path})
		}
	}
	b, err := json.Marshal(e)
	return string(b), err
}

// trustPolicy is the trust policy of a provisioned role: the instance's
// SAML provider in the account may assume it.
func trustPolicy(instanceArn, accountID string) string {
	b, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]string{"Federated": "arn:aws:iam::" + accountID + ":saml-provider/AWSSSO_" + instanceID(instanceArn)[len("ssoins-"):] + "_DO_NOT_DELETE"},
			"Action":    []string{"sts:AssumeRoleWithSAML", "sts:TagSession"},
			"Condition": map[string]any{"StringEquals": map[string]string{"SAML:aud": "https://signin.aws.amazon.com/saml"}},
		}},
	})
	return string(b)
}

// provision brings the permission set's role in an account to the
// permission set's current version: it creates the role when the
// permission set is not provisioned there yet (cur nil), else rewrites its
// policies.
func provision(ctx context.Context, tx *store.Tx, ps *store.PermissionSet, accountID string, cur *store.Provisioned, doc string) error {
	if cur != nil {
		if err := tx.PutRolePolicies(ctx, accountID, cur.RoleName, doc, tx.Now); err != nil {
			return err
		}
		return tx.SetProvisionedVersion(ctx, ps.Arn, accountID, ps.Version, tx.Now)
	}
	p := &store.Provisioned{PermissionSetArn: ps.Arn, AccountID: accountID, InstanceArn: ps.InstanceArn, RoleName: roleName(ps.Name),
		Version: ps.Version, Updated: tx.Now}
	inserted, err := tx.InsertProvisioned(ctx, p)
	if err != nil {
		return err
	}
	if !inserted { // cannot happen under the permission set's lock
		return errs.E("permset.provision", errs.Conflict, "the permission set was provisioned concurrently")
	}
	role := &store.Role{AccountID: accountID, Name: p.RoleName, RoleID: ids.PrincipalID("AROA"), TrustPolicy: trustPolicy(ps.InstanceArn, accountID), Created: tx.Now}
	if err := tx.InsertRole(ctx, role); err != nil {
		return err
	}
	return tx.PutRolePolicies(ctx, accountID, p.RoleName, doc, tx.Now)
}

// deprovision removes the permission set's role from an account.
func deprovision(ctx context.Context, tx *store.Tx, psArn, accountID string) error {
	cur, err := tx.ProvisionedIn(ctx, psArn, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.DeleteRole(ctx, accountID, cur.RoleName); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.DeleteProvisioned(ctx, psArn, accountID)
}

// RoleOf returns the role a permission set is provisioned as in an account
// and its effective policies, for the sign-in and policy code to come.
func (s *Service) RoleOf(ctx context.Context, psArn, accountID string) (string, *Effective, error) {
	const op = "permset.RoleOf"
	q := s.st.R()
	cur, err := q.ProvisionedIn(ctx, psArn, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, errs.E(op, errs.NotFound, "Permission set provision not found in AWS account "+accountID)
	}
	if err != nil {
		return "", nil, errs.Wrap(op, err)
	}
	doc, err := q.RolePolicies(ctx, accountID, cur.RoleName)
	if err != nil {
		return "", nil, errs.Wrap(op, err)
	}
	var e Effective
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		return "", nil, errs.Wrap(op, err)
	}
	return cur.RoleName, &e, nil
}
