package ssoadmin

import (
	"encoding/json"
	"strings"
)

// assignmentsJSON is the answer of ListAccountAssignments and
// ListAccountAssignmentsForPrincipal, whose items have the same four
// members: {"AccountAssignments":[...],"NextToken":...}. It is written
// directly: encoding/json took ~45 us to reflect over a page of 100 (a
// fifteenth of the server's work for a ListAccountAssignmentsForPrincipal
// under load), and the handler passes the bytes on as they are (see
// awsproto's writeJSON).
func assignmentsJSON[T any](list []T, next string, item func(T) (account, permSet, principalType, principalID string)) *json.RawMessage {
	b := make([]byte, 0, 64+len(list)*200)
	b = append(b, `{"AccountAssignments":[`...)
	for i, x := range list {
		if i > 0 {
			b = append(b, ',')
		}
		account, permSet, principalType, principalID := item(x)
		b = append(b, `{"AccountId":`...)
		b = appendString(b, account)
		b = append(b, `,"PermissionSetArn":`...)
		b = appendString(b, permSet)
		b = append(b, `,"PrincipalId":`...)
		b = appendString(b, principalID)
		b = append(b, `,"PrincipalType":`...)
		b = appendString(b, principalType)
		b = append(b, '}')
	}
	b = append(b, ']')
	if next != "" {
		b = append(b, `,"NextToken":`...)
		b = appendString(b, next)
	}
	b = append(b, '}')
	raw := json.RawMessage(b)
	return &raw
}

// appendString appends s as a JSON string. The values here (ids, ARNs,
// tokens) are printable ASCII by their patterns; anything else is escaped
// by encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON holds the bytes a JSON string holds as they are (what
// encoding/json leaves unescaped, but for non-ASCII: printable ASCII
// other than '"', '\\', '<', '>' and '&').
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`"\\<>&`, rune(c))
	}
	return t
}()
