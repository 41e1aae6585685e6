package policy

import (
	"sort"
	"strings"
)

// opType is the comparison a condition operator makes, before negation,
// ...IfExists and set qualifiers are applied.
type opType uint8

const (
	opStringEquals opType = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opARN
	opNull
)

// operators lists every base operator IAM knows, with the comparison it
// makes and whether it is the negated form of that comparison. ArnEquals
// and ArnLike are the same test in IAM: both compare the six segments and
// both take wildcards.
var operators = map[string]struct {
	typ     opType
	negated bool
}{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opARN, false},
	"ArnLike":                   {opARN, false},
	"ArnNotEquals":              {opARN, true},
	"ArnNotLike":                {opARN, true},
	"Null":                      {opNull, false},
}

// setQualifier is the ForAllValues: or ForAnyValue: prefix of an operator.
type setQualifier uint8

const (
	noSet setQualifier = iota
	forAllValues
	forAnyValue
)

// operator is a parsed condition operator such as
// "ForAnyValue:StringNotLikeIfExists".
type operator struct {
	name     string // as written in the policy
	typ      opType
	negated  bool
	ifExists bool
	set      setQualifier
}

// parseOperator reads a condition operator name. Names are case-sensitive
// in IAM (it answers "Invalid Condition type : stringEquals").
func parseOperator(name string) (operator, string) {
	op := operator{name: name}
	base := name
	switch {
	case strings.HasPrefix(base, "ForAllValues:"):
		op.set, base = forAllValues, strings.TrimPrefix(base, "ForAllValues:")
	case strings.HasPrefix(base, "ForAnyValue:"):
		op.set, base = forAnyValue, strings.TrimPrefix(base, "ForAnyValue:")
	}
	if b, ok := strings.CutSuffix(base, "IfExists"); ok && b != "Null" {
		if _, known := operators[b]; known {
			op.ifExists, base = true, b
		}
	}
	o, ok := operators[base]
	if !ok {
		if base == "NullIfExists" {
			return op, sprintf("unknown condition operator %q: Null has no IfExists form", name)
		}
		return op, unknownOperatorMsg(name)
	}
	op.typ, op.negated = o.typ, o.negated
	return op, ""
}

func unknownOperatorMsg(name string) string {
	msg := sprintf("unknown condition operator %q", name)
	// Suggest the right spelling of a name that differs only in case.
	prefix, base := "", name
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		prefix, base = name[:i+1], name[i+1:]
	}
	for _, p := range []string{"ForAllValues:", "ForAnyValue:"} {
		if strings.EqualFold(prefix, p) {
			prefix = p
		}
	}
	suffix := ""
	if len(base) > len("IfExists") && strings.EqualFold(base[len(base)-len("IfExists"):], "IfExists") {
		base, suffix = base[:len(base)-len("IfExists")], "IfExists"
	}
	for k := range operators {
		if strings.EqualFold(k, base) {
			return msg + sprintf(" (did you mean %q?)", prefix+k+suffix)
		}
	}
	return msg + "; valid operators are " + strings.Join(operatorNames(), ", ") +
		", each also with the IfExists suffix (except Null) and the ForAllValues: or ForAnyValue: prefix"
}

func operatorNames() []string {
	names := make([]string, 0, len(operators))
	for k := range operators {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// takesVariables reports whether policy variables are substituted in the
// operator's values. The IAM User Guide ("Condition operators") lists
// policy variables as supported for the String, Boolean and ARN operators
// and not supported for the Numeric, Date, Binary and IP address ones.
func (t opType) takesVariables() bool {
	switch t {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opBool, opARN:
		return true
	}
	return false
}
