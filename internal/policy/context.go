package policy

import (
	"strconv"
	"strings"
	"time"
)

// Request is what a caller asks to do, as the policy engine sees it.
type Request struct {
	// Action is "service:Action", e.g. "sso:CreateInstance"; matched
	// case-insensitively.
	Action string
	// Resource is the ARN acted on, or "*" for actions that do not act on
	// a particular resource; matched case-sensitively.
	Resource string
	// Context holds the request's condition keys and their values.
	Context Context
}

// Context maps condition keys (aws:PrincipalAccount, aws:SourceIp,
// aws:PrincipalTag/team, ...) to their values in a request. A key may have
// several values (aws:TagKeys, aws:PrincipalOrgPaths); a key with no values
// is treated as absent. Key names are case-insensitive, as in IAM: Set
// stores them lower-cased, and Get finds keys stored in any case.
type Context map[string][]string

// Set sets key to values, replacing any values it had.
func (c Context) Set(key string, values ...string) {
	c[strings.ToLower(key)] = values
}

// Get returns the values of key, found case-insensitively.
func (c Context) Get(key string) ([]string, bool) {
	if v, ok := c[key]; ok {
		return v, true
	}
	lower := strings.ToLower(key)
	if v, ok := c[lower]; ok {
		return v, true
	}
	for k, v := range c {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// SetTime sets aws:CurrentTime (ISO 8601, UTC) and aws:EpochTime (seconds)
// to t.
func (c Context) SetTime(t time.Time) {
	c.Set("aws:currenttime", CurrentTime(t))
	c.Set("aws:epochtime", EpochTime(t))
}

// CurrentTime is the value of aws:CurrentTime at t.
func CurrentTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// EpochTime is the value of aws:EpochTime at t.
func EpochTime(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
