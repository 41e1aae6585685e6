package policy

import (
	"testing"
	"time"
)

// condPolicy is an Allow-everything identity policy with one Condition
// element.
func condPolicy(t *testing.T, condition string) *Policy {
	t.Helper()
	return mustParse(t, stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+condition+`}`), IdentityPolicy)
}

type condCase struct {
	name string
	ctx  []string // key, value pairs for req; "a|b" is two values, "" none
	want bool
}

func runConditionCases(t *testing.T, condition string, cases []condCase) {
	t.Helper()
	p := condPolicy(t, condition)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Evaluate(req("s3:ListBucket", "*", tc.ctx...)).Decision == Allow
			if got != tc.want {
				t.Errorf("condition %s with context %q: %v, want %v", condition, tc.ctx, got, tc.want)
			}
		})
	}
}

// The cases below follow the examples of the IAM User Guide, "IAM JSON
// policy elements: Condition operators" and "Single-valued vs. multivalued
// context keys".

func TestStringOperators(t *testing.T) {
	t.Run("StringEquals", func(t *testing.T) {
		runConditionCases(t, `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, []condCase{
			{"match", []string{"aws:PrincipalTag/job-category", "iamuser-admin"}, true},
			{"case-sensitive value", []string{"aws:PrincipalTag/job-category", "IAMuser-admin"}, false},
			{"key name case-insensitive", []string{"AWS:principaltag/JOB-CATEGORY", "iamuser-admin"}, true},
			{"other value", []string{"aws:PrincipalTag/job-category", "dev"}, false},
			{"missing key", nil, false},
			{"key with no values", []string{"aws:PrincipalTag/job-category", ""}, false},
			{"no wildcards", []string{"aws:PrincipalTag/job-category", "iamuser-*"}, false},
		})
	})
	t.Run("values are ORed", func(t *testing.T) {
		runConditionCases(t, `{"StringEquals":{"aws:PrincipalTag/role":["audit","security"]}}`, []condCase{
			{"first", []string{"aws:PrincipalTag/role", "audit"}, true},
			{"second", []string{"aws:PrincipalTag/role", "security"}, true},
			{"neither", []string{"aws:PrincipalTag/role", "dev"}, false},
		})
	})
	t.Run("StringNotEquals matches none", func(t *testing.T) {
		runConditionCases(t, `{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}`, []condCase{
			{"first", []string{"aws:PrincipalTag/role", "audit"}, false},
			{"second", []string{"aws:PrincipalTag/role", "security"}, false},
			{"neither", []string{"aws:PrincipalTag/role", "dev"}, true},
			{"missing key is true", nil, true},
		})
	})
	t.Run("IgnoreCase", func(t *testing.T) {
		runConditionCases(t, `{"StringEqualsIgnoreCase":{"aws:username":"john"}}`, []condCase{
			{"same", []string{"aws:username", "john"}, true},
			{"other case", []string{"aws:username", "JoHn"}, true},
			{"other", []string{"aws:username", "jane"}, false},
		})
		runConditionCases(t, `{"StringNotEqualsIgnoreCase":{"aws:username":"john"}}`, []condCase{
			{"other case", []string{"aws:username", "JOHN"}, false},
			{"other", []string{"aws:username", "jane"}, true},
			{"missing", nil, true},
		})
	})
	t.Run("StringLike", func(t *testing.T) {
		runConditionCases(t, `{"StringLike":{"s3:prefix":["","home/","home/*/docs/?.txt"]}}`, []condCase{
			{"empty prefix", []string{"s3:prefix", ""}, false}, // an empty value set: absent
			{"home", []string{"s3:prefix", "home/"}, true},
			{"wildcards", []string{"s3:prefix", "home/alice/docs/a.txt"}, true},
			{"star spans slashes", []string{"s3:prefix", "home/a/b/docs/a.txt"}, true},
			{"question mark is one char", []string{"s3:prefix", "home/a/docs/ab.txt"}, false},
			{"case-sensitive", []string{"s3:prefix", "HOME/"}, false},
		})
		runConditionCases(t, `{"StringNotLike":{"aws:userid":"AIDA*"}}`, []condCase{
			{"matches", []string{"aws:userid", "AIDAEXAMPLE"}, false},
			{"does not match", []string{"aws:userid", "AROAEXAMPLE:alice"}, true},
			{"missing", nil, true},
		})
	})
}

func TestNumericOperators(t *testing.T) {
	const key = "s3:max-keys"
	ops := []struct {
		op               string
		below, at, above bool
		missingIsTrue    bool
	}{
		{"NumericEquals", false, true, false, false},
		{"NumericNotEquals", true, false, true, true},
		{"NumericLessThan", true, false, false, false},
		{"NumericLessThanEquals", true, true, false, false},
		{"NumericGreaterThan", false, false, true, false},
		{"NumericGreaterThanEquals", false, true, true, false},
	}
	for _, o := range ops {
		t.Run(o.op, func(t *testing.T) {
			runConditionCases(t, `{"`+o.op+`":{"`+key+`":"10"}}`, []condCase{
				{"below", []string{key, "9"}, o.below},
				{"at", []string{key, "10"}, o.at},
				{"at, as a decimal", []string{key, "10.0"}, o.at},
				{"above", []string{key, "1e3"}, o.above},
				{"missing", nil, o.missingIsTrue},
				{"not a number matches nothing", []string{key, "ten"}, o.missingIsTrue && o.op == "NumericNotEquals"},
			})
		})
	}
	// A JSON number in the policy works as the string does.
	runConditionCases(t, `{"NumericLessThanEquals":{"s3:max-keys":10}}`, []condCase{
		{"json number", []string{key, "7"}, true},
		{"json number above", []string{key, "11"}, false},
	})
}

func TestDateOperators(t *testing.T) {
	// The guide's example: allow only within the first half of 2020.
	cond := `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}`
	runConditionCases(t, cond, []condCase{
		{"inside", []string{"aws:CurrentTime", "2020-03-15T12:00:00Z"}, true},
		{"inside, other zone", []string{"aws:CurrentTime", "2020-06-30T23:59:58+00:00"}, true},
		{"before", []string{"aws:CurrentTime", "2019-12-31T23:59:59Z"}, false},
		{"at the start", []string{"aws:CurrentTime", "2020-01-01T00:00:00Z"}, false},
		{"after", []string{"aws:CurrentTime", "2020-07-01T00:00:00Z"}, false},
		{"epoch seconds", []string{"aws:CurrentTime", "1584273600"}, true},
		{"missing", nil, false},
	})
	runConditionCases(t, `{"DateLessThanEquals":{"aws:EpochTime":"1577836800"}}`, []condCase{
		{"equal, as ISO", []string{"aws:EpochTime", "2020-01-01T00:00:00Z"}, true},
		{"equal, as epoch", []string{"aws:EpochTime", "1577836800"}, true},
		{"later", []string{"aws:EpochTime", "1577836801"}, false},
		{"date only", []string{"aws:EpochTime", "2019-12-31"}, true},
	})
	runConditionCases(t, `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01"},"DateGreaterThanEquals":{"aws:TokenIssueTime":"2020-01-01T00:00:00.000Z"}}`, []condCase{
		{"both hold", []string{"aws:CurrentTime", "2020-01-02T00:00:00Z", "aws:TokenIssueTime", "2020-01-01T00:00:00Z"}, true},
		{"current time equal", []string{"aws:CurrentTime", "2020-01-01T00:00:00Z", "aws:TokenIssueTime", "2020-01-01T00:00:00Z"}, false},
		{"token too old", []string{"aws:CurrentTime", "2020-01-02T00:00:00Z", "aws:TokenIssueTime", "2019-12-31T23:59:59Z"}, false},
		{"no token", []string{"aws:CurrentTime", "2020-01-02T00:00:00Z"}, false},
	})
	runConditionCases(t, `{"DateEquals":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"}}`, []condCase{
		{"same instant, other zone", []string{"aws:CurrentTime", "2020-01-01T00:00:00Z"}, true},
		{"not a date", []string{"aws:CurrentTime", "soon"}, false},
	})
}

func TestContextSetTime(t *testing.T) {
	p := condPolicy(t, `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"NumericLessThan":{"aws:EpochTime":"1600000000"}}`)
	ctx := Context{}
	ctx.SetTime(time.Date(2020, 5, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)))
	if got := p.Evaluate(Request{Action: "s3:GetObject", Resource: "*", Context: ctx}).Decision; got != Allow {
		t.Errorf("with %v: %v, want Allow", ctx, got)
	}
	ctx.SetTime(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	if got := p.Evaluate(Request{Action: "s3:GetObject", Resource: "*", Context: ctx}).Decision; got != NotApplicable {
		t.Errorf("with %v: %v, want NotApplicable", ctx, got)
	}
}

func TestBoolBinaryNull(t *testing.T) {
	// The guide's example denies requests not sent over TLS.
	deny := mustParse(t, stmt(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), IdentityPolicy)
	for _, tc := range []struct {
		ctx  []string
		want Decision
	}{
		{[]string{"aws:SecureTransport", "false"}, Deny},
		{[]string{"aws:SecureTransport", "FALSE"}, Deny},
		{[]string{"aws:SecureTransport", "true"}, NotApplicable},
		{nil, NotApplicable},
	} {
		if got := deny.Evaluate(req("s3:GetObject", "*", tc.ctx...)).Decision; got != tc.want {
			t.Errorf("SecureTransport %q: %v, want %v", tc.ctx, got, tc.want)
		}
	}
	runConditionCases(t, `{"Bool":{"aws:MultiFactorAuthPresent":true}}`, []condCase{
		{"json boolean", []string{"aws:MultiFactorAuthPresent", "true"}, true},
		{"false", []string{"aws:MultiFactorAuthPresent", "false"}, false},
		{"garbage", []string{"aws:MultiFactorAuthPresent", "yes"}, false},
	})
	runConditionCases(t, `{"BinaryEquals":{"s3:key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, []condCase{
		{"same bytes", []string{"s3:key", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, true},
		{"other bytes", []string{"s3:key", "aGVsbG8="}, false},
		{"not base64", []string{"s3:key", "%%"}, false},
	})
	// Null "true": the key must be absent; the guide's example tells
	// long-term from temporary credentials by aws:TokenIssueTime.
	runConditionCases(t, `{"Null":{"aws:TokenIssueTime":"true"}}`, []condCase{
		{"absent", nil, true},
		{"present", []string{"aws:TokenIssueTime", "2020-01-01T00:00:00Z"}, false},
	})
	runConditionCases(t, `{"Null":{"aws:TokenIssueTime":"false"}}`, []condCase{
		{"absent", nil, false},
		{"present", []string{"aws:TokenIssueTime", "2020-01-01T00:00:00Z"}, true},
	})
	runConditionCases(t, `{"Null":{"aws:TokenIssueTime":["true","false"]}}`, []condCase{
		{"absent", nil, true},
		{"present", []string{"aws:TokenIssueTime", "x"}, true},
	})
}

func TestIPAddressOperators(t *testing.T) {
	runConditionCases(t, `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64","198.51.100.7"]}}`, []condCase{
		{"in v4 block", []string{"aws:SourceIp", "203.0.113.200"}, true},
		{"outside v4 block", []string{"aws:SourceIp", "203.0.114.1"}, false},
		{"in v6 block", []string{"aws:SourceIp", "2001:db8:1234:5678::1"}, true},
		{"outside v6 block", []string{"aws:SourceIp", "2001:db8:1234:5679::1"}, false},
		{"single address", []string{"aws:SourceIp", "198.51.100.7"}, true},
		{"next to single address", []string{"aws:SourceIp", "198.51.100.8"}, false},
		{"v4-mapped v6", []string{"aws:SourceIp", "::ffff:203.0.113.9"}, true},
		{"not an address", []string{"aws:SourceIp", "localhost"}, false},
		{"missing", nil, false},
	})
	runConditionCases(t, `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, []condCase{
		{"in first", []string{"aws:SourceIp", "192.0.2.1"}, false},
		{"in second", []string{"aws:SourceIp", "203.0.113.1"}, false},
		{"in neither", []string{"aws:SourceIp", "10.0.0.1"}, true},
		{"missing", nil, true},
	})
}

func TestARNOperators(t *testing.T) {
	// The guide's example: an SQS queue policy that takes messages only
	// from one SNS topic.
	runConditionCases(t, `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:TOPIC-ID"}}`, []condCase{
		{"same", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:TOPIC-ID"}, true},
		{"case-sensitive", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:topic-id"}, false},
		{"other account", []string{"aws:SourceArn", "arn:aws:sns:us-east-1:999999999999:TOPIC-ID"}, false},
	})
	runConditionCases(t, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, []condCase{
		{"any region and topic", []string{"aws:SourceArn", "arn:aws:sns:eu-west-1:123456789012:alerts"}, true},
		{"other account", []string{"aws:SourceArn", "arn:aws:sns:eu-west-1:999999999999:alerts"}, false},
		{"region star stays in its segment", []string{"aws:SourceArn", "arn:aws:sns:eu-west-1:999:123456789012:x"}, false},
	})
	runConditionCases(t, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/a?min"}}`, []condCase{
		{"any account", []string{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/admin"}, true},
		{"question mark", []string{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/admmin"}, false},
	})
	runConditionCases(t, `{"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/Admin","arn:aws:iam::*:role/Break*"]}}`, []condCase{
		{"first", []string{"aws:PrincipalArn", "arn:aws:iam::1:role/Admin"}, false},
		{"second", []string{"aws:PrincipalArn", "arn:aws:iam::1:role/BreakGlass"}, false},
		{"neither", []string{"aws:PrincipalArn", "arn:aws:iam::1:role/Dev"}, true},
		{"missing", nil, true},
	})
}

func TestIfExists(t *testing.T) {
	// The guide's example: restrict instance types when the request has one.
	runConditionCases(t, `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}`, []condCase{
		{"allowed type", []string{"ec2:InstanceType", "t2.micro"}, true},
		{"other type", []string{"ec2:InstanceType", "r5.large"}, false},
		{"no type in request", nil, true},
	})
	runConditionCases(t, `{"StringNotEqualsIfExists":{"aws:PrincipalAccount":"111122223333"}}`, []condCase{
		{"equal", []string{"aws:PrincipalAccount", "111122223333"}, false},
		{"other", []string{"aws:PrincipalAccount", "444455556666"}, true},
		{"missing", nil, true},
	})
	runConditionCases(t, `{"NumericLessThanIfExists":{"s3:max-keys":"10"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"},"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThanIfExists":{"aws:CurrentTime":"2030-01-01"},"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*"}}`, []condCase{
		{"all missing", nil, true},
		{"present and matching", []string{"s3:max-keys", "5", "aws:SourceIp", "10.1.2.3"}, true},
		{"one present, not matching", []string{"s3:max-keys", "5", "aws:SourceIp", "11.1.2.3"}, false},
		{"bool present false", []string{"aws:MultiFactorAuthPresent", "false"}, false},
	})
}

func TestSetOperators(t *testing.T) {
	// ForAllValues: every request value is among the policy's; true when
	// the key is absent (so the guide warns against it with Allow).
	runConditionCases(t, `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`, []condCase{
		{"one allowed key", []string{"aws:TagKeys", "environment"}, true},
		{"both keys", []string{"aws:TagKeys", "environment|cost-center"}, true},
		{"an extra key", []string{"aws:TagKeys", "environment|owner"}, false},
		{"absent", nil, true},
		{"no values", []string{"aws:TagKeys", ""}, true},
	})
	// ForAnyValue: at least one request value is among the policy's;
	// false when the key is absent.
	runConditionCases(t, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`, []condCase{
		{"one of them", []string{"aws:TagKeys", "owner|environment"}, true},
		{"none of them", []string{"aws:TagKeys", "owner|team"}, false},
		{"absent", nil, false},
	})
	// Negated with a set operator: the guide's "deny tagging with keys
	// other than these" uses ForAnyValue:StringNotEquals.
	runConditionCases(t, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["environment","cost-center"]}}`, []condCase{
		{"one foreign key", []string{"aws:TagKeys", "environment|owner"}, true},
		{"only allowed keys", []string{"aws:TagKeys", "environment|cost-center"}, false},
		{"absent", nil, false},
	})
	runConditionCases(t, `{"ForAllValues:StringNotLike":{"aws:TagKeys":["aws:*","internal-*"]}}`, []condCase{
		{"no reserved key", []string{"aws:TagKeys", "team|owner"}, true},
		{"one reserved key", []string{"aws:TagKeys", "team|internal-id"}, false},
		{"absent", nil, true},
	})
	runConditionCases(t, `{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"team*"}}`, []condCase{
		{"absent with IfExists", nil, true},
		{"present, matching", []string{"aws:TagKeys", "x|team-a"}, true},
		{"present, not matching", []string{"aws:TagKeys", "x|y"}, false},
	})
	// Without a set operator, a multivalued key matches when any value does,
	// and a negated operator when none does.
	runConditionCases(t, `{"StringEquals":{"aws:PrincipalOrgPaths":"o-a/r-ab/ou-1/"}}`, []condCase{
		{"one of several", []string{"aws:PrincipalOrgPaths", "o-a/r-ab/ou-2/|o-a/r-ab/ou-1/"}, true},
		{"none", []string{"aws:PrincipalOrgPaths", "o-a/r-ab/ou-2/|o-a/r-ab/ou-3/"}, false},
	})
	runConditionCases(t, `{"StringNotEquals":{"aws:PrincipalOrgPaths":"o-a/r-ab/ou-1/"}}`, []condCase{
		{"one of several", []string{"aws:PrincipalOrgPaths", "o-a/r-ab/ou-2/|o-a/r-ab/ou-1/"}, false},
		{"none", []string{"aws:PrincipalOrgPaths", "o-a/r-ab/ou-2/|o-a/r-ab/ou-3/"}, true},
	})
}

func TestConditionsAreANDed(t *testing.T) {
	runConditionCases(t, `{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:RequestedRegion":["us-east-1","eu-west-1"]},"Bool":{"aws:SecureTransport":"true"}}`, []condCase{
		{"all hold", []string{"aws:PrincipalAccount", "111122223333", "aws:RequestedRegion", "eu-west-1", "aws:SecureTransport", "true"}, true},
		{"wrong region", []string{"aws:PrincipalAccount", "111122223333", "aws:RequestedRegion", "us-west-2", "aws:SecureTransport", "true"}, false},
		{"wrong account", []string{"aws:PrincipalAccount", "444455556666", "aws:RequestedRegion", "us-east-1", "aws:SecureTransport", "true"}, false},
		{"no TLS", []string{"aws:PrincipalAccount", "111122223333", "aws:RequestedRegion", "us-east-1", "aws:SecureTransport", "false"}, false},
		{"region missing", []string{"aws:PrincipalAccount", "111122223333", "aws:SecureTransport", "true"}, false},
	})
}
