package testenv

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/org"
)

// PairedLatency measures what a change adds to a call's latency: it makes
// b.N calls, alternating between off and on in blocks of 50 (so that both
// see the same disturbances of a shared machine; separate runs differed by
// 40% from one to the next), and reports each one's median and p99 and the
// overhead of on's median over off's.
func PairedLatency(b *testing.B, off, on func()) {
	const block = 50
	var took [2][]time.Duration
	calls := [2]func(){off, on}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i / block % 2
		t0 := time.Now()
		calls[k]()
		took[k] = append(took[k], time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(took[0])
	slices.Sort(took[1])
	p := func(k, pct int) float64 {
		if len(took[k]) == 0 {
			return 0
		}
		return float64(took[k][len(took[k])*pct/100])
	}
	b.ReportMetric(p(0, 50), "p50-off-ns")
	b.ReportMetric(p(1, 50), "p50-on-ns")
	b.ReportMetric(p(0, 99), "p99-off-ns")
	b.ReportMetric(p(1, 99), "p99-on-ns")
	if p(0, 50) > 0 {
		b.ReportMetric(100*(p(1, 50)/p(0, 50)-1), "overhead-%")
	}
}

// SignedCall returns a function that makes one call of a JSON 1.1 operation
// (target "AWSIdentityStore.DescribeUser") with key's credentials, signed
// with SigV4, over plain HTTP (no SDK in between, whose own time would
// dilute what is measured), and fails b unless it succeeds. body gives each
// call's request.
func (e *Env) SignedCall(b testing.TB, key *org.Key, service, target string, body func() []byte) func() {
	signer := loadgen.NewSigner(key.AccessKeyID, key.SecretAccessKey, key.SessionToken, Region, service)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	hc := &http.Client{Transport: tr}
	b.Cleanup(tr.CloseIdleConnections)
	return func() {
		bd := body()
		req, _ := http.NewRequest("POST", e.URL+"/", bytes.NewReader(bd))
		req.Header.Set("Content-Type", loadgen.ContentTypeAWSJSON)
		req.Header.Set("X-Amz-Target", target)
		if err := signer.Sign(context.Background(), req, bd, "", time.Now()); err != nil {
			b.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: status %d: %s", target, resp.StatusCode, msg)
		}
	}
}
