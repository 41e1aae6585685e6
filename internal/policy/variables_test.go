package policy

import "testing"

func TestPolicyVariables(t *testing.T) {
	// The guide's example: each user lists and works in their own home
	// folder of a shared bucket.
	home := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},
		{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}]}`, IdentityPolicy)
	tests := []struct {
		name string
		req  Request
		want Decision
	}{
		{"own folder", req("s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt", "aws:username", "alice"), Allow},
		{"another's folder", req("s3:GetObject", "arn:aws:s3:::bucket/home/bob/a.txt", "aws:username", "alice"), NotApplicable},
		{"list own prefix", req("s3:ListBucket", "arn:aws:s3:::bucket", "aws:username", "alice", "s3:prefix", "home/alice/docs/"), Allow},
		{"list another's prefix", req("s3:ListBucket", "arn:aws:s3:::bucket", "aws:username", "alice", "s3:prefix", "home/bob/"), NotApplicable},
		{"no user name: statement does not apply", req("s3:GetObject", "arn:aws:s3:::bucket/home//a.txt"), NotApplicable},
		// A value from a variable is literal: a '*' in it is no wildcard.
		{"variable value is literal", req("s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt", "aws:username", "*"), NotApplicable},
		{"variable value with star matches itself", req("s3:GetObject", "arn:aws:s3:::bucket/home/*/a.txt", "aws:username", "*"), Allow},
		{"multivalued key cannot be a variable", req("s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt", "aws:username", "alice|bob"), NotApplicable},
	}
	for _, tc := range tests {
		if got := home.Evaluate(tc.req).Decision; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestVariableForms(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso:*","Resource":"*","Condition":{
		"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/Team, 'company-wide'}"},
		"StringLike":{"sso:Name":"${aws:username}-${*}-${?}-${$}-*"}}}]}`, IdentityPolicy)
	tests := []struct {
		name string
		ctx  []string
		want Decision
	}{
		{"default used when tag is missing", []string{"aws:username", "al", "sso:Name", "al-*-?-$-x"}, NotApplicable}, // team key missing: StringEquals false
		{"default value", []string{"aws:PrincipalTag/team", "company-wide", "aws:username", "al", "sso:Name", "al-*-?-$-x"}, Allow},
		{"tag value", []string{"aws:PrincipalTag/team", "blue", "aws:username", "al", "sso:Name", "al-*-?-$-x"}, Allow},
		{"special characters are literal", []string{"aws:PrincipalTag/team", "blue", "aws:username", "al", "sso:Name", "al-a-b-$-x"}, NotApplicable},
		{"trailing star is a wildcard", []string{"aws:PrincipalTag/team", "blue", "aws:username", "al", "sso:Name", "al-*-?-$-anything"}, Allow},
	}
	for _, tc := range tests {
		if got := p.Evaluate(req("sso:CreateApplication", "*", tc.ctx...)).Decision; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestVariablesNeedVersion2012(t *testing.T) {
	doc := `"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}]}`
	old := mustParse(t, `{"Version":"2008-10-17",`+doc, IdentityPolicy)
	noVersion := mustParse(t, `{`+doc, IdentityPolicy)
	current := mustParse(t, `{"Version":"2012-10-17",`+doc, IdentityPolicy)
	literal := req("s3:GetObject", "arn:aws:s3:::b/${aws:username}", "aws:username", "alice")
	alice := req("s3:GetObject", "arn:aws:s3:::b/alice", "aws:username", "alice")
	for _, p := range []*Policy{old, noVersion} {
		if p.Evaluate(literal).Decision != Allow || p.Evaluate(alice).Decision != NotApplicable {
			t.Errorf("Version %s: variables were substituted", p.Version)
		}
	}
	if current.Evaluate(alice).Decision != Allow || current.Evaluate(literal).Decision != NotApplicable {
		t.Error("Version 2012-10-17: variables were not substituted")
	}
}

func TestUnresolvedVariableInDenyStatement(t *testing.T) {
	// A statement whose variable has no value does not apply, whatever
	// its effect.
	p := mustParse(t, stmt(`{"Effect":"Allow","Action":"sso:*","Resource":"*"},{"Effect":"Deny","Action":"sso:*","Resource":"*","Condition":{"StringNotEquals":{"sso:Owner":"${aws:PrincipalTag/owner}"}}}`), IdentityPolicy)
	if got := p.Evaluate(req("sso:CreateInstance", "*", "sso:Owner", "x")).Decision; got != Allow {
		t.Errorf("tag missing: %v, want Allow", got)
	}
	if got := p.Evaluate(req("sso:CreateInstance", "*", "sso:Owner", "x", "aws:PrincipalTag/owner", "y")).Decision; got != Deny {
		t.Errorf("tag differs: %v, want Deny", got)
	}
	if got := p.Evaluate(req("sso:CreateInstance", "*", "sso:Owner", "y", "aws:PrincipalTag/owner", "y")).Decision; got != Allow {
		t.Errorf("tag equal: %v, want Allow", got)
	}
}

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		in   string
		vars bool
		want string // the parts, rendered
	}{
		{"plain", false, "[plain]"},
		{"${aws:username}", true, "{aws:username}"},
		{"a/${aws:username}/b", true, "[a/]{aws:username}[/b]"},
		{"${aws:PrincipalTag/team , 'x y'}", true, "{aws:PrincipalTag/team='x y'}"},
		{"${*}${?}${$}", false, "<*?$>"},
		{"${unterminated", false, "[${unterminated]"},
		{"${}", false, "[${}]"},
		{"${a, nodefaultquotes}", false, "[${a, nodefaultquotes}]"},
	}
	for _, tc := range tests {
		tmpl := parseTemplate(tc.in)
		got := ""
		for _, p := range tmpl.parts {
			switch {
			case p.key != "" && p.hasDef:
				got += "{" + p.key + "='" + p.text + "'}"
			case p.key != "":
				got += "{" + p.key + "}"
			case p.literal:
				got += "<" + p.text + ">"
			default:
				got += "[" + p.text + "]"
			}
		}
		if got != tc.want || tmpl.vars != tc.vars {
			t.Errorf("parseTemplate(%q) = %s (vars %v), want %s (vars %v)", tc.in, got, tmpl.vars, tc.want, tc.vars)
		}
	}
}

func TestVariablesInOtherOperators(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{
		"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"},
		"StringEqualsIgnoreCase":{"sns:Team":"${aws:PrincipalTag/team}"},
		"Bool":{"sns:Flag":"${aws:PrincipalTag/flag, 'true'}"}}}]}`, IdentityPolicy)
	base := []string{"aws:PrincipalAccount", "111122223333", "aws:PrincipalTag/team", "Blue"}
	tests := []struct {
		name  string
		extra []string
		want  Decision
	}{
		{"all hold", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t", "sns:Team", "BLUE", "sns:Flag", "TRUE"}, Allow},
		{"arn of another account", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:444455556666:t", "sns:Team", "blue", "sns:Flag", "true"}, NotApplicable},
		{"other team", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t", "sns:Team", "red", "sns:Flag", "true"}, NotApplicable},
		{"flag false against the default", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t", "sns:Team", "blue", "sns:Flag", "false"}, NotApplicable},
		{"flag from tag", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t", "sns:Team", "blue", "sns:Flag", "false", "aws:PrincipalTag/flag", "false"}, Allow},
	}
	for _, tc := range tests {
		if got := p.Evaluate(req("sns:Publish", "*", append(append([]string{}, base...), tc.extra...)...)).Decision; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// Numeric, Date and IP operators take no variables: the text must
	// then be a value of their type.
	if _, err := Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":"${aws:username}"}}}]}`, IdentityPolicy); err == nil {
		t.Error("a variable in a Numeric condition was accepted")
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Allow.String(), "Allow"}, {Deny.String(), "Deny"}, {NotApplicable.String(), "NotApplicable"}, {Decision(9).String(), "Decision(9)"},
		{IdentityPolicy.String(), "identity-based policy"}, {Kind(9).String(), "Kind(9)"},
		{SetBoundary.String(), "permissions boundary"}, {SetKind(9).String(), "SetKind(9)"},
		{(&SyntaxError{Msg: "policy document is empty"}).Error(), "policy document is empty"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
