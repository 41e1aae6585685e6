package awsproto

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
)

// TestObserveAfterAnswer checks that a call's observer runs once the
// client has its whole answer (what it does adds nothing to the call's
// latency), under the hold taken before the answer was sent.
func TestObserveAfterAnswer(t *testing.T) {
	const found, missing = "12345678-1234-1234-1234-123456789012", "00000000-0000-0000-0000-000000000000"
	s := &Service{TargetPrefix: "AWSIdentityStore", SigningName: "identitystore", ErrorStatus: m.ErrorStatus, RequestIDMember: true}
	Handle(s, "DescribeUser", func(ctx context.Context, in *m.DescribeUserRequest) (*m.DescribeUserResponse, error) {
		if *in.UserId == missing {
			return nil, errs.E("DescribeUser", errs.NotFound, "no such user")
		}
		// A large answer: more than net/http's buffers hold.
		name := strings.Repeat("n", 20000)
		return &m.DescribeUserResponse{IdentityStoreId: in.IdentityStoreId, UserId: in.UserId, DisplayName: &name}, nil
	})
	h := NewHandler(allowAll{}, slog.New(slog.NewTextHandler(io.Discard, nil)), s)
	var held, released atomic.Int32
	received := make(chan struct{})
	observed := make(chan *Call, 1)
	h.Hold = func() func() {
		held.Add(1)
		return func() { released.Add(1) }
	}
	h.Observe = func(ctx context.Context, r *http.Request, c *Call) {
		if held.Load() != 1 || released.Load() != 0 {
			t.Errorf("Observe ran with hold %d, release %d; want 1, 0", held.Load(), released.Load())
		}
		select {
		case <-received: // the client read the answer while Observe had not returned
		case <-time.After(10 * time.Second):
			t.Error("the answer was not sent before Observe")
		}
		observed <- c
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, tc := range []struct {
		user   string
		status int
		want   string
	}{
		{found, 200, `"UserId":"` + found + `"`},
		{missing, 400, `ResourceNotFoundException`},
	} {
		held.Store(0)
		released.Store(0)
		received = make(chan struct{})
		req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(`{"IdentityStoreId":"d-1234567890","UserId":"`+tc.user+`"}`))
		req.Header.Set("X-Amz-Target", "AWSIdentityStore.DescribeUser")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		close(received)
		if err != nil || resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Fatalf("%s: status %d, err %v, body %.200s", tc.user, resp.StatusCode, err, body)
		}
		c := <-observed
		if c.Status != tc.status || c.Operation != "DescribeUser" {
			t.Errorf("observed status %d operation %q", c.Status, c.Operation)
		}
		deadline := time.Now().Add(10 * time.Second)
		for released.Load() != 1 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if held.Load() != 1 || released.Load() != 1 {
			t.Errorf("hold %d, release %d after the call; want 1, 1", held.Load(), released.Load())
		}
	}
}

// TestNextCallWhileObserving: a client calling over one connection has its
// next call answered while the observer of the previous one still runs.
func TestNextCallWhileObserving(t *testing.T) {
	s := &Service{TargetPrefix: "AWSIdentityStore", SigningName: "identitystore", ErrorStatus: m.ErrorStatus, RequestIDMember: true}
	Handle(s, "DescribeUser", func(ctx context.Context, in *m.DescribeUserRequest) (*m.DescribeUserResponse, error) {
		return &m.DescribeUserResponse{IdentityStoreId: in.IdentityStoreId, UserId: in.UserId}, nil
	})
	h := NewHandler(allowAll{}, slog.New(slog.NewTextHandler(io.Discard, nil)), s)
	second := make(chan struct{})
	var calls atomic.Int32
	observed := make(chan string, 2)
	h.Observe = func(ctx context.Context, r *http.Request, c *Call) {
		if calls.Add(1) == 1 {
			select {
			case <-second: // the next call was answered meanwhile
			case <-time.After(10 * time.Second):
				t.Error("the next call was not answered while the first was observed")
			}
		}
		if ctx.Err() != nil {
			t.Errorf("the observer's context is canceled: %v", ctx.Err())
		}
		observed <- c.RequestID
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(`{"IdentityStoreId":"d-1234567890","UserId":"12345678-1234-1234-1234-123456789012"}`))
		req.Header.Set("X-Amz-Target", "AWSIdentityStore.DescribeUser")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("call %d: status %d", i, resp.StatusCode)
		}
	}
	close(second)
	for i := 0; i < 2; i++ {
		select {
		case <-observed:
		case <-time.After(10 * time.Second):
			t.Fatal("a call was never observed")
		}
	}
}

// TestObserveWhenObserversBusy: with maxObservers observers running, an
// observer runs in its handler, so a client over one connection waits for
// it before its next call is read (the server's clients wait for
// observers that fall behind).
func TestObserveWhenObserversBusy(t *testing.T) {
	defer func(p *observerPool) { observers = p }(observers)
	observers = newObserverPool(1, time.Minute)
	busy, unblock := make(chan struct{}), make(chan struct{})
	if !observers.give(func() { close(busy); <-unblock }) {
		t.Fatal("an empty pool refused an observer")
	}
	<-busy
	defer close(unblock)
	ran := make(chan struct{})
	release := make(chan struct{})
	returned := make(chan struct{})
	go func() {
		Observe(context.Background(), httptest.NewRecorder(), nil, func(context.Context) { close(ran); <-release })
		close(returned)
	}()
	<-ran
	select {
	case <-returned:
		t.Fatal("Observe returned before its observer, with every observer slot busy")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("Observe did not return once its observer did")
	}
}

// TestObserversReused: calls observed one after another run on one
// goroutine of the pool, which ends once idle for the pool's idle time.
func TestObserversReused(t *testing.T) {
	defer func(p *observerPool) { observers = p }(observers)
	observers = newObserverPool(4, 200*time.Millisecond)
	for i := 0; i < 100; i++ {
		done := make(chan struct{})
		Observe(context.Background(), httptest.NewRecorder(), nil, func(context.Context) { close(done) })
		<-done
		// wait until the goroutine is idle again (the next call would
		// start another while it is still returning from this one)
		for j := 0; j < 10000 && observers.waiting.Load() == 0; j++ {
			time.Sleep(100 * time.Microsecond)
		}
	}
	if n := observers.started.Load(); n != 1 {
		t.Errorf("100 calls observed one after another started %d goroutines, want 1", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(observers.slots) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(observers.slots); n != 0 {
		t.Errorf("%d observer goroutines still running after the idle time", n)
	}
}
