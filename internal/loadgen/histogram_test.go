package loadgen

import (
	"testing"
	"time"
)

// TestBucketLayout checks the buckets tile the range without gaps and
// keep the promised precision.
func TestBucketLayout(t *testing.T) {
	prev := -1
	for v := uint64(0); v <= histMaxUS; v += 1 + v/1000 {
		b := bucketOf(v)
		if b < prev {
			t.Fatalf("bucket %d for %d after %d", b, v, prev)
		}
		if hi := bucketHigh(b); hi < v || (b > 0 && bucketHigh(b-1) >= v) {
			t.Fatalf("value %d in bucket %d with top %d (prev top %d)", v, b, hi, bucketHigh(b-1))
		}
		if v >= histSub {
			if width := bucketHigh(b) - bucketHigh(b-1); float64(width)/float64(v) > 1.0/histHalf {
				t.Fatalf("bucket %d width %d too wide for %d", b, width, v)
			}
		}
		prev = b
	}
	if histBuckets > 3000 {
		t.Fatalf("histogram has %d buckets", histBuckets)
	}
}

// TestPercentilesExact uses values 1..100 µs, all in exact buckets.
func TestPercentilesExact(t *testing.T) {
	h := NewHistogram()
	for i := 100; i >= 1; i-- {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	us := time.Microsecond
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0, 1 * us}, {1, 1 * us}, {50, 50 * us}, {90, 90 * us}, {99, 99 * us}, {99.5, 100 * us}, {100, 100 * us}} {
		if got := h.Percentile(c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if h.Max() != 100*us || h.Min() != us || h.Count() != 100 {
		t.Errorf("max %v min %v count %d", h.Max(), h.Min(), h.Count())
	}
	if h.Mean() != 50500*time.Nanosecond {
		t.Errorf("mean = %v, want 50.5µs", h.Mean())
	}
}

// TestPercentilesLogRange checks millisecond-scale values land within the
// bucket precision.
func TestPercentilesLogRange(t *testing.T) {
	h := NewHistogram()
	// 1000 values: 1ms, 2ms, ..., 1000ms.
	for i := 1; i <= 1000; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 500 * time.Millisecond}, {90, 900 * time.Millisecond}, {99, 990 * time.Millisecond}} {
		got := h.Percentile(c.p)
		if got < c.want || float64(got-c.want) > float64(c.want)/histHalf {
			t.Errorf("p%v = %v, want %v (within %.2f%%)", c.p, got, c.want, 100.0/histHalf)
		}
	}
	if h.Percentile(100) != time.Second || h.Max() != time.Second {
		t.Errorf("p100 %v max %v", h.Percentile(100), h.Max())
	}
}

// TestHistogramOverflowAndMerge checks values past HistogramMax and merging.
func TestHistogramOverflowAndMerge(t *testing.T) {
	a, b := NewHistogram(), NewHistogram()
	a.Record(time.Millisecond)
	b.Record(time.Minute)
	a.Merge(b)
	if a.Count() != 2 || a.Max() != time.Minute || a.Min() != time.Millisecond {
		t.Fatalf("count %d max %v min %v", a.Count(), a.Max(), a.Min())
	}
	if got := a.Percentile(100); got < HistogramMax {
		t.Fatalf("p100 = %v, want ≥ %v", got, HistogramMax)
	}
	if got := a.Percentile(50); got < time.Millisecond || got > time.Millisecond+time.Millisecond/histHalf {
		t.Fatalf("p50 = %v", got)
	}
	if e := NewHistogram(); e.Percentile(50) != 0 || e.Mean() != 0 || e.Min() != 0 {
		t.Fatal("empty histogram not zero")
	}
}
