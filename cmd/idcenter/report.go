package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/idcenter/idcenter/internal/report"
	"github.com/idcenter/idcenter/internal/tabular"
)

// reportCmd runs the inventory reports over the data (also while the server
// runs):
//
//	idcenter report instances|access|duplicates [--format table|csv|json] [--org o-...]
//	idcenter report offboarding --email EMAIL [--format table|csv|json] [--org o-...]
//
// The name may come before or after the flags.
func reportCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var c common
	c.bind(fs)
	format := tabular.FormatFlag(fs)
	orgID := fs.String("org", "", "the organization (default: the only one)")
	email := fs.String("email", "", "offboarding: an email of the departing person")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return errors.New("report needs a name: " + strings.Join(report.Names, ", "))
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
	t, err := report.Run(ctx, st.R(), name, report.Options{OrgID: *orgID, Email: *email})
	if err != nil {
		return err
	}
	return tabular.Write(out, t, *format)
}

// parseNamed parses args, whose one positional argument (returned, "" when
// there is none) may come before or after the flags. A first argument with
// a space in it is the positional one even if it starts with - (an SQL
// statement starting with a -- comment).
func parseNamed(fs *flag.FlagSet, args []string) (string, error) {
	name := ""
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || strings.ContainsAny(args[0], " \t\n")) {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return "", err
		}
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("%s takes one argument; unexpected %q", fs.Name(), fs.Arg(0))
	}
	return name, nil
}
