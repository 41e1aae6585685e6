package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// exported turns a model name into an exported Go identifier: invalid
// characters become '_' and the first letter is upper-cased.
func exported(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r)):
			b.WriteRune(r)
		case unicode.IsDigit(r):
			b.WriteString("X")
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := b.String()
	if s == "" {
		return "X"
	}
	rs := []rune(s)
	rs[0] = unicode.ToUpper(rs[0])
	if rs[0] == '_' {
		return "X" + string(rs)
	}
	return string(rs)
}

// lowerFirst lower-cases the first letter: AWS reports paths with member
// names in this form ("IdentityStoreId" -> "identityStoreId").
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	rs := []rune(s)
	rs[0] = unicode.ToLower(rs[0])
	return string(rs)
}

// enumSuffix turns an enum value into the CamelCase suffix of its constant
// name, in the style of aws-sdk-go-v2: "ENABLED" -> "Enabled",
// "aws:identitystore" -> "AwsIdentitystore".
func enumSuffix(v string) string {
	words := strings.FieldsFunc(v, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var b strings.Builder
	for _, w := range words {
		rs := []rune(w)
		if strings.ToUpper(w) == w {
			rs = []rune(strings.ToLower(w))
		}
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	if b.Len() == 0 {
		return "Empty"
	}
	return b.String()
}

// names assigns unique Go identifiers.
type names struct{ used map[string]bool }

func (n *names) unique(want string) string {
	name := want
	for n.used[name] {
		name += "_"
	}
	n.used[name] = true
	return name
}

// isDocument reports whether the shape is a document (free-form JSON).
func (g *gen) isDocument(name string) bool {
	s := g.m.Shapes[name]
	return s.Type == "structure" && s.Document
}

// isStruct reports whether the shape becomes a Go struct type.
func (g *gen) isStruct(name string) bool {
	s := g.m.Shapes[name]
	return s.Type == "structure" && !s.Document
}

// valueType is the Go type of a value of the shape (list element, map value).
func (g *gen) valueType(name string) string {
	s := g.m.Shapes[name]
	switch s.Type {
	case "string":
		return "string"
	case "integer":
		return "int32"
	case "long":
		return "int64"
	case "boolean":
		return "bool"
	case "float", "double":
		return "float64"
	case "timestamp":
		return "awsshape.Timestamp"
	case "blob":
		return "[]byte"
	case "list":
		return "[]" + g.valueType(s.Member.Shape)
	case "map":
		return "map[string]" + g.valueType(s.Value.Shape)
	case "structure":
		if s.Document {
			return "json.RawMessage"
		}
		return g.goName[name]
	}
	panic(fmt.Sprintf("shape %s: unsupported type %q", name, s.Type))
}

// isPointer reports whether a member of the shape is held through a pointer.
func (g *gen) isPointer(name string) bool {
	s := g.m.Shapes[name]
	switch s.Type {
	case "blob", "list", "map":
		return false
	case "structure":
		return !s.Document
	}
	return true
}

// fieldType is the Go type of a structure member of the shape.
func (g *gen) fieldType(name string) string {
	if g.isPointer(name) {
		return "*" + g.valueType(name)
	}
	return g.valueType(name)
}

// wireName is the JSON key of a member.
func wireName(member string, ref *ShapeRef) string {
	switch {
	case ref.JSONName != "":
		return ref.JSONName
	case ref.Location == "" && ref.LocationName != "":
		return ref.LocationName
	}
	return member
}

// fieldNames assigns the Go field names of a structure's members.
func fieldNames(s *Shape) map[string]string {
	n := names{used: map[string]bool{}}
	out := map[string]string{}
	for _, m := range s.MemberOrder {
		out[m] = n.unique(exported(m))
	}
	return out
}

// writeTypes emits types.go: structures, enum constants and error statuses.
func (g *gen) writeTypes(w *strings.Builder) {
	for _, name := range g.reachable {
		s := g.m.Shapes[name]
		switch {
		case g.isStruct(name):
			g.writeStruct(w, name, s)
		case s.Type == "string" && len(s.Enum) > 0:
			g.writeEnum(w, name, s)
		}
	}
	var errs []string
	for _, name := range g.reachable {
		if g.m.Shapes[name].Exception {
			errs = append(errs, name)
		}
	}
	fmt.Fprintf(w, "// ErrorStatus maps each modeled error shape to its HTTP status code\n")
	fmt.Fprintf(w, "// (the model's error.httpStatusCode, else 400, or 500 for faults).\n")
	fmt.Fprintf(w, "var ErrorStatus = map[string]int{\n")
	for _, name := range errs {
		s := g.m.Shapes[name]
		status := 400
		if s.Fault {
			status = 500
		}
		if s.Error != nil && s.Error.HTTPStatusCode != 0 {
			status = s.Error.HTTPStatusCode
		}
		fmt.Fprintf(w, "%q: %d,\n", name, status)
	}
	fmt.Fprintf(w, "}\n\n")
}

func (g *gen) writeStruct(w *strings.Builder, name string, s *Shape) {
	goName := g.goName[name]
	kind := "structure"
	switch {
	case s.Exception:
		kind = "error structure"
	case s.Union:
		kind = "union (exactly one member must be set)"
	}
	fmt.Fprintf(w, "// %s is the %s shape %s.\n", goName, kind, name)
	fmt.Fprintf(w, "type %s struct {\n", goName)
	fields := fieldNames(s)
	for _, m := range s.MemberOrder {
		ref := s.Members[m]
		tag := `json:"` + wireName(m, ref) + `,omitempty"`
		if ref.Location != "" {
			loc := ref.LocationName
			if loc == "" {
				loc = m
			}
			tag = `json:"-" location:"` + ref.Location + `" locationName:"` + loc + `"`
		}
		comment := ""
		if ref.Deprecated {
			comment = " // deprecated in the model"
		}
		fmt.Fprintf(w, "%s %s `%s`%s\n", fields[m], g.fieldType(ref.Shape), tag, comment)
	}
	fmt.Fprintf(w, "}\n\n")
}

func (g *gen) writeEnum(w *strings.Builder, name string, s *Shape) {
	fmt.Fprintf(w, "// Values of the enum shape %s.\n", name)
	fmt.Fprintf(w, "const (\n")
	for _, v := range s.Enum {
		c := g.enumConst[name+"\x00"+v]
		fmt.Fprintf(w, "%s = %s\n", c, strconv.Quote(v))
	}
	fmt.Fprintf(w, ")\n\n")
	fmt.Fprintf(w, "// %s returns the values of the enum shape %s, in model order.\n", g.enumValuesFunc[name], name)
	fmt.Fprintf(w, "func %s() []string {\n\treturn []string{", g.enumValuesFunc[name])
	for i, v := range s.Enum {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(g.enumConst[name+"\x00"+v])
	}
	fmt.Fprintf(w, "}\n}\n\n")
}

// assignNames computes the Go identifiers of all reachable shapes and enum
// constants, avoiding collisions with each other and with the fixed
// identifiers of the generated package.
func (g *gen) assignNames() {
	n := names{used: map[string]bool{}}
	for _, fixed := range []string{"Service", "Operation", "Operations", "Paginators", "ErrorStatus", "NewInput", "NewOutput"} {
		n.used[fixed] = true
	}
	g.goName = map[string]string{}
	// Structures first, so that their names stay as in the model.
	sorted := append([]string(nil), g.reachable...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return g.isStruct(sorted[i]) && !g.isStruct(sorted[j])
	})
	for _, name := range sorted {
		if g.isStruct(name) {
			g.goName[name] = n.unique(exported(name))
		}
	}
	// Other shapes have no Go type; their names only prefix unexported
	// helpers and enum constants.
	other := names{used: map[string]bool{}}
	for _, gn := range g.goName {
		other.used[gn] = true
	}
	for _, name := range g.reachable {
		if !g.isStruct(name) {
			g.goName[name] = other.unique(exported(name))
		}
	}
	g.enumConst = map[string]string{}
	g.enumValuesFunc = map[string]string{}
	for _, name := range g.reachable {
		s := g.m.Shapes[name]
		if s.Type != "string" || len(s.Enum) == 0 {
			continue
		}
		for _, v := range s.Enum {
			g.enumConst[name+"\x00"+v] = n.unique(g.goName[name] + enumSuffix(v))
		}
		g.enumValuesFunc[name] = n.unique(g.goName[name] + "Values")
	}
}
