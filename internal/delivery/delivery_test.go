package delivery_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

// fast are intervals short enough for tests.
func fast(cfg delivery.Config) delivery.Config {
	cfg.Poll, cfg.FileInterval = 20*time.Millisecond, 50*time.Millisecond
	cfg.RetryMin, cfg.RetryMax, cfg.Timeout = 20*time.Millisecond, 100*time.Millisecond, 2*time.Second
	cfg.Lease = 5 * time.Second
	return cfg
}

func sealer(t *testing.T) *secret.Sealer {
	s, err := secret.New([]byte(strings.Repeat("d", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func start(t *testing.T, st *store.Store, cfg delivery.Config) *delivery.Deliverer {
	t.Helper()
	d, err := delivery.Start(context.Background(), st, sealer(t), slog.New(slog.NewTextHandler(testLog(t), nil)), fast(cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// hook is a webhook receiver that refuses calls while down.
type hook struct {
	mu       sync.Mutex
	down     atomic.Bool
	refused  atomic.Int64
	received []received
}

type received struct {
	key, name string
	record    map[string]any
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.down.Load() {
		h.refused.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	var rec map[string]any
	if err := json.NewDecoder(r.Body).Decode(&rec); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.received = append(h.received, received{key: r.Header.Get("Idempotency-Key"), name: r.Header.Get("X-Idcenter-Event-Name"), record: rec})
	h.mu.Unlock()
}

func (h *hook) got() []received {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]received(nil), h.received...)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eventIDs returns the ids of the stored events named name.
func eventIDs(t *testing.T, st *store.Store, names ...string) map[string]string {
	t.Helper()
	evs, err := st.R().AuditEventsAfter(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range evs {
		for _, n := range names {
			if e.EventName == n {
				out[e.EventID] = n
			}
		}
	}
	return out
}

// TestWebhookDownThenBack: a webhook filtered on CreateInstance and
// DeleteInstance that refuses calls, across a restart of the server,
// receives exactly those events once it is back, each with its eventID as
// the idempotency key.
func TestWebhookDownThenBack(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		h := &hook{}
		h.down.Store(true)
		srv := httptest.NewServer(h)
		defer srv.Close()
		sel, _ := delivery.ParseSelectors("CreateInstance,sso.amazonaws.com:DeleteInstance")
		cfg := delivery.Config{Webhooks: []delivery.Webhook{{URL: srv.URL, Filter: sel}}}
		d := start(t, e.Store, cfg)

		ctx := context.Background()
		sso := ssoadmin.NewFromConfig(e.Config(e.MemberAccount("team")))
		inst, err := sso.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("team")})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the instance to be deletable", func() bool {
			_, err := sso.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: inst.InstanceArn})
			return err == nil
		})
		if _, err := sso.ListInstances(ctx, &ssoadmin.ListInstancesInput{}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "retries", func() bool { return h.refused.Load() >= 3 })
		d.Close()

		// A restart while the webhook is still down; then it comes back.
		e2 := e.Restart()
		e.Server.Audit.Flush()
		start(t, e2.Store, cfg)
		h.down.Store(false)
		want := eventIDs(t, e2.Store, "CreateInstance", "DeleteInstance")
		if len(want) != 2 {
			t.Fatalf("stored events %v", want)
		}
		waitFor(t, "the events", func() bool { return len(h.got()) >= 2 })
		time.Sleep(100 * time.Millisecond) // nothing else arrives
		got := h.got()
		if len(got) != 2 {
			t.Fatalf("received %d events: %+v", len(got), got)
		}
		for _, r := range got {
			if want[r.key] != r.name || r.record["eventID"] != r.key || r.record["eventName"] != r.name || r.record["eventSource"] != "sso.amazonaws.com" {
				t.Errorf("received %s %s %v", r.key, r.name, r.record)
			}
			delete(want, r.key)
		}
		if len(want) != 0 {
			t.Errorf("not received: %v", want)
		}
	})
}

// insert stores events directly (as the trail's writer does).
func insert(t *testing.T, st *store.Store, account string, names ...string) []*store.AuditEvent {
	t.Helper()
	var evs []*store.AuditEvent
	for _, n := range names {
		evs = append(evs, &store.AuditEvent{EventID: ids.UUID(), Time: time.Now().UTC(), RecipientAccountID: account, EventSource: "sso.amazonaws.com",
			EventName: n, EventType: "AwsApiCall", Region: "us-east-1", Complete: true, RequestParameters: `{"name":"x"}`})
	}
	if err := st.StoreAuditEvents(context.Background(), evs); err != nil {
		t.Fatal(err)
	}
	return evs
}

// testLog is where deliverers log: the test's output when verbose.
func testLog(t *testing.T) io.Writer {
	if testing.Verbose() {
		return os.Stderr
	}
	return io.Discard
}
