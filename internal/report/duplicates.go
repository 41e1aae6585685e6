package report

import (
	"cmp"
	"context"
	"slices"

	"github.com/idcenter/idcenter/internal/store"
)

// Duplicates finds the people who are users in two or more identity stores
// of the organization. Two users are the same person when they have the
// same primary email (without regard to case) or the same user name (user
// names are compared without regard to case too, as the identity store
// does); the relation is transitive, so a person is a group of users linked
// by either. A person whose users all sit in one identity store is not a
// duplicate.
//
// Columns: Email and UserName list the person's lower-cased emails and user
// names; IdentityStoreIds and UserIds list the users, the i-th user id
// being in the i-th identity store (sorted by store, then user id);
// MatchedBy says which attributes linked them (email, userName or both).
// Rows are sorted by their first email, then user name.
func Duplicates(ctx context.Context, q store.Q, orgID string) (*Table, error) {
	users, err := q.OrgUserKeys(ctx, orgID)
	if err != nil {
		return nil, err
	}
	parent := make([]int, len(users))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byEmail := make(map[string]int, len(users))
	byName := make(map[string]int, len(users))
	emailLinks := make(map[string]int) // email -> users with it
	nameLinks := make(map[string]int)
	for i, u := range users {
		if u.EmailKey != "" {
			if j, ok := byEmail[u.EmailKey]; ok {
				union(i, j)
			} else {
				byEmail[u.EmailKey] = i
			}
			emailLinks[u.EmailKey]++
		}
		if j, ok := byName[u.UserNameKey]; ok {
			union(i, j)
		} else {
			byName[u.UserNameKey] = i
		}
		nameLinks[u.UserNameKey]++
	}
	people := map[int][]int{}
	for i := range users {
		r := find(i)
		people[r] = append(people[r], i)
	}
	type person struct {
		emails, names, stores, ids []string
		byEmail, byName            bool
	}
	var list []person
	for _, members := range people {
		if len(members) < 2 {
			continue
		}
		var p person
		storeSet := map[string]bool{}
		for _, i := range members { // in store, id order: users came sorted
			u := users[i]
			storeSet[u.StoreID] = true
			p.stores, p.ids = append(p.stores, u.StoreID), append(p.ids, u.ID)
			if u.EmailKey != "" && !slices.Contains(p.emails, u.EmailKey) {
				p.emails = append(p.emails, u.EmailKey)
				p.byEmail = p.byEmail || emailLinks[u.EmailKey] > 1
			}
			if !slices.Contains(p.names, u.UserNameKey) {
				p.names = append(p.names, u.UserNameKey)
				p.byName = p.byName || nameLinks[u.UserNameKey] > 1
			}
		}
		if len(storeSet) < 2 {
			continue
		}
		slices.Sort(p.emails)
		slices.Sort(p.names)
		list = append(list, p)
	}
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	slices.SortFunc(list, func(a, b person) int {
		return cmp.Or(cmp.Compare(first(a.emails), first(b.emails)), cmp.Compare(first(a.names), first(b.names)),
			cmp.Compare(first(a.ids), first(b.ids)))
	})
	t := &Table{Columns: []string{"Email", "UserName", "IdentityStoreIds", "UserIds", "MatchedBy"}}
	for _, p := range list {
		var by []string
		if p.byEmail {
			by = append(by, "email")
		}
		if p.byName {
			by = append(by, "userName")
		}
		t.Add(p.emails, p.names, p.stores, p.ids, by)
	}
	return t, nil
}
