package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

var sprintf = fmt.Sprintf

// nodeKind is the JSON type of a node.
type nodeKind uint8

const (
	nullNode nodeKind = iota
	boolNode
	numberNode
	stringNode
	arrayNode
	objectNode
)

var nodeKindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k nodeKind) String() string { return nodeKindNames[k] }

// node is a decoded JSON value. Unlike a map it keeps object members in
// document order, so errors name the first offending element, and it lets
// the decoder reject duplicate members, which encoding/json silently drops.
type node struct {
	kind nodeKind
	text string   // a string's value, a number's literal text, "true"/"false"
	keys []string // object member names, parallel to vals
	vals []*node  // object member values or array elements
}

// member returns the value of the object member named key.
func (n *node) member(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// decodeJSON parses doc as exactly one JSON value.
func decodeJSON(doc string) (*node, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	n, err := decodeNode(dec, "")
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, syntaxErr("", "invalid JSON: unexpected data after the policy document")
	}
	return n, nil
}

func decodeNode(dec *json.Decoder, path string) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err)
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: nullNode}, nil
	case bool:
		return &node{kind: boolNode, text: fmt.Sprint(t)}, nil
	case json.Number:
		return &node{kind: numberNode, text: string(t)}, nil
	case string:
		return &node{kind: stringNode, text: t}, nil
	case json.Delim:
		if t == '[' {
			return decodeArray(dec, path)
		}
		return decodeObject(dec, path)
	}
	return nil, syntaxErr(path, "invalid JSON")
}

func decodeArray(dec *json.Decoder, path string) (*node, error) {
	n := &node{kind: arrayNode}
	for dec.More() {
		v, err := decodeNode(dec, sprintf("%s[%d]", path, len(n.vals)))
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, jsonErr(err)
	}
	return n, nil
}

func decodeObject(dec *json.Decoder, path string) (*node, error) {
	n := &node{kind: objectNode}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		key, _ := tok.(string)
		if n.member(key) != nil {
			return nil, syntaxErr(path, "duplicate element %q", key)
		}
		v, err := decodeNode(dec, joinPath(path, key))
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, jsonErr(err)
	}
	return n, nil
}

func jsonErr(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return syntaxErr("", "invalid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return syntaxErr("", "invalid JSON: unexpected end of document")
	}
	return syntaxErr("", "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// compactSize is the size of doc in bytes without the white space outside
// strings: the size IAM counts against its policy quotas ("IAM doesn't count
// white space when calculating the size of a policy").
func compactSize(doc string) int {
	n := 0
	inString, escaped := false, false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if inString {
			n++
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inString = true
		}
		n++
	}
	return n
}
