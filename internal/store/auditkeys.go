package store

import (
	"encoding/hex"
	"strings"
)

// On SQLite, LookupEvents by any attribute but EventName and EventId walks
// audit_event_keys, a contentless FTS5 table of the audit file: its rowid is
// the event's seq and its one column holds the event's keys (auditKeys: its
// resources' names and types once complete, its ReadOnly, EventSource,
// Username and AccessKeyId), each prefixed with the recipient account and
// hex-encoded into one token.
//
// B-trees keyed by those (what PostgreSQL keeps: audit_event_resources and
// indexes of audit_events) put each event of a directory under read load at
// a random place: with 100,000 users every event read and rewrote a page of
// a resource tree far larger than the cache, some 80 microseconds of the
// writer's time per event, half the server's work, and each index costs a
// few more. FTS5 keeps its index as segments it writes in sequence and
// merges now and then, a few microseconds per event, in a twentieth of the
// space (detail=none: it stores only which events hold a key). Lookups by
// Username or AccessKeyId, which no index served, no longer scan.
//
// Its postings are in seq order, so a lookup through it returns the events
// newest stored first: on SQLite, where one writer stores them, that is
// time order but for calls that overlapped (see AuditEvents).
//
// contentless_delete makes INSERT OR REPLACE replace a row's keys, so that
// indexing an event again (completed, completed twice, moved to another
// account, an interrupted upgrade run again) leaves one entry.
const auditKeysTable = `CREATE VIRTUAL TABLE IF NOT EXISTS audit_event_keys USING fts5(
		keys, content='', contentless_delete=1, detail=none, tokenize='ascii')`

// auditKeysInsert indexes one event: rowid seq, keys auditKeys.
const auditKeysInsert = `INSERT OR REPLACE INTO audit_event_keys (rowid, keys) VALUES (?, ?)`

// The keys of an event's attributes: a control character no resource name
// holds, then the attribute (typeKey is a resource type's).
func readOnlyKey(ro bool) string {
	if ro {
		return "\x1fro:1"
	}
	return "\x1fro:0"
}
func sourceKey(s string) string    { return "\x1fsource:" + s }
func userKey(s string) string      { return "\x1fuser:" + s }
func accessKeyKey(s string) string { return "\x1fkey:" + s }

// auditKeyToken is the token of one key of an event of account: the ascii
// tokenizer keeps a run of hex digits as one token (and folds case, so SQL's
// upper-case hex() matches).
func auditKeyToken(account, key string) string {
	return hex.EncodeToString([]byte(account + ":" + key))
}

// auditKeys is the keys column of e's row.
func auditKeys(e *AuditEvent) string {
	keys := []string{readOnlyKey(e.ReadOnly)}
	for _, k := range []struct{ v, key string }{{e.EventSource, sourceKey(e.EventSource)}, {e.UserName, userKey(e.UserName)}, {e.AccessKeyID, accessKeyKey(e.AccessKeyID)}} {
		if k.v != "" {
			keys = append(keys, k.key)
		}
	}
	if e.Complete {
		keys = append(keys, resourceKeys(e)...)
	}
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

// lookupKey is the key a lookup on SQLite walks audit_event_keys by, "" if
// none (an EventName or EventId lookup, or none).
func (f *AuditFilter) lookupKey() string {
	switch {
	case f.Resource != "":
		return f.Resource
	case f.ResourceType != "":
		return typeKey(f.ResourceType)
	case f.ReadOnly != nil:
		return readOnlyKey(*f.ReadOnly)
	case f.EventSource != "":
		return sourceKey(f.EventSource)
	case f.UserName != "":
		return userKey(f.UserName)
	case f.AccessKeyID != "":
		return accessKeyKey(f.AccessKeyID)
	}
	return ""
}

// backfillAuditKeys indexes the events of the table events (qualified as
// needed) that where selects ("e" is the event) into keys (the
// audit_event_keys table, qualified as needed), with the keys auditKeys
// gives them.
func backfillAuditKeys(events, keys, where string) string {
	return `INSERT OR REPLACE INTO ` + keys + ` (rowid, keys)
	SELECT seq, keys FROM (SELECT e.seq AS seq, (SELECT group_concat(hex(e.recipient_account_id || ':' || k.key), ' ') FROM (
			SELECT char(31) || 'ro:' || e.read_only AS key
			UNION SELECT char(31) || 'source:' || e.event_source WHERE e.event_source <> ''
			UNION SELECT char(31) || 'user:' || e.user_name WHERE COALESCE(e.user_name, '') <> ''
			UNION SELECT char(31) || 'key:' || e.access_key_id WHERE COALESCE(e.access_key_id, '') <> ''
			UNION SELECT json_extract(j.value, '$.name') FROM json_each(e.resources) j WHERE e.complete = 1
			UNION SELECT char(31) || 'type:' || json_extract(j.value, '$.type') FROM json_each(e.resources) j
				WHERE e.complete = 1 AND COALESCE(json_extract(j.value, '$.type'), '') <> '') k
			WHERE COALESCE(k.key, '') <> '') AS keys
		FROM ` + events + ` e WHERE 1` + where + `)
	WHERE keys IS NOT NULL`
}
