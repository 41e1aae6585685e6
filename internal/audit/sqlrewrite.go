package audit

import (
	"strconv"
	"strings"
)

// Dialect is the SQL flavor a query is rewritten for.
type Dialect string

// The dialects of the store's backends.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Source is what a query may read: the event data store it names.
type Source struct {
	ID    string // the event data store id that FROM must name
	OrgID string // the organization whose events it holds; "" for every event
}

// Rewrite checks a CloudTrail Lake statement and rewrites it for the
// database: only one SELECT (optionally with WITH) over the event data
// store src names, with fields, keywords and functions from the allow lists.
// Parameters replace the statement's ? placeholders, in order, as string
// literals.
func Rewrite(stmt string, src Source, d Dialect, params []string) (string, error) {
	toks, err := tokenize(stmt)
	if err != nil {
		return "", err
	}
	for len(toks) > 0 && toks[len(toks)-1].kind == tOp && toks[len(toks)-1].text == ";" {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return "", qerr("The query statement is empty.")
	}
	w := &rewriter{stmt: stmt, toks: toks, src: src, d: d, params: params,
		aliases: map[string]string{}, tables: map[string]string{}, ctes: map[string]bool{}, pending: map[string]int{}}
	return w.run()
}

type rewriter struct {
	stmt   string
	toks   []token
	i      int
	src    Source
	d      Dialect
	params []string
	nparam int
	out    strings.Builder

	aliases map[string]string // lower-case column alias -> as written (SELECT x AS alias)
	tables  map[string]string // lower-case table alias or CTE name -> SQL name it has in the output
	ctes    map[string]bool
	pending map[string]int // qualifiers used before their definition -> position
	nsrc    int

	recursive bool     // WITH RECURSIVE: a subquery may name itself
	defining  []string // the WITH subqueries whose body is being read

	parens []string // kinds of the open parentheses: "(", "cast", "from", "func"
	clause []string // per nesting level: the clause being read ("select", "from", ...)
}

func (w *rewriter) run() (string, error) {
	if first := w.toks[0]; first.kind != tWord || !(strings.EqualFold(first.text, "SELECT") || strings.EqualFold(first.text, "WITH")) {
		if first.kind == tWord && refused[strings.ToUpper(first.text)] {
			return "", qerr("Only SELECT statements are accepted; %s is not allowed.", strings.ToUpper(first.text))
		}
		return "", qerr("Only SELECT statements are accepted; the statement starts with %q.", first.text)
	}
	w.collectAliases()
	w.clause = []string{""}
	for w.i < len(w.toks) {
		if err := w.step(); err != nil {
			return "", err
		}
	}
	if len(w.parens) > 0 {
		return "", qerr("Unbalanced parentheses: %d left open.", len(w.parens))
	}
	for q := range w.pending {
		if _, ok := w.tables[q]; !ok {
			return "", qerr("Unknown table alias %s.", q)
		}
	}
	if w.nparam != len(w.params) {
		return "", qerr("The statement has %d ? placeholders but %d query parameters were given.", w.nparam, len(w.params))
	}
	return w.out.String(), nil
}

// collectAliases finds the names given with AS, so that a subquery's
// column aliases can be used before (in the text) they are defined.
func (w *rewriter) collectAliases() {
	for i := 0; i+1 < len(w.toks); i++ {
		if w.isWord(i, "AS") {
			if n := w.toks[i+1]; n.kind == tQuoted || n.kind == tWord && len(n.path) == 1 && !keywords[strings.ToUpper(n.text)] {
				w.aliases[strings.ToLower(n.path[0].name)] = n.path[0].name
			}
		}
	}
}

func (w *rewriter) emit(s string) {
	if w.out.Len() > 0 {
		w.out.WriteByte(' ')
	}
	w.out.WriteString(s)
}

// isWord reports whether token i is the bare word kw (upper case).
func (w *rewriter) isWord(i int, kw string) bool {
	return i < len(w.toks) && w.toks[i].kind == tWord && len(w.toks[i].path) == 1 && strings.EqualFold(w.toks[i].text, kw)
}

func (w *rewriter) isOp(i int, op string) bool {
	return i < len(w.toks) && w.toks[i].kind == tOp && w.toks[i].text == op
}

func (w *rewriter) setClause(c string) { w.clause[len(w.clause)-1] = c }

func (w *rewriter) step() error {
	t := w.toks[w.i]
	switch t.kind {
	case tString, tNumber:
		w.emit(t.text)
		w.i++
	case tParam:
		if w.nparam >= len(w.params) {
			return qerr("The statement has more ? placeholders than query parameters.")
		}
		w.emit(quoteString(w.params[w.nparam]))
		w.nparam++
		w.i++
	case tOp:
		return w.op(t)
	default:
		return w.word(t)
	}
	return nil
}

func (w *rewriter) op(t token) error {
	switch t.text {
	case ";":
		return qerr("Only one statement is accepted (a ; at position %d).", t.pos+1)
	case "(":
		kind := "("
		if w.i > 0 && w.isWord(w.i-1, "CAST") {
			kind = "cast"
		}
		w.parens = append(w.parens, kind)
		w.clause = append(w.clause, "")
		w.emit("(")
		w.i++
	case ")":
		if len(w.parens) == 0 {
			return qerr("Unbalanced ) at position %d.", t.pos+1)
		}
		kind := w.parens[len(w.parens)-1]
		w.parens = w.parens[:len(w.parens)-1]
		w.clause = w.clause[:len(w.clause)-1]
		w.emit(")")
		w.i++
		switch kind {
		case "from":
			w.nsrc++
			return w.tableAlias("sub_" + strconv.Itoa(w.nsrc))
		case "cte":
			w.defining = w.defining[:len(w.defining)-1]
			if w.isOp(w.i, ",") {
				w.emit(",")
				w.i++
				return w.cteName()
			}
		}
	case ",":
		w.emit(",")
		w.i++
		if w.clause[len(w.clause)-1] == "from" {
			return w.fromTarget()
		}
	default:
		w.emit(t.text)
		w.i++
	}
	return nil
}

func (w *rewriter) word(t token) error {
	if t.kind == tWord && len(t.path) == 1 {
		up := strings.ToUpper(t.text)
		nextParen := w.isOp(w.i+1, "(")
		switch {
		case keywords[up]:
			return w.keyword(up)
		case nextParen && functions[up]:
			w.emit(strings.ToLower(up))
			w.i++
			return nil
		case refused[up]:
			return qerr("Only SELECT statements are accepted; %s is not allowed.", up)
		case nextParen:
			return qerr("Function %s is not supported.", t.text)
		}
	}
	sql, err := w.reference(t)
	if err != nil {
		return err
	}
	w.emit(sql)
	w.i++
	return nil
}

func (w *rewriter) keyword(kw string) error {
	w.i++
	switch kw {
	case "FROM", "JOIN":
		w.emit(kw)
		w.setClause("from")
		return w.fromTarget()
	case "SELECT", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT":
		w.emit(kw)
		w.setClause(strings.ToLower(kw))
	case "WITH":
		w.emit(kw)
		if w.isWord(w.i, "RECURSIVE") {
			w.emit("RECURSIVE")
			w.recursive = true
			w.i++
		}
		return w.cteName()
	case "AS":
		w.emit(kw)
		if w.isOp(w.i, "(") { // WITH name AS ( ... )
			return nil
		}
		if n := len(w.parens); n > 0 && w.parens[n-1] == "cast" {
			if w.i >= len(w.toks) || w.toks[w.i].kind != tWord || !castTypes[strings.ToUpper(w.toks[w.i].text)] {
				return qerr("CAST supports the types VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL and BOOLEAN.")
			}
			w.emit(strings.ToUpper(w.toks[w.i].text))
			w.i++
			return nil
		}
		name, ok := w.name(w.i)
		if !ok {
			return qerr("AS must be followed by a name.")
		}
		w.emit(quoteIdent(name))
		w.i++
	default:
		w.emit(kw)
	}
	return nil
}

// name returns the name token i gives (a bare word that is no keyword, or
// a quoted identifier).
func (w *rewriter) name(i int) (string, bool) {
	if i >= len(w.toks) {
		return "", false
	}
	t := w.toks[i]
	if t.kind == tQuoted || t.kind == tWord && len(t.path) == 1 && !keywords[strings.ToUpper(t.text)] && !refused[strings.ToUpper(t.text)] {
		return t.path[0].name, true
	}
	return "", false
}

// cteName reads "name [(columns)] AS (" of a WITH clause.
func (w *rewriter) cteName() error {
	name, ok := w.name(w.i)
	if !ok {
		return qerr("WITH must be followed by the name of a subquery.")
	}
	l := strings.ToLower(name)
	w.ctes[l] = true
	w.tables[l] = "cte_" + l
	w.emit(quoteIdent("cte_" + l))
	w.i++
	if w.isOp(w.i, "(") {
		w.emit("(")
		w.i++
		for {
			col, ok := w.name(w.i)
			if !ok {
				return qerr("Malformed column list of %s.", name)
			}
			w.aliases[strings.ToLower(col)] = col
			w.emit(quoteIdent(col))
			w.i++
			if w.isOp(w.i, ",") {
				w.emit(",")
				w.i++
				continue
			}
			if !w.isOp(w.i, ")") {
				return qerr("Malformed column list of %s.", name)
			}
			w.emit(")")
			w.i++
			break
		}
	}
	if !w.isWord(w.i, "AS") || !w.isOp(w.i+1, "(") {
		return qerr("WITH %s must be followed by AS (SELECT ...).", name)
	}
	w.emit("AS (")
	w.i += 2
	w.defining = append(w.defining, l)
	w.parens = append(w.parens, "cte")
	w.clause = append(w.clause, "")
	return nil
}

// fromTarget reads what FROM or JOIN reads: the event data store (by its
// id), a WITH subquery, or a parenthesized subquery, then its alias.
func (w *rewriter) fromTarget() error {
	if w.i >= len(w.toks) {
		return qerr("FROM must name the event data store %s.", w.src.ID)
	}
	t := w.toks[w.i]
	if w.isOp(w.i, "(") {
		w.parens = append(w.parens, "from")
		w.clause = append(w.clause, "")
		w.emit("(")
		w.i++
		return nil
	}
	if t.kind == tWord && len(t.path) == 1 && w.ctes[strings.ToLower(t.text)] && !w.adjacent(w.i) {
		for _, d := range w.defining {
			if d == strings.ToLower(t.text) && !w.recursive {
				return qerr("%s refers to itself; use WITH RECURSIVE.", t.text)
			}
		}
		w.emit(quoteIdent(w.tables[strings.ToLower(t.text)]))
		w.i++
		return w.tableAlias("")
	}
	raw, next := w.rawName(w.i)
	if t.kind == tQuoted {
		raw, next = t.path[0].name, w.i+1
	}
	if w.src.ID == "" || !strings.EqualFold(raw, w.src.ID) {
		return qerr("FROM must name the event data store %s; %q is not an event data store.", w.src.ID, raw)
	}
	w.emit(sourceSQL(w.src.OrgID))
	w.i = next
	w.nsrc++
	return w.tableAlias("eds_" + strconv.Itoa(w.nsrc))
}

// adjacent reports whether token i+1 follows token i without a space.
func (w *rewriter) adjacent(i int) bool {
	return i+1 < len(w.toks) && w.toks[i+1].pos == w.toks[i].end && w.toks[i+1].kind != tOp
}

// rawName joins the tokens from i that touch each other (an event data
// store id such as 0f5a3c2e-...-... is numbers, words and dashes) and returns
// the text and the index after it.
func (w *rewriter) rawName(i int) (string, int) {
	start, j := w.toks[i].pos, i
	for j+1 < len(w.toks) && w.toks[j+1].pos == w.toks[j].end &&
		(w.toks[j+1].kind == tWord || w.toks[j+1].kind == tNumber || w.toks[j+1].kind == tOp && w.toks[j+1].text == "-") {
		j++
	}
	return w.stmt[start:w.toks[j].end], j + 1
}

// tableAlias reads the optional "[AS] alias" after a FROM target and emits
// it, or def when there is none (and def is not "").
func (w *rewriter) tableAlias(def string) error {
	name := ""
	if w.isWord(w.i, "AS") {
		n, ok := w.name(w.i + 1)
		if !ok {
			return qerr("AS must be followed by a name.")
		}
		name = n
		w.i += 2
	} else if n, ok := w.name(w.i); ok {
		name = n
		w.i++
	}
	if name == "" {
		name = def
	}
	if name == "" {
		return nil
	}
	l := strings.ToLower(name)
	w.tables[l] = l
	w.emit("AS " + quoteIdent(l))
	return nil
}

// reference resolves a name in an expression: a field (userIdentity.arn),
// a member of a JSON field (requestParameters.instanceArn), either one
// qualified by a table alias (e.eventName), alias.*, or a column alias.
func (w *rewriter) reference(t token) (string, error) {
	segs := t.path
	qual := ""
	if len(segs) >= 2 {
		if sqlName, ok := w.tables[strings.ToLower(segs[0].name)]; ok {
			qual, segs = quoteIdent(sqlName)+".", segs[1:]
		}
	}
	if segs[len(segs)-1].name == "*" {
		if qual != "" && len(segs) == 1 {
			return qual + "*", nil
		}
		if qual == "" && len(segs) == 2 {
			w.pending[strings.ToLower(segs[0].name)] = t.pos
			return quoteIdent(strings.ToLower(segs[0].name)) + ".*", nil
		}
		return "", qerr("Malformed name %s.", t.text)
	}
	if sql, ok, err := w.field(segs, qual); ok || err != nil {
		return sql, err
	}
	if qual == "" && len(segs) == 1 {
		if a, ok := w.aliases[strings.ToLower(segs[0].name)]; ok {
			return quoteIdent(a), nil
		}
	}
	if qual == "" && len(segs) >= 2 {
		// A table alias defined later in the text (SELECT e.x FROM ... e).
		q := strings.ToLower(segs[0].name)
		if sql, ok, err := w.field(segs[1:], quoteIdent(q)+"."); ok || err != nil {
			w.pending[q] = t.pos
			return sql, err
		}
	}
	return "", qerr("Unknown field %s. Fields are: %s.", t.text, strings.Join(Fields(), ", "))
}

// field resolves segs (optionally qualified) as a field or a member of a
// JSON field; ok is false when no field matches.
func (w *rewriter) field(segs []pathSeg, qual string) (string, bool, error) {
	for k := len(segs); k >= 1; k-- {
		names := make([]string, k)
		for i := range names {
			names[i] = segs[i].name
		}
		f, ok := fieldByLower[strings.ToLower(strings.Join(names, "."))]
		if !ok {
			continue
		}
		col := qual + quoteIdent(f.name)
		if k == len(segs) {
			return col, true, nil
		}
		if !f.json {
			return "", true, qerr("%s has no member %s.", f.name, segs[k].name)
		}
		var path []string
		for _, s := range segs[k:] {
			for i := 0; i < len(s.name); i++ {
				if !isWordChar(s.name[i]) {
					return "", true, qerr("Malformed member name %q of %s.", s.name, f.name)
				}
			}
			path = append(path, s.name)
		}
		if w.d == Postgres {
			return "(" + col + "::jsonb #>> '{" + strings.Join(path, ",") + "}')", true, nil
		}
		return "json_extract(" + col + ", '$." + strings.Join(path, ".") + "')", true, nil
	}
	return "", false, nil
}
