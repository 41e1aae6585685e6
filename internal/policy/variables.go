package policy

import "strings"

// A template is a Resource, NotResource or condition value that may hold
// policy variables (IAM User Guide, "IAM policy elements: Variables and
// tags"): ${key} takes the value of the context key (names are
// case-insensitive), ${key, 'default'} falls back to default when the key has
// no value, and ${*}, ${?} and ${$} stand for a literal '*', '?' and '$'.
// Variables exist only in Version 2012-10-17 documents; in 2008-10-17 ones
// the text is taken as written. A "${" with no closing "}", or with a
// malformed inside, is ordinary text.
type template struct {
	parts []tmplPart
	vars  bool // holds at least one ${key}
}

type tmplPart struct {
	text    string // literal text, or the default value of a variable
	key     string // the context key of a variable, "" for text
	lkey    string // key lower-cased, as Context stores keys
	hasDef  bool   // the variable has a default
	literal bool   // text from ${*}, ${?}, ${$}: no wildcard meaning
}

// parseTemplate splits s into text and variables.
func parseTemplate(s string) template {
	var t template
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			break
		}
		inner := s[i+2 : i+2+j]
		part, ok := parseVariable(inner)
		if !ok {
			t.addText(s[:i+2+j+1], false)
			s = s[i+2+j+1:]
			continue
		}
		t.addText(s[:i], false)
		if part.key == "" {
			t.addText(part.text, true)
		} else {
			t.parts = append(t.parts, part)
			t.vars = true
		}
		s = s[i+2+j+1:]
	}
	t.addText(s, false)
	return t
}

func (t *template) addText(s string, literal bool) {
	if s == "" {
		return
	}
	if n := len(t.parts); n > 0 && t.parts[n-1].key == "" && t.parts[n-1].literal == literal {
		t.parts[n-1].text += s
		return
	}
	t.parts = append(t.parts, tmplPart{text: s, literal: literal})
}

// parseVariable reads the inside of ${...}.
func parseVariable(inner string) (tmplPart, bool) {
	switch inner {
	case "*", "?", "$":
		return tmplPart{text: inner, literal: true}, true
	}
	key, def, hasDef := strings.Cut(inner, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " \t'${") {
		return tmplPart{}, false
	}
	p := tmplPart{key: key, lkey: strings.ToLower(key)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return tmplPart{}, false
		}
		p.text, p.hasDef = def[1:len(def)-1], true
	}
	return p, true
}

// unresolved returns the first variable of t that ctx cannot fill: one with
// no default whose key is absent or has other than exactly one value
// (multivalued keys cannot be policy variables).
func (t template) unresolved(ctx Context) (string, bool) {
	for _, p := range t.parts {
		if p.key == "" || p.hasDef {
			continue
		}
		if v, _ := ctx.Get(p.lkey); len(v) != 1 {
			return p.key, true
		}
	}
	return "", false
}

// resolve substitutes the variables of t from ctx. The text of a variable
// is literal: it never acts as a wildcard. ok is false when a variable
// without a default cannot be resolved.
func (t template) resolve(ctx Context) (pieces []piece, ok bool) {
	pieces = make([]piece, 0, len(t.parts))
	for _, p := range t.parts {
		if p.key == "" {
			pieces = append(pieces, piece{text: p.text, literal: p.literal})
			continue
		}
		v, _ := ctx.Get(p.lkey)
		switch {
		case len(v) == 1:
			pieces = append(pieces, piece{text: v[0], literal: true})
		case p.hasDef:
			pieces = append(pieces, piece{text: p.text, literal: true})
		default:
			return nil, false
		}
	}
	return pieces, true
}

// resolveString is resolve for exact comparisons, where wildcards mean
// nothing: the pieces joined.
func (t template) resolveString(ctx Context) (string, bool) {
	pieces, ok := t.resolve(ctx)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(p.text)
	}
	return b.String(), true
}
