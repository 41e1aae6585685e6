package loadgen

import (
	"io"
	"net/http"
	"strconv"
)

// baselineBody is the fixed answer of [BaselineHandler].
var baselineBody = []byte(`{"ok":true}`)

// BaselinePath is the path the server is expected to mount
// [BaselineHandler] at (behind a flag).
const BaselinePath = "/__bench/baseline"

// BaselineHandler returns the trivial JSON handler: any POST has its body
// read and discarded and gets 200 with {"ok":true} as
// application/x-amz-json-1.1. Driving it measures what the machine's HTTP
// stack allows, the ceiling real operations are compared with. A GET gets
// the CPU time the serving process has used, {"cpu_ns":N}, and a GET of
// ?memory also what it holds in memory, "memory":{...} (see cpu.go,
// memory.go); other methods get 405.
func BaselineHandler() http.Handler {
	length := strconv.Itoa(len(baselineBody))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		if r.Method == http.MethodGet && writeCPU(w, r) {
			return
		}
		if r.Method != http.MethodPost {
			h["Allow"] = []string{http.MethodPost}
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		h["Content-Type"] = []string{ContentTypeAWSJSON}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(baselineBody)
	})
}

// BaselineScenario drives a [BaselineHandler] mounted at path (usually
// [BaselinePath]) with a small AWS JSON 1.1 request, signed by s when s is
// non-nil so the client does the same work per request as for real
// operations. Its Result is the baseline of [WriteTable].
func BaselineScenario(path string, s *Signer) Scenario {
	req := AWSJSON("Baseline", "Ping", []byte(`{}`))
	req.Path = path
	req.Expect = ExpectStatus(http.StatusOK)
	return FixedScenario("baseline", req, s)
}

// StatusError is an unexpected HTTP status, with the start of the body.
type StatusError struct {
	Status int
	Body   string
}

// Error implements error.
func (e *StatusError) Error() string {
	b := e.Body
	if len(b) > 200 {
		b = b[:200] + "…"
	}
	return "status " + strconv.Itoa(e.Status) + ": " + b
}

// ExpectStatus returns an Expect check accepting only the given status.
func ExpectStatus(want int) func(status int, body []byte) error {
	return func(status int, body []byte) error {
		if status != want {
			return &StatusError{Status: status, Body: string(body)}
		}
		return nil
	}
}
