package loadgen

import (
	"context"
	"time"
)

// RunPaired measures each scenario against the baseline scenario in
// alternating slices: for each scenario in turn, rounds times the baseline
// for Duration/rounds and then the scenario for as long (each slice after a
// warm-up of its own, at most a quarter of the slice, and once the server
// is quiet: see waitQuiet; slices run by duration, whatever cfg.Requests).
// Each scenario's Result is the sum of its slices and has Base set to the
// sum of the baseline slices run beside it; the first Result is the
// baseline's over the whole run.
//
// Why: on a shared virtual machine the speed of the same binary drifts by
// a third within minutes. Measured once at the start of a run, the
// baseline was taken at another speed than the scenarios after it, and the
// ratio of one scenario moved from 0.27 to 0.39 between two runs of the
// same binary. Measured beside each scenario, over the same minutes, the
// baseline drifts with it. Without scenarios the baseline is measured
// alone, as Run does.
func RunPaired(ctx context.Context, cfg Config, rounds int, baseline Scenario, scenarios ...Scenario) []Result {
	if len(scenarios) == 0 { // nothing to pair: the baseline alone, as Run measures it
		return Run(ctx, cfg, baseline)
	}
	cfg = cfg.withDefaults()
	rounds = max(rounds, 1)
	slice := cfg
	slice.Duration = max(cfg.Duration/time.Duration(rounds), time.Millisecond)
	slice.Warmup = min(cfg.Warmup, slice.Duration/4)
	slice.Requests = 0
	t, err := newTarget(cfg)
	cpuURL := ""
	if err == nil && cfg.CPUPath != "" {
		cpuURL = t.base.Scheme + "://" + t.host + t.prefix + cfg.CPUPath
	}
	results := []Result{{Scenario: baseline.Name, Conns: cfg.Conns, Hist: NewHistogram()}} // the overall baseline
	baseSeqs := make([]uint64, cfg.Conns)
	for _, sc := range scenarios {
		if ctx.Err() != nil {
			break
		}
		if err != nil || sc.Next == nil || baseline.Next == nil {
			results = append(results, Run(ctx, cfg, sc)...) // reports why it cannot run
			continue
		}
		base := Result{Scenario: baseline.Name, Conns: cfg.Conns, Hist: NewHistogram()}
		res := Result{Scenario: sc.Name, Conns: cfg.Conns, Hist: NewHistogram()}
		seqs := make([]uint64, cfg.Conns)
		for r := 0; r < rounds && ctx.Err() == nil; r++ {
			waitQuiet(ctx, cpuURL)
			b := runScenario(ctx, slice, t, baseline, baseSeqs)
			base.add(b, cfg.ErrorSamples)
			results[0].add(b, cfg.ErrorSamples)
			waitQuiet(ctx, cpuURL)
			res.add(runScenario(ctx, slice, t, sc, seqs), cfg.ErrorSamples)
		}
		res.Base = &base
		results = append(results, res)
	}
	if t != nil {
		t.closeIdle()
	}
	return results
}

// add sums o (a slice of the same scenario) into r, keeping at most
// maxSamples error samples.
func (r *Result) add(o Result, maxSamples int) {
	r.Requests += o.Requests
	r.Errors += o.Errors
	r.Elapsed += o.Elapsed
	r.BytesOut += o.BytesOut
	r.BytesIn += o.BytesIn
	r.ServerCPU += o.ServerCPU
	r.ClientCPU += o.ClientCPU
	r.DatabaseCPU += o.DatabaseCPU
	for _, s := range o.ErrorSamples {
		if len(r.ErrorSamples) < maxSamples {
			r.ErrorSamples = append(r.ErrorSamples, s)
		}
	}
	if o.Hist != nil {
		r.Hist.Merge(o.Hist)
	}
	r.ReqPerSec = 0
	if r.Elapsed > 0 {
		r.ReqPerSec = float64(r.Requests) / r.Elapsed.Seconds()
	}
	h := r.Hist
	r.Mean, r.P50, r.P90, r.P99, r.Max = h.Mean(), h.Percentile(50), h.Percentile(90), h.Percentile(99), h.Max()
}

// Quiet server: before each slice RunPaired waits until the server has
// used less than quietShare of a processor over a quietPoll, for quietMax
// at the most: the audit trail stores the previous slice's events for a
// while after its last call (its batch delay, then the store), which a
// baseline slice must not pay for. Without the server's CPU time
// (Config.CPUPath) it waits quietPause.
const (
	quietPoll  = 50 * time.Millisecond
	quietShare = 0.05
	quietMax   = 5 * time.Second
	quietPause = time.Second
)

// waitQuiet waits until the server at cpuURL is quiet (see above).
func waitQuiet(ctx context.Context, cpuURL string) {
	if cpuURL == "" {
		sleepCtx(ctx, quietPause)
		return
	}
	deadline := time.Now().Add(quietMax)
	prev := sampleCPU(ctx, cpuURL, false)
	for prev.ok && time.Now().Before(deadline) && ctx.Err() == nil {
		start := time.Now()
		sleepCtx(ctx, quietPoll)
		cur := sampleCPU(ctx, cpuURL, false)
		if !cur.ok || float64(cur.server-prev.server) < quietShare*float64(time.Since(start)) {
			return
		}
		prev = cur
	}
}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
