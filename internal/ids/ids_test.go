package ids

import (
	"regexp"
	"testing"
	"time"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUIDs(t *testing.T) {
	v4, v7 := UUID(), TimeUUID()
	if !uuidRe.MatchString(v4) || v4[14] != '4' {
		t.Fatalf("UUID %q", v4)
	}
	if !uuidRe.MatchString(v7) || v7[14] != '7' {
		t.Fatalf("TimeUUID %q", v7)
	}
	// Later ids sort after earlier ones.
	time.Sleep(2 * time.Millisecond)
	if later := TimeUUID(); later <= v7 {
		t.Fatalf("TimeUUID %q made after %q sorts before it", later, v7)
	}
	// The identity store's resource ids: "<10 hex>-<uuid>", as the model's
	// pattern allows.
	if id := ResourceID("d-0123456789"); !regexp.MustCompile(`^0123456789-` + uuidRe.String()[1:]).MatchString(id) {
		t.Fatalf("ResourceID %q", id)
	}
}

// TestUUIDsDistinct makes ids on several goroutines at once (each thread
// has its own generator) and finds no two alike.
func TestUUIDsDistinct(t *testing.T) {
	const workers, each = 8, 5000
	out := make(chan string, workers*each)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < each; i++ {
				if i%2 == 0 {
					out <- UUID()
				} else {
					out <- TimeUUID()
				}
			}
		}()
	}
	seen := make(map[string]bool, workers*each)
	for i := 0; i < workers*each; i++ {
		id := <-out
		if seen[id] || !uuidRe.MatchString(id) {
			t.Fatalf("id %q repeated or malformed", id)
		}
		seen[id] = true
	}
}
