package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// TestServeDeliversAndAuditVerify: serve --trail-dir writes log files and
// digests (and, with a short --trail-digest-period, digests without log
// files while idle), serve --webhook posts the events its filter selects,
// and `audit verify` passes on the trail, then fails on a changed file and
// on an empty digest removed.
func TestServeDeliversAndAuditVerify(t *testing.T) {
	bin, dir := build(t)
	data, trailDir := filepath.Join(dir, "data"), filepath.Join(dir, "trail")
	var hooked atomic.Int64
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Idcenter-Event-Name") == "ListInstances" && r.Header.Get("Idempotency-Key") != "" {
			hooked.Add(1)
		}
	}))
	defer hook.Close()
	args := dataArgs(t, data)
	cmd, info := serveBinary(t, bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--trail-dir", trailDir, "--trail-interval", "100ms",
		"--trail-digest-period", "200ms", "--delivery-poll", "20ms", "--webhook", hook.URL, "--webhook-events", "sso.amazonaws.com:ListInstances"}, args...)...)
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		}
	}()
	sso := ssoadmin.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(info["url"]), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(info["key"], info["secret"], "")})
	for i := 0; i < 3; i++ {
		if _, err := sso.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	logFiles := func() []string {
		var out []string
		filepath.WalkDir(trailDir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, "_CloudTrail_") {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	// emptyDigests are the digests that list no log files.
	emptyDigests := func() []string {
		var out []string
		filepath.WalkDir(trailDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.Contains(p, "_CloudTrail-Digest_") {
				return nil
			}
			b, _ := os.ReadFile(p)
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				var content bytes.Buffer
				content.ReadFrom(zr)
				if bytes.Contains(content.Bytes(), []byte(`"logFiles":[]`)) {
					out = append(out, p)
				}
			}
			return nil
		})
		return out
	}
	deadline := time.Now().Add(20 * time.Second)
	for hooked.Load() < 3 || len(logFiles()) == 0 || len(emptyDigests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("webhook got %d events, log files %v, empty digests %v", hooked.Load(), logFiles(), emptyDigests())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	stopped = true

	out, err := idc(t, bin, append([]string{"audit", "verify", "--trail-dir", trailDir}, args...)...)
	if err != nil || !strings.Contains(out, " 0 problems") {
		t.Fatalf("verify of an intact trail: %q %v", out, err)
	}
	// Change one event of a log file.
	f := logFiles()[0]
	b, _ := os.ReadFile(f)
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var content bytes.Buffer
	content.ReadFrom(zr)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(bytes.Replace(content.Bytes(), []byte(`"eventName":"`), []byte(`"eventName":"Not`), 1))
	zw.Close()
	os.WriteFile(f, z.Bytes(), 0o644)
	rel, _ := filepath.Rel(trailDir, f)
	out, err = idc(t, bin, append([]string{"audit", "verify", "--trail-dir", trailDir}, args...)...)
	if err == nil || !strings.Contains(out, "changed\t"+filepath.ToSlash(rel)) || !strings.Contains(out, " 1 problems") {
		t.Fatalf("verify of a changed file: %q %v", out, err)
	}
	// Remove a digest that lists no log files.
	empty := emptyDigests()[0]
	os.Remove(empty)
	rel, _ = filepath.Rel(trailDir, empty)
	out, err = idc(t, bin, append([]string{"audit", "verify", "--trail-dir", trailDir}, args...)...)
	if err == nil || !strings.Contains(out, "removed\t"+filepath.ToSlash(rel)) || !strings.Contains(out, " 2 problems") {
		t.Fatalf("verify with an empty digest removed: %q %v", out, err)
	}
}
