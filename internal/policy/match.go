package policy

import (
	"strings"
	"unicode/utf8"
)

// A glob is a compiled wildcard pattern: '*' matches any run of characters
// and '?' exactly one. The globMode says how.
//
// Text that came from a policy variable, or from ${*}, ${?} and ${$}, is
// literal: a '*' in it is a star, not a wildcard.
// globMode is a flavour of wildcard matching.
type globMode uint8

const (
	// matchPlain (StringLike): case-sensitive; wildcards match anything.
	matchPlain globMode = iota
	// matchFold (Action, NotAction): case-insensitive.
	matchFold
	// matchResource (Resource, NotResource): case-sensitive and segment-wise.
	// In the first five colon-separated segments (arn, partition, service,
	// region, account) a wildcard does not match ':', except that a '*'
	// that is the last character of a segment "can expand to match beyond
	// the colon boundaries" (IAM User Guide, "IAM JSON policy elements:
	// Resource"). In the sixth segment, the resource, which may itself hold
	// colons, wildcards match anything.
	matchResource
	// matchARN (ArnEquals, ArnLike and their negations): "Each of the six
	// colon-delimited components of the ARN is checked separately" (IAM
	// User Guide, "Condition operators"), so no wildcard of the first five
	// segments matches ':'. Only a pattern with fewer than six segments
	// lets its final '*' match the rest, colons and all ("arn:aws:sns:*").
	matchARN
)

type glob struct {
	fold   bool
	exact  string // the whole pattern, when it has no wildcard
	prefix string // the literal text before a final crossing '*', when that is the only wildcard
	kind   globKind
	toks   []globTok
}

type globKind uint8

const (
	globExact  globKind = iota // no wildcard: compare with exact
	globPrefix                 // literal text then one final '*': HasPrefix(prefix)
	globFull                   // anything else: run toks
)

type globTok struct {
	kind  uint8 // tokLit, tokOne or tokStar
	colon bool  // tokOne, tokStar: may match ':'
	r     rune
}

const (
	tokLit uint8 = iota
	tokOne
	tokStar
)

// A piece is part of a pattern's text; literal pieces have no wildcards.
type piece struct {
	text    string
	literal bool
}

func compileGlob(pattern string, mode globMode) *glob {
	return compilePieces([]piece{{text: pattern}}, mode)
}

func compilePieces(pieces []piece, mode globMode) *glob {
	fold, arn := mode == matchFold, mode == matchResource || mode == matchARN
	g := &glob{fold: fold}
	colons := 0
	for _, p := range pieces {
		text := p.text
		if fold {
			text = strings.ToLower(text)
		}
		for _, r := range text {
			t := globTok{kind: tokLit, r: r}
			if !p.literal && (r == '*' || r == '?') {
				t.kind = tokOne
				if r == '*' {
					t.kind = tokStar
				}
				t.colon = !arn || colons >= 5
			}
			if r == ':' {
				colons++
			}
			g.toks = append(g.toks, t)
		}
	}
	for i, t := range g.toks {
		if t.kind != tokStar || t.colon {
			continue
		}
		last := i == len(g.toks)-1
		switch mode {
		case matchResource: // a '*' ending a segment may cross colons
			g.toks[i].colon = last || (g.toks[i+1].kind == tokLit && g.toks[i+1].r == ':')
		case matchARN: // only the final '*' of a short pattern
			g.toks[i].colon = last && colons < 5
		}
	}
	g.classify()
	return g
}

// classify picks the fast path a pattern allows.
func (g *glob) classify() {
	var b strings.Builder
	for i, t := range g.toks {
		switch {
		case t.kind == tokLit:
			b.WriteRune(t.r)
		case t.kind == tokStar && t.colon && i == len(g.toks)-1:
			g.kind, g.prefix = globPrefix, b.String()
			return
		default:
			g.kind = globFull
			return
		}
	}
	g.kind, g.exact = globExact, b.String()
}

// match reports whether s matches the whole pattern.
func (g *glob) match(s string) bool {
	switch g.kind {
	case globExact:
		if g.fold {
			return strings.EqualFold(s, g.exact)
		}
		return s == g.exact
	case globPrefix:
		if g.fold {
			return len(s) >= len(g.prefix) && strings.EqualFold(s[:len(g.prefix)], g.prefix)
		}
		return strings.HasPrefix(s, g.prefix)
	}
	if g.fold {
		s = strings.ToLower(s)
	}
	return g.run(s)
}

// run simulates the pattern as an NFA, one state per token: linear in
// len(s) × len(toks), with no backtracking blow-up.
func (g *glob) run(s string) bool {
	n := len(g.toks)
	var cur, next []bool
	if n < 64 {
		var a, b [64]bool // no allocation for patterns of usual length
		cur, next = a[:n+1], b[:n+1]
	} else {
		cur, next = make([]bool, n+1), make([]bool, n+1)
	}
	cur[0] = true
	g.closure(cur)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		clear(next)
		alive := false
		for i := 0; i < n; i++ {
			if !cur[i] {
				continue
			}
			t := g.toks[i]
			switch t.kind {
			case tokLit:
				if t.r == r {
					next[i+1], alive = true, true
				}
			case tokOne:
				if t.colon || r != ':' {
					next[i+1], alive = true, true
				}
			case tokStar:
				if t.colon || r != ':' {
					next[i], alive = true, true
				}
			}
		}
		if !alive {
			return false
		}
		g.closure(next)
		cur, next = next, cur
	}
	return cur[n]
}

// closure lets every '*' match the empty string.
func (g *glob) closure(states []bool) {
	for i, t := range g.toks {
		if states[i] && t.kind == tokStar {
			states[i+1] = true
		}
	}
}
