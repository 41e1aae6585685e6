package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// computeNeedsCheck decides, for every reachable shape, whether a value of
// it can fail validation. It iterates to a fixpoint because structures can
// be recursive.
func (g *gen) computeNeedsCheck() {
	g.needs = map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, name := range g.reachable {
			if g.needs[name] {
				continue
			}
			if g.shapeNeeds(name) {
				g.needs[name] = true
				changed = true
			}
		}
	}
}

func (g *gen) shapeNeeds(name string) bool {
	s := g.m.Shapes[name]
	hasBounds := (s.Min != nil && s.Min.String() != "0") || s.Max != nil
	switch s.Type {
	case "string":
		return hasBounds || len(s.Enum) > 0 || g.pattern(name) != nil
	case "integer", "long", "float", "double":
		return s.Min != nil || s.Max != nil
	case "blob":
		return hasBounds
	case "list":
		return hasBounds || g.needs[s.Member.Shape]
	case "map":
		return hasBounds || g.needs[s.Key.Shape] || g.needs[s.Value.Shape]
	case "structure":
		if s.Document {
			return false
		}
		if s.Union || len(s.Required) > 0 {
			return true
		}
		for _, m := range s.MemberOrder {
			if g.needs[s.Members[m].Shape] {
				return true
			}
		}
	}
	return false
}

// patVar is a package-level *awsshape.Pattern variable of the generated code.
type patVar struct {
	name string
	tr   Translation
}

// pattern returns the variable enforcing the shape's pattern, or nil
// when the shape has none or it could not be translated.
func (g *gen) pattern(name string) *patVar {
	s := g.m.Shapes[name]
	if s.Pattern == nil {
		return nil
	}
	pv := g.patterns[*s.Pattern]
	if pv == nil {
		tr := TranslatePattern(*s.Pattern)
		pv = &patVar{name: "pattern" + g.goName[name], tr: tr}
		g.patterns[*s.Pattern] = pv
		g.patternOrder = append(g.patternOrder, *s.Pattern)
		switch {
		case tr.Err != nil:
			g.warnf("shape %s: pattern %s NOT ENFORCED: %v", name, strconv.Quote(*s.Pattern), tr.Err)
		case len(tr.Notes) > 0:
			g.warnf("shape %s: pattern %s approximated (%s): %s", name, strconv.Quote(*s.Pattern), strings.Join(tr.Notes, "; "), tr.Go)
		}
	}
	if pv.tr.Err != nil {
		return nil
	}
	return pv
}

// goString renders s as a Go string literal, raw when that stays readable.
func goString(s string) string {
	for _, r := range s {
		if r == '`' || r == '\r' || r == '\n' || r == 0xFEFF ||
			(r != ' ' && (unicode.IsSpace(r) || !unicode.IsPrint(r))) {
			return strconv.Quote(s)
		}
	}
	return "`" + s + "`"
}

func intBound(n *json.Number) (string, bool) {
	if n == nil {
		return "0", false
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return n.String(), true
	}
	f, _ := n.Float64()
	return strconv.FormatInt(int64(f), 10), true
}

func floatBound(n *json.Number) (string, bool) {
	if n == nil {
		return "0", false
	}
	f, _ := n.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// lenBounds returns min and max length/size arguments (max -1: none).
func lenBounds(s *Shape) (string, string) {
	min, _ := intBound(s.Min)
	max := "-1"
	if s.Max != nil {
		max, _ = intBound(s.Max)
	}
	return min, max
}

// checkFunc is the name of the helper validating a non-structure value.
func (g *gen) checkFunc(name string) string { return "check" + g.goName[name] }

// callCheck returns a statement validating value expression v (of the
// shape's value type) at path expression p, or "" if nothing to check.
func (g *gen) callCheck(name, p, v string) string {
	if !g.needs[name] {
		return ""
	}
	if g.isStruct(name) {
		return v + ".Validate(c, " + p + ")"
	}
	return g.checkFunc(name) + "(c, " + p + ", " + v + ")"
}

// writeValidation emits validate.go.
func (g *gen) writeValidation(w *strings.Builder) {
	var body strings.Builder
	for _, name := range g.reachable {
		switch {
		case g.isStruct(name):
			g.writeStructValidate(&body, name)
		case g.needs[name]:
			g.writeCheckFunc(&body, name)
		}
	}
	sort.Slice(g.patternOrder, func(i, j int) bool {
		return g.patterns[g.patternOrder[i]].name < g.patterns[g.patternOrder[j]].name
	})
	if len(g.patternOrder) > 0 {
		w.WriteString("// Patterns of the model, translated from Java regular expressions and\n// anchored to match whole values.\nvar (\n")
		for _, java := range g.patternOrder {
			pv := g.patterns[java]
			if pv.tr.Err != nil {
				fmt.Fprintf(w, "// NOT ENFORCED: %s could not be translated: %v\n", strconv.Quote(java), pv.tr.Err)
				continue
			}
			if len(pv.tr.Notes) > 0 {
				fmt.Fprintf(w, "// %s is approximated: %s.\n", pv.name, strings.Join(pv.tr.Notes, "; "))
			}
			fmt.Fprintf(w, "%s = awsshape.MustPattern(%s)\n", pv.name, goString(pv.tr.Go))
		}
		w.WriteString(")\n\n")
	}
	w.WriteString(body.String())
}

func (g *gen) writeStructValidate(w *strings.Builder, name string) {
	s := g.m.Shapes[name]
	goName := g.goName[name]
	fields := fieldNames(s)
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	fmt.Fprintf(w, "// Validate checks s against the constraints of the shape %s, reporting\n// failures to c with member paths below path.\n", name)
	fmt.Fprintf(w, "func (s *%s) Validate(c *awsshape.Checker, path string) {\n", goName)
	if !g.needs[name] {
		fmt.Fprintf(w, "}\n\n")
		return
	}
	fmt.Fprintf(w, "if s == nil {\nreturn\n}\n")
	for _, m := range s.MemberOrder {
		ref := s.Members[m]
		f := "s." + fields[m]
		check := ""
		present := f + " != nil"
		switch {
		case g.isDocument(ref.Shape):
			present = "len(" + f + ") != 0 && string(" + f + ") != \"null\""
		case g.isPointer(ref.Shape) && !g.isStruct(ref.Shape):
			check = g.callCheck(ref.Shape, "p", "*"+f)
		default:
			check = g.callCheck(ref.Shape, "p", f)
		}
		if !required[m] && check == "" {
			continue
		}
		fmt.Fprintf(w, "{\np := awsshape.Join(path, %q)\n", lowerFirst(m))
		if required[m] {
			fmt.Fprintf(w, "c.Required(p, %s)\n", present)
		}
		if check != "" {
			fmt.Fprintf(w, "if %s {\n%s\n}\n", present, check)
		}
		fmt.Fprintf(w, "}\n")
	}
	if s.Union {
		fmt.Fprintf(w, "n := 0\n")
		for _, m := range s.MemberOrder {
			fmt.Fprintf(w, "if s.%s != nil {\nn++\n}\n", fields[m])
		}
		fmt.Fprintf(w, "c.Union(path, n)\n")
	}
	fmt.Fprintf(w, "}\n\n")
}

func (g *gen) writeCheckFunc(w *strings.Builder, name string) {
	s := g.m.Shapes[name]
	sens := strconv.FormatBool(s.Sensitive)
	fmt.Fprintf(w, "// %s validates a value of the shape %s.\n", g.checkFunc(name), name)
	fmt.Fprintf(w, "func %s(c *awsshape.Checker, p string, v %s) {\n", g.checkFunc(name), g.valueType(name))
	min, max := lenBounds(s)
	hasBounds := (s.Min != nil && s.Min.String() != "0") || s.Max != nil
	switch s.Type {
	case "string":
		if hasBounds {
			fmt.Fprintf(w, "c.StringLen(p, v, %s, %s, %s)\n", sens, min, max)
		}
		if pv := g.pattern(name); pv != nil {
			fmt.Fprintf(w, "c.Pattern(p, v, %s, %s, %s)\n", sens, pv.name, goString(*s.Pattern))
		}
		if len(s.Enum) > 0 {
			fmt.Fprintf(w, "c.Enum(p, v, %s, %s())\n", sens, g.enumValuesFunc[name])
		}
	case "integer", "long":
		lo, hasLo := intBound(s.Min)
		hi, hasHi := intBound(s.Max)
		fmt.Fprintf(w, "c.IntRange(p, int64(v), %s, %s, %t, %t)\n", lo, hi, hasLo, hasHi)
	case "float", "double":
		lo, hasLo := floatBound(s.Min)
		hi, hasHi := floatBound(s.Max)
		fmt.Fprintf(w, "c.FloatRange(p, v, %s, %s, %t, %t)\n", lo, hi, hasLo, hasHi)
	case "blob":
		fmt.Fprintf(w, "c.BlobLen(p, v, %s, %s, %s)\n", sens, min, max)
	case "list":
		elem := s.Member.Shape
		if hasBounds {
			if g.m.Shapes[elem].Type == "string" {
				sensList := s.Sensitive || g.m.Shapes[elem].Sensitive
				fmt.Fprintf(w, "c.StringListLen(p, v, %t, %s, %s)\n", sensList, min, max)
			} else {
				fmt.Fprintf(w, "c.ListLen(p, len(v), %s, %s)\n", min, max)
			}
		}
		if call := g.callCheck(elem, "awsshape.Index(p, i)", "v[i]"); call != "" {
			fmt.Fprintf(w, "for i := range v {\n%s\n}\n", call)
		}
	case "map":
		if hasBounds {
			fmt.Fprintf(w, "c.MapLen(p, len(v), %s, %s)\n", min, max)
		}
		keyCall := g.callCheck(s.Key.Shape, "p", "k")
		valCall := ""
		if g.needs[s.Value.Shape] {
			if g.isStruct(s.Value.Shape) {
				valCall = "e := v[k]\ne.Validate(c, awsshape.Key(p, k))"
			} else {
				valCall = g.callCheck(s.Value.Shape, "awsshape.Key(p, k)", "v[k]")
			}
		}
		if keyCall != "" || valCall != "" {
			fmt.Fprintf(w, "for _, k := range slices.Sorted(maps.Keys(v)) {\n")
			if keyCall != "" {
				fmt.Fprintf(w, "%s\n", keyCall)
			}
			if valCall != "" {
				fmt.Fprintf(w, "%s\n", valCall)
			}
			fmt.Fprintf(w, "}\n")
		}
	}
	fmt.Fprintf(w, "}\n\n")
}
