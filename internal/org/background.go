package org

import (
	"context"
	"time"
)

// workTimeout bounds one piece of background work.
const workTimeout = time.Minute

// background runs fn in its own goroutine, detached from any request, and
// counts it so that Wait can wait for it.
func (s *Service) background(fn func(ctx context.Context)) {
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		ctx, cancel := context.WithTimeout(context.Background(), workTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// ResumeInBackground finishes, in the background, the work a previous run
// left pending (CreateAccount requests). Servers call it once at start.
func (s *Service) ResumeInBackground() {
	s.background(func(ctx context.Context) { s.ResumeCreateAccounts(ctx) })
}

// Wait waits for the background work started so far (before the store is
// closed, say).
func (s *Service) Wait() { s.work.Wait() }
