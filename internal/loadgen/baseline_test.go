package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestBaselineHandler checks the fixed answer and the method rule.
func TestBaselineHandler(t *testing.T) {
	srv := httptest.NewServer(BaselineHandler())
	t.Cleanup(srv.Close)
	resp, err := http.Post(srv.URL+BaselinePath, ContentTypeAWSJSON, strings.NewReader(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"ok":true}` || resp.Header.Get("Content-Type") != ContentTypeAWSJSON {
		t.Fatalf("%d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var cpu cpuAnswer
	err = json.NewDecoder(resp.Body).Decode(&cpu)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || cpu.CPUNanos <= 0 {
		t.Fatalf("GET: %d %+v %v", resp.StatusCode, cpu, err)
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL, nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
}

// TestCPUPerRequest: with CPUPath a run reads the CPU times of the server
// (here this process, which serves too) over the measured window, and the
// table shows them per request; without, it shows no such columns.
func TestCPUPerRequest(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(BaselinePath, BaselineHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	for _, path := range []string{BaselinePath, ""} {
		cfg := Config{BaseURL: srv.URL, Conns: 2, Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond, CPUPath: path}
		res := Run(context.Background(), cfg, BaselineScenario(BaselinePath, testSigner()))
		r := res[0]
		var buf bytes.Buffer
		if err := WriteTable(&buf, res, &res[0]); err != nil {
			t.Fatal(err)
		}
		head := strings.SplitN(buf.String(), "\n", 2)[0]
		if path == "" {
			if r.ServerCPU != 0 || r.ClientCPU != 0 || strings.Contains(head, "us/req") {
				t.Fatalf("no CPUPath: %v %v %q", r.ServerCPU, r.ClientCPU, head)
			}
			continue
		}
		// The window is 300 ms of two busy workers on the same process:
		// both figures are its CPU time over the window, read at
		// slightly different instants.
		if r.Requests == 0 || r.ServerCPU <= 0 || r.ClientCPU <= 0 || r.ServerCPU > 2*time.Second {
			t.Fatalf("%d requests, server %v, client %v", r.Requests, r.ServerCPU, r.ClientCPU)
		}
		if !strings.HasSuffix(head, "server us/req  client us/req") {
			t.Fatalf("header %q", head)
		}
	}
}

// TestBaselineScenario drives the handler with signed requests and checks
// ratios are reported against it.
func TestBaselineScenario(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(BaselinePath, BaselineHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := Config{BaseURL: srv.URL, Conns: 2, Requests: 50, Warmup: -1}
	res := Run(context.Background(), cfg, BaselineScenario(BaselinePath, testSigner()))
	if res[0].Requests != 50 || res[0].Errors != 0 || res[0].Ratio(&res[0]) != 1 {
		t.Fatalf("%+v", res[0])
	}
}

// TestDeadServer checks connection failures count as errors.
func TestDeadServer(t *testing.T) {
	srv := httptest.NewServer(BaselineHandler())
	url := srv.URL
	srv.Close()
	res := Run(context.Background(), Config{BaseURL: url, Conns: 1, Requests: 3, Warmup: -1}, BaselineScenario("/", nil))
	if res[0].Requests != 3 || res[0].Errors != 3 || len(res[0].ErrorSamples) != 3 {
		t.Fatalf("%+v", res[0])
	}
}

// TestServerMemory reads a BaselineHandler's memory, as bench prints it.
func TestServerMemory(t *testing.T) {
	srv := httptest.NewServer(BaselineHandler())
	defer srv.Close()
	m, err := ServerMemory(context.Background(), srv.URL)
	if _, onLinux := ProcessMemory(); !onLinux {
		if err == nil {
			t.Fatalf("memory %+v where /proc is not", m)
		}
		t.Skip("no /proc here")
	}
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.PeakRSS < m.RSS || m.Anon <= 0 || m.Anon+m.File > m.RSS+m.RSS/10 || m.PSS > m.RSS+m.RSS/10 || m.PSSFile > m.PSS {
		t.Fatalf("implausible memory: %+v", m)
	}
	var b strings.Builder
	if err := WriteMemory(&b, "server", m); err != nil || !strings.HasPrefix(b.String(), "server memory now: proportional set size ") {
		t.Fatalf("%q %v", b.String(), err)
	}
}

// TestParseStatus reads the lines it needs of a /proc/PID/status file and
// refuses one that lacks them.
func TestParseStatus(t *testing.T) {
	status := "Name:\tidcenter\nVmHWM:\t  413912 kB\nVmRSS:\t  400000 kB\nRssAnon:\t   80416 kB\nRssFile:\t  319584 kB\nRssShmem:\t       0 kB\n"
	if got := kBLine([]byte("Rss:  400 kB\nPss:  150 kB\nPss_File:  90 kB\n"), "Pss"); got != 150<<10 {
		t.Fatalf("Pss %d", got)
	}
	m, ok := parseStatus([]byte(status))
	if want := (Memory{PeakRSS: 413912 << 10, RSS: 400000 << 10, Anon: 80416 << 10, File: 319584 << 10}); !ok || m != want {
		t.Fatalf("%+v %v, want %+v", m, ok, want)
	}
	if _, ok := parseStatus([]byte("Name:\tx\nVmRSS:\t1 kB\n")); ok {
		t.Fatal("a status without VmHWM, RssAnon and RssFile was read")
	}
}
