package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/store"
)

// webhookSink posts the events its filter selects, one per request.
type webhookSink struct {
	d *Deliverer
	w Webhook
	// cursor names the sink's cursor (w.cursorName()); label names it in
	// logs and errors (the URL redacted): neither holds the URL's
	// credentials.
	cursor, label string
}

func newWebhookSink(d *Deliverer, w Webhook) *webhookSink {
	return &webhookSink{d: d, w: w, cursor: w.cursorName(), label: "webhook " + RedactURL(w.URL)}
}

func (s *webhookSink) key() string  { return s.cursor }
func (s *webhookSink) name() string { return s.label }

func (s *webhookSink) due(ready int, updated, now time.Time) bool { return true }

// deliver posts events in order until one fails, or half the lease has gone
// (the cursor must advance before another replica may take the sink over).
func (s *webhookSink) deliver(ctx context.Context, events []*store.AuditEvent) (int, func(context.Context, *store.Tx) error, func(), error) {
	start := time.Now()
	for i, e := range events {
		if !s.w.Selects(e.EventSource, e.EventName) {
			continue
		}
		if time.Since(start) > s.d.cfg.Lease/2 {
			return i, nil, nil, nil
		}
		if err := s.post(ctx, e); err != nil {
			return i, nil, nil, err
		}
	}
	return len(events), nil, nil, nil
}

func (s *webhookSink) post(ctx context.Context, e *store.AuditEvent) error {
	ctx, cancel := context.WithTimeout(ctx, s.d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.w.URL, bytes.NewReader(audit.JSON(e)))
	if err != nil {
		return errors.New("the webhook URL does not parse") // its error would quote the URL
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "idcenter-delivery")
	req.Header.Set("Idempotency-Key", e.EventID)
	req.Header.Set("X-Idcenter-Event-Id", e.EventID)
	req.Header.Set("X-Idcenter-Event-Name", e.EventName)
	resp, err := s.d.client.Do(req)
	if err != nil {
		// The client's error quotes the URL (without its password only).
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = RedactURL(ue.URL)
		}
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", s.label, resp.Status)
	}
	return nil
}
