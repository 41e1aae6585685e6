package store

import (
	"context"
	"errors"
	"time"
)

// The delivery tables (internal/delivery): where each delivery sink stands
// in the audit trail, the chain of signed digests of delivered log files,
// and the key that signs them.
const (
	deliveryCursorsTable = `CREATE TABLE delivery_cursors (
		sink TEXT PRIMARY KEY,
		seq BIGINT NOT NULL,
		pending TEXT NOT NULL DEFAULT '',
		owner TEXT NOT NULL DEFAULT '',
		lease_ms BIGINT NOT NULL DEFAULT 0,
		version BIGINT NOT NULL DEFAULT 0,
		updated_ms BIGINT NOT NULL DEFAULT 0)`
	deliveryDigestsTable = `CREATE TABLE delivery_digests (
		account_id TEXT NOT NULL,
		region TEXT NOT NULL,
		n BIGINT NOT NULL,
		object TEXT NOT NULL,
		sha256 TEXT NOT NULL,
		signature TEXT NOT NULL,
		end_time TEXT NOT NULL,
		PRIMARY KEY (account_id, region, n))`
	deliveryKeysTable = `CREATE TABLE delivery_keys (
		id TEXT PRIMARY KEY,
		public_key TEXT NOT NULL,
		sealed_private_key TEXT NOT NULL,
		created_ms BIGINT NOT NULL)`
)

// ErrClaimed is returned by ClaimDeliveryCursor when another process holds
// the sink, and by AdvanceDeliveryCursor when the caller no longer does.
var ErrClaimed = errors.New("store: the delivery sink is claimed by another process")

// DeliveryCursor is where a delivery sink stands: every event with a seq up
// to Seq is delivered, except those Pending lists (JSON, the sink's own
// format). Owner holds the sink until Lease; Version changes with every
// advance.
type DeliveryCursor struct {
	Sink    string
	Seq     int64
	Pending string
	Owner   string
	Lease   time.Time
	Version int64
	Updated time.Time
}

// EnsureDeliveryCursor creates the cursor of a sink, if it has none, at the
// current end of the audit trail: a new sink delivers what happens from now
// on.
func (s *Store) EnsureDeliveryCursor(ctx context.Context, sink string) error {
	// The end is read first, outside the write: on SQLite the events are in
	// a file the main file's writer does not attach (auditfile.go). Events
	// stored in between are delivered too.
	var end int64
	if err := s.R().row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_events`).Scan(&end); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO delivery_cursors (sink, seq, updated_ms) VALUES (?, ?, ?) ON CONFLICT (sink) DO NOTHING`, sink, end, ms(tx.Now))
		return err
	})
}

// DeliveryCursors returns every sink's cursor, by sink name.
func (q Q) DeliveryCursors(ctx context.Context) ([]*DeliveryCursor, error) {
	return queryAll(ctx, q, scanDeliveryCursor, `SELECT `+cursorColumns+` FROM delivery_cursors ORDER BY sink`)
}

const cursorColumns = `sink, seq, pending, owner, lease_ms, version, updated_ms`

func scanDeliveryCursor(sc scanner) (*DeliveryCursor, error) {
	var c DeliveryCursor
	var leaseMS, updated int64
	if err := sc.Scan(&c.Sink, &c.Seq, &c.Pending, &c.Owner, &leaseMS, &c.Version, &updated); err != nil {
		return nil, err
	}
	c.Lease, c.Updated = fromMS(leaseMS), fromMS(updated)
	return &c, nil
}

// RenameDeliveryCursors renames, in one transaction, each cursor for which
// rename returns a new name (true): the cursor, its position, lease and
// version, goes on under the new name. Where a cursor of the new name exists
// already, that one is kept and the one of the old name deleted. No cursor
// keeps its old name.
func (s *Store) RenameDeliveryCursors(ctx context.Context, rename func(sink string) (string, bool)) error {
	return s.Write(ctx, func(tx *Tx) error {
		sinks, err := queryAll(ctx, tx.Q, scanString, `SELECT sink FROM delivery_cursors`)
		if err != nil {
			return err
		}
		for _, old := range sinks {
			name, ok := rename(old)
			if !ok || name == old {
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE delivery_cursors SET sink = ? WHERE sink = ?
				AND NOT EXISTS (SELECT 1 FROM delivery_cursors WHERE sink = ?)`, name, old, name); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM delivery_cursors WHERE sink = ?`, old); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimDeliveryCursor takes (or renews) owner's hold on a sink until
// now+lease, unless another owner's lease is running (ErrClaimed), and
// returns the cursor.
func (s *Store) ClaimDeliveryCursor(ctx context.Context, sink, owner string, now time.Time, lease time.Duration) (*DeliveryCursor, error) {
	err := s.Write(ctx, func(tx *Tx) error {
		err := affected(tx.exec(ctx, `UPDATE delivery_cursors SET owner = ?, lease_ms = ?
			WHERE sink = ? AND (owner = ? OR owner = '' OR lease_ms < ?)`, owner, ms(now.Add(lease)), sink, owner, ms(now)))
		if errors.Is(err, ErrNotFound) {
			return ErrClaimed
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	c, err := scanDeliveryCursor(s.R().row(ctx, `SELECT `+cursorColumns+` FROM delivery_cursors WHERE sink = ?`, sink))
	if err != nil {
		return nil, scanErr(err)
	}
	if c.Owner != owner {
		return nil, ErrClaimed
	}
	return c, nil
}

// ReleaseDeliveryCursor gives up owner's hold on a sink.
func (s *Store) ReleaseDeliveryCursor(ctx context.Context, sink, owner string) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE delivery_cursors SET owner = '', lease_ms = 0 WHERE sink = ? AND owner = ?`, sink, owner)
		return err
	})
}

// AdvanceDeliveryCursor moves a sink's cursor, if owner still holds it at
// version (a compare-and-set: ErrClaimed otherwise), and sets when it last
// advanced (updated). Every call changes the version, even one that leaves
// seq and pending as they are: it fences off a replica whose lease ran out.
func (q Q) AdvanceDeliveryCursor(ctx context.Context, sink, owner string, version, seq int64, pending string, updated time.Time) error {
	err := affected(q.exec(ctx, `UPDATE delivery_cursors SET seq = ?, pending = ?, version = version + 1, updated_ms = ?
		WHERE sink = ? AND owner = ? AND version = ?`, seq, pending, ms(updated), sink, owner, version))
	if errors.Is(err, ErrNotFound) {
		return ErrClaimed
	}
	return err
}

// AuditEventsAfter returns at most limit events with a seq above seq, in
// seq order.
func (q Q) AuditEventsAfter(ctx context.Context, seq int64, limit int) ([]*AuditEvent, error) {
	return queryAll(ctx, q, scanAuditEvent, auditSelect+` WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
}

// AuditEventsBySeq returns the stored events among seqs, in seq order.
func (q Q) AuditEventsBySeq(ctx context.Context, seqs []int64) ([]*AuditEvent, error) {
	return queryIn(ctx, q, scanAuditEvent, auditSelect+` WHERE seq IN (%s) ORDER BY seq`, nil, seqs)
}

// DeliveryDigest is a link of the chain of digest files of one account and
// Region: the N-th digest delivered, at Object (a path under the trail
// directory), with the SHA-256 of its uncompressed content and its
// signature (hex).
type DeliveryDigest struct {
	AccountID string
	Region    string
	N         int64
	Object    string
	SHA256    string
	Signature string
	EndTime   string
}

// DeliveryDigestHead returns the newest digest of an account and Region
// (ErrNotFound before the first).
func (q Q) DeliveryDigestHead(ctx context.Context, accountID, region string) (*DeliveryDigest, error) {
	ds, err := queryAll(ctx, q, scanDeliveryDigest, `SELECT `+digestColumns+` FROM delivery_digests d
		WHERE account_id = ? AND region = ? ORDER BY n DESC LIMIT 1`, accountID, region)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrNotFound
	}
	return ds[0], nil
}

// DeliveryDigestHeads returns the newest digest of every chain, by account
// and Region.
func (q Q) DeliveryDigestHeads(ctx context.Context) ([]*DeliveryDigest, error) {
	return queryAll(ctx, q, scanDeliveryDigest, `SELECT `+digestColumns+` FROM delivery_digests d
		JOIN (SELECT account_id, region, MAX(n) AS n FROM delivery_digests GROUP BY account_id, region) h
		ON d.account_id = h.account_id AND d.region = h.region AND d.n = h.n
		ORDER BY d.account_id, d.region`)
}

// DeliveryDigests returns every digest, chain by chain (by account and
// Region), oldest first.
func (q Q) DeliveryDigests(ctx context.Context) ([]*DeliveryDigest, error) {
	return queryAll(ctx, q, scanDeliveryDigest, `SELECT `+digestColumns+` FROM delivery_digests d ORDER BY account_id, region, n`)
}

const digestColumns = `d.account_id, d.region, d.n, d.object, d.sha256, d.signature, d.end_time`

func scanDeliveryDigest(sc scanner) (*DeliveryDigest, error) {
	var d DeliveryDigest
	err := sc.Scan(&d.AccountID, &d.Region, &d.N, &d.Object, &d.SHA256, &d.Signature, &d.EndTime)
	return &d, err
}

// InsertDeliveryDigest stores a new link of a chain; ErrAlreadyExists when
// another process stored its N-th link first.
func (q Q) InsertDeliveryDigest(ctx context.Context, d *DeliveryDigest) error {
	_, err := q.exec(ctx, `INSERT INTO delivery_digests (account_id, region, n, object, sha256, signature, end_time) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.AccountID, d.Region, d.N, d.Object, d.SHA256, d.Signature, d.EndTime)
	return q.f.translate(err)
}

// DeliveryKey is the key that signs digests: the public key and the private
// key sealed with the server key, both base64.
type DeliveryKey struct {
	PublicKey        string
	SealedPrivateKey string
	Created          time.Time
}

// DeliveryKey returns the digest signing key (ErrNotFound before the
// first digest).
func (q Q) DeliveryKey(ctx context.Context) (*DeliveryKey, error) {
	var k DeliveryKey
	var created int64
	err := q.row(ctx, `SELECT public_key, sealed_private_key, created_ms FROM delivery_keys WHERE id = 'digest'`).
		Scan(&k.PublicKey, &k.SealedPrivateKey, &created)
	if err != nil {
		return nil, scanErr(err)
	}
	k.Created = fromMS(created)
	return &k, nil
}

// PutDeliveryKeyOnce stores k as the digest signing key unless one exists
// (another replica made it first); DeliveryKey then returns the one kept.
func (s *Store) PutDeliveryKeyOnce(ctx context.Context, k *DeliveryKey) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO delivery_keys (id, public_key, sealed_private_key, created_ms) VALUES ('digest', ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, k.PublicKey, k.SealedPrivateKey, ms(k.Created))
		return err
	})
}
