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

// Begin is the awsproto.Handler Begin hook: it builds the call's event from
// its request and returns ctx carrying it as a pending event, which the
// operation's first write stores with its change.
func (t *Trail) Begin(ctx context.Context, r *http.Request, c *awsproto.Call) context.Context {
	return store.WithPendingEvent(ctx, &store.PendingEvent{Event: t.newEvent(ctx, r, c)})
}

// Observe is the awsproto.Handler Observe hook: it completes the call's
// event with its outcome and queues it for storing.
func (t *Trail) Observe(ctx context.Context, r *http.Request, c *awsproto.Call) {
	var e *store.AuditEvent
	if p := store.PendingEventOf(ctx); p != nil {
		e = p.Event
		// No later write may store it now; if one did, storing the
		// complete event replaces the pending one.
		e.Staged = p.Close()
	} else {
		e = t.newEvent(ctx, r, c)
	}
	if c.Err != nil || c.Code != "" {
		e.ErrorCode, e.ErrorMessage = clip(c.Code, 128), clip(c.Message, 1024)
	} else if recordsResponse(e.EventName) {
		resp := outputParams(c.Output)
		e.ResponseElements = encodeParams(resp)
		e.Resources = addResources(e.Resources, resourcesOf(resp))
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
	params := parseParams(c.Input)
	e.RequestParameters = encodeParams(params)
	e.Resources = resourcesOf(params)
	return e
}

// outputParams converts an operation's output to responseElements.
func outputParams(out any) map[string]any {
	if out == nil {
		return nil
	}
	var b []byte
	if raw, ok := out.(*json.RawMessage); ok && raw != nil {
		b = *raw
	} else {
		var err error
		if b, err = json.Marshal(out); err != nil {
			return nil
		}
	}
	return parseParams(b)
}
