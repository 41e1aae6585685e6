package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunPaired alternates a baseline with two scenarios: each scenario's
// result sums its slices and carries the baseline slices run beside it,
// the first result sums every baseline slice, and a worker's requests are
// numbered on across slices (a scenario creating one user per number must
// not repeat one).
func TestRunPaired(t *testing.T) {
	srv := &sigServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", srv.serve)
	mux.Handle("/__cpu", BaselineHandler()) // this process's CPU time: quiet between slices
	srv.Server = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s := testSigner()
	ok := AWSJSON("SWBExternalService", "ListInstances", []byte(`{}`))
	var mu sync.Mutex
	seen := map[[2]uint64]int{} // (worker, seq) of "create", and how often
	create := Scenario{Name: "create", Signer: s, Next: func(w int, seq uint64) Request {
		mu.Lock()
		seen[[2]uint64{uint64(w), seq}]++
		mu.Unlock()
		return ok
	}}
	const rounds = 3
	cfg := Config{BaseURL: srv.URL, Conns: 2, Duration: 300 * time.Millisecond, Warmup: 100 * time.Millisecond, CPUPath: "/__cpu"}
	res := RunPaired(context.Background(), cfg, rounds, FixedScenario("baseline", ok, s), create, opScenario(s))
	if len(res) != 3 || res[0].Scenario != "baseline" || res[1].Scenario != "create" || res[2].Scenario != "ListPermissionSets" {
		t.Fatalf("results %+v", res)
	}
	if srv.badSig.Load() != 0 {
		t.Fatalf("bad signatures: %s", srv.firstBad)
	}
	var bases uint64
	for _, r := range res[1:] {
		if r.Base == nil || r.Base.Requests == 0 || r.Requests == 0 || r.Hist.Count() == 0 {
			t.Fatalf("%s: %+v base %+v", r.Scenario, r, r.Base)
		}
		// Three slices of 100 ms measured each (the warm-up: 25 ms).
		if r.Elapsed != cfg.Duration || r.Base.Elapsed != cfg.Duration {
			t.Fatalf("%s measured %v, its baseline %v", r.Scenario, r.Elapsed, r.Base.Elapsed)
		}
		if want := float64(r.Requests) / r.Elapsed.Seconds(); r.ReqPerSec != want || r.Ratio(r.Base) != r.ReqPerSec/r.Base.ReqPerSec {
			t.Fatalf("%s: %v req/s, want %v", r.Scenario, r.ReqPerSec, want)
		}
		bases += r.Base.Requests
	}
	if res[0].Requests != bases || res[0].Elapsed != 2*cfg.Duration {
		t.Fatalf("overall baseline %d requests in %v, the pairs' %d", res[0].Requests, res[0].Elapsed, bases)
	}
	if e := res[2]; e.Errors == 0 || len(e.ErrorSamples) != DefaultErrorSamples {
		t.Fatalf("errors %d, samples %q", e.Errors, e.ErrorSamples)
	}
	if res[0].ServerCPU <= 0 || res[1].ServerCPU <= 0 {
		t.Fatalf("no CPU time: %v, %v", res[0].ServerCPU, res[1].ServerCPU)
	}
	if measured := res[0].Requests + res[1].Requests + res[2].Requests; int64(measured) >= srv.total.Load() {
		t.Fatalf("warm-ups not excluded: measured %d of %d", measured, srv.total.Load())
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("worker %d made request %d %d times", k[0], k[1], n)
		}
	}

	var buf bytes.Buffer
	if err := WriteTable(&buf, res, &res[0]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if head := strings.Join(strings.Fields(lines[0]), " "); !strings.HasPrefix(head, "scenario requests errors req/s ratio base req/s p50 ms") {
		t.Fatalf("header %q", lines[0])
	}
	f := strings.Fields(lines[2])
	rate := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	want := []string{"create", strconv.FormatUint(res[1].Requests, 10), "0", rate(res[1].ReqPerSec),
		strconv.FormatFloat(res[1].Ratio(res[1].Base), 'f', 3, 64), rate(res[1].Base.ReqPerSec)}
	if strings.Join(f[:6], " ") != strings.Join(want, " ") {
		t.Fatalf("row %q, want it to start %q", f, want)
	}
}

// TestWaitQuiet: waitQuiet polls the server's CPU time until it has used
// less than quietShare of a processor over a poll.
func TestWaitQuiet(t *testing.T) {
	var calls atomic.Int64
	const busy = 3 // answers that show a busy server
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cpu := min(calls.Add(1), busy+1) * int64(time.Second) // a second of CPU between polls while busy
		fmt.Fprintf(w, `{"cpu_ns":%d}`, cpu)
	}))
	defer srv.Close()
	waitQuiet(context.Background(), srv.URL)
	if n := calls.Load(); n != busy+2 {
		t.Fatalf("%d polls, want %d", n, busy+2)
	}
}

// TestRunPairedBaselineAlone: without scenarios the baseline is still
// measured (bench --seed --only Nothing prints the machine's baseline).
func TestRunPairedBaselineAlone(t *testing.T) {
	srv := newSigServer(t, "")
	ok := AWSJSON("SWBExternalService", "ListInstances", []byte(`{}`))
	cfg := Config{BaseURL: srv.URL, Conns: 2, Requests: 50, Warmup: -1}
	res := RunPaired(context.Background(), cfg, 5, FixedScenario("baseline", ok, testSigner()))
	if len(res) != 1 || res[0].Scenario != "baseline" || res[0].Requests != 50 || res[0].Base != nil {
		t.Fatalf("results %+v", res)
	}
}
