// Package testenv starts a whole idcenter on 127.0.0.1 for end-to-end tests
// and hands out AWS SDK for Go v2 configurations that reach it, so that
// tests drive the server exactly as real clients do.
//
// The backend is SQLite in a temporary directory, or PostgreSQL (a fresh
// schema per test) when IDCENTER_POSTGRES_URL is set and the test asks for it
// with Postgres or Backends.
package testenv

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/server"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// Region is the Region tests sign for.
const Region = "us-east-1"

// Env is a running idcenter.
type Env struct {
	T         testing.TB
	URL       string
	Store     *store.Store
	Server    *server.Server
	Boot      *server.Bootstrap
	DBURL     string
	httpSrv   *http.Server
	sealerKey []byte
}

// PostgresURL is the PostgreSQL server named by IDCENTER_POSTGRES_URL, or "".
func PostgresURL() string { return os.Getenv("IDCENTER_POSTGRES_URL") }

// Backends runs fn once per available backend ("sqlite", and "postgres" when
// IDCENTER_POSTGRES_URL is set), each as a subtest with its own server.
func Backends(t *testing.T, fn func(t *testing.T, e *Env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, Start(t)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, StartPostgres(t)) })
	}
}

// BackendNames are the backends available: "sqlite", and "postgres" when
// IDCENTER_POSTGRES_URL is set (for benchmarks, which start their servers
// with StartOn).
func BackendNames() []string {
	if PostgresURL() != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// StartOn runs a server on the named backend (BackendNames).
func StartOn(t testing.TB, backend string) *Env {
	if backend == "postgres" {
		return StartPostgres(t)
	}
	return Start(t)
}

// Start runs a server on SQLite in a temporary directory.
func Start(t testing.TB) *Env {
	return start(t, filepath.Join(t.TempDir(), "idcenter.db"))
}

// StartPostgres runs a server on a fresh schema of IDCENTER_POSTGRES_URL.
func StartPostgres(t testing.TB) *Env {
	return start(t, FreshPostgres(t))
}

// FreshPostgres creates an empty schema for this test and returns a URL whose
// connections use it; the schema is dropped when the test ends.
func FreshPostgres(t testing.TB) string {
	base := PostgresURL()
	if base == "" {
		t.Skip("IDCENTER_POSTGRES_URL is not set")
	}
	return storetest.FreshPostgres(t, base)
}

func start(t testing.TB, dbURL string) *Env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(strings.Repeat("k", 32))
	sealer, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv := server.New(server.Config{Store: st, Sealer: sealer, Log: log})
	boot, err := srv.Bootstrap(ctx, st, Region)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	e := &Env{T: t, URL: "http://" + ln.Addr().String(), Store: st, Server: srv, Boot: boot, DBURL: dbURL, httpSrv: hs, sealerKey: key}
	t.Cleanup(func() {
		hs.Close()
		srv.Close() // stores the audit events still queued, stops delivery
		st.Close()
	})
	return e
}

// Config returns an SDK configuration signing with key.
func (e *Env) Config(key *org.Key) aws.Config {
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, key.SessionToken),
		BaseEndpoint:     aws.String(e.URL),
		RetryMaxAttempts: 1,
	}
}

// Management returns the configuration of the management account.
func (e *Env) Management() aws.Config { return e.Config(e.Boot.Key) }

// StoreID is the organization instance's identity store id.
func (e *Env) StoreID() string { return e.Boot.Instance.IdentityStoreID }

// InstanceArn is the organization instance's ARN.
func (e *Env) InstanceArn() string { return e.Boot.Instance.Arn }

// MemberAccount creates an account in the organization (with its access
// role) and returns a root key of it.
func (e *Env) MemberAccount(name string) *org.Key {
	e.T.Helper()
	ctx := context.Background()
	var acct *store.Account
	err := e.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		acct, err = e.Server.Org.CreateMemberAccount(ctx, tx, e.Boot.Org, name, fmt.Sprintf("%s-%s@example.com", name, ids.Hex(6)))
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	k, err := e.Server.Org.CreateAccessKey(ctx, acct.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	return k
}

// StandaloneAccount creates an account outside the organization and returns
// a root key of it.
func (e *Env) StandaloneAccount(name string) *org.Key {
	e.T.Helper()
	ctx := context.Background()
	acct, err := e.Server.Org.CreateStandaloneAccount(ctx, name, fmt.Sprintf("%s-%s@example.com", name, ids.Hex(6)))
	if err != nil {
		e.T.Fatal(err)
	}
	k, err := e.Server.Org.CreateAccessKey(ctx, acct.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	return k
}
