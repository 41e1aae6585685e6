package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// orgTests cover organizations, accounts, CreateAccount requests and jobs,
// roles and access keys.
var orgTests = []test{
	{"OrganizationRoundTrip", testOrganizationRoundTrip},
	{"AllowAccountInstances", testAllowAccountInstances},
	{"AccountRoundTrip", testAccountRoundTrip},
	{"AccountEmailUnique", testAccountEmailUnique},
	{"AccountsAfter", testAccountsAfter},
	{"CreateAccountRequest", testCreateAccountRequest},
	{"CreateAccountJobs", testCreateAccountJobs},
	{"FinishCreateAccountRequest", testFinishCreateAccountRequest},
	{"Role", testRole},
	{"AccessKey", testAccessKey},
	{"DeleteExpiredAccessKeys", testDeleteExpiredAccessKeys},
}

func testOrganizationRoundTrip(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Organization(ctx, "o-missing000")
	wantNotFound(t, "Organization of a missing id", err)
	if list, err := s.R().Organizations(ctx); err != nil || len(list) != 0 {
		t.Fatalf("Organizations of an empty store: %v, %v", list, err)
	}

	later := &store.Organization{ID: "o-aaaaaaaaaa", Arn: "arn:aws:organizations::111111111111:organization/o-aaaaaaaaaa",
		ManagementAccountID: "111111111111", RootID: "r-aaaa", FeatureSet: "ALL", AllowAccountInstances: true, Created: at(2)}
	earlier := &store.Organization{ID: "o-bbbbbbbbbb", Arn: "arn:aws:organizations::222222222222:organization/o-bbbbbbbbbb",
		ManagementAccountID: "222222222222", RootID: "r-bbbb", FeatureSet: "ALL", AllowAccountInstances: false, Created: at(1)}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.InsertOrganization(ctx, later); err != nil {
			return err
		}
		return tx.InsertOrganization(ctx, earlier)
	})

	for _, o := range []*store.Organization{later, earlier} {
		want := *o
		want.Created = stored(o.Created)
		got, err := s.R().Organization(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Organization", got, &want)
	}
	list, err := s.R().Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != earlier.ID || list[1].ID != later.ID {
		t.Fatalf("Organizations: got %s, want the older first", show(list))
	}

	dup := *earlier
	dup.Arn = "other"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertOrganization(ctx, &dup) })
	wantConstraint(t, "InsertOrganization of a taken id", err, "organizations_pkey")
}

func testAllowAccountInstances(t *testing.T, s *store.Store) {
	ctx := t.Context()
	o := &store.Organization{ID: "o-cccccccccc", Arn: "arn", ManagementAccountID: "333333333333", RootID: "r-cccc", FeatureSet: "ALL", AllowAccountInstances: true, Created: at(0)}
	write(t, s, func(tx *store.Tx) error { return tx.InsertOrganization(ctx, o) })
	for _, allow := range []bool{false, true, false} {
		write(t, s, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(ctx, o.ID, allow) })
		got, err := s.R().Organization(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AllowAccountInstances != allow {
			t.Fatalf("after SetAllowAccountInstances(%v): %v", allow, got.AllowAccountInstances)
		}
	}
	err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(ctx, "o-missing000", true) })
	wantNotFound(t, "SetAllowAccountInstances of a missing organization", err)
}

func testAccountRoundTrip(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Account(ctx, "000000000000")
	wantNotFound(t, "Account of a missing id", err)
	_, err = s.R().AccountByEmail(ctx, "nobody@example.com")
	wantNotFound(t, "AccountByEmail of a missing email", err)

	member := &store.Account{ID: "123456789012", Name: "dev ünïcode", Email: "Dev.Team@Example.com", OrgID: "o-aaaaaaaaaa",
		ParentID: "r-aaaa", Status: "ACTIVE", JoinedMethod: "CREATED", Joined: at(7)}
	standalone := &store.Account{ID: "210987654321", Name: "alone", Email: "alone@example.com", Status: "SUSPENDED"}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.InsertAccount(ctx, member); err != nil {
			return err
		}
		return tx.InsertAccount(ctx, standalone)
	})
	for _, a := range []*store.Account{member, standalone} {
		want := *a
		want.Joined = stored(a.Joined)
		got, err := s.R().Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Account", got, &want)
	}
	for _, email := range []string{"Dev.Team@Example.com", "dev.team@example.com", "DEV.TEAM@EXAMPLE.COM"} {
		got, err := s.R().AccountByEmail(ctx, email)
		if err != nil {
			t.Fatalf("AccountByEmail(%q): %v", email, err)
		}
		if got.ID != member.ID {
			t.Fatalf("AccountByEmail(%q) = %s, want %s", email, got.ID, member.ID)
		}
	}

	dup := *standalone
	dup.Email = "another@example.com"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertAccount(ctx, &dup) })
	wantConstraint(t, "InsertAccount of a taken id", err, "accounts_pkey")
}

func testAccountEmailUnique(t *testing.T, s *store.Store) {
	ctx := t.Context()
	a := &store.Account{ID: "111111111111", Name: "a", Email: "same@example.com", Status: "ACTIVE", Joined: at(0)}
	write(t, s, func(tx *store.Tx) error { return tx.InsertAccount(ctx, a) })
	// The address is unique across the installation, in or out of an
	// organization.
	b := &store.Account{ID: "222222222222", Name: "b", Email: "same@example.com", OrgID: "o-aaaaaaaaaa", Status: "ACTIVE", Joined: at(0)}
	err := s.Write(ctx, func(tx *store.Tx) error { return tx.InsertAccount(ctx, b) })
	wantConstraint(t, "InsertAccount of a taken email", err, "accounts_email|accounts_email_folded")
	if _, err := s.R().Account(ctx, b.ID); err == nil {
		t.Fatal("the refused account was stored")
	}
	// Without regard to case.
	b.Email = "Same@Example.COM"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertAccount(ctx, b) })
	wantConstraint(t, "InsertAccount of a taken email in other case", err, "accounts_email_folded")
}

func testAccountsAfter(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const org = "o-aaaaaaaaaa"
	inOrg := []string{"500000000000", "100000000000", "300000000000", "400000000000", "200000000000"}
	write(t, s, func(tx *store.Tx) error {
		add := func(id, orgID string) error {
			return tx.InsertAccount(ctx, &store.Account{ID: id, Name: id, Email: id + "@example.com", OrgID: orgID, Status: "ACTIVE", Joined: at(0)})
		}
		for _, id := range inOrg {
			if err := add(id, org); err != nil {
				return err
			}
		}
		for _, id := range []string{"250000000000", "050000000000"} {
			if err := add(id, ""); err != nil {
				return err
			}
		}
		return add("150000000000", "o-bbbbbbbbbb")
	})
	pages := pageAll(t, 2, func(after string, limit int) ([]string, error) {
		list, err := s.R().AccountsAfter(ctx, org, after, limit)
		return accountIDs(list), err
	})
	same(t, "AccountsAfter pages", pages, [][]string{{"100000000000", "200000000000"}, {"300000000000", "400000000000"}, {"500000000000"}})
	standalone, err := s.R().AccountsAfter(ctx, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "AccountsAfter of standalone accounts", accountIDs(standalone), []string{"050000000000", "250000000000"})
	// The cursor need not be an existing id.
	rest, err := s.R().AccountsAfter(ctx, org, "350000000000", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "AccountsAfter a cursor between ids", accountIDs(rest), []string{"400000000000", "500000000000"})
}

func accountIDs(list []*store.Account) []string {
	out := []string{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

// pageAll reads a listing page by page with limit, each page after the last
// key of the previous one, until a short page, and returns the pages. It
// fails the test if a page is longer than limit or the listing does not end.
func pageAll(t *testing.T, limit int, page func(after string, limit int) ([]string, error)) [][]string {
	t.Helper()
	var out [][]string
	after := ""
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("the listing does not end")
		}
		keys, err := page(after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) > limit {
			t.Fatalf("a page of %d with limit %d", len(keys), limit)
		}
		if len(keys) == 0 {
			return out
		}
		out = append(out, keys)
		if len(keys) < limit {
			// The page after a short page is empty.
			if more, err := page(keys[len(keys)-1], limit); err != nil || len(more) != 0 {
				t.Fatalf("after the last page: %v, %v", more, err)
			}
			return out
		}
		after = keys[len(keys)-1]
	}
}

func testCreateAccountRequest(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().CreateAccountRequest(ctx, "car-missing")
	wantNotFound(t, "CreateAccountRequest of a missing id", err)
	pending := &store.CreateAccountRequest{ID: "car-00000000000000000000000000000001", OrgID: "o-aaaaaaaaaa", AccountName: "dev",
		State: "IN_PROGRESS", Requested: at(3)}
	failed := &store.CreateAccountRequest{ID: "car-00000000000000000000000000000002", OrgID: "o-aaaaaaaaaa", AccountName: "ops",
		State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS", AccountID: "123456789012", Requested: at(3), Completed: at(4)}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.InsertCreateAccountRequest(ctx, pending); err != nil {
			return err
		}
		return tx.InsertCreateAccountRequest(ctx, failed)
	})
	for _, r := range []*store.CreateAccountRequest{pending, failed} {
		want := *r
		want.Requested, want.Completed = stored(r.Requested), stored(r.Completed)
		got, err := s.R().CreateAccountRequest(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "CreateAccountRequest", got, &want)
	}
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertCreateAccountRequest(ctx, pending) })
	wantConstraint(t, "InsertCreateAccountRequest of a taken id", err, "create_account_requests_pkey")
}

func testCreateAccountJobs(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().CreateAccountJob(ctx, "car-missing")
	wantNotFound(t, "CreateAccountJob of a missing request", err)
	if list, err := s.R().CreateAccountJobs(ctx, 10); err != nil || len(list) != 0 {
		t.Fatalf("CreateAccountJobs of an empty store: %v, %v", list, err)
	}
	jobs := []*store.CreateAccountJob{
		{RequestID: "car-c", Email: "c@example.com", RoleName: "OrganizationAccountAccessRole", Created: at(5)},
		{RequestID: "car-b", Email: "b@example.com", RoleName: "Admin", Created: at(1)},
		{RequestID: "car-a", Email: "a@example.com", RoleName: "Admin", Created: at(5)},
		{RequestID: "car-d", Email: "d@example.com", RoleName: "Admin", Created: at(2)},
	}
	write(t, s, func(tx *store.Tx) error {
		for _, j := range jobs {
			if err := tx.InsertCreateAccountJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	want := *jobs[0]
	want.Created = stored(want.Created)
	got, err := s.R().CreateAccountJob(ctx, "car-c")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "CreateAccountJob", got, &want)

	// Oldest first, then by request id.
	list, err := s.R().CreateAccountJobs(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, j := range list {
		order = append(order, j.RequestID)
	}
	same(t, "CreateAccountJobs(3)", order, []string{"car-b", "car-d", "car-a"})
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertCreateAccountJob(ctx, jobs[1]) })
	wantConstraint(t, "InsertCreateAccountJob of a taken request id", err, "create_account_jobs_pkey")
}

func testFinishCreateAccountRequest(t *testing.T, s *store.Store) {
	ctx := t.Context()
	r := &store.CreateAccountRequest{ID: "car-1", OrgID: "o-aaaaaaaaaa", AccountName: "dev", State: "IN_PROGRESS", Requested: at(0)}
	other := &store.CreateAccountRequest{ID: "car-2", OrgID: "o-aaaaaaaaaa", AccountName: "ops", State: "IN_PROGRESS", Requested: at(0)}
	write(t, s, func(tx *store.Tx) error {
		for _, x := range []*store.CreateAccountRequest{r, other} {
			if err := tx.InsertCreateAccountRequest(ctx, x); err != nil {
				return err
			}
			if err := tx.InsertCreateAccountJob(ctx, &store.CreateAccountJob{RequestID: x.ID, Email: x.AccountName + "@example.com", RoleName: "R", Created: at(0)}); err != nil {
				return err
			}
		}
		return nil
	})
	done := *r
	done.State, done.AccountID, done.Completed = "SUCCEEDED", "123456789012", at(9)
	write(t, s, func(tx *store.Tx) error { return tx.FinishCreateAccountRequest(ctx, &done) })

	want := done
	want.Requested, want.Completed = stored(r.Requested), stored(done.Completed)
	got, err := s.R().CreateAccountRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the finished request", got, &want)
	_, err = s.R().CreateAccountJob(ctx, r.ID)
	wantNotFound(t, "the job of a finished request", err)
	if _, err := s.R().CreateAccountJob(ctx, other.ID); err != nil {
		t.Fatalf("the job of another request: %v", err)
	}

	// A second worker finishing the same request finds it done.
	again := done
	again.State, again.AccountID, again.FailureReason = "FAILED", "", "INTERNAL_FAILURE"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.FinishCreateAccountRequest(ctx, &again) })
	wantNotFound(t, "FinishCreateAccountRequest of a finished request", err)
	if got, _ := s.R().CreateAccountRequest(ctx, r.ID); got.State != "SUCCEEDED" {
		t.Fatalf("a second finish changed the request: %+v", got)
	}
	missing := done
	missing.ID = "car-missing"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.FinishCreateAccountRequest(ctx, &missing) })
	wantNotFound(t, "FinishCreateAccountRequest of a missing request", err)
}

func testRole(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Role(ctx, "123456789012", "Missing")
	wantNotFound(t, "Role of a missing name", err)
	r := &store.Role{AccountID: "123456789012", Name: "OrganizationAccountAccessRole", RoleID: "AROAEXAMPLE000000001",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[]}`, Created: at(11)}
	sameName := &store.Role{AccountID: "210987654321", Name: r.Name, RoleID: "AROAEXAMPLE000000002", Created: at(12)}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.InsertRole(ctx, r); err != nil {
			return err
		}
		return tx.InsertRole(ctx, sameName)
	})
	for _, x := range []*store.Role{r, sameName} {
		want := *x
		want.Created = stored(x.Created)
		got, err := s.R().Role(ctx, x.AccountID, x.Name)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Role", got, &want)
	}
	_, err = s.R().Role(ctx, "999999999999", r.Name)
	wantNotFound(t, "Role in another account", err)
	dup := *r
	dup.RoleID = "AROAEXAMPLE000000003"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertRole(ctx, &dup) })
	wantConstraint(t, "InsertRole of a taken name", err, "roles_pkey")
}

func testAccessKey(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().AccessKey(ctx, "AKIAMISSING")
	wantNotFound(t, "AccessKey of a missing id", err)
	longTerm := &store.AccessKey{ID: "AKIAEXAMPLE000000001", AccountID: "123456789012", PrincipalArn: "arn:aws:iam::123456789012:root",
		PrincipalID: "123456789012", Secret: []byte{0, 1, 2, 0xfe, 0xff, 0, 'x'}, Created: at(1)}
	session := &store.AccessKey{ID: "ASIAEXAMPLE000000002", AccountID: "123456789012", PrincipalArn: "arn:aws:sts::123456789012:assumed-role/R/s",
		PrincipalID: "AROAEXAMPLE:s", Secret: []byte("sealed secret"), SessionToken: []byte{0xff, 0, 0x80, 7}, Expires: at(59), Created: at(1)}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.InsertAccessKey(ctx, longTerm); err != nil {
			return err
		}
		return tx.InsertAccessKey(ctx, session)
	})
	for _, k := range []*store.AccessKey{longTerm, session} {
		want := *k
		want.Expires, want.Created = stored(k.Expires), stored(k.Created)
		got, err := s.R().AccessKey(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "AccessKey", got, &want)
	}
	dup := *session
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertAccessKey(ctx, &dup) })
	wantConstraint(t, "InsertAccessKey of a taken id", err, "access_keys_pkey")
}

func testDeleteExpiredAccessKeys(t *testing.T, s *store.Store) {
	ctx := t.Context()
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	keys := map[string]time.Time{
		"long-term":         {},
		"expired-long-ago":  now.Add(-time.Hour),
		"expired-just-now":  now.Add(-time.Millisecond),
		"expires-at-now":    now,
		"expires-in-a-hour": now.Add(time.Hour),
	}
	write(t, s, func(tx *store.Tx) error {
		for id, exp := range keys {
			k := &store.AccessKey{ID: id, AccountID: "123456789012", PrincipalArn: "arn", PrincipalID: "p", Secret: []byte("s"), Expires: exp, Created: now.Add(-2 * time.Hour)}
			if !exp.IsZero() {
				k.SessionToken = []byte("t")
			}
			if err := tx.InsertAccessKey(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	var n int64
	write(t, s, func(tx *store.Tx) error {
		var err error
		n, err = tx.DeleteExpiredAccessKeys(ctx, now)
		return err
	})
	if n != 2 {
		t.Fatalf("DeleteExpiredAccessKeys removed %d keys, want 2", n)
	}
	for id := range keys {
		_, err := s.R().AccessKey(ctx, id)
		gone := id == "expired-long-ago" || id == "expired-just-now"
		switch {
		case gone:
			wantNotFound(t, fmt.Sprintf("AccessKey %s after DeleteExpiredAccessKeys", id), err)
		case err != nil:
			t.Fatalf("AccessKey %s after DeleteExpiredAccessKeys: %v", id, err)
		}
	}
}
