package audit

import "strings"

// field is a column of an event data store as queries address it.
type field struct {
	name string // CloudTrail's spelling, e.g. userIdentity.arn
	json bool   // holds a JSON document whose members can be addressed with more dots
}

// fields are the columns of the view audit_event_fields (migration 7), in
// the order SELECT * returns them.
var fields = []field{
	{"eventVersion", false},
	{"userIdentity.type", false},
	{"userIdentity.principalId", false},
	{"userIdentity.arn", false},
	{"userIdentity.accountId", false},
	{"userIdentity.accessKeyId", false},
	{"userIdentity.userName", false},
	{"userIdentity.invokedBy", false},
	{"userIdentity.sessionContext", true},
	{"eventTime", false},
	{"eventSource", false},
	{"eventName", false},
	{"awsRegion", false},
	{"sourceIPAddress", false},
	{"userAgent", false},
	{"errorCode", false},
	{"errorMessage", false},
	{"requestParameters", true},
	{"responseElements", true},
	{"additionalEventData", true},
	{"requestID", false},
	{"eventID", false},
	{"readOnly", false},
	{"resources", true},
	{"eventType", false},
	{"managementEvent", false},
	{"recipientAccountId", false},
	{"eventCategory", false},
	{"tlsDetails", true},
}

// Fields lists the names of the fields a query can select.
func Fields() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

var fieldByLower = func() map[string]field {
	m := make(map[string]field, len(fields))
	for _, f := range fields {
		m[strings.ToLower(f.name)] = f
	}
	return m
}()

// sourceSQL is the SQL that stands for an event data store in a query: the
// view's public columns, restricted to one organization's events (or, for
// orgID "", to every event of the installation).
func sourceSQL(orgID string) string {
	var b strings.Builder
	b.WriteString("(SELECT ")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(f.name))
	}
	b.WriteString(" FROM audit_event_fields")
	if orgID != "" {
		b.WriteString(` WHERE "_orgId" = ` + quoteString(orgID))
	}
	b.WriteString(")")
	return b.String()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
