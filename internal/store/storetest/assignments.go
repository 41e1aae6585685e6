package storetest

import (
	"fmt"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

var assignmentTests = []test{
	{"AssignmentsAfter", testAssignmentsAfter},
	{"AccessOf", testAccessOf},
}

const (
	instA  = "arn:aws:sso:::instance/ssoins-1111111111111111"
	permA  = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa"
	permB  = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb"
	acct1  = "111111111111"
	acct2  = "222222222222"
	acct3  = "333333333333"
	userU1 = "u1"
)

func insertAssignments(t *testing.T, s *store.Store, list ...*store.Assignment) {
	t.Helper()
	write(t, s, func(tx *store.Tx) error {
		for _, a := range list {
			if ok, err := tx.InsertAssignment(t.Context(), a); err != nil || !ok {
				return fmt.Errorf("InsertAssignment %v: %v %v", *a, ok, err)
			}
		}
		return nil
	})
}

func assignment(perm, account, typ, principal string, minute int) *store.Assignment {
	return &store.Assignment{PermissionSetArn: perm, AccountID: account, PrincipalType: typ, PrincipalID: principal, InstanceArn: instA, Created: at(minute)}
}

// testAssignmentsAfter pages through the assignments of one permission set
// in one account: groups before users, each by id, with their creation
// times, and none of another account or permission set.
func testAssignmentsAfter(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertAssignments(t, s,
		assignment(permA, acct1, "USER", "u2", 1),
		assignment(permA, acct1, "GROUP", "g2", 2),
		assignment(permA, acct1, "USER", "u1", 3),
		assignment(permA, acct1, "GROUP", "g1", 4),
		assignment(permA, acct2, "USER", "u3", 5),
		assignment(permB, acct1, "USER", "u4", 6))
	want := []*store.Assignment{
		assignment(permA, acct1, "GROUP", "g1", 4), assignment(permA, acct1, "GROUP", "g2", 2),
		assignment(permA, acct1, "USER", "u1", 3), assignment(permA, acct1, "USER", "u2", 1),
	}
	for _, a := range want {
		a.Created = stored(a.Created)
	}
	page := func(afterType, afterID string, limit int) []*store.Assignment {
		t.Helper()
		got, err := s.R().AssignmentsAfter(ctx, permA, acct1, afterType, afterID, limit)
		if err != nil {
			t.Fatal(err)
		}
		return append([]*store.Assignment{}, got...) // none: nil or empty
	}
	same(t, "AssignmentsAfter, all", page("", "", 10), want)
	same(t, "AssignmentsAfter, first page", page("", "", 3), want[:3])
	same(t, "AssignmentsAfter g2", page("GROUP", "g2", 3), want[2:])
	same(t, "AssignmentsAfter u2", page("USER", "u2", 3), []*store.Assignment{})
	got, err := s.R().AssignmentsAfter(ctx, permB, acct2, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("AssignmentsAfter of a pair without assignments: %s", show(got))
	}
}

// testAccessOf lists what a user reaches, itself and through its groups,
// each (account, permission set) once and through its own assignment when
// it has one, in pages.
func testAccessOf(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertMemberships(t, s,
		&store.Membership{StoreID: storeA, ID: "m1", GroupID: "g1", UserID: userU1, Created: at(0)},
		&store.Membership{StoreID: storeA, ID: "m2", GroupID: "g2", UserID: userU1, Created: at(0)},
		&store.Membership{StoreID: storeB, ID: "m3", GroupID: "g3", UserID: userU1, Created: at(0)})
	insertAssignments(t, s,
		assignment(permA, acct1, "GROUP", "g2", 1),
		assignment(permA, acct1, "GROUP", "g1", 1),
		assignment(permA, acct1, "USER", userU1, 1),
		assignment(permB, acct1, "GROUP", "g2", 1),
		assignment(permA, acct2, "GROUP", "g2", 1),
		assignment(permB, acct3, "GROUP", "g3", 1), // a group of another store
		assignment(permB, acct2, "USER", "u9", 1))
	access := func(typ, id, account, afterAccount, afterPerm string, limit int) []store.PrincipalAccess {
		t.Helper()
		got, err := s.R().AccessOf(ctx, instA, storeA, typ, id, account, afterAccount, afterPerm, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := []store.PrincipalAccess{}
		for _, a := range got {
			out = append(out, *a)
		}
		return out
	}
	all := []store.PrincipalAccess{
		{AccountID: acct1, PermissionSetArn: permA, PrincipalType: "USER", PrincipalID: userU1},
		{AccountID: acct1, PermissionSetArn: permB, PrincipalType: "GROUP", PrincipalID: "g2"},
		{AccountID: acct2, PermissionSetArn: permA, PrincipalType: "GROUP", PrincipalID: "g2"},
	}
	same(t, "AccessOf a user", access("USER", userU1, "", "", "", 10), all)
	same(t, "AccessOf a user, first page", access("USER", userU1, "", "", "", 2), all[:2])
	same(t, "AccessOf a user, after a page", access("USER", userU1, "", acct1, permB, 2), all[2:])
	same(t, "AccessOf a user in one account", access("USER", userU1, acct2, "", "", 10), all[2:])
	same(t, "AccessOf a group", access("GROUP", "g1", "", "", "", 10),
		[]store.PrincipalAccess{{AccountID: acct1, PermissionSetArn: permA, PrincipalType: "GROUP", PrincipalID: "g1"}})
	same(t, "AccessOf a user without access", access("USER", "u5", "", "", "", 10), []store.PrincipalAccess{})
}
