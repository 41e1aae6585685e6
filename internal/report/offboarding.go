package report

import (
	"context"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// Offboarding lists what a departing person holds in the organization, so
// that it can be revoked everywhere: the users that have email among their
// emails (without regard to case) in any identity store, and for each its
// instance, its group memberships and the account assignments that reach
// it (its own, and its groups'). Type says what a row is:
//
//   - instance: an instance where the person has a user;
//   - user: the user (DeleteUser);
//   - group-membership: a group the user belongs to (DeleteGroupMembership
//     with MembershipId);
//   - assignment: an account and permission set the user reaches, directly
//     (DeleteAccountAssignment for the user) or through GroupName (remove the
//     membership, or the group's assignment).
func Offboarding(ctx context.Context, q store.Q, orgID, email string) (*Table, error) {
	candidates, err := q.OrgUsersMentioning(ctx, orgID, email)
	if err != nil {
		return nil, err
	}
	instances, err := orgInstances(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	instanceOf := map[string]*store.Instance{}
	for _, in := range instances {
		instanceOf[in.IdentityStoreID] = in
	}
	t := &Table{Columns: []string{"Type", "InstanceArn", "IdentityStoreId", "UserName", "UserId", "GroupName", "GroupId", "MembershipId",
		"AccountId", "PermissionSetName", "PermissionSetArn", "Access"}}
	lastStore := ""
	for _, u := range candidates { // sorted by store, then id
		attrs := parseUser(u)
		if !hasEmail(attrs, email) {
			continue
		}
		in := instanceOf[u.StoreID]
		if in == nil {
			continue
		}
		if u.StoreID != lastStore {
			t.Add("instance", in.Arn, in.IdentityStoreID, nil, nil, nil, nil, nil, nil, nil, nil, nil)
			lastStore = u.StoreID
		}
		user := opt(attrs.UserName)
		t.Add("user", in.Arn, u.StoreID, user, u.ID, nil, nil, nil, nil, nil, nil, nil)
		members, err := membershipsOf(ctx, q, u.StoreID, u.ID)
		if err != nil {
			return nil, err
		}
		groupIDs := make([]string, len(members))
		for i, m := range members {
			groupIDs[i] = m.GroupID
		}
		name, err := names(ctx, q, nil, map[string][]string{u.StoreID: groupIDs})
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			t.Add("group-membership", in.Arn, u.StoreID, user, u.ID, opt(name[u.StoreID+"/"+m.GroupID]), m.GroupID, m.ID, nil, nil, nil, nil)
		}
		paths, err := q.AccessPathsOfUser(ctx, u.StoreID, u.ID)
		if err != nil {
			return nil, err
		}
		rows, err := accessRows(ctx, q, orgID, paths)
		if err != nil {
			return nil, err
		}
		for _, r := range rows { // accessColumns
			t.Add("assignment", r[3], r[2], r[0], r[1], r[8], r[9], nil, r[4], r[5], r[6], r[7])
		}
	}
	return t, nil
}

func hasEmail(a userAttrs, email string) bool {
	for _, e := range a.Emails {
		if strings.EqualFold(strings.TrimSpace(e.Value), email) {
			return true
		}
	}
	return false
}

// membershipsOf lists a user's group memberships.
func membershipsOf(ctx context.Context, q store.Q, storeID, userID string) ([]*store.Membership, error) {
	var out []*store.Membership
	after := ""
	for {
		list, err := q.MembershipsOfUserAfter(ctx, storeID, userID, after, page)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if len(list) < page {
			return out, nil
		}
		after = list[len(list)-1].ID
	}
}
