package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AuditEvent is one row of the audit trail: a CloudTrail record in
// columns. JSON members (SessionContext, RequestParameters, ...) are JSON
// text, "" when absent. Seq increases with every stored event: on SQLite in
// commit order; on PostgreSQL in insertion order (a reader following Seq
// must allow for transactions that commit out of order).
//
// Its JSON (the form audit_pending keeps, auditpending.go) leaves out empty
// members.
type AuditEvent struct {
	Seq                int64     `json:",omitempty"`
	EventID            string    `json:",omitempty"`
	Time               time.Time // stored as AuditTime text, millisecond precision, UTC
	OrgID              string    `json:",omitempty"` // the organization of the recipient account, "" if none
	RecipientAccountID string    `json:",omitempty"`
	EventSource        string    `json:",omitempty"`
	EventName          string    `json:",omitempty"`
	EventType          string    `json:",omitempty"` // AwsApiCall, AwsServiceEvent
	ReadOnly           bool      `json:",omitempty"`

	UserType       string `json:",omitempty"` // userIdentity.type
	PrincipalID    string `json:",omitempty"`
	UserArn        string `json:",omitempty"`
	UserAccountID  string `json:",omitempty"`
	AccessKeyID    string `json:",omitempty"`
	UserName       string `json:",omitempty"`
	InvokedBy      string `json:",omitempty"`
	SessionContext string `json:",omitempty"` // JSON

	Region    string `json:",omitempty"`
	SourceIP  string `json:",omitempty"`
	UserAgent string `json:",omitempty"`
	RequestID string `json:",omitempty"`

	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`

	RequestParameters   string          `json:",omitempty"` // JSON
	ResponseElements    string          `json:",omitempty"` // JSON
	AdditionalEventData string          `json:",omitempty"` // JSON
	TLSDetails          string          `json:",omitempty"` // JSON
	Resources           []AuditResource `json:",omitempty"`

	// Complete is false while the event holds only the request: it was
	// stored with the change it records, and its outcome follows.
	Complete bool `json:",omitempty"`
	// Moved marks a completed event whose recipient account differs from
	// the one it was first stored with (when recovered before completion).
	Moved bool `json:",omitempty"`
	// Staged marks an event stored with its change in audit_pending:
	// storing it complete removes it from there (auditpending.go).
	Staged bool `json:",omitempty"`
	// PendingRow is the rowid of a staged event's row in audit_pending
	// (SQLite).
	PendingRow int64 `json:"-"`
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
// On SQLite the transaction must be one of the audit file's (see
// auditfile.go; Store.StoreAuditEvents is the way there).
func (q Q) InsertAuditEvents(ctx context.Context, events []*AuditEvent) error {
	if err := q.insertAuditEvents(ctx, events); err != nil {
		return err
	}
	return q.deleteStaged(ctx, events)
}

// insertAuditEvents is InsertAuditEvents without the pending rows.
func (q Q) insertAuditEvents(ctx context.Context, events []*AuditEvent) error {
	if !q.f.dollar {
		return q.insertAuditSQLite(ctx, events, false)
	}
	for len(events) > 0 {
		n := min(len(events), auditBatch)
		if err := q.insertAuditBatch(ctx, events[:n], ""); err != nil {
			return err
		}
		events = events[n:]
	}
	return nil
}

// keepAuditEvents stores events, keeping those stored already.
func (q Q) keepAuditEvents(ctx context.Context, events []*AuditEvent) error {
	if !q.f.dollar {
		return q.insertAuditSQLite(ctx, events, true)
	}
	for len(events) > 0 {
		n := min(len(events), auditBatch)
		if err := q.insertAuditBatch(ctx, events[:n], auditKeep); err != nil {
			return err
		}
		events = events[n:]
	}
	return nil
}

// A lookup through audit_event_keys (SQLite) bounds its walk by the seq of the last
// event stored auditTimeMargin after its range's end and of the first stored
// auditTimeMargin before its start, widened by auditSeqMargin: an event is
// stored within a second of its time (the trail's batch delay and the call's
// duration) unless its call ran longer or it was recovered after a crash.
// The walk skips the events stored in the margin, a second's worth (a few
// thousand under load, milliseconds).
const (
	auditTimeMargin = time.Second
	auditSeqMargin  = 1000
)

// RecoverPendingAfter is how old an event stored with its change must be
// before it is taken for one whose process stopped before completing it,
// and stored without its outcome (RecoverAuditEvents; the trail's
// recovery). auditRecoverMargin is how much sooner a completed event is
// stored as one that may have been recovered: its call began before its
// pending row was stored, and storing it may take a while once decided.
const (
	RecoverPendingAfter = time.Minute
	auditRecoverMargin  = 30 * time.Second
)

// auditKeep is the conflict clause that keeps a stored event.
const auditKeep = ` ON CONFLICT (event_id) DO NOTHING`

// insertAuditBatch stores events in one statement; conflict is its
// conflict clause ("" for the upsert).
func (q Q) insertAuditBatch(ctx context.Context, events []*AuditEvent, conflict string) error {
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
	if conflict == "" {
		// Only an event stored with its change can find a row of its own
		// (recovered before it was completed): it replaces that row. Other
		// events keep a stored one (a batch stored again after an unclear
		// failure).
		conflict = auditKeep
		for _, e := range events {
			if e.Moved {
				conflict = auditUpsertMoved
				break
			}
			if e.Staged {
				conflict = auditUpsert
			}
		}
	}
	b.WriteString(conflict)
	if _, err := q.exec(ctx, b.String(), args...); err != nil {
		return err
	}
	return q.insertAuditResources(ctx, events)
}

// insertAuditSQLite stores events on SQLite (in a transaction of the audit
// file) with one prepared statement per kind of row, run once per row:
// SQLite parses a multi-row statement row by row, so preparing once is what
// saves the work. Each event stored is indexed in audit_event_keys
// (auditkeys.go).
//
// Only an event stored with its change (Staged) can find a row of its own
// already there (recovered before it was completed), and only if its call
// began RecoverPendingAfter ago or more: only those take the upsert (unless
// keep: then every stored event stays). The others, all reads and the
// changes completed in time, are inserted OR IGNORE, which SQLite runs
// without a statement journal (an upsert, or a plain INSERT that may fail
// halfway through its indexes, copies every page it changes into one
// first).
func (q Q) insertAuditSQLite(ctx context.Context, events []*AuditEvent, keep bool) error {
	sqltx, ok := q.ex.(*sql.Tx)
	if !ok {
		return fmt.Errorf("store: audit events are stored in a transaction of the audit file")
	}
	values := ` INTO audit_events (` + auditCols + `) VALUES (` + strings.Repeat("?, ", auditNCols-1) + `?)`
	stmts := map[string]*sql.Stmt{}
	prepared := func(query string) (*sql.Stmt, error) {
		if st := stmts[query]; st != nil {
			return st, nil
		}
		st, err := sqltx.PrepareContext(ctx, query)
		if err != nil {
			return nil, q.f.translate(err)
		}
		stmts[query] = st
		return st, nil
	}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	type keyed struct {
		seq   int64
		e     *AuditEvent
		fresh bool // a row of its own: no keys can be stored under seq yet
	}
	indexed := make([]keyed, 0, len(events))
	recoverable := time.Now().Add(-RecoverPendingAfter + auditRecoverMargin) // calls begun before may have been recovered
	for _, e := range events {
		query, upsert := `INSERT OR IGNORE`+values, !keep && (e.Moved || e.Staged && e.Time.Before(recoverable))
		switch {
		case upsert && e.Moved:
			query = `INSERT` + values + auditUpsertMoved + ` RETURNING seq`
		case upsert:
			query = `INSERT` + values + auditUpsert + ` RETURNING seq`
		}
		st, err := prepared(query)
		if err != nil {
			return err
		}
		var seq int64
		if upsert {
			err = st.QueryRowContext(ctx, auditArgs(e)...).Scan(&seq)
		} else {
			var res sql.Result
			if res, err = st.ExecContext(ctx, auditArgs(e)...); err == nil {
				if n, _ := res.RowsAffected(); n == 1 {
					seq, err = res.LastInsertId()
				}
			}
		}
		if err != nil {
			return q.f.translate(err)
		}
		if seq != 0 { // 0: kept as stored
			indexed = append(indexed, keyed{seq, e, !upsert})
		}
	}
	// The keys last: a statement that opens a statement journal (the
	// upsert) makes FTS5 write what it holds as a segment of its own, and
	// one segment per event cost more in merges than all the rest.
	if len(indexed) == 0 {
		return nil
	}
	for _, k := range indexed {
		query := auditKeysInsert
		if k.fresh {
			query = auditKeysAdd
		}
		ins, err := prepared(query)
		if err != nil {
			return err
		}
		if _, err := ins.ExecContext(ctx, k.seq, auditKeys(k.e)); err != nil {
			return q.f.translate(err)
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
		for _, key := range resourceKeys(e) {
			if n == 0 {
				b.WriteString("INSERT INTO audit_event_resources (resource_name, event_time, event_id, recipient_account_id) VALUES ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, key, AuditTime(e.Time), e.EventID, e.RecipientAccountID)
			if n++; n == 4*auditBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// resourceKeys are the keys under which audit_event_resources indexes an
// event: each resource's name, and each distinct resource type under
// typeKey (a lookup by type reads only the events of that type, however
// rare).
func resourceKeys(e *AuditEvent) []string {
	keys := make([]string, 0, 2*len(e.Resources))
	for _, r := range e.Resources {
		keys = append(keys, r.Name)
	}
	for i, r := range e.Resources {
		if r.Type == "" || slices.ContainsFunc(e.Resources[:i], func(x AuditResource) bool { return x.Type == r.Type }) {
			continue
		}
		keys = append(keys, typeKey(r.Type))
	}
	return keys
}

// typeKey is the key of a resource type in audit_event_resources: a control
// character no resource name holds, then the type.
func typeKey(t string) string { return "\x1ftype:" + t }

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

func scanAuditEvent(sc scanner) (*AuditEvent, error) {
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

// AuditEventByID returns one event: stored complete, or stored with its
// change and not completed yet (Complete false).
func (q Q) AuditEventByID(ctx context.Context, id string) (*AuditEvent, error) {
	return q.auditEventOrPending(ctx, id)
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
// same millisecond in the reverse order they were stored). On SQLite a
// lookup by an attribute other than EventName and EventId (lookupKey)
// returns them in the reverse order they were stored,
// which is time order but for calls that overlapped (auditkeys.go); its time
// range is exact for events stored within a second of their time (all but
// those recovered after a crash, see auditTimeMargin).
func (q Q) AuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error) {
	query, args := q.auditEventsQuery(f)
	return queryAll(ctx, q, scanAuditEvent, query, args...)
}

// auditEventsQuery is the query of AuditEvents, and its arguments.
func (q Q) auditEventsQuery(f AuditFilter) (string, []any) {
	var where []string
	var args []any
	from := "audit_events e"
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	timeCol := "e.event_time"
	// On SQLite a lookup by most attributes walks audit_event_keys; on
	// PostgreSQL a lookup by resource walks audit_event_resources.
	var key string
	if q.f.dollar {
		key = f.Resource
		if key == "" && f.ResourceType != "" {
			key = typeKey(f.ResourceType)
		}
	} else {
		key = f.lookupKey()
	}
	byKeys := key != "" && !q.f.dollar
	switch {
	case byKeys:
		// Walk the index of keys (auditkeys.go) newest stored first, then
		// fetch the events; the time range also bounds the walk, by the seq
		// of the events stored about then (auditSeqMargin).
		from = "audit_event_keys(?) k CROSS JOIN audit_events e ON e.seq = k.rowid"
		args = append(args, auditKeysMatch(f.Account, key))
		add("e.recipient_account_id = ?", f.Account)
		if !f.End.IsZero() {
			add(`k.rowid <= COALESCE((SELECT seq FROM audit_events WHERE recipient_account_id = ? AND event_time <= ?
				ORDER BY event_time DESC LIMIT 1), 0) + `+strconv.Itoa(auditSeqMargin), f.Account, AuditTime(f.End.Add(auditTimeMargin)))
		}
		if !f.Start.IsZero() {
			add(`k.rowid >= COALESCE((SELECT seq FROM audit_events WHERE recipient_account_id = ? AND event_time >= ?
				ORDER BY event_time LIMIT 1), 1 << 62) - `+strconv.Itoa(auditSeqMargin), f.Account, AuditTime(f.Start.Add(-auditTimeMargin)))
		}
	case key != "":
		// Walk the resource index (by name, else by type), then fetch the
		// events.
		from = "audit_event_resources r JOIN audit_events e ON e.event_id = r.event_id"
		timeCol = "r.event_time"
		add("r.resource_name = ?", key)
		add("r.recipient_account_id = ?", f.Account)
	default:
		add("e.recipient_account_id = ?", f.Account)
	}
	if f.ResourceType != "" && f.Resource != "" {
		// Both: the resource's events are few, their types are checked.
		b, _ := json.Marshal(f.ResourceType)
		add(`e.resources LIKE ? ESCAPE '\'`, `%"type":`+likeEscaper.Replace(string(b))+`%`)
	}
	if f.EventID != "" {
		add("e.event_id = ?", f.EventID)
	}
	if f.EventName != "" {
		add("NULLIF(e.event_name, '') = ?", f.EventName) // the indexed expression
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
	if cols, vals := attributeIndexLead(f); q.f.dollar && key == "" && cols != "" {
		// On PostgreSQL the time range of a lookup by an attribute is
		// bounded on the attribute index's own columns, (cols...,
		// event_time), which no other index leads with. As plain bounds on
		// event_time the account's index, (account, event_time), took them
		// too, and for a range newer than the table's statistics the
		// planner expects no event there in either index and picks the
		// smaller: a LookupEvents by EventName over the last 20 minutes,
		// none of that name among them, walked all 339,978 events of the
		// range (984 ms). So bounded, a range without the name's events
		// walks the name's older entries (1-34 ms for 100,000), and one
		// holding them starts at its end (2 ms).
		row, marks := "("+cols+", e.event_time)", strings.Repeat("?, ", len(vals))+"?"
		if !f.Start.IsZero() {
			add(row+" >= ("+marks+")", append(slices.Clip(vals), AuditTime(f.Start))...)
		}
		if !f.End.IsZero() {
			add(row+" <= ("+marks+")", append(slices.Clip(vals), AuditTime(f.End))...)
		}
	} else {
		if !f.Start.IsZero() {
			add(timeCol+" >= ?", AuditTime(f.Start))
		}
		if !f.End.IsZero() {
			add(timeCol+" <= ?", AuditTime(f.End))
		}
	}
	order := timeCol + " DESC, e.seq DESC"
	switch {
	case byKeys:
		order = "k.rowid DESC"
		if f.AfterTime != "" {
			add("k.rowid < ?", f.AfterSeq)
		}
	case f.AfterTime != "":
		add("("+timeCol+" < ? OR ("+timeCol+" = ? AND e.seq < ?))", f.AfterTime, f.AfterTime, f.AfterSeq)
	}
	query := "SELECT e.seq, " + prefixCols("e.", auditCols) + " FROM " + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + order + " LIMIT ?"
	args = append(args, f.Limit)
	return query, args
}

// attributeIndexLead returns the columns that come before event_time in the
// PostgreSQL index of the attribute a lookup is by (migrations 7 and 12),
// with the lookup's values of them; "" for a lookup by none (or by event
// id, whose index is unique).
func attributeIndexLead(f AuditFilter) (string, []any) {
	switch {
	case f.EventID != "":
	case f.EventName != "":
		return "NULLIF(e.event_name, '')", []any{f.EventName}
	case f.EventSource != "":
		return "e.recipient_account_id, e.event_source", []any{f.Account, f.EventSource}
	case f.ReadOnly != nil:
		return "e.recipient_account_id, e.read_only", []any{f.Account, b2i(*f.ReadOnly)}
	case f.UserName != "":
		return "e.recipient_account_id, e.user_name", []any{f.Account, f.UserName}
	case f.AccessKeyID != "":
		return "e.recipient_account_id, e.access_key_id", []any{f.Account, f.AccessKeyID}
	}
	return "", nil
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
