package store

import (
	"encoding/hex"
	"strings"
)

// On SQLite, LookupEvents by resource name or type walks audit_event_keys, a
// contentless FTS5 table of the audit file: its rowid is the event's seq and
// its one column holds the event's keys (resourceKeys, each prefixed with
// the recipient account and hex-encoded into one token).
//
// A B-tree keyed by resource name (what PostgreSQL keeps, in
// audit_event_resources) puts each event of a directory under read load at
// a random place: with 100,000 users every event read and rewrote a page
// of a tree far larger than the cache, some 80 microseconds of the writer's
// time per event, half the server's work. FTS5 keeps its index as
// segments it writes in sequence and merges now and then, about 7
// microseconds per event, in a twentieth of the space (detail=none: it
// stores only which events hold a key).
//
// Its postings are in seq order, so a lookup through it returns the events
// newest stored first: on SQLite, where one writer stores them, that is
// time order but for calls that overlapped (see AuditEvents).
//
// contentless_delete makes INSERT OR REPLACE replace a row's keys, so that
// indexing an event again (completed twice, moved to another account,
// an interrupted upgrade run again) leaves one entry.
const auditKeysTable = `CREATE VIRTUAL TABLE IF NOT EXISTS audit_event_keys USING fts5(
		keys, content='', contentless_delete=1, detail=none, tokenize='ascii')`

// auditKeysInsert indexes one event: rowid seq, keys auditKeys.
const auditKeysInsert = `INSERT OR REPLACE INTO audit_event_keys (rowid, keys) VALUES (?, ?)`

// auditKeyToken is the token of one key of an event of account: the ascii
// tokenizer keeps a run of hex digits as one token (and folds case, so SQL's
// upper-case hex() matches).
func auditKeyToken(account, key string) string {
	return hex.EncodeToString([]byte(account + ":" + key))
}

// auditKeys is the keys column of e's row; "" when e has no resources.
func auditKeys(e *AuditEvent) string {
	keys := resourceKeys(e)
	var b strings.Builder
	for _, k := range keys {
		if k == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(auditKeyToken(e.RecipientAccountID, k))
	}
	return b.String()
}

// auditKeysMatch is the FTS5 query for one key: a quoted phrase of its token.
func auditKeysMatch(account, key string) string {
	return `"` + auditKeyToken(account, key) + `"`
}

// backfillAuditKeys indexes, from their resources column, the complete
// events of the table events (qualified as needed) that where selects
// ("e" is the event), into keys (the audit_event_keys table, qualified as
// needed). The keys are those of resourceKeys: each resource's name and each
// distinct type.
func backfillAuditKeys(events, keys, where string) string {
	return `INSERT OR REPLACE INTO ` + keys + ` (rowid, keys)
	SELECT seq, keys FROM (SELECT e.seq AS seq, (SELECT group_concat(hex(e.recipient_account_id || ':' || k.key), ' ') FROM (
			SELECT json_extract(j.value, '$.name') AS key FROM json_each(e.resources) j
			UNION SELECT char(31) || 'type:' || json_extract(j.value, '$.type') FROM json_each(e.resources) j
				WHERE COALESCE(json_extract(j.value, '$.type'), '') <> '') k
			WHERE COALESCE(k.key, '') <> '') AS keys
		FROM ` + events + ` e
		WHERE e.complete = 1 AND e.resources IS NOT NULL AND e.resources <> '[]'` + where + `)
	WHERE keys IS NOT NULL`
}
