package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// QueryViews runs one read-only statement over the views of schema aws
// (views.go) and returns at most maxRows rows (more is ErrTooManyRows).
//
// The statement is checked first (rewriteViewQuery): one SELECT, no word
// that writes or changes a setting, no function outside an allow list; a
// refusal is a *ViewQueryError and the database never sees the statement.
// Its aws.<view> names become the views' real names. It then runs in a
// read-only transaction (runReadOnly): on SQLite on a query_only connection
// under an authorizer that lets it read the views and the tables under them
// and call the allowed functions, nothing else (no other table, no ATTACH,
// PRAGMA or write); on PostgreSQL in a READ ONLY transaction whose
// search_path is pg_catalog alone, so that only the views (named with their
// schema) are found.
func (s *Store) QueryViews(ctx context.Context, stmt string, maxRows int, timeout time.Duration) (*ReadOnlyResult, error) {
	postgres := s.f.name == "postgres"
	target := func(view string) string { return quoteIdentifier(viewTable(view)) }
	var settings []string
	if postgres {
		var schema *string
		if err := s.read.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			return nil, err
		}
		if schema == nil {
			return nil, errors.New("store: the database connection has no current schema (check search_path)")
		}
		target = func(view string) string { return quoteIdentifier(*schema) + "." + quoteIdentifier(viewTable(view)) }
		settings = []string{`SET LOCAL search_path = pg_catalog`}
	}
	query, err := rewriteViewQuery(stmt, postgres, target)
	if err != nil {
		return nil, err
	}
	var denied string
	res, err := s.runReadOnly(ctx, readOnlyRun{query: query, maxRows: maxRows, timeout: timeout,
		authorizer: readAuthorizer(viewReadable, viewCallable, &denied), pgSettings: settings})
	if err != nil && denied != "" {
		return nil, viewErr("The statement may read only the aws views and call only the allowed functions; it %s.", denied)
	}
	return res, err
}

// viewReadable are the tables a statement over the views may read on
// SQLite: the views and the tables they read.
var viewReadable = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range viewCatalog {
		m[viewTable(v.Name)] = true
	}
	for _, t := range viewBaseTables {
		m[t] = true
	}
	return m
}()

// viewCallable are the functions a statement over the views may call on
// SQLite: those a statement may name and those the views call.
var viewCallable = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range viewQueryFunctions {
		m[f] = true
	}
	for _, f := range viewFunctions {
		m[f] = true
	}
	return m
}()

// readAuthorizer allows what a read-only SELECT needs: reading the tables
// (and views) in tables, calling the functions in funcs, and transactions
// (BEGIN and ROLLBACK). Everything else (writes, schema changes, ATTACH,
// PRAGMA, other tables, other functions) is refused when the statement is
// compiled; denied, when not nil, records the first thing refused.
func readAuthorizer(tables, funcs map[string]bool, denied *string) sqlite.AuthorizerFn {
	return func(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
		switch action {
		case sqlite.AuthSelect, sqlite.AuthRecursive, sqlite.AuthTransaction:
			return sqlite.AuthorizerOK
		case sqlite.AuthRead:
			if tables[strings.ToLower(arg1)] {
				return sqlite.AuthorizerOK
			}
			deny(denied, "reads table "+arg1)
		case sqlite.AuthFunction:
			if funcs[strings.ToLower(arg2)] {
				return sqlite.AuthorizerOK
			}
			deny(denied, "calls function "+arg2)
		default:
			deny(denied, "does more than read")
		}
		return sqlite.AuthorizerDeny
	}
}

func deny(denied *string, what string) {
	if denied != nil && *denied == "" {
		*denied = what
	}
}
