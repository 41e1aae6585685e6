package policy

import (
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// parseNumber reads a decimal number: an optional sign, digits with an
// optional fraction, and an optional exponent. Unlike strconv.ParseFloat
// alone it refuses "NaN", "Inf", hexadecimal and underscores.
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return !('0' <= r && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E')
	}) >= 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// dateLayouts are the ISO 8601 forms accepted for dates, besides epoch
// seconds. A form without a zone is UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"20060102T150405Z07:00",
	"20060102T150405Z",
	"2006-01-02",
	"20060102",
}

// parseDate reads an ISO 8601 date or time, or epoch seconds (the Date
// operators take both: "aws:EpochTime" holds seconds since 1970).
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if f, ok := parseNumber(s); ok && !strings.ContainsAny(s, "eE") && len(s) != 8 {
		sec, frac := math.Modf(f)
		if math.Abs(sec) > 1<<40 {
			return time.Time{}, false
		}
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseCIDR reads an IpAddress policy value: a CIDR block, IPv4 or IPv6,
// or a single address, which stands for itself alone.
func parseCIDR(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseIP reads a request's IP address; an IPv4-mapped IPv6 address is
// taken as the IPv4 address.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// parseBool reads "true" or "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseBinary reads a base64 value (BinaryEquals compares bytes).
func parseBinary(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}
