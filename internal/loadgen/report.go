package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteTable prints results as an aligned table: scenario (left
// aligned), then right-aligned requests, errors, req/s, ratio to the
// baseline's req/s ("-" without a baseline), and p50, p90, p99, max in
// milliseconds with two decimals; then, when a result holds CPU times
// (Config.CPUPath), the server's and the load tool's CPU per request in
// microseconds, and the local database's when read (Config.DatabaseCPU).
// Error samples follow the table. A result with a baseline of its own
// (Base, from RunPaired) takes its ratio to that one, shown in a column
// "base req/s" after the ratio.
func WriteTable(w io.Writer, results []Result, baseline *Result) error {
	rows := [][]string{{"scenario", "requests", "errors", "req/s", "ratio", "p50 ms", "p90 ms", "p99 ms", "max ms"}}
	paired := slices.ContainsFunc(results, func(r Result) bool { return r.Base != nil })
	if paired {
		rows[0] = slices.Insert(rows[0], 5, "base req/s")
	}
	cpu := slices.ContainsFunc(results, func(r Result) bool { return r.ServerCPU > 0 })
	db := slices.ContainsFunc(results, func(r Result) bool { return r.DatabaseCPU > 0 })
	if cpu {
		rows[0] = append(rows[0], "server us/req", "client us/req")
	}
	if db {
		rows[0] = append(rows[0], "db us/req")
	}
	for _, r := range results {
		ratio, base := "-", "-"
		if b := r.baseline(baseline); b != nil && b.ReqPerSec > 0 {
			ratio = strconv.FormatFloat(r.Ratio(b), 'f', 3, 64)
			base = strconv.FormatFloat(b.ReqPerSec, 'f', 1, 64)
		}
		row := []string{
			r.Scenario,
			strconv.FormatUint(r.Requests, 10),
			strconv.FormatUint(r.Errors, 10),
			strconv.FormatFloat(r.ReqPerSec, 'f', 1, 64),
			ratio, ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max),
		}
		if paired {
			row = slices.Insert(row, 5, base)
		}
		if cpu {
			row = append(row, formatPerRequest(r.ServerCPU, r.Requests), formatPerRequest(r.ClientCPU, r.Requests))
		}
		if db {
			row = append(row, formatPerRequest(r.DatabaseCPU, r.Requests))
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteByte('\n')
	}
	for _, r := range results {
		for _, s := range r.ErrorSamples {
			fmt.Fprintf(&b, "%s error: %s\n", r.Scenario, s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// baseline is the result r's ratio is taken to: its own (Base) if it has
// one, else the run's.
func (r *Result) baseline(run *Result) *Result {
	if r.Base != nil {
		return r.Base
	}
	return run
}

// ms formats d in milliseconds with two decimals.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// jsonResult is the JSON shape of one Result, in report units.
type jsonResult struct {
	Scenario      string   `json:"scenario"`
	Conns         int      `json:"conns"`
	Requests      uint64   `json:"requests"`
	Errors        uint64   `json:"errors"`
	ElapsedSec    float64  `json:"elapsed_s"`
	ReqPerSec     float64  `json:"req_per_s"`
	Ratio         *float64 `json:"ratio_to_baseline,omitempty"`
	BaseReqPerSec *float64 `json:"baseline_req_per_s,omitempty"`
	MeanMS        float64  `json:"mean_ms"`
	P50MS         float64  `json:"p50_ms"`
	P90MS         float64  `json:"p90_ms"`
	P99MS         float64  `json:"p99_ms"`
	MaxMS         float64  `json:"max_ms"`
	BytesOut      uint64   `json:"bytes_out"`
	BytesIn       uint64   `json:"bytes_in"`
	ErrorSamples  []string `json:"error_samples,omitempty"`
	ServerCPUUS   *float64 `json:"server_cpu_us_per_req,omitempty"`
	ClientCPUUS   *float64 `json:"client_cpu_us_per_req,omitempty"`
	DatabaseUS    *float64 `json:"database_cpu_us_per_req,omitempty"`
}

// WriteJSON writes results as an indented JSON array, durations in
// milliseconds, with ratio_to_baseline and baseline_req_per_s when there is
// a baseline (the result's own, Base, or else the given one).
func WriteJSON(w io.Writer, results []Result, baseline *Result) error {
	out := make([]jsonResult, len(results))
	f := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	for i, r := range results {
		out[i] = jsonResult{
			Scenario: r.Scenario, Conns: r.Conns, Requests: r.Requests, Errors: r.Errors,
			ElapsedSec: r.Elapsed.Seconds(), ReqPerSec: r.ReqPerSec,
			MeanMS: f(r.Mean), P50MS: f(r.P50), P90MS: f(r.P90), P99MS: f(r.P99), MaxMS: f(r.Max),
			BytesOut: r.BytesOut, BytesIn: r.BytesIn, ErrorSamples: r.ErrorSamples,
		}
		if b := r.baseline(baseline); b != nil && b.ReqPerSec > 0 {
			ratio, base := r.Ratio(b), b.ReqPerSec
			out[i].Ratio, out[i].BaseReqPerSec = &ratio, &base
		}
		if srv, ok := perRequest(r.ServerCPU, r.Requests); ok {
			cli, _ := perRequest(r.ClientCPU, r.Requests)
			out[i].ServerCPUUS, out[i].ClientCPUUS = &srv, &cli
		}
		if db, ok := perRequest(r.DatabaseCPU, r.Requests); ok {
			out[i].DatabaseUS = &db
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
