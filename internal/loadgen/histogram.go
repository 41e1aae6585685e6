package loadgen

import (
	"math/bits"
	"time"
)

// Histogram layout: values (microseconds) below histSub are counted
// exactly; above, each power of two is split into histSub/2 linear
// sub-buckets, so a bucket's width is under 1/128 (0.8 %) of its values.
const (
	histSubBits = 8
	histSub     = 1 << histSubBits // exact buckets, and 2x the sub-buckets per octave
	histHalf    = histSub / 2
	// HistogramMax is the largest latency recorded in its own bucket;
	// longer ones are counted in the top bucket (Max stays exact).
	HistogramMax = 10 * time.Second
	histMaxUS    = uint64(HistogramMax / time.Microsecond)
)

// histBuckets is the bucket count needed to reach histMaxUS.
var histBuckets = bucketOf(histMaxUS) + 1

// Histogram records latencies at microsecond resolution up to
// [HistogramMax] in log-linear buckets (HDR-style, about 18 KiB). The
// zero value is not usable; use [NewHistogram]. It is not safe for
// concurrent use: give each worker its own and [Histogram.Merge] them.
type Histogram struct {
	counts []uint64
	n      uint64
	sumUS  uint64
	maxUS  uint64
	minUS  uint64
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, histBuckets), minUS: ^uint64(0)}
}

// bucketOf returns the bucket index of v microseconds (v ≤ histMaxUS).
func bucketOf(v uint64) int {
	if v < histSub {
		return int(v)
	}
	shift := bits.Len64(v) - histSubBits
	return histSub + (shift-1)*histHalf + int(v>>uint(shift)) - histHalf
}

// bucketHigh returns the largest value that falls in bucket i.
func bucketHigh(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	j := i - histSub
	shift := uint(j/histHalf + 1)
	mant := uint64(j%histHalf + histHalf)
	return (mant+1)<<shift - 1
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.RecordMicros(uint64(d / time.Microsecond))
}

// RecordMicros adds one latency given in microseconds.
func (h *Histogram) RecordMicros(us uint64) {
	h.n++
	h.sumUS += us
	if us > h.maxUS {
		h.maxUS = us
	}
	if us < h.minUS {
		h.minUS = us
	}
	if us > histMaxUS {
		us = histMaxUS
	}
	h.counts[bucketOf(us)]++
}

// Merge adds all of o's values to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sumUS += o.sumUS
	h.maxUS = max(h.maxUS, o.maxUS)
	h.minUS = min(h.minUS, o.minUS)
}

// Count returns the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Max returns the largest recorded value (exact), or 0 when empty.
func (h *Histogram) Max() time.Duration { return time.Duration(h.maxUS) * time.Microsecond }

// Min returns the smallest recorded value (exact), or 0 when empty.
func (h *Histogram) Min() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.minUS) * time.Microsecond
}

// Mean returns the exact mean of the recorded values, or 0 when empty.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(float64(h.sumUS) / float64(h.n) * float64(time.Microsecond))
}

// Percentile returns the value below or at which p percent (0–100) of the
// recorded values fall: the top of the bucket holding that rank, capped at
// Max. It returns 0 when empty.
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	p = min(max(p, 0), 100)
	rank := uint64(p / 100 * float64(h.n))
	if float64(rank) < p/100*float64(h.n) || rank == 0 {
		rank++ // ceil, and at least the first value
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(bucketHigh(i), h.maxUS)) * time.Microsecond
		}
	}
	return h.Max()
}
