package sweeper

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A kick runs a sweep; kicks during a sweep run one more, not one each;
// the goroutine ends when nothing is pending; work due later is swept again
// after Tick.
func TestKick(t *testing.T) {
	var sweeps, pendingLeft atomic.Int32
	release := make(chan struct{})
	w := &Sweeper{Tick: 5 * time.Millisecond, Timeout: time.Second, Sweep: func(ctx context.Context) (bool, error) {
		n := sweeps.Add(1)
		if n == 1 {
			<-release // hold the first sweep while more kicks arrive
		}
		return pendingLeft.Add(-1) >= 0, nil
	}}
	w.Kick()
	for range 5 {
		w.Kick()
	}
	close(release)
	waitFor(t, func() bool { return !w.isRunning() })
	if n := sweeps.Load(); n != 2 {
		t.Fatalf("%d sweeps, want 2 (the first and one for the kicks it missed)", n)
	}

	// Work due later: swept until none is pending.
	sweeps.Store(10)
	pendingLeft.Store(3)
	w.Kick()
	waitFor(t, func() bool { return !w.isRunning() })
	if n := sweeps.Load() - 10; n != 4 {
		t.Fatalf("%d sweeps, want 4 (three with work pending, one finding none)", n)
	}
}

func (w *Sweeper) isRunning() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// Close cancels the sweep in progress, waits for it, and later kicks start
// nothing.
func TestClose(t *testing.T) {
	var sweeps atomic.Int32
	started := make(chan struct{})
	w := &Sweeper{Tick: time.Hour, Timeout: time.Hour, Sweep: func(ctx context.Context) (bool, error) {
		if sweeps.Add(1) == 1 {
			close(started)
		}
		<-ctx.Done()
		return true, ctx.Err()
	}}
	w.Kick()
	<-started
	w.Close()
	if w.isRunning() {
		t.Fatal("still running after Close")
	}
	w.Kick()
	w.Close()
	if n := sweeps.Load(); n != 1 {
		t.Fatalf("%d sweeps, want 1", n)
	}
	(&Sweeper{}).Close() // never kicked
}
