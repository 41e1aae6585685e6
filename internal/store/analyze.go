package store

import (
	"context"
	"time"
)

// PostgreSQL plans its queries from table statistics, and reuses the space
// of deleted rows only once a table is vacuumed; autovacuum does both, each
// once a share of a table has changed. Where autovacuum is off (a setting
// some installations choose, and this project's CI server runs), neither
// happens: a table that grew from nothing is never analyzed, so PostgreSQL
// guessed, and a LookupEvents page over a million events, planned as if an
// account had 5,000, read them all and sorted them (1-4 s instead of under a
// millisecond); and audit_pending, where every change's event waits a moment
// and is deleted, grew to 850 MB of dead rows holding none. So a PostgreSQL
// store looks every maintainEvery at the tables of its schema and vacuums
// those whose dead rows or new rows, and analyzes those whose changes,
// passed autovacuum's default thresholds: when autovacuum runs, it finds
// nothing to do. (A table that only grows, such as memberships or
// account_assignments, has no dead rows, but until it is vacuumed its
// visibility map is empty and every index-only scan reads the table too:
// a ListAccountAssignmentsForPrincipal query fetched 250 rows from the heap
// and took 0.94-1.2 ms, 0.56-0.85 once vacuumed.)
const (
	maintainEvery    = 2 * time.Minute
	analyzeBase      = 50   // autovacuum_analyze_threshold
	analyzeScaleFrac = 0.1  // autovacuum_analyze_scale_factor
	vacuumBase       = 50   // autovacuum_vacuum_threshold
	vacuumScaleFrac  = 0.2  // autovacuum_vacuum_scale_factor
	insertBase       = 1000 // autovacuum_vacuum_insert_threshold
	insertScaleFrac  = 0.2  // autovacuum_vacuum_insert_scale_factor
)

// maintainTables runs MaintainTables every maintainEvery until the store is
// closed.
func (s *Store) maintainTables() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-s.closed; cancel() }()
	t := time.NewTicker(maintainEvery)
	defer t.Stop()
	for {
		select {
		case <-s.closed:
			return
		case <-t.C:
			s.MaintainTables(ctx)
		}
	}
}

// MaintainTables vacuums the tables of the store's schema whose dead rows,
// and analyzes those whose changes since their last analysis, passed
// autovacuum's default thresholds, and returns their names (PostgreSQL;
// nothing on SQLite, which reuses free pages itself and whose queries need
// no statistics to follow their indexes).
func (s *Store) MaintainTables(ctx context.Context) ([]string, error) {
	if s.f.name != "postgres" {
		return nil, nil
	}
	type job struct{ table, stmt string }
	jobs, err := queryAll(ctx, s.R(), func(sc scanner) (job, error) {
		var j job
		var vacuum bool
		err := sc.Scan(&j.table, &vacuum)
		j.stmt = "ANALYZE "
		if vacuum {
			j.stmt = "VACUUM (ANALYZE) "
		}
		j.stmt += quoteIdentifier(j.table)
		return j, err
	}, `SELECT relname, vacuum FROM (
			SELECT relname, n_mod_since_analyze > ? + ? * n_live_tup AS stale,
				n_dead_tup > ? + ? * n_live_tup OR n_ins_since_vacuum > ? + ? * n_live_tup AS vacuum
			FROM pg_stat_user_tables WHERE schemaname = current_schema()) AS t
		WHERE stale OR vacuum ORDER BY relname`,
		analyzeBase, analyzeScaleFrac, vacuumBase, vacuumScaleFrac, insertBase, insertScaleFrac)
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, maintainThrottle); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.Background(), `RESET vacuum_cost_delay; RESET vacuum_cost_limit`)
	var done []string
	for _, j := range jobs {
		if _, err := conn.ExecContext(ctx, j.stmt); err != nil {
			return done, err
		}
		done = append(done, j.table)
	}
	return done, nil
}

// maintainThrottle makes MaintainTables' VACUUM and ANALYZE pause as
// autovacuum's do (autovacuum_vacuum_cost_delay and _limit): a plain VACUUM
// runs flat out, and that of the audit tables (a million events and more,
// vacuumed each time a fifth more have come) slowed the calls running
// meanwhile (DescribeUser under load: 3,730 req/s, p99 10.1 ms, against
// 4,580 and 7.8 ms throttled).
const maintainThrottle = `SET vacuum_cost_delay = '2ms'; SET vacuum_cost_limit = 200`
