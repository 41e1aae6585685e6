package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/idcenter/idcenter/internal/delivery"
)

// errTrailTampered makes `audit verify` exit non-zero once it has printed
// what it found.
var errTrailTampered = errors.New("the delivered audit trail does not verify")

// auditVerify runs `idcenter audit verify [--data DIR | --db URL]
// [--trail-dir DIR]`: it checks the log files and digests under the trail
// directory against the digest chains the database records, prints every
// file changed, removed or added (kind, path, detail, tab-separated), and
// fails if there is any.
func auditVerify(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ExitOnError)
	var c common
	c.bind(fs)
	dir := fs.String("trail-dir", env("IDCENTER_TRAIL_DIR", ""), "the trail directory serve --trail-dir writes")
	fs.Parse(args)
	if *dir == "" {
		return errors.New("audit verify needs --trail-dir (or IDCENTER_TRAIL_DIR)")
	}
	ctx := context.Background()
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := delivery.Verify(ctx, st.R(), *dir)
	if err != nil {
		return err
	}
	for _, p := range r.Problems {
		fmt.Fprintln(w, p)
	}
	fmt.Fprintf(w, "%d digests and %d log files valid, %d problems\n", r.Digests, r.LogFiles, len(r.Problems))
	if len(r.Problems) > 0 {
		return errTrailTampered
	}
	return nil
}
