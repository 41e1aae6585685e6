package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

// cells runs a query with --format csv and returns its rows (without the
// header), each row's cells joined by "|".
func cells(t *testing.T, e *testenv.Env, stmt string) []string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(run(t, e, queryCmd, "--format", "csv", stmt))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range records[1:] {
		out = append(out, strings.Join(r, "|"))
	}
	return out
}

func TestQueryViews(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		inv := newInventory(t, e)
		ctx := context.Background()
		sso := ssoadmin.NewFromConfig(e.Management())
		inst := e.InstanceArn()
		if _, err := sso.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: &inst, ResourceArn: &inst,
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}, {Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := sso.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: &inst, InstanceAccessControlAttributeConfiguration: &types.InstanceAccessControlAttributeConfiguration{
				AccessControlAttributes: []types.AccessControlAttribute{{Key: aws.String("dept"),
					Value: &types.AccessControlAttributeValue{Source: []string{"${path:enterprise.department}"}}}}}}); err != nil {
			t.Fatal(err)
		}
		e.Server.Audit.Flush() // the events of the calls above are stored in the background

		for _, c := range []struct {
			stmt string
			want []string
		}{
			{`SELECT account_id, owner_account_id, identity_store_id, name, status, status_reason, tags FROM aws.sso_instance WHERE account_id <> '` + inv.mgmt + `' ORDER BY name`,
				[]string{inv.dev + "|" + inv.dev + "|" + inv.devStore + "|dev-apps|ACTIVE||", inv.prod + "|" + inv.prod + "|" + inv.prodStore + "|prod-apps|ACTIVE||"}},
			{`SELECT tags, instance_access_control_attribute_configuration -> 'AccessControlAttributes' -> 0 ->> 'Key',
				instance_arn = _key, length(created_date) FROM aws.sso_instance WHERE instance_arn = '` + inst + `'`,
				[]string{"env:prod,team:platform|dept|" + boolText(e) + "|24"}},
			// Alice in every instance, with the account that owns it.
			{`SELECT i.account_id, u.user_name FROM aws.identitystore_user AS u JOIN aws.sso_instance AS i ON i.identity_store_id = u.identity_store_id
				WHERE lower(u.email) = 'alice@example.com' ORDER BY u.user_name`, []string{inv.dev + "|a.smith", inv.mgmt + "|alice"}},
			{`SELECT g.display_name, u.user_name FROM aws.identitystore_group_membership m
				JOIN aws.identitystore_group g ON g.group_id = m.group_id AND g.identity_store_id = m.identity_store_id
				JOIN aws.identitystore_user u ON u.user_id = m.user_id AND u.identity_store_id = m.identity_store_id ORDER BY u.user_name`,
				[]string{"admins|alice", "admins|bob"}},
			{`SELECT a.account_id, p.name, a.principal_type, coalesce(u.user_name, g.display_name) FROM aws.sso_account_assignment a
				JOIN aws.sso_permission_set p ON p.permission_set_arn = a.permission_set_arn
				LEFT JOIN aws.identitystore_user u ON a.principal_type = 'USER' AND u.user_id = a.principal_id
				LEFT JOIN aws.identitystore_group g ON a.principal_type = 'GROUP' AND g.group_id = a.principal_id
				ORDER BY a.account_id, p.name`,
				sortedRows(inv.dev+"|Admin|GROUP|admins", inv.dev+"|ReadOnly|USER|alice", inv.prod+"|ReadOnly|USER|carol")},
			{`SELECT name FROM aws.organizations_account WHERE account_id IN ('` + inv.dev + `', '` + inv.sandbox + `') ORDER BY name`, []string{"dev", "sandbox"}},
			// The instances created, with who created them, as the issue's
			// CloudTrail Lake query asks for them.
			{`SELECT user_identity_account_id, event_source FROM aws.cloudtrail_event
				WHERE user_identity_arn IS NOT NULL AND event_name = 'DeleteInstance' OR event_name = 'CreateInstance' ORDER BY user_identity_account_id`,
				sortedRows(inv.dev+"|sso.amazonaws.com", inv.prod+"|sso.amazonaws.com")},
		} {
			if got := cells(t, e, c.stmt); !slices.Equal(got, c.want) {
				t.Errorf("%s\n got %q\nwant %q", c.stmt, got, c.want)
			}
		}

		// Every view has its documented columns, in order.
		for _, v := range store.Views() {
			header := strings.SplitN(run(t, e, queryCmd, "--format", "csv", "SELECT * FROM aws."+v.Name+" LIMIT 1"), "\n", 2)[0]
			var want []string
			for _, c := range v.Columns {
				want = append(want, c.Name)
			}
			if header != strings.Join(want, ",") {
				t.Errorf("aws.%s: columns %s, want %s", v.Name, header, strings.Join(want, ","))
			}
		}

		// JSON and table output.
		rows := jsonRows(t, e, queryCmd, "SELECT user_name, nick_name FROM aws.identitystore_user WHERE user_name = 'carol'")
		if len(rows) != 1 || rows[0]["user_name"] != "carol" || rows[0]["nick_name"] != nil {
			t.Errorf("JSON rows %v", rows)
		}
		if out := run(t, e, queryCmd, "SELECT count(*) AS n FROM aws.identitystore_user"); !strings.HasPrefix(out, "n\n--\n7 ") && !strings.HasPrefix(out, "n\n-\n7\n") {
			t.Errorf("table:\n%s", out)
		}
	})
}

// boolText is how a true boolean reads on e's backend.
func boolText(e *testenv.Env) string {
	if e.Store.Flavor() == "postgres" {
		return "true"
	}
	return "1"
}

func sortedRows(rows ...string) []string {
	slices.Sort(rows)
	return rows
}

// TestQueryRefusesChanges sends malicious and malformed statements through
// the command: each is refused with a message, and the data is unchanged.
func TestQueryRefusesChanges(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		newInventory(t, e)
		e.Server.Audit.Flush()
		snapshot := func() string {
			var b strings.Builder
			for _, v := range store.Views() {
				if v.Name == "cloudtrail_event" {
					continue // the server records its own calls meanwhile
				}
				b.WriteString(run(t, e, queryCmd, "--format", "csv", "SELECT * FROM aws."+v.Name+" ORDER BY _key"))
			}
			return b.String()
		}
		before := snapshot()
		for _, stmt := range []string{
			`DELETE FROM users`,
			`delete from aws.identitystore_user`,
			`SELECT 1; DELETE FROM users`,
			`SELECT * FROM aws.sso_instance; DROP TABLE instances; --`,
			`UPDATE instances SET status = 'DELETE_IN_PROGRESS'`,
			`WITH gone AS (DELETE FROM memberships RETURNING *) SELECT * FROM gone`,
			`INSERT INTO users (store_id, id, user_name_key, doc, created_ms, updated_ms) VALUES ('d', 'u', 'n', '{}', 0, 0)`,
			`CREATE TABLE evil AS SELECT * FROM aws.sso_instance`,
			`SELECT * INTO evil FROM aws.sso_instance`,
			`DROP VIEW aws_sso_instance`,
			`ALTER TABLE users ADD COLUMN x TEXT`,
			`ATTACH DATABASE '/tmp/evil.db' AS evil`,
			`PRAGMA query_only = OFF`,
			`PRAGMA writable_schema = ON`,
			`VACUUM`,
			`SELECT load_extension('/tmp/evil')`,
			`SELECT secret FROM access_keys`,
			`SELECT * FROM aws.access_keys`,
			`SELECT * FROM aws.sso_instance FOR UPDATE`,
			`BEGIN; DELETE FROM users; COMMIT`,
			`COMMIT`,
			`SET transaction_read_only = off`,
			`SELECT set_config('transaction_read_only', 'off', true)`,
			`SELECT pg_terminate_backend(pg_backend_pid())`,
			`SELECT * FROM aws.sso_instance WHERE name = 'x' OR 1 = 1; COMMIT; DELETE FROM users; --`,
			`SELECT E'\''; DELETE FROM users; --'`,
			`SELECT $$ ' $$; DELETE FROM users; --'`,
			`SELECT * FROM aws.sso_instance WHERE status = 'ACTIVE`,
			`SELECT * FROM aws.sso_instance WHERE (status = 'ACTIVE'`,
			`SELEC * FROM aws.sso_instance`,
			`SELECT no_such_column FROM aws.sso_instance`,
			`SELECT * FROM aws.no_such_view`,
			``,
		} {
			var out bytes.Buffer
			err := queryCmd([]string{"--db", e.DBURL, stmt}, &out)
			if err == nil {
				t.Errorf("%q: accepted:\n%s", stmt, out.String())
				continue
			}
			t.Logf("%q: %v", stmt, err)
			if err.Error() == "" {
				t.Errorf("%q: an empty error", stmt)
			}
		}
		if after := snapshot(); after != before {
			t.Errorf("the data changed:\nbefore\n%s\nafter\n%s", before, after)
		}
	})
}
