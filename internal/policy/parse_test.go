package policy

import (
	"errors"
	"strings"
	"testing"
)

// stmt wraps statement JSON in a 2012-10-17 document.
func stmt(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }

// legacySCP stands, in test tables, for Options{Kind: ServiceControlPolicy, LegacySCP: true}.
const legacySCP = Kind(255)

const okStmt = `{"Effect":"Allow","Action":"sso:*","Resource":"*"}`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		kind Kind
		path string
		msg  string // a substring of the message
	}{
		{"empty", "  ", IdentityPolicy, "", "policy document is empty"},
		{"not JSON", "{", IdentityPolicy, "", "invalid JSON"},
		{"bad JSON", `{"Version":}`, IdentityPolicy, "", "invalid JSON at byte"},
		{"trailing data", stmt(okStmt) + "{}", IdentityPolicy, "", "unexpected data after the policy document"},
		{"array document", `[]`, IdentityPolicy, "", "must be a JSON object, got array"},
		{"unknown top element", `{"Version":"2012-10-17","Statement":[` + okStmt + `],"Foo":1}`, IdentityPolicy, "Foo", "unknown element; valid elements are Version, Id, Statement"},
		{"top element case", `{"version":"2012-10-17","Statement":[` + okStmt + `]}`, IdentityPolicy, "version", `did you mean "Version"`},
		{"duplicate top element", `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[` + okStmt + `]}`, IdentityPolicy, "", `duplicate element "Version"`},
		{"bad version", `{"Version":"2012-10-18","Statement":[` + okStmt + `]}`, IdentityPolicy, "Version", `must be "2012-10-17" or "2008-10-17", got "2012-10-18"`},
		{"version type", `{"Version":2012,"Statement":[` + okStmt + `]}`, IdentityPolicy, "Version", "must be a string, got number"},
		{"id type", `{"Id":["x"],"Statement":[` + okStmt + `]}`, IdentityPolicy, "Id", "must be a string, got array"},
		{"no statement", `{"Version":"2012-10-17"}`, IdentityPolicy, "", `missing required element "Statement"`},
		{"empty statements", `{"Version":"2012-10-17","Statement":[]}`, IdentityPolicy, "Statement", "at least one statement"},
		{"statement type", `{"Version":"2012-10-17","Statement":"x"}`, IdentityPolicy, "Statement", "must be an object or an array of objects, got string"},
		{"statement element type", stmt(okStmt + `,7`), IdentityPolicy, "Statement[1]", "must be an object, got number"},
		{"unknown statement element", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Foo":"x"}`), IdentityPolicy, "Statement[0].Foo", "unknown element; valid elements are Sid"},
		{"statement element case", stmt(`{"effect":"Allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0].effect", `did you mean "Effect"`},
		{"duplicate statement element", stmt(`{"Effect":"Allow","Action":"sso:*","Action":"s3:*","Resource":"*"}`), IdentityPolicy, "Statement[0]", `duplicate element "Action"`},
		{"bad effect", stmt(okStmt + `,{"Effect":"allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[1].Effect", `must be "Allow" or "Deny", got "allow"`},
		{"effect type", stmt(`{"Effect":true,"Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0].Effect", "must be a string, got boolean"},
		{"no effect", stmt(`{"Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0]", `missing required element "Effect"`},
		{"no action", stmt(`{"Effect":"Allow","Resource":"*"}`), IdentityPolicy, "Statement[0]", "must have an Action or NotAction element"},
		{"action and notaction", stmt(`{"Effect":"Allow","Action":"sso:*","NotAction":"s3:*","Resource":"*"}`), IdentityPolicy, "Statement[0]", "must not have both Action and NotAction"},
		{"action without service", stmt(`{"Effect":"Allow","Action":"CreateInstance","Resource":"*"}`), IdentityPolicy, "Statement[0].Action", `must be "*" or "service:action"`},
		{"action empty name", stmt(`{"Effect":"Allow","Action":["sso:*","sso:"],"Resource":"*"}`), IdentityPolicy, "Statement[0].Action[1]", `got "sso:"`},
		{"action bad service", stmt(`{"Effect":"Allow","Action":"s s:Get","Resource":"*"}`), IdentityPolicy, "Statement[0].Action", "service prefix"},
		{"action bad name", stmt(`{"Effect":"Allow","Action":"s3:Get/Object","Resource":"*"}`), IdentityPolicy, "Statement[0].Action", "action name"},
		{"action type", stmt(`{"Effect":"Allow","Action":{"a":1},"Resource":"*"}`), IdentityPolicy, "Statement[0].Action", "must be a string or an array of strings, got object"},
		{"action element type", stmt(`{"Effect":"Allow","Action":["sso:*",3],"Resource":"*"}`), IdentityPolicy, "Statement[0].Action[1]", "must be a string, got number"},
		{"action empty array", stmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), IdentityPolicy, "Statement[0].Action", "must not be an empty array"},
		{"action empty string", stmt(`{"Effect":"Allow","Action":"","Resource":"*"}`), IdentityPolicy, "Statement[0].Action", "must not be empty"},
		{"no resource", stmt(`{"Effect":"Allow","Action":"sso:*"}`), IdentityPolicy, "Statement[0]", "must have a Resource or NotResource element"},
		{"no resource in SCP", stmt(`{"Effect":"Deny","Action":"sso:*"}`), ServiceControlPolicy, "Statement[0]", "must have a Resource or NotResource element"},
		{"resource and notresource", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","NotResource":"*"}`), IdentityPolicy, "Statement[0]", "must not have both Resource and NotResource"},
		{"resource not ARN", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"instance/1"}`), IdentityPolicy, "Statement[0].Resource", `must be "*" or an ARN`},
		{"resource service wildcard", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":["*","arn:aws:ss*:::instance/x"]}`), IdentityPolicy, "Statement[0].Resource[1]", "service segment"},
		{"principal in identity policy", stmt(`{"Effect":"Allow","Principal":"*","Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0].Principal", "not allowed in an identity-based policy"},
		{"principal in SCP", stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"sso:*","Resource":"*"}`), ServiceControlPolicy, "Statement[0].NotPrincipal", "not allowed in a service control policy"},
		{"no principal in resource policy", stmt(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), ResourcePolicy, "Statement[0]", "must have a Principal or NotPrincipal element"},
		{"principal and notprincipal", stmt(`{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"}`), ResourcePolicy, "Statement[0]", "must not have both Principal and NotPrincipal"},
		{"principal bad string", stmt(`{"Effect":"Allow","Principal":"123456789012","Action":"sts:AssumeRole"}`), ResourcePolicy, "Statement[0].Principal", `must be "*" or an object`},
		{"principal bad type", stmt(`{"Effect":"Allow","Principal":{"User":"x"},"Action":"sts:AssumeRole"}`), ResourcePolicy, "Statement[0].Principal", `unknown principal type "User"`},
		{"principal bad value", stmt(`{"Effect":"Allow","Principal":{"AWS":[""]},"Action":"sts:AssumeRole"}`), ResourcePolicy, "Statement[0].Principal.AWS[0]", "must not be empty"},
		{"sid type", stmt(`{"Sid":1,"Effect":"Allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0].Sid", "must be a string, got number"},
		{"sid characters", stmt(`{"Sid":"deny all","Effect":"Allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy, "Statement[0].Sid", "only letters and digits"},
		{"duplicate sid", stmt(`{"Sid":"A","Effect":"Allow","Action":"sso:*","Resource":"*"},` + okStmt + `,{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}`), IdentityPolicy, "Statement[2].Sid", `duplicate Sid "A" (also used by Statement[0])`},
		{"condition type", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":[]}`), IdentityPolicy, "Statement[0].Condition", "must be an object mapping condition operators"},
		{"unknown operator", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringMatches":{"aws:username":"x"}}}`), IdentityPolicy, "Statement[0].Condition", `unknown condition operator "StringMatches"; valid operators are`},
		{"operator case", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"stringEquals":{"aws:username":"x"}}}`), IdentityPolicy, "Statement[0].Condition", `did you mean "StringEquals"`},
		{"operator case with prefix and suffix", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"forAnyValue:stringlikeifexists":{"aws:TagKeys":"x"}}}`), IdentityPolicy, "Statement[0].Condition", `did you mean "ForAnyValue:StringLikeIfExists"`},
		{"NullIfExists", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}`), IdentityPolicy, "Statement[0].Condition", "Null has no IfExists form"},
		{"operator block type", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":"x"}}`), IdentityPolicy, "Statement[0].Condition.StringEquals", "must be an object mapping condition keys to values, got string"},
		{"condition key without service", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":{"username":"x"}}}`), IdentityPolicy, "Statement[0].Condition.StringEquals.username", "condition key must be prefaced by a service"},
		{"condition value type", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":"b"}}}}`), IdentityPolicy, "Statement[0].Condition.StringEquals.aws:username", "got object"},
		{"condition value null", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":{"aws:username":["a",null]}}}`), IdentityPolicy, "Statement[0].Condition.StringEquals.aws:username[1]", "must be a string, number or boolean, got null"},
		{"condition empty array", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[]}}}`), IdentityPolicy, "Statement[0].Condition.StringEquals.aws:username", "must not be an empty array"},
		{"duplicate condition key", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a","aws:username":"b"}}}`), IdentityPolicy, "Statement[0].Condition.StringEquals", `duplicate element "aws:username"`},
		{"numeric value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}`), IdentityPolicy, "Statement[0].Condition.NumericLessThan.s3:max-keys", `"ten" is not a number`},
		{"numeric NaN", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":["1","NaN"]}}}`), IdentityPolicy, "Statement[0].Condition.NumericEquals.s3:max-keys[1]", `"NaN" is not a number`},
		{"date value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}}`), IdentityPolicy, "Statement[0].Condition.DateLessThan.aws:CurrentTime", `"yesterday" is not a date`},
		{"bool value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}`), IdentityPolicy, "Statement[0].Condition.Bool.aws:SecureTransport", `must be "true" or "false", got "yes"`},
		{"null value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"absent"}}}`), IdentityPolicy, "Statement[0].Condition.Null.aws:TokenIssueTime", `must be "true" or "false"`},
		{"binary value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"BinaryEquals":{"s3:x":"%%%"}}}`), IdentityPolicy, "Statement[0].Condition.BinaryEquals.s3:x", "is not base64"},
		{"ip value", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","10.0.0.0/33"]}}}`), IdentityPolicy, "Statement[0].Condition.IpAddress.aws:SourceIp[1]", "not an IP address or CIDR block"},
		{"legacy SCP allow condition", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), legacySCP, "Statement[0].Condition", "not supported in an Allow statement of a service control policy"},
		{"legacy SCP allow notaction", stmt(`{"Effect":"Allow","NotAction":"sso:*","Resource":"*"}`), legacySCP, "Statement[0].NotAction", "not supported in an Allow statement"},
		{"legacy SCP allow resource", stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"arn:aws:sso:::instance/*"}`), legacySCP, "Statement[0].Resource", `must be "*" in an Allow statement`},
		{"legacy SCP notresource", stmt(`{"Effect":"Deny","Action":"sso:*","NotResource":"arn:aws:sso:::instance/*"}`), legacySCP, "Statement[0].NotResource", "not supported in a service control policy"},
		{"legacy SCP action wildcard", stmt(`{"Effect":"Deny","Action":"sso:*Instance","Resource":"*"}`), legacySCP, "Statement[0].Action", "wildcard only at the end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Kind: tc.kind}
			if tc.kind == legacySCP {
				opts = Options{Kind: ServiceControlPolicy, LegacySCP: true}
			}
			_, err := opts.Parse(tc.doc)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Path != tc.path || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("got %q (path %q), want path %q and a message holding %q", se.Error(), se.Path, tc.path, tc.msg)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse(stmt(okStmt+`,{"Effect":"allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy)
	if got, want := err.Error(), `Statement[1].Effect: must be "Allow" or "Deny", got "allow"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		kind Kind
		opts Options
	}{
		{"single statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, IdentityPolicy, Options{}},
		{"no version", `{"Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:iam::*:role/admin"}]}`, IdentityPolicy, Options{}},
		{"old version and id", `{"Version":"2008-10-17","Id":"x y","Statement":[{"Sid":"","Effect":"Allow","Action":"s3:Get?bject","Resource":"arn:aws:s3:::b/*"}]}`, IdentityPolicy, Options{}},
		{"empty sids are not duplicates", stmt(`{"Sid":"","Effect":"Allow","Action":"sso:*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"}`), IdentityPolicy, Options{}},
		{"conditions with every value type", stmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{
			"NumericLessThanEquals":{"s3:max-keys":10},
			"Bool":{"aws:MultiFactorAuthPresent":true},
			"ForAnyValue:StringLike":{"aws:TagKeys":["a*","b?"]},
			"DateGreaterThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z","1577836800","2020-01-01"]},
			"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64","198.51.100.7"]},
			"BinaryEquals":{"s3:x":"aGVsbG8="},
			"Null":{"aws:TokenIssueTime":"false"},
			"ArnNotLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}}`), IdentityPolicy, Options{}},
		{"variables", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":"${aws:username}/${*}"}}}`), IdentityPolicy, Options{}},
		{"SCP with full language", stmt(`{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:sso:::instance/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}},{"Effect":"Deny","Action":"sso:*Instance","NotResource":"arn:aws:sso:::instance/ssoins-1"}`), ServiceControlPolicy, Options{}},
		{"legacy SCP FullAWSAccess", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, ServiceControlPolicy, Options{Kind: ServiceControlPolicy, LegacySCP: true}},
		{"trust policy", stmt(`{"Sid":"allow the management account","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"],"Service":"sso.amazonaws.com"},"Action":"sts:AssumeRole"}`), ResourcePolicy, Options{Kind: ResourcePolicy}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if opts == (Options{}) {
				opts.Kind = tc.kind
			}
			p, err := opts.Parse(tc.doc)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if p.Kind != opts.Kind || len(p.Statements) == 0 {
				t.Errorf("got kind %v and %d statements", p.Kind, len(p.Statements))
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	p := mustParse(t, `{
		"Version": "2012-10-17",
		"Id": "doc",
		"Statement": [{
			"Sid": "One",
			"Effect": "Deny",
			"NotAction": ["iam:*", "sts:*"],
			"Resource": "*",
			"Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111122223333", 444455556666]}, "Bool": {"aws:SecureTransport": false}}
		}]}`, IdentityPolicy)
	if p.Version != "2012-10-17" || p.ID != "doc" {
		t.Errorf("Version, ID = %q, %q", p.Version, p.ID)
	}
	s := p.Statements[0]
	if s.Sid != "One" || s.Effect != EffectDeny || strings.Join(s.NotAction, ",") != "iam:*,sts:*" || s.Action != nil || strings.Join(s.Resource, ",") != "*" {
		t.Errorf("statement = %+v", s)
	}
	if len(s.Conditions) != 2 {
		t.Fatalf("conditions = %+v", s.Conditions)
	}
	c := s.Conditions[0]
	if c.Operator != "StringNotEquals" || c.Key != "aws:PrincipalAccount" || strings.Join(c.Values, ",") != "111122223333,444455556666" {
		t.Errorf("condition 0 = %+v", c)
	}
	if c := s.Conditions[1]; c.Operator != "Bool" || strings.Join(c.Values, ",") != "false" {
		t.Errorf("condition 1 = %+v", c)
	}
	if p := mustParse(t, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, IdentityPolicy); p.Version != "2008-10-17" {
		t.Errorf("default Version = %q", p.Version)
	}

	tp := mustParse(t, stmt(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"]},"Action":"sts:AssumeRole"}`), ResourcePolicy)
	if pr := tp.Statements[0].Principal; pr == nil || pr.All || strings.Join(pr.Values["AWS"], ",") != "arn:aws:iam::111122223333:root,444455556666" {
		t.Errorf("principal = %+v", pr)
	}
}

func TestSize(t *testing.T) {
	compact := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my bucket/a\" b"}]}`
	pretty := "{\n  \"Version\": \"2012-10-17\",\n\t\"Statement\": [ {\r\n \"Sid\" : \"A\", \"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\n \"Resource\": \"arn:aws:s3:::my bucket/a\\\" b\" } ]\n}\n"
	a, b := mustParse(t, compact, IdentityPolicy), mustParse(t, pretty, IdentityPolicy)
	if a.Size != len(compact) {
		t.Errorf("compact Size = %d, want %d", a.Size, len(compact))
	}
	if b.Size != a.Size {
		t.Errorf("pretty Size = %d, want %d (spaces inside strings count, outside do not)", b.Size, a.Size)
	}
}
