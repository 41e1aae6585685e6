package loadgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// LocalPostgresCPU returns the CPU time (user and system) that the
// processes of this machine named postgres have used: a PostgreSQL server's
// backends and background processes, when it runs here. It reads /proc, so
// it counts processes alive now (a backend that exited takes its time with
// it: the server's pool keeps its connections open).
func LocalPostgresCPU() (time.Duration, bool) { return procCPU("/proc", "postgres") }

// userHZ is the unit of the times in /proc/PID/stat (USER_HZ, 100 on the
// architectures Go runs on).
const userHZ = 100

// procCPU sums the user and system time of the processes under root (a
// /proc) whose command name is comm; false when none is.
func procCPU(root, comm string) (time.Duration, bool) {
	dirs, err := os.ReadDir(root)
	if err != nil {
		return 0, false
	}
	var ticks uint64
	found := false
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, d.Name(), "stat"))
		if err != nil {
			continue // (the process ended)
		}
		// "PID (COMM) STATE ..." where COMM may hold spaces and
		// parentheses: it ends at the last ')'. utime and stime are fields
		// 14 and 15, the 12th and 13th after COMM.
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || end < open || string(b[open+1:end]) != comm {
			continue
		}
		f := bytes.Fields(b[end+1:])
		if len(f) < 13 {
			continue
		}
		u, err1 := strconv.ParseUint(string(f[11]), 10, 64)
		s, err2 := strconv.ParseUint(string(f[12]), 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		ticks += u + s
		found = true
	}
	return time.Duration(ticks) * time.Second / userHZ, found
}
