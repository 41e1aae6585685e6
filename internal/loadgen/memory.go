package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
)

// Memory is what a process holds in memory, as Linux counts it
// (/proc/PID/status, /proc/PID/smaps_rollup). Its pages are anonymous (the
// Go heap, SQLite's page caches, stacks) or file-backed (the executable, and
// the database file where SQLite maps it: clean pages of the kernel's page
// cache, which a process that reads the file with pread holds in the same
// cache, uncounted, and which the kernel takes back when memory is short).
//
// The resident set (RSS) counts a page once per mapping: each of SQLite's
// reading connections maps the file on its own, so a page they all read
// counts four times there. The proportional set size (PSS) counts each page
// the process holds once: it is the process's share of the machine's memory.
type Memory struct {
	PeakRSS int64 `json:"rss_peak_bytes"` // VmHWM: the largest RSS so far
	RSS     int64 `json:"rss_bytes"`      // VmRSS
	Anon    int64 `json:"rss_anon_bytes"` // RssAnon
	File    int64 `json:"rss_file_bytes"` // RssFile
	PSS     int64 `json:"pss_bytes"`      // Pss, 0 when unknown
	PSSFile int64 `json:"pss_file_bytes"` // Pss_File, 0 when unknown
}

// ProcessMemory reads this process's Memory; false where /proc is not
// there to read.
func ProcessMemory() (Memory, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return Memory{}, false
	}
	m, ok := parseStatus(b)
	if rollup, err := os.ReadFile("/proc/self/smaps_rollup"); err == nil && ok { // Linux 4.14 and later
		m.PSS, m.PSSFile = kBLine(rollup, "Pss"), kBLine(rollup, "Pss_File")
	}
	return m, ok
}

// kBLine is the size in bytes on the line "name: N kB" of b, 0 if none.
func kBLine(b []byte, name string) int64 {
	for line := range bytes.Lines(b) {
		if n, rest, ok := bytes.Cut(line, []byte(":")); ok && string(n) == name {
			kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// parseStatus reads the memory lines of a /proc/PID/status file.
func parseStatus(b []byte) (Memory, bool) {
	m := Memory{PeakRSS: kBLine(b, "VmHWM"), RSS: kBLine(b, "VmRSS"), Anon: kBLine(b, "RssAnon"), File: kBLine(b, "RssFile")}
	return m, m.PeakRSS > 0 && m.RSS > 0 && m.Anon > 0
}

// ServerMemory reads the Memory of the server whose [BaselineHandler]
// answers a GET at url.
func ServerMemory(ctx context.Context, url string) (Memory, error) {
	a, err := getCPUAnswer(ctx, url+"?"+memoryQuery)
	if err != nil {
		return Memory{}, err
	}
	if a.Memory == nil {
		return Memory{}, fmt.Errorf("GET %s: the server does not say", url)
	}
	return *a.Memory, nil
}

// WriteMemory prints m as one line, in MiB.
func WriteMemory(w io.Writer, who string, m Memory) error {
	mib := func(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) }
	pss := "unknown"
	if m.PSS > 0 {
		pss = mib(m.PSS) + " MiB (" + mib(m.PSSFile) + " of it file-backed)"
	}
	_, err := fmt.Fprintf(w, "%s memory now: proportional set size %s; resident set %s MiB (%s anonymous, %s file-backed, counted once per mapping), at most %s MiB so far\n",
		who, pss, mib(m.RSS), mib(m.Anon), mib(m.File), mib(m.PeakRSS))
	return err
}
