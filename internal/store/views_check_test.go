package store

import (
	"errors"
	"strings"
	"testing"
)

func TestRewriteViewQuery(t *testing.T) {
	target := func(v string) string { return `"s"."aws_` + v + `"` }
	for _, c := range []struct{ in, want string }{
		{`SELECT * FROM aws.sso_instance`, `SELECT * FROM "s"."aws_sso_instance" AS "sso_instance"`},
		{`select name from AWS.SSO_INSTANCE i where i.status = 'ACTIVE';`, `select name from "s"."aws_sso_instance" i where i.status = 'ACTIVE';`},
		{`SELECT aws.sso_instance.name FROM "aws"."sso_instance" WHERE name <> 'aws.sso_instance'`,
			`SELECT "sso_instance".name FROM "s"."aws_sso_instance" AS "sso_instance" WHERE name <> 'aws.sso_instance'`},
		{`SELECT u.user_name FROM aws.identitystore_user AS u JOIN aws.sso_instance ON sso_instance.identity_store_id = u.identity_store_id`,
			`SELECT u.user_name FROM "s"."aws_identitystore_user" AS u JOIN "s"."aws_sso_instance" AS "sso_instance" ON sso_instance.identity_store_id = u.identity_store_id`},
		{`WITH x(n) AS (SELECT count(*) FROM aws.sso_instance), y AS (SELECT 1) SELECT n FROM x -- aws.nothing; DELETE`,
			`WITH x(n) AS (SELECT count(*) FROM "s"."aws_sso_instance" AS "sso_instance"), y AS (SELECT 1) SELECT n FROM x -- aws.nothing; DELETE`},
		{`SELECT CAST(tags AS varchar(10)), name::varchar(5) FROM aws.sso_instance, aws.identitystore_group g`,
			`SELECT CAST(tags AS varchar(10)), name::varchar(5) FROM "s"."aws_sso_instance" AS "sso_instance", "s"."aws_identitystore_group" g`},
		{`SELECT CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END FROM aws.sso_instance`,
			`SELECT CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END FROM "s"."aws_sso_instance" AS "sso_instance"`},
	} {
		got, err := rewriteViewQuery(c.in, true, target)
		if err != nil || got != c.want {
			t.Errorf("%s\n got %s (%v)\nwant %s", c.in, got, err, c.want)
		}
	}
}

func TestRewriteViewQueryRefuses(t *testing.T) {
	for _, c := range []struct {
		in       string
		postgres bool
		want     string
	}{
		{"DELETE FROM aws.sso_instance", false, "DELETE is not allowed"},
		{"", false, "empty"},
		{" ; ", false, "empty"},
		{"SELECT 1; DELETE FROM users", false, "Only one statement"},
		{"SELECT 1; SELECT 2", true, "Only one statement"},
		{"WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d", true, "DELETE is not allowed"},
		{"SELECT * INTO t2 FROM aws.sso_instance", true, "INTO is not allowed"},
		{"SELECT * FROM aws.sso_instance FOR UPDATE", true, "FOR is not allowed"},
		{"PRAGMA query_only = 0", false, "PRAGMA is not allowed"},
		{"ATTACH DATABASE '/tmp/x' AS x", false, "ATTACH is not allowed"},
		{"VACUUM", false, "VACUUM is not allowed"},
		{"select load_extension('/tmp/x.so')", false, "Function load_extension is not allowed"},
		{"SELECT pg_sleep(10)", true, "Function pg_sleep is not allowed"},
		{`SELECT "pg_sleep"(10)`, true, "Function pg_sleep is not allowed"},
		{"SELECT pg_catalog.pg_read_file('/etc/passwd')", true, "functions are called by their bare name"},
		{"SELECT * FROM dblink('x', 'DELETE FROM users') AS (a int)", true, "Function dblink is not allowed"},
		{"WITH a AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a, dblink('x', 'y') AS (a int)", true, "Function dblink is not allowed"},
		{"SELECT * FROM aws.secrets", false, "aws.secrets is not a view"},
		{"SELECT 'unterminated", false, "Unterminated string"},
		{"SELECT 1 /* open", true, "Unterminated comment"},
		// The database's own lexer must agree on where strings and comments
		// end: what PostgreSQL reads as code after E'\'' or a nested comment,
		// or SQLite after a [bracketed] name, is checked as code.
		{`SELECT E'\''; DELETE FROM users; --'`, true, "Only one statement"},
		{`SELECT $x$ ' $x$; DELETE FROM users; --'`, true, "Only one statement"},
		{`SELECT 1 /* /* */ ; DELETE FROM users; -- */`, false, "Only one statement"},
		{`SELECT [ ' ]; DELETE FROM users; --'`, false, "Only one statement"},
		{`SELECT $a(') ; DELETE FROM users; --'`, false, "statements take no parameters"},
		{`SELECT * FROM aws.sso_instance WHERE name = ?`, false, "statements take no parameters"},
		{"SET search_path = public", true, "SET is not allowed"},
		{"COMMIT", true, "COMMIT is not allowed"},
		{"SHOW ALL", true, `starts with "SHOW"`},
	} {
		_, err := rewriteViewQuery(c.in, c.postgres, viewTable)
		var ve *ViewQueryError
		if !errors.As(err, &ve) || !strings.Contains(ve.Msg, c.want) {
			t.Errorf("%q (postgres %v): got %v, want an error containing %q", c.in, c.postgres, err, c.want)
		}
	}
}
