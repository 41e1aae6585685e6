package store_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// TestPipelinedQueriesTakeTurns: in a pipelined batch on PostgreSQL, a
// query's function has the connection to itself until it asks for more or
// returns, even while other functions of the batch go on: two functions
// each hold a query's rows open a while, as a third sends statements.
func TestPipelinedQueriesTakeTurns(t *testing.T) {
	base := os.Getenv("IDCENTER_POSTGRES_URL")
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	s := open(t, storetest.FreshPostgres(t, base))
	ctx := t.Context()
	errs, nows := storetest.Batch(t, s, 3, func(i int, tx *store.Tx) error {
		if i == 2 {
			for k := range 5 {
				if err := tx.PutSetting(ctx, fmt.Sprintf("s-%d", k), "v"); err != nil {
					return err
				}
			}
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT n FROM generate_series(1, 3) AS n`)
		if err != nil {
			return err
		}
		defer rows.Close()
		time.Sleep(100 * time.Millisecond) // the rows stay open
		sum := 0
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				return err
			}
			sum += n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if sum != 6 {
			return fmt.Errorf("the query's rows add up to %d", sum)
		}
		return nil
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if len(nows[i]) != 1 { // (a batch that fails runs its writes again)
			t.Fatalf("write %d ran %d times: the batch failed", i, len(nows[i]))
		}
	}
	if nows[0][0] != nows[1][0] || nows[0][0] != nows[2][0] {
		t.Fatalf("the writes did not share a transaction: %v", nows)
	}
}
