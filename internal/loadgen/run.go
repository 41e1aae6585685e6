package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Result holds the figures of one scenario's measured window.
type Result struct {
	Scenario string `json:"scenario"`
	Conns    int    `json:"conns"`
	// Requests counts requests completed in the window, failed ones included.
	Requests uint64 `json:"requests"`
	// Errors counts transport failures, non-2xx answers without an Expect,
	// and failed Expect checks.
	Errors uint64 `json:"errors"`
	// Elapsed is the measured window.
	Elapsed time.Duration `json:"elapsed_ns"`
	// ReqPerSec is Requests / Elapsed.
	ReqPerSec float64 `json:"req_per_sec"`
	// Latencies of the requests that got a response.
	Mean time.Duration `json:"mean_ns"`
	P50  time.Duration `json:"p50_ns"`
	P90  time.Duration `json:"p90_ns"`
	P99  time.Duration `json:"p99_ns"`
	Max  time.Duration `json:"max_ns"`
	// BytesOut and BytesIn count request and response body bytes.
	BytesOut uint64 `json:"bytes_out"`
	BytesIn  uint64 `json:"bytes_in"`
	// ErrorSamples keeps the first few error messages.
	ErrorSamples []string `json:"error_samples,omitempty"`
	// Hist is the merged latency histogram.
	Hist *Histogram `json:"-"`
	// ServerCPU and ClientCPU are the CPU time the server and the load
	// tool used in the measured window, 0 when unknown (Config.CPUPath).
	ServerCPU time.Duration `json:"server_cpu_ns,omitempty"`
	ClientCPU time.Duration `json:"client_cpu_ns,omitempty"`
	// DatabaseCPU is the local PostgreSQL's, 0 when not read
	// (Config.DatabaseCPU).
	DatabaseCPU time.Duration `json:"database_cpu_ns,omitempty"`
	// Base is the baseline measured beside this scenario (RunPaired), to
	// which its ratio is taken; nil after Run.
	Base *Result `json:"-"`
}

// Ratio returns r's throughput as a fraction of base's (0 when unknown).
func (r Result) Ratio(base *Result) float64 {
	if base == nil || base.ReqPerSec == 0 {
		return 0
	}
	return r.ReqPerSec / base.ReqPerSec
}

// Run measures each scenario in turn with cfg (see [Config] for defaults)
// and returns one Result per scenario, in order. A bad BaseURL or a
// scenario without Next yields a Result with the error in ErrorSamples.
// Cancelling ctx stops the run; the scenario in progress reports what it
// measured so far and later ones are skipped.
func Run(ctx context.Context, cfg Config, scenarios ...Scenario) []Result {
	cfg = cfg.withDefaults()
	results := make([]Result, 0, len(scenarios))
	t, err := newTarget(cfg)
	for _, sc := range scenarios {
		if ctx.Err() != nil {
			break
		}
		switch {
		case err != nil:
			results = append(results, failed(sc, cfg, err))
		case sc.Next == nil:
			results = append(results, failed(sc, cfg, errors.New("loadgen: scenario has no Next")))
		default:
			results = append(results, runScenario(ctx, cfg, t, sc, make([]uint64, cfg.Conns)))
		}
	}
	if t != nil {
		t.closeIdle()
	}
	return results
}

// failed returns the Result of a scenario that could not run.
func failed(sc Scenario, cfg Config, err error) Result {
	return Result{Scenario: sc.Name, Conns: cfg.Conns, Errors: 1, ErrorSamples: []string{err.Error()}, Hist: NewHistogram()}
}

// window is the shared timing and stopping state of one scenario.
type window struct {
	warmEnd time.Time     // measuring starts here
	end     time.Time     // duration mode: measuring stops here
	limit   uint64        // count mode: requests to measure (0 = duration mode)
	claimed atomic.Uint64 // count mode: requests handed out
	stop    atomic.Bool   // set when ctx is cancelled
	samples errSamples
}

// errSamples keeps the first few error messages of a scenario.
type errSamples struct {
	mu   sync.Mutex
	max  int
	full atomic.Bool
	msgs []string
}

// add keeps err's message if there is room.
func (e *errSamples) add(err error) {
	if e.full.Load() {
		return
	}
	e.mu.Lock()
	if len(e.msgs) < e.max {
		e.msgs = append(e.msgs, err.Error())
	}
	e.full.Store(len(e.msgs) >= e.max)
	e.mu.Unlock()
}

// workerStats are one worker's private counters, merged after the run.
type workerStats struct {
	hist               *Histogram
	n, errs            uint64
	bytesOut, bytesIn  uint64
	lastEnd, firstSent time.Time
}

// runScenario measures one scenario. Worker i numbers its requests from
// seqs[i] on, and leaves there the number it would have given next.
func runScenario(ctx context.Context, cfg Config, t *target, sc Scenario, seqs []uint64) Result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	w := &window{warmEnd: start.Add(cfg.Warmup), limit: cfg.Requests}
	w.end = w.warmEnd.Add(cfg.Duration)
	w.samples.max = cfg.ErrorSamples

	stats := make([]workerStats, cfg.Conns)
	clients := make([]client, cfg.Conns)
	var wg sync.WaitGroup
	for i := range cfg.Conns {
		clients[i] = t.newClient()
		stats[i].hist = NewHistogram()
		wg.Go(func() { seqs[i] = runWorker(ctx, w, t, sc, i, seqs[i], clients[i], &stats[i]) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	cpu := make(chan [2]cpuSample, 1)
	if cfg.CPUPath != "" {
		go func() {
			cpu <- sampleWindow(ctx, t.base.Scheme+"://"+t.host+t.prefix+cfg.CPUPath, cfg.DatabaseCPU, w, done)
		}()
	} else {
		cpu <- [2]cpuSample{}
	}
	select {
	case <-done:
	case <-ctx.Done():
		w.stop.Store(true)
		for _, c := range clients {
			if rc, ok := c.(*rawClient); ok {
				rc.interrupt()
			}
		}
		<-done
	}
	for _, c := range clients {
		c.close()
	}

	res := Result{Scenario: sc.Name, Conns: cfg.Conns, Hist: NewHistogram()}
	last := w.warmEnd
	for i := range stats {
		s := &stats[i]
		res.Hist.Merge(s.hist)
		res.Requests += s.n
		res.Errors += s.errs
		res.BytesOut += s.bytesOut
		res.BytesIn += s.bytesIn
		if s.lastEnd.After(last) {
			last = s.lastEnd
		}
	}
	switch {
	case w.stop.Load() || w.limit > 0:
		res.Elapsed = max(last.Sub(w.warmEnd), 0)
	default:
		res.Elapsed = cfg.Duration
	}
	if res.Elapsed > 0 {
		res.ReqPerSec = float64(res.Requests) / res.Elapsed.Seconds()
	}
	h := res.Hist
	res.Mean, res.P50, res.P90, res.P99, res.Max = h.Mean(), h.Percentile(50), h.Percentile(90), h.Percentile(99), h.Max()
	res.ErrorSamples = w.samples.msgs
	if c := <-cpu; c[0].ok && c[1].ok {
		res.ServerCPU, res.ClientCPU = c[1].server-c[0].server, c[1].client-c[0].client
		if c[0].dbOK && c[1].dbOK {
			res.DatabaseCPU = c[1].db - c[0].db
		}
	}
	return res
}

// sampleWindow reads the CPU times (sampleCPU, at url) when w's measured
// window starts and when it ends: at its end time, or when the workers are
// done (done closed) in count mode or when stopped.
func sampleWindow(ctx context.Context, url string, db bool, w *window, done <-chan struct{}) [2]cpuSample {
	var s [2]cpuSample
	select {
	case <-time.After(time.Until(w.warmEnd)):
	case <-done:
		return s
	}
	s[0] = sampleCPU(ctx, url, db)
	var end <-chan time.Time
	if w.limit == 0 {
		end = time.After(time.Until(w.end))
	}
	select {
	case <-end:
	case <-done:
	}
	s[1] = sampleCPU(context.WithoutCancel(ctx), url, db)
	return s
}

// workerState is what one worker reuses from request to request.
type workerState struct {
	hdr     http.Header
	hreq    http.Request
	path    string  // Request.Path of the cached URL
	parsed  bool    // url and uri are set
	url     url.URL // parsed prefix+path, pristine
	signURL url.URL // copy handed to the signer (it rewrites RawQuery)
	uri     string  // prefix+path, sent as is when not signing
}

// runWorker is one worker's loop: produce, sign, send, check, record. Its
// requests are numbered from seq on; it returns the next number.
func runWorker(ctx context.Context, w *window, t *target, sc Scenario, id int, seq uint64, c client, st *workerStats) uint64 {
	ws := &workerState{hdr: make(http.Header, 8)}
	for ; ; seq++ {
		if w.stop.Load() {
			return seq
		}
		now := time.Now()
		measured := !now.Before(w.warmEnd)
		if measured {
			if w.limit > 0 {
				if w.claimed.Add(1) > w.limit {
					return seq
				}
			} else if !now.Before(w.end) {
				return seq
			}
		}
		req := sc.Next(id, seq)
		status, body, err := send(ctx, t, c, sc.Signer, ws, &req, now)
		end := time.Now()
		if w.stop.Load() && err != nil {
			return seq + 1 // cancelled mid-request: not a failure of the server
		}
		if !measured || (w.limit == 0 && end.After(w.end)) {
			if err != nil {
				backoff(ctx, err)
			}
			continue
		}
		st.n++
		st.lastEnd = end
		st.bytesOut += uint64(len(req.Body))
		if err != nil {
			st.errs++
			w.samples.add(err)
			backoff(ctx, err)
			continue
		}
		st.hist.Record(end.Sub(now))
		st.bytesIn += uint64(len(body))
		if err = check(&req, status, body); err != nil {
			st.errs++
			w.samples.add(err)
		}
	}
}

// check applies req.Expect, or the default 2xx rule.
func check(req *Request, status int, body []byte) error {
	if req.Expect != nil {
		return req.Expect(status, body)
	}
	if status < 200 || status > 299 {
		return &StatusError{Status: status, Body: string(body)}
	}
	return nil
}

// backoff pauses briefly after a transport error so a dead server does
// not turn the run into a busy loop of failed dials.
func backoff(ctx context.Context, err error) {
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Millisecond):
	}
}

// send prepares (copies headers, signs) and sends one request.
func send(ctx context.Context, t *target, c client, s *Signer, ws *workerState, req *Request, now time.Time) (int, []byte, error) {
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	clear(ws.hdr)
	for k, v := range req.Header {
		if s != nil && signerOwned(k) {
			continue // the signer rewrites these slices in place
		}
		ws.hdr[k] = v
	}
	if !ws.parsed || ws.path != req.Path {
		u, err := url.ParseRequestURI(t.prefix + req.Path)
		if err != nil {
			return 0, nil, fmt.Errorf("loadgen: request path %q: %w", req.Path, err)
		}
		u.Scheme, u.Host = t.base.Scheme, t.host
		ws.url, ws.path, ws.uri, ws.parsed = *u, req.Path, t.prefix+req.Path, true
	}
	uri := ws.uri
	if s != nil {
		ws.signURL = ws.url
		ws.hreq = http.Request{
			Method:        method,
			URL:           &ws.signURL,
			Host:          t.host,
			Header:        ws.hdr,
			ContentLength: int64(len(req.Body)),
		}
		if err := s.Sign(ctx, &ws.hreq, req.Body, req.PayloadHash, now); err != nil {
			return 0, nil, fmt.Errorf("loadgen: sign: %w", err)
		}
		uri = ws.signURL.RequestURI()
	}
	return c.do(ctx, method, uri, ws.hdr, req.Body)
}

// signerOwned reports whether the signer sets header k itself, writing
// into its value slice: such headers from a scenario, which may be
// shared between workers, are dropped before signing.
func signerOwned(k string) bool {
	return k == "Authorization" || k == "X-Amz-Date" || k == "X-Amz-Security-Token"
}
