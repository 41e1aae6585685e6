package testenv

// Restart stops serving HTTP from e and starts a new server over the same
// database, as a process restarted after a crash would find it, and
// returns it. e's store stays open until the test ends, so its background
// goroutines may still run: a test that wants the new server to do pending
// work makes the old one idle first (by delaying its work, say).
func (e *Env) Restart() *Env {
	e.T.Helper()
	e.httpSrv.Close()
	return start(e.T, e.DBURL)
}
