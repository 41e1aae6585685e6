package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/server"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/tabular"
)

// auditCmd runs the audit trail commands:
//
//	idcenter audit query [--format table|csv|json] [--timeout 5m] "SQL"
//	idcenter audit event-data-stores
//	idcenter audit verify --trail-dir DIR (auditverify.go)
//
// A query reads the whole installation's trail (every organization's events,
// standalone accounts' and refused authentications'), FROM the event data
// store id the second command prints. It works while the server runs.
func auditCmd(args []string) error {
	if len(args) < 1 {
		usage()
	}
	verb := args[0]
	if verb == "verify" {
		return auditVerify(args[1:], os.Stdout)
	}
	fs := flag.NewFlagSet("audit "+verb, flag.ExitOnError)
	var c common
	c.bind(fs)
	format := tabular.FormatFlag(fs)
	timeout := fs.Duration("timeout", audit.QueryTimeout, "give up on a query after this long")
	maxRows := fs.Int("max-rows", 1000000, "refuse a query that returns more rows")
	fs.Parse(args[1:])
	ctx := context.Background()
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	trail := audit.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer trail.Close()
	stores, err := trail.EventDataStores(ctx, c.region)
	if err != nil {
		return err
	}
	if len(stores) == 0 {
		return errors.New("no organization yet: start the server once (idcenter serve) to create it")
	}
	switch verb {
	case "query":
		if fs.NArg() != 1 {
			return errors.New(`audit query takes one SQL statement, e.g. "SELECT eventTime, eventName FROM ` + stores[0].ID + ` ORDER BY eventTime DESC LIMIT 10"`)
		}
		if err := tabular.CheckFormat(*format); err != nil {
			return err
		}
		res, err := trail.Query(ctx, fs.Arg(0), audit.Source{ID: stores[0].ID}, *maxRows, *timeout)
		if err != nil {
			return err
		}
		return audit.WriteResult(os.Stdout, res, *format)
	case "event-data-stores":
		for _, s := range stores {
			fmt.Printf("%s\t%s\t%s\n", s.ID, s.Arn, s.Name)
		}
		return nil
	}
	usage()
	return nil
}

// openStore opens the database the flags name, without the server key (the
// audit commands read no secrets). The data must exist already.
func (c *common) openStore(ctx context.Context) (*store.Store, error) {
	dbURL := c.db
	if dbURL == "" {
		dbURL = filepath.Join(c.data, "idcenter.db")
		if _, err := os.Stat(dbURL); err != nil {
			return nil, fmt.Errorf("no idcenter data at %s (use --data or --db)", c.data)
		}
	}
	return store.Open(ctx, dbURL)
}

// bootstrap runs the server's first-start work (srv.Bootstrap) and records
// what it created: the organization's creation is stored with the
// organization itself; the organization instance and the first access key,
// made in later transactions, right after.
func bootstrap(ctx context.Context, st *store.Store, srv *server.Server, region, command string) (*server.Bootstrap, error) {
	if o, err := srv.Org.First(ctx); err != nil || o != nil {
		return srv.Bootstrap(ctx, st, region) // nothing to create (or the error again)
	}
	bctx, p := srv.Audit.BeginChange(ctx, audit.Change{Source: "organizations.amazonaws.com", Name: "CreateOrganization", Region: region, Command: command,
		Params: map[string]string{"FeatureSet": "ALL"}})
	boot, err := srv.Bootstrap(bctx, st, region)
	if err != nil || !boot.Created {
		if p.Close() { // the organization was stored, then a later step failed
			srv.Audit.EndChange(p, "", "", nil, err)
		}
		return boot, err
	}
	o := boot.Org
	srv.Audit.EndChange(p, o.ManagementAccountID, o.ID, map[string]any{"Organization": map[string]string{
		"Id": o.ID, "Arn": o.Arn, "FeatureSet": o.FeatureSet, "MasterAccountId": o.ManagementAccountID}}, nil)
	if in := boot.Instance; in != nil {
		_, p := srv.Audit.BeginChange(ctx, audit.Change{Source: "sso.amazonaws.com", Name: "CreateInstance", AccountID: o.ManagementAccountID, OrgID: o.ID, Region: region, Command: command,
			Params: map[string]string{"Name": in.Name}})
		srv.Audit.EndChange(p, "", "", map[string]string{"InstanceArn": in.Arn, "IdentityStoreId": in.IdentityStoreID}, nil)
	}
	recordKey(ctx, srv, o.ManagementAccountID, o.ID, command, boot.Key)
	return boot, nil
}

// recordKey records the creation of an access key made in its own
// transaction already (the first key of a new organization).
func recordKey(ctx context.Context, srv *server.Server, accountID, orgID, command string, k *org.Key) {
	_, p := srv.Audit.BeginChange(ctx, audit.Change{Source: "iam.amazonaws.com", Name: "CreateAccessKey", AccountID: accountID, OrgID: orgID, Command: command})
	srv.Audit.EndChange(p, "", "", keyResponse(k), nil)
}

// keyResponse is CreateAccessKey's responseElements (the secret is not in
// it, and would be hidden if it were).
func keyResponse(k *org.Key) map[string]any {
	if k == nil {
		return nil
	}
	return map[string]any{"AccessKey": map[string]string{"AccessKeyId": k.AccessKeyID, "Status": "Active", "UserName": k.Arn,
		"CreateDate": time.Now().UTC().Format(time.RFC3339)}}
}
