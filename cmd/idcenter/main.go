// Command idcenter is a self-hosted AWS IAM Identity Center.
//
//	idcenter serve   [--addr 127.0.0.1:7426] [--data ./idcenter-data] [--db URL] [--region us-east-1]
//	                 [--trail-dir DIR] [--webhook URL [--webhook-events CreateInstance,DeleteInstance]]...
//	idcenter account create --name N --email E [--standalone]
//	idcenter key create --account ID
//	idcenter org allow-account-instances true|false
//	idcenter audit query [--format table|csv|json] "SELECT ... FROM <event data store id>"
//	idcenter audit event-data-stores
//	idcenter audit verify --trail-dir DIR
//	idcenter report instances|access|duplicates|offboarding [--email E] [--format table|csv|json]
//	idcenter query [--format table|csv|json] "SELECT ... FROM aws.sso_instance"
//	idcenter bench --key K --secret S --store d-... [--seed] [--conns 8] [--duration 5s]
//	idcenter bench access --key K --secret S --store d-... [--seed]
//	idcenter bench events --key K --secret S --store d-... [--conns 8] [--duration 5s]
//
// Flags may also come from IDCENTER_ADDR, IDCENTER_DATA, IDCENTER_DB and
// IDCENTER_REGION; the server key from IDCENTER_SECRET_KEY (base64) or the
// file server.key in the data directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/server"
	"github.com/idcenter/idcenter/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "bench":
		err = bench(os.Args[2:])
	case "account", "key", "org":
		err = admin(os.Args[1], os.Args[2:])
	case "audit":
		err = auditCmd(os.Args[2:])
	case "report":
		err = reportCmd(os.Args[2:], os.Stdout)
	case "query":
		err = queryCmd(os.Args[2:], os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "idcenter:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  idcenter serve [--addr 127.0.0.1:7426] [--data ./idcenter-data] [--db postgres://...] [--region us-east-1]
                 [--trail-dir DIR] [--webhook URL [--webhook-events CreateInstance,DeleteInstance]]...
  idcenter account create --name NAME --email EMAIL [--standalone]
  idcenter key create --account ACCOUNT_ID
  idcenter org allow-account-instances true|false
  idcenter audit query [--data DIR | --db URL] [--format table|csv|json] "SELECT ... FROM <event data store id>"
  idcenter audit event-data-stores [--data DIR | --db URL]
  idcenter audit verify [--data DIR | --db URL] --trail-dir DIR
  idcenter report instances|access|duplicates [--data DIR | --db URL] [--format table|csv|json] [--org o-...]
  idcenter report offboarding --email EMAIL [--data DIR | --db URL] [--format table|csv|json] [--org o-...]
  idcenter query [--data DIR | --db URL] [--format table|csv|json] "SELECT ... FROM aws.sso_instance"
  idcenter bench --key K --secret S --store d-... [--seed] [--users N --groups N --memberships N] [--conns 8] [--duration 5s]
  idcenter bench access --key K --secret S --store d-... [--seed] [--accounts N --permsets N --assignments N --rate N]
  idcenter bench events --key K --secret S --store d-... [--conns 8] [--duration 5s]`)
	os.Exit(2)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// common are the flags every command takes to find the data.
type common struct{ data, db, region string }

func (c *common) bind(fs *flag.FlagSet) {
	fs.StringVar(&c.data, "data", env("IDCENTER_DATA", "idcenter-data"), "data directory (SQLite database, server key, AWS profile)")
	fs.StringVar(&c.db, "db", env("IDCENTER_DB", ""), "database URL: postgres://... (default: SQLite in the data directory)")
	fs.StringVar(&c.region, "region", env("IDCENTER_REGION", "us-east-1"), "Region of the organization instance and the written profile")
}

// open opens the store and server key and assembles the server.
func (c *common) open(ctx context.Context, log *slog.Logger) (*store.Store, *server.Server, error) {
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return nil, nil, err
	}
	dbURL := c.db
	if dbURL == "" {
		dbURL = filepath.Join(c.data, "idcenter.db")
	}
	sealer, err := secret.Load(os.Getenv("IDCENTER_SECRET_KEY"), filepath.Join(c.data, "server.key"))
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	return st, server.New(server.Config{Store: st, Sealer: sealer, Log: log}), nil
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	var c common
	c.bind(fs)
	addr := fs.String("addr", env("IDCENTER_ADDR", "127.0.0.1:7426"), "listen address")
	baseline := fs.Bool("bench-baseline", false, "serve the load tool's trivial JSON handler at "+loadgen.BaselinePath)
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060); off by default")
	var df deliveryFlags
	df.bind(fs)
	fs.Parse(args)
	dcfg, err := df.config()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	tuneGC()
	if *pprofAddr != "" {
		go func() { log.Error("pprof listener", "err", http.ListenAndServe(*pprofAddr, pprofMux())) }()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, srv, err := c.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	defer srv.Close() // stores the audit events still queued, before the store closes
	if dcfg.Enabled() {
		if err := srv.StartDelivery(ctx, dcfg); err != nil {
			return err
		}
	}
	if *baseline {
		srv.SetBaseline(loadgen.BaselineHandler())
	}
	boot, err := bootstrap(ctx, st, srv, c.region, "idcenter serve")
	if err != nil {
		return err
	}
	if err := st.Connect(ctx); err != nil {
		// (the pool connects as calls need it instead; a server whose
		// database allows fewer connections still starts)
		log.Warn("opening the database's connections ahead of the calls", "err", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	endpoint := "http://" + ln.Addr().String()
	cfgPath, credPath, err := writeProfile(c.data, endpoint, c.region, boot)
	if err != nil {
		return err
	}
	fmt.Printf("idcenter listening on %s (%s)\n", endpoint, st.Flavor())
	fmt.Printf("organization %s, management account %s\n", boot.Org.ID, boot.Org.ManagementAccountID)
	if boot.Instance != nil {
		fmt.Printf("organization instance %s, identity store %s\n", boot.Instance.Arn, boot.Instance.IdentityStoreID)
	}
	fmt.Printf("management access key %s, secret %s\n\n", boot.Key.AccessKeyID, boot.Key.SecretAccessKey)
	fmt.Printf("export AWS_CONFIG_FILE=%s\nexport AWS_SHARED_CREDENTIALS_FILE=%s\n", cfgPath, credPath)
	if boot.Instance != nil {
		fmt.Printf("# then: aws --profile idcenter identitystore list-users --identity-store-id %s\n", boot.Instance.IdentityStoreID)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	<-stopped // the calls in flight have finished (and queued their events)
	return nil
}

// writeProfile writes DIR/aws/config and DIR/aws/credentials with the
// profile "idcenter".
func writeProfile(dir, endpoint, region string, b *server.Bootstrap) (string, string, error) {
	awsDir, err := filepath.Abs(filepath.Join(dir, "aws"))
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(awsDir, 0o700); err != nil {
		return "", "", err
	}
	cfg := filepath.Join(awsDir, "config")
	cred := filepath.Join(awsDir, "credentials")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[profile idcenter]\nregion = %s\nendpoint_url = %s\noutput = json\n", region, endpoint)), 0o600); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(cred, []byte(fmt.Sprintf("[idcenter]\naws_access_key_id = %s\naws_secret_access_key = %s\n", b.Key.AccessKeyID, b.Key.SecretAccessKey)), 0o600); err != nil {
		return "", "", err
	}
	return cfg, cred, nil
}

// tuneGC sets the collector for a server, unless GOGC or GOMEMLIMIT say
// otherwise. Its live heap is small (tens of MiB: the data is in SQLite's
// caches, outside Go's heap), so Go's default of collecting at twice the live
// heap ran a collection every few thousand calls and took 7% of the CPU under
// load; at four times it is a third of that, and the soft limit keeps the heap
// within the server's memory budget however the live heap grows.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}
