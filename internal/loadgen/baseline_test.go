package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", resp.StatusCode)
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
