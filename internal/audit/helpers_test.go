package audit_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

// backends runs fn on a fresh SQLite store and, when IDCENTER_POSTGRES_URL
// is set, on a fresh PostgreSQL schema.
func backends(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, filepath.Join(t.TempDir(), "idcenter.db"))) })
	if testenv.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, open(t, testenv.FreshPostgres(t))) })
	}
}

func open(t *testing.T, url string) *store.Store {
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newTrail(t *testing.T, st *store.Store) *audit.Trail {
	tr := audit.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(tr.Close)
	return tr
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// event is a complete event for tests.
func event(id, org, account, name string, at time.Time) *store.AuditEvent {
	return &store.AuditEvent{EventID: id, Time: at, OrgID: org, RecipientAccountID: account, EventSource: "sso.amazonaws.com",
		EventName: name, EventType: "AwsApiCall", ReadOnly: audit.ReadOnly(name), UserType: "Root", PrincipalID: account,
		UserArn: "arn:aws:iam::" + account + ":root", UserAccountID: account, AccessKeyID: "AKIA" + account, UserName: "root",
		Region: "us-east-1", SourceIP: "127.0.0.1", UserAgent: "test", RequestID: id,
		RequestParameters: `{"instanceArn":"arn:aws:sso:::instance/ssoins-1111222233334444","name":"x"}`, Complete: true}
}

func count(t *testing.T, st *store.Store) int64 {
	t.Helper()
	n, err := st.R().CountAuditEvents(ctx)
	must(t, err)
	return n
}
