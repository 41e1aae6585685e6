//go:build !unix

package loadgen

import "time"

// ProcessCPU is unknown here (ok false).
func ProcessCPU() (time.Duration, bool) { return 0, false }
