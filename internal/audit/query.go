package audit

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Query statuses, as CloudTrail Lake names them.
const (
	StatusRunning  = "RUNNING"
	StatusFinished = "FINISHED"
	StatusFailed   = "FAILED"
	StatusTimedOut = "TIMED_OUT"
)

// Limits of queries run through the API.
const (
	QueryTimeout    = 5 * time.Minute
	MaxResultRows   = 100000
	maxRunning      = 10                      // per process
	resultRetention = 7 * 24 * time.Hour      // CloudTrail keeps results seven days
	startWait       = 1500 * time.Millisecond // StartQuery waits this long for a quick answer
)

// querySlots bounds the queries running at once in this process.
type querySlots struct{ ch chan struct{} }

func (q *querySlots) acquire() bool {
	if q.ch == nil {
		return false
	}
	select {
	case q.ch <- struct{}{}:
		return true
	default:
		return false
	}
}

func (q *querySlots) release() { <-q.ch }

// Query runs one statement synchronously over the event data store src
// names and returns its rows (for the commands). The statement is checked
// and rewritten as for StartQuery.
func (t *Trail) Query(ctx context.Context, statement string, src Source, maxRows int, timeout time.Duration) (*store.ReadOnlyResult, error) {
	sqlText, err := Rewrite(statement, src, Dialect(t.st.Flavor()), nil)
	if err != nil {
		return nil, err
	}
	t.Flush()
	res, err := t.st.QueryReadOnly(ctx, sqlText, maxRows, timeout, SQLiteFunctions)
	if errors.Is(err, store.ErrTooManyRows) {
		return nil, qerr("The query returns more than %d rows; add a LIMIT or a narrower WHERE.", maxRows)
	}
	return res, err
}

// StartQueryInput is a StartQuery request.
type StartQueryInput struct {
	Statement      string
	Parameters     []string
	OwnerAccountID string
}

// StartQuery checks a statement, records the query and starts running it
// in the background; it returns the query's id (waiting briefly, so that a
// quick query is finished when the id is returned).
func (t *Trail) StartQuery(ctx context.Context, in StartQueryInput) (string, error) {
	const op = "audit.StartQuery"
	eds, err := t.CallerEventDataStore(ctx, "StartQuery")
	if err != nil {
		return "", err
	}
	if in.OwnerAccountID != "" && in.OwnerAccountID != eds.ManagementAccountID {
		return "", errs.Ef(op, errs.NotFound, "The event data store owned by account %s was not found.", in.OwnerAccountID).WithCode("EventDataStoreNotFoundException")
	}
	if strings.TrimSpace(in.Statement) == "" {
		return "", errs.E(op, errs.Invalid, "A query statement is required.").WithCode("InvalidParameterException")
	}
	sqlText, err := Rewrite(in.Statement, Source{ID: eds.ID, OrgID: eds.OrgID}, Dialect(t.st.Flavor()), in.Parameters)
	if err != nil {
		return "", errs.E(op, errs.Invalid, err.Error()).WithCode("InvalidQueryStatementException")
	}
	if !t.queries.acquire() {
		return "", errs.Ef(op, errs.Throttled, "You have already run the maximum number of concurrent queries (%d). Wait for a query to finish, then run it again.", maxRunning).WithCode("MaxConcurrentQueriesException")
	}
	q := &store.AuditQuery{ID: ids.UUID(), OrgID: eds.OrgID, Statement: in.Statement, Status: StatusRunning}
	err = t.st.Write(ctx, func(tx *store.Tx) error {
		q.Created = tx.Now
		if err := tx.DeleteAuditQueriesBefore(ctx, tx.Now.Add(-resultRetention)); err != nil {
			return err
		}
		return tx.InsertAuditQuery(ctx, q)
	})
	if err != nil {
		t.queries.release()
		return "", errs.Wrap(op, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer t.queries.release()
		t.run(q, sqlText)
	}()
	select {
	case <-done:
	case <-time.After(startWait):
	case <-ctx.Done():
	}
	return q.ID, nil
}

// queryResult is how a finished query's rows are stored.
type queryResult struct {
	Columns []string    `json:"columns"`
	Rows    [][]*string `json:"rows"`
}

// run executes a recorded query and records its outcome.
func (t *Trail) run(q *store.AuditQuery, sqlText string) {
	t.Flush() // this process's calls so far are in the store
	start := time.Now()
	res, err := t.st.QueryReadOnly(context.Background(), sqlText, MaxResultRows, QueryTimeout, SQLiteFunctions)
	q.ExecMS = time.Since(start).Milliseconds()
	switch {
	case err == nil:
		b, _ := json.Marshal(queryResult{Columns: res.Columns, Rows: res.Rows})
		q.Status, q.Result, q.ResultCount, q.BytesScanned = StatusFinished, string(b), int64(len(res.Rows)), res.Bytes
	case errors.Is(err, context.DeadlineExceeded):
		q.Status, q.ErrorMessage = StatusTimedOut, "The query ran longer than "+QueryTimeout.String()+"."
	case errors.Is(err, store.ErrTooManyRows):
		q.Status, q.ErrorMessage = StatusFailed, "The query returns more than 100000 rows; add a LIMIT or a narrower WHERE."
	default:
		q.Status, q.ErrorMessage = StatusFailed, clip(err.Error(), 1000)
	}
	ctx := context.Background()
	err = t.st.Write(ctx, func(tx *store.Tx) error {
		q.Finished = tx.Now
		return tx.FinishAuditQuery(ctx, q)
	})
	if err != nil && t.log != nil {
		t.log.Error("recording a query's outcome", "query_id", q.ID, "err", err)
	}
}

// query returns a query of the caller's organization.
func (t *Trail) query(ctx context.Context, action, id, edsRef string, withResult bool) (*store.AuditQuery, error) {
	op := "audit." + action
	eds, err := t.CallerEventDataStore(ctx, action)
	if err != nil {
		return nil, err
	}
	if edsRef != "" && !eds.matches(edsRef) {
		return nil, errs.Ef(op, errs.NotFound, "The specified event data store %s was not found.", edsRef).WithCode("EventDataStoreNotFoundException")
	}
	if id == "" {
		return nil, errs.E(op, errs.Invalid, "A QueryId is required.").WithCode("InvalidParameterException")
	}
	q, err := t.st.R().AuditQueryByID(ctx, eds.OrgID, id, withResult)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Ef(op, errs.NotFound, "The query ID %s does not exist or does not map to a query.", id).WithCode("QueryIdNotFoundException")
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if q.Status == StatusRunning && time.Since(q.Created) > QueryTimeout+time.Minute {
		// The process running it stopped before recording an outcome.
		q.Status, q.ErrorMessage = StatusFailed, "The server running the query stopped before it finished."
	}
	return q, nil
}

// DescribeQuery returns a query of the caller's organization (without its
// rows).
func (t *Trail) DescribeQuery(ctx context.Context, id, edsRef string) (*store.AuditQuery, error) {
	return t.query(ctx, "DescribeQuery", id, edsRef, false)
}

// Results is a page of a query's results.
type Results struct {
	Query   *store.AuditQuery
	Columns []string
	Rows    [][]*string
	Next    string
}

// QueryResults returns a page of a finished query's rows (none while it
// runs or after it failed).
func (t *Trail) QueryResults(ctx context.Context, id, edsRef, nextToken string, max int) (*Results, error) {
	const op = "audit.GetQueryResults"
	q, err := t.query(ctx, "GetQueryResults", id, edsRef, true)
	if err != nil {
		return nil, err
	}
	out := &Results{Query: q}
	if q.Status != StatusFinished {
		return out, nil
	}
	var r queryResult
	if err := json.Unmarshal([]byte(q.Result), &r); err != nil {
		return nil, errs.Wrap(op, err)
	}
	scope := "cloudtrail.GetQueryResults/" + q.ID
	key, err := pagetoken.Decode(scope, nextToken)
	if err != nil {
		return nil, errs.E(op, errs.Invalid, "Invalid NextToken.").WithCode("InvalidNextTokenException")
	}
	from := 0
	if key != "" {
		if from, err = strconv.Atoi(key); err != nil || from > len(r.Rows) {
			return nil, errs.E(op, errs.Invalid, "Invalid NextToken.").WithCode("InvalidNextTokenException")
		}
	}
	if max <= 0 || max > 1000 {
		max = 1000
	}
	to := min(from+max, len(r.Rows))
	out.Columns, out.Rows = r.Columns, r.Rows[from:to]
	if to < len(r.Rows) {
		out.Next = pagetoken.Encode(scope, strconv.Itoa(to))
	}
	return out, nil
}
