package policy

import "testing"

// tenStatements is a permission-set-sized identity policy: ten statements
// mixing action and resource wildcards, NotAction, and conditions of
// several operators, none of which decides early for the request below.
const tenStatements = `{"Version":"2012-10-17","Statement":[
{"Sid":"S3Read","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::team-${aws:PrincipalTag/team}/*","arn:aws:s3:::shared"]},
{"Sid":"Ec2Describe","Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}},
{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:/app/*"},
{"Sid":"Office","Effect":"Deny","NotAction":["sts:*","sso:*","identitystore:*"],"Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}},
{"Sid":"Until","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/orders","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
{"Sid":"Kms","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":["app-*"]}}},
{"Sid":"Sqs","Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:111122223333:jobs-?"},
{"Sid":"Ssm","Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:*:*:parameter/app/${aws:username}/*"},
{"Sid":"Sso","Effect":"Allow","Action":["sso:Describe*","sso:List*"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"},"Null":{"aws:SourceIp":"false"}}}
]}`

// BenchmarkEvaluateTenStatements evaluates a request that every statement
// must be tried for and the last one allows.
func BenchmarkEvaluateTenStatements(b *testing.B) {
	set := IdentityPolicies(mustParse(b, tenStatements, IdentityPolicy))
	r := req("sso:ListInstances", "*", "aws:PrincipalAccount", "111122223333", "aws:SourceIp", "10.1.2.3",
		"aws:RequestedRegion", "us-east-1", "aws:username", "alice")
	if res := Evaluate(r, set); !res.Allowed() {
		b.Fatalf("not allowed: %v", res.Reason())
	}
	for b.Loop() {
		Evaluate(r, set)
	}
}
