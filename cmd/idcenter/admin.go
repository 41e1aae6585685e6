package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/idcenter/idcenter/internal/audit"
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
	defer srv.Close() // stores the audit events still queued, before the store closes
	command := "idcenter " + noun + " " + verb
	boot, err := bootstrap(ctx, st, srv, c.region, command)
	if err != nil {
		return err
	}
	// Every change below is recorded as an audit event, stored in the same
	// transaction as the change.
	change := func(source, name, accountID, orgID string, params any) (context.Context, *store.PendingEvent) {
		return srv.Audit.BeginChange(ctx, audit.Change{Source: source, Name: name, AccountID: accountID, OrgID: orgID, Region: c.region, Command: command, Params: params})
	}
	switch noun + " " + verb {
	case "account create":
		if *name == "" || *email == "" {
			return fmt.Errorf("account create needs --name and --email")
		}
		var acct *store.Account
		params := map[string]any{"AccountName": *name, "Email": *email, "Standalone": *standalone}
		if *standalone {
			actx, p := change("organizations.amazonaws.com", "CreateAccount", "", "", params)
			acct, err = srv.Org.CreateStandaloneAccount(actx, *name, *email)
			if acct != nil {
				srv.Audit.EndChange(p, acct.ID, "", accountResponse(acct), err)
			} else {
				srv.Audit.EndChange(p, "", "", nil, err)
			}
		} else {
			actx, p := change("organizations.amazonaws.com", "CreateAccount", boot.Org.ManagementAccountID, boot.Org.ID, params)
			err = st.Write(actx, func(tx *store.Tx) error {
				var err error
				acct, err = srv.Org.CreateMemberAccount(actx, tx, boot.Org, *name, *email)
				return err
			})
			srv.Audit.EndChange(p, "", "", accountResponse(acct), err)
		}
		if err != nil {
			return err
		}
		kctx, p := change("iam.amazonaws.com", "CreateAccessKey", acct.ID, acct.OrgID, nil)
		k, err := srv.Org.CreateAccessKey(kctx, acct.ID)
		srv.Audit.EndChange(p, "", "", keyResponse(k), err)
		if err != nil {
			return err
		}
		fmt.Printf("account %s\naccess key %s\nsecret %s\n", acct.ID, k.AccessKeyID, k.SecretAccessKey)
	case "key create":
		orgID := ""
		if a, err := st.R().Account(ctx, *account); err == nil {
			orgID = a.OrgID
		}
		kctx, p := change("iam.amazonaws.com", "CreateAccessKey", *account, orgID, nil)
		k, err := srv.Org.CreateAccessKey(kctx, *account)
		srv.Audit.EndChange(p, "", "", keyResponse(k), err)
		if err != nil {
			return err
		}
		fmt.Printf("access key %s\nsecret %s\n", k.AccessKeyID, k.SecretAccessKey)
	case "org allow-account-instances":
		allow := fs.Arg(0) == "true"
		if fs.Arg(0) != "true" && fs.Arg(0) != "false" {
			return fmt.Errorf("org allow-account-instances takes true or false")
		}
		actx, p := change("sso.amazonaws.com", "AllowAccountInstances", boot.Org.ManagementAccountID, boot.Org.ID, map[string]bool{"AllowAccountInstances": allow})
		err := st.Write(actx, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(actx, boot.Org.ID, allow) })
		srv.Audit.EndChange(p, "", "", nil, err)
		if err != nil {
			return err
		}
		fmt.Printf("member accounts may create account instances: %v\n", allow)
	default:
		usage()
	}
	return nil
}

// accountResponse is CreateAccount's responseElements.
func accountResponse(a *store.Account) any {
	if a == nil {
		return nil
	}
	return map[string]any{"CreateAccountStatus": map[string]string{"AccountId": a.ID, "AccountName": a.Name, "State": "SUCCEEDED"}}
}
