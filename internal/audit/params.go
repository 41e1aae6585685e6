package audit

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/store"
)

// Hidden replaces the value of a secret member.
const Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// maxParams bounds the size of recorded request parameters and response
// elements; CloudTrail, too, leaves out larger ones.
const maxParams = 100 << 10

// Params converts a JSON request or response document to CloudTrail's form:
// member names in lowerCamelCase, secret members hidden at any depth. It
// returns "" for an empty document, one that is not a JSON object, or one
// too large to record.
func Params(doc []byte) string {
	out, _ := convertParams(doc)
	return out
}

// convertParams converts a document (see Params) in one pass over its
// bytes, and lists the resources its top-level members name. Strings,
// numbers and member order are kept as written.
func convertParams(doc []byte) (string, []store.AuditResource) {
	doc = bytes.TrimSpace(doc)
	if len(doc) < 2 || doc[0] != '{' || len(doc) > 4*maxParams || !json.Valid(doc) {
		return "", nil
	}
	c := paramConverter{in: doc, out: make([]byte, 0, len(doc)+32)}
	c.object(true)
	if len(c.out) <= 2 || len(c.out) > maxParams { // {} or too large
		return "", nil
	}
	return string(c.out), resourcesOf(c.named)
}

// paramConverter rewrites a valid JSON document (see convertParams).
type paramConverter struct {
	in    []byte
	i     int
	out   []byte
	named []namedValue // top-level members that may name a resource
}

// namedValue is a top-level string member of a document.
type namedValue struct{ member, value string }

func (c *paramConverter) space() {
	for c.i < len(c.in) && (c.in[c.i] == ' ' || c.in[c.i] == '\t' || c.in[c.i] == '\n' || c.in[c.i] == '\r') {
		c.i++
	}
}

// value copies the value at c.i (converting the objects in it).
func (c *paramConverter) value() {
	c.space()
	switch c.in[c.i] {
	case '{':
		c.object(false)
	case '[':
		c.list('[', ']', c.value)
	case '"':
		c.out = append(c.out, c.str()...)
	default: // a number, true, false or null
		j := c.i
		for j < len(c.in) && !strings.ContainsRune(",]} \t\n\r", rune(c.in[j])) {
			j++
		}
		c.out = append(c.out, c.in[c.i:j]...)
		c.i = j
	}
}

// str returns the string literal at c.i, quotes and escapes included.
func (c *paramConverter) str() []byte {
	j := c.i + 1
	for c.in[j] != '"' {
		if c.in[j] == '\\' {
			j++
		}
		j++
	}
	s := c.in[c.i : j+1]
	c.i = j + 1
	return s
}

// unquote decodes a string literal.
func unquote(lit []byte) string {
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	json.Unmarshal(lit, &s)
	return s
}

// list copies the array or object at c.i (between open and close), with
// each copying one of its elements or members.
func (c *paramConverter) list(open, close byte, each func()) {
	c.out = append(c.out, open)
	c.i++
	for first := true; ; first = false {
		c.space()
		if c.in[c.i] == close {
			c.i++
			break
		}
		if !first {
			c.i++ // the comma
			c.space()
			c.out = append(c.out, ',')
		}
		each()
	}
	c.out = append(c.out, close)
}

// object converts the object at c.i: member names to lowerCamelCase,
// secrets hidden.
func (c *paramConverter) object(top bool) {
	c.list('{', '}', func() {
		name := lowerCamel(unquote(c.str()))
		c.out = awsproto.AppendJSONString(c.out, name)
		c.out = append(c.out, ':')
		c.space()
		c.i++ // the colon
		c.space()
		switch _, names := resourceMembers[name]; {
		case Secret(name):
			c.out = append(c.out, `"`+Hidden+`"`...)
			mark := len(c.out)
			c.value() // skipped
			c.out = c.out[:mark]
		case top && names && c.in[c.i] == '"':
			lit := c.str()
			c.out = append(c.out, lit...)
			c.named = append(c.named, namedValue{name, unquote(lit)})
		default:
			c.value()
		}
	})
}

// lowerCamel turns an AWS member name into CloudTrail's spelling:
// IdentityStoreId -> identityStoreId, SAMLMetadata -> samlMetadata.
func lowerCamel(s string) string {
	n := 0
	for n < len(s) && 'A' <= s[n] && s[n] <= 'Z' {
		n++
	}
	if n == 0 {
		return s
	}
	if n > 1 && n < len(s) && 'a' <= s[n] && s[n] <= 'z' {
		n--
	}
	return strings.ToLower(s[:n]) + s[n:]
}

// Members whose names end with these are secrets, whatever comes before.
var secretSuffixes = []string{"password", "secret", "secretkey", "secretaccesskey", "privatekey", "token", "assertion", "tokencode", "credential"}

// Names ending in "token" that are not secrets.
var notSecret = map[string]bool{
	"clienttoken": true, "nexttoken": true, "paginationtoken": true, "idempotencytoken": true,
	"continuationtoken": true, "maxresults": true,
}

// Members that are secrets by their exact name.
var secretNames = map[string]bool{
	"code": true, "devicecode": true, "usercode": true, "codeverifier": true, "otp": true,
}

// Secret reports whether a member of this name holds a secret, which no
// event may contain.
func Secret(name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return secretLower(strings.ToLower(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return secretLower(string(buf[:len(name)])) // (the conversion does not escape: no allocation)
}

func secretLower(l string) bool {
	if notSecret[l] {
		return false
	}
	if secretNames[l] {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(l, s) {
			return true
		}
	}
	return false
}
