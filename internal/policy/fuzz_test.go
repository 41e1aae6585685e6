package policy

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary documents to every parser: none may panic,
// every failure must be a *SyntaxError, and a policy that parses must
// evaluate without panicking.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		fullAWSAccess,
		denyCreateAccountInstances,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["${aws:username}*"]}}}}`,
		`{"Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:iam::*:role/${*}","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2020-01-01"},"Null":{"a:b":"true"},"NumericEquals":{"a:n":1.5}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/t, 'x'}/*"}]}`,
		`[`, `{"Statement":[]}`, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]} x`,
	} {
		f.Add(seed)
	}
	requests := []Request{
		req("sso:CreateInstance", "*", "aws:PrincipalAccount", "111122223333"),
		req("s3:GetObject", "arn:aws:s3:::b/alice/x", "aws:username", "alice", "aws:TagKeys", "a|b", "aws:SourceIp", "10.1.1.1", "aws:CurrentTime", "2019-01-01T00:00:00Z", "a:n", "1.5"),
		req("", ""),
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, opts := range []Options{{Kind: IdentityPolicy}, {Kind: ServiceControlPolicy}, {Kind: ServiceControlPolicy, LegacySCP: true}, {Kind: ResourcePolicy}} {
			p, err := opts.Parse(doc)
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
				}
				continue
			}
			if p.Size > len(doc) || len(p.Statements) == 0 {
				t.Fatalf("Size %d of a %d-byte document, %d statements", p.Size, len(doc), len(p.Statements))
			}
			for _, r := range requests {
				Evaluate(r, Set{Kind: SetIdentity, Policies: []*Policy{p}})
			}
		}
	})
}
