// Package sweeper runs a domain's durable background work on demand. The
// work itself is rows in the database (instances being created, assignment
// requests in progress); a sweep finds what is due and does it. Kick starts
// a sweeping goroutine unless one runs (then it asks that one for another
// pass); the goroutine ends when a sweep reports nothing pending, so an idle
// server runs nothing. Any replica, and a process restarted after a crash,
// picks the work up again from the database.
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
}

// Kick makes sure a sweep runs soon.
func (w *Sweeper) Kick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		w.again = true
		return
	}
	w.running = true
	go w.loop()
}

func (w *Sweeper) loop() {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), w.Timeout)
		pending, err := w.Sweep(ctx)
		cancel()
		w.mu.Lock()
		if err != nil || !pending && !w.again {
			w.running = false
			w.mu.Unlock()
			return
		}
		again := w.again
		w.again = false
		w.mu.Unlock()
		if !again {
			time.Sleep(w.Tick) // what is left is due later
		}
	}
}
