package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/idcenter/idcenter/internal/store"
)

// admin runs the administrative commands, which work on the data directly
// (also while the server runs).
func admin(noun string, args []string) error {
	if len(args) < 1 {
		usage()
	}
	verb := args[0]
	fs := flag.NewFlagSet(noun+" "+verb, flag.ExitOnError)
	var c common
	c.bind(fs)
	name := fs.String("name", "", "account name")
	email := fs.String("email", "", "account email")
	standalone := fs.Bool("standalone", false, "create the account outside the organization")
	account := fs.String("account", "", "account id")
	fs.Parse(args[1:])
	ctx := context.Background()
	st, srv, err := c.open(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	boot, err := srv.Bootstrap(ctx, st, c.region)
	if err != nil {
		return err
	}
	switch noun + " " + verb {
	case "account create":
		if *name == "" || *email == "" {
			return fmt.Errorf("account create needs --name and --email")
		}
		var acct *store.Account
		if *standalone {
			acct, err = srv.Org.CreateStandaloneAccount(ctx, *name, *email)
		} else {
			err = st.Write(ctx, func(tx *store.Tx) error {
				var err error
				acct, err = srv.Org.CreateMemberAccount(ctx, tx, boot.Org, *name, *email)
				return err
			})
		}
		if err != nil {
			return err
		}
		k, err := srv.Org.CreateAccessKey(ctx, acct.ID)
		if err != nil {
			return err
		}
		fmt.Printf("account %s\naccess key %s\nsecret %s\n", acct.ID, k.AccessKeyID, k.SecretAccessKey)
	case "key create":
		k, err := srv.Org.CreateAccessKey(ctx, *account)
		if err != nil {
			return err
		}
		fmt.Printf("access key %s\nsecret %s\n", k.AccessKeyID, k.SecretAccessKey)
	case "org allow-account-instances":
		allow := fs.Arg(0) == "true"
		if fs.Arg(0) != "true" && fs.Arg(0) != "false" {
			return fmt.Errorf("org allow-account-instances takes true or false")
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(ctx, boot.Org.ID, allow) }); err != nil {
			return err
		}
		fmt.Printf("member accounts may create account instances: %v\n", allow)
	default:
		usage()
	}
	return nil
}
