package permset

import (
	"regexp"
	"strconv"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
)

// Session durations of a permission set: an ISO 8601 duration from one to
// twelve hours, PT1H when the request names none.
const (
	DefaultSessionDuration = "PT1H"
	minSession             = time.Hour
	maxSession             = 12 * time.Hour
)

// isoDuration is the model's Duration pattern without its look-ahead.
var isoDuration = regexp.MustCompile(`^(-?)P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// sessionDuration parses an ISO 8601 duration and checks it lies in
// [1 hour, 12 hours].
func sessionDuration(op, s string) (time.Duration, error) {
	bad := errs.Ef(op, errs.Invalid, "The session duration %s is not valid: it must be an ISO 8601 duration from 1 hour (PT1H) to 12 hours (PT12H)", s)
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s[len(s)-1] == 'T' {
		return 0, bad
	}
	if m[1] == "-" || m[2] != "" || m[3] != "" {
		return 0, bad // negative, or years and months (never within 12 hours)
	}
	var d float64
	add := func(v string, unit time.Duration) {
		if v != "" {
			f, _ := strconv.ParseFloat(v, 64)
			d += f * float64(unit)
		}
	}
	if m[5] == "W" {
		add(m[4], 7*24*time.Hour)
	} else {
		add(m[4], 24*time.Hour)
	}
	add(m[6], time.Hour)
	add(m[7], time.Minute)
	add(m[8], time.Second)
	if d < float64(minSession) || d > float64(maxSession) {
		return 0, bad
	}
	return time.Duration(d), nil
}
