package audit

import "strings"

// readOnlyPrefixes start the names of operations that change nothing.
var readOnlyPrefixes = []string{"Describe", "Get", "List", "Lookup", "Search", "BatchGet", "IsMemberIn"}

// readOnlyNames are read-only operations whose names do not say so;
// CloudTrail marks AssumeRole read-only too.
var readOnlyNames = map[string]bool{"AssumeRole": true}

// ReadOnly reports whether CloudTrail marks events of the operation
// readOnly: it only reads (Describe*, Get*, List*, ...).
func ReadOnly(operation string) bool {
	if readOnlyNames[operation] {
		return true
	}
	for _, p := range readOnlyPrefixes {
		if strings.HasPrefix(operation, p) && (len(operation) == len(p) || 'A' <= operation[len(p)] && operation[len(p)] <= 'Z') {
			return true
		}
	}
	return false
}

// responseNames are read-only operations whose events still carry
// responseElements, as CloudTrail's do: the STS calls that hand out
// credentials (their access key ids; secrets are hidden).
var responseNames = map[string]bool{"AssumeRole": true, "AssumeRoleWithSAML": true, "AssumeRoleWithWebIdentity": true,
	"GetSessionToken": true, "GetFederationToken": true}

// recordsResponse reports whether an event of the operation records the
// response: CloudTrail leaves it out for read-only calls.
func recordsResponse(operation string) bool {
	return !ReadOnly(operation) || responseNames[operation]
}
