package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAK, testSK, testTok = "AKIDLOADGEN", "secretsecret", "tok3n"
	testRegion, testService = "us-east-1", "sso"
)

// sigServer is a test server that re-signs every request with the test
// credentials and checks the client's SigV4 headers match; requests with
// "fail" in the body get 400.
type sigServer struct {
	*httptest.Server
	total, fails, badSig atomic.Int64
	mu                   sync.Mutex
	firstBad             string
}

// newSigServer starts a sigServer on 127.0.0.1, mounted under prefix.
func newSigServer(t *testing.T, prefix string) *sigServer {
	s := &sigServer{}
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/", s.serve)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// serve checks the signature and answers.
func (s *sigServer) serve(w http.ResponseWriter, r *http.Request) {
	s.total.Add(1)
	body, _ := io.ReadAll(r.Body)
	if err := verifySig(r, body); err != nil {
		s.badSig.Add(1)
		s.mu.Lock()
		if s.firstBad == "" {
			s.firstBad = err.Error()
		}
		s.mu.Unlock()
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", ContentTypeAWSJSON)
	if strings.Contains(string(body), "fail") {
		s.fails.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"ValidationException"}`)
		return
	}
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// verifySig recomputes the SigV4 signature of r server-side.
func verifySig(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+testAK+"/") {
		return fmt.Errorf("authorization %q", auth)
	}
	if r.Header.Get("X-Amz-Security-Token") != testTok {
		return errors.New("no session token")
	}
	if r.Header.Get("X-Amz-Target") == "" || r.Header.Get("Content-Type") != ContentTypeAWSJSON {
		return errors.New("no AWS JSON headers")
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	u, _ := url.Parse(r.URL.RequestURI())
	u.Scheme, u.Host = "http", r.Host
	check := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: http.Header{}, ContentLength: int64(len(body))}
	for k, v := range r.Header {
		if k != "Authorization" && k != "Content-Length" && k != "User-Agent" && k != "Accept-Encoding" {
			check.Header[k] = v
		}
	}
	creds := aws.Credentials{AccessKeyID: testAK, SecretAccessKey: testSK, SessionToken: testTok}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, check, HashPayload(body), testService, testRegion, when); err != nil {
		return err
	}
	if got := check.Header.Get("Authorization"); got != auth {
		return fmt.Errorf("signature mismatch:\n got  %s\n want %s", auth, got)
	}
	return nil
}

// testSigner returns the signer matching sigServer.
func testSigner() *Signer { return NewSigner(testAK, testSK, testTok, testRegion, testService) }

// opScenario sends AWS JSON requests, every seventh of each worker failing.
func opScenario(s *Signer) Scenario {
	hdrBody := []byte(`{"InstanceArn":"arn:aws:sso:::instance/ssoins-1"}`)
	return Scenario{
		Name:   "ListPermissionSets",
		Signer: s,
		Next: func(worker int, seq uint64) Request {
			body := hdrBody
			if seq%7 == 3 {
				body = []byte(`{"fail":true}`)
			}
			return AWSJSON("SWBExternalService", "ListPermissionSets", body)
		},
	}
}

// TestRunCountsRequestsAndErrors runs a fixed number of signed requests
// with both clients and checks the figures against the server's counts.
func TestRunCountsRequestsAndErrors(t *testing.T) {
	for _, kind := range []ClientKind{ClientRaw, ClientStd} {
		t.Run(string(kind), func(t *testing.T) {
			srv := newSigServer(t, "/api")
			cfg := Config{BaseURL: srv.URL + "/api", Conns: 4, Requests: 200, Warmup: -1, Client: kind}
			res := Run(context.Background(), cfg, opScenario(testSigner()))
			if len(res) != 1 {
				t.Fatalf("%d results", len(res))
			}
			r := res[0]
			if srv.badSig.Load() != 0 {
				t.Fatalf("%d bad signatures, first: %s", srv.badSig.Load(), srv.firstBad)
			}
			if r.Requests != 200 || srv.total.Load() != 200 {
				t.Fatalf("requests %d, server saw %d", r.Requests, srv.total.Load())
			}
			if r.Errors != uint64(srv.fails.Load()) || r.Errors == 0 {
				t.Fatalf("errors %d, server failed %d", r.Errors, srv.fails.Load())
			}
			if len(r.ErrorSamples) != DefaultErrorSamples || !strings.Contains(r.ErrorSamples[0], "status 400") {
				t.Fatalf("samples %q", r.ErrorSamples)
			}
			if r.Hist.Count() != 200 || r.P50 <= 0 || r.P99 < r.P50 || r.Max < r.P99 || r.ReqPerSec <= 0 {
				t.Fatalf("bad figures %+v", r)
			}
			if r.BytesIn == 0 || r.BytesOut == 0 {
				t.Fatalf("bytes in %d out %d", r.BytesIn, r.BytesOut)
			}
		})
	}
}

// TestRunDurationWithWarmup runs by time and checks the window.
func TestRunDurationWithWarmup(t *testing.T) {
	srv := newSigServer(t, "")
	cfg := Config{BaseURL: srv.URL, Conns: 2, Duration: 300 * time.Millisecond, Warmup: 100 * time.Millisecond}
	s := testSigner()
	ok := AWSJSON("SWBExternalService", "ListInstances", []byte(`{}`))
	ok.PayloadHash = HashPayload(ok.Body)
	res := Run(context.Background(), cfg, FixedScenario("ListInstances", ok, s), opScenario(s))
	if len(res) != 2 || res[0].Scenario != "ListInstances" || res[1].Scenario != "ListPermissionSets" {
		t.Fatalf("results %+v", res)
	}
	if srv.badSig.Load() != 0 {
		t.Fatalf("bad signatures: %s", srv.firstBad)
	}
	r := res[0]
	if r.Requests == 0 || r.Errors != 0 || r.Elapsed != cfg.Duration {
		t.Fatalf("figures %+v samples %q", r, r.ErrorSamples)
	}
	if measured := int64(res[0].Requests + res[1].Requests); measured >= srv.total.Load() {
		t.Fatalf("warm-up not excluded: measured %d of %d", measured, srv.total.Load())
	}
}

// TestRawClientFraming checks chunked, close-delimited and
// Connection: close responses, and the default 2xx check.
func TestRawClientFraming(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/chunked":
			_, _ = io.WriteString(w, "hello ")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "world")
		case "/close":
			w.Header().Set("Connection", "close")
			_, _ = io.WriteString(w, "hello world")
		case "/teapot":
			w.WriteHeader(http.StatusTeapot)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	want := func(status int, body []byte) error {
		if status != 200 || string(body) != "hello world" {
			return fmt.Errorf("got %d %q", status, body)
		}
		return nil
	}
	cfg := Config{BaseURL: srv.URL, Conns: 1, Requests: 20, Warmup: -1}
	res := Run(context.Background(), cfg,
		FixedScenario("chunked", Request{Method: "GET", Path: "/chunked", Expect: want}, nil),
		FixedScenario("close", Request{Path: "/close", Body: []byte("x"), Expect: want}, nil),
		FixedScenario("teapot", Request{Path: "/teapot"}, nil),
	)
	for _, r := range res[:2] {
		if r.Requests != 20 || r.Errors != 0 {
			t.Fatalf("%s: %d requests, %d errors %q", r.Scenario, r.Requests, r.Errors, r.ErrorSamples)
		}
	}
	if res[2].Errors != 20 || !strings.Contains(res[2].ErrorSamples[0], "418") {
		t.Fatalf("teapot: %+v", res[2])
	}
	// One connection for "chunked", one per request for "close", one for "teapot".
	if got := conns.Load(); got != 22 {
		t.Fatalf("%d connections", got)
	}
}

// TestRunCancel checks a cancelled context ends the run early.
func TestRunCancel(t *testing.T) {
	srv := httptest.NewServer(BaselineHandler())
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	cfg := Config{BaseURL: srv.URL, Conns: 2, Duration: time.Minute, Warmup: -1}
	res := Run(ctx, cfg, BaselineScenario("/", nil), BaselineScenario("/", nil))
	if len(res) != 1 || res[0].Elapsed >= time.Minute || res[0].Errors != 0 {
		t.Fatalf("results %+v", res)
	}
}

// TestRunBadConfig checks configuration errors end up in the Result.
func TestRunBadConfig(t *testing.T) {
	res := Run(context.Background(), Config{BaseURL: "ftp://x"}, Scenario{Name: "a", Next: opScenario(nil).Next})
	if len(res) != 1 || res[0].Errors != 1 || len(res[0].ErrorSamples) != 1 {
		t.Fatalf("results %+v", res)
	}
}
