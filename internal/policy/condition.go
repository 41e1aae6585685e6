package policy

import (
	"net/netip"
	"strings"
	"time"
)

// Condition is one test of a statement's Condition element: an operator,
// a condition key and the policy's values for it. A statement holds as
// many Conditions as its Condition element has operator-key pairs, in
// document order; all of them must hold for the statement to apply.
type Condition struct {
	Operator string   // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      string   // as written, e.g. "aws:PrincipalTag/team"
	lkey     string   // Key lower-cased, as Context stores keys
	Values   []string // numbers and booleans in their JSON text

	op     operator
	values []condValue
}

// condValue is a policy value, prepared for its operator.
type condValue struct {
	raw  string
	tmpl template     // when it holds policy variables
	glob *glob        // StringLike and ARN operators, without variables
	num  float64      // Numeric operators
	date time.Time    // Date operators
	cidr netip.Prefix // IpAddress operators
	bin  []byte       // BinaryEquals
	b    bool         // Bool, Null
}

// parseConditionBlock reads a statement's Condition element.
func parseConditionBlock(path string, n *node, variables bool) ([]Condition, error) {
	if n.kind != objectNode {
		return nil, syntaxErr(path, "must be an object mapping condition operators to condition keys, got %s", n.kind)
	}
	var conds []Condition
	for i, name := range n.keys {
		opPath := joinPath(path, name)
		op, msg := parseOperator(name)
		if msg != "" {
			return nil, syntaxErr(path, "%s", msg)
		}
		block := n.vals[i]
		if block.kind != objectNode {
			return nil, syntaxErr(opPath, "must be an object mapping condition keys to values, got %s", block.kind)
		}
		for j, key := range block.keys {
			c, err := parseCondition(joinPath(opPath, key), op, key, block.vals[j], variables)
			if err != nil {
				return nil, err
			}
			conds = append(conds, c)
		}
	}
	return conds, nil
}

func parseCondition(path string, op operator, key string, n *node, variables bool) (Condition, error) {
	c := Condition{Operator: op.name, Key: key, lkey: strings.ToLower(key), op: op}
	if svc, name, ok := strings.Cut(key, ":"); !ok || svc == "" || name == "" {
		return c, syntaxErr(path, "condition key must be prefaced by a service, as in \"aws:SourceIp\" or \"sso:InstanceArn\"")
	}
	raws, err := scalarList(path, n)
	if err != nil {
		return c, err
	}
	c.Values = raws
	for i, raw := range raws {
		v, msg := prepareValue(op.typ, raw, variables)
		if msg != "" {
			if len(raws) > 1 || n.kind == arrayNode {
				path = sprintf("%s[%d]", path, i)
			}
			return c, syntaxErr(path, "%s", msg)
		}
		c.values = append(c.values, v)
	}
	return c, nil
}

// scalarList reads a condition value: a string, number or boolean, or a
// non-empty array of them.
func scalarList(path string, n *node) ([]string, error) {
	switch n.kind {
	case stringNode, numberNode, boolNode:
		return []string{n.text}, nil
	case arrayNode:
		if len(n.vals) == 0 {
			return nil, syntaxErr(path, "must not be an empty array")
		}
		out := make([]string, len(n.vals))
		for i, v := range n.vals {
			if v.kind != stringNode && v.kind != numberNode && v.kind != boolNode {
				return nil, syntaxErr(sprintf("%s[%d]", path, i), "must be a string, number or boolean, got %s", v.kind)
			}
			out[i] = v.text
		}
		return out, nil
	}
	return nil, syntaxErr(path, "must be a string, number or boolean, or an array of them, got %s", n.kind)
}

// prepareValue checks a policy value against its operator and parses it.
// Values holding policy variables are checked when they are resolved.
func prepareValue(typ opType, raw string, variables bool) (condValue, string) {
	v := condValue{raw: raw}
	if variables && typ.takesVariables() {
		if t := parseTemplate(raw); t.vars || len(t.parts) > 1 || (len(t.parts) == 1 && t.parts[0].literal) {
			v.tmpl = t
			return v, ""
		}
	}
	var ok bool
	switch typ {
	case opStringLike:
		v.glob, ok = compileGlob(raw, matchPlain), true
	case opARN:
		v.glob, ok = compileGlob(raw, matchARN), true
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		if v.num, ok = parseNumber(raw); !ok {
			return v, sprintf("%q is not a number", raw)
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		if v.date, ok = parseDate(raw); !ok {
			return v, sprintf("%q is not a date: use ISO 8601 (\"2026-01-31T12:00:00Z\") or epoch seconds", raw)
		}
	case opBool, opNull:
		if v.b, ok = parseBool(raw); !ok {
			return v, sprintf("must be \"true\" or \"false\", got %q", raw)
		}
	case opBinaryEquals:
		if v.bin, ok = parseBinary(raw); !ok {
			return v, sprintf("%q is not base64", raw)
		}
	case opIPAddress:
		if v.cidr, ok = parseCIDR(raw); !ok {
			return v, sprintf("%q is not an IP address or CIDR block", raw)
		}
	}
	return v, ""
}

// templates returns the condition values that hold policy variables.
func (c *Condition) templates() []template {
	var out []template
	for _, v := range c.values {
		if v.tmpl.parts != nil {
			out = append(out, v.tmpl)
		}
	}
	return out
}
