package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/idcenter/idcenter/internal/loadgen"
)

// benchTarget is what the benchmarks (bench, bench access, bench events) take
// from their flags: the server, the key that signs, the identity store and
// (but for bench events) the population seeded in it.
type benchTarget struct {
	url, key, secret, region, storeID string
	conns                             int
	dur                               time.Duration
	seed                              bool
	pop                               population
	only                              string // --only: a prefix of the scenarios to run
	dbCPU                             bool   // --db-cpu
}

// selected keeps the scenarios whose name starts with --only.
func (t *benchTarget) selected(scenarios []loadgen.Scenario) []loadgen.Scenario {
	return slices.DeleteFunc(scenarios, func(sc loadgen.Scenario) bool { return !strings.HasPrefix(sc.Name, t.only) })
}

// addTargetFlags defines the flags that name the server, the key, the
// identity store and the load on fs; whose names the key's owner in the help
// ("" or "management ").
func addTargetFlags(fs *flag.FlagSet, whose string) *benchTarget {
	t := &benchTarget{}
	fs.StringVar(&t.url, "url", "http://127.0.0.1:7426", "server endpoint")
	fs.StringVar(&t.key, "key", "", whose+"access key id")
	fs.StringVar(&t.secret, "secret", "", whose+"secret access key")
	fs.StringVar(&t.region, "region", "us-east-1", "region to sign for")
	fs.StringVar(&t.storeID, "store", "", "identity store id (of the organization instance)")
	fs.IntVar(&t.conns, "conns", 8, "concurrent connections")
	fs.DurationVar(&t.dur, "duration", 5*time.Second, "duration per operation")
	return t
}

// addBenchFlags defines the target flags and those of the seeded population
// on fs; seedWhat is what --seed creates.
func addBenchFlags(fs *flag.FlagSet, whose, seedWhat string) *benchTarget {
	t := addTargetFlags(fs, whose)
	fs.BoolVar(&t.seed, "seed", false, "create the "+seedWhat+" first (resumable)")
	fs.StringVar(&t.only, "only", "", "run only the scenarios (besides the baseline) whose name starts with this")
	fs.BoolVar(&t.dbCPU, "db-cpu", false, "also print the CPU per request of this machine's PostgreSQL processes (db us/req)")
	fs.IntVar(&t.pop.users, "users", 100000, "seeded users")
	fs.IntVar(&t.pop.groups, "groups", 10000, "seeded groups")
	fs.IntVar(&t.pop.memberships, "memberships", 500000, "seeded memberships")
	return t
}

// signer signs as the flags' key for service.
func (t *benchTarget) signer(service string) *loadgen.Signer {
	return loadgen.NewSigner(t.key, t.secret, "", t.region, service)
}

// configs checks the target flags and returns an SDK configuration (retries
// SDK retries; 0 for its default) and the load tool's. The warm-up before
// each scenario is the load tool's default, or --duration if shorter.
func (t *benchTarget) configs(name string, retries int) (aws.Config, loadgen.Config, error) {
	if t.key == "" || t.secret == "" || t.storeID == "" {
		return aws.Config{}, loadgen.Config{}, fmt.Errorf("%s needs --key, --secret and --store (printed by serve)", name)
	}
	sdk := aws.Config{Region: t.region, BaseEndpoint: aws.String(t.url),
		Credentials: credentials.NewStaticCredentialsProvider(t.key, t.secret, ""), RetryMaxAttempts: retries}
	return sdk, loadgen.Config{BaseURL: t.url, Conns: t.conns, Duration: t.dur, Warmup: min(loadgen.DefaultWarmup, t.dur),
		CPUPath: loadgen.BaselinePath, DatabaseCPU: t.dbCPU}, nil
}

// open checks the flags, then seeds the population (--seed) or finds it, and
// returns the configurations of configs.
func (t *benchTarget) open(ctx context.Context, name string, retries int) (aws.Config, loadgen.Config, error) {
	sdk, cfg, err := t.configs(name, retries)
	if err != nil {
		return sdk, cfg, err
	}
	if t.pop.users < 1 || t.pop.groups < t.pop.perUser() {
		return aws.Config{}, loadgen.Config{}, fmt.Errorf("%s needs --users >= 1 and --groups >= memberships per user", name)
	}
	if t.seed {
		err = seed(ctx, cfg, t.signer("identitystore"), sdk, t.storeID, &t.pop)
	} else {
		err = t.pop.resolve(ctx, sdk, t.storeID)
	}
	return sdk, cfg, err
}

// writeServerMemory prints what the server holds in memory now and at its
// peak, as its baseline handler tells; a server that does not say is
// noted, not an error (the figures were measured all the same).
func (t *benchTarget) writeServerMemory(ctx context.Context, w io.Writer) error {
	m, err := loadgen.ServerMemory(ctx, strings.TrimSuffix(t.url, "/")+loadgen.BaselinePath)
	if err != nil {
		_, err = fmt.Fprintf(w, "server memory: unknown (%v)\n", err)
		return err
	}
	return loadgen.WriteMemory(w, "server", m)
}
