package org

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
)

// open opens the store at url with a fixed server key.
func open(t testing.TB, url string) (*store.Store, *Service) {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.New([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return st, New(st, sealer)
}

// freshPostgres makes an empty schema of the database at base for this test
// (internal/testenv does the same, but imports this package).
func freshPostgres(t *testing.T, base string) string {
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	schema := "t_org_" + ids.Hex(12)
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestCreateAccountSurvivesRestart accepts a CreateAccount request, stops
// before doing its work, and checks the next process finishes it.
func TestCreateAccountSurvivesRestart(t *testing.T) {
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "org.db")}
	if base := os.Getenv("IDCENTER_POSTGRES_URL"); base != "" {
		urls["postgres"] = freshPostgres(t, base)
	}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, s := open(t, url)
			o, m, err := s.CreateOrganization(ctx, "management", "mgmt@example.com")
			if err != nil {
				t.Fatal(err)
			}
			cctx := auth.WithCaller(ctx, &auth.Caller{AccountID: m.ID, Arn: RootArn(m.ID), OrgID: o.ID, Management: true, Type: "Root"})
			r, err := s.RequestAccount(cctx, "later", "later@example.com", "")
			if err != nil {
				t.Fatal(err)
			}
			st.Close()

			st, s = open(t, url)
			defer st.Close()
			got, err := s.DescribeCreateAccountStatus(cctx, r.ID)
			if err != nil || got.State != StateInProgress {
				t.Fatalf("after restart: %+v, %v", got, err)
			}
			if err := s.ResumeCreateAccounts(ctx); err != nil {
				t.Fatal(err)
			}
			got, err = s.DescribeCreateAccountStatus(cctx, r.ID)
			if err != nil || got.State != StateSucceeded || got.AccountID == "" || got.Completed.Before(got.Requested) {
				t.Fatalf("resumed: %+v, %v", got, err)
			}
			if _, err := st.R().Role(ctx, got.AccountID, AccessRoleName); err != nil {
				t.Errorf("role: %v", err)
			}
			// Finishing twice changes nothing.
			if err := s.CompleteCreateAccount(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			if jobs, _ := st.R().CreateAccountJobs(ctx, 10); len(jobs) != 0 {
				t.Errorf("%d jobs left", len(jobs))
			}
		})
	}
}

// TestStaleRequestFinishedOnRead checks that a request whose worker vanished
// is finished by the next DescribeCreateAccountStatus.
func TestStaleRequestFinishedOnRead(t *testing.T) {
	ctx := context.Background()
	st, s := open(t, filepath.Join(t.TempDir(), "org.db"))
	defer st.Close()
	o, m, err := s.CreateOrganization(ctx, "management", "mgmt@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cctx := auth.WithCaller(ctx, &auth.Caller{AccountID: m.ID, OrgID: o.ID, Management: true})
	r, err := s.RequestAccount(cctx, "dup", "MGMT@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	// Age the request past staleAfter.
	err = st.Write(ctx, func(tx *store.Tx) error {
		r.Requested = tx.Now.Add(-time.Minute)
		last := "z"
		if strings.HasSuffix(r.ID, last) {
			last = "y" // (another id than the original's)
		}
		r.ID = r.ID[:len(r.ID)-1] + last
		return tx.InsertCreateAccountRequest(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The aged copy has no job: it fails as an internal failure, while the
	// original (not stale) stays in progress.
	got, err := s.DescribeCreateAccountStatus(cctx, r.ID)
	if err != nil || got.State != StateFailed || got.FailureReason != failureInternal {
		t.Fatalf("stale request: %+v, %v", got, err)
	}
	if err := s.ResumeCreateAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	jobs, _ := st.R().CreateAccountJobs(ctx, 10)
	if len(jobs) != 0 {
		t.Errorf("%d jobs left", len(jobs))
	}
}

func TestTrusts(t *testing.T) {
	mgmt := &auth.Caller{AccountID: "111111111111", Arn: RootArn("111111111111")}
	user := &auth.Caller{AccountID: "111111111111", Arn: "arn:aws:iam::111111111111:user/bob"}
	other := &auth.Caller{AccountID: "222222222222", Arn: RootArn("222222222222")}
	for _, tc := range []struct {
		policy string
		c      *auth.Caller
		want   bool
	}{
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`, mgmt, true},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`, user, true},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`, other, false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["222222222222","x"]},"Action":["sts:AssumeRole"]}]}`, other, true},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"sts:*"}]}`, user, false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:TagSession"}]}`, user, false},
		{`not json`, mgmt, false},
	} {
		if got := trusts(tc.policy, tc.c); got != tc.want {
			t.Errorf("trusts(%s, %s) = %v", tc.policy, tc.c.Arn, got)
		}
	}
}
