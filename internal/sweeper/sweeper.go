// Package sweeper runs a domain's durable background work on demand. The
// work itself is rows in the database (instances being created, assignment
// requests in progress); a sweep finds what is due and does it. Kick starts
// a sweeping goroutine unless one runs (then it asks that one for another
// pass); the goroutine ends when a sweep reports nothing pending, so an idle
// server runs nothing. Any replica, and a process restarted after a crash,
// picks the work up again from the database. Close stops the sweeping and
// waits for it, so that the store can be closed after it.
package sweeper

import (
	"context"
	"sync"
	"time"
)

// Sweeper drives one domain's sweeps.
type Sweeper struct {
	// Sweep does the work that is due and reports whether work remains
	// (due later, or beyond one batch).
	Sweep func(ctx context.Context) (pending bool, err error)
	// Tick is the pause between sweeps while work remains due later.
	Tick time.Duration
	// Timeout bounds one sweep.
	Timeout time.Duration

	mu      sync.Mutex
	running bool
	again   bool // kicked during the running sweep
	closed  bool
	base    context.Context // cancelled by Close: ends the sweep in progress and the pause
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// Kick makes sure a sweep runs soon. After Close it does nothing: the work
// stays in the database for the next process.
func (w *Sweeper) Kick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	if w.running {
		w.again = true
		return
	}
	if w.base == nil {
		w.base, w.cancel = context.WithCancel(context.Background())
	}
	w.running = true
	w.done.Add(1)
	go w.loop(w.base)
}

// Close stops the sweeping: the sweep in progress sees its context
// cancelled, no new one starts, and Close returns once the goroutine ended.
func (w *Sweeper) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		if w.cancel != nil {
			w.cancel()
		}
	}
	w.mu.Unlock()
	w.done.Wait()
}

func (w *Sweeper) loop(base context.Context) {
	defer w.done.Done()
	for {
		ctx, cancel := context.WithTimeout(base, w.Timeout)
		pending, err := w.Sweep(ctx)
		cancel()
		w.mu.Lock()
		if err != nil || !pending && !w.again || w.closed {
			w.running = false
			w.mu.Unlock()
			return
		}
		again := w.again
		w.again = false
		w.mu.Unlock()
		if !again {
			select { // what is left is due later
			case <-time.After(w.Tick):
			case <-base.Done():
			}
		}
	}
}
