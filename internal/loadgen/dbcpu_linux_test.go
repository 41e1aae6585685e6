package loadgen

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestProcCPU: the processes named postgres are summed (user and system
// time, in USER_HZ), whatever else their stat line holds; others, and
// entries that are not processes, are not.
func TestProcCPU(t *testing.T) {
	root := t.TempDir()
	write := func(dir, stat string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, dir, "stat"), []byte(stat), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
	write("10", "10 (postgres) S 1 10 10 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 99 0 0\n")
	write("11", "11 (postgres) R 1 11 11 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 99 0 0\n")
	write("12", "12 (idcenter) S 1 12 12 0 -1 4194560 100 0 0 0 900 900 0 0 20 0 1 0 99 0 0\n")
	write("13", "13 (a (postgres)) S 1 13 13 0 -1 4194560 100 0 0 0 900 900 0 0 20 0 1 0 99 0 0\n")
	write("14", "14 (postgres) S 1\n") // cut short: skipped
	write("self", "10 (postgres) S 1 10 10 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 99 0 0\n")
	got, ok := procCPU(root, "postgres")
	if want := 3100 * time.Millisecond; !ok || got != want {
		t.Fatalf("procCPU = %v, %v; want %v", got, ok, want)
	}
	if _, ok := procCPU(root, "mysqld"); ok {
		t.Fatal("found a process that is not there")
	}
	if _, ok := procCPU(filepath.Join(root, "none"), "postgres"); ok {
		t.Fatal("read a /proc that does not exist")
	}
}
