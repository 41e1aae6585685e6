package awsproto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/idcenter/idcenter/internal/ids"
)

// MaxBody bounds a request body; larger requests are refused unread.
const MaxBody = 1 << 20

// Authenticator verifies a request's credentials for a service and returns
// the context the operation runs in (carrying the caller). Its errors are
// *errs.Error values of kind Unauthorized (or Denied) with an AWS code.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte, signingName string) (context.Context, error)
}

// Call describes one finished API call, for observers such as the audit
// trail.
type Call struct {
	Service   *Service
	Operation string
	RequestID string
	Input     []byte // the request body as received
	Output    any    // the operation's output, nil on error
	Err       error  // the error the client was sent, nil on success
	Code      string // the AWS error code sent, "" on success
	Message   string // the error message sent, "" on success
	Status    int
	Start     time.Time
}

// Handler serves a set of JSON 1.1 services on one endpoint.
type Handler struct {
	services map[string]*Service
	auth     Authenticator
	log      *slog.Logger
	// Authorize, when set, decides whether the authenticated caller may
	// run the operation (service control policies); its error is the
	// answer.
	// It returns the context the operation runs in.
	Authorize func(ctx context.Context, r *http.Request, c *Call) (context.Context, error)
	// Begin, when set, is called once the caller is authenticated, just
	// before the operation runs; the operation (and Observe) get the
	// context it returns. The audit trail puts its pending event there.
	Begin func(ctx context.Context, r *http.Request, c *Call) context.Context
	// Observe, when set, is called after every call with its outcome, with
	// the context of the operation (the caller's, once authenticated). c's
	// Input is only valid until Observe returns. It runs once the answer
	// has been sent, so what it does adds nothing to the call's latency.
	Observe func(ctx context.Context, r *http.Request, c *Call)
	// Hold, when set, is called just before an observed answer is sent,
	// and the function it returns once Observe has returned: an observer
	// can so wait for the calls already answered but not yet observed
	// (the audit trail's Flush: a caller that has its answer finds the
	// call's event).
	Hold func() (release func())
}

// NewHandler returns a handler for the given services.
func NewHandler(auth Authenticator, log *slog.Logger, services ...*Service) *Handler {
	h := &Handler{services: map[string]*Service{}, auth: auth, log: log}
	for _, s := range services {
		h.services[s.TargetPrefix] = s
	}
	return h
}

type ctxKey int

const requestIDKey ctxKey = 0

// RequestID returns the request id of the call ctx belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ServeHTTP runs one call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &Call{RequestID: ids.UUID(), Start: time.Now()}
	ctx := context.WithValue(r.Context(), requestIDKey, c.RequestID)
	var buf *bytes.Buffer
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("panic serving request", "request_id", c.RequestID, "panic", p, "stack", string(debug.Stack()))
			h.writeError(w, c, errors.New("panic"))
		}
		done := func() {
			if buf != nil {
				bufPool.Put(buf) // only now: c.Input points into it
			}
		}
		if h.Observe != nil && c.Status != 0 {
			Observe(ctx, w, h.Hold, func(ctx context.Context) { h.Observe(ctx, r, c); done() })
			return
		}
		done()
	}()

	target := r.Header.Get("X-Amz-Target")
	dot := strings.LastIndexByte(target, '.')
	if dot < 0 {
		h.writeError(w, c, protoErr("UnknownOperationException", 400, "Missing or malformed X-Amz-Target header"))
		return
	}
	c.Service = h.services[target[:dot]]
	c.Operation = target[dot+1:]
	if c.Service == nil {
		h.writeError(w, c, protoErr("UnknownOperationException", 400, "Unknown service: "+target[:dot]))
		return
	}
	if r.Method != http.MethodPost {
		h.writeError(w, c, protoErr("UnknownOperationException", 405, "Operations are called with POST"))
		return
	}
	buf = bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, MaxBody+1)); err != nil {
		h.writeError(w, c, protoErr("SerializationException", 400, "Unable to read request body"))
		return
	}
	if buf.Len() > MaxBody {
		h.writeError(w, c, protoErr("RequestEntityTooLargeException", 413, "Request body exceeds "+strconv.Itoa(MaxBody)+" bytes"))
		return
	}
	body := buf.Bytes()
	c.Input = body

	actx, err := h.auth.Authenticate(r.WithContext(ctx), body, c.Service.SigningName)
	if err != nil {
		h.writeError(w, c, err)
		return
	}
	ctx = actx
	run := c.Service.ops[c.Operation]
	if run == nil {
		h.writeError(w, c, protoErr("UnknownOperationException", 400, "Unknown operation "+c.Operation))
		return
	}
	if h.Authorize != nil {
		actx, err := h.Authorize(ctx, r, c)
		if err != nil {
			h.writeError(w, c, err)
			return
		}
		ctx = actx
	}
	if h.Begin != nil {
		ctx = h.Begin(ctx, r, c)
	}
	out, err := run(ctx, body)
	if err != nil {
		h.writeError(w, c, err)
		return
	}
	c.Output = out
	h.writeJSON(w, c, 200, out)
}

// Observe sends the answer written to w (so far only buffered: net/http
// sends it when the handler returns) and then runs observe, under hold
// when it is set (see Handler.Hold), with ctx without its cancellation
// (net/http cancels a request's context once its handler returns).
//
// observe runs on one of the observer goroutines (observerPool) when one is
// idle or may be started: the handler returns at once, and net/http reads
// the connection's next request meanwhile, instead of after the observer (a
// client calling one call after another waited for each call's event to be
// built and queued: 5% of a CreateUser's latency). When maxObservers are
// all busy it runs here, so that the clients of a server whose observers
// fall behind wait for them.
func Observe(ctx context.Context, w http.ResponseWriter, hold func() func(), observe func(context.Context)) {
	ctx = context.WithoutCancel(ctx)
	release := func() {}
	if hold != nil {
		release = hold()
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	job := func() {
		defer release()
		observe(ctx)
	}
	if !observers.give(job) {
		job()
	}
}

// maxObservers bounds the observer goroutines.
const maxObservers = 256

// observerIdle is how long an observer goroutine waits for its next call
// before it ends.
const observerIdle = 10 * time.Second

var observers = newObserverPool(maxObservers, observerIdle)

// observerPool runs observers on goroutines that outlive one call. A
// goroutine started per call began with the smallest stack and grew it, a
// copy each time, as the audit trail's event building went deeper: 2.6% of
// the server's CPU under bench's DescribeUser. A goroutine kept for the
// next call keeps the stack it grew.
type observerPool struct {
	slots   chan struct{} // one per goroutine, running or idle
	jobs    chan func()   // unbuffered: taken only by an idle goroutine
	idle    time.Duration
	started atomic.Int64 // goroutines started (tests)
	waiting atomic.Int32 // goroutines idle (tests)
}

func newObserverPool(max int, idle time.Duration) *observerPool {
	return &observerPool{slots: make(chan struct{}, max), jobs: make(chan func()), idle: idle}
}

// give runs job on an idle goroutine of the pool, or on a new one if fewer
// than the pool's bound run; it reports false, job not run, when all are
// busy.
func (p *observerPool) give(job func()) bool {
	select {
	case p.jobs <- job:
		return true
	default:
	}
	select {
	case p.slots <- struct{}{}:
		p.started.Add(1)
		go p.serve(job)
		return true
	default:
		return false
	}
}

// serve runs job, then the jobs given to it, until it has waited p.idle
// for one.
func (p *observerPool) serve(job func()) {
	defer func() { <-p.slots }()
	timer := time.NewTimer(p.idle)
	defer timer.Stop()
	for {
		runObserver(job)
		timer.Reset(p.idle)
		p.waiting.Add(1)
		select {
		case job = <-p.jobs:
			p.waiting.Add(-1)
		case <-timer.C:
			p.waiting.Add(-1)
			return
		}
	}
}

// runObserver runs job, logging a panic (no handler's recovery catches
// one here).
func runObserver(job func()) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("panic observing a call", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	job()
}

// writeJSON writes a JSON answer with the protocol headers.
func (h *Handler) writeJSON(w http.ResponseWriter, c *Call, status int, v any) {
	var b []byte
	var err error
	if raw, ok := v.(*json.RawMessage); ok && raw != nil {
		// Documents built by the domain from stored JSON: encoding/json
		// would only re-validate and compact them, at a cost that grows
		// with the page (a page of 100 users is ~40 KB).
		b = *raw
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		h.log.Error("encoding response", "request_id", c.RequestID, "err", err)
		status, b = 500, []byte(`{"__type":"InternalServerException","Message":"Internal failure encoding the response"}`)
		c.Code, c.Message = "InternalServerException", "Internal failure encoding the response"
	}
	hd := w.Header()
	hd["Content-Type"] = jsonContentType
	hd["X-Amzn-Requestid"] = []string{c.RequestID}
	hd["Content-Length"] = []string{strconv.Itoa(len(b))}
	c.Status = status
	w.WriteHeader(status)
	w.Write(b)
}

var jsonContentType = []string{"application/x-amz-json-1.1"}
