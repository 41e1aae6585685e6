package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
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
	// name names the sink in logs.
	name() string
	// due reports whether a round with this many ready events delivers
	// them now, the cursor having last advanced at updated.
	due(ready int, updated, now time.Time) bool
	// deliver takes events in seq order (none when none are due: the sink
	// may still have something of its own to write, as the file sink's
	// digests of idle chains) and returns how many of them (a prefix) it
	// delivered; commit, if any, runs in the transaction that advances the
	// cursor, and undo, if any, if that transaction fails. ctx ends calls
	// in flight when the deliverer closes.
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

// Start renames the webhook cursors of earlier versions (named after their
// URL), creates the cursors of cfg's sinks (at the end of the trail, for
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
		d.sinks = append(d.sinks, newWebhookSink(d, w))
	}
	// Cursors named after their webhook's URL (before cursorName) go on
	// under cursorName, configured here or not: none keeps a URL.
	err := st.RenameDeliveryCursors(ctx, func(sink string) (string, bool) {
		u, ok := strings.CutPrefix(sink, oldCursorPrefix)
		return Webhook{URL: u}.cursorName(), ok
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: renaming webhook cursors: %w", err)
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
				d.log.Debug("audit delivery stopped in a round", "sink", s.name(), "err", err)
				return
			}
			failures++
			wait = d.cfg.RetryMin << min(failures-1, 30)
			if wait > d.cfg.RetryMax || wait <= 0 {
				wait = d.cfg.RetryMax
			}
			d.log.Warn("audit delivery failed; retrying", "sink", s.name(), "in", wait, "err", err)
		case more:
			failures, wait = 0, 0
		default:
			failures, wait = 0, d.cfg.Poll
		}
	}
}

// round claims the sink, delivers what is ready and due (and lets the sink
// write what it writes without events: digests of idle chains) and advances
// the cursor. more says that more events wait already.
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
	ready := p.ready
	if len(ready) > 0 && !s.due(len(ready), c.Updated, now) {
		ready = nil
	}
	n, commit, undo, derr := s.deliver(d.ctx, ready)
	if n == 0 && commit == nil {
		return false, derr
	}
	// Events delivered move the cursor; without them (the file sink wrote
	// only digests of idle chains) it stays, and its version still changes:
	// the compare-and-set keeps a replica whose lease ran out from adding
	// to the chains.
	seq, pend, updated := c.Seq, c.Pending, c.Updated
	if n > 0 {
		if n < len(ready) {
			p.stopAt(ready[n].Seq)
		}
		seq, pend = p.seq, encodePending(p.pending)
	}
	err = d.st.Write(ctx, func(tx *store.Tx) error {
		if commit != nil {
			if err := commit(ctx, tx); err != nil {
				return err
			}
		}
		upd := updated
		if n > 0 {
			upd = tx.Now
		}
		return tx.AdvanceDeliveryCursor(ctx, s.key(), d.owner, c.Version, seq, pend, upd)
	})
	if err != nil {
		if undo != nil {
			undo()
		}
		return false, err
	}
	return derr == nil && n > 0 && (n < len(ready) || len(news) == readBatch), derr
}
