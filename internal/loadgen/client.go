package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// client sends one request on a worker's connection and returns the
// response status and body. The body is only valid until the next call.
type client interface {
	do(ctx context.Context, method, uri string, h http.Header, body []byte) (int, []byte, error)
	close()
}

// target is the parsed base URL shared by a run's workers.
type target struct {
	base     *url.URL
	host     string // Host header value
	addr     string // host:port to dial
	prefix   string // path prefix from the base URL, without trailing /
	origin   string // scheme://host for the std client
	useStd   bool
	timeout  time.Duration
	stdTrans *http.Transport
	stdCli   *http.Client
}

// newTarget parses cfg.BaseURL and prepares the shared client state.
func newTarget(cfg Config) (*target, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("loadgen: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("loadgen: base URL %q: want http(s)://host[:port]", cfg.BaseURL)
	}
	t := &target{
		base:    u,
		host:    u.Host,
		addr:    u.Host,
		prefix:  trimSlash(u.EscapedPath()),
		origin:  u.Scheme + "://" + u.Host,
		useStd:  cfg.Client == ClientStd || u.Scheme == "https",
		timeout: cfg.Timeout,
	}
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		t.addr = net.JoinHostPort(u.Hostname(), port)
	}
	if t.useStd {
		t.stdTrans = &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        cfg.Conns,
			MaxIdleConnsPerHost: cfg.Conns,
			MaxConnsPerHost:     cfg.Conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		}
		t.stdCli = &http.Client{Transport: t.stdTrans, Timeout: cfg.Timeout}
	}
	return t, nil
}

// trimSlash drops one trailing slash.
func trimSlash(p string) string {
	if len(p) > 0 && p[len(p)-1] == '/' {
		return p[:len(p)-1]
	}
	return p
}

// newClient returns a worker's client.
func (t *target) newClient() client {
	if t.useStd {
		return &stdClient{t: t}
	}
	return newRawClient(t)
}

// closeIdle releases the std transport's pooled connections.
func (t *target) closeIdle() {
	if t.stdTrans != nil {
		t.stdTrans.CloseIdleConnections()
	}
}

// stdClient sends requests through net/http's tuned Transport.
type stdClient struct {
	t   *target
	buf bytes.Buffer
}

// do implements client with http.Client.Do.
func (c *stdClient) do(ctx context.Context, method, uri string, h http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.t.origin+uri, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = h
	req.Host = c.t.host
	resp, err := c.t.stdCli.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(resp.Body); err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, c.buf.Bytes(), nil
}

// close implements client; the shared Transport is closed by the run.
func (c *stdClient) close() {}
