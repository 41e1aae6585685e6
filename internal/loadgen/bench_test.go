package loadgen

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time.
func cpuTime() time.Duration {
	d, _ := ProcessCPU()
	return d
}

// BenchmarkClientLoop drives the baseline handler (in-process, over
// loopback) with b.N signed requests per sub-benchmark and reports req/s
// and the whole process's CPU per request: the server side is the same
// for every client kind, so the difference between kinds is client cost.
func BenchmarkClientLoop(b *testing.B) {
	srv := httptest.NewServer(BaselineHandler())
	b.Cleanup(srv.Close)
	for _, kind := range []ClientKind{ClientRaw, ClientStd} {
		for _, signed := range []bool{true, false} {
			for _, conns := range []int{2, 8, 32} {
				var s *Signer
				if signed {
					s = testSigner()
				}
				name := string(kind) + "/signed=" + strconv.FormatBool(signed) + "/conns=" + strconv.Itoa(conns)
				b.Run(name, func(b *testing.B) {
					cfg := Config{BaseURL: srv.URL, Conns: conns, Requests: uint64(b.N), Warmup: -1, Client: kind}
					sc := BaselineScenario("/", s)
					cpu0 := cpuTime()
					b.ResetTimer()
					res := Run(context.Background(), cfg, sc)[0]
					b.StopTimer()
					if res.Errors != 0 {
						b.Fatalf("errors: %q", res.ErrorSamples)
					}
					b.ReportMetric(res.ReqPerSec, "req/s")
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
				})
			}
		}
	}
}
