package audit

import "strings"

// keywords may appear in a query as they are.
var keywords = setOf("SELECT", "DISTINCT", "ALL", "FROM", "WHERE", "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE",
	"BETWEEN", "AS", "GROUP", "BY", "ORDER", "ASC", "DESC", "LIMIT", "OFFSET", "HAVING", "CASE", "WHEN", "THEN",
	"ELSE", "END", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "USING", "UNION", "INTERSECT",
	"EXCEPT", "EXISTS", "TRUE", "FALSE", "NULLS", "FIRST", "LAST", "CAST", "ESCAPE", "WITH", "RECURSIVE", "OVER",
	"PARTITION", "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "UNBOUNDED", "CURRENT", "ROW")

// refused are words that would make a statement do more than read; they
// get an error that says so.
var refused = setOf("INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "ATTACH", "DETACH", "PRAGMA",
	"VACUUM", "REINDEX", "GRANT", "REVOKE", "TRUNCATE", "COPY", "CALL", "DO", "EXECUTE", "EXEC", "LOCK", "SET",
	"RESET", "LISTEN", "NOTIFY", "UNLISTEN", "ANALYZE", "ANALYSE", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK",
	"SAVEPOINT", "RELEASE", "MERGE", "UPSERT", "INTO", "RETURNING", "CONFLICT", "FOR", "PREPARE", "DEALLOCATE",
	"DISCARD", "LOAD", "CHECKPOINT", "CLUSTER", "IMPORT", "REFRESH", "SECURITY", "TABLE", "VALUES", "REPLACE")

// functions may be called (with the same meaning on both backends).
var functions = setOf("COUNT", "SUM", "AVG", "MIN", "MAX", "LOWER", "UPPER", "LENGTH", "SUBSTR", "COALESCE",
	"NULLIF", "ABS", "ROUND", "TRIM", "LTRIM", "RTRIM", "REPLACE", "CONCAT")

// castTypes may follow AS in CAST(x AS type).
var castTypes = setOf("VARCHAR", "TEXT", "INTEGER", "INT", "BIGINT", "DOUBLE", "REAL", "DECIMAL", "NUMERIC", "BOOLEAN")

// SQLiteFunctions are the functions a rewritten query may call on SQLite
// (the authorizer refuses any other).
var SQLiteFunctions = func() map[string]bool {
	m := map[string]bool{"json_extract": true, "like": true, "nullif": true}
	for f := range functions {
		m[strings.ToLower(f)] = true
	}
	return m
}()

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
