package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/testenv"
)

// TestSeedResumes: a seeding asked for more memberships than a previous one
// made starts near where that one stopped, when the memberships before are
// the same pairs, and from the start when they are not (more memberships
// per user map indices to other pairs); either way every membership of the
// population exists afterwards.
func TestSeedResumes(t *testing.T) {
	defer func(m int) { resumeMargin = m }(resumeMargin)
	resumeMargin = 4
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.SetBaseline(loadgen.BaselineHandler())
		ctx := context.Background()
		seedTo := func(memberships int) {
			t.Helper()
			if err := bench([]string{"--url", e.URL, "--key", e.Boot.Key.AccessKeyID, "--secret", e.Boot.Key.SecretAccessKey, "--store", e.StoreID(),
				"--conns", "2", "--duration", "1ms", "--only", "Nothing", "--seed",
				"--users", "20", "--groups", "5", "--memberships", strconv.Itoa(memberships)}); err != nil {
				t.Fatal(err)
			}
		}
		pop := func(memberships int) *population {
			t.Helper()
			p := &population{users: 20, groups: 5, memberships: memberships}
			if err := p.resolve(ctx, e.Management(), e.StoreID()); err != nil {
				t.Fatal(err)
			}
			return p
		}
		allExist := func(p *population) {
			t.Helper()
			c := identitystore.NewFromConfig(e.Management())
			for j := 0; j < p.memberships; j++ {
				if !p.hasMembership(ctx, c, e.StoreID(), j) {
					t.Fatalf("membership %d of %d is missing", j, p.memberships)
				}
			}
		}
		seedTo(30) // 2 a user
		allExist(pop(30))
		if from := pop(40).resumeFrom(ctx, e.Management(), e.StoreID()); from != 30-resumeMargin {
			t.Fatalf("40 memberships after 30 resume from %d, want %d", from, 30-resumeMargin)
		}
		seedTo(40)
		allExist(pop(40))
		if from := pop(40).resumeFrom(ctx, e.Management(), e.StoreID()); from != 40 {
			t.Fatalf("40 memberships after 40 resume from %d, want 40 (done)", from)
		}
		if from := pop(60).resumeFrom(ctx, e.Management(), e.StoreID()); from != 0 {
			t.Fatalf("60 memberships (3 a user) after 40 (2 a user) resume from %d, want 0", from)
		}
		seedTo(60)
		allExist(pop(60))
	})
}
