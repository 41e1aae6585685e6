package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
)

// sink is somewhere events go.
type sink interface {
	// key names the sink's cursor.
	key() string
	// due reports whether a round with this many ready events delivers
	// now, the cursor having last advanced at updated.
	due(ready int, updated, now time.Time) bool
	// deliver takes events in seq order and returns how many of them (a
	// prefix) it delivered; commit, if any, runs in the transaction that
	// advances the cursor, and undo, if any, if that transaction fails.
	// ctx ends calls in flight when the deliverer closes.
	deliver(ctx context.Context, events []*store.AuditEvent) (n int, commit func(context.Context, *store.Tx) error, undo func(), err error)
}

// readBatch bounds the events one round reads.
const readBatch = 1000

// Deliverer runs the sinks of a Config in the background.
type Deliverer struct {
	st     *store.Store
	log    *slog.Logger
	cfg    Config
	owner  string
	client *http.Client
	sinks  []sink

	ctx    context.Context // canceled by Close: ends calls in flight
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start creates the cursors of cfg's sinks (at the end of the trail, for
// new ones), loads or makes the digest signing key, and starts delivering.
func Start(ctx context.Context, st *store.Store, sealer *secret.Sealer, log *slog.Logger, cfg Config) (*Deliverer, error) {
	cfg = cfg.withDefaults()
	host, _ := os.Hostname()
	d := &Deliverer{st: st, log: log, cfg: cfg, owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), ids.Hex(8)), client: &http.Client{}}
	if cfg.TrailDir != "" {
		if err := os.MkdirAll(cfg.TrailDir, 0o755); err != nil {
			return nil, err
		}
		sg, err := loadSigner(ctx, st, sealer)
		if err != nil {
			return nil, err
		}
		d.sinks = append(d.sinks, &fileSink{d: d, dir: cfg.TrailDir, signer: sg})
	}
	for _, w := range cfg.Webhooks {
		if err := ValidWebhookURL(w.URL); err != nil {
			return nil, err
		}
		d.sinks = append(d.sinks, &webhookSink{d: d, w: w})
	}
	for _, s := range d.sinks {
		if err := st.EnsureDeliveryCursor(ctx, s.key()); err != nil {
			return nil, fmt.Errorf("delivery: %w", err)
		}
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	for _, s := range d.sinks {
		d.wg.Add(1)
		go d.run(s)
	}
	return d, nil
}

// Close stops delivering and gives the sinks up to other replicas. Events
// not delivered yet stay for the next start (or another replica).
func (d *Deliverer) Close() {
	d.cancel()
	d.wg.Wait()
}

// run delivers to one sink until Close, backing off while it fails.
func (d *Deliverer) run(s sink) {
	defer d.wg.Done()
	defer d.st.ReleaseDeliveryCursor(context.Background(), s.key(), d.owner)
	wait := d.cfg.Poll
	failures := 0
	for {
		t := time.NewTimer(wait)
		select {
		case <-d.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		more, err := d.round(s)
		switch {
		case err != nil:
			if d.ctx.Err() != nil {
				d.log.Debug("audit delivery stopped in a round", "sink", s.key(), "err", err)
				return
			}
			failures++
			wait = d.cfg.RetryMin << min(failures-1, 30)
			if wait > d.cfg.RetryMax || wait <= 0 {
				wait = d.cfg.RetryMax
			}
			d.log.Warn("audit delivery failed; retrying", "sink", s.key(), "in", wait, "err", err)
		case more:
			failures, wait = 0, 0
		default:
			failures, wait = 0, d.cfg.Poll
		}
	}
}

// round claims the sink, delivers what is ready and advances the cursor.
// more says that more events wait already.
func (d *Deliverer) round(s sink) (more bool, err error) {
	ctx := context.Background() // database work finishes even during Close
	now := time.Now()
	c, err := d.st.ClaimDeliveryCursor(ctx, s.key(), d.owner, now, d.cfg.Lease)
	if errors.Is(err, store.ErrClaimed) {
		return false, nil // another replica delivers it
	}
	if err != nil {
		return false, err
	}
	pending := decodePending(c.Pending)
	news, err := d.st.R().AuditEventsAfter(ctx, c.Seq, readBatch)
	if err != nil {
		return false, err
	}
	seqs := make([]int64, len(pending))
	for i, p := range pending {
		seqs[i] = p.Seq
	}
	olds, err := d.st.R().AuditEventsBySeq(ctx, seqs)
	if err != nil {
		return false, err
	}
	p := makePlan(c.Seq, pending, olds, news, now, d.cfg.IncompleteAfter, d.cfg.GapWait)
	if len(p.ready) == 0 || !s.due(len(p.ready), c.Updated, now) {
		return false, nil
	}
	n, commit, undo, derr := s.deliver(d.ctx, p.ready)
	if n == 0 {
		return false, derr
	}
	if n < len(p.ready) {
		p.stopAt(p.ready[n].Seq)
	}
	err = d.st.Write(ctx, func(tx *store.Tx) error {
		if commit != nil {
			if err := commit(ctx, tx); err != nil {
				return err
			}
		}
		return tx.AdvanceDeliveryCursor(ctx, s.key(), d.owner, c.Version, p.seq, encodePending(p.pending), tx.Now)
	})
	if err != nil {
		if undo != nil {
			undo()
		}
		return false, err
	}
	return derr == nil && (n < len(p.ready) || len(news) == readBatch), derr
}
