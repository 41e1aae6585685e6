package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/testenv"
)

func cursorName(url string) string {
	h := sha256.Sum256([]byte(url))
	return "webhook:" + hex.EncodeToString(h[:])
}

// cursorNames returns the names of the store's delivery cursors.
func cursorNames(t *testing.T, e *testenv.Env) []string {
	t.Helper()
	cs, err := e.Store.R().DeliveryCursors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Sink)
	}
	return out
}

// syncBuffer is a log destination safe for the deliverer's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWebhookCredentialsKeptOut: a webhook URL's userinfo and query reach
// neither the cursor's name nor the log, whether the webhook answers an
// error or cannot be reached.
func TestWebhookCredentialsKeptOut(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		h := &hook{}
		h.down.Store(true)
		srv := httptest.NewServer(h)
		defer srv.Close()
		refusing := strings.Replace(srv.URL, "http://", "http://alice:pw-s3cr3t@", 1) + "/in?key=q-s3cr3t&x=1#frag-s3cr3t"
		unreachable := "http://bob:pw2-s3cr3t@127.0.0.1:1/?token=q2-s3cr3t"
		var logs syncBuffer
		cfg := fast(delivery.Config{Webhooks: []delivery.Webhook{{URL: refusing}, {URL: unreachable}}})
		d, err := delivery.Start(context.Background(), e.Store, sealer(t), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), cfg)
		if err != nil {
			t.Fatal(err)
		}
		insert(t, e.Store, e.Boot.Org.ManagementAccountID, "CreateUser")
		waitFor(t, "retries of both webhooks", func() bool {
			return h.refused.Load() >= 2 && strings.Count(logs.String(), "127.0.0.1:1/") >= 2
		})
		d.Close()

		names := cursorNames(t, e)
		want := map[string]bool{cursorName(refusing): true, cursorName(unreachable): true}
		for _, n := range names {
			delete(want, n)
			if strings.Contains(n, "s3cr3t") || strings.Contains(n, "127.0.0.1") {
				t.Errorf("cursor %q names the URL", n)
			}
		}
		if len(want) != 0 {
			t.Errorf("cursors %q, missing %v", names, want)
		}
		out := logs.String()
		if !strings.Contains(out, "retrying") || !strings.Contains(out, "503") {
			t.Fatalf("log without the failures: %s", out)
		}
		for _, secret := range []string{"s3cr3t", "alice", "bob", "key=", "token="} {
			if strings.Contains(out, secret) {
				t.Errorf("the log holds %q: %s", secret, out)
			}
		}
	})
}

// TestOldWebhookCursorTakenOver: a cursor an older idcenter named after
// its webhook's URL is renamed at start and goes on where it stood: the
// events before it are not delivered again and the one after it is
// delivered; an old cursor of a webhook no longer configured is renamed
// too.
func TestOldWebhookCursorTakenOver(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		ctx := context.Background()
		h := &hook{}
		srv := httptest.NewServer(h)
		defer srv.Close()
		u := srv.URL + "/?token=abc"
		gone := "https://gone.example/hook?token=old"
		acct := e.Boot.Org.ManagementAccountID
		insert(t, e.Store, acct, "Before1", "Before2")
		for _, old := range []string{"webhook " + u, "webhook " + gone} {
			if err := e.Store.EnsureDeliveryCursor(ctx, old); err != nil {
				t.Fatal(err)
			}
		}
		after := insert(t, e.Store, acct, "After")[0]

		start(t, e.Store, delivery.Config{Webhooks: []delivery.Webhook{{URL: u}}})
		names := cursorNames(t, e)
		if len(names) != 2 || !strings.Contains(strings.Join(names, " "), cursorName(u)) || !strings.Contains(strings.Join(names, " "), cursorName(gone)) {
			t.Fatalf("cursors %q", names)
		}
		waitFor(t, "the event after the cursor", func() bool { return len(h.got()) >= 1 })
		time.Sleep(100 * time.Millisecond) // nothing else arrives
		if got := h.got(); len(got) != 1 || got[0].key != after.EventID {
			t.Fatalf("received %+v, want %s only", got, after.EventID)
		}
	})
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.example.com/idc":                       "https://hooks.example.com/idc",
		"https://user:token@hooks.example.com/p?key=secret#f": "https://xxxxx@hooks.example.com/p?xxxxx#xxxxx",
		"https://token@hooks.example.com/p?":                  "https://xxxxx@hooks.example.com/p?xxxxx",
		"http://u:p@h:8080":                                   "http://xxxxx@h:8080",
		"http:u:secret@host":                                  "http:xxxxx",
		"https://u:p@host/%zz?k=secret":                       "(malformed URL)",
	} {
		if got := delivery.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
	err := delivery.ValidWebhookURL("ftp://user:pw-secret@host/?k=q-secret")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("ValidWebhookURL: %v", err)
	}
}
