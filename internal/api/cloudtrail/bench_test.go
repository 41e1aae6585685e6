package cloudtrail_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/testenv"
)

// BenchmarkAuditedCalls measures signed identitystore calls over HTTP on
// SQLite with the audit trail recording them (audit=true) and not (false):
// DescribeUser (a read: its event is queued and stored in batches) and
// CreateUser (a write: its event is stored in the write's transaction, then
// completed in a batch); by 16 clients at once (throughput) and by one
// (latency: p50-ns and p99-ns are what the client saw; ns/op also counts
// storing the events, which ends with the benchmark's Flush).
//
//	go test -run '^$' -bench AuditedCalls -benchtime 3s ./internal/api/cloudtrail/
//
// With IDCENTER_POSTGRES_URL set it runs on PostgreSQL too (backend=postgres).
func BenchmarkAuditedCalls(b *testing.B) {
	for _, backend := range testenv.BackendNames() {
		for _, op := range []string{"DescribeUser", "CreateUser"} {
			for _, clients := range []int{16, 1} {
				for _, on := range []bool{false, true} {
					benchCall(b, backend, op, clients, on)
				}
			}
		}
	}
}

func benchCall(b *testing.B, backend, op string, clients int, on bool) {
	b.Run(fmt.Sprintf("%s/%s/clients=%d/audit=%v", backend, op, clients, on), func(b *testing.B) {
		e, call := auditedServer(b, backend, op, on)
		b.ResetTimer()
		cpu0 := cpuTime()
		var took []time.Duration // each call's latency, one client
		if clients == 1 {
			took = make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				call()
				took = append(took, time.Since(t0))
			}
		} else {
			b.SetParallelism(clients / runtime.GOMAXPROCS(0))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					call()
				}
			})
		}
		if on {
			e.Server.Audit.Flush() // the events' storing is part of the cost
		}
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		if len(took) > 0 {
			// The latency a client sees, without the events' storing that
			// follows in the background (ns/op counts it, up to Flush).
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2]), "p50-ns")
			b.ReportMetric(float64(took[len(took)*99/100]), "p99-ns")
		}
		b.StopTimer()
		if on {
			checkEvents(b, e, b.N)
		}
	})
}

// BenchmarkRecordingCost measures what recording adds to a write's latency
// (issue 4's "under 10%"): one client calls CreateUser on two servers, one
// recording its calls and one not, in alternate blocks
// (testenv.PairedLatency).
//
//	go test -run '^$' -bench RecordingCost -benchtime 10000x ./internal/api/cloudtrail/
func BenchmarkRecordingCost(b *testing.B) {
	for _, backend := range testenv.BackendNames() {
		b.Run(backend, func(b *testing.B) {
			eOn, on := auditedServer(b, backend, "CreateUser", true)
			_, off := auditedServer(b, backend, "CreateUser", false)
			testenv.PairedLatency(b, off, on)
			checkEvents(b, eOn, b.N/2)
		})
	}
}

// auditedServer starts a server on backend, recording its calls or not,
// and returns it with a function making one signed call of op over HTTP
// (CreateUser creates a new user each time).
func auditedServer(b *testing.B, backend, op string, on bool) (*testenv.Env, func()) {
	e := testenv.StartOn(b, backend)
	b.Cleanup(e.Server.Close)
	if !on {
		e.Server.JSON.Begin, e.Server.JSON.Observe = nil, nil
	}
	u, err := createUser(identitystore.NewFromConfig(e.Management()), e.StoreID(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	return e, e.SignedCall(b, e.Boot.Key, "identitystore", "AWSIdentityStore."+op, func() []byte {
		if op == "DescribeUser" {
			return []byte(fmt.Sprintf(`{"IdentityStoreId":%q,"UserId":%q}`, e.StoreID(), aws.ToString(u.UserId)))
		}
		name := fmt.Sprintf("u%d", n.Add(1))
		return []byte(fmt.Sprintf(`{"IdentityStoreId":%q,"UserName":%q,"DisplayName":%q,"Name":{"GivenName":"G","FamilyName":"F"}}`, e.StoreID(), name, name))
	})
}

// checkEvents fails b unless e recorded at least n events.
func checkEvents(b *testing.B, e *testenv.Env, n int) {
	e.Server.Audit.Flush()
	if got, _ := e.Store.R().CountAuditEvents(ctx); got < int64(n) {
		b.Fatalf("%d events for %d calls", got, n)
	}
}

// cpuTime is the CPU time (user and system) the process has used, in
// nanoseconds: less disturbed than wall time by other processes sharing the
// machine.
func cpuTime() int64 {
	d, _ := loadgen.ProcessCPU()
	return int64(d)
}
