package policy

import (
	"bytes"
	"net/netip"
	"strings"
	"time"
)

// holds reports whether the condition holds for a request's context.
//
// IAM's rules, from the IAM User Guide ("IAM JSON policy elements: Condition
// operators" and "Single-valued vs. multivalued context keys"):
//
//   - "If the key that you specify in a policy condition is not present in
//     the request context, the values do not match and the condition is
//     false. If the policy condition requires that the key is not matched,
//     such as StringNotLike or ArnNotLike, and the right key is not present,
//     the condition is true. This logic applies to all condition operators
//     except ...IfExists and Null check." So a missing key makes a plain
//     operator false and a negated one true; ...IfExists makes any operator
//     true; Null tests presence itself.
//   - Several values for one key are ORed: the condition holds when the
//     request value matches any of them. For a negated operator the
//     request value must match none of them ("the effective permission
//     works like a logical AND").
//   - ForAllValues: holds when every request value matches (for a negated
//     operator: matches none of the policy values), and "also returns true
//     if there are no context keys in the request".
//   - ForAnyValue: holds when at least one request value matches (negated:
//     at least one matches none); when the key is absent it is false, unless
//     the operator is an ...IfExists one.
//   - A plain operator on a key with several request values holds when any
//     of them matches; its negated form holds when none does.
func (c *Condition) holds(ctx Context) bool {
	vals, _ := ctx.Get(c.lkey)
	present := len(vals) > 0
	if c.op.typ == opNull {
		// "true": the key must be absent; "false": it must be present.
		for _, v := range c.values {
			if v.b != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.op.ifExists, c.op.set == forAllValues:
			return true
		case c.op.set == forAnyValue:
			return false
		}
		return c.op.negated
	}
	switch c.op.set {
	case forAllValues:
		for _, v := range vals {
			if c.matchesAny(v, ctx) == c.op.negated {
				return false
			}
		}
		return true
	case forAnyValue:
		for _, v := range vals {
			if c.matchesAny(v, ctx) != c.op.negated {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if c.matchesAny(v, ctx) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

// matchesAny reports whether one request value matches any policy value
// under the operator's positive comparison.
func (c *Condition) matchesAny(s string, ctx Context) bool {
	req := parseRequestValue(c.op.typ, s)
	for i := range c.values {
		if c.values[i].matches(c.op.typ, s, req, ctx) {
			return true
		}
	}
	return false
}

// requestValue is a request's value parsed for an operator; ok is false
// when it does not parse, and then it matches nothing.
type requestValue struct {
	ok   bool
	num  float64
	date time.Time
	ip   netip.Addr
	bin  []byte
}

func parseRequestValue(typ opType, s string) requestValue {
	var r requestValue
	switch typ {
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		r.num, r.ok = parseNumber(s)
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		r.date, r.ok = parseDate(s)
	case opIPAddress:
		r.ip, r.ok = parseIP(s)
	case opBinaryEquals:
		r.bin, r.ok = parseBinary(s)
	}
	return r
}

// matches compares request value s (parsed as req) with the policy value.
func (v *condValue) matches(typ opType, s string, req requestValue, ctx Context) bool {
	if v.tmpl.parts != nil {
		return v.matchesTemplate(typ, s, ctx)
	}
	switch typ {
	case opStringEquals:
		return s == v.raw
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(s, v.raw)
	case opStringLike, opARN:
		return v.glob.match(s)
	case opNumericEquals:
		return req.ok && req.num == v.num
	case opNumericLessThan:
		return req.ok && req.num < v.num
	case opNumericLessThanEquals:
		return req.ok && req.num <= v.num
	case opNumericGreaterThan:
		return req.ok && req.num > v.num
	case opNumericGreaterThanEquals:
		return req.ok && req.num >= v.num
	case opDateEquals:
		return req.ok && req.date.Equal(v.date)
	case opDateLessThan:
		return req.ok && req.date.Before(v.date)
	case opDateLessThanEquals:
		return req.ok && !req.date.After(v.date)
	case opDateGreaterThan:
		return req.ok && req.date.After(v.date)
	case opDateGreaterThanEquals:
		return req.ok && !req.date.Before(v.date)
	case opBool:
		b, ok := parseBool(s)
		return ok && b == v.b
	case opBinaryEquals:
		if !req.ok {
			return s == v.raw
		}
		return bytes.Equal(req.bin, v.bin)
	case opIPAddress:
		return req.ok && v.cidr.Contains(req.ip)
	}
	return false
}

// matchesTemplate compares s with a policy value holding variables, after
// substituting them; a value whose variables cannot be resolved matches
// nothing.
func (v *condValue) matchesTemplate(typ opType, s string, ctx Context) bool {
	switch typ {
	case opStringLike, opARN:
		pieces, ok := v.tmpl.resolve(ctx)
		mode := matchPlain
		if typ == opARN {
			mode = matchARN
		}
		return ok && compilePieces(pieces, mode).match(s)
	}
	want, ok := v.tmpl.resolveString(ctx)
	if !ok {
		return false
	}
	switch typ {
	case opStringEquals:
		return s == want
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(s, want)
	case opBool:
		a, ok1 := parseBool(s)
		b, ok2 := parseBool(want)
		return ok1 && ok2 && a == b
	}
	return false
}
