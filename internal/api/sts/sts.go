// Package sts serves the AWS Security Token Service operations idcenter
// implements, GetCallerIdentity and AssumeRole, in the AWS query protocol:
// POST / with a form-encoded body (or a GET with the same query string)
// carrying Action and Version=2011-06-15, answered in XML.
//
// Every request is authenticated with SigV4 for the signing name "sts";
// authentication failures are reported in STS's own vocabulary
// (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken, ...). The
// operations themselves live in internal/org.
package sts

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/org"
)

// SigningName is the SigV4 service name STS requests are signed for.
const SigningName = "sts"

// Version is the API version of the query protocol.
const Version = "2011-06-15"

// maxBody bounds a request body.
const maxBody = 64 << 10

// Handler serves STS.
type Handler struct {
	auth awsproto.Authenticator
	org  *org.Service
	log  *slog.Logger
	// Begin and Observe, when set, are called as awsproto.Handler calls
	// its own (the audit trail records STS calls through them). The Call's
	// Input is the form's parameters (but Action and Version) as a JSON
	// object of strings.
	Begin   func(ctx context.Context, r *http.Request, c *awsproto.Call) context.Context
	Observe func(ctx context.Context, r *http.Request, c *awsproto.Call)
	Hold    func() (release func())
	// Authorize, when set, is called as awsproto.Handler calls its own
	// (service control policies).
	Authorize func(ctx context.Context, r *http.Request, c *awsproto.Call) (context.Context, error)
}

// Service describes STS to observers of its calls.
var Service = &awsproto.Service{SigningName: SigningName, EventSource: "sts.amazonaws.com"}

// New returns the STS handler: auth verifies requests, o runs AssumeRole.
func New(auth awsproto.Authenticator, o *org.Service, log *slog.Logger) *Handler {
	return &Handler{auth: auth, org: o, log: log}
}

// action runs one operation and returns its result element.
type action func(h *Handler, ctx context.Context, form url.Values) (any, error)

var actions = map[string]action{
	"GetCallerIdentity": (*Handler).getCallerIdentity,
	"AssumeRole":        (*Handler).assumeRole,
}

// ServeHTTP runs one call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := ids.UUID()
	c := &awsproto.Call{Service: Service, RequestID: reqID, Start: time.Now()}
	ctx := r.Context()
	if h.Observe != nil {
		sent := w
		w = &observed{ResponseWriter: w, c: c}
		defer func() {
			if c.Status != 0 {
				awsproto.Observe(ctx, sent, h.Hold, func(ctx context.Context) { h.Observe(ctx, r, c) })
			}
		}()
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1)); err != nil || buf.Len() > maxBody {
		h.writeError(w, reqID, errMalformed("The request body could not be read or is too large"))
		return
	}
	body := buf.Bytes()
	c.Operation, c.Input = callOf(r, body)
	actx, err := h.auth.Authenticate(r, body, SigningName)
	if err != nil {
		h.writeError(w, reqID, err)
		return
	}
	ctx = actx
	form := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			h.writeError(w, reqID, errMalformed("The request body is not a valid form"))
			return
		}
		for k, v := range vals {
			form[k] = append(form[k], v...)
		}
	}
	name := form.Get("Action")
	run := actions[name]
	if run == nil {
		h.writeError(w, reqID, &queryError{code: "InvalidAction", status: 400, msg: "Could not find operation " + name + " for version " + form.Get("Version")})
		return
	}
	if h.Authorize != nil {
		actx, err := h.Authorize(ctx, r, c)
		if err != nil {
			h.writeError(w, reqID, err)
			return
		}
		ctx = actx
	}
	if h.Begin != nil {
		ctx = h.Begin(ctx, r, c)
	}
	out, err := run(h, ctx, form)
	if err != nil {
		h.writeError(w, reqID, err)
		return
	}
	c.Output = out
	h.writeResult(w, reqID, name, out)
}

// observed records in a Call the status and error an answer carries.
type observed struct {
	http.ResponseWriter
	c *awsproto.Call
}

func (o *observed) WriteHeader(status int) {
	o.c.Status = status
	o.ResponseWriter.WriteHeader(status)
}

// callOf names the operation of a request and gives its parameters as
// JSON, for observers; it reads the form leniently (the handler itself
// decides what is malformed).
func callOf(r *http.Request, body []byte) (string, []byte) {
	form := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if vals, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range vals {
				form[k] = append(form[k], v...)
			}
		}
	}
	params := map[string]string{}
	for k, v := range form {
		if k != "Action" && k != "Version" && !strings.HasPrefix(k, "X-Amz-") && len(v) > 0 {
			params[k] = v[0]
		}
	}
	in, _ := json.Marshal(params)
	return form.Get("Action"), in
}
