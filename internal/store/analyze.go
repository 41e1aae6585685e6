package store

import (
	"context"
	"time"
)

// PostgreSQL plans its queries from table statistics, which autovacuum keeps
// by analyzing a table once a share of it has changed. Where autovacuum is
// off (a setting some installations choose, and this project's CI server
// runs), a table that grew from nothing is never analyzed: PostgreSQL then
// guesses, and a LookupEvents page over a million events, planned as if an
// account had 5,000, read them all and sorted them (1-4 s instead of under a
// millisecond). So a PostgreSQL store analyzes, every analyzeEvery, the
// tables of its schema that changed by more than autovacuum's default
// threshold since they were last analyzed: when autovacuum runs, it has
// nothing to do.
const (
	analyzeEvery     = 2 * time.Minute
	analyzeBase      = 50  // autovacuum_analyze_threshold
	analyzeScaleFrac = 0.1 // autovacuum_analyze_scale_factor
)

// keepStatistics runs AnalyzeChanged every analyzeEvery until the store is
// closed.
func (s *Store) keepStatistics() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-s.closed; cancel() }()
	t := time.NewTicker(analyzeEvery)
	defer t.Stop()
	for {
		select {
		case <-s.closed:
			return
		case <-t.C:
			s.AnalyzeChanged(ctx)
		}
	}
}

// AnalyzeChanged analyzes the tables of the store's schema that changed by
// more than autovacuum's threshold since their last analysis, and returns
// their names (PostgreSQL; nothing on SQLite, whose queries name their
// indexes' order and need no statistics).
func (s *Store) AnalyzeChanged(ctx context.Context) ([]string, error) {
	if s.f.name != "postgres" {
		return nil, nil
	}
	tables, err := s.R().queryStrings(ctx, `SELECT relname FROM pg_stat_user_tables
		WHERE schemaname = current_schema() AND n_mod_since_analyze > ? + ? * n_live_tup ORDER BY relname`, analyzeBase, analyzeScaleFrac)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if _, err := s.write.ExecContext(ctx, `ANALYZE `+quoteIdentifier(t)); err != nil {
			return nil, err
		}
	}
	return tables, nil
}
