package delivery_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeGz(t *testing.T, path string, content []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(content)
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trail reads the log files under dir: how many times each event appears,
// and the files (relative paths) in order.
func trail(t *testing.T, dir string) (map[string]int, []string) {
	t.Helper()
	seen := map[string]int{}
	var files []string
	filepath.WalkDir(filepath.Join(dir, "AWSLogs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, string(filepath.Separator)+"CloudTrail"+string(filepath.Separator)) {
			return nil
		}
		var doc struct{ Records []map[string]any }
		if err := json.Unmarshal(gunzip(t, p), &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, r := range doc.Records {
			seen[r["eventID"].(string)]++
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return seen, files
}

func allOnce(seen map[string]int, evs []*store.AuditEvent) bool {
	for _, e := range evs {
		if seen[e.EventID] != 1 {
			return false
		}
	}
	return true
}

// TestLogFilesAndVerify: events become gzipped log files in CloudTrail's
// layout, chained by signed digests; Verify finds the trail intact, then
// reports a changed log file, a removed one, an added one and a changed
// digest.
func TestLogFilesAndVerify(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		dir := t.TempDir()
		d := start(t, e.Store, delivery.Config{TrailDir: dir, FileMaxEvents: 2})
		acct, other := e.Boot.Org.ManagementAccountID, "111122223333"
		evs := insert(t, e.Store, acct, "CreateUser", "CreateGroup", "DeleteUser", "CreateInstance", "DeleteInstance", "ListInstances")
		waitFor(t, "the first files", func() bool { seen, _ := trail(t, dir); return allOnce(seen, evs) })
		evs = append(evs, insert(t, e.Store, other, "CreateUser")...)
		waitFor(t, "the other account's file", func() bool { seen, _ := trail(t, dir); return allOnce(seen, evs) })
		d.Close()

		_, files := trail(t, dir)
		var mine, theirs []string
		for _, f := range files {
			if !strings.HasPrefix(f, "AWSLogs/"+acct+"/CloudTrail/us-east-1/") || !strings.HasSuffix(f, ".json.gz") ||
				!strings.Contains(f, "/"+acct+"_CloudTrail_us-east-1_") {
				if strings.HasPrefix(f, "AWSLogs/"+other+"/CloudTrail/us-east-1/") {
					theirs = append(theirs, f)
					continue
				}
				t.Fatalf("unexpected log file %s", f)
			}
			mine = append(mine, f)
		}
		if len(mine) < 3 || len(theirs) != 1 {
			t.Fatalf("log files %v", files)
		}
		r, err := delivery.Verify(context.Background(), e.Store.R(), dir)
		if err != nil || len(r.Problems) != 0 || r.LogFiles != len(files) || r.Digests < 2 {
			t.Fatalf("intact trail: %+v %v", r, err)
		}
		digests, err := e.Store.R().DeliveryDigests(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var otherDigest string
		for _, dg := range digests {
			if dg.AccountID == other {
				otherDigest = dg.Object
			}
		}
		// The digest is CloudTrail's format.
		var dg delivery.Digest
		if err := json.Unmarshal(gunzip(t, filepath.Join(dir, otherDigest)), &dg); err != nil || dg.AWSAccountID != other ||
			len(dg.LogFiles) != 1 || dg.LogFiles[0].S3Object != theirs[0] || dg.DigestSignatureAlgorithm != "Ed25519" ||
			!strings.HasPrefix(otherDigest, "AWSLogs/"+other+"/CloudTrail-Digest/us-east-1/") {
			t.Fatalf("digest %s: %+v %v", otherDigest, dg, err)
		}

		// Tamper with one file, remove another, add a third, edit a digest.
		changed, removed := mine[0], mine[1]
		content := gunzip(t, filepath.Join(dir, changed))
		writeGz(t, filepath.Join(dir, changed), bytes.Replace(content, []byte(`"eventName":"`), []byte(`"eventName":"X`), 1))
		os.Remove(filepath.Join(dir, removed))
		added := filepath.ToSlash(filepath.Join(filepath.Dir(mine[2]), acct+"_CloudTrail_us-east-1_20250101T0000Z_AAAAAAAAAAAAAAAA.json.gz"))
		writeGz(t, filepath.Join(dir, added), []byte(`{"Records":[]}`))
		writeGz(t, filepath.Join(dir, otherDigest), bytes.Replace(gunzip(t, filepath.Join(dir, otherDigest)), []byte(theirs[0]), []byte(mine[2]), 1))

		r, err = delivery.Verify(context.Background(), e.Store.R(), dir)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range r.Problems {
			got[p.Path] += p.Kind + " "
		}
		want := map[string]string{changed: "changed ", removed: "removed ", added: "added ", otherDigest: "changed "}
		for path, kinds := range want {
			if got[path] != kinds {
				t.Errorf("%s: reported %q, want %q", path, got[path], kinds)
			}
		}
		// The other account's log file is no longer listed by a valid
		// digest.
		if got[theirs[0]] != "added " || len(got) != len(want)+1 {
			t.Errorf("problems %+v", r.Problems)
		}
	})
}

// TestReplicasDeliverOnce: two deliverers over one database and one trail
// directory write every event once.
func TestReplicasDeliverOnce(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		dir := t.TempDir()
		cfg := delivery.Config{TrailDir: dir, FileMaxEvents: 3}
		d1, d2 := start(t, e.Store, cfg), start(t, e.Store, cfg)
		var evs []*store.AuditEvent
		for i := 0; i < 10; i++ {
			evs = append(evs, insert(t, e.Store, e.Boot.Org.ManagementAccountID, "A", "B", "C", "D")...)
		}
		waitFor(t, "every event", func() bool {
			seen, _ := trail(t, dir)
			for _, ev := range evs {
				if seen[ev.EventID] == 0 {
					return false
				}
			}
			return true
		})
		d1.Close()
		d2.Close()
		seen, _ := trail(t, dir)
		for _, ev := range evs {
			if seen[ev.EventID] != 1 {
				t.Errorf("event %s delivered %d times", ev.EventID, seen[ev.EventID])
			}
		}
		if r, err := delivery.Verify(context.Background(), e.Store.R(), dir); err != nil || len(r.Problems) != 0 {
			t.Fatalf("verify: %+v %v", r, err)
		}
	})
}
