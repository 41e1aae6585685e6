package loadgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// sampleResults returns two fixed results, the first a baseline.
func sampleResults() []Result {
	return []Result{
		{Scenario: "baseline", Requests: 100000, ReqPerSec: 20000, P50: 150 * time.Microsecond,
			P90: 300 * time.Microsecond, P99: 1200 * time.Microsecond, Max: 15 * time.Millisecond},
		{Scenario: "ListPermissionSets", Requests: 5000, Errors: 3, ReqPerSec: 5000, P50: 2 * time.Millisecond,
			P90: 3500 * time.Microsecond, P99: 12 * time.Millisecond, Max: 1234567 * time.Microsecond,
			ErrorSamples: []string{"status 400: {}"}},
	}
}

// TestWriteTableShape checks columns, alignment and formatting.
func TestWriteTableShape(t *testing.T) {
	res := sampleResults()
	var buf bytes.Buffer
	if err := WriteTable(&buf, res, &res[0]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	head := strings.Fields(lines[0])
	if strings.Join(head, " ") != "scenario requests errors req/s ratio p50 ms p90 ms p99 ms max ms" {
		t.Fatalf("header %q", lines[0])
	}
	if len(lines[0]) != len(lines[1]) || len(lines[1]) != len(lines[2]) {
		t.Fatalf("rows not aligned:\n%s", buf.String())
	}
	want := [][]string{
		{"baseline", "100000", "0", "20000.0", "1.000", "0.15", "0.30", "1.20", "15.00"},
		{"ListPermissionSets", "5000", "3", "5000.0", "0.250", "2.00", "3.50", "12.00", "1234.57"},
	}
	for i, w := range want {
		if got := strings.Fields(lines[i+1]); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q, want %q", i, got, w)
		}
	}
	if !strings.HasPrefix(lines[3], "ListPermissionSets error: status 400") {
		t.Errorf("error sample line %q", lines[3])
	}
	buf.Reset()
	_ = WriteTable(&buf, res[1:], nil)
	if f := strings.Fields(strings.Split(buf.String(), "\n")[1]); f[4] != "-" {
		t.Errorf("ratio without baseline = %q", f[4])
	}
}

// TestWriteJSON checks the JSON report round-trips with ms units.
func TestWriteJSON(t *testing.T) {
	res := sampleResults()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res, &res[0]); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1]["scenario"] != "ListPermissionSets" || out[1]["p50_ms"] != 2.0 ||
		out[1]["ratio_to_baseline"] != 0.25 || out[1]["errors"] != 3.0 {
		t.Fatalf("json %s", buf.String())
	}
}

// TestWriteTableDatabaseCPU: results that hold the local database's CPU
// time get a column of it per request after the server's and the load
// tool's ("-" where unknown), and a member in the JSON.
func TestWriteTableDatabaseCPU(t *testing.T) {
	res := sampleResults()
	res[0].ServerCPU, res[0].ClientCPU = 2*time.Second, time.Second
	res[1].ServerCPU, res[1].ClientCPU, res[1].DatabaseCPU = time.Second, time.Second/2, time.Second
	var buf bytes.Buffer
	if err := WriteTable(&buf, res, &res[0]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if !strings.HasSuffix(lines[0], "server us/req  client us/req  db us/req") {
		t.Fatalf("header %q", lines[0])
	}
	for i, want := range []string{"20.0 10.0 -", "200.0 100.0 200.0"} {
		if f := strings.Fields(lines[i+1]); strings.Join(f[len(f)-3:], " ") != want {
			t.Errorf("row %d ends %q, want %q", i, f[len(f)-3:], want)
		}
	}
	buf.Reset()
	if err := WriteJSON(&buf, res, &res[0]); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"database_cpu_us_per_req": 200`); n != 1 {
		t.Fatalf("database_cpu_us_per_req %d times:\n%s", n, buf.String())
	}
}
