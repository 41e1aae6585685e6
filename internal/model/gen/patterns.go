package main

// Translation of the Java (java.util.regex) patterns found in AWS models to
// Go's RE2 syntax.
//
// AWS validates a "pattern" trait with Matcher.matches(), i.e. against the
// whole value, so the translated expression is wrapped as ^(?:P)$. The
// translator parses the Java syntax and re-emits it for Go, taking care of the
// differences that matter for these models:
//
//   - \uXXXX escapes (exactly four hex digits, as in Java; an escaped
//     surrogate pair \uD800\uDC00 denotes one supplementary code point);
//   - \p{...} forms: IsX, gc=/general_category=, sc=/script=, the POSIX
//     classes (\p{Alpha} ...) and a few java* classes;
//   - Java's '.', \s, \h, \v, \R, \e, \cX and octal escapes;
//   - character classes, parsed with Java's rules for '-' and nested classes
//     (unions are flattened);
//   - possessive quantifiers (X*+) and atomic groups ((?>X)), turned into
//     their greedy forms;
//   - \Z, which under whole-value matching is equivalent to \z;
//   - repeat counts above Go's limit of 1000 (the upper bound is dropped);
//   - lookaround assertions ((?=X), (?!X), (?<=X), (?<!X)), which RE2 cannot
//     express: they are removed, which relaxes the pattern (every value AWS
//     accepts is still accepted).
//
// Anything else that RE2 cannot express (back-references, class
// intersections, ...) makes the translation fail; the generator then prints a
// warning and does not enforce that pattern.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Translation is the outcome of translating one Java pattern.
type Translation struct {
	Java  string   // pattern text from the model
	Go    string   // anchored Go expression; empty if Err != nil
	Notes []string // approximations that were made (the result is still enforced)
	Err   error    // the pattern could not be translated
}

// TranslatePattern translates a Java pattern into an anchored Go regexp and
// checks that Go compiles it.
func TranslatePattern(java string) Translation {
	t := &translator{src: []rune(java), notes: map[string]bool{}}
	body, err := t.sequence(false)
	res := Translation{Java: java}
	for n := range t.notes {
		res.Notes = append(res.Notes, n)
	}
	sortStrings(res.Notes)
	if err != nil {
		res.Err = err
		return res
	}
	goSrc := "^(?:" + body + ")$"
	if _, err := regexp.Compile(goSrc); err != nil {
		res.Err = fmt.Errorf("go regexp: %v (translated to %s)", err, goSrc)
		return res
	}
	res.Go = goSrc
	return res
}

type translator struct {
	src        []rune
	pos        int
	dotAll     bool // (?s) seen
	unixLines  bool // (?d) seen
	notes      map[string]bool
	groupDepth int
}

func (t *translator) eof() bool { return t.pos >= len(t.src) }

func (t *translator) peek(off int) rune {
	if t.pos+off < len(t.src) {
		return t.src[t.pos+off]
	}
	return -1
}

func (t *translator) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", t.pos, fmt.Sprintf(format, args...))
}

// sequence translates until end of input or, when inGroup, the closing ')'
// (which is left unconsumed).
func (t *translator) sequence(inGroup bool) (string, error) {
	var out strings.Builder
	for !t.eof() {
		r := t.peek(0)
		switch r {
		case ')':
			if !inGroup {
				return "", t.errorf("unmatched ')'")
			}
			return out.String(), nil
		case '(':
			s, err := t.group()
			if err != nil {
				return "", err
			}
			out.WriteString(s)
			continue // group() consumed its quantifier too
		case '[':
			t.pos++
			items, neg, err := t.class()
			if err != nil {
				return "", err
			}
			out.WriteString(renderClass(items, neg))
		case '\\':
			t.pos++
			s, err := t.escapeAtom()
			if err != nil {
				return "", err
			}
			out.WriteString(s)
		case '.':
			t.pos++
			switch {
			case t.dotAll:
				out.WriteString(`(?s:.)`)
			case t.unixLines:
				out.WriteString(`.`)
			default:
				out.WriteString(`[^\n\r\x{85}\x{2028}\x{2029}]`)
			}
		case '^', '$', '|':
			t.pos++
			out.WriteRune(r)
			continue
		case '*', '+', '?', '{':
			if r == '{' && !t.isRepeat() {
				t.pos++
				out.WriteString(`\{`)
				break
			}
			return "", t.errorf("quantifier %q without operand", r)
		default:
			t.pos++
			out.WriteString(goLiteral(r))
		}
		q, err := t.quantifier()
		if err != nil {
			return "", err
		}
		out.WriteString(q)
	}
	if inGroup {
		return "", t.errorf("missing ')'")
	}
	return out.String(), nil
}

// isRepeat reports whether the text at pos is a {n}, {n,} or {n,m} quantifier.
func (t *translator) isRepeat() bool {
	rest := string(t.src[t.pos:])
	return repeatRE.MatchString(rest)
}

var repeatRE = regexp.MustCompile(`^\{(\d+)(,(\d*))?\}`)

// quantifier translates an optional quantifier after an atom.
func (t *translator) quantifier() (string, error) {
	var q string
	switch r := t.peek(0); {
	case r == '*' || r == '+' || r == '?':
		t.pos++
		q = string(r)
	case r == '{' && t.isRepeat():
		m := repeatRE.FindStringSubmatch(string(t.src[t.pos:]))
		t.pos += len([]rune(m[0]))
		lo, _ := strconv.Atoi(m[1])
		if lo > 1000 {
			return "", t.errorf("repeat count %d exceeds Go's limit", lo)
		}
		q = m[0]
		if m[3] != "" {
			hi, _ := strconv.Atoi(m[3])
			if hi > 1000 {
				t.notes["repeat upper bound above 1000 dropped (relaxed)"] = true
				q = "{" + m[1] + ",}"
			}
		}
	default:
		return "", nil
	}
	switch t.peek(0) {
	case '?':
		t.pos++
		q += "?"
	case '+':
		t.pos++
		t.notes["possessive quantifier made greedy"] = true
	}
	return q, nil
}

// group translates a parenthesized construct starting at '(' plus any
// quantifier after it.
func (t *translator) group() (string, error) {
	t.pos++ // '('
	open := "("
	if t.peek(0) == '?' {
		switch {
		case t.peek(1) == ':':
			t.pos += 2
			open = "(?:"
		case t.peek(1) == '>':
			t.pos += 2
			open = "(?:"
			t.notes["atomic group made non-atomic"] = true
		case t.peek(1) == '=' || t.peek(1) == '!' ||
			(t.peek(1) == '<' && (t.peek(2) == '=' || t.peek(2) == '!')):
			if t.peek(1) == '<' {
				t.pos += 3
			} else {
				t.pos += 2
			}
			if _, err := t.sequence(true); err != nil {
				return "", err
			}
			t.pos++ // ')'
			t.notes["lookaround assertion removed (relaxed)"] = true
			if q, err := t.quantifier(); err != nil || q != "" {
				return "", t.errorf("quantified lookaround")
			}
			return "", nil
		case t.peek(1) == '<':
			t.pos += 2
			name := ""
			for !t.eof() && t.peek(0) != '>' {
				name += string(t.peek(0))
				t.pos++
			}
			if t.eof() {
				return "", t.errorf("unterminated group name")
			}
			t.pos++
			open = "(?P<" + name + ">"
		default:
			// Inline flags: (?idmsux-idmsux) or (?flags:X).
			t.pos++
			var on, off strings.Builder
			neg := false
			for !t.eof() && t.peek(0) != ')' && t.peek(0) != ':' {
				f := t.peek(0)
				t.pos++
				switch f {
				case '-':
					neg = true
					continue
				case 'i', 'm', 's':
					if neg {
						off.WriteRune(f)
					} else {
						on.WriteRune(f)
						if f == 's' {
							t.dotAll = true
						}
					}
				case 'd':
					t.unixLines = !neg
				case 'u', 'U':
					t.notes["unicode flag ignored"] = true
				default:
					return "", t.errorf("unsupported inline flag %q", f)
				}
			}
			if t.eof() {
				return "", t.errorf("unterminated inline flags")
			}
			flags := on.String()
			if off.Len() > 0 {
				flags += "-" + off.String()
			}
			if t.peek(0) == ')' {
				t.pos++
				if flags == "" {
					return "", nil
				}
				return "(?" + flags + ")", nil
			}
			t.pos++ // ':'
			open = "(?" + flags + ":"
			if flags == "" {
				open = "(?:"
			}
		}
	}
	body, err := t.sequence(true)
	if err != nil {
		return "", err
	}
	t.pos++ // ')'
	q, err := t.quantifier()
	if err != nil {
		return "", err
	}
	return open + body + ")" + q, nil
}

// classItem is one element of a character class: a single code point, a
// range, or an already rendered Go class fragment such as `\d` or `\p{L}`.
type classItem struct {
	lo, hi rune
	raw    string
}

func renderClass(items []classItem, neg bool) string {
	var b strings.Builder
	b.WriteByte('[')
	if neg {
		b.WriteByte('^')
	}
	for _, it := range items {
		switch {
		case it.raw != "":
			b.WriteString(it.raw)
		case it.lo == it.hi:
			b.WriteString(goClassChar(it.lo))
		default:
			b.WriteString(goClassChar(it.lo) + "-" + goClassChar(it.hi))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// class parses a Java character class after its '[' up to and including the
// closing ']'.
func (t *translator) class() (items []classItem, neg bool, err error) {
	if t.peek(0) == '^' {
		neg = true
		t.pos++
	}
	first := true
	for {
		if t.eof() {
			return nil, false, t.errorf("unterminated character class")
		}
		r := t.peek(0)
		switch {
		case r == ']' && !first:
			t.pos++
			return items, neg, nil
		case r == '[':
			t.pos++
			sub, subNeg, err := t.class()
			if err != nil {
				return nil, false, err
			}
			if subNeg {
				return nil, false, t.errorf("negated nested character class")
			}
			items = append(items, sub...)
			first = false
			continue
		case r == '&' && t.peek(1) == '&':
			return nil, false, t.errorf("character class intersection (&&)")
		}
		first = false
		// One atom, possibly the start of a range.
		var lo rune
		if r == '\\' {
			t.pos++
			ch, raw, err := t.escape(true)
			if err != nil {
				return nil, false, err
			}
			if raw != "" {
				items = append(items, classItem{raw: raw})
				continue
			}
			lo = ch
		} else {
			t.pos++
			lo = r
		}
		if t.peek(0) == '-' && t.peek(1) != ']' && t.peek(1) != '[' && t.peek(1) != -1 {
			t.pos++
			var hi rune
			if t.peek(0) == '\\' {
				t.pos++
				ch, raw, err := t.escape(true)
				if err != nil {
					return nil, false, err
				}
				if raw != "" {
					return nil, false, t.errorf("illegal character range")
				}
				hi = ch
			} else {
				hi = t.peek(0)
				t.pos++
			}
			if hi < lo {
				return nil, false, t.errorf("illegal character range")
			}
			items = append(items, classItem{lo: lo, hi: hi})
			continue
		}
		items = append(items, classItem{lo: lo, hi: lo})
	}
}

// escapeAtom translates an escape outside a character class (after '\').
func (t *translator) escapeAtom() (string, error) {
	switch r := t.peek(0); r {
	case 'b', 'B', 'A', 'z':
		t.pos++
		// \b: Java (since JDK 19) and Go both use ASCII word characters.
		return `\` + string(r), nil
	case 'Z':
		t.pos++
		t.notes[`\Z translated as \z`] = true
		return `\z`, nil
	case 'G':
		return "", t.errorf(`\G is not supported`)
	case 'R':
		t.pos++
		return `(?:\r\n|[\n\x0B\f\r\x{85}\x{2028}\x{2029}])`, nil
	case 'Q':
		t.pos++
		var b strings.Builder
		for !t.eof() {
			if t.peek(0) == '\\' && t.peek(1) == 'E' {
				t.pos += 2
				break
			}
			b.WriteString(goLiteral(t.peek(0)))
			t.pos++
		}
		return b.String(), nil
	case 'k':
		return "", t.errorf("named back-reference")
	}
	if r := t.peek(0); r >= '1' && r <= '9' {
		return "", t.errorf("back-reference")
	}
	ch, raw, err := t.escape(false)
	if err != nil {
		return "", err
	}
	if raw != "" {
		if strings.HasPrefix(raw, `\`) && strings.Count(raw, `\`) == 1 || isSingleProperty(raw) {
			return raw, nil
		}
		return "[" + raw + "]", nil
	}
	return goLiteral(ch), nil
}

func isSingleProperty(raw string) bool {
	return (strings.HasPrefix(raw, `\p{`) || strings.HasPrefix(raw, `\P{`)) && strings.Count(raw, `\`) == 1
}

// escape translates the escape after '\' into either a single code point or
// a rendered class fragment (raw), usable inside a Go character class.
func (t *translator) escape(inClass bool) (ch rune, raw string, err error) {
	if t.eof() {
		return 0, "", t.errorf("trailing backslash")
	}
	r := t.peek(0)
	t.pos++
	switch r {
	case 't':
		return '\t', "", nil
	case 'n':
		return '\n', "", nil
	case 'r':
		return '\r', "", nil
	case 'f':
		return '\f', "", nil
	case 'a':
		return 7, "", nil
	case 'e':
		return 27, "", nil
	case '0':
		n, digits := 0, 0
		for digits < 3 && t.peek(0) >= '0' && t.peek(0) <= '7' && (digits < 2 || n < 040) {
			n = n*8 + int(t.peek(0)-'0')
			t.pos++
			digits++
		}
		if digits == 0 {
			return 0, "", t.errorf("illegal octal escape")
		}
		return rune(n), "", nil
	case 'c':
		if t.eof() {
			return 0, "", t.errorf(`illegal \c escape`)
		}
		c := t.peek(0)
		t.pos++
		return c ^ 64, "", nil
	case 'x':
		if t.peek(0) == '{' {
			end := t.pos
			for end < len(t.src) && t.src[end] != '}' {
				end++
			}
			v, err := strconv.ParseUint(string(t.src[t.pos+1:end]), 16, 32)
			if err != nil || end >= len(t.src) || v > unicode.MaxRune {
				return 0, "", t.errorf(`illegal \x{...} escape`)
			}
			t.pos = end + 1
			return rune(v), "", nil
		}
		v, err := t.hex(2)
		return v, "", err
	case 'u':
		v, err := t.hex(4)
		if err != nil {
			return 0, "", err
		}
		if v >= 0xD800 && v <= 0xDBFF && t.peek(0) == '\\' && t.peek(1) == 'u' {
			save := t.pos
			t.pos += 2
			lo, err := t.hex(4)
			if err == nil && lo >= 0xDC00 && lo <= 0xDFFF {
				return 0x10000 + (v-0xD800)<<10 + (lo - 0xDC00), "", nil
			}
			t.pos = save
		}
		return v, "", nil
	case 'd', 'D', 'w', 'W':
		return 0, `\` + string(r), nil
	case 's':
		return 0, `\t\n\x0B\f\r `, nil
	case 'S':
		if inClass {
			return 0, `\S`, nil
		}
		return 0, `^\t\n\x0B\f\r `, nil
	case 'h':
		return 0, ` \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`, nil
	case 'H':
		if inClass {
			return 0, "", t.errorf(`\H inside a character class`)
		}
		return 0, `^ \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`, nil
	case 'v':
		return 0, `\n\x0B\f\r\x{85}\x{2028}\x{2029}`, nil
	case 'V':
		if inClass {
			return 0, "", t.errorf(`\V inside a character class`)
		}
		return 0, `^\n\x0B\f\r\x{85}\x{2028}\x{2029}`, nil
	case 'p', 'P':
		var name string
		if t.peek(0) == '{' {
			end := t.pos
			for end < len(t.src) && t.src[end] != '}' {
				end++
			}
			if end >= len(t.src) {
				return 0, "", t.errorf(`unterminated \p{`)
			}
			name = string(t.src[t.pos+1 : end])
			t.pos = end + 1
		} else if !t.eof() {
			name = string(t.peek(0))
			t.pos++
		}
		raw, err := t.property(name, r == 'P')
		return 0, raw, err
	}
	if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return 0, "", t.errorf(`unsupported escape \%c`, r)
	}
	return r, "", nil // escaped punctuation or other literal
}

func (t *translator) hex(n int) (rune, error) {
	if t.pos+n > len(t.src) {
		return 0, t.errorf("short hex escape")
	}
	v, err := strconv.ParseUint(string(t.src[t.pos:t.pos+n]), 16, 32)
	if err != nil {
		return 0, t.errorf("illegal hex escape")
	}
	t.pos += n
	return rune(v), nil
}

var posixClasses = map[string]string{
	"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha",
	"Digit": "digit", "Alnum": "alnum", "Punct": "punct", "Graph": "graph",
	"Print": "print", "Blank": "blank", "Cntrl": "cntrl", "XDigit": "xdigit",
	"Space": "space",
}

// approximate Java classes: name -> (Go fragment, single property?)
var javaClasses = map[string]string{
	"javaLowerCase":      `\p{Ll}`,
	"javaUpperCase":      `\p{Lu}`,
	"javaLetter":         `\p{L}`,
	"javaDigit":          `\p{Nd}`,
	"javaLetterOrDigit":  `\p{L}\p{Nd}`,
	"javaWhitespace":     `\t\n\x0B\f\r\x1C-\x1F\p{Zs}\p{Zl}\p{Zp}`,
	"IsAlphabetic":       `\p{L}\p{Nl}`,
	"IsLetter":           `\p{L}`,
	"IsDigit":            `\p{Nd}`,
	"IsUppercase":        `\p{Lu}`,
	"IsLowercase":        `\p{Ll}`,
	"IsWhite_Space":      `\t\n\x0B\f\r\x{85}\p{Z}`,
	"IsWhiteSpace":       `\t\n\x0B\f\r\x{85}\p{Z}`,
	"IsPunctuation":      `\p{P}`,
	"IsControl":          `\p{Cc}`,
	"IsHex_Digit":        `0-9a-fA-F\x{FF10}-\x{FF19}\x{FF21}-\x{FF26}\x{FF41}-\x{FF46}`,
	"IsLetterOrDigit":    `\p{L}\p{Nd}`,
	"IsIdeographic":      `\p{Han}`,
	"InBasicLatin":       `\x00-\x7F`,
	"InLatin1Supplement": `\x{80}-\x{FF}`,
}

// property translates the name inside \p{...} into a Go class fragment.
func (t *translator) property(name string, neg bool) (string, error) {
	single := func(goName string) string {
		if neg {
			return `\P{` + goName + `}`
		}
		return `\p{` + goName + `}`
	}
	known := func(n string) bool {
		_, cat := unicode.Categories[n]
		_, scr := unicode.Scripts[n]
		return cat || scr
	}
	n := name
	for _, prefix := range []string{"general_category=", "gc=", "script=", "sc=", "Is"} {
		if strings.HasPrefix(n, prefix) && known(n[len(prefix):]) {
			return single(n[len(prefix):]), nil
		}
	}
	if known(n) {
		return single(n), nil
	}
	if p, ok := posixClasses[n]; ok {
		if neg {
			return "[:^" + p + ":]", nil
		}
		return "[:" + p + ":]", nil
	}
	if frag, ok := javaClasses[n]; ok {
		if !strings.HasPrefix(n, "In") {
			t.notes[`\p{`+n+`} approximated as [`+frag+`]`] = true
		}
		if neg {
			if isSingleProperty(frag) {
				return `\P` + frag[2:], nil
			}
			return "", t.errorf(`negated \P{%s} cannot be expressed`, n)
		}
		return frag, nil
	}
	return "", t.errorf(`unknown property \p{%s}`, name)
}

// goLiteral renders r as a literal outside a class.
func goLiteral(r rune) string {
	if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
		return `\` + string(r)
	}
	return printable(r)
}

// goClassChar renders r as a literal inside a class.
func goClassChar(r rune) string {
	if strings.ContainsRune(`\[]-^`, r) {
		return `\` + string(r)
	}
	return printable(r)
}

func printable(r rune) string {
	switch r {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\f':
		return `\f`
	}
	if r == ' ' || (r > ' ' && r < 0x7F) {
		return string(r)
	}
	return fmt.Sprintf(`\x{%X}`, r)
}
