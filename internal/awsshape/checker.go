package awsshape

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFailures is how many failures a Checker collects before it ignores
// further ones, like AWS does.
const MaxFailures = 10

// Redacted is what is shown instead of the value of a sensitive shape.
const Redacted = "***"

// Failure is one failed constraint.
type Failure struct {
	Path       string // e.g. "emails.1.member.value"
	Value      string // rendered value: "'abc'", "'***'" or "null"
	Constraint string // e.g. "Member must not be null"
}

// String renders f the way AWS does inside a validation message.
func (f Failure) String() string {
	return "Value " + f.Value + " at '" + f.Path + "' failed to satisfy constraint: " + f.Constraint
}

// ValidationError is the error returned by Checker.Err. Message is the
// complete AWS-style message, e.g. "1 validation error detected: Value null at
// 'identityStoreId' failed to satisfy constraint: Member must not be null".
// Servers send it as a ValidationException.
type ValidationError struct {
	Message  string
	Failures []Failure
}

func (e *ValidationError) Error() string { return e.Message }

// Checker collects validation failures. The zero value is ready to use. The
// generated Validate methods call its methods; a failure is recorded only when
// the constraint is violated. Failures are kept in the order reported and at
// most MaxFailures are kept.
type Checker struct {
	failures []Failure
}

// Validator is implemented by every generated structure.
type Validator interface {
	Validate(c *Checker, path string)
}

// Validate runs v.Validate on a fresh Checker and returns its Err.
func Validate(v Validator) error {
	var c Checker
	v.Validate(&c, "")
	return c.Err()
}

// Failures returns the failures collected so far.
func (c *Checker) Failures() []Failure { return c.failures }

// Full reports whether MaxFailures failures have been collected.
func (c *Checker) Full() bool { return len(c.failures) >= MaxFailures }

// Fail records a failure. value must already be rendered (see Quote); use
// "null" for a missing value.
func (c *Checker) Fail(path, value, constraint string) {
	if c.Full() {
		return
	}
	c.failures = append(c.failures, Failure{Path: path, Value: value, Constraint: constraint})
}

// Err returns nil when nothing failed, otherwise a *ValidationError.
func (c *Checker) Err() error {
	n := len(c.failures)
	if n == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, f := range c.failures {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return &ValidationError{Message: b.String(), Failures: slices.Clone(c.failures)}
}

// Quote renders a value for a message: 'v', or '***' when sensitive.
func Quote(v string, sensitive bool) string {
	if sensitive {
		return "'" + Redacted + "'"
	}
	return "'" + v + "'"
}

// Join returns the path of member (already in wire case, e.g.
// "identityStoreId") inside the structure at path.
func Join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// Index returns the path of the i-th (0-based) element of the list at path:
// "emails.1.member".
func Index(path string, i int) string {
	return path + "." + strconv.Itoa(i+1) + ".member"
}

// Key returns the path of the value stored under key in the map at path.
func Key(path, key string) string {
	return path + "." + key
}

// Required records "Member must not be null" when present is false.
func (c *Checker) Required(path string, present bool) {
	if !present {
		c.Fail(path, "null", "Member must not be null")
	}
}

func (c *Checker) length(path, value string, n, min, max int) {
	if n < min {
		c.Fail(path, value, "Member must have length greater than or equal to "+strconv.Itoa(min))
	}
	if max >= 0 && n > max {
		c.Fail(path, value, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// StringLen checks the length of v in Unicode code points against min and max
// (max < 0: no maximum).
func (c *Checker) StringLen(path, v string, sensitive bool, min, max int) {
	n := utf8.RuneCountInString(v)
	if n < min || (max >= 0 && n > max) {
		c.length(path, Quote(v, sensitive), n, min, max)
	}
}

// BlobLen checks the length in bytes of a blob value.
func (c *Checker) BlobLen(path string, v []byte, sensitive bool, min, max int) {
	n := len(v)
	if n < min || (max >= 0 && n > max) {
		shown := "'java.nio.HeapByteBuffer[pos=0 lim=" + strconv.Itoa(n) + " cap=" + strconv.Itoa(n) + "]'"
		if sensitive {
			shown = Quote("", true)
		}
		c.length(path, shown, n, min, max)
	}
}

// Pattern checks that v matches p, which must be anchored to match the whole
// value. pattern is the model's pattern text, quoted verbatim in the message.
// A nil p (a pattern that could not be translated) accepts everything.
func (c *Checker) Pattern(path, v string, sensitive bool, p *Pattern, pattern string) {
	if p != nil && !p.MatchString(v) {
		c.Fail(path, Quote(v, sensitive), "Member must satisfy regular expression pattern: "+pattern)
	}
}

// Enum checks that v is one of allowed.
func (c *Checker) Enum(path, v string, sensitive bool, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.Fail(path, Quote(v, sensitive), "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
	}
}

// IntRange checks an integer or long value against the optional bounds.
func (c *Checker) IntRange(path string, v int64, min, max int64, hasMin, hasMax bool) {
	if hasMin && v < min {
		c.Fail(path, "'"+strconv.FormatInt(v, 10)+"'", "Member must have value greater than or equal to "+strconv.FormatInt(min, 10))
	}
	if hasMax && v > max {
		c.Fail(path, "'"+strconv.FormatInt(v, 10)+"'", "Member must have value less than or equal to "+strconv.FormatInt(max, 10))
	}
}

// FormatDouble renders a float the way Java's Double.toString does for
// ordinary magnitudes ("1.5", "100.0").
func FormatDouble(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".NI") {
		s += ".0"
	}
	return s
}

// FloatRange checks a float or double value against the optional bounds.
func (c *Checker) FloatRange(path string, v float64, min, max float64, hasMin, hasMax bool) {
	if hasMin && v < min {
		c.Fail(path, "'"+FormatDouble(v)+"'", "Member must have value greater than or equal to "+strconv.FormatFloat(min, 'f', -1, 64))
	}
	if hasMax && v > max {
		c.Fail(path, "'"+FormatDouble(v)+"'", "Member must have value less than or equal to "+strconv.FormatFloat(max, 'f', -1, 64))
	}
}

// ListLen checks the number of elements n of a list (max < 0: no maximum).
// The value is shown as '[]' when empty and '[...]' otherwise; use
// StringListLen for lists of strings to show their elements.
func (c *Checker) ListLen(path string, n, min, max int) {
	if n < min || (max >= 0 && n > max) {
		shown := "'[]'"
		if n > 0 {
			shown = "'[...]'"
		}
		c.length(path, shown, n, min, max)
	}
}

// StringListLen is ListLen for a list of strings, showing the value the way
// Java prints a list: '[a, b]'.
func (c *Checker) StringListLen(path string, v []string, sensitive bool, min, max int) {
	n := len(v)
	if n < min || (max >= 0 && n > max) {
		c.length(path, Quote("["+strings.Join(v, ", ")+"]", sensitive), n, min, max)
	}
}

// MapLen checks the number of entries n of a map (max < 0: no maximum).
func (c *Checker) MapLen(path string, n, min, max int) {
	if n < min || (max >= 0 && n > max) {
		shown := "'{}'"
		if n > 0 {
			shown = "'{...}'"
		}
		c.length(path, shown, n, min, max)
	}
}

// Union checks that exactly one member of a union structure is set; setCount
// is the number of members that are set.
func (c *Checker) Union(path string, setCount int) {
	switch {
	case setCount == 0:
		c.Fail(path, "'{}'", "Member must have exactly one member set")
	case setCount > 1:
		c.Fail(path, "'{...}'", "Member must have exactly one member set, but "+strconv.Itoa(setCount)+" are set")
	}
}
