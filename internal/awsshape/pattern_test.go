package awsshape

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// modelPatterns returns the sources of the patterns that the generated model
// packages pass to MustPattern, read out of their validate.go files (the
// packages import this one, so its tests cannot import them).
func modelPatterns(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../model/*/validate.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var srcs []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			lit, isLit := call.Args[0].(*ast.BasicLit)
			if !ok || sel.Sel.Name != "MustPattern" || !isLit {
				return true
			}
			src, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if !seen[src] {
				seen[src] = true
				srcs = append(srcs, src)
			}
			return true
		})
	}
	if len(srcs) < 50 {
		t.Fatalf("found only %d patterns in %v", len(srcs), files)
	}
	return srcs
}

// extraPatterns exercise what the model patterns do not: unanchored search,
// line and word assertions, case folding, empty and impossible expressions.
var extraPatterns = []string{
	`^[\w+=,.@-]*$`, // internal/api/sts
	`[0-9]{3}`,
	`a|b$`,
	`(?m)^ab$`,
	`(?m)^a|b$\n`,
	`\bfoo\b`,
	`^(?:\b[0-9a-f]{2}\b-\B[a-z]+)$`,
	`x\B.y`,
	`(?i)ab[c-e]K`,
	`(?i)ſ+`,
	`^(?:(?s).*)$`,
	`^.*$`,
	`^$`,
	``,
	`\A\z`,
	`\Aab|cd`,
	`(?:^|-)x+$`,
	`[^a-c]+$`,
	`^(?:[ab]*a[ab]{3})$`,
	`^(?:a{2,5}|b{3,})+c?$`,
	`[^\x00-\x{10FFFF}]`,
	`^(?:[\x00-\x7f]{0,3})$`,
}

// checkInput compares p with its regexp on s; for ASCII s it also requires
// that the DFA answered.
func checkInput(t *testing.T, p *Pattern, s string) {
	t.Helper()
	want := p.re.MatchString(s)
	if got := p.MatchString(s); got != want {
		t.Fatalf("%s: MatchString(%q) = %v, regexp says %v", p, s, got, want)
	}
	if got, ok := p.dfa.match(s); ok && got != want {
		t.Fatalf("%s: dfa.match(%q) = %v, regexp says %v", p, s, got, want)
	} else if !ok && isASCII(s) && !p.dfa.failed.Load() {
		t.Fatalf("%s: dfa did not answer for ASCII %q", p, s)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestPatternAgreesWithRegexp compares every pattern of the generated models,
// plus extraPatterns, with package regexp on sampled matching strings, their
// one-byte mutations and truncations, and random input.
func TestPatternAgreesWithRegexp(t *testing.T) {
	srcs := append(modelPatterns(t), extraPatterns...)
	maxStates := 0
	for n, src := range srcs {
		p := MustPattern(src)
		p.MatchString("")
		if p.dfa == nil {
			t.Fatalf("%s: no DFA", src)
		}
		re, err := syntax.Parse(src, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		var alphabet []byte
		for i := range 30 {
			s := sample(rng, re, i%3 == 0)
			for _, in := range variants(rng, s) {
				checkInput(t, p, in)
			}
			for j := 0; j < len(s); j++ {
				alphabet = append(alphabet, s[j])
			}
		}
		alphabet = append(alphabet, '\n', ' ', '-', 'a', 'Z', '0', 0, 0x7f)
		for range 300 {
			checkInput(t, p, randomString(rng, alphabet, rng.IntN(80)))
			checkInput(t, p, randomString(rng, nil, rng.IntN(80)))
		}
		for _, c := range []string{"a", "0", "-", " ", "\n", "é", "\xff"} {
			checkInput(t, p, strings.Repeat(c, 5000))
		}
		checkInput(t, p, sample(rng, re, false)+strings.Repeat(sample(rng, re, false), 200))
		if p.dfa.failed.Load() {
			t.Errorf("%s: DFA gave up (more than %d states)", src, maxDFAStates)
		}
		maxStates = max(maxStates, len(p.dfa.states))
	}
	t.Logf("%d patterns, at most %d DFA states", len(srcs), maxStates)
}

// variants returns s, its truncations and one-byte mutations, s with a
// non-ASCII rune or invalid byte inserted, and s repeated.
func variants(rng *rand.Rand, s string) []string {
	out := []string{s, "", s + s, s + "\n", "\n" + s, s + "é", "é" + s}
	for i := 0; i < len(s); i++ {
		out = append(out, s[:i], s[i:])
	}
	// Mutate every position of short strings, a sample of long ones.
	positions := len(s) + 1
	for k := 0; k < min(positions, 64); k++ {
		i := k
		if positions > 64 {
			i = rng.IntN(positions)
		}
		c := string(rune(rng.IntN(utf8.RuneSelf)))
		out = append(out, s[:i]+c+s[i:]) // insert
		if i < len(s) {
			out = append(out,
				s[:i]+s[i+1:],                   // delete
				s[:i]+c+s[i+1:],                 // replace
				s[:i]+string(s[i]^0x20)+s[i+1:], // flip case or similar
				s[:i]+"\xe2\x80\xa8"+s[i+1:],    // U+2028
				s[:i]+"\xc3"+s[i+1:])            // invalid UTF-8
		}
	}
	return out
}

// randomString returns n random bytes: ASCII from alphabet (any ASCII if
// empty), with the odd non-ASCII rune or invalid byte.
func randomString(rng *rand.Rand, alphabet []byte, n int) string {
	var b strings.Builder
	for range n {
		switch r := rng.IntN(100); {
		case r == 0:
			b.WriteRune(rune(0x80 + rng.IntN(0x3000)))
		case r == 1:
			b.WriteByte(byte(0x80 + rng.IntN(0x80)))
		case len(alphabet) == 0:
			b.WriteByte(byte(rng.IntN(utf8.RuneSelf)))
		default:
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
	}
	return b.String()
}

// sample returns a string generated from re, which mostly matches it (it
// ignores assertions and sometimes exceeds a repeat bound). Characters are
// ASCII where possible unless wide is set.
func sample(rng *rand.Rand, re *syntax.Regexp, wide bool) string {
	var b strings.Builder
	var walk func(re *syntax.Regexp)
	repeat := func(sub *syntax.Regexp, lo, hi int) {
		n := lo
		switch {
		case hi < 0 && rng.IntN(10) == 0:
			n = lo + rng.IntN(100)
		case hi < 0:
			n = lo + rng.IntN(4)
		case rng.IntN(10) == 0:
			n = hi + 1 // just too many
		default:
			n = lo + rng.IntN(hi-lo+1)
		}
		for range n {
			walk(sub)
		}
	}
	walk = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
					r = unicode.SimpleFold(r)
				}
				b.WriteRune(r)
			}
		case syntax.OpCharClass:
			b.WriteRune(classRune(rng, re.Rune, wide))
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteRune(classRune(rng, []rune{0, unicode.MaxRune}, wide))
		case syntax.OpCapture:
			walk(re.Sub[0])
		case syntax.OpStar:
			repeat(re.Sub[0], 0, -1)
		case syntax.OpPlus:
			repeat(re.Sub[0], 1, -1)
		case syntax.OpQuest:
			repeat(re.Sub[0], 0, 1)
		case syntax.OpRepeat:
			repeat(re.Sub[0], re.Min, re.Max)
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				walk(sub)
			}
		case syntax.OpAlternate:
			walk(re.Sub[rng.IntN(len(re.Sub))])
		}
	}
	walk(re)
	return b.String()
}

// classRune picks a rune from the ranges of a character class, an ASCII one
// when the class has some unless wide is set.
func classRune(rng *rand.Rand, ranges []rune, wide bool) rune {
	if len(ranges) == 0 {
		return 'x'
	}
	var ascii []rune
	for i := 0; i < len(ranges); i += 2 {
		if lo, hi := ranges[i], min(ranges[i+1], utf8.RuneSelf-1); lo <= hi {
			ascii = append(ascii, lo, hi)
		}
	}
	if len(ascii) > 0 && (!wide || rng.IntN(2) == 0) {
		ranges = ascii
	}
	i := 2 * rng.IntN(len(ranges)/2)
	return ranges[i] + rune(rng.IntN(int(ranges[i+1]-ranges[i]+1)))
}

// TestModelPatternDFAs builds the complete DFA of every model pattern: none
// may need more than maxDFAStates states, so ASCII input never falls back to
// the regexp.
func TestModelPatternDFAs(t *testing.T) {
	most, bytes := 0, 0
	for _, src := range modelPatterns(t) {
		p := MustPattern(src)
		p.MatchString("")
		d := p.dfa
		var rep [utf8.RuneSelf]byte // a byte of each class
		for b := utf8.RuneSelf - 1; b >= 0; b-- {
			rep[d.class[b]] = byte(b)
		}
		for row := 0; row < len(d.rows); row++ { // d.rows grows as states are found
			for c := range d.stride - 1 {
				if d.add(int32(row*d.stride), rep[c]) == 0 {
					t.Fatalf("%s: more than %d DFA states", src, maxDFAStates)
				}
			}
		}
		most = max(most, len(d.rows))
		bytes += 4 * len(*d.table.Load())
	}
	t.Logf("at most %d states per pattern; tables take %d bytes in all", most, bytes)
}

// TestPatternGivesUp checks that a DFA growing too large hands over to the
// regexp for good and still answers right.
func TestPatternGivesUp(t *testing.T) {
	p := MustPattern(`^(?:[ab]*a[ab]{12})$`) // 2^13 DFA states
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		s := randomString(rng, []byte("ab"), rng.IntN(40))
		if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
			t.Fatalf("MatchString(%q) = %v, want %v", s, got, want)
		}
	}
	if !p.dfa.failed.Load() {
		t.Fatalf("DFA did not give up; %d states", len(p.dfa.states))
	}
	if len(p.dfa.states) > maxDFAStates {
		t.Fatalf("%d states, limit %d", len(p.dfa.states), maxDFAStates)
	}
}

// TestPatternConcurrent matches from several goroutines while the DFA is
// being built (run with -race).
func TestPatternConcurrent(t *testing.T) {
	src := `^(?:([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12})$`
	p := MustPattern(src)
	re, _ := syntax.Parse(src, syntax.Perl)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 3))
			for range 200 {
				for _, s := range variants(rng, sample(rng, re, false)) {
					if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
						t.Errorf("MatchString(%q) = %v, want %v", s, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestCheckerPatternMessage(t *testing.T) {
	pat := `d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	p := MustPattern(`^(?:` + pat + `)$`)
	var c Checker
	c.Pattern("identityStoreId", "d-1234567890", false, p, pat)
	c.Pattern("identityStoreId", "12345678-1234-1234-1234-123456789012", false, p, pat)
	c.Pattern("identityStoreId", "d-12", false, p, pat)
	c.Pattern("userName", "d-12", true, p, "x")
	want := "2 validation errors detected: Value 'd-12' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pat +
		"; Value '***' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: x"
	if got := errMessage(t, &c); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// FuzzPattern compares a few patterns with package regexp on arbitrary input.
func FuzzPattern(f *testing.F) {
	var ps []*Pattern
	for _, src := range []string{
		`^(?:([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12})$`,
		`^(?:d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
		`^(?:\b[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}\b)$`,
		`^(?:^(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$)$`,
		`^(?:[^\t\n\x0B\f\r @]+@[^\t\n\x0B\f\r @]+\.[^\t\n\x0B\f\r @]+)$`,
		`^(?:[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \x{A0}]+)$`,
		`(?i)k[a-c]+|(?m)^x$`,
	} {
		ps = append(ps, MustPattern(src))
	}
	for _, s := range []string{"", "d-0123456789", "0123456789-01234567-89ab-cdef-0123-456789abcdef",
		"ou-abcd-12345678", "a@b.c", "Kab\nx", "\u212Aa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ps {
			if got, want := p.MatchString(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s: MatchString(%q) = %v, regexp says %v", p, s, got, want)
			}
		}
	})
}

// BenchmarkPattern compares regexp and Pattern on the identitystore
// ResourceId pattern and a 47-byte id.
func BenchmarkPattern(b *testing.B) {
	const src = `^(?:([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12})$`
	const id = "0123456789-a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	p := MustPattern(src)
	if !p.MatchString(id) || !p.re.MatchString(id) || len(id) != 47 {
		b.Fatal("id does not match")
	}
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			p.re.MatchString(id)
		}
	})
	b.Run("Pattern", func(b *testing.B) {
		for b.Loop() {
			p.MatchString(id)
		}
	})
}
