//go:build !linux

package loadgen

import "time"

// LocalPostgresCPU is unknown here (ok false).
func LocalPostgresCPU() (time.Duration, bool) { return 0, false }
