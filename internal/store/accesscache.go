package store

import (
	"context"
	"slices"
	"strings"
)

// What a principal reaches (AccessOf) is the union of the assignments of
// the principal and, for a user, of each of its groups. A user in 50 groups
// made ListAccountAssignmentsForPrincipal probe the assignments 51 times in
// the database on every call, most of the call's cost on either backend.
// Reads outside a transaction take each principal's assignments from a
// cache (readcache.go). The user's groups are read on every call: a
// membership changes more often than a group's assignments, and one range
// of an index gives them.

// accessKey names a principal of an instance in the cache.
type accessKey struct{ instanceArn, principalType, principalID string }

// accessPair is an account and permission set a principal is assigned.
type accessPair struct{ account, permSet string }

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
// Outside a transaction each principal's assignments may come from the
// cache (above). The pairs are sorted and deduplicated here, not by the
// database: SQLite's aggregate and sorter cost several milliseconds of CPU
// per page for a user in 50 groups.
func (q Q) AccessOf(ctx context.Context, instanceArn, storeID, principalType, principalID, accountID, afterAccount, afterPermSet string, limit int) ([]*PrincipalAccess, error) {
	var cache *readCache[accessKey, []accessPair]
	var gen uint64
	if r, ok := q.ex.(readExec); ok {
		cache, gen = &r.s.access, r.s.access.gen.Load() // before any read
	}
	keys := []accessKey{{instanceArn, principalType, principalID}}
	if principalType == "USER" {
		groups, err := q.groupsOf(ctx, storeID, principalID, 0)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if g != principalID {
				keys = append(keys, accessKey{instanceArn, "GROUP", g})
			}
		}
	}
	found := make([][]accessPair, len(keys))
	var missed []int
	for i, k := range keys {
		if cache != nil {
			if pairs, ok := cache.lookup(k, gen); ok {
				found[i] = pairs
				continue
			}
		}
		missed = append(missed, i)
	}
	if len(missed) > 0 {
		if err := q.assignedPairs(ctx, instanceArn, keys, missed, found); err != nil {
			return nil, err
		}
		if cache != nil {
			for _, i := range missed {
				cache.store(keys[i], found[i], gen)
			}
		}
	}
	var all []*PrincipalAccess
	for i, k := range keys {
		for _, p := range found[i] {
			if accountID != "" && p.account != accountID || !(p.account > afterAccount || p.account == afterAccount && p.permSet > afterPermSet) {
				continue
			}
			all = append(all, &PrincipalAccess{AccountID: p.account, PermissionSetArn: p.permSet, PrincipalType: k.principalType, PrincipalID: k.principalID})
		}
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

// groupsOf lists the ids of the groups of storeID a user belongs to, at
// most limit of them (0: all): one row, the ids joined (on SQLite each
// column of each row costs the driver a lock and a copy). Group ids hold no
// commas (their pattern in the model).
func (q Q) groupsOf(ctx context.Context, storeID, userID string, limit int) ([]string, error) {
	query, args := `SELECT group_id FROM memberships WHERE store_id = ? AND user_id = ?`, []any{storeID, userID}
	if limit > 0 {
		query, args = query+` LIMIT ?`, append(args, limit)
	}
	var joined string
	if err := q.row(ctx, `SELECT coalesce(string_agg(group_id, ','), '') FROM (`+query+`) AS m`, args...).Scan(&joined); err != nil {
		return nil, err
	}
	if joined == "" {
		return nil, nil
	}
	return strings.Split(joined, ","), nil
}

// assignedPairs reads the assignments in instanceArn of the principals
// keys[missed] into found (empty for a principal without any), inChunk
// principals per query, each as one row (joined.go): a row's columns joined
// in one expression (a || ' ' || b ...) made SQLite allocate and free a
// string per operator per row, a quarter of the call's CPU for a user in 50
// groups.
func (q Q) assignedPairs(ctx context.Context, instanceArn string, keys []accessKey, missed []int, found [][]accessPair) error {
	at := make(map[accessKey]int, len(missed))
	for _, i := range missed {
		at[keys[i]] = i
		found[i] = []accessPair{}
	}
	for rest := missed; len(rest) > 0; {
		chunk := rest[:min(len(rest), inChunk)]
		rest = rest[len(chunk):]
		args := []any{instanceArn}
		for _, i := range chunk {
			args = append(args, keys[i].principalID)
		}
		args = padIn(args, 1)
		cols := make(joined, 4)
		if err := q.row(ctx, `SELECT coalesce(string_agg(principal_type, ','), ''), coalesce(string_agg(principal_id, ','), ''),
			coalesce(string_agg(account_id, ','), ''), coalesce(string_agg(permission_set_arn, ','), '')
			FROM account_assignments WHERE instance_arn = ? AND principal_id IN (`+placeholders(len(args)-1)+`)`, args...).Scan(&cols[0], &cols[1], &cols[2], &cols[3]); err != nil {
			return err
		}
		for cols[0] != "" {
			k := accessKey{instanceArn, cols.next(0), cols.next(1)}
			p := accessPair{cols.next(2), cols.next(3)}
			if i, ok := at[k]; ok { // (a user's assignment is not a group's, nor the reverse)
				found[i] = append(found[i], p)
			}
		}
	}
	return nil
}
