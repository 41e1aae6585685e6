package audit

import (
	"fmt"
	"strings"
)

// tokKind classifies a token of a query.
type tokKind int

const (
	tWord   tokKind = iota // a bare word: keyword, function or field name (may contain dots: userIdentity.arn)
	tQuoted                // a "quoted identifier" (its text unquoted)
	tString                // a 'string literal' (as written, quotes included)
	tNumber
	tOp    // an operator or punctuation: = <> != < > <= >= + - * / % || ( ) ,
	tParam // a ? placeholder
)

type token struct {
	kind     tokKind
	text     string
	pos, end int // byte offsets in the statement
	// path is a dotted name split in its segments (a word or quoted
	// identifiers joined by dots); nil for other tokens.
	path []pathSeg
}

type pathSeg struct {
	name   string
	quoted bool
}

// QueryError is a statement refused before it reaches the database.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

func qerr(format string, args ...any) error { return &QueryError{Msg: fmt.Sprintf(format, args...)} }

// maxStatement bounds a query's length (CloudTrail's own limit is 10,000).
const maxStatement = 10000

// tokenize splits a statement into tokens, dropping comments. It refuses
// characters SQL over an event data store has no use for (and some
// dialects give meaning to): $ @ : [ ] ` \ { } ~ # ^ & | (except ||), and
// unterminated strings, identifiers and comments.
func tokenize(s string) ([]token, error) {
	if len(s) > maxStatement {
		return nil, qerr("The query statement is longer than %d characters.", maxStatement)
	}
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return nil, qerr("Unterminated comment at position %d.", i+1)
			}
			i += 2 + end + 2
		case c == '\'':
			j := i + 1
			for {
				k := strings.IndexByte(s[j:], '\'')
				if k < 0 {
					return nil, qerr("Unterminated string literal at position %d.", i+1)
				}
				j += k + 1
				if j < len(s) && s[j] == '\'' {
					j++
					continue
				}
				break
			}
			toks = append(toks, token{kind: tString, text: s[i:j], pos: i, end: j})
			i = j
		case c == '"' || isWordStart(c):
			t, err := readPath(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = t.end
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') && j+1 < len(s) && (s[j+1] >= '0' && s[j+1] <= '9' || (s[j+1] == '+' || s[j+1] == '-') && j+2 < len(s) && s[j+2] >= '0' && s[j+2] <= '9') {
				j += 2
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			}
			if strings.Count(s[i:j], ".") > 1 {
				return nil, qerr("Malformed number %q at position %d.", s[i:j], i+1)
			}
			toks = append(toks, token{kind: tNumber, text: s[i:j], pos: i, end: j})
			i = j
		case c == '?':
			toks = append(toks, token{kind: tParam, text: "?", pos: i, end: i + 1})
			i++
		default:
			op := ""
			for _, o := range []string{"<>", "!=", "<=", ">=", "||", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ";"} {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return nil, qerr("Unexpected character %q at position %d.", string(rune(c)), i+1)
			}
			toks = append(toks, token{kind: tOp, text: op, pos: i, end: i + len(op)})
			i += len(op)
		}
	}
	return toks, nil
}

func isWordStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isWordChar(c byte) bool { return isWordStart(c) || '0' <= c && c <= '9' }

// readPath reads a word, a quoted identifier, or a dotted path of them
// (userIdentity.arn, e."eventName", e.*).
func readPath(s string, i int) (token, error) {
	t := token{pos: i}
	for {
		var seg pathSeg
		switch {
		case i < len(s) && s[i] == '"':
			var b strings.Builder
			j := i + 1
			for {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return t, qerr("Unterminated quoted identifier at position %d.", i+1)
				}
				b.WriteString(s[j : j+k])
				j += k + 1
				if j < len(s) && s[j] == '"' {
					b.WriteByte('"')
					j++
					continue
				}
				break
			}
			seg = pathSeg{name: b.String(), quoted: true}
			if seg.name == "" {
				return t, qerr("Empty quoted identifier at position %d.", i+1)
			}
			i = j
		case i < len(s) && isWordStart(s[i]):
			j := i
			for j < len(s) && isWordChar(s[j]) {
				j++
			}
			seg = pathSeg{name: s[i:j]}
			i = j
		case i < len(s) && s[i] == '*' && len(t.path) > 0:
			seg = pathSeg{name: "*"}
			i++
		default:
			return t, qerr("Malformed name at position %d.", i+1)
		}
		t.path = append(t.path, seg)
		if seg.name == "*" || i >= len(s) || s[i] != '.' {
			break
		}
		i++ // the dot
	}
	t.end = i
	t.text = s[t.pos:i]
	t.kind = tWord
	if len(t.path) == 1 && t.path[0].quoted {
		t.kind = tQuoted
	}
	return t, nil
}
