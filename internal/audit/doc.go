// Package audit keeps idcenter's audit trail: one CloudTrail-format event per
// AWS API call (success, failure or refused authentication) and per change an
// administrative command makes, and answers questions about it the way
// CloudTrail does (LookupEvents) and CloudTrail Lake does (SQL over an event
// data store).
//
// # Recording
//
// A Trail hooks into the wire protocol handlers (awsproto.Handler.Begin and
// Observe; the STS handler has the same hooks). Begin builds the event from
// what the request says (caller, operation, request parameters) and puts it
// in the operation's context as a store.PendingEvent; the first successful
// store.Write under that context stores the event in the same transaction
// as the change (one narrow row of audit_pending), so no change is kept
// without its event, and a change that is rolled back takes its event with
// it. Observe completes the event with the outcome (responseElements,
// errorCode, errorMessage) and queues it; a writer goroutine stores queued
// events in batches (in audit_events, removing their pending rows), which
// also records the events of read-only and failed calls. Close (or Flush)
// waits until everything queued is stored, so a clean shutdown loses
// nothing. After a crash between a change's commit and its event's
// completion, the next trail to start (or the running ones, every few
// minutes) stores the pending event without its outcome (Complete false):
// never a change without an event.
//
// Admin commands record their changes the same way, with BeginChange and
// EndChange (userIdentity type Unknown, invokedBy "idcenter admin command",
// the operating system user as userName).
//
// Secrets never reach an event: members named like secrets (secret access
// keys, session tokens, passwords, client secrets, tokens, codes) are
// replaced by HIDDEN_DUE_TO_SECURITY_REASONS at any depth of the request
// parameters and response elements (see params.go), and request headers are
// not recorded at all.
//
// # Reading
//
// Lookup serves CloudTrail's LookupEvents for the caller's own account.
// Queries run CloudTrail Lake SQL: one SELECT statement over the event data
// store of the caller's organization (one built-in store per organization,
// named by a UUID-like id). The statement is tokenized and checked against
// allow lists (keywords, functions, fields); its FROM target is replaced by
// the organization's slice of a view over the events table and its dotted
// field names (userIdentity.arn) by that view's columns or JSON paths. It then
// runs on the real database in a read-only transaction (SQLite: a query_only
// connection under an authorizer that permits reading the audit tables only;
// PostgreSQL: READ ONLY with a statement timeout), so whatever slips past the
// checks still cannot change or read anything else.
package audit
