package store

import (
	"fmt"
	"sort"
	"strings"
)

// ViewQueryError is a statement QueryViews refuses before it reaches the
// database.
type ViewQueryError struct{ Msg string }

func (e *ViewQueryError) Error() string { return e.Msg }

func viewErr(format string, args ...any) error {
	return &ViewQueryError{Msg: fmt.Sprintf(format, args...)}
}

// maxViewStatement bounds a statement's length.
const maxViewStatement = 100000

// vtokKind classifies a token of a statement.
type vtokKind int

const (
	vWord   vtokKind = iota // a bare word: keyword or name
	vQuoted                 // a quoted identifier ("x", and on SQLite [x] and `x`); text is the name
	vString                 // a string literal, including dollar-quoted ones
	vNumber
	vOp // any other character (one per token)
)

type vtok struct {
	kind     vtokKind
	text     string
	pos, end int // byte offsets in the statement
}

// lexView splits a statement into tokens the way the backend's own lexer
// does as far as it matters here: where strings, quoted identifiers and
// comments start and end, so that a ; or a keyword hidden in one is not
// taken for code, nor code for a string. Comments are dropped. PostgreSQL
// nests /* */ comments and has E'...' strings (with backslash escapes) and
// dollar-quoted strings; SQLite has [x] and `x` identifiers, and its
// parameters ($x, :x, @x, #x, ?) are refused.
func lexView(s string, postgres bool) ([]vtok, error) {
	if len(s) > maxViewStatement {
		return nil, viewErr("The statement is longer than %d characters.", maxViewStatement)
	}
	var toks []vtok
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j, depth := i+2, 1
			for depth > 0 {
				if j+1 >= len(s) {
					return nil, viewErr("Unterminated comment at position %d.", i+1)
				}
				switch {
				case s[j] == '*' && s[j+1] == '/':
					depth--
					j += 2
				case postgres && s[j] == '/' && s[j+1] == '*':
					depth++
					j += 2
				default:
					j++
				}
			}
			i = j
		case c == '\'':
			j, err := quoted(s, i, '\'', false)
			if err != nil {
				return nil, err
			}
			toks = append(toks, vtok{kind: vString, text: s[i:j], pos: i, end: j})
			i = j
		case postgres && (c == 'E' || c == 'e') && i+1 < len(s) && s[i+1] == '\'' && !wordBefore(s, i):
			j, err := quoted(s, i+1, '\'', true)
			if err != nil {
				return nil, err
			}
			toks = append(toks, vtok{kind: vString, text: s[i:j], pos: i, end: j})
			i = j
		case postgres && c == '$' && !wordBefore(s, i):
			tag, ok := dollarTag(s, i)
			if !ok {
				toks = append(toks, vtok{kind: vOp, text: "$", pos: i, end: i + 1})
				i++
				break
			}
			k := strings.Index(s[i+len(tag):], tag)
			if k < 0 {
				return nil, viewErr("Unterminated dollar-quoted string at position %d.", i+1)
			}
			j := i + len(tag) + k + len(tag)
			toks = append(toks, vtok{kind: vString, text: s[i:j], pos: i, end: j})
			i = j
		case c == '"' || !postgres && c == '`':
			j, err := quoted(s, i, c, false)
			if err != nil {
				return nil, err
			}
			name := strings.ReplaceAll(s[i+1:j-1], string([]byte{c, c}), string(c))
			toks = append(toks, vtok{kind: vQuoted, text: name, pos: i, end: j})
			i = j
		case !postgres && strings.IndexByte("$@:#?", c) >= 0:
			// SQLite's parameters ($name(...) may even swallow a quote);
			// a statement here has none to bind.
			return nil, viewErr("Unexpected %q at position %d: statements take no parameters.", string(c), i+1)
		case !postgres && c == '[':
			k := strings.IndexByte(s[i:], ']')
			if k < 0 {
				return nil, viewErr("Unterminated quoted identifier at position %d.", i+1)
			}
			toks = append(toks, vtok{kind: vQuoted, text: s[i+1 : i+k], pos: i, end: i + k + 1})
			i += k + 1
		case isViewWordStart(c):
			j := i + 1
			for j < len(s) && (isViewWordStart(s[j]) || '0' <= s[j] && s[j] <= '9' || s[j] == '$') {
				j++
			}
			toks = append(toks, vtok{kind: vWord, text: s[i:j], pos: i, end: j})
			i = j
		case '0' <= c && c <= '9' || c == '.' && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (isViewWordStart(s[j]) || '0' <= s[j] && s[j] <= '9' || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			toks = append(toks, vtok{kind: vNumber, text: s[i:j], pos: i, end: j})
			i = j
		default:
			toks = append(toks, vtok{kind: vOp, text: s[i : i+1], pos: i, end: i + 1})
			i++
		}
	}
	return toks, nil
}

// quoted returns the end of the string or identifier quoted with q that
// starts at i (a doubled q stands for itself; with backslash, \ escapes the
// next character).
func quoted(s string, i int, q byte, backslash bool) (int, error) {
	for j := i + 1; j < len(s); j++ {
		switch {
		case backslash && s[j] == '\\':
			j++
		case s[j] == q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1, nil
		}
	}
	if q == '\'' {
		return 0, viewErr("Unterminated string literal at position %d.", i+1)
	}
	return 0, viewErr("Unterminated quoted identifier at position %d.", i+1)
}

// dollarTag returns the $tag$ (or $$) that opens a dollar-quoted string at
// i, if one does.
func dollarTag(s string, i int) (string, bool) {
	j := i + 1
	for j < len(s) && s[j] != '$' {
		if !(isViewWordStart(s[j]) || j > i+1 && '0' <= s[j] && s[j] <= '9') {
			return "", false
		}
		j++
	}
	if j >= len(s) {
		return "", false
	}
	return s[i : j+1], true
}

// wordBefore reports whether s[i] continues a word (so E' or $ there is not
// the start of a string).
func wordBefore(s string, i int) bool {
	return i > 0 && (isViewWordStart(s[i-1]) || '0' <= s[i-1] && s[i-1] <= '9' || s[i-1] == '$')
}

func isViewWordStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// viewStarts are the words a statement may start with.
var viewStarts = setOf("SELECT", "WITH", "VALUES")

// viewRefused are words that would make a statement do more than read.
var viewRefused = setOf("INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "ATTACH", "DETACH", "PRAGMA",
	"VACUUM", "REINDEX", "GRANT", "REVOKE", "TRUNCATE", "COPY", "CALL", "DO", "EXECUTE", "EXEC", "LOCK", "SET",
	"RESET", "LISTEN", "NOTIFY", "UNLISTEN", "ANALYZE", "ANALYSE", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK",
	"SAVEPOINT", "RELEASE", "MERGE", "UPSERT", "INTO", "RETURNING", "CONFLICT", "FOR", "PREPARE", "DEALLOCATE",
	"DISCARD", "LOAD", "CHECKPOINT", "CLUSTER", "IMPORT", "REFRESH", "SECURITY", "TABLE", "REPLACE", "NOWAIT",
	"TRANSACTION", "TEMP", "TEMPORARY")

// viewParenWords are keywords a parenthesis may follow without making a
// function call.
var viewParenWords = setOf("ALL", "AND", "ANY", "ARRAY", "AS", "BETWEEN", "BY", "CASE", "CAST", "DISTINCT", "ELSE",
	"ESCAPE", "EXCEPT", "EXISTS", "FILTER", "FROM", "GLOB", "GROUP", "HAVING", "ILIKE", "IN", "INTERSECT", "IS", "JOIN",
	"LATERAL", "LIKE", "LIMIT", "MATERIALIZED", "NOT", "OFFSET", "ON", "OR", "OVER", "RECURSIVE", "REGEXP", "ROW",
	"SELECT", "SIMILAR", "SOME", "THEN", "TO", "UNION", "USING", "VALUES", "WHEN", "WHERE", "WITH", "WITHIN", "EXTRACT")

// viewQueryFunctions are the functions a statement may call: aggregates,
// window functions, and text, number, time and JSON functions of either
// backend (a function only one backend has fails on the other).
var viewQueryFunctions = []string{
	"count", "sum", "avg", "min", "max", "total", "group_concat", "string_agg", "array_agg", "json_group_array",
	"json_group_object", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "every",
	"row_number", "rank", "dense_rank", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
	"percent_rank", "cume_dist",
	"lower", "upper", "length", "char_length", "character_length", "octet_length", "substr", "substring", "trim",
	"ltrim", "rtrim", "btrim", "replace", "instr", "strpos", "position", "left", "right", "lpad", "rpad", "reverse",
	"split_part", "concat", "concat_ws", "format", "printf", "coalesce", "nullif", "ifnull", "iif", "greatest", "least",
	"abs", "round", "ceil", "ceiling", "floor", "trunc", "mod", "sign", "typeof", "like", "glob",
	"date", "time", "datetime", "julianday", "unixepoch", "strftime", "to_char", "to_timestamp", "to_date",
	"date_trunc", "date_part", "extract", "now", "age",
	"json", "json_extract", "json_array_length", "json_type", "json_valid", "json_each", "json_tree", "json_object",
	"json_array", "jsonb_array_length", "jsonb_typeof", "jsonb_extract_path", "jsonb_extract_path_text",
	"jsonb_array_elements", "jsonb_array_elements_text", "jsonb_each", "jsonb_each_text", "jsonb_object_keys",
	"json_array_elements", "json_array_elements_text", "json_extract_path_text", "jsonb_build_object",
	"json_build_object", "to_jsonb", "to_json", "string_to_array", "unnest",
}

var viewQueryFunctionSet = func() map[string]bool {
	m := make(map[string]bool, len(viewQueryFunctions))
	for _, f := range viewQueryFunctions {
		m[f] = true
	}
	return m
}()

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// viewTableFollowers are the words that may follow a table in FROM without
// being its alias.
var viewTableFollowers = setOf("WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING",
	"GROUP", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "HAVING", "WINDOW", "FETCH", "TABLESAMPLE",
	"INDEXED", "NOT", "LATERAL", "OUTER")

// rewriteViewQuery checks a statement and maps its aws.<view> names to
// target(<view>): it must be one SELECT (or WITH ... SELECT, or VALUES), with
// no word that writes or changes a setting and no function call outside
// viewQueryFunctions, and every aws.<name> must be a view. A table named
// aws.<view> keeps <view> as its alias, so sso_instance.name still works.
func rewriteViewQuery(stmt string, postgres bool, target func(view string) string) (string, error) {
	toks, err := lexView(stmt, postgres)
	if err != nil {
		return "", err
	}
	for len(toks) > 0 && toks[len(toks)-1].kind == vOp && toks[len(toks)-1].text == ";" {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return "", viewErr("The statement is empty.")
	}
	upper := func(i int) string {
		if i < 0 || i >= len(toks) || toks[i].kind != vWord {
			return ""
		}
		return strings.ToUpper(toks[i].text)
	}
	isOp := func(i int, op string) bool {
		return i >= 0 && i < len(toks) && toks[i].kind == vOp && toks[i].text == op
	}
	if first := upper(0); !viewStarts[first] && !isOp(0, "(") {
		if viewRefused[first] {
			return "", viewErr("Only a SELECT statement is accepted; %s is not allowed.", first)
		}
		return "", viewErr("Only a SELECT statement is accepted; the statement starts with %q.", toks[0].text)
	}
	var out strings.Builder
	copied := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == vOp && t.text == ";" {
			return "", viewErr("Only one statement is accepted (a ; at position %d).", t.pos+1)
		}
		if t.kind == vWord && viewRefused[strings.ToUpper(t.text)] && !(strings.EqualFold(t.text, "REPLACE") && isOp(i+1, "(")) {
			return "", viewErr("Only a SELECT statement is accepted; %s is not allowed.", strings.ToUpper(t.text))
		}
		if (t.kind == vWord || t.kind == vQuoted) && isOp(i+1, "(") {
			if err := checkCall(toks, i, upper); err != nil {
				return "", err
			}
		}
		if !isSchemaAWS(t) || !isOp(i+1, ".") || i+2 >= len(toks) || isOp(i-1, ".") {
			continue
		}
		n := toks[i+2]
		if n.kind != vWord && n.kind != vQuoted {
			continue
		}
		name := n.text
		if n.kind == vWord {
			name = strings.ToLower(name)
		}
		if _, ok := viewByName(name); !ok {
			return "", viewErr("aws.%s is not a view. The views are: %s.", n.text, strings.Join(viewNames(), ", "))
		}
		out.WriteString(stmt[copied:t.pos])
		copied = n.end
		next := i + 3
		switch {
		case isOp(next, "."):
			out.WriteString(quoteIdentifier(name)) // aws.view.column: the table's alias
		case isOp(next, "("):
			return "", viewErr("aws.%s is a view, not a function.", name)
		case upper(next) == "AS", next < len(toks) && toks[next].kind == vQuoted,
			next < len(toks) && toks[next].kind == vWord && !viewTableFollowers[upper(next)] && !viewParenWords[upper(next)]:
			out.WriteString(target(name)) // its alias follows
		default:
			out.WriteString(target(name) + " AS " + quoteIdentifier(name))
		}
		i += 2
	}
	out.WriteString(stmt[copied:])
	return out.String(), nil
}

// checkCall checks the name at toks[i], which a ( follows.
func checkCall(toks []vtok, i int, upper func(int) string) error {
	t := toks[i]
	if t.kind == vWord && viewParenWords[strings.ToUpper(t.text)] {
		return nil
	}
	if i > 0 && toks[i-1].kind == vOp && toks[i-1].text == "." {
		return viewErr("Function %s is not allowed: functions are called by their bare name.", t.text)
	}
	if upper(i-1) == "AS" {
		return nil // an alias with its column list (AS t(a, b)), or a type (CAST(x AS varchar(10)))
	}
	if i >= 2 && toks[i-1].kind == vOp && toks[i-1].text == ":" && toks[i-2].kind == vOp && toks[i-2].text == ":" {
		return nil // a type: x::varchar(10)
	}
	if startsSubquery(toks, i, upper) {
		return nil // WITH name(a, b) AS (...): a subquery's column list
	}
	if t.kind == vWord && viewQueryFunctionSet[strings.ToLower(t.text)] {
		return nil
	}
	return viewErr("Function %s is not allowed (docs/sql-views.md lists the functions a statement may call).", t.text)
}

// startsSubquery reports whether toks[i] names a subquery of a WITH
// clause: it follows WITH (or RECURSIVE), or the , after the previous
// subquery's AS [[NOT] MATERIALIZED] (...).
func startsSubquery(toks []vtok, i int, upper func(int) string) bool {
	switch {
	case upper(i-1) == "WITH" || upper(i-1) == "RECURSIVE":
		return true
	case i < 2 || !isOpAt(toks, i-1, ",") || !isOpAt(toks, i-2, ")"):
		return false
	}
	k := matchingOpen(toks, i-2) // the ( of the previous subquery's body
	if upper(k-1) == "MATERIALIZED" {
		k--
		if upper(k-1) == "NOT" {
			k--
		}
	}
	if k < 2 || upper(k-1) != "AS" {
		return false
	}
	name := k - 2
	if isOpAt(toks, name, ")") { // the previous subquery's column list
		name = matchingOpen(toks, name) - 1
	}
	return name >= 0 && startsSubquery(toks, name, upper)
}

// matchingOpen returns the index of the ( that the ) at toks[j] closes, or
// -1.
func matchingOpen(toks []vtok, j int) int {
	depth := 0
	for k := j; k >= 0; k-- {
		switch {
		case isOpAt(toks, k, ")"):
			depth++
		case isOpAt(toks, k, "("):
			if depth--; depth == 0 {
				return k
			}
		}
	}
	return -1
}

func isOpAt(toks []vtok, i int, op string) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == vOp && toks[i].text == op
}

// isSchemaAWS reports whether a token names schema aws.
func isSchemaAWS(t vtok) bool {
	return t.kind == vWord && strings.EqualFold(t.text, "aws") || t.kind == vQuoted && t.text == "aws"
}

func viewNames() []string {
	names := make([]string, len(viewCatalog))
	for i, v := range viewCatalog {
		names[i] = "aws." + v.Name
	}
	sort.Strings(names)
	return names
}

func quoteIdentifier(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ViewQueryFunctions lists the functions a statement over the views may
// call.
func ViewQueryFunctions() []string { return append([]string(nil), viewQueryFunctions...) }
