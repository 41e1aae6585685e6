package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/tabular"
)

// queryCmd runs one read-only SQL statement over the views of schema aws
// (docs/sql-views.md), on either backend, also while the server runs:
//
//	idcenter query [--format table|csv|json] [--timeout 5m] [--max-rows N] "SELECT ... FROM aws.sso_instance"
//
// Anything but a single SELECT is refused and changes nothing. The results
// are written as `idcenter audit query` writes its own.
func queryCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	var c common
	c.bind(fs)
	format := tabular.FormatFlag(fs)
	timeout := fs.Duration("timeout", 5*time.Minute, "give up on the statement after this long")
	maxRows := fs.Int("max-rows", 1000000, "refuse a statement that returns more rows")
	stmt, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if strings.TrimSpace(stmt) == "" {
		return errors.New(`query takes one SQL statement, e.g. "SELECT instance_arn, status FROM aws.sso_instance"`)
	}
	if err := tabular.CheckFormat(*format); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.QueryViews(ctx, stmt, *maxRows, *timeout)
	if errors.Is(err, store.ErrTooManyRows) {
		return fmt.Errorf("the statement returns more than %d rows; add a LIMIT or a narrower WHERE (or raise --max-rows)", *maxRows)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("the statement ran longer than %s (--timeout)", *timeout)
	}
	if err != nil {
		return err
	}
	return audit.WriteResult(out, res, *format)
}
