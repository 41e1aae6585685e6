package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// DefaultRegion is the Region of an event whose request named none.
const DefaultRegion = "us-east-1"

// Begin is the awsproto.Handler Begin hook: it returns ctx carrying the
// call's event as a pending event, which the operation's first write
// stores with its change. The event is built from the request when first
// needed: by that write, or by Observe once the answer is sent (a read's).
func (t *Trail) Begin(ctx context.Context, r *http.Request, c *awsproto.Call) context.Context {
	return store.WithPendingEvent(ctx, &store.PendingEvent{Build: func() *store.AuditEvent { return t.newEvent(ctx, r, c) }})
}

// Observe is the awsproto.Handler Observe hook: it completes the call's
// event with its outcome and queues it for storing.
func (t *Trail) Observe(ctx context.Context, r *http.Request, c *awsproto.Call) {
	var e *store.AuditEvent
	if p := store.PendingEventOf(ctx); p != nil {
		e = p.Load()
		// No later write may store it now; if one did, storing the
		// complete event replaces the pending one.
		e.Staged = p.Close()
	} else {
		e = t.newEvent(ctx, r, c)
	}
	if c.Err != nil || c.Code != "" {
		e.ErrorCode, e.ErrorMessage = clip(c.Code, 128), clip(c.Message, 1024)
	} else if recordsResponse(e.EventName) {
		var more []store.AuditResource
		e.ResponseElements, more = convertParams(jsonDoc(c.Output))
		e.Resources = addResources(e.Resources, more)
	}
	e.Complete = true
	t.enqueue(e)
}

// newEvent builds the event of a call from its request: the caller (or what
// is known of it when authentication failed), operation, parameters and the
// resources they name.
func (t *Trail) newEvent(ctx context.Context, r *http.Request, c *awsproto.Call) *store.AuditEvent {
	e := &store.AuditEvent{
		EventID:   ids.TimeUUID(),
		Time:      c.Start,
		EventName: clip(c.Operation, 128),
		EventType: "AwsApiCall",
		ReadOnly:  ReadOnly(c.Operation),
		RequestID: c.RequestID,
		SourceIP:  sourceIP(r),
		UserAgent: clip(r.UserAgent(), 1024),
		Region:    DefaultRegion,
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if c.Service != nil {
		e.EventSource = c.Service.EventSource
	}
	if caller := auth.From(ctx); caller != nil {
		setIdentity(e, caller)
	} else {
		identifyFailure(ctx, t.st, e, r)
	}
	e.TLSDetails = tlsDetails(r)
	e.RequestParameters, e.Resources = convertParams(c.Input)
	return e
}

// jsonDoc is a value (an operation's output, an admin command's parameters
// or response) as JSON, to convert with convertParams.
func jsonDoc(out any) []byte {
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok && raw != nil {
		return *raw
	}
	b, _ := json.Marshal(out)
	return b
}
