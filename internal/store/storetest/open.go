package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// RunOpen runs the conformance tests of opening a database: migrations run
// once (also when several processes open a new database together), and data
// outlives Close. fresh must return the URL of a new, empty database (what
// store.Open takes); statements is the number of migration statements the
// store embeds.
func RunOpen(t *testing.T, fresh func(t *testing.T) string, statements int) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, url string, statements int)
	}{
		{"MigrationsRunOnce", testMigrationsRunOnce},
		{"ConcurrentOpen", testConcurrentOpen},
		{"ReopenKeepsData", testReopenKeepsData},
		{"WriteAfterClose", testWriteAfterClose},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, fresh(t), statements) })
	}
}

func mustOpen(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// migrationVersions reads schema_migrations straight from the database.
func migrationVersions(t *testing.T, url string) []int {
	t.Helper()
	driver, dsn := "pgx", url
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		driver, dsn = "sqlite", strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "file:")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantVersions fails the test unless schema_migrations has one row per
// statement: 1 to statements.
func wantVersions(t *testing.T, url string, statements int) {
	t.Helper()
	got := migrationVersions(t, url)
	want := make([]int, statements)
	for i := range want {
		want[i] = i + 1
	}
	same(t, "schema_migrations", got, want)
}

func testMigrationsRunOnce(t *testing.T, url string, statements int) {
	ctx := t.Context()
	s := mustOpen(t, url)
	wantVersions(t, url, statements)
	write(t, s, func(tx *store.Tx) error { return tx.PutSetting(ctx, "k", "v") })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		// Opening again runs no statement twice (which would fail: the
		// tables exist) and records none.
		s = mustOpen(t, url)
		wantVersions(t, url, statements)
		if v, err := s.R().Setting(ctx, "k"); err != nil || v != "v" {
			t.Fatalf("a setting after reopening: %q, %v", v, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func testConcurrentOpen(t *testing.T, url string, statements int) {
	// Replicas (or the server and an admin command) starting together on a
	// new database.
	const n = 4
	stores := make([]*store.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = store.Open(t.Context(), url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Open %d: %v", i, err)
		}
	}
	for i, s := range stores {
		if s == nil {
			continue
		}
		if err := s.Write(t.Context(), func(tx *store.Tx) error { return tx.PutSetting(t.Context(), fmt.Sprint(i), "v") }); err != nil {
			t.Errorf("Write on store %d: %v", i, err)
		}
		s.Close()
	}
	if !t.Failed() {
		wantVersions(t, url, statements)
	}
}

func testReopenKeepsData(t *testing.T, url string, _ int) {
	ctx := t.Context()
	o := &store.Organization{ID: "o-aaaaaaaaaa", Arn: "arn:o", ManagementAccountID: "111111111111", RootID: "r-aaaa", FeatureSet: "ALL", Created: at(1)}
	a := &store.Account{ID: "111111111111", Name: "mgmt", Email: "m@example.com", OrgID: o.ID, ParentID: o.RootID, Status: "ACTIVE", JoinedMethod: "CREATED", Joined: at(1)}
	k := &store.AccessKey{ID: "AKIA1", AccountID: a.ID, PrincipalArn: "arn:aws:iam::111111111111:root", PrincipalID: a.ID, Secret: []byte{0, 0xff, 1}, Created: at(2)}
	in := instance(1, "ORGANIZATION", a.ID, o.ID)
	u := user(in.IdentityStoreID, "u1", "alice", "")
	g := group(in.IdentityStoreID, "g1", "admins")
	m := &store.Membership{StoreID: in.IdentityStoreID, ID: "m1", GroupID: g.ID, UserID: u.ID, Created: at(3)}

	s := mustOpen(t, url)
	write(t, s, func(tx *store.Tx) error {
		for _, err := range []error{
			tx.InsertOrganization(ctx, o),
			tx.InsertAccount(ctx, a),
			tx.InsertAccessKey(ctx, k),
			tx.InsertInstance(ctx, in),
			tx.PutRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: in.Region, Status: "ACTIVE", Primary: true, Added: at(1)}),
			tx.PutTag(ctx, in.Arn, store.Tag{Key: "k", Value: "v"}),
			tx.InsertUser(ctx, u),
			tx.InsertGroup(ctx, g),
			tx.InsertMembership(ctx, m),
			tx.PutSetting(ctx, "bootstrap", "AKIA1"),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, url)
	defer s.Close()
	r := s.R()
	gotO, err := r.Organization(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantO := *o
	wantO.Created = stored(o.Created)
	same(t, "the organization after reopening", gotO, &wantO)
	gotA, err := r.Account(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantA := *a
	wantA.Joined = stored(a.Joined)
	same(t, "the account after reopening", gotA, &wantA)
	gotK, err := r.AccessKey(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantK := *k
	wantK.Created = stored(k.Created)
	same(t, "the access key after reopening", gotK, &wantK)
	gotIn, err := r.Instance(ctx, in.Arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the instance after reopening", gotIn, storedInstance(in))
	if regions, err := r.Regions(ctx, in.Arn); err != nil || len(regions) != 1 {
		t.Fatalf("the Regions after reopening: %v, %v", regions, err)
	}
	if tags, err := r.Tags(ctx, in.Arn); err != nil || len(tags) != 1 {
		t.Fatalf("the tags after reopening: %v, %v", tags, err)
	}
	gotU, err := r.User(ctx, u.StoreID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the user after reopening", gotU, storedUser(u))
	gotG, err := r.Group(ctx, g.StoreID, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the group after reopening", gotG, storedGroup(g))
	if _, err := r.MembershipByPair(ctx, m.StoreID, m.GroupID, m.UserID); err != nil {
		t.Fatalf("the membership after reopening: %v", err)
	}
	if v, err := r.Setting(ctx, "bootstrap"); err != nil || v != "AKIA1" {
		t.Fatalf("the setting after reopening: %q, %v", v, err)
	}
	// The constraints hold after reopening too.
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, user(u.StoreID, "u2", "alice", "")) })
	wantConstraint(t, "a taken user name after reopening", err, "users_name")
	insertUsers(t, s, user(u.StoreID, "u3", "bob", ""))
}

func testWriteAfterClose(t *testing.T, url string, _ int) {
	s := mustOpen(t, url)
	write(t, s, func(tx *store.Tx) error { return tx.PutSetting(t.Context(), "k", "v") })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		done := make(chan error, 1)
		called := false
		go func() {
			done <- s.Write(context.Background(), func(tx *store.Tx) error { called = true; return nil })
		}()
		select {
		case err := <-done:
			if err == nil || called {
				t.Fatalf("Write after Close: %v (function called: %v), want an error", err, called)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Write after Close does not return")
		}
	}
}
