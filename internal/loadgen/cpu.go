package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The load tool and the server share the machine, so req/s and its ratio
// to the baseline mix the server's cost with the client's: a slower
// server makes the client wait more, and waiting (parking and waking its
// goroutines) costs the client CPU too. So that a run also says what one
// request costs the server itself, [BaselineHandler] answers a GET with
// the CPU time its process has used so far, and a [Config] with CPUPath
// reads it at the start and at the end of each scenario's measured window,
// with its own: [Result] then holds both, and [WriteTable] prints them per
// request. The server's figure counts all its process's work in the
// window, what it does after answering (the audit trail's writes)
// included; on PostgreSQL the database's processes are not in it, but a
// Config with DatabaseCPU reads theirs too, when they run on this machine.

// cpuAnswer is the JSON of a GET of [BaselineHandler].
type cpuAnswer struct {
	CPUNanos int64   `json:"cpu_ns"`
	Memory   *Memory `json:"memory,omitempty"` // asked for with ?memory, where known (ProcessMemory)
}

// memoryQuery is the query of a GET that asks for the memory too. Only then
// is it read: reading smaps_rollup walks every mapping of the process, work
// a CPU sample (taken in the measured window) has no use for.
const memoryQuery = "memory"

// writeCPU answers r with this process's CPU time (and memory, when r asks
// for it); where the CPU time is unknown it writes nothing and returns false.
func writeCPU(w http.ResponseWriter, r *http.Request) bool {
	cpu, ok := ProcessCPU()
	if !ok {
		return false
	}
	a := cpuAnswer{CPUNanos: int64(cpu)}
	if r.URL.RawQuery == memoryQuery {
		if m, ok := ProcessMemory(); ok {
			a.Memory = &m
		}
	}
	b, _ := json.Marshal(a)
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	_, _ = w.Write(b)
	return true
}

// cpuSample is the CPU time of the server and of this process at one
// instant.
type cpuSample struct {
	server, client, db time.Duration
	ok, dbOK           bool
}

// sampleCPU reads the server's CPU time (GET url) and this process's, and
// with db the local PostgreSQL's.
func sampleCPU(ctx context.Context, url string, db bool) cpuSample {
	a, err := getCPUAnswer(ctx, url)
	if err != nil {
		return cpuSample{}
	}
	s := cpuSample{server: time.Duration(a.CPUNanos)}
	s.client, s.ok = ProcessCPU()
	if db {
		s.db, s.dbOK = LocalPostgresCPU()
	}
	return s
}

// getCPUAnswer GETs the answer of the [BaselineHandler] at url.
func getCPUAnswer(ctx context.Context, url string) (cpuAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var a cpuAnswer
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return a, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<10)).Decode(&a); err != nil {
		return a, fmt.Errorf("GET %s: %w", url, err)
	}
	return a, nil
}

// perRequest is the CPU time d spent on n requests in microseconds per
// request; false when unknown.
func perRequest(d time.Duration, n uint64) (float64, bool) {
	if d <= 0 || n == 0 {
		return 0, false
	}
	return float64(d) / float64(time.Microsecond) / float64(n), true
}

// formatPerRequest is perRequest as the table shows it, "-" when unknown.
func formatPerRequest(d time.Duration, n uint64) string {
	us, ok := perRequest(d, n)
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(us, 'f', 1, 64)
}
