package report

import (
	"cmp"
	"context"
	"slices"

	"github.com/idcenter/idcenter/internal/store"
)

// accessColumns are the columns of the access report, and of the
// assignment rows of the offboarding report.
var accessColumns = []string{"UserName", "UserId", "IdentityStoreId", "InstanceArn", "AccountId", "PermissionSetName",
	"PermissionSetArn", "Access", "GroupName", "GroupId"}

// Access lists who can reach what in the organization: one row per way a
// user reaches an account with a permission set. Access is direct (an
// assignment to the user) or group (an assignment to GroupName, a group the
// user belongs to); a user reaching the same account and permission set in
// several ways has a row for each. Rows are sorted by user name, account,
// permission set name and group name.
func Access(ctx context.Context, q store.Q, orgID string) (*Table, error) {
	paths, err := q.OrgAccessPaths(ctx, orgID)
	if err != nil {
		return nil, err
	}
	rows, err := accessRows(ctx, q, orgID, paths)
	if err != nil {
		return nil, err
	}
	return &Table{Columns: accessColumns, Rows: rows}, nil
}

// accessRows turns access paths into sorted rows of accessColumns.
func accessRows(ctx context.Context, q store.Q, orgID string, paths []store.AccessPath) ([][]any, error) {
	users, groups := map[string][]string{}, map[string][]string{}
	seen := map[string]bool{}
	for _, p := range paths {
		if k := p.StoreID + "/" + p.UserID; !seen[k] {
			seen[k] = true
			users[p.StoreID] = append(users[p.StoreID], p.UserID)
		}
		if k := p.StoreID + "/" + p.PrincipalID; p.PrincipalType == "GROUP" && !seen[k] {
			seen[k] = true
			groups[p.StoreID] = append(groups[p.StoreID], p.PrincipalID)
		}
	}
	name, err := names(ctx, q, users, groups)
	if err != nil {
		return nil, err
	}
	sets, err := q.OrgPermissionSetNames(ctx, orgID)
	if err != nil {
		return nil, err
	}
	type row struct {
		p                         store.AccessPath
		user, set, access, groupN string
	}
	list := make([]row, len(paths))
	for i, p := range paths {
		r := row{p: p, user: name[p.StoreID+"/"+p.UserID], set: sets[p.PermissionSetArn], access: "direct"}
		if p.PrincipalType == "GROUP" {
			r.access, r.groupN = "group", name[p.StoreID+"/"+p.PrincipalID]
		}
		list[i] = r
	}
	slices.SortFunc(list, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.p.UserID, b.p.UserID), cmp.Compare(a.p.AccountID, b.p.AccountID),
			cmp.Compare(a.set, b.set), cmp.Compare(a.p.PermissionSetArn, b.p.PermissionSetArn), cmp.Compare(a.access, b.access),
			cmp.Compare(a.groupN, b.groupN), cmp.Compare(a.p.PrincipalID, b.p.PrincipalID))
	})
	out := make([][]any, len(list))
	for i, r := range list {
		var groupName, groupID any
		if r.access == "group" {
			groupName, groupID = r.groupN, r.p.PrincipalID
		}
		out[i] = []any{opt(r.user), r.p.UserID, r.p.StoreID, r.p.InstanceArn, r.p.AccountID, opt(r.set), r.p.PermissionSetArn,
			r.access, groupName, groupID}
	}
	return out, nil
}
