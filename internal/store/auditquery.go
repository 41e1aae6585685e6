package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"modernc.org/sqlite"
)

// AuditQuery is a CloudTrail Lake query and, once finished, its results.
type AuditQuery struct {
	ID           string
	OrgID        string
	Statement    string
	Status       string // QUEUED, RUNNING, FINISHED, FAILED, TIMED_OUT
	ErrorMessage string
	Result       string // JSON: {"columns": [...], "rows": [[...], ...]}
	ResultCount  int64
	BytesScanned int64
	Created      time.Time
	Finished     time.Time
	ExecMS       int64
}

// InsertAuditQuery stores a new query.
func (q Q) InsertAuditQuery(ctx context.Context, a *AuditQuery) error {
	_, err := q.exec(ctx, `INSERT INTO audit_queries (id, org_id, statement, status, error_message, result, result_count, bytes_scanned, created_ms, finished_ms, exec_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.OrgID, a.Statement, a.Status, a.ErrorMessage, null(a.Result), a.ResultCount, a.BytesScanned, ms(a.Created), ms(a.Finished), a.ExecMS)
	return err
}

// FinishAuditQuery records the outcome of a running query.
func (q Q) FinishAuditQuery(ctx context.Context, a *AuditQuery) error {
	return affected(q.exec(ctx, `UPDATE audit_queries SET status = ?, error_message = ?, result = ?, result_count = ?, bytes_scanned = ?, finished_ms = ?, exec_ms = ?
		WHERE id = ? AND status = 'RUNNING'`,
		a.Status, a.ErrorMessage, null(a.Result), a.ResultCount, a.BytesScanned, ms(a.Finished), a.ExecMS, a.ID))
}

// DeleteAuditQueriesBefore removes queries created before t.
func (q Q) DeleteAuditQueriesBefore(ctx context.Context, t time.Time) error {
	_, err := q.exec(ctx, `DELETE FROM audit_queries WHERE created_ms < ?`, ms(t))
	return err
}

// AuditQueryByID returns a query of an organization, with its results when
// withResult is set.
func (q Q) AuditQueryByID(ctx context.Context, orgID, id string, withResult bool) (*AuditQuery, error) {
	res := "''"
	if withResult {
		res = "COALESCE(result, '')"
	}
	var a AuditQuery
	var created, finished int64
	err := q.row(ctx, `SELECT id, org_id, statement, status, error_message, `+res+`, result_count, bytes_scanned, created_ms, finished_ms, exec_ms
		FROM audit_queries WHERE id = ? AND org_id = ?`, id, orgID).
		Scan(&a.ID, &a.OrgID, &a.Statement, &a.Status, &a.ErrorMessage, &a.Result, &a.ResultCount, &a.BytesScanned, &created, &finished, &a.ExecMS)
	if err != nil {
		return nil, scanErr(err)
	}
	a.Created, a.Finished = fromMS(created), fromMS(finished)
	return &a, nil
}

// ErrTooManyRows is returned by QueryReadOnly when a query returns more rows
// than allowed.
var ErrTooManyRows = errors.New("store: the query returns too many rows")

// ReadOnlyResult is what a read-only query returned. A value is nil for
// SQL NULL.
type ReadOnlyResult struct {
	Columns []string
	Rows    [][]*string
	Bytes   int64 // total size of the values
}

// QueryReadOnly runs one SELECT statement that the caller has already
// checked and rewritten, in a read-only transaction, and returns at most
// maxRows rows (more is ErrTooManyRows). On SQLite it runs on a query_only
// connection under an authorizer that allows reading the audit tables and
// calling the functions in allowedFuncs only; on PostgreSQL in a READ ONLY
// transaction with a statement timeout. Nothing it runs can change the
// database.
func (s *Store) QueryReadOnly(ctx context.Context, query string, maxRows int, timeout time.Duration, allowedFuncs map[string]bool) (*ReadOnlyResult, error) {
	return s.runReadOnly(ctx, readOnlyRun{query: query, maxRows: maxRows, timeout: timeout, authorizer: readAuthorizer(auditReadable, allowedFuncs, nil)})
}

// sqlText renders a value a driver returned as text.
func sqlText(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case time.Time:
		return x.UTC().Format(AuditTimeLayout)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return ""
		}
		return string(b)
	}
}

// setAuthorizer installs fn (nil removes it) on a SQLite connection.
func setAuthorizer(conn *sql.Conn, fn sqlite.AuthorizerFn) error {
	return conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("store: the SQLite driver has no authorizer")
		}
		return r.RegisterAuthorizer(fn)
	})
}

// auditReadable are the tables (and views) a user query may read.
var auditReadable = map[string]bool{"audit_events": true, "audit_event_fields": true}
