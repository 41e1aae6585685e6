package delivery

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Config says where the trail goes and how often.
type Config struct {
	// TrailDir receives log files and digests ("" writes none).
	TrailDir string
	// FileInterval is how long events wait to be written to a log file.
	// CloudTrail waits about five minutes; a local tool is read by people
	// waiting for it, so the default is 10 seconds: soon enough to watch,
	// seldom enough that a busy server writes few, large files.
	FileInterval time.Duration
	// FileMaxEvents writes a log file as soon as this many events wait,
	// and bounds the events of one file (default 1000).
	FileMaxEvents int
	// DigestPeriod is the longest a digest chain (an account and Region
	// that has a digest) goes without a digest: one that has had none for
	// this long gets a digest listing no log files, linked to the one
	// before it, as CloudTrail delivers a digest every hour whether or not
	// log files were delivered (default 1 hour).
	DigestPeriod time.Duration
	// Webhooks receive the events their filters select.
	Webhooks []Webhook

	// Poll is how often sinks look for new events (default 1 s).
	Poll time.Duration
	// IncompleteAfter is how long an event may stay without its outcome
	// before it is delivered as it is (default 1 minute).
	IncompleteAfter time.Duration
	// GapWait is how long a missing seq is looked for before it is taken
	// for a rolled-back transaction (default 5 minutes).
	GapWait time.Duration
	// Lease is how long a replica holds a sink between rounds (default 30 s).
	Lease time.Duration
	// Timeout bounds one webhook call (default 10 s); RetryMin and
	// RetryMax bound the wait between failed calls (defaults 1 s, 5 min).
	Timeout, RetryMin, RetryMax time.Duration
}

// Enabled reports whether there is anything to deliver to.
func (c Config) Enabled() bool { return c.TrailDir != "" || len(c.Webhooks) > 0 }

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.FileInterval, 10*time.Second)
	def(&c.DigestPeriod, time.Hour)
	def(&c.Poll, time.Second)
	def(&c.IncompleteAfter, time.Minute)
	def(&c.GapWait, 5*time.Minute)
	def(&c.Lease, 30*time.Second)
	def(&c.Timeout, 10*time.Second)
	def(&c.RetryMin, time.Second)
	def(&c.RetryMax, 5*time.Minute)
	if c.FileMaxEvents <= 0 {
		c.FileMaxEvents = 1000
	}
	if c.Poll > c.FileInterval {
		c.Poll = c.FileInterval
	}
	return c
}

// Webhook is a URL and the events it receives: an empty filter selects
// every event.
type Webhook struct {
	URL    string
	Filter []Selector
}

// Selector selects events by eventName, eventSource, or both.
type Selector struct{ Source, Name string }

// ParseSelectors parses a filter: comma-separated items, each an eventName
// (CreateInstance), eventSource:eventName (sso.amazonaws.com:CreateInstance)
// or eventSource:* (every event of a service).
func ParseSelectors(s string) ([]Selector, error) {
	var out []Selector
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		src, name, ok := strings.Cut(item, ":")
		if !ok {
			src, name = "", item
		}
		if name == "*" {
			name = ""
		}
		if src == "" && name == "" || strings.ContainsAny(item, " /") {
			return nil, fmt.Errorf("bad event filter %q: want EventName, eventSource:EventName or eventSource:*", item)
		}
		out = append(out, Selector{Source: src, Name: name})
	}
	return out, nil
}

// ValidWebhookURL checks that a webhook URL is an absolute http(s) URL.
// Its error names the URL redacted (RedactURL).
func ValidWebhookURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("bad webhook URL %q: want http://... or https://...", RedactURL(s))
	}
	return nil
}

// RedactURL returns a URL fit for logs and error messages: its userinfo,
// query and fragment, which may hold credentials, each replaced by "xxxxx"
// (https://xxxxx@host/path?xxxxx). A URL that does not parse is not shown.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(malformed URL)"
	}
	const x = "xxxxx"
	if u.User != nil {
		u.User = url.User(x)
	}
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery, u.ForceQuery = x, false
	}
	if u.Fragment != "" {
		u.Fragment, u.RawFragment = x, ""
	}
	if u.Opaque != "" {
		u.Opaque = x
	}
	return u.String()
}

// cursorName is the name of a webhook's cursor: "webhook:" and the hex
// SHA-256 of its URL, stable across restarts and free of the URL's
// credentials.
func (w Webhook) cursorName() string {
	return "webhook:" + sha256Hex([]byte(w.URL))
}

// oldCursorPrefix and the URL named a webhook's cursor before cursorName
// did; Start renames such cursors.
const oldCursorPrefix = "webhook "

// Selects reports whether the webhook receives an event of this source and
// name.
func (w Webhook) Selects(source, name string) bool {
	if len(w.Filter) == 0 {
		return true
	}
	for _, s := range w.Filter {
		if (s.Source == "" || s.Source == source) && (s.Name == "" || s.Name == name) {
			return true
		}
	}
	return false
}
