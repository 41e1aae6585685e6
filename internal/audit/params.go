package audit

import (
	"bytes"
	"encoding/json"
	"strings"
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
	return encodeParams(parseParams(doc))
}

// parseParams decodes and converts a document (see Params); nil if it is
// not a non-empty JSON object.
func parseParams(doc []byte) map[string]any {
	doc = bytes.TrimSpace(doc)
	if len(doc) == 0 || doc[0] != '{' || len(doc) > 4*maxParams {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v map[string]any
	if d.Decode(&v) != nil || len(v) == 0 {
		return nil
	}
	return convert(v).(map[string]any)
}

// encodeParams encodes converted parameters; "" for none or too many.
func encodeParams(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil || len(b) > maxParams {
		return ""
	}
	return string(b)
}

func convert(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if Secret(k) {
				out[lowerCamel(k)] = Hidden
				continue
			}
			out[lowerCamel(k)] = convert(val)
		}
		return out
	case []any:
		for i := range x {
			x[i] = convert(x[i])
		}
		return x
	}
	return v
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
	l := strings.ToLower(name)
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
