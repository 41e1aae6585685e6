package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// AuditEvent is one row of the audit trail: a CloudTrail record in
// columns. JSON members (SessionContext, RequestParameters, ...) are JSON
// text, "" when absent. Seq increases with every stored event: on SQLite in
// commit order; on PostgreSQL in insertion order (a reader following Seq
// must allow for transactions that commit out of order).
type AuditEvent struct {
	Seq                int64
	EventID            string
	Time               time.Time // stored as AuditTime text, millisecond precision, UTC
	OrgID              string    // the organization of the recipient account, "" if none
	RecipientAccountID string
	EventSource        string
	EventName          string
	EventType          string // AwsApiCall, AwsServiceEvent
	ReadOnly           bool

	UserType       string // userIdentity.type
	PrincipalID    string
	UserArn        string
	UserAccountID  string
	AccessKeyID    string
	UserName       string
	InvokedBy      string
	SessionContext string // JSON

	Region    string
	SourceIP  string
	UserAgent string
	RequestID string

	ErrorCode    string
	ErrorMessage string

	RequestParameters   string // JSON
	ResponseElements    string // JSON
	AdditionalEventData string // JSON
	TLSDetails          string // JSON
	Resources           []AuditResource

	// Complete is false while the event holds only the request: it was
	// stored with the change it records, and its outcome follows.
	Complete bool
	// Moved marks a completed event whose recipient account differs from
	// the one its request-only row was stored with.
	Moved bool
}

// AuditResource is a resource an event names.
type AuditResource struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// AuditTimeLayout is how event times are stored (and shown by SQL queries,
// as CloudTrail Lake shows eventTime): fixed width, so text order is time
// order.
const AuditTimeLayout = "2006-01-02 15:04:05.000"

// AuditTime formats t as stored.
func AuditTime(t time.Time) string { return t.UTC().Format(AuditTimeLayout) }

// PendingEvent is the audit event of a request in progress. A context
// carrying one (WithPendingEvent) makes the first successful Write under it
// store the event in the same transaction as the change, so that no change
// is kept without its event.
type PendingEvent struct {
	Event *AuditEvent

	mu    sync.Mutex
	state int // one of the pending* states
}

const (
	pendingOpen    = iota // not stored yet
	pendingWriting        // a Write is storing it
	pendingStored         // committed with a change
	pendingClosed         // its final record is on its way; no Write may store it
)

type pendingKey struct{}

// WithPendingEvent returns ctx carrying p.
func WithPendingEvent(ctx context.Context, p *PendingEvent) context.Context {
	return context.WithValue(ctx, pendingKey{}, p)
}

// PendingEventOf returns the pending event ctx carries, or nil.
func PendingEventOf(ctx context.Context) *PendingEvent {
	p, _ := ctx.Value(pendingKey{}).(*PendingEvent)
	return p
}

// Close marks the event finished and reports whether a Write stored it.
// Writes after Close leave it alone.
func (p *PendingEvent) Close() (stored bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stored = p.state == pendingStored
	p.state = pendingClosed
	return stored
}

func (p *PendingEvent) claim() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != pendingOpen {
		return false
	}
	p.state = pendingWriting
	return true
}

func (p *PendingEvent) settle(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == pendingWriting {
		if err == nil {
			p.state = pendingStored
		} else {
			p.state = pendingOpen
		}
	}
}

// withPendingEvent wraps fn so that it also stores the pending event ctx
// carries (when there is one not stored yet), inside fn's transaction: under
// its savepoint on SQLite, in each attempt on PostgreSQL (each attempt is a
// new transaction, so a retry stores it once). done must be called with the
// outcome of the Write.
func withPendingEvent(ctx context.Context, s *Store, fn func(tx *Tx) error) (func(tx *Tx) error, func(error)) {
	p := PendingEventOf(ctx)
	if p == nil || !p.claim() {
		return fn, func(error) {}
	}
	stmt := s.pendingStmt(ctx)
	return func(tx *Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if sqltx, ok := tx.ex.(*sql.Tx); ok && stmt != nil {
			_, err := sqltx.StmtContext(ctx, stmt).ExecContext(ctx, auditArgs(p.Event)...)
			return s.f.translate(err)
		}
		return tx.InsertAuditEvents(ctx, []*AuditEvent{p.Event})
	}, p.settle
}

// pendingStmts holds, per SQLite store, the prepared insert of a pending
// event. SQLite parses an unprepared statement on every call, and here the
// call runs in the single writer, where every microsecond is every write's;
// PostgreSQL's driver caches prepared statements itself.
var pendingStmts sync.Map // *Store -> *sql.Stmt

// pendingStmt returns the store's prepared pending-event insert (nil on
// PostgreSQL, or if it cannot be prepared: the insert is then parsed).
func (s *Store) pendingStmt(ctx context.Context) *sql.Stmt {
	if s.f.name != "sqlite" {
		return nil
	}
	if st, ok := pendingStmts.Load(s); ok {
		return st.(*sql.Stmt)
	}
	// Prepared on the write pool, outside the writer (which holds its one
	// connection while it runs).
	st, err := s.write.PrepareContext(ctx, `INSERT INTO audit_events (`+auditCols+`) VALUES (`+strings.Repeat("?, ", auditNCols-1)+`?)`)
	if err != nil {
		return nil
	}
	if prev, loaded := pendingStmts.LoadOrStore(s, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	return st
}

// auditEventColumns are the columns of audit_events after seq (migration 7).
const auditEventColumns = `
		event_id TEXT NOT NULL,
		event_time TEXT NOT NULL,
		org_id TEXT NOT NULL DEFAULT '',
		recipient_account_id TEXT NOT NULL DEFAULT '',
		event_source TEXT NOT NULL DEFAULT '',
		event_name TEXT NOT NULL DEFAULT '',
		event_type TEXT NOT NULL DEFAULT 'AwsApiCall',
		read_only INTEGER NOT NULL DEFAULT 0,
		user_type TEXT,
		principal_id TEXT,
		user_arn TEXT,
		user_account_id TEXT,
		access_key_id TEXT,
		user_name TEXT,
		invoked_by TEXT,
		session_context TEXT,
		aws_region TEXT,
		source_ip TEXT,
		user_agent TEXT,
		request_id TEXT,
		error_code TEXT,
		error_message TEXT,
		request_parameters TEXT,
		response_elements TEXT,
		additional_event_data TEXT,
		tls_details TEXT,
		resources TEXT,
		complete INTEGER NOT NULL DEFAULT 0)`

// auditCols are the columns InsertAuditEvents writes, after seq.
const auditCols = `event_id, event_time, org_id, recipient_account_id, event_source, event_name, event_type, read_only,
	user_type, principal_id, user_arn, user_account_id, access_key_id, user_name, invoked_by, session_context,
	aws_region, source_ip, user_agent, request_id, error_code, error_message,
	request_parameters, response_elements, additional_event_data, tls_details, resources, complete`

const auditNCols = 28

// auditOutcomeCols are what completing an event changes: its outcome, and
// who made it (an administrative change may learn it late). None is
// indexed, so completing an event rewrites its row but no index.
var auditOutcomeCols = []string{"org_id", "user_type", "principal_id", "user_arn", "user_account_id", "user_name", "invoked_by",
	"session_context", "request_parameters", "response_elements", "error_code", "error_message", "additional_event_data", "resources", "complete"}

// auditUpsert is the conflict clause: a complete record replaces the
// request-only row stored with the change (seq, and so its place, stays).
// auditUpsertMoved also moves the event to another recipient account.
var auditUpsert, auditUpsertMoved = upsertSet(auditOutcomeCols), upsertSet(append([]string{"recipient_account_id"}, auditOutcomeCols...))

func upsertSet(cols []string) string {
	var b strings.Builder
	b.WriteString(" ON CONFLICT (event_id) DO UPDATE SET ")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	return b.String()
}

// auditBatch bounds the rows of one INSERT statement.
const auditBatch = 100

// InsertAuditEvents stores events; an event whose id is already stored
// replaces the stored one (keeping its seq). Each event's resources are
// indexed for lookups when the event is complete.
func (q Q) InsertAuditEvents(ctx context.Context, events []*AuditEvent) error {
	if sqltx, ok := q.ex.(*sql.Tx); ok && !q.f.dollar && len(events) > 1 {
		return q.insertAuditPrepared(ctx, sqltx, events)
	}
	for len(events) > 0 {
		n := min(len(events), auditBatch)
		if err := q.insertAuditBatch(ctx, events[:n]); err != nil {
			return err
		}
		events = events[n:]
	}
	return nil
}

func (q Q) insertAuditBatch(ctx context.Context, events []*AuditEvent) error {
	var b strings.Builder
	args := make([]any, 0, len(events)*auditNCols)
	b.WriteString("INSERT INTO audit_events (")
	b.WriteString(auditCols)
	b.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?, ", auditNCols-1) + "?)"
	for i, e := range events {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
		args = append(args, auditArgs(e)...)
	}
	upsert := auditUpsert
	for _, e := range events {
		if e.Moved {
			upsert = auditUpsertMoved
		}
	}
	b.WriteString(upsert)
	if _, err := q.exec(ctx, b.String(), args...); err != nil {
		return err
	}
	return q.insertAuditResources(ctx, events)
}

// insertAuditPrepared stores events on SQLite with one prepared statement
// per table, run once per row: SQLite parses a multi-row statement row by
// row, so preparing once is what saves the work.
func (q Q) insertAuditPrepared(ctx context.Context, sqltx *sql.Tx, events []*AuditEvent) error {
	insert := `INSERT INTO audit_events (` + auditCols + `) VALUES (` + strings.Repeat("?, ", auditNCols-1) + `?)`
	ins, err := sqltx.PrepareContext(ctx, insert+auditUpsert)
	if err != nil {
		return q.f.translate(err)
	}
	defer ins.Close()
	var res *sql.Stmt
	for _, e := range events {
		if e.Moved {
			_, err = sqltx.ExecContext(ctx, insert+auditUpsertMoved, auditArgs(e)...)
		} else {
			_, err = ins.ExecContext(ctx, auditArgs(e)...)
		}
		if err != nil {
			return q.f.translate(err)
		}
		if !e.Complete {
			continue
		}
		for _, r := range e.Resources {
			if res == nil {
				if res, err = sqltx.PrepareContext(ctx, `INSERT INTO audit_event_resources (resource_name, event_time, event_id, recipient_account_id) VALUES (?, ?, ?, ?)`+resourceConflict); err != nil {
					return q.f.translate(err)
				}
				defer res.Close()
			}
			if _, err := res.ExecContext(ctx, r.Name, AuditTime(e.Time), e.EventID, e.RecipientAccountID); err != nil {
				return q.f.translate(err)
			}
		}
	}
	return nil
}

// auditArgs are the values of auditCols for e.
func auditArgs(e *AuditEvent) []any {
	res := ""
	if len(e.Resources) > 0 {
		r, _ := json.Marshal(e.Resources)
		res = string(r)
	}
	return []any{e.EventID, AuditTime(e.Time), e.OrgID, e.RecipientAccountID, e.EventSource, e.EventName, e.EventType, b2i(e.ReadOnly),
		null(e.UserType), null(e.PrincipalID), null(e.UserArn), null(e.UserAccountID), null(e.AccessKeyID), null(e.UserName), null(e.InvokedBy), null(e.SessionContext),
		null(e.Region), null(e.SourceIP), null(e.UserAgent), null(e.RequestID), null(e.ErrorCode), null(e.ErrorMessage),
		null(e.RequestParameters), null(e.ResponseElements), null(e.AdditionalEventData), null(e.TLSDetails), null(res), b2i(e.Complete)}
}

// insertAuditResources indexes the resources of complete events.
func (q Q) insertAuditResources(ctx context.Context, events []*AuditEvent) error {
	var b strings.Builder
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := q.exec(ctx, b.String()+resourceConflict, args...)
		b.Reset()
		args, n = args[:0], 0
		return err
	}
	for _, e := range events {
		if !e.Complete {
			continue
		}
		for _, r := range e.Resources {
			if n == 0 {
				b.WriteString("INSERT INTO audit_event_resources (resource_name, event_time, event_id, recipient_account_id) VALUES ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, r.Name, AuditTime(e.Time), e.EventID, e.RecipientAccountID)
			if n++; n == 4*auditBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// resourceConflict ignores a resource row stored already (an event
// completed twice, after a retry).
const resourceConflict = ` ON CONFLICT DO NOTHING`

// null stores "" as NULL, so that SQL's IS NULL means "absent".
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const auditSelect = `SELECT seq, ` + auditCols + ` FROM audit_events`

func scanAuditEvent(sc interface{ Scan(...any) error }) (*AuditEvent, error) {
	var e AuditEvent
	var t string
	var ro, complete int
	var s [19]sql.NullString
	err := sc.Scan(&e.Seq, &e.EventID, &t, &e.OrgID, &e.RecipientAccountID, &e.EventSource, &e.EventName, &e.EventType, &ro,
		&s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &s[6], &s[7], &s[8], &s[9], &s[10], &s[11], &s[12], &s[13],
		&s[14], &s[15], &s[16], &s[17], &s[18], &complete)
	if err != nil {
		return nil, scanErr(err)
	}
	e.Time, _ = time.ParseInLocation(AuditTimeLayout, t, time.UTC)
	e.ReadOnly, e.Complete = ro == 1, complete == 1
	e.UserType, e.PrincipalID, e.UserArn, e.UserAccountID = s[0].String, s[1].String, s[2].String, s[3].String
	e.AccessKeyID, e.UserName, e.InvokedBy, e.SessionContext = s[4].String, s[5].String, s[6].String, s[7].String
	e.Region, e.SourceIP, e.UserAgent, e.RequestID = s[8].String, s[9].String, s[10].String, s[11].String
	e.ErrorCode, e.ErrorMessage = s[12].String, s[13].String
	e.RequestParameters, e.ResponseElements, e.AdditionalEventData, e.TLSDetails = s[14].String, s[15].String, s[16].String, s[17].String
	if s[18].String != "" {
		if err := json.Unmarshal([]byte(s[18].String), &e.Resources); err != nil {
			return nil, err
		}
	}
	return &e, nil
}

// AuditEventByID returns one event.
func (q Q) AuditEventByID(ctx context.Context, id string) (*AuditEvent, error) {
	return scanAuditEvent(q.row(ctx, auditSelect+` WHERE event_id = ?`, id))
}

// AuditFilter selects events for a lookup, newest first. Account is
// required; at most one of the attribute fields is set.
type AuditFilter struct {
	Account      string // recipient account
	Start, End   time.Time
	EventID      string
	EventName    string
	ReadOnly     *bool
	UserName     string
	AccessKeyID  string
	EventSource  string
	ResourceType string
	Resource     string
	// After continues a listing: only events older than this position.
	AfterTime string // AuditTime text
	AfterSeq  int64
	Limit     int
}

// AuditEvents returns the events f selects, newest first (events of the
// same millisecond in the reverse order they were stored).
func (q Q) AuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error) {
	var where []string
	var args []any
	from := "audit_events e"
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	timeCol := "e.event_time"
	if f.Resource != "" {
		// Walk the resource index, then fetch the events.
		from = "audit_event_resources r JOIN audit_events e ON e.event_id = r.event_id"
		timeCol = "r.event_time"
		add("r.resource_name = ?", f.Resource)
		add("r.recipient_account_id = ?", f.Account)
	} else {
		add("e.recipient_account_id = ?", f.Account)
	}
	if f.ResourceType != "" {
		// Resource types are few: the account's events are scanned.
		b, _ := json.Marshal(f.ResourceType)
		add(`e.resources LIKE ? ESCAPE '\'`, `%"type":`+likeEscaper.Replace(string(b))+`%`)
	}
	if f.EventID != "" {
		add("e.event_id = ?", f.EventID)
	}
	if f.EventName != "" {
		add("e.event_name = ?", f.EventName)
	}
	if f.ReadOnly != nil {
		add("e.read_only = ?", b2i(*f.ReadOnly))
	}
	if f.UserName != "" {
		add("e.user_name = ?", f.UserName)
	}
	if f.AccessKeyID != "" {
		add("e.access_key_id = ?", f.AccessKeyID)
	}
	if f.EventSource != "" {
		add("e.event_source = ?", f.EventSource)
	}
	if !f.Start.IsZero() {
		add(timeCol+" >= ?", AuditTime(f.Start))
	}
	if !f.End.IsZero() {
		add(timeCol+" <= ?", AuditTime(f.End))
	}
	if f.AfterTime != "" {
		add("("+timeCol+" < ? OR ("+timeCol+" = ? AND e.seq < ?))", f.AfterTime, f.AfterTime, f.AfterSeq)
	}
	query := "SELECT e.seq, " + prefixCols("e.", auditCols) + " FROM " + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + timeCol + " DESC, e.seq DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*AuditEvent
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// CountAuditEvents returns how many events are stored.
func (q Q) CountAuditEvents(ctx context.Context) (int64, error) {
	var n int64
	err := q.row(ctx, `SELECT COUNT(*) FROM audit_events`).Scan(&n)
	return n, err
}

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
	return s.runReadOnly(ctx, readOnlyRun{query: query, maxRows: maxRows, timeout: timeout, authorizer: queryAuthorizer(allowedFuncs)})
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

// queryAuthorizer allows what a SELECT over the audit trail needs: reading
// the audit tables, the functions in funcs, and transactions (BEGIN and
// ROLLBACK); everything else (writes, schema changes, ATTACH, PRAGMA, other
// tables, other functions) is refused when the statement is compiled.
func queryAuthorizer(funcs map[string]bool) sqlite.AuthorizerFn {
	return func(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
		switch action {
		case sqlite.AuthSelect, sqlite.AuthRecursive, sqlite.AuthTransaction:
			return sqlite.AuthorizerOK
		case sqlite.AuthRead:
			if auditReadable[strings.ToLower(arg1)] {
				return sqlite.AuthorizerOK
			}
		case sqlite.AuthFunction:
			if funcs[strings.ToLower(arg2)] {
				return sqlite.AuthorizerOK
			}
		}
		return sqlite.AuthorizerDeny
	}
}
