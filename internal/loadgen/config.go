package loadgen

import (
	"net/http"
	"time"
)

// ClientKind selects the HTTP client implementation used by the workers.
type ClientKind string

// The client implementations.
const (
	// ClientRaw is a minimal HTTP/1.1 client over net.Conn: one connection
	// per worker, request written from a reused buffer, response parsed in
	// place. It is the default for http:// base URLs.
	ClientRaw ClientKind = "raw"
	// ClientStd uses net/http with a Transport tuned for the run
	// (MaxIdleConnsPerHost = Conns). It is always used for https://.
	ClientStd ClientKind = "std"
)

// Defaults applied by [Config.withDefaults] to zero fields.
const (
	DefaultConns        = 8
	DefaultDuration     = 10 * time.Second
	DefaultWarmup       = time.Second
	DefaultTimeout      = 10 * time.Second
	DefaultErrorSamples = 5
)

// Config says how hard and how long to drive the server.
type Config struct {
	// BaseURL is the server's root, e.g. "http://127.0.0.1:8080". A path in
	// it is prefixed to every [Request.Path].
	BaseURL string
	// Conns is the number of concurrent workers, each with its own
	// keep-alive connection.
	Conns int
	// Duration is how long each scenario is measured, after Warmup. It is
	// ignored when Requests is set.
	Duration time.Duration
	// Warmup is run before measuring each scenario; its requests are not
	// counted. A negative value disables it.
	Warmup time.Duration
	// Requests, when non-zero, measures exactly this many requests per
	// scenario (after Warmup) instead of running for Duration.
	Requests uint64
	// Timeout bounds one request (write and response).
	Timeout time.Duration
	// Client selects the client implementation; empty means [ClientRaw]
	// (or [ClientStd] for https).
	Client ClientKind
	// ErrorSamples is how many error messages each Result keeps.
	ErrorSamples int
	// CPUPath, when set, is where the server answers a GET with the CPU
	// time it has used (a [BaselineHandler], at [BaselinePath]): each
	// Result then also holds the CPU time the server and this process
	// used in its measured window (cpu.go).
	CPUPath string
	// DatabaseCPU, with CPUPath, also reads the CPU time of this machine's
	// PostgreSQL (LocalPostgresCPU) in each measured window: what a
	// request costs the database, when the server runs on one here.
	DatabaseCPU bool
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Conns <= 0 {
		c.Conns = DefaultConns
	}
	if c.Duration <= 0 {
		c.Duration = DefaultDuration
	}
	if c.Warmup == 0 {
		c.Warmup = DefaultWarmup
	} else if c.Warmup < 0 {
		c.Warmup = 0
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Client == "" {
		c.Client = ClientRaw
	}
	if c.ErrorSamples <= 0 {
		c.ErrorSamples = DefaultErrorSamples
	}
	return c
}

// Request is one HTTP request a scenario asks for.
type Request struct {
	// Method is the HTTP method; empty means POST.
	Method string
	// Path is appended to the base URL's path; it may carry a query.
	Path string
	// Header holds extra request headers. It is copied before signing, so
	// a scenario may return the same map for every request.
	Header http.Header
	// Body is the request body; it must not be modified while in use.
	Body []byte
	// PayloadHash is the hex SHA-256 of Body for SigV4. Leave it empty to
	// have the signer hash the body per request; set it (see [HashPayload],
	// [FixedScenario]) when the body is the same for every request.
	PayloadHash string
	// Expect checks a response. A non-nil error counts the request as
	// failed. body is only valid during the call. A nil Expect accepts
	// any 2xx status.
	Expect func(status int, body []byte) error
}

// Scenario describes one operation to drive.
type Scenario struct {
	// Name labels the scenario in reports.
	Name string
	// Next produces the request a worker sends next. worker is in
	// [0, Conns); seq counts that worker's requests from 0 (warm-up
	// included), so (worker, seq) is unique within a scenario. Next is
	// called concurrently from all workers.
	Next func(worker int, seq uint64) Request
	// Signer, when set, signs every request with SigV4 just before it is
	// sent, inside the timed section.
	Signer *Signer
}

// FixedScenario returns a scenario that sends req every time, with its
// payload hash computed once up front.
func FixedScenario(name string, req Request, s *Signer) Scenario {
	if req.PayloadHash == "" && s != nil {
		req.PayloadHash = HashPayload(req.Body)
	}
	return Scenario{
		Name:   name,
		Signer: s,
		Next:   func(int, uint64) Request { return req },
	}
}
