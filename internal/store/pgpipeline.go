package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// runPgPipelined runs a batch of calls (pggroup.go) in one transaction with
// their statements pipelined: each call's function runs on a goroutine of
// its own, and once every function is waiting for a statement's outcome or
// has returned, their waiting statements go to the server in one round trip
// (the first with BEGIN and the calls' pending events), and COMMIT in one
// more when all have returned. Run one after another, each call would cost
// the batch a round trip of its own: on the 2-core machine of the load tool
// a round trip costs PostgreSQL and this process more CPU than the
// statements themselves.
//
// A query (rather than an Exec) runs alone, on the connection, when every
// other function is waiting or done: its rows are read by its function
// before that function's next statement.
//
// Functions run at the same time see each other's statements in the
// transaction's order, which is the order of the rounds; as concurrent
// transactions would, they rely on constraints, not on what they read, for
// what must stay unique. Once a statement fails, PostgreSQL has aborted the
// transaction: every statement after it fails (errBatchAborted), and
// runPgBatch runs the failing call again alone.
//
// It returns the first failure and the index of the call that failed (-1
// when the transaction itself did: BEGIN, a pending row, COMMIT, the
// connection).
func (s *Store) runPgPipelined(jobs []*pgJob) (int, error) {
	ctx := context.Background() // the batch's connection outlives any one call
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return -1, fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	now := time.Now().UTC()
	p := &pipeline{s: s, conn: conn, ops: make(chan *pipeOp), pending: pendingRows(jobs, now)}
	for i, j := range jobs {
		go func() {
			err := callTx(j.fn, &Tx{Q: Q{ex: pipeExec{p, i}, f: s.f}, Now: now})
			p.ops <- &pipeOp{job: i, kind: opDone, err: err}
		}()
	}
	failed, err := p.run(len(jobs))
	if err != nil {
		if p.begun {
			abortConn(conn)
		}
		return failed, err
	}
	commit := &pipeOp{kind: opExec, query: "COMMIT"}
	if _, err = p.send([]*pipeOp{commit}); err == nil && commit.tag.String() == "ROLLBACK" {
		err = errCommitRolledBack
	}
	if err != nil {
		abortConn(conn)
		return -1, s.f.translate(err)
	}
	return -1, nil
}

// errBatchAborted answers the statements that follow a failed one in a
// batch: PostgreSQL has aborted the transaction.
var errBatchAborted = errors.New("store: an earlier statement of the batch failed")

// pipeline is the state of one pipelined batch.
type pipeline struct {
	s       *Store
	conn    *sql.Conn
	ops     chan *pipeOp
	pending [][]any // insertPending's arguments, sent with BEGIN
	begun   bool    // BEGIN and the pending rows are sent
	failed  bool    // a statement failed: the transaction is aborted
}

type pipeKind int

const (
	opExec  pipeKind = iota // a statement whose command tag is its outcome
	opQuery                 // a query, which its function runs on the connection
	opDone                  // the function returned err
)

// pipeOp is a function's request to the batch.
type pipeOp struct {
	job   int
	kind  pipeKind
	query string
	args  []any
	err   error // opDone: the function's outcome; otherwise the statement's
	tag   pgconn.CommandTag
	reply chan struct{} // closed once err and tag are set (or the query may run)
}

// run serves the functions' requests in rounds until all have returned,
// and returns the first failure: the first statement that failed, or else
// the first function that returned an error.
func (p *pipeline) run(n int) (int, error) {
	running := n
	errs := make([]error, n)
	failed, failure := -1, error(nil) // the first statement to fail
	var waiting []*pipeOp
	// receive takes one function's next request.
	receive := func() *pipeOp {
		op := <-p.ops
		running--
		if op.kind == opDone {
			errs[op.job] = op.err
		} else {
			waiting = append(waiting, op)
		}
		return op
	}
	answer := func(op *pipeOp) {
		close(op.reply)
		running++
	}
	for running > 0 || len(waiting) > 0 {
		if running > 0 {
			receive()
			continue
		}
		// Every function waits or is done: one round.
		var execs, queries []*pipeOp
		for _, op := range waiting {
			switch {
			case p.failed:
				op.err = errBatchAborted
				answer(op)
			case op.kind == opExec:
				execs = append(execs, op)
			default:
				queries = append(queries, op)
			}
		}
		waiting = nil
		if !p.failed && (len(execs) > 0 || !p.begun) {
			i, err := p.send(execs)
			if err != nil { // (the batch's first failure: no round follows)
				failed, failure = -1, p.s.f.translate(err)
				var pgErr *pgconn.PgError
				if i >= 0 && !(errors.As(err, &pgErr) && pgErr.Code == "25P02") {
					// (25P02: a query run before had failed and
					// aborted the transaction: no one call's failure.)
					failed = execs[i].job
				}
			}
			for _, op := range execs {
				answer(op)
			}
		}
		for _, q := range queries {
			if p.failed {
				q.err = errBatchAborted
				answer(q)
				continue
			}
			// The query runs on the connection now: nothing else may
			// until its function asks for more or returns.
			answer(q)
			for receive().job != q.job {
			}
		}
	}
	if failure != nil {
		return failed, failure
	}
	for i, err := range errs {
		if err != nil {
			return i, err
		}
	}
	return -1, nil
}

// send sends ops in one batch, after BEGIN and the pending rows unless they
// are sent, and sets each op's outcome. When a statement fails, the batch is
// marked failed, the ops after it are answered errBatchAborted, and send
// returns its error with its index in ops (-1 for BEGIN, a pending row or
// the connection).
func (p *pipeline) send(ops []*pipeOp) (int, error) {
	first := !p.begun
	p.begun = true
	failed, failure := -1, error(nil)
	err := withPgx(p.conn, func(c *pgx.Conn) error {
		b := &pgx.Batch{}
		lead := 0
		if first {
			lead = p.s.f.queueBegin(b, p.pending)
		}
		for _, op := range ops {
			b.Queue(op.query, op.args...)
		}
		br := c.SendBatch(context.Background(), b)
		for i := range b.Len() {
			tag, err := br.Exec()
			var op *pipeOp
			if i >= lead {
				op = ops[i-lead]
			}
			switch {
			case err != nil && failure == nil:
				failure, p.failed = err, true
				if op != nil {
					failed, op.err = i-lead, err
				}
			case failure != nil && op != nil:
				op.err = errBatchAborted
			case op != nil:
				op.tag = tag
			}
		}
		if err := br.Close(); err != nil && failure == nil {
			failure, p.failed = err, true
		}
		return nil
	})
	if err != nil && failure == nil {
		failed, failure, p.failed = -1, err, true
	}
	for _, op := range ops {
		if failure != nil && op.err == nil && op.tag.String() == "" {
			op.err = errBatchAborted
		}
	}
	return failed, failure
}

// pipeExec is the execer of a function in a pipelined batch: each statement
// is a request to the batch, answered in the batch's next round.
type pipeExec struct {
	p   *pipeline
	job int
}

func (e pipeExec) ask(kind pipeKind, query string, args []any) *pipeOp {
	op := &pipeOp{job: e.job, kind: kind, query: query, args: args, reply: make(chan struct{})}
	e.p.ops <- op
	<-op.reply
	return op
}

func (e pipeExec) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	op := e.ask(opExec, query, args)
	if op.err != nil {
		return nil, op.err
	}
	return driver.RowsAffected(op.tag.RowsAffected()), nil
}

func (e pipeExec) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if op := e.ask(opQuery, query, args); op.err != nil {
		return nil, op.err
	}
	return e.p.conn.QueryContext(ctx, query, args...)
}

func (e pipeExec) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if op := e.ask(opQuery, query, args); op.err != nil {
		// A row cannot be made to hold an error: this one's Scan fails
		// without running anything, and the batch has failed already.
		ended, cancel := context.WithCancel(ctx)
		cancel()
		return e.p.conn.QueryRowContext(ended, query, args...)
	}
	return e.p.conn.QueryRowContext(ctx, query, args...)
}
