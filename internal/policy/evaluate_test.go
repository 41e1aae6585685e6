package policy

import (
	"testing"
)

// fullAWSAccess is the SCP AWS Organizations attaches to every root, OU
// and account by default.
const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// denyCreateAccountInstances is the SCP from the IAM Identity Center User
// Guide that stops member accounts from creating account instances, with
// 111122223333 as the one account still allowed to.
const denyCreateAccountInstances = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyCreateAccountInstances","Effect":"Deny","Action":["sso:CreateInstance"],"Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111122223333"]}}}]}`

// adminPermissionSet is an identity policy granting everything.
const adminPermissionSet = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func TestSCPDenyCreateInstance(t *testing.T) {
	scps := SCPs(
		named(t, "FullAWSAccess", fullAWSAccess, ServiceControlPolicy),
		named(t, "DenyAccountInstances", denyCreateAccountInstances, ServiceControlPolicy),
	)
	identity := IdentityPolicies(named(t, "Admin", adminPermissionSet, IdentityPolicy))
	tests := []struct {
		name    string
		req     Request
		want    Decision
		wantSid string
	}{
		{"allowed account", req("sso:CreateInstance", "*", "aws:PrincipalAccount", "111122223333"), Allow, ""},
		{"other account", req("sso:CreateInstance", "*", "aws:PrincipalAccount", "444455556666"), Deny, "DenyCreateAccountInstances"},
		{"action case does not matter", req("SSO:createinstance", "*", "aws:PrincipalAccount", "444455556666"), Deny, "DenyCreateAccountInstances"},
		{"context key case does not matter", req("sso:CreateInstance", "*", "AWS:PRINCIPALACCOUNT", "111122223333"), Allow, ""},
		// StringNotEquals on a missing key is true: the deny applies.
		{"no account in context", req("sso:CreateInstance", "*"), Deny, "DenyCreateAccountInstances"},
		{"other actions", req("sso:ListInstances", "*", "aws:PrincipalAccount", "444455556666"), Allow, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(tc.req, scps, identity)
			if res.Decision != tc.want {
				t.Fatalf("Decision = %v, want %v (%+v)", res.Decision, tc.want, res)
			}
			ref, denied := res.DeniedBy()
			if denied != (tc.want == Deny) {
				t.Errorf("DeniedBy() = %v, %v", ref, denied)
			}
			if tc.want == Deny {
				if ref.Sid != tc.wantSid || ref.Policy != "DenyAccountInstances" || ref.Index != 0 || res.Set != SetSCP {
					t.Errorf("denied by %+v in %v", ref, res.Set)
				}
				want := "User: arn:aws:sts::444455556666:assumed-role/Admin/alice is not authorized to perform: sso:CreateInstance on resource: * with an explicit deny in a service control policy"
				if got := res.Message("arn:aws:sts::444455556666:assumed-role/Admin/alice", "*"); tc.req.Action == "sso:CreateInstance" && got != want {
					t.Errorf("Message = %q\nwant      %q", got, want)
				}
			}
		})
	}
}

func TestEvaluateCombining(t *testing.T) {
	allowSSO := named(t, "AllowSSO", stmt(`{"Sid":"SSO","Effect":"Allow","Action":"sso:*","Resource":"*"}`), IdentityPolicy)
	allowS3Read := named(t, "S3Read", stmt(`{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}`), IdentityPolicy)
	denyDelete := named(t, "NoDelete", stmt(`{"Sid":"NoDelete","Effect":"Deny","Action":"*:Delete*","Resource":"*"}`), IdentityPolicy)
	full := named(t, "FullAWSAccess", fullAWSAccess, ServiceControlPolicy)
	scpOnlyS3 := named(t, "OnlyS3", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), ServiceControlPolicy)
	boundarySSORead := named(t, "Boundary", stmt(`{"Effect":"Allow","Action":["sso:Describe*","sso:List*","s3:*"],"Resource":"*"}`), IdentityPolicy)
	sessionS3 := named(t, "Session", stmt(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"}`), IdentityPolicy)

	tests := []struct {
		name   string
		req    Request
		sets   []Set
		want   Decision
		set    SetKind
		reason string
	}{
		{"no sets", req("sso:ListInstances", "*"), nil, NotApplicable, SetIdentity, "because no identity-based policy allows the sso:ListInstances action"},
		{"identity allows", req("sso:ListInstances", "*"), []Set{IdentityPolicies(allowSSO)}, Allow, SetIdentity, ""},
		{"no identity policy allows", req("iam:ListUsers", "*"), []Set{IdentityPolicies(allowSSO, allowS3Read)}, NotApplicable, SetIdentity, "because no identity-based policy allows the iam:ListUsers action"},
		{"empty identity set", req("sso:ListInstances", "*"), []Set{IdentityPolicies()}, NotApplicable, SetIdentity, "because no identity-based policy allows the sso:ListInstances action"},
		{"deny beats allow", req("sso:DeleteInstance", "*"), []Set{IdentityPolicies(allowSSO, denyDelete)}, Deny, SetIdentity, "with an explicit deny in an identity-based policy"},
		{"deny beats allow in another set", req("s3:DeleteObject", "*"), []Set{SCPs(full), IdentityPolicies(denyDelete)}, Deny, SetIdentity, "with an explicit deny in an identity-based policy"},
		{"SCP and identity allow", req("s3:GetObject", "*"), []Set{SCPs(scpOnlyS3), IdentityPolicies(allowS3Read)}, Allow, SetSCP, ""},
		{"SCP does not allow", req("sso:ListInstances", "*"), []Set{SCPs(scpOnlyS3), IdentityPolicies(allowSSO)}, NotApplicable, SetSCP, "because no service control policy allows the sso:ListInstances action"},
		{"SCP allows but identity does not", req("s3:PutObject", "*"), []Set{SCPs(full), IdentityPolicies(allowS3Read)}, NotApplicable, SetIdentity, "because no identity-based policy allows the s3:PutObject action"},
		{"no SCP attached allows nothing", req("s3:GetObject", "*"), []Set{SCPs(), IdentityPolicies(allowS3Read)}, NotApplicable, SetSCP, "because no service control policy allows the s3:GetObject action"},
		{"boundary intersects", req("sso:ListInstances", "*"), []Set{IdentityPolicies(allowSSO), Boundary(boundarySSORead)}, Allow, SetIdentity, ""},
		{"boundary caps", req("sso:CreateInstance", "*"), []Set{IdentityPolicies(allowSSO), Boundary(boundarySSORead)}, NotApplicable, SetBoundary, "because no permissions boundary allows the sso:CreateInstance action"},
		{"boundary grants nothing alone", req("s3:PutObject", "*"), []Set{IdentityPolicies(allowSSO), Boundary(boundarySSORead)}, NotApplicable, SetIdentity, "because no identity-based policy allows the s3:PutObject action"},
		{"session intersects", req("s3:GetObject", "arn:aws:s3:::public/a"), []Set{IdentityPolicies(allowS3Read), SessionPolicies(sessionS3)}, Allow, SetIdentity, ""},
		{"session caps", req("s3:GetObject", "arn:aws:s3:::private/a"), []Set{IdentityPolicies(allowS3Read), SessionPolicies(sessionS3)}, NotApplicable, SetSession, "because no session policy allows the s3:GetObject action"},
		{"deny in SCP named", req("sso:CreateInstance", "*", "aws:PrincipalAccount", "444455556666"), []Set{SCPs(full, named(t, "D", denyCreateAccountInstances, ServiceControlPolicy)), IdentityPolicies(allowSSO)}, Deny, SetSCP, "with an explicit deny in a service control policy"},
		{"deny in boundary", req("sso:DeleteInstance", "*"), []Set{IdentityPolicies(allowSSO), Boundary(denyDelete)}, Deny, SetBoundary, "with an explicit deny in a permissions boundary"},
		{"deny in session policy", req("sso:DeleteInstance", "*"), []Set{IdentityPolicies(allowSSO), SessionPolicies(denyDelete)}, Deny, SetSession, "with an explicit deny in a session policy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(tc.req, tc.sets...)
			if res.Decision != tc.want || res.Set != tc.set {
				t.Fatalf("got %v in %v, want %v in %v (%+v)", res.Decision, res.Set, tc.want, tc.set, res)
			}
			if got := res.Reason(); got != tc.reason {
				t.Errorf("Reason() = %q, want %q", got, tc.reason)
			}
			if res.Allowed() != (tc.want == Allow) {
				t.Errorf("Allowed() = %v", res.Allowed())
			}
		})
	}
}

func TestEvaluateReportsStatements(t *testing.T) {
	p := named(t, "P", stmt(`{"Effect":"Allow","Action":"sso:List*","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"sso:*","Resource":"*"},{"Effect":"Deny","Action":"sso:DeleteInstance","Resource":"*"}`), IdentityPolicy)
	if m := p.Evaluate(req("sso:ListInstances", "*")); m != (Match{Decision: Allow, Statement: 0}) {
		t.Errorf("ListInstances: %+v", m)
	}
	if m := p.Evaluate(req("sso:DescribeInstance", "*")); m != (Match{Decision: Allow, Statement: 1}) {
		t.Errorf("DescribeInstance: %+v", m)
	}
	if m := p.Evaluate(req("sso:DeleteInstance", "*")); m != (Match{Decision: Deny, Statement: 2}) {
		t.Errorf("DeleteInstance: %+v", m)
	}
	if m := p.Evaluate(req("s3:GetObject", "*")); m != (Match{Decision: NotApplicable, Statement: -1}) {
		t.Errorf("GetObject: %+v", m)
	}
	res := Evaluate(req("sso:DeleteInstance", "*"), IdentityPolicies(p))
	if got, want := res.Statement.String(), `Statement[2] of policy "P"`; got != want {
		t.Errorf("deny statement = %q, want %q", got, want)
	}
	res = Evaluate(req("sso:DescribeInstance", "*"), IdentityPolicies(p))
	if got, want := res.Statement.String(), `statement "B" of policy "P"`; got != want {
		t.Errorf("allow statement = %q, want %q", got, want)
	}
	if got, want := res.Message("arn:aws:iam::111122223333:user/bob", ""), "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sso:DescribeInstance "; got != want {
		t.Errorf("Message for an Allow = %q, want %q", got, want)
	}
}

func TestNotActionNotResource(t *testing.T) {
	// "Deny everything but IAM outside us-east-1" style guard rails.
	p := mustParse(t, stmt(`
		{"Sid":"AllButIAM","Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},
		{"Sid":"NotThatInstance","Effect":"Deny","Action":"sso:DeleteInstance","NotResource":["arn:aws:sso:::instance/ssoins-1111111111111111"]}`), IdentityPolicy)
	tests := []struct {
		action, resource string
		want             Decision
	}{
		{"sso:CreateInstance", "*", Allow},
		{"iam:CreateUser", "*", NotApplicable},
		{"IAM:createuser", "*", NotApplicable},
		{"Organizations:ListAccounts", "*", NotApplicable},
		{"sso:DeleteInstance", "arn:aws:sso:::instance/ssoins-1111111111111111", Allow},
		{"sso:DeleteInstance", "arn:aws:sso:::instance/ssoins-2222222222222222", Deny},
		{"sso:DeleteInstance", "*", Deny},
	}
	for _, tc := range tests {
		if got := p.Evaluate(req(tc.action, tc.resource)).Decision; got != tc.want {
			t.Errorf("%s on %s: %v, want %v", tc.action, tc.resource, got, tc.want)
		}
	}
}

func TestResourcePolicyPrincipal(t *testing.T) {
	trust := mustParse(t, stmt(`
		{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/Deployer"],"Service":"sso.amazonaws.com"},"Action":"sts:AssumeRole"},
		{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:TagSession"},
		{"Effect":"Allow","Principal":"*","Action":"sts:GetCallerIdentity"}`), ResourcePolicy)
	tests := []struct {
		name string
		req  Request
		want Decision
	}{
		{"account root", req("sts:AssumeRole", "", "aws:PrincipalAccount", "111122223333", "aws:PrincipalArn", "arn:aws:iam::111122223333:user/x"), Allow},
		{"named role", req("sts:AssumeRole", "", "aws:PrincipalAccount", "444455556666", "aws:PrincipalArn", "arn:aws:iam::444455556666:role/Deployer"), Allow},
		{"other role", req("sts:AssumeRole", "", "aws:PrincipalAccount", "444455556666", "aws:PrincipalArn", "arn:aws:iam::444455556666:role/Other"), NotApplicable},
		{"service", req("sts:AssumeRole", "", "aws:PrincipalServiceName", "sso.amazonaws.com"), Allow},
		{"nobody", req("sts:AssumeRole", ""), NotApplicable},
		{"NotPrincipal excludes", req("sts:TagSession", "", "aws:PrincipalAccount", "111122223333"), NotApplicable},
		{"NotPrincipal denies others", req("sts:TagSession", "", "aws:PrincipalAccount", "999999999999"), Deny},
		{"everyone", req("sts:GetCallerIdentity", ""), Allow},
	}
	for _, tc := range tests {
		if got := trust.Evaluate(tc.req).Decision; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
