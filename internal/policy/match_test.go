package policy

import "testing"

func TestGlob(t *testing.T) {
	tests := []struct {
		mode    globMode
		pattern string
		s       string
		want    bool
	}{
		{matchFold, "*", "sso:CreateInstance", true},
		{matchFold, "sso:*", "SSO:CreateInstance", true},
		{matchFold, "sso:Create*", "sso:createinstance", true},
		{matchFold, "sso:*Instance", "sso:DeleteInstance", true},
		{matchFold, "sso:*Instance", "sso:DeleteInstanceAccessControlAttributeConfiguration", false},
		{matchFold, "sso:*Instance*", "sso:DeleteInstanceAccessControlAttributeConfiguration", true},
		{matchFold, "sso:Describe?nstance", "sso:DescribeInstance", true},
		{matchFold, "sso:Describe?nstance", "sso:Describenstance", false},
		{matchFold, "*:Delete*", "s3:DeleteObject", true},
		{matchFold, "sso:CreateInstance", "sso:CreateInstanceX", false},
		{matchFold, "s3:*", "s3", false},
		{matchPlain, "home/*", "home/a/b:c", true},
		{matchPlain, "a?c", "aéc", true}, // '?' is one character, not one byte
		{matchPlain, "*a*b*c*", "xxaxxbxxcxx", true},
		{matchPlain, "*a*b*c*", "xxaxxcxxbxx", false},
		{matchPlain, "", "", true},
		{matchPlain, "*", "", true},
		{matchPlain, "?", "", false},
		{matchResource, "*", "arn:aws:sso:::instance/ssoins-1", true},
		{matchResource, "*", "*", true},
		{matchResource, "arn:aws:sso:::instance/*", "*", false},
		{matchResource, "arn:aws:sso:::instance/*", "arn:aws:sso:::instance/ssoins-1", true},
		{matchResource, "arn:aws:sso:::permissionSet/*", "arn:aws:sso:::permissionSet/ssoins-1/ps-2", true},
		{matchResource, "arn:aws:sso:::instance/ssoins-1", "arn:aws:sso:::Instance/ssoins-1", false},
		{matchResource, "arn:aws:iam::*:role/Admin", "arn:aws:iam::111122223333:role/Admin", true},
		{matchResource, "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/o.jpg", true},
		{matchResource, "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1-test/o.jpg", false},
		{matchResource, "arn:aws:logs:us-east-1:111122223333:log-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s", true},
		// A '*' ending a segment may cross colons ...
		{matchResource, "arn:aws:ec2:*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{matchResource, "arn:aws:ec2:us-*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		// ... one inside a segment may not.
		{matchResource, "arn:aws:ec2:us-*-1:111122223333:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{matchResource, "arn:aws:ec2:us-*1:111122223333:*", "arn:aws:ec2:us-east:2:1:111122223333:instance/i-1", false},
		{matchResource, "arn:aws:ec2:us-east-?:*", "arn:aws:ec2:us-east-:111:x", false},
		{matchARN, "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:123456789012:t", true},
		{matchARN, "arn:aws:sns:*:123456789012:*", "arn:aws:sns:eu-west-1:9:123456789012:t", false},
		{matchARN, "arn:aws:sns:*", "arn:aws:sns:eu-west-1:123456789012:t", true},
		{matchARN, "arn:aws:sns:*:*:topic:*", "arn:aws:sns:r:1:topic:a:b", true},
	}
	for _, tc := range tests {
		if got := compileGlob(tc.pattern, tc.mode).match(tc.s); got != tc.want {
			t.Errorf("mode %d: %q matching %q = %v, want %v", tc.mode, tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestResourceMatching(t *testing.T) {
	p := mustParse(t, stmt(`{"Effect":"Allow","Action":"sso:*","Resource":["arn:aws:sso:::instance/ssoins-1111111111111111","arn:aws:sso:::permissionSet/ssoins-1111111111111111/*"]}`), IdentityPolicy)
	tests := []struct {
		resource string
		want     Decision
	}{
		{"arn:aws:sso:::instance/ssoins-1111111111111111", Allow},
		{"arn:aws:sso:::instance/ssoins-2222222222222222", NotApplicable},
		{"arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0123456789abcdef", Allow},
		{"arn:aws:sso:::permissionSet/ssoins-2222222222222222/ps-0123456789abcdef", NotApplicable},
		{"*", NotApplicable},
		{"", NotApplicable},
	}
	for _, tc := range tests {
		if got := p.Evaluate(req("sso:DescribePermissionSet", tc.resource)).Decision; got != tc.want {
			t.Errorf("%q: %v, want %v", tc.resource, got, tc.want)
		}
	}
}

func BenchmarkEvaluateSCP(b *testing.B) {
	scps := SCPs(mustParse(b, fullAWSAccess, ServiceControlPolicy), mustParse(b, denyCreateAccountInstances, ServiceControlPolicy))
	r := req("sso:CreateInstance", "*", "aws:PrincipalAccount", "111122223333")
	for b.Loop() {
		Evaluate(r, scps)
	}
}
