package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// directoryTests cover identity stores: users, groups, external ids and
// memberships.
var directoryTests = []test{
	{"UserRoundTrip", testUserRoundTrip},
	{"UserUnique", testUserUnique},
	{"UpdateUser", testUpdateUser},
	{"UsersAfter", testUsersAfter},
	{"DeleteUser", testDeleteUser},
	{"GroupRoundTrip", testGroupRoundTrip},
	{"GroupUnique", testGroupUnique},
	{"GroupDocsAfter", testGroupDocsAfter},
	{"DeleteGroup", testDeleteGroup},
	{"ExternalIDs", testExternalIDs},
	{"Memberships", testMemberships},
	{"MembershipsAfter", testMembershipsAfter},
	{"MembershipsOfUserIn", testMembershipsOfUserIn},
}

const storeA, storeB = "d-aaaaaaaaaa", "d-bbbbbbbbbb"

func user(storeID, id, name, email string) *store.User {
	return &store.User{StoreID: storeID, ID: id, UserNameKey: name, EmailKey: email,
		Doc: []byte(fmt.Sprintf(`{"UserName":%q,"DisplayName":"Zoë Ñandú 日本"}`, name)), Created: at(1), Updated: at(2)}
}

func group(storeID, id, name string) *store.Group {
	return &store.Group{StoreID: storeID, ID: id, NameKey: name, Doc: []byte(fmt.Sprintf(`{"DisplayName":%q}`, name)), Created: at(3), Updated: at(4)}
}

func storedUser(u *store.User) *store.User {
	out := *u
	out.Created, out.Updated = stored(u.Created), stored(u.Updated)
	return &out
}

func storedGroup(g *store.Group) *store.Group {
	out := *g
	out.Created, out.Updated = stored(g.Created), stored(g.Updated)
	return &out
}

func insertUsers(t *testing.T, s *store.Store, list ...*store.User) {
	t.Helper()
	write(t, s, func(tx *store.Tx) error {
		for _, u := range list {
			if err := tx.InsertUser(t.Context(), u); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertGroups(t *testing.T, s *store.Store, list ...*store.Group) {
	t.Helper()
	write(t, s, func(tx *store.Tx) error {
		for _, g := range list {
			if err := tx.InsertGroup(t.Context(), g); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertMemberships(t *testing.T, s *store.Store, list ...*store.Membership) {
	t.Helper()
	write(t, s, func(tx *store.Tx) error {
		for _, m := range list {
			if err := tx.InsertMembership(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
}

// fillStore puts two users, two groups, memberships and external ids in an
// identity store; checkStore tells whether they are all there or all gone.
func fillStore(t *testing.T, s *store.Store, storeID string) {
	t.Helper()
	ctx := t.Context()
	insertUsers(t, s, user(storeID, "u1", "alice", "alice@example.com"), user(storeID, "u2", "bob", ""))
	insertGroups(t, s, group(storeID, "g1", "admins"), group(storeID, "g2", "devs"))
	insertMemberships(t, s,
		&store.Membership{StoreID: storeID, ID: "m1", GroupID: "g1", UserID: "u1", Created: at(5)},
		&store.Membership{StoreID: storeID, ID: "m2", GroupID: "g1", UserID: "u2", Created: at(5)},
		&store.Membership{StoreID: storeID, ID: "m3", GroupID: "g2", UserID: "u1", Created: at(5)})
	write(t, s, func(tx *store.Tx) error {
		if err := tx.SetExternalIDs(ctx, storeID, store.KindUser, "u1", []store.ExternalID{{Issuer: "idp", ID: "ext-u1"}}); err != nil {
			return err
		}
		return tx.SetExternalIDs(ctx, storeID, store.KindGroup, "g1", []store.ExternalID{{Issuer: "idp", ID: "ext-g1"}})
	})
}

func checkStore(t *testing.T, s *store.Store, storeID string, present bool) {
	t.Helper()
	ctx := t.Context()
	r := s.R()
	var errs []error
	_, err := r.User(ctx, storeID, "u1")
	errs = append(errs, err)
	_, err = r.User(ctx, storeID, "u2")
	errs = append(errs, err)
	_, err = r.UserIDByName(ctx, storeID, "alice")
	errs = append(errs, err)
	_, err = r.UserIDByEmail(ctx, storeID, "alice@example.com")
	errs = append(errs, err)
	_, err = r.Group(ctx, storeID, "g1")
	errs = append(errs, err)
	_, err = r.GroupIDByName(ctx, storeID, "devs")
	errs = append(errs, err)
	for _, id := range []string{"m1", "m2", "m3"} {
		_, err = r.Membership(ctx, storeID, id)
		errs = append(errs, err)
	}
	_, err = r.ResourceByExternalID(ctx, storeID, store.KindUser, store.ExternalID{Issuer: "idp", ID: "ext-u1"})
	errs = append(errs, err)
	_, err = r.ResourceByExternalID(ctx, storeID, store.KindGroup, store.ExternalID{Issuer: "idp", ID: "ext-g1"})
	errs = append(errs, err)
	for i, err := range errs {
		if present && err != nil {
			t.Fatalf("store %s, read %d: %v, want it present", storeID, i, err)
		}
		if !present {
			wantNotFound(t, fmt.Sprintf("store %s, read %d", storeID, i), err)
		}
	}
	users, err := r.UsersAfter(ctx, storeID, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := r.GroupDocsAfter(ctx, storeID, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(users) + groups.N; present && n != 4 || !present && n != 0 {
		t.Fatalf("store %s lists %d users and %d groups (present %v)", storeID, len(users), groups.N, present)
	}
}

func testUserRoundTrip(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().User(ctx, storeA, "missing")
	wantNotFound(t, "User of a missing id", err)
	_, err = s.R().UserIDByName(ctx, storeA, "missing")
	wantNotFound(t, "UserIDByName of a missing name", err)
	_, err = s.R().UserIDByEmail(ctx, storeA, "missing@example.com")
	wantNotFound(t, "UserIDByEmail of a missing email", err)

	withEmail := user(storeA, "906712345-1111", "alice", "alice@example.com")
	noEmail := user(storeA, "906712345-2222", "bob", "")
	noEmail.Updated = noEmail.Created
	insertUsers(t, s, withEmail, noEmail)
	for _, u := range []*store.User{withEmail, noEmail} {
		got, err := s.R().User(ctx, storeA, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "User", got, storedUser(u))
		id, err := s.R().UserIDByName(ctx, storeA, u.UserNameKey)
		if err != nil || id != u.ID {
			t.Fatalf("UserIDByName(%q) = %q, %v; want %q", u.UserNameKey, id, err, u.ID)
		}
	}
	id, err := s.R().UserIDByEmail(ctx, storeA, "alice@example.com")
	if err != nil || id != withEmail.ID {
		t.Fatalf("UserIDByEmail = %q, %v; want %q", id, err, withEmail.ID)
	}
	// A user without an email has none, not an empty one.
	_, err = s.R().UserIDByEmail(ctx, storeA, "")
	wantNotFound(t, "UserIDByEmail of the empty email", err)
	// Users are per store.
	_, err = s.R().User(ctx, storeB, withEmail.ID)
	wantNotFound(t, "User of another store", err)
	_, err = s.R().UserIDByName(ctx, storeB, "alice")
	wantNotFound(t, "UserIDByName in another store", err)
}

func testUserUnique(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertUsers(t, s, user(storeA, "u1", "alice", "alice@example.com"), user(storeA, "u2", "bob", ""))
	insert := func(u *store.User) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, u) })
	}
	wantConstraint(t, "InsertUser of a taken id", insert(user(storeA, "u1", "carol", "")), "users_pkey")
	wantConstraint(t, "InsertUser of a taken user name", insert(user(storeA, "u3", "alice", "")), "users_name")
	wantConstraint(t, "InsertUser of a taken email", insert(user(storeA, "u3", "carol", "alice@example.com")), "users_email")
	for _, id := range []string{"u3"} {
		_, err := s.R().User(ctx, storeA, id)
		wantNotFound(t, "a refused user", err)
	}
	// Many users may have no email; the same id, name and email may be
	// taken in another store.
	insertUsers(t, s, user(storeA, "u4", "dave", ""), user(storeA, "u5", "erin", ""),
		user(storeB, "u1", "alice", "alice@example.com"))

	// AddUser refuses the same, without failing the transaction: the
	// statements after it run, and a user it adds is kept.
	var added []bool
	err := s.Write(ctx, func(tx *store.Tx) error {
		added = added[:0]
		for _, u := range []*store.User{user(storeA, "u1", "frank", ""), user(storeA, "u6", "ALICE", ""), user(storeA, "u6", "alice", ""),
			user(storeA, "u6", "frank", "alice@example.com"), user(storeA, "u6", "frank", ""), user(storeA, "u7", "grace", "")} {
			ok, err := tx.AddUser(ctx, u)
			if err != nil {
				return err
			}
			added = append(added, ok)
		}
		_, err := tx.UserIDByName(ctx, storeA, "grace")
		return err
	})
	if want := []bool{false, true, false, false, false, true}; err != nil || !slices.Equal(added, want) {
		t.Fatalf("AddUser: added %v, want %v (%v)", added, want, err)
	}
	for id, name := range map[string]string{"u6": "ALICE", "u7": "grace", "u1": "alice"} {
		if u, err := s.R().User(ctx, storeA, id); err != nil || u.UserNameKey != name {
			t.Fatalf("after AddUser, user %s: %+v, %v", id, u, err)
		}
	}
}

func testUpdateUser(t *testing.T, s *store.Store) {
	ctx := t.Context()
	alice, bob := user(storeA, "u1", "alice", "alice@example.com"), user(storeA, "u2", "bob", "bob@example.com")
	insertUsers(t, s, alice, bob)
	update := func(u *store.User) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateUser(ctx, u) })
	}

	up := *alice
	up.UserNameKey, up.EmailKey, up.Doc, up.Updated = "alicia", "", []byte(`{"UserName":"Alicia"}`), at(50)
	up.Created = at(59) // not updated
	if err := update(&up); err != nil {
		t.Fatal(err)
	}
	want := up
	want.Created = alice.Created
	got, err := s.R().User(ctx, storeA, "u1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the updated user", got, storedUser(&want))
	_, err = s.R().UserIDByName(ctx, storeA, "alice")
	wantNotFound(t, "the old user name after UpdateUser", err)
	_, err = s.R().UserIDByEmail(ctx, storeA, "alice@example.com")
	wantNotFound(t, "the removed email after UpdateUser", err)
	if id, err := s.R().UserIDByName(ctx, storeA, "alicia"); err != nil || id != "u1" {
		t.Fatalf("the new user name after UpdateUser: %q, %v", id, err)
	}
	// The freed name and email are free; taken ones are refused.
	insertUsers(t, s, user(storeA, "u3", "alice", "alice@example.com"))
	taken := up
	taken.UserNameKey = "bob"
	wantConstraint(t, "UpdateUser to a taken user name", update(&taken), "users_name")
	taken = up
	taken.EmailKey = "bob@example.com"
	wantConstraint(t, "UpdateUser to a taken email", update(&taken), "users_email")
	got, _ = s.R().User(ctx, storeA, "u1")
	same(t, "the user after refused updates", got, storedUser(&want))

	missing := up
	missing.ID = "missing"
	wantNotFound(t, "UpdateUser of a missing user", update(&missing))
	missing = up
	missing.StoreID = storeB
	wantNotFound(t, "UpdateUser in another store", update(&missing))
}

func userIDs(list []*store.User) []string {
	out := []string{}
	for _, u := range list {
		out = append(out, u.ID)
	}
	return out
}

func testUsersAfter(t *testing.T, s *store.Store) {
	ctx := t.Context()
	ids := []string{"e5", "a1", "d4", "b2", "c3", "f6", "g7"}
	var all []*store.User
	for _, id := range ids {
		all = append(all, user(storeA, id, "name-"+id, ""))
	}
	insertUsers(t, s, all...)
	insertUsers(t, s, user(storeB, "a0", "name-a1", ""), user(storeB, "z9", "other", ""))
	pages := pageAll(t, 3, func(after string, limit int) ([]string, error) {
		list, err := s.R().UsersAfter(ctx, storeA, after, "", limit)
		return userIDs(list), err
	})
	same(t, "UsersAfter pages", pages, [][]string{{"a1", "b2", "c3"}, {"d4", "e5", "f6"}, {"g7"}})
	list, err := s.R().UsersAfter(ctx, storeA, "", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "UsersAfter's user", list, []*store.User{storedUser(all[1])})

	// Filtered by user name.
	list, err = s.R().UsersAfter(ctx, storeA, "", "name-d4", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "UsersAfter by name", userIDs(list), []string{"d4"})
	list, err = s.R().UsersAfter(ctx, storeA, "d4", "name-d4", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "UsersAfter by name after it", userIDs(list), []string{})
	list, err = s.R().UsersAfter(ctx, storeA, "", "nobody", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "UsersAfter by a missing name", userIDs(list), []string{})

	// The same pages as documents joined by the database.
	docs := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, string(user(storeA, id, "name-"+id, "").Doc))
		}
		return strings.Join(parts, ",")
	}
	docPage := docPages(t, func(after, name string, limit int) (*store.DocPage, error) {
		return s.R().UserDocsAfter(ctx, storeA, after, name, limit)
	})
	docPage("", 3, store.DocPage{Docs: docs("a1", "b2", "c3"), N: 3, Last: "c3", More: true})
	docPage("c3", 3, store.DocPage{Docs: docs("d4", "e5", "f6"), N: 3, Last: "f6", More: true})
	docPage("f6", 3, store.DocPage{Docs: docs("g7"), N: 1})
	docPage("d4", 3, store.DocPage{Docs: docs("e5", "f6", "g7"), N: 3})
	docPage("name-d4", 10, store.DocPage{Docs: docs("d4"), N: 1})
	docPage("d4/name-d4", 10, store.DocPage{Docs: ""})
	doc, err := s.R().UserDoc(ctx, storeA, "d4")
	same(t, "UserDoc", fmt.Sprintf("%s %v", doc, err), docs("d4")+" <nil>")
	_, err = s.R().UserDoc(ctx, storeB, "d4")
	wantNotFound(t, "UserDoc of another store", err)
}

func testDeleteUser(t *testing.T, s *store.Store) {
	ctx := t.Context()
	fillStore(t, s, storeA)
	fillStore(t, s, storeB)
	write(t, s, func(tx *store.Tx) error { return tx.DeleteUser(ctx, storeA, "u1") })

	_, err := s.R().User(ctx, storeA, "u1")
	wantNotFound(t, "a deleted user", err)
	_, err = s.R().UserIDByName(ctx, storeA, "alice")
	wantNotFound(t, "a deleted user's name", err)
	for _, id := range []string{"m1", "m3"} {
		_, err = s.R().Membership(ctx, storeA, id)
		wantNotFound(t, "a deleted user's membership", err)
	}
	_, err = s.R().ResourceByExternalID(ctx, storeA, store.KindUser, store.ExternalID{Issuer: "idp", ID: "ext-u1"})
	wantNotFound(t, "a deleted user's external id", err)
	if _, err := s.R().Membership(ctx, storeA, "m2"); err != nil {
		t.Fatalf("another user's membership: %v", err)
	}
	if _, err := s.R().ResourceByExternalID(ctx, storeA, store.KindGroup, store.ExternalID{Issuer: "idp", ID: "ext-g1"}); err != nil {
		t.Fatalf("a group's external id: %v", err)
	}
	checkStore(t, s, storeB, true)
	// The name, email and external id are free again.
	insertUsers(t, s, user(storeA, "u9", "alice", "alice@example.com"))
	write(t, s, func(tx *store.Tx) error {
		return tx.SetExternalIDs(ctx, storeA, store.KindUser, "u9", []store.ExternalID{{Issuer: "idp", ID: "ext-u1"}})
	})

	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteUser(ctx, storeA, "u1") })
	wantNotFound(t, "DeleteUser of a missing user", err)
}

func testGroupRoundTrip(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Group(ctx, storeA, "missing")
	wantNotFound(t, "Group of a missing id", err)
	_, err = s.R().GroupIDByName(ctx, storeA, "missing")
	wantNotFound(t, "GroupIDByName of a missing name", err)
	g := group(storeA, "g-1", "admins")
	insertGroups(t, s, g)
	got, err := s.R().Group(ctx, storeA, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Group", got, storedGroup(g))
	if id, err := s.R().GroupIDByName(ctx, storeA, "admins"); err != nil || id != g.ID {
		t.Fatalf("GroupIDByName = %q, %v", id, err)
	}
	_, err = s.R().Group(ctx, storeB, g.ID)
	wantNotFound(t, "Group of another store", err)

	up := *g
	up.NameKey, up.Doc, up.Updated, up.Created = "operators", []byte(`{"DisplayName":"Operators","Description":"ops"}`), at(40), at(59)
	write(t, s, func(tx *store.Tx) error { return tx.UpdateGroup(ctx, &up) })
	want := up
	want.Created = g.Created
	got, err = s.R().Group(ctx, storeA, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the updated group", got, storedGroup(&want))
	_, err = s.R().GroupIDByName(ctx, storeA, "admins")
	wantNotFound(t, "the old name after UpdateGroup", err)
	missing := up
	missing.ID = "missing"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateGroup(ctx, &missing) })
	wantNotFound(t, "UpdateGroup of a missing group", err)
}

func testGroupUnique(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertGroups(t, s, group(storeA, "g1", "admins"), group(storeA, "g2", "devs"))
	insert := func(g *store.Group) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.InsertGroup(ctx, g) })
	}
	wantConstraint(t, "InsertGroup of a taken id", insert(group(storeA, "g1", "ops")), "groups_pkey")
	wantConstraint(t, "InsertGroup of a taken name", insert(group(storeA, "g3", "admins")), "groups_name")
	up := group(storeA, "g2", "admins")
	err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateGroup(ctx, up) })
	wantConstraint(t, "UpdateGroup to a taken name", err, "groups_name")
	if id, err := s.R().GroupIDByName(ctx, storeA, "devs"); err != nil || id != "g2" {
		t.Fatalf("a refused UpdateGroup changed the group: %q, %v", id, err)
	}
	insertGroups(t, s, group(storeB, "g1", "admins"))

	// AddGroup refuses the same without failing the transaction.
	var added []bool
	err = s.Write(ctx, func(tx *store.Tx) error {
		added = added[:0]
		for _, g := range []*store.Group{group(storeA, "g1", "ops"), group(storeA, "g3", "admins"), group(storeA, "g3", "ops"), group(storeA, "g4", "ops")} {
			ok, err := tx.AddGroup(ctx, g)
			if err != nil {
				return err
			}
			added = append(added, ok)
		}
		return nil
	})
	if want := []bool{false, false, true, false}; err != nil || !slices.Equal(added, want) {
		t.Fatalf("AddGroup: added %v, want %v (%v)", added, want, err)
	}
	if id, err := s.R().GroupIDByName(ctx, storeA, "ops"); err != nil || id != "g3" {
		t.Fatalf("after AddGroup, the group named ops: %q, %v", id, err)
	}
}

func testGroupDocsAfter(t *testing.T, s *store.Store) {
	for _, id := range []string{"c", "a", "e", "b", "d"} {
		insertGroups(t, s, group(storeA, id, "name-"+id))
	}
	insertGroups(t, s, group(storeB, "a0", "name-a"))
	docs := func(ids ...string) string {
		var parts []string
		for _, id := range ids {
			parts = append(parts, string(group(storeA, id, "name-"+id).Doc))
		}
		return strings.Join(parts, ",")
	}
	pages := docPages(t, func(after, name string, limit int) (*store.DocPage, error) {
		return s.R().GroupDocsAfter(t.Context(), storeA, after, name, limit)
	})
	pages("", 2, store.DocPage{Docs: docs("a", "b"), N: 2, Last: "b", More: true})
	pages("b", 2, store.DocPage{Docs: docs("c", "d"), N: 2, Last: "d", More: true})
	pages("d", 2, store.DocPage{Docs: docs("e"), N: 1})
	pages("e", 2, store.DocPage{Docs: ""})
	pages("", 5, store.DocPage{Docs: docs("a", "b", "c", "d", "e"), N: 5}) // exactly full: no more
	pages("name-c", 10, store.DocPage{Docs: docs("c"), N: 1})
	pages("c/name-c", 10, store.DocPage{Docs: ""})
	pages("name-z", 10, store.DocPage{Docs: ""})
}

// docPages returns a check of one page read by read: its key is "after",
// "name" (when it starts with "name-") or "after/name".
func docPages(t *testing.T, read func(after, name string, limit int) (*store.DocPage, error)) func(key string, limit int, want store.DocPage) {
	return func(key string, limit int, want store.DocPage) {
		t.Helper()
		after, name := key, ""
		if a, n, ok := strings.Cut(key, "/"); ok {
			after, name = a, n
		} else if strings.HasPrefix(key, "name-") {
			after, name = "", key
		}
		got, err := read(after, name, limit)
		if err != nil {
			t.Fatalf("page %q: %v", key, err)
		}
		if !got.More {
			got.Last = "" // (it names where the next page starts)
		}
		same(t, "page "+key, fmt.Sprintf("%s|%d|%s|%v", got.Docs, got.N, got.Last, got.More), fmt.Sprintf("%s|%d|%s|%v", want.Docs, want.N, want.Last, want.More))
	}
}

func testDeleteGroup(t *testing.T, s *store.Store) {
	ctx := t.Context()
	fillStore(t, s, storeA)
	fillStore(t, s, storeB)
	write(t, s, func(tx *store.Tx) error { return tx.DeleteGroup(ctx, storeA, "g1") })
	_, err := s.R().Group(ctx, storeA, "g1")
	wantNotFound(t, "a deleted group", err)
	for _, id := range []string{"m1", "m2"} {
		_, err = s.R().Membership(ctx, storeA, id)
		wantNotFound(t, "a deleted group's membership", err)
	}
	_, err = s.R().ResourceByExternalID(ctx, storeA, store.KindGroup, store.ExternalID{Issuer: "idp", ID: "ext-g1"})
	wantNotFound(t, "a deleted group's external id", err)
	if _, err := s.R().Membership(ctx, storeA, "m3"); err != nil {
		t.Fatalf("another group's membership: %v", err)
	}
	if _, err := s.R().User(ctx, storeA, "u1"); err != nil {
		t.Fatalf("a member of a deleted group: %v", err)
	}
	checkStore(t, s, storeB, true)
	insertGroups(t, s, group(storeA, "g9", "admins"))
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteGroup(ctx, storeA, "g1") })
	wantNotFound(t, "DeleteGroup of a missing group", err)
}

func testExternalIDs(t *testing.T, s *store.Store) {
	ctx := t.Context()
	find := func(storeID, kind, issuer, id string) (string, error) {
		return s.R().ResourceByExternalID(ctx, storeID, kind, store.ExternalID{Issuer: issuer, ID: id})
	}
	_, err := find(storeA, store.KindUser, "idp", "x")
	wantNotFound(t, "ResourceByExternalID of a missing id", err)
	set := func(storeID, kind, resource string, ids ...store.ExternalID) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.SetExternalIDs(ctx, storeID, kind, resource, ids) })
	}
	if err := set(storeA, store.KindUser, "u1", store.ExternalID{Issuer: "okta", ID: "1"}, store.ExternalID{Issuer: "azure", ID: "1"}); err != nil {
		t.Fatal(err)
	}
	for _, issuer := range []string{"okta", "azure"} {
		if id, err := find(storeA, store.KindUser, issuer, "1"); err != nil || id != "u1" {
			t.Fatalf("ResourceByExternalID(%s) = %q, %v", issuer, id, err)
		}
	}
	_, err = find(storeA, store.KindGroup, "okta", "1")
	wantNotFound(t, "a user's external id looked up as a group's", err)
	_, err = find(storeB, store.KindUser, "okta", "1")
	wantNotFound(t, "an external id in another store", err)

	// The same id may belong to a group, or to a user of another store, but
	// not to another user of the store.
	if err := set(storeA, store.KindGroup, "g1", store.ExternalID{Issuer: "okta", ID: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := set(storeB, store.KindUser, "u1", store.ExternalID{Issuer: "okta", ID: "1"}); err != nil {
		t.Fatal(err)
	}
	err = set(storeA, store.KindUser, "u2", store.ExternalID{Issuer: "ping", ID: "2"}, store.ExternalID{Issuer: "okta", ID: "1"})
	wantConstraint(t, "SetExternalIDs of an id another user holds", err, "external_ids_pkey")
	_, err = find(storeA, store.KindUser, "ping", "2")
	wantNotFound(t, "an external id of a refused SetExternalIDs", err)

	// Setting replaces; setting none removes all.
	if err := set(storeA, store.KindUser, "u1", store.ExternalID{Issuer: "okta", ID: "9"}); err != nil {
		t.Fatal(err)
	}
	_, err = find(storeA, store.KindUser, "azure", "1")
	wantNotFound(t, "a replaced external id", err)
	if id, err := find(storeA, store.KindUser, "okta", "9"); err != nil || id != "u1" {
		t.Fatalf("the new external id: %q, %v", id, err)
	}
	if err := set(storeA, store.KindUser, "u2", store.ExternalID{Issuer: "okta", ID: "1"}); err != nil {
		t.Fatalf("taking a freed external id: %v", err)
	}
	if err := set(storeA, store.KindUser, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err = find(storeA, store.KindUser, "okta", "9")
	wantNotFound(t, "an external id after SetExternalIDs of none", err)
	if id, err := find(storeA, store.KindGroup, "okta", "1"); err != nil || id != "g1" {
		t.Fatalf("a group's external id after a user's changed: %q, %v", id, err)
	}
}

func testMemberships(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Membership(ctx, storeA, "m1")
	wantNotFound(t, "Membership of a missing id", err)
	_, err = s.R().MembershipByPair(ctx, storeA, "g1", "u1")
	wantNotFound(t, "MembershipByPair of a missing pair", err)
	m := &store.Membership{StoreID: storeA, ID: "m1", GroupID: "g1", UserID: "u1", Created: at(33)}
	insertMemberships(t, s, m, &store.Membership{StoreID: storeA, ID: "m2", GroupID: "g1", UserID: "u2", Created: at(34)})
	want := *m
	want.Created = stored(m.Created)
	got, err := s.R().Membership(ctx, storeA, "m1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Membership", got, &want)
	got, err = s.R().MembershipByPair(ctx, storeA, "g1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipByPair", got, &want)
	_, err = s.R().MembershipByPair(ctx, storeA, "u1", "g1")
	wantNotFound(t, "MembershipByPair with group and user swapped", err)
	_, err = s.R().Membership(ctx, storeB, "m1")
	wantNotFound(t, "Membership of another store", err)

	insert := func(m *store.Membership) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.InsertMembership(ctx, m) })
	}
	wantConstraint(t, "InsertMembership of a taken pair", insert(&store.Membership{StoreID: storeA, ID: "m3", GroupID: "g1", UserID: "u1", Created: at(0)}), "memberships_pair")
	wantConstraint(t, "InsertMembership of a taken id", insert(&store.Membership{StoreID: storeA, ID: "m1", GroupID: "g2", UserID: "u1", Created: at(0)}), "memberships_pkey")
	insertMemberships(t, s, &store.Membership{StoreID: storeB, ID: "m1", GroupID: "g1", UserID: "u1", Created: at(0)})

	write(t, s, func(tx *store.Tx) error { return tx.DeleteMembership(ctx, storeA, "m1") })
	_, err = s.R().Membership(ctx, storeA, "m1")
	wantNotFound(t, "a deleted membership", err)
	_, err = s.R().MembershipByPair(ctx, storeA, "g1", "u1")
	wantNotFound(t, "a deleted membership by pair", err)
	if _, err := s.R().Membership(ctx, storeB, "m1"); err != nil {
		t.Fatalf("the same membership id in another store: %v", err)
	}
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteMembership(ctx, storeA, "m1") })
	wantNotFound(t, "DeleteMembership of a missing membership", err)
	// The pair is free again.
	insertMemberships(t, s, &store.Membership{StoreID: storeA, ID: "m4", GroupID: "g1", UserID: "u1", Created: at(0)})

	// AddMembership adds only a new pair of a group and a user of its
	// store, and leaves the transaction usable when it refuses.
	insertGroups(t, s, group(storeA, "g1", "admins"), group(storeA, "g2", "devs"))
	insertUsers(t, s, user(storeA, "u1", "alice", ""), user(storeA, "u2", "bob", ""))
	var added []bool
	err = s.Write(ctx, func(tx *store.Tx) error {
		added = added[:0]
		for _, m := range []*store.Membership{{ID: "m5", GroupID: "g1", UserID: "u1"}, {ID: "m5", GroupID: "g-none", UserID: "u2"},
			{ID: "m5", GroupID: "g1", UserID: "u-none"}, {ID: "m4", GroupID: "g2", UserID: "u2"}, {ID: "m5", GroupID: "g2", UserID: "u2"}} {
			m.StoreID, m.Created = storeA, at(0)
			ok, err := tx.AddMembership(ctx, m)
			if err != nil {
				return err
			}
			added = append(added, ok)
		}
		return nil
	})
	if want := []bool{false, false, false, false, true}; err != nil || !slices.Equal(added, want) {
		t.Fatalf("AddMembership: added %v, want %v (%v)", added, want, err)
	}
	if m, err := s.R().MembershipByPair(ctx, storeA, "g2", "u2"); err != nil || m.ID != "m5" {
		t.Fatalf("after AddMembership: %+v, %v", m, err)
	}
	err = s.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AddMembership(ctx, &store.Membership{StoreID: storeB, ID: "m6", GroupID: "g2", UserID: "u2", Created: at(0)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.R().Membership(ctx, storeB, "m6")
	wantNotFound(t, "AddMembership of a group and a user of another store", err)
}

func membershipIDs(list []*store.Membership) []string {
	out := []string{}
	for _, m := range list {
		out = append(out, m.ID)
	}
	return out
}

func testMembershipsAfter(t *testing.T, s *store.Store) {
	ctx := t.Context()
	var list []*store.Membership
	// Group g1 has users u0..u4 (membership ids out of order); user u0 is in
	// groups g1..g4.
	for i, id := range []string{"m-g1-4", "m-g1-0", "m-g1-3", "m-g1-1", "m-g1-2"} {
		list = append(list, &store.Membership{StoreID: storeA, ID: id, GroupID: "g1", UserID: fmt.Sprintf("u%c", id[len(id)-1]), Created: at(i)})
	}
	for _, g := range []string{"g3", "g2", "g4"} {
		list = append(list, &store.Membership{StoreID: storeA, ID: "m-" + g + "-0", GroupID: g, UserID: "u0", Created: at(0)})
	}
	list = append(list, &store.Membership{StoreID: storeB, ID: "m-g1-5", GroupID: "g1", UserID: "u0", Created: at(0)})
	insertMemberships(t, s, list...)

	pages := pageAll(t, 2, func(after string, limit int) ([]string, error) {
		l, err := s.R().MembershipsOfGroupAfter(ctx, storeA, "g1", after, limit)
		return membershipIDs(l), err
	})
	same(t, "MembershipsOfGroupAfter pages", pages, [][]string{{"m-g1-0", "m-g1-1"}, {"m-g1-2", "m-g1-3"}, {"m-g1-4"}})
	pages = pageAll(t, 3, func(after string, limit int) ([]string, error) {
		l, err := s.R().MembershipsOfUserAfter(ctx, storeA, "u0", after, limit)
		return membershipIDs(l), err
	})
	same(t, "MembershipsOfUserAfter pages", pages, [][]string{{"m-g1-0", "m-g2-0", "m-g3-0"}, {"m-g4-0"}})
	first, err := s.R().MembershipsOfUserAfter(ctx, storeA, "u0", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserAfter's membership", first, []*store.Membership{{StoreID: storeA, ID: "m-g1-0", GroupID: "g1", UserID: "u0", Created: stored(at(1))}})
	last, err := s.R().MembershipsOfGroupAfter(ctx, storeA, "g1", "m-g1-3", 5)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfGroupAfter's membership", last, []*store.Membership{{StoreID: storeA, ID: "m-g1-4", GroupID: "g1", UserID: "u4", Created: stored(at(0))}})
	none, err := s.R().MembershipsOfGroupAfter(ctx, storeA, "g9", "", 10)
	if err != nil || len(none) != 0 {
		t.Fatalf("MembershipsOfGroupAfter of a group without members: %v, %v", none, err)
	}
}

func testMembershipsOfUserIn(t *testing.T, s *store.Store) {
	ctx := t.Context()
	insertMemberships(t, s,
		&store.Membership{StoreID: storeA, ID: "m1", GroupID: "g1", UserID: "u1", Created: at(0)},
		&store.Membership{StoreID: storeA, ID: "m2", GroupID: "g3", UserID: "u1", Created: at(0)},
		&store.Membership{StoreID: storeA, ID: "m3", GroupID: "g2", UserID: "u2", Created: at(0)},
		&store.Membership{StoreID: storeB, ID: "m4", GroupID: "g2", UserID: "u1", Created: at(0)})
	in, err := s.R().MembershipsOfUserIn(ctx, storeA, "u1", []string{"g1", "g2", "g3", "g4"})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserIn", in, map[string]bool{"g1": true, "g3": true})
	in, err = s.R().MembershipsOfUserIn(ctx, storeA, "u1", []string{"g3", "g2", "g1"}) // padded to 4
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserIn of three groups", in, map[string]bool{"g1": true, "g3": true})
	in, err = s.R().MembershipsOfUserIn(ctx, storeA, "u1", []string{"g2"})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserIn of a group it is not in", in, map[string]bool{})
	in, err = s.R().MembershipsOfUserIn(ctx, storeA, "u1", nil)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserIn of no groups", in, map[string]bool{})
	// Many groups in one call.
	var many []string
	for i := 0; i < 300; i++ {
		many = append(many, fmt.Sprintf("g%d", i))
	}
	in, err = s.R().MembershipsOfUserIn(ctx, storeA, "u1", many)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "MembershipsOfUserIn of 300 groups", in, map[string]bool{"g1": true, "g3": true})
	// A user in more groups than SQLite reads in one range (it probes
	// each group asked instead), and one in exactly as many.
	for _, c := range []struct {
		user string
		n    int
	}{{"u7", 300}, {"u8", 256}} {
		var list []*store.Membership
		for i := range c.n {
			list = append(list, &store.Membership{StoreID: storeA, ID: fmt.Sprintf("m-%s-%03d", c.user, i), GroupID: fmt.Sprintf("h%03d", i), UserID: c.user, Created: at(0)})
		}
		insertMemberships(t, s, list...)
		in, err = s.R().MembershipsOfUserIn(ctx, storeA, c.user, []string{"h000", "h255", "h299", "g1", "h300"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"h000": true, "h255": true}
		if c.n == 300 {
			want["h299"] = true
		}
		same(t, fmt.Sprintf("MembershipsOfUserIn of a user in %d groups", c.n), in, want)
	}
}
