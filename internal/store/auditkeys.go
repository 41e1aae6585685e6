package store

import (
	"slices"
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

// auditKeysAdd indexes an event just stored in a new row: no keys can be
// stored under its seq (SQLite gives a new row the largest seq + 1, and no
// audit row is deleted), so nothing is looked for to replace. That look
// cost 1-2 µs of an event's 24 in a fresh file (BenchmarkStoreEvents), and
// 8-11 µs of a DescribeUser's server time under bench with 3 million events.
const auditKeysAdd = `INSERT INTO audit_event_keys (rowid, keys) VALUES (?, ?)`

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
	return string(appendKeyToken(nil, account, "", key))
}

// appendKeyToken appends the token of the key prefix+key of an event of
// account (auditKeyToken) to b.
func appendKeyToken(b []byte, account, prefix, key string) []byte {
	for _, s := range [...]string{account, ":", prefix, key} {
		for i := 0; i < len(s); i++ {
			b = append(b, hexDigits[s[i]>>4], hexDigits[s[i]&15])
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// auditKeys is the keys column of e's row: the tokens of its keys, built
// in one buffer (it runs for every event stored).
func auditKeys(e *AuditEvent) string {
	b := make([]byte, 0, 512)
	add := func(prefix, key string) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = appendKeyToken(b, e.RecipientAccountID, prefix, key)
	}
	add(readOnlyKey(e.ReadOnly), "")
	for _, k := range [...]struct{ prefix, v string }{{sourceKey(""), e.EventSource}, {userKey(""), e.UserName}, {accessKeyKey(""), e.AccessKeyID}} {
		if k.v != "" {
			add(k.prefix, k.v)
		}
	}
	if e.Complete {
		for _, r := range e.Resources {
			if r.Name != "" {
				add("", r.Name)
			}
		}
		for i, r := range e.Resources {
			if r.Type != "" && !slices.ContainsFunc(e.Resources[:i], func(x AuditResource) bool { return x.Type == r.Type }) {
				add(typeKey(""), r.Type)
			}
		}
	}
	return string(b)
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
