package awsshape

import "time"

// Optional members of the model's shapes are pointers, nil when absent.
// These helpers read and make them.

// String is *p, or "" when the member is absent.
func String(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// OptString is a pointer to s, or nil for "" (a member AWS leaves out).
func OptString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Ptr is a pointer to v.
func Ptr[T any](v T) *T { return &v }

// Int is *p, or 0 when the member is absent.
func Int(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// Stamp is t as a timestamp member, or nil for the zero time.
func Stamp(t time.Time) *Timestamp {
	if t.IsZero() {
		return nil
	}
	return NewTimestamp(t)
}

// TimeOf is the time of a timestamp member, or the zero time when absent.
func TimeOf(t *Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}
