package store

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// flavor holds what differs between SQLite and PostgreSQL.
type flavor struct {
	name     string
	dollar   bool              // placeholders are $1, $2... instead of ?
	types    map[string]string // schema type words: portable name -> this database's
	rebinds  sync.Map          // query text -> rewritten text
	uniqueRe *regexp.Regexp

	// constraints maps, on SQLite, the columns a unique failure names to
	// the constraint's name (see constraints.go).
	constraints map[string]string
}

// rebind rewrites ? placeholders for PostgreSQL; SQLite takes the text as is.
func (f *flavor) rebind(q string) string {
	if !f.dollar {
		return q
	}
	if v, ok := f.rebinds.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	f.rebinds.Store(q, out)
	return out
}

// schema replaces the portable type words of a DDL statement, and returns
// "" for a statement marked for the other backend.
func (f *flavor) schema(ddl string) string {
	if backend, rest, ok := strings.Cut(ddl, ":"); ok && (backend == "sqlite" || backend == "postgres") {
		if backend != f.name {
			return ""
		}
		ddl = rest
	}
	for from, to := range f.types {
		ddl = strings.ReplaceAll(ddl, from, to)
	}
	return ddl
}

// translate maps a driver error to the store's sentinel errors.
func (f *flavor) translate(err error) error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return &ConstraintError{Constraint: pg.ConstraintName}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
			return &ConstraintError{Constraint: f.sqliteConstraint(se.Error())}
		}
	}
	return err
}

// retryable reports whether a failed PostgreSQL transaction may be retried.
func (f *flavor) retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

var sqliteUnique = regexp.MustCompile(`UNIQUE constraint failed: (index '[^']+'|[^ ,(]+(?:, [^ ,(]+)*)`)

// SQLite keeps a page cache per connection; the C allocator here rounds
// each cached page up to 8 KiB, twice its size. The writer's is 16 MiB.
//
// The readers instead map the first sqliteMmapBytes of the file into memory
// (PRAGMA mmap_size), and keep a small cache for what lies beyond. A page of
// the map is read in place: no pread (a system call, slow in this VM), no
// copy into a cache of the connection's own, and the four readers share one
// copy of the hot pages, the kernel's, where each cached its own before.
// Under the load tool (100,000 users) DescribeUser took about a tenth less of
// the server's CPU per call than with 16 MiB caches, as much with a 128 MiB
// map as with 256.
//
// Memory: the map's pages are clean pages of the kernel's page cache, which
// a reader without the map holds in that cache all the same, uncounted, and
// which the kernel takes back when memory is short. The proportional set
// size (each page the server holds counted once) peaked at 254 MiB over a
// whole bench run with a 128 MiB map (381 with 256), where the server's
// private memory peaked at 231-242 MiB with 16 MiB caches. The resident set
// (what ps and top show) counts a mapped page once per mapping, so a page all
// four readers touched counts four times there: up to 3 x 128 MiB more than
// the server holds. A reader drops its map when it finds the database
// changed (as it would empty its cache), so under writes its pages come back
// through page faults instead of preads.
const (
	sqliteReaders        = 4
	sqliteCacheKiB       = 16 << 10
	sqliteReaderCacheKiB = 4 << 10
	sqliteMmapBytes      = 128 << 20
)

func openSQLite(path string) (*Store, error) {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("store: SQLite needs a file path (a temporary directory does for tests)")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	f := &flavor{name: "sqlite", types: map[string]string{"BYTES": "BLOB"}, uniqueRe: sqliteUnique}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(0)&_pragma=temp_store(MEMORY)"
	dsn := func(p string, cacheKiB int) string {
		return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + pragmas + "&_pragma=cache_size(-" + strconv.Itoa(cacheKiB) + ")"
	}
	events := auditFilePath(path)
	// The audit file first: the connections to the main file attach it.
	ev := sql.OpenDB(&auditConnector{dsn: dsn(events, auditCacheKiB) + "&_txlock=immediate", writer: true})
	ev.SetMaxOpenConns(1)
	ev.SetMaxIdleConns(1)
	ev.SetConnMaxLifetime(0)
	if err := pingSQLite(ev); err != nil {
		ev.Close()
		return nil, fmt.Errorf("store: open %s: %w", events, err)
	}
	write := sql.OpenDB(&auditConnector{dsn: dsn(path, sqliteCacheKiB) + "&_txlock=immediate"})
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := pingSQLite(write); err != nil {
		write.Close()
		ev.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	snaps := newSnapshots(path, events)
	read := sql.OpenDB(&auditConnector{dsn: dsn(path, sqliteReaderCacheKiB) + "&_pragma=mmap_size(" + strconv.Itoa(sqliteMmapBytes) + ")", events: events, readOnly: true, snaps: snaps})
	read.SetMaxOpenConns(sqliteReaders)
	read.SetMaxIdleConns(sqliteReaders)
	read.SetConnMaxLifetime(0)
	s := &Store{f: f, read: read, write: write, events: ev, eventsPath: events, snaps: snaps}
	s.gc = newGroupCommitter(write, f)
	return s, nil
}

// pingSQLite opens db's first connection. Processes opening a new database
// together race to switch it to WAL, and SQLite answers the loser BUSY at
// once, without its busy timeout: try again for a while.
func pingSQLite(db *sql.DB) error {
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err = db.Ping()
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
	}
}

// postgresConns is the size of a PostgreSQL store's connection pool.
const postgresConns = 16

func openPostgres(url string) (*Store, error) {
	f := &flavor{name: "postgres", dollar: true, types: map[string]string{"BYTES": "BYTEA"}}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	return &Store{f: f, read: db, write: db, events: db, pg: newPgGroup()}, nil
}
