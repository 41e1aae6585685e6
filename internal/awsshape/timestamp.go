package awsshape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Timestamp is a point in time that encodes to JSON the way the awsJson1_1 and
// restJson1 protocols do: as a number of seconds since the Unix epoch, with
// an optional fractional part (1700000000.123). Output carries millisecond
// precision and never uses exponent notation. On input, numbers (including
// exponent notation), numeric strings and ISO 8601 / RFC 3339 strings are
// accepted.
type Timestamp struct{ time.Time }

// NewTimestamp returns a pointer to a Timestamp holding t, convenient for
// filling generated structures.
func NewTimestamp(t time.Time) *Timestamp { return &Timestamp{Time: t} }

// FormatEpochSeconds formats t as epoch seconds with at most millisecond
// precision and no trailing zeros in the fraction ("1700000000",
// "1700000000.1", "1700000000.123", "-1.5").
func FormatEpochSeconds(t time.Time) string {
	ms := t.UnixMilli()
	neg := ms < 0
	var abs uint64
	if neg {
		abs = uint64(-(ms + 1)) + 1 // avoids overflow for math.MinInt64
	} else {
		abs = uint64(ms)
	}
	secs, frac := abs/1000, abs%1000
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(strconv.FormatUint(secs, 10))
	if frac != 0 {
		f := fmt.Sprintf("%03d", frac)
		b.WriteByte('.')
		b.WriteString(strings.TrimRight(f, "0"))
	}
	return b.String()
}

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(FormatEpochSeconds(t.Time)), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return fmt.Errorf("awsshape: empty timestamp")
	}
	if string(data) == "null" {
		return nil
	}
	if data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		v, err := ParseTimestamp(s)
		if err != nil {
			return err
		}
		t.Time = v
		return nil
	}
	v, err := parseEpochSeconds(string(data))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// isoLayouts are the ISO 8601 forms accepted for string timestamps.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"20060102T150405.999999999Z0700",
	"20060102T150405Z",
	"2006-01-02",
	time.RFC1123,
}

// ParseTimestamp parses a timestamp given as a string: epoch seconds
// ("1700000000.5") or ISO 8601 ("2023-11-14T22:13:20.5Z"). Strings without a
// zone are taken as UTC.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if v, err := parseEpochSeconds(s); err == nil {
		return v, nil
	}
	for _, layout := range isoLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
}

// parseEpochSeconds parses a JSON number of seconds since the epoch exactly
// (to the nanosecond) when written without an exponent, and via big.Float
// otherwise.
func parseEpochSeconds(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
	}
	if !strings.ContainsAny(s, "eE") {
		neg := false
		body := s
		if body[0] == '-' || body[0] == '+' {
			neg = body[0] == '-'
			body = body[1:]
		}
		intPart, fracPart, _ := strings.Cut(body, ".")
		if intPart == "" && fracPart == "" {
			return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
		}
		var secs int64
		if intPart != "" {
			v, err := strconv.ParseUint(intPart, 10, 63)
			if err != nil {
				return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
			}
			secs = int64(v)
		}
		var nanos int64
		if fracPart != "" {
			for _, r := range fracPart {
				if r < '0' || r > '9' {
					return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
				}
			}
			f := fracPart
			if len(f) > 9 {
				f = f[:9]
			}
			f += strings.Repeat("0", 9-len(f))
			n, _ := strconv.ParseInt(f, 10, 64)
			nanos = n
		}
		if neg {
			secs, nanos = -secs, -nanos
		}
		return time.Unix(secs, nanos).UTC(), nil
	}
	f, _, err := big.ParseFloat(s, 10, 128, big.ToNearestEven)
	if err != nil || f.IsInf() {
		return time.Time{}, fmt.Errorf("awsshape: invalid timestamp %q", s)
	}
	ns := new(big.Float).Mul(f, big.NewFloat(1e9))
	n, acc := ns.Int64()
	if acc != big.Exact && (n == math.MaxInt64 || n == math.MinInt64) {
		return time.Time{}, fmt.Errorf("awsshape: timestamp %q out of range", s)
	}
	return time.Unix(0, n).UTC(), nil
}
