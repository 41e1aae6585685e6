package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestTranslatePattern(t *testing.T) {
	cases := []struct {
		java      string
		match     []string
		noMatch   []string
		wantNotes bool
	}{
		{java: `\d+`, match: []string{"12"}, noMatch: []string{"12a", "", "a12"}},
		{java: `d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
			match:   []string{"d-1234567890", "12345678-1234-1234-1234-123456789012"},
			noMatch: []string{"d-12", "d-1234567890\n", "xd-1234567890"}},
		{java: `^(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`,
			match: []string{"123456789012", "ou-abcd-12345678"}, noMatch: []string{"123456789012x"}},
		{java: `\u0041[\u0009\u000A]`, match: []string{"A\t", "A\n"}, noMatch: []string{"A "}},
		// An escaped surrogate pair is one supplementary code point.
		{java: `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*`,
			match: []string{"", "a\t😀", "\uFFFD"}, noMatch: []string{"\n", "\x1f"}},
		// Java reads exactly four hex digits: \u10000 is \u1000 then '0'.
		{java: `[\u10000-\u10FFFF]+`, match: []string{"0", "F", "\u1000", "A"}, noMatch: []string{"😀", "\u1100"}},
		{java: `a*+b`, match: []string{"aab", "b"}, wantNotes: true},
		{java: `(?>a|b)c`, match: []string{"ac"}, wantNotes: true},
		{java: `\p{Alpha}+`, match: []string{"abcXYZ"}, noMatch: []string{"é", "1"}},
		{java: `[\p{Alnum}_]+`, match: []string{"a_1"}, noMatch: []string{"-"}},
		{java: `\P{Alpha}`, match: []string{"1"}, noMatch: []string{"a"}},
		{java: `\p{IsLatin}+\p{gc=Nd}`, match: []string{"éa1"}, noMatch: []string{"α1"}},
		{java: `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, match: []string{"héllo wörld 1_.:/=+-@"}, noMatch: []string{"!"}},
		{java: `\pL\PL`, match: []string{"a1"}, noMatch: []string{"ab"}},
		{java: `abc\Z`, match: []string{"abc"}, noMatch: []string{"abc\n"}, wantNotes: true},
		{java: `(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:T(?:(\d+)H)?)?`, match: []string{"PT1H", "P1Y", "-P1Y"}, noMatch: []string{"T1H"}, wantNotes: true},
		{java: `[a-z0-9-.]+`, match: []string{"a-.9"}, noMatch: []string{"A", "_"}},
		{java: `[a-zA-Z0-9-/]+`, match: []string{"a/-"}, noMatch: []string{"."}},
		{java: `[-a-z]+[a-z-]`, match: []string{"-a-"}},
		{java: `[a-zA-Z0-9&$@#\\\/%?=~\-_'"|!:,.;*+\[\]\ \(\)\{\}]+`, match: []string{`a\b [x](y){z}'"`}, noMatch: []string{"<"}},
		{java: `.+`, match: []string{"ab"}, noMatch: []string{"a\nb", "a\rb", "a\u2028b"}},
		{java: `(?s).*`, match: []string{"a\nb\r"}},
		{java: `[\s\S]*`, match: []string{"a\n\x0b"}},
		{java: `\s`, match: []string{"\x0b", " "}, noMatch: []string{"a"}},
		{java: `[^\s@]+@[^\s@]+\.[^\s@]+`, match: []string{"a@b.c"}, noMatch: []string{"a b@c.d", "a@b"}},
		{java: `\w{1,2000}`, match: []string{strings.Repeat("a", 1500)}, wantNotes: true},
		{java: `[a-c[x-z]]+`, match: []string{"axz"}, noMatch: []string{"d"}},
		{java: `\x41\x{1F600}\0101\t\cA`, match: []string{"A😀A\t\x01"}},
		{java: `\Qa.b\E+`, match: []string{"a.bb"}, noMatch: []string{"axb"}},
		{java: `(?i)abc`, match: []string{"ABC"}},
		{java: `(?<year>\d{4})`, match: []string{"2024"}},
		{java: `a{,2}`, match: []string{"a{,2}"}},
		{java: `\b[0-9a-f]{8}\b-[0-9a-f]{4}`, match: []string{"01234567-89ab"}},
	}
	for _, c := range cases {
		tr := TranslatePattern(c.java)
		if tr.Err != nil {
			t.Errorf("%s: %v", c.java, tr.Err)
			continue
		}
		if c.wantNotes != (len(tr.Notes) > 0) {
			t.Errorf("%s: notes %v", c.java, tr.Notes)
		}
		re := regexp.MustCompile(tr.Go)
		for _, s := range c.match {
			if !re.MatchString(s) {
				t.Errorf("%s (Go %s) does not match %q", c.java, tr.Go, s)
			}
		}
		for _, s := range c.noMatch {
			if re.MatchString(s) {
				t.Errorf("%s (Go %s) matches %q", c.java, tr.Go, s)
			}
		}
	}
}

func TestTranslatePatternErrors(t *testing.T) {
	for _, java := range []string{
		`(a)\1`,           // back-reference
		`[a-z&&[^b]]`,     // intersection
		`[a[^b]]`,         // negated nested class
		`\p{NoSuchThing}`, // unknown property
		`a\Gb`,
		`(?x)a b`, // comments flag
		`[z-a]`,
		`(a`,
		`a)`,
		`*a`,
	} {
		if tr := TranslatePattern(java); tr.Err == nil {
			t.Errorf("%s: translated to %s, want an error", java, tr.Go)
		}
	}
}
