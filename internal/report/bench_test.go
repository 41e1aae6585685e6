package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/report"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/store/storetest"
)

// BenchmarkReports times the duplicates and instances reports over 200
// account instances of 1,000 users each, a fifth of the people being users
// in two instances (the issue asks for under 2 s each). The data goes
// straight into the store; it takes a while to seed, so run it alone:
//
//	go test ./internal/report/ -run '^$' -bench Reports -benchtime 1x
func BenchmarkReports(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchReports(b, filepath.Join(b.TempDir(), "idcenter.db")) })
	if base := os.Getenv("IDCENTER_POSTGRES_URL"); base != "" {
		b.Run("postgres", func(b *testing.B) { benchReports(b, storetest.FreshPostgres(b, base)) })
	}
}

const (
	benchInstances = 200
	benchUsers     = 1000
	benchShared    = 200 // users per instance who are also users of the paired instance
)

func benchReports(b *testing.B, url string) {
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	orgID := seedBench(b, st)
	b.Logf("seeded %d instances of %d users in %v", benchInstances, benchUsers, time.Since(start).Round(time.Millisecond))
	for _, name := range []string{"duplicates", "instances"} {
		b.Run(name, func(b *testing.B) {
			var rows int
			for b.Loop() {
				t, err := report.Run(ctx, st.R(), name, report.Options{OrgID: orgID})
				if err != nil {
					b.Fatal(err)
				}
				rows = len(t.Rows)
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

func seedBench(b *testing.B, st *store.Store) string {
	ctx := context.Background()
	now := time.Now().UTC()
	const orgID, mgmt = "o-benchbench", "100000000000"
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertOrganization(ctx, &store.Organization{ID: orgID, Arn: "arn:aws:organizations::" + mgmt + ":organization/" + orgID,
			ManagementAccountID: mgmt, RootID: "r-bnch", FeatureSet: "ALL", AllowAccountInstances: true, Created: now}); err != nil {
			return err
		}
		for a := 0; a <= benchInstances; a++ {
			id := fmt.Sprintf("%012d", 100000000000+a)
			if err := tx.InsertAccount(ctx, &store.Account{ID: id, Name: "acct" + id, Email: id + "@example.com", OrgID: orgID, ParentID: "r-bnch",
				Status: "ACTIVE", JoinedMethod: "CREATED", Joined: now}); err != nil {
				return err
			}
			if a == 0 {
				continue
			}
			if err := tx.InsertInstance(ctx, &store.Instance{Arn: fmt.Sprintf("arn:aws:sso:::instance/ssoins-%016d", a), IdentityStoreID: fmt.Sprintf("d-%010d", a),
				OwnerAccountID: id, OrgID: orgID, Kind: "ACCOUNT", Status: "ACTIVE", Region: "us-east-1", Created: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for s := 1; s <= benchInstances; s++ {
		err := st.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < benchUsers; i++ {
				person := 1000000 + s*benchUsers + i
				if i < benchShared { // instances 2k+1 and 2k+2 share these people
					person = (s-1)/2*benchShared + i
				}
				name, email := fmt.Sprintf("user%07d", person), fmt.Sprintf("person%07d@example.com", person)
				doc := fmt.Sprintf(`{"IdentityStoreId":"d-%010d","UserId":"u-%d-%d","UserName":"%s","DisplayName":"Person %d","Name":{"GivenName":"Person","FamilyName":"%d"},`+
					`"Emails":[{"Value":"%s","Type":"work","Primary":true}],"UserStatus":"ENABLED","CreatedBy":"arn:aws:iam::%s:root"}`, s, s, i, name, person, person, email, mgmt)
				if err := tx.InsertUser(ctx, &store.User{StoreID: fmt.Sprintf("d-%010d", s), ID: fmt.Sprintf("u-%d-%d", s, i), UserNameKey: name, EmailKey: email,
					Doc: []byte(doc), Created: now, Updated: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return orgID
}
