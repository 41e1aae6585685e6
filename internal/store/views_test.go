package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// viewBackends runs fn on a new SQLite database and, when
// IDCENTER_POSTGRES_URL is set, on a fresh PostgreSQL schema.
func viewBackends(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, sqliteURL(t))) })
	if base := os.Getenv("IDCENTER_POSTGRES_URL"); base != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, open(t, storetest.FreshPostgres(t, base))) })
	}
}

func queryViews(t *testing.T, s *store.Store, stmt string) *store.ReadOnlyResult {
	t.Helper()
	res, err := s.QueryViews(context.Background(), stmt, 1000, 10*time.Second)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	return res
}

// TestViewColumns checks every view's columns, in order, on both backends.
func TestViewColumns(t *testing.T) {
	viewBackends(t, func(t *testing.T, s *store.Store) {
		for _, v := range store.Views() {
			res := queryViews(t, s, "SELECT * FROM aws."+v.Name)
			var want []string
			for _, c := range v.Columns {
				want = append(want, c.Name)
			}
			if strings.Join(res.Columns, ",") != strings.Join(want, ",") {
				t.Errorf("aws.%s columns\n got %v\nwant %v", v.Name, res.Columns, want)
			}
		}
		res := queryViews(t, s, "SELECT * FROM aws.sso_instance")
		if got := strings.Join(res.Columns, ","); got != "_key,account_id,created_date,identity_store_id,instance_access_control_attribute_configuration,instance_arn,name,owner_account_id,status,status_reason,tags" {
			t.Errorf("aws.sso_instance columns %s", got)
		}
	})
}

var viewTime = time.Date(2024, 5, 1, 12, 30, 45, 678e6, time.UTC)

// seedViews stores one of each thing the views show.
func seedViews(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	err := s.Write(ctx, func(tx *store.Tx) error {
		for _, f := range []func() error{
			func() error {
				return tx.InsertOrganization(ctx, &store.Organization{ID: "o-aaaaaaaaaa", Arn: "arn:aws:organizations::111111111111:organization/o-aaaaaaaaaa",
					ManagementAccountID: "111111111111", RootID: "r-aaaa", FeatureSet: "ALL", Created: viewTime})
			},
			func() error {
				return tx.InsertAccount(ctx, &store.Account{ID: "111111111111", Name: "mgmt", Email: "mgmt@example.com", OrgID: "o-aaaaaaaaaa",
					ParentID: "r-aaaa", Status: "ACTIVE", JoinedMethod: "CREATED", Joined: viewTime})
			},
			func() error {
				return tx.InsertAccount(ctx, &store.Account{ID: "999999999999", Name: "alone", Email: "alone@example.com", Status: "ACTIVE", Joined: viewTime})
			},
			func() error {
				return tx.InsertInstance(ctx, &store.Instance{Arn: "arn:aws:sso:::instance/ssoins-1111111111111111", IdentityStoreID: "d-1111111111",
					OwnerAccountID: "111111111111", OrgID: "o-aaaaaaaaaa", Kind: "ORGANIZATION", Status: "ACTIVE", Region: "us-east-1",
					ABAC: `[{"Key":"team","Source":["${path:enterprise.department}"]}]`, ABACStatus: "ENABLED", Created: viewTime})
			},
			func() error {
				return tx.PutTag(ctx, "arn:aws:sso:::instance/ssoins-1111111111111111", store.Tag{Key: "env", Value: "prod"})
			},
			func() error {
				return tx.PutTag(ctx, "arn:aws:sso:::instance/ssoins-1111111111111111", store.Tag{Key: "Cost", Value: "42"})
			},
			func() error {
				return tx.InsertUser(ctx, &store.User{StoreID: "d-1111111111", ID: "u-1", UserNameKey: "jdoe", EmailKey: "jane@example.com",
					Doc: []byte(`{"UserName":"JDoe","DisplayName":"Jane Doe","Name":{"GivenName":"Jane","FamilyName":"Doe"},` +
						`"Emails":[{"Value":"Jane@Example.com","Primary":true}],"UserStatus":"ENABLED","CreatedBy":"arn:aws:iam::111111111111:root"}`),
					Created: viewTime, Updated: viewTime})
			},
			func() error {
				return tx.InsertGroup(ctx, &store.Group{StoreID: "d-1111111111", ID: "g-1", NameKey: "admins",
					Doc: []byte(`{"DisplayName":"Admins","Description":"Administrators"}`), Created: viewTime, Updated: viewTime})
			},
			func() error {
				return tx.InsertMembership(ctx, &store.Membership{StoreID: "d-1111111111", ID: "m-1", GroupID: "g-1", UserID: "u-1", Created: viewTime})
			},
			func() error {
				return tx.InsertPermissionSet(ctx, &store.PermissionSet{Arn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1",
					InstanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111", Name: "Admin", SessionDuration: "PT1H", Version: 1,
					Boundary: `{"ManagedPolicyArn":"arn:aws:iam::aws:policy/PowerUserAccess"}`, Created: viewTime, Updated: viewTime})
			},
			func() error {
				return tx.InsertAttachedPolicy(ctx, &store.AttachedPolicy{PermissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1",
					Kind: store.PolicyManaged, Key: "arn:aws:iam::aws:policy/ReadOnlyAccess", Name: "ReadOnlyAccess", Created: viewTime})
			},
			func() error {
				_, err := tx.InsertAssignment(ctx, &store.Assignment{PermissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1",
					AccountID: "111111111111", PrincipalType: "GROUP", PrincipalID: "g-1", InstanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111", Created: viewTime})
				return err
			},
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StoreAuditEvents(ctx, []*store.AuditEvent{{EventID: "e-1", Time: viewTime, OrgID: "o-aaaaaaaaaa", RecipientAccountID: "111111111111",
		EventSource: "sso.amazonaws.com", EventName: "CreateInstance", EventType: "AwsApiCall", UserType: "Root",
		UserArn: "arn:aws:iam::111111111111:root", RequestParameters: `{"Name":"x"}`, Complete: true}}); err != nil {
		t.Fatal(err)
	}
}

// TestViewValues reads what seedViews stored through every view: the same
// text on both backends (times, tags, NULL for absent values, JSON members
// with ->>, booleans in WHERE).
func TestViewValues(t *testing.T) {
	viewBackends(t, func(t *testing.T, s *store.Store) {
		seedViews(t, s)
		for _, c := range []struct{ stmt, want string }{
			{`SELECT _key, account_id, created_date, identity_store_id, name, status, status_reason, tags FROM aws.sso_instance`,
				"arn:aws:sso:::instance/ssoins-1111111111111111|111111111111|2024-05-01T12:30:45.678Z|d-1111111111|NULL|ACTIVE|NULL|Cost:42,env:prod"},
			{`SELECT instance_access_control_attribute_configuration -> 'AccessControlAttributes' -> 0 ->> 'Key' FROM aws.sso_instance`, "team"},
			{`SELECT instance_access_control_attribute_configuration -> 'AccessControlAttributes' -> 0 -> 'Value' -> 'Source' ->> 0 FROM aws.sso_instance`,
				"${path:enterprise.department}"},
			{`SELECT user_name, display_name, email, name ->> 'GivenName', emails -> 0 ->> 'Value', user_status, created_at, nick_name, account_id, instance_arn
				FROM aws.identitystore_user WHERE lower(email) = 'jane@example.com'`,
				"JDoe|Jane Doe|Jane@Example.com|Jane|Jane@Example.com|ENABLED|2024-05-01T12:30:45.678Z|NULL|111111111111|arn:aws:sso:::instance/ssoins-1111111111111111"},
			{`SELECT g.display_name, g.description, m.membership_id, u.user_name FROM aws.identitystore_group g
				JOIN aws.identitystore_group_membership m ON m.group_id = g.group_id AND m.identity_store_id = g.identity_store_id
				JOIN aws.identitystore_user u ON u.user_id = m.user_id`, "Admins|Administrators|m-1|JDoe"},
			{`SELECT name, session_duration, attached_managed_policies -> 0 ->> 'Name', customer_managed_policy_references, permissions_boundary ->> 'ManagedPolicyArn', tags, description
				FROM aws.sso_permission_set`, "Admin|PT1H|ReadOnlyAccess|NULL|arn:aws:iam::aws:policy/PowerUserAccess|NULL|NULL"},
			{`SELECT a.account_id, a.principal_type, a.principal_id, a.identity_store_id, p.name FROM aws.sso_account_assignment a
				JOIN aws.sso_permission_set p ON p.permission_set_arn = a.permission_set_arn`, "111111111111|GROUP|g-1|d-1111111111|Admin"},
			{`SELECT account_id, arn, name, email, joined_timestamp, organization_id, parent_id, management_account_id FROM aws.organizations_account`,
				"111111111111|arn:aws:organizations::111111111111:account/o-aaaaaaaaaa/111111111111|mgmt|mgmt@example.com|2024-05-01T12:30:45.678Z|o-aaaaaaaaaa|r-aaaa|111111111111"},
			{`SELECT event_name, event_time, user_identity_arn, request_parameters ->> 'Name', error_code FROM aws.cloudtrail_event WHERE management_event AND NOT read_only`,
				"CreateInstance|2024-05-01T12:30:45.678Z|arn:aws:iam::111111111111:root|x|NULL"},
			{`SELECT count(*) FROM aws.cloudtrail_event WHERE read_only = TRUE`, "0"},
			{`WITH n AS (SELECT count(*) AS c FROM aws.identitystore_user) SELECT c + 1 FROM n`, "2"},
		} {
			res := queryViews(t, s, c.stmt)
			var rows []string
			for _, r := range res.Rows {
				var vals []string
				for _, v := range r {
					if v == nil {
						vals = append(vals, "NULL")
					} else {
						vals = append(vals, *v)
					}
				}
				rows = append(rows, strings.Join(vals, "|"))
			}
			if got := strings.Join(rows, "\n"); got != c.want {
				t.Errorf("%s\n got %s\nwant %s", c.stmt, got, c.want)
			}
		}
	})
}

// TestViewQueriesChangeNothing sends statements that try to write, change a
// setting, read secrets or call what they may not, and checks each is
// refused and the database is as it was.
func TestViewQueriesChangeNothing(t *testing.T) {
	viewBackends(t, func(t *testing.T, s *store.Store) {
		seedViews(t, s)
		ctx := context.Background()
		snapshot := func() string {
			var b strings.Builder
			for _, v := range []string{"sso_instance", "identitystore_user", "identitystore_group", "organizations_account", "cloudtrail_event"} {
				res := queryViews(t, s, "SELECT * FROM aws."+v+" ORDER BY _key")
				for _, r := range res.Rows {
					for _, c := range r {
						if c != nil {
							b.WriteString(*c)
						}
						b.WriteByte('|')
					}
					b.WriteByte('\n')
				}
			}
			n, err := s.R().CountAuditEvents(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Repeat("e", int(n)))
			return b.String()
		}
		before := snapshot()
		refused := func(stmt string) {
			t.Helper()
			res, err := s.QueryViews(ctx, stmt, 1000, 5*time.Second)
			if err == nil {
				t.Errorf("%s: accepted (%d rows)", stmt, len(res.Rows))
				return
			}
			t.Logf("%s: %v", stmt, err)
			var ve *store.ViewQueryError
			if errors.As(err, &ve) && ve.Msg == "" {
				t.Errorf("%s: empty message", stmt)
			}
		}
		for _, stmt := range []string{
			`DELETE FROM users`,
			`SELECT 1; DELETE FROM users`,
			`SELECT * FROM aws.sso_instance; DROP TABLE users`,
			`UPDATE instances SET status = 'X'`,
			`WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d`,
			`INSERT INTO tags VALUES ('a', 'b', 'c')`,
			`CREATE TABLE x (a int)`,
			`DROP VIEW aws_sso_instance`,
			`ATTACH DATABASE ':memory:' AS evil`,
			`PRAGMA query_only = 0`,
			`SELECT load_extension('/tmp/evil.so')`,
			`SELECT * FROM access_keys`,
			`SELECT * FROM settings`,
			`SELECT secret FROM access_keys`,
			`SELECT * FROM sqlite_master`,
			`SELECT * FROM aws.sso_instance FOR UPDATE`,
			`SELECT pg_sleep(1)`,
			`SELECT set_config('search_path', 'public', false)`,
			`SELECT * FROM aws.sso_instance WHERE name = '' OR 1 = 1; COMMIT; DELETE FROM users; --`,
			`SELECT E'\''; DELETE FROM users; --'`,
			`SELECT [ ' ]; DELETE FROM users; --'`,
			`SELECT $a(') ; DELETE FROM users; --'`,
			`SELECT * FROM aws.nope`,
			`SELEC * FROM aws.sso_instance`,
			`SELECT * FROM aws.sso_instance WHERE`,
			`SELECT nosuchcolumn FROM aws.sso_instance`,
		} {
			refused(stmt)
		}
		if s.Flavor() == "sqlite" {
			// SQLite does not nest comments (PostgreSQL reads this one as
			// SELECT 1).
			refused(`SELECT 1 /* /* */ ; DELETE FROM users; -- */`)
		}
		if after := snapshot(); after != before {
			t.Errorf("the data changed:\nbefore %s\nafter  %s", before, after)
		}
		// The connections the refused statements used still work and are
		// still read-only.
		if _, err := s.QueryViews(ctx, `SELECT count(*) FROM aws.sso_instance`, 10, time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := s.QueryViews(ctx, `SELECT count(*) FROM aws.sso_instance`, 0, time.Second); !errors.Is(err, store.ErrTooManyRows) {
			t.Fatalf("maxRows 0: %v, want ErrTooManyRows", err)
		}
	})
}

// TestViewDocs checks that docs/sql-views.md documents every view and
// column, in order, and every function a statement may call, and that its
// examples run on both backends.
func TestViewDocs(t *testing.T) {
	b, err := os.ReadFile("../../docs/sql-views.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, v := range store.Views() {
		_, section, ok := strings.Cut(doc, "\n## aws."+v.Name+"\n")
		if !ok {
			t.Errorf("aws.%s is not documented", v.Name)
			continue
		}
		section, _, _ = strings.Cut(section, "\n## ")
		var documented []string
		for _, line := range strings.Split(section, "\n") {
			if strings.HasPrefix(line, "| `") {
				name, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
				documented = append(documented, name)
				if json := strings.Contains(line, "| JSON"); json != columnJSON(v, name) {
					t.Errorf("aws.%s.%s: documented as JSON %v", v.Name, name, json)
				}
			}
		}
		var want []string
		for _, c := range v.Columns {
			want = append(want, c.Name)
		}
		if strings.Join(documented, ",") != strings.Join(want, ",") {
			t.Errorf("aws.%s: documented columns\n%v\nwant\n%v", v.Name, documented, want)
		}
	}
	for _, f := range store.ViewQueryFunctions() {
		if !strings.Contains(doc, "`"+f+"`") {
			t.Errorf("function %s is not documented", f)
		}
	}
	_, examples, _ := strings.Cut(doc, "## Examples\n\n```sql\n")
	examples, _, _ = strings.Cut(examples, "```")
	viewBackends(t, func(t *testing.T, s *store.Store) {
		seedViews(t, s)
		n := 0
		for _, stmt := range strings.Split(examples, ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			queryViews(t, s, stmt)
			n++
		}
		if n != 3 {
			t.Errorf("%d examples ran, want 3", n)
		}
	})
}

func columnJSON(v store.View, name string) bool {
	for _, c := range v.Columns {
		if c.Name == name {
			return c.JSON
		}
	}
	return false
}
