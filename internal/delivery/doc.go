// Package delivery sends the audit trail out of the database, as CloudTrail
// sends a trail's events: gzipped JSON log files in CloudTrail's folder
// layout, chained by signed digest files (log file validation), and HTTP
// webhooks that receive the events a filter selects.
//
// # Cursors
//
// Each sink (the trail directory; each webhook URL) has a cursor in the
// database (store.DeliveryCursor), so delivery resumes where it stopped
// after a restart; it advances only once the sink has taken the events (a
// file is on disk, a webhook answered 2xx). A new sink starts at the current
// end of the trail. The trail directory's cursor is named "files", a
// webhook's "webhook:" and the hex SHA-256 of its URL, so that the
// credentials a URL may carry (user:token@, ?key=...) are not stored; at
// start, cursors that earlier versions named "webhook " and the URL are
// renamed so (in one transaction, whether their webhook is still configured
// or not), and delivery goes on where they stood.
//
// Delivery is at least once: events delivered just before a crash, ahead of
// their cursor's advance, are delivered again (webhooks get the eventID as
// Idempotency-Key; a log file written just before a crash is left behind and
// its events are written again, and `audit verify` reports the orphan as
// added).
//
// Events are read in seq order. On PostgreSQL seq values are assigned at
// insert but transactions commit in any order, so a row may appear after a
// row with a larger seq was read. The cursor therefore keeps, besides the
// highest seq read, the seqs below it that were missing when it passed them
// (gaps): each round looks for them again and delivers those that have
// appeared; a gap still empty after Config.GapWait is forgotten (the
// transaction rolled back, or PostgreSQL skipped sequence values). An event
// still without its outcome (Complete false) is held the same way, and
// delivered as it is once it has stayed incomplete for
// Config.IncompleteAfter (a crash between a change's commit and its event's
// completion leaves it so for good).
//
// Several replicas over one PostgreSQL share the cursors: a replica claims
// a sink with a lease on its cursor row and advances the cursor with a
// compare-and-set on its version, so one replica at a time delivers a sink's
// events (replicas that write log files must share the trail directory).
//
// # Log files and digests
//
// Every Config.FileInterval, or as soon as Config.FileMaxEvents events are
// waiting, the events are written per recipient account and Region to
// DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
// <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 random>.json.gz, each
// {"Records":[...]} as CloudTrail writes it. Events recorded for no account
// (a refused authentication with an unknown key) go to webhooks only.
//
// With the log files of a round, one digest file per account and Region,
// DIR/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
// <account>_CloudTrail-Digest_<region>_idcenter_<region>_<YYYYMMDDTHHmmssZ>.json.gz,
// lists them with the SHA-256 of each one's uncompressed content, and names
// the previous digest of its chain with that digest's hash and signature,
// in CloudTrail's digest format. The signature (Ed25519, hex) signs
//
//	digestEndTime "\n" digestS3Object "\n" hex(SHA-256(uncompressed digest)) "\n" previousDigestSignature
//
// and is kept, as S3 object metadata keeps CloudTrail's, beside the file:
// in the database (delivery_digests), with the digest's hash. The signing
// key is made on first use and stored in the database (delivery_keys): the
// public key in clear, the private key sealed with the server key
// (internal/secret), so replicas that share IDCENTER_SECRET_KEY share it.
//
// As CloudTrail delivers a digest every hour whether or not log files were
// delivered, a chain (an account and Region that has a digest) that has had
// no digest for Config.DigestPeriod (an hour) gets one listing no log files
// ("logFiles": [], newestEventTime and oldestEventTime null), linked to the
// one before it like any other and starting where it ends, so that a digest
// missing from a period is provable. The file sink writes them in its round,
// under its cursor's lease, and they join their chains in the same
// compare-and-set transaction as log files' digests (the cursor's version
// changes, its position does not).
//
// Verify walks the chains the database records and reports every log file
// or digest changed, removed or added, a digest that does not name the one
// before it or start where it ends included.
//
// # Webhooks
//
// A webhook receives each event its filter selects as one POST whose body is
// the CloudTrail record (JSON), with the headers Idempotency-Key and
// X-Idcenter-Event-Id (both the eventID) and X-Idcenter-Event-Name. Any 2xx
// answer delivers the event; anything else (or no answer within
// Config.Timeout) is retried with exponential backoff from Config.RetryMin
// to Config.RetryMax, the events after it waiting in order. Logs and errors
// name a webhook by its URL redacted (RedactURL: userinfo, query and
// fragment as "xxxxx").
package delivery
