package delivery

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/idcenter/idcenter/internal/store"
)

// What Verify finds wrong with a file.
const (
	Changed   = "changed"   // its content is not what its digest (or the database) says
	Removed   = "removed"   // it was delivered and is gone
	Added     = "added"     // no digest lists it
	Signature = "signature" // a digest's signature does not verify
	Chain     = "chain"     // a digest does not name the digest before it
)

// Problem is one thing Verify found wrong; Path is relative to the trail
// directory.
type Problem struct {
	Kind   string
	Path   string
	Detail string
}

func (p Problem) String() string {
	s := p.Kind + "\t" + p.Path
	if p.Detail != "" {
		s += "\t" + p.Detail
	}
	return s
}

// Report is what Verify checked and found.
type Report struct {
	Digests  int // digests valid
	LogFiles int // log files valid
	Problems []Problem
}

// Verify checks the trail directory against the digest chains the
// database records: each digest, with log files or without (a period
// without them), must be there, unchanged, correctly signed, naming the
// digest before it and starting where it ends; each log file a digest lists
// must be there with the hash listed; and every other file under AWSLogs is
// reported as added.
func Verify(ctx context.Context, q store.Q, dir string) (*Report, error) {
	digests, err := q.DeliveryDigests(ctx)
	if err != nil {
		return nil, err
	}
	r := &Report{}
	known := map[string]bool{}
	if len(digests) > 0 {
		k, err := q.DeliveryKey(ctx)
		if err != nil {
			return nil, fmt.Errorf("delivery: the digest signing key: %w", err)
		}
		pub, err := publicKey(k)
		if err != nil {
			return nil, err
		}
		var prev *store.DeliveryDigest
		for _, d := range digests {
			if prev != nil && (prev.AccountID != d.AccountID || prev.Region != d.Region) {
				prev = nil
			}
			r.checkDigest(dir, pub, d, prev, known)
			prev = d
		}
	}
	root := filepath.Join(dir, "AWSLogs")
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return nil
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if !known[rel] {
			r.add(Added, rel, "listed by no valid digest")
		}
		return nil
	})
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Path < r.Problems[j].Path })
	return r, err
}

func (r *Report) add(kind, path, detail string) {
	r.Problems = append(r.Problems, Problem{Kind: kind, Path: path, Detail: detail})
}

// checkDigest checks one digest of a chain (prev is the one before it, nil
// for the first) and the log files it lists, and marks them known.
func (r *Report) checkDigest(dir string, pub ed25519.PublicKey, d, prev *store.DeliveryDigest, known map[string]bool) {
	known[d.Object] = true
	content, err := readGzip(dir, d.Object)
	if errors.Is(err, fs.ErrNotExist) {
		r.add(Removed, d.Object, "digest")
		return
	}
	if err != nil {
		r.add(Changed, d.Object, "digest unreadable: "+err.Error())
		return
	}
	if hash := sha256Hex(content); hash != d.SHA256 {
		// What it lists now is not what was signed: the files it listed
		// are checked by no digest, and so reported as added.
		r.add(Changed, d.Object, "digest: SHA-256 "+hash+", delivered "+d.SHA256)
		return
	}
	ok := true
	var dg Digest
	if err := json.Unmarshal(content, &dg); err != nil {
		r.add(Changed, d.Object, "digest is not JSON")
		return
	}
	prevSig := ""
	if prev != nil {
		prevSig = prev.Signature
		if str(dg.PreviousDigestS3Object) != prev.Object || str(dg.PreviousDigestHashValue) != prev.SHA256 || str(dg.PreviousDigestSignature) != prev.Signature {
			r.add(Chain, d.Object, "does not name the previous digest "+prev.Object)
			ok = false
		} else if dg.DigestStartTime != prev.EndTime {
			r.add(Chain, d.Object, "does not start where the previous digest "+prev.Object+" ends")
			ok = false
		}
	} else if dg.PreviousDigestS3Object != nil {
		r.add(Chain, d.Object, "names a previous digest, but is the first of its chain")
		ok = false
	}
	sig, err := hex.DecodeString(d.Signature)
	if err != nil || !ed25519.Verify(pub, signingString(dg.DigestEndTime, d.Object, d.SHA256, prevSig), sig) || dg.DigestS3Object != d.Object {
		r.add(Signature, d.Object, "the digest's signature does not verify")
		ok = false
	}
	if ok {
		r.Digests++
	}
	for _, l := range dg.LogFiles {
		known[l.S3Object] = true
		content, err := readGzip(dir, l.S3Object)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.add(Removed, l.S3Object, "listed by "+d.Object)
		case err != nil:
			r.add(Changed, l.S3Object, "unreadable: "+err.Error())
		case sha256Hex(content) != l.HashValue:
			r.add(Changed, l.S3Object, "SHA-256 differs from "+d.Object)
		default:
			r.LogFiles++
		}
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// readGzip returns the uncompressed content of dir/obj.
func readGzip(dir, obj string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(obj)))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
