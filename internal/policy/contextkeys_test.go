package policy

import (
	"slices"
	"testing"
)

func TestContextKeys(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		kind      Kind
		keys      []string
		named     bool
	}{
		{"no conditions", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, ServiceControlPolicy, nil, true},
		{"conditions", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sso:CreateInstance","Resource":"*",
			"Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111122223333"]},"Bool":{"aws:SecureTransport":"false"}}}]}`, ServiceControlPolicy,
			[]string{"aws:principalaccount", "aws:securetransport"}, true},
		{"variables", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*",
			"Condition":{"StringLike":{"s3:prefix":"${aws:PrincipalTag/team, 'none'}/*"}}}]}`, IdentityPolicy,
			[]string{"aws:principaltag/team", "aws:username", "s3:prefix"}, true},
		{"literal escapes", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}]}`, IdentityPolicy, nil, true},
		{"principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"}]}`, ResourcePolicy, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Options{Kind: tc.kind}.Parse(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			named := p.ContextKeys(func(k string) { keys = append(keys, k) })
			slices.Sort(keys)
			keys = slices.Compact(keys)
			if named != tc.named || !slices.Equal(keys, tc.keys) {
				t.Fatalf("ContextKeys: %v, %v; want %v, %v", keys, named, tc.keys, tc.named)
			}
		})
	}
}
