package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SQLite names the columns of a unique constraint that refused a row
// ("UNIQUE constraint failed: users.store_id, users.user_name_key");
// PostgreSQL names the constraint ("users_name"). So that a ConstraintError
// means the same on both, the store learns on SQLite, when it opens, which
// constraint each list of columns belongs to, and reports PostgreSQL's name:
// the unique index's, "<table>_pkey" for a primary key, "<table>_<columns>_key"
// for a UNIQUE column constraint.

// loadConstraints reads the unique constraints of a SQLite database's tables.
func (f *flavor) loadConstraints(ctx context.Context, db *sql.DB) error {
	type index struct{ table, name, origin string }
	var indexes []index
	var tables []string
	err := queryEach(ctx, db, func(rows *sql.Rows) error {
		var ix index
		var unique bool
		if err := rows.Scan(&ix.table, &ix.name, &ix.origin, &unique); err != nil {
			return err
		}
		if len(tables) == 0 || tables[len(tables)-1] != ix.table {
			tables = append(tables, ix.table)
		}
		if unique && ix.name != "" && ix.origin != "pk" {
			indexes = append(indexes, ix)
		}
		return nil
	}, `SELECT m.name, COALESCE(il.name, ''), COALESCE(il.origin, ''), COALESCE(il."unique", 0)
		FROM sqlite_master AS m LEFT JOIN pragma_index_list(m.name) AS il
		WHERE m.type = 'table' ORDER BY m.name`)
	if err != nil {
		return err
	}
	names := map[string]string{}
	seen := map[string]int{}
	add := func(cols []string, name string) {
		key := strings.Join(cols, ", ")
		seen[key]++
		names[key] = name
	}
	for _, table := range tables {
		// The primary key, whatever its form (rowid alias, autoindex,
		// WITHOUT ROWID), in key order.
		var cols []string
		err := queryEach(ctx, db, func(rows *sql.Rows) error {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			cols = append(cols, table+"."+c)
			return nil
		}, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table)
		if err != nil {
			return err
		}
		if len(cols) > 0 {
			add(cols, table+"_pkey")
		}
	}
	for _, ix := range indexes {
		var cols, bare []string
		expr := false
		err := queryEach(ctx, db, func(rows *sql.Rows) error {
			var c sql.NullString
			if err := rows.Scan(&c); err != nil {
				return err
			}
			expr = expr || !c.Valid
			cols, bare = append(cols, ix.table+"."+c.String), append(bare, c.String)
			return nil
		}, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.name)
		if err != nil {
			return err
		}
		switch {
		case expr: // SQLite names such an index itself
		case ix.origin == "u":
			add(cols, ix.table+"_"+strings.Join(bare, "_")+"_key")
		default:
			add(cols, ix.name)
		}
	}
	for key, n := range seen {
		if n > 1 { // two constraints on the same columns: keep SQLite's words
			delete(names, key)
		}
	}
	f.constraints = names
	return nil
}

// sqliteConstraint returns the name of the constraint a SQLite unique
// failure message is about.
func (f *flavor) sqliteConstraint(msg string) string {
	m := f.uniqueRe.FindStringSubmatch(msg)
	switch {
	case m == nil:
		return "unique"
	case strings.HasPrefix(m[1], "index '"):
		return strings.TrimSuffix(strings.TrimPrefix(m[1], "index '"), "'")
	}
	if name, ok := f.constraints[m[1]]; ok {
		return name
	}
	return m[1]
}

// queryEach runs a query and calls fn on each row.
func queryEach(ctx context.Context, db *sql.DB, fn func(*sql.Rows) error, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: read constraints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("store: read constraints: %w", err)
		}
	}
	return rows.Err()
}
