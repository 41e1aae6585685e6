package delivery

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/store"
)

// fileSink writes log files and their digests under the trail directory.
type fileSink struct {
	d      *Deliverer
	dir    string
	signer *signer
	// idleAt is when a chain may next have gone Config.DigestPeriod
	// without a digest (zero: look at the next round). Chains only grow
	// newer, also by other replicas' hands, so looking no sooner misses
	// none (a chain begun after the look ends after it).
	idleAt time.Time
}

func (f *fileSink) key() string  { return "files" }
func (f *fileSink) name() string { return "files" }

func (f *fileSink) due(ready int, updated, now time.Time) bool {
	return ready >= f.d.cfg.FileMaxEvents || now.Sub(updated) >= f.d.cfg.FileInterval
}

// Digest is a digest file, in CloudTrail's format (without S3 buckets:
// objects are paths under the trail directory).
type Digest struct {
	AWSAccountID                string    `json:"awsAccountId"`
	DigestStartTime             string    `json:"digestStartTime"`
	DigestEndTime               string    `json:"digestEndTime"`
	DigestS3Object              string    `json:"digestS3Object"`
	DigestPublicKeyFingerprint  string    `json:"digestPublicKeyFingerprint"`
	DigestSignatureAlgorithm    string    `json:"digestSignatureAlgorithm"`
	NewestEventTime             *string   `json:"newestEventTime"` // null without log files
	OldestEventTime             *string   `json:"oldestEventTime"`
	PreviousDigestS3Object      *string   `json:"previousDigestS3Object"`
	PreviousDigestHashValue     *string   `json:"previousDigestHashValue"`
	PreviousDigestHashAlgorithm *string   `json:"previousDigestHashAlgorithm"`
	PreviousDigestSignature     *string   `json:"previousDigestSignature"`
	LogFiles                    []LogFile `json:"logFiles"`
}

// LogFile is a log file a digest lists.
type LogFile struct {
	S3Object        string `json:"s3Object"`
	HashValue       string `json:"hashValue"`
	HashAlgorithm   string `json:"hashAlgorithm"`
	NewestEventTime string `json:"newestEventTime"`
	OldestEventTime string `json:"oldestEventTime"`
}

const (
	hashAlgorithm = "SHA-256"
	timeFormat    = "2006-01-02T15:04:05Z"
)

type chain struct{ account, region string }

// deliver writes events (in seq order) to one or more log files per
// recipient account and Region, and a digest per account and Region; and a
// digest listing no log files for each other chain that has had no digest
// for Config.DigestPeriod. The digests join their chains when commit runs
// in the cursor's transaction. Writing files is quick and not interrupted
// by Close.
func (f *fileSink) deliver(_ context.Context, events []*store.AuditEvent) (int, func(context.Context, *store.Tx) error, func(), error) {
	ctx := context.Background()
	groups := map[chain][]*store.AuditEvent{}
	for _, e := range events {
		if e.RecipientAccountID == "" {
			continue
		}
		region := e.Region
		if region == "" {
			region = audit.DefaultRegion
		}
		c := chain{e.RecipientAccountID, region}
		groups[c] = append(groups[c], e)
	}
	now := time.Now().UTC()
	idle, err := f.idleChains(ctx, groups, now)
	if err != nil {
		return 0, nil, nil, err
	}
	if len(groups) == 0 && len(idle) == 0 {
		return len(events), nil, nil, nil
	}
	heads := map[chain]*store.DeliveryDigest{}
	chains := make([]chain, 0, len(groups)+len(idle))
	for c := range groups {
		chains = append(chains, c)
	}
	for _, h := range idle {
		c := chain{h.AccountID, h.Region}
		heads[c] = h
		chains = append(chains, c)
	}
	sort.Slice(chains, func(i, j int) bool {
		return chains[i].account < chains[j].account || chains[i].account == chains[j].account && chains[i].region < chains[j].region
	})
	var written []string
	undo := func() {
		for _, p := range written {
			os.Remove(p)
		}
		f.idleAt = time.Time{} // the chains are as they were: look again
	}
	var digests []*store.DeliveryDigest
	for _, c := range chains {
		evs := groups[c]
		logs := []LogFile{} // "logFiles": [] in a digest without log files
		for len(evs) > 0 {
			n := min(len(evs), f.d.cfg.FileMaxEvents)
			lf, full, err := f.writeLog(c, evs[:n], now)
			if full != "" {
				written = append(written, full)
			}
			if err != nil {
				undo()
				return 0, nil, nil, err
			}
			logs = append(logs, lf)
			evs = evs[n:]
		}
		head, ok := heads[c]
		if !ok {
			var err error
			head, err = f.d.st.R().DeliveryDigestHead(ctx, c.account, c.region)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				undo()
				return 0, nil, nil, err
			}
		}
		dg, full, err := f.writeDigest(c, head, logs, now)
		if full != "" {
			written = append(written, full)
		}
		if err != nil {
			undo()
			return 0, nil, nil, err
		}
		digests = append(digests, dg)
		// The chain is next idle a period after this digest.
		if end, err := time.Parse(timeFormat, dg.EndTime); err == nil && !f.idleAt.IsZero() && end.Add(f.d.cfg.DigestPeriod).Before(f.idleAt) {
			f.idleAt = end.Add(f.d.cfg.DigestPeriod)
		}
	}
	commit := func(ctx context.Context, tx *store.Tx) error {
		for _, d := range digests {
			if err := tx.InsertDeliveryDigest(ctx, d); err != nil {
				return err
			}
		}
		return nil
	}
	return len(events), commit, undo, nil
}

// idleChains returns the heads of the chains, other than those of groups,
// that have had no digest for Config.DigestPeriod, if it is time to look
// (f.idleAt), and sets when to look next.
func (f *fileSink) idleChains(ctx context.Context, groups map[chain][]*store.AuditEvent, now time.Time) ([]*store.DeliveryDigest, error) {
	if now.Before(f.idleAt) {
		return nil, nil
	}
	heads, err := f.d.st.R().DeliveryDigestHeads(ctx)
	if err != nil {
		return nil, err
	}
	period := f.d.cfg.DigestPeriod
	next := now.Add(period)
	var idle []*store.DeliveryDigest
	for _, h := range heads {
		if _, ok := groups[chain{h.AccountID, h.Region}]; ok {
			continue // a digest with its log files
		}
		end, err := time.Parse(timeFormat, h.EndTime)
		if err != nil || !now.Before(end.Add(period)) {
			idle = append(idle, h)
		} else if end.Add(period).Before(next) {
			next = end.Add(period)
		}
	}
	f.idleAt = next
	return idle, nil
}

// writeLog writes one log file and returns its digest entry and full path.
func (f *fileSink) writeLog(c chain, events []*store.AuditEvent, now time.Time) (LogFile, string, error) {
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	oldest, newest := events[0].Time, events[0].Time
	for i, e := range events {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(audit.JSON(e))
		if e.Time.Before(oldest) {
			oldest = e.Time
		}
		if e.Time.After(newest) {
			newest = e.Time
		}
	}
	b.WriteString("]}")
	obj := path.Join("AWSLogs", c.account, "CloudTrail", c.region, now.Format("2006/01/02"),
		fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", c.account, c.region, now.Format("20060102T1504Z"), randomName()))
	full, err := writeGzip(f.dir, obj, b.Bytes())
	return LogFile{S3Object: obj, HashValue: sha256Hex(b.Bytes()), HashAlgorithm: hashAlgorithm,
		NewestEventTime: newest.UTC().Format(timeFormat), OldestEventTime: oldest.UTC().Format(timeFormat)}, full, err
}

// writeDigest writes the next digest of a chain, after head (nil for the
// first), listing logs (none: a digest of an hour without log files).
func (f *fileSink) writeDigest(c chain, head *store.DeliveryDigest, logs []LogFile, now time.Time) (*store.DeliveryDigest, string, error) {
	end := now.Truncate(time.Second)
	dg := Digest{AWSAccountID: c.account, DigestPublicKeyFingerprint: f.signer.fingerprint, DigestSignatureAlgorithm: SignatureAlgorithm, LogFiles: logs}
	n := int64(1)
	prevSig := ""
	if head != nil {
		// Digest names carry their end time to the second: each link of a
		// chain ends at least a second after the one before.
		if prevEnd, err := time.Parse(timeFormat, head.EndTime); err == nil {
			if !end.After(prevEnd) {
				end = prevEnd.Add(time.Second)
			}
			dg.DigestStartTime = head.EndTime
		}
		n, prevSig = head.N+1, head.Signature
		alg := hashAlgorithm
		dg.PreviousDigestS3Object, dg.PreviousDigestHashValue, dg.PreviousDigestHashAlgorithm, dg.PreviousDigestSignature = &head.Object, &head.SHA256, &alg, &head.Signature
	}
	dg.DigestEndTime = end.Format(timeFormat)
	for i, l := range logs {
		if i == 0 {
			dg.OldestEventTime, dg.NewestEventTime = &logs[i].OldestEventTime, &logs[i].NewestEventTime
		}
		if l.OldestEventTime < *dg.OldestEventTime {
			dg.OldestEventTime = &logs[i].OldestEventTime
		}
		if l.NewestEventTime > *dg.NewestEventTime {
			dg.NewestEventTime = &logs[i].NewestEventTime
		}
	}
	if dg.DigestStartTime == "" && dg.OldestEventTime != nil {
		dg.DigestStartTime = *dg.OldestEventTime
	}
	dg.DigestS3Object = path.Join("AWSLogs", c.account, "CloudTrail-Digest", c.region, end.Format("2006/01/02"),
		fmt.Sprintf("%s_CloudTrail-Digest_%s_idcenter_%s_%s.json.gz", c.account, c.region, c.region, end.Format("20060102T150405Z")))
	body, err := json.Marshal(dg)
	if err != nil {
		return nil, "", err
	}
	hash := sha256Hex(body)
	full, err := writeGzip(f.dir, dg.DigestS3Object, body)
	return &store.DeliveryDigest{AccountID: c.account, Region: c.region, N: n, Object: dg.DigestS3Object, SHA256: hash,
		Signature: f.signer.sign(dg.DigestEndTime, dg.DigestS3Object, hash, prevSig), EndTime: dg.DigestEndTime}, full, err
}

// writeGzip writes content gzipped to dir/obj, durably, without replacing
// a file already there; it returns the path once something may be there.
func writeGzip(dir, obj string, content []byte) (string, error) {
	full := filepath.Join(dir, filepath.FromSlash(obj))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	// Written aside (outside AWSLogs, where readers never see it half
	// done), then linked into place.
	tmpDir := filepath.Join(dir, ".tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(tmpDir, "trail-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	zw := gzip.NewWriter(tmp)
	_, err = zw.Write(content)
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	// A hard link fails if the name is taken, where a rename would replace.
	if err := os.Link(tmp.Name(), full); err != nil {
		return "", err
	}
	return full, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// randomName is 16 random letters and digits, as in CloudTrail's names.
func randomName() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
