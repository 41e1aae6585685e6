package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// On SQLite a page of rows crosses the driver as one row, each column
// joined with commas on its own (string_agg, in the order the rows come:
// one aggregation loop feeds every list): row by row, each column of each
// row costs the driver a lock and a copy. joined walks such lists, one
// value of each per row. The columns so read hold no commas (ids, ARNs,
// principal types, numbers: their patterns in the model).
type joined []string

// next returns column i's next value.
func (j joined) next(i int) string {
	v, rest, _ := strings.Cut(j[i], ",")
	j[i] = rest
	return v
}

// nextTime returns column i's next value, a time in milliseconds.
func (j joined) nextTime(i int) (time.Time, error) {
	v := j.next(i)
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: a time in milliseconds: %q", v)
	}
	return fromMS(ms), nil
}
