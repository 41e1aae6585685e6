package store

import (
	"context"
	"database/sql/driver"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// On SQLite a reading connection keeps its read transaction open from one
// query to the next (a snapshotConn) while neither database file has
// changed, instead of beginning and ending one per query as autocommit
// does.
//
// Why: each read transaction of a WAL database takes a read lock in the
// shared-memory index (an fcntl when no other connection of the process
// holds it), looks at the file's size (an fstat, while the log holds no
// commit) and checks the index's header; ending it unlocks again. Under
// bench at 100,000 users (5 alternating pairs of full runs) holding the
// transaction took the server's CPU per DescribeUser from 148 to 114 µs.
//
// What a query sees stays what autocommit would show it: before each query
// the connection compares the change counters of the two files' WAL
// indexes (walindex.go), which every commit of any process moves, with
// those read when its transaction began, and begins a new one if either
// moved. A write acknowledged before a call began is never missed.
//
// A connection left idle in the pool with a transaction that a commit has
// made old would keep the log from being checkpointed past it, and growing:
// the sweeper ends those every snapshotSweep.
//
// Statements that are not queries (Exec, explicit transactions) run after
// the held transaction has ended, as they would in autocommit.

// snapshotSweep is how often idle connections' old transactions are ended.
const snapshotSweep = 50 * time.Millisecond

// sqliteConn is what the SQLite driver's connection provides and the
// store uses.
type sqliteConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.ConnBeginTx
	driver.SessionResetter
	driver.Validator
	driver.Pinger
	sqlite.AuthorizerRegisterer
}

// snapshots tracks a store's reading connections and the WAL indexes of
// its two files.
type snapshots struct {
	paths       [2]string // the database and audit files
	mu          sync.Mutex
	main, audit *walIndex // mapped by the first wrap that can
	conns       map[*snapshotConn]struct{}
	stop, done  chan struct{}
	once        sync.Once
	begun       atomic.Int64 // transactions begun for queries (for tests)
}

func newSnapshots(dbPath, auditPath string) *snapshots {
	return &snapshots{paths: [2]string{dbPath, auditPath}, conns: map[*snapshotConn]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
}

// gen is what of the two files' WAL index headers every commit changes.
func (s *snapshots) gen() [2]walGen { return [2]walGen{s.main.gen(), s.audit.gen()} }

// close stops the sweeper and unmaps the indexes. The reading connections
// must be closed first.
func (s *snapshots) close() {
	s.once.Do(func() {
		s.mu.Lock()
		mapped := s.main != nil
		s.mu.Unlock()
		if mapped {
			close(s.stop)
			<-s.done
			s.main.close()
			s.audit.close()
		}
	})
}

// wrap returns c holding its transactions, once the WAL indexes of both
// files are mapped; before, and where they cannot be, c as it is (each
// query in a transaction of its own: slower, as correct). A reading
// connection has read both files' schemas when it is wrapped, so their
// indexes exist. The sweeper starts with the first connection wrapped:
// without one it has nothing to do.
func (s *snapshots) wrap(c sqliteConn) driver.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.main == nil {
		main, err := mapWALIndex(s.paths[0])
		if err != nil {
			return c
		}
		audit, err := mapWALIndex(s.paths[1])
		if err != nil {
			main.close()
			return c
		}
		s.main, s.audit = main, audit
		go s.sweep()
	}
	sc := &snapshotConn{sqliteConn: c, set: s}
	s.conns[sc] = struct{}{}
	return sc
}

// sweep ends the old transactions of idle connections.
func (s *snapshots) sweep() {
	defer close(s.done)
	t := time.NewTicker(snapshotSweep)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.mu.Lock()
		conns := make([]*snapshotConn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			c.mu.Lock()
			if !c.busy && c.open && c.stale() {
				c.end()
			}
			c.mu.Unlock()
		}
	}
}

// snapshotConn is a reading connection that holds its read transaction
// between queries (see above). mu serializes the sweeper with the pool's
// use of the connection.
type snapshotConn struct {
	sqliteConn
	set *snapshots

	mu       sync.Mutex
	busy     bool      // taken from the pool: the sweeper leaves it alone
	open     bool      // a transaction begun by enter is open
	explicit bool      // a transaction begun by BeginTx is open: queries run in it
	gen      [2]walGen // the files' headers as the transaction began
}

// stale reports whether the held transaction must end before a query: a
// commit came after it began.
func (c *snapshotConn) stale() bool { return c.set.gen() != c.gen }

// end ends the held transaction. A read transaction's COMMIT fails when
// none is open (SQLite ended it itself); should it fail with one still open,
// enter's next BEGIN fails and enter ends it then.
func (c *snapshotConn) end() {
	c.sqliteConn.ExecContext(context.Background(), `COMMIT`, nil)
	c.open = false
}

// enter prepares the connection for a query: the held transaction if it is
// current, else a new one. BEGIN is deferred: the snapshot is taken by the
// query itself, after the change counters are read, so that a commit it
// misses is one the next query sees counted.
func (c *snapshotConn) enter(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = true
	if c.explicit {
		return nil
	}
	gen := c.set.gen()
	if c.open && gen == c.gen {
		return nil
	}
	if c.open {
		c.end()
	}
	if _, err := c.sqliteConn.ExecContext(ctx, `BEGIN`, nil); err != nil {
		// One still open, that a failed COMMIT left: end it and begin.
		c.end()
		if _, err := c.sqliteConn.ExecContext(ctx, `BEGIN`, nil); err != nil {
			return err
		}
	}
	c.open, c.gen = true, gen
	c.set.begun.Add(1)
	return nil
}

// leave ends the held transaction before a statement that must run as it
// would in autocommit. The connection is then busy: the statement runs
// without mu, as queries do, the sweeper leaving it alone.
func (c *snapshotConn) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = true
	if c.open {
		c.end()
	}
}

func (c *snapshotConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.enter(ctx); err != nil {
		return nil, err
	}
	return c.sqliteConn.QueryContext(ctx, query, args)
}

func (c *snapshotConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.leave()
	return c.sqliteConn.ExecContext(ctx, query, args)
}

func (c *snapshotConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.leave()
	tx, err := c.sqliteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.explicit = true
	c.mu.Unlock()
	return &snapshotTx{tx, c}, nil
}

// snapshotTx is a transaction begun by BeginTx: until it ends, queries run
// in it.
type snapshotTx struct {
	driver.Tx
	c *snapshotConn
}

func (t *snapshotTx) Commit() error   { defer t.done(); return t.Tx.Commit() }
func (t *snapshotTx) Rollback() error { defer t.done(); return t.Tx.Rollback() }

func (t *snapshotTx) done() {
	t.c.mu.Lock()
	t.c.explicit = false
	t.c.mu.Unlock()
}

func (c *snapshotConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *snapshotConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *snapshotConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &snapshotStmt{st.(sqliteStmt), c}, nil
}

// IsValid is called as the pool takes the connection back: from then on
// the sweeper may end its transaction.
func (c *snapshotConn) IsValid() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = false
	return c.sqliteConn.IsValid()
}

// RegisterAuthorizer ends the held transaction first: the authorizer
// (auditquery.go) would judge its COMMIT.
func (c *snapshotConn) RegisterAuthorizer(fn sqlite.AuthorizerFn) error {
	c.leave()
	return c.sqliteConn.RegisterAuthorizer(fn)
}

func (c *snapshotConn) Close() error {
	c.set.mu.Lock()
	delete(c.set.conns, c)
	c.set.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.open = false // nothing for the sweeper to end
	return c.sqliteConn.Close()
}

// sqliteStmt is what the SQLite driver's prepared statement provides.
type sqliteStmt interface {
	driver.Stmt
	driver.StmtQueryContext
	driver.StmtExecContext
}

// snapshotStmt is a statement prepared on a snapshotConn: its queries run
// in the connection's held transaction.
type snapshotStmt struct {
	sqliteStmt
	c *snapshotConn
}

func (s *snapshotStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.c.enter(ctx); err != nil {
		return nil, err
	}
	return s.sqliteStmt.QueryContext(ctx, args)
}

func (s *snapshotStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.c.leave()
	return s.sqliteStmt.ExecContext(ctx, args)
}

func (s *snapshotStmt) Close() error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.sqliteStmt.Close()
}
