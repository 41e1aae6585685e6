// Package pagetoken makes the opaque NextToken values of paginated AWS
// operations. A token names the last item a page returned (keyset paging, so
// a page costs the same however large the table) and the scope it belongs to
// (operation, container, filter), so a token cannot be replayed elsewhere.
package pagetoken

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// ErrInvalid is returned for a token that was not made for this scope.
var ErrInvalid = errors.New("pagetoken: invalid token")

func tag(scope string) string {
	h := sha256.Sum256([]byte(scope))
	return base64.RawURLEncoding.EncodeToString(h[:6])
}

// Tokens are <scope tag>=<key>, both unpadded base64url: only characters
// every AWS NextToken pattern allows.

// Encode returns the token for the page after key in scope.
func Encode(scope, key string) string {
	return tag(scope) + "=" + base64.RawURLEncoding.EncodeToString([]byte(key))
}

// Decode returns the key a token of scope carries; "" (no token) gives "".
func Decode(scope, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	t, k, ok := strings.Cut(token, "=")
	if !ok || t != tag(scope) {
		return "", ErrInvalid
	}
	key, err := base64.RawURLEncoding.DecodeString(k)
	if err != nil {
		return "", ErrInvalid
	}
	return string(key), nil
}

// Cut ends a page read with one item more than max (the keyset way to know
// whether another page follows): it returns the first max items and the
// token of the next page, or the whole list and "" when it is the last.
// key names an item in the token.
func Cut[T any](list []T, max int, scope string, key func(T) string) ([]T, string) {
	if len(list) <= max {
		return list, ""
	}
	return list[:max], Encode(scope, key(list[max-1]))
}
