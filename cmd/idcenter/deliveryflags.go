package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/delivery"
)

// deliveryFlags are serve's flags for delivering the audit trail:
//
//	--trail-dir DIR                 log files and digests (IDCENTER_TRAIL_DIR)
//	--trail-interval 10s            how long events wait for their log file
//	--trail-max-events 1000         a log file as soon as this many wait
//	--trail-digest-period 1h        a digest without log files for a chain idle this long
//	--webhook URL                   repeatable (IDCENTER_WEBHOOK: URLs separated by spaces)
//	--webhook-events A,B            filter of the --webhook before it; before any
//	                                --webhook, of every webhook without its own
//	                                (IDCENTER_WEBHOOK_EVENTS)
//	--delivery-poll, --delivery-retry-max, --delivery-incomplete-after
type deliveryFlags struct {
	cfg          delivery.Config
	hooks        []delivery.Webhook
	own          []bool // the hook has its own filter
	defaultEvent []delivery.Selector
	err          error
}

func (d *deliveryFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&d.cfg.TrailDir, "trail-dir", env("IDCENTER_TRAIL_DIR", ""), "write the audit trail as CloudTrail log files and signed digests under this directory")
	fs.DurationVar(&d.cfg.FileInterval, "trail-interval", envDuration("IDCENTER_TRAIL_INTERVAL", 10*time.Second), "how long events wait to be written to a log file")
	fs.IntVar(&d.cfg.FileMaxEvents, "trail-max-events", 1000, "write a log file as soon as this many events wait (and at most this many per file)")
	fs.DurationVar(&d.cfg.DigestPeriod, "trail-digest-period", time.Hour, "write a digest listing no log files for each account and Region that has had no digest for this long")
	fs.DurationVar(&d.cfg.Poll, "delivery-poll", time.Second, "how often delivery looks for new events")
	fs.DurationVar(&d.cfg.RetryMax, "delivery-retry-max", 5*time.Minute, "longest wait between retries of a failing webhook")
	fs.DurationVar(&d.cfg.IncompleteAfter, "delivery-incomplete-after", time.Minute, "deliver an event still without its outcome after this long")
	fs.Func("webhook", "POST audit events to this URL (repeatable)", func(s string) error {
		// A bad URL fails config, not the flag: the flag package would
		// quote the URL, credentials and all.
		if err := delivery.ValidWebhookURL(s); err != nil {
			if d.err == nil {
				d.err = fmt.Errorf("--webhook: %w", err)
			}
		}
		d.hooks = append(d.hooks, delivery.Webhook{URL: s})
		d.own = append(d.own, false)
		return nil
	})
	fs.Func("webhook-events", "the events the preceding --webhook receives: EventName, eventSource:EventName or eventSource:*, comma-separated (repeatable)", func(s string) error {
		sel, err := delivery.ParseSelectors(s)
		if err != nil {
			return err
		}
		if n := len(d.hooks); n > 0 {
			d.hooks[n-1].Filter = append(d.hooks[n-1].Filter, sel...)
			d.own[n-1] = true
		} else {
			d.defaultEvent = append(d.defaultEvent, sel...)
		}
		return nil
	})
	for _, u := range strings.Fields(os.Getenv("IDCENTER_WEBHOOK")) {
		if err := delivery.ValidWebhookURL(u); err != nil && d.err == nil {
			d.err = fmt.Errorf("IDCENTER_WEBHOOK: %w", err)
		}
		fs.Set("webhook", u)
	}
	if v := os.Getenv("IDCENTER_WEBHOOK_EVENTS"); v != "" {
		sel, err := delivery.ParseSelectors(v)
		if err != nil && d.err == nil {
			d.err = fmt.Errorf("IDCENTER_WEBHOOK_EVENTS: %w", err)
		}
		d.defaultEvent = sel
	}
}

// config is the delivery configuration the flags give.
func (d *deliveryFlags) config() (delivery.Config, error) {
	if d.err != nil {
		return delivery.Config{}, d.err
	}
	if d.cfg.FileInterval <= 0 || d.cfg.Poll <= 0 || d.cfg.DigestPeriod <= 0 {
		return delivery.Config{}, errors.New("--trail-interval, --trail-digest-period and --delivery-poll must be positive")
	}
	cfg := d.cfg
	cfg.Webhooks = nil
	for i, h := range d.hooks {
		if !d.own[i] {
			h.Filter = d.defaultEvent
		}
		cfg.Webhooks = append(cfg.Webhooks, h)
	}
	return cfg, nil
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
