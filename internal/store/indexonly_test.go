package store_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestPostgresIndexOnlyReads: on PostgreSQL the reads that migration 14
// gave covering indexes (a page of an account's assignments of a permission
// set, a user's id by user name and by email, a user's and a group's
// memberships) are
// answered from an index alone once the table is vacuumed, without reading
// one table page per row.
func TestPostgresIndexOnlyReads(t *testing.T) {
	url := postgresURL(t)
	open(t, url) // migrates the fresh schema
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := t.Context()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO account_assignments (permission_set_arn, account_id, principal_type, principal_id, instance_arn, created_ms)
		SELECT 'arn:ps-' || (i % 7), 'acct-' || (i % 11), 'USER', 'u-' || i, 'arn:instance', i FROM generate_series(1, 2000) AS i`)
	exec(`INSERT INTO users (store_id, id, user_name_key, email_key, doc, created_ms, updated_ms)
		SELECT 'd-1', 'u-' || i, 'name-' || i, 'mail-' || i, '{}', i, i FROM generate_series(1, 2000) AS i`)
	exec(`INSERT INTO memberships (store_id, id, group_id, user_id, created_ms)
		SELECT 'd-1', 'm-' || i, 'g-' || (i / 97), 'u-' || (i % 97), i FROM generate_series(1, 2000) AS i`)
	// A vacuum marks the pages all-visible (so an index-only scan need not
	// visit them); the planner is kept from scanning small tables whole.
	for _, table := range []string{"account_assignments", "users", "memberships"} {
		exec(`VACUUM ANALYZE ` + table)
	}
	exec(`SET enable_seqscan = off`)
	exec(`SET enable_bitmapscan = off`)
	for _, c := range []struct {
		what, query string
		args        []any
	}{
		{"ListAccountAssignments", `SELECT principal_type, principal_id, instance_arn, created_ms FROM account_assignments
			WHERE permission_set_arn = $1 AND account_id = $2 AND (principal_type > $3 OR principal_type = $3 AND principal_id > $4)
			ORDER BY principal_type, principal_id LIMIT 101`, []any{"arn:ps-3", "acct-5", "", ""}},
		{"GetUserId by user name", `SELECT id FROM users WHERE store_id = $1 AND user_name_key = $2`, []any{"d-1", "name-42"}},
		{"GetUserId by email", `SELECT id FROM users WHERE store_id = $1 AND email_key = $2`, []any{"d-1", "mail-42"}},
		{"IsMemberInGroups", `SELECT group_id FROM memberships WHERE store_id = $1 AND user_id = $2 AND group_id IN ($3, $4)`,
			[]any{"d-1", "u-5", "g-1", "g-2"}},
		{"ListGroupMemberships", `SELECT store_id, id, group_id, user_id, created_ms FROM memberships
			WHERE store_id = $1 AND group_id = $2 AND id > $3 ORDER BY id LIMIT 101`, []any{"d-1", "g-3", ""}},
		{"ListGroupMembershipsForMember", `SELECT store_id, id, group_id, user_id, created_ms FROM memberships
			WHERE store_id = $1 AND user_id = $2 AND id > $3 ORDER BY id LIMIT 101`, []any{"d-1", "u-5", ""}},
	} {
		plan := planOf(t, conn, `EXPLAIN `+c.query, c.args...)
		if !strings.Contains(strings.Join(plan, "\n"), "Index Only Scan") {
			t.Errorf("%s is not read from an index alone:\n%s", c.what, strings.Join(plan, "\n"))
		}
	}
}
