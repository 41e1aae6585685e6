package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rawClient is a minimal HTTP/1.1 client over one keep-alive net.Conn. It
// writes each request from a reused buffer in one write and parses the
// response in place, handling Content-Length, chunked and
// read-to-close bodies and 1xx interim responses.
type rawClient struct {
	t      *target
	conn   net.Conn
	r      *bufio.Reader
	wbuf   []byte
	body   []byte
	reused bool // conn has already carried a request

	mu   sync.Mutex // guards live, for interrupt
	live net.Conn   // c.conn, as seen by interrupt
}

// newRawClient returns a client for t; it dials on first use.
func newRawClient(t *target) *rawClient {
	return &rawClient{t: t, wbuf: make([]byte, 0, 4096), body: make([]byte, 0, 4096)}
}

// errBadResponse reports an unparsable response.
var errBadResponse = errors.New("loadgen: malformed HTTP response")

// do implements client. A request that fails on a reused connection
// before any response byte arrives (the server closed it while idle) is
// retried once on a fresh connection, as net/http does.
func (c *rawClient) do(ctx context.Context, method, uri string, h http.Header, body []byte) (int, []byte, error) {
	c.encode(method, uri, h, body)
	for attempt := 0; ; attempt++ {
		if c.conn == nil {
			if err := c.dial(ctx); err != nil {
				return 0, nil, err
			}
		}
		wasReused := c.reused
		c.reused = true
		status, rb, got, err := c.roundTrip(ctx, method, body)
		if err == nil {
			return status, rb, nil
		}
		c.close()
		if attempt > 0 || !wasReused || got || ctx.Err() != nil {
			return status, nil, err
		}
	}
}

// dial opens the worker's connection.
func (c *rawClient) dial(ctx context.Context) error {
	d := net.Dialer{Timeout: c.t.timeout, KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", c.t.addr)
	if err != nil {
		return err
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	c.conn = conn
	c.reused = false
	c.setLive(conn)
	if c.r == nil {
		c.r = bufio.NewReaderSize(conn, 16<<10)
	} else {
		c.r.Reset(conn)
	}
	return nil
}

// close drops the connection, if any.
func (c *rawClient) close() {
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn = nil
		c.setLive(nil)
	}
}

// setLive publishes the current connection to interrupt.
func (c *rawClient) setLive(conn net.Conn) {
	c.mu.Lock()
	c.live = conn
	c.mu.Unlock()
}

// interrupt makes a blocked read or write on the current connection fail
// now; it is called from another goroutine when the run is cancelled.
// roundTrip re-checks its context after setting a deadline, so a
// deadline set just after this call cannot hide the cancellation.
func (c *rawClient) interrupt() {
	c.mu.Lock()
	if c.live != nil {
		_ = c.live.SetDeadline(time.Unix(1, 0))
	}
	c.mu.Unlock()
}

// Close implements io.Closer.
func (c *rawClient) Close() error { c.close(); return nil }

// encode serialises the request head (and a small body) into c.wbuf.
func (c *rawClient) encode(method, uri string, h http.Header, body []byte) {
	b := c.wbuf[:0]
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, uri...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, c.t.host...)
	b = append(b, "\r\n"...)
	if len(body) > 0 || method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, "\r\n"...)
	}
	for k, vs := range h {
		if k == "Host" || k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	b = append(b, "\r\n"...)
	if len(body) <= 64<<10 {
		b = append(b, body...)
	}
	c.wbuf = b
}

// roundTrip writes c.wbuf (plus a large body) and reads one response.
// got reports whether any response byte was read.
func (c *rawClient) roundTrip(ctx context.Context, method string, body []byte) (status int, rb []byte, got bool, err error) {
	if err = c.conn.SetDeadline(time.Now().Add(c.t.timeout)); err != nil {
		return 0, nil, false, err
	}
	if err = ctx.Err(); err != nil {
		return 0, nil, false, err
	}
	if _, err = c.conn.Write(c.wbuf); err != nil {
		return 0, nil, false, err
	}
	if len(body) > 64<<10 {
		if _, err = c.conn.Write(body); err != nil {
			return 0, nil, false, err
		}
	}
	for {
		var line []byte
		line, err = c.readLine()
		if err != nil {
			return 0, nil, got, err
		}
		got = true
		// "HTTP/1.1 200 OK"
		if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
			return 0, nil, got, errBadResponse
		}
		status, err = atoi3(line[9:12])
		if err != nil {
			return 0, nil, got, err
		}
		length, chunked, closeConn, herr := c.readHeaders()
		if herr != nil {
			return status, nil, got, herr
		}
		if status >= 100 && status < 200 && status != 101 {
			continue // interim response; the real one follows
		}
		c.body = c.body[:0]
		switch {
		case method == http.MethodHead || status == 204 || status == 304:
		case chunked:
			err = c.readChunked()
		case length >= 0:
			err = c.readN(length)
		default:
			closeConn = true
			c.body, err = readAllInto(c.r, c.body)
		}
		if err != nil {
			return status, nil, got, err
		}
		if closeConn {
			c.close()
		}
		return status, c.body, got, nil
	}
}

// readLine returns the next line without its CRLF. The slice is valid
// until the next read.
func (c *rawClient) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("loadgen: response line longer than %d bytes", c.r.Size())
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readHeaders consumes the header block and returns what framing needs:
// Content-Length (-1 if absent), chunked transfer coding, Connection: close.
func (c *rawClient) readHeaders() (length int, chunked, closeConn bool, err error) {
	length = -1
	for {
		line, err := c.readLine()
		if err != nil {
			return 0, false, false, err
		}
		if len(line) == 0 {
			return length, chunked, closeConn, nil
		}
		i := bytes.IndexByte(line, ':')
		if i <= 0 {
			return 0, false, false, errBadResponse
		}
		name, val := line[:i], bytes.TrimSpace(line[i+1:])
		switch {
		case equalFold(name, "Content-Length"):
			n, perr := strconv.Atoi(string(val))
			if perr != nil || n < 0 {
				return 0, false, false, errBadResponse
			}
			length = n
		case equalFold(name, "Transfer-Encoding"):
			chunked = bytes.Contains(bytes.ToLower(val), []byte("chunked"))
		case equalFold(name, "Connection"):
			closeConn = equalFold(val, "close")
		}
	}
}

// readN reads an n-byte body into c.body.
func (c *rawClient) readN(n int) error {
	if cap(c.body) < n {
		c.body = make([]byte, n)
	}
	c.body = c.body[:n]
	_, err := io.ReadFull(c.r, c.body)
	return err
}

// readChunked reads a chunked body (and its trailers) into c.body.
func (c *rawClient) readChunked() error {
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		size, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 31)
		if err != nil {
			return errBadResponse
		}
		if size == 0 {
			for { // trailers up to the empty line
				line, err := c.readLine()
				if err != nil || len(line) == 0 {
					return err
				}
			}
		}
		start := len(c.body)
		c.body = append(c.body, make([]byte, size)...)
		if _, err := io.ReadFull(c.r, c.body[start:]); err != nil {
			return err
		}
		if line, err := c.readLine(); err != nil || len(line) != 0 {
			return errBadResponse
		}
	}
}

// readAllInto appends everything until EOF from r to b.
func readAllInto(r io.Reader, b []byte) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// atoi3 parses a three-digit status code.
func atoi3(b []byte) (int, error) {
	n := 0
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, errBadResponse
		}
		n = n*10 + int(ch-'0')
	}
	return n, nil
}

// equalFold reports whether b equals ASCII s ignoring case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i]|0x20, s[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
