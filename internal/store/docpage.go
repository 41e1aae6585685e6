package store

import (
	"context"
	"database/sql"
	"strings"
)

// DocPage is a page of stored JSON documents joined with commas, in id
// order.
type DocPage struct {
	Docs string // the documents, comma-separated; empty for none
	N    int    // how many documents Docs holds
	Last string // the id of the last document in Docs, when More
	More bool   // documents follow Last
}

// docPage reads up to limit documents of table (users or groups) of a store
// whose id sorts after the given one, those with key = keyValue when keyCol
// is set.
//
// On SQLite the database joins them: one row crosses the driver instead of
// one per document, and there every column of every row costs the driver
// a lock and a copy (a page of 100 users, 440 bytes each: 75-110 µs
// instead of 295-320). On PostgreSQL the rows come as they are: pgx reads
// them cheaply, and the join made the database's side 2.5x slower (0.57
// against 0.23 ms in EXPLAIN ANALYZE; the load tool's p99 went from 10-14
// to 17 ms).
func (q Q) docPage(ctx context.Context, table, storeID, keyCol, keyValue, after string, limit int) (*DocPage, error) {
	where, args := `store_id = ?`, []any{storeID}
	if keyCol != "" {
		where += ` AND ` + keyCol + ` = ?`
		args = append(args, keyValue)
	}
	where += ` AND id > ?`
	args = append(args, after)
	if q.f.dollar {
		return q.docRows(ctx, `SELECT id, doc FROM `+table+` WHERE `+where+` ORDER BY id LIMIT ?`, append(args, limit+1), limit)
	}
	// The documents are joined in the order the inner query delivers them
	// (an ORDER BY inside string_agg made SQLite sort the page again: 250
	// instead of 75-110 µs). The last column reads the ids of the page's
	// last row and of the row after it, if any, from the index (max(id) over
	// the page copied every id: 11 µs a page of 100). The documents come as
	// a string, used as it is (a copy of 40 KB was 10 µs more).
	query := `SELECT count(*), coalesce(string_agg(doc, ','), ''),
		(SELECT group_concat(id, ' ') FROM (SELECT id FROM ` + table + ` WHERE ` + where + ` ORDER BY id LIMIT 2 OFFSET ?) AS x)
		FROM (SELECT doc FROM ` + table + ` WHERE ` + where + ` ORDER BY id LIMIT ?) AS p`
	args = append(append(append(args, limit-1), args...), limit)
	var p DocPage
	var tail sql.NullString
	if err := q.row(ctx, query, args...).Scan(&p.N, &p.Docs, &tail); err != nil {
		return nil, err
	}
	// Ids hold no spaces (their patterns in the model).
	if p.N == limit {
		var next string
		p.Last, next, _ = strings.Cut(tail.String, " ")
		p.More = next != ""
	}
	return &p, nil
}

// docRows reads the rows (id, doc) of query, up to limit+1, and joins the
// first limit documents.
func (q Q) docRows(ctx context.Context, query string, args []any, limit int) (*DocPage, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := &DocPage{}
	var b strings.Builder
	var id string
	var doc sql.RawBytes // (valid until Next: appended at once)
	for rows.Next() {
		if p.N == limit {
			p.More = true
			break
		}
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		if p.N > 0 {
			b.WriteByte(',')
		}
		b.Write(doc)
		p.N, p.Last = p.N+1, id
	}
	p.Docs = b.String()
	return p, rows.Err()
}

// UserDocsAfter reads a page of up to limit user documents whose id sorts
// after the given one, optionally only the one with a lower-cased user name.
func (q Q) UserDocsAfter(ctx context.Context, storeID, after, nameKey string, limit int) (*DocPage, error) {
	return q.docPage(ctx, "users", storeID, keyColumn(nameKey, "user_name_key"), nameKey, after, limit)
}

// GroupDocsAfter reads a page of up to limit group documents whose id sorts
// after the given one, optionally only the one with a lower-cased display
// name.
func (q Q) GroupDocsAfter(ctx context.Context, storeID, after, nameKey string, limit int) (*DocPage, error) {
	return q.docPage(ctx, "groups", storeID, keyColumn(nameKey, "name_key"), nameKey, after, limit)
}

// keyColumn is col when the filter value is set, "" (no filter) otherwise.
func keyColumn(value, col string) string {
	if value == "" {
		return ""
	}
	return col
}
