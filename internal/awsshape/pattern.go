package awsshape

import (
	"encoding/binary"
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Pattern is a compiled regular expression for Checker.Pattern. It answers
// exactly like regexp.Regexp.MatchString, but runs ASCII input through a
// lazily built DFA: one table lookup per byte instead of the work of the
// regexp engines. Input holding a byte >= 0x80 is handed to the regexp, and
// so is all input once the DFA would need more than maxDFAStates states.
// A Pattern is safe for concurrent use.
type Pattern struct {
	re   *regexp.Regexp
	once sync.Once
	dfa  *dfa // built by the first MatchString; nil if it could not be
}

// MustPattern compiles src, in Go regexp syntax, like regexp.MustCompile, and
// panics if it does not compile.
func MustPattern(src string) *Pattern {
	return &Pattern{re: regexp.MustCompile(src)}
}

// String returns the source text of p.
func (p *Pattern) String() string { return p.re.String() }

// MatchString reports whether s contains any match of p, like
// regexp.Regexp.MatchString. For the anchored expressions ^(?:...)$ of the
// generated code, that is whether s matches as a whole.
func (p *Pattern) MatchString(s string) bool {
	p.once.Do(func() { p.dfa = newDFA(p.re.String()) })
	if p.dfa != nil {
		if matched, ok := p.dfa.match(s); ok {
			return matched
		}
	}
	return p.re.MatchString(s)
}

// maxDFAStates bounds the number of states of one DFA. When a new state would
// exceed it, the DFA gives up for good and its Pattern uses the regexp.
const maxDFAStates = 1000

// dfa is a lazily built deterministic automaton over ASCII bytes that
// simulates the program compiled from a regexp. A state stands for the set
// of threads of the program between two input bytes. A transition is
// computed the first time it is taken and then published with an atomic
// store, so matching takes no lock.
//
// The transitions live in one table with a row of stride entries per state:
// one per byte class, then one for the end of the input. A state is named by
// the index of its row; the start state is 0. An entry holds the next state
// or one of the outcomes accepted and rejected (known whatever input
// follows), or is 0 while not computed: no transition leads back to the start
// state, the only state at the beginning of the input.
type dfa struct {
	prog     *syntax.Prog
	anchored bool // a match can only start at offset 0
	usesWord bool // the program tests \b or \B
	usesLine bool // the program tests (?m)^

	// class maps an ASCII byte to its class: bytes of one class are
	// indistinguishable to the program, so they share transitions.
	class  [utf8.RuneSelf]uint8
	stride int // number of classes + 1

	table  atomic.Pointer[[]atomic.Int32] // replaced by a copy to grow
	failed atomic.Bool                    // maxDFAStates was reached

	mu             sync.Mutex       // guards the fields below and writing the table
	states         map[string]int32 // by key (see state) -> row index
	rows           []dfaState       // by row number
	mark           []uint32         // closure: mark[pc] == gen when pc was visited
	gen            uint32
	stack, pending []uint32 // closure scratch space
}

// Outcomes in the transition table.
const (
	accepted int32 = -1 - iota
	rejected
)

// dfaState is what computing the transitions of a state needs.
type dfaState struct {
	pcs  []uint32 // sorted instructions the threads resume at, before empty-width steps
	prev prevClass
}

// prevClass is what the empty-width assertions need to know about the byte
// before the current position.
type prevClass uint8

const (
	prevBegin   prevClass = iota // no byte: the beginning of the input
	prevOther                    // a byte the program does not need to tell apart
	prevNewline                  // '\n', for (?m)^
	prevWord                     // an ASCII word character, for \b and \B
)

// rune returns a rune of the class, for syntax.EmptyOpContext.
func (c prevClass) rune() rune {
	switch c {
	case prevBegin:
		return -1
	case prevNewline:
		return '\n'
	case prevWord:
		return 'a'
	}
	return 0
}

// newDFA returns a DFA for the Go regexp src, compiled the way
// regexp.Compile compiles it, or nil if src does not compile.
func newDFA(src string) *dfa {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	d := &dfa{
		prog:     prog,
		anchored: prog.StartCond()&syntax.EmptyBeginText != 0,
		states:   map[string]int32{},
		mark:     make([]uint32, len(prog.Inst)),
	}
	d.classify()
	d.table.Store(new([]atomic.Int32))
	d.state([]uint32{uint32(prog.Start)}, prevBegin)
	return d
}

// classify sets usesWord, usesLine and the byte classes: two bytes share a
// class when every instruction consuming a rune treats them alike and the
// empty-width assertions cannot tell them apart.
func (d *dfa) classify() {
	var consumers []*syntax.Inst
	seen := map[string]bool{}
	for i := range d.prog.Inst {
		inst := &d.prog.Inst[i]
		switch inst.Op {
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(inst.Arg)
			d.usesWord = d.usesWord || op&(syntax.EmptyWordBoundary|syntax.EmptyNoWordBoundary) != 0
			d.usesLine = d.usesLine || op&syntax.EmptyBeginLine != 0
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			key := []byte{byte(inst.Op), byte(inst.Arg)}
			for _, r := range inst.Rune {
				key = binary.LittleEndian.AppendUint32(key, uint32(r))
			}
			if !seen[string(key)] {
				seen[string(key)] = true
				consumers = append(consumers, inst)
			}
		}
	}
	classes := map[string]uint8{}
	for b := range byte(utf8.RuneSelf) {
		sig := []bool{b == '\n', syntax.IsWordChar(rune(b))}
		for _, inst := range consumers {
			sig = append(sig, matchByte(inst, b))
		}
		key := sigKey(sig)
		c, ok := classes[key]
		if !ok {
			c = uint8(len(classes))
			classes[key] = c
		}
		d.class[b] = c
	}
	d.stride = len(classes) + 1
}

// sigKey packs a class signature into a map key.
func sigKey(sig []bool) string {
	key := make([]byte, (len(sig)+7)/8)
	for i, v := range sig {
		if v {
			key[i/8] |= 1 << (i % 8)
		}
	}
	return string(key)
}

// matchByte reports whether the rune-consuming inst accepts the byte b < 0x80,
// that is the rune rune(b), exactly as package regexp decides it.
func matchByte(inst *syntax.Inst, b byte) bool {
	switch inst.Op {
	case syntax.InstRune:
		return inst.MatchRune(rune(b))
	case syntax.InstRune1:
		return rune(b) == inst.Rune[0]
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return b != '\n'
	}
	return false
}

// match reports whether s contains a match. ok is false when the DFA cannot
// answer: s holds a byte >= 0x80 or the DFA has grown too large.
func (d *dfa) match(s string) (matched, ok bool) {
	if d.failed.Load() {
		return false, false
	}
	t := *d.table.Load()
	st := int32(0)
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= utf8.RuneSelf {
			return false, false
		}
		next := t[int(st)+int(d.class[b])].Load()
		if next <= 0 {
			if next < 0 {
				return next == accepted, true
			}
			if next = d.add(st, b); next <= 0 {
				return next == accepted, next < 0
			}
			t = *d.table.Load()
		}
		st = next
	}
	return t[int(st)+d.stride-1].Load() == accepted, true
}

// add computes and stores the transition of the state from on b. It returns
// 0 when that would need too many states.
func (d *dfa) add(from int32, b byte) int32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := int(from) + int(d.class[b])
	if next := (*d.table.Load())[i].Load(); next != 0 {
		return next
	}
	next := d.step(d.rows[int(from)/d.stride], b)
	if next == 0 {
		d.failed.Store(true)
		return 0
	}
	(*d.table.Load())[i].Store(next)
	return next
}

// step returns the state or outcome reached from the state from by consuming
// b, or 0 when that would need too many states.
func (d *dfa) step(from dfaState, b byte) int32 {
	consumers, matched := d.closure(from.pcs, syntax.EmptyOpContext(from.prev.rune(), rune(b)))
	if matched {
		return accepted
	}
	var pcs []uint32
	for _, pc := range consumers {
		if inst := &d.prog.Inst[pc]; matchByte(inst, b) {
			pcs = append(pcs, inst.Out)
		}
	}
	if !d.anchored {
		pcs = append(pcs, uint32(d.prog.Start)) // a match may start after b
	}
	if len(pcs) == 0 {
		return rejected
	}
	slices.Sort(pcs)
	prev := prevOther
	switch {
	case d.usesWord && syntax.IsWordChar(rune(b)):
		prev = prevWord
	case d.usesLine && b == '\n':
		prev = prevNewline
	}
	return d.state(slices.Compact(pcs), prev)
}

// state returns the state for the threads at pcs after a byte of class prev,
// adding it if needed, or 0 when there would be too many states.
func (d *dfa) state(pcs []uint32, prev prevClass) int32 {
	key := []byte{byte(prev)}
	for _, pc := range pcs {
		key = binary.LittleEndian.AppendUint32(key, pc)
	}
	if st, ok := d.states[string(key)]; ok {
		return st
	}
	if len(d.rows) >= maxDFAStates {
		return 0
	}
	st := int32(len(d.rows) * d.stride)
	t := *d.table.Load()
	if int(st)+d.stride > len(t) {
		// Grow into a copy: matches in progress keep reading the old table,
		// where every state they can reach has its row.
		grown := make([]atomic.Int32, 2*len(t)+8*d.stride)
		for i := range t {
			grown[i].Store(t[i].Load())
		}
		d.table.Store(&grown)
		t = grown
	}
	outcome := rejected
	if _, matched := d.closure(pcs, syntax.EmptyOpContext(prev.rune(), -1)); matched {
		outcome = accepted
	}
	t[int(st)+d.stride-1].Store(outcome)
	d.rows = append(d.rows, dfaState{pcs: pcs, prev: prev})
	d.states[string(key)] = st
	return st
}

// closure follows the empty-width instructions of the threads at pcs that
// the context flags allow. It returns the instructions reached that consume
// a rune (valid until the next call) and whether a match was reached.
func (d *dfa) closure(pcs []uint32, flags syntax.EmptyOp) (consumers []uint32, matched bool) {
	d.gen++
	if d.gen == 0 {
		clear(d.mark)
		d.gen = 1
	}
	stack := append(d.stack[:0], pcs...)
	consumers = d.pending[:0]
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if d.mark[pc] == d.gen {
			continue
		}
		d.mark[pc] = d.gen
		inst := &d.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstMatch:
			matched = true
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, inst.Out, inst.Arg)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, inst.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(inst.Arg)&^flags == 0 {
				stack = append(stack, inst.Out)
			}
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			consumers = append(consumers, pc)
		}
	}
	d.stack, d.pending = stack, consumers
	return consumers, matched
}
